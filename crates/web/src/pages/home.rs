//! The home of whoever reads a scope: their work list (what waits for
//! them in it), then the scope's headline figures and charts for the
//! reporting period, then its units. A member's home is `/my`.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use qizhi_core::access::Role;
use qizhi_core::date::today;
use qizhi_core::figures::{Figures, Span, Value};
use qizhi_core::org::Unit;
use qizhi_core::stars::Stage;
use qizhi_store::stars::Campaign;
use qizhi_store::tasks::commitments::CommitmentQuery;

use super::stars::{campaigns_of, self_assessments_due, star_span};
use super::{chrome, render, scope_root, short_ref};
use crate::AppState;
use crate::access::stars::review_scope;
use crate::auth::{Caller, PageCaller};
use crate::error::PageResult;
use crate::i18n::Lang;
use crate::kit::period::Period;
use crate::views::{
    HomeChart, HomePage, HomeUnitRow, Todo, UnitRef, bars, format_value, headline_sections, ring, yearly_pairs,
};

/// A campaign stage ending within this many days is on the work list.
const CLOSING_DAYS: i64 = 14;

pub async fn home(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    period: Period,
) -> PageResult<Response> {
    if !super::reads_records(&caller) && caller.user.person_id.is_some() {
        return Ok(Redirect::to("/my").into_response());
    }
    let lang = caller.lang;
    let mut page = HomePage {
        chrome: chrome(&caller, "home", "/"),
        root: None,
        period: period.view(lang, "/"),
        todo: vec![],
        sections: vec![],
        stars_earlier: None,
        charts: vec![],
        units: vec![],
    };
    let Some(root) = scope_root(&state, &caller).await? else {
        return Ok(render(&page)?.into_response());
    };
    let span = period.span;
    let campaigns = campaigns_of(&state, &caller, &root.path).await?;
    let (stars, earlier) = star_span(&campaigns, span);
    let mut figures = state.store.figures(root.id, span).await?;
    if stars != span {
        let of_stars = state.store.figures(root.id, stars).await?;
        figures.extend(of_stars.into_iter().filter(|(k, _)| k.starts_with("stars.")));
    }
    page.todo = work_list(&state, &caller, &root, span, &figures, &campaigns).await?;
    page.sections = headline_sections(&figures);
    page.stars_earlier = earlier;
    page.charts = charts(&state, lang, &root, span, &figures).await?;
    for child in state.store.children(root.id).await?.iter().filter(|c| caller.can_read(&c.unit.path)) {
        let f = state.store.figures(child.unit.id, span).await?;
        let f_stars = if stars == span { None } else { Some(state.store.figures(child.unit.id, stars).await?) };
        let n = |k: &str| f[k].count().unwrap_or(0);
        page.units.push(HomeUnitRow {
            unit: short_ref(&child.unit),
            branches: n("org.branches"),
            members: n("org.members"),
            brands: n("brands.total"),
            three_stars: format_value(f_stars.as_ref().unwrap_or(&f)["stars.at_least_rate.3"]),
            overdue: n("tasks.overdue"),
        });
    }
    page.root = Some(UnitRef::from(&root));
    Ok(render(&page)?.into_response())
}

/// What waits for the caller in the subtree of `root`, each with the list
/// it is in; only what the caller's roles act on, and only what is due.
async fn work_list(
    state: &AppState,
    caller: &Caller,
    root: &Unit,
    span: Span,
    figures: &Figures,
    campaigns: &[Campaign],
) -> PageResult<Vec<Todo>> {
    let lang = caller.lang;
    let id = root.id.0;
    let mut todo = vec![];
    let mut add = |key: &str, count: i64, href: String, urgent: bool| {
        if count > 0 {
            todo.push(Todo { label: lang.t(key).to_string(), count, href, urgent });
        }
    };
    add(
        "home.todo.overdue",
        figures["tasks.overdue"].count().unwrap_or(0),
        format!("/tasks?unit={id}&overdue=1&from={}&to={}", span.from, span.to),
        true,
    );
    let holds = |may: fn(Role) -> bool| caller.is_system_admin() || caller.grants.iter().any(|g| may(g.role));
    if holds(|r| r.may_edit_records() || r.may_review()) {
        let verifiers = caller.scope_where(|r| r.may_edit_records() || r.may_review());
        let q = CommitmentQuery {
            q: String::new(),
            years: Some(span),
            branch: String::new(),
            status: Some(qizhi_core::tasks::commitments::Status::Pending),
            page: 1,
            per_page: 1,
        };
        let pending = state.store.commitments(root, &verifiers, &q).await?.total;
        add(
            "home.todo.verify",
            pending,
            format!("/commitments?unit={id}&status=pending&from={}&to={}", span.from, span.to),
            false,
        );
    }
    if holds(Role::may_review) {
        let brands = state.store.pending_brands(root, &caller.scope).await?;
        let to_decide =
            brands.iter().filter(|l| caller.can_review(l.parent_unit_path.as_deref().unwrap_or(""))).count();
        add("home.todo.brand_reviews", to_decide as i64, "/brands/reviews".into(), false);
        let queue = state.store.review_queue(&review_scope(caller), None).await?;
        add("home.todo.star_reviews", queue.len() as i64, "/stars/queue".into(), false);
    }
    if holds(Role::may_edit_records) {
        for c in campaigns {
            let (due, one) = self_assessments_due(state, caller, c).await?;
            // One branch's own entry opens directly; several open the campaign.
            let href = match (due, one) {
                (1, Some(entry)) => format!("/stars/entries/{}", entry.id),
                _ => format!("/stars/campaigns/{}", c.id),
            };
            if due > 0 {
                todo.push(Todo { label: lang.tn("home.todo.self_assess", &c.name), count: due, href, urgent: false });
            }
        }
    }
    let today = today();
    for c in campaigns.iter().filter(|c| c.stage != Stage::Apply) {
        let Some(end) = c.dates.of(c.stage).to else { continue };
        let left = (end - today).whole_days();
        if (0..=CLOSING_DAYS).contains(&left) {
            let stage = lang.label(c.stage.zh(), c.stage.en());
            let label = lang
                .t("home.todo.closing")
                .replace("{name}", &c.name)
                .replace("{stage}", stage)
                .replace("{date}", &qizhi_core::date::iso(end));
            todo.push(Todo { label, count: left, href: format!("/stars/campaigns/{}", c.id), urgent: left <= 3 });
        }
    }
    Ok(todo)
}

/// The charts of the scope's figures: the star distribution, brands by
/// status, tasks by year (five years up to the period's end), commitments.
async fn charts(state: &AppState, lang: Lang, root: &Unit, span: Span, f: &Figures) -> PageResult<Vec<HomeChart>> {
    let count = |k: &str| f.get(k).and_then(|v| v.count()).unwrap_or(0);
    let id = root.id.0;
    let mut out = vec![];
    if count("stars.evaluated") > 0 {
        let labels: Vec<String> = (0..=6).map(|n| lang.tn("home.stars_n", n)).collect();
        let values: Vec<i64> = (0..=6).map(|n| count(&format!("stars.exact.{n}"))).collect();
        out.push(HomeChart {
            title: lang.t("home.chart.stars").to_string(),
            note: lang.tn("home.chart.stars_note", count("stars.evaluated")),
            href: format!("/stars?unit={id}"),
            option: bars(&labels, lang.t("home.chart.stars"), &values),
        });
    }
    if count("brands.total") > 0 {
        use qizhi_core::brand::BrandStatus;
        let statuses = BrandStatus::ALL;
        let labels: Vec<String> = statuses.iter().map(|s| lang.label(s.zh(), s.en()).to_string()).collect();
        let values: Vec<i64> = statuses.iter().map(|s| count(&format!("brands.status.{}", s.code()))).collect();
        out.push(HomeChart {
            title: lang.t("home.chart.brands").to_string(),
            note: lang.tn("home.chart.brands_note", count("brands.total")),
            href: format!("/brands?unit={id}"),
            option: bars(&labels, lang.t("home.chart.brands"), &values),
        });
    }
    let years = state.store.figures_by_year(root.id, span.to - 4, span.to).await?;
    let sum = |f: &Figures, suffix: &str| -> i64 {
        qizhi_core::tasks::TaskKind::ALL
            .iter()
            .map(|k| f.get(format!("tasks.{}.{suffix}", k.code()).as_str()).and_then(|v| v.count()).unwrap_or(0))
            .sum()
    };
    let totals: Vec<i64> = years.iter().map(|(_, f)| sum(f, "count")).collect();
    if totals.iter().any(|&n| n > 0) {
        let done: Vec<i64> = years.iter().map(|(_, f)| sum(f, "done")).collect();
        let ys: Vec<i32> = years.iter().map(|(y, _)| *y).collect();
        out.push(HomeChart {
            title: lang.t("home.chart.tasks").to_string(),
            note: lang.tn("home.chart.tasks_note", format!("{}–{}", span.to - 4, span.to)),
            href: format!("/tasks?unit={id}&status=all"),
            option: yearly_pairs(
                lang,
                &ys,
                (lang.t("home.chart.tasks_total"), &totals),
                (lang.t("home.chart.tasks_done"), &done),
            ),
        });
    }
    let total = count("commitments.total");
    if total > 0 {
        let fulfilled = count("commitments.fulfilled");
        let rate = f.get("commitments.fulfilled_rate").copied().unwrap_or(Value::Rate(0.0));
        out.push(HomeChart {
            title: lang.t("home.chart.commitments").to_string(),
            note: lang.tn("home.chart.commitments_note", format_value(rate)),
            href: format!("/commitments?unit={id}"),
            option: ring(&[
                (lang.t("home.chart.fulfilled").to_string(), fulfilled),
                (lang.t("home.chart.not_yet").to_string(), total - fulfilled),
            ]),
        });
    }
    Ok(out)
}
