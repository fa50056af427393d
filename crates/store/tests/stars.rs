//! Star-rated evaluation in the store, on every backend: schemes frozen once
//! used and copied to a new year; a campaign's stages from declaration to
//! award; the `stars.*` figures exact after every write (award, correction,
//! withdrawal, a newer award superseding an older one) and equal to a
//! recount; two review levels; quotas; imports all or nothing; bulk loads.

mod common;

use std::collections::BTreeMap;

use common::each_backend;
use qizhi_core::figures::{Span, Value};
use qizhi_core::ids::UnitId;
use qizhi_core::org::{Unit, UnitInput};
use qizhi_core::stars::campaign::{CampaignFields, Declaration, EntryStatus, ScoreStage, Stage, StageDates};
use qizhi_core::stars::data::{CampaignData, EntryData, SchemeData, ScoreData, StarsData};
use qizhi_core::stars::points::Points;
use qizhi_core::stars::scheme::{Dimension, Indicator, Quota, SchemeBody, SchemeFields, Veto, default_rules};
use qizhi_store::audit::{Actor, AuditQuery};
use qizhi_store::load::{Batch, LoadError};
use qizhi_store::stars::{EntryFilter, ImportRow, Review, ReviewScope, SelfScore};
use qizhi_store::{Page, Scope, Store, StoreError};
use time::macros::date;

fn unit_fields(code: &str, kind: &str) -> qizhi_core::org::UnitFields {
    UnitInput {
        code: code.into(),
        name: format!("{code} 组织"),
        kind: kind.into(),
        founded: Some("2010-01-01".into()),
        ..Default::default()
    }
    .validate()
    .unwrap()
}

/// CU → FJ → FJ01 → four branches; CU → NM → one branch.
async fn tree(store: &Store) -> BTreeMap<&'static str, Unit> {
    let mut t = BTreeMap::new();
    let cu = store.create_unit(None, &unit_fields("CU", "党组")).await.unwrap();
    let fj = store.create_unit(Some(cu.id), &unit_fields("FJ", "党委")).await.unwrap();
    let nm = store.create_unit(Some(cu.id), &unit_fields("NM", "党委")).await.unwrap();
    let fz = store.create_unit(Some(fj.id), &unit_fields("FJ01", "党委")).await.unwrap();
    for code in ["FJ01-001", "FJ01-002", "FJ01-003", "FJ01-004"] {
        t.insert(code, store.create_unit(Some(fz.id), &unit_fields(code, "党支部")).await.unwrap());
    }
    t.insert("NM-001", store.create_unit(Some(nm.id), &unit_fields("NM-001", "党支部")).await.unwrap());
    t.insert("CU", cu);
    t.insert("FJ", fj);
    t.insert("NM", nm);
    t.insert("FJ01", fz);
    t
}

fn ind(code: &str, max: i64) -> Indicator {
    Indicator {
        code: code.into(),
        name: format!("{code} 指标"),
        max: Points::whole(max),
        weight: None,
        guide: "按要求评分".into(),
        evidence: if code == "PB1" { "会议记录".into() } else { String::new() },
        auto: None,
    }
}

fn body() -> SchemeBody {
    let dim = |code: &str, name: &str, inds| Dimension {
        code: code.into(),
        name: name.into(),
        standard: Points::whole(60),
        excellent: Points::whole(80),
        benchmark: Points::whole(90),
        indicators: inds,
    };
    SchemeBody {
        dimensions: vec![
            dim("PB", "党建", vec![ind("PB1", 50), ind("PB2", 50)]),
            dim("BP", "业绩", vec![ind("BP1", 100)]),
        ],
        rules: default_rules("PB", "BP", Points::whole(45), Points::whole(30)),
        vetoes: vec![Veto { code: "V1".into(), name: "重大安全事故".into(), cap: 2 }],
        quotas: vec![Quota { stars: 6, max_percent: 50 }],
    }
}

fn scheme_fields(year: i32) -> SchemeFields {
    SchemeFields { name: format!("福建六星评价体系（{year} 年版）"), year, body: body() }
}

fn campaign_fields(levels: u8) -> CampaignFields {
    CampaignFields { name: "六星党支部评选".into(), review_levels: levels, dates: StageDates::default() }
}

/// Party-building and business totals as the three indicators' scores.
fn scores(pb: i64, bp: i64) -> Vec<(String, Points, Option<String>)> {
    let pb1 = pb.min(50);
    vec![
        ("PB1".into(), Points::whole(pb1), None),
        ("PB2".into(), Points::whole(pb - pb1), None),
        ("BP1".into(), Points::whole(bp), None),
    ]
}

fn self_scores(pb: i64, bp: i64) -> Vec<SelfScore> {
    scores(pb, bp)
        .into_iter()
        .map(|(indicator, p, _)| SelfScore { indicator, points: Some(p), note: Some("会议记录已上传".into()) })
        .collect()
}

async fn count(store: &Store, unit: UnitId, year: i32, key: &str) -> i64 {
    store.figures(unit, Span { from: year, to: year }).await.unwrap()[key].count().unwrap()
}

async fn rate(store: &Store, unit: UnitId, year: i32, key: &str) -> f64 {
    store.figures(unit, Span { from: year, to: year }).await.unwrap()[key].as_f64()
}

async fn assert_rollup_exact(store: &Store) {
    assert_eq!(store.stored_rollup().await.unwrap(), store.recompute().await.unwrap(), "rollup differs from a recount");
}

async fn entry_of(store: &Store, campaign: i64, code: &str) -> qizhi_store::stars::Entry {
    let f = EntryFilter { q: code.into(), per_page: 50, ..Default::default() };
    let Page { items: list, .. } = store.campaign_entries(campaign, &Scope::All, &f).await.unwrap();
    list.into_iter().find(|e| e.entry.unit_code == code).expect("an entry").entry
}

/// Declares, self-assesses and submits a branch, then reviews it at level 1.
async fn take_through(store: &Store, campaign: i64, code: &str, pb: i64, bp: i64) -> i64 {
    let e = entry_of(store, campaign, code).await;
    store.declare(e.id, &Declaration { target_star: 5, plan: Some("争创五星".into()) }).await.unwrap();
    store.self_assess(e.id, &self_scores(pb, bp), &[], true).await.unwrap();
    e.id
}

#[tokio::test]
async fn schemes_are_frozen_once_used_and_copied_to_a_new_year() {
    each_backend(|store| async move {
        let t = tree(&store).await;
        let store = store.acting(Actor { user_id: None, username: "tester".into(), ip: None });
        let s = store.create_scheme(t["FJ"].id, &scheme_fields(2023)).await.unwrap();
        assert!(!s.in_use());
        let mut f = s.fields();
        f.body.dimensions[0].standard = Points::whole(65);
        let (_, edited) = store.update_scheme(s.id, &f).await.unwrap();
        assert_eq!(edited.body.dimensions[0].standard, Points::whole(65));
        // An invalid body is refused, naming the field.
        let mut bad = f.clone();
        bad.body.rules.swap(0, 1);
        match store.update_scheme(s.id, &bad).await.unwrap_err() {
            StoreError::Invalid(i) => assert!(i.errors.iter().any(|e| e.field == "rule.1.stars"), "{i}"),
            e => panic!("{e}"),
        }
        // A campaign over a unit outside the issuer's subtree is refused.
        let err = store.create_campaign(s.id, t["NM"].id, &campaign_fields(1)).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict { ref field, .. } if field == "unit_id"), "{err}");
        let c = store.create_campaign(s.id, t["FJ"].id, &campaign_fields(1)).await.unwrap();
        assert_eq!(c.year, 2023);
        assert!(store.scheme(s.id).await.unwrap().in_use());
        let err = store.update_scheme(s.id, &f).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict { ref field, .. } if field == "scheme"), "{err}");

        let copy = store.copy_scheme(s.id, 2024).await.unwrap();
        assert_eq!((copy.year, copy.copied_from, copy.in_use()), (2024, Some(s.id), false));
        assert_eq!(copy.name, "福建六星评价体系（2024 年版）");
        assert_eq!(copy.body, edited.body);
        // Schemes a branch's admin may read: issued above their unit.
        let branch_scope = Scope::subtrees(vec![t["FJ01-001"].path.clone()]);
        let ancestors = t["FJ01-001"].lineage();
        assert_eq!(store.schemes(&branch_scope, &ancestors).await.unwrap().len(), 2);
        let nm_scope = Scope::subtrees(vec![t["NM"].path.clone()]);
        assert!(store.schemes(&nm_scope, &t["NM"].lineage()).await.unwrap().is_empty());
        let Page { total: n, items: log } = store
            .audit_entries(
                &Scope::All,
                &AuditQuery { object_kind: Some("star_scheme".into()), per_page: 50, ..Default::default() },
            )
            .await
            .unwrap();
        assert_eq!(n, 3, "create, update, copy");
        assert!(log.iter().any(|l| l.action == "update" && l.before.is_some() && l.after.is_some()));
    })
    .await;
}

#[tokio::test]
async fn a_campaign_runs_from_declaration_to_award_and_the_figures_follow() {
    each_backend(|store| async move {
        let t = tree(&store).await;
        let store = store.acting(Actor { user_id: None, username: "tester".into(), ip: None });
        let s = store.create_scheme(t["FJ"].id, &scheme_fields(2023)).await.unwrap();
        let c = store.create_campaign(s.id, t["FJ"].id, &campaign_fields(1)).await.unwrap();
        let stats = store.campaign_stats(c.id, &Scope::All).await.unwrap();
        assert_eq!(stats.entries, 4, "one entry per active branch under FJ");
        assert_eq!(stats.status(EntryStatus::Open), 4);

        // Stages: one step at a time; self-assessment waits for its stage.
        let e1 = entry_of(&store, c.id, "FJ01-001").await;
        let err = store.self_assess(e1.id, &self_scores(95, 95), &[], true).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict { ref field, .. } if field == "stage"), "{err}");
        assert!(store.move_campaign(c.id, Stage::Review).await.is_err());
        store.move_campaign(c.id, Stage::SelfAssess).await.unwrap();

        // Submitting needs a declaration and every indicator.
        let err = store.self_assess(e1.id, &self_scores(95, 95), &[], true).await.unwrap_err();
        match err {
            StoreError::Invalid(i) => assert_eq!(i.errors[0].field, "target_star"),
            e => panic!("{e}"),
        }
        store.declare(e1.id, &Declaration { target_star: 6, plan: None }).await.unwrap();
        let partial = vec![SelfScore { indicator: "PB1".into(), points: Some(Points::whole(48)), note: None }];
        store.self_assess(e1.id, &partial, &[], false).await.unwrap();
        match store.self_assess(e1.id, &partial, &[], true).await.unwrap_err() {
            StoreError::Invalid(i) => {
                let fields: Vec<&str> = i.errors.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["score.PB2", "score.BP1"]);
            }
            e => panic!("{e}"),
        }
        let over = vec![SelfScore { indicator: "PB1".into(), points: Some(Points::whole(51)), note: None }];
        assert!(matches!(store.self_assess(e1.id, &over, &[], false).await, Err(StoreError::Invalid(_))));
        store.self_assess(e1.id, &self_scores(95, 92), &[], true).await.unwrap();
        let e2 = take_through(&store, c.id, "FJ01-002", 85, 82).await;
        let e3 = take_through(&store, c.id, "FJ01-003", 70, 50).await;
        // FJ01-004 never takes part.

        store.move_campaign(c.id, Stage::Review).await.unwrap();
        let detail = store.entry_detail(e1.id).await.unwrap();
        assert_eq!(detail.entry.star, 6, "the self-assessment's star so far");
        let reviewer = ReviewScope::Roots(vec![t["FJ01"].path.clone()]);
        let queue = store.review_queue(&reviewer, None).await.unwrap();
        assert_eq!(queue.len(), 3);
        assert!(queue.iter().all(|q| q.level == 1));
        let at_branch = ReviewScope::Roots(vec![t["FJ01-001"].path.clone()]);
        assert!(store.review_queue(&at_branch, None).await.unwrap().is_empty(), "nobody reviews their own branch");
        // Reviews: the first lowers party building to 89 (5★); the third gets a veto.
        store
            .review(e1.id, 1, &Review { scores: scores(89, 92), vetoes: vec![], comment: Some("党建略低".into()) })
            .await
            .unwrap();
        store.bulk_review(&[e2], 1, true, "").await.unwrap();
        store.review(e3, 1, &Review { scores: vec![], vetoes: vec!["V1".into()], comment: None }).await.unwrap();
        assert!(store.review_queue(&reviewer, None).await.unwrap().is_empty());
        assert_eq!(store.star_entry(e1.id).await.unwrap().star, 5);
        assert_eq!(store.star_entry(e2).await.unwrap().star, 5);
        assert_eq!(store.star_entry(e3).await.unwrap().star, 2, "3★ capped at 2★ by the veto");

        // Nothing counts before the award.
        assert_eq!(count(&store, t["FJ"].id, 2023, "stars.evaluated").await, 0);
        store.move_campaign(c.id, Stage::Publicity).await.unwrap();
        let o = store.add_objection(e2, date!(2024 - 01 - 10), Some("群众来信"), "业绩数据有误").await.unwrap();
        store.answer_objection(o.id, "经核实数据无误").await.unwrap();
        let (_, award) = store.move_campaign(c.id, Stage::Award).await.unwrap();
        let award = award.unwrap();
        assert_eq!((award.awarded, award.left_out), (3, 1));
        assert!(store.move_campaign(c.id, Stage::Publicity).await.is_err(), "no way back after the award");

        let fj = t["FJ"].id;
        assert_eq!(count(&store, fj, 2023, "stars.evaluated").await, 3);
        assert_eq!(count(&store, fj, 2023, "stars.exact.5").await, 2);
        assert_eq!(count(&store, fj, 2023, "stars.exact.2").await, 1);
        assert_eq!(count(&store, fj, 2023, "stars.at_least.3").await, 2);
        assert!((rate(&store, fj, 2023, "stars.at_least_rate.3").await - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(count(&store, t["CU"].id, 2023, "stars.evaluated").await, 3, "every ancestor counts");
        assert_eq!(count(&store, t["NM"].id, 2023, "stars.evaluated").await, 0);
        assert_eq!(count(&store, t["FJ01-001"].id, 2023, "stars.exact.5").await, 1, "the branch itself");
        assert_eq!(count(&store, fj, 2022, "stars.evaluated").await, 0);
        assert_rollup_exact(&store).await;
        // The drill-down list says the same.
        let span = Span { from: 2023, to: 2023 };
        let Page { total: n, items: list } =
            store.star_branches(&t["FJ"], &Scope::All, span, Some(5), false, 1, 50).await.unwrap();
        assert_eq!(n, 2);
        assert!(list.iter().all(|b| b.star == 5));
        let Page { total: n, .. } =
            store.star_branches(&t["FJ"], &Scope::All, span, Some(3), true, 1, 50).await.unwrap();
        assert_eq!(n, 2);

        // A correction after the award changes the star and the figures at once.
        let err = store
            .review(e1.id, 1, &Review { scores: scores(95, 92), vetoes: vec![], comment: None })
            .await
            .unwrap_err();
        assert!(matches!(err, StoreError::Conflict { ref field, .. } if field == "comment"), "{err}");
        store
            .review(
                e1.id,
                1,
                &Review { scores: scores(95, 92), vetoes: vec![], comment: Some("复核更正党建得分".into()) },
            )
            .await
            .unwrap();
        assert_eq!(store.star_entry(e1.id).await.unwrap().star, 6);
        assert_eq!(count(&store, fj, 2023, "stars.exact.6").await, 1);
        assert_eq!(count(&store, fj, 2023, "stars.exact.5").await, 1);
        assert_rollup_exact(&store).await;
        let Page { items: log, .. } = store
            .audit_entries(
                &Scope::All,
                &AuditQuery { action: Some("correct".into()), per_page: 10, ..Default::default() },
            )
            .await
            .unwrap();
        assert_eq!(log.len(), 1);
        assert!(log[0].summary.contains("星级 5 → 6") && log[0].summary.contains("复核更正"), "{}", log[0].summary);
        let before: serde_json::Value = serde_json::from_str(log[0].before.as_deref().unwrap()).unwrap();
        let after: serde_json::Value = serde_json::from_str(log[0].after.as_deref().unwrap()).unwrap();
        assert_eq!((before["star"].as_i64(), after["star"].as_i64()), (Some(5), Some(6)));
        assert_eq!(after["scores"]["review1"]["PB2"], 45);

        // Withdrawing a star: the branch stays evaluated, with no star.
        assert!(store.withdraw_star(e2, date!(2024 - 03 - 01), " ").await.is_err(), "a reason is required");
        store.withdraw_star(e2, date!(2024 - 03 - 01), "发生违规问题").await.unwrap();
        assert_eq!(count(&store, fj, 2023, "stars.evaluated").await, 3);
        assert_eq!(count(&store, fj, 2023, "stars.exact.0").await, 1);
        assert_eq!(count(&store, fj, 2023, "stars.exact.5").await, 0);
        assert!(store.withdraw_star(e2, date!(2024 - 03 - 02), "again").await.is_err());
        assert_rollup_exact(&store).await;
    })
    .await;
}

#[tokio::test]
async fn a_newer_award_supersedes_the_older_in_spans_that_hold_both() {
    each_backend(|store| async move {
        let t = tree(&store).await;
        // No quota: one branch alone at 6★ would be 100 %.
        let mut f = scheme_fields(2022);
        f.body.quotas.clear();
        let s22 = store.create_scheme(t["FJ"].id, &f).await.unwrap();
        let s23 = store.copy_scheme(s22.id, 2023).await.unwrap();
        let mut ids = vec![];
        for (scheme, pb, bp) in [(s22.id, 70, 70), (s23.id, 92, 95)] {
            let c = store.create_campaign(scheme, t["FJ01"].id, &campaign_fields(1)).await.unwrap();
            store.move_campaign(c.id, Stage::SelfAssess).await.unwrap();
            let e = take_through(&store, c.id, "FJ01-001", pb, bp).await;
            store.move_campaign(c.id, Stage::Review).await.unwrap();
            store.bulk_review(&[e], 1, true, "").await.unwrap();
            store.move_campaign(c.id, Stage::Publicity).await.unwrap();
            store.move_campaign(c.id, Stage::Award).await.unwrap();
            ids.push(e);
            assert_rollup_exact(&store).await;
        }
        let fj = t["FJ"].id;
        let f = |from, to| {
            let store = store.clone();
            async move { store.figures(fj, Span { from, to }).await.unwrap() }
        };
        let both = f(2022, 2023).await;
        assert_eq!(both["stars.evaluated"], Value::Count(1), "one branch, counted once");
        assert_eq!(both["stars.exact.6"], Value::Count(1));
        assert_eq!(both["stars.exact.4"], Value::Count(0));
        assert_eq!(f(2022, 2022).await["stars.exact.4"], Value::Count(1));
        assert_eq!(f(2024, 2026).await["stars.evaluated"], Value::Count(0));
        // Withdrawing the newer star: it still hides the older one.
        store.withdraw_star(ids[1], date!(2024 - 05 - 01), "整改不到位").await.unwrap();
        let both = f(2022, 2023).await;
        assert_eq!((both["stars.evaluated"], both["stars.exact.0"]), (Value::Count(1), Value::Count(1)));
        assert_rollup_exact(&store).await;
        // The unit and its rollup can move: the stars go with the branch.
        store.move_unit(t["FJ01-001"].id, t["NM"].id).await.unwrap();
        assert_eq!(f(2022, 2023).await["stars.evaluated"], Value::Count(0));
        let nm = store.figures(t["NM"].id, Span { from: 2022, to: 2023 }).await.unwrap();
        assert_eq!(nm["stars.exact.0"], Value::Count(1));
        assert_rollup_exact(&store).await;
        // A branch with stars on record is not deleted.
        assert!(store.delete_unit(t["FJ01-001"].id).await.is_err());
    })
    .await;
}

#[tokio::test]
async fn two_review_levels_and_quotas() {
    each_backend(|store| async move {
        let t = tree(&store).await;
        let s = store.create_scheme(t["FJ"].id, &scheme_fields(2023)).await.unwrap();
        let c = store.create_campaign(s.id, t["FJ"].id, &campaign_fields(2)).await.unwrap();
        store.move_campaign(c.id, Stage::SelfAssess).await.unwrap();
        let mut ids = vec![];
        for code in ["FJ01-001", "FJ01-002", "FJ01-003"] {
            ids.push(take_through(&store, c.id, code, 95, 95).await);
        }
        store.move_campaign(c.id, Stage::Review).await.unwrap();
        // Level 2 waits for level 1; the province's reviewer sees level 2 only.
        assert!(store.review(ids[0], 2, &Review::default()).await.is_err());
        store.bulk_review(&ids, 1, true, "").await.unwrap();
        let province = ReviewScope::Roots(vec![t["FJ"].path.clone()]);
        let queue = store.review_queue(&province, Some(c.id)).await.unwrap();
        assert_eq!(queue.iter().filter(|q| q.level == 2).count(), 3);
        let city = ReviewScope::Roots(vec![t["FJ01"].path.clone()]);
        assert!(store.review_queue(&city, None).await.unwrap().is_empty(), "level 2 is the campaign unit's");
        // Level 2 lowers two of them; returning is refused after level 2.
        store.review(ids[1], 2, &Review { scores: scores(85, 85), vetoes: vec![], comment: None }).await.unwrap();
        store.review(ids[2], 2, &Review { scores: scores(85, 85), vetoes: vec![], comment: None }).await.unwrap();
        assert!(store.return_entry(ids[1], "重新自评").await.is_err());
        // Entry 0 still waits for level 2: only level-2 results are awarded.
        let quotas = store.campaign_quotas(&store.campaign(c.id).await.unwrap()).await.unwrap();
        assert_eq!((quotas[0].reviewed.allowed, quotas[0].reviewed.actual), (1, 0));
        // Its six stars, provisional until then, already count, against 50 % of every branch in the campaign.
        let branches = store.campaign_stats(c.id, &Scope::All).await.unwrap().entries as usize;
        let p = &quotas[0].provisional;
        assert_eq!((p.allowed, p.actual), (branches / 2, 1));
        assert!(!quotas[0].at_risk());
        // Two 6★ out of three would break the 50 % quota.
        store.review(ids[0], 2, &Review { scores: vec![], vetoes: vec![], comment: None }).await.unwrap();
        store.review(ids[1], 2, &Review { scores: scores(95, 95), vetoes: vec![], comment: None }).await.unwrap();
        store.move_campaign(c.id, Stage::Publicity).await.unwrap();
        let err = store.move_campaign(c.id, Stage::Award).await.unwrap_err();
        match err {
            StoreError::Conflict { field, message } => {
                assert_eq!(field, "quota");
                assert!(message.contains("六星及以上不超过 50%（1 个）：现有 2 个"), "{message}");
            }
            e => panic!("{e}"),
        }
        assert_eq!(count(&store, t["FJ"].id, 2023, "stars.evaluated").await, 0, "nothing awarded");
        assert_eq!(store.campaign(c.id).await.unwrap().stage, Stage::Publicity);
        // Scores can be corrected in publicity (with a note), then the award passes.
        store
            .review(ids[1], 2, &Review { scores: scores(85, 85), vetoes: vec![], comment: Some("复核".into()) })
            .await
            .unwrap();
        store.move_campaign(c.id, Stage::Award).await.unwrap();
        assert_eq!(count(&store, t["FJ"].id, 2023, "stars.exact.6").await, 1);
        assert_eq!(count(&store, t["FJ"].id, 2023, "stars.exact.5").await, 2);
        assert_rollup_exact(&store).await;
    })
    .await;
}

#[tokio::test]
async fn score_imports_write_every_row_or_none() {
    each_backend(|store| async move {
        let t = tree(&store).await;
        let s = store.create_scheme(t["FJ"].id, &scheme_fields(2023)).await.unwrap();
        let c = store.create_campaign(s.id, t["FJ"].id, &campaign_fields(1)).await.unwrap();
        store.move_campaign(c.id, Stage::SelfAssess).await.unwrap();
        for code in ["FJ01-001", "FJ01-002", "FJ01-003", "FJ01-004"] {
            let e = entry_of(&store, c.id, code).await;
            store.declare(e.id, &Declaration { target_star: 4, plan: None }).await.unwrap();
        }
        let row = |line, code: &str, pb1: Option<i64>, comment: Option<&str>| ImportRow {
            line,
            unit_code: code.into(),
            scores: vec![
                ("PB1".into(), pb1.map(Points::whole)),
                ("PB2".into(), Some(Points::whole(40))),
                ("BP1".into(), Some(Points::whole(70))),
            ],
            comment: comment.map(Into::into),
            vetoes: None,
        };
        let everyone = |_: &qizhi_store::stars::Entry| true;
        let bad = vec![
            row(2, "FJ01-001", Some(45), None),
            row(3, "NM-001", Some(45), None),
            row(4, "FJ01-002", None, None),
            row(5, "FJ01-001", Some(45), None),
        ];
        match store.import_scores(c.id, ScoreStage::SelfAssess, &bad, &everyone).await.unwrap_err() {
            LoadError::Rows(rows) => {
                let got: Vec<(usize, &str)> = rows.iter().map(|r| (r.line, r.field)).collect();
                assert_eq!(got, [(3, "unit_code"), (4, "PB1"), (5, "unit_code")]);
            }
            e => panic!("{e}"),
        }
        assert_eq!(store.campaign_stats(c.id, &Scope::All).await.unwrap().status(EntryStatus::Submitted), 0);
        // Outside the importer's scope.
        let only_one = |e: &qizhi_store::stars::Entry| e.unit_code == "FJ01-001";
        let rows = vec![row(2, "FJ01-001", Some(45), None), row(3, "FJ01-002", Some(45), None)];
        assert!(store.import_scores(c.id, ScoreStage::SelfAssess, &rows, &only_one).await.is_err());
        let rows: Vec<ImportRow> = ["FJ01-001", "FJ01-002", "FJ01-003", "FJ01-004"]
            .iter()
            .enumerate()
            .map(|(i, code)| row(i + 2, code, Some(45), None))
            .collect();
        assert_eq!(store.import_scores(c.id, ScoreStage::SelfAssess, &rows, &everyone).await.unwrap(), 4);
        assert_eq!(store.campaign_stats(c.id, &Scope::All).await.unwrap().status(EntryStatus::Submitted), 4);
        // Review: empty cells take the self-assessment's score; vetoes from the file.
        store.move_campaign(c.id, Stage::Review).await.unwrap();
        let mut review = rows.clone();
        review[0].scores[0].1 = None;
        review[1].scores[0].1 = Some(Points::whole(50));
        review[1].scores[2].1 = Some(Points::whole(95));
        review[2].vetoes = Some(vec!["V1".into()]);
        store.import_scores(c.id, ScoreStage::Review1, &review, &everyone).await.unwrap();
        assert_eq!(entry_of(&store, c.id, "FJ01-001").await.star, 4, "85 / 70: both meet standard");
        assert_eq!(entry_of(&store, c.id, "FJ01-002").await.star, 6, "90 / 95: both benchmark");
        assert_eq!(entry_of(&store, c.id, "FJ01-003").await.star, 2, "vetoed");
        assert_eq!(entry_of(&store, c.id, "FJ01-003").await.status, EntryStatus::Reviewed1);
        // After the award, an import corrects with a note, and the figures follow.
        store.move_campaign(c.id, Stage::Publicity).await.unwrap();
        store.move_campaign(c.id, Stage::Award).await.unwrap();
        assert_eq!(count(&store, t["FJ"].id, 2023, "stars.exact.4").await, 2);
        let mut fix = vec![review[0].clone()];
        fix[0].scores[2].1 = Some(Points::whole(95));
        assert!(store.import_scores(c.id, ScoreStage::Review1, &fix, &everyone).await.is_err(), "a note is required");
        fix[0].comment = Some("业绩数据更正".into());
        store.import_scores(c.id, ScoreStage::Review1, &fix, &everyone).await.unwrap();
        assert_eq!(count(&store, t["FJ"].id, 2023, "stars.exact.4").await, 1);
        assert_eq!(count(&store, t["FJ"].id, 2023, "stars.exact.5").await, 1, "85 / 95: both excellent");
        assert_rollup_exact(&store).await;
    })
    .await;
}

fn score_data(pb: i64, bp: i64) -> Vec<ScoreData> {
    scores(pb, bp).into_iter().map(|(indicator, points, _)| ScoreData { indicator, points, note: None }).collect()
}

#[tokio::test]
async fn bulk_loads_run_the_engine_and_keep_the_rollup_exact() {
    each_backend(|store| async move {
        let t = tree(&store).await;
        let entry = |code: &str, pb, bp, status| EntryData {
            unit_code: code.into(),
            status,
            declaration: Some(Declaration { target_star: 4, plan: None }),
            self_scores: score_data(pb, bp),
            review1: if status >= EntryStatus::Reviewed1 { score_data(pb - 5, bp) } else { vec![] },
            review2: vec![],
            review1_comment: None,
            review2_comment: None,
            vetoes: vec![],
            withdrawn: None,
        };
        let data = StarsData {
            schemes: vec![SchemeData {
                key: "FJ-2023".into(),
                unit_code: "FJ".into(),
                copied_from: None,
                fields: scheme_fields(2023),
            }],
            campaigns: vec![
                CampaignData {
                    scheme: "FJ-2023".into(),
                    unit_code: "FJ".into(),
                    fields: campaign_fields(1),
                    stage: Stage::Apply,
                    awarded_on: Some(date!(2024 - 01 - 20)),
                    entries: vec![
                        entry("FJ01-001", 100, 95, EntryStatus::Reviewed1),
                        entry("FJ01-002", 90, 85, EntryStatus::Reviewed1),
                        entry("FJ01-003", 70, 20, EntryStatus::Submitted),
                    ],
                },
                CampaignData {
                    scheme: "FJ-2023".into(),
                    unit_code: "FJ01".into(),
                    fields: campaign_fields(1),
                    stage: Stage::Review,
                    awarded_on: None,
                    entries: vec![entry("FJ01-004", 70, 70, EntryStatus::Submitted)],
                },
            ],
        };
        let mut batch = Batch { stars: data.clone(), ..Batch::default() };
        store.load(&batch, &mut |_, _| {}).await.unwrap();
        let fj = t["FJ"].id;
        assert_eq!(count(&store, fj, 2023, "stars.evaluated").await, 2, "review done only for two");
        assert_eq!(count(&store, fj, 2023, "stars.exact.6").await, 1, "95 / 95 after review");
        assert_eq!(count(&store, fj, 2023, "stars.exact.5").await, 1);
        assert_rollup_exact(&store).await;
        // A broken reference writes nothing.
        batch.stars.campaigns[1].entries[0].unit_code = "FJ01".into();
        match store.load(&batch, &mut |_, _| {}).await.unwrap_err() {
            LoadError::Rows(rows) => assert!(rows[0].message.contains("不是党支部"), "{:?}", rows),
            e => panic!("{e}"),
        }
        assert_eq!(store.schemes(&Scope::All, &[]).await.unwrap().len(), 1);
        assert_eq!(count(&store, fj, 2023, "stars.evaluated").await, 2);
    })
    .await;
}

#[tokio::test]
async fn auto_scored_indicators_read_the_branchs_figures_and_evidence_files_are_kept() {
    each_backend(|store| async move {
        let t = tree(&store).await;
        // Two members in FJ01-001 by 2023, one more in 2024.
        for (name, joined) in [("林一", "2010-07-01"), ("林二", "2020-07-01"), ("林三", "2024-03-01")] {
            let f = qizhi_core::person::PersonInput {
                name: name.into(),
                category: "正式党员".into(),
                join_date: Some(joined.into()),
                ..Default::default()
            }
            .validate()
            .unwrap();
            store.create_person(t["FJ01-001"].id, &f).await.unwrap();
        }
        let mut f = scheme_fields(2023);
        f.body.dimensions[0].indicators.push(Indicator {
            code: "PB3".into(),
            name: "党员人数".into(),
            max: Points::whole(10),
            weight: None,
            guide: String::new(),
            evidence: String::new(),
            auto: Some(qizhi_core::stars::scheme::AutoScore { figure: "org.members".into(), zero: 0.0, full: 4.0 }),
        });
        f.body.dimensions[0].standard = Points::whole(65);
        let s = store.create_scheme(t["FJ"].id, &f).await.unwrap();
        let c = store.create_campaign(s.id, t["FJ01"].id, &campaign_fields(1)).await.unwrap();
        store.move_campaign(c.id, Stage::SelfAssess).await.unwrap();
        let e = entry_of(&store, c.id, "FJ01-001").await;
        store.declare(e.id, &Declaration { target_star: 4, plan: None }).await.unwrap();
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-evidence".to_vec();
        let upload = qizhi_store::stars::Upload {
            indicator: "PB1".into(),
            name: "会议记录.png".into(),
            kind: qizhi_core::file::FileKind::Png,
            bytes: png.clone(),
        };
        // The auto-scored indicator cannot be typed in: it comes from the figure (2 of 4 members → 5 of 10).
        let mut scores = self_scores(60, 70);
        scores.push(SelfScore { indicator: "PB3".into(), points: Some(Points::whole(10)), note: None });
        store.self_assess(e.id, &scores, &[upload], true).await.unwrap();
        let d = store.entry_detail(e.id).await.unwrap();
        let auto = d.score(ScoreStage::SelfAssess, "PB3").unwrap();
        assert_eq!(auto.points, Points::whole(5));
        assert!(auto.note.as_deref().unwrap().contains("org.members = 2"), "{:?}", auto.note);
        assert_eq!(d.outcome().dimensions[0].score, Points::whole(65), "60 typed + 5 from the figure");
        assert_eq!(d.entry.star, 4);
        assert_eq!(d.evidence.len(), 1);
        assert_eq!(store.file_data(d.evidence[0].file_id).await.unwrap(), png);
        assert_eq!(
            store.file(d.evidence[0].file_id).await.unwrap().unit_id,
            t["FJ01-001"].id,
            "filed under the branch"
        );
    })
    .await;
}
