//! Fortresses, flags, tasks and their ledgers, commitments and teams in the
//! store: figures of the unit and every ancestor change with each write, the
//! rollup stays equal to a recount, lists filter in SQL, bulk loads write all
//! rows or none, and a re-imported ledger applies only what changed.

mod common;

use common::each_backend;
use qizhi_core::commitments::{CommitmentInput, Status};
use qizhi_core::figures::{Span, Value};
use qizhi_core::grid::{GridInput, ScenarioInput};
use qizhi_core::ids::{PersonId, TaskId, UnitId};
use qizhi_core::org::{Unit, UnitInput};
use qizhi_core::person::PersonInput;
use qizhi_core::tasks::{EntryFields, EntryInput, FlagInput, FortressInput, TaskInput, TaskKind, TaskStatus};
use qizhi_core::teams::TeamInput;
use qizhi_store::load::{Batch, LoadError};
use qizhi_store::tasks::{BulkChange, TaskQuery};
use qizhi_store::tasks_load::{CommitmentRow, EntryRow, PersonRef, ProgressReport, TaskRow};
use qizhi_store::{Page, Scope, Store, StoreError};
use time::Date;
use time::macros::date;

const Y2024: Span = Span { from: 2024, to: 2024 };

fn unit_fields(code: &str, kind: &str) -> qizhi_core::org::UnitFields {
    UnitInput { code: code.into(), name: format!("{code} 组织"), kind: kind.into(), ..Default::default() }
        .validate()
        .unwrap()
}

struct Tree {
    units: Vec<Unit>,
    people: Vec<PersonId>,
}

impl Tree {
    fn u(&self, i: usize) -> &Unit {
        &self.units[i]
    }
}

/// CU → GZ → GZ01 → GZ01-001, GZ01-002; CU → NM → NM-001. Two members and
/// a league member in GZ01-001, one member in GZ01-002, one in NM-001.
async fn tree(store: &Store) -> Tree {
    let cu = store.create_unit(None, &unit_fields("CU", "党组")).await.unwrap();
    let gz = store.create_unit(Some(cu.id), &unit_fields("GZ", "党委")).await.unwrap();
    let gz01 = store.create_unit(Some(gz.id), &unit_fields("GZ01", "党委")).await.unwrap();
    let b1 = store.create_unit(Some(gz01.id), &unit_fields("GZ01-001", "党支部")).await.unwrap();
    let b2 = store.create_unit(Some(gz01.id), &unit_fields("GZ01-002", "党支部")).await.unwrap();
    let nm = store.create_unit(Some(cu.id), &unit_fields("NM", "党委")).await.unwrap();
    let nb = store.create_unit(Some(nm.id), &unit_fields("NM-001", "党支部")).await.unwrap();
    let mut people = vec![];
    for (unit, name, category, idn) in [
        (&b1, "张明", "正式党员", "52010119800101001"),
        (&b1, "李华", "预备党员", "52010119850101002"),
        (&b1, "王青", "团员", "52010119990101003"),
        (&b2, "赵敏", "正式党员", "52010119820101004"),
        (&nb, "孟和", "正式党员", "15010219800101005"),
    ] {
        let f = PersonInput {
            name: name.into(),
            category: category.into(),
            id_number: Some(qizhi_core::person::id_number_with_check(idn)),
            ..Default::default()
        }
        .validate()
        .unwrap();
        people.push(store.create_person(unit.id, &f).await.unwrap().id);
    }
    Tree { units: vec![cu, gz, gz01, b1, b2, nm, nb], people }
}

async fn figure(store: &Store, unit: UnitId, key: &str) -> Value {
    store.figures(unit, Y2024).await.unwrap()[key]
}

async fn count(store: &Store, unit: UnitId, key: &str) -> i64 {
    figure(store, unit, key).await.count().unwrap_or_else(|| panic!("{key} is not a count"))
}

async fn assert_rollup_exact(store: &Store) {
    assert_eq!(store.stored_rollup().await.unwrap(), store.recompute().await.unwrap(), "rollup differs from a recount");
}

fn task_input(kind: &str, name: &str, due: &str, responsible: &[PersonId]) -> TaskInput {
    TaskInput {
        kind: kind.into(),
        name: name.into(),
        due_on: Some(due.into()),
        start_on: Some("2024-01-10".into()),
        responsible: responsible.iter().map(|p| p.0).collect(),
        ..Default::default()
    }
}

fn entry(on: Date, progress: i32, note: &str) -> EntryFields {
    EntryFields { entry_on: on, progress, note: Some(note.into()) }
}

#[tokio::test]
async fn a_fortress_covers_its_grid_and_its_flag_counts_until_it_closes() {
    each_backend(|store| async move {
        let t = tree(&store).await;
        let (gz, gz01, b1) = (t.u(1), t.u(2), t.u(3));
        let grid = GridInput { code: "GZ01-G001".into(), name: "城东网格".into() }.validate().unwrap();
        let grid = store.save_grid(gz01.id, &grid, None).await.unwrap();
        let scenario = ScenarioInput { code: "GZ-S01".into(), name: "网络建设".into(), description: None };
        let scenario = store.save_scenario(gz.id, &scenario.validate().unwrap()).await.unwrap();
        assert_eq!(count(&store, gz.id, "grids.covered").await, 0);

        let input = FortressInput {
            code: "GZ01-001-F1".into(),
            name: "城东网格党员堡垒".into(),
            grid_id: Some(grid.id.0),
            scenario_id: Some(scenario.id.0),
            set_up_on: "2022-04-01".into(),
            leader_id: Some(t.people[0].0),
            ..Default::default()
        };
        let f = store.create_fortress(b1.id, &input.validate().unwrap()).await.unwrap();
        assert!(store.grid(grid.id).await.unwrap().covered, "a standing fortress covers its grid");
        for u in [&t.units[0], gz, gz01, b1] {
            assert_eq!(count(&store, u.id, "fortresses.total").await, 1, "{}", u.code);
            assert_eq!(count(&store, u.id, "flags.total").await, 0);
        }
        // The grid is the city's: covered counts along the city's lineage.
        for u in [&t.units[0], gz, gz01] {
            assert_eq!(count(&store, u.id, "grids.covered").await, 1, "{}", u.code);
        }
        assert_eq!(count(&store, t.u(5).id, "fortresses.total").await, 0, "not in another province");

        let flag =
            FlagInput {
                name: "党员先锋旗".into(), planted_on: "2022-05-04".into(), leader_id: Some(t.people[0].0)
            };
        store.plant_flag(f.id, &flag.validate(&f.fields).unwrap()).await.unwrap();
        assert_eq!(count(&store, gz.id, "flags.total").await, 1);
        let f2021 = store.figures(gz.id, Span { from: 2021, to: 2021 }).await.unwrap();
        assert_eq!(f2021["fortresses.total"], Value::Count(0), "not set up yet in 2021");

        // Closing it: it still counts for the years it stood, and uncovers the grid.
        let mut closed = store.fortress(f.id).await.unwrap().fields;
        closed.closed_on = Some(date!(2023 - 12 - 31));
        store.update_fortress(f.id, &closed).await.unwrap();
        assert_eq!(count(&store, gz.id, "fortresses.total").await, 0);
        assert_eq!(count(&store, gz.id, "flags.total").await, 0);
        assert_eq!(store.figures(gz.id, Span { from: 2023, to: 2023 }).await.unwrap()["flags.total"], Value::Count(1));
        assert!(!store.grid(grid.id).await.unwrap().covered);
        assert_eq!(count(&store, gz.id, "grids.covered").await, 0);

        // A grid or scenario of another province is refused; so is a duplicate code.
        let nm_grid = GridInput { code: "NM-G1".into(), name: "x".into() }.validate().unwrap();
        let nm_grid = store.save_grid(t.u(5).id, &nm_grid, None).await.unwrap();
        let bad = FortressInput { code: "X1".into(), grid_id: Some(nm_grid.id.0), ..input.clone() };
        match store.create_fortress(b1.id, &bad.validate().unwrap()).await.unwrap_err() {
            StoreError::Conflict { field, .. } => assert_eq!(field, "grid_id"),
            e => panic!("{e}"),
        }
        match store.create_fortress(b1.id, &input.validate().unwrap()).await.unwrap_err() {
            StoreError::Conflict { field, .. } => assert_eq!(field, "code"),
            e => panic!("{e}"),
        }
        assert_rollup_exact(&store).await;
    })
    .await;
}

#[tokio::test]
async fn the_latest_entry_sets_progress_and_every_ancestor_sees_it() {
    each_backend(|store| async move {
        let t = tree(&store).await;
        let (cu, gz, b1, b2) = (t.u(0), t.u(1), t.u(3), t.u(4));
        let (_, f) = task_input("目标任务", "千兆光网改造", "2024-06-30", &[t.people[0]]).validate().unwrap();
        let task = store.create_task(b1.id, None, &f).await.unwrap();
        assert!(task.code.starts_with('T') && task.code.len() == 7, "assigned code {}", task.code);
        let (_, f2) = task_input("target", "5G 站点开通", "2024-03-31", &[t.people[3]]).validate().unwrap();
        let other = store.create_task(b2.id, Some("GZ-T2"), &f2).await.unwrap();
        for u in [cu, gz] {
            assert_eq!(count(&store, u.id, "tasks.target.count").await, 2);
            assert_eq!(figure(&store, u.id, "tasks.target.avg_progress").await, Value::Mean(0.0));
        }

        let (after, _) = store
            .post_entry(task.id, &entry(date!(2024 - 03 - 01), 40, "完成选址"), Some(t.people[0]), &[])
            .await
            .unwrap();
        assert_eq!((after.progress, after.fields.status), (40, TaskStatus::InProgress));
        // An entry dated before the latest does not change the progress.
        let (after, _) = store.post_entry(task.id, &entry(date!(2024 - 02 - 01), 10, "补记"), None, &[]).await.unwrap();
        assert_eq!(after.progress, 40);
        let (after, _) =
            store.post_entry(task.id, &entry(date!(2024 - 05 - 20), 100, "全部完工"), None, &[]).await.unwrap();
        assert_eq!((after.progress, after.fields.status), (100, TaskStatus::Done));
        for u in [cu, gz, t.u(2), b1] {
            assert_eq!(count(&store, u.id, "tasks.target.done").await, 1, "{}", u.code);
            assert_eq!(
                figure(&store, u.id, "tasks.target.avg_progress").await,
                Value::Mean(if u.id == b1.id { 100.0 } else { 50.0 })
            );
        }
        let ledger = store.entries(task.id).await.unwrap();
        assert_eq!(ledger.iter().map(|e| e.entry.fields.progress).collect::<Vec<_>>(), [100, 40, 10], "latest first");
        assert_eq!(ledger[1].person_name.as_deref(), Some("张明"));

        // Overdue moves with the calendar: the other task is due 2024-03-31.
        let at = |d: Date| {
            let store = store.clone();
            async move { store.figures_as_of(gz.id, Y2024, d).await.unwrap()["tasks.overdue"] }
        };
        assert_eq!(at(date!(2024 - 03 - 31)).await, Value::Count(0));
        assert_eq!(at(date!(2024 - 04 - 01)).await, Value::Count(1));
        assert_eq!(count(&store, gz.id, "tasks.overdue").await, 1, "as of the end of 2024");
        // Done in the ledger is no longer overdue; cancelled leaves every figure.
        let mut cancelled = other.fields.clone();
        cancelled.status = TaskStatus::Cancelled;
        store.update_task(other.id, None, &cancelled).await.unwrap();
        assert_eq!(at(date!(2024 - 12 - 31)).await, Value::Count(0));
        assert_eq!(count(&store, gz.id, "tasks.target.count").await, 1);

        // "Done" by hand needs 100%.
        let (_, f3) = task_input("urgent", "抢通", "2024-08-01", &[]).validate().unwrap();
        let t3 = store.create_task(b1.id, None, &f3).await.unwrap();
        let mut done = t3.fields.clone();
        done.status = TaskStatus::Done;
        match store.update_task(t3.id, None, &done).await.unwrap_err() {
            StoreError::Conflict { field, .. } => assert_eq!(field, "status"),
            e => panic!("{e}"),
        }
        // A responsible person of another province is refused.
        let (_, f4) = task_input("urgent", "x", "2024-08-01", &[t.people[4]]).validate().unwrap();
        match store.create_task(b1.id, None, &f4).await.unwrap_err() {
            StoreError::Conflict { field, .. } => assert_eq!(field, "responsible"),
            e => panic!("{e}"),
        }
        assert_rollup_exact(&store).await;
    })
    .await;
}

#[tokio::test]
async fn the_poster_corrects_their_latest_entry_and_the_task_follows() {
    each_backend(|store| async move {
        let t = tree(&store).await;
        let b1 = t.u(3);
        let (_, f) = task_input("目标任务", "千兆光网改造", "2024-06-30", &[t.people[0]]).validate().unwrap();
        let task = store.create_task(b1.id, None, &f).await.unwrap();
        let me = t.people[0];
        store.post_entry(task.id, &entry(date!(2024 - 03 - 01), 40, "完成选址"), Some(me), &[]).await.unwrap();
        let (_, latest) =
            store.post_entry(task.id, &entry(date!(2024 - 04 - 01), 100, "误填"), Some(me), &[]).await.unwrap();
        assert_eq!(count(&store, t.u(0).id, "tasks.target.done").await, 1);

        // 100% was a slip: 70% it is, and the task is open again in every ancestor's figures.
        let (after, corrected) =
            store.correct_entry(task.id, latest.id, &entry(date!(2024 - 04 - 01), 70, "光缆敷设"), me).await.unwrap();
        assert_eq!((after.progress, after.fields.status), (70, TaskStatus::InProgress));
        assert_eq!(corrected.fields.note.as_deref(), Some("光缆敷设"));
        assert_eq!(count(&store, t.u(0).id, "tasks.target.done").await, 0);
        assert_eq!(figure(&store, t.u(0).id, "tasks.target.avg_progress").await, Value::Mean(70.0));
        assert_rollup_exact(&store).await;

        // Dated back before the other entry, the other one leads the task.
        let (after, _) =
            store.correct_entry(task.id, latest.id, &entry(date!(2024 - 02 - 01), 70, "光缆敷设"), me).await.unwrap();
        assert_eq!((after.progress, after.last_entry_on), (40, Some(date!(2024 - 03 - 01))));
        assert_rollup_exact(&store).await;

        // Now not the latest: refused; and nobody corrects another's entry.
        let refused = |e: StoreError| matches!(e, StoreError::Conflict { ref field, .. } if field == "entry");
        assert!(refused(
            store.correct_entry(task.id, latest.id, &entry(date!(2024 - 02 - 01), 50, ""), me).await.unwrap_err()
        ));
        let first = store.entries(task.id).await.unwrap()[0].entry.id;
        assert!(refused(
            store.correct_entry(task.id, first, &entry(date!(2024 - 03 - 01), 50, ""), t.people[1]).await.unwrap_err()
        ));
        let ledger = store.entries(task.id).await.unwrap();
        assert_eq!(
            ledger.iter().map(|e| e.entry.fields.progress).collect::<Vec<_>>(),
            [40, 70],
            "nothing else changed"
        );
    })
    .await;
}

#[tokio::test]
async fn lists_filter_in_sql_and_bulk_edits_are_all_or_nothing() {
    each_backend(|store| async move {
        let t = tree(&store).await;
        let (cu, gz, b1, b2, nb) = (t.u(0), t.u(1), t.u(3), t.u(4), t.u(6));
        let team =
            TeamInput {
                code: "GZ-TM1".into(), name: "网络突击队".into(), kind: "突击队".into(), ..Default::default()
            };
        let team = store.create_team(b1.id, &team.validate().unwrap(), &[t.people[0], t.people[2]]).await.unwrap();
        let mut ids = vec![];
        for (i, (unit, kind, due)) in [
            (b1, "target", "2024-02-01"),
            (b1, "tackling", "2024-05-01"),
            (b2, "tackling", "2024-09-01"),
            (nb, "target", "2024-03-01"),
        ]
        .into_iter()
        .enumerate()
        {
            let who: &[PersonId] = match i {
                2 => &[t.people[3]],
                3 => &[t.people[4]],
                0 => &[t.people[2], t.people[0]],
                _ => &[t.people[0]],
            };
            let (_, mut f) = task_input(kind, &format!("任务{i}"), due, who).validate().unwrap();
            if i == 1 {
                f.team_id = Some(team.id);
            }
            ids.push(store.create_task(unit.id, Some(&format!("C{i}")), &f).await.unwrap().id);
        }
        let today = date!(2024 - 06 - 30);
        let q = |f: &dyn Fn(&mut TaskQuery)| {
            let mut q = TaskQuery::new(today);
            f(&mut q);
            q
        };
        let codes = |r: qizhi_store::Page<qizhi_store::tasks::TaskListed>| -> (i64, Vec<String>) {
            (r.total, r.items.into_iter().map(|t| t.task.code).collect())
        };
        let all = codes(store.tasks(cu, &Scope::All, &q(&|_| {})).await.unwrap());
        assert_eq!(all, (4, vec!["C0".into(), "C3".into(), "C1".into(), "C2".into()]), "by due date");
        let gz_only = codes(store.tasks(cu, &Scope::subtrees(vec![gz.path.clone()]), &q(&|_| {})).await.unwrap());
        assert_eq!(gz_only.0, 3, "scope applies in SQL");
        let r = codes(store.tasks(gz, &Scope::All, &q(&|q| q.kind = Some(TaskKind::Tackling))).await.unwrap());
        assert_eq!(r.1, ["C1", "C2"]);
        let r = codes(store.tasks(cu, &Scope::All, &q(&|q| q.overdue = true)).await.unwrap());
        assert_eq!(r.1, ["C0", "C3", "C1"], "open and past due on 2024-06-30");
        let r = codes(store.tasks(cu, &Scope::All, &q(&|q| q.team = Some(team.id))).await.unwrap());
        assert_eq!(r.1, ["C1"]);
        let r = codes(store.tasks(cu, &Scope::All, &q(&|q| q.responsible = Some(t.people[4]))).await.unwrap());
        assert_eq!(r.1, ["C3"]);
        let r = codes(store.tasks(cu, &Scope::All, &q(&|q| q.stalled = true)).await.unwrap());
        assert_eq!(r.0, 4, "no entry since the start on 2024-01-10");
        store.post_entry(ids[0], &entry(date!(2024 - 06 - 20), 30, "推进"), None, &[]).await.unwrap();
        let r = codes(store.tasks(cu, &Scope::All, &q(&|q| q.stalled = true)).await.unwrap());
        assert_eq!(r.0, 3);
        let page2 = store
            .tasks(
                cu,
                &Scope::All,
                &q(&|q| {
                    q.per_page = 3;
                    q.page = 2
                }),
            )
            .await
            .unwrap();
        assert_eq!((page2.total, page2.items.len()), (4, 1));
        let mine = store.tasks_of_person(t.people[0], 50).await.unwrap();
        assert_eq!(mine.len(), 2);
        // A task's people come in their order, opened alone or in a list.
        let people = |t: &qizhi_store::tasks::TaskListed| t.responsible.iter().map(|(p, _)| *p).collect::<Vec<_>>();
        assert_eq!(people(&store.task_listed(ids[0]).await.unwrap()), [t.people[2], t.people[0]]);
        assert_eq!(
            people(&store.tasks(cu, &Scope::All, &q(&|_| {})).await.unwrap().items[0]),
            [t.people[2], t.people[0]]
        );
        assert_eq!(people(&store.task_listed(ids[3]).await.unwrap()), [t.people[4]]);

        // Bulk: one task the change does not fit (done below 100%) and nothing changes.
        let done = BulkChange { status: Some(TaskStatus::Done), ..Default::default() };
        match store.bulk_update_tasks(&ids[..2], &done).await.unwrap_err() {
            StoreError::Conflict { message, .. } => assert!(message.contains("C0"), "{message}"),
            e => panic!("{e}"),
        }
        assert_eq!(store.task(ids[0]).await.unwrap().fields.status, TaskStatus::InProgress);
        let change = BulkChange {
            priority: Some(qizhi_core::tasks::Priority::High),
            due_on: Some(Some(date!(2024 - 12 - 31))),
            ..Default::default()
        };
        let changed = store.bulk_update_tasks(&ids[..3], &change).await.unwrap();
        assert!(changed.iter().all(|t| t.fields.due_on == Some(date!(2024 - 12 - 31))));
        assert_eq!(store.figures_as_of(gz.id, Y2024, today).await.unwrap()["tasks.overdue"], Value::Count(0));
        assert_eq!(store.figures_as_of(cu.id, Y2024, today).await.unwrap()["tasks.overdue"], Value::Count(1));
        assert_rollup_exact(&store).await;

        // Moving the branch to NM carries its tasks' counters and keeps lists right.
        store.move_unit(b1.id, t.u(5).id).await.unwrap();
        assert_eq!(count(&store, gz.id, "tasks.target.count").await, 0);
        assert_eq!(count(&store, t.u(5).id, "tasks.target.count").await, 2);
        let r = codes(store.tasks(t.u(5), &Scope::All, &q(&|_| {})).await.unwrap());
        assert_eq!(r.0, 3, "the moved tasks are listed under their new province");
        assert_rollup_exact(&store).await;
        assert!(store.delete_unit(b2.id).await.is_err(), "a unit with tasks stays");
    })
    .await;
}

#[tokio::test]
async fn commitments_count_members_once_per_span_and_the_branch_verifies_them() {
    each_backend(|store| async move {
        let t = tree(&store).await;
        let (gz, b1) = (t.u(1), t.u(3));
        let input = |year: &str, text: &str| {
            CommitmentInput {
                year: year.into(),
                text: text.into(),
                category: Some("岗位建功".into()),
                ..Default::default()
            }
            .validate()
            .unwrap()
        };
        let c1 = store.create_commitment(t.people[0], &input("2024", "带头完成基站验收")).await.unwrap();
        store.create_commitment(t.people[0], &input("2024", "结对帮扶一名新党员")).await.unwrap();
        let c3 = store.create_commitment(t.people[0], &input("2022", "学习新技术")).await.unwrap();
        store.create_commitment(t.people[3], &input("2023", "服务群众")).await.unwrap();
        let league = store.create_commitment(t.people[2], &input("2024", "x")).await.unwrap_err();
        assert!(matches!(league, StoreError::Conflict { .. }), "only party members make commitments");

        let members = |from, to| {
            let store = store.clone();
            async move { store.figures(gz.id, Span { from, to }).await.unwrap()["commitments.members"] }
        };
        assert_eq!(members(2024, 2024).await, Value::Count(1));
        assert_eq!(members(2022, 2024).await, Value::Count(2));
        assert_eq!(members(2023, 2023).await, Value::Count(1));
        assert_eq!(count(&store, gz.id, "commitments.total").await, 2);

        // Moving the 2022 commitment to 2023 moves the neighbour year's cell too.
        store.update_commitment(c3.id, &input("2023", "学习新技术")).await.unwrap();
        assert_eq!(members(2023, 2023).await, Value::Count(2));
        assert_eq!(members(2022, 2022).await, Value::Count(0));
        assert_rollup_exact(&store).await;

        // Who has none yet for 2024: 李华 (probationary) in GZ01-001 and 赵敏 in GZ01-002.
        let Page { total: n, items: none } =
            store.members_without_commitment(gz, &Scope::All, 2024, 1, 50).await.unwrap();
        assert_eq!(n, 2);
        assert_eq!(none.iter().map(|p| p.person.fields.name.as_str()).collect::<Vec<_>>(), ["李华", "赵敏"]);

        // Verified: counted as fulfilled, and the member can no longer change it.
        store
            .verify_commitment(c1.id, Status::Fulfilled, Some("已按期完成"), "gzadmin", date!(2024 - 06 - 28))
            .await
            .unwrap();
        assert_eq!(count(&store, b1.id, "commitments.fulfilled").await, 1);
        assert_eq!(figure(&store, gz.id, "commitments.fulfilled_rate").await, Value::Rate(0.5));
        assert!(store.update_commitment(c1.id, &input("2024", "改")).await.is_err());
        assert!(store.delete_commitment(c1.id).await.is_err());
        // Withdrawing the 2023 one leaves 2023 to 赵敏 alone.
        store.delete_commitment(c3.id).await.unwrap();
        assert_eq!(members(2023, 2023).await, Value::Count(1));
        assert_rollup_exact(&store).await;
        assert!(store.delete_person(t.people[0]).await.is_err(), "commitments keep their member");
    })
    .await;
}

#[tokio::test]
async fn teams_count_while_active() {
    each_backend(|store| async move {
        let t = tree(&store).await;
        let (gz, b1) = (t.u(1), t.u(3));
        let f = TeamInput {
            code: "GZ-YQ1".into(),
            name: "青年突击队".into(),
            kind: "commando".into(),
            founded_on: Some("2020-05-04".into()),
            leader_id: Some(t.people[0].0),
            ..Default::default()
        }
        .validate()
        .unwrap();
        let team = store.create_team(b1.id, &f, &[t.people[0], t.people[1], t.people[2]]).await.unwrap();
        assert_eq!(count(&store, gz.id, "teams.total").await, 1);
        assert_eq!(count(&store, gz.id, "teams.kind.commando").await, 1);
        let mut gone = f.clone();
        gone.disbanded_on = Some(date!(2022 - 12 - 31));
        store.update_team(team.id, &gone).await.unwrap();
        assert_eq!(count(&store, gz.id, "teams.total").await, 0);
        let span = Span { from: 2020, to: 2024 };
        assert_eq!(store.figures(gz.id, span).await.unwrap()["teams.kind.commando"], Value::Count(1));
        let Page { items: listed, .. } = store.teams(gz, &Scope::All, &Default::default()).await.unwrap();
        assert_eq!((listed[0].party_members, listed[0].league_members), (2, 1));
        store.set_team_members(team.id, &[t.people[0]]).await.unwrap();
        assert_eq!(store.team_members(team.id).await.unwrap().len(), 1);
        assert!(store.set_team_members(team.id, &[t.people[4]]).await.is_err(), "a member of another province");
        assert_rollup_exact(&store).await;
    })
    .await;
}

fn ledger_row(line: usize, code: &str, unit: &str, kind: TaskKind, who: &str) -> TaskRow {
    let (_, fields) = TaskInput {
        kind: kind.code().into(),
        name: format!("{code} 任务"),
        due_on: Some("2024-10-31".into()),
        ..Default::default()
    }
    .validate()
    .unwrap();
    TaskRow {
        line,
        code: code.into(),
        unit_code: unit.into(),
        fields,
        fortress_code: None,
        team_code: None,
        responsible: vec![PersonRef::IdNumber(qizhi_core::person::id_number_with_check(who))],
        status_given: false,
        keep_brand: true,
        entries: vec![],
        report: None,
    }
}

#[tokio::test]
async fn a_bulk_load_writes_every_row_or_none_and_a_reload_applies_only_changes() {
    each_backend(|store| async move {
        let t = tree(&store).await;
        let gz = t.u(1);
        let zhang = "52010119800101001";
        let mut rows = vec![ledger_row(2, "L1", "GZ01-001", TaskKind::KeyWork, zhang)];
        let mut seeded = ledger_row(3, "L2", "GZ01-001", TaskKind::Blockage, zhang);
        seeded.status_given = true;
        seeded.fields.status = TaskStatus::Done;
        seeded.entries = vec![
            EntryRow {
                fields: entry(date!(2024 - 03 - 01), 50, "疏通一半"), person: None, created_by: "seed".into()
            },
            EntryRow {
                fields: entry(date!(2024 - 04 - 01), 100, "已疏通"), person: None, created_by: "seed".into()
            },
        ];
        rows.push(seeded);
        let mut bad = ledger_row(4, "L3", "GZ99", TaskKind::Target, zhang);
        bad.fortress_code = Some("NOPE".into());
        rows.push(bad);
        rows.push(ledger_row(5, "L4", "GZ01-001", TaskKind::Target, "15010219800101005"));
        let commitment = CommitmentRow {
            line: 6,
            id: None,
            unit_code: None,
            person: PersonRef::IdNumber(qizhi_core::person::id_number_with_check("52010119990101003")),
            fields: CommitmentInput { year: "2024".into(), text: "x".into(), ..Default::default() }.validate().unwrap(),
            status: Status::Pending,
            verification: None,
        };
        let mut batch = Batch::default();
        batch.tasks.tasks = rows;
        batch.tasks.commitments = vec![commitment];
        match store.load(&batch, &mut |_, _| {}).await.unwrap_err() {
            LoadError::Rows(errors) => {
                let found: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.field)).collect();
                assert_eq!(found, [(4, "unit_code"), (5, "responsible"), (6, "person")], "{errors:?}");
            }
            e => panic!("{e}"),
        }
        assert_eq!(count(&store, gz.id, "tasks.key_work.count").await, 0, "nothing written");

        batch.tasks.tasks.truncate(2);
        batch.tasks.commitments.clear();
        let s = store.load(&batch, &mut |_, _| {}).await.unwrap();
        assert_eq!(s.created, 2);
        assert_eq!(count(&store, gz.id, "tasks.blockage.done").await, 1);
        assert_eq!(figure(&store, gz.id, "tasks.blockage.avg_progress").await, Value::Mean(100.0));
        assert_rollup_exact(&store).await;

        // The same rows as a ledger reports them: nothing changes.
        let l1 = store.task_by_code("L1").await.unwrap().unwrap();
        let l2 = store.task_by_code("L2").await.unwrap().unwrap();
        let as_exported = |task: &qizhi_core::tasks::Task, line, note: Option<&str>| {
            let mut r = ledger_row(line, &task.code, "GZ01-001", task.fields.kind, zhang);
            r.fields = task.fields.clone();
            r.fields.responsible.clear();
            r.status_given = true;
            r.report =
                Some(ProgressReport { progress: task.progress, on: task.last_entry_on, note: note.map(Into::into) });
            r
        };
        let mut again = Batch::default();
        again.tasks.tasks = vec![as_exported(&l1, 2, None), as_exported(&l2, 3, Some("已疏通"))];
        let s = store.load(&again, &mut |_, _| {}).await.unwrap();
        assert_eq!((s.created, s.updated), (0, 0), "an unedited ledger changes nothing");
        assert_eq!(store.entries(l2.id).await.unwrap().len(), 2);

        // An edited progress adds one entry and moves the figures.
        again.tasks.tasks[0].report =
            Some(ProgressReport { progress: 60, on: Some(date!(2024 - 06 - 01)), note: Some("过半".into()) });
        again.tasks.tasks[1].fields.name = "改名".into();
        let s = store.load(&again, &mut |_, _| {}).await.unwrap();
        assert_eq!(s.updated, 2);
        let l1_after = store.task(l1.id).await.unwrap();
        assert_eq!((l1_after.progress, l1_after.fields.status), (60, TaskStatus::InProgress));
        assert_eq!(store.entries(l1.id).await.unwrap().len(), 1);
        assert_eq!(store.entries(l2.id).await.unwrap().len(), 2, "a renamed task gets no entry");
        assert_eq!(figure(&store, gz.id, "tasks.key_work.avg_progress").await, Value::Mean(60.0));
        assert_rollup_exact(&store).await;
        let _ = TaskId(0);
    })
    .await;
}

#[tokio::test]
async fn entries_from_input_are_checked_against_today() {
    let today = date!(2024 - 06 - 30);
    let e = EntryInput { entry_on: Some("2024-07-01".into()), progress: "50".into(), note: None };
    assert!(e.validate(today).is_err());
}
