//! The seed world: the plain data the store loads for `qizhi demo` and the
//! benchmarks, assembled from one module per capability (org, person, grid).

use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::date;

use qizhi_core::grid::{GridFields, ScenarioFields};
use qizhi_core::org::{UnitFields, UnitKind, UnitStatus};
use qizhi_core::person::PersonFields;

use crate::places::{self, PROVINCIAL, Provincial, Shape};
use crate::rng::Rng;
use crate::split::split;
use crate::{grid, org, person};

/// The day the seed world describes: the article was published on
/// 2024-07-01, so every date in the world is on or before this one and the
/// article's figures hold for 2024.
pub const AS_OF: Date = date!(2024 - 06 - 30);

/// How much world to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scale {
    /// What `qizhi demo` loads: every unit the article names, about 2,600
    /// branches and 39,000 people.
    Demo,
    /// A quick slice: the group root with 福建, 内蒙古 and 贵州, the three
    /// provinces whose figures the article states (about 10,000 people).
    Province,
    /// The benchmark: 39 provincial-level units, about 400 municipal
    /// committees, exactly 10,000 branches and about 150,000 people.
    Group,
}

/// Branches in the whole demo world.
pub const DEMO_BRANCHES: u32 = 2_600;
/// Branches in the whole group world.
pub const GROUP_BRANCHES: u32 = 10_000;

/// Everything the store loads, in load order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct World {
    /// Parents always come before their children.
    pub units: Vec<SeedUnit>,
    pub people: Vec<SeedPerson>,
    pub grids: Vec<SeedGrid>,
    pub scenarios: Vec<SeedScenario>,
    /// Brands, their standards and honors, in `brand.rs`.
    pub brands: crate::brand::SeedBrands,
    /// Star-evaluation schemes and campaigns (see `stars.rs`).
    #[serde(default)]
    pub stars: qizhi_core::stars::data::StarsData,
    pub fortresses: Vec<crate::tasks::SeedFortress>,
    pub teams: Vec<crate::teams::SeedTeam>,
    /// Every task references units, fortresses, teams and people listed above.
    pub tasks: Vec<crate::tasks::SeedTask>,
    pub commitments: Vec<crate::commitments::SeedCommitment>,
    /// Assessment scores and business results (see `assessments.rs`).
    #[serde(default)]
    pub assessments: crate::assessments::SeedAssessments,
}

/// A unit and the code of its parent (`None` only for the root).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedUnit {
    pub parent_code: Option<String>,
    pub fields: UnitFields,
}

/// A person and the code of the unit they belong to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedPerson {
    pub unit_code: String,
    pub fields: PersonFields,
}

/// A grid, the unit that keeps it and the branch that is its contact point
/// (支部联系点), if any: a grid with a contact is covered by party work.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedGrid {
    pub unit_code: String,
    pub fields: GridFields,
    pub contact_unit_code: Option<String>,
}

/// A production scenario and the unit that keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedScenario {
    pub unit_code: String,
    pub fields: ScenarioFields,
}

/// The code of the root unit, 中国联通集团党组.
pub const ROOT_CODE: &str = "CU";

/// Generates the world of `scale`. Pure and deterministic: the same value on
/// every call, on every machine.
pub fn world(scale: Scale) -> World {
    let mut w = World { units: vec![root()], ..World::default() };
    let mut taken = person::Taken::default();
    for planned in plan(scale) {
        let p = planned.provincial;
        let mixes = person::plan(&mut Rng::for_key(&format!("{}/mix", p.code)), planned.branches, p.members);
        let sizes: Vec<u32> = mixes.iter().map(person::Mix::total).collect();
        let slice =
            org::build(&mut Rng::for_key(&format!("{}/org", p.code)), p, planned.all_divisions, &sizes, &mut w.units);
        person::people(&mut Rng::for_key(&format!("{}/people", p.code)), p, &slice, &mixes, &mut taken, &mut w.people);
        let mut rng = Rng::for_key(&format!("{}/grid", p.code));
        grid::grids(&mut rng, p, &slice, &mut w.grids);
        grid::scenarios(&mut rng, p, &mut w.scenarios);
    }
    // Brands: after the units they belong to.
    w.brands = crate::brand::brands(scale, &w.units);
    // Assessments: scores of provincial units and cities, and cities' results.
    w.assessments = crate::assessments::generate(&w.units);
    // Stars: after the whole tree, since campaigns name its branches.
    w.stars = crate::stars::stars(&w.units);
    // Fortresses, tasks, commitments, teams: built on the units and people above.
    let (fortresses, tasks) = crate::tasks::generate(&w);
    let (teams, team_tasks) = crate::teams::generate(&w);
    w.commitments = crate::commitments::generate(&w);
    w.fortresses = fortresses;
    w.teams = teams;
    w.tasks = tasks;
    w.tasks.extend(team_tasks);
    w
}

fn root() -> SeedUnit {
    SeedUnit {
        parent_code: None,
        fields: UnitFields {
            code: ROOT_CODE.into(),
            name: "中国联通集团党组".into(),
            short_name: Some("集团党组".into()),
            kind: UnitKind::Leadership,
            sort_order: 1,
            // The new China Unicom began operating after the 2008 merger.
            founded: Some(org::GROUP_FOUNDED),
            status: UnitStatus::Active,
        },
    }
}

/// One provincial-level unit to generate and its size.
struct Planned {
    provincial: &'static Provincial,
    branches: u32,
    /// Keep every city or division; otherwise a small scale keeps a handful
    /// (and those the article names) so branches are not spread too thin.
    all_divisions: bool,
}

fn plan(scale: Scale) -> Vec<Planned> {
    let (total, province_floor, subsidiary_floor) = match scale {
        Scale::Province => {
            return ["FJ", "NM", "GZ"]
                .into_iter()
                .map(|code| {
                    let p = places::provincial(code);
                    Planned { provincial: p, branches: p.fixed_branches.expect("fixed size"), all_divisions: true }
                })
                .collect();
        }
        Scale::Demo => (DEMO_BRANCHES, 40, 8),
        Scale::Group => (GROUP_BRANCHES, 100, 20),
    };
    let fixed: u32 = PROVINCIAL.iter().filter_map(|p| p.fixed_branches).sum();
    let free: Vec<&Provincial> = PROVINCIAL.iter().filter(|p| p.fixed_branches.is_none()).collect();
    let weights: Vec<f64> = free.iter().map(|p| f64::from(p.weight)).collect();
    let floors: Vec<u32> = free
        .iter()
        .map(|p| match p.shape {
            Shape::Subsidiary { .. } => subsidiary_floor,
            _ => province_floor,
        })
        .collect();
    let mut shares = split(total - fixed, &weights, &floors).into_iter();
    PROVINCIAL
        .iter()
        .map(|p| match p.fixed_branches {
            Some(branches) => Planned { provincial: p, branches, all_divisions: true },
            None => Planned {
                provincial: p,
                branches: shares.next().expect("a share per unit"),
                all_divisions: scale == Scale::Group,
            },
        })
        .collect()
}
