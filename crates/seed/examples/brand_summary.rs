//! Prints the brands of each scale's seed world by status:
//! `cargo run -p qizhi-seed --example brand_summary [demo|province|group]`.

use std::collections::BTreeMap;

use qizhi_core::brand::{WUYOU, replay};
use qizhi_seed::{Scale, world};

fn main() {
    let scales = match std::env::args().nth(1).as_deref() {
        Some("demo") => vec![Scale::Demo],
        Some("province") => vec![Scale::Province],
        Some("group") => vec![Scale::Group],
        _ => vec![Scale::Province, Scale::Demo, Scale::Group],
    };
    for scale in scales {
        let w = world(scale);
        let mut by: BTreeMap<String, usize> = BTreeMap::new();
        let mut bad = 0;
        for b in &w.brands.brands {
            match replay(&b.history, WUYOU.len()) {
                Ok(r) => *by.entry(r.status.code().to_string()).or_default() += 1,
                Err(e) => {
                    bad += 1;
                    eprintln!("{}: {e}", b.fields.code);
                }
            }
        }
        let pending =
            w.brands.brands.iter().filter(|b| replay(&b.history, 5).is_ok_and(|r| r.app_stage.is_some())).count();
        println!(
            "{scale:?}: {} brands {by:?}, {pending} pending, {} sub-brands, {} honors, {bad} bad",
            w.brands.brands.len(),
            w.brands.brands.iter().filter(|b| b.parent_code.is_some()).count(),
            w.brands.honors.len()
        );
    }
}
