//! Brands in the store: reading and listing them by scope, creating and
//! editing them, their structure (a tree of elements), the lifecycle steps
//! (申报 → 初审 → 评审 → 命名, returns and moves down) kept as a dated
//! history, versions (迭代升级), and evidence and confirmations against the
//! standard (五有).
//!
//! Every change of what a figure counts (status, category, founding year,
//! standard met) adds the brand's old contributions with −1 and its new ones
//! with +1 to its unit's lineage in the same transaction, and every write
//! appends to the audit trail.

use qizhi_core::brand::{
    self, Approval, Brand, BrandEvent, BrandFields, BrandSnapshot, BrandStatus, Element, ElementFields, ElementTree,
    EventKind, Evidence, EvidenceFields, EvidenceKind, ReviewStage, Standard, StandardState, StatusChange,
};
use qizhi_core::figures::{Contribution, RollupDelta};
use qizhi_core::file::FileKind;
use qizhi_core::ids::{BrandId, UnitId};
use qizhi_core::org::Unit;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use time::Date;

use crate::audit::{self, Entry, json};
use crate::error::unique_as;
use crate::rows::{Bind, Sql, corrupt, opt_date};
use crate::scope::{Scope, subtree_filter};
use crate::search::{By, escape_like};
use crate::{Page, Store, StoreError, StoreResult, Tx, files, now_ms, rollup, standards, units};

const COLS: &[&str] = &[
    "id",
    "unit_id",
    "parent_id",
    "code",
    "name",
    "category",
    "slogan",
    "concept",
    "heritage",
    "founded_year",
    "figures",
    "logo_file_id",
    "status",
    "status_since",
    "app_target",
    "app_stage",
    "app_on",
    "standard_met_on",
    "version",
    "created_on",
];

/// The brand columns, each prefixed with `table.`.
pub(crate) fn cols(table: &str) -> String {
    COLS.iter().map(|c| format!("{table}.{c}")).collect::<Vec<_>>().join(", ")
}

pub(crate) fn opt_date_col(r: &AnyRow, col: &str) -> StoreResult<Option<Date>> {
    let v: Option<String> = r.try_get(col)?;
    v.map(|s| qizhi_core::date::parse(&s).map_err(|e| corrupt(col, &e))).transpose()
}

pub(crate) fn date_col(r: &AnyRow, col: &str) -> StoreResult<Date> {
    opt_date_col(r, col)?.ok_or_else(|| corrupt(col, "missing date"))
}

fn parsed<T>(r: &AnyRow, col: &str, parse: impl Fn(&str) -> Result<T, String>) -> StoreResult<T> {
    let v: String = r.try_get(col)?;
    parse(&v).map_err(|e| corrupt(col, &e))
}

fn opt_parsed<T>(r: &AnyRow, col: &str, parse: impl Fn(&str) -> Result<T, String>) -> StoreResult<Option<T>> {
    let v: Option<String> = r.try_get(col)?;
    v.map(|v| parse(&v).map_err(|e| corrupt(col, &e))).transpose()
}

pub(crate) fn brand_row(r: &AnyRow) -> StoreResult<Brand> {
    let figures: String = r.try_get("figures")?;
    Ok(Brand {
        id: BrandId(r.try_get("id")?),
        unit_id: UnitId(r.try_get("unit_id")?),
        parent_id: r.try_get::<Option<i64>, _>("parent_id")?.map(BrandId),
        fields: BrandFields {
            code: r.try_get("code")?,
            name: r.try_get("name")?,
            category: parsed(r, "category", brand::BrandCategory::parse)?,
            slogan: r.try_get("slogan")?,
            concept: r.try_get("concept")?,
            heritage: r.try_get("heritage")?,
            founded_year: r.try_get::<Option<i64>, _>("founded_year")?.map(|y| y as i32),
            figures: figures.split(',').filter(|k| !k.is_empty()).map(str::to_string).collect(),
        },
        logo_file_id: r.try_get("logo_file_id")?,
        status: parsed(r, "status", BrandStatus::parse)?,
        status_since: date_col(r, "status_since")?,
        app_target: opt_parsed(r, "app_target", BrandStatus::parse)?,
        app_stage: opt_parsed(r, "app_stage", ReviewStage::parse)?,
        app_on: opt_date_col(r, "app_on")?,
        standard_met_on: opt_date_col(r, "standard_met_on")?,
        version: r.try_get::<i64, _>("version")? as i32,
        created_on: date_col(r, "created_on")?,
    })
}

/// A brand as lists show it: with its unit and how many sub-brands it has.
#[derive(Debug, Clone, Serialize)]
pub struct BrandListed {
    pub brand: Brand,
    pub unit_code: String,
    pub unit_name: String,
    pub unit_short: Option<String>,
    pub unit_path: String,
    /// The path of the owner's parent unit, whose reviewers decide on the brand.
    pub parent_unit_path: Option<String>,
    pub sub_brands: i64,
}

impl BrandListed {
    /// The owner as charts and cards label it.
    pub fn unit_label(&self) -> &str {
        self.unit_short.as_deref().unwrap_or(&self.unit_name)
    }
}

const LISTED: &str = "u.code AS unit_code, u.name AS unit_name, u.short_name AS unit_short, u.path AS unit_path, \
     p.path AS parent_path, (SELECT COUNT(*) FROM brands s WHERE s.parent_id = b.id) AS sub_brands \
     FROM brands b JOIN units u ON u.id = b.unit_id LEFT JOIN units p ON p.id = u.parent_id";

fn listed(r: &AnyRow) -> StoreResult<BrandListed> {
    Ok(BrandListed {
        brand: brand_row(r)?,
        unit_code: r.try_get("unit_code")?,
        unit_name: r.try_get("unit_name")?,
        unit_short: r.try_get("unit_short")?,
        unit_path: r.try_get("unit_path")?,
        parent_unit_path: r.try_get("parent_path")?,
        sub_brands: r.try_get("sub_brands")?,
    })
}

/// How a brand list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum BrandSort {
    /// Highest status first (exemplary, mature …), then by name.
    #[default]
    Status,
    Name,
    /// Most recently founded first.
    Founded,
    /// In tree order of their units.
    Unit,
    /// Most recently changed first.
    Recent,
}

impl BrandSort {
    pub const ALL: [BrandSort; 5] =
        [BrandSort::Status, BrandSort::Name, BrandSort::Founded, BrandSort::Unit, BrandSort::Recent];

    pub fn code(self) -> &'static str {
        match self {
            BrandSort::Status => "status",
            BrandSort::Name => "name",
            BrandSort::Founded => "founded",
            BrandSort::Unit => "unit",
            BrandSort::Recent => "recent",
        }
    }

    pub fn parse(v: &str) -> Option<BrandSort> {
        Self::ALL.into_iter().find(|s| s.code() == v)
    }

    fn order_by(self) -> &'static str {
        match self {
            BrandSort::Status => {
                "CASE b.status WHEN 'exemplary' THEN 0 WHEN 'mature' THEN 1 WHEN 'established' THEN 2 \
                 WHEN 'cultivating' THEN 3 ELSE 4 END, u.path, b.name, b.id"
            }
            BrandSort::Name => "b.name, b.id",
            BrandSort::Founded => "COALESCE(b.founded_year, 0) DESC, b.name, b.id",
            BrandSort::Unit => "u.path, b.name, b.id",
            BrandSort::Recent => "b.updated_at DESC, b.id DESC",
        }
    }
}

/// What a brand list asks for. Everything is filtered in SQL.
#[derive(Debug, Clone, Default)]
pub struct BrandQuery {
    /// Part of the name, code, slogan or concept.
    pub q: String,
    pub category: Option<brand::BrandCategory>,
    pub status: Option<BrandStatus>,
    /// Only brands at this status or above.
    pub at_least: Option<BrandStatus>,
    pub heritage: Option<String>,
    pub standard_met: Option<bool>,
    /// Only brands with an open application.
    pub pending: bool,
    /// Only main brands (no parent brand).
    pub main_only: bool,
    pub sort: BrandSort,
    pub page: i64,
    pub per_page: i64,
}

/// A file to store with a record.
#[derive(Debug, Clone, Copy)]
pub struct NewFile<'a> {
    pub name: &'a str,
    pub kind: FileKind,
    pub bytes: &'a [u8],
}

/// What an edit does to a brand's logo.
#[derive(Debug, Clone, Copy)]
pub enum LogoChange<'a> {
    Keep,
    Set(NewFile<'a>),
    Remove,
}

/// How the move buttons of the structure editor move an element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElementMove {
    /// Before its previous sibling.
    Up,
    /// After its next sibling.
    Down,
    /// Into its previous sibling, as that one's last child.
    Indent,
    /// Out of its parent, right after it.
    Outdent,
}

impl ElementMove {
    pub fn parse(v: &str) -> Option<ElementMove> {
        match v {
            "up" => Some(ElementMove::Up),
            "down" => Some(ElementMove::Down),
            "indent" => Some(ElementMove::Indent),
            "outdent" => Some(ElementMove::Outdent),
            _ => None,
        }
    }
}

/// A confirmation that a brand meets one item of its standard.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    pub item_id: i64,
    pub confirmed_on: Date,
    pub confirmed_by: Option<String>,
    pub comment: Option<String>,
}

/// A brand against the standard that applies to it, with everything recorded for it.
#[derive(Debug, Clone, Serialize)]
pub struct BrandStandard {
    pub standard: Option<Standard>,
    /// The issuing unit's name.
    pub issuer_name: Option<String>,
    pub state: Option<StandardState>,
    pub evidence: Vec<Evidence>,
    pub checks: Vec<Check>,
}

/// A version's facts (its snapshot is read on its own).
#[derive(Debug, Clone, Serialize)]
pub struct VersionInfo {
    pub version: i32,
    pub on: Date,
    pub note: Option<String>,
    pub actor: Option<String>,
}

// ---------------------------------------------------------------------------
// Reading inside a transaction

pub(crate) async fn get(tx: &mut Tx, id: BrandId) -> StoreResult<Brand> {
    let row = sqlx::query(&format!("SELECT {} FROM brands b WHERE b.id = $1", cols("b")))
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found(format!("brand {id}")))?;
    brand_row(&row)
}

/// The status-setting events of a brand, in order.
pub(crate) async fn changes<'e, E>(exec: E, id: BrandId) -> StoreResult<Vec<StatusChange>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows = sqlx::query(
        "SELECT on_date, to_status FROM brand_events WHERE brand_id = $1 \
         AND kind IN ('created', 'named', 'demoted') ORDER BY seq",
    )
    .bind(id.0)
    .fetch_all(exec)
    .await?;
    rows.iter()
        .map(|r| Ok(StatusChange { on: date_col(r, "on_date")?, to: parsed(r, "to_status", BrandStatus::parse)? }))
        .collect()
}

/// What a brand contributes to the figures, given its status changes.
pub(crate) fn contributions(b: &Brand, changes: &[StatusChange]) -> Vec<Contribution> {
    brand::brand_contributions(b.fields.category, b.counted_from(), changes, b.standard_met_on)
}

async fn elements_tx(tx: &mut Tx, id: BrandId) -> StoreResult<Vec<Element>> {
    let rows = sqlx::query(
        "SELECT id, brand_id, parent_id, sort_order, kind, title, body FROM brand_elements WHERE brand_id = $1",
    )
    .bind(id.0)
    .fetch_all(&mut **tx)
    .await?;
    rows.iter().map(element_row).collect()
}

fn element_row(r: &AnyRow) -> StoreResult<Element> {
    Ok(Element {
        id: r.try_get("id")?,
        brand_id: BrandId(r.try_get("brand_id")?),
        parent_id: r.try_get("parent_id")?,
        sort_order: r.try_get::<i64, _>("sort_order")? as i32,
        fields: ElementFields {
            kind: parsed(r, "kind", brand::ElementKind::parse)?,
            title: r.try_get("title")?,
            text: r.try_get("body")?,
        },
    })
}

fn event_row(r: &AnyRow) -> StoreResult<BrandEvent> {
    Ok(BrandEvent {
        seq: r.try_get::<i64, _>("seq")? as i32,
        kind: parsed(r, "kind", EventKind::parse)?,
        on: date_col(r, "on_date")?,
        at: r.try_get("at")?,
        from: opt_parsed(r, "from_status", BrandStatus::parse)?,
        to: opt_parsed(r, "to_status", BrandStatus::parse)?,
        comment: r.try_get("comment")?,
        actor: r.try_get("actor")?,
        version: r.try_get::<Option<i64>, _>("version")?.map(|v| v as i32),
    })
}

fn evidence_row(r: &AnyRow) -> StoreResult<Evidence> {
    Ok(Evidence {
        id: r.try_get("id")?,
        brand_id: BrandId(r.try_get("brand_id")?),
        item_id: r.try_get("item_id")?,
        fields: EvidenceFields {
            kind: parsed(r, "kind", EvidenceKind::parse)?,
            text: r.try_get("body")?,
            figure_key: r.try_get("figure_key")?,
        },
        file_id: r.try_get("file_id")?,
        created_at: r.try_get("created_at")?,
        created_by: r.try_get("created_by")?,
    })
}

/// The standard applying to a brand of `unit` and the brand's standing on it.
pub(crate) async fn standing(
    tx: &mut Tx,
    b: &Brand,
    unit: &Unit,
) -> StoreResult<(Option<Standard>, Option<StandardState>)> {
    let Some(standard) = standards::applicable(tx, unit).await? else {
        return Ok((None, None));
    };
    let counts = sqlx::query("SELECT item_id, COUNT(*) AS n FROM brand_evidence WHERE brand_id = $1 GROUP BY item_id")
        .bind(b.id.0)
        .fetch_all(&mut **tx)
        .await?;
    let checks = sqlx::query("SELECT item_id, confirmed_on FROM brand_checks WHERE brand_id = $1")
        .bind(b.id.0)
        .fetch_all(&mut **tx)
        .await?;
    let mut evidence = std::collections::HashMap::new();
    for r in &counts {
        evidence.insert(r.try_get::<i64, _>("item_id")?, r.try_get::<i64, _>("n")? as usize);
    }
    let mut confirmed = std::collections::HashMap::new();
    for r in &checks {
        confirmed.insert(r.try_get::<i64, _>("item_id")?, date_col(r, "confirmed_on")?);
    }
    let state = StandardState {
        name: standard.name.clone(),
        items: standard
            .items
            .iter()
            .map(|i| brand::ItemState {
                item_id: i.id,
                title: i.title.clone(),
                evidence: evidence.get(&i.id).copied().unwrap_or(0),
                confirmed_on: confirmed.get(&i.id).copied(),
            })
            .collect(),
    };
    Ok((Some(standard), Some(state)))
}

/// Writes every changeable column of `b`.
async fn write(tx: &mut Tx, b: &Brand) -> StoreResult<()> {
    let f = &b.fields;
    sqlx::query(
        "UPDATE brands SET parent_id = $1, code = $2, name = $3, category = $4, slogan = $5, concept = $6, \
         heritage = $7, founded_year = $8, figures = $9, logo_file_id = $10, status = $11, status_since = $12, \
         app_target = $13, app_stage = $14, app_on = $15, standard_met_on = $16, version = $17, updated_at = $18 \
         WHERE id = $19",
    )
    .bind(b.parent_id.map(|p| p.0))
    .bind(f.code.as_str())
    .bind(f.name.as_str())
    .bind(f.category.code())
    .bind(f.slogan.as_deref())
    .bind(f.concept.as_deref())
    .bind(f.heritage.as_deref())
    .bind(f.founded_year.map(i64::from))
    .bind(f.figures.join(","))
    .bind(b.logo_file_id)
    .bind(b.status.code())
    .bind(qizhi_core::date::iso(b.status_since))
    .bind(b.app_target.map(|s| s.code()))
    .bind(b.app_stage.map(|s| s.code()))
    .bind(opt_date(b.app_on))
    .bind(opt_date(b.standard_met_on))
    .bind(i64::from(b.version))
    .bind(now_ms())
    .bind(b.id.0)
    .execute(&mut **tx)
    .await
    .map_err(unique_as("code", format!("品牌编码 {} 已存在 (brand code already exists)", f.code)))?;
    Ok(())
}

/// Appends one event to a brand's history.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn push_event(
    tx: &mut Tx,
    id: BrandId,
    kind: EventKind,
    on: Date,
    from: Option<BrandStatus>,
    to: Option<BrandStatus>,
    comment: Option<&str>,
    actor: Option<&str>,
    version: Option<i32>,
) -> StoreResult<()> {
    let seq: i64 = sqlx::query("SELECT COALESCE(MAX(seq), 0) + 1 FROM brand_events WHERE brand_id = $1")
        .bind(id.0)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
    sqlx::query(
        "INSERT INTO brand_events (brand_id, seq, kind, on_date, at, from_status, to_status, comment, actor, version) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id.0)
    .bind(seq)
    .bind(kind.code())
    .bind(qizhi_core::date::iso(on))
    .bind(now_ms())
    .bind(from.map(|s| s.code()))
    .bind(to.map(|s| s.code()))
    .bind(comment)
    .bind(actor)
    .bind(version.map(i64::from))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The brand's concept and structure as they stand.
async fn snapshot(tx: &mut Tx, b: &Brand) -> StoreResult<BrandSnapshot> {
    let elements = elements_tx(tx, b.id).await?;
    Ok(BrandSnapshot {
        name: b.fields.name.clone(),
        category: b.fields.category,
        slogan: b.fields.slogan.clone(),
        concept: b.fields.concept.clone(),
        heritage: b.fields.heritage.clone(),
        status: b.status,
        elements: brand::element_tree(&elements),
    })
}

/// Keeps a version of `b` (迭代升级); returns its number. The caller writes `b.version`.
pub(crate) async fn keep_version(
    tx: &mut Tx,
    b: &mut Brand,
    on: Date,
    note: Option<&str>,
    actor: Option<&str>,
) -> StoreResult<i32> {
    let snap = snapshot(tx, b).await?;
    b.version += 1;
    sqlx::query(
        "INSERT INTO brand_versions (brand_id, version, on_date, at, note, actor, snapshot) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(b.id.0)
    .bind(i64::from(b.version))
    .bind(qizhi_core::date::iso(on))
    .bind(now_ms())
    .bind(note)
    .bind(actor)
    .bind(serde_json::to_string(&snap).map_err(|e| corrupt("snapshot", &e.to_string()))?)
    .execute(&mut **tx)
    .await?;
    Ok(b.version)
}

/// Recomputes when `b` met its standard; if that changed, writes it and adds
/// the change to `delta`. Returns the brand as it now is.
pub(crate) async fn refresh_met(tx: &mut Tx, mut b: Brand, unit: &Unit, delta: &mut RollupDelta) -> StoreResult<Brand> {
    let (_, state) = standing(tx, &b, unit).await?;
    let met = state.as_ref().and_then(StandardState::met_on);
    if met != b.standard_met_on {
        let before = brand::brand_contributions(b.fields.category, b.counted_from(), &[], b.standard_met_on);
        b.standard_met_on = met;
        let after = brand::brand_contributions(b.fields.category, b.counted_from(), &[], b.standard_met_on);
        delta.add(&unit.lineage(), &before, -1);
        delta.add(&unit.lineage(), &after, 1);
        sqlx::query("UPDATE brands SET standard_met_on = $1, updated_at = $2 WHERE id = $3")
            .bind(opt_date(met))
            .bind(now_ms())
            .bind(b.id.0)
            .execute(&mut **tx)
            .await?;
    }
    Ok(b)
}

/// A parent brand must exist, belong to the owner's unit or a unit above
/// it, and not be the brand itself or one of its sub-brands.
async fn check_parent(tx: &mut Tx, unit: &Unit, parent: Option<BrandId>, this: Option<BrandId>) -> StoreResult<()> {
    let Some(pid) = parent else { return Ok(()) };
    let bad = |m: &str| StoreError::conflict("parent_code", m.to_string());
    let p = match get(tx, pid).await {
        Ok(p) => p,
        Err(StoreError::NotFound(_)) => return Err(bad("上级品牌不存在 (no such parent brand)")),
        Err(e) => return Err(e),
    };
    let owner = units::get(tx, p.unit_id).await?;
    if !unit.path.starts_with(&owner.path) {
        return Err(bad("上级品牌须属于本组织或上级组织 (a main brand must belong to this unit or a unit above it)"));
    }
    // Walk up from the parent: meeting this brand would close a loop.
    let mut cur = Some(p);
    let mut steps = 0;
    while let Some(c) = cur {
        if Some(c.id) == this {
            return Err(bad("上级品牌不能是本品牌或其下级品牌 (a brand cannot sit under itself)"));
        }
        steps += 1;
        if steps > 50 {
            break;
        }
        cur = match c.parent_id {
            Some(next) => Some(get(tx, next).await?),
            None => None,
        };
    }
    Ok(())
}

fn entry(
    action: &'static str,
    b: &Brand,
    unit: &Unit,
    summary: String,
    before: Option<&impl Serialize>,
    after: Option<&impl Serialize>,
) -> Entry {
    Entry {
        action,
        object_kind: "brand",
        object_id: b.id.to_string(),
        unit_path: Some(unit.path.clone()),
        summary,
        before: before.and_then(json),
        after: after.and_then(json),
    }
}

/// Inserts elements under `parent` (None: top level), depth first, in order.
async fn insert_tree(tx: &mut Tx, brand: BrandId, parent: Option<i64>, nodes: &[ElementTree]) -> StoreResult<usize> {
    let mut stack: Vec<(Option<i64>, &[ElementTree])> = vec![(parent, nodes)];
    let mut n = 0;
    while let Some((parent, nodes)) = stack.pop() {
        for (i, node) in nodes.iter().enumerate() {
            let id = insert_element(tx, brand, parent, i as i32 + 1, &node.fields).await?;
            n += 1;
            if !node.children.is_empty() {
                stack.push((Some(id), &node.children));
            }
        }
    }
    Ok(n)
}

async fn insert_element(
    tx: &mut Tx,
    brand: BrandId,
    parent: Option<i64>,
    sort: i32,
    f: &ElementFields,
) -> StoreResult<i64> {
    Ok(sqlx::query(
        "INSERT INTO brand_elements (brand_id, parent_id, sort_order, kind, title, body) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(brand.0)
    .bind(parent)
    .bind(i64::from(sort))
    .bind(f.kind.code())
    .bind(f.title.as_str())
    .bind(f.text.as_deref())
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?)
}

/// Depth of an element (1: top level) among `all`.
fn depth_of(all: &[Element], id: Option<i64>) -> usize {
    let mut d = 0;
    let mut cur = id;
    while let Some(c) = cur {
        d += 1;
        cur = all.iter().find(|e| e.id == c).and_then(|e| e.parent_id);
        if d > brand::MAX_DEPTH + 2 {
            break;
        }
    }
    d
}

/// How deep the subtree under (and including) `id` goes.
fn height_of(all: &[Element], id: i64) -> usize {
    1 + all.iter().filter(|e| e.parent_id == Some(id)).map(|e| height_of(all, e.id)).max().unwrap_or(0)
}

fn too_deep() -> StoreError {
    StoreError::conflict(
        "parent_id",
        format!("品牌结构最多 {} 层 (at most {} levels)", brand::MAX_DEPTH, brand::MAX_DEPTH),
    )
}

async fn touch(tx: &mut Tx, id: BrandId) -> StoreResult<()> {
    sqlx::query("UPDATE brands SET updated_at = $1 WHERE id = $2").bind(now_ms()).bind(id.0).execute(&mut **tx).await?;
    Ok(())
}

impl Store {
    fn actor_name(&self) -> Option<String> {
        self.actor.as_ref().map(|a| a.username.clone())
    }

    pub async fn brand(&self, id: BrandId) -> StoreResult<Brand> {
        let row = sqlx::query(&format!("SELECT {} FROM brands b WHERE b.id = $1", cols("b")))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found(format!("brand {id}")))?;
        brand_row(&row)
    }

    pub async fn brand_by_code(&self, code: &str) -> StoreResult<Option<Brand>> {
        let row = sqlx::query(&format!("SELECT {} FROM brands b WHERE b.code = $1", cols("b")))
            .bind(code.trim())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(brand_row).transpose()
    }

    /// One brand with its unit, as lists show it.
    pub async fn brand_listed(&self, id: BrandId) -> StoreResult<BrandListed> {
        let row = sqlx::query(&format!("SELECT {}, {LISTED} WHERE b.id = $1", cols("b")))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found(format!("brand {id}")))?;
        listed(&row)
    }

    /// Brands owned in the subtree of `root` and in `scope`, one page, with the total.
    pub async fn brands(&self, root: &Unit, scope: &Scope, q: &BrandQuery) -> StoreResult<Page<BrandListed>> {
        // `LISTED` is columns, then `FROM …`: the filter starts at the FROM.
        let from = LISTED.find("FROM brands b").expect("LISTED has FROM");
        let mut filter = Sql::new(&format!(" {} WHERE ", &LISTED[from..]));
        subtree_filter(&mut filter, "u.path", &root.path);
        scope.filter(&mut filter, "u.path");
        filter.search(
            &q.q,
            &[
                By::Contains("b.name"),
                By::Equal("b.code"),
                By::Contains("b.slogan"),
                By::Contains("b.concept"),
                By::Contains("u.name"),
                By::Contains("u.short_name"),
            ],
        );
        if let Some(c) = q.category {
            filter.push(" AND b.category = ").bind(Bind::Text(c.code().into()));
        }
        if let Some(s) = q.status {
            filter.push(" AND b.status = ").bind(Bind::Text(s.code().into()));
        }
        if let Some(min) = q.at_least {
            filter.push(" AND b.status IN (");
            for (i, s) in BrandStatus::ALL.iter().filter(|s| **s >= min).enumerate() {
                if i > 0 {
                    filter.push(", ");
                }
                filter.bind(Bind::Text(s.code().into()));
            }
            filter.push(")");
        }
        if let Some(h) = q.heritage.as_deref().filter(|h| !h.trim().is_empty()) {
            filter.push(" AND b.heritage = ").bind(Bind::Text(h.trim().to_string()));
        }
        match q.standard_met {
            Some(true) => {
                filter.push(" AND b.standard_met_on IS NOT NULL");
            }
            Some(false) => {
                filter.push(" AND b.standard_met_on IS NULL");
            }
            None => {}
        }
        if q.pending {
            filter.push(" AND b.app_stage IS NOT NULL");
        }
        if q.main_only {
            filter.push(" AND b.parent_id IS NULL");
        }
        let select = format!("SELECT {}, {}", cols("b"), &LISTED[..from]);
        self.page(&filter, &select, q.sort.order_by(), q.page, q.per_page, listed).await
    }

    /// The red heritages brands draw on in the subtree of `root` (for the filter).
    pub async fn brand_heritages(&self, root: &Unit, scope: &Scope) -> StoreResult<Vec<String>> {
        let mut sql = Sql::new("SELECT DISTINCT b.heritage FROM brands b JOIN units u ON u.id = b.unit_id WHERE ");
        subtree_filter(&mut sql, "u.path", &root.path);
        scope.filter(&mut sql, "u.path");
        sql.push(" AND b.heritage IS NOT NULL ORDER BY b.heritage");
        sql.query(self.backend).fetch_all(&self.pool).await?.iter().map(|r| Ok(r.try_get(0)?)).collect()
    }

    /// The sub-brands of a brand that `scope` may see.
    pub async fn sub_brands(&self, id: BrandId, scope: &Scope) -> StoreResult<Vec<BrandListed>> {
        let mut sql = Sql::new(&format!("SELECT {}, {LISTED} WHERE b.parent_id = ", cols("b")));
        sql.bind(Bind::Int(id.0));
        scope.filter(&mut sql, "u.path");
        sql.push(" ORDER BY u.path, b.code");
        sql.query(self.backend).fetch_all(&self.pool).await?.iter().map(listed).collect()
    }

    /// Brands owned by any of `units` (a unit and those above it: the brands it may sit under).
    pub async fn brands_of_units(&self, units: &[UnitId]) -> StoreResult<Vec<BrandListed>> {
        if units.is_empty() {
            return Ok(vec![]);
        }
        let mut sql = Sql::new(&format!("SELECT {}, {LISTED} WHERE b.unit_id IN (", cols("b")));
        for (i, u) in units.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(Bind::Int(u.0));
        }
        sql.push(") ORDER BY u.path, b.code");
        sql.query(self.backend).fetch_all(&self.pool).await?.iter().map(listed).collect()
    }

    /// A code not yet taken for a new brand of `unit`: `FJ01-001-B01`, `-B02` …
    pub async fn suggest_brand_code(&self, unit: &Unit) -> StoreResult<String> {
        let prefix = format!("{}-B", unit.code);
        let taken: Vec<String> = sqlx::query("SELECT code FROM brands WHERE code LIKE $1 ESCAPE '\\'")
            .bind(format!("{}%", escape_like(&prefix)))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, _>>()?;
        let code = (1..).map(|n| format!("{prefix}{n:02}")).find(|c| !taken.contains(c)).expect("an unused number");
        Ok(if code.len() <= 32 { code } else { format!("B{}", now_ms()) })
    }

    /// Records a new brand of `unit` as a draft on day `on`.
    pub async fn create_brand(
        &self,
        unit: UnitId,
        parent: Option<BrandId>,
        f: &BrandFields,
        logo: Option<NewFile<'_>>,
        on: Date,
    ) -> StoreResult<Brand> {
        let mut tx = self.write().await?;
        let unit = units::get(&mut tx, unit).await?;
        check_parent(&mut tx, &unit, parent, None).await?;
        let by = self.actor_name();
        let logo_id = match logo {
            Some(l) => Some(files::insert(&mut tx, &unit, l.name, l.kind, l.bytes, by.as_deref()).await?.id),
            None => None,
        };
        let now = now_ms();
        let id: i64 = sqlx::query(
            "INSERT INTO brands (unit_id, parent_id, code, name, category, slogan, concept, heritage, founded_year, \
             figures, logo_file_id, status, status_since, created_on, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'draft', $12, $12, $13, $13) RETURNING id",
        )
        .bind(unit.id.0)
        .bind(parent.map(|p| p.0))
        .bind(f.code.as_str())
        .bind(f.name.as_str())
        .bind(f.category.code())
        .bind(f.slogan.as_deref())
        .bind(f.concept.as_deref())
        .bind(f.heritage.as_deref())
        .bind(f.founded_year.map(i64::from))
        .bind(f.figures.join(","))
        .bind(logo_id)
        .bind(qizhi_core::date::iso(on))
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(unique_as("code", format!("品牌编码 {} 已存在 (brand code already exists)", f.code)))?
        .try_get(0)?;
        let b = Brand {
            id: BrandId(id),
            unit_id: unit.id,
            parent_id: parent,
            fields: f.clone(),
            logo_file_id: logo_id,
            status: BrandStatus::Draft,
            status_since: on,
            app_target: None,
            app_stage: None,
            app_on: None,
            standard_met_on: None,
            version: 0,
            created_on: on,
        };
        push_event(&mut tx, b.id, EventKind::Created, on, None, Some(BrandStatus::Draft), None, by.as_deref(), None)
            .await?;
        let mut delta = RollupDelta::default();
        let change = [StatusChange { on, to: BrandStatus::Draft }];
        delta.add(&unit.lineage(), &contributions(&b, &change), 1);
        rollup::apply(&mut tx, &delta).await?;
        let summary = format!("新建品牌 {}（{}，{}）", b.fields.name, b.fields.code, unit.name);
        audit::append(&mut tx, self.actor.as_ref(), &[entry("create", &b, &unit, summary, None::<&Brand>, Some(&b))])
            .await?;
        tx.commit().await?;
        Ok(b)
    }

    /// Edits a brand's own fields, main brand and logo (not its status).
    pub async fn update_brand(
        &self,
        id: BrandId,
        parent: Option<BrandId>,
        f: &BrandFields,
        logo: LogoChange<'_>,
    ) -> StoreResult<(Brand, Brand)> {
        let mut tx = self.write().await?;
        let old = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, old.unit_id).await?;
        check_parent(&mut tx, &unit, parent, Some(id)).await?;
        let mut new = Brand { parent_id: parent, fields: f.clone(), ..old.clone() };
        match logo {
            LogoChange::Keep => {}
            LogoChange::Remove => new.logo_file_id = None,
            LogoChange::Set(l) => {
                let by = self.actor_name();
                new.logo_file_id =
                    Some(files::insert(&mut tx, &unit, l.name, l.kind, l.bytes, by.as_deref()).await?.id);
            }
        }
        write(&mut tx, &new).await?;
        if old.fields.category != new.fields.category || old.counted_from() != new.counted_from() {
            let ch = changes(&mut *tx, id).await?;
            let mut delta = RollupDelta::default();
            delta.add(&unit.lineage(), &contributions(&old, &ch), -1);
            delta.add(&unit.lineage(), &contributions(&new, &ch), 1);
            rollup::apply(&mut tx, &delta).await?;
        }
        let summary = format!("修改品牌 {}（{}）", new.fields.name, new.fields.code);
        audit::append(&mut tx, self.actor.as_ref(), &[entry("update", &new, &unit, summary, Some(&old), Some(&new))])
            .await?;
        tx.commit().await?;
        Ok((old, new))
    }

    /// Deletes a draft brand that has no sub-brands and no honors, with its
    /// structure, history and evidence.
    pub async fn delete_brand(&self, id: BrandId) -> StoreResult<Brand> {
        let mut tx = self.write().await?;
        let b = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, b.unit_id).await?;
        if b.status != BrandStatus::Draft || b.app_stage.is_some() {
            return Err(StoreError::conflict(
                "status",
                "只能删除草稿品牌；已申报或命名的品牌请保留其历史 (only a draft brand can be deleted)",
            ));
        }
        for (sql, what) in [
            ("SELECT COUNT(*) FROM brands WHERE parent_id = $1", "下级品牌 (sub-brands)"),
            ("SELECT COUNT(*) FROM honors WHERE brand_id = $1", "荣誉 (honors)"),
        ] {
            let n: i64 = sqlx::query(sql).bind(id.0).fetch_one(&mut *tx).await?.try_get(0)?;
            if n > 0 {
                return Err(StoreError::conflict(
                    "id",
                    format!("该品牌还有 {n} 项{what}，不能删除 (brand still has {what})"),
                ));
            }
        }
        let ch = changes(&mut *tx, id).await?;
        for table in ["brand_checks", "brand_evidence", "brand_versions", "brand_events", "brand_elements"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE brand_id = $1")).bind(id.0).execute(&mut *tx).await?;
        }
        sqlx::query("DELETE FROM brands WHERE id = $1").bind(id.0).execute(&mut *tx).await?;
        let mut delta = RollupDelta::default();
        delta.add(&unit.lineage(), &contributions(&b, &ch), -1);
        rollup::apply(&mut tx, &delta).await?;
        let summary = format!("删除品牌 {}（{}）", b.fields.name, b.fields.code);
        audit::append(&mut tx, self.actor.as_ref(), &[entry("delete", &b, &unit, summary, Some(&b), None::<&Brand>)])
            .await?;
        tx.commit().await?;
        Ok(b)
    }

    // -- structure ---------------------------------------------------------------

    pub async fn brand_elements(&self, id: BrandId) -> StoreResult<Vec<Element>> {
        let rows = sqlx::query(
            "SELECT id, brand_id, parent_id, sort_order, kind, title, body FROM brand_elements WHERE brand_id = $1 \
             ORDER BY parent_id, sort_order, id",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(element_row).collect()
    }

    /// The structure as a tree.
    pub async fn brand_structure(&self, id: BrandId) -> StoreResult<Vec<ElementTree>> {
        Ok(brand::element_tree(&self.brand_elements(id).await?))
    }

    /// Adds an element as the last child of `parent` (or at the top level).
    pub async fn add_element(&self, id: BrandId, parent: Option<i64>, f: &ElementFields) -> StoreResult<Element> {
        let mut tx = self.write().await?;
        let b = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, b.unit_id).await?;
        let all = elements_tx(&mut tx, id).await?;
        if all.len() >= brand::MAX_ELEMENTS {
            return Err(StoreError::conflict(
                "title",
                format!("品牌结构最多 {} 个元素 (too many elements)", brand::MAX_ELEMENTS),
            ));
        }
        if let Some(p) = parent {
            if !all.iter().any(|e| e.id == p) {
                return Err(StoreError::conflict("parent_id", "上级元素不属于该品牌 (no such parent element)"));
            }
            if depth_of(&all, Some(p)) + 1 > brand::MAX_DEPTH {
                return Err(too_deep());
            }
        }
        let sort = all.iter().filter(|e| e.parent_id == parent).map(|e| e.sort_order).max().unwrap_or(0) + 1;
        let eid = insert_element(&mut tx, id, parent, sort, f).await?;
        touch(&mut tx, id).await?;
        let el = Element { id: eid, brand_id: id, parent_id: parent, sort_order: sort, fields: f.clone() };
        let summary = format!("品牌 {} 增加结构元素 {}", b.fields.name, f.title);
        audit::append(
            &mut tx,
            self.actor.as_ref(),
            &[entry("update", &b, &unit, summary, None::<&Element>, Some(&el))],
        )
        .await?;
        tx.commit().await?;
        Ok(el)
    }

    pub async fn update_element(&self, id: BrandId, element: i64, f: &ElementFields) -> StoreResult<Element> {
        let mut tx = self.write().await?;
        let b = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, b.unit_id).await?;
        let all = elements_tx(&mut tx, id).await?;
        let old = all.into_iter().find(|e| e.id == element).ok_or_else(|| StoreError::not_found("element"))?;
        sqlx::query("UPDATE brand_elements SET kind = $1, title = $2, body = $3 WHERE id = $4")
            .bind(f.kind.code())
            .bind(f.title.as_str())
            .bind(f.text.as_deref())
            .bind(element)
            .execute(&mut *tx)
            .await?;
        touch(&mut tx, id).await?;
        let new = Element { fields: f.clone(), ..old.clone() };
        let summary = format!("品牌 {} 修改结构元素 {}", b.fields.name, f.title);
        audit::append(&mut tx, self.actor.as_ref(), &[entry("update", &b, &unit, summary, Some(&old), Some(&new))])
            .await?;
        tx.commit().await?;
        Ok(new)
    }

    /// Moves an element among its siblings or between levels.
    pub async fn move_element(&self, id: BrandId, element: i64, how: ElementMove) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let b = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, b.unit_id).await?;
        let all = elements_tx(&mut tx, id).await?;
        let el = all.iter().find(|e| e.id == element).cloned().ok_or_else(|| StoreError::not_found("element"))?;
        let mut siblings: Vec<&Element> = all.iter().filter(|e| e.parent_id == el.parent_id).collect();
        siblings.sort_by_key(|e| (e.sort_order, e.id));
        let at = siblings.iter().position(|e| e.id == element).unwrap_or(0);
        // New (parent, order of ids) for the affected level(s).
        let set = |tx_updates: &mut Vec<(i64, Option<i64>, i32)>, parent: Option<i64>, ids: &[i64]| {
            for (i, eid) in ids.iter().enumerate() {
                tx_updates.push((*eid, parent, i as i32 + 1));
            }
        };
        let mut updates = vec![];
        let mut ids: Vec<i64> = siblings.iter().map(|e| e.id).collect();
        match how {
            ElementMove::Up if at > 0 => {
                ids.swap(at, at - 1);
                set(&mut updates, el.parent_id, &ids);
            }
            ElementMove::Down if at + 1 < ids.len() => {
                ids.swap(at, at + 1);
                set(&mut updates, el.parent_id, &ids);
            }
            ElementMove::Indent if at > 0 => {
                let new_parent = ids[at - 1];
                if depth_of(&all, Some(new_parent)) + height_of(&all, element) > brand::MAX_DEPTH {
                    return Err(too_deep());
                }
                let mut kids: Vec<&Element> = all.iter().filter(|e| e.parent_id == Some(new_parent)).collect();
                kids.sort_by_key(|e| (e.sort_order, e.id));
                let mut kid_ids: Vec<i64> = kids.iter().map(|e| e.id).collect();
                kid_ids.push(element);
                ids.remove(at);
                set(&mut updates, el.parent_id, &ids);
                set(&mut updates, Some(new_parent), &kid_ids);
            }
            ElementMove::Outdent if el.parent_id.is_some() => {
                let parent = all.iter().find(|e| Some(e.id) == el.parent_id).cloned().expect("parent is in the brand");
                let mut outer: Vec<&Element> = all.iter().filter(|e| e.parent_id == parent.parent_id).collect();
                outer.sort_by_key(|e| (e.sort_order, e.id));
                let mut outer_ids: Vec<i64> = outer.iter().map(|e| e.id).collect();
                let p_at = outer_ids.iter().position(|e| *e == parent.id).unwrap_or(0);
                outer_ids.insert(p_at + 1, element);
                ids.remove(at);
                set(&mut updates, el.parent_id, &ids);
                set(&mut updates, parent.parent_id, &outer_ids);
            }
            // Already first, last, outermost, or nothing to go into: nothing moves.
            _ => return Ok(()),
        }
        for (eid, parent, sort) in updates {
            sqlx::query("UPDATE brand_elements SET parent_id = $1, sort_order = $2 WHERE id = $3")
                .bind(parent)
                .bind(i64::from(sort))
                .bind(eid)
                .execute(&mut *tx)
                .await?;
        }
        touch(&mut tx, id).await?;
        let summary = format!("品牌 {} 调整结构元素 {} 的位置", b.fields.name, el.fields.title);
        audit::append(
            &mut tx,
            self.actor.as_ref(),
            &[entry("update", &b, &unit, summary, Some(&el), None::<&Element>)],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Deletes an element and everything under it; returns how many went.
    pub async fn delete_element(&self, id: BrandId, element: i64) -> StoreResult<usize> {
        let mut tx = self.write().await?;
        let b = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, b.unit_id).await?;
        let all = elements_tx(&mut tx, id).await?;
        let el = all.iter().find(|e| e.id == element).cloned().ok_or_else(|| StoreError::not_found("element"))?;
        // Children before parents.
        let mut order = vec![element];
        let mut i = 0;
        while i < order.len() {
            let p = order[i];
            order.extend(all.iter().filter(|e| e.parent_id == Some(p)).map(|e| e.id));
            i += 1;
        }
        for eid in order.iter().rev() {
            sqlx::query("DELETE FROM brand_elements WHERE id = $1").bind(eid).execute(&mut *tx).await?;
        }
        touch(&mut tx, id).await?;
        let summary = format!("品牌 {} 删除结构元素 {}（共 {} 个）", b.fields.name, el.fields.title, order.len());
        audit::append(
            &mut tx,
            self.actor.as_ref(),
            &[entry("update", &b, &unit, summary, Some(&el), None::<&Element>)],
        )
        .await?;
        tx.commit().await?;
        Ok(order.len())
    }

    /// Replaces the whole structure; returns the number of elements written.
    pub async fn replace_structure(&self, id: BrandId, tree: &[ElementTree]) -> StoreResult<usize> {
        brand::check_structure(tree)?;
        let mut tx = self.write().await?;
        let b = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, b.unit_id).await?;
        let before = brand::element_tree(&elements_tx(&mut tx, id).await?);
        let n = replace_tree(&mut tx, id, tree).await?;
        touch(&mut tx, id).await?;
        let summary = format!("品牌 {} 更新品牌结构（{n} 个元素）", b.fields.name);
        audit::append(&mut tx, self.actor.as_ref(), &[entry("update", &b, &unit, summary, Some(&before), Some(&tree))])
            .await?;
        tx.commit().await?;
        Ok(n)
    }

    // -- history and versions -------------------------------------------------------

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
        write(&mut tx, &b).await?;
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
        write(&mut tx, &b).await?;
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
                    write(&mut tx, &b).await?;
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
                    write(&mut tx, &b).await?;
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
            write(&mut tx, &b).await?;
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
        write(&mut tx, &b).await?;
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

    // -- the standard: evidence and confirmations ------------------------------------------

    /// The standard applying to a brand, its standing, and the evidence and confirmations recorded.
    pub async fn brand_standard(&self, b: &Brand) -> StoreResult<BrandStandard> {
        let mut tx = self.pool.begin().await?;
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

    /// Brands with an open application, in the subtree of `root` and in `scope`.
    pub async fn pending_brands(&self, root: &Unit, scope: &Scope) -> StoreResult<Vec<BrandListed>> {
        let q = BrandQuery { pending: true, sort: BrandSort::Unit, per_page: 1000, ..Default::default() };
        Ok(self.brands(root, scope, &q).await?.items)
    }
}

/// Deletes a brand's structure and writes `tree` in its place.
pub(crate) async fn replace_tree(tx: &mut Tx, id: BrandId, tree: &[ElementTree]) -> StoreResult<usize> {
    // Children before parents (the parent reference is checked per statement).
    loop {
        let n = sqlx::query(
            "DELETE FROM brand_elements WHERE brand_id = $1 AND id NOT IN \
             (SELECT parent_id FROM brand_elements WHERE brand_id = $1 AND parent_id IS NOT NULL)",
        )
        .bind(id.0)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        if n == 0 {
            break;
        }
    }
    insert_tree(tx, id, None, tree).await
}
