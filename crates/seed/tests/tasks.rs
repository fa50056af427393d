//! The seed world's fortresses, tasks, teams and commitments against the
//! article and against the rules the store will apply when loading them.
//! (That the store computes the article's figures from them is checked by
//! the CLI's `seed_figures` test.)

use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;

use qizhi_core::commitments::Status;
use qizhi_core::tasks::{TaskKind, TaskStatus};
use qizhi_core::teams::TeamKind;
use qizhi_seed::{AS_OF, GD_COMMANDO_TEAMS, Scale, SeedTask, World, world};

fn province() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| world(Scale::Province))
}

fn demo() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| world(Scale::Demo))
}

/// The provincial-level unit of every unit.
fn tops(w: &World) -> HashMap<&str, &str> {
    let mut top: HashMap<&str, &str> = HashMap::new();
    for u in &w.units {
        let t = match u.parent_code.as_deref() {
            None => "",
            Some(p) if top.get(p) == Some(&"") => u.fields.code.as_str(),
            Some(p) => top[p],
        };
        top.insert(&u.fields.code, t);
    }
    top
}

fn tasks_of<'a>(w: &'a World, top: &str, kind: TaskKind) -> Vec<&'a SeedTask> {
    let t = tops(w);
    w.tasks.iter().filter(|x| t[x.unit_code.as_str()] == top && x.fields.kind == kind).collect()
}

fn last_progress(t: &SeedTask) -> i32 {
    t.entries.last().map_or(0, |e| e.fields.progress)
}

fn assert_article(w: &World) {
    let t = tops(w);
    let in_top = |code: &str, top: &str| t[code] == top;

    // 内蒙古
    let nm_f: Vec<_> = w.fortresses.iter().filter(|f| in_top(&f.unit_code, "NM")).collect();
    assert_eq!(nm_f.len(), 782);
    assert_eq!(nm_f.iter().filter(|f| f.flag.is_some()).count(), 782);
    let target = tasks_of(w, "NM", TaskKind::Target);
    assert_eq!(target.len(), 2603);
    assert!(
        target.iter().all(|x| x.fields.status == TaskStatus::Done && last_progress(x) == 100 && x.fields.year == 2024)
    );
    assert_eq!(tasks_of(w, "NM", TaskKind::Tackling).len(), 271);

    // 贵州
    let gz_f: Vec<_> = w.fortresses.iter().filter(|f| in_top(&f.unit_code, "GZ")).collect();
    assert_eq!(gz_f.len(), 959);
    let scenarios: BTreeSet<_> = gz_f.iter().filter_map(|f| f.scenario_code.as_deref()).collect();
    assert_eq!(scenarios.len(), 20, "every one of the 20 scenarios has fortresses");
    assert_eq!(tasks_of(w, "GZ", TaskKind::Urgent).len(), 63);
    for (kind, n) in [(TaskKind::Blockage, 251), (TaskKind::KeyWork, 904)] {
        let all = tasks_of(w, "GZ", kind);
        assert_eq!(all.len(), n, "{kind:?}");
        assert!(all.iter().all(|x| x.fields.status == TaskStatus::Done), "{kind:?} all done");
    }
    assert_eq!(tasks_of(w, "GZ", TaskKind::Brand).len(), 175);
    let people: HashMap<&str, &qizhi_seed::SeedPerson> =
        w.people.iter().map(|p| (p.fields.id_number.as_deref().unwrap(), p)).collect();
    let gz_c: Vec<_> = w.commitments.iter().filter(|c| in_top(&people[c.person.as_str()].unit_code, "GZ")).collect();
    assert_eq!(gz_c.len(), 1989);
    assert_eq!(gz_c.iter().map(|c| c.person.as_str()).collect::<HashSet<_>>().len(), 1989);
    assert!(gz_c.iter().all(|c| c.status == Status::Fulfilled && c.fields.year == 2024));
}

fn assert_consistent(w: &World) {
    let units: HashMap<&str, &qizhi_seed::SeedUnit> = w.units.iter().map(|u| (u.fields.code.as_str(), u)).collect();
    let paths = {
        let mut p: HashMap<&str, String> = HashMap::new();
        for u in &w.units {
            let parent = u.parent_code.as_deref().map(|c| p[c].clone()).unwrap_or_default();
            p.insert(&u.fields.code, format!("{parent}/{}", u.fields.code));
        }
        p
    };
    let related = |a: &str, b: &str| {
        let (a, b) = (format!("{}/", paths[a]), format!("{}/", paths[b]));
        a.starts_with(&b) || b.starts_with(&a)
    };
    let person_unit: HashMap<&str, &str> =
        w.people.iter().map(|p| (p.fields.id_number.as_deref().unwrap(), p.unit_code.as_str())).collect();
    let grids: HashMap<&str, &str> = w.grids.iter().map(|g| (g.fields.code.as_str(), g.unit_code.as_str())).collect();
    let scenarios: HashMap<&str, &str> =
        w.scenarios.iter().map(|s| (s.fields.code.as_str(), s.unit_code.as_str())).collect();
    let mut codes = HashSet::new();
    for f in &w.fortresses {
        assert!(codes.insert(f.fields.code.as_str()), "fortress code {} twice", f.fields.code);
        assert!(units.contains_key(f.unit_code.as_str()));
        assert!(f.grid_code.is_some() || f.scenario_code.is_some(), "{} stands on nothing", f.fields.code);
        if let Some(g) = &f.grid_code {
            assert!(related(grids[g.as_str()], &f.unit_code), "{}", f.fields.code);
        }
        if let Some(s) = &f.scenario_code {
            assert!(related(scenarios[s.as_str()], &f.unit_code), "{}", f.fields.code);
        }
        assert!(f.fields.set_up_on <= AS_OF);
        if let Some(flag) = &f.flag {
            assert!(flag.planted_on >= f.fields.set_up_on && flag.planted_on <= AS_OF);
        }
        for l in f.leader.iter() {
            assert!(related(person_unit[l.as_str()], &f.unit_code));
        }
    }
    let mut team_codes = HashSet::new();
    for t in &w.teams {
        assert!(team_codes.insert(t.fields.code.as_str()), "team code {} twice", t.fields.code);
        assert!(t.fields.founded_on.is_none_or(|d| d <= AS_OF));
        assert!(t.fields.disbanded_on.is_none_or(|d| d <= AS_OF && t.fields.founded_on.is_some_and(|f| f <= d)));
        for m in &t.members {
            assert!(related(person_unit[m.as_str()], &t.unit_code), "{} member", t.fields.code);
        }
    }
    let mut task_codes = HashSet::new();
    for t in &w.tasks {
        assert!(task_codes.insert(t.code.as_str()), "task code {} twice", t.code);
        assert!(qizhi_core::org::parse_code(&t.code).is_ok());
        assert!(units.contains_key(t.unit_code.as_str()));
        for p in &t.responsible {
            assert!(related(person_unit[p.as_str()], &t.unit_code), "{} responsible", t.code);
        }
        if let Some(f) = &t.fortress_code {
            assert!(codes.contains(f.as_str()), "{}: fortress {f}", t.code);
        }
        if let Some(m) = &t.team_code {
            assert!(team_codes.contains(m.as_str()), "{}: team {m}", t.code);
        }
        let f = &t.fields;
        assert!(f.start_on <= f.due_on, "{}", t.code);
        let mut last = None;
        for e in &t.entries {
            assert!(e.fields.entry_on <= AS_OF, "{} entry after AS_OF", t.code);
            assert!((0..=100).contains(&e.fields.progress));
            assert!(last.is_none_or(|d| d <= e.fields.entry_on), "{} entries out of order", t.code);
            last = Some(e.fields.entry_on);
        }
        // The latest entry decides: done exactly when it reached 100%.
        assert_eq!(f.status == TaskStatus::Done, last_progress(t) == 100, "{}", t.code);
        assert_eq!(f.status == TaskStatus::NotStarted, t.entries.is_empty(), "{}", t.code);
    }
    let mut seen = HashSet::new();
    for c in &w.commitments {
        let unit = person_unit[c.person.as_str()];
        assert!(units.contains_key(unit));
        assert_eq!(c.status == Status::Pending, c.verification.is_none());
        assert!(c.verification.as_ref().is_none_or(|v| v.on <= AS_OF));
        seen.insert((c.person.as_str(), c.fields.year));
    }
}

#[test]
fn province_reproduces_the_article() {
    assert_article(province());
    assert_consistent(province());
}

#[test]
fn demo_reproduces_the_article_and_guangdong() {
    let w = demo();
    assert_article(w);
    assert_consistent(w);
    let t = tops(w);
    let commando = w.teams.iter().filter(|x| t[x.unit_code.as_str()] == "GD" && x.fields.kind == TeamKind::Commando);
    assert_eq!(commando.count(), GD_COMMANDO_TEAMS);
    let solved = tasks_of(w, "GD", TaskKind::Tackling).iter().filter(|x| x.fields.status == TaskStatus::Done).count();
    assert!(solved > 2000, "{solved} problems solved");
    // The teams the article names.
    for code in ["ZJ04-WX1", "ZJ04-WX5", "BJ-YYZC-HZT1", "ZX-XWKJ-ZYZ", "JX08-JXF1", "AH-ZSKF-XFD"] {
        assert!(w.teams.iter().any(|x| x.fields.code == code), "{code}");
    }
    let xiaowo = w.teams.iter().find(|x| x.fields.code == "ZX-XWKJ-ZYZ").unwrap();
    assert_eq!(xiaowo.fields.founded_on.map(|d| d.year()), Some(2015));
}

#[test]
fn elsewhere_tasks_are_in_every_state_and_some_are_overdue() {
    let w = demo();
    let t = tops(w);
    let others: Vec<_> = w.tasks.iter().filter(|x| !["NM", "GZ", "GD"].contains(&t[x.unit_code.as_str()])).collect();
    assert!(others.len() > 4000, "{}", others.len());
    for s in [TaskStatus::NotStarted, TaskStatus::InProgress, TaskStatus::Done] {
        assert!(others.iter().any(|x| x.fields.status == s), "{s:?}");
    }
    let overdue =
        others.iter().filter(|x| x.fields.status.is_open() && x.fields.due_on.is_some_and(|d| d < AS_OF)).count();
    assert!(overdue > 50, "{overdue} overdue as of {AS_OF}");
    // Every kind of team somewhere, even in the small world.
    let kinds: BTreeSet<TeamKind> = province().teams.iter().map(|x| x.fields.kind).collect();
    assert_eq!(kinds.len(), TeamKind::ALL.len(), "{kinds:?}");
    // The demo's member (FJ01-001's second member) has an open task and a pending commitment.
    let member = w.people.iter().filter(|p| p.unit_code == "FJ01-001").nth(1).unwrap();
    assert!(member.fields.category.is_member());
    let idn = member.fields.id_number.as_deref().unwrap();
    assert!(
        w.tasks.iter().any(|x| x.responsible.first().map(String::as_str) == Some(idn) && x.fields.status.is_open())
    );
    assert!(w.commitments.iter().any(|c| c.person == idn && c.status == Status::Pending));
}

#[test]
fn the_tasks_are_the_same_on_every_run() {
    assert_eq!(world(Scale::Province).tasks, province().tasks);
}
