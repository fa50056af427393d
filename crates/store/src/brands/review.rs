//! A brand's lifecycle: the dated history of its steps (申报 → 初审 → 评审 →
//! 命名, returns and moves down) and its versions (迭代升级).

use qizhi_core::brand::{
    self, Approval, Brand, BrandEvent, BrandSnapshot, BrandStatus, EventKind, ReviewStage, StatusChange,
};
use qizhi_core::figures::RollupDelta;
use qizhi_core::ids::BrandId;
use sqlx::Row;
use time::Date;

use super::{
    VersionInfo, changes, contributions, date_col, entry, event_row, get, keep_version, push_event, standing,
    write_brand,
};
use crate::audit;
use crate::rows::corrupt;
use crate::{Store, StoreError, StoreResult, rollup, units};

impl Store {
    /// The brand's history, oldest first.
    pub async fn brand_events(&self, id: BrandId) -> StoreResult<Vec<BrandEvent>> {
        let rows = sqlx::query(
            "SELECT seq, kind, on_date, at, from_status, to_status, comment, actor, version FROM brand_events \
             WHERE brand_id = $1 ORDER BY seq",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(event_row).collect()
    }

    pub async fn brand_versions(&self, id: BrandId) -> StoreResult<Vec<VersionInfo>> {
        let rows = sqlx::query(
            "SELECT version, on_date, note, actor FROM brand_versions WHERE brand_id = $1 ORDER BY version DESC",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(VersionInfo {
                    version: r.try_get::<i64, _>("version")? as i32,
                    on: date_col(r, "on_date")?,
                    note: r.try_get("note")?,
                    actor: r.try_get("actor")?,
                })
            })
            .collect()
    }

    pub async fn brand_version(&self, id: BrandId, version: i32) -> StoreResult<(VersionInfo, BrandSnapshot)> {
        let r = sqlx::query(
            "SELECT version, on_date, note, actor, snapshot FROM brand_versions WHERE brand_id = $1 AND version = $2",
        )
        .bind(id.0)
        .bind(i64::from(version))
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::not_found(format!("version {version} of brand {id}")))?;
        let snapshot: String = r.try_get("snapshot")?;
        let info =
            VersionInfo { version, on: date_col(&r, "on_date")?, note: r.try_get("note")?, actor: r.try_get("actor")? };
        let snap = serde_json::from_str(&snapshot).map_err(|e| corrupt("snapshot", &e.to_string()))?;
        Ok((info, snap))
    }

    /// Keeps a version of the brand's concept and structure (迭代升级).
    pub async fn save_brand_version(&self, id: BrandId, note: Option<&str>, on: Date) -> StoreResult<i32> {
        let mut tx = self.write().await?;
        let mut b = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, b.unit_id).await?;
        let by = self.actor_name();
        let v = keep_version(&mut tx, &mut b, on, note, by.as_deref()).await?;
        write_brand(&mut tx, &b).await?;
        push_event(&mut tx, id, EventKind::Version, on, Some(b.status), Some(b.status), note, by.as_deref(), Some(v))
            .await?;
        let summary = format!("品牌 {} 迭代升级为第 {v} 版", b.fields.name);
        audit::append(&mut tx, self.actor.as_ref(), &[entry("version", &b, &unit, summary, None::<&Brand>, Some(&b))])
            .await?;
        tx.commit().await?;
        Ok(v)
    }

    // -- the lifecycle ------------------------------------------------------------------

    /// The owner applies to move the brand up one level (申报). A version of
    /// what is submitted is kept.
    pub async fn apply_brand(&self, id: BrandId, comment: Option<&str>, on: Date) -> StoreResult<Brand> {
        let mut tx = self.write().await?;
        let mut b = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, b.unit_id).await?;
        let (_, state) = standing(&mut tx, &b, &unit).await?;
        let target = brand::check_apply(b.status, b.app_stage, state.as_ref())?;
        let old = b.clone();
        let by = self.actor_name();
        let note = format!("申报“{}”", target.zh());
        let v = keep_version(&mut tx, &mut b, on, Some(&note), by.as_deref()).await?;
        b.app_target = Some(target);
        b.app_stage = Some(ReviewStage::Submitted);
        b.app_on = Some(on);
        write_brand(&mut tx, &b).await?;
        push_event(&mut tx, id, EventKind::Applied, on, Some(b.status), Some(target), comment, by.as_deref(), Some(v))
            .await?;
        let summary = format!("品牌 {} 申报“{}”", b.fields.name, target.zh());
        audit::append(&mut tx, self.actor.as_ref(), &[entry("apply", &b, &unit, summary, Some(&old), Some(&b))])
            .await?;
        tx.commit().await?;
        Ok(b)
    }

    /// A reviewer of the parent unit approves (初审 → 评审 → 命名) or returns
    /// the open application. Naming changes the status.
    pub async fn decide_brand(
        &self,
        id: BrandId,
        approve: bool,
        comment: Option<&str>,
        on: Date,
    ) -> StoreResult<Brand> {
        let mut tx = self.write().await?;
        let mut b = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, b.unit_id).await?;
        let old = b.clone();
        let by = self.actor_name();
        let comment = comment.map(str::trim).filter(|c| !c.is_empty());
        let summary;
        if approve {
            let (_, state) = standing(&mut tx, &b, &unit).await?;
            match brand::check_approval(b.app_stage, b.app_target, state.as_ref())? {
                Approval::Advance(next) => {
                    let kind =
                        if next == ReviewStage::Preliminary { EventKind::Preliminary } else { EventKind::Evaluated };
                    b.app_stage = Some(next);
                    write_brand(&mut tx, &b).await?;
                    push_event(&mut tx, id, kind, on, Some(b.status), b.app_target, comment, by.as_deref(), None)
                        .await?;
                    summary = format!("品牌 {} {}", b.fields.name, kind.zh());
                }
                Approval::Name(target) => {
                    let before = changes(&mut *tx, id).await?;
                    let from = b.status;
                    b.status = target;
                    b.status_since = on;
                    (b.app_target, b.app_stage, b.app_on) = (None, None, None);
                    write_brand(&mut tx, &b).await?;
                    push_event(
                        &mut tx,
                        id,
                        EventKind::Named,
                        on,
                        Some(from),
                        Some(target),
                        comment,
                        by.as_deref(),
                        Some(b.version),
                    )
                    .await?;
                    let mut after = before.clone();
                    after.push(StatusChange { on, to: target });
                    let mut delta = RollupDelta::default();
                    delta.add(&unit.lineage(), &contributions(&old, &before), -1);
                    delta.add(&unit.lineage(), &contributions(&b, &after), 1);
                    rollup::apply(&mut tx, &delta).await?;
                    summary = format!("品牌 {} 命名为“{}”品牌", b.fields.name, target.zh());
                }
            }
        } else {
            brand::check_return(b.app_stage, comment)?;
            let target = b.app_target;
            (b.app_target, b.app_stage, b.app_on) = (None, None, None);
            write_brand(&mut tx, &b).await?;
            push_event(&mut tx, id, EventKind::Returned, on, Some(b.status), target, comment, by.as_deref(), None)
                .await?;
            summary = format!("品牌 {} 的申报被退回", b.fields.name);
        }
        audit::append(&mut tx, self.actor.as_ref(), &[entry("review", &b, &unit, summary, Some(&old), Some(&b))])
            .await?;
        tx.commit().await?;
        Ok(b)
    }

    /// A reviewer of the parent unit moves the brand down after review; any
    /// open application ends with it.
    pub async fn demote_brand(&self, id: BrandId, to: BrandStatus, comment: &str, on: Date) -> StoreResult<Brand> {
        let mut tx = self.write().await?;
        let mut b = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, b.unit_id).await?;
        brand::check_demote(b.status, to, Some(comment))?;
        let old = b.clone();
        let before = changes(&mut *tx, id).await?;
        let by = self.actor_name();
        b.status = to;
        b.status_since = on;
        (b.app_target, b.app_stage, b.app_on) = (None, None, None);
        write_brand(&mut tx, &b).await?;
        push_event(
            &mut tx,
            id,
            EventKind::Demoted,
            on,
            Some(old.status),
            Some(to),
            Some(comment.trim()),
            by.as_deref(),
            None,
        )
        .await?;
        let mut after = before.clone();
        after.push(StatusChange { on, to });
        let mut delta = RollupDelta::default();
        delta.add(&unit.lineage(), &contributions(&old, &before), -1);
        delta.add(&unit.lineage(), &contributions(&b, &after), 1);
        rollup::apply(&mut tx, &delta).await?;
        let summary = format!("品牌 {} 由“{}”降为“{}”", b.fields.name, old.status.zh(), to.zh());
        audit::append(&mut tx, self.actor.as_ref(), &[entry("demote", &b, &unit, summary, Some(&old), Some(&b))])
            .await?;
        tx.commit().await?;
        Ok(b)
    }
}
