//! Fortresses (堡垒) and their flags: set up, edit, plant a flag, read, list a
//! subtree's. A standing fortress on a grid covers it (支部联系点 or 堡垒):
//! the grid's `covered` flag and its counters change in the same transaction.

use qizhi_core::figures::{RollupDelta, grid_contributions};
use qizhi_core::ids::{FortressId, GridId, PersonId, ScenarioId, UnitId};
use qizhi_core::org::Unit;
use qizhi_core::tasks::{Flag, Fortress, FortressFields, fortress_contributions as fortress_contributions_of};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Entry, json};
use crate::error::unique_as;
use crate::rows::{self, Bind, Sql, opt_date};
use crate::scope::{Scope, subtree_filter};
use crate::search::By;
use crate::tasks::{date_of, opt_date_of, related};
use crate::{Page, Store, StoreError, StoreResult, Tx, now_ms, rollup, units};

pub(crate) const FORTRESS_COLS: &str = "id, code, unit_id, name, scenario_id, grid_id, set_up_on, closed_on, leader_id, \
     description, flag_name, flag_planted_on, flag_leader_id";

/// A fortress with the names a list shows.
#[derive(Debug, Clone)]
pub struct FortressListed {
    pub fortress: Fortress,
    pub unit_code: String,
    pub unit_name: String,
    pub scenario_name: Option<String>,
    pub grid_name: Option<String>,
    pub leader_name: Option<String>,
    pub flag_leader_name: Option<String>,
    /// Tasks linked to it, and those done.
    pub tasks: i64,
    pub tasks_done: i64,
}

/// What a fortress list asks for.
#[derive(Debug, Clone, Default)]
pub struct FortressQuery {
    /// Only this one (a page of one fortress).
    pub id: Option<FortressId>,
    /// Code or part of the name.
    pub q: String,
    pub scenario: Option<ScenarioId>,
    /// Only standing fortresses (not closed).
    pub standing: bool,
    pub page: i64,
    pub per_page: i64,
}

pub(crate) fn fortress(row: &AnyRow) -> StoreResult<Fortress> {
    let flag = match row.try_get::<Option<String>, _>("flag_name")? {
        Some(name) => Some(Flag {
            name,
            planted_on: date_of(row, "flag_planted_on")?,
            leader_id: row.try_get::<Option<i64>, _>("flag_leader_id")?.map(PersonId),
        }),
        None => None,
    };
    Ok(Fortress {
        id: FortressId(row.try_get("id")?),
        unit_id: UnitId(row.try_get("unit_id")?),
        fields: FortressFields {
            code: row.try_get("code")?,
            name: row.try_get("name")?,
            scenario_id: row.try_get::<Option<i64>, _>("scenario_id")?.map(ScenarioId),
            grid_id: row.try_get::<Option<i64>, _>("grid_id")?.map(GridId),
            set_up_on: date_of(row, "set_up_on")?,
            closed_on: opt_date_of(row, "closed_on")?,
            leader_id: row.try_get::<Option<i64>, _>("leader_id")?.map(PersonId),
            description: row.try_get("description")?,
        },
        flag,
    })
}

pub(crate) async fn get(tx: &mut Tx, id: FortressId) -> StoreResult<Fortress> {
    let row = sqlx::query(&format!("SELECT {FORTRESS_COLS} FROM fortresses WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found(format!("fortress {id}")))?;
    fortress(&row)
}

/// The unit path of a scenario, grid or person row, or a conflict on `field`.
async fn path_of(tx: &mut Tx, table: &str, id: i64, field: &str, what: &str) -> StoreResult<String> {
    let row = sqlx::query(&format!("SELECT u.path FROM {table} x JOIN units u ON u.id = x.unit_id WHERE x.id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::conflict(field, format!("{what} {id} 不存在 (no such {table} row)")))?;
    Ok(row.try_get(0)?)
}

/// Checks that the scenario, grid and people a fortress names exist and
/// belong to its unit's line: its ancestors (a province's scenarios, a
/// city's grids) or its subtree.
pub(crate) async fn check_refs(
    tx: &mut Tx,
    unit: &Unit,
    scenario: Option<ScenarioId>,
    grid: Option<GridId>,
    people: &[(&'static str, Option<PersonId>)],
) -> StoreResult<()> {
    let outside = |what: &str| format!("{what}不属于本组织或其上级、下级组织 ({what} is outside this unit's line)");
    if let Some(s) = scenario
        && !related(&path_of(tx, "scenarios", s.0, "scenario_id", "生产场景").await?, &unit.path)
    {
        return Err(StoreError::conflict("scenario_id", outside("生产场景")));
    }
    if let Some(g) = grid
        && !related(&path_of(tx, "grids", g.0, "grid_id", "网格").await?, &unit.path)
    {
        return Err(StoreError::conflict("grid_id", outside("网格")));
    }
    for (field, person) in people {
        if let Some(p) = person
            && !related(&path_of(tx, "people", p.0, field, "人员").await?, &unit.path)
        {
            return Err(StoreError::conflict(field, outside("人员")));
        }
    }
    Ok(())
}

/// Brings a grid's `covered` flag (contact unit, or a standing fortress on
/// it) and its counters up to date after fortresses changed.
pub(crate) async fn sync_grid_cover(tx: &mut Tx, grid: GridId, delta: &mut RollupDelta) -> StoreResult<()> {
    let row = sqlx::query(&format!("SELECT {} FROM grids WHERE id = $1", rows::GRID_COLS))
        .bind(grid.0)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found(format!("grid {grid}")))?;
    let old = rows::grid(&row)?;
    let covered = old.contact_unit_id.is_some() || stands_on_grid(tx, grid).await?;
    if covered != old.covered {
        sqlx::query("UPDATE grids SET covered = $1, updated_at = $2 WHERE id = $3")
            .bind(i64::from(covered))
            .bind(now_ms())
            .bind(grid.0)
            .execute(&mut **tx)
            .await?;
        let unit = units::get(tx, old.unit_id).await?;
        let new = qizhi_core::grid::Grid { covered, ..old.clone() };
        delta.add(&unit.lineage(), &grid_contributions(&old), -1);
        delta.add(&unit.lineage(), &grid_contributions(&new), 1);
    }
    Ok(())
}

/// Whether a standing fortress stands on the grid.
pub(crate) async fn stands_on_grid(tx: &mut Tx, grid: GridId) -> StoreResult<bool> {
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM fortresses WHERE grid_id = $1 AND closed_on IS NULL")
        .bind(grid.0)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
    Ok(n > 0)
}

fn taken(code: &str) -> String {
    format!("堡垒编码 {code} 已存在 (fortress code already exists)")
}

/// Inserts a fortress of `unit` (references already checked) and records its contributions.
pub(crate) async fn insert(
    tx: &mut Tx,
    unit: &Unit,
    f: &FortressFields,
    flag: Option<&Flag>,
    delta: &mut RollupDelta,
) -> StoreResult<Fortress> {
    let now = now_ms();
    let id: i64 = sqlx::query(
        "INSERT INTO fortresses (code, unit_id, unit_path, name, scenario_id, grid_id, set_up_on, closed_on, leader_id, \
         description, flag_name, flag_planted_on, flag_leader_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
    )
    .bind(f.code.as_str())
    .bind(unit.id.0)
    .bind(unit.path.as_str())
    .bind(f.name.as_str())
    .bind(f.scenario_id.map(|s| s.0))
    .bind(f.grid_id.map(|g| g.0))
    .bind(qizhi_core::date::iso(f.set_up_on))
    .bind(opt_date(f.closed_on))
    .bind(f.leader_id.map(|p| p.0))
    .bind(f.description.as_deref())
    .bind(flag.map(|x| x.name.clone()))
    .bind(opt_date(flag.map(|x| x.planted_on)))
    .bind(flag.and_then(|x| x.leader_id).map(|p| p.0))
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(unique_as("code", taken(&f.code)))?
    .try_get(0)?;
    let fortress = Fortress { id: FortressId(id), unit_id: unit.id, fields: f.clone(), flag: flag.cloned() };
    delta.add(&unit.lineage(), &fortress_contributions_of(&fortress), 1);
    if let Some(g) = f.grid_id {
        sync_grid_cover(tx, g, delta).await?;
    }
    Ok(fortress)
}

/// Rewrites a fortress (its fields and flag; not its unit).
pub(crate) async fn rewrite(
    tx: &mut Tx,
    unit: &Unit,
    old: &Fortress,
    new: &Fortress,
    delta: &mut RollupDelta,
) -> StoreResult<()> {
    let (f, flag) = (&new.fields, new.flag.as_ref());
    sqlx::query(
        "UPDATE fortresses SET code = $1, name = $2, scenario_id = $3, grid_id = $4, set_up_on = $5, closed_on = $6, \
         leader_id = $7, description = $8, flag_name = $9, flag_planted_on = $10, flag_leader_id = $11, updated_at = $12 \
         WHERE id = $13",
    )
    .bind(f.code.as_str())
    .bind(f.name.as_str())
    .bind(f.scenario_id.map(|s| s.0))
    .bind(f.grid_id.map(|g| g.0))
    .bind(qizhi_core::date::iso(f.set_up_on))
    .bind(opt_date(f.closed_on))
    .bind(f.leader_id.map(|p| p.0))
    .bind(f.description.as_deref())
    .bind(flag.map(|x| x.name.clone()))
    .bind(opt_date(flag.map(|x| x.planted_on)))
    .bind(flag.and_then(|x| x.leader_id).map(|p| p.0))
    .bind(now_ms())
    .bind(old.id.0)
    .execute(&mut **tx)
    .await
    .map_err(unique_as("code", taken(&f.code)))?;
    delta.add(&unit.lineage(), &fortress_contributions_of(old), -1);
    delta.add(&unit.lineage(), &fortress_contributions_of(new), 1);
    for g in [old.fields.grid_id, new.fields.grid_id].into_iter().flatten().collect::<std::collections::BTreeSet<_>>() {
        sync_grid_cover(tx, g, delta).await?;
    }
    Ok(())
}

fn entry(action: &'static str, f: &Fortress, unit: &Unit, summary: String, before: Option<&Fortress>) -> Entry {
    Entry {
        action,
        object_kind: "fortress",
        object_id: f.id.to_string(),
        unit_path: Some(unit.path.clone()),
        summary,
        before: before.and_then(json),
        after: json(f),
    }
}

impl Store {
    /// Sets up a fortress of `unit`.
    pub async fn create_fortress(&self, unit: UnitId, f: &FortressFields) -> StoreResult<Fortress> {
        let mut tx = self.write().await?;
        let unit = units::get(&mut tx, unit).await?;
        check_refs(&mut tx, &unit, f.scenario_id, f.grid_id, &[("leader_id", f.leader_id)]).await?;
        let mut delta = RollupDelta::default();
        let fortress = insert(&mut tx, &unit, f, None, &mut delta).await?;
        rollup::apply(&mut tx, &delta).await?;
        let summary = format!("建立堡垒 {}（{}，{}）", f.name, f.code, unit.name);
        audit::append(&mut tx, self.actor.as_ref(), &[entry("create", &fortress, &unit, summary, None)]).await?;
        tx.commit().await?;
        Ok(fortress)
    }

    /// Edits a fortress's fields (its flag stays).
    pub async fn update_fortress(&self, id: FortressId, f: &FortressFields) -> StoreResult<(Fortress, Fortress)> {
        let mut tx = self.write().await?;
        let old = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, old.unit_id).await?;
        check_refs(&mut tx, &unit, f.scenario_id, f.grid_id, &[("leader_id", f.leader_id)]).await?;
        if let Some(flag) = &old.flag
            && (flag.planted_on < f.set_up_on || f.closed_on.is_some_and(|c| c < flag.planted_on))
        {
            return Err(StoreError::conflict(
                "set_up_on",
                format!("旗帜插于 {}，堡垒的建立和撤销日期须与之相符 (dates must fit the flag)", flag.planted_on),
            ));
        }
        let new = Fortress { fields: f.clone(), ..old.clone() };
        let mut delta = RollupDelta::default();
        rewrite(&mut tx, &unit, &old, &new, &mut delta).await?;
        rollup::apply(&mut tx, &delta).await?;
        let summary = format!("修改堡垒 {}（{}）", f.name, f.code);
        audit::append(&mut tx, self.actor.as_ref(), &[entry("update", &new, &unit, summary, Some(&old))]).await?;
        tx.commit().await?;
        Ok((old, new))
    }

    /// Plants (or replants) a fortress's flag.
    pub async fn plant_flag(&self, id: FortressId, flag: &Flag) -> StoreResult<(Fortress, Fortress)> {
        let mut tx = self.write().await?;
        let old = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, old.unit_id).await?;
        check_refs(&mut tx, &unit, None, None, &[("leader_id", flag.leader_id)]).await?;
        let new = Fortress { flag: Some(flag.clone()), ..old.clone() };
        let mut delta = RollupDelta::default();
        rewrite(&mut tx, &unit, &old, &new, &mut delta).await?;
        rollup::apply(&mut tx, &delta).await?;
        let summary = format!("堡垒 {}（{}）插旗：{}", old.fields.name, old.fields.code, flag.name);
        audit::append(&mut tx, self.actor.as_ref(), &[entry("flag", &new, &unit, summary, Some(&old))]).await?;
        tx.commit().await?;
        Ok((old, new))
    }

    pub async fn fortress(&self, id: FortressId) -> StoreResult<Fortress> {
        let row = sqlx::query(&format!("SELECT {FORTRESS_COLS} FROM fortresses WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found(format!("fortress {id}")))?;
        fortress(&row)
    }

    pub async fn fortress_by_code(&self, code: &str) -> StoreResult<Option<Fortress>> {
        let row = sqlx::query(&format!("SELECT {FORTRESS_COLS} FROM fortresses WHERE code = $1"))
            .bind(code.trim())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(fortress).transpose()
    }

    /// Fortresses of the subtree of `root` (and in `scope`), one page, with the total.
    pub async fn fortresses(
        &self,
        root: &Unit,
        scope: &Scope,
        query: &FortressQuery,
    ) -> StoreResult<Page<FortressListed>> {
        let mut filter = Sql::new(" FROM fortresses f JOIN units u ON u.id = f.unit_id WHERE ");
        subtree_filter(&mut filter, "f.unit_path", &root.path);
        scope.filter(&mut filter, "f.unit_path");
        filter.search(&query.q, &[By::Equal("f.code"), By::Contains("f.name")]);
        if let Some(id) = query.id {
            filter.push(" AND f.id = ").bind(Bind::Int(id.0));
        }
        if let Some(s) = query.scenario {
            filter.push(" AND f.scenario_id = ").bind(Bind::Int(s.0));
        }
        if query.standing {
            filter.push(" AND f.closed_on IS NULL");
        }

        let cols = FORTRESS_COLS.split(", ").map(|c| format!("f.{c}")).collect::<Vec<_>>().join(", ");
        let select = format!(
            "SELECT {cols}, u.code AS unit_code, u.name AS unit_name, \
             (SELECT s.name FROM scenarios s WHERE s.id = f.scenario_id) AS scenario_name, \
             (SELECT g.name FROM grids g WHERE g.id = f.grid_id) AS grid_name, \
             (SELECT p.name FROM people p WHERE p.id = f.leader_id) AS leader_name, \
             (SELECT p.name FROM people p WHERE p.id = f.flag_leader_id) AS flag_leader_name, \
             (SELECT COUNT(*) FROM tasks t WHERE t.fortress_id = f.id) AS tasks, \
             (SELECT COUNT(*) FROM tasks t WHERE t.fortress_id = f.id AND t.status = 'done') AS tasks_done",
        );
        self.page(&filter, &select, "f.unit_path, f.code", query.page, query.per_page, |r| {
            Ok(FortressListed {
                fortress: fortress(r)?,
                unit_code: r.try_get("unit_code")?,
                unit_name: r.try_get("unit_name")?,
                scenario_name: r.try_get("scenario_name")?,
                grid_name: r.try_get("grid_name")?,
                leader_name: r.try_get("leader_name")?,
                flag_leader_name: r.try_get("flag_leader_name")?,
                tasks: r.try_get("tasks")?,
                tasks_done: r.try_get("tasks_done")?,
            })
        })
        .await
    }

    /// Fortresses a task of `unit` may name: standing ones on its line (its
    /// subtree and ancestors), at most `limit`, for pickers.
    pub async fn fortress_choices(&self, unit: &Unit, limit: i64) -> StoreResult<Vec<(FortressId, String, String)>> {
        let choices = crate::tasks::line_choices(self, "fortresses", "closed_on", unit, limit).await?;
        Ok(choices.into_iter().map(|(id, code, name)| (FortressId(id), code, name)).collect())
    }

    /// Production scenarios and grids a fortress of `unit` may stand on
    /// (those of its line: its ancestors and its subtree), at most `limit`
    /// of each, for pickers: (id, code, name).
    #[allow(clippy::type_complexity)]
    pub async fn ground_choices(
        &self,
        unit: &Unit,
        limit: i64,
    ) -> StoreResult<(Vec<(ScenarioId, String, String)>, Vec<(GridId, String, String)>)> {
        let mut out = (vec![], vec![]);
        for table in ["scenarios", "grids"] {
            let mut sql = Sql::new(&format!(
                "SELECT x.id, x.code, x.name FROM {table} x JOIN units u ON u.id = x.unit_id WHERE ("
            ));
            subtree_filter(&mut sql, "u.path", &unit.path);
            sql.push(" OR u.id IN (");
            for (i, id) in unit.lineage().iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(Bind::Int(id.0));
            }
            sql.push(")) ORDER BY u.path, x.code LIMIT ").bind(Bind::Int(limit));
            for r in sql.query(self.backend).fetch_all(&self.pool).await? {
                let (id, code, name): (i64, String, String) = (r.try_get(0)?, r.try_get(1)?, r.try_get(2)?);
                if table == "scenarios" {
                    out.0.push((ScenarioId(id), code, name));
                } else {
                    out.1.push((GridId(id), code, name));
                }
            }
        }
        Ok(out)
    }
}
