//! Assessments (考核) as records: each year from 2019 the group scores its
//! provincial units in business performance, and each province scores its
//! cities in party building, business performance and publicity; cities
//! record a yearly business result. Ranks, tiers and streaks are left to
//! the engine. The article's are built in:
//! - 郑州 (`HA01`) in the first tier of Henan's party-building and business
//!   assessments, and first in publicity, 2022–2024 (three years running);
//! - 嘉兴 (`ZJ04`) with its business result growing 2020–2024 (five years);
//! - 江苏 (`JS`) first in the group's business assessment 2022–2024.

use qizhi_core::org::UnitKind;
use qizhi_core::recognition::AssessmentKind;
use qizhi_core::stars::points::Points;
use serde::{Deserialize, Serialize};

use crate::rng::Rng;
use crate::{ROOT_CODE, SeedUnit};

/// The years assessed.
pub const YEARS: std::ops::RangeInclusive<i32> = 2019..=2024;

/// A score an issuer gave a unit below it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedScore {
    pub issuer_code: String,
    pub unit_code: String,
    pub kind: AssessmentKind,
    pub year: i32,
    pub score: Points,
}

/// A unit's business result of a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedResult {
    pub unit_code: String,
    pub year: i32,
    pub value: Points,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedAssessments {
    pub scores: Vec<SeedScore>,
    pub results: Vec<SeedResult>,
}

/// The top score given by the article's leaders in their streak years;
/// every generated score stays below it, so they rank first then.
const TOP: i64 = 99;
/// The bottom score the leaders got the year before their streak, below every generated score.
const BOTTOM: i64 = 50;

/// Scores and results of every provincial unit and city of `units`.
pub fn generate(units: &[SeedUnit]) -> SeedAssessments {
    let mut out = SeedAssessments::default();
    let children = |code: &str| -> Vec<&SeedUnit> {
        units
            .iter()
            .filter(|u| u.parent_code.as_deref() == Some(code) && u.fields.kind == UnitKind::Committee)
            // The seat's 机关党委 is not assessed with the cities.
            .filter(|u| !u.fields.code.ends_with("00"))
            .collect()
    };
    let provincial = children(ROOT_CODE);
    let mut rng = Rng::for_key("assessments/group");
    for year in YEARS {
        for p in &provincial {
            let code = p.fields.code.as_str();
            let score = streak(code == "JS", year, rng.range(70, 95));
            out.scores.push(score_of(ROOT_CODE, code, AssessmentKind::Business, year, score));
        }
    }
    for p in &provincial {
        let cities = children(&p.fields.code);
        let mut rng = Rng::for_key(&format!("assessments/{}", p.fields.code));
        for year in YEARS {
            for kind in AssessmentKind::ALL {
                for c in &cities {
                    let leads = c.fields.code == "HA01" && cities.len() > 1;
                    let score = streak(leads, year, rng.range(60, 96));
                    out.scores.push(score_of(&p.fields.code, &c.fields.code, kind, year, score));
                }
            }
        }
        for c in &cities {
            let mut value = rng.range(90, 110);
            for year in YEARS {
                // 嘉兴 grows every year; the others move up or down a little.
                value += if c.fields.code == "ZJ04" { 3 + rng.range(0, 3) } else { rng.range(-4, 6) };
                out.results.push(SeedResult {
                    unit_code: c.fields.code.clone(),
                    year,
                    value: Points::whole(if year == *YEARS.start() && c.fields.code == "ZJ04" { 100 } else { value }),
                });
            }
        }
    }
    out
}

/// A leader's score: the top in 2022–2024, the bottom in 2021 (so that the
/// run is exactly three years), a generated one otherwise.
fn streak(leads: bool, year: i32, generated: i64) -> i64 {
    match (leads, year) {
        (true, 2022..=2024) => TOP,
        (true, 2021) => BOTTOM,
        _ => generated.clamp(BOTTOM + 1, TOP - 1),
    }
}

fn score_of(issuer: &str, unit: &str, kind: AssessmentKind, year: i32, score: i64) -> SeedScore {
    SeedScore { issuer_code: issuer.into(), unit_code: unit.into(), kind, year, score: Points::whole(score) }
}
