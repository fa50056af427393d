//! Grids and production scenarios: what party work must cover.

use qizhi_core::figures::{RollupDelta, grid_contributions, scenario_contributions};
use qizhi_core::grid::{Grid, GridFields, Scenario, ScenarioFields};
use qizhi_core::ids::{GridId, ScenarioId, UnitId};
use qizhi_core::org::Unit;
use sqlx::Row;

use crate::audit::{self, Entry, json};
use crate::error::unique_as;
use crate::rows::{self, GRID_COLS, SCENARIO_COLS, Sql};
use crate::scope::{Scope, subtree_filter};
use crate::search::By;
use crate::{Page, Store, StoreError, StoreResult, Tx, now_ms, rollup, units};

/// A grid as lists show it, with its unit's and its contact unit's codes.
#[derive(Debug, Clone)]
pub struct GridListed {
    pub grid: Grid,
    pub unit_code: String,
    pub contact_code: Option<String>,
}

/// A production scenario as lists show it, with its unit's code.
#[derive(Debug, Clone)]
pub struct ScenarioListed {
    pub scenario: Scenario,
    pub unit_code: String,
}

/// Inserts a grid or, when its code exists, updates it; returns the grid.
pub(crate) async fn upsert_grid(
    tx: &mut Tx,
    unit: &Unit,
    f: &GridFields,
    contact: Option<UnitId>,
    delta: &mut RollupDelta,
) -> StoreResult<(Grid, Option<Grid>)> {
    let now = now_ms();
    let old = sqlx::query(&format!("SELECT {GRID_COLS} FROM grids WHERE code = $1"))
        .bind(f.code.as_str())
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| rows::grid(&r))
        .transpose()?;
    // A standing fortress on the grid covers it too.
    let covered = contact.is_some()
        || match &old {
            Some(g) => crate::fortresses::stands_on_grid(tx, g.id).await?,
            None => false,
        };
    let id = match &old {
        Some(g) => {
            let old_unit = units::get(tx, g.unit_id).await?;
            delta.add(&old_unit.lineage(), &grid_contributions(g), -1);
            sqlx::query("UPDATE grids SET unit_id = $1, name = $2, contact_unit_id = $3, covered = $4, updated_at = $5 WHERE id = $6")
                .bind(unit.id.0)
                .bind(f.name.as_str())
                .bind(contact.map(|c| c.0))
                .bind(i64::from(covered))
                .bind(now)
                .bind(g.id.0)
                .execute(&mut **tx)
                .await?;
            g.id.0
        }
        None => sqlx::query(
            "INSERT INTO grids (unit_id, code, name, contact_unit_id, covered, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(unit.id.0)
        .bind(f.code.as_str())
        .bind(f.name.as_str())
        .bind(contact.map(|c| c.0))
        .bind(i64::from(covered))
        .bind(now)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?,
    };
    let grid = Grid {
        id: GridId(id),
        unit_id: unit.id,
        code: f.code.clone(),
        name: f.name.clone(),
        contact_unit_id: contact,
        covered,
    };
    delta.add(&unit.lineage(), &grid_contributions(&grid), 1);
    Ok((grid, old))
}

/// Inserts a scenario or, when its code exists, updates it.
pub(crate) async fn upsert_scenario(
    tx: &mut Tx,
    unit: &Unit,
    f: &ScenarioFields,
    delta: &mut RollupDelta,
) -> StoreResult<(Scenario, Option<Scenario>)> {
    let now = now_ms();
    let old = sqlx::query(&format!("SELECT {SCENARIO_COLS} FROM scenarios WHERE code = $1"))
        .bind(f.code.as_str())
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| rows::scenario(&r))
        .transpose()?;
    let id = match &old {
        Some(s) => {
            let old_unit = units::get(tx, s.unit_id).await?;
            delta.add(&old_unit.lineage(), &scenario_contributions(), -1);
            sqlx::query("UPDATE scenarios SET unit_id = $1, name = $2, description = $3, updated_at = $4 WHERE id = $5")
                .bind(unit.id.0)
                .bind(f.name.as_str())
                .bind(f.description.as_deref())
                .bind(now)
                .bind(s.id.0)
                .execute(&mut **tx)
                .await?;
            s.id.0
        }
        None => sqlx::query(
            "INSERT INTO scenarios (unit_id, code, name, description, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id",
        )
        .bind(unit.id.0)
        .bind(f.code.as_str())
        .bind(f.name.as_str())
        .bind(f.description.as_deref())
        .bind(now)
        .fetch_one(&mut **tx)
        .await
        .map_err(unique_as("code", format!("场景编码 {} 已存在", f.code)))?
        .try_get(0)?,
    };
    delta.add(&unit.lineage(), &scenario_contributions(), 1);
    let new = Scenario {
        id: ScenarioId(id),
        unit_id: unit.id,
        code: f.code.clone(),
        name: f.name.clone(),
        description: f.description.clone(),
    };
    Ok((new, old))
}

impl Store {
    /// Creates or updates (by code) a grid of `unit`, covered when `contact` is its contact-point unit.
    pub async fn save_grid(&self, unit: UnitId, f: &GridFields, contact: Option<UnitId>) -> StoreResult<Grid> {
        let mut tx = self.write().await?;
        let unit = units::get(&mut tx, unit).await?;
        if let Some(c) = contact {
            units::get(&mut tx, c).await?;
        }
        let mut delta = RollupDelta::default();
        let (g, _) = upsert_grid(&mut tx, &unit, f, contact, &mut delta).await?;
        rollup::apply(&mut tx, &delta).await?;
        let entry = Entry {
            action: "save",
            object_kind: "grid",
            object_id: g.id.to_string(),
            unit_path: Some(unit.path.clone()),
            summary: format!("保存网格 {}（{}）", g.name, g.code),
            before: None,
            after: json(&g),
        };
        audit::append(&mut tx, self.actor.as_ref(), &[entry]).await?;
        tx.commit().await?;
        Ok(g)
    }

    pub async fn save_scenario(&self, unit: UnitId, f: &ScenarioFields) -> StoreResult<Scenario> {
        let mut tx = self.write().await?;
        let unit = units::get(&mut tx, unit).await?;
        let mut delta = RollupDelta::default();
        let (s, _) = upsert_scenario(&mut tx, &unit, f, &mut delta).await?;
        rollup::apply(&mut tx, &delta).await?;
        let entry = Entry {
            action: "save",
            object_kind: "scenario",
            object_id: s.id.to_string(),
            unit_path: Some(unit.path.clone()),
            summary: format!("保存生产场景 {}（{}）", s.name, s.code),
            before: None,
            after: json(&s),
        };
        audit::append(&mut tx, self.actor.as_ref(), &[entry]).await?;
        tx.commit().await?;
        Ok(s)
    }

    pub async fn grid(&self, id: GridId) -> StoreResult<Grid> {
        let row = sqlx::query(&format!("SELECT {GRID_COLS} FROM grids WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found(format!("grid {id}")))?;
        rows::grid(&row)
    }

    /// Grids of a subtree with their unit's code and the contact unit's code (exports, lists).
    pub async fn grids_in(&self, root: &Unit) -> StoreResult<Vec<(Grid, String, Option<String>)>> {
        let cols = GRID_COLS.split(", ").map(|c| format!("g.{c}")).collect::<Vec<_>>().join(", ");
        let mut sql = Sql::new(&format!(
            "SELECT {cols}, u.code AS unit_code, c.code AS contact_code FROM grids g JOIN units u ON u.id = g.unit_id \
             LEFT JOIN units c ON c.id = g.contact_unit_id WHERE "
        ));
        subtree_filter(&mut sql, "u.path", &root.path);
        sql.push(" ORDER BY u.path, g.code");
        sql.query(self.backend)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((rows::grid(r)?, r.try_get("unit_code")?, r.try_get("contact_code")?)))
            .collect()
    }

    /// Grids of the subtree of `root` in `scope` whose code or name matches
    /// `q`, one page in tree order.
    pub async fn grids(
        &self,
        root: &Unit,
        scope: &Scope,
        q: &str,
        page: i64,
        per_page: i64,
    ) -> StoreResult<Page<GridListed>> {
        let mut from = Sql::new(
            " FROM grids g JOIN units u ON u.id = g.unit_id LEFT JOIN units c ON c.id = g.contact_unit_id WHERE ",
        );
        subtree_filter(&mut from, "u.path", &root.path);
        scope.filter(&mut from, "u.path");
        from.search(q, &[By::Equal("g.code"), By::Contains("g.name")]);
        let cols = GRID_COLS.split(", ").map(|c| format!("g.{c}")).collect::<Vec<_>>().join(", ");
        let select = format!("SELECT {cols}, u.code AS unit_code, c.code AS contact_code");
        self.page(&from, &select, "u.path, g.code", page, per_page, |r| {
            Ok(GridListed {
                grid: rows::grid(r)?,
                unit_code: r.try_get("unit_code")?,
                contact_code: r.try_get("contact_code")?,
            })
        })
        .await
    }

    /// Production scenarios of the subtree of `root` in `scope` whose code or
    /// name matches `q`, one page in tree order.
    pub async fn scenarios(
        &self,
        root: &Unit,
        scope: &Scope,
        q: &str,
        page: i64,
        per_page: i64,
    ) -> StoreResult<Page<ScenarioListed>> {
        let mut from = Sql::new(" FROM scenarios s JOIN units u ON u.id = s.unit_id WHERE ");
        subtree_filter(&mut from, "u.path", &root.path);
        scope.filter(&mut from, "u.path");
        from.search(q, &[By::Equal("s.code"), By::Contains("s.name")]);
        let cols = SCENARIO_COLS.split(", ").map(|c| format!("s.{c}")).collect::<Vec<_>>().join(", ");
        let select = format!("SELECT {cols}, u.code AS unit_code");
        self.page(&from, &select, "u.path, s.code", page, per_page, |r| {
            Ok(ScenarioListed { scenario: rows::scenario(r)?, unit_code: r.try_get("unit_code")? })
        })
        .await
    }

    pub async fn scenarios_in(&self, root: &Unit) -> StoreResult<Vec<(Scenario, String)>> {
        let cols = SCENARIO_COLS.split(", ").map(|c| format!("s.{c}")).collect::<Vec<_>>().join(", ");
        let mut sql = Sql::new(&format!(
            "SELECT {cols}, u.code AS unit_code FROM scenarios s JOIN units u ON u.id = s.unit_id WHERE "
        ));
        subtree_filter(&mut sql, "u.path", &root.path);
        sql.push(" ORDER BY u.path, s.code");
        sql.query(self.backend)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((rows::scenario(r)?, r.try_get("unit_code")?)))
            .collect()
    }
}
