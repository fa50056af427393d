//! The seed world's star evaluation: Fujian's 2023 campaign, run through the
//! engine, gives the article's results over exactly its 179 branches; every
//! campaign is well formed (scores within each indicator's max, stages and
//! statuses that fit, quotas kept); the other provinces' campaigns are
//! there, one of them in review.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::OnceLock;

use qizhi_core::org::{UnitKind, UnitStatus};
use qizhi_core::stars::campaign::{EntryStatus, ScoreStage, Stage};
use qizhi_core::stars::data::{CampaignData, EntryData};
use qizhi_core::stars::engine::{QuotaUse, quota_use};
use qizhi_core::stars::points::Points;
use qizhi_core::stars::{SchemeBody, evaluate};
use qizhi_seed::{Scale, World, world};

fn province() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| world(Scale::Province))
}

fn demo() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| world(Scale::Demo))
}

fn scheme<'a>(w: &'a World, key: &str) -> &'a SchemeBody {
    &w.stars.schemes.iter().find(|s| s.key == key).unwrap_or_else(|| panic!("no scheme {key}")).fields.body
}

fn campaign<'a>(w: &'a World, unit: &str, year: i32) -> &'a CampaignData {
    w.stars
        .campaigns
        .iter()
        .find(|c| c.unit_code == unit && w.stars.schemes.iter().any(|s| s.key == c.scheme && s.fields.year == year))
        .unwrap_or_else(|| panic!("no campaign of {unit} in {year}"))
}

/// The engine's star for an entry, from its final scores.
fn star(body: &SchemeBody, e: &EntryData, levels: u8) -> u8 {
    let list = match ScoreStage::final_for(e.status, levels) {
        ScoreStage::SelfAssess => &e.self_scores,
        ScoreStage::Review1 => &e.review1,
        ScoreStage::Review2 => &e.review2,
    };
    let scores: BTreeMap<String, Points> = list.iter().map(|s| (s.indicator.clone(), s.points)).collect();
    evaluate(body, &scores, &e.vetoes).star
}

fn active_branches(w: &World, top: &str) -> HashSet<String> {
    let parents: HashMap<&str, Option<&str>> =
        w.units.iter().map(|u| (u.fields.code.as_str(), u.parent_code.as_deref())).collect();
    let under = |code: &str| {
        let mut c = Some(code);
        while let Some(x) = c {
            if x == top {
                return true;
            }
            c = parents.get(x).copied().flatten();
        }
        false
    };
    w.units
        .iter()
        .filter(|u| u.fields.kind == UnitKind::Branch && u.fields.status == UnitStatus::Active)
        .filter(|u| under(&u.fields.code))
        .map(|u| u.fields.code.clone())
        .collect()
}

fn assert_fujian_2023(w: &World) {
    let c = campaign(w, "FJ", 2023);
    assert_eq!(c.stage, Stage::Apply);
    let codes: HashSet<String> = c.entries.iter().map(|e| e.unit_code.clone()).collect();
    assert_eq!(codes.len(), 179);
    assert_eq!(codes, active_branches(w, "FJ"), "exactly Fujian's active branches");
    let body = scheme(w, &c.scheme);
    let mut by_star = [0usize; 7];
    for e in &c.entries {
        assert!(e.status.review_done(c.fields.review_levels), "{} not reviewed", e.unit_code);
        assert!(e.withdrawn.is_none());
        by_star[star(body, e, c.fields.review_levels) as usize] += 1;
    }
    // The article: 3★ and above 100 %, 4★ and above 73 %, 5★ 26, 6★ 2.
    assert_eq!(by_star[6], 2, "六星支部 2 个");
    assert_eq!(by_star[5], 26, "五星支部 26 个");
    let at_least = |n: usize| by_star[n..].iter().sum::<usize>();
    assert_eq!(at_least(3), 179, "三星支部 100%");
    assert_eq!(at_least(4), 131, "四星支部 73%");
    assert_eq!(format!("{:.0}", at_least(4) as f64 / 179.0 * 100.0), "73");
    // Two three-star branches hold their star because of a veto, not their scores.
    let capped = c.entries.iter().filter(|e| !e.vetoes.is_empty()).count();
    assert_eq!(capped, 2);
}

#[test]
fn fujian_2023_gives_the_articles_results_through_the_engine() {
    assert_fujian_2023(province());
    assert_fujian_2023(demo());
}

fn assert_well_formed(w: &World) {
    let keys: HashSet<&str> = w.stars.schemes.iter().map(|s| s.key.as_str()).collect();
    for s in &w.stars.schemes {
        s.fields.validate().unwrap_or_else(|e| panic!("{}: {e}", s.key));
        if let Some(from) = &s.copied_from {
            assert!(keys.contains(from.as_str()));
        }
    }
    let units: HashMap<&str, UnitKind> = w.units.iter().map(|u| (u.fields.code.as_str(), u.fields.kind)).collect();
    for c in &w.stars.campaigns {
        c.fields.validate().unwrap();
        let body = scheme(w, &c.scheme);
        let levels = c.fields.review_levels;
        assert!(units.contains_key(c.unit_code.as_str()));
        let mut awarded = vec![];
        for e in &c.entries {
            assert_eq!(units.get(e.unit_code.as_str()), Some(&UnitKind::Branch), "{}", e.unit_code);
            for list in [&e.self_scores, &e.review1, &e.review2] {
                for s in list {
                    let (_, i) = body.indicator(&s.indicator).unwrap_or_else(|| panic!("unknown {}", s.indicator));
                    assert!(s.points >= Points::ZERO && s.points <= i.max, "{} {}: {}", e.unit_code, i.code, s.points);
                }
            }
            if e.status >= EntryStatus::Submitted {
                assert_eq!(
                    e.self_scores.len(),
                    body.indicators().count(),
                    "{}: a submitted self-assessment is whole",
                    e.unit_code
                );
            }
            if e.status >= EntryStatus::Reviewed1 {
                assert!(!e.review1.is_empty());
            }
            assert_eq!(e.status == EntryStatus::Reviewed2, !e.review2.is_empty());
            // Branches score themselves a little higher than their reviewers, indicator by indicator.
            for r in e.review1.iter().chain(&e.review2) {
                let own = e.self_scores.iter().find(|s| s.indicator == r.indicator).expect("a self score");
                assert!(
                    own.points >= r.points,
                    "{} {}: self {} < review {}",
                    e.unit_code,
                    r.indicator,
                    own.points,
                    r.points
                );
            }
            if c.stage.awarded() && e.status.review_done(levels) {
                awarded.push(star(body, e, levels));
            }
        }
        let broken: Vec<QuotaUse> = quota_use(&body.quotas, &awarded).into_iter().filter(QuotaUse::exceeded).collect();
        assert!(broken.is_empty(), "{}: {broken:?}", c.fields.name);
    }
}

#[test]
fn every_campaign_is_well_formed() {
    assert_well_formed(province());
    assert_well_formed(demo());
}

#[test]
fn other_provinces_and_the_live_stages() {
    for w in [province(), demo()] {
        let fj22 = campaign(w, "FJ", 2022);
        assert!(fj22.entries.len() < 179 && fj22.entries.len() > 150, "branches founded by mid-2022");
        let fj24 = campaign(w, "FJ", 2024);
        assert_eq!(fj24.stage, Stage::SelfAssess);
        let b1 = fj24.entries.iter().find(|e| e.unit_code == "FJ01-001").expect("the demo branch");
        assert_eq!((b1.status, b1.self_scores.len()), (EntryStatus::Declared, 0), "left for the demo to self-assess");
        let gz = campaign(w, "GZ", 2024);
        assert_eq!((gz.stage, gz.fields.review_levels), (Stage::Review, 2));
        assert!(gz.entries.iter().filter(|e| e.status == EntryStatus::Submitted).count() > 30, "a live level-1 queue");
        assert!(gz.entries.iter().any(|e| e.status == EntryStatus::Reviewed1), "and a level-2 one");
        let nm = campaign(w, "NM", 2023);
        assert_eq!(nm.entries.len(), 301);
        assert_eq!(nm.entries.iter().filter(|e| e.withdrawn.is_some()).count(), 1, "one star withdrawn");
    }
    assert!(w_has(demo(), "JS") && w_has(demo(), "GD"));
    assert!(!w_has(province(), "JS"));
}

fn w_has(w: &World, unit: &str) -> bool {
    w.stars.campaigns.iter().any(|c| c.unit_code == unit)
}

#[test]
fn the_star_data_is_the_same_on_every_run() {
    assert_eq!(world(Scale::Province).stars, province().stars);
}
