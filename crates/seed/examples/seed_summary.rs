//! Prints the size of each scale's seed world and how long it takes to
//! generate: `cargo run --release -p qizhi-seed --example seed_summary [demo|province|group]`.

use std::collections::HashMap;
use std::time::Instant;

use qizhi_core::org::{UnitKind, UnitStatus};
use qizhi_seed::{Scale, world};

fn main() {
    let scales = match std::env::args().nth(1).as_deref() {
        Some("demo") => vec![Scale::Demo],
        Some("province") => vec![Scale::Province],
        Some("group") => vec![Scale::Group],
        _ => vec![Scale::Province, Scale::Demo, Scale::Group],
    };
    for scale in scales {
        let start = Instant::now();
        let w = world(scale);
        let took = start.elapsed();
        // Branches per provincial-level unit: the code before the first digit or '-'.
        let mut branches: HashMap<&str, usize> = HashMap::new();
        for u in &w.units {
            if u.fields.kind == UnitKind::Branch && u.fields.status == UnitStatus::Active {
                let c = &u.fields.code;
                let end = c.find(|ch: char| ch.is_ascii_digit() || ch == '-').unwrap_or(c.len());
                *branches.entry(&c[..end]).or_default() += 1;
            }
        }
        let count = |k: UnitKind| w.units.iter().filter(|u| u.fields.kind == k).count();
        println!(
            "{scale:?}: {took:.2?}; {} units ({} committees, {} general branches, {} branches, {} party groups), {} people, {} grids, {} scenarios",
            w.units.len(),
            count(UnitKind::Committee),
            count(UnitKind::GeneralBranch),
            count(UnitKind::Branch),
            count(UnitKind::PartyGroup),
            w.people.len(),
            w.grids.len(),
            w.scenarios.len(),
        );
        let mut list: Vec<_> = branches.into_iter().collect();
        list.sort();
        println!("  branches: {list:?}");
    }
}
