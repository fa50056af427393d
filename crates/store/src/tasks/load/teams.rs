//! The teams of a batch: each row checked against the stored team of its
//! code (if any), its leader and members found on the team unit's line;
//! then new teams are inserted, changed ones rewritten, and members set
//! wherever they differ from the stored ones.

use std::collections::{BTreeSet, HashMap, HashSet};

use qizhi_core::figures::RollupDelta;
use qizhi_core::ids::{PersonId, TeamId};
use qizhi_core::org::Unit;
use qizhi_core::teams::Team;
use sqlx::Row;

use super::{Refs, TeamRow, audit_entry, err, list};
use crate::audit::{Entry, json};
use crate::load::{LoadError, LoadSummary, RowError};
use crate::rows::{Bind, Sql};
use crate::teams::{self as store, TEAM_COLS};
use crate::{StoreResult, Tx};

/// A team to write: new (`old` is `None`), or changed in its fields or members.
pub(super) struct Planned<'a> {
    pub unit: &'a Unit,
    pub team: Team,
    pub members: BTreeSet<PersonId>,
    pub old: Option<(Team, BTreeSet<PersonId>)>,
}

/// The teams the rows make or change; unchanged ones are left out.
pub(super) async fn plan<'a>(
    tx: &mut Tx,
    rows: &[TeamRow],
    refs: &Refs<'a>,
    errors: &mut Vec<RowError>,
) -> Result<Vec<Planned<'a>>, LoadError> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let codes: Vec<&str> = rows.iter().map(|t| t.fields.code.as_str()).collect();
    let mut stored = stored(tx, &codes).await?;
    let mut planned = vec![];
    let mut seen: HashSet<&str> = HashSet::new();
    for row in rows {
        let Some(u) = refs.unit(&row.unit_code, row.line, errors) else { continue };
        if !seen.insert(row.fields.code.as_str()) {
            err(errors, row.line, "code", format!("队伍编码 {} 重复 (duplicate code)", row.fields.code));
        }
        let old = stored.remove(&row.fields.code);
        if let Some((o, _)) = &old
            && o.unit_id != u.id
        {
            let m = "导入不改变已有队伍的所属组织 (import does not move a team to another unit)";
            err(errors, row.line, "unit_code", m);
            continue;
        }
        let mut fields = row.fields.clone();
        fields.leader_id =
            row.leader.as_ref().and_then(|r| refs.person_on_line(r, u, (row.line, "leader", "队长"), errors));
        let members: BTreeSet<PersonId> = row
            .members
            .iter()
            .filter_map(|r| refs.person_on_line(r, u, (row.line, "members", "成员"), errors))
            .collect();
        let team = Team { id: old.as_ref().map_or(TeamId(0), |(o, _)| o.id), unit_id: u.id, fields };
        if old.as_ref().is_none_or(|(o, m)| *o != team || *m != members) {
            planned.push(Planned { unit: u, team, members, old });
        }
    }
    Ok(planned)
}

/// Writes the planned teams; the ids of the new ones, by code.
pub(super) async fn write(
    tx: &mut Tx,
    planned: &[Planned<'_>],
    delta: &mut RollupDelta,
    summary: &mut LoadSummary,
    trail: &mut Option<Vec<Entry>>,
) -> Result<HashMap<String, TeamId>, LoadError> {
    let mut ids: HashMap<String, TeamId> = HashMap::new();
    for p in planned {
        let members: Vec<PersonId> = p.members.iter().copied().collect();
        match &p.old {
            None => {
                let team = store::insert(tx, p.unit, &p.team.fields, delta).await?;
                store::set_members(tx, team.id, &members).await?;
                if let Some(t) = trail.as_mut() {
                    let text = format!("导入：组建队伍 {}", team.fields.name);
                    t.push(audit_entry("team", team.id.0, p.unit, text, json(&team)));
                }
                ids.insert(team.fields.code.clone(), team.id);
                summary.created += 1;
            }
            Some((old, old_members)) => {
                if *old != p.team {
                    store::rewrite(tx, p.unit, old, &p.team, delta).await?;
                }
                if *old_members != p.members {
                    store::set_members(tx, old.id, &members).await?;
                }
                if let Some(t) = trail.as_mut() {
                    t.push(Entry {
                        action: "update",
                        object_kind: "team",
                        object_id: old.id.to_string(),
                        unit_path: Some(p.unit.path.clone()),
                        summary: format!(
                            "导入：修改队伍 {}（{}），成员 {} 人",
                            p.team.fields.name,
                            p.team.fields.code,
                            members.len()
                        ),
                        before: json(&(old, old_members)),
                        after: json(&(&p.team, &p.members)),
                    });
                }
                summary.updated += 1;
            }
        }
    }
    Ok(ids)
}

/// The stored teams of these codes with their members, by code.
async fn stored(tx: &mut Tx, codes: &[&str]) -> StoreResult<HashMap<String, (Team, BTreeSet<PersonId>)>> {
    let mut out: HashMap<String, (Team, BTreeSet<PersonId>)> = HashMap::new();
    for chunk in codes.chunks(500) {
        let mut sql = Sql::new(&format!("SELECT {TEAM_COLS} FROM teams WHERE code IN ("));
        list(&mut sql, chunk.iter().map(|c| Bind::Text(c.to_string())));
        for r in sql.query(tx.backend()).fetch_all(&mut **tx).await? {
            let t = store::team(&r)?;
            out.insert(t.fields.code.clone(), (t, BTreeSet::new()));
        }
    }
    let by_id: HashMap<TeamId, String> = out.values().map(|(t, _)| (t.id, t.fields.code.clone())).collect();
    let ids: Vec<i64> = by_id.keys().map(|t| t.0).collect();
    for chunk in ids.chunks(500) {
        let mut sql = Sql::new("SELECT team_id, person_id FROM team_members WHERE team_id IN (");
        list(&mut sql, chunk.iter().map(|i| Bind::Int(*i)));
        for r in sql.query(tx.backend()).fetch_all(&mut **tx).await? {
            let code = &by_id[&TeamId(r.try_get(0)?)];
            if let Some((_, members)) = out.get_mut(code) {
                members.insert(PersonId(r.try_get(1)?));
            }
        }
    }
    Ok(out)
}
