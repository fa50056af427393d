//! Teams (队伍) for the seed world:
//!
//! - 广东 (GD) "七强七力": 2,068 party-member and league-member commando
//!   teams (党员、团员突击队) founded 2019–2024, each taking on one tackling
//!   task; 2,031 of those problems are solved (攻克发展难题 2000 余个) and
//!   their teams disbanded, the latest 37 still at work in 2024. So
//!   `qizhi figures --org GD --from 2019 --to 2024` shows 2000+ commando
//!   teams and 2000+ tackling tasks done.
//! - The teams the article names, where their units exist: 嘉兴 (ZJ04)
//!   五支队伍, 北京 红中台 青年突击队 and its 数字人 team (BJ-YYZC), 联通在线
//!   小沃志愿服务队 founded 2015 (ZX-XWKJ), 吉安 (JX08) 吉先锋专家团 and
//!   青年团, 安徽 直属客服支部 党员先锋队 (AH-ZSKF).
//! - Two more teams in every other provincial-level unit, the kinds taking
//!   turns, so every kind appears at every scale.

use qizhi_core::person::Category;
use qizhi_core::teams::{TeamFields, TeamKind};
use serde::{Deserialize, Serialize};
use time::macros::date;
use time::{Date, Duration};

use crate::rng::Rng;
use crate::tasks::{Lookup, SeedTask, day_between, idn, team_task};
use crate::world::{AS_OF, SeedPerson, World};

/// A team, its unit, its leader and members (ID numbers).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedTeam {
    pub unit_code: String,
    /// The leader id is left empty: see `leader`.
    pub fields: TeamFields,
    pub leader: Option<String>,
    pub members: Vec<String>,
}

/// Guangdong's commando teams, all told.
pub const GD_COMMANDO_TEAMS: usize = 2_068;
/// Of their tasks, those still open in 2024.
pub const GD_OPEN: usize = 37;

/// The teams of the world, and the tasks Guangdong's commando teams took on.
pub fn generate(w: &World) -> (Vec<SeedTeam>, Vec<SeedTask>) {
    let l = Lookup::new(w);
    let mut teams = vec![];
    let mut tasks = vec![];
    let mut turn = 0usize;
    for &top in &l.tops {
        let mut rng = Rng::for_key(&format!("{top}/teams"));
        if top == "GD" {
            guangdong(&mut rng, &l, &mut teams, &mut tasks);
            continue;
        }
        named(&mut rng, &l, top, &mut teams);
        let branches = l.branches_of(top);
        for n in 1..=2 {
            if branches.is_empty() {
                break;
            }
            let b = branches[rng.below(branches.len() as u64) as usize];
            let kind = [
                TeamKind::Volunteer,
                TeamKind::Service,
                TeamKind::Pioneer,
                TeamKind::Youth,
                TeamKind::Expert,
                TeamKind::Commando,
            ][turn % 6];
            turn += 1;
            let place = l.short.get(b).copied().unwrap_or("").trim_end_matches("党支部");
            let name = format!("{place}{}", kind.zh());
            let founded = day_between(&mut rng, date!(2018 - 01 - 01), date!(2024 - 03 - 31));
            let people = l.people_of(b);
            teams.push(team(&mut rng, b, &format!("{b}-D{n}"), &name, kind, Some(founded), None, people, 4, 8));
        }
    }
    (teams, tasks)
}

/// A team of `unit` drawing `lo..=hi` members from `people`, led by a party member.
#[allow(clippy::too_many_arguments)]
fn team(
    rng: &mut Rng,
    unit: &str,
    code: &str,
    name: &str,
    kind: TeamKind,
    founded: Option<Date>,
    disbanded: Option<Date>,
    people: &[&SeedPerson],
    lo: i64,
    hi: i64,
) -> SeedTeam {
    let mut pool: Vec<&SeedPerson> = people.to_vec();
    rng.shuffle(&mut pool);
    // League members first for a youth or league team, party members first otherwise.
    let young = matches!(kind, TeamKind::Youth) || name.contains("团员") || name.contains("青年");
    pool.sort_by_key(|p| {
        let rank = match p.fields.category {
            Category::League => 0,
            Category::Probationary => 1,
            Category::Full => 2,
            Category::Staff => 3,
        };
        if young { rank } else { (rank + 2) % 4 }
    });
    let n = (rng.range(lo, hi) as usize).min(pool.len());
    let members: Vec<&SeedPerson> = pool.into_iter().take(n).collect();
    let leader = members.iter().find(|p| p.fields.category.is_member()).or(members.first()).map(|p| idn(p));
    SeedTeam {
        unit_code: unit.to_string(),
        fields: TeamFields {
            code: code.to_string(),
            name: name.to_string(),
            kind,
            founded_on: founded,
            disbanded_on: disbanded,
            leader_id: None,
            description: None,
        },
        leader,
        members: members.iter().map(|p| idn(p)).collect(),
    }
}

/// 广东: commando teams founded 2019–2024, each with its tackling task.
fn guangdong(rng: &mut Rng, l: &Lookup, teams: &mut Vec<SeedTeam>, tasks: &mut Vec<SeedTask>) {
    let branches = l.branches_of("GD");
    if branches.is_empty() {
        return;
    }
    let mut founded: Vec<Date> =
        (0..GD_COMMANDO_TEAMS).map(|_| day_between(rng, date!(2019 - 03 - 01), date!(2024 - 05 - 31))).collect();
    founded.sort();
    let mut count: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (i, start) in founded.into_iter().enumerate() {
        let b = branches[i % branches.len()];
        let n = {
            let c = count.entry(b).or_default();
            *c += 1;
            *c
        };
        let people = l.people_of(b);
        let leagues = people.iter().filter(|p| p.fields.category == Category::League).count();
        let league_team = leagues >= 2 && rng.chance(0.35);
        let place = l.short.get(b).copied().unwrap_or("").trim_end_matches("党支部");
        let name = format!("{place}{}{n}", if league_team { "团员突击队" } else { "党员突击队" });
        // The latest teams are still at work; the others solved their problem and disbanded.
        let open = i >= GD_COMMANDO_TEAMS - GD_OPEN;
        let finished = (!open).then(|| (start + Duration::days(rng.range(20, 150))).min(AS_OF));
        let disbanded = finished.map(|f| (f + Duration::days(rng.range(0, 30))).min(AS_OF));
        let code = format!("{b}-D{n:03}");
        let t = team(rng, b, &code, &name, TeamKind::Commando, Some(start), disbanded, people, 3, 6);
        let who: Vec<String> = t.leader.iter().cloned().collect();
        tasks.push(team_task(rng, format!("{b}-G{n:03}"), b, &code, who, start, finished));
        teams.push(t);
    }
}

/// The teams the article names, when their units are in this world.
fn named(rng: &mut Rng, l: &Lookup, top: &str, teams: &mut Vec<SeedTeam>) {
    // (unit, code suffix, name, kind, founded)
    let specs: &[(&str, &str, &str, TeamKind, Date)] = match top {
        "ZJ" => &[
            ("ZJ04", "WX1", "嘉兴联通改革先锋队", TeamKind::Pioneer, date!(2019 - 07 - 01)),
            ("ZJ04", "WX2", "嘉兴联通网络突击队", TeamKind::Commando, date!(2019 - 07 - 01)),
            ("ZJ04", "WX3", "嘉兴联通服务攻坚队", TeamKind::Service, date!(2019 - 07 - 01)),
            ("ZJ04", "WX4", "嘉兴联通清廉护航队", TeamKind::Pioneer, date!(2019 - 07 - 01)),
            ("ZJ04", "WX5", "嘉兴联通橙心义工队", TeamKind::Volunteer, date!(2019 - 07 - 01)),
        ],
        "BJ" => &[
            ("BJ-YYZC", "HZT1", "“红中台”青年突击队", TeamKind::Commando, date!(2021 - 05 - 04)),
            ("BJ-YYZC", "HZT2", "“数字人”科创团队", TeamKind::Expert, date!(2022 - 03 - 01)),
        ],
        "ZX" => &[("ZX-XWKJ", "ZYZ", "联通在线小沃志愿服务队", TeamKind::Volunteer, date!(2015 - 03 - 05))],
        "JX" => &[
            ("JX08", "JXF1", "吉先锋专家团", TeamKind::Expert, date!(2020 - 06 - 18)),
            ("JX08", "JXF2", "吉先锋青年团", TeamKind::Youth, date!(2020 - 06 - 18)),
        ],
        "AH" => &[("AH-ZSKF", "XFD", "直属客服支部党员先锋队", TeamKind::Pioneer, date!(2019 - 06 - 01))],
        _ => &[],
    };
    for &(unit, suffix, name, kind, founded) in specs {
        if !l.top.contains_key(unit) {
            continue;
        }
        // Members from the unit itself or the branches under it.
        let people: Vec<&SeedPerson> = l
            .branches_of(top)
            .iter()
            .filter(|b| **b == unit || ancestors(l, b).any(|a| a == unit))
            .flat_map(|b| l.people_of(b).iter().copied())
            .collect();
        teams.push(team(rng, unit, &format!("{unit}-{suffix}"), name, kind, Some(founded), None, &people, 6, 12));
    }
}

fn ancestors<'a>(l: &'a Lookup, code: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    std::iter::successors(l.parent.get(code).copied(), move |c| l.parent.get(c).copied())
}
