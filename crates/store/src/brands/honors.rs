//! Honors (荣誉): title, level, issuer, date, holder (brand, unit, team or
//! person) and evidence, filed under a unit. They count in `honors.*` in the
//! year awarded, in the filing unit and every unit above it.

use qizhi_core::brand::{HolderKind, Honor, HonorFields, HonorLevel, honor_contributions};
use qizhi_core::figures::RollupDelta;
use qizhi_core::ids::{BrandId, HonorId, UnitId};
use qizhi_core::org::Unit;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Entry, json};
use crate::brands::{NewFile, date_col};
use crate::rows::{Bind, Sql, corrupt};
use crate::scope::{Scope, subtree_filter};
use crate::search::By;
use crate::{Page, Store, StoreError, StoreResult, Tx, files, now_ms, rollup, units};

pub(crate) const HONOR_COLS: &str = "h.id, h.unit_id, h.title, h.level, h.issuer, h.awarded_on, h.holder_kind, h.holder_id, h.holder_name, h.brand_id, h.evidence_file_id, h.note";

pub(crate) fn honor_row(r: &AnyRow) -> StoreResult<Honor> {
    let level: String = r.try_get("level")?;
    let kind: String = r.try_get("holder_kind")?;
    Ok(Honor {
        id: HonorId(r.try_get("id")?),
        unit_id: UnitId(r.try_get("unit_id")?),
        fields: HonorFields {
            title: r.try_get("title")?,
            level: HonorLevel::parse(&level).map_err(|e| corrupt("level", &e))?,
            issuer: r.try_get("issuer")?,
            awarded_on: date_col(r, "awarded_on")?,
            holder_kind: HolderKind::parse(&kind).map_err(|e| corrupt("holder_kind", &e))?,
            holder_name: r.try_get("holder_name")?,
            note: r.try_get("note")?,
        },
        holder_id: r.try_get("holder_id")?,
        brand_id: r.try_get::<Option<i64>, _>("brand_id")?.map(BrandId),
        evidence_file_id: r.try_get("evidence_file_id")?,
    })
}

/// An honor with the unit it is filed under and the brand it was won with.
#[derive(Debug, Clone, Serialize)]
pub struct HonorListed {
    pub honor: Honor,
    pub unit_code: String,
    pub unit_name: String,
    pub unit_path: String,
    pub brand_code: Option<String>,
    pub brand_name: Option<String>,
}

const LISTED: &str = "u.code AS unit_code, u.name AS unit_name, u.path AS unit_path, b.code AS brand_code, \
    b.name AS brand_name FROM honors h JOIN units u ON u.id = h.unit_id LEFT JOIN brands b ON b.id = h.brand_id";

fn listed(r: &AnyRow) -> StoreResult<HonorListed> {
    Ok(HonorListed {
        honor: honor_row(r)?,
        unit_code: r.try_get("unit_code")?,
        unit_name: r.try_get("unit_name")?,
        unit_path: r.try_get("unit_path")?,
        brand_code: r.try_get("brand_code")?,
        brand_name: r.try_get("brand_name")?,
    })
}

/// What an honor list asks for.
#[derive(Debug, Clone, Default)]
pub struct HonorQuery {
    /// Part of the title, issuer or holder.
    pub q: String,
    pub level: Option<HonorLevel>,
    /// Awarded in a year of this span.
    pub years: Option<qizhi_core::figures::Span>,
    pub brand: Option<BrandId>,
    pub page: i64,
    pub per_page: i64,
}

/// Who holds an honor, resolved: (id, name). Teams have no id here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub id: Option<i64>,
    pub name: String,
}

/// Checks that a brand, unit or person holder exists and takes its name;
/// a team is kept by the name given.
pub(crate) async fn resolve_holder(tx: &mut Tx, kind: HolderKind, id: Option<i64>, name: &str) -> StoreResult<Holder> {
    let missing = |what: &str| StoreError::conflict("holder_id", format!("{what}不存在 (no such holder)"));
    let (sql, what) = match kind {
        HolderKind::Team => return Ok(Holder { id, name: name.to_string() }),
        HolderKind::Brand => ("SELECT name FROM brands WHERE id = $1", "品牌"),
        HolderKind::Unit => ("SELECT name FROM units WHERE id = $1", "组织"),
        HolderKind::Person => ("SELECT name FROM people WHERE id = $1", "人员"),
    };
    let Some(id) = id else {
        return Err(StoreError::conflict("holder_id", format!("请指定获得荣誉的{what} (choose the holder)")));
    };
    let row = sqlx::query(sql).bind(id).fetch_optional(&mut **tx).await?.ok_or_else(|| missing(what))?;
    Ok(Holder { id: Some(id), name: row.try_get(0)? })
}

fn entry(
    action: &'static str,
    h: &Honor,
    unit: &Unit,
    summary: String,
    before: Option<&Honor>,
    after: Option<&Honor>,
) -> Entry {
    Entry {
        action,
        object_kind: "honor",
        object_id: h.id.to_string(),
        unit_path: Some(unit.path.clone()),
        summary,
        before: before.and_then(json),
        after: after.and_then(json),
    }
}

pub(crate) async fn get(tx: &mut Tx, id: HonorId) -> StoreResult<Honor> {
    let row = sqlx::query(&format!("SELECT {HONOR_COLS} FROM honors h WHERE h.id = $1"))
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found(format!("honor {id}")))?;
    honor_row(&row)
}

/// Inserts an honor whose holder is resolved; adds its contributions.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn insert(
    tx: &mut Tx,
    unit: &Unit,
    f: &HonorFields,
    holder: &Holder,
    brand: Option<BrandId>,
    file: Option<i64>,
    delta: &mut RollupDelta,
) -> StoreResult<Honor> {
    let now = now_ms();
    let id: i64 = sqlx::query(
        "INSERT INTO honors (unit_id, title, level, issuer, awarded_on, holder_kind, holder_id, holder_name, brand_id, \
         evidence_file_id, note, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
    )
    .bind(unit.id.0)
    .bind(f.title.as_str())
    .bind(f.level.code())
    .bind(f.issuer.as_deref())
    .bind(qizhi_core::date::iso(f.awarded_on))
    .bind(f.holder_kind.code())
    .bind(holder.id)
    .bind(holder.name.as_str())
    .bind(brand.map(|b| b.0))
    .bind(file)
    .bind(f.note.as_deref())
    .bind(now)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    let fields = HonorFields { holder_name: holder.name.clone(), ..f.clone() };
    delta.add(&unit.lineage(), &honor_contributions(f.level, f.awarded_on), 1);
    Ok(Honor {
        id: HonorId(id),
        unit_id: unit.id,
        fields,
        holder_id: holder.id,
        brand_id: brand,
        evidence_file_id: file,
    })
}

/// Rewrites an honor (possibly filed under another unit); moves its contributions.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn update(
    tx: &mut Tx,
    old: &Honor,
    old_unit: &Unit,
    unit: &Unit,
    f: &HonorFields,
    holder: &Holder,
    brand: Option<BrandId>,
    file: Option<i64>,
    delta: &mut RollupDelta,
) -> StoreResult<Honor> {
    sqlx::query(
        "UPDATE honors SET unit_id = $1, title = $2, level = $3, issuer = $4, awarded_on = $5, holder_kind = $6, \
         holder_id = $7, holder_name = $8, brand_id = $9, evidence_file_id = $10, note = $11, updated_at = $12 WHERE id = $13",
    )
    .bind(unit.id.0)
    .bind(f.title.as_str())
    .bind(f.level.code())
    .bind(f.issuer.as_deref())
    .bind(qizhi_core::date::iso(f.awarded_on))
    .bind(f.holder_kind.code())
    .bind(holder.id)
    .bind(holder.name.as_str())
    .bind(brand.map(|b| b.0))
    .bind(file)
    .bind(f.note.as_deref())
    .bind(now_ms())
    .bind(old.id.0)
    .execute(&mut **tx)
    .await?;
    delta.add(&old_unit.lineage(), &honor_contributions(old.fields.level, old.fields.awarded_on), -1);
    delta.add(&unit.lineage(), &honor_contributions(f.level, f.awarded_on), 1);
    let fields = HonorFields { holder_name: holder.name.clone(), ..f.clone() };
    Ok(Honor { id: old.id, unit_id: unit.id, fields, holder_id: holder.id, brand_id: brand, evidence_file_id: file })
}

/// What to do with an honor's evidence file on edit.
#[derive(Debug, Clone, Copy)]
pub enum EvidenceChange<'a> {
    Keep,
    Set(NewFile<'a>),
}

impl Store {
    pub async fn honor(&self, id: HonorId) -> StoreResult<Honor> {
        let row = sqlx::query(&format!("SELECT {HONOR_COLS} FROM honors h WHERE h.id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found(format!("honor {id}")))?;
        honor_row(&row)
    }

    /// Honors filed in the subtree of `root` and in `scope`, newest first, with the total.
    pub async fn honors(&self, root: &Unit, scope: &Scope, q: &HonorQuery) -> StoreResult<Page<HonorListed>> {
        // `LISTED` is columns, then `FROM …`: the filter starts at the FROM.
        let from = LISTED.find("FROM honors h").expect("LISTED has FROM");
        let mut filter = Sql::new(&format!(" {} WHERE ", &LISTED[from..]));
        subtree_filter(&mut filter, "u.path", &root.path);
        scope.filter(&mut filter, "u.path");
        filter.search(&q.q, &[By::Contains("h.title"), By::Contains("h.issuer"), By::Contains("h.holder_name")]);
        if let Some(l) = q.level {
            filter.push(" AND h.level = ").bind(Bind::Text(l.code().into()));
        }
        if let Some(y) = q.years {
            filter.push(" AND h.awarded_on >= ").bind(Bind::Text(format!("{:04}-01-01", y.from)));
            filter.push(" AND h.awarded_on <= ").bind(Bind::Text(format!("{:04}-12-31", y.to)));
        }
        if let Some(b) = q.brand {
            filter.push(" AND h.brand_id = ").bind(Bind::Int(b.0));
        }
        let select = format!("SELECT {HONOR_COLS}, {}", &LISTED[..from]);
        self.page(&filter, &select, "h.awarded_on DESC, h.id DESC", q.page, q.per_page, listed).await
    }

    /// Honors won with a brand or held by it, in `scope`.
    pub async fn brand_honors(&self, brand: BrandId, scope: &Scope) -> StoreResult<Vec<HonorListed>> {
        let mut sql = Sql::new(&format!("SELECT {HONOR_COLS}, {LISTED} WHERE (h.brand_id = "));
        sql.bind(Bind::Int(brand.0)).push(" OR (h.holder_kind = 'brand' AND h.holder_id = ").bind(Bind::Int(brand.0));
        sql.push("))");
        scope.filter(&mut sql, "u.path");
        sql.push(" ORDER BY h.awarded_on DESC, h.id DESC");
        sql.query(self.backend).fetch_all(&self.pool).await?.iter().map(listed).collect()
    }

    /// Records an honor filed under `unit`. The holder (brand, unit or
    /// person by id; a team by name) is checked to exist.
    pub async fn create_honor(
        &self,
        unit: UnitId,
        f: &HonorFields,
        holder_id: Option<i64>,
        brand: Option<BrandId>,
        evidence: Option<NewFile<'_>>,
    ) -> StoreResult<Honor> {
        let mut tx = self.write().await?;
        let unit = units::get(&mut tx, unit).await?;
        let holder = resolve_holder(&mut tx, f.holder_kind, holder_id, &f.holder_name).await?;
        let brand = brand.or(if f.holder_kind == HolderKind::Brand { holder.id.map(BrandId) } else { None });
        if let Some(b) = brand {
            crate::brands::get(&mut tx, b)
                .await
                .map_err(|_| StoreError::conflict("brand_id", "品牌不存在 (no such brand)"))?;
        }
        let file = match evidence {
            Some(e) => {
                let by = self.actor.as_ref().map(|a| a.username.clone());
                Some(files::insert(&mut tx, &unit, e.name, e.kind, e.bytes, by.as_deref()).await?.id)
            }
            None => None,
        };
        let mut delta = RollupDelta::default();
        let h = insert(&mut tx, &unit, f, &holder, brand, file, &mut delta).await?;
        rollup::apply(&mut tx, &delta).await?;
        let summary = format!("记录荣誉 {}（{}，{}）", h.fields.title, h.fields.holder_name, unit.name);
        audit::append(&mut tx, self.actor.as_ref(), &[entry("create", &h, &unit, summary, None, Some(&h))]).await?;
        tx.commit().await?;
        Ok(h)
    }

    pub async fn update_honor(
        &self,
        id: HonorId,
        unit: UnitId,
        f: &HonorFields,
        holder_id: Option<i64>,
        brand: Option<BrandId>,
        evidence: EvidenceChange<'_>,
    ) -> StoreResult<(Honor, Honor)> {
        let mut tx = self.write().await?;
        let old = get(&mut tx, id).await?;
        let old_unit = units::get(&mut tx, old.unit_id).await?;
        let unit = if unit == old.unit_id { old_unit.clone() } else { units::get(&mut tx, unit).await? };
        let holder = resolve_holder(&mut tx, f.holder_kind, holder_id, &f.holder_name).await?;
        let brand = brand.or(if f.holder_kind == HolderKind::Brand { holder.id.map(BrandId) } else { None });
        if let Some(b) = brand {
            crate::brands::get(&mut tx, b)
                .await
                .map_err(|_| StoreError::conflict("brand_id", "品牌不存在 (no such brand)"))?;
        }
        let file = match evidence {
            EvidenceChange::Keep => old.evidence_file_id,
            EvidenceChange::Set(e) => {
                let by = self.actor.as_ref().map(|a| a.username.clone());
                Some(files::insert(&mut tx, &unit, e.name, e.kind, e.bytes, by.as_deref()).await?.id)
            }
        };
        let mut delta = RollupDelta::default();
        let new = update(&mut tx, &old, &old_unit, &unit, f, &holder, brand, file, &mut delta).await?;
        rollup::apply(&mut tx, &delta).await?;
        let summary = format!("修改荣誉 {}（{}）", new.fields.title, new.fields.holder_name);
        let mut entries = vec![entry("update", &new, &unit, summary.clone(), Some(&old), Some(&new))];
        if old_unit.id != unit.id {
            entries.push(entry("update", &new, &old_unit, summary, Some(&old), Some(&new)));
        }
        audit::append(&mut tx, self.actor.as_ref(), &entries).await?;
        tx.commit().await?;
        Ok((old, new))
    }

    pub async fn delete_honor(&self, id: HonorId) -> StoreResult<Honor> {
        let mut tx = self.write().await?;
        let old = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, old.unit_id).await?;
        sqlx::query("DELETE FROM honors WHERE id = $1").bind(id.0).execute(&mut *tx).await?;
        let mut delta = RollupDelta::default();
        delta.add(&unit.lineage(), &honor_contributions(old.fields.level, old.fields.awarded_on), -1);
        rollup::apply(&mut tx, &delta).await?;
        let summary = format!("删除荣誉 {}（{}）", old.fields.title, old.fields.holder_name);
        audit::append(&mut tx, self.actor.as_ref(), &[entry("delete", &old, &unit, summary, Some(&old), None)]).await?;
        tx.commit().await?;
        Ok(old)
    }
}
