//! Brands in the store, on both backends: the lifecycle through review with
//! its dated history, the mature rule, the standard issued above a unit,
//! structures, versions, honors, the bulk path, scope — and the rollup equal
//! to a recount after every kind of write.

mod common;

use common::each_backend;
use qizhi_core::brand::{
    BrandHistory, BrandInput, BrandStatus, ElementFields, ElementInput, ElementKind, ElementTree, EventKind,
    EvidenceFields, EvidenceKind, HistoryStep, HonorInput, StandardInput, StandardItemInput, WUYOU, WUYOU_NAME,
};
use qizhi_core::figures::{Span, Value};
use qizhi_core::ids::{BrandId, UnitId};
use qizhi_core::org::{Unit, UnitInput};
use qizhi_store::brand_load::{BrandRow, ElementRow, HonorRow, StandardRow};
use qizhi_store::brands::{BrandQuery, ElementMove, LogoChange};
use qizhi_store::load::{Batch, LoadError};
use qizhi_store::{Page, Scope, Store, StoreError};
use time::Date;
use time::macros::date;

fn unit_fields(code: &str, kind: &str) -> qizhi_core::org::UnitFields {
    UnitInput { code: code.into(), name: format!("{code} 组织"), kind: kind.into(), ..Default::default() }
        .validate()
        .unwrap()
}

/// CU → FJ → FJ01 → FJ01-001, FJ01-002; CU → NM.
async fn tree(store: &Store) -> Vec<Unit> {
    let g = store.create_unit(None, &unit_fields("CU", "党组")).await.unwrap();
    let fj = store.create_unit(Some(g.id), &unit_fields("FJ", "党委")).await.unwrap();
    let fz = store.create_unit(Some(fj.id), &unit_fields("FJ01", "党委")).await.unwrap();
    let b1 = store.create_unit(Some(fz.id), &unit_fields("FJ01-001", "党支部")).await.unwrap();
    let b2 = store.create_unit(Some(fz.id), &unit_fields("FJ01-002", "党支部")).await.unwrap();
    let nm = store.create_unit(Some(g.id), &unit_fields("NM", "党委")).await.unwrap();
    vec![g, fj, fz, b1, b2, nm]
}

fn wuyou() -> qizhi_core::brand::StandardFields {
    StandardInput {
        name: WUYOU_NAME.into(),
        items: WUYOU
            .iter()
            .map(|(t, d)| StandardItemInput { id: None, title: t.to_string(), description: Some(d.to_string()) })
            .collect(),
    }
    .validate()
    .unwrap()
}

fn brand_fields(code: &str, name: &str, category: &str, founded: Option<&str>) -> qizhi_core::brand::BrandFields {
    BrandInput {
        code: code.into(),
        name: name.into(),
        category: category.into(),
        slogan: Some("争当排头兵".into()),
        heritage: Some("红船精神".into()),
        founded_year: founded.map(Into::into),
        ..Default::default()
    }
    .validate()
    .unwrap()
}

async fn count(store: &Store, unit: UnitId, year: i32, key: &str) -> i64 {
    match store.figures(unit, Span { from: year, to: year }).await.unwrap()[key] {
        Value::Count(n) => n,
        v => panic!("{key} is {v:?}"),
    }
}

async fn assert_rollup_exact(store: &Store) {
    assert_eq!(store.stored_rollup().await.unwrap(), store.recompute().await.unwrap(), "rollup differs from a recount");
    assert!(store.brands_with_stale_standing().await.unwrap().is_empty(), "stored standard standing is stale");
}

/// Approves the open application three times (初审, 评审, 命名) on `on`.
async fn approve_all(store: &Store, id: BrandId, on: Date) -> qizhi_core::brand::Brand {
    store.decide_brand(id, true, None, on).await.unwrap();
    store.decide_brand(id, true, Some("材料齐全"), on).await.unwrap();
    store.decide_brand(id, true, None, on).await.unwrap()
}

fn text_evidence(t: &str) -> EvidenceFields {
    EvidenceFields { kind: EvidenceKind::Text, text: Some(t.into()), figure_key: None }
}

#[tokio::test]
async fn a_brand_climbs_through_review_and_figures_follow_its_dated_history() {
    each_backend(|store| async move {
        let t = tree(&store).await;
        let (g, fj, b1) = (&t[0], &t[1], &t[3]);
        store.issue_standard(g.id, &wuyou(), date!(2019 - 01 - 01)).await.unwrap();

        let b = store
            .create_brand(
                b1.id,
                None,
                &brand_fields("FJ01-001-B01", "端之重器", "支部品牌", None),
                None,
                date!(2020 - 03 - 01),
            )
            .await
            .unwrap();
        assert_eq!(b.status, BrandStatus::Draft);
        assert_eq!(count(&store, g.id, 2020, "brands.total").await, 1);
        assert_eq!(count(&store, fj.id, 2020, "brands.status.draft").await, 1);
        assert_eq!(count(&store, g.id, 2020, "brands.category.branch").await, 1);
        assert_eq!(count(&store, g.id, 2019, "brands.total").await, 0);

        // Draft → cultivating (2020) → established (2021): one level per application, three approvals each.
        let applied = store.apply_brand(b.id, Some("请审核"), date!(2020 - 04 - 01)).await.unwrap();
        assert_eq!((applied.app_target, applied.version), (Some(BrandStatus::Cultivating), 1));
        assert!(store.apply_brand(b.id, None, date!(2020 - 04 - 02)).await.is_err(), "one open application at a time");
        let after_one = store.decide_brand(b.id, true, None, date!(2020 - 04 - 10)).await.unwrap();
        assert_eq!(after_one.status, BrandStatus::Draft, "初审 alone does not name it");
        store.decide_brand(b.id, true, None, date!(2020 - 04 - 20)).await.unwrap();
        let named = store.decide_brand(b.id, true, None, date!(2020 - 05 - 01)).await.unwrap();
        assert_eq!((named.status, named.app_stage), (BrandStatus::Cultivating, None));
        store.apply_brand(b.id, None, date!(2021 - 02 - 01)).await.unwrap();
        // A return needs a reason, and ends the application.
        assert!(store.decide_brand(b.id, false, None, date!(2021 - 02 - 05)).await.is_err());
        store.decide_brand(b.id, false, Some("阵地照片不清晰"), date!(2021 - 02 - 05)).await.unwrap();
        store.apply_brand(b.id, None, date!(2021 - 03 - 01)).await.unwrap();
        approve_all(&store, b.id, date!(2021 - 04 - 01)).await;

        // Mature needs every item of 五有 confirmed: the attempt says which are missing.
        let e = store.apply_brand(b.id, None, date!(2022 - 01 - 01)).await.unwrap_err();
        match e {
            StoreError::Invalid(i) => {
                assert_eq!(i.errors[0].field, "standard");
                assert!(i.errors[0].message.contains("有形象化标识"), "{i}");
            }
            e => panic!("{e}"),
        }
        let standard = store.brand_standard(&store.brand(b.id).await.unwrap()).await.unwrap();
        let items: Vec<i64> = standard.standard.unwrap().items.iter().map(|i| i.id).collect();
        assert_eq!(items.len(), 5);
        // No evidence, no confirmation.
        assert!(store.confirm_item(b.id, items[0], true, None, date!(2022 - 01 - 02)).await.is_err());
        for (i, item) in items.iter().enumerate() {
            store.add_evidence(b.id, *item, &text_evidence(&format!("佐证 {i}")), None).await.unwrap();
        }
        for item in &items[..4] {
            store.confirm_item(b.id, *item, true, Some("属实"), date!(2022 - 06 - 01)).await.unwrap();
        }
        assert!(store.apply_brand(b.id, None, date!(2022 - 07 - 01)).await.is_err(), "four of five is not enough");
        let met = store.confirm_item(b.id, items[4], true, None, date!(2022 - 08 - 01)).await.unwrap();
        assert_eq!(met.standard_met_on, Some(date!(2022 - 08 - 01)));
        assert_eq!(count(&store, g.id, 2022, "brands.standard_met").await, 1);
        assert_eq!(count(&store, g.id, 2021, "brands.standard_met").await, 0);
        store.apply_brand(b.id, None, date!(2023 - 01 - 10)).await.unwrap();
        let mature = approve_all(&store, b.id, date!(2023 - 03 - 01)).await;
        assert_eq!(mature.status, BrandStatus::Mature);

        // Status at the end of any past year.
        for (year, key) in [
            (2020, "brands.status.cultivating"),
            (2021, "brands.status.established"),
            (2022, "brands.status.established"),
            (2023, "brands.status.mature"),
            (2024, "brands.status.mature"),
        ] {
            assert_eq!(count(&store, g.id, year, key).await, 1, "{key} in {year}");
            assert_eq!(count(&store, g.id, year, "brands.total").await, 1);
        }
        assert_eq!(count(&store, fj.id, 2023, "brands.mature_or_better").await, 1);
        assert_eq!(count(&store, t[5].id, 2023, "brands.mature_or_better").await, 0, "Inner Mongolia has none");
        assert_eq!(count(&store, g.id, 2022, "brands.mature_or_better").await, 0);
        assert_rollup_exact(&store).await;

        // Withdrawing a confirmation un-meets the standard; naming exemplary is then refused at the last step.
        store.apply_brand(b.id, None, date!(2024 - 01 - 10)).await.unwrap();
        store.decide_brand(b.id, true, None, date!(2024 - 01 - 11)).await.unwrap();
        store.decide_brand(b.id, true, None, date!(2024 - 01 - 12)).await.unwrap();
        store.confirm_item(b.id, items[2], false, None, date!(2024 - 01 - 13)).await.unwrap();
        assert_eq!(count(&store, g.id, 2024, "brands.standard_met").await, 0);
        assert!(store.decide_brand(b.id, true, None, date!(2024 - 01 - 14)).await.is_err());
        store.confirm_item(b.id, items[2], true, None, date!(2024 - 01 - 15)).await.unwrap();
        let top = store.decide_brand(b.id, true, None, date!(2024 - 01 - 16)).await.unwrap();
        assert_eq!(top.status, BrandStatus::Exemplary);
        assert!(store.apply_brand(b.id, None, date!(2024 - 02 - 01)).await.is_err(), "nothing above exemplary");

        // Moved down after review: the count of mature-or-better drops from that year.
        assert!(store.demote_brand(b.id, BrandStatus::Established, " ", date!(2025 - 05 - 01)).await.is_err());
        store.demote_brand(b.id, BrandStatus::Established, "成效不再显著", date!(2025 - 05 - 01)).await.unwrap();
        assert_eq!(count(&store, g.id, 2025, "brands.mature_or_better").await, 0);
        assert_eq!(count(&store, g.id, 2024, "brands.status.exemplary").await, 1);
        assert_eq!(count(&store, g.id, 2025, "brands.status.established").await, 1);

        let history = store.brand_events(b.id).await.unwrap();
        let kinds: Vec<EventKind> = history.iter().map(|e| e.kind).collect();
        assert_eq!(
            kinds[..5],
            [EventKind::Created, EventKind::Applied, EventKind::Preliminary, EventKind::Evaluated, EventKind::Named]
        );
        assert!(kinds.contains(&EventKind::Returned) && kinds.last() == Some(&EventKind::Demoted));
        let returned = history.iter().find(|e| e.kind == EventKind::Returned).unwrap();
        assert_eq!(returned.comment.as_deref(), Some("阵地照片不清晰"));
        // Every application kept a version of what was submitted.
        let applications = kinds.iter().filter(|k| **k == EventKind::Applied).count();
        assert_eq!(store.brand_versions(b.id).await.unwrap().len(), applications);
        assert_rollup_exact(&store).await;
        // A brand with a history cannot be deleted.
        assert!(store.delete_brand(b.id).await.is_err());
        assert!(store.delete_unit(b1.id).await.is_err(), "a unit with brands stays");
    })
    .await;
}

#[tokio::test]
async fn the_standard_comes_from_above_and_revising_it_re_decides_who_meets_it() {
    each_backend(|store| async move {
        let t = tree(&store).await;
        let (g, fj, fz, b1) = (&t[0], &t[1], &t[2], &t[3]);
        store.issue_standard(g.id, &wuyou(), date!(2019 - 01 - 01)).await.unwrap();
        let on = date!(2023 - 01 - 01);
        let fj_brand = store
            .create_brand(fj.id, None, &brand_fields("FJ-B01", "六星", "支部品牌", Some("2018")), None, on)
            .await
            .unwrap();
        let b = store
            .create_brand(b1.id, None, &brand_fields("FJ01-001-B01", "红帆", "支部品牌", None), None, on)
            .await
            .unwrap();

        // Fujian issues its own standard: it applies below Fujian, never to Fujian's own brand.
        let own = StandardInput {
            name: "福建“五有”标准".into(),
            items: WUYOU[..3]
                .iter()
                .map(|(t, _)| StandardItemInput { title: t.to_string(), ..Default::default() })
                .collect(),
        }
        .validate()
        .unwrap();
        let fj_std = store.issue_standard(fj.id, &own, on).await.unwrap();
        assert_eq!(store.applicable_standard(fz).await.unwrap().unwrap().id, fj_std.id);
        assert_eq!(store.applicable_standard(fj).await.unwrap().unwrap().name, WUYOU_NAME);
        let s = store.brand_standard(&b).await.unwrap();
        assert_eq!(s.state.unwrap().items.len(), 3);
        assert_eq!(store.brand_standard(&fj_brand).await.unwrap().state.unwrap().items.len(), 5);

        for item in &fj_std.items {
            store.add_evidence(b.id, item.id, &text_evidence("有"), None).await.unwrap();
            store.confirm_item(b.id, item.id, true, None, date!(2023 - 05 - 01)).await.unwrap();
        }
        assert_eq!(count(&store, g.id, 2023, "brands.standard_met").await, 1);
        // A fourth item: nobody meets the revised standard until it is confirmed too.
        let mut revised = own.clone();
        for (i, it) in revised.items.iter_mut().enumerate() {
            it.id = Some(fj_std.items[i].id);
        }
        revised.items.push(qizhi_core::brand::StandardItemFields {
            id: None,
            title: WUYOU[3].0.into(),
            description: None,
        });
        let v2 = store.issue_standard(fj.id, &revised, date!(2024 - 01 - 01)).await.unwrap();
        assert_eq!(v2.items.len(), 4);
        assert_eq!(v2.items[0].id, fj_std.items[0].id, "kept items keep their id");
        assert_eq!(count(&store, g.id, 2024, "brands.standard_met").await, 0);
        assert_rollup_exact(&store).await;
        // Dropping the new item again: met again, since the day of the last of the three.
        revised.items.pop();
        store.issue_standard(fj.id, &revised, date!(2024 - 02 - 01)).await.unwrap();
        assert_eq!(store.brand(b.id).await.unwrap().standard_met_on, Some(date!(2023 - 05 - 01)));
        assert_eq!(count(&store, g.id, 2023, "brands.standard_met").await, 1);
        assert_rollup_exact(&store).await;

        // Moving Fuzhou under Inner Mongolia: its brands now answer to the group's standard.
        store.move_unit(fz.id, t[5].id).await.unwrap();
        assert_eq!(store.brand(b.id).await.unwrap().standard_met_on, None);
        assert_eq!(count(&store, t[5].id, 2024, "brands.total").await, 1);
        assert_rollup_exact(&store).await;
    })
    .await;
}

#[tokio::test]
async fn structures_move_nest_and_are_kept_in_versions() {
    each_backend(|store| async move {
        let t = tree(&store).await;
        let b = store
            .create_brand(
                t[2].id,
                None,
                &brand_fields("FJ01-B01", "五心领航", "党建品牌", Some("2019")),
                None,
                date!(2019 - 05 - 01),
            )
            .await
            .unwrap();
        let el = |kind: &str, title: &str| {
            ElementInput { kind: kind.into(), title: title.into(), text: None }.validate().unwrap()
        };
        let hearts = store.add_element(b.id, None, &el("分组", "五心")).await.unwrap();
        let first = store.add_element(b.id, Some(hearts.id), &el("理念", "不忘初心")).await.unwrap();
        let second = store.add_element(b.id, Some(hearts.id), &el("理念", "秉持匠心")).await.unwrap();
        let projects = store.add_element(b.id, None, &el("分组", "三项工程")).await.unwrap();
        store.add_element(b.id, None, &el("工程", "政治引领工程")).await.unwrap();
        let titles = |t: &[ElementTree]| -> Vec<String> {
            qizhi_core::brand::outline_of(t).into_iter().map(|(n, f)| format!("{n} {}", f.title)).collect()
        };
        // Indent puts 政治引领工程 into 三项工程; Up swaps 秉持匠心 before 不忘初心.
        let elements = store.brand_elements(b.id).await.unwrap();
        let project = elements.iter().find(|e| e.fields.title == "政治引领工程").unwrap().id;
        store.move_element(b.id, project, ElementMove::Indent).await.unwrap();
        store.move_element(b.id, second.id, ElementMove::Up).await.unwrap();
        store.move_element(b.id, first.id, ElementMove::Down).await.unwrap(); // already last: nothing
        let tree = store.brand_structure(b.id).await.unwrap();
        assert_eq!(titles(&tree), ["1 五心", "1.1 秉持匠心", "1.2 不忘初心", "2 三项工程", "2.1 政治引领工程"]);
        store.move_element(b.id, project, ElementMove::Outdent).await.unwrap();
        assert_eq!(titles(&store.brand_structure(b.id).await.unwrap())[3..], ["2 三项工程", "3 政治引领工程"]);
        store.update_element(b.id, projects.id, &el("工程", "三项工程（2024版）")).await.unwrap();

        let v = store.save_brand_version(b.id, Some("迭代升级"), date!(2024 - 01 - 01)).await.unwrap();
        assert_eq!(store.delete_element(b.id, hearts.id).await.unwrap(), 3);
        let (_, snap) = store.brand_version(b.id, v).await.unwrap();
        assert_eq!(titles(&snap.elements)[0], "1 五心", "the version keeps the structure as it was");
        assert_eq!(titles(&store.brand_structure(b.id).await.unwrap()), ["1 三项工程（2024版）", "2 政治引领工程"]);
        // Too deep: refused.
        let mut parent = None;
        for i in 0..5 {
            parent = Some(store.add_element(b.id, parent, &el("其他", &format!("层{i}"))).await.unwrap().id);
        }
        assert!(store.add_element(b.id, parent, &el("其他", "第六层")).await.is_err());
        let fresh = vec![ElementTree {
            fields: ElementFields { kind: ElementKind::Thought, title: "1 个指导思想".into(), text: None },
            children: vec![],
        }];
        assert_eq!(store.replace_structure(b.id, &fresh).await.unwrap(), 1);
        assert_eq!(store.brand_elements(b.id).await.unwrap().len(), 1);
        // A draft brand can go, structure and all.
        store.delete_brand(b.id).await.unwrap();
        assert_rollup_exact(&store).await;
    })
    .await;
}

#[tokio::test]
async fn sub_brands_stay_under_their_main_brand_owner_and_lists_apply_scope() {
    each_backend(|store| async move {
        let t = tree(&store).await;
        let (g, fj, fz, b1, b2, nm) = (&t[0], &t[1], &t[2], &t[3], &t[4], &t[5]);
        let on = date!(2024 - 01 - 01);
        let main =
            store.create_brand(fj.id, None, &brand_fields("FJ-B01", "六星", "支部品牌", None), None, on).await.unwrap();
        let sub = store
            .create_brand(b1.id, Some(main.id), &brand_fields("FJ01-001-B01", "一星", "支部品牌", None), None, on)
            .await
            .unwrap();
        store
            .create_brand(b2.id, Some(main.id), &brand_fields("FJ01-002-B01", "二星", "支部品牌", None), None, on)
            .await
            .unwrap();
        // A brand of Inner Mongolia cannot sit under Fujian's.
        assert!(
            store
                .create_brand(nm.id, Some(main.id), &brand_fields("NM-B01", "北疆", "党建品牌", None), None, on)
                .await
                .is_err()
        );
        // No loops.
        let e = store.update_brand(main.id, Some(sub.id), &main.fields, LogoChange::Keep).await.unwrap_err();
        assert!(matches!(e, StoreError::Conflict { .. }), "{e}");
        store
            .create_brand(nm.id, None, &brand_fields("NM-B01", "北疆先锋行动", "党建品牌", None), None, on)
            .await
            .unwrap();
        // Duplicate codes are a conflict on the code.
        match store
            .create_brand(fz.id, None, &brand_fields("NM-B01", "重复", "党建品牌", None), None, on)
            .await
            .unwrap_err()
        {
            StoreError::Conflict { field, .. } => assert_eq!(field, "code"),
            e => panic!("{e}"),
        }

        let q = BrandQuery { per_page: 50, ..Default::default() };
        assert_eq!(store.brands(g, &Scope::All, &q).await.unwrap().total, 4);
        let Page { total: n, items: list } =
            store.brands(g, &Scope::subtrees(vec![fz.path.clone()]), &q).await.unwrap();
        assert_eq!(n, 2, "a Fuzhou admin sees Fuzhou's two");
        assert!(list.iter().all(|l| l.unit_path.starts_with(&fz.path)));
        let mains = BrandQuery { main_only: true, per_page: 50, ..Default::default() };
        assert_eq!(store.brands(g, &Scope::All, &mains).await.unwrap().total, 2);
        let listed = store.brand_listed(main.id).await.unwrap();
        assert_eq!(listed.sub_brands, 2);
        assert_eq!(store.sub_brands(main.id, &Scope::subtrees(vec![b1.path.clone()])).await.unwrap().len(), 1);
        let search = BrandQuery { q: "北疆".into(), per_page: 10, ..Default::default() };
        assert_eq!(store.brands(g, &Scope::All, &search).await.unwrap().items[0].brand.fields.code, "NM-B01");
        assert_eq!(store.brand_heritages(g, &Scope::All).await.unwrap(), ["红船精神"]);
        assert_eq!(store.suggest_brand_code(fj).await.unwrap(), "FJ-B02");
        assert_rollup_exact(&store).await;
    })
    .await;
}

#[tokio::test]
async fn honors_count_in_the_year_awarded_wherever_they_are_filed() {
    each_backend(|store| async move {
        let t = tree(&store).await;
        let (g, fj, b1, nm) = (&t[0], &t[1], &t[3], &t[5]);
        let b = store
            .create_brand(
                b1.id,
                None,
                &brand_fields("FJ01-001-B01", "红中台", "支部品牌", None),
                None,
                date!(2020 - 01 - 01),
            )
            .await
            .unwrap();
        let honor = |title: &str, level: &str, on: &str, kind: &str, holder: &str| {
            HonorInput {
                title: title.into(),
                level: level.into(),
                issuer: Some("共青团中央、国务院国资委".into()),
                awarded_on: on.into(),
                holder_kind: kind.into(),
                holder_name: holder.into(),
                note: None,
            }
            .validate()
            .unwrap()
        };
        let h1 = store
            .create_honor(
                b1.id,
                &honor("中央企业青年文明号", "中央企业级", "2022-05-04", "组织", ""),
                Some(b1.id.0),
                Some(b.id),
                None,
            )
            .await
            .unwrap();
        assert_eq!(h1.fields.holder_name, b1.name, "the holder's own name is kept");
        store
            .create_honor(
                b1.id,
                &honor("行业优秀班组", "国家级", "2023-03-01", "团队", "订单受理班组"),
                None,
                Some(b.id),
                None,
            )
            .await
            .unwrap();
        let by_brand = store
            .create_honor(b1.id, &honor("优秀党建品牌", "集团级", "2023-07-01", "品牌", ""), Some(b.id.0), None, None)
            .await
            .unwrap();
        assert_eq!(by_brand.brand_id, Some(b.id), "a brand holder links the brand");
        assert!(
            store
                .create_honor(b1.id, &honor("x", "集团级", "2023-07-01", "个人", "无名"), Some(999_999), None, None)
                .await
                .is_err()
        );

        assert_eq!(count(&store, g.id, 2022, "honors.total").await, 1);
        assert_eq!(count(&store, fj.id, 2023, "honors.total").await, 2);
        assert_eq!(count(&store, g.id, 2023, "honors.level.national").await, 1);
        let span = store.figures(g.id, Span { from: 2022, to: 2023 }).await.unwrap();
        assert_eq!(span["honors.total"], Value::Count(3));
        assert_eq!(store.brand_honors(b.id, &Scope::All).await.unwrap().len(), 3);

        // Filed under another unit, the counts move with it.
        let f = honor("中央企业青年文明号", "中央企业级", "2022-05-04", "组织", "");
        store
            .update_honor(h1.id, nm.id, &f, Some(nm.id.0), None, qizhi_store::honors::EvidenceChange::Keep)
            .await
            .unwrap();
        assert_eq!(count(&store, fj.id, 2022, "honors.total").await, 0);
        assert_eq!(count(&store, nm.id, 2022, "honors.level.central_soe").await, 1);
        let q = qizhi_store::honors::HonorQuery {
            years: Some(qizhi_core::figures::Span::year(2023)),
            per_page: 10,
            ..Default::default()
        };
        assert_eq!(store.honors(g, &Scope::All, &q).await.unwrap().total, 2);
        store.delete_honor(by_brand.id).await.unwrap();
        assert_eq!(count(&store, g.id, 2023, "honors.level.group").await, 0);
        assert_rollup_exact(&store).await;
    })
    .await;
}

fn climb(on: Date) -> Vec<HistoryStep> {
    [EventKind::Applied, EventKind::Preliminary, EventKind::Evaluated, EventKind::Named]
        .into_iter()
        .map(|k| HistoryStep::new(k, on))
        .collect()
}

#[tokio::test]
async fn the_bulk_path_loads_histories_and_ledgers_whole_or_not_at_all() {
    each_backend(|store| async move {
        let t = tree(&store).await;
        let (g, fj) = (&t[0], &t[1]);
        let tree = vec![ElementTree {
            fields: ElementFields { kind: ElementKind::Group, title: "五心".into(), text: None },
            children: vec![ElementTree {
                fields: ElementFields { kind: ElementKind::Concept, title: "不忘初心".into(), text: None },
                children: vec![],
            }],
        }];
        let history = BrandHistory {
            created_on: date!(2019 - 03 - 01),
            steps: [climb(date!(2019 - 06 - 01)), climb(date!(2020 - 06 - 01)), climb(date!(2022 - 06 - 01))].concat(),
            elements: tree,
            evidence: (0..5).map(|i| (i, text_evidence("阵地"), date!(2021 - 01 - 01))).collect(),
            confirmed: (0..5).map(|i| (i, date!(2021 - 06 - 01))).collect(),
        };
        let mut batch = Batch::default();
        batch.brands.standards.push(StandardRow {
            line: 1,
            unit_code: "CU".into(),
            fields: wuyou(),
            issued_on: date!(2018 - 01 - 01),
        });
        batch.brands.brands.push(BrandRow {
            line: 2,
            unit_code: "FJ01".into(),
            parent_code: Some("FJ-B01".into()),
            fields: brand_fields("FJ01-B01", "五心领航", "党建品牌", Some("2019")),
            status: None,
            history: Some(history.clone()),
        });
        batch.brands.brands.push(BrandRow {
            line: 3,
            unit_code: "FJ".into(),
            parent_code: None,
            fields: brand_fields("FJ-B01", "六星", "支部品牌", None),
            status: None,
            history: Some(BrandHistory {
                steps: vec![],
                evidence: vec![],
                confirmed: vec![],
                elements: vec![],
                ..history.clone()
            }),
        });
        let h = HonorInput {
            title: "天津市文明单位".into(),
            level: "省部级".into(),
            awarded_on: "2024-01-18".into(),
            holder_kind: "品牌".into(),
            holder_name: "x".into(),
            ..Default::default()
        }
        .validate()
        .unwrap();
        batch.brands.honors.push(HonorRow {
            line: 4,
            unit_code: "FJ01".into(),
            fields: h.clone(),
            holder_code: Some("FJ01-B01".into()),
            brand_code: None,
        });
        store.load(&batch, &mut |_, _| {}).await.unwrap();

        let b = store.brand_by_code("FJ01-B01").await.unwrap().unwrap();
        assert_eq!((b.status, b.version, b.standard_met_on), (BrandStatus::Mature, 3, Some(date!(2021 - 06 - 01))));
        assert_eq!(b.parent_id, Some(store.brand_by_code("FJ-B01").await.unwrap().unwrap().id));
        assert_eq!(store.brand_events(b.id).await.unwrap().len(), 13);
        assert_eq!(store.brand_structure(b.id).await.unwrap()[0].children[0].fields.title, "不忘初心");
        assert_eq!(count(&store, g.id, 2020, "brands.status.established").await, 1);
        assert_eq!(count(&store, fj.id, 2022, "brands.mature_or_better").await, 1);
        assert_eq!(count(&store, g.id, 2024, "honors.total").await, 1);
        let honors = store.brand_honors(b.id, &Scope::All).await.unwrap();
        assert_eq!(honors[0].honor.fields.holder_name, "五心领航");
        assert_rollup_exact(&store).await;

        // Ledger rows: a status typed in is refused, as are unknown units and repeated codes; nothing is written.
        let mut bad = Batch::default();
        bad.brands.brands.push(BrandRow {
            line: 2,
            unit_code: "FJ01".into(),
            parent_code: None,
            fields: brand_fields("FJ01-B01", "五心领航（新）", "党建品牌", Some("2019")),
            status: Some(BrandStatus::Exemplary),
            history: None,
        });
        bad.brands.brands.push(BrandRow {
            line: 3,
            unit_code: "XX".into(),
            parent_code: None,
            fields: brand_fields("XX-B1", "x", "党建品牌", None),
            status: None,
            history: None,
        });
        bad.brands.brands.push(BrandRow {
            line: 4,
            unit_code: "FJ".into(),
            parent_code: None,
            fields: brand_fields("FJ-B09", "新品牌", "党建品牌", None),
            status: Some(BrandStatus::Mature),
            history: None,
        });
        bad.brands.elements.push(ElementRow {
            line: 5,
            brand_code: "FJ01-B01".into(),
            outline: vec![1, 2],
            fields: tree_fields("孤儿"),
        });
        match store.load(&bad, &mut |_, _| {}).await.unwrap_err() {
            LoadError::Rows(rows) => {
                let found: Vec<(usize, &str)> = rows.iter().map(|r| (r.line, r.field)).collect();
                assert_eq!(found, [(2, "status"), (3, "unit_code"), (4, "status"), (5, "outline")], "{rows:?}");
            }
            e => panic!("{e}"),
        }
        assert_eq!(store.brand_by_code("FJ01-B01").await.unwrap().unwrap().fields.name, "五心领航");

        // A good ledger: a field edit (status as it is), a new draft, a new structure, an honor updated in place.
        let mut good = Batch::default();
        good.brands.brands.push(BrandRow {
            line: 2,
            unit_code: "FJ01".into(),
            parent_code: Some("FJ-B01".into()),
            fields: brand_fields("FJ01-B01", "五心领航", "党建品牌", Some("2018")),
            status: Some(BrandStatus::Mature),
            history: None,
        });
        good.brands.brands.push(BrandRow {
            line: 3,
            unit_code: "FJ".into(),
            parent_code: None,
            fields: brand_fields("FJ-B09", "新品牌", "党建活动品牌", None),
            status: None,
            history: None,
        });
        for (line, outline, title) in [(2, vec![2], "三项工程"), (3, vec![1], "五心"), (4, vec![2, 1], "政治引领")]
        {
            good.brands.elements.push(ElementRow {
                line,
                brand_code: "FJ01-B01".into(),
                outline,
                fields: tree_fields(title),
            });
        }
        let h2 = qizhi_core::brand::HonorFields {
            issuer: Some("天津市精神文明建设委员会".into()),
            holder_name: "五心领航".into(),
            ..h
        };
        good.brands.honors.push(HonorRow {
            line: 2,
            unit_code: "FJ01".into(),
            fields: h2,
            holder_code: Some("FJ01-B01".into()),
            brand_code: None,
        });
        let summary = store.load(&good, &mut |_, _| {}).await.unwrap();
        assert_eq!(summary.created, 1);
        let b = store.brand_by_code("FJ01-B01").await.unwrap().unwrap();
        assert_eq!(b.fields.founded_year, Some(2018));
        let titles: Vec<String> = qizhi_core::brand::outline_of(&store.brand_structure(b.id).await.unwrap())
            .into_iter()
            .map(|(n, f)| format!("{n} {}", f.title))
            .collect();
        assert_eq!(titles, ["1 五心", "2 三项工程", "2.1 政治引领"]);
        assert_eq!(count(&store, g.id, 2024, "honors.total").await, 1, "updated in place, not added");
        assert_eq!(count(&store, g.id, 2018, "brands.total").await, 1, "counted from the new founding year");
        let draft = store.brand_by_code("FJ-B09").await.unwrap().unwrap();
        assert_eq!(draft.status, BrandStatus::Draft);
        assert_rollup_exact(&store).await;
    })
    .await;
}

fn tree_fields(title: &str) -> ElementFields {
    ElementFields { kind: ElementKind::Other, title: title.into(), text: None }
}
