//! Assessment scores, issuers' tier rules and business results. Every
//! change rereads the histories of the units whose standing it can move
//! (all the units of the groups it touches: one score moves its peers'
//! ranks), takes their old contributions off the rollup and puts the new
//! ones on, in the write's transaction.

use std::collections::{BTreeSet, HashMap};

use qizhi_core::figures::RollupDelta;
use qizhi_core::ids::UnitId;
use qizhi_core::org::{Unit, lineage};
use qizhi_core::recognition::rollup::{History, contributions};
use qizhi_core::recognition::{AssessmentKind, Standing, TierRule, standings};
use qizhi_core::stars::points::Points;
use serde::Serialize;
use sqlx::Row;

use crate::audit::{self, Entry, json};
use crate::load::{LoadError, LoadSummary, RowError};
use crate::{Store, StoreError, StoreResult, Tx, now_ms, rollup, units};

/// One unit's score in a group, as the issuer records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Score {
    pub unit: UnitId,
    pub score: Points,
}

/// A unit's place in one group, with its names for lists.
#[derive(Debug, Clone, Serialize)]
pub struct Placed {
    pub standing: Standing,
    pub unit_code: String,
    pub unit_name: String,
}

fn kind_of(code: &str) -> StoreResult<AssessmentKind> {
    AssessmentKind::parse(code).map_err(|e| crate::rows::corrupt("kind", &e))
}

/// The issuer's tier rule for `kind`, `None` for the default.
async fn rule(tx: &mut Tx, issuer: UnitId, kind: AssessmentKind) -> StoreResult<Option<TierRule>> {
    let row = sqlx::query("SELECT by_rank, min_score FROM assessment_rules WHERE issuer_id = $1 AND kind = $2")
        .bind(issuer.0)
        .bind(kind.code())
        .fetch_optional(&mut **tx)
        .await?;
    Ok(match row {
        None => None,
        Some(r) => match (r.try_get::<Option<i64>, _>(0)?, r.try_get::<Option<i64>, _>(1)?) {
            (Some(n), _) => Some(TierRule::TopRanks(n as u32)),
            (None, Some(s)) => Some(TierRule::MinScore(Points(s))),
            (None, None) => None,
        },
    })
}

/// The standings of one group: the units `issuer` assessed in `kind` and `year`.
async fn group(tx: &mut Tx, issuer: UnitId, kind: AssessmentKind, year: i32) -> StoreResult<Vec<Standing>> {
    let rows = sqlx::query("SELECT unit_id, score FROM assessments WHERE issuer_id = $1 AND kind = $2 AND year = $3")
        .bind(issuer.0)
        .bind(kind.code())
        .bind(i64::from(year))
        .fetch_all(&mut **tx)
        .await?;
    let scores: Vec<(UnitId, Points)> =
        rows.iter().map(|r| Ok((UnitId(r.try_get(0)?), Points(r.try_get(1)?)))).collect::<StoreResult<_>>()?;
    let rule = rule(tx, issuer, kind).await?;
    Ok(standings(&scores, rule))
}

/// Everything `unit` has been assessed in, with its business results.
async fn history(tx: &mut Tx, unit: UnitId) -> StoreResult<History> {
    let groups = sqlx::query("SELECT issuer_id, kind, year FROM assessments WHERE unit_id = $1")
        .bind(unit.0)
        .fetch_all(&mut **tx)
        .await?;
    let mut h = History::default();
    for r in groups {
        let (issuer, kind, year) =
            (UnitId(r.try_get(0)?), kind_of(&r.try_get::<String, _>(1)?)?, r.try_get::<i64, _>(2)? as i32);
        if let Some(s) = group(tx, issuer, kind, year).await?.into_iter().find(|s| s.unit == unit) {
            h.standings.insert((kind, year), s);
        }
    }
    for r in sqlx::query("SELECT year, value FROM business_results WHERE unit_id = $1")
        .bind(unit.0)
        .fetch_all(&mut **tx)
        .await?
    {
        h.results.insert(r.try_get::<i64, _>(0)? as i32, Points(r.try_get(1)?));
    }
    Ok(h)
}

/// Adds `sign` × the contributions of `units`' histories as they are now.
async fn contribute(tx: &mut Tx, units: &BTreeSet<UnitId>, sign: i64, delta: &mut RollupDelta) -> StoreResult<()> {
    for &u in units {
        let path = units::get(tx, u).await?.path;
        let (own, line) = contributions(&history(tx, u).await?);
        delta.add(&[u], &own, sign);
        delta.add(&lineage(&path), &line, sign);
    }
    Ok(())
}

/// The units of every group of `issuer` in `kind` (all years): whose
/// standing a change of the issuer's rule can move.
async fn assessed_by(tx: &mut Tx, issuer: UnitId, kind: AssessmentKind) -> StoreResult<BTreeSet<UnitId>> {
    let rows = sqlx::query("SELECT DISTINCT unit_id FROM assessments WHERE issuer_id = $1 AND kind = $2")
        .bind(issuer.0)
        .bind(kind.code())
        .fetch_all(&mut **tx)
        .await?;
    rows.iter().map(|r| Ok(UnitId(r.try_get(0)?))).collect()
}

fn below(issuer: &Unit, unit: &Unit) -> bool {
    unit.id != issuer.id && unit.path.starts_with(&issuer.path)
}

/// Scores and results as a ledger brings them, by unit code.
#[derive(Debug, Clone, Default)]
pub struct AssessmentBatch {
    pub scores: Vec<ScoreLoad>,
    pub results: Vec<ResultLoad>,
}

impl AssessmentBatch {
    pub fn len(&self) -> usize {
        self.scores.len() + self.results.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Debug, Clone)]
pub struct ScoreLoad {
    pub line: usize,
    pub issuer_code: String,
    pub unit_code: String,
    pub kind: AssessmentKind,
    pub year: i32,
    pub score: Points,
}

#[derive(Debug, Clone)]
pub struct ResultLoad {
    pub line: usize,
    pub unit_code: String,
    pub year: i32,
    pub value: Points,
}

/// Writes a batch's scores and results in the load's transaction: every
/// code must name a unit and every unit be below its issuer, else nothing
/// is written (the problems by row and column).
pub(crate) async fn load(
    tx: &mut Tx,
    batch: &AssessmentBatch,
    by_code: &HashMap<String, Unit>,
    delta: &mut RollupDelta,
    summary: &mut LoadSummary,
    trail: &mut Option<Vec<Entry>>,
) -> Result<(), LoadError> {
    if batch.is_empty() {
        return Ok(());
    }
    let mut errors = vec![];
    let mut find = |code: &str, line: usize, field: &'static str| -> Option<Unit> {
        let u = by_code.get(code.trim()).cloned();
        if u.is_none() {
            errors.push(RowError {
                line,
                field,
                message: format!("组织编码 “{code}” 不存在 (no unit with this code)"),
            });
        }
        u
    };
    let mut scores = vec![];
    for r in &batch.scores {
        if let (Some(issuer), Some(unit)) =
            (find(&r.issuer_code, r.line, "issuer_code"), find(&r.unit_code, r.line, "unit_code"))
        {
            scores.push((r, issuer, unit));
        }
    }
    let mut results = vec![];
    for r in &batch.results {
        if let Some(unit) = find(&r.unit_code, r.line, "unit_code") {
            results.push((r, unit));
        }
    }
    for (r, issuer, unit) in &scores {
        if !below(issuer, unit) {
            errors.push(RowError {
                line: r.line,
                field: "unit_code",
                message: format!(
                    "{} 不在考核单位 {} 之下 ({} is not below {})",
                    unit.code, issuer.code, unit.code, issuer.code
                ),
            });
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(LoadError::Rows(errors));
    }
    let writes: Vec<ScoreWrite> = scores.iter().map(|(r, i, u)| (i.id, u.id, r.kind, r.year, r.score)).collect();
    let values: Vec<(UnitId, i32, Points)> = results.iter().map(|(r, u)| (u.id, r.year, r.value)).collect();
    let (scored, valued) = write(tx, &writes, &values, delta).await?;
    for existed in scored.into_iter().chain(valued) {
        summary.count(existed);
    }
    if let Some(t) = trail.as_mut() {
        for (r, issuer, unit) in &scores {
            t.push(Entry {
                action: "assess",
                object_kind: "assessment",
                object_id: format!("{}/{}/{}", issuer.id.0, r.kind.code(), r.year),
                unit_path: Some(issuer.path.clone()),
                summary: format!("导入：{} {} 年{}得分 {}", unit.name, r.year, r.kind.zh(), r.score),
                before: None,
                after: None,
            });
        }
        for (r, unit) in &results {
            t.push(Entry {
                action: "result",
                object_kind: "business_result",
                object_id: unit.id.0.to_string(),
                unit_path: Some(unit.path.clone()),
                summary: format!("导入：{} {} 年经营业绩 {}", unit.name, r.year, r.value),
                before: None,
                after: None,
            });
        }
    }
    Ok(())
}

/// A score to write: (issuer, unit, kind, year, score).
type ScoreWrite = (UnitId, UnitId, AssessmentKind, i32, Points);

/// Writes scores and business results, taking off and putting back the
/// contributions of every unit whose standing they can move: the units of
/// each group written into, of each group a unit leaves for another issuer,
/// and those with new results. Whether each score and result existed before.
async fn write(
    tx: &mut Tx,
    scores: &[ScoreWrite],
    results: &[(UnitId, i32, Points)],
    delta: &mut RollupDelta,
) -> StoreResult<(Vec<bool>, Vec<bool>)> {
    let mut touched: BTreeSet<UnitId> = results.iter().map(|r| r.0).collect();
    let mut groups: BTreeSet<(UnitId, AssessmentKind, i32)> = BTreeSet::new();
    let mut scored = Vec::with_capacity(scores.len());
    for &(issuer, unit, kind, year, _) in scores {
        groups.insert((issuer, kind, year));
        touched.insert(unit);
        let before = sqlx::query("SELECT issuer_id FROM assessments WHERE unit_id = $1 AND kind = $2 AND year = $3")
            .bind(unit.0)
            .bind(kind.code())
            .bind(i64::from(year))
            .fetch_optional(&mut **tx)
            .await?;
        if let Some(r) = &before {
            groups.insert((UnitId(r.try_get(0)?), kind, year));
        }
        scored.push(before.is_some());
    }
    for &(issuer, kind, year) in &groups {
        touched.extend(group(tx, issuer, kind, year).await?.iter().map(|s| s.unit));
    }
    contribute(tx, &touched, -1, delta).await?;
    let now = now_ms();
    for &(issuer, unit, kind, year, score) in scores {
        upsert_score(tx, issuer, unit, kind, year, score, now).await?;
    }
    let mut valued = Vec::with_capacity(results.len());
    for &(unit, year, value) in results {
        let existed = sqlx::query("SELECT 1 FROM business_results WHERE unit_id = $1 AND year = $2")
            .bind(unit.0)
            .bind(i64::from(year))
            .fetch_optional(&mut **tx)
            .await?
            .is_some();
        upsert_result(tx, unit, year, value, now).await?;
        valued.push(existed);
    }
    contribute(tx, &touched, 1, delta).await?;
    Ok((scored, valued))
}

async fn upsert_score(
    tx: &mut Tx,
    issuer: UnitId,
    unit: UnitId,
    kind: AssessmentKind,
    year: i32,
    score: Points,
    now: i64,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO assessments (issuer_id, unit_id, kind, year, score, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) \
         ON CONFLICT (unit_id, kind, year) DO UPDATE SET issuer_id = excluded.issuer_id, \
         score = excluded.score, updated_at = excluded.updated_at",
    )
    .bind(issuer.0)
    .bind(unit.0)
    .bind(kind.code())
    .bind(i64::from(year))
    .bind(score.0)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn upsert_result(tx: &mut Tx, unit: UnitId, year: i32, value: Points, now: i64) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO business_results (unit_id, year, value, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (unit_id, year) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
    )
    .bind(unit.0)
    .bind(i64::from(year))
    .bind(value.0)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Store {
    /// Records `issuer`'s scores in `kind` for `year`: each unit's score is
    /// set (a unit already scored that year by another issuer is moved to
    /// this one), the others of the group are kept. Every unit must be below
    /// the issuer. The group's standings afterwards.
    pub async fn record_assessments(
        &self,
        issuer: UnitId,
        kind: AssessmentKind,
        year: i32,
        scores: &[Score],
    ) -> StoreResult<Vec<Standing>> {
        let mut tx = self.write().await?;
        let issuer_unit = units::get(&mut tx, issuer).await?;
        for s in scores {
            let unit = units::get(&mut tx, s.unit).await?;
            if !below(&issuer_unit, &unit) {
                return Err(StoreError::conflict(
                    "unit",
                    format!(
                        "{} 不在 {} 之下，不能由其考核 ({} is not below {})",
                        unit.name, issuer_unit.name, unit.code, issuer_unit.code
                    ),
                ));
            }
        }
        let writes: Vec<ScoreWrite> = scores.iter().map(|s| (issuer, s.unit, kind, year, s.score)).collect();
        let mut delta = RollupDelta::default();
        write(&mut tx, &writes, &[], &mut delta).await?;
        rollup::apply(&mut tx, &delta).await?;
        let after = group(&mut tx, issuer, kind, year).await?;
        let entry = Entry {
            action: "assess",
            object_kind: "assessment",
            object_id: format!("{}/{}/{year}", issuer.0, kind.code()),
            unit_path: Some(issuer_unit.path.clone()),
            summary: format!("{} 录入 {year} 年{}得分 {} 个单位", issuer_unit.name, kind.zh(), scores.len()),
            before: None,
            after: json(&scores),
        };
        audit::append(&mut tx, self.actor.as_ref(), &[entry]).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Sets (or with `None` clears) how `issuer` places the first tier in `kind`.
    pub async fn set_tier_rule(&self, issuer: UnitId, kind: AssessmentKind, tier: Option<TierRule>) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let issuer_unit = units::get(&mut tx, issuer).await?;
        let touched = assessed_by(&mut tx, issuer, kind).await?;
        let mut delta = RollupDelta::default();
        contribute(&mut tx, &touched, -1, &mut delta).await?;
        sqlx::query("DELETE FROM assessment_rules WHERE issuer_id = $1 AND kind = $2")
            .bind(issuer.0)
            .bind(kind.code())
            .execute(&mut *tx)
            .await?;
        if let Some(t) = tier {
            let (by_rank, min_score) = match t {
                TierRule::TopRanks(n) => (Some(i64::from(n)), None),
                TierRule::MinScore(p) => (None, Some(p.0)),
            };
            sqlx::query(
                "INSERT INTO assessment_rules (issuer_id, kind, by_rank, min_score, updated_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(issuer.0)
            .bind(kind.code())
            .bind(by_rank)
            .bind(min_score)
            .bind(now_ms())
            .execute(&mut *tx)
            .await?;
        }
        contribute(&mut tx, &touched, 1, &mut delta).await?;
        rollup::apply(&mut tx, &delta).await?;
        let entry = Entry {
            action: "rule",
            object_kind: "assessment",
            object_id: format!("{}/{}", issuer.0, kind.code()),
            unit_path: Some(issuer_unit.path.clone()),
            summary: format!("{} 设定{}第一方阵规则", issuer_unit.name, kind.zh()),
            before: None,
            after: json(&tier),
        };
        audit::append(&mut tx, self.actor.as_ref(), &[entry]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Records yearly business results: (unit, year, value), each set.
    pub async fn record_business_results(&self, results: &[(UnitId, i32, Points)]) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let touched: BTreeSet<UnitId> = results.iter().map(|r| r.0).collect();
        let mut delta = RollupDelta::default();
        write(&mut tx, &[], results, &mut delta).await?;
        rollup::apply(&mut tx, &delta).await?;
        let mut trail = vec![];
        for &unit in &touched {
            let u = units::get(&mut tx, unit).await?;
            let years: Vec<String> =
                results.iter().filter(|r| r.0 == unit).map(|r| format!("{} 年 {}", r.1, r.2)).collect();
            trail.push(Entry {
                action: "result",
                object_kind: "business_result",
                object_id: unit.0.to_string(),
                unit_path: Some(u.path.clone()),
                summary: format!("{} 经营业绩：{}", u.name, years.join("，")),
                before: None,
                after: None,
            });
        }
        audit::append(&mut tx, self.actor.as_ref(), &trail).await?;
        tx.commit().await?;
        Ok(())
    }

    /// How `issuer` places the first tier in `kind`; `None`: the default, the best third.
    pub async fn tier_rule(&self, issuer: UnitId, kind: AssessmentKind) -> StoreResult<Option<TierRule>> {
        let mut tx = self.begin().await?;
        rule(&mut tx, issuer, kind).await
    }

    /// The standings of the units `issuer` assessed in `kind` and `year`, best first.
    pub async fn assessment_standings(
        &self,
        issuer: UnitId,
        kind: AssessmentKind,
        year: i32,
    ) -> StoreResult<Vec<Placed>> {
        let mut tx = self.begin().await?;
        let standings = group(&mut tx, issuer, kind, year).await?;
        let mut out = vec![];
        for s in standings {
            let u = units::get(&mut tx, s.unit).await?;
            out.push(Placed { standing: s, unit_code: u.code, unit_name: u.name });
        }
        Ok(out)
    }

    /// Every score given to a unit of `root`'s subtree, for the ledger:
    /// (issuer code, unit code, kind, year, score), by issuer, kind, year, unit.
    pub async fn assessments_in(&self, root: &Unit) -> StoreResult<Vec<(String, String, AssessmentKind, i32, Points)>> {
        let mut sql = crate::rows::Sql::new(
            "SELECT i.code AS issuer, u.code AS unit, a.kind, a.year, a.score FROM assessments a \
             JOIN units u ON u.id = a.unit_id JOIN units i ON i.id = a.issuer_id WHERE ",
        );
        crate::scope::subtree_filter(&mut sql, "u.path", &root.path);
        sql.push(" ORDER BY i.code, a.kind, a.year, u.code");
        sql.query(self.backend)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok((
                    r.try_get("issuer")?,
                    r.try_get("unit")?,
                    kind_of(&r.try_get::<String, _>("kind")?)?,
                    r.try_get::<i64, _>("year")? as i32,
                    Points(r.try_get("score")?),
                ))
            })
            .collect()
    }

    /// Every business result of a unit of `root`'s subtree: (unit code, year, value).
    pub async fn business_results_in(&self, root: &Unit) -> StoreResult<Vec<(String, i32, Points)>> {
        let mut sql = crate::rows::Sql::new(
            "SELECT u.code AS unit, b.year, b.value FROM business_results b JOIN units u ON u.id = b.unit_id WHERE ",
        );
        crate::scope::subtree_filter(&mut sql, "u.path", &root.path);
        sql.push(" ORDER BY u.code, b.year");
        sql.query(self.backend)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((r.try_get("unit")?, r.try_get::<i64, _>("year")? as i32, Points(r.try_get("value")?))))
            .collect()
    }

    /// A unit's assessment history: its standing in each kind and year, its business results.
    pub async fn assessment_history(&self, unit: UnitId) -> StoreResult<History> {
        let mut tx = self.begin().await?;
        history(&mut tx, unit).await
    }
}

/// Adds every unit's assessment contributions to `delta` (for `Store::recompute`).
pub(crate) async fn recount(
    store: &Store,
    paths: &HashMap<UnitId, String>,
    delta: &mut RollupDelta,
) -> StoreResult<()> {
    let mut tx = store.begin().await?;
    let mut units: BTreeSet<UnitId> = BTreeSet::new();
    for table in ["assessments", "business_results"] {
        for r in sqlx::query(&format!("SELECT DISTINCT unit_id FROM {table}")).fetch_all(&mut *tx).await? {
            units.insert(UnitId(r.try_get(0)?));
        }
    }
    for u in units {
        let (own, line) = contributions(&history(&mut tx, u).await?);
        delta.add(&[u], &own, 1);
        delta.add(&lineage(paths.get(&u).map(String::as_str).unwrap_or("")), &line, 1);
    }
    Ok(())
}
