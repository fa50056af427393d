//! Star-rated branch evaluation (星级党支部, Fujian's "六星"): schemes that
//! say how branches are scored, campaigns that run a scheme over a subtree
//! through its stages (create → self-assessment → review → publicity → award
//! → apply), and the star engine that turns scores into levels and a star
//! with an explanation.
//!
//! - [`points`]: scores with two decimals, kept exact as hundredths;
//! - [`scheme`]: dimensions, indicators, levels, ordered star rules, vetoes
//!   and quotas, and their validation;
//! - [`engine`]: scores → level per dimension → star by the first matching
//!   rule → capped by vetoes, with an explanation; quotas; auto-scoring;
//! - [`campaign`]: stages, a branch's status in a campaign and which action
//!   each stage allows;
//! - [`rollup`]: what awarded stars contribute to the `stars.*` figures;
//! - [`data`]: campaigns as plain data, for the seed world and bulk loads.
//!
//! Nothing here is specific to Fujian's scheme: 双优 organizations or
//! 模范支部/先锋党员 creations are other schemes run by the same engine.

pub mod campaign;
pub mod data;
pub mod engine;
pub mod points;
pub mod rollup;
pub mod scheme;

pub use campaign::{EntryStatus, Stage, StageDates};
pub use engine::{Outcome, evaluate};
pub use points::Points;
pub use scheme::{Level, SchemeBody};

/// The most stars a branch can hold.
pub const MAX_STARS: u8 = 6;

/// "★★★★☆☆": `n` filled stars out of six.
pub fn star_glyphs(n: u8) -> String {
    let n = n.min(MAX_STARS) as usize;
    format!("{}{}", "★".repeat(n), "☆".repeat(MAX_STARS as usize - n))
}

/// "四星" / "4-star" style labels of a star count.
pub fn star_zh(n: u8) -> &'static str {
    ["零星", "一星", "二星", "三星", "四星", "五星", "六星"][n.min(MAX_STARS) as usize]
}

pub fn star_en(n: u8) -> String {
    if n == 0 { "No star".to_string() } else { format!("{}-star", n.min(MAX_STARS)) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn glyphs_and_labels() {
        assert_eq!(super::star_glyphs(4), "★★★★☆☆");
        assert_eq!(super::star_glyphs(9), "★★★★★★");
        assert_eq!(super::star_zh(6), "六星");
        assert_eq!(super::star_en(0), "No star");
        assert_eq!(super::star_en(3), "3-star");
    }
}
