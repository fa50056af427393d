//! Campaigns: start one from a scheme, its page (stages and dates, progress
//! and reminders, quotas, the branches' table), its settings, and moving it
//! through its stages — the award included.

use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use qizhi_core::ids::UnitId;
use qizhi_core::stars::campaign::{CampaignFields, EntryStatus, Stage, StageDates};
use qizhi_store::Page;
use qizhi_store::stars::{Campaign, EntryFilter};
use serde::Deserialize;

use super::{form_errors, review_scope};
use crate::AppState;
use crate::access::{self, Need};
use crate::auth::{Caller, PageCaller};
use crate::error::{AppError, PageResult};
use crate::kit::again;
use crate::kit::filter::Filters;
use crate::kit::flash;
use crate::kit::form::Fields;
use crate::pages::{chrome, render};
use crate::views::UnitRef;
use crate::views::stars::{CampaignPage, EntryRow, StageRow};

pub const PER_PAGE: i64 = 50;

#[derive(Deserialize, Default)]
pub struct EntriesQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    star: String,
    page: Option<i64>,
    flash: Option<String>,
}

pub(crate) fn entry_row(e: &qizhi_store::stars::Entry, parent: Option<String>, self_scored: i64) -> EntryRow {
    EntryRow {
        id: e.id,
        unit_name: e.unit_name.clone(),
        unit_code: e.unit_code.clone(),
        parent_name: parent.unwrap_or_default(),
        status_code: e.status.code(),
        status_zh: e.status.zh(),
        status_en: e.status.en(),
        target: e.declaration.as_ref().map(|d| d.target_star),
        self_scored,
        star: e.held_star(),
        awarded: e.awarded,
        withdrawn: e.withdrawn.is_some(),
        campaign_name: String::new(),
        level: 0,
    }
}

/// Whether the caller reviews any branch of the campaign (at either level).
fn reviews(caller: &Caller, c: &Campaign) -> bool {
    caller.can_review(&c.unit_path)
        || caller
            .grants
            .iter()
            .any(|g| g.role.may_review() && g.unit_path.as_deref().is_some_and(|p| p.starts_with(&c.unit_path)))
}

pub(crate) async fn campaign_page(
    state: &AppState,
    caller: &Caller,
    c: &Campaign,
    q: &EntriesQuery,
    errors: Vec<String>,
) -> PageResult<CampaignPage> {
    let lang = caller.lang;
    let scheme = state.store.scheme(c.scheme_id).await?;
    let stats = state.store.campaign_stats(c.id, &caller.scope).await?;
    let mut filters = Filters::default();
    let status = filters.take(("申报状态", "Status"), &q.status, EntryStatus::parse);
    let star = filters.take(("星级", "Stars"), &q.star, |s| {
        s.parse::<u8>().ok().filter(|n| *n <= 6).ok_or_else(|| format!("应为 0 到 6，而不是 “{s}” (0 to 6, not “{s}”)"))
    });
    let page = q.page.unwrap_or(1).max(1);
    let filter = EntryFilter { status, star, q: q.q.clone(), page, per_page: PER_PAGE };
    let Page { total: filtered, items: list } = state.store.campaign_entries(c.id, &caller.scope, &filter).await?;
    let today = qizhi_core::date::today();
    let stages = Stage::ALL
        .iter()
        .map(|&s| {
            let p = c.dates.of(s);
            StageRow {
                code: s.code(),
                zh: s.zh(),
                en: s.en(),
                from: p.from.map(qizhi_core::date::iso).unwrap_or_default(),
                to: p.to.map(qizhi_core::date::iso).unwrap_or_default(),
                current: s == c.stage,
                done: s < c.stage,
                overdue: s == c.stage && s < Stage::Award && c.dates.overdue(s, today),
            }
        })
        .collect();
    let count = |s: EntryStatus| stats.status(s);
    let mut missing = vec![];
    let mut remind = |n: i64, zh: &str, en: &str| {
        if n > 0 {
            missing.push(lang.label(zh, en).replace("{n}", &n.to_string()));
        }
    };
    if c.stage >= Stage::Create && c.stage < Stage::Review {
        remind(count(EntryStatus::Open), "{n} 个党支部未申报目标星级", "{n} branches have not declared a target");
    }
    if c.stage >= Stage::SelfAssess && c.stage <= Stage::Review {
        let unsubmitted = count(EntryStatus::Open) + count(EntryStatus::Declared) + count(EntryStatus::Returned);
        remind(unsubmitted, "{n} 个党支部未提交自评", "{n} branches have not submitted their self-assessment");
    }
    if c.stage == Stage::Review {
        remind(count(EntryStatus::Submitted), "{n} 个党支部待初审", "{n} branches await level-1 review");
        if c.review_levels == 2 {
            remind(count(EntryStatus::Reviewed1), "{n} 个党支部待复审", "{n} branches await level-2 review");
        }
    }
    if c.stage == Stage::Publicity {
        let not_done: i64 =
            EntryStatus::ALL.iter().filter(|s| !s.review_done(c.review_levels)).map(|s| count(*s)).sum();
        remind(
            not_done,
            "{n} 个党支部未完成审核，命名时不授星",
            "{n} branches are not fully reviewed and will not be awarded",
        );
        remind(stats.open_objections, "{n} 条异议未答复", "{n} objections are unanswered");
    }
    // Quotas count the whole campaign: shown to those who may read its unit.
    let quotas = if caller.can_read(&c.unit_path) {
        state
            .store
            .campaign_quotas(c)
            .await?
            .iter()
            .map(|u| (lang.label(&u.zh(), &u.en()).to_string(), u.reviewed.exceeded() || u.at_risk()))
            .collect()
    } else {
        vec![]
    };
    let by_status = EntryStatus::ALL.iter().map(|s| (s.code(), s.zh(), s.en(), count(*s))).collect();
    let can_manage = super::may_manage(caller, c);
    let stage_tuple = |s: Stage| (s.code(), s.zh(), s.en());
    let can_import = can_manage || reviews(caller, c) || caller.can_edit(&c.unit_path);
    let unit = state.store.unit(c.unit_id).await?;
    let date_rows = Stage::ALL
        .iter()
        .map(|&s| {
            let p = c.dates.of(s);
            (
                s.code(),
                s.zh(),
                s.en(),
                p.from.map(qizhi_core::date::iso).unwrap_or_default(),
                p.to.map(qizhi_core::date::iso).unwrap_or_default(),
            )
        })
        .collect();
    // A branch admin's own entry, when it waits for them: the page's first action.
    let next_step = match super::self_assessments_due(state, caller, c).await? {
        (1, Some(e)) => Some((e.id, next_step_key(c.stage, e.status))),
        _ => None,
    };
    let mut chrome = chrome(caller, "stars", &format!("/stars/campaigns/{}", c.id));
    chrome.flash = flash::message(lang, q.flash.as_deref());
    Ok(CampaignPage {
        // A campaign run above the caller's scope is read, but its unit's overview is not theirs.
        unit_readable: caller.can_read(&c.unit_path),
        chrome,
        id: c.id,
        name: c.name.clone(),
        unit: UnitRef::from(&unit),
        year: c.year,
        scheme_id: scheme.id,
        scheme_name: scheme.name.clone(),
        review_levels: c.review_levels,
        stage_code: c.stage.code(),
        stage_zh: c.stage.zh(),
        stage_en: c.stage.en(),
        awarded: c.stage.awarded(),
        stages,
        indicators: scheme.body.indicators().count(),
        by_status,
        entries_total: stats.entries,
        by_star: if c.stage.awarded() { stats.awarded_by_star } else { stats.by_star },
        awarded_count: stats.awarded,
        withdrawn_count: stats.withdrawn,
        open_objections: stats.open_objections,
        missing,
        quotas,
        rows: list.iter().map(|l| entry_row(&l.entry, l.parent_name.clone(), l.self_scored)).collect(),
        page,
        pages: qizhi_store::page::pages(filtered, PER_PAGE),
        filtered,
        q: q.q.clone(),
        status: q.status.clone(),
        star: q.star.clone(),
        can_manage,
        next_stage: c.stage.next().map(stage_tuple),
        previous_stage: c.stage.previous().filter(|_| !c.stage.awarded()).map(stage_tuple),
        reviews: !review_scope(caller).is_empty() && reviews(caller, c),
        can_import,
        errors,
        date_rows,
        next_step,
        filter_problems: filters.problems(),
    })
}

/// The words of a branch's next step on its entry.
fn next_step_key(stage: Stage, status: EntryStatus) -> &'static str {
    match (stage, status) {
        (_, EntryStatus::Returned) => "stars.step.redo",
        (Stage::Create, _) => "stars.step.declare",
        _ => "stars.step.self_assess",
    }
}

/// `GET /stars/campaigns/{id}?q=&status=&star=&page=` — whoever may read the
/// campaign's unit or a unit under it (the table lists only branches in
/// their scope); 404 otherwise.
pub async fn page(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Query(q): Query<EntriesQuery>,
) -> PageResult<Response> {
    let c = access::stars::campaign(&state, &caller, id, Need::Read).await?;
    Ok(render(&campaign_page(&state, &caller, &c, &q, vec![]).await?)?.into_response())
}

/// A campaign's settings as a form sends them.
fn fields_of(pairs: &[(String, String)]) -> Result<CampaignFields, AppError> {
    let get = |k: &str| pairs.iter().find(|(x, _)| x == k).map(|(_, v)| v.clone()).unwrap_or_default();
    let rows: Vec<(Stage, String, String)> = Stage::ALL
        .iter()
        .map(|s| (*s, get(&format!("dates.{}.from", s.code())), get(&format!("dates.{}.to", s.code()))))
        .collect();
    let dates = if rows.iter().all(|(_, f, t)| f.is_empty() && t.is_empty()) {
        StageDates::default()
    } else {
        StageDates::parse(&rows)?
    };
    let f = CampaignFields {
        name: get("name").trim().to_string(),
        review_levels: get("review_levels").parse().unwrap_or(0),
        dates,
    };
    f.validate()?;
    Ok(f)
}

/// `POST /stars/campaigns` (scheme_id, unit_id, name, review_levels) — unit
/// admins of both the scheme's issuer and the campaign's unit; 404 / 403.
pub async fn create(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    form: Fields,
) -> PageResult<Response> {
    let pairs = form.pairs();
    let num = |k: &str| pairs.iter().find(|(x, _)| x == k).and_then(|(_, v)| v.parse::<i64>().ok()).unwrap_or(0);
    let scheme = access::stars::scheme(&state, &caller, num("scheme_id"), Need::Edit).await?;
    let unit = access::unit(&state, &caller, num("unit_id"), Need::Edit).await?;
    let result = match fields_of(pairs) {
        Ok(f) => caller.store(&state).create_campaign(scheme.id, UnitId(unit.id.0), &f).await.map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(c) => Ok(flash::redirect(&format!("/stars/campaigns/{}", c.id), "stars.created")),
        Err(e) => {
            let errors = form_errors(e)?;
            let page = super::schemes::show(&state, &caller, &scheme, None, errors).await?;
            again::page(&page)
        }
    }
}

/// `POST /stars/campaigns/{id}` (name, review_levels, dates.<stage>.from|to)
/// — unit admins of the campaign's unit; 404 / 403; CSRF checked.
pub async fn save(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    form: Fields,
) -> PageResult<Response> {
    let pairs = form.pairs();
    let c = access::stars::campaign(&state, &caller, id, Need::Edit).await?;
    let result = match fields_of(pairs) {
        Ok(f) => caller.store(&state).update_campaign(c.id, &f).await.map(|_| ()).map_err(AppError::from),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(flash::redirect(&format!("/stars/campaigns/{id}"), "stars.saved")),
        Err(e) => {
            let errors = form_errors(e)?;
            let page = campaign_page(&state, &caller, &c, &EntriesQuery::default(), errors).await?;
            again::page(&page)
        }
    }
}

#[derive(Deserialize)]
pub struct StageForm {
    to: String,
}

/// `POST /stars/campaigns/{id}/stage` (to) — unit admins of the campaign's
/// unit: one stage forward, or back before the award. Entering "award"
/// fixes the stars (refused, 422, when a quota is exceeded).
pub async fn stage(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Form(f): Form<StageForm>,
) -> PageResult<Response> {
    let c = access::stars::campaign(&state, &caller, id, Need::Edit).await?;
    let to = Stage::parse(&f.to).map_err(AppError::BadRequest)?;
    match caller.store(&state).move_campaign(c.id, to).await {
        Ok(_) => Ok(flash::redirect(&format!("/stars/campaigns/{id}"), "stars.stage")),
        Err(e) => {
            let errors = form_errors(e.into())?;
            let page = campaign_page(&state, &caller, &c, &EntriesQuery::default(), errors).await?;
            again::page(&page)
        }
    }
}
