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
        let mut touched: BTreeSet<UnitId> = group(&mut tx, issuer, kind, year).await?.iter().map(|s| s.unit).collect();
        let mut previous_issuers = BTreeSet::new();
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
            touched.insert(s.unit);
            let other = sqlx::query("SELECT issuer_id FROM assessments WHERE unit_id = $1 AND kind = $2 AND year = $3")
                .bind(s.unit.0)
                .bind(kind.code())
                .bind(i64::from(year))
                .fetch_optional(&mut *tx)
                .await?;
            if let Some(r) = other {
                previous_issuers.insert(UnitId(r.try_get(0)?));
            }
        }
        for other in previous_issuers.into_iter().filter(|&i| i != issuer) {
            touched.extend(group(&mut tx, other, kind, year).await?.iter().map(|s| s.unit));
        }
        let mut delta = RollupDelta::default();
        contribute(&mut tx, &touched, -1, &mut delta).await?;
        let now = now_ms();
        for s in scores {
            sqlx::query(
                "INSERT INTO assessments (issuer_id, unit_id, kind, year, score, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6) \
                 ON CONFLICT (unit_id, kind, year) DO UPDATE SET issuer_id = excluded.issuer_id, \
                 score = excluded.score, updated_at = excluded.updated_at",
            )
            .bind(issuer.0)
            .bind(s.unit.0)
            .bind(kind.code())
            .bind(i64::from(year))
            .bind(s.score.0)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        contribute(&mut tx, &touched, 1, &mut delta).await?;
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
        contribute(&mut tx, &touched, -1, &mut delta).await?;
        let now = now_ms();
        for &(unit, year, value) in results {
            sqlx::query(
                "INSERT INTO business_results (unit_id, year, value, updated_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (unit_id, year) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            )
            .bind(unit.0)
            .bind(i64::from(year))
            .bind(value.0)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        contribute(&mut tx, &touched, 1, &mut delta).await?;
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
