//! Campaigns: create one over a unit's subtree (an entry per active
//! branch), edit its name, levels and dates, move it through its stages,
//! and award it: every entry whose review is done gets its star fixed, the
//! scheme's quotas permitting, and the `stars.*` figures change at once.

use std::collections::BTreeMap;

use qizhi_core::figures::RollupDelta;
use qizhi_core::ids::UnitId;
use qizhi_core::org::subtree_range;
use qizhi_core::stars::campaign::{CampaignFields, EntryStatus, ScoreStage, Stage};
use qizhi_core::stars::engine::{QuotaStanding, QuotaUse, quota_use};
use qizhi_core::stars::points::Points;
use serde::Serialize;
use sqlx::Row;

use super::chain::{self, Of};
use super::{CAMPAIGN_COLS, CAMPAIGN_FROM, Campaign, campaign, get_campaign, get_scheme, stage_conflict};
use crate::audit::{self, Entry, json};
use crate::rows::{Bind, Sql};
use crate::scope::Scope;
use crate::{Store, StoreError, StoreResult, Tx, now_ms, rollup, units};

fn campaign_audit(
    action: &'static str,
    c: &Campaign,
    summary: String,
    before: Option<&Campaign>,
    after: Option<&Campaign>,
) -> Entry {
    #[derive(Serialize)]
    struct State<'a> {
        name: &'a str,
        stage: &'static str,
        review_levels: u8,
        dates: &'a qizhi_core::stars::StageDates,
    }
    let state = |c: &Campaign| {
        json(&State { name: &c.name, stage: c.stage.code(), review_levels: c.review_levels, dates: &c.dates })
    };
    Entry {
        action,
        object_kind: "star_campaign",
        object_id: c.id.to_string(),
        unit_path: Some(c.unit_path.clone()),
        summary,
        before: before.and_then(state),
        after: after.and_then(state),
    }
}

/// Adds an entry for every active branch under the campaign's unit that has none; returns how many.
pub(crate) async fn sync_entries(tx: &mut Tx, c: &Campaign) -> StoreResult<u64> {
    let (lo, hi) = subtree_range(&c.unit_path);
    let done = sqlx::query(
        "INSERT INTO star_entries (campaign_id, unit_id, status, year, updated_at) \
         SELECT $1, u.id, 'open', $2, $3 FROM units u \
         WHERE u.kind = 'branch' AND u.status = 'active' AND u.path >= $4 AND u.path < $5 \
         AND NOT EXISTS (SELECT 1 FROM star_entries e WHERE e.campaign_id = $1 AND e.unit_id = u.id)",
    )
    .bind(c.id)
    .bind(i64::from(c.year))
    .bind(now_ms())
    .bind(lo)
    .bind(hi)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected())
}

pub(crate) async fn insert(
    tx: &mut Tx,
    scheme_id: i64,
    unit: UnitId,
    year: i32,
    f: &CampaignFields,
    stage: Stage,
) -> StoreResult<i64> {
    f.validate()?;
    let now = now_ms();
    let dates = serde_json::to_string(&f.dates).map_err(|e| StoreError::conflict("dates", e.to_string()))?;
    let id: i64 = sqlx::query(
        "INSERT INTO star_campaigns (scheme_id, unit_id, year, name, stage, review_levels, dates, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(scheme_id)
    .bind(unit.0)
    .bind(i64::from(year))
    .bind(f.name.as_str())
    .bind(stage.code())
    .bind(i64::from(f.review_levels))
    .bind(dates)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    Ok(id)
}

/// What awarding a campaign did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct AwardSummary {
    /// Entries whose star was fixed.
    pub awarded: usize,
    /// Entries left out because their review was not done.
    pub left_out: usize,
    /// Awarded branches by star, 0..=6.
    pub by_star: [usize; 7],
}

/// A campaign's progress, counted over the entries a caller may see.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CampaignStats {
    pub entries: i64,
    pub by_status: BTreeMap<&'static str, i64>,
    /// Current stars (from the final scores so far) of the entries that
    /// submitted a self-assessment, by star, 0..=6 (0 once withdrawn).
    pub by_star: [i64; 7],
    /// Awarded stars by star, 0..=6 (0 once withdrawn).
    pub awarded_by_star: [i64; 7],
    pub awarded: i64,
    pub withdrawn: i64,
    pub objections: i64,
    pub open_objections: i64,
}

impl CampaignStats {
    pub fn status(&self, s: EntryStatus) -> i64 {
        self.by_status.get(s.code()).copied().unwrap_or(0)
    }
}

/// Final scores of every entry of a campaign: entry → (status, scores of its final stage).
async fn final_scores(
    tx: &mut Tx,
    campaign: &Campaign,
) -> StoreResult<BTreeMap<i64, (EntryStatus, u8, BTreeMap<String, Points>, Vec<String>)>> {
    let mut out = BTreeMap::new();
    for r in sqlx::query("SELECT id, status, star FROM star_entries WHERE campaign_id = $1")
        .bind(campaign.id)
        .fetch_all(&mut **tx)
        .await?
    {
        let status: String = r.try_get(1)?;
        let status = EntryStatus::parse(&status).map_err(|e| crate::rows::corrupt("status", &e))?;
        out.insert(r.try_get::<i64, _>(0)?, (status, r.try_get::<i64, _>(2)? as u8, BTreeMap::new(), vec![]));
    }
    let rows = sqlx::query(
        "SELECT s.entry_id, s.stage, s.indicator, s.points FROM star_scores s \
         JOIN star_entries e ON e.id = s.entry_id WHERE e.campaign_id = $1",
    )
    .bind(campaign.id)
    .fetch_all(&mut **tx)
    .await?;
    for r in rows {
        let id: i64 = r.try_get(0)?;
        let stage: String = r.try_get(1)?;
        if let Some((status, _, scores, _)) = out.get_mut(&id)
            && ScoreStage::final_for(*status, campaign.review_levels).code() == stage
        {
            scores.insert(r.try_get(2)?, Points(r.try_get(3)?));
        }
    }
    let rows = sqlx::query(
        "SELECT v.entry_id, v.code FROM star_vetoes v JOIN star_entries e ON e.id = v.entry_id WHERE e.campaign_id = $1",
    )
    .bind(campaign.id)
    .fetch_all(&mut **tx)
    .await?;
    for r in rows {
        if let Some(x) = out.get_mut(&r.try_get::<i64, _>(0)?) {
            x.3.push(r.try_get(1)?);
        }
    }
    Ok(out)
}

/// Fixes the stars of every entry whose review is done. Refused when a quota
/// would be exceeded (the message names it).
pub(crate) async fn award(tx: &mut Tx, c: &Campaign, awarded_at: i64) -> StoreResult<AwardSummary> {
    let scheme = get_scheme(tx, c.scheme_id).await?;
    let entries = final_scores(tx, c).await?;
    let mut summary = AwardSummary::default();
    let mut done = vec![];
    for (id, (status, old_star, scores, vetoes)) in &entries {
        if !status.review_done(c.review_levels) {
            summary.left_out += 1;
            continue;
        }
        let star = qizhi_core::stars::evaluate(&scheme.body, scores, vetoes).star;
        if star != *old_star {
            sqlx::query("UPDATE star_entries SET star = $1 WHERE id = $2")
                .bind(i64::from(star))
                .bind(*id)
                .execute(&mut **tx)
                .await?;
        }
        done.push((*id, star));
        summary.by_star[star as usize] += 1;
    }
    summary.awarded = done.len();
    let stars: Vec<u8> = done.iter().map(|(_, s)| *s).collect();
    let broken: Vec<QuotaUse> = quota_use(&scheme.body.quotas, &stars).into_iter().filter(QuotaUse::exceeded).collect();
    if !broken.is_empty() {
        // Written `中文 (English)` as a whole, so that each reader gets one language.
        let zh: Vec<String> = broken.iter().map(|q| q.zh()).collect();
        let en: Vec<String> = broken.iter().map(|q| q.en()).collect();
        return Err(StoreError::conflict(
            "quota",
            format!(
                "超出名额限制，未命名：{}；请复核评分后再命名 (quota exceeded, nothing awarded: {})",
                zh.join("；"),
                en.join(", ")
            ),
        ));
    }
    let before = chain::read(tx, Of::Campaign(c.id)).await?;
    for chunk in done.chunks(500) {
        let mut sql = Sql::new("UPDATE star_entries SET awarded = 1, awarded_at = ");
        sql.bind(Bind::Int(awarded_at)).push(" WHERE id IN (");
        for (i, (id, _)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(Bind::Int(*id));
        }
        sql.push(")");
        sql.query(tx.backend()).execute(&mut **tx).await?;
    }
    let after = chain::read(tx, Of::Campaign(c.id)).await?;
    let mut delta = RollupDelta::default();
    chain::diff(&before, &after, &mut delta);
    rollup::apply(tx, &delta).await?;
    sqlx::query("UPDATE star_campaigns SET awarded_at = $1 WHERE id = $2")
        .bind(awarded_at)
        .bind(c.id)
        .execute(&mut **tx)
        .await?;
    Ok(summary)
}

impl Store {
    /// Starts a campaign of scheme `scheme_id` over `unit`'s subtree (the
    /// scheme must be issued by the unit or one above it), with an entry for
    /// every active branch there. The scheme is frozen from now on.
    pub async fn create_campaign(&self, scheme_id: i64, unit: UnitId, f: &CampaignFields) -> StoreResult<Campaign> {
        let mut tx = self.write().await?;
        let scheme = get_scheme(&mut tx, scheme_id).await?;
        let unit = units::get(&mut tx, unit).await?;
        if !qizhi_core::org::in_subtree(&unit.path, &scheme.unit_path) {
            return Err(StoreError::conflict(
                "unit_id",
                format!(
                    "评价体系 {} 由 {} 发布，只能用于其下级组织 (a scheme applies only under its issuer)",
                    scheme.name, scheme.unit_name
                ),
            ));
        }
        let id = insert(&mut tx, scheme.id, unit.id, scheme.year, f, Stage::Create).await?;
        let c = get_campaign(&mut tx, id).await?;
        let n = sync_entries(&mut tx, &c).await?;
        let summary = format!("发起星级评选 {}（{}，{} 个党支部）", c.name, unit.name, n);
        audit::append(&mut tx, self.actor.as_ref(), &[campaign_audit("create", &c, summary, None, Some(&c))]).await?;
        tx.commit().await?;
        Ok(c)
    }

    /// Changes a campaign's name, review levels (only before review) and dates.
    pub async fn update_campaign(&self, id: i64, f: &CampaignFields) -> StoreResult<(Campaign, Campaign)> {
        f.validate()?;
        let mut tx = self.write().await?;
        let old = get_campaign(&mut tx, id).await?;
        if f.review_levels != old.review_levels && old.stage >= Stage::Review {
            return Err(StoreError::conflict(
                "review_levels",
                "审核开始后不能改变审核层级 (review levels cannot change once review has begun)",
            ));
        }
        let dates = serde_json::to_string(&f.dates).map_err(|e| StoreError::conflict("dates", e.to_string()))?;
        sqlx::query(
            "UPDATE star_campaigns SET name = $1, review_levels = $2, dates = $3, updated_at = $4 WHERE id = $5",
        )
        .bind(f.name.as_str())
        .bind(i64::from(f.review_levels))
        .bind(dates)
        .bind(now_ms())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let new = get_campaign(&mut tx, id).await?;
        let entry = campaign_audit("update", &new, format!("修改星级评选 {}", new.name), Some(&old), Some(&new));
        audit::append(&mut tx, self.actor.as_ref(), &[entry]).await?;
        tx.commit().await?;
        Ok((old, new))
    }

    /// Moves a campaign one stage forward (or back before the award).
    /// Entering self-assessment adds branches founded since the campaign
    /// began; entering the award fixes the stars.
    pub async fn move_campaign(&self, id: i64, to: Stage) -> StoreResult<(Campaign, Option<AwardSummary>)> {
        let mut tx = self.write().await?;
        let old = get_campaign(&mut tx, id).await?;
        old.stage.may_move_to(to).map_err(stage_conflict)?;
        let mut added = 0;
        if to == Stage::SelfAssess && old.stage == Stage::Create {
            added = sync_entries(&mut tx, &old).await?;
        }
        let award = if to == Stage::Award { Some(award(&mut tx, &old, now_ms()).await?) } else { None };
        sqlx::query("UPDATE star_campaigns SET stage = $1, updated_at = $2 WHERE id = $3")
            .bind(to.code())
            .bind(now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let new = get_campaign(&mut tx, id).await?;
        let mut summary = format!("星级评选 {} 由“{}”进入“{}”", new.name, old.stage.zh(), to.zh());
        if added > 0 {
            summary.push_str(&format!("，新增 {added} 个党支部"));
        }
        if let Some(a) = &award {
            summary.push_str(&format!("，命名 {} 个党支部，{} 个未完成审核未命名", a.awarded, a.left_out));
        }
        audit::append(&mut tx, self.actor.as_ref(), &[campaign_audit("stage", &new, summary, Some(&old), Some(&new))])
            .await?;
        tx.commit().await?;
        Ok((new, award))
    }

    pub async fn campaign(&self, id: i64) -> StoreResult<Campaign> {
        let r = sqlx::query(&format!("SELECT {CAMPAIGN_COLS} FROM {CAMPAIGN_FROM} WHERE c.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found(format!("campaign {id}")))?;
        campaign(&r)
    }

    /// Campaigns a caller may read: run over a unit in `scope`, or over a
    /// unit in `ancestors` (above the caller's scope, so its branches take
    /// part). Newest year first.
    pub async fn campaigns(&self, scope: &Scope, ancestors: &[UnitId]) -> StoreResult<Vec<Campaign>> {
        let mut sql = Sql::new(&format!("SELECT {CAMPAIGN_COLS} FROM {CAMPAIGN_FROM} WHERE (1 = 1"));
        scope.filter(&mut sql, "u.path");
        if !ancestors.is_empty() && *scope != Scope::All {
            sql.push(" OR u.id IN (");
            for (i, a) in ancestors.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(Bind::Int(a.0));
            }
            sql.push(")");
        }
        sql.push(") ORDER BY c.year DESC, u.path, c.id DESC");
        sql.query(self.backend).fetch_all(&self.pool).await?.iter().map(campaign).collect()
    }

    /// Counts over the campaign's entries inside `scope`.
    pub async fn campaign_stats(&self, id: i64, scope: &Scope) -> StoreResult<CampaignStats> {
        let mut sql = Sql::new(
            "SELECT e.status, e.star, e.awarded, CASE WHEN e.withdrawn_on IS NULL THEN 0 ELSE 1 END AS w, COUNT(*) AS n \
             FROM star_entries e JOIN units u ON u.id = e.unit_id WHERE e.campaign_id = ",
        );
        sql.bind(Bind::Int(id));
        scope.filter(&mut sql, "u.path");
        sql.push(" GROUP BY e.status, e.star, e.awarded, CASE WHEN e.withdrawn_on IS NULL THEN 0 ELSE 1 END");
        let mut stats = CampaignStats::default();
        for r in sql.query(self.backend).fetch_all(&self.pool).await? {
            let status: String = r.try_get(0)?;
            let status = EntryStatus::parse(&status).map_err(|e| crate::rows::corrupt("status", &e))?;
            let star = (r.try_get::<i64, _>(1)? as usize).min(6);
            let awarded = r.try_get::<i64, _>(2)? != 0;
            let withdrawn = r.try_get::<i64, _>(3)? != 0;
            let n: i64 = r.try_get(4)?;
            stats.entries += n;
            *stats.by_status.entry(status.code()).or_default() += n;
            let held = if withdrawn { 0 } else { star };
            if status >= EntryStatus::Submitted {
                stats.by_star[held] += n;
            }
            if awarded {
                stats.awarded += n;
                stats.awarded_by_star[held] += n;
            }
            if withdrawn {
                stats.withdrawn += n;
            }
        }
        let mut sql = Sql::new(
            "SELECT COUNT(*), SUM(CASE WHEN o.answer IS NULL THEN 1 ELSE 0 END) FROM star_objections o \
             JOIN star_entries e ON e.id = o.entry_id JOIN units u ON u.id = e.unit_id WHERE e.campaign_id = ",
        );
        sql.bind(Bind::Int(id));
        scope.filter(&mut sql, "u.path");
        let r = sql.query(self.backend).fetch_one(&self.pool).await?;
        stats.objections = r.try_get(0)?;
        stats.open_objections = r.try_get::<Option<i64>, _>(1)?.unwrap_or(0);
        Ok(stats)
    }

    /// How the scheme's quotas stand with the campaign's current stars of
    /// entries whose review is done (what an award would fix).
    pub async fn campaign_quotas(&self, c: &Campaign) -> StoreResult<Vec<QuotaStanding>> {
        let scheme = self.scheme(c.scheme_id).await?;
        if scheme.body.quotas.is_empty() {
            return Ok(vec![]);
        }
        let rows = sqlx::query("SELECT status, star, withdrawn_on FROM star_entries WHERE campaign_id = $1")
            .bind(c.id)
            .fetch_all(&self.pool)
            .await?;
        let (mut reviewed, mut provisional) = (vec![], vec![]);
        for r in rows {
            let status: String = r.try_get(0)?;
            let status = EntryStatus::parse(&status).map_err(|e| crate::rows::corrupt("status", &e))?;
            // A withdrawn star counts as none, the branch still among the named.
            let withdrawn = r.try_get::<Option<String>, _>(2)?.is_some();
            let star = if withdrawn { 0 } else { r.try_get::<i64, _>(1)? as u8 };
            let assessed = if status >= EntryStatus::Submitted { star } else { 0 };
            provisional.push(assessed);
            if status.review_done(c.review_levels) {
                reviewed.push(star);
            }
        }
        let quotas = &scheme.body.quotas;
        Ok(quota_use(quotas, &reviewed)
            .into_iter()
            .zip(quota_use(quotas, &provisional))
            .map(|(reviewed, provisional)| QuotaStanding { reviewed, provisional })
            .collect())
    }
}
