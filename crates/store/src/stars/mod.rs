//! Star-rated branch evaluation in the store: schemes, campaigns, each
//! branch's entry with its scores, evidence, vetoes and objections.
//!
//! Every write runs in one transaction with its audit entry; a write that
//! changes an awarded star also changes the `stars.*` rollup in the same
//! transaction, by recomputing the branch's chain of awards before and
//! after (see `chain.rs` and `qizhi_core::stars::rollup`).
//!
//! Access is the caller's to check (the web layer); the store checks what a
//! campaign's stage allows (`qizhi_core::stars::campaign`).

mod campaigns;
pub(crate) mod chain;
mod entries;
mod lists;
pub mod load;
mod schemes;

use std::collections::BTreeMap;

use qizhi_core::ids::UnitId;
use qizhi_core::stars::campaign::{CampaignFields, Declaration, EntryStatus, ScoreStage, Stage, StageDates};
use qizhi_core::stars::data::Withdrawal;
use qizhi_core::stars::points::Points;
use qizhi_core::stars::scheme::{SchemeBody, SchemeFields};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

pub use campaigns::{AwardSummary, CampaignStats};
pub use entries::{ImportRow, Review, SelfScore, Upload};
pub use lists::{EntryFilter, EntryListed, EntryScores, QueueItem, RankedBranch, ReviewScope};

use crate::audit::{Entry as AuditEntry, json};
use crate::rows::corrupt;
use crate::{StoreError, StoreResult, Tx};

/// A scheme as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Scheme {
    pub id: i64,
    /// The issuing unit.
    pub unit_id: UnitId,
    pub unit_code: String,
    pub unit_name: String,
    pub unit_path: String,
    pub name: String,
    pub year: i32,
    pub body: SchemeBody,
    pub copied_from: Option<i64>,
    /// Campaigns using it; a scheme in use is frozen.
    pub uses: i64,
    pub updated_at: i64,
}

impl Scheme {
    pub fn in_use(&self) -> bool {
        self.uses > 0
    }

    pub fn fields(&self) -> SchemeFields {
        SchemeFields { name: self.name.clone(), year: self.year, body: self.body.clone() }
    }
}

/// A campaign as stored.
#[derive(Debug, Clone, Serialize)]
pub struct Campaign {
    pub id: i64,
    pub scheme_id: i64,
    /// The unit whose subtree takes part.
    pub unit_id: UnitId,
    pub unit_code: String,
    pub unit_name: String,
    pub unit_path: String,
    pub year: i32,
    pub name: String,
    pub stage: Stage,
    pub review_levels: u8,
    pub dates: StageDates,
    pub awarded_at: Option<i64>,
    pub updated_at: i64,
}

impl Campaign {
    pub fn fields(&self) -> CampaignFields {
        CampaignFields { name: self.name.clone(), review_levels: self.review_levels, dates: self.dates }
    }
}

/// A branch's entry in a campaign.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: i64,
    pub campaign_id: i64,
    pub unit_id: UnitId,
    pub unit_code: String,
    pub unit_name: String,
    pub unit_path: String,
    pub parent_id: Option<UnitId>,
    pub status: EntryStatus,
    pub declaration: Option<Declaration>,
    pub review1_comment: Option<String>,
    pub review2_comment: Option<String>,
    /// The engine's star from the final scores.
    pub star: u8,
    /// Whether the campaign fixed it (it then counts in the figures).
    pub awarded: bool,
    pub year: i32,
    pub withdrawn: Option<Withdrawal>,
    pub updated_at: i64,
}

impl Entry {
    /// The star the figures count: 0 once withdrawn.
    pub fn held_star(&self) -> u8 {
        if self.withdrawn.is_some() { 0 } else { self.star }
    }
}

/// One stored score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    pub stage: ScoreStage,
    pub indicator: String,
    pub points: Points,
    pub note: Option<String>,
    pub updated_at: i64,
}

/// An uploaded evidence file of an indicator.
#[derive(Debug, Clone, Serialize)]
pub struct Evidence {
    pub indicator: String,
    pub file_id: i64,
    pub name: String,
    pub kind: String,
    pub size: i64,
}

/// An objection raised in publicity.
#[derive(Debug, Clone, Serialize)]
pub struct Objection {
    pub id: i64,
    pub entry_id: i64,
    pub raised_on: String,
    pub source: Option<String>,
    pub content: String,
    pub answer: Option<String>,
    pub answered_at: Option<i64>,
    pub answered_by: Option<String>,
    pub created_at: i64,
    pub created_by: Option<String>,
}

/// An entry with everything its page shows.
#[derive(Debug, Clone, Serialize)]
pub struct EntryDetail {
    pub entry: Entry,
    pub campaign: Campaign,
    pub scheme: Scheme,
    pub scores: Vec<Score>,
    pub evidence: Vec<Evidence>,
    pub vetoes: Vec<String>,
    pub objections: Vec<Objection>,
}

impl EntryDetail {
    /// The scores of one stage, by indicator.
    pub fn scores_of(&self, stage: ScoreStage) -> BTreeMap<String, Points> {
        self.scores.iter().filter(|s| s.stage == stage).map(|s| (s.indicator.clone(), s.points)).collect()
    }

    pub fn score(&self, stage: ScoreStage, indicator: &str) -> Option<&Score> {
        self.scores.iter().find(|s| s.stage == stage && s.indicator == indicator)
    }

    /// The stage the star is computed from now.
    pub fn final_stage(&self) -> ScoreStage {
        ScoreStage::final_for(self.entry.status, self.campaign.review_levels)
    }

    /// The engine's outcome for the final scores and vetoes.
    pub fn outcome(&self) -> qizhi_core::stars::Outcome {
        qizhi_core::stars::evaluate(&self.scheme.body, &self.scores_of(self.final_stage()), &self.vetoes)
    }

    /// What the branch still lacks at the campaign's stage.
    pub fn missing(&self) -> qizhi_core::stars::campaign::Missing {
        let scored = |c: &str| self.score(ScoreStage::SelfAssess, c).is_some();
        let evidenced = |c: &str| {
            self.score(ScoreStage::SelfAssess, c).is_some_and(|s| s.note.as_deref().is_some_and(|n| !n.is_empty()))
                || self.evidence.iter().any(|e| e.indicator == c)
        };
        qizhi_core::stars::campaign::missing(
            &self.scheme.body,
            self.campaign.stage,
            self.entry.status,
            self.campaign.review_levels,
            &scored,
            &evidenced,
        )
    }
}

// ---------------------------------------------------------------------------
// Rows

pub(crate) const SCHEME_COLS: &str = "s.id, s.unit_id, s.year, s.name, s.body, s.copied_from, s.updated_at, \
     u.code AS unit_code, u.name AS unit_name, u.path AS unit_path, \
     (SELECT COUNT(*) FROM star_campaigns c WHERE c.scheme_id = s.id) AS uses";
pub(crate) const SCHEME_FROM: &str = "star_schemes s JOIN units u ON u.id = s.unit_id";

pub(crate) fn scheme(r: &AnyRow) -> StoreResult<Scheme> {
    let body: String = r.try_get("body")?;
    Ok(Scheme {
        id: r.try_get("id")?,
        unit_id: UnitId(r.try_get("unit_id")?),
        unit_code: r.try_get("unit_code")?,
        unit_name: r.try_get("unit_name")?,
        unit_path: r.try_get("unit_path")?,
        name: r.try_get("name")?,
        year: r.try_get::<i64, _>("year")? as i32,
        body: serde_json::from_str(&body).map_err(|e| corrupt("body", &e.to_string()))?,
        copied_from: r.try_get("copied_from")?,
        uses: r.try_get("uses")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub(crate) const CAMPAIGN_COLS: &str = "c.id, c.scheme_id, c.unit_id, c.year, c.name, c.stage, c.review_levels, \
     c.dates, c.awarded_at, c.updated_at, u.code AS unit_code, u.name AS unit_name, u.path AS unit_path";
pub(crate) const CAMPAIGN_FROM: &str = "star_campaigns c JOIN units u ON u.id = c.unit_id";

pub(crate) fn campaign(r: &AnyRow) -> StoreResult<Campaign> {
    let stage: String = r.try_get("stage")?;
    let dates: String = r.try_get("dates")?;
    Ok(Campaign {
        id: r.try_get("id")?,
        scheme_id: r.try_get("scheme_id")?,
        unit_id: UnitId(r.try_get("unit_id")?),
        unit_code: r.try_get("unit_code")?,
        unit_name: r.try_get("unit_name")?,
        unit_path: r.try_get("unit_path")?,
        year: r.try_get::<i64, _>("year")? as i32,
        name: r.try_get("name")?,
        stage: Stage::parse(&stage).map_err(|e| corrupt("stage", &e))?,
        review_levels: r.try_get::<i64, _>("review_levels")? as u8,
        dates: serde_json::from_str(&dates).map_err(|e| corrupt("dates", &e.to_string()))?,
        awarded_at: r.try_get("awarded_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub(crate) const ENTRY_COLS: &str = "e.id, e.campaign_id, e.unit_id, e.status, e.target_star, e.plan, \
     e.review1_comment, e.review2_comment, e.star, e.awarded, e.year, e.withdrawn_on, e.withdrawn_reason, \
     e.updated_at, u.code AS unit_code, u.name AS unit_name, u.path AS unit_path, u.parent_id AS parent_id";
pub(crate) const ENTRY_FROM: &str = "star_entries e JOIN units u ON u.id = e.unit_id";

pub(crate) fn entry(r: &AnyRow) -> StoreResult<Entry> {
    let status: String = r.try_get("status")?;
    let target: Option<i64> = r.try_get("target_star")?;
    let withdrawn_on: Option<String> = r.try_get("withdrawn_on")?;
    let withdrawn = match withdrawn_on {
        Some(d) => Some(Withdrawal {
            on: qizhi_core::date::parse(&d).map_err(|e| corrupt("withdrawn_on", &e))?,
            reason: r.try_get::<Option<String>, _>("withdrawn_reason")?.unwrap_or_default(),
        }),
        None => None,
    };
    Ok(Entry {
        id: r.try_get("id")?,
        campaign_id: r.try_get("campaign_id")?,
        unit_id: UnitId(r.try_get("unit_id")?),
        unit_code: r.try_get("unit_code")?,
        unit_name: r.try_get("unit_name")?,
        unit_path: r.try_get("unit_path")?,
        parent_id: r.try_get::<Option<i64>, _>("parent_id")?.map(UnitId),
        status: EntryStatus::parse(&status).map_err(|e| corrupt("status", &e))?,
        declaration: target.map(|t| Declaration { target_star: t as u8, plan: r.try_get("plan").ok().flatten() }),
        review1_comment: r.try_get("review1_comment")?,
        review2_comment: r.try_get("review2_comment")?,
        star: r.try_get::<i64, _>("star")? as u8,
        awarded: r.try_get::<i64, _>("awarded")? != 0,
        year: r.try_get::<i64, _>("year")? as i32,
        withdrawn,
        updated_at: r.try_get("updated_at")?,
    })
}

fn score(r: &AnyRow) -> StoreResult<Score> {
    let stage: String = r.try_get("stage")?;
    Ok(Score {
        stage: ScoreStage::parse(&stage).map_err(|e| corrupt("stage", &e))?,
        indicator: r.try_get("indicator")?,
        points: Points(r.try_get("points")?),
        note: r.try_get("note")?,
        updated_at: r.try_get("updated_at")?,
    })
}

// ---------------------------------------------------------------------------
// Reads inside a transaction

pub(crate) async fn get_scheme(tx: &mut Tx, id: i64) -> StoreResult<Scheme> {
    let r = sqlx::query(&format!("SELECT {SCHEME_COLS} FROM {SCHEME_FROM} WHERE s.id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found(format!("scheme {id}")))?;
    scheme(&r)
}

pub(crate) async fn get_campaign(tx: &mut Tx, id: i64) -> StoreResult<Campaign> {
    let r = sqlx::query(&format!("SELECT {CAMPAIGN_COLS} FROM {CAMPAIGN_FROM} WHERE c.id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found(format!("campaign {id}")))?;
    campaign(&r)
}

pub(crate) async fn get_entry(tx: &mut Tx, id: i64) -> StoreResult<Entry> {
    let r = sqlx::query(&format!("SELECT {ENTRY_COLS} FROM {ENTRY_FROM} WHERE e.id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found(format!("entry {id}")))?;
    entry(&r)
}

pub(crate) async fn scores_of(tx: &mut Tx, entry: i64) -> StoreResult<Vec<Score>> {
    let rows = sqlx::query(
        "SELECT stage, indicator, points, note, updated_at FROM star_scores WHERE entry_id = $1 ORDER BY stage, indicator",
    )
    .bind(entry)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(score).collect()
}

pub(crate) async fn vetoes_of(tx: &mut Tx, entry: i64) -> StoreResult<Vec<String>> {
    let rows = sqlx::query("SELECT code FROM star_vetoes WHERE entry_id = $1 ORDER BY code")
        .bind(entry)
        .fetch_all(&mut **tx)
        .await?;
    rows.iter().map(|r| Ok(r.try_get(0)?)).collect()
}

/// The state of an entry the audit trail keeps before and after a change.
#[derive(Debug, Serialize)]
pub(crate) struct Snapshot {
    status: &'static str,
    target_star: Option<u8>,
    plan: Option<String>,
    star: u8,
    awarded: bool,
    withdrawn: Option<Withdrawal>,
    scores: BTreeMap<&'static str, BTreeMap<String, Points>>,
    vetoes: Vec<String>,
    review1_comment: Option<String>,
    review2_comment: Option<String>,
}

pub(crate) async fn snapshot(tx: &mut Tx, id: i64) -> StoreResult<(Entry, serde_json::Value)> {
    let e = get_entry(tx, id).await?;
    let mut scores: BTreeMap<&'static str, BTreeMap<String, Points>> = BTreeMap::new();
    for s in scores_of(tx, id).await? {
        scores.entry(s.stage.code()).or_default().insert(s.indicator, s.points);
    }
    let snap = Snapshot {
        status: e.status.code(),
        target_star: e.declaration.as_ref().map(|d| d.target_star),
        plan: e.declaration.as_ref().and_then(|d| d.plan.clone()),
        star: e.star,
        awarded: e.awarded,
        withdrawn: e.withdrawn.clone(),
        scores,
        vetoes: vetoes_of(tx, id).await?,
        review1_comment: e.review1_comment.clone(),
        review2_comment: e.review2_comment.clone(),
    };
    let value = json(&snap).unwrap_or_default();
    Ok((e, value))
}

/// An audit entry about a branch's entry, filed under the branch.
pub(crate) fn entry_audit(
    action: &'static str,
    e: &Entry,
    summary: String,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> AuditEntry {
    AuditEntry {
        action,
        object_kind: "star_entry",
        object_id: e.id.to_string(),
        unit_path: Some(e.unit_path.clone()),
        summary,
        before,
        after,
    }
}

/// Runs the engine on an entry's final scores and stores its star; returns it.
pub(crate) async fn rescore(tx: &mut Tx, e: &Entry, levels: u8, body: &SchemeBody) -> StoreResult<u8> {
    let stage = ScoreStage::final_for(e.status, levels);
    let scores: BTreeMap<String, Points> =
        scores_of(tx, e.id).await?.into_iter().filter(|s| s.stage == stage).map(|s| (s.indicator, s.points)).collect();
    let vetoes = vetoes_of(tx, e.id).await?;
    let star = qizhi_core::stars::evaluate(body, &scores, &vetoes).star;
    if star != e.star {
        sqlx::query("UPDATE star_entries SET star = $1 WHERE id = $2")
            .bind(i64::from(star))
            .bind(e.id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(star)
}

/// A conflict on the campaign's stage.
pub(crate) fn stage_conflict(message: String) -> StoreError {
    StoreError::conflict("stage", message)
}
