//! What the organization contributes to the figures: units, branches,
//! members and people, grids and their coverage, production scenarios.

use crate::figures::{Contribution, Counter, FigureDef, Formula, Measure, at};
use crate::grid::Grid;
use crate::org::{Unit, UnitKind, UnitStatus};
use crate::person::Person;

pub const COUNTERS: &[Counter] = &[
    Counter { key: "org.units", measure: Measure::Stock },
    Counter { key: "org.branches", measure: Measure::Stock },
    Counter { key: "org.members", measure: Measure::Stock },
    Counter { key: "org.people", measure: Measure::Stock },
    Counter { key: "grids.total", measure: Measure::Stock },
    Counter { key: "grids.covered", measure: Measure::Stock },
    Counter { key: "scenarios.total", measure: Measure::Stock },
];

pub const FIGURES: &[FigureDef] = &[
    FigureDef { key: "org.units", zh: "组织数", en: "Units", formula: Formula::Count("org.units") },
    FigureDef { key: "org.branches", zh: "党支部数", en: "Branches", formula: Formula::Count("org.branches") },
    FigureDef {
        key: "org.members",
        zh: "党员数（含预备党员）",
        en: "Party members (incl. probationary)",
        formula: Formula::Count("org.members"),
    },
    FigureDef { key: "org.people", zh: "人员总数", en: "People", formula: Formula::Count("org.people") },
    FigureDef { key: "grids.total", zh: "网格数", en: "Grids", formula: Formula::Count("grids.total") },
    FigureDef {
        key: "grids.covered",
        zh: "党的工作覆盖网格数",
        en: "Grids covered by party work",
        formula: Formula::Count("grids.covered"),
    },
    FigureDef {
        key: "grids.coverage_rate",
        zh: "网格覆盖率",
        en: "Grid coverage rate",
        formula: Formula::Rate("grids.covered", "grids.total"),
    },
    FigureDef {
        key: "scenarios.total",
        zh: "生产场景数",
        en: "Production scenarios",
        formula: Formula::Count("scenarios.total"),
    },
];

/// What a unit itself contributes (not its subtree). Dissolved units count nothing.
pub fn unit_contributions(unit: &Unit) -> Vec<Contribution> {
    if unit.status == UnitStatus::Dissolved {
        return vec![];
    }
    let year = unit.founded.map_or(0, |d| d.year());
    let mut out = vec![at(year, "org.units")];
    if unit.kind == UnitKind::Branch {
        out.push(at(year, "org.branches"));
    }
    out
}

/// A person counts among the people always, and among the members from the year they joined.
pub fn person_contributions(person: &Person) -> Vec<Contribution> {
    let mut out = vec![at(0, "org.people")];
    if person.fields.category.is_member() {
        out.push(at(person.fields.join_date.map_or(0, |d| d.year()), "org.members"));
    }
    out
}

pub fn grid_contributions(grid: &Grid) -> Vec<Contribution> {
    let mut out = vec![at(0, "grids.total")];
    if grid.covered {
        out.push(at(0, "grids.covered"));
    }
    out
}

pub fn scenario_contributions() -> Vec<Contribution> {
    vec![at(0, "scenarios.total")]
}
