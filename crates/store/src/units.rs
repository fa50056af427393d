//! Org units: reads, search, create, edit, move a subtree, delete an empty unit.

use qizhi_core::figures::{CellKey, Measure, RollupDelta, unit_contributions};
use qizhi_core::ids::UnitId;
use qizhi_core::org::{Unit, UnitFields, child_path, lineage};
use sqlx::Row;

use crate::audit::{self, Entry, json};
use crate::error::unique_as;
use crate::rows::{self, Bind, Sql, UNIT_COLS, opt_date};
use crate::scope::{Scope, subtree_filter};
use crate::search::By;
use crate::{Store, StoreError, StoreResult, Tx, now_ms, rollup};

/// A unit with the number of its direct children.
#[derive(Debug, Clone)]
pub struct UnitNode {
    pub unit: Unit,
    pub child_count: i64,
}

pub(crate) async fn get(tx: &mut Tx, id: UnitId) -> StoreResult<Unit> {
    let row = sqlx::query(&format!("SELECT {UNIT_COLS} FROM units WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found(format!("unit {id}")))?;
    rows::unit(&row)
}

/// Inserts a unit under `parent` and records its contributions in `delta`.
pub(crate) async fn insert(
    tx: &mut Tx,
    parent: Option<&Unit>,
    f: &UnitFields,
    delta: &mut RollupDelta,
) -> StoreResult<Unit> {
    if let Some(p) = parent
        && !f.kind.may_be_under(p.kind)
    {
        return Err(StoreError::conflict(
            "kind",
            format!("{} 不能设在 {} 之下 ({} cannot be under {})", f.kind.zh(), p.kind.zh(), f.kind.en(), p.kind.en()),
        ));
    }
    let now = now_ms();
    let id: i64 = sqlx::query(
        "INSERT INTO units (code, name, short_name, kind, parent_id, path, depth, sort_order, founded, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, '', $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(f.code.as_str())
    .bind(f.name.as_str())
    .bind(f.short_name.as_deref())
    .bind(f.kind.code())
    .bind(parent.map(|p| p.id.0))
    .bind(parent.map_or(0, |p| i64::from(p.depth) + 1))
    .bind(i64::from(f.sort_order))
    .bind(opt_date(f.founded))
    .bind(f.status.code())
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(unique_as("code", format!("组织编码 {} 已存在 (code already exists)", f.code)))?
    .try_get(0)?;
    let path = child_path(parent.map(|p| p.path.as_str()), UnitId(id));
    sqlx::query("UPDATE units SET path = $1 WHERE id = $2").bind(path.as_str()).bind(id).execute(&mut **tx).await?;
    let unit = Unit {
        id: UnitId(id),
        code: f.code.clone(),
        name: f.name.clone(),
        short_name: f.short_name.clone(),
        kind: f.kind,
        parent_id: parent.map(|p| p.id),
        path,
        depth: parent.map_or(0, |p| p.depth + 1),
        sort_order: f.sort_order,
        founded: f.founded,
        status: f.status,
    };
    delta.add(&unit.lineage(), &unit_contributions(&unit), 1);
    Ok(unit)
}

/// Changes a unit's own fields (not its place in the tree).
pub(crate) async fn update(tx: &mut Tx, old: &Unit, f: &UnitFields, delta: &mut RollupDelta) -> StoreResult<Unit> {
    if let Some(pid) = old.parent_id {
        let parent = get(tx, pid).await?;
        if !f.kind.may_be_under(parent.kind) {
            return Err(StoreError::conflict("kind", format!("{} 不能设在 {} 之下", f.kind.zh(), parent.kind.zh())));
        }
    }
    sqlx::query(
        "UPDATE units SET code = $1, name = $2, short_name = $3, kind = $4, sort_order = $5, founded = $6, status = $7, updated_at = $8 WHERE id = $9",
    )
    .bind(f.code.as_str())
    .bind(f.name.as_str())
    .bind(f.short_name.as_deref())
    .bind(f.kind.code())
    .bind(i64::from(f.sort_order))
    .bind(opt_date(f.founded))
    .bind(f.status.code())
    .bind(now_ms())
    .bind(old.id.0)
    .execute(&mut **tx)
    .await
    .map_err(unique_as("code", format!("组织编码 {} 已存在 (code already exists)", f.code)))?;
    let new = Unit {
        code: f.code.clone(),
        name: f.name.clone(),
        short_name: f.short_name.clone(),
        kind: f.kind,
        sort_order: f.sort_order,
        founded: f.founded,
        status: f.status,
        ..old.clone()
    };
    delta.add(&old.lineage(), &unit_contributions(old), -1);
    delta.add(&new.lineage(), &unit_contributions(&new), 1);
    Ok(new)
}

impl Store {
    pub async fn unit(&self, id: UnitId) -> StoreResult<Unit> {
        let row = sqlx::query(&format!("SELECT {UNIT_COLS} FROM units WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found(format!("unit {id}")))?;
        rows::unit(&row)
    }

    pub async fn unit_by_code(&self, code: &str) -> StoreResult<Option<Unit>> {
        let row = sqlx::query(&format!("SELECT {UNIT_COLS} FROM units WHERE code = $1"))
            .bind(code.trim())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(rows::unit).transpose()
    }

    /// The units of a path, root first (for breadcrumbs).
    pub async fn lineage_units(&self, unit: &Unit) -> StoreResult<Vec<Unit>> {
        let ids = lineage(&unit.path);
        let mut sql = Sql::new(&format!("SELECT {UNIT_COLS} FROM units WHERE id IN ("));
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(Bind::Int(id.0));
        }
        sql.push(") ORDER BY depth");
        sql.query(self.backend).fetch_all(&self.pool).await?.iter().map(rows::unit).collect()
    }

    /// The topmost units a scope can see: the roots of the tree, or the scope's own roots.
    pub async fn scope_roots(&self, scope: &Scope) -> StoreResult<Vec<UnitNode>> {
        let mut sql = Sql::new(&format!(
            "SELECT {UNIT_COLS}, (SELECT COUNT(*) FROM units c WHERE c.parent_id = units.id) AS child_count FROM units WHERE "
        ));
        match scope {
            Scope::All => {
                sql.push("parent_id IS NULL");
            }
            Scope::Subtrees(roots) if roots.is_empty() => {
                sql.push("1 = 0");
            }
            Scope::Subtrees(roots) => {
                sql.push("path IN (");
                for (i, r) in roots.iter().enumerate() {
                    if i > 0 {
                        sql.push(", ");
                    }
                    sql.bind(Bind::Text(r.clone()));
                }
                sql.push(")");
            }
        }
        sql.push(" ORDER BY sort_order, id");
        nodes(sql.query(self.backend).fetch_all(&self.pool).await?)
    }

    /// Direct children of a unit, in display order.
    pub async fn children(&self, id: UnitId) -> StoreResult<Vec<UnitNode>> {
        let rows = sqlx::query(&format!(
            "SELECT {UNIT_COLS}, (SELECT COUNT(*) FROM units c WHERE c.parent_id = units.id) AS child_count \
             FROM units WHERE parent_id = $1 ORDER BY sort_order, code"
        ))
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        nodes(rows)
    }

    /// Units whose code or name matches `q`, within `scope`: exact code first.
    pub async fn search_units(&self, q: &str, scope: &Scope, limit: i64) -> StoreResult<Vec<Unit>> {
        let q = q.trim();
        let mut sql = Sql::new(&format!("SELECT {UNIT_COLS} FROM units WHERE 1 = 1"));
        sql.search(q, &[By::Prefix("code"), By::Contains("name"), By::Contains("short_name")]);
        scope.filter(&mut sql, "path");
        sql.push(" ORDER BY CASE WHEN lower(code) = lower(").bind(Bind::Text(q.to_string())).push(")");
        sql.push(" THEN 0 ELSE 1 END, depth, sort_order, code LIMIT ").bind(Bind::Int(limit));
        sql.query(self.backend).fetch_all(&self.pool).await?.iter().map(rows::unit).collect()
    }

    /// All units of a subtree, in tree order (for exports).
    pub async fn subtree_units(&self, root: &Unit) -> StoreResult<Vec<Unit>> {
        let mut sql = Sql::new(&format!("SELECT {UNIT_COLS} FROM units WHERE "));
        subtree_filter(&mut sql, "path", &root.path);
        sql.push(" ORDER BY depth, sort_order, code");
        sql.query(self.backend).fetch_all(&self.pool).await?.iter().map(rows::unit).collect()
    }

    pub async fn create_unit(&self, parent: Option<UnitId>, f: &UnitFields) -> StoreResult<Unit> {
        let mut tx = self.write().await?;
        let parent = match parent {
            Some(p) => Some(get(&mut tx, p).await?),
            None => None,
        };
        if parent.is_none() {
            let roots: i64 = sqlx::query("SELECT COUNT(*) FROM units WHERE parent_id IS NULL")
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?;
            if roots > 0 {
                return Err(StoreError::conflict("parent_code", "必须指定上级组织 (a parent unit is required)"));
            }
        }
        let mut delta = RollupDelta::default();
        let unit = insert(&mut tx, parent.as_ref(), f, &mut delta).await?;
        rollup::apply(&mut tx, &delta).await?;
        let entry = unit_entry("create", &unit, format!("新建组织 {}（{}）", unit.name, unit.code), None, Some(&unit));
        audit::append(&mut tx, self.actor.as_ref(), &[entry]).await?;
        tx.commit().await?;
        Ok(unit)
    }

    pub async fn update_unit(&self, id: UnitId, f: &UnitFields) -> StoreResult<(Unit, Unit)> {
        let mut tx = self.write().await?;
        let old = get(&mut tx, id).await?;
        let mut delta = RollupDelta::default();
        let new = update(&mut tx, &old, f, &mut delta).await?;
        rollup::apply(&mut tx, &delta).await?;
        let entry =
            unit_entry("update", &new, format!("修改组织 {}（{}）", new.name, new.code), Some(&old), Some(&new));
        audit::append(&mut tx, self.actor.as_ref(), &[entry]).await?;
        tx.commit().await?;
        Ok((old, new))
    }

    /// Moves a unit and its whole subtree under `new_parent` (reorganization).
    /// Paths under it are rewritten in one statement, and the subtree's
    /// counters leave the old ancestors and join the new ones.
    pub async fn move_unit(&self, id: UnitId, new_parent: UnitId) -> StoreResult<(Unit, Unit)> {
        let mut tx = self.write().await?;
        let unit = get(&mut tx, id).await?;
        let parent = get(&mut tx, new_parent).await?;
        if qizhi_core::org::in_subtree(&parent.path, &unit.path) {
            return Err(StoreError::conflict(
                "parent_code",
                "不能移到自身或下级组织之下 (cannot move a unit under itself)",
            ));
        }
        if !unit.kind.may_be_under(parent.kind) {
            return Err(StoreError::conflict(
                "parent_code",
                format!(
                    "{} 不能设在 {} 之下 ({} cannot be under {})",
                    unit.kind.zh(),
                    parent.kind.zh(),
                    unit.kind.en(),
                    parent.kind.en()
                ),
            ));
        }
        let cells = rollup::cells(&mut *tx, unit.id).await?;
        // A unit's own cells (its rank, its streaks) stay its own.
        let own = |c: &CellKey| qizhi_core::figures::counter(c.key).is_some_and(|c| c.measure == Measure::Own);
        let cells: Vec<(i32, CellKey, i64)> = cells
            .iter()
            .filter_map(|(y, k, v)| CellKey::parse(k).map(|c| (*y, c, *v)))
            .filter(|(_, c, _)| !own(c))
            .collect();
        let old_ancestors = lineage(&unit.path);
        let old_ancestors = &old_ancestors[..old_ancestors.len() - 1];
        let mut delta = RollupDelta::default();
        delta.add_cells(old_ancestors, &cells, -1);
        delta.add_cells(&parent.lineage(), &cells, 1);

        let new_path = child_path(Some(&parent.path), unit.id);
        let depth_change = i64::from(parent.depth + 1 - unit.depth);
        let mut sql = Sql::new("UPDATE units SET path = ");
        sql.bind(Bind::Text(new_path.clone())).push(" || substr(path, CAST(");
        sql.bind(Bind::Int(unit.path.len() as i64 + 1)).push(" AS INTEGER)), depth = depth + ");
        sql.bind(Bind::Int(depth_change)).push(" WHERE ");
        subtree_filter(&mut sql, "path", &unit.path);
        sql.query(tx.backend()).execute(&mut *tx).await?;
        crate::tasks::move_paths(&mut tx, &unit.path, &new_path).await?; // records keep their unit's path
        sqlx::query("UPDATE units SET parent_id = $1, updated_at = $2 WHERE id = $3")
            .bind(parent.id.0)
            .bind(now_ms())
            .bind(unit.id.0)
            .execute(&mut *tx)
            .await?;
        let moved = get(&mut tx, id).await?;
        // Brands: the standard applying to its brands may now come from elsewhere.
        crate::standards::refresh_met_in(&mut tx, &moved, &mut delta).await?;
        rollup::apply(&mut tx, &delta).await?;
        let summary = format!("移动组织 {}（{}）到 {}（{}）之下", unit.name, unit.code, parent.name, parent.code);
        let entry = unit_entry("move", &moved, summary, Some(&unit), Some(&moved));
        audit::append(&mut tx, self.actor.as_ref(), &[entry]).await?;
        tx.commit().await?;
        Ok((unit, moved))
    }

    /// Deletes a unit that has no children, people, grids or scenarios.
    pub async fn delete_unit(&self, id: UnitId) -> StoreResult<Unit> {
        let mut tx = self.write().await?;
        let unit = get(&mut tx, id).await?;
        for (table, col, what) in [
            ("units", "parent_id", "下级组织 (child units)"),
            ("people", "unit_id", "人员 (people)"),
            ("grids", "unit_id", "网格 (grids)"),
            ("grids", "contact_unit_id", "联系的网格 (grids it covers)"),
            ("scenarios", "unit_id", "生产场景 (scenarios)"),
            ("brands", "unit_id", "品牌 (brands)"),
            ("honors", "unit_id", "荣誉 (honors)"),
            ("brand_standards", "unit_id", "品牌标准 (brand standards)"),
            ("star_entries", "unit_id", "星级评选记录 (star evaluations)"),
            ("star_schemes", "unit_id", "星级评价体系 (star schemes)"),
            ("star_campaigns", "unit_id", "星级评选活动 (star campaigns)"),
            ("fortresses", "unit_id", "堡垒 (fortresses)"),
            ("teams", "unit_id", "队伍 (teams)"),
            ("tasks", "unit_id", "任务 (tasks)"),
            ("commitments", "unit_id", "承诺 (commitments)"),
        ] {
            let n: i64 = sqlx::query(&format!("SELECT COUNT(*) FROM {table} WHERE {col} = $1"))
                .bind(id.0)
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?;
            if n > 0 {
                return Err(StoreError::conflict(
                    "id",
                    format!("该组织还有 {n} 个{what}，不能删除；可改为“已撤销” (unit still has {what})"),
                ));
            }
        }
        let mut delta = RollupDelta::default();
        let ancestors = lineage(&unit.path);
        delta.add(&ancestors[..ancestors.len() - 1], &unit_contributions(&unit), -1);
        sqlx::query("DELETE FROM rollup WHERE unit_id = $1").bind(id.0).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM units WHERE id = $1").bind(id.0).execute(&mut *tx).await?;
        rollup::apply(&mut tx, &delta).await?;
        let entry = unit_entry("delete", &unit, format!("删除组织 {}（{}）", unit.name, unit.code), Some(&unit), None);
        audit::append(&mut tx, self.actor.as_ref(), &[entry]).await?;
        tx.commit().await?;
        Ok(unit)
    }
}

/// An audit entry about a unit; it is filed under the unit itself.
pub(crate) fn unit_entry(
    action: &'static str,
    unit: &Unit,
    summary: String,
    before: Option<&Unit>,
    after: Option<&Unit>,
) -> Entry {
    Entry {
        action,
        object_kind: "unit",
        object_id: unit.id.to_string(),
        unit_path: Some(unit.path.clone()),
        summary,
        before: before.and_then(json),
        after: after.and_then(json),
    }
}

fn nodes(rows: Vec<sqlx::any::AnyRow>) -> StoreResult<Vec<UnitNode>> {
    rows.iter().map(|r| Ok(UnitNode { unit: rows::unit(r)?, child_count: r.try_get("child_count")? })).collect()
}
