//! Teams (队伍): commando teams (突击队, of party or league members),
//! pioneer teams (先锋队), service teams (服务队), volunteer teams
//! (志愿服务队), expert groups (专家团) and youth groups (青年团). A team is
//! founded, has a leader and members, takes tasks on, and may be disbanded;
//! it counts for every span it was active in.

pub use super::rollup::team_contributions;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::{Checker, Invalid, optional_text, required_text};
use crate::ids::{PersonId, TeamId, UnitId};

/// 队伍类别.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TeamKind {
    Commando,
    Pioneer,
    Service,
    Volunteer,
    Expert,
    Youth,
}

impl TeamKind {
    pub const ALL: [TeamKind; 6] = [
        TeamKind::Commando,
        TeamKind::Pioneer,
        TeamKind::Service,
        TeamKind::Volunteer,
        TeamKind::Expert,
        TeamKind::Youth,
    ];

    pub fn code(self) -> &'static str {
        match self {
            TeamKind::Commando => "commando",
            TeamKind::Pioneer => "pioneer",
            TeamKind::Service => "service",
            TeamKind::Volunteer => "volunteer",
            TeamKind::Expert => "expert",
            TeamKind::Youth => "youth",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            TeamKind::Commando => "突击队",
            TeamKind::Pioneer => "先锋队",
            TeamKind::Service => "服务队",
            TeamKind::Volunteer => "志愿服务队",
            TeamKind::Expert => "专家团",
            TeamKind::Youth => "青年团",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            TeamKind::Commando => "Commando team",
            TeamKind::Pioneer => "Pioneer team",
            TeamKind::Service => "Service team",
            TeamKind::Volunteer => "Volunteer team",
            TeamKind::Expert => "Expert group",
            TeamKind::Youth => "Youth group",
        }
    }

    pub fn parse(value: &str) -> Result<TeamKind, String> {
        let v = value.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.code() == v || k.zh() == v || k.en().eq_ignore_ascii_case(v))
            .or(match v {
                "党员突击队" | "团员突击队" | "青年突击队" => Some(TeamKind::Commando),
                "党员先锋队" => Some(TeamKind::Pioneer),
                "志愿队" | "义工队" => Some(TeamKind::Volunteer),
                "专家组" | "科创团队" => Some(TeamKind::Expert),
                _ => None,
            })
            .ok_or_else(|| {
                format!("未知的队伍类别 “{v}”，应为 突击队/先锋队/服务队/志愿服务队/专家团/青年团 (unknown team kind)")
            })
    }

    /// The counter of teams of this kind (`teams.kind.<k>`).
    pub fn key(self) -> &'static str {
        match self {
            TeamKind::Commando => "teams.kind.commando",
            TeamKind::Pioneer => "teams.kind.pioneer",
            TeamKind::Service => "teams.kind.service",
            TeamKind::Volunteer => "teams.kind.volunteer",
            TeamKind::Expert => "teams.kind.expert",
            TeamKind::Youth => "teams.kind.youth",
        }
    }
}

/// A team as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Team {
    pub id: TeamId,
    pub unit_id: UnitId,
    #[serde(flatten)]
    pub fields: TeamFields,
}

impl Team {
    /// Not disbanded.
    pub fn is_active(&self) -> bool {
        self.fields.disbanded_on.is_none()
    }
}

/// What a unit admin sets on a team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamFields {
    /// 队伍编码: unique, like a unit code.
    pub code: String,
    pub name: String,
    pub kind: TeamKind,
    pub founded_on: Option<Date>,
    /// When it was disbanded (解散); it stays on record.
    pub disbanded_on: Option<Date>,
    pub leader_id: Option<PersonId>,
    pub description: Option<String>,
}

/// A team as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TeamInput {
    pub code: String,
    pub name: String,
    pub kind: String,
    pub founded_on: Option<String>,
    pub disbanded_on: Option<String>,
    pub leader_id: Option<i64>,
    pub description: Option<String>,
}

impl TeamInput {
    pub fn validate(&self) -> Result<TeamFields, Invalid> {
        let mut c = Checker::default();
        let code = c.take("code", crate::org::parse_code(&self.code));
        let name = c.take("name", required_text(&self.name, 100));
        let kind = c.take("kind", TeamKind::parse(&self.kind));
        let founded_on = c.take("founded_on", crate::date::parse_optional(self.founded_on.as_deref()));
        let disbanded_on = c.take("disbanded_on", crate::date::parse_optional(self.disbanded_on.as_deref()));
        if let (Some(Some(f)), Some(Some(d))) = (founded_on, disbanded_on)
            && d < f
        {
            c.push("disbanded_on", "解散日期不能早于成立日期 (disbanded before it was founded)");
        }
        let description = c.take("description", optional_text(self.description.as_deref(), 500));
        c.finish()?;
        Ok(TeamFields {
            code: code.unwrap(),
            name: name.unwrap(),
            kind: kind.unwrap(),
            founded_on: founded_on.unwrap(),
            disbanded_on: disbanded_on.unwrap(),
            leader_id: self.leader_id.map(PersonId),
            description: description.unwrap(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::{Span, compute};

    #[test]
    fn kinds_round_trip_and_have_counters() {
        for k in TeamKind::ALL {
            assert_eq!(TeamKind::parse(k.code()).unwrap(), k);
            assert_eq!(TeamKind::parse(k.zh()).unwrap(), k);
            assert!(crate::figures::figure(k.key()).is_some(), "{}", k.key());
        }
        assert_eq!(TeamKind::parse("团员突击队").unwrap(), TeamKind::Commando);
    }

    #[test]
    fn a_team_counts_in_the_years_it_was_active() {
        let fields = TeamInput {
            code: "ZX-XW-T1".into(),
            name: "联通在线小沃志愿服务队".into(),
            kind: "志愿服务队".into(),
            founded_on: Some("2015-03-05".into()),
            ..Default::default()
        }
        .validate()
        .unwrap();
        let active = Team { id: TeamId(1), unit_id: UnitId(1), fields: fields.clone() };
        let gone = Team {
            id: TeamId(2),
            unit_id: UnitId(1),
            fields: TeamFields {
                kind: TeamKind::Commando,
                founded_on: Some(time::macros::date!(2019 - 04 - 01)),
                disbanded_on: Some(time::macros::date!(2020 - 12 - 31)),
                ..fields
            },
        };
        let mut rows = vec![];
        for t in [&active, &gone] {
            for c in team_contributions(t) {
                rows.push((c.year, c.cell_key().to_string(), c.delta));
            }
        }
        let f = |from, to| compute(&rows, Span { from, to });
        assert_eq!(f(2016, 2016)["teams.total"].count(), Some(1));
        assert_eq!(f(2020, 2024)["teams.total"].count(), Some(2));
        assert_eq!(f(2020, 2024)["teams.kind.commando"].count(), Some(1));
        assert_eq!(f(2024, 2024)["teams.kind.commando"].count(), Some(0));
        assert_eq!(f(2024, 2024)["teams.kind.volunteer"].count(), Some(1));
        assert!(!gone.is_active() && active.is_active());
    }

    #[test]
    fn dates_must_be_in_order() {
        let bad = TeamInput {
            code: "T".into(),
            name: "x".into(),
            kind: "突击".into(),
            founded_on: Some("2024-05-01".into()),
            disbanded_on: Some("2024-04-01".into()),
            ..Default::default()
        };
        let fields: Vec<_> = bad.validate().unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["kind", "disbanded_on"]);
    }
}
