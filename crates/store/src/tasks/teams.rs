//! Teams (突击队、先锋队、服务队、志愿服务队、专家团、青年团): found, edit,
//! disband, set members, read, list a subtree's with what they took on.

use qizhi_core::figures::RollupDelta;
use qizhi_core::ids::{PersonId, TeamId, UnitId};
use qizhi_core::org::Unit;
use qizhi_core::person::Person;
use qizhi_core::teams::{Team, TeamFields, TeamKind, team_contributions};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Entry, json};
use crate::error::unique_as;
use crate::rows::{self, Bind, PERSON_COLS, Sql, corrupt, opt_date};
use crate::scope::{Scope, subtree_filter};
use crate::search::By;
use crate::tasks::{opt_date_of, related, values};
use crate::{Page, Store, StoreError, StoreResult, Tx, now_ms, rollup, units};

pub(crate) const TEAM_COLS: &str = "id, code, unit_id, name, kind, founded_on, disbanded_on, leader_id, description";

pub(crate) fn team(row: &AnyRow) -> StoreResult<Team> {
    let kind: String = row.try_get("kind")?;
    Ok(Team {
        id: TeamId(row.try_get("id")?),
        unit_id: UnitId(row.try_get("unit_id")?),
        fields: TeamFields {
            code: row.try_get("code")?,
            name: row.try_get("name")?,
            kind: TeamKind::parse(&kind).map_err(|e| corrupt("kind", &e))?,
            founded_on: opt_date_of(row, "founded_on")?,
            disbanded_on: opt_date_of(row, "disbanded_on")?,
            leader_id: row.try_get::<Option<i64>, _>("leader_id")?.map(PersonId),
            description: row.try_get("description")?,
        },
    })
}

/// A team with the counts a list shows.
#[derive(Debug, Clone)]
pub struct TeamListed {
    pub team: Team,
    pub unit_code: String,
    pub unit_name: String,
    pub leader_name: Option<String>,
    /// Members by category: party (full and probationary), league, others.
    pub party_members: i64,
    pub league_members: i64,
    pub other_members: i64,
    /// Tasks it took on, and those done.
    pub tasks: i64,
    pub tasks_done: i64,
}

/// What a team list asks for.
#[derive(Debug, Clone, Default)]
pub struct TeamQuery {
    /// Only this one (a page of one team).
    pub id: Option<TeamId>,
    pub q: String,
    pub kind: Option<TeamKind>,
    /// Only teams not disbanded.
    pub active: bool,
    pub page: i64,
    pub per_page: i64,
}

pub(crate) async fn get(tx: &mut Tx, id: TeamId) -> StoreResult<Team> {
    let row = sqlx::query(&format!("SELECT {TEAM_COLS} FROM teams WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found(format!("team {id}")))?;
    team(&row)
}

/// Checks that people belong to the team's unit's line; `field` names them in errors.
pub(crate) async fn check_people(tx: &mut Tx, unit: &Unit, people: &[PersonId], field: &str) -> StoreResult<()> {
    for p in people {
        let row = sqlx::query("SELECT u.path FROM people x JOIN units u ON u.id = x.unit_id WHERE x.id = $1")
            .bind(p.0)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or_else(|| StoreError::conflict(field, format!("人员 {p} 不存在 (no such person)")))?;
        let path: String = row.try_get(0)?;
        if !related(&path, &unit.path) {
            return Err(StoreError::conflict(
                field,
                "人员不属于本组织或其上级、下级组织 (the person is outside this unit's line)",
            ));
        }
    }
    Ok(())
}

fn taken(code: &str) -> String {
    format!("队伍编码 {code} 已存在 (team code already exists)")
}

pub(crate) async fn insert(tx: &mut Tx, unit: &Unit, f: &TeamFields, delta: &mut RollupDelta) -> StoreResult<Team> {
    let now = now_ms();
    let id: i64 = sqlx::query(
        "INSERT INTO teams (code, unit_id, unit_path, name, kind, founded_on, disbanded_on, leader_id, description, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(f.code.as_str())
    .bind(unit.id.0)
    .bind(unit.path.as_str())
    .bind(f.name.as_str())
    .bind(f.kind.code())
    .bind(opt_date(f.founded_on))
    .bind(opt_date(f.disbanded_on))
    .bind(f.leader_id.map(|p| p.0))
    .bind(f.description.as_deref())
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(unique_as("code", taken(&f.code)))?
    .try_get(0)?;
    let team = Team { id: TeamId(id), unit_id: unit.id, fields: f.clone() };
    delta.add(&unit.lineage(), &team_contributions(&team), 1);
    Ok(team)
}

/// Rewrites a team's fields (not its unit) and records the change of its contributions.
pub(crate) async fn rewrite(
    tx: &mut Tx,
    unit: &Unit,
    old: &Team,
    new: &Team,
    delta: &mut RollupDelta,
) -> StoreResult<()> {
    let f = &new.fields;
    sqlx::query(
        "UPDATE teams SET code = $1, name = $2, kind = $3, founded_on = $4, disbanded_on = $5, leader_id = $6, \
         description = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(f.code.as_str())
    .bind(f.name.as_str())
    .bind(f.kind.code())
    .bind(opt_date(f.founded_on))
    .bind(opt_date(f.disbanded_on))
    .bind(f.leader_id.map(|p| p.0))
    .bind(f.description.as_deref())
    .bind(now_ms())
    .bind(old.id.0)
    .execute(&mut **tx)
    .await
    .map_err(unique_as("code", taken(&f.code)))?;
    delta.add(&unit.lineage(), &team_contributions(old), -1);
    delta.add(&unit.lineage(), &team_contributions(new), 1);
    Ok(())
}

/// Replaces a team's members.
pub(crate) async fn set_members(tx: &mut Tx, team: TeamId, people: &[PersonId]) -> StoreResult<()> {
    sqlx::query("DELETE FROM team_members WHERE team_id = $1").bind(team.0).execute(&mut **tx).await?;
    let mut seen = std::collections::HashSet::new();
    let people: Vec<PersonId> = people.iter().copied().filter(|p| seen.insert(*p)).collect();
    for chunk in people.chunks(400) {
        let mut sql = Sql::new("INSERT INTO team_members (team_id, person_id) VALUES ");
        for (i, p) in chunk.iter().enumerate() {
            values(&mut sql, i == 0, vec![Bind::Int(team.0), Bind::Int(p.0)]);
        }
        sql.query(tx.backend()).execute(&mut **tx).await?;
    }
    Ok(())
}

fn entry(action: &'static str, t: &Team, unit: &Unit, summary: String, before: Option<&Team>) -> Entry {
    Entry {
        action,
        object_kind: "team",
        object_id: t.id.to_string(),
        unit_path: Some(unit.path.clone()),
        summary,
        before: before.and_then(json),
        after: json(t),
    }
}

impl Store {
    /// Founds a team of `unit` with its first members.
    pub async fn create_team(&self, unit: UnitId, f: &TeamFields, members: &[PersonId]) -> StoreResult<Team> {
        let mut tx = self.write().await?;
        let unit = units::get(&mut tx, unit).await?;
        check_people(&mut tx, &unit, &f.leader_id.into_iter().collect::<Vec<_>>(), "leader_id").await?;
        check_people(&mut tx, &unit, members, "members").await?;
        let mut delta = RollupDelta::default();
        let team = insert(&mut tx, &unit, f, &mut delta).await?;
        set_members(&mut tx, team.id, members).await?;
        rollup::apply(&mut tx, &delta).await?;
        let summary = format!("组建队伍 {}（{}，{}）", f.name, f.code, unit.name);
        audit::append(&mut tx, self.actor.as_ref(), &[entry("create", &team, &unit, summary, None)]).await?;
        tx.commit().await?;
        Ok(team)
    }

    /// Edits a team (a disbanding date disbands it).
    pub async fn update_team(&self, id: TeamId, f: &TeamFields) -> StoreResult<(Team, Team)> {
        let mut tx = self.write().await?;
        let old = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, old.unit_id).await?;
        check_people(&mut tx, &unit, &f.leader_id.into_iter().collect::<Vec<_>>(), "leader_id").await?;
        let new = Team { fields: f.clone(), ..old.clone() };
        let mut delta = RollupDelta::default();
        rewrite(&mut tx, &unit, &old, &new, &mut delta).await?;
        rollup::apply(&mut tx, &delta).await?;
        let summary = format!("修改队伍 {}（{}）", f.name, f.code);
        audit::append(&mut tx, self.actor.as_ref(), &[entry("update", &new, &unit, summary, Some(&old))]).await?;
        tx.commit().await?;
        Ok((old, new))
    }

    /// Replaces a team's members.
    pub async fn set_team_members(&self, id: TeamId, members: &[PersonId]) -> StoreResult<Team> {
        let mut tx = self.write().await?;
        let team = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, team.unit_id).await?;
        check_people(&mut tx, &unit, members, "members").await?;
        let before: Vec<i64> = sqlx::query("SELECT person_id FROM team_members WHERE team_id = $1 ORDER BY person_id")
            .bind(id.0)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, _>>()?;
        set_members(&mut tx, id, members).await?;
        let mut after: Vec<i64> = members.iter().map(|p| p.0).collect();
        after.sort_unstable();
        after.dedup();
        let e = Entry {
            action: "members",
            object_kind: "team",
            object_id: id.to_string(),
            unit_path: Some(unit.path.clone()),
            summary: format!("调整队伍 {}（{}）成员：{} 人", team.fields.name, team.fields.code, after.len()),
            before: json(&before),
            after: json(&after),
        };
        audit::append(&mut tx, self.actor.as_ref(), &[e]).await?;
        tx.commit().await?;
        Ok(team)
    }

    pub async fn team(&self, id: TeamId) -> StoreResult<Team> {
        let row = sqlx::query(&format!("SELECT {TEAM_COLS} FROM teams WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found(format!("team {id}")))?;
        team(&row)
    }

    pub async fn team_by_code(&self, code: &str) -> StoreResult<Option<Team>> {
        let row = sqlx::query(&format!("SELECT {TEAM_COLS} FROM teams WHERE code = $1"))
            .bind(code.trim())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(team).transpose()
    }

    /// A team's members with the names of their units.
    pub async fn team_members(&self, id: TeamId) -> StoreResult<Vec<(Person, String)>> {
        let cols = PERSON_COLS.split(", ").map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", ");
        let rows = sqlx::query(&format!(
            "SELECT {cols}, u.name AS unit_name FROM team_members m JOIN people p ON p.id = m.person_id \
             JOIN units u ON u.id = p.unit_id WHERE m.team_id = $1 ORDER BY p.unit_id, p.id"
        ))
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok((rows::person(r)?, r.try_get("unit_name")?))).collect()
    }

    /// Teams of the subtree of `root` (and in `scope`), one page, with the total.
    pub async fn teams(&self, root: &Unit, scope: &Scope, query: &TeamQuery) -> StoreResult<Page<TeamListed>> {
        let mut filter = Sql::new(" FROM teams m JOIN units u ON u.id = m.unit_id WHERE ");
        subtree_filter(&mut filter, "m.unit_path", &root.path);
        scope.filter(&mut filter, "m.unit_path");
        filter.search(&query.q, &[By::Equal("m.code"), By::Contains("m.name")]);
        if let Some(id) = query.id {
            filter.push(" AND m.id = ").bind(Bind::Int(id.0));
        }
        if let Some(k) = query.kind {
            filter.push(" AND m.kind = ").bind(Bind::Text(k.code().into()));
        }
        if query.active {
            filter.push(" AND m.disbanded_on IS NULL");
        }
        let cols = TEAM_COLS.split(", ").map(|c| format!("m.{c}")).collect::<Vec<_>>().join(", ");
        let member_count = |cond: &str| {
            format!(
                "(SELECT COUNT(*) FROM team_members tm JOIN people p ON p.id = tm.person_id WHERE tm.team_id = m.id AND {cond})"
            )
        };
        let select = format!(
            "SELECT {cols}, u.code AS unit_code, u.name AS unit_name, \
             (SELECT p.name FROM people p WHERE p.id = m.leader_id) AS leader_name, \
             {} AS party_members, {} AS league_members, {} AS other_members, \
             (SELECT COUNT(*) FROM tasks t WHERE t.team_id = m.id) AS tasks, \
             (SELECT COUNT(*) FROM tasks t WHERE t.team_id = m.id AND t.status = 'done') AS tasks_done",
            member_count("p.category IN ('full', 'probationary')"),
            member_count("p.category = 'league'"),
            member_count("p.category = 'staff'")
        );
        self.page(&filter, &select, "m.unit_path, m.code", query.page, query.per_page, |r| {
            Ok(TeamListed {
                team: team(r)?,
                unit_code: r.try_get("unit_code")?,
                unit_name: r.try_get("unit_name")?,
                leader_name: r.try_get("leader_name")?,
                party_members: r.try_get("party_members")?,
                league_members: r.try_get("league_members")?,
                other_members: r.try_get("other_members")?,
                tasks: r.try_get("tasks")?,
                tasks_done: r.try_get("tasks_done")?,
            })
        })
        .await
    }

    /// Active teams a task of `unit` may name (its subtree and ancestors), for pickers.
    pub async fn team_choices(&self, unit: &Unit, limit: i64) -> StoreResult<Vec<(TeamId, String, String)>> {
        let choices = crate::tasks::line_choices(self, "teams", "disbanded_on", unit, limit).await?;
        Ok(choices.into_iter().map(|(id, code, name)| (TeamId(id), code, name)).collect())
    }
}
