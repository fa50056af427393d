//! The organization in the store: tree, people, grids, figures, scope, bulk
//! load, and the rollups staying equal to a recount after every kind of write.

mod common;

use common::each_backend;
use qizhi_core::figures::{Span, Value};
use qizhi_core::grid::GridInput;
use qizhi_core::ids::UnitId;
use qizhi_core::org::{Unit, UnitInput};
use qizhi_core::person::PersonInput;
use qizhi_store::load::{Batch, LoadError, PersonRow, UnitRow};
use qizhi_store::people::PeopleQuery;
use qizhi_store::{Page, Scope, Store, StoreError};

fn unit_fields(code: &str, kind: &str, founded: Option<&str>) -> qizhi_core::org::UnitFields {
    UnitInput {
        code: code.into(),
        name: format!("{code} 组织"),
        kind: kind.into(),
        founded: founded.map(Into::into),
        ..Default::default()
    }
    .validate()
    .unwrap()
}

fn member(name: &str, category: &str, join: Option<&str>) -> qizhi_core::person::PersonFields {
    PersonInput { name: name.into(), category: category.into(), join_date: join.map(Into::into), ..Default::default() }
        .validate()
        .unwrap()
}

async fn count(store: &Store, unit: UnitId, key: &str) -> i64 {
    let value = store.figures(unit, Span { from: 2026, to: 2026 }).await.unwrap()[key];
    value.count().unwrap_or_else(|| panic!("{key} is not a count"))
}

async fn assert_rollup_exact(store: &Store) {
    assert_eq!(store.stored_rollup().await.unwrap(), store.recompute().await.unwrap(), "rollup differs from a recount");
}

/// Group → two provinces → a committee each → branches.
async fn small_tree(store: &Store) -> Vec<Unit> {
    let g = store.create_unit(None, &unit_fields("CU", "党组", None)).await.unwrap();
    let fj = store.create_unit(Some(g.id), &unit_fields("FJ", "党委", Some("2000-01-01"))).await.unwrap();
    let nm = store.create_unit(Some(g.id), &unit_fields("NM", "党委", None)).await.unwrap();
    let fz = store.create_unit(Some(fj.id), &unit_fields("FJ01", "党委", None)).await.unwrap();
    let b1 = store.create_unit(Some(fz.id), &unit_fields("FJ01-001", "党支部", Some("2019-05-01"))).await.unwrap();
    let b2 = store.create_unit(Some(fz.id), &unit_fields("FJ01-002", "党支部", Some("2024-03-01"))).await.unwrap();
    let b3 = store.create_unit(Some(nm.id), &unit_fields("NM-001", "党支部", None)).await.unwrap();
    vec![g, fj, nm, fz, b1, b2, b3]
}

#[tokio::test]
async fn the_tree_counts_and_moves() {
    each_backend(|store| async move {
        let t = small_tree(&store).await;
        let (g, fj, nm, fz, b1) = (&t[0], &t[1], &t[2], &t[3], &t[4]);
        assert_eq!(count(&store, g.id, "org.units").await, 7);
        assert_eq!(count(&store, g.id, "org.branches").await, 3);
        assert_eq!(count(&store, fj.id, "org.branches").await, 2);
        // Stock figures count what existed by the end of the span.
        let f2020 = store.figures(fj.id, Span { from: 2020, to: 2020 }).await.unwrap();
        assert_eq!(f2020["org.branches"], Value::Count(1));

        // A unit's kind must fit its parent.
        let err = store.create_unit(Some(b1.id), &unit_fields("X", "党委", None)).await.unwrap_err();
        assert!(matches!(err, StoreError::Conflict { .. }), "{err}");
        // A second root is refused; duplicate codes are a conflict on `code`.
        assert!(store.create_unit(None, &unit_fields("ROOT2", "党组", None)).await.is_err());
        match store.create_unit(Some(fz.id), &unit_fields("FJ01-001", "党支部", None)).await.unwrap_err() {
            StoreError::Conflict { field, .. } => assert_eq!(field, "code"),
            e => panic!("{e}"),
        }

        // Moving Fuzhou (and its branches) from Fujian to Inner Mongolia.
        let (_, moved) = store.move_unit(fz.id, nm.id).await.unwrap();
        assert!(moved.path.starts_with(&nm.path));
        let b1_after = store.unit(b1.id).await.unwrap();
        assert_eq!(b1_after.path, format!("{}{}/", moved.path, b1.id));
        assert_eq!(b1_after.depth, 3);
        assert_eq!(count(&store, fj.id, "org.branches").await, 0);
        assert_eq!(count(&store, nm.id, "org.branches").await, 3);
        assert_eq!(count(&store, g.id, "org.branches").await, 3);
        assert!(store.move_unit(nm.id, fz.id).await.is_err(), "a unit cannot move under its own subtree");
        assert_rollup_exact(&store).await;

        // Search by code prefix and by name, within scope.
        let hits = store.search_units("FJ01", &Scope::All, 10).await.unwrap();
        assert_eq!(hits[0].code, "FJ01");
        let scoped = store.search_units("FJ01", &Scope::subtrees(vec![fj.path.clone()]), 10).await.unwrap();
        assert!(scoped.is_empty(), "Fuzhou is no longer under Fujian");
        let children = store.children(nm.id).await.unwrap();
        assert_eq!(children.iter().map(|c| c.unit.code.as_str()).collect::<Vec<_>>(), ["FJ01", "NM-001"]);
        assert_eq!(children[0].child_count, 2);

        // Deleting: refused while children exist; fine for an empty unit.
        assert!(store.delete_unit(fz.id).await.is_err());
        store.delete_unit(t[6].id).await.unwrap();
        assert_eq!(count(&store, g.id, "org.units").await, 6);
        assert_rollup_exact(&store).await;
    })
    .await;
}

#[tokio::test]
async fn people_count_page_and_transfer() {
    each_backend(|store| async move {
        let t = small_tree(&store).await;
        let (g, fj, b1, b3) = (&t[0], &t[1], &t[4], &t[6]);
        for i in 0..30 {
            let cat = if i % 3 == 0 { "团员" } else { "正式党员" };
            store.create_person(b1.id, &member(&format!("党员{i:02}"), cat, Some("2010-07-01"))).await.unwrap();
        }
        let p = store.create_person(b3.id, &member("王五", "预备党员", Some("2026-01-10"))).await.unwrap();
        assert_eq!(count(&store, g.id, "org.people").await, 31);
        assert_eq!(count(&store, g.id, "org.members").await, 21);
        assert_eq!(count(&store, fj.id, "org.members").await, 20);
        // In 2025 the probationary member had not joined yet.
        let f = store.figures(g.id, Span { from: 2025, to: 2025 }).await.unwrap();
        assert_eq!(f["org.members"], Value::Count(20));

        let q = PeopleQuery { q: String::new(), category: None, page: 2, per_page: 20 };
        let Page { total, items: page } = store.people(g, &Scope::All, &q).await.unwrap();
        assert_eq!((total, page.len()), (31, 11));
        let q = PeopleQuery { q: "党员0".into(), category: None, page: 1, per_page: 20 };
        assert_eq!(store.people(g, &Scope::All, &q).await.unwrap().total, 10);
        // A scope outside the people sees none of them.
        let q = PeopleQuery { per_page: 50, ..Default::default() };
        let Page { total: n, .. } = store.people(g, &Scope::subtrees(vec![t[2].path.clone()]), &q).await.unwrap();
        assert_eq!(n, 1);

        // Transfer to Fujian and become a full member.
        store.update_person(p.id, b1.id, &member("王五", "正式党员", Some("2026-01-10"))).await.unwrap();
        assert_eq!(count(&store, fj.id, "org.members").await, 21);
        store.delete_person(p.id).await.unwrap();
        assert_eq!(count(&store, g.id, "org.people").await, 30);
        assert_rollup_exact(&store).await;
    })
    .await;
}

#[tokio::test]
async fn grids_list_a_page_of_a_subtree_in_scope_and_search_any_case() {
    each_backend(|store| async move {
        let t = small_tree(&store).await;
        let (g, fj, nm, fz) = (&t[0], &t[1], &t[2], &t[3]);
        for (unit, code, name) in [(fz, "FJG1", "鼓楼 Grid"), (fz, "FJG2", "台江网格"), (nm, "NMG1", "呼和 grid")]
        {
            let f = GridInput { code: code.into(), name: name.into() }.validate().unwrap();
            store.save_grid(unit.id, &f, None).await.unwrap();
        }
        let codes = |p: qizhi_store::Page<qizhi_store::grids::GridListed>| {
            (p.total, p.items.into_iter().map(|l| l.grid.code).collect::<Vec<_>>())
        };
        assert_eq!(
            codes(store.grids(g, &Scope::All, "", 1, 50).await.unwrap()),
            (3, vec!["FJG1".into(), "FJG2".into(), "NMG1".into()])
        );
        assert_eq!(codes(store.grids(g, &Scope::All, "", 2, 2).await.unwrap()), (3, vec!["NMG1".into()]));
        let fj_only = Scope::subtrees(vec![fj.path.clone()]);
        assert_eq!(codes(store.grids(g, &fj_only, "", 1, 50).await.unwrap()).0, 2, "scope applies");
        assert_eq!(codes(store.grids(g, &Scope::All, "GRID", 1, 50).await.unwrap()).1, ["FJG1", "NMG1"]);
        assert_eq!(codes(store.grids(g, &Scope::All, "fjg2", 1, 50).await.unwrap()).1, ["FJG2"], "a code in any case");
        let listed = store.grids(fz, &Scope::All, "", 1, 50).await.unwrap();
        assert_eq!(listed.items[0].unit_code, "FJ01");
    })
    .await;
}

#[tokio::test]
async fn grid_coverage_follows_contact_units() {
    each_backend(|store| async move {
        let t = small_tree(&store).await;
        let (nm, b3) = (&t[2], &t[6]);
        for i in 0..4 {
            let f = GridInput { code: format!("G{i}"), name: format!("网格{i}") }.validate().unwrap();
            let contact = (i < 3).then_some(b3.id);
            store.save_grid(nm.id, &f, contact).await.unwrap();
        }
        let f = store.figures(nm.id, Span { from: 2026, to: 2026 }).await.unwrap();
        assert_eq!(f["grids.total"], Value::Count(4));
        assert_eq!(f["grids.coverage_rate"], Value::Rate(0.75));
        // Saving the same code again updates it: now covered.
        let g3 = GridInput { code: "G3".into(), name: "网格3".into() }.validate().unwrap();
        store.save_grid(nm.id, &g3, Some(b3.id)).await.unwrap();
        let f = store.figures(t[0].id, Span { from: 2026, to: 2026 }).await.unwrap();
        assert_eq!(f["grids.coverage_rate"], Value::Rate(1.0));
        assert_rollup_exact(&store).await;
    })
    .await;
}

#[tokio::test]
async fn a_bad_row_writes_nothing_and_the_fixed_batch_writes_all() {
    each_backend(|store| async move {
        let t = small_tree(&store).await;
        let mut batch = Batch::default();
        batch.units.push(UnitRow {
            line: 2,
            parent_code: Some("FJ02".into()),
            fields: unit_fields("FJ02-001", "党支部", None),
        });
        batch.units.push(UnitRow {
            line: 3,
            parent_code: Some("FJ".into()),
            fields: unit_fields("FJ02", "党委", None),
        });
        for i in 0..2000 {
            let code = if i == 1234 { "NOPE" } else { "FJ02-001" };
            batch.people.push(PersonRow {
                line: i + 2,
                unit_code: code.into(),
                fields: member(&format!("人{i}"), "正式党员", None),
            });
        }
        let before = store.stored_rollup().await.unwrap();
        match store.load(&batch, &mut |_, _| {}).await.unwrap_err() {
            LoadError::Rows(errors) => {
                assert_eq!(errors.len(), 1);
                assert_eq!((errors[0].line, errors[0].field), (1236, "unit_code"));
            }
            e => panic!("{e}"),
        }
        assert!(store.unit_by_code("FJ02").await.unwrap().is_none(), "nothing written");
        assert_eq!(store.stored_rollup().await.unwrap(), before);

        batch.people[1234].unit_code = "FJ02-001".into();
        let mut last = (0, 0);
        let summary = store.load(&batch, &mut |d, n| last = (d, n)).await.unwrap();
        assert_eq!(summary.created, 2002);
        assert_eq!(last, (2002, 2002));
        assert_eq!(count(&store, t[1].id, "org.members").await, 2000);
        assert_eq!(count(&store, t[1].id, "org.branches").await, 3);
        assert_rollup_exact(&store).await;
    })
    .await;
}

#[tokio::test]
async fn random_writes_keep_every_counter_exact() {
    each_backend(|store| async move {
        let t = small_tree(&store).await;
        let mut seed: u64 = 0x5eed;
        let mut next = move |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) as usize) % n
        };
        let mut units: Vec<UnitId> = t.iter().map(|u| u.id).collect();
        let mut people = vec![];
        for step in 0..120 {
            match next(6) {
                0 => {
                    let parent = store.unit(units[next(units.len())]).await.unwrap();
                    let kind = if parent.kind == qizhi_core::org::UnitKind::Branch { "党小组" } else { "党支部" };
                    if parent.kind != qizhi_core::org::UnitKind::PartyGroup
                        && let Ok(u) = store
                            .create_unit(Some(parent.id), &unit_fields(&format!("R{step}"), kind, Some("2021-01-01")))
                            .await
                    {
                        units.push(u.id);
                    }
                }
                1 | 2 => {
                    let cat = ["正式党员", "预备党员", "团员", "群众"][next(4)];
                    let join = ["2015-01-01", "2026-02-02"][next(2)];
                    let u = units[next(units.len())];
                    people
                        .push(store.create_person(u, &member(&format!("P{step}"), cat, Some(join))).await.unwrap().id);
                }
                3 if !people.is_empty() => {
                    let p = people[next(people.len())];
                    let _ = store.update_person(p, units[next(units.len())], &member("改", "正式党员", None)).await;
                }
                4 => {
                    let _ = store.move_unit(units[next(units.len())], units[next(units.len())]).await;
                }
                _ if !people.is_empty() => {
                    let p = people.swap_remove(next(people.len()));
                    store.delete_person(p).await.unwrap();
                }
                _ => {}
            }
        }
        assert_rollup_exact(&store).await;
        // Rebuilding from scratch gives the same table.
        store.rebuild_rollup().await.unwrap();
        assert_rollup_exact(&store).await;
    })
    .await;
}
