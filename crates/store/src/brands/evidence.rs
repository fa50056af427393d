//! A brand against the standard (五有): the standard that applies, the
//! evidence kept for each item and the confirmations from above.

use qizhi_core::brand::{self, Brand, Evidence, EvidenceFields};
use qizhi_core::figures::RollupDelta;
use qizhi_core::ids::BrandId;
use sqlx::Row;
use time::Date;

use super::{BrandStandard, Check, NewFile, date_col, entry, evidence_row, get, refresh_met, standing, touch};
use crate::audit;
use crate::{Store, StoreError, StoreResult, files, now_ms, rollup, units};

impl Store {
    /// The standard applying to a brand, its standing, and the evidence and confirmations recorded.
    pub async fn brand_standard(&self, b: &Brand) -> StoreResult<BrandStandard> {
        let mut tx = self.begin().await?;
        let unit = units::get(&mut tx, b.unit_id).await?;
        let (standard, state) = standing(&mut tx, b, &unit).await?;
        let issuer_name = match &standard {
            Some(s) => Some(units::get(&mut tx, s.unit_id).await?.name),
            None => None,
        };
        let evidence = sqlx::query(
            "SELECT id, brand_id, item_id, kind, body, file_id, figure_key, created_at, created_by FROM brand_evidence \
             WHERE brand_id = $1 ORDER BY item_id, id",
        )
        .bind(b.id.0)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(evidence_row)
        .collect::<StoreResult<Vec<_>>>()?;
        let checks = sqlx::query(
            "SELECT item_id, confirmed_on, confirmed_by, comment FROM brand_checks WHERE brand_id = $1 ORDER BY item_id",
        )
        .bind(b.id.0)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| {
            Ok(Check {
                item_id: r.try_get("item_id")?,
                confirmed_on: date_col(r, "confirmed_on")?,
                confirmed_by: r.try_get("confirmed_by")?,
                comment: r.try_get("comment")?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
        tx.rollback().await?;
        Ok(BrandStandard { standard, issuer_name, state, evidence, checks })
    }

    /// Records evidence for one item of the standard applying to the brand.
    pub async fn add_evidence(
        &self,
        id: BrandId,
        item: i64,
        f: &EvidenceFields,
        file: Option<NewFile<'_>>,
    ) -> StoreResult<Evidence> {
        let mut tx = self.write().await?;
        let b = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, b.unit_id).await?;
        let (standard, _) = standing(&mut tx, &b, &unit).await?;
        if !standard.is_some_and(|s| s.items.iter().any(|i| i.id == item)) {
            return Err(StoreError::conflict(
                "item",
                "该条目不属于适用于本品牌的标准 (not an item of this brand's standard)",
            ));
        }
        let by = self.actor_name();
        let file_id = match file {
            Some(fl) => Some(files::insert(&mut tx, &unit, fl.name, fl.kind, fl.bytes, by.as_deref()).await?.id),
            None => None,
        };
        let now = now_ms();
        let eid: i64 = sqlx::query(
            "INSERT INTO brand_evidence (brand_id, item_id, kind, body, file_id, figure_key, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(id.0)
        .bind(item)
        .bind(f.kind.code())
        .bind(f.text.as_deref())
        .bind(file_id)
        .bind(f.figure_key.as_deref())
        .bind(now)
        .bind(by.as_deref())
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        touch(&mut tx, id).await?;
        let ev = Evidence {
            id: eid,
            brand_id: id,
            item_id: item,
            fields: f.clone(),
            file_id,
            created_at: now,
            created_by: by,
        };
        let summary = format!("品牌 {} 上传佐证（{}）", b.fields.name, f.kind.zh());
        audit::append(
            &mut tx,
            self.actor.as_ref(),
            &[entry("evidence", &b, &unit, summary, None::<&Evidence>, Some(&ev))],
        )
        .await?;
        tx.commit().await?;
        Ok(ev)
    }

    /// Removes a piece of evidence. An item left without evidence loses its confirmation.
    pub async fn delete_evidence(&self, id: BrandId, evidence: i64) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let b = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, b.unit_id).await?;
        let row = sqlx::query(
            "SELECT id, brand_id, item_id, kind, body, file_id, figure_key, created_at, created_by FROM brand_evidence \
             WHERE id = $1 AND brand_id = $2",
        )
        .bind(evidence)
        .bind(id.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::not_found("evidence"))?;
        let ev = evidence_row(&row)?;
        sqlx::query("DELETE FROM brand_evidence WHERE id = $1").bind(evidence).execute(&mut *tx).await?;
        let left: i64 = sqlx::query("SELECT COUNT(*) FROM brand_evidence WHERE brand_id = $1 AND item_id = $2")
            .bind(id.0)
            .bind(ev.item_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
        if left == 0 {
            sqlx::query("DELETE FROM brand_checks WHERE brand_id = $1 AND item_id = $2")
                .bind(id.0)
                .bind(ev.item_id)
                .execute(&mut *tx)
                .await?;
        }
        let mut delta = RollupDelta::default();
        let b = refresh_met(&mut tx, b, &unit, &mut delta).await?;
        rollup::apply(&mut tx, &delta).await?;
        touch(&mut tx, id).await?;
        let summary = format!("品牌 {} 删除佐证（{}）", b.fields.name, ev.fields.kind.zh());
        audit::append(
            &mut tx,
            self.actor.as_ref(),
            &[entry("evidence", &b, &unit, summary, Some(&ev), None::<&Evidence>)],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A reviewer confirms (or withdraws the confirmation) that the brand
    /// meets one item of its standard.
    pub async fn confirm_item(
        &self,
        id: BrandId,
        item: i64,
        confirm: bool,
        comment: Option<&str>,
        on: Date,
    ) -> StoreResult<Brand> {
        let mut tx = self.write().await?;
        let b = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, b.unit_id).await?;
        let (_, state) = standing(&mut tx, &b, &unit).await?;
        let Some(it) = state.as_ref().and_then(|s| s.items.iter().find(|i| i.item_id == item)).cloned() else {
            return Err(StoreError::conflict(
                "item",
                "该条目不属于适用于本品牌的标准 (not an item of this brand's standard)",
            ));
        };
        let comment = comment.map(str::trim).filter(|c| !c.is_empty());
        if confirm {
            brand::check_confirm(it.evidence)?;
            sqlx::query("DELETE FROM brand_checks WHERE brand_id = $1 AND item_id = $2")
                .bind(id.0)
                .bind(item)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO brand_checks (brand_id, item_id, confirmed_on, confirmed_by, comment) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id.0)
            .bind(item)
            .bind(qizhi_core::date::iso(on))
            .bind(self.actor_name())
            .bind(comment)
            .execute(&mut *tx)
            .await?;
        } else {
            sqlx::query("DELETE FROM brand_checks WHERE brand_id = $1 AND item_id = $2")
                .bind(id.0)
                .bind(item)
                .execute(&mut *tx)
                .await?;
        }
        let mut delta = RollupDelta::default();
        let old = b.clone();
        let b = refresh_met(&mut tx, b, &unit, &mut delta).await?;
        rollup::apply(&mut tx, &delta).await?;
        let summary = if confirm {
            format!("确认品牌 {} 达到“{}”", b.fields.name, it.title)
        } else {
            format!("撤销品牌 {} “{}”的达标确认", b.fields.name, it.title)
        };
        audit::append(&mut tx, self.actor.as_ref(), &[entry("confirm", &b, &unit, summary, Some(&old), Some(&b))])
            .await?;
        tx.commit().await?;
        Ok(b)
    }
}
