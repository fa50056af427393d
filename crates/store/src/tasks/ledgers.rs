//! What the spreadsheet ledgers of fortresses, teams and commitments read:
//! the stored records a file names (by code, or a commitment's id) with the
//! codes and names an importer checks them by, the people of one unit by
//! name, and a subtree's records streamed for an export with the codes and
//! names its cells hold.

use std::collections::{BTreeMap, HashMap};

use qizhi_core::commitments::Commitment;
use qizhi_core::ids::{CommitmentId, PersonId, TeamId, UnitId};
use qizhi_core::org::Unit;
use qizhi_core::tasks::Fortress;
use qizhi_core::teams::Team;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::commitments::{COMMITMENT_COLS, commitment};
use crate::fortresses::{FORTRESS_COLS, fortress};
use crate::rows::{Bind, Sql};
use crate::scope::subtree_filter;
use crate::teams::{TEAM_COLS, team};
use crate::{Store, StoreResult};

/// A fortress with the codes and names of its ledger row.
#[derive(Debug, Clone, PartialEq)]
pub struct FortressOnLedger {
    pub fortress: Fortress,
    pub unit_code: String,
    pub scenario_code: Option<String>,
    pub grid_code: Option<String>,
    pub leader: Option<String>,
    pub flag_leader: Option<String>,
}

/// A team with its unit's code, its leader's name and its members.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamOnLedger {
    pub team: Team,
    pub unit_code: String,
    pub leader: Option<String>,
    /// In the order the team's page lists them (by unit, then person).
    pub members: Vec<(PersonId, String)>,
}

/// A commitment with its unit's code and its member's name and ID number.
#[derive(Debug, Clone, PartialEq)]
pub struct CommitmentOnLedger {
    pub commitment: Commitment,
    pub unit_code: String,
    pub person: String,
    pub id_number: Option<String>,
}

fn prefixed(cols: &str, p: &str) -> String {
    cols.split(", ").map(|c| format!("{p}.{c}")).collect::<Vec<_>>().join(", ")
}

fn fortress_select() -> Sql {
    Sql::new(&format!(
        "SELECT {}, u.code AS unit_code, s.code AS scenario_code, g.code AS grid_code, lp.name AS leader_name, \
         fp.name AS flag_leader_name FROM fortresses f JOIN units u ON u.id = f.unit_id \
         LEFT JOIN scenarios s ON s.id = f.scenario_id LEFT JOIN grids g ON g.id = f.grid_id \
         LEFT JOIN people lp ON lp.id = f.leader_id LEFT JOIN people fp ON fp.id = f.flag_leader_id WHERE ",
        prefixed(FORTRESS_COLS, "f")
    ))
}

fn fortress_on_ledger(r: &AnyRow) -> StoreResult<FortressOnLedger> {
    Ok(FortressOnLedger {
        fortress: fortress(r)?,
        unit_code: r.try_get("unit_code")?,
        scenario_code: r.try_get("scenario_code")?,
        grid_code: r.try_get("grid_code")?,
        leader: r.try_get("leader_name")?,
        flag_leader: r.try_get("flag_leader_name")?,
    })
}

fn team_select() -> Sql {
    Sql::new(&format!(
        "SELECT {}, u.code AS unit_code, lp.name AS leader_name FROM teams m JOIN units u ON u.id = m.unit_id \
         LEFT JOIN people lp ON lp.id = m.leader_id WHERE ",
        prefixed(TEAM_COLS, "m")
    ))
}

fn commitment_select() -> Sql {
    Sql::new(&format!(
        "SELECT {}, u.code AS unit_code, p.name AS person_name, p.id_number FROM commitments c \
         JOIN units u ON u.id = c.unit_id JOIN people p ON p.id = c.person_id WHERE ",
        prefixed(COMMITMENT_COLS, "c")
    ))
}

fn commitment_on_ledger(r: &AnyRow) -> StoreResult<CommitmentOnLedger> {
    Ok(CommitmentOnLedger {
        commitment: commitment(r)?,
        unit_code: r.try_get("unit_code")?,
        person: r.try_get("person_name")?,
        id_number: r.try_get("id_number")?,
    })
}

/// Appends `col IN (…)` for one chunk of values.
fn in_list(sql: &mut Sql, col: &str, binds: impl Iterator<Item = Bind>) {
    sql.push(&format!("{col} IN ("));
    for (i, b) in binds.enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(b);
    }
    sql.push(")");
}

impl Store {
    /// The stored fortresses of these codes, by code.
    pub async fn fortresses_by_code(&self, codes: &[&str]) -> StoreResult<HashMap<String, FortressOnLedger>> {
        let mut out = HashMap::new();
        for chunk in codes.chunks(500) {
            let mut sql = fortress_select();
            in_list(&mut sql, "f.code", chunk.iter().map(|c| Bind::Text(c.to_string())));
            for r in sql.query(self.backend).fetch_all(&self.pool).await? {
                let f = fortress_on_ledger(&r)?;
                out.insert(f.fortress.fields.code.clone(), f);
            }
        }
        Ok(out)
    }

    /// The stored teams of these codes with their members, by code.
    pub async fn teams_by_code(&self, codes: &[&str]) -> StoreResult<HashMap<String, TeamOnLedger>> {
        let mut out = HashMap::new();
        for chunk in codes.chunks(500) {
            let mut sql = team_select();
            in_list(&mut sql, "m.code", chunk.iter().map(|c| Bind::Text(c.to_string())));
            let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
            for t in self.with_members(&rows).await? {
                out.insert(t.team.fields.code.clone(), t);
            }
        }
        Ok(out)
    }

    /// The stored commitments of these ids.
    pub async fn commitments_by_id(
        &self,
        ids: &[CommitmentId],
    ) -> StoreResult<HashMap<CommitmentId, CommitmentOnLedger>> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            let mut sql = commitment_select();
            in_list(&mut sql, "c.id", chunk.iter().map(|i| Bind::Int(i.0)));
            for r in sql.query(self.backend).fetch_all(&self.pool).await? {
                let c = commitment_on_ledger(&r)?;
                out.insert(c.commitment.id, c);
            }
        }
        Ok(out)
    }

    /// The people of `unit` itself (not of its subtree) named `names`, by name:
    /// how a commitments ledger finds its members.
    pub async fn people_of_unit_named(
        &self,
        unit: UnitId,
        names: &[&str],
    ) -> StoreResult<BTreeMap<String, Vec<PersonId>>> {
        let mut out: BTreeMap<String, Vec<PersonId>> = BTreeMap::new();
        for chunk in names.chunks(300) {
            let mut sql = Sql::new("SELECT id, name FROM people WHERE unit_id = ");
            sql.bind(Bind::Int(unit.0)).push(" AND ");
            in_list(&mut sql, "name", chunk.iter().map(|n| Bind::Text(n.to_string())));
            sql.push(" ORDER BY id");
            for r in sql.query(self.backend).fetch_all(&self.pool).await? {
                out.entry(r.try_get(1)?).or_default().push(PersonId(r.try_get(0)?));
            }
        }
        Ok(out)
    }

    /// Every fortress of a subtree in ledger order (unit, then code), streamed to `each`.
    pub async fn each_fortress_in(
        &self,
        root: &Unit,
        mut each: impl FnMut(FortressOnLedger) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        use futures_util::StreamExt;
        let mut sql = fortress_select();
        subtree_filter(&mut sql, "f.unit_path", &root.path);
        sql.push(" ORDER BY f.unit_path, f.code");
        let q = sql.query(self.backend);
        let mut rows = q.fetch(&self.pool);
        while let Some(r) = rows.next().await {
            each(fortress_on_ledger(&r?)?)?;
        }
        Ok(())
    }

    /// Every team of a subtree with its members, in ledger order (unit, then
    /// code), handed to `each` a few hundred teams at a time.
    pub async fn each_team_in(
        &self,
        root: &Unit,
        mut each: impl FnMut(TeamOnLedger) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        let mut sql = team_select();
        subtree_filter(&mut sql, "m.unit_path", &root.path);
        sql.push(" ORDER BY m.unit_path, m.code");
        // A subtree has teams by the thousand, not the million: read whole,
        // their members a chunk of teams at a time.
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        for chunk in rows.chunks(500) {
            for t in self.with_members(chunk).await? {
                each(t)?;
            }
        }
        Ok(())
    }

    /// Every commitment of a subtree in ledger order (unit, member, year), streamed to `each`.
    pub async fn each_commitment_in(
        &self,
        root: &Unit,
        mut each: impl FnMut(CommitmentOnLedger) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        use futures_util::StreamExt;
        let mut sql = commitment_select();
        subtree_filter(&mut sql, "c.unit_path", &root.path);
        sql.push(" ORDER BY c.unit_path, c.person_id, c.year, c.id");
        let q = sql.query(self.backend);
        let mut rows = q.fetch(&self.pool);
        while let Some(r) = rows.next().await {
            each(commitment_on_ledger(&r?)?)?;
        }
        Ok(())
    }

    /// Rows of [`team_select`] as teams with their members, in the rows' order.
    async fn with_members(&self, rows: &[AnyRow]) -> StoreResult<Vec<TeamOnLedger>> {
        let mut teams = rows
            .iter()
            .map(|r| {
                Ok(TeamOnLedger {
                    team: team(r)?,
                    unit_code: r.try_get("unit_code")?,
                    leader: r.try_get("leader_name")?,
                    members: vec![],
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        if teams.is_empty() {
            return Ok(teams);
        }
        let at: HashMap<TeamId, usize> = teams.iter().enumerate().map(|(i, t)| (t.team.id, i)).collect();
        let mut sql = Sql::new(
            "SELECT tm.team_id, p.id, p.name FROM team_members tm JOIN people p ON p.id = tm.person_id WHERE ",
        );
        in_list(&mut sql, "tm.team_id", teams.iter().map(|t| Bind::Int(t.team.id.0)));
        sql.push(" ORDER BY tm.team_id, p.unit_id, p.id");
        for r in sql.query(self.backend).fetch_all(&self.pool).await? {
            if let Some(&i) = at.get(&TeamId(r.try_get(0)?)) {
                teams[i].members.push((PersonId(r.try_get(1)?), r.try_get(2)?));
            }
        }
        Ok(teams)
    }
}
