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

mod evidence;
pub mod honors;
pub mod load;
mod register;
mod review;
pub mod standards;
mod structure;

pub(crate) use structure::replace_tree;

use qizhi_core::brand::{
    self, Brand, BrandEvent, BrandFields, BrandSnapshot, BrandStatus, Element, ElementFields, ElementTree, EventKind,
    Evidence, EvidenceFields, EvidenceKind, ReviewStage, Standard, StandardState, StatusChange,
};
use qizhi_core::figures::{Contribution, RollupDelta};
use qizhi_core::file::FileKind;
use qizhi_core::ids::{BrandId, UnitId};
use qizhi_core::org::Unit;
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use time::Date;

use crate::audit::{Entry, json};
use crate::error::unique_as;
use crate::rows::{corrupt, opt_date};
use crate::{Store, StoreError, StoreResult, Tx, now_ms, units};

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
async fn write_brand(tx: &mut Tx, b: &Brand) -> StoreResult<()> {
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
}
