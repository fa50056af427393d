//! A branch's entry: its declaration, self-assessment with evidence, the
//! reviews (one or two levels, single or in bulk, or from a spreadsheet),
//! vetoes, objections in publicity, corrections and withdrawal after the
//! award. Every change re-runs the engine on the final scores, and when the
//! entry's star is awarded the `stars.*` rollup changes in the same
//! transaction.

use std::collections::{HashMap, HashSet};

use qizhi_core::FieldError;
use qizhi_core::figures::{RollupDelta, Span};
use qizhi_core::file::FileKind;
use qizhi_core::stars::campaign::{self, Declaration, EntryStatus, ScoreStage, Stage};
use qizhi_core::stars::engine::auto_score;
use qizhi_core::stars::points::Points;
use qizhi_core::stars::scheme::SchemeBody;
use qizhi_core::{Invalid, error::optional_text, error::required_text};
use sqlx::Row;
use time::Date;

use super::chain::{self, Of};
use super::{
    Campaign, Entry, EntryDetail, Evidence, Objection, entry_audit, get_campaign, get_entry, get_scheme, rescore,
    scores_of, snapshot, stage_conflict, vetoes_of,
};
use crate::load::{LoadError, RowError};
use crate::rows::{Bind, Sql};
use crate::{Store, StoreError, StoreResult, Tx, audit, files, now_ms, rollup, units};

/// One indicator of a self-assessment: the score (none to clear it) and the evidence text.
#[derive(Debug, Clone, Default)]
pub struct SelfScore {
    pub indicator: String,
    pub points: Option<Points>,
    pub note: Option<String>,
}

/// An evidence file for an indicator, already checked (`qizhi_core::file::check`).
#[derive(Debug, Clone)]
pub struct Upload {
    pub indicator: String,
    pub name: String,
    pub kind: FileKind,
    pub bytes: Vec<u8>,
}

/// A reviewer's scores (an indicator left out keeps the score it had at
/// this level, or takes the previous level's), comments, vetoes found and
/// overall comment.
#[derive(Debug, Clone, Default)]
pub struct Review {
    pub scores: Vec<(String, Points, Option<String>)>,
    pub vetoes: Vec<String>,
    pub comment: Option<String>,
}

/// One row of a score spreadsheet: the branch and its scores (`None`: the
/// cell was empty).
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub line: usize,
    pub unit_code: String,
    pub scores: Vec<(String, Option<Points>)>,
    pub comment: Option<String>,
    /// `None` when the file has no veto column (vetoes stay as they are).
    pub vetoes: Option<Vec<String>>,
}

fn checked_scores(body: &SchemeBody, scores: &[(String, Option<Points>)]) -> Result<(), Invalid> {
    let mut errors = vec![];
    for (code, p) in scores {
        let field = format!("score.{code}");
        match body.indicator(code) {
            None => errors.push(FieldError::new(field, format!("未知的指标 “{code}” (unknown indicator)"))),
            Some((_, i)) => {
                if let Some(p) = p
                    && (*p < Points::ZERO || *p > i.max)
                {
                    errors.push(FieldError::new(
                        field,
                        format!("{} 的得分应在 0 到 {} 之间 (score must be 0 to {})", i.name, i.max, i.max),
                    ));
                }
            }
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(Invalid { errors }) }
}

fn checked_vetoes(body: &SchemeBody, vetoes: &[String]) -> Result<(), Invalid> {
    let unknown: Vec<&String> = vetoes.iter().filter(|v| body.veto(v).is_none()).collect();
    if unknown.is_empty() {
        Ok(())
    } else {
        Err(Invalid::one(
            "vetoes",
            format!(
                "未知的否决项 {} (unknown veto)",
                unknown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("、")
            ),
        ))
    }
}

async fn put_score(
    tx: &mut Tx,
    entry: i64,
    stage: ScoreStage,
    indicator: &str,
    p: Points,
    note: Option<&str>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO star_scores (entry_id, stage, indicator, points, note, updated_at) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (entry_id, stage, indicator) DO UPDATE SET points = excluded.points, note = excluded.note, \
         updated_at = excluded.updated_at",
    )
    .bind(entry)
    .bind(stage.code())
    .bind(indicator)
    .bind(p.0)
    .bind(note)
    .bind(now_ms())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn set_vetoes(tx: &mut Tx, entry: i64, vetoes: &[String]) -> StoreResult<()> {
    sqlx::query("DELETE FROM star_vetoes WHERE entry_id = $1").bind(entry).execute(&mut **tx).await?;
    let unique: HashSet<&String> = vetoes.iter().collect();
    for v in unique {
        sqlx::query("INSERT INTO star_vetoes (entry_id, code) VALUES ($1, $2)")
            .bind(entry)
            .bind(v.as_str())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

async fn set_status(tx: &mut Tx, entry: i64, status: EntryStatus) -> StoreResult<()> {
    sqlx::query("UPDATE star_entries SET status = $1, updated_at = $2 WHERE id = $3")
        .bind(status.code())
        .bind(now_ms())
        .bind(entry)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Scores auto-scored indicators from the branch's figures for the campaign's year.
async fn auto_scores(tx: &mut Tx, e: &Entry, c: &Campaign, body: &SchemeBody) -> StoreResult<()> {
    if body.indicators().all(|(_, i)| i.auto.is_none()) {
        return Ok(());
    }
    let cells = rollup::cells(&mut **tx, e.unit_id).await?;
    let figures = qizhi_core::figures::compute(&cells, Span { from: c.year, to: c.year });
    for (_, i) in body.indicators() {
        let Some(a) = &i.auto else { continue };
        let value = figures.get(a.figure.as_str()).map_or(0.0, |v| v.as_f64());
        let p = auto_score(i.max, a, value);
        let note = format!("自动计分：{} = {} (auto-scored from a figure)", a.figure, trim_float(value));
        put_score(tx, e.id, ScoreStage::SelfAssess, &i.code, p, Some(&note)).await?;
    }
    Ok(())
}

fn trim_float(v: f64) -> String {
    let s = format!("{v:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Loads what a write needs: entry, campaign and scheme.
async fn context(tx: &mut Tx, id: i64) -> StoreResult<(Entry, Campaign, SchemeBody)> {
    let e = get_entry(tx, id).await?;
    let c = get_campaign(tx, e.campaign_id).await?;
    let s = get_scheme(tx, c.scheme_id).await?;
    Ok((e, c, s.body))
}

/// Re-runs the engine for an entry and, when its star is awarded, moves the
/// branch's chain of awards in the rollup.
async fn rescore_and_roll(tx: &mut Tx, id: i64, levels: u8, body: &SchemeBody) -> StoreResult<()> {
    let e = get_entry(tx, id).await?;
    if !e.awarded {
        rescore(tx, &e, levels, body).await?;
        return Ok(());
    }
    let before = chain::read(tx, Of::Unit(e.unit_id)).await?;
    rescore(tx, &e, levels, body).await?;
    let after = chain::read(tx, Of::Unit(e.unit_id)).await?;
    let mut delta = RollupDelta::default();
    chain::diff(&before, &after, &mut delta);
    rollup::apply(tx, &delta).await?;
    Ok(())
}

/// Copies the scores of `from` into `to` for indicators `to` lacks.
async fn carry_scores(tx: &mut Tx, entry: i64, from: ScoreStage, to: ScoreStage) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO star_scores (entry_id, stage, indicator, points, note, updated_at) \
         SELECT entry_id, $2, indicator, points, NULL, $3 FROM star_scores s WHERE s.entry_id = $1 AND s.stage = $4 \
         AND NOT EXISTS (SELECT 1 FROM star_scores t WHERE t.entry_id = $1 AND t.stage = $2 AND t.indicator = s.indicator)",
    )
    .bind(entry)
    .bind(to.code())
    .bind(now_ms())
    .bind(from.code())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The stage a review level's missing scores come from.
fn previous(level: u8) -> (ScoreStage, ScoreStage) {
    if level == 2 { (ScoreStage::Review1, ScoreStage::Review2) } else { (ScoreStage::SelfAssess, ScoreStage::Review1) }
}

/// Applies a review inside a transaction (single, bulk or imported). With
/// `roll` false the caller moves the rollup for many entries at once.
async fn review_in(tx: &mut Tx, id: i64, level: u8, r: &Review, verb: &str, roll: bool) -> StoreResult<audit::Entry> {
    let (e, c, body) = context(tx, id).await?;
    campaign::may_review(c.stage, e.status, c.review_levels, level).map_err(stage_conflict)?;
    let correction = c.stage > Stage::Review;
    let comment = optional_text(r.comment.as_deref(), 1000).map_err(|m| StoreError::conflict("comment", m))?;
    if correction && comment.is_none() {
        return Err(StoreError::conflict("comment", "更正评分须填写更正说明 (a correction needs a note)"));
    }
    let as_opt: Vec<(String, Option<Points>)> = r.scores.iter().map(|(c, p, _)| (c.clone(), Some(*p))).collect();
    checked_scores(&body, &as_opt)?;
    checked_vetoes(&body, &r.vetoes)?;
    let (_, before) = snapshot(tx, id).await?;
    let (from, to) = previous(level);
    for (code, p, note) in &r.scores {
        put_score(tx, id, to, code, *p, note.as_deref()).await?;
    }
    carry_scores(tx, id, from, to).await?;
    set_vetoes(tx, id, &r.vetoes).await?;
    let col = if level == 2 { "review2_comment" } else { "review1_comment" };
    sqlx::query(&format!("UPDATE star_entries SET {col} = $1, updated_at = $2 WHERE id = $3"))
        .bind(comment.as_deref())
        .bind(now_ms())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let status = if level == 2 { EntryStatus::Reviewed2 } else { EntryStatus::Reviewed1 };
    if !correction && e.status < status {
        set_status(tx, id, status).await?;
    }
    if roll {
        rescore_and_roll(tx, id, c.review_levels, &body).await?;
    } else {
        let fresh = get_entry(tx, id).await?;
        rescore(tx, &fresh, c.review_levels, &body).await?;
    }
    let (after_e, after) = snapshot(tx, id).await?;
    let what = if correction {
        "更正评分"
    } else if level == 2 {
        "复审"
    } else {
        "初审"
    };
    let mut summary = format!("{verb}{what}：{}（{}），星级 {} → {}", e.unit_name, c.name, e.star, after_e.star);
    if let Some(note) = &comment {
        summary.push_str(&format!("；说明：{note}"));
    }
    Ok(entry_audit(if correction { "correct" } else { "review" }, &after_e, summary, Some(before), Some(after)))
}

impl Store {
    /// An entry with its campaign, scheme, scores, evidence, vetoes and objections.
    pub async fn entry_detail(&self, id: i64) -> StoreResult<EntryDetail> {
        let mut tx = self.begin().await?;
        let (entry, campaign, _) = context(&mut tx, id).await?;
        let scheme = get_scheme(&mut tx, campaign.scheme_id).await?;
        let scores = scores_of(&mut tx, id).await?;
        let vetoes = vetoes_of(&mut tx, id).await?;
        let evidence = sqlx::query(
            "SELECT v.indicator, f.id, f.name, f.kind, f.size FROM star_evidence v JOIN files f ON f.id = v.file_id \
             WHERE v.entry_id = $1 ORDER BY v.indicator, f.id",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| {
            Ok(Evidence {
                indicator: r.try_get(0)?,
                file_id: r.try_get(1)?,
                name: r.try_get(2)?,
                kind: r.try_get(3)?,
                size: r.try_get(4)?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
        let objections = sqlx::query(
            "SELECT id, entry_id, raised_on, source, content, answer, answered_at, answered_by, created_at, created_by \
             FROM star_objections WHERE entry_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(objection)
        .collect::<StoreResult<Vec<_>>>()?;
        tx.commit().await?;
        Ok(EntryDetail { entry, campaign, scheme, scores, evidence, vetoes, objections })
    }

    pub async fn star_entry(&self, id: i64) -> StoreResult<Entry> {
        let mut tx = self.begin().await?;
        let e = get_entry(&mut tx, id).await?;
        tx.commit().await?;
        Ok(e)
    }

    /// A branch declares its target star and plan.
    pub async fn declare(&self, id: i64, d: &Declaration) -> StoreResult<Entry> {
        let mut tx = self.write().await?;
        let (e, c, _) = context(&mut tx, id).await?;
        campaign::may_declare(c.stage, e.status).map_err(stage_conflict)?;
        let (_, before) = snapshot(&mut tx, id).await?;
        sqlx::query("UPDATE star_entries SET target_star = $1, plan = $2, updated_at = $3 WHERE id = $4")
            .bind(i64::from(d.target_star))
            .bind(d.plan.as_deref())
            .bind(now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if e.status == EntryStatus::Open {
            set_status(&mut tx, id, EntryStatus::Declared).await?;
        }
        let (new, after) = snapshot(&mut tx, id).await?;
        let summary = format!("{} 申报 {} 星（{}）", e.unit_name, d.target_star, c.name);
        audit::append(
            &mut tx,
            self.actor.as_ref(),
            &[entry_audit("declare", &new, summary, Some(before), Some(after))],
        )
        .await?;
        tx.commit().await?;
        Ok(new)
    }

    /// Saves a branch's own scores and evidence; `submit` hands them to the
    /// reviewers (every indicator scored, a target declared).
    pub async fn self_assess(
        &self,
        id: i64,
        scores: &[SelfScore],
        uploads: &[Upload],
        submit: bool,
    ) -> StoreResult<Entry> {
        let mut tx = self.write().await?;
        let (e, c, body) = context(&mut tx, id).await?;
        campaign::may_self_assess(c.stage, e.status).map_err(stage_conflict)?;
        let as_opt: Vec<(String, Option<Points>)> = scores.iter().map(|s| (s.indicator.clone(), s.points)).collect();
        checked_scores(&body, &as_opt)?;
        let mut errors = vec![];
        for s in scores {
            if let Err(m) = optional_text(s.note.as_deref(), 1000) {
                errors.push(FieldError::new(format!("note.{}", s.indicator), m));
            }
        }
        for u in uploads {
            if body.indicator(&u.indicator).is_none() {
                errors.push(FieldError::new(format!("file.{}", u.indicator), "未知的指标 (unknown indicator)"));
            }
        }
        if !errors.is_empty() {
            return Err(Invalid { errors }.into());
        }
        let (_, before) = snapshot(&mut tx, id).await?;
        for s in scores {
            let auto = body.indicator(&s.indicator).is_some_and(|(_, i)| i.auto.is_some());
            if auto {
                continue;
            }
            match s.points {
                Some(p) => put_score(&mut tx, id, ScoreStage::SelfAssess, &s.indicator, p, s.note.as_deref()).await?,
                None => {
                    sqlx::query("DELETE FROM star_scores WHERE entry_id = $1 AND stage = 'self' AND indicator = $2")
                        .bind(id)
                        .bind(s.indicator.as_str())
                        .execute(&mut *tx)
                        .await?;
                }
            }
        }
        auto_scores(&mut tx, &e, &c, &body).await?;
        let unit = units::get(&mut tx, e.unit_id).await?;
        let by = self.actor().map(|a| a.username.clone());
        for u in uploads {
            let f = files::insert(&mut tx, &unit, &u.name, u.kind, &u.bytes, by.as_deref()).await?;
            sqlx::query("INSERT INTO star_evidence (entry_id, indicator, file_id) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(u.indicator.as_str())
                .bind(f.id)
                .execute(&mut *tx)
                .await?;
        }
        if submit {
            let have: HashSet<String> = scores_of(&mut tx, id)
                .await?
                .into_iter()
                .filter(|s| s.stage == ScoreStage::SelfAssess)
                .map(|s| s.indicator)
                .collect();
            let mut errors: Vec<FieldError> = body
                .indicators()
                .filter(|(_, i)| !have.contains(&i.code))
                .map(|(_, i)| FieldError::new(format!("score.{}", i.code), format!("{} 未评分 (not scored)", i.name)))
                .collect();
            if e.declaration.is_none() {
                errors.push(FieldError::new("target_star", "请先申报目标星级 (declare a target star first)"));
            }
            if !errors.is_empty() {
                return Err(Invalid { errors }.into());
            }
            set_status(&mut tx, id, EntryStatus::Submitted).await?;
        } else if e.status == EntryStatus::Open {
            sqlx::query("UPDATE star_entries SET updated_at = $1 WHERE id = $2")
                .bind(now_ms())
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        let new = get_entry(&mut tx, id).await?;
        rescore(&mut tx, &new, c.review_levels, &body).await?;
        let (new, after) = snapshot(&mut tx, id).await?;
        let verb = if submit { "提交自评" } else { "保存自评" };
        let mut summary = format!("{} {verb}（{}）", e.unit_name, c.name);
        if !uploads.is_empty() {
            summary.push_str(&format!("，上传佐证材料 {} 份", uploads.len()));
        }
        audit::append(
            &mut tx,
            self.actor.as_ref(),
            &[entry_audit("self_assess", &new, summary, Some(before), Some(after))],
        )
        .await?;
        tx.commit().await?;
        Ok(new)
    }

    /// A reviewer at `level` scores an entry (or, after review, the final
    /// level corrects it with a note): the star and, once awarded, the
    /// figures change at once.
    pub async fn review(&self, id: i64, level: u8, r: &Review) -> StoreResult<Entry> {
        let mut tx = self.write().await?;
        let entry = review_in(&mut tx, id, level, r, "", true).await?;
        audit::append(&mut tx, self.actor.as_ref(), &[entry]).await?;
        let e = get_entry(&mut tx, id).await?;
        tx.commit().await?;
        Ok(e)
    }

    /// Sends a self-assessment back to the branch with a comment.
    pub async fn return_entry(&self, id: i64, comment: &str) -> StoreResult<Entry> {
        let mut tx = self.write().await?;
        let entry = return_in(&mut tx, id, comment).await?;
        audit::append(&mut tx, self.actor.as_ref(), &[entry]).await?;
        let e = get_entry(&mut tx, id).await?;
        tx.commit().await?;
        Ok(e)
    }

    /// Bulk review at `level` of entries the caller may review: `accept`
    /// takes the previous level's scores as this level's; otherwise each is
    /// returned with `comment`. All or none: the first refusal is named.
    pub async fn bulk_review(&self, ids: &[i64], level: u8, accept: bool, comment: &str) -> StoreResult<usize> {
        let mut tx = self.write().await?;
        let mut trail = vec![];
        for &id in ids {
            let entry = if accept {
                let r = Review { scores: vec![], vetoes: vetoes_of(&mut tx, id).await?, comment: optional(comment) };
                review_in(&mut tx, id, level, &r, "批量", true).await
            } else {
                return_in(&mut tx, id, comment).await
            };
            match entry {
                Ok(a) => trail.push(a),
                Err(StoreError::Conflict { message, .. }) => {
                    let e = get_entry(&mut tx, id).await?;
                    return Err(StoreError::conflict("ids", format!("{}：{message}", e.unit_name)));
                }
                Err(e) => return Err(e),
            }
        }
        audit::append(&mut tx, self.actor.as_ref(), &trail).await?;
        tx.commit().await?;
        Ok(ids.len())
    }

    /// Takes an awarded star back with a reason (动态管理): the branch
    /// counts as 0 stars for the campaign's year from now on.
    pub async fn withdraw_star(&self, id: i64, on: Date, reason: &str) -> StoreResult<Entry> {
        let reason = required_text(reason, 500).map_err(|m| StoreError::conflict("reason", format!("摘星原因{m}")))?;
        let mut tx = self.write().await?;
        let (e, c, _) = context(&mut tx, id).await?;
        if !c.stage.awarded() || !e.awarded {
            return Err(stage_conflict("星级尚未命名，不能摘星 (the star is not awarded)".into()));
        }
        if e.withdrawn.is_some() {
            return Err(stage_conflict("该星级已被摘除 (already withdrawn)".into()));
        }
        let (_, before) = snapshot(&mut tx, id).await?;
        let chain_before = chain::read(&mut tx, Of::Unit(e.unit_id)).await?;
        sqlx::query("UPDATE star_entries SET withdrawn_on = $1, withdrawn_reason = $2, updated_at = $3 WHERE id = $4")
            .bind(qizhi_core::date::iso(on))
            .bind(reason.as_str())
            .bind(now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let chain_after = chain::read(&mut tx, Of::Unit(e.unit_id)).await?;
        let mut delta = RollupDelta::default();
        chain::diff(&chain_before, &chain_after, &mut delta);
        rollup::apply(&mut tx, &delta).await?;
        let (new, after) = snapshot(&mut tx, id).await?;
        let summary = format!("摘除 {} 的 {} 星（{}）：{reason}", e.unit_name, e.star, c.name);
        audit::append(
            &mut tx,
            self.actor.as_ref(),
            &[entry_audit("withdraw", &new, summary, Some(before), Some(after))],
        )
        .await?;
        tx.commit().await?;
        Ok(new)
    }

    /// Records an objection raised during publicity.
    pub async fn add_objection(
        &self,
        id: i64,
        raised_on: Date,
        source: Option<&str>,
        content: &str,
    ) -> StoreResult<Objection> {
        let content =
            required_text(content, 1000).map_err(|m| StoreError::conflict("content", format!("异议内容{m}")))?;
        let source = optional_text(source, 100).map_err(|m| StoreError::conflict("source", m))?;
        let mut tx = self.write().await?;
        let (e, c, _) = context(&mut tx, id).await?;
        if c.stage != Stage::Publicity {
            return Err(stage_conflict(format!(
                "当前阶段为“{}”，异议只能在“结果公示”阶段登记 (objections are recorded in publicity)",
                c.stage.zh()
            )));
        }
        let by = self.actor().map(|a| a.username.clone());
        let oid: i64 = sqlx::query(
            "INSERT INTO star_objections (entry_id, raised_on, source, content, created_at, created_by) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(id)
        .bind(qizhi_core::date::iso(raised_on))
        .bind(source.as_deref())
        .bind(content.as_str())
        .bind(now_ms())
        .bind(by.as_deref())
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        let o = get_objection(&mut tx, oid).await?;
        let entry = audit::Entry {
            action: "create",
            object_kind: "star_objection",
            object_id: oid.to_string(),
            unit_path: Some(e.unit_path.clone()),
            summary: format!("登记对 {} 的异议（{}）", e.unit_name, c.name),
            before: None,
            after: audit::json(&o),
        };
        audit::append(&mut tx, self.actor.as_ref(), &[entry]).await?;
        tx.commit().await?;
        Ok(o)
    }

    /// Answers an objection.
    pub async fn answer_objection(&self, objection: i64, answer: &str) -> StoreResult<Objection> {
        let answer = required_text(answer, 1000).map_err(|m| StoreError::conflict("answer", format!("答复{m}")))?;
        let mut tx = self.write().await?;
        let old = get_objection(&mut tx, objection).await?;
        let e = get_entry(&mut tx, old.entry_id).await?;
        let by = self.actor().map(|a| a.username.clone());
        sqlx::query("UPDATE star_objections SET answer = $1, answered_at = $2, answered_by = $3 WHERE id = $4")
            .bind(answer.as_str())
            .bind(now_ms())
            .bind(by.as_deref())
            .bind(objection)
            .execute(&mut *tx)
            .await?;
        let new = get_objection(&mut tx, objection).await?;
        let entry = audit::Entry {
            action: "answer",
            object_kind: "star_objection",
            object_id: objection.to_string(),
            unit_path: Some(e.unit_path.clone()),
            summary: format!("答复对 {} 的异议", e.unit_name),
            before: audit::json(&old),
            after: audit::json(&new),
        };
        audit::append(&mut tx, self.actor.as_ref(), &[entry]).await?;
        tx.commit().await?;
        Ok(new)
    }

    pub async fn objection(&self, id: i64) -> StoreResult<Objection> {
        let mut tx = self.begin().await?;
        let o = get_objection(&mut tx, id).await?;
        tx.commit().await?;
        Ok(o)
    }

    /// Applies a score spreadsheet to a campaign at `stage`, all rows or
    /// none; returns the rows written. `allowed(entry)` says whether the
    /// importer may score that branch. Self rows need every indicator that
    /// is not auto-scored and submit the self-assessment; review rows take
    /// the previous level's score for an empty cell and complete that
    /// level's review. A row the stage no longer takes is an error, unless
    /// it repeats what is stored (an export imported back): then it is left
    /// as it is.
    pub async fn import_scores(
        &self,
        campaign_id: i64,
        stage: ScoreStage,
        rows: &[ImportRow],
        allowed: &(dyn Fn(&Entry) -> bool + Sync),
    ) -> Result<usize, LoadError> {
        let mut tx = self.write().await?;
        let c = get_campaign(&mut tx, campaign_id).await?;
        let body = get_scheme(&mut tx, c.scheme_id).await?.body;
        let mut by_code: HashMap<String, Entry> = HashMap::new();
        let mut sql =
            Sql::new(&format!("SELECT {} FROM {} WHERE e.campaign_id = ", super::ENTRY_COLS, super::ENTRY_FROM));
        sql.bind(Bind::Int(c.id));
        for r in sql.query(tx.backend()).fetch_all(&mut *tx).await? {
            let e = super::entry(&r)?;
            by_code.insert(e.unit_code.clone(), e);
        }
        // What is stored at this stage, so that rows repeating it can be let through.
        let mut stored: HashMap<i64, HashMap<String, Points>> = HashMap::new();
        let mut stored_vetoes: HashMap<i64, Vec<String>> = HashMap::new();
        let rows_stored = sqlx::query(
            "SELECT s.entry_id, s.indicator, s.points FROM star_scores s JOIN star_entries e ON e.id = s.entry_id \
             WHERE e.campaign_id = $1 AND s.stage = $2",
        )
        .bind(c.id)
        .bind(stage.code())
        .fetch_all(&mut *tx)
        .await?;
        for r in rows_stored {
            stored.entry(r.try_get(0)?).or_default().insert(r.try_get(1)?, Points(r.try_get(2)?));
        }
        for r in sqlx::query(
            "SELECT v.entry_id, v.code FROM star_vetoes v JOIN star_entries e ON e.id = v.entry_id \
             WHERE e.campaign_id = $1 ORDER BY v.code",
        )
        .bind(c.id)
        .fetch_all(&mut *tx)
        .await?
        {
            stored_vetoes.entry(r.try_get(0)?).or_default().push(r.try_get(1)?);
        }
        let unchanged = |e: &Entry, row: &ImportRow| {
            let have = stored.get(&e.id);
            let scores_same = have.is_some_and(|h| {
                row.scores.iter().all(|(code, p)| match p {
                    Some(p) => h.get(code) == Some(p),
                    None => !h.contains_key(code) || stage.level().is_some(),
                })
            });
            let vetoes_same = row.vetoes.as_ref().is_none_or(|v| {
                let mut v = v.clone();
                v.sort();
                v.dedup();
                stored_vetoes.get(&e.id).cloned().unwrap_or_default() == v
            });
            scores_same && vetoes_same
        };
        let mut skipped: HashSet<usize> = HashSet::new();
        let mut errors = vec![];
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let err = |line, field, message: String| RowError { line, field, message };
        for row in rows {
            let code = row.unit_code.trim();
            if let Some(first) = seen.insert(code, row.line) {
                errors.push(err(row.line, "unit_code", format!("与第 {first} 行重复 (duplicate of row {first})")));
                continue;
            }
            let Some(e) = by_code.get(code) else {
                errors.push(err(
                    row.line,
                    "unit_code",
                    format!("“{code}” 不是本次评选的党支部 (not in this campaign)"),
                ));
                continue;
            };
            if !allowed(e) {
                errors.push(err(row.line, "unit_code", format!("无权为 {} 评分 (outside your scope)", e.unit_name)));
                continue;
            }
            let stage_ok = match stage.level() {
                None => campaign::may_self_assess(c.stage, e.status),
                Some(level) => campaign::may_review(c.stage, e.status, c.review_levels, level),
            };
            if let Err(m) = stage_ok {
                // A row repeating what is stored (an export imported back) changes nothing.
                if unchanged(e, row) {
                    skipped.insert(row.line);
                } else {
                    errors.push(err(row.line, "unit_code", format!("{}：{m}", e.unit_name)));
                }
                continue;
            }
            if stage == ScoreStage::SelfAssess {
                for (code, p) in &row.scores {
                    let auto = body.indicator(code).is_some_and(|(_, i)| i.auto.is_some());
                    if p.is_none() && !auto {
                        errors.push(RowError {
                            line: row.line,
                            field: leak(code),
                            message: "请填写得分 (score required)".into(),
                        });
                    }
                }
            }
            if stage.level().is_some()
                && c.stage > Stage::Review
                && row.comment.as_deref().is_none_or(|s| s.trim().is_empty())
            {
                errors.push(err(row.line, "comment", "更正评分须填写更正说明 (a correction needs a note)".into()));
            }
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.line);
            return Err(LoadError::Rows(errors));
        }
        let awarded = c.stage.awarded();
        let before = if awarded { Some(chain::read(&mut tx, Of::Campaign(c.id)).await?) } else { None };
        let mut trail = vec![];
        for row in rows.iter().filter(|r| !skipped.contains(&r.line)) {
            let e = &by_code[row.unit_code.trim()];
            let result = match stage.level() {
                None => {
                    let (_, before) = snapshot(&mut tx, e.id).await?;
                    for (code, p) in &row.scores {
                        if let Some(p) = p
                            && body.indicator(code).is_some_and(|(_, i)| i.auto.is_none())
                        {
                            put_score(&mut tx, e.id, ScoreStage::SelfAssess, code, *p, None).await?;
                        }
                    }
                    auto_scores(&mut tx, e, &c, &body).await?;
                    set_status(&mut tx, e.id, EntryStatus::Submitted).await?;
                    let fresh = get_entry(&mut tx, e.id).await?;
                    rescore(&mut tx, &fresh, c.review_levels, &body).await?;
                    let (new, after) = snapshot(&mut tx, e.id).await?;
                    let summary = format!("导入自评：{}（{}）", e.unit_name, c.name);
                    Ok(entry_audit("self_assess", &new, summary, Some(before), Some(after)))
                }
                Some(level) => {
                    let scores = row.scores.iter().filter_map(|(k, p)| p.map(|p| (k.clone(), p, None))).collect();
                    let vetoes = match &row.vetoes {
                        Some(v) => v.clone(),
                        None => vetoes_of(&mut tx, e.id).await?,
                    };
                    let r = Review { scores, vetoes, comment: row.comment.clone() };
                    // The chains are moved once for the whole file below.
                    review_in(&mut tx, e.id, level, &r, "导入", false).await
                }
            };
            match result {
                Ok(a) => trail.push(a),
                Err(StoreError::Conflict { field, message }) => {
                    return Err(LoadError::Rows(vec![RowError { line: row.line, field: leak(&field), message }]));
                }
                Err(StoreError::Invalid(inv)) => {
                    let errors = inv
                        .errors
                        .into_iter()
                        .map(|f| RowError {
                            line: row.line,
                            field: leak(f.field.strip_prefix("score.").unwrap_or(&f.field)),
                            message: f.message,
                        })
                        .collect();
                    return Err(LoadError::Rows(errors));
                }
                Err(e) => return Err(e.into()),
            }
        }
        if let Some(before) = before {
            let after = chain::read(&mut tx, Of::Campaign(c.id)).await?;
            let mut delta = RollupDelta::default();
            chain::diff(&before, &after, &mut delta);
            rollup::apply(&mut tx, &delta).await?;
        }
        audit::append(&mut tx, self.actor.as_ref(), &trail).await?;
        tx.commit().await?;
        Ok(rows.len() - skipped.len())
    }
}

fn optional(text: &str) -> Option<String> {
    let t = text.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// Field names of row errors are static (they name a column); indicator
/// codes come from a scheme, so they are interned once each.
fn leak(code: &str) -> &'static str {
    use std::sync::{Mutex, OnceLock};
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut names = NAMES.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner());
    if let Some(n) = names.get(code) {
        return n;
    }
    let n: &'static str = Box::leak(code.to_string().into_boxed_str());
    names.insert(n);
    n
}

async fn return_in(tx: &mut Tx, id: i64, comment: &str) -> StoreResult<audit::Entry> {
    let comment = required_text(comment, 1000).map_err(|m| StoreError::conflict("comment", format!("退回意见{m}")))?;
    let (e, c, body) = context(tx, id).await?;
    campaign::may_return(c.stage, e.status).map_err(stage_conflict)?;
    let (_, before) = snapshot(tx, id).await?;
    sqlx::query("UPDATE star_entries SET review1_comment = $1 WHERE id = $2")
        .bind(comment.as_str())
        .bind(id)
        .execute(&mut **tx)
        .await?;
    set_status(tx, id, EntryStatus::Returned).await?;
    let fresh = get_entry(tx, id).await?;
    rescore(tx, &fresh, c.review_levels, &body).await?;
    let (new, after) = snapshot(tx, id).await?;
    let summary = format!("退回 {} 的自评（{}）：{comment}", e.unit_name, c.name);
    Ok(entry_audit("return", &new, summary, Some(before), Some(after)))
}

async fn get_objection(tx: &mut Tx, id: i64) -> StoreResult<Objection> {
    let r = sqlx::query(
        "SELECT id, entry_id, raised_on, source, content, answer, answered_at, answered_by, created_at, created_by \
         FROM star_objections WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or_else(|| StoreError::not_found(format!("objection {id}")))?;
    objection(&r)
}

fn objection(r: &sqlx::any::AnyRow) -> StoreResult<Objection> {
    Ok(Objection {
        id: r.try_get("id")?,
        entry_id: r.try_get("entry_id")?,
        raised_on: r.try_get("raised_on")?,
        source: r.try_get("source")?,
        content: r.try_get("content")?,
        answer: r.try_get("answer")?,
        answered_at: r.try_get("answered_at")?,
        answered_by: r.try_get("answered_by")?,
        created_at: r.try_get("created_at")?,
        created_by: r.try_get("created_by")?,
    })
}
