//! Bulk loading: spreadsheet imports and the seed world go through here.
//! A batch is applied in one transaction: every row is checked first, any
//! problem is reported by row and nothing is written; otherwise all rows are
//! written and the rollups updated once for the whole batch.

use std::collections::{HashMap, HashSet};

use qizhi_core::figures::{RollupDelta, person_contributions};
use qizhi_core::grid::{GridFields, ScenarioFields};
use qizhi_core::ids::PersonId;
use qizhi_core::org::{Unit, UnitFields};
use qizhi_core::person::{Person, PersonFields};

use crate::audit::{self, Entry, json};
use crate::rows::{self, Bind, PERSON_COLS, Sql, UNIT_COLS, opt_date};
use crate::{Backend, Store, StoreError, Tx, grids, now_ms, people, rollup, units};

pub struct UnitRow {
    pub line: usize,
    pub parent_code: Option<String>,
    pub fields: UnitFields,
}

pub struct PersonRow {
    pub line: usize,
    pub unit_code: String,
    pub fields: PersonFields,
}

pub struct GridRow {
    pub line: usize,
    pub unit_code: String,
    pub fields: GridFields,
    pub contact_unit_code: Option<String>,
}

pub struct ScenarioRow {
    pub line: usize,
    pub unit_code: String,
    pub fields: ScenarioFields,
}

/// Rows to apply together.
#[derive(Default)]
pub struct Batch {
    pub units: Vec<UnitRow>,
    pub people: Vec<PersonRow>,
    pub grids: Vec<GridRow>,
    pub scenarios: Vec<ScenarioRow>,
    /// Brands, their structures and standards, and honors.
    pub brands: crate::brand_load::BrandBatch,
    pub stars: qizhi_core::stars::data::StarsData,
    /// Fortresses, teams, tasks and commitments: see `tasks_load`.
    pub tasks: crate::tasks_load::TaskBatch,
    /// Assessment scores and business results.
    pub assessments: crate::recognition::assessments::AssessmentBatch,
}

impl Batch {
    pub fn len(&self) -> usize {
        self.units.len()
            + self.people.len()
            + self.grids.len()
            + self.scenarios.len()
            + self.brands.len()
            + self.stars.len()
            + self.tasks.len()
            + self.assessments.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A problem with one row: `field` is the column's English key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub field: &'static str,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{} 行有错误，未写入任何数据 ({} rows rejected, nothing written)", .0.len(), .0.len())]
    Rows(Vec<RowError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for LoadError {
    fn from(e: sqlx::Error) -> Self {
        LoadError::Store(e.into())
    }
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct LoadSummary {
    pub created: usize,
    pub updated: usize,
    /// People created without an ID number: nothing matches them to a
    /// person already stored, so importing the same rows again adds them again.
    pub without_id_number: usize,
}

impl LoadSummary {
    /// Counts one record written: an update when it existed before.
    pub fn count(&mut self, existed: bool) {
        if existed { self.updated += 1 } else { self.created += 1 }
    }
}

const PEOPLE_CHUNK: usize = 400;

impl Store {
    /// The stored people with these ID numbers, by ID number (imports match people by it).
    pub async fn people_by_id_number(&self, ids: &[&str]) -> crate::StoreResult<HashMap<String, Person>> {
        let mut conn = self.pool.acquire().await?;
        people_by_id_number(&mut conn, ids).await
    }

    /// Applies a batch atomically. `progress(done, total)` is called as rows are written.
    pub async fn load(
        &self,
        batch: &Batch,
        progress: &mut (dyn FnMut(usize, usize) + Send),
    ) -> Result<LoadSummary, LoadError> {
        let total = batch.len();
        let mut tx = self.write().await?;
        let mut by_code = all_units(&mut tx).await?;
        let mut delta = RollupDelta::default();
        let mut summary = LoadSummary::default();
        let mut errors = vec![];
        let mut done = 0;

        // Audit entries, built only when the changes are made by someone.
        let mut trail: Option<Vec<Entry>> = self.actor.is_some().then(Vec::new);
        load_units(&mut tx, &batch.units, &mut by_code, &mut delta, &mut summary, &mut errors, &mut trail).await?;
        done += batch.units.len();
        progress(done, total);

        let resolve = |code: &str, line: usize, field: &'static str, errors: &mut Vec<RowError>| -> Option<Unit> {
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

        // People: match by ID number when given, otherwise always new.
        let mut seen_ids: HashMap<&str, usize> = HashMap::new();
        let mut resolved = Vec::with_capacity(batch.people.len());
        for row in &batch.people {
            let unit = resolve(&row.unit_code, row.line, "unit_code", &mut errors);
            if let Some(idn) = row.fields.id_number.as_deref()
                && let Some(first) = seen_ids.insert(idn, row.line)
            {
                errors.push(RowError {
                    line: row.line,
                    field: "id_number",
                    message: format!("身份证号与第 {first} 行重复 (duplicate of row {first})"),
                });
            }
            resolved.push(unit);
        }
        let existing = existing_people(&mut tx, &batch.people).await?;
        let mut grid_rows = vec![];
        for row in &batch.grids {
            let unit = resolve(&row.unit_code, row.line, "unit_code", &mut errors);
            let contact = match row.contact_unit_code.as_deref().map(str::trim) {
                None | Some("") => Some(None),
                Some(c) => resolve(c, row.line, "contact_unit_code", &mut errors).map(|u| Some(u.id)),
            };
            if let (Some(u), Some(c)) = (unit, contact) {
                grid_rows.push((row, u, c));
            }
        }
        let mut scenario_rows = vec![];
        for row in &batch.scenarios {
            if let Some(u) = resolve(&row.unit_code, row.line, "unit_code", &mut errors) {
                scenario_rows.push((row, u));
            }
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.line);
            return Err(LoadError::Rows(errors));
        }

        let mut fresh: Vec<(&Unit, &PersonFields)> = vec![];
        for (row, unit) in batch.people.iter().zip(&resolved) {
            let unit = unit.as_ref().expect("resolved above");
            match row.fields.id_number.as_deref().and_then(|i| existing.get(i)) {
                Some(old) => {
                    let old_unit = units::get(&mut tx, old.unit_id).await?;
                    let new = people::update(&mut tx, old, &old_unit, unit, &row.fields, &mut delta).await?;
                    if let Some(t) = trail.as_mut() {
                        let text = format!("导入：修改人员 {}（{}）", new.fields.name, unit.name);
                        t.push(people::person_entry("update", &new, unit, text, Some(old), Some(&new)));
                    }
                    summary.updated += 1;
                }
                None => {
                    summary.without_id_number += usize::from(row.fields.id_number.is_none());
                    fresh.push((unit, &row.fields));
                }
            }
        }
        for chunk in fresh.chunks(PEOPLE_CHUNK) {
            let created = insert_people(&mut tx, chunk, &mut delta).await?;
            if let Some(t) = trail.as_mut() {
                for ((unit, _), p) in chunk.iter().zip(&created) {
                    let text = format!("导入：新增人员 {}（{}）", p.fields.name, unit.name);
                    t.push(people::person_entry("create", p, unit, text, None, Some(p)));
                }
            }
            // The trail is written as it grows, in this transaction, so a large
            // import does not hold every entry in memory until the end.
            if let Some(t) = trail.as_mut() {
                audit::append(&mut tx, self.actor.as_ref(), t).await?;
                t.clear();
            }
            summary.created += chunk.len();
            done += chunk.len();
            progress(done.min(total), total);
        }
        for (row, unit, contact) in grid_rows {
            let (g, old) = grids::upsert_grid(&mut tx, &unit, &row.fields, contact, &mut delta).await?;
            if let Some(t) = trail.as_mut() {
                let (action, verb) = if old.is_some() { ("update", "修改") } else { ("create", "新增") };
                t.push(Entry {
                    action,
                    object_kind: "grid",
                    object_id: g.id.to_string(),
                    unit_path: Some(unit.path.clone()),
                    summary: format!("导入：{verb}网格 {}（{}）", g.name, g.code),
                    before: old.as_ref().and_then(json),
                    after: json(&g),
                });
            }
            summary.count(old.is_some());
        }
        for (row, unit) in scenario_rows {
            let (sc, old) = grids::upsert_scenario(&mut tx, &unit, &row.fields, &mut delta).await?;
            if let Some(t) = trail.as_mut() {
                let (action, verb) = if old.is_some() { ("update", "修改") } else { ("create", "新增") };
                t.push(Entry {
                    action,
                    object_kind: "scenario",
                    object_id: sc.id.to_string(),
                    unit_path: Some(unit.path.clone()),
                    summary: format!("导入：{verb}生产场景 {}（{}）", sc.name, sc.code),
                    before: old.as_ref().and_then(json),
                    after: json(&sc),
                });
            }
            summary.count(old.is_some());
        }
        // Brands: after units and people, which they refer to.
        let actor = self.actor.as_ref().map(|a| a.username.clone());
        let by_code = all_units(&mut tx).await?;
        crate::brand_load::load(
            &mut tx,
            &batch.brands,
            &by_code,
            &mut delta,
            &mut summary,
            &mut errors,
            &mut trail,
            actor.as_deref(),
        )
        .await?;
        // Fortresses, teams, tasks and commitments.
        crate::tasks_load::load(
            &mut tx,
            &batch.tasks,
            &by_code,
            self.actor.as_deref(),
            &mut delta,
            &mut summary,
            &mut trail,
        )
        .await?;
        // stars: schemes and campaigns, after the units they name
        crate::stars::load::apply(&mut tx, &batch.stars, &by_code, &mut delta, &mut errors, &mut trail).await?;
        // Assessments, after the units they name.
        crate::recognition::assessments::load(
            &mut tx,
            &batch.assessments,
            &by_code,
            &mut delta,
            &mut summary,
            &mut trail,
        )
        .await?;
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.line);
            return Err(LoadError::Rows(errors));
        }
        progress(total, total);
        rollup::apply(&mut tx, &delta).await?;
        if let Some(t) = &trail {
            audit::append(&mut tx, self.actor.as_ref(), t).await?;
        }
        tx.commit().await?;
        Ok(summary)
    }
}

async fn all_units(tx: &mut Tx) -> Result<HashMap<String, Unit>, LoadError> {
    let rows = sqlx::query(&format!("SELECT {UNIT_COLS} FROM units")).fetch_all(&mut **tx).await?;
    rows.iter().map(|r| rows::unit(r).map(|u| (u.code.clone(), u))).collect::<Result<_, _>>().map_err(Into::into)
}

/// Units are applied parents first: a row's parent may be an existing unit
/// or another row of the batch, in any order.
async fn load_units(
    tx: &mut Tx,
    rows: &[UnitRow],
    by_code: &mut HashMap<String, Unit>,
    delta: &mut RollupDelta,
    summary: &mut LoadSummary,
    errors: &mut Vec<RowError>,
    trail: &mut Option<Vec<Entry>>,
) -> Result<(), LoadError> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for r in rows {
        if let Some(first) = seen.insert(r.fields.code.as_str(), r.line) {
            errors.push(RowError {
                line: r.line,
                field: "code",
                message: format!("组织编码与第 {first} 行重复 (duplicate of row {first})"),
            });
        }
    }
    let batch_codes: HashSet<&str> = rows.iter().map(|r| r.fields.code.as_str()).collect();
    for r in rows {
        match r.parent_code.as_deref() {
            Some(p) if !by_code.contains_key(p) && !batch_codes.contains(p) => errors.push(RowError {
                line: r.line,
                field: "parent_code",
                message: format!("上级组织编码 “{p}” 不存在 (no unit with this code)"),
            }),
            Some(p) if p == r.fields.code => errors.push(RowError {
                line: r.line,
                field: "parent_code",
                message: "上级组织不能是自身 (a unit cannot be its own parent)".into(),
            }),
            None if !by_code.contains_key(&r.fields.code)
                && (!by_code.is_empty() || rows.iter().filter(|x| x.parent_code.is_none()).count() > 1) =>
            {
                errors.push(RowError {
                    line: r.line,
                    field: "parent_code",
                    message: "必须填写上级组织编码 (parent code required)".into(),
                })
            }
            _ => {}
        }
        if let Some(existing) = by_code.get(&r.fields.code) {
            let current_parent = existing.parent_id;
            let wanted = r.parent_code.as_deref().and_then(|p| by_code.get(p)).map(|u| u.id);
            if r.parent_code.is_some() && wanted.is_some() && wanted != current_parent {
                errors.push(RowError {
                    line: r.line,
                    field: "parent_code",
                    message: "导入不改变已有组织的上级；请在组织页面使用“移动” (import does not move units; use move)"
                        .into(),
                });
            }
        }
    }
    if !errors.is_empty() {
        return Ok(());
    }
    let mut pending: Vec<&UnitRow> = rows.iter().collect();
    while !pending.is_empty() {
        let before = pending.len();
        let mut next = vec![];
        for r in pending {
            let parent = match r.parent_code.as_deref() {
                Some(p) => match by_code.get(p) {
                    Some(u) => Some(u.clone()),
                    None => {
                        next.push(r);
                        continue;
                    }
                },
                None => None,
            };
            let unit = match by_code.get(&r.fields.code) {
                Some(old) => {
                    summary.updated += 1;
                    let old = old.clone();
                    let new = units::update(tx, &old, &r.fields, delta).await?;
                    if let Some(t) = trail.as_mut() {
                        let text = format!("导入：修改组织 {}（{}）", new.name, new.code);
                        t.push(units::unit_entry("update", &new, text, Some(&old), Some(&new)));
                    }
                    new
                }
                None => {
                    summary.created += 1;
                    let unit = units::insert(tx, parent.as_ref(), &r.fields, delta).await.map_err(|e| match e {
                        StoreError::Conflict { message, .. } => {
                            LoadError::Rows(vec![RowError { line: r.line, field: "kind", message }])
                        }
                        e => e.into(),
                    })?;
                    if let Some(t) = trail.as_mut() {
                        let text = format!("导入：新建组织 {}（{}）", unit.name, unit.code);
                        t.push(units::unit_entry("create", &unit, text, None, Some(&unit)));
                    }
                    unit
                }
            };
            by_code.insert(unit.code.clone(), unit);
        }
        if next.len() == before {
            for r in &next {
                errors.push(RowError {
                    line: r.line,
                    field: "parent_code",
                    message: "上级组织形成循环 (parent codes form a cycle)".into(),
                });
            }
            return Ok(());
        }
        pending = next;
    }
    Ok(())
}

/// The stored people whose ID numbers appear in the batch, by ID number.
async fn existing_people(tx: &mut Tx, rows: &[PersonRow]) -> Result<HashMap<String, Person>, LoadError> {
    let ids: Vec<&str> = rows.iter().filter_map(|r| r.fields.id_number.as_deref()).collect();
    Ok(people_by_id_number(tx, &ids).await?)
}

/// The stored people with these ID numbers, by ID number.
pub(crate) async fn people_by_id_number(
    conn: &mut sqlx::AnyConnection,
    ids: &[&str],
) -> Result<HashMap<String, Person>, StoreError> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let mut sql = Sql::new(&format!("SELECT {PERSON_COLS} FROM people WHERE id_number IN ("));
        for (i, id) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(Bind::Text((*id).to_string()));
        }
        sql.push(")");
        for r in sql.query(Backend::of(conn)).fetch_all(&mut *conn).await? {
            let p = rows::person(&r)?;
            out.insert(p.fields.id_number.clone().unwrap_or_default(), p);
        }
    }
    Ok(out)
}

/// Inserts a chunk of people in one statement; returns them with their ids, in order.
async fn insert_people(
    tx: &mut Tx,
    chunk: &[(&Unit, &PersonFields)],
    delta: &mut RollupDelta,
) -> Result<Vec<Person>, LoadError> {
    let now = now_ms();
    let mut sql = Sql::new(
        "INSERT INTO people (unit_id, name, gender, category, join_date, post, birth_date, phone, id_number, created_at, updated_at) VALUES ",
    );
    for (i, (unit, f)) in chunk.iter().enumerate() {
        sql.push(if i == 0 { "(" } else { ", (" });
        for (j, b) in [
            Bind::Int(unit.id.0),
            Bind::Text(f.name.clone()),
            Bind::OptText(f.gender.map(|g| g.code().to_string())),
            Bind::Text(f.category.code().to_string()),
            Bind::OptText(opt_date(f.join_date)),
            Bind::OptText(f.post.clone()),
            Bind::OptText(opt_date(f.birth_date)),
            Bind::OptText(f.phone.clone()),
            Bind::OptText(f.id_number.clone()),
            Bind::Int(now),
            Bind::Int(now),
        ]
        .into_iter()
        .enumerate()
        {
            if j > 0 {
                sql.push(", ");
            }
            sql.bind(b);
        }
        sql.push(")");
        let p = Person { id: PersonId(0), unit_id: unit.id, fields: (*f).clone() };
        delta.add(&unit.lineage(), &person_contributions(&p), 1);
    }
    sql.push(" RETURNING id");
    let rows = sql.query(tx.backend()).fetch_all(&mut **tx).await?;
    let mut ids: Vec<i64> = rows.iter().map(|r| sqlx::Row::try_get(r, 0)).collect::<Result<_, _>>()?;
    // Ids are assigned increasing within one statement; sorting makes the
    // pairing with the chunk independent of the order rows come back in.
    ids.sort_unstable();
    Ok(chunk
        .iter()
        .zip(ids)
        .map(|((unit, f), id)| Person { id: PersonId(id), unit_id: unit.id, fields: (*f).clone() })
        .collect())
}
