//! The fortress (堡垒插旗), team (队伍) and member commitment (党员承诺)
//! ledgers, and the task ledger's progress dates, on both databases and in
//! both formats: an export imported back changes nothing; a bad file names
//! every row and column and writes nothing; an edited row updates its
//! record and a new row adds one; a row of a unit outside the importer's
//! scope is refused; templates carry the Chinese headers.

#[path = "../../store/tests/common/mod.rs"]
mod common;

use std::collections::BTreeMap;

use common::each_backend;
use qizhi_app::ledgers::{self, ImportError};
use qizhi_core::commitments::{CommitmentInput, Status};
use qizhi_core::grid::{GridInput, ScenarioInput};
use qizhi_core::ids::PersonId;
use qizhi_core::org::{Unit, UnitInput};
use qizhi_core::person::PersonInput;
use qizhi_core::tasks::{FlagInput, FortressInput};
use qizhi_core::teams::TeamInput;
use qizhi_sheet::{FileErrors, Format};
use qizhi_store::audit::Actor;
use qizhi_store::load::LoadSummary;
use qizhi_store::{Store, StoreResult};

const KINDS: [&str; 3] = ["fortresses", "teams", "commitments"];
const FORMATS: [Format; 2] = [Format::Xlsx, Format::Csv];

/// CU → GZ → GZ01-001, GZ01-002; CU → NM → NM-001. In GZ01-001 张明, 陈刚
/// (members), 李华 (probationary), 王青 (league); another 李华 in GZ, so the
/// name is on GZ01-001's line twice; 赵敏 in GZ01-002. Two fortresses of
/// GZ01-001 (one closed after its flag was planted) and one of GZ01-002, a
/// team in each branch, and three commitments, one of them verified.
struct World {
    units: BTreeMap<&'static str, Unit>,
    people: BTreeMap<&'static str, PersonId>,
}

impl World {
    fn u(&self, code: &str) -> &Unit {
        &self.units[code]
    }
}

async fn world(store: &Store) -> World {
    let mut units: BTreeMap<&'static str, Unit> = BTreeMap::new();
    for (code, kind, parent) in [
        ("CU", "党组", None),
        ("GZ", "党委", Some("CU")),
        ("GZ01-001", "党支部", Some("GZ")),
        ("GZ01-002", "党支部", Some("GZ")),
        ("NM", "党委", Some("CU")),
        ("NM-001", "党支部", Some("NM")),
    ] {
        let f =
            UnitInput { code: code.into(), name: format!("{code} 党组织"), kind: kind.into(), ..Default::default() };
        let parent = parent.map(|p| units[p].id);
        units.insert(code, store.create_unit(parent, &f.validate().unwrap()).await.unwrap());
    }
    let mut people = BTreeMap::new();
    for (key, unit, name, category) in [
        ("张明", "GZ01-001", "张明", "正式党员"),
        ("陈刚", "GZ01-001", "陈刚", "正式党员"),
        ("李华", "GZ01-001", "李华", "预备党员"),
        ("王青", "GZ01-001", "王青", "团员"),
        ("李华（GZ）", "GZ", "李华", "正式党员"),
        ("赵敏", "GZ01-002", "赵敏", "正式党员"),
    ] {
        let f = PersonInput { name: name.into(), category: category.into(), ..Default::default() };
        people.insert(key, store.create_person(units[unit].id, &f.validate().unwrap()).await.unwrap().id);
    }
    let w = World { units, people };
    let grid = GridInput { code: "GZ01-001-G1".into(), name: "城东网格".into() }.validate().unwrap();
    let grid = store.save_grid(w.u("GZ01-001").id, &grid, None).await.unwrap();
    let scenario = ScenarioInput { code: "GZ-S01".into(), name: "5G 基站建设".into(), description: None };
    let scenario = store.save_scenario(w.u("GZ").id, &scenario.validate().unwrap()).await.unwrap();
    let fortress = |code: &str, grid: Option<i64>, set_up_on: &str, leader: Option<PersonId>| FortressInput {
        code: code.into(),
        name: format!("{code} 党员堡垒"),
        scenario_id: Some(scenario.id.0),
        grid_id: grid,
        set_up_on: set_up_on.into(),
        leader_id: leader.map(|p| p.0),
        ..Default::default()
    };
    let f1 = fortress("GZ01-001-F1", Some(grid.id.0), "2024-03-01", Some(w.people["张明"]));
    let f1 = store.create_fortress(w.u("GZ01-001").id, &f1.validate().unwrap()).await.unwrap();
    let flag =
        FlagInput {
            name: "党员先锋旗".into(), planted_on: "2024-03-15".into(), leader_id: Some(w.people["陈刚"].0)
        };
    store.plant_flag(f1.id, &flag.validate(&f1.fields).unwrap()).await.unwrap();
    let f2 = fortress("GZ01-001-F2", None, "2022-04-01", None);
    let f2 = store.create_fortress(w.u("GZ01-001").id, &f2.validate().unwrap()).await.unwrap();
    let flag = FlagInput { name: "攻坚突击旗".into(), planted_on: "2022-05-04".into(), leader_id: None };
    store.plant_flag(f2.id, &flag.validate(&f2.fields).unwrap()).await.unwrap();
    let mut closed = store.fortress(f2.id).await.unwrap().fields;
    closed.closed_on = Some(time::macros::date!(2023 - 12 - 31));
    store.update_fortress(f2.id, &closed).await.unwrap();
    let f3 = fortress("GZ01-002-F1", None, "2023-06-01", Some(w.people["赵敏"]));
    store.create_fortress(w.u("GZ01-002").id, &f3.validate().unwrap()).await.unwrap();

    let team = |code: &str, kind: &str, leader: PersonId| {
        TeamInput {
            code: code.into(),
            name: format!("{code} 队"),
            kind: kind.into(),
            founded_on: Some("2024-03-01".into()),
            leader_id: Some(leader.0),
            ..Default::default()
        }
        .validate()
        .unwrap()
    };
    let members = [w.people["张明"], w.people["李华"], w.people["王青"]];
    let t1 = team("GZ01-001-T1", "突击队", w.people["张明"]);
    store.create_team(w.u("GZ01-001").id, &t1, &members).await.unwrap();
    let t2 = team("GZ01-002-T1", "服务队", w.people["赵敏"]);
    store.create_team(w.u("GZ01-002").id, &t2, &[w.people["赵敏"]]).await.unwrap();

    let promise = |year: &str, text: &str| {
        CommitmentInput {
            year: year.into(),
            text: text.into(),
            category: Some("岗位建功".into()),
            ..Default::default()
        }
        .validate()
        .unwrap()
    };
    let c = store.create_commitment(w.people["张明"], &promise("2024", "带头完成基站入网验收")).await.unwrap();
    let on = time::macros::date!(2024 - 06 - 28);
    store.verify_commitment(c.id, Status::Fulfilled, Some("已按期完成"), "gz_admin", on).await.unwrap();
    store.create_commitment(w.people["张明"], &promise("2023", "学习新技术")).await.unwrap();
    store.create_commitment(w.people["赵敏"], &promise("2024", "服务群众")).await.unwrap();
    w
}

/// The store acting as an account that may be linked to `person`.
async fn acting(store: &Store, username: &str, person: Option<PersonId>) -> Store {
    let user = store.create_user(username, username, "x").await.unwrap();
    if person.is_some() {
        store.link_user_person(user, person).await.unwrap();
    }
    store.acting(Actor { user_id: Some(user), username: username.into(), ip: None })
}

fn everything(_: &Unit) -> bool {
    true
}

async fn export(store: &Store, kind: &str, root: &Unit, format: Format) -> Vec<u8> {
    ledgers::export(store, kind, root, Vec::new(), format, true).await.unwrap().0
}

async fn import(
    store: &Store,
    kind: &str,
    bytes: &[u8],
    format: Format,
    editable: &(dyn Fn(&Unit) -> bool + Sync),
) -> Result<LoadSummary, ImportError> {
    let (batch, rows) = ledgers::prepare(store, kind, bytes, format, editable).await?;
    ledgers::apply(store, kind, &batch, &rows, &mut |_, _| {}).await
}

/// The data rows of a ledger file, each as its non-empty cells by column key.
fn cells(bytes: &[u8], format: Format, kind: &str) -> Vec<BTreeMap<&'static str, String>> {
    let sheet = ledgers::sheet_of(kind).unwrap();
    let rows = qizhi_sheet::read_bytes(bytes, format, sheet).unwrap();
    rows.iter().map(|r| r.cells().map(|(k, v)| (k, v.to_string())).collect()).collect()
}

/// A ledger file of these rows, in the sheet's column order.
fn file(format: Format, kind: &str, rows: &[BTreeMap<&'static str, String>]) -> Vec<u8> {
    let sheet = ledgers::sheet_of(kind).unwrap();
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| sheet.columns.iter().map(|c| r.get(c.key).cloned().unwrap_or_default()).collect())
        .collect();
    qizhi_sheet::write_to_vec(format, sheet, &rows).unwrap()
}

/// The row of `rows` whose column `key` reads `value`.
fn row_with<'a>(
    rows: &'a mut [BTreeMap<&'static str, String>],
    key: &str,
    value: &str,
) -> &'a mut BTreeMap<&'static str, String> {
    rows.iter_mut().find(|r| r.get(key).map(String::as_str) == Some(value)).unwrap_or_else(|| panic!("{key} {value}"))
}

/// Where each problem is: (row, column letter, header).
fn places(e: &FileErrors) -> Vec<(usize, String, String)> {
    e.errors.iter().map(|e| (e.line, e.column.clone(), e.header.clone())).collect()
}

fn file_errors(r: Result<LoadSummary, ImportError>) -> FileErrors {
    match r {
        Err(ImportError::File(e)) => e,
        Err(e) => panic!("not a file's problems: {e}"),
        Ok(s) => panic!("imported: {s:?}"),
    }
}

/// Everything the ledgers show and every counter, to see that nothing moved.
async fn state(store: &Store, root: &Unit) -> (StoreResult<BTreeMap<i64, BTreeMap<(i32, String), i64>>>, Vec<Vec<u8>>) {
    let mut exports = vec![];
    for kind in KINDS {
        exports.push(export(store, kind, root, Format::Csv).await);
    }
    (store.stored_rollup().await, exports)
}

async fn assert_rollup_exact(store: &Store) {
    assert_eq!(store.stored_rollup().await.unwrap(), store.recompute().await.unwrap(), "rollup differs from a recount");
}

#[tokio::test]
async fn an_export_imported_back_changes_nothing_in_either_format() {
    each_backend(|store| async move {
        let w = world(&store).await;
        let store = acting(&store, "gz_admin", None).await;
        let root = w.u("CU");
        let before = state(&store, root).await;
        let (csv, written) = ledgers::export(&store, "堡垒插旗", root, Vec::new(), Format::Csv, true).await.unwrap();
        assert_eq!(written, 3, "every fortress of the subtree, the kind named in Chinese");
        assert_eq!(csv, before.1[0]);
        for kind in KINDS {
            for format in FORMATS {
                let bytes = export(&store, kind, root, format).await;
                let s = import(&store, kind, &bytes, format, &everything).await.unwrap();
                assert_eq!((s.created, s.updated), (0, 0), "{kind} {format:?}");
                assert_eq!(cells(&export(&store, kind, root, format).await, format, kind), cells(&bytes, format, kind));
            }
        }
        assert_eq!(state(&store, root).await.1, before.1, "the same records");
        assert_eq!(state(&store, root).await.0.unwrap(), before.0.unwrap(), "the same figures");
        // The kinds answer to their Chinese names and to capitals too.
        for (kind, name) in [("fortresses", "堡垒插旗"), ("teams", "TEAMS"), ("commitments", "党员承诺")] {
            let bytes = export(&store, kind, root, Format::Csv).await;
            assert_eq!(import(&store, name, &bytes, Format::Csv, &everything).await.unwrap().updated, 0, "{name}");
        }
        let rows = cells(&export(&store, "commitments", root, Format::Csv).await, Format::Csv, "commitments");
        let verified = rows.iter().find(|r| r["status"] == "已兑现").unwrap();
        assert_eq!(verified["verified_by"], "gz_admin", "the stored verdict stands as it was made");
        let teams = cells(&before.1[1], Format::Csv, "teams");
        assert_eq!(teams[0]["members"], "张明、李华、王青", "李华 of the branch, though GZ has one too");
    })
    .await;
}

#[tokio::test]
async fn a_bad_file_names_every_row_and_column_and_writes_nothing() {
    each_backend(|store| async move {
        let w = world(&store).await;
        let store = acting(&store, "gz_admin", None).await;
        let root = w.u("CU");
        let before = state(&store, root).await;
        for format in FORMATS {
            let export_of = |kind: &'static str| {
                let store = store.clone();
                async move { cells(&export(&store, kind, root, format).await, format, kind) }
            };

            // Fortresses: a date that is no date, a leader nobody is, a flag planted before the fortress.
            let mut rows = export_of("fortresses").await;
            row_with(&mut rows, "code", "GZ01-001-F1").insert("set_up_on", "2024-13-01".into());
            row_with(&mut rows, "code", "GZ01-001-F2").insert("leader", "无名氏".into());
            row_with(&mut rows, "code", "GZ01-002-F1").insert("flag_name", "红旗".into());
            let e = file_errors(
                import(&store, "fortresses", &file(format, "fortresses", &rows), format, &everything).await,
            );
            assert_eq!(
                places(&e),
                [
                    (2, "F".into(), "建立日期".into()),
                    (3, "I".into(), "负责人".into()),
                    (4, "L".into(), "插旗日期".into()),
                ],
                "{e}"
            );
            assert!(e.to_string().contains("无名氏"), "{e}");

            // Teams: a kind there is none of, a member nobody is, one with a name two people have.
            let mut rows = export_of("teams").await;
            row_with(&mut rows, "code", "GZ01-001-T1").insert("members", "张明、无名氏".into());
            row_with(&mut rows, "code", "GZ01-002-T1").insert("kind", "小组".into());
            let mut new = rows[0].clone();
            new.insert("code", "GZ01-001-T9".into());
            new.insert("members", "李华".into());
            rows.push(new);
            let e = file_errors(import(&store, "teams", &file(format, "teams", &rows), format, &everything).await);
            assert_eq!(
                places(&e),
                [(2, "I".into(), "成员".into()), (3, "D".into(), "队伍类别".into()), (4, "I".into(), "成员".into())],
                "{e}"
            );
            assert!(e.to_string().contains("2 位同名人员"), "{e}");

            // Commitments: a number nobody was given, an empty promise, another's number.
            let mut rows = export_of("commitments").await;
            rows[0].insert("id", "999999".into());
            rows[1].insert("text", String::new());
            let zhao = row_with(&mut rows, "person", "赵敏");
            zhao.insert("person", "陈刚".into());
            let e = file_errors(
                import(&store, "commitments", &file(format, "commitments", &rows), format, &everything).await,
            );
            assert_eq!(
                places(&e),
                [
                    (2, "A".into(), "承诺编号".into()),
                    (3, "G".into(), "承诺内容".into()),
                    (4, "C".into(), "党员姓名".into()),
                ],
                "{e}"
            );

            // What only the store can tell: a grid that does not exist, a scenario of another line.
            let mut rows = export_of("fortresses").await;
            row_with(&mut rows, "code", "GZ01-001-F1").insert("grid_code", "NOPE".into());
            let e = file_errors(
                import(&store, "fortresses", &file(format, "fortresses", &rows), format, &everything).await,
            );
            assert_eq!(places(&e), [(2, "E".into(), "网格编码".into())], "{e}");
        }
        let after = state(&store, root).await;
        assert_eq!(after.1, before.1, "nothing written");
        assert_eq!(after.0.unwrap(), before.0.unwrap());

        // The task ledger refuses a progress dated after today.
        let tomorrow = qizhi_core::date::today().next_day().unwrap();
        let task = BTreeMap::from([
            ("code", "GZ01-001-R1".to_string()),
            ("unit_code", "GZ01-001".into()),
            ("kind", "目标任务".into()),
            ("name", "新建基站".into()),
            ("year", "2024".into()),
            ("progress", "50".into()),
            ("progress_on", qizhi_core::date::iso(tomorrow)),
        ]);
        let e =
            file_errors(import(&store, "tasks", &file(Format::Csv, "tasks", &[task]), Format::Csv, &everything).await);
        assert_eq!(places(&e), [(2, "Q".into(), "进展日期".into())], "{e}");
        assert!(e.to_string().contains("不能晚于今天"), "{e}");
    })
    .await;
}

#[tokio::test]
async fn an_edited_row_updates_its_record_and_a_new_row_adds_one() {
    each_backend(|store| async move {
        let w = world(&store).await;
        let admin = acting(&store, "gz_admin", None).await;
        let (root, gz) = (w.u("CU"), w.u("GZ"));
        let count = |key: &'static str| {
            let store = store.clone();
            let gz = gz.id;
            async move {
                let span = qizhi_core::figures::Span { from: 2024, to: 2024 };
                store.figures(gz, span).await.unwrap()[key].count().unwrap()
            }
        };
        assert_eq!(
            (count("fortresses.total").await, count("flags.total").await, count("grids.covered").await),
            (2, 1, 1)
        );

        // Fortresses, as .xlsx: F1 renamed and closed (its grid no longer covered), a new one on the scenario.
        let mut rows = cells(&export(&admin, "fortresses", root, Format::Xlsx).await, Format::Xlsx, "fortresses");
        let f1 = row_with(&mut rows, "code", "GZ01-001-F1");
        f1.insert("name", "城东网格党员堡垒".into());
        f1.insert("closed_on", "2024-06-30".into());
        f1.insert("status", "已撤销".into());
        let mut new: BTreeMap<&'static str, String> = BTreeMap::new();
        for (k, v) in
            [("code", "GZ01-001-F3"), ("unit_code", "GZ01-001"), ("name", "装维堡垒"), ("scenario_code", "GZ-S01")]
        {
            new.insert(k, v.into());
        }
        new.insert("set_up_on", "2024-05-01".into());
        new.insert("leader", "陈刚".into());
        new.insert("flag_name", "红旗责任区旗".into());
        new.insert("flag_planted_on", "2024-05-04".into());
        rows.push(new);
        let s = import(&admin, "fortresses", &file(Format::Xlsx, "fortresses", &rows), Format::Xlsx, &everything)
            .await
            .unwrap();
        assert_eq!((s.created, s.updated), (1, 1));
        let f1 = admin.fortress_by_code("GZ01-001-F1").await.unwrap().unwrap();
        assert_eq!(f1.fields.name, "城东网格党员堡垒");
        assert_eq!(f1.flag.map(|g| g.name).as_deref(), Some("党员先锋旗"), "the flag stays with the fortress");
        let f3 = admin.fortress_by_code("GZ01-001-F3").await.unwrap().unwrap();
        assert_eq!(f3.fields.leader_id, Some(w.people["陈刚"]));
        // F1 stood part of 2024, so 2024 still counts it; the grid is no longer covered.
        assert_eq!(count("grids.covered").await, 0);
        assert_eq!(count("flags.total").await, 2);
        assert_rollup_exact(&store).await;

        // Fortresses, as .csv: a flag-less row leaves F3's flag planted.
        let mut rows = cells(&export(&admin, "fortresses", root, Format::Csv).await, Format::Csv, "fortresses");
        let f3 = row_with(&mut rows, "code", "GZ01-001-F3");
        for key in ["flag_name", "flag_planted_on", "flag_leader"] {
            f3.remove(key);
        }
        f3.insert("description", "负责装维服务".into());
        let s = import(&admin, "fortresses", &file(Format::Csv, "fortresses", &rows), Format::Csv, &everything)
            .await
            .unwrap();
        assert_eq!((s.created, s.updated), (0, 1));
        let f3 = admin.fortress_by_code("GZ01-001-F3").await.unwrap().unwrap();
        assert!(f3.flag.is_some() && f3.fields.description.is_some());

        // Teams, as .xlsx: T1's members and leader change, T2 is disbanded.
        let mut rows = cells(&export(&admin, "teams", root, Format::Xlsx).await, Format::Xlsx, "teams");
        let t1 = row_with(&mut rows, "code", "GZ01-001-T1");
        t1.insert("members", "张明、陈刚".into());
        t1.insert("leader", "陈刚".into());
        row_with(&mut rows, "code", "GZ01-002-T1").insert("disbanded_on", "2024-06-30".into());
        row_with(&mut rows, "code", "GZ01-002-T1").insert("status", "已解散".into());
        let s = import(&admin, "teams", &file(Format::Xlsx, "teams", &rows), Format::Xlsx, &everything).await.unwrap();
        assert_eq!((s.created, s.updated), (0, 2));
        let t1 = admin.team_by_code("GZ01-001-T1").await.unwrap().unwrap();
        assert_eq!(t1.fields.leader_id, Some(w.people["陈刚"]));
        let members: Vec<PersonId> = admin.team_members(t1.id).await.unwrap().into_iter().map(|(p, _)| p.id).collect();
        assert_eq!(members, [w.people["张明"], w.people["陈刚"]]);
        assert!(admin.team_by_code("GZ01-002-T1").await.unwrap().unwrap().fields.disbanded_on.is_some());

        // Teams, as .csv: a new team of GZ, whose line holds both 李华.
        let mut rows = cells(&export(&admin, "teams", root, Format::Csv).await, Format::Csv, "teams");
        let mut new = rows[0].clone();
        new.insert("code", "GZ-T1".into());
        new.insert("unit_code", "GZ".into());
        new.insert("members", "王青、赵敏".into());
        new.insert("leader", "赵敏".into());
        rows.push(new);
        let s = import(&admin, "teams", &file(Format::Csv, "teams", &rows), Format::Csv, &everything).await.unwrap();
        assert_eq!((s.created, s.updated), (1, 0));
        assert_eq!(count("teams.total").await, 3, "T2 disbanded in 2024 still counts for it");
        assert_rollup_exact(&store).await;

        // Commitments, as .xlsx: the pending 2023 one rewritten and found unfulfilled; a new one for 李华.
        let mut rows = cells(&export(&admin, "commitments", root, Format::Xlsx).await, Format::Xlsx, "commitments");
        let c = row_with(&mut rows, "text", "学习新技术");
        c.insert("text", "学习 5G 新技术".into());
        c.insert("year", "2024".into());
        c.insert("status", "未兑现".into());
        c.insert("verify_comment", "培训未参加".into());
        let mut new = BTreeMap::new();
        for (k, v) in [("unit_code", "GZ01-001"), ("person", "李华"), ("year", "2024"), ("text", "结对帮扶一名群众")]
        {
            new.insert(k, v.to_string());
        }
        rows.push(new);
        let s = import(&admin, "commitments", &file(Format::Xlsx, "commitments", &rows), Format::Xlsx, &everything)
            .await
            .unwrap();
        assert_eq!((s.created, s.updated), (1, 1));
        let zhang = admin.commitments_of(w.people["张明"], Some(2024)).await.unwrap();
        let rewritten = zhang.iter().find(|c| c.fields.text == "学习 5G 新技术").unwrap();
        assert_eq!(rewritten.status, Status::Unfulfilled);
        let v = rewritten.verification.as_ref().unwrap();
        assert_eq!(
            (v.by.as_str(), v.on),
            ("gz_admin", qizhi_core::date::today()),
            "the importer's verdict, made today"
        );
        assert_eq!(admin.commitments_of(w.people["李华"], None).await.unwrap()[0].status, Status::Pending);
        assert_eq!(count("commitments.members").await, 3);
        assert_eq!(count("commitments.total").await, 4);
        assert_rollup_exact(&store).await;

        // Commitments, as .csv: a verified commitment cannot change, nor go back to pending.
        let before = state(&store, root).await;
        let rows = cells(&export(&admin, "commitments", root, Format::Csv).await, Format::Csv, "commitments");
        let mut edited = rows.clone();
        row_with(&mut edited, "text", "带头完成基站入网验收").insert("text", "改".into());
        row_with(&mut edited, "text", "学习 5G 新技术").insert("status", "待核实".into());
        row_with(&mut edited, "text", "学习 5G 新技术").remove("verify_comment");
        row_with(&mut edited, "text", "学习 5G 新技术").remove("verified_on");
        let e = file_errors(
            import(&admin, "commitments", &file(Format::Csv, "commitments", &edited), Format::Csv, &everything).await,
        );
        let found: Vec<(usize, String)> = e.errors.iter().map(|e| (e.line, e.header.clone())).collect();
        assert_eq!(found.len(), 2, "{e}");
        assert!(found.iter().any(|(_, h)| h == "承诺内容") && found.iter().any(|(_, h)| h == "核实结果"), "{e}");
        assert_eq!(state(&store, root).await.1, before.1, "nothing written");

        // Nobody verifies their own commitment, by import either.
        let zhang = acting(&store, "zhang", Some(w.people["张明"])).await;
        let mut own = rows.clone();
        let c = row_with(&mut own, "text", "学习 5G 新技术");
        c.insert("status", "已兑现".into());
        c.remove("verify_comment");
        let e = file_errors(
            import(&zhang, "commitments", &file(Format::Csv, "commitments", &own), Format::Csv, &everything).await,
        );
        assert!(e.to_string().contains("不能核实自己的承诺"), "{e}");
        let s = import(&admin, "commitments", &file(Format::Csv, "commitments", &own), Format::Csv, &everything)
            .await
            .unwrap();
        assert_eq!(s.updated, 1, "someone else may revise the verdict");
        assert_rollup_exact(&store).await;
    })
    .await;
}

#[tokio::test]
async fn rows_of_units_outside_the_importers_scope_are_refused() {
    each_backend(|store| async move {
        let w = world(&store).await;
        let store = acting(&store, "b1_admin", None).await;
        let (root, b1, b2) = (w.u("CU"), w.u("GZ01-001").clone(), w.u("GZ01-002").path.clone());
        let branch_only = move |u: &Unit| u.path.starts_with(&b1.path);
        let before = state(&store, root).await;
        for format in FORMATS {
            for kind in KINDS {
                // The whole of GZ: the rows of GZ01-002 are not this admin's.
                let bytes = export(&store, kind, w.u("GZ"), format).await;
                match import(&store, kind, &bytes, format, &branch_only).await {
                    Err(ImportError::Refused { errors, paths }) => {
                        assert_eq!(paths, std::slice::from_ref(&b2), "{kind}");
                        let rows = cells(&bytes, format, kind);
                        let theirs: Vec<usize> = rows
                            .iter()
                            .enumerate()
                            .filter(|(_, r)| r["unit_code"] == "GZ01-002")
                            .map(|(i, _)| i + 2)
                            .collect();
                        assert!(!theirs.is_empty());
                        for line in theirs {
                            assert!(
                                errors
                                    .errors
                                    .iter()
                                    .any(|e| e.line == line
                                        && ["所在组织编码", "所属组织编码"].contains(&e.header.as_str())),
                                "{kind} row {line}: {errors}"
                            );
                        }
                        assert!(errors.to_string().contains("无权修改组织 “GZ01-002”"), "{errors}");
                    }
                    other => panic!("{kind}: {:?}", other.map_err(|e| e.to_string())),
                }
            }
            // Naming another unit's record under one's own unit is refused too.
            let mut rows = cells(&export(&store, "fortresses", w.u("GZ01-002"), format).await, format, "fortresses");
            rows[0].insert("unit_code", "GZ01-001".into());
            let r = import(&store, "fortresses", &file(format, "fortresses", &rows), format, &branch_only).await;
            assert!(matches!(r, Err(ImportError::Refused { .. })), "{:?}", r.map_err(|e| e.to_string()));
            let mut rows = cells(&export(&store, "commitments", w.u("GZ01-002"), format).await, format, "commitments");
            rows[0].insert("unit_code", "GZ01-001".into());
            let r = import(&store, "commitments", &file(format, "commitments", &rows), format, &branch_only).await;
            match r {
                Err(ImportError::Refused { errors, .. }) => {
                    assert_eq!(errors.errors[0].header, "承诺编号", "{errors}");
                }
                other => panic!("{:?}", other.map_err(|e| e.to_string())),
            }
        }
        let after = state(&store, root).await;
        assert_eq!(after.1, before.1, "nothing written");
        assert_eq!(after.0.unwrap(), before.0.unwrap());
    })
    .await;
}

#[test]
fn templates_carry_the_chinese_headers_and_read_back_empty() {
    for kind in KINDS {
        let sheet = ledgers::sheet_of(kind).unwrap();
        for format in FORMATS {
            let bytes = qizhi_sheet::template_to_vec(format, sheet).unwrap();
            assert!(qizhi_sheet::read_bytes(&bytes, format, sheet).unwrap().is_empty(), "{kind} {format:?}");
            if format == Format::Csv {
                let text = std::str::from_utf8(&bytes).unwrap().trim_start_matches('\u{feff}');
                assert_eq!(text.lines().next().unwrap(), sheet.marked_headers().join(","), "{kind}");
            } else {
                assert!(bytes.starts_with(b"PK\x03\x04"), "{kind}: an .xlsx is a zip");
            }
        }
        let first = sheet.columns[0];
        assert!(first.zh.chars().all(|c| !c.is_ascii()), "{kind}: Chinese headers first, {}", first.zh);
    }
    assert!(ledgers::KINDS.iter().all(|k| ledgers::sheet_of(k).is_ok()));
}
