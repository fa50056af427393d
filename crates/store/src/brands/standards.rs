//! Brand standards (品牌标准, Fujian's 五有 the default): issued by a unit for
//! its subtree, a list of items. The standard applying to a brand is the one
//! issued by the nearest unit above its owner (`core::brand::applicable_issuer`).
//! Revising a standard keeps the evidence of items that stay, drops that of
//! items removed, and re-decides which brands meet it, counters included.

use std::collections::HashMap;

use qizhi_core::brand::{self, Standard, StandardFields, StandardItem};
use qizhi_core::figures::RollupDelta;
use qizhi_core::ids::{BrandId, UnitId};
use qizhi_core::org::{Unit, lineage};
use serde::Serialize;
use sqlx::Row;
use time::Date;

use crate::audit::{self, Entry, json};
use crate::brands::date_col;
use crate::rows::{Bind, Sql, opt_date};
use crate::scope::{Scope, subtree_filter};
use crate::{Backend, Store, StoreError, StoreResult, Tx, now_ms, rollup, units};

async fn items(conn: &mut sqlx::AnyConnection, standard: i64) -> StoreResult<Vec<StandardItem>> {
    let rows =
        sqlx::query("SELECT id, title, description FROM standard_items WHERE standard_id = $1 ORDER BY sort_order, id")
            .bind(standard)
            .fetch_all(&mut *conn)
            .await?;
    rows.iter()
        .map(|r| {
            Ok(StandardItem {
                id: r.try_get("id")?,
                title: r.try_get("title")?,
                description: r.try_get("description")?,
            })
        })
        .collect()
}

async fn with_items(conn: &mut sqlx::AnyConnection, r: &sqlx::any::AnyRow) -> StoreResult<Standard> {
    let id: i64 = r.try_get("id")?;
    Ok(Standard {
        id,
        unit_id: UnitId(r.try_get("unit_id")?),
        name: r.try_get("name")?,
        issued_on: date_col(r, "issued_on")?,
        items: items(conn, id).await?,
    })
}

/// The standard issued by `unit` itself, if any.
pub(crate) async fn issued_by(conn: &mut sqlx::AnyConnection, unit: UnitId) -> StoreResult<Option<Standard>> {
    let row = sqlx::query("SELECT id, unit_id, name, issued_on FROM brand_standards WHERE unit_id = $1")
        .bind(unit.0)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        Some(r) => Ok(Some(with_items(conn, &r).await?)),
        None => Ok(None),
    }
}

/// The standard applying to the brands of `unit`.
pub(crate) async fn applicable(conn: &mut sqlx::AnyConnection, unit: &Unit) -> StoreResult<Option<Standard>> {
    let line = unit.lineage();
    let mut sql = Sql::new("SELECT unit_id FROM brand_standards WHERE unit_id IN (");
    for (i, u) in line.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(Bind::Int(u.0));
    }
    sql.push(")");
    let issuers: Vec<UnitId> = sql
        .query(Backend::of(conn))
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| Ok(UnitId(r.try_get(0)?)))
        .collect::<StoreResult<_>>()?;
    match brand::applicable_issuer(&line, &issuers) {
        Some(u) => issued_by(conn, u).await,
        None => Ok(None),
    }
}

/// Re-decides, for every brand owned in the subtree of `root`, whether and
/// since when it meets the standard applying to it; writes the changes and
/// adds them to `delta`. Returns how many brands changed.
pub(crate) async fn refresh_met_in(tx: &mut Tx, root: &Unit, delta: &mut RollupDelta) -> StoreResult<usize> {
    let mut issuers: Vec<UnitId> = vec![];
    let mut items_of: HashMap<UnitId, Vec<i64>> = HashMap::new();
    for r in
        sqlx::query("SELECT s.unit_id, i.id FROM brand_standards s LEFT JOIN standard_items i ON i.standard_id = s.id")
            .fetch_all(&mut **tx)
            .await?
    {
        let u = UnitId(r.try_get(0)?);
        if !issuers.contains(&u) {
            issuers.push(u);
        }
        let entry = items_of.entry(u).or_default();
        if let Some(i) = r.try_get::<Option<i64>, _>(1)? {
            entry.push(i);
        }
    }
    let mut sql = Sql::new(
        "SELECT b.id, b.category, b.founded_year, b.created_on, b.standard_met_on, u.path \
         FROM brands b JOIN units u ON u.id = b.unit_id WHERE ",
    );
    subtree_filter(&mut sql, "u.path", &root.path);
    let brands = sql.query(tx.backend()).fetch_all(&mut **tx).await?;
    let mut sql = Sql::new(
        "SELECT c.brand_id, c.item_id, c.confirmed_on FROM brand_checks c JOIN brands b ON b.id = c.brand_id \
         JOIN units u ON u.id = b.unit_id WHERE ",
    );
    subtree_filter(&mut sql, "u.path", &root.path);
    let mut checks: HashMap<i64, Vec<(i64, Date)>> = HashMap::new();
    for r in sql.query(tx.backend()).fetch_all(&mut **tx).await? {
        checks.entry(r.try_get(0)?).or_default().push((r.try_get(1)?, date_col(&r, "confirmed_on")?));
    }
    let mut changed = 0;
    for r in brands {
        let id: i64 = r.try_get("id")?;
        let path: String = r.try_get("path")?;
        let line = lineage(&path);
        let met = brand::applicable_issuer(&line, &issuers)
            .and_then(|u| items_of.get(&u))
            .and_then(|items| brand::standard_met_on(items, checks.get(&id).map(Vec::as_slice).unwrap_or(&[])));
        let stored = crate::brands::opt_date_col(&r, "standard_met_on")?;
        if met == stored {
            continue;
        }
        let category: String = r.try_get("category")?;
        let category = brand::BrandCategory::parse(&category).map_err(|e| crate::rows::corrupt("category", &e))?;
        let from = r
            .try_get::<Option<i64>, _>("founded_year")?
            .map(|y| y as i32)
            .unwrap_or(date_col(&r, "created_on")?.year());
        delta.add(&line, &brand::brand_contributions(category, from, &[], stored), -1);
        delta.add(&line, &brand::brand_contributions(category, from, &[], met), 1);
        sqlx::query("UPDATE brands SET standard_met_on = $1 WHERE id = $2")
            .bind(opt_date(met))
            .bind(id)
            .execute(&mut **tx)
            .await?;
        changed += 1;
    }
    Ok(changed)
}

/// A standard with the unit that issued it.
#[derive(Debug, Clone, Serialize)]
pub struct IssuedStandard {
    pub standard: Standard,
    pub unit_code: String,
    pub unit_name: String,
}

impl Store {
    /// The standard `unit` itself issued, if any.
    pub async fn standard_issued_by(&self, unit: UnitId) -> StoreResult<Option<Standard>> {
        let mut conn = self.pool.acquire().await?;
        issued_by(&mut conn, unit).await
    }

    /// The standard applying to the brands of `unit`.
    pub async fn applicable_standard(&self, unit: &Unit) -> StoreResult<Option<Standard>> {
        let mut conn = self.pool.acquire().await?;
        applicable(&mut conn, unit).await
    }

    /// Standards issued by units in the subtree of `root` and in `scope`.
    pub async fn standards_in(&self, root: &Unit, scope: &Scope) -> StoreResult<Vec<IssuedStandard>> {
        let mut conn = self.pool.acquire().await?;
        let mut sql = Sql::new(
            "SELECT s.id, s.unit_id, s.name, s.issued_on, u.code, u.name AS unit_name FROM brand_standards s \
             JOIN units u ON u.id = s.unit_id WHERE ",
        );
        subtree_filter(&mut sql, "u.path", &root.path);
        scope.filter(&mut sql, "u.path");
        sql.push(" ORDER BY u.path");
        let rows = sql.query(self.backend).fetch_all(&mut *conn).await?;
        let mut out = vec![];
        for r in &rows {
            out.push(IssuedStandard {
                standard: with_items(&mut conn, r).await?,
                unit_code: r.try_get("code")?,
                unit_name: r.try_get("unit_name")?,
            });
        }
        Ok(out)
    }

    /// Issues a standard for `unit`'s subtree, or revises the one it issued.
    /// Items keep their id (and evidence) when `id` names one of them; items
    /// left out are removed with their evidence and confirmations.
    pub async fn issue_standard(&self, unit: UnitId, f: &StandardFields, on: Date) -> StoreResult<Standard> {
        let mut tx = self.write().await?;
        let unit = units::get(&mut tx, unit).await?;
        let before = issued_by(&mut tx, unit.id).await?;
        let now = now_ms();
        let sid = match &before {
            Some(s) => {
                sqlx::query("UPDATE brand_standards SET name = $1, issued_on = $2, updated_at = $3 WHERE id = $4")
                    .bind(f.name.as_str())
                    .bind(qizhi_core::date::iso(on))
                    .bind(now)
                    .bind(s.id)
                    .execute(&mut *tx)
                    .await?;
                s.id
            }
            None => sqlx::query(
                "INSERT INTO brand_standards (unit_id, name, issued_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
            )
            .bind(unit.id.0)
            .bind(f.name.as_str())
            .bind(qizhi_core::date::iso(on))
            .bind(now)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?,
        };
        let old_items: Vec<StandardItem> = before.as_ref().map(|s| s.items.clone()).unwrap_or_default();
        for (i, it) in f.items.iter().enumerate() {
            match it.id {
                Some(id) if old_items.iter().any(|o| o.id == id) => {
                    sqlx::query(
                        "UPDATE standard_items SET sort_order = $1, title = $2, description = $3 WHERE id = $4",
                    )
                    .bind(i as i64 + 1)
                    .bind(it.title.as_str())
                    .bind(it.description.as_deref())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                }
                Some(_) => {
                    return Err(StoreError::conflict(
                        format!("items[{i}].title").as_str(),
                        "该条目不属于本标准 (not an item of this standard)",
                    ));
                }
                None => {
                    sqlx::query("INSERT INTO standard_items (standard_id, sort_order, title, description) VALUES ($1, $2, $3, $4)")
                        .bind(sid)
                        .bind(i as i64 + 1)
                        .bind(it.title.as_str())
                        .bind(it.description.as_deref())
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        for gone in old_items.iter().filter(|o| !f.items.iter().any(|i| i.id == Some(o.id))) {
            for table in ["brand_evidence", "brand_checks"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE item_id = $1")).bind(gone.id).execute(&mut *tx).await?;
            }
            sqlx::query("DELETE FROM standard_items WHERE id = $1").bind(gone.id).execute(&mut *tx).await?;
        }
        let mut delta = RollupDelta::default();
        refresh_met_in(&mut tx, &unit, &mut delta).await?;
        rollup::apply(&mut tx, &delta).await?;
        let after = issued_by(&mut tx, unit.id).await?.ok_or_else(|| StoreError::not_found("standard"))?;
        let entry = Entry {
            action: if before.is_some() { "update" } else { "create" },
            object_kind: "standard",
            object_id: after.id.to_string(),
            unit_path: Some(unit.path.clone()),
            summary: format!("{} 发布品牌标准“{}”（{} 项）", unit.name, after.name, after.items.len()),
            before: before.as_ref().and_then(json),
            after: json(&after),
        };
        audit::append(&mut tx, self.actor.as_ref(), &[entry]).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Brands whose standard standing may differ from what is stored (a
    /// check for tests and `qizhi rollup`): (brand, stored, recomputed).
    pub async fn brands_with_stale_standing(&self) -> StoreResult<Vec<(BrandId, Option<Date>, Option<Date>)>> {
        let mut tx = self.begin().await?;
        let roots = sqlx::query(&format!("SELECT {} FROM units WHERE parent_id IS NULL", crate::rows::UNIT_COLS))
            .fetch_all(&mut *tx)
            .await?;
        let before: Vec<(i64, Option<Date>)> = sqlx::query("SELECT id, standard_met_on FROM brands")
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| Ok((r.try_get(0)?, crate::brands::opt_date_col(r, "standard_met_on")?)))
            .collect::<StoreResult<_>>()?;
        let mut delta = RollupDelta::default();
        for r in &roots {
            let root = crate::rows::unit(r)?;
            refresh_met_in(&mut tx, &root, &mut delta).await?;
        }
        let after: HashMap<i64, Option<Date>> = sqlx::query("SELECT id, standard_met_on FROM brands")
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| Ok((r.try_get(0)?, crate::brands::opt_date_col(r, "standard_met_on")?)))
            .collect::<StoreResult<_>>()?;
        tx.rollback().await?;
        Ok(before
            .into_iter()
            .filter_map(|(id, was)| {
                let now = after.get(&id).copied().flatten();
                (now != was).then_some((BrandId(id), was, now))
            })
            .collect())
    }
}
