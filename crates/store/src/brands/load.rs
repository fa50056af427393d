//! Brands, standards and honors in bulk, inside `Store::load`'s transaction:
//! the seed world (brands with their whole dated history, replayed through
//! the lifecycle rules) and the three ledgers (brands, brand elements,
//! honors). Rows are checked first and problems reported by row; writes are
//! multi-row inserts in chunks, and the rollup delta is the batch's one.
//!
//! Also the recount of `brands.*` and `honors.*` from the records, for
//! `Store::recompute`.

use std::collections::{HashMap, HashSet};

use qizhi_core::brand::{
    self, BrandFields, BrandHistory, BrandSnapshot, BrandStatus, ElementFields, ElementTree, EventKind, HolderKind,
    HonorFields, StandardFields, StatusChange, honor_contributions,
};
use qizhi_core::figures::RollupDelta;
use qizhi_core::ids::{BrandId, UnitId};
use qizhi_core::org::{Unit, lineage};
use sqlx::Row;
use time::Date;

use crate::audit::{Entry, json};
use crate::brands::{brand_row, cols, date_col, opt_date_col};
use crate::load::{LoadSummary, RowError};
use crate::rows::{Bind, Sql, corrupt, opt_date};
use crate::{StoreResult, Tx, now_ms};

/// A standard issued by a unit (seed world).
#[derive(Debug, Clone)]
pub struct StandardRow {
    pub line: usize,
    pub unit_code: String,
    pub fields: StandardFields,
    pub issued_on: Date,
}

/// A brand. With a `history` (the seed world) it is new and loaded with
/// every step of it; without (a ledger row) it is matched by code: a new
/// code records a draft today, an existing one has its fields updated.
/// `status`, when given, must be what the brand already is: statuses change
/// only through review.
#[derive(Debug, Clone)]
pub struct BrandRow {
    pub line: usize,
    pub unit_code: String,
    pub parent_code: Option<String>,
    pub fields: BrandFields,
    pub status: Option<BrandStatus>,
    pub history: Option<BrandHistory>,
}

/// One element of a structure ledger; a brand's rows replace its structure.
#[derive(Debug, Clone)]
pub struct ElementRow {
    pub line: usize,
    pub brand_code: String,
    pub outline: Vec<u32>,
    pub fields: ElementFields,
}

/// An honor. `holder_code` names a brand (brand code), a unit (unit code)
/// or a person (ID number; without one, the holder's name among the people
/// of the filing unit); a team is kept by name. Matched for update by
/// unit, title, date, holder kind and holder name.
#[derive(Debug, Clone)]
pub struct HonorRow {
    pub line: usize,
    pub unit_code: String,
    pub fields: HonorFields,
    pub holder_code: Option<String>,
    pub brand_code: Option<String>,
}

/// The brand part of a batch.
#[derive(Debug, Clone, Default)]
pub struct BrandBatch {
    pub standards: Vec<StandardRow>,
    pub brands: Vec<BrandRow>,
    pub elements: Vec<ElementRow>,
    pub honors: Vec<HonorRow>,
}

impl BrandBatch {
    pub fn len(&self) -> usize {
        self.standards.len() + self.brands.len() + self.elements.len() + self.honors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A structure row: (line, outline number, element).
type Outlined = (usize, Vec<u32>, ElementFields);

/// Binds per statement, well under both backends' limits.
const MAX_BINDS: usize = 6000;

/// `INSERT INTO table (cols) VALUES (…), (…) [RETURNING id]` in chunks;
/// the ids come back in row order (they are assigned increasing within a
/// statement, and sorted here so the order rows come back in does not matter).
async fn insert_rows(
    tx: &mut Tx,
    head: &str,
    width: usize,
    rows: Vec<Vec<Bind>>,
    returning: bool,
) -> StoreResult<Vec<i64>> {
    let per = (MAX_BINDS / width).max(1);
    let mut ids = Vec::with_capacity(if returning { rows.len() } else { 0 });
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Bind>> = rows.by_ref().take(per).collect();
        let mut sql = Sql::new(head);
        sql.push(" VALUES ");
        for (i, row) in chunk.into_iter().enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" });
            for (j, b) in row.into_iter().enumerate() {
                if j > 0 {
                    sql.push(", ");
                }
                sql.bind(b);
            }
            sql.push(")");
        }
        if returning {
            sql.push(" RETURNING id");
            let mut got: Vec<i64> = sql
                .query(tx.backend())
                .fetch_all(&mut **tx)
                .await?
                .iter()
                .map(|r| r.try_get(0))
                .collect::<Result<_, _>>()?;
            got.sort_unstable();
            ids.extend(got);
        } else {
            sql.query(tx.backend()).execute(&mut **tx).await?;
        }
    }
    Ok(ids)
}

fn text(s: &str) -> Bind {
    Bind::Text(s.to_string())
}

fn opt_text(s: Option<&str>) -> Bind {
    Bind::OptText(s.map(str::to_string))
}

fn iso(d: Date) -> Bind {
    Bind::Text(qizhi_core::date::iso(d))
}

/// Every standard: issuer units, and each issuer's item ids in order.
async fn standards(tx: &mut Tx) -> StoreResult<(Vec<UnitId>, HashMap<UnitId, Vec<i64>>)> {
    let mut issuers = vec![];
    let mut items: HashMap<UnitId, Vec<i64>> = HashMap::new();
    let rows = sqlx::query(
        "SELECT s.unit_id, i.id FROM brand_standards s LEFT JOIN standard_items i ON i.standard_id = s.id \
         ORDER BY s.unit_id, i.sort_order, i.id",
    )
    .fetch_all(&mut **tx)
    .await?;
    for r in rows {
        let u = UnitId(r.try_get(0)?);
        if !issuers.contains(&u) {
            issuers.push(u);
        }
        let list = items.entry(u).or_default();
        if let Some(i) = r.try_get::<Option<i64>, _>(1)? {
            list.push(i);
        }
    }
    Ok((issuers, items))
}

fn applicable_items<'a>(path: &str, issuers: &[UnitId], items: &'a HashMap<UnitId, Vec<i64>>) -> &'a [i64] {
    brand::applicable_issuer(&lineage(path), issuers).and_then(|u| items.get(&u)).map(Vec::as_slice).unwrap_or(&[])
}

/// Loads the brand part of a batch in `tx`. Problems go to `errors` (and
/// nothing of the brand part is written); the caller rolls back when any
/// row of the batch has one.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn load(
    tx: &mut Tx,
    batch: &BrandBatch,
    by_code: &HashMap<String, Unit>,
    delta: &mut RollupDelta,
    summary: &mut LoadSummary,
    errors: &mut Vec<RowError>,
    trail: &mut Option<Vec<Entry>>,
    actor: Option<&str>,
) -> StoreResult<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let today = qizhi_core::date::today();
    let now = now_ms();
    let err = |line: usize, field: &'static str, message: String| RowError { line, field, message };
    let unit_of = |code: &str, line: usize, field: &'static str, errors: &mut Vec<RowError>| -> Option<Unit> {
        let u = by_code.get(code.trim()).cloned();
        if u.is_none() {
            errors.push(err(line, field, format!("组织编码 “{code}” 不存在 (no unit with this code)")));
        }
        u
    };

    // -- check every row ----------------------------------------------------------
    let existing: HashMap<String, brand::Brand> = sqlx::query(&format!("SELECT {} FROM brands b", cols("b")))
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| brand_row(r).map(|b| (b.fields.code.clone(), b)))
        .collect::<StoreResult<_>>()?;
    let issued: HashSet<i64> = sqlx::query("SELECT unit_id FROM brand_standards")
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
    let mut std_rows = vec![];
    for s in &batch.standards {
        if let Some(u) = unit_of(&s.unit_code, s.line, "unit_code", errors) {
            if issued.contains(&u.id.0) || std_rows.iter().any(|(_, x): &(&StandardRow, Unit)| x.id == u.id) {
                errors.push(err(s.line, "unit_code", format!("{} 已发布品牌标准 (already issued a standard)", u.name)));
            } else {
                std_rows.push((s, u));
            }
        }
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let batch_codes: HashMap<&str, &BrandRow> = batch.brands.iter().map(|b| (b.fields.code.as_str(), b)).collect();
    let mut brand_rows: Vec<(&BrandRow, Unit)> = vec![];
    for b in &batch.brands {
        let code = b.fields.code.as_str();
        if let Some(first) = seen.insert(code, b.line) {
            errors.push(err(
                b.line,
                "code",
                format!("品牌编码 “{code}” 与第 {first} 行重复 (duplicate of row {first})"),
            ));
            continue;
        }
        let Some(unit) = unit_of(&b.unit_code, b.line, "unit_code", errors) else { continue };
        match (existing.get(code), &b.history) {
            (Some(_), Some(_)) => {
                errors.push(err(b.line, "code", format!("品牌编码 “{code}” 已存在 (brand code already exists)")));
                continue;
            }
            (Some(old), None) => {
                if old.unit_id != unit.id {
                    errors.push(err(
                        b.line,
                        "unit_code",
                        "导入不改变品牌的所属组织 (import does not move a brand to another unit)".into(),
                    ));
                }
                if b.status.is_some_and(|s| s != old.status) {
                    errors.push(err(
                        b.line,
                        "status",
                        format!(
                            "品牌状态只能通过申报和审核改变，当前为“{}” (status changes only through review; it is {})",
                            old.status.zh(),
                            old.status.en()
                        ),
                    ));
                }
            }
            (None, None) => {
                if b.status.is_some_and(|s| s != BrandStatus::Draft) {
                    errors.push(err(
                        b.line,
                        "status",
                        "新品牌以“草稿”记录，此后通过申报和审核晋升 (a new brand starts as a draft; it moves up through review)"
                            .into(),
                    ));
                }
            }
            (None, Some(_)) => {}
        }
        if let Some(p) = b.parent_code.as_deref() {
            let parent_unit = match (existing.get(p), batch_codes.get(p)) {
                _ if p == code => {
                    errors.push(err(
                        b.line,
                        "parent_code",
                        "上级品牌不能是自身 (a brand cannot be its own parent)".into(),
                    ));
                    None
                }
                (_, Some(row)) => by_code.get(row.unit_code.trim()).cloned(),
                (Some(old), None) => {
                    sqlx::query(&format!("SELECT {} FROM units WHERE id = $1", crate::rows::UNIT_COLS))
                        .bind(old.unit_id.0)
                        .fetch_optional(&mut **tx)
                        .await?
                        .map(|r| crate::rows::unit(&r))
                        .transpose()?
                }
                (None, None) => {
                    errors.push(err(
                        b.line,
                        "parent_code",
                        format!("上级品牌编码 “{p}” 不存在 (no brand with this code)"),
                    ));
                    None
                }
            };
            if let Some(pu) = parent_unit
                && !unit.path.starts_with(&pu.path)
            {
                errors.push(err(
                    b.line,
                    "parent_code",
                    "上级品牌须属于本组织或上级组织 (a main brand must belong to this unit or a unit above it)".into(),
                ));
            }
        }
        brand_rows.push((b, unit));
    }
    // Structures: the rows of each brand make one tree.
    let mut trees: Vec<(String, Vec<ElementTree>, usize)> = vec![];
    {
        let mut by_brand: Vec<(&str, Vec<Outlined>)> = vec![];
        for e in &batch.elements {
            let code = e.brand_code.trim();
            if !existing.contains_key(code) && !batch_codes.contains_key(code) {
                errors.push(err(e.line, "brand_code", format!("品牌编码 “{code}” 不存在 (no brand with this code)")));
                continue;
            }
            match by_brand.iter_mut().find(|(c, _)| *c == code) {
                Some((_, v)) => v.push((e.line, e.outline.clone(), e.fields.clone())),
                None => by_brand.push((code, vec![(e.line, e.outline.clone(), e.fields.clone())])),
            }
        }
        for (code, items) in by_brand {
            let first = items.iter().map(|i| i.0).min().unwrap_or(0);
            match brand::tree_from_outline(items) {
                Ok(tree) => match brand::check_structure(&tree) {
                    Ok(()) => trees.push((code.to_string(), tree, first)),
                    Err(e) => errors.push(err(first, "outline", e.to_string())),
                },
                Err(problems) => errors.extend(problems.into_iter().map(|(line, m)| err(line, "outline", m))),
            }
        }
    }
    // Honors: the filing unit, the holder and the brand.
    let mut honor_rows = vec![];
    for h in &batch.honors {
        let Some(unit) = unit_of(&h.unit_code, h.line, "unit_code", errors) else { continue };
        let holder_code = h.holder_code.as_deref().map(str::trim).filter(|c| !c.is_empty());
        let holder: Option<(Option<i64>, String)> = match h.fields.holder_kind {
            HolderKind::Team => Some((None, h.fields.holder_name.clone())),
            HolderKind::Brand => match holder_code {
                Some(c) => match existing.get(c) {
                    Some(b) => Some((Some(b.id.0), b.fields.name.clone())),
                    None if batch_codes.contains_key(c) => Some((None, batch_codes[c].fields.name.clone())),
                    None => {
                        errors.push(err(
                            h.line,
                            "holder_code",
                            format!("品牌编码 “{c}” 不存在 (no brand with this code)"),
                        ));
                        None
                    }
                },
                None => {
                    errors.push(err(
                        h.line,
                        "holder_code",
                        "获得者为品牌时须填写品牌编码 (give the brand code)".into(),
                    ));
                    None
                }
            },
            HolderKind::Unit => match holder_code {
                Some(c) => match by_code.get(c) {
                    Some(u) => Some((Some(u.id.0), u.name.clone())),
                    None => {
                        errors.push(err(
                            h.line,
                            "holder_code",
                            format!("组织编码 “{c}” 不存在 (no unit with this code)"),
                        ));
                        None
                    }
                },
                None => Some((Some(unit.id.0), unit.name.clone())),
            },
            HolderKind::Person => {
                let found = match holder_code {
                    Some(idn) => {
                        sqlx::query("SELECT id, name FROM people WHERE id_number = $1")
                            .bind(idn.to_uppercase())
                            .fetch_all(&mut **tx)
                            .await?
                    }
                    None => {
                        sqlx::query("SELECT id, name FROM people WHERE unit_id = $1 AND name = $2")
                            .bind(unit.id.0)
                            .bind(h.fields.holder_name.as_str())
                            .fetch_all(&mut **tx)
                            .await?
                    }
                };
                match found.as_slice() {
                    [one] => Some((Some(one.try_get(0)?), one.try_get(1)?)),
                    [] => {
                        errors.push(err(
                            h.line,
                            if holder_code.is_some() { "holder_code" } else { "holder_name" },
                            "找不到该人员：请填写身份证号，或填写本组织人员的姓名 (no such person in the unit)".into(),
                        ));
                        None
                    }
                    _ => {
                        errors.push(err(
                            h.line,
                            "holder_name",
                            "本组织有多名同名人员，请填写身份证号 (several people have this name; give the ID number)"
                                .into(),
                        ));
                        None
                    }
                }
            }
        };
        let brand_code = h.brand_code.as_deref().map(str::trim).filter(|c| !c.is_empty());
        if let Some(c) = brand_code
            && !existing.contains_key(c)
            && !batch_codes.contains_key(c)
        {
            errors.push(err(h.line, "brand_code", format!("品牌编码 “{c}” 不存在 (no brand with this code)")));
        }
        if let Some(holder) = holder {
            honor_rows.push((h, unit, holder));
        }
    }
    if !errors.is_empty() {
        return Ok(());
    }

    // -- standards -------------------------------------------------------------------
    for (s, unit) in &std_rows {
        let sid: i64 = sqlx::query(
            "INSERT INTO brand_standards (unit_id, name, issued_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
        )
        .bind(unit.id.0)
        .bind(s.fields.name.as_str())
        .bind(qizhi_core::date::iso(s.issued_on))
        .bind(now)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
        let rows = s
            .fields
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| {
                vec![Bind::Int(sid), Bind::Int(i as i64 + 1), text(&it.title), opt_text(it.description.as_deref())]
            })
            .collect();
        insert_rows(tx, "INSERT INTO standard_items (standard_id, sort_order, title, description)", 4, rows, false)
            .await?;
        summary.created += 1;
        if let Some(t) = trail.as_mut() {
            t.push(Entry {
                action: "create",
                object_kind: "standard",
                object_id: sid.to_string(),
                unit_path: Some(unit.path.clone()),
                summary: format!("导入：{} 发布品牌标准“{}”", unit.name, s.fields.name),
                before: None,
                after: json(&s.fields),
            });
        }
    }
    let (issuers, items_of) = standards(tx).await?;

    // -- brands ------------------------------------------------------------------------
    struct New<'a> {
        row: &'a BrandRow,
        unit: Unit,
        replayed: Option<brand::Replayed>,
        items: Vec<i64>,
    }
    let mut fresh: Vec<New> = vec![];
    for (b, unit) in &brand_rows {
        if existing.contains_key(&b.fields.code) {
            continue;
        }
        let items = applicable_items(&unit.path, &issuers, &items_of).to_vec();
        let replayed = match &b.history {
            Some(h) => match brand::replay(h, items.len()) {
                Ok(r) => Some(r),
                Err(m) => {
                    errors.push(err(b.line, "status", format!("品牌历史不符合规则 (history breaks the rules): {m}")));
                    continue;
                }
            },
            None => None,
        };
        fresh.push(New { row: b, unit: unit.clone(), replayed, items });
    }
    if !errors.is_empty() {
        return Ok(());
    }
    let rows: Vec<Vec<Bind>> = fresh
        .iter()
        .map(|n| {
            let f = &n.row.fields;
            let (status, since, target, stage, app_on, met, versions, created) = match &n.replayed {
                Some(r) => (
                    r.status,
                    r.status_since,
                    r.app_target,
                    r.app_stage,
                    r.app_on,
                    r.standard_met_on,
                    r.versions,
                    n.row.history.as_ref().map_or(today, |h| h.created_on),
                ),
                None => (BrandStatus::Draft, today, None, None, None, None, 0, today),
            };
            vec![
                Bind::Int(n.unit.id.0),
                text(&f.code),
                text(&f.name),
                text(f.category.code()),
                opt_text(f.slogan.as_deref()),
                opt_text(f.concept.as_deref()),
                opt_text(f.heritage.as_deref()),
                Bind::OptInt(f.founded_year.map(i64::from)),
                Bind::Text(f.figures.join(",")),
                text(status.code()),
                iso(since),
                opt_text(target.map(|s| s.code())),
                opt_text(stage.map(|s| s.code())),
                Bind::OptText(opt_date(app_on)),
                Bind::OptText(opt_date(met)),
                Bind::Int(versions as i64),
                iso(created),
                Bind::Int(now),
                Bind::Int(now),
            ]
        })
        .collect();
    let ids = insert_rows(
        tx,
        "INSERT INTO brands (unit_id, code, name, category, slogan, concept, heritage, founded_year, figures, status, \
         status_since, app_target, app_stage, app_on, standard_met_on, version, created_on, created_at, updated_at)",
        19,
        rows,
        true,
    )
    .await?;
    let mut id_of: HashMap<String, BrandId> = existing.iter().map(|(c, b)| (c.clone(), b.id)).collect();
    for (n, id) in fresh.iter().zip(&ids) {
        id_of.insert(n.row.fields.code.clone(), BrandId(*id));
    }
    // Main brands, now that every brand has an id.
    for (b, _) in &brand_rows {
        let parent = b.parent_code.as_deref().and_then(|p| id_of.get(p)).copied();
        let was = existing.get(&b.fields.code).and_then(|o| o.parent_id);
        if parent != was || (parent.is_some() && !existing.contains_key(&b.fields.code)) {
            sqlx::query("UPDATE brands SET parent_id = $1 WHERE id = $2")
                .bind(parent.map(|p| p.0))
                .bind(id_of[&b.fields.code].0)
                .execute(&mut **tx)
                .await?;
        }
    }
    // Histories, versions, evidence and confirmations of the new brands.
    let mut events = vec![];
    let mut versions = vec![];
    let mut evidence = vec![];
    let mut checks = vec![];
    for (n, id) in fresh.iter().zip(&ids) {
        let f = &n.row.fields;
        let mut b = brand::Brand {
            id: BrandId(*id),
            unit_id: n.unit.id,
            parent_id: None,
            fields: f.clone(),
            logo_file_id: None,
            status: BrandStatus::Draft,
            status_since: today,
            app_target: None,
            app_stage: None,
            app_on: None,
            standard_met_on: None,
            version: 0,
            created_on: today,
        };
        let changes: Vec<StatusChange>;
        match (&n.replayed, &n.row.history) {
            (Some(r), Some(h)) => {
                let mut version = 0;
                let steps = std::iter::once(None).chain(h.steps.iter().map(Some));
                for (seq, ((kind, on, from, to), step)) in r.events.iter().zip(steps).enumerate() {
                    let keeps = matches!(kind, EventKind::Applied | EventKind::Version);
                    if keeps {
                        version += 1;
                        let snap = BrandSnapshot {
                            name: f.name.clone(),
                            category: f.category,
                            slogan: f.slogan.clone(),
                            concept: f.concept.clone(),
                            heritage: f.heritage.clone(),
                            status: from.unwrap_or(BrandStatus::Draft),
                            elements: h.elements.clone(),
                        };
                        let note = match kind {
                            EventKind::Applied => Some(format!("申报“{}”", to.map(|s| s.zh()).unwrap_or(""))),
                            _ => step.and_then(|s| s.comment.clone()),
                        };
                        versions.push(vec![
                            Bind::Int(*id),
                            Bind::Int(version),
                            iso(*on),
                            Bind::Int(now),
                            Bind::OptText(note),
                            Bind::OptText(None),
                            Bind::Text(serde_json::to_string(&snap).map_err(|e| corrupt("snapshot", &e.to_string()))?),
                        ]);
                    }
                    let v = (keeps || *kind == EventKind::Named).then_some(version);
                    events.push(vec![
                        Bind::Int(*id),
                        Bind::Int(seq as i64 + 1),
                        text(kind.code()),
                        iso(*on),
                        Bind::Int(now),
                        opt_text(from.map(|s| s.code())),
                        opt_text(to.map(|s| s.code())),
                        Bind::OptText(step.and_then(|s| s.comment.clone())),
                        Bind::OptText(None),
                        Bind::OptInt(v),
                    ]);
                }
                for (i, e, on) in &h.evidence {
                    let Some(item) = n.items.get(*i) else { continue };
                    evidence.push(vec![
                        Bind::Int(*id),
                        Bind::Int(*item),
                        text(e.kind.code()),
                        opt_text(e.text.as_deref()),
                        opt_text(e.figure_key.as_deref()),
                        Bind::Int(epoch_ms(*on)),
                    ]);
                }
                for (i, on) in &h.confirmed {
                    let Some(item) = n.items.get(*i) else { continue };
                    checks.push(vec![Bind::Int(*id), Bind::Int(*item), iso(*on)]);
                }
                b.status = r.status;
                b.status_since = r.status_since;
                b.standard_met_on = r.standard_met_on;
                b.created_on = h.created_on;
                changes = brand::status_changes(
                    &r.events
                        .iter()
                        .enumerate()
                        .map(|(seq, (kind, on, from, to))| brand::BrandEvent {
                            seq: seq as i32,
                            kind: *kind,
                            on: *on,
                            at: now,
                            from: *from,
                            to: *to,
                            comment: None,
                            actor: None,
                            version: None,
                        })
                        .collect::<Vec<_>>(),
                );
            }
            _ => {
                events.push(vec![
                    Bind::Int(*id),
                    Bind::Int(1),
                    text(EventKind::Created.code()),
                    iso(today),
                    Bind::Int(now),
                    Bind::OptText(None),
                    text(BrandStatus::Draft.code()),
                    Bind::OptText(None),
                    opt_text(actor),
                    Bind::OptInt(None),
                ]);
                changes = vec![StatusChange { on: today, to: BrandStatus::Draft }];
            }
        }
        delta.add(&n.unit.lineage(), &crate::brands::contributions(&b, &changes), 1);
        summary.created += 1;
        if let Some(t) = trail.as_mut() {
            t.push(Entry {
                action: "create",
                object_kind: "brand",
                object_id: id.to_string(),
                unit_path: Some(n.unit.path.clone()),
                summary: format!("导入：新建品牌 {}（{}）", f.name, f.code),
                before: None,
                after: json(&b),
            });
        }
    }
    insert_rows(
        tx,
        "INSERT INTO brand_events (brand_id, seq, kind, on_date, at, from_status, to_status, comment, actor, version)",
        10,
        events,
        false,
    )
    .await?;
    insert_rows(
        tx,
        "INSERT INTO brand_versions (brand_id, version, on_date, at, note, actor, snapshot)",
        7,
        versions,
        false,
    )
    .await?;
    insert_rows(
        tx,
        "INSERT INTO brand_evidence (brand_id, item_id, kind, body, figure_key, created_at)",
        6,
        evidence,
        false,
    )
    .await?;
    insert_rows(tx, "INSERT INTO brand_checks (brand_id, item_id, confirmed_on)", 3, checks, false).await?;

    // Existing brands named by a ledger: their fields.
    for (b, unit) in &brand_rows {
        let Some(old) = existing.get(&b.fields.code) else { continue };
        let new = brand::Brand {
            fields: b.fields.clone(),
            parent_id: b.parent_code.as_deref().and_then(|p| id_of.get(p)).copied(),
            ..old.clone()
        };
        let f = &new.fields;
        sqlx::query(
            "UPDATE brands SET name = $1, category = $2, slogan = $3, concept = $4, heritage = $5, founded_year = $6, \
             figures = $7, updated_at = $8 WHERE id = $9",
        )
        .bind(f.name.as_str())
        .bind(f.category.code())
        .bind(f.slogan.as_deref())
        .bind(f.concept.as_deref())
        .bind(f.heritage.as_deref())
        .bind(f.founded_year.map(i64::from))
        .bind(f.figures.join(","))
        .bind(now)
        .bind(old.id.0)
        .execute(&mut **tx)
        .await?;
        if old.fields.category != new.fields.category || old.counted_from() != new.counted_from() {
            let ch = crate::brands::changes(&mut **tx, old.id).await?;
            delta.add(&unit.lineage(), &crate::brands::contributions(old, &ch), -1);
            delta.add(&unit.lineage(), &crate::brands::contributions(&new, &ch), 1);
        }
        summary.updated += 1;
        if let Some(t) = trail.as_mut() {
            t.push(Entry {
                action: "update",
                object_kind: "brand",
                object_id: old.id.to_string(),
                unit_path: Some(unit.path.clone()),
                summary: format!("导入：修改品牌 {}（{}）", f.name, f.code),
                before: json(old),
                after: json(&new),
            });
        }
    }

    // -- structures: the seed's and the ledger's -------------------------------------------
    let mut forests: Vec<(BrandId, &[ElementTree])> = vec![];
    for (n, id) in fresh.iter().zip(&ids) {
        if let Some(h) = &n.row.history {
            forests.push((BrandId(*id), &h.elements));
        }
    }
    for (code, tree, _) in &trees {
        let id = id_of[code.as_str()];
        if existing.contains_key(code.as_str()) {
            crate::brands::replace_tree(tx, id, &[]).await?;
        }
        forests.push((id, tree));
        summary.updated += 1;
    }
    // Level by level, so each level's parents have ids.
    let mut level: Vec<(BrandId, Option<i64>, i64, &ElementTree)> = forests
        .iter()
        .flat_map(|(id, nodes)| nodes.iter().enumerate().map(move |(i, n)| (*id, None, i as i64 + 1, n)))
        .collect();
    while !level.is_empty() {
        let rows = level
            .iter()
            .map(|(b, p, sort, n)| {
                vec![
                    Bind::Int(b.0),
                    Bind::OptInt(*p),
                    Bind::Int(*sort),
                    text(n.fields.kind.code()),
                    text(&n.fields.title),
                    opt_text(n.fields.text.as_deref()),
                ]
            })
            .collect();
        let ids = insert_rows(
            tx,
            "INSERT INTO brand_elements (brand_id, parent_id, sort_order, kind, title, body)",
            6,
            rows,
            true,
        )
        .await?;
        level = level
            .iter()
            .zip(ids)
            .flat_map(|((b, _, _, n), id)| {
                n.children.iter().enumerate().map(move |(i, c)| (*b, Some(id), i as i64 + 1, c))
            })
            .collect();
    }

    // -- honors ------------------------------------------------------------------------------
    for (h, unit, (holder_id, holder_name)) in honor_rows {
        let holder_id = match (h.fields.holder_kind, holder_id) {
            (HolderKind::Brand, None) => h.holder_code.as_deref().and_then(|c| id_of.get(c.trim())).map(|b| b.0),
            (_, id) => id,
        };
        let brand_id = h
            .brand_code
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .and_then(|c| id_of.get(c))
            .copied()
            .or(if h.fields.holder_kind == HolderKind::Brand { holder_id.map(BrandId) } else { None });
        let fields = HonorFields { holder_name: holder_name.clone(), ..h.fields.clone() };
        let holder = crate::honors::Holder { id: holder_id, name: holder_name };
        let same = sqlx::query(&format!(
            "SELECT {} FROM honors h WHERE h.unit_id = $1 AND h.title = $2 AND h.awarded_on = $3 AND h.holder_kind = $4 \
             AND h.holder_name = $5",
            crate::honors::HONOR_COLS
        ))
        .bind(unit.id.0)
        .bind(fields.title.as_str())
        .bind(qizhi_core::date::iso(fields.awarded_on))
        .bind(fields.holder_kind.code())
        .bind(fields.holder_name.as_str())
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| crate::honors::honor_row(&r))
        .transpose()?;
        let (action, saved, before) = match same {
            Some(old) => {
                let file = old.evidence_file_id;
                let new =
                    crate::honors::update(tx, &old, &unit, &unit, &fields, &holder, brand_id, file, delta).await?;
                summary.updated += 1;
                ("update", new, Some(old))
            }
            None => {
                let new = crate::honors::insert(tx, &unit, &fields, &holder, brand_id, None, delta).await?;
                summary.created += 1;
                ("create", new, None)
            }
        };
        if let Some(t) = trail.as_mut() {
            t.push(Entry {
                action,
                object_kind: "honor",
                object_id: saved.id.to_string(),
                unit_path: Some(unit.path.clone()),
                summary: format!("导入：保存荣誉 {}（{}）", saved.fields.title, saved.fields.holder_name),
                before: before.as_ref().and_then(json),
                after: json(&saved),
            });
        }
    }
    Ok(())
}

/// Noon of `day` in epoch milliseconds (seed evidence carries its day).
fn epoch_ms(day: Date) -> i64 {
    (day.midnight().assume_utc().unix_timestamp() + 12 * 3600) * 1000
}

/// Adds what every brand and honor contributes, recounted from the records
/// (statuses from the history, the standard met from the confirmations), to `delta`.
pub(crate) async fn recount(
    pool: &sqlx::AnyPool,
    paths: &HashMap<UnitId, String>,
    delta: &mut RollupDelta,
) -> StoreResult<()> {
    let mut tx = crate::Tx::begin(pool).await?;
    let (issuers, items_of) = standards(&mut tx).await?;
    let mut checks: HashMap<i64, Vec<(i64, Date)>> = HashMap::new();
    for r in sqlx::query("SELECT brand_id, item_id, confirmed_on FROM brand_checks").fetch_all(&mut *tx).await? {
        checks.entry(r.try_get(0)?).or_default().push((r.try_get(1)?, date_col(&r, "confirmed_on")?));
    }
    let mut changes: HashMap<i64, Vec<StatusChange>> = HashMap::new();
    for r in sqlx::query(
        "SELECT brand_id, on_date, to_status FROM brand_events WHERE kind IN ('created', 'named', 'demoted') ORDER BY brand_id, seq",
    )
    .fetch_all(&mut *tx)
    .await?
    {
        let to: String = r.try_get("to_status")?;
        changes.entry(r.try_get(0)?).or_default().push(StatusChange {
            on: date_col(&r, "on_date")?,
            to: BrandStatus::parse(&to).map_err(|e| corrupt("to_status", &e))?,
        });
    }
    let none = String::new();
    for r in sqlx::query(&format!("SELECT {} FROM brands b", cols("b"))).fetch_all(&mut *tx).await? {
        let mut b = brand_row(&r)?;
        let path = paths.get(&b.unit_id).unwrap_or(&none);
        let items = applicable_items(path, &issuers, &items_of);
        b.standard_met_on = brand::standard_met_on(items, checks.get(&b.id.0).map(Vec::as_slice).unwrap_or(&[]));
        let ch = changes.remove(&b.id.0).unwrap_or_default();
        delta.add(&lineage(path), &crate::brands::contributions(&b, &ch), 1);
    }
    for r in sqlx::query("SELECT unit_id, level, awarded_on FROM honors").fetch_all(&mut *tx).await? {
        let unit = UnitId(r.try_get(0)?);
        let level: String = r.try_get(1)?;
        let level = brand::HonorLevel::parse(&level).map_err(|e| corrupt("level", &e))?;
        let on = opt_date_col(&r, "awarded_on")?.ok_or_else(|| corrupt("awarded_on", "missing"))?;
        delta.add(&lineage(paths.get(&unit).unwrap_or(&none)), &honor_contributions(level, on), 1);
    }
    tx.rollback().await?;
    Ok(())
}
