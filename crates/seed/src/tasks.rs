//! Fortresses (堡垒) with their flags, and tasks with their progress ledgers,
//! generated for the seed world — the article's figures exactly, from
//! records:
//!
//! - 内蒙古 (NM): 782 fortresses with 782 flags on its branches' contact
//!   grids (北疆先锋行动, set up 2021–2024); 2603 target tasks of 2024, all
//!   done (average progress 100); 271 tackling tasks of 2024.
//! - 贵州 (GZ): 959 fortresses over its 20 production scenarios; tasks of
//!   2024: 63 urgent (急难险重), 251 blockages all cleared, 904 key work
//!   items all done, 175 brand tasks under the "1+9" brand matrix.
//! - 广东 (GD): the tackling tasks its commando teams took on, 2019–2024,
//!   more than 2000 of them done (see `teams.rs`).
//! - Every other active branch: two to four tasks of 2024 in every state,
//!   with ledgers; some are overdue as of [`AS_OF`]. Its first task is
//!   always in progress, led by the branch's second member.
//!
//! Every date is on or before [`AS_OF`]. Brand tasks name no brand yet
//! (brands are another capability's records).

use std::collections::HashMap;

use qizhi_core::org::{UnitKind, UnitStatus};
use qizhi_core::tasks::{EntryFields, FortressFields, Priority, TaskFields, TaskKind, TaskStatus};
use serde::{Deserialize, Serialize};
use time::macros::date;
use time::{Date, Duration};

use crate::rng::Rng;
use crate::split::split;
use crate::world::{AS_OF, SeedPerson, World};

/// A fortress, its unit, where it stands (by code) and its flag.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedFortress {
    pub unit_code: String,
    /// Scenario, grid and leader ids are left empty: see the codes below.
    pub fields: FortressFields,
    pub scenario_code: Option<String>,
    pub grid_code: Option<String>,
    /// The leader's ID number.
    pub leader: Option<String>,
    pub flag: Option<SeedFlag>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedFlag {
    pub name: String,
    pub planted_on: Date,
    /// The flag leader's ID number.
    pub leader: Option<String>,
}

/// A task, its unit and references (by code and ID number) and its ledger.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedTask {
    pub code: String,
    pub unit_code: String,
    /// Fortress, team and responsible people are left empty: see below.
    pub fields: TaskFields,
    pub fortress_code: Option<String>,
    pub team_code: Option<String>,
    /// ID numbers, the leading one first.
    pub responsible: Vec<String>,
    /// Oldest first; the last sets the progress.
    pub entries: Vec<SeedEntry>,
}

/// A progress entry and who reported it (an ID number).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedEntry {
    pub fields: EntryFields,
    pub by: Option<String>,
}

/// Lookups over a generated world for the capabilities that build on its units and people.
pub(crate) struct Lookup<'a> {
    /// The provincial-level unit each unit lies under ("" for the root).
    pub top: HashMap<&'a str, &'a str>,
    pub parent: HashMap<&'a str, &'a str>,
    /// Active branches of each provincial-level unit, in world order.
    pub branches: HashMap<&'a str, Vec<&'a str>>,
    /// Short names of units, for naming things after them.
    pub short: HashMap<&'a str, &'a str>,
    pub people: HashMap<&'a str, Vec<&'a SeedPerson>>,
    /// Grids a branch is the contact point of: (grid code, grid name).
    pub contact_grids: HashMap<&'a str, Vec<(&'a str, &'a str)>>,
    /// Scenarios of each provincial-level unit: (code, name).
    pub scenarios: HashMap<&'a str, Vec<(&'a str, &'a str)>>,
    /// Provincial-level units in world order.
    pub tops: Vec<&'a str>,
}

impl<'a> Lookup<'a> {
    pub fn new(w: &'a World) -> Lookup<'a> {
        let mut l = Lookup {
            top: HashMap::new(),
            parent: HashMap::new(),
            branches: HashMap::new(),
            short: HashMap::new(),
            people: HashMap::new(),
            contact_grids: HashMap::new(),
            scenarios: HashMap::new(),
            tops: vec![],
        };
        for u in &w.units {
            let code = u.fields.code.as_str();
            l.short.insert(code, u.fields.short_name.as_deref().unwrap_or(&u.fields.name));
            let top = match u.parent_code.as_deref() {
                None => "",
                Some(p) => {
                    l.parent.insert(code, p);
                    match l.top.get(p).copied() {
                        Some("") => {
                            l.tops.push(code);
                            code
                        }
                        Some(t) => t,
                        None => "",
                    }
                }
            };
            l.top.insert(code, top);
            if u.fields.kind == UnitKind::Branch && u.fields.status == UnitStatus::Active {
                l.branches.entry(top).or_default().push(code);
            }
        }
        for p in &w.people {
            l.people.entry(p.unit_code.as_str()).or_default().push(p);
        }
        for g in &w.grids {
            if let Some(c) = &g.contact_unit_code {
                l.contact_grids.entry(c.as_str()).or_default().push((g.fields.code.as_str(), g.fields.name.as_str()));
            }
        }
        for s in &w.scenarios {
            l.scenarios.entry(s.unit_code.as_str()).or_default().push((s.fields.code.as_str(), s.fields.name.as_str()));
        }
        l
    }

    /// The people of a unit (branches hold them all), in world order.
    pub fn people_of(&self, unit: &str) -> &[&'a SeedPerson] {
        self.people.get(unit).map_or(&[], Vec::as_slice)
    }

    /// The party members of a unit; the secretary first.
    pub fn members_of(&self, unit: &str) -> Vec<&'a SeedPerson> {
        self.people_of(unit).iter().copied().filter(|p| p.fields.category.is_member()).collect()
    }

    pub fn branches_of(&self, top: &str) -> &[&'a str] {
        self.branches.get(top).map_or(&[], Vec::as_slice)
    }
}

/// The ID number of a seed person (every one has one).
pub(crate) fn idn(p: &SeedPerson) -> String {
    p.fields.id_number.clone().expect("seed people have ID numbers")
}

/// A day between `a` and `b`, both included.
pub(crate) fn day_between(rng: &mut Rng, a: Date, b: Date) -> Date {
    let span = (b - a).whole_days().max(0);
    a + Duration::days(rng.range(0, span))
}

/// A ledger rising to `last_progress`, dated from `start` to `last_day`.
fn ledger(
    rng: &mut Rng,
    kind: TaskKind,
    start: Date,
    last_day: Date,
    last_progress: i32,
    by: &[String],
) -> Vec<SeedEntry> {
    if last_progress == 0 {
        return vec![];
    }
    let n = rng.range(1, 4) as usize;
    ledger_of(rng, kind, start, last_day, last_progress, by, n)
}

/// A ledger of `n` entries rising to `last_progress`, dated from `start` to `last_day`.
pub(crate) fn ledger_of(
    rng: &mut Rng,
    kind: TaskKind,
    start: Date,
    last_day: Date,
    last_progress: i32,
    by: &[String],
    n: usize,
) -> Vec<SeedEntry> {
    let first = (start + Duration::days(7)).min(last_day);
    let mut days: Vec<Date> = (0..n).map(|_| day_between(rng, first, last_day)).collect();
    days.sort();
    *days.last_mut().expect("at least one entry") = last_day;
    let mut progress: Vec<i32> = (0..n - 1).map(|_| rng.range(5, i64::from(last_progress.max(6)) - 1) as i32).collect();
    progress.sort();
    progress.push(last_progress);
    days.iter()
        .zip(progress)
        .map(|(d, p)| SeedEntry {
            fields: EntryFields { entry_on: *d, progress: p, note: Some(note(rng, kind, p)) },
            by: by.get(rng.below(by.len().max(1) as u64) as usize).cloned(),
        })
        .collect()
}

pub(crate) fn note(rng: &mut Rng, kind: TaskKind, progress: i32) -> String {
    if progress >= 100 {
        return rng
            .pick(&["全部完成，已通过验收", "任务完成，台账资料已归档", "按期完成，成效已报送", "已完成并销号"])
            .to_string();
    }
    let doing = match kind {
        TaskKind::Target => &["完成阶段目标，按计划推进", "已落实网格责任到人", "周例会通报进度，持续推进"][..],
        TaskKind::Tackling => &["攻坚小组现场办公，已拿出解决方案", "协调相关部门，难点逐项销号", "已完成方案论证"][..],
        TaskKind::Urgent => &["党员突击队已到位", "抢通主要站点，继续排查", "现场值守，保障平稳"][..],
        TaskKind::KeyWork => &["完成方案制定并启动实施", "纳入台账清单，每周跟踪", "已完成主要节点"][..],
        TaskKind::Blockage => &["梳理堵点成因，明确责任人", "优化流程，试运行中", "堵点已部分疏通"][..],
        TaskKind::Brand => &["品牌活动方案已审定", "开展主题实践活动", "形成阶段性成果"][..],
    };
    format!("{}（完成 {progress}%）", rng.pick(doing))
}

/// What a generated task is about: its name and measurable target.
pub(crate) fn subject(rng: &mut Rng, kind: TaskKind) -> (String, Option<f64>, Option<String>) {
    let n = |rng: &mut Rng, lo, hi| rng.range(lo, hi) as f64;
    match kind {
        TaskKind::Target => {
            let (what, unit, lo, hi) = rng.pick(&[
                ("新建 5G 基站", "个", 4, 40),
                ("发展宽带新用户", "户", 200, 2000),
                ("千兆光网覆盖小区", "个", 5, 60),
                ("政企项目签约", "个", 2, 20),
                ("智家业务装机", "户", 100, 1500),
                ("存量客户维系", "户", 300, 3000),
                ("校园市场新增用户", "户", 100, 900),
                ("农村宽带覆盖行政村", "个", 3, 30),
            ]);
            let t = n(rng, lo, hi);
            (format!("{what} {t} {unit}"), Some(t), Some(unit.to_string()))
        }
        TaskKind::Tackling => (
            rng.pick(&[
                "老旧小区光网改造入户难题攻坚",
                "农村基站选址难攻坚",
                "政企专线开通时效攻坚",
                "装维服务投诉压降攻坚",
                "5G 驻留比提升攻坚",
                "高铁沿线覆盖攻坚",
                "重点商圈网络质量攻坚",
                "欠费回收攻坚",
            ])
            .to_string(),
            None,
            None,
        ),
        TaskKind::Urgent => (
            rng.pick(&["防汛抢险通信保障", "重大活动通信保障", "冰冻灾害线路抢修", "森林防火应急通信", "地质灾害抢通"])
                .to_string(),
            None,
            None,
        ),
        TaskKind::KeyWork => (
            rng.pick(&[
                "年度网络质量提升",
                "数字化转型重点项目推进",
                "营业厅服务标准化建设",
                "安全生产隐患排查整治",
                "网格化运营改革",
                "算力网络节点建设",
            ])
            .to_string(),
            None,
            None,
        ),
        TaskKind::Blockage => (
            format!(
                "疏通{}",
                rng.pick(&[
                    "工单流转堵点",
                    "用户办理业务堵点",
                    "网格资源调度堵点",
                    "跨部门协同堵点",
                    "结算回款堵点",
                    "装维预约堵点",
                ])
            ),
            None,
            None,
        ),
        TaskKind::Brand => (
            format!(
                "“黔’锋闯新路”{}",
                rng.pick(&[
                    "党员先锋岗创建",
                    "支部联建共建",
                    "党建+数字乡村项目",
                    "先锋服务进万家活动",
                    "党员亮身份亮承诺活动",
                    "“新战略执行好班子”创建",
                ])
            ),
            None,
            None,
        ),
    }
}

/// A task with its ledger: `status` and `last_progress` as it stands on its
/// last entry (`last_day`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn task(
    rng: &mut Rng,
    code: String,
    unit: &str,
    kind: TaskKind,
    year: i32,
    status: TaskStatus,
    last_progress: i32,
    start: Date,
    due: Date,
    last_day: Date,
    responsible: Vec<String>,
) -> SeedTask {
    let (name, target, target_unit) = subject(rng, kind);
    let priority = match rng.below(10) {
        0..=2 => Priority::High,
        3..=8 => Priority::Normal,
        _ => Priority::Low,
    };
    let entries = ledger(rng, kind, start, last_day.max(start), last_progress, &responsible);
    SeedTask {
        code,
        unit_code: unit.to_string(),
        fields: TaskFields {
            kind,
            name,
            description: None,
            fortress_id: None,
            team_id: None,
            brand_id: None,
            responsible: vec![],
            target,
            target_unit,
            year,
            start_on: Some(start),
            due_on: Some(due),
            status,
            priority,
        },
        fortress_code: None,
        team_code: None,
        responsible,
        entries,
    }
}

/// One or two responsible people among a branch's members, the first `lead` when given.
pub(crate) fn responsible(rng: &mut Rng, members: &[&SeedPerson], lead: Option<usize>) -> Vec<String> {
    if members.is_empty() {
        return vec![];
    }
    let first = lead.unwrap_or_else(|| rng.below(members.len() as u64) as usize);
    let mut out = vec![idn(members[first])];
    if members.len() > 2 && rng.chance(0.4) {
        let second = rng.below(members.len() as u64) as usize;
        if second != first {
            out.push(idn(members[second]));
        }
    }
    out
}

const Y2024_START: Date = date!(2024 - 01 - 02);

/// A done task of 2024: started in the first quarter, finished by [`AS_OF`].
fn done_2024(rng: &mut Rng, code: String, unit: &str, kind: TaskKind, who: Vec<String>) -> SeedTask {
    let start = day_between(rng, Y2024_START, date!(2024 - 03 - 31));
    let finished = day_between(rng, start + Duration::days(20), AS_OF);
    let due = day_between(rng, finished.max(date!(2024 - 06 - 30)), date!(2024 - 12 - 31));
    task(rng, code, unit, kind, 2024, TaskStatus::Done, 100, start, due, finished, who)
}

/// A task of 2024 in any state as of [`AS_OF`]: done, in progress, or not started.
fn any_2024(rng: &mut Rng, code: String, unit: &str, kind: TaskKind, who: Vec<String>, force_open: bool) -> SeedTask {
    let roll = if force_open { 0.5 } else { rng.fraction() };
    if roll < 0.35 {
        return done_2024(rng, code, unit, kind, who);
    }
    let start = day_between(rng, Y2024_START, date!(2024 - 05 - 31));
    let due = day_between(rng, start + Duration::days(30), date!(2024 - 12 - 31));
    if roll < 0.85 {
        let last = day_between(rng, start + Duration::days(7), AS_OF);
        let p = rng.range(10, 90) as i32;
        task(rng, code, unit, kind, 2024, TaskStatus::InProgress, p, start, due, last, who)
    } else {
        task(rng, code, unit, kind, 2024, TaskStatus::NotStarted, 0, start, due, start, who)
    }
}

/// The fortresses and tasks of the world.
pub fn generate(w: &World) -> (Vec<SeedFortress>, Vec<SeedTask>) {
    let l = Lookup::new(w);
    let mut fortresses = vec![];
    let mut tasks = vec![];
    for &top in &l.tops {
        let mut rng = Rng::for_key(&format!("{top}/tasks"));
        match top {
            "NM" => inner_mongolia(&mut rng, &l, &mut fortresses, &mut tasks),
            "GZ" => guizhou(&mut rng, &l, &mut fortresses, &mut tasks),
            // Guangdong's tasks come with its commando teams (teams.rs).
            "GD" => {}
            _ => elsewhere(&mut rng, &l, top, &mut fortresses, &mut tasks),
        }
    }
    (fortresses, tasks)
}

fn flag_name(rng: &mut Rng, top: &str) -> String {
    let names: &[&str] = match top {
        "NM" => &["北疆先锋旗", "党员先锋旗", "攻坚突击旗", "红色网格旗"],
        "GZ" => &["黔锋先锋旗", "党员先锋旗", "攻坚克难旗", "场景堡垒旗"],
        _ => &["党员先锋旗", "攻坚突击旗", "红旗责任区旗"],
    };
    rng.pick(names).to_string()
}

/// A fortress of `branch` on a grid or scenario, with its flag when `flag`.
#[allow(clippy::too_many_arguments)]
fn fortress(
    rng: &mut Rng,
    l: &Lookup,
    top: &str,
    branch: &str,
    n: usize,
    ground: (Option<&str>, Option<&str>, &str),
    from: Date,
    flag: bool,
) -> SeedFortress {
    let (grid, scenario, place) = ground;
    let members = l.members_of(branch);
    let leader = members.get(rng.below(members.len().max(1) as u64) as usize).map(|p| idn(p));
    let set_up_on = day_between(rng, from, AS_OF - Duration::days(10));
    let flag = flag.then(|| SeedFlag {
        name: flag_name(rng, top),
        planted_on: day_between(rng, set_up_on, (set_up_on + Duration::days(30)).min(AS_OF)),
        leader: leader.clone(),
    });
    SeedFortress {
        unit_code: branch.to_string(),
        fields: FortressFields {
            code: format!("{branch}-B{n}"),
            name: format!("{place}党员堡垒"),
            scenario_id: None,
            grid_id: None,
            set_up_on,
            closed_on: None,
            leader_id: None,
            description: None,
        },
        scenario_code: scenario.map(str::to_string),
        grid_code: grid.map(str::to_string),
        leader,
        flag,
    }
}

/// Where branch `b` can set up its `n`-th fortress: one of its contact grids,
/// else a scenario of its province.
fn ground<'a>(l: &'a Lookup, top: &str, branch: &str, n: usize) -> Option<(Option<&'a str>, Option<&'a str>, &'a str)> {
    if let Some(grids) = l.contact_grids.get(branch).filter(|g| !g.is_empty()) {
        let (code, name) = grids[n % grids.len()];
        return Some((Some(code), None, name));
    }
    let scenarios = l.scenarios.get(top).filter(|s| !s.is_empty())?;
    let (code, name) = scenarios[n % scenarios.len()];
    Some((None, Some(code), name))
}

/// 内蒙古: 782 fortresses with flags; 2603 target tasks all done; 271 tackling tasks.
fn inner_mongolia(rng: &mut Rng, l: &Lookup, fortresses: &mut Vec<SeedFortress>, tasks: &mut Vec<SeedTask>) {
    let branches = l.branches_of("NM");
    let even = vec![1.0; branches.len()];
    let per_fortress = split(782, &even, &vec![1; branches.len()]);
    let per_target = split(2603, &even, &vec![1; branches.len()]);
    let mut fortress_of: HashMap<&str, Vec<String>> = HashMap::new();
    for (i, &b) in branches.iter().enumerate() {
        for n in 1..=per_fortress[i] as usize {
            let g = ground(l, "NM", b, n - 1).unwrap_or((None, None, "北疆"));
            let f = fortress(rng, l, "NM", b, n, g, date!(2021 - 03 - 01), true);
            fortress_of.entry(b).or_default().push(f.fields.code.clone());
            fortresses.push(f);
        }
    }
    for (i, &b) in branches.iter().enumerate() {
        let members = l.members_of(b);
        for n in 1..=per_target[i] as usize {
            let who = responsible(rng, &members, None);
            let mut t = done_2024(rng, format!("{b}-T{n:02}"), b, TaskKind::Target, who);
            t.fortress_code = fortress_of.get(b).map(|f| f[n % f.len()].clone());
            tasks.push(t);
        }
    }
    for n in 1..=271usize {
        let b = branches[rng.below(branches.len() as u64) as usize];
        let members = l.members_of(b);
        let who = responsible(rng, &members, None);
        let mut t = any_2024(rng, format!("NM-G{n:03}"), b, TaskKind::Tackling, who, false);
        t.fortress_code = fortress_of.get(b).map(|f| f[0].clone());
        tasks.push(t);
    }
}

/// 贵州: 959 fortresses over its 20 scenarios; 63 urgent tasks, 251
/// blockages cleared, 904 key work items done, 175 brand tasks.
fn guizhou(rng: &mut Rng, l: &Lookup, fortresses: &mut Vec<SeedFortress>, tasks: &mut Vec<SeedTask>) {
    let branches = l.branches_of("GZ");
    let scenarios = l.scenarios.get("GZ").cloned().unwrap_or_default();
    let even = vec![1.0; branches.len()];
    let per_fortress = split(959, &even, &vec![1; branches.len()]);
    let mut k = 0;
    for (i, &b) in branches.iter().enumerate() {
        for n in 1..=per_fortress[i] as usize {
            // Round the scenarios, so each of the 20 has its fortresses.
            let (code, name) = scenarios[k % scenarios.len()];
            k += 1;
            let flag = rng.chance(0.9);
            fortresses.push(fortress(rng, l, "GZ", b, n, (None, Some(code), name), date!(2022 - 01 - 01), flag));
        }
    }
    let pick = |rng: &mut Rng| branches[rng.below(branches.len() as u64) as usize];
    for (kind, prefix, count, all_done) in
        [(TaskKind::Urgent, "U", 63, false), (TaskKind::Blockage, "B", 251, true), (TaskKind::KeyWork, "K", 904, true)]
    {
        for n in 1..=count {
            let b = pick(rng);
            let who = responsible(rng, &l.members_of(b), None);
            let code = format!("GZ-{prefix}{n:04}");
            let t =
                if all_done { done_2024(rng, code, b, kind, who) } else { any_2024(rng, code, b, kind, who, false) };
            tasks.push(t);
        }
    }
    // "1+9": the province's main brand and one under each city committee; 175 tasks in all.
    let owners: Vec<&str> = std::iter::once("GZ")
        .chain(
            l.parent
                .iter()
                .filter(|(c, p)| **p == "GZ" && c.len() == 4 && **c != "GZ00")
                .map(|(c, _)| *c)
                .collect::<std::collections::BTreeSet<_>>(),
        )
        .collect();
    for n in 1..=175usize {
        let owner = owners[n % owners.len()];
        // Someone of a branch under the owner answers for it.
        let under: Vec<&str> = branches
            .iter()
            .copied()
            .filter(|b| owner == "GZ" || l.parent.get(b).is_some_and(|p| *p == owner))
            .collect();
        let b = if under.is_empty() { pick(rng) } else { under[rng.below(under.len() as u64) as usize] };
        let who = responsible(rng, &l.members_of(b), None);
        tasks.push(any_2024(rng, format!("GZ-P{n:03}"), owner, TaskKind::Brand, who, false));
    }
}

/// Another provincial-level unit: two to four tasks per active branch, a few fortresses.
fn elsewhere(rng: &mut Rng, l: &Lookup, top: &str, fortresses: &mut Vec<SeedFortress>, tasks: &mut Vec<SeedTask>) {
    const KINDS: [TaskKind; 5] =
        [TaskKind::Target, TaskKind::Tackling, TaskKind::Urgent, TaskKind::KeyWork, TaskKind::Blockage];
    for &b in l.branches_of(top) {
        let members = l.members_of(b);
        if members.is_empty() {
            continue;
        }
        let mut fortress_code = None;
        if rng.chance(0.3)
            && let Some(g) = ground(l, top, b, 0)
        {
            let flag = rng.chance(0.8);
            let f = fortress(rng, l, top, b, 1, g, date!(2022 - 01 - 01), flag);
            fortress_code = Some(f.fields.code.clone());
            fortresses.push(f);
        }
        for n in 1..=rng.range(2, 4) as usize {
            let kind = if n == 1 { TaskKind::Target } else { KINDS[rng.below(KINDS.len() as u64) as usize] };
            // The first task is in progress and led by the branch's second
            // member (the secretary when alone): every branch has one open,
            // and the demo's member account has a task to report on.
            let who = responsible(rng, &members, (n == 1).then_some(1.min(members.len() - 1)));
            let mut t = any_2024(rng, format!("{b}-T{n:02}"), b, kind, who, n == 1);
            if n == 1 {
                t.fortress_code = fortress_code.clone();
            }
            tasks.push(t);
        }
    }
}

/// Tasks a team took on (Guangdong's commando teams): a tackling task of the
/// year the team was founded, done by `finished` or still open in 2024.
pub(crate) fn team_task(
    rng: &mut Rng,
    code: String,
    unit: &str,
    team_code: &str,
    who: Vec<String>,
    start: Date,
    finished: Option<Date>,
) -> SeedTask {
    let year = start.year();
    let year_end = Date::from_calendar_date(year, time::Month::December, 31).expect("a year end");
    let due = day_between(rng, start + Duration::days(30), year_end.max(start + Duration::days(30)));
    let mut t = match finished {
        Some(done) => task(rng, code, unit, TaskKind::Tackling, year, TaskStatus::Done, 100, start, due, done, who),
        None => {
            let last = day_between(rng, start.min(AS_OF), AS_OF);
            let p = rng.range(20, 90) as i32;
            task(rng, code, unit, TaskKind::Tackling, year, TaskStatus::InProgress, p, start, due, last, who)
        }
    };
    t.team_code = Some(team_code.to_string());
    t
}
