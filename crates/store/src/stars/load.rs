//! Bulk loading of schemes and campaigns (the seed world, and anything
//! else given as `StarsData`), inside `Store::load`'s transaction: schemes
//! and campaigns one statement each, entries and scores in multi-row
//! chunks, every branch's star decided by the engine from its final scores
//! (never taken from the data), and the rollup changes added to the batch's
//! delta, applied once with the rest.

use std::collections::{BTreeMap, HashMap, HashSet};

use qizhi_core::figures::RollupDelta;
use qizhi_core::org::Unit;
use qizhi_core::stars::campaign::ScoreStage;
use qizhi_core::stars::data::{CampaignData, EntryData, StarsData};
use qizhi_core::stars::engine::{QuotaUse, quota_use};
use qizhi_core::stars::points::Points;
use qizhi_core::stars::scheme::SchemeBody;
use time::Date;

use super::chain::{self, Of};
use crate::audit::Entry;
use crate::load::{LoadError, RowError};
use crate::rows::{Bind, Sql};
use crate::{StoreError, Tx, now_ms};

/// Entries per insert statement (14 binds each).
const ENTRY_CHUNK: usize = 200;
/// Scores per insert statement (6 binds each).
const SCORE_CHUNK: usize = 500;

fn problem(line: usize, message: String) -> RowError {
    RowError { line, field: "stars", message }
}

/// Epoch milliseconds of a day's midnight in China: when a loaded campaign's stars were fixed.
fn midnight_ms(d: Date) -> i64 {
    qizhi_core::date::start_of(d).unix_timestamp() * 1000
}

/// The final scores of an entry and its vetoes, for the engine.
fn final_of(e: &EntryData, levels: u8) -> (BTreeMap<String, Points>, Vec<String>) {
    let stage = ScoreStage::final_for(e.status, levels);
    let list = match stage {
        ScoreStage::SelfAssess => &e.self_scores,
        ScoreStage::Review1 => &e.review1,
        ScoreStage::Review2 => &e.review2,
    };
    (list.iter().map(|s| (s.indicator.clone(), s.points)).collect(), e.vetoes.clone())
}

/// Checks the data against the units and itself; problems are numbered by
/// campaign (1-based) or, for schemes, 0.
fn check(data: &StarsData, by_code: &HashMap<String, Unit>, errors: &mut Vec<RowError>) {
    let keys: HashSet<&str> = data.schemes.iter().map(|s| s.key.as_str()).collect();
    for s in &data.schemes {
        if !by_code.contains_key(&s.unit_code) {
            errors.push(problem(0, format!("评价体系 {} 的发布组织 {} 不存在 (no such unit)", s.key, s.unit_code)));
        }
        if let Err(e) = s.fields.validate() {
            errors.push(problem(0, format!("评价体系 {}：{e}", s.key)));
        }
    }
    for (i, c) in data.campaigns.iter().enumerate() {
        let line = i + 1;
        if !keys.contains(c.scheme.as_str()) {
            errors
                .push(problem(line, format!("评选 {} 的评价体系 {} 不存在 (no such scheme)", c.fields.name, c.scheme)));
        }
        if !by_code.contains_key(&c.unit_code) {
            errors.push(problem(line, format!("评选 {} 的组织 {} 不存在 (no such unit)", c.fields.name, c.unit_code)));
        }
        let mut seen = HashSet::new();
        for e in &c.entries {
            match by_code.get(&e.unit_code) {
                Some(u) if u.kind == qizhi_core::org::UnitKind::Branch => {}
                _ => errors.push(problem(line, format!("{} 不是党支部 (not a branch)", e.unit_code))),
            }
            if !seen.insert(e.unit_code.as_str()) {
                errors.push(problem(line, format!("{} 在评选 {} 中出现两次 (twice)", e.unit_code, c.fields.name)));
            }
        }
    }
}

/// Writes `data` in the batch's transaction. Row problems go to `errors`
/// (nothing is written then); rollup changes go to `delta`.
pub(crate) async fn apply(
    tx: &mut Tx,
    data: &StarsData,
    by_code: &HashMap<String, Unit>,
    delta: &mut RollupDelta,
    errors: &mut Vec<RowError>,
    trail: &mut Option<Vec<Entry>>,
) -> Result<(), LoadError> {
    if data.is_empty() {
        return Ok(());
    }
    check(data, by_code, errors);
    if !errors.is_empty() {
        return Ok(());
    }
    let mut schemes: HashMap<&str, (i64, &SchemeBody, i32)> = HashMap::new();
    for s in &data.schemes {
        let copied = s.copied_from.as_deref().and_then(|k| schemes.get(k)).map(|(id, _, _)| *id);
        let id = super::schemes::insert(tx, by_code[&s.unit_code].id, &s.fields, copied).await?;
        schemes.insert(s.key.as_str(), (id, &s.fields.body, s.fields.year));
        if let Some(t) = trail.as_mut() {
            t.push(Entry {
                action: "create",
                object_kind: "star_scheme",
                object_id: id.to_string(),
                unit_path: Some(by_code[&s.unit_code].path.clone()),
                summary: format!("导入：星级评价体系 {}（{} 年）", s.fields.name, s.fields.year),
                before: None,
                after: crate::audit::json(&s.fields),
            });
        }
    }
    // The branches whose chains of awards change.
    let awarded_units: Vec<i64> = data
        .campaigns
        .iter()
        .filter(|c| c.stage.awarded())
        .flat_map(|c| c.entries.iter().map(|e| by_code[&e.unit_code].id.0))
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    let before = chain::read(tx, Of::Units(awarded_units.clone())).await?;
    for (i, c) in data.campaigns.iter().enumerate() {
        let (scheme_id, body, year) = schemes[c.scheme.as_str()];
        let unit = &by_code[&c.unit_code];
        if let Err(e) = load_campaign(tx, c, (scheme_id, body, year), unit, by_code, trail).await {
            match e {
                LoadError::Rows(mut rows) => {
                    for r in &mut rows {
                        r.line = i + 1;
                    }
                    errors.extend(rows);
                    return Ok(());
                }
                e => return Err(e),
            }
        }
    }
    let after = chain::read(tx, Of::Units(awarded_units)).await?;
    chain::diff(&before, &after, delta);
    Ok(())
}

async fn load_campaign(
    tx: &mut Tx,
    c: &CampaignData,
    (scheme_id, body, scheme_year): (i64, &SchemeBody, i32),
    unit: &Unit,
    by_code: &HashMap<String, Unit>,
    trail: &mut Option<Vec<Entry>>,
) -> Result<(), LoadError> {
    let id =
        super::campaigns::insert(tx, scheme_id, unit.id, scheme_year, &c.fields, c.stage).await.map_err(
            |e| match e {
                StoreError::Invalid(i) => LoadError::Rows(vec![problem(0, i.to_string())]),
                e => e.into(),
            },
        )?;
    let awarded_at = match (c.stage.awarded(), c.awarded_on) {
        (true, Some(d)) => Some(midnight_ms(d)),
        (true, None) => Some(now_ms()),
        _ => None,
    };
    if let Some(at) = awarded_at {
        sqlx::query("UPDATE star_campaigns SET awarded_at = $1 WHERE id = $2")
            .bind(at)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    // Stars from the engine; awarded when the campaign is and the review is done.
    let levels = c.fields.review_levels;
    let decided: Vec<(u8, bool)> = c
        .entries
        .iter()
        .map(|e| {
            let (scores, vetoes) = final_of(e, levels);
            let star = qizhi_core::stars::evaluate(body, &scores, &vetoes).star;
            (star, c.stage.awarded() && e.status.review_done(levels))
        })
        .collect();
    let stars: Vec<u8> = decided.iter().filter(|(_, a)| *a).map(|(s, _)| *s).collect();
    let broken: Vec<String> =
        quota_use(&body.quotas, &stars).into_iter().filter(QuotaUse::exceeded).map(|q| q.zh()).collect();
    if !broken.is_empty() {
        return Err(LoadError::Rows(vec![problem(
            0,
            format!("评选 {} 超出名额限制：{}", c.fields.name, broken.join("；")),
        )]));
    }
    let now = now_ms();
    let mut ids = Vec::with_capacity(c.entries.len());
    for (chunk, decided) in c.entries.chunks(ENTRY_CHUNK).zip(decided.chunks(ENTRY_CHUNK)) {
        let mut sql = Sql::new(
            "INSERT INTO star_entries (campaign_id, unit_id, status, target_star, plan, review1_comment, review2_comment, \
             star, awarded, year, awarded_at, withdrawn_on, withdrawn_reason, updated_at) VALUES ",
        );
        for (i, (e, (star, awarded))) in chunk.iter().zip(decided).enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" });
            let withdrawn = e.withdrawn.as_ref().filter(|_| *awarded);
            let binds = [
                Bind::Int(id),
                Bind::Int(by_code[&e.unit_code].id.0),
                Bind::Text(e.status.code().into()),
                Bind::OptInt(e.declaration.as_ref().map(|d| i64::from(d.target_star))),
                Bind::OptText(e.declaration.as_ref().and_then(|d| d.plan.clone())),
                Bind::OptText(e.review1_comment.clone()),
                Bind::OptText(e.review2_comment.clone()),
                Bind::Int(i64::from(*star)),
                Bind::Int(i64::from(*awarded)),
                Bind::Int(i64::from(scheme_year)),
                Bind::OptInt(awarded_at.filter(|_| *awarded)),
                Bind::OptText(withdrawn.map(|w| qizhi_core::date::iso(w.on))),
                Bind::OptText(withdrawn.map(|w| w.reason.clone())),
                Bind::Int(now),
            ];
            for (j, b) in binds.into_iter().enumerate() {
                if j > 0 {
                    sql.push(", ");
                }
                sql.bind(b);
            }
            sql.push(")");
        }
        sql.push(" RETURNING id");
        let rows = sql.query(tx.backend()).fetch_all(&mut **tx).await?;
        let mut chunk_ids: Vec<i64> = rows.iter().map(|r| sqlx::Row::try_get(r, 0)).collect::<Result<_, _>>()?;
        // Ids are assigned increasing within one statement.
        chunk_ids.sort_unstable();
        ids.extend(chunk_ids);
    }
    let mut scores: Vec<(i64, ScoreStage, &str, Points, Option<&str>)> = vec![];
    let mut vetoes: Vec<(i64, &str)> = vec![];
    for (e, &entry_id) in c.entries.iter().zip(&ids) {
        for (stage, list) in [
            (ScoreStage::SelfAssess, &e.self_scores),
            (ScoreStage::Review1, &e.review1),
            (ScoreStage::Review2, &e.review2),
        ] {
            for s in list {
                scores.push((entry_id, stage, s.indicator.as_str(), s.points, s.note.as_deref()));
            }
        }
        for v in &e.vetoes {
            vetoes.push((entry_id, v.as_str()));
        }
    }
    for chunk in scores.chunks(SCORE_CHUNK) {
        let mut sql =
            Sql::new("INSERT INTO star_scores (entry_id, stage, indicator, points, note, updated_at) VALUES ");
        for (i, (entry_id, stage, indicator, points, note)) in chunk.iter().enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" });
            sql.bind(Bind::Int(*entry_id)).push(", ").bind(Bind::Text(stage.code().into()));
            sql.push(", ").bind(Bind::Text((*indicator).into())).push(", ").bind(Bind::Int(points.0));
            sql.push(", ").bind(Bind::OptText(note.map(str::to_string))).push(", ").bind(Bind::Int(now)).push(")");
        }
        sql.query(tx.backend()).execute(&mut **tx).await?;
    }
    for chunk in vetoes.chunks(SCORE_CHUNK) {
        let mut sql = Sql::new("INSERT INTO star_vetoes (entry_id, code) VALUES ");
        for (i, (entry_id, code)) in chunk.iter().enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" });
            sql.bind(Bind::Int(*entry_id)).push(", ").bind(Bind::Text((*code).into())).push(")");
        }
        sql.query(tx.backend()).execute(&mut **tx).await?;
    }
    if let Some(t) = trail.as_mut() {
        t.push(Entry {
            action: "create",
            object_kind: "star_campaign",
            object_id: id.to_string(),
            unit_path: Some(unit.path.clone()),
            summary: format!(
                "导入：星级评选 {}（{}，{} 个党支部，阶段“{}”）",
                c.fields.name,
                unit.name,
                c.entries.len(),
                c.stage.zh()
            ),
            before: None,
            after: None,
        });
    }
    Ok(())
}
