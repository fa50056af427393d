//! Recognition (评先树优、考核): commendation programs that name recipients
//! at tiers (`commendations`), and the yearly assessment of units by their
//! parent — scores, the rank among the units assessed together, a tier by
//! the issuer's rule, and the streaks the article reports ("连续 3 年位于
//! 第一方阵") — computed from the scores, never typed in (`assessments`).

pub mod assessments;
pub mod commendations;
pub mod rollup;

pub use assessments::{AssessmentKind, Standing, TierRule, runs, standings};
