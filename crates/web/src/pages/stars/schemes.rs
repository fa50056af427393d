//! Schemes: the list, the editor (new, edit while unused), copying to
//! another year. A scheme some campaign uses is shown frozen, read-only.

use std::collections::BTreeMap;

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use qizhi_core::date::this_year;
use qizhi_core::figures::FIGURES;
use qizhi_core::org::{Unit, UnitKind};
use qizhi_core::stars::points::Points;
use qizhi_core::stars::scheme::{
    DimensionInput, IndicatorInput, QuotaInput, RuleInput, SchemeFields, SchemeInput, VetoInput, default_rules,
};
use qizhi_store::Scope;
use qizhi_store::stars::Scheme;
use serde::Deserialize;

use super::overview::campaign_row;
use super::{ancestors, form_errors};
use crate::AppState;
use crate::access::{self, Need};
use crate::auth::{Caller, PageCaller};
use crate::error::{AppError, PageResult};
use crate::i18n::Lang;
use crate::kit::again;
use crate::kit::flash;
use crate::kit::form::Fields;
use crate::pages::{chrome, render};
use crate::views::UnitRef;
use crate::views::stars::{DimRow, IndRow, QuotaRow, RuleRow, SchemePage, SchemeRow, SchemesPage, VetoRow};

/// `GET /stars/schemes` — any signed-in user: the schemes issued in their
/// scope or above it (none otherwise).
pub async fn list(State(state): State<AppState>, PageCaller(caller): PageCaller) -> PageResult<Response> {
    let rows = state
        .store
        .schemes(&caller.scope, &ancestors(&caller))
        .await?
        .into_iter()
        .map(|s| SchemeRow {
            id: s.id,
            name: s.name.clone(),
            year: s.year,
            unit_name: s.unit_name.clone(),
            in_use: s.in_use(),
            dimensions: s.body.dimensions.len(),
            indicators: s.body.indicators().count(),
        })
        .collect();
    let issuers = issuers(&state, &caller).await?;
    Ok(render(&SchemesPage { chrome: chrome(&caller, "stars", "/stars/schemes"), rows, issuers })?.into_response())
}

/// The units whose schemes the caller may issue: the roots of their admin grants.
async fn issuers(state: &AppState, caller: &Caller) -> PageResult<Vec<UnitRef>> {
    let scope = if caller.is_system_admin() {
        Scope::All
    } else {
        Scope::subtrees(
            caller.grants.iter().filter(|g| g.role.may_edit_records()).filter_map(|g| g.unit_path.clone()).collect(),
        )
    };
    if scope == Scope::Subtrees(vec![]) {
        return Ok(vec![]);
    }
    Ok(state.store.scope_roots(&scope).await?.iter().map(|n| UnitRef::from(&n.unit)).collect())
}

/// A starting point for a new scheme: two dimensions at 60 / 80 / 90 and the default rules.
fn starter(year: i32) -> SchemeInput {
    let dim = |code: &str, name: &str| DimensionInput {
        code: code.into(),
        name: name.into(),
        standard: "60".into(),
        excellent: "80".into(),
        benchmark: "90".into(),
    };
    let fields = SchemeFields {
        name: format!("{year} 年度星级党支部评价体系"),
        year,
        body: qizhi_core::stars::SchemeBody {
            dimensions: vec![],
            rules: default_rules("PB", "BP", Points::whole(45), Points::whole(30)),
            vetoes: vec![],
            quotas: vec![],
        },
    };
    let mut input = SchemeInput::from_fields(&fields);
    input.dimensions = vec![dim("PB", "党建"), dim("BP", "业绩")];
    input.rules = fields
        .body
        .rules
        .iter()
        .map(|r| RuleInput {
            stars: r.stars.to_string(),
            conditions: ["PB", "BP"]
                .iter()
                .map(|d| {
                    let req = r.all.iter().find(|c| c.dimension == *d).map(|c| c.at_least.text());
                    (d.to_string(), req.unwrap_or_default())
                })
                .collect(),
        })
        .collect();
    input
}

/// Rows of `name.{i}.{field}` keys, by index.
fn rows<'a>(pairs: &'a [(String, String)], prefix: &str) -> BTreeMap<usize, BTreeMap<&'a str, &'a str>> {
    let mut out: BTreeMap<usize, BTreeMap<&str, &str>> = BTreeMap::new();
    for (k, v) in pairs {
        let Some(rest) = k.strip_prefix(prefix).and_then(|r| r.strip_prefix('.')) else { continue };
        let Some((i, field)) = rest.split_once('.') else { continue };
        let Ok(i) = i.parse::<usize>() else { continue };
        if i < 500 {
            out.entry(i).or_default().insert(field, v.as_str());
        }
    }
    out
}

/// The editor's form fields as a scheme input.
pub(crate) fn scheme_input(pairs: &[(String, String)]) -> SchemeInput {
    let get = |k: &str| pairs.iter().find(|(x, _)| x == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let s = |m: &BTreeMap<&str, &str>, k: &str| m.get(k).map(|v| v.to_string()).unwrap_or_default();
    let dims: Vec<(usize, DimensionInput)> = rows(pairs, "dim")
        .into_iter()
        .map(|(i, m)| {
            let d = DimensionInput {
                code: s(&m, "code"),
                name: s(&m, "name"),
                standard: s(&m, "standard"),
                excellent: s(&m, "excellent"),
                benchmark: s(&m, "benchmark"),
            };
            (i, d)
        })
        .collect();
    let rules = rows(pairs, "rule")
        .into_values()
        .map(|m| RuleInput {
            stars: s(&m, "stars"),
            conditions: dims
                .iter()
                .filter(|(_, d)| !d.code.trim().is_empty())
                .map(|(i, d)| (d.code.trim().to_string(), s(&m, &format!("d{i}"))))
                .collect(),
        })
        .collect();
    SchemeInput {
        name: get("name"),
        year: get("year"),
        dimensions: dims.into_iter().map(|(_, d)| d).collect(),
        indicators: rows(pairs, "ind")
            .into_values()
            .map(|m| IndicatorInput {
                dimension: s(&m, "dimension"),
                code: s(&m, "code"),
                name: s(&m, "name"),
                max: s(&m, "max"),
                weight: s(&m, "weight"),
                guide: s(&m, "guide"),
                evidence: s(&m, "evidence"),
                auto_figure: s(&m, "auto_figure"),
                auto_zero: s(&m, "auto_zero"),
                auto_full: s(&m, "auto_full"),
            })
            .collect(),
        rules,
        vetoes: rows(pairs, "veto")
            .into_values()
            .map(|m| VetoInput { code: s(&m, "code"), name: s(&m, "name"), cap: s(&m, "cap") })
            .collect(),
        quotas: rows(pairs, "quota")
            .into_values()
            .map(|m| QuotaInput { stars: s(&m, "stars"), max_percent: s(&m, "max_percent") })
            .collect(),
    }
}

/// "维度 1 · 达标线" for `dim.0.standard`: where a problem is, in the page's language.
pub(crate) fn field_label(lang: Lang, field: &str) -> String {
    let parts: Vec<&str> = field.split('.').collect();
    let n = |i: &str| i.parse::<usize>().map(|x| x + 1).unwrap_or(0);
    let what = |zh: &'static str, en: &'static str| lang.label(zh, en).to_string();
    let label = match parts.as_slice() {
        ["dim", i, f] => format!("{} {} · {f}", what("维度", "Dimension"), n(i)),
        ["ind", i, f] => format!("{} {} · {f}", what("指标", "Indicator"), n(i)),
        ["rule", i, f] => format!("{} {} · {f}", what("星级规则", "Rule"), n(i)),
        ["veto", i, f] => format!("{} {} · {f}", what("否决项", "Veto"), n(i)),
        ["quota", i, f] => format!("{} {} · {f}", what("名额", "Quota"), n(i)),
        _ => field.to_string(),
    };
    label
        .replace("· code", &format!("· {}", what("编码", "code")))
        .replace("· name", &format!("· {}", what("名称", "name")))
        .replace("· standard", &format!("· {}", what("达标线", "standard")))
        .replace("· excellent", &format!("· {}", what("优秀线", "excellent")))
        .replace("· benchmark", &format!("· {}", what("标杆线", "benchmark")))
        .replace("· stars", &format!("· {}", what("星级", "stars")))
}

/// The page of a scheme (or of the editor's input), with blank rows to add.
#[allow(clippy::too_many_arguments)]
fn scheme_page(
    caller: &Caller,
    path: &str,
    id: Option<i64>,
    issuer: UnitRef,
    input: &SchemeInput,
    editable: bool,
    stored: Option<&Scheme>,
    copied_from: Option<(i64, String)>,
    campaigns: Vec<crate::views::stars::CampaignRow>,
    campaign_units: Vec<UnitRef>,
    errors: Vec<String>,
) -> SchemePage {
    let blank = |n: usize| if editable { n } else { 0 };
    let mut dims: Vec<DimRow> = input
        .dimensions
        .iter()
        .map(|d| {
            let max =
                stored.and_then(|s| s.body.dimension(d.code.trim())).map(|x| x.max().to_string()).unwrap_or_default();
            DimRow {
                code: d.code.clone(),
                name: d.name.clone(),
                standard: d.standard.clone(),
                excellent: d.excellent.clone(),
                benchmark: d.benchmark.clone(),
                max,
            }
        })
        .collect();
    dims.extend((0..blank(1)).map(|_| DimRow::default()));
    let mut inds: Vec<IndRow> = input
        .indicators
        .iter()
        .map(|i| IndRow {
            dimension: i.dimension.clone(),
            code: i.code.clone(),
            name: i.name.clone(),
            max: i.max.clone(),
            weight: i.weight.clone(),
            guide: i.guide.clone(),
            evidence: i.evidence.clone(),
            auto_figure: i.auto_figure.clone(),
            auto_zero: i.auto_zero.clone(),
            auto_full: i.auto_full.clone(),
        })
        .collect();
    inds.extend((0..blank(5)).map(|_| IndRow::default()));
    let mut rules: Vec<RuleRow> = input
        .rules
        .iter()
        .map(|r| RuleRow {
            stars: r.stars.clone(),
            cells: dims
                .iter()
                .map(|d| {
                    r.conditions.iter().find(|(c, _)| *c == d.code.trim()).map(|(_, v)| v.clone()).unwrap_or_default()
                })
                .collect(),
        })
        .collect();
    rules.extend(
        (0..blank(6usize.saturating_sub(rules.len()).min(1)))
            .map(|_| RuleRow { stars: String::new(), cells: vec![String::new(); dims.len()] }),
    );
    let mut vetoes: Vec<VetoRow> = input
        .vetoes
        .iter()
        .map(|v| VetoRow { code: v.code.clone(), name: v.name.clone(), cap: v.cap.clone() })
        .collect();
    vetoes.extend((0..blank(2)).map(|_| VetoRow::default()));
    let mut quotas: Vec<QuotaRow> =
        input.quotas.iter().map(|q| QuotaRow { stars: q.stars.clone(), max_percent: q.max_percent.clone() }).collect();
    quotas.extend((0..blank(2)).map(|_| QuotaRow::default()));
    let can_manage = stored.is_some_and(|s| caller.can_edit(&s.unit_path));
    SchemePage {
        chrome: chrome(caller, "stars", path),
        id,
        issuer,
        name: input.name.clone(),
        year: input.year.clone(),
        editable,
        in_use: stored.is_some_and(Scheme::in_use),
        copied_from,
        dims,
        inds,
        rules,
        vetoes,
        quotas,
        figure_keys: FIGURES.iter().map(|f| f.key).collect(),
        campaigns,
        can_manage,
        campaign_units,
        errors,
    }
}

fn messages(lang: Lang, e: AppError) -> PageResult<Vec<String>> {
    match e {
        AppError::Invalid(fields) => {
            Ok(fields.into_iter().map(|f| format!("{}：{}", field_label(lang, &f.field), f.message)).collect())
        }
        e => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct NewQuery {
    unit: i64,
}

/// `GET /stars/schemes/new?unit=` — unit admins of the issuing unit; 404
/// outside scope, 403 without the right.
pub async fn new(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(q): Query<NewQuery>,
) -> PageResult<Response> {
    let unit = access::unit(&state, &caller, q.unit, Need::Edit).await?;
    let input = starter(this_year());
    let page = scheme_page(
        &caller,
        &format!("/stars/schemes/new?unit={}", unit.id),
        None,
        UnitRef::from(&unit),
        &input,
        true,
        None,
        None,
        vec![],
        vec![],
        vec![],
    );
    Ok(render(&page)?.into_response())
}

/// `POST /stars/schemes` (form, with `unit`) — unit admins of that unit;
/// 404 outside scope, 403 without the right; CSRF checked.
pub async fn create(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    form: Fields,
) -> PageResult<Response> {
    let pairs = form.pairs();
    let unit_id = pairs.iter().find(|(k, _)| k == "unit").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
    let unit = access::unit(&state, &caller, unit_id, Need::Edit).await?;
    let input = scheme_input(pairs);
    let result = match input.validate() {
        Ok(f) => caller.store(&state).create_scheme(unit.id, &f).await.map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(s) => Ok(flash::redirect(&format!("/stars/schemes/{}", s.id), "stars.created")),
        Err(e) => {
            let errors = messages(caller.lang, e)?;
            let page = scheme_page(
                &caller,
                "/stars/schemes",
                None,
                UnitRef::from(&unit),
                &input,
                true,
                None,
                None,
                vec![],
                vec![],
                errors,
            );
            again::page(&page)
        }
    }
}

pub(crate) async fn show(
    state: &AppState,
    caller: &Caller,
    s: &Scheme,
    input: Option<SchemeInput>,
    errors: Vec<String>,
) -> PageResult<SchemePage> {
    let editable = caller.can_edit(&s.unit_path) && !s.in_use();
    let input = input.unwrap_or_else(|| SchemeInput::from_fields(&s.fields()));
    let copied_from = match s.copied_from {
        Some(id) => state.store.scheme(id).await.ok().map(|c| (c.id, c.name)),
        None => None,
    };
    let campaigns = state
        .store
        .campaigns(&caller.scope, &ancestors(caller))
        .await?
        .iter()
        .filter(|c| c.scheme_id == s.id)
        .map(campaign_row)
        .collect();
    let issuer = state.store.unit(s.unit_id).await?;
    let mut units: Vec<Unit> = vec![issuer.clone()];
    if caller.can_edit(&s.unit_path) {
        for c in state.store.children(issuer.id).await? {
            if matches!(c.unit.kind, UnitKind::Committee | UnitKind::GeneralBranch) {
                units.push(c.unit);
            }
        }
    }
    let campaign_units = units.iter().map(UnitRef::from).collect();
    let mut page = scheme_page(
        caller,
        &format!("/stars/schemes/{}", s.id),
        Some(s.id),
        UnitRef::from(&issuer),
        &input,
        editable,
        Some(s),
        copied_from,
        campaigns,
        campaign_units,
        errors,
    );
    page.in_use = s.in_use();
    Ok(page)
}

#[derive(Deserialize)]
pub struct Done {
    flash: Option<String>,
}

/// `GET /stars/schemes/{id}` — whoever may read the issuing unit or a unit
/// under it; 404 otherwise.
pub async fn page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Query(d): Query<Done>,
) -> PageResult<Response> {
    let s = access::stars::scheme(&state, &caller, id, Need::Read).await?;
    let mut page = show(&state, &caller, &s, None, vec![]).await?;
    page.chrome.flash = flash::message(caller.lang, d.flash.as_deref());
    Ok(render(&page)?.into_response())
}

/// `POST /stars/schemes/{id}` — unit admins of the issuing unit, while no
/// campaign uses it (422 once frozen); 404 / 403 as usual; CSRF checked.
pub async fn save(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    form: Fields,
) -> PageResult<Response> {
    let pairs = form.pairs();
    let s = access::stars::scheme(&state, &caller, id, Need::Edit).await?;
    let input = scheme_input(pairs);
    let result = match input.validate() {
        Ok(f) => caller.store(&state).update_scheme(id, &f).await.map(|_| ()).map_err(AppError::from),
        Err(e) => Err(e.into()),
    };
    match result {
        Ok(()) => Ok(flash::redirect(&format!("/stars/schemes/{id}"), "stars.saved")),
        Err(e) => {
            let errors = messages(caller.lang, e)?;
            let page = show(&state, &caller, &s, Some(input), errors).await?;
            again::page(&page)
        }
    }
}

#[derive(Deserialize)]
pub struct CopyForm {
    year: i32,
}

/// `POST /stars/schemes/{id}/copy` — unit admins of the issuing unit; the
/// copy is issued by the same unit for `year`.
pub async fn copy(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Form(f): Form<CopyForm>,
) -> PageResult<Response> {
    let s = access::stars::scheme(&state, &caller, id, Need::Edit).await?;
    match caller.store(&state).copy_scheme(s.id, f.year).await {
        Ok(copy) => Ok(flash::redirect(&format!("/stars/schemes/{}", copy.id), "stars.copied")),
        Err(e) => {
            let errors = form_errors(e.into())?;
            let page = show(&state, &caller, &s, None, errors).await?;
            again::page(&page)
        }
    }
}
