//! The seed world: the organization of the article (中国联通：打造特色化党建品牌
//! 赋能网信事业高质量发展, 2024-07-01) as plain data the store loads — units,
//! people, grids and production scenarios — generated deterministically (same
//! output on every run and machine, no clock, no OS randomness) and without I/O.
//!
//! ```
//! let w = qizhi_seed::world(qizhi_seed::Scale::Province);
//! assert_eq!(w.units[0].fields.code, "CU");
//! ```
//!
//! # What it contains
//!
//! - The root `CU` 中国联通集团党组 (集团党组).
//! - 39 provincial-level committees: the 31 provinces (`中共中国联通福建省分公司委员会`,
//!   short name `福建联通`) and 8 subsidiaries.
//! - Under each province its seat's 机关党委 (`FJ00`) and city or district
//!   committees (`FJ01` 福州 … `FJ09` 宁德, in official order); under a
//!   subsidiary its divisions (`YJY01` …). Branches are coded `FJ01-001`,
//!   general branches `FJ01-Z1`, party groups `FJ01-001-1`. A few dissolved
//!   branches stay on record.
//! - The units the article names: 吉安联通 (`JX08`), 嘉兴联通 (`ZJ04`),
//!   郑州联通 (`HA01`), 北京联通运营支撑中心党总支 (`BJ-YYZC`, four branches),
//!   安徽联通省分直属客服支部 (`AH-ZSKF`), 联通研究院泛终端研究中心党支部
//!   (`YJY-FZD`), 联通在线小沃科技党总支 (`ZX-XWKJ`, three branches).
//! - The article's figures, exactly: 福建 179 branches; 内蒙古 301 branches
//!   and 1711 grids all covered by a contact branch; 贵州 20 production
//!   scenarios and 1989 party members. Other provinces have grids with
//!   varying coverage and scenarios, or none.
//! - 8–25 people per branch, about 15 on average, each passing
//!   `PersonInput::validate`'s rules, with unique phone and ID numbers.
//!   Every date is on or before [`AS_OF`].
//! - Assessments (`assessments`): the group's and each province's yearly
//!   scores and the cities' business results, with the article's streaks
//!   (郑州 three years in Henan's first tier, 嘉兴 five years of growth,
//!   江苏 three years first in the group's business assessment).
//! - Star evaluations (`stars`): Fujian's "六星" scheme and campaigns, its
//!   2023 campaign giving the article's 3★ 100 %, 4★ 73 %, 26 five-star and 2
//!   six-star branches through the engine; other provinces' campaigns.
//!
//! # Provincial-level codes
//!
//! | code | unit | code | unit | code | unit |
//! |---|---|---|---|---|---|
//! | BJ | 北京 | TJ | 天津 | HE | 河北 |
//! | SX | 山西 | NM | 内蒙古 | LN | 辽宁 |
//! | JL | 吉林 | HL | 黑龙江 | SH | 上海 |
//! | JS | 江苏 | ZJ | 浙江 | AH | 安徽 |
//! | FJ | 福建 | JX | 江西 | SD | 山东 |
//! | HA | 河南 | HB | 湖北 | HN | 湖南 |
//! | GD | 广东 | GX | 广西 | HI | 海南 |
//! | CQ | 重庆 | SC | 四川 | GZ | 贵州 |
//! | YN | 云南 | XZ | 西藏 | SN | 陕西 |
//! | GS | 甘肃 | QH | 青海 | NX | 宁夏 |
//! | XJ | 新疆 | HS | 联通华盛 | ZX | 联通在线 |
//! | YJY | 联通研究院 | SK | 联通数科 | ZW | 联通智网 |
//! | ZF | 联通支付 | ZXY | 中讯设计院 | RY | 联通软研院 |
//!
//! Province codes are the GB/T 2260 letter codes; subsidiaries' are pinyin initials.
//!
//! # Scales
//!
//! [`Scale::Demo`] (what `qizhi demo` loads): all 39 units, 2,600 branches,
//! about 39,000 people. [`Scale::Province`]: the root with 福建, 内蒙古 and
//! 贵州. [`Scale::Group`] (the benchmark): 10,000 branches, about 150,000
//! people, about 400 municipal committees. The three provinces the article
//! gives figures for are the same in every scale.
//!
//! # Layout
//!
//! One module per capability, assembled by `world`: `org`, `person`,
//! `grid`; `brand` (every brand the article names and generated ones, so
//! that the Demo and Group worlds hold [`MATURE_BRANDS`] mature or exemplary
//! brands); `stars` (schemes and campaigns); `tasks` (fortresses and tasks),
//! `teams` and `commitments`. Each draws from its own named random stream
//! (`rng`) so that changing one part leaves the others as they were.

pub mod assessments;
mod brand;
mod commitments;
mod grid;
mod names;
mod org;
mod person;
mod places;
mod rng;
mod split;
pub mod stars;
mod tasks;
mod teams;
pub mod volume;
mod world;

pub use brand::{MATURE_BRANDS, SeedBrand, SeedBrands, SeedHonor, SeedStandard};
pub use commitments::SeedCommitment;
pub use tasks::{SeedEntry, SeedFlag, SeedFortress, SeedTask};
pub use teams::{GD_COMMANDO_TEAMS, GD_OPEN, SeedTeam};
pub use world::{
    AS_OF, DEMO_BRANCHES, GROUP_BRANCHES, ROOT_CODE, Scale, SeedGrid, SeedPerson, SeedScenario, SeedUnit, World, world,
};
