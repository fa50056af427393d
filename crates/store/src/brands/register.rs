//! The register of brands: reading one, listing them by scope and filters,
//! creating, editing and deleting.

use qizhi_core::brand::{Brand, BrandFields, BrandStatus, EventKind, StatusChange};
use qizhi_core::figures::RollupDelta;
use qizhi_core::ids::{BrandId, UnitId};
use qizhi_core::org::Unit;
use sqlx::Row;
use time::Date;

use super::{
    BrandListed, BrandQuery, BrandSort, LISTED, LogoChange, NewFile, brand_row, changes, check_parent, cols,
    contributions, entry, get, listed, push_event, write_brand,
};
use crate::audit;
use crate::error::unique_as;
use crate::rows::{Bind, Sql};
use crate::scope::{Scope, subtree_filter};
use crate::search::{By, escape_like};
use crate::{Page, Store, StoreError, StoreResult, files, now_ms, rollup, units};

impl Store {
    pub async fn brand(&self, id: BrandId) -> StoreResult<Brand> {
        let row = sqlx::query(&format!("SELECT {} FROM brands b WHERE b.id = $1", cols("b")))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found(format!("brand {id}")))?;
        brand_row(&row)
    }

    pub async fn brand_by_code(&self, code: &str) -> StoreResult<Option<Brand>> {
        let row = sqlx::query(&format!("SELECT {} FROM brands b WHERE b.code = $1", cols("b")))
            .bind(code.trim())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(brand_row).transpose()
    }

    /// One brand with its unit, as lists show it.
    pub async fn brand_listed(&self, id: BrandId) -> StoreResult<BrandListed> {
        let row = sqlx::query(&format!("SELECT {}, {LISTED} WHERE b.id = $1", cols("b")))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found(format!("brand {id}")))?;
        listed(&row)
    }

    /// Brands owned in the subtree of `root` and in `scope`, one page, with the total.
    pub async fn brands(&self, root: &Unit, scope: &Scope, q: &BrandQuery) -> StoreResult<Page<BrandListed>> {
        // `LISTED` is columns, then `FROM …`: the filter starts at the FROM.
        let from = LISTED.find("FROM brands b").expect("LISTED has FROM");
        let mut filter = Sql::new(&format!(" {} WHERE ", &LISTED[from..]));
        subtree_filter(&mut filter, "u.path", &root.path);
        scope.filter(&mut filter, "u.path");
        filter.search(
            &q.q,
            &[
                By::Contains("b.name"),
                By::Equal("b.code"),
                By::Contains("b.slogan"),
                By::Contains("b.concept"),
                By::Contains("u.name"),
                By::Contains("u.short_name"),
            ],
        );
        if let Some(c) = q.category {
            filter.push(" AND b.category = ").bind(Bind::Text(c.code().into()));
        }
        if let Some(s) = q.status {
            filter.push(" AND b.status = ").bind(Bind::Text(s.code().into()));
        }
        if let Some(min) = q.at_least {
            filter.push(" AND b.status IN (");
            for (i, s) in BrandStatus::ALL.iter().filter(|s| **s >= min).enumerate() {
                if i > 0 {
                    filter.push(", ");
                }
                filter.bind(Bind::Text(s.code().into()));
            }
            filter.push(")");
        }
        if let Some(h) = q.heritage.as_deref().filter(|h| !h.trim().is_empty()) {
            filter.push(" AND b.heritage = ").bind(Bind::Text(h.trim().to_string()));
        }
        match q.standard_met {
            Some(true) => {
                filter.push(" AND b.standard_met_on IS NOT NULL");
            }
            Some(false) => {
                filter.push(" AND b.standard_met_on IS NULL");
            }
            None => {}
        }
        if q.pending {
            filter.push(" AND b.app_stage IS NOT NULL");
        }
        if q.main_only {
            filter.push(" AND b.parent_id IS NULL");
        }
        let select = format!("SELECT {}, {}", cols("b"), &LISTED[..from]);
        self.page(&filter, &select, q.sort.order_by(), q.page, q.per_page, listed).await
    }

    /// The red heritages brands draw on in the subtree of `root` (for the filter).
    pub async fn brand_heritages(&self, root: &Unit, scope: &Scope) -> StoreResult<Vec<String>> {
        let mut sql = Sql::new("SELECT DISTINCT b.heritage FROM brands b JOIN units u ON u.id = b.unit_id WHERE ");
        subtree_filter(&mut sql, "u.path", &root.path);
        scope.filter(&mut sql, "u.path");
        sql.push(" AND b.heritage IS NOT NULL ORDER BY b.heritage");
        sql.query(self.backend).fetch_all(&self.pool).await?.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// The sub-brands of a brand that `scope` may see.
    pub async fn sub_brands(&self, id: BrandId, scope: &Scope) -> StoreResult<Vec<BrandListed>> {
        let mut sql = Sql::new(&format!("SELECT {}, {LISTED} WHERE b.parent_id = ", cols("b")));
        sql.bind(Bind::Int(id.0));
        scope.filter(&mut sql, "u.path");
        sql.push(" ORDER BY u.path, b.code");
        sql.query(self.backend).fetch_all(&self.pool).await?.iter().map(listed).collect()
    }

    /// Brands owned by any of `units` (a unit and those above it: the brands it may sit under).
    pub async fn brands_of_units(&self, units: &[UnitId]) -> StoreResult<Vec<BrandListed>> {
        if units.is_empty() {
            return Ok(vec![]);
        }
        let mut sql = Sql::new(&format!("SELECT {}, {LISTED} WHERE b.unit_id IN (", cols("b")));
        for (i, u) in units.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(Bind::Int(u.0));
        }
        sql.push(") ORDER BY u.path, b.code");
        sql.query(self.backend).fetch_all(&self.pool).await?.iter().map(listed).collect()
    }

    /// A code not yet taken for a new brand of `unit`: `FJ01-001-B01`, `-B02` …
    pub async fn suggest_brand_code(&self, unit: &Unit) -> StoreResult<String> {
        let prefix = format!("{}-B", unit.code);
        let taken: Vec<String> = sqlx::query("SELECT code FROM brands WHERE code LIKE $1 ESCAPE '\\'")
            .bind(format!("{}%", escape_like(&prefix)))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, _>>()?;
        let code = (1..).map(|n| format!("{prefix}{n:02}")).find(|c| !taken.contains(c)).expect("an unused number");
        Ok(if code.len() <= 32 { code } else { format!("B{}", now_ms()) })
    }

    /// Records a new brand of `unit` as a draft on day `on`.
    pub async fn create_brand(
        &self,
        unit: UnitId,
        parent: Option<BrandId>,
        f: &BrandFields,
        logo: Option<NewFile<'_>>,
        on: Date,
    ) -> StoreResult<Brand> {
        let mut tx = self.write().await?;
        let unit = units::get(&mut tx, unit).await?;
        check_parent(&mut tx, &unit, parent, None).await?;
        let by = self.actor_name();
        let logo_id = match logo {
            Some(l) => Some(files::insert(&mut tx, &unit, l.name, l.kind, l.bytes, by.as_deref()).await?.id),
            None => None,
        };
        let now = now_ms();
        let id: i64 = sqlx::query(
            "INSERT INTO brands (unit_id, parent_id, code, name, category, slogan, concept, heritage, founded_year, \
             figures, logo_file_id, status, status_since, created_on, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'draft', $12, $12, $13, $13) RETURNING id",
        )
        .bind(unit.id.0)
        .bind(parent.map(|p| p.0))
        .bind(f.code.as_str())
        .bind(f.name.as_str())
        .bind(f.category.code())
        .bind(f.slogan.as_deref())
        .bind(f.concept.as_deref())
        .bind(f.heritage.as_deref())
        .bind(f.founded_year.map(i64::from))
        .bind(f.figures.join(","))
        .bind(logo_id)
        .bind(qizhi_core::date::iso(on))
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(unique_as("code", format!("品牌编码 {} 已存在 (brand code already exists)", f.code)))?
        .try_get(0)?;
        let b = Brand {
            id: BrandId(id),
            unit_id: unit.id,
            parent_id: parent,
            fields: f.clone(),
            logo_file_id: logo_id,
            status: BrandStatus::Draft,
            status_since: on,
            app_target: None,
            app_stage: None,
            app_on: None,
            standard_met_on: None,
            version: 0,
            created_on: on,
        };
        push_event(&mut tx, b.id, EventKind::Created, on, None, Some(BrandStatus::Draft), None, by.as_deref(), None)
            .await?;
        let mut delta = RollupDelta::default();
        let change = [StatusChange { on, to: BrandStatus::Draft }];
        delta.add(&unit.lineage(), &contributions(&b, &change), 1);
        rollup::apply(&mut tx, &delta).await?;
        let summary = format!("新建品牌 {}（{}，{}）", b.fields.name, b.fields.code, unit.name);
        audit::append(&mut tx, self.actor.as_ref(), &[entry("create", &b, &unit, summary, None::<&Brand>, Some(&b))])
            .await?;
        tx.commit().await?;
        Ok(b)
    }

    /// Edits a brand's own fields, main brand and logo (not its status).
    pub async fn update_brand(
        &self,
        id: BrandId,
        parent: Option<BrandId>,
        f: &BrandFields,
        logo: LogoChange<'_>,
    ) -> StoreResult<(Brand, Brand)> {
        let mut tx = self.write().await?;
        let old = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, old.unit_id).await?;
        check_parent(&mut tx, &unit, parent, Some(id)).await?;
        let mut new = Brand { parent_id: parent, fields: f.clone(), ..old.clone() };
        match logo {
            LogoChange::Keep => {}
            LogoChange::Remove => new.logo_file_id = None,
            LogoChange::Set(l) => {
                let by = self.actor_name();
                new.logo_file_id =
                    Some(files::insert(&mut tx, &unit, l.name, l.kind, l.bytes, by.as_deref()).await?.id);
            }
        }
        write_brand(&mut tx, &new).await?;
        if old.fields.category != new.fields.category || old.counted_from() != new.counted_from() {
            let ch = changes(&mut *tx, id).await?;
            let mut delta = RollupDelta::default();
            delta.add(&unit.lineage(), &contributions(&old, &ch), -1);
            delta.add(&unit.lineage(), &contributions(&new, &ch), 1);
            rollup::apply(&mut tx, &delta).await?;
        }
        let summary = format!("修改品牌 {}（{}）", new.fields.name, new.fields.code);
        audit::append(&mut tx, self.actor.as_ref(), &[entry("update", &new, &unit, summary, Some(&old), Some(&new))])
            .await?;
        tx.commit().await?;
        Ok((old, new))
    }

    /// Deletes a draft brand that has no sub-brands and no honors, with its
    /// structure, history and evidence.
    pub async fn delete_brand(&self, id: BrandId) -> StoreResult<Brand> {
        let mut tx = self.write().await?;
        let b = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, b.unit_id).await?;
        if b.status != BrandStatus::Draft || b.app_stage.is_some() {
            return Err(StoreError::conflict(
                "status",
                "只能删除草稿品牌；已申报或命名的品牌请保留其历史 (only a draft brand can be deleted)",
            ));
        }
        for (sql, what) in [
            ("SELECT COUNT(*) FROM brands WHERE parent_id = $1", "下级品牌 (sub-brands)"),
            ("SELECT COUNT(*) FROM honors WHERE brand_id = $1", "荣誉 (honors)"),
        ] {
            let n: i64 = sqlx::query(sql).bind(id.0).fetch_one(&mut *tx).await?.try_get(0)?;
            if n > 0 {
                return Err(StoreError::conflict(
                    "id",
                    format!("该品牌还有 {n} 项{what}，不能删除 (brand still has {what})"),
                ));
            }
        }
        let ch = changes(&mut *tx, id).await?;
        for table in ["brand_checks", "brand_evidence", "brand_versions", "brand_events", "brand_elements"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE brand_id = $1")).bind(id.0).execute(&mut *tx).await?;
        }
        sqlx::query("DELETE FROM brands WHERE id = $1").bind(id.0).execute(&mut *tx).await?;
        let mut delta = RollupDelta::default();
        delta.add(&unit.lineage(), &contributions(&b, &ch), -1);
        rollup::apply(&mut tx, &delta).await?;
        let summary = format!("删除品牌 {}（{}）", b.fields.name, b.fields.code);
        audit::append(&mut tx, self.actor.as_ref(), &[entry("delete", &b, &unit, summary, Some(&b), None::<&Brand>)])
            .await?;
        tx.commit().await?;
        Ok(b)
    }

    /// Brands with an open application, in the subtree of `root` and in `scope`.
    pub async fn pending_brands(&self, root: &Unit, scope: &Scope) -> StoreResult<Vec<BrandListed>> {
        let q = BrandQuery { pending: true, sort: BrandSort::Unit, per_page: 1000, ..Default::default() };
        Ok(self.brands(root, scope, &q).await?.items)
    }
}
