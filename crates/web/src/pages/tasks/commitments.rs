//! Member commitments (亮承诺): the branch's board (commitments to verify,
//! members with none yet) and a member's own page (`/my`: the tasks they
//! answer for and their commitments), made for a phone.

use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use qizhi_core::commitments::{Commitment, CommitmentInput, Status, VerifyInput};
use qizhi_core::date::{this_year, today};
use qizhi_core::person::Person;
use qizhi_store::Page;
use qizhi_store::commitments::CommitmentQuery;
use serde::Deserialize;

use super::{PER_PAGE, back_to, see_other, task_row, unit_of, with_param};
use crate::AppState;
use crate::access::{self, Need, may_verify};
use crate::auth::{Caller, PageCaller};
use crate::error::{AppError, PageResult};
use crate::kit::again;
use crate::kit::filter::Filters;
use crate::kit::flash;
use crate::kit::form::Fields;
use crate::kit::period::Period;
use crate::pages::{chrome, render};
use crate::views::UnitRef;
use crate::views::tasks::{
    CommitmentBoardPage, CommitmentForm, CommitmentRow, MissingRow, MyPage, category_choices,
    commitment_status_choices, tiles_of,
};

/// Whether the caller may give the verdict on `c`, kept at `path`: unit
/// admins and reviewers of its unit, never on their own commitment.
fn row(c: &Commitment, person_name: String, unit_name: String, can_verify: bool) -> CommitmentRow {
    CommitmentRow {
        id: c.id.0,
        person_name,
        unit_name,
        year: c.fields.year,
        text: c.fields.text.clone(),
        category: c.fields.category,
        due: c.fields.due_on.map(qizhi_core::date::iso).unwrap_or_default(),
        status: c.status,
        progress_note: c.fields.progress_note.clone().unwrap_or_default(),
        verification: c
            .verification
            .as_ref()
            .map(|v| (v.by.clone(), qizhi_core::date::iso(v.on), v.comment.clone().unwrap_or_default())),
        can_verify,
    }
}

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    unit: Option<i64>,
    #[serde(default)]
    status: String,
    #[serde(default)]
    q: String,
    /// A branch's code or part of its name.
    #[serde(default)]
    branch: String,
    page: Option<i64>,
    mpage: Option<i64>,
    #[serde(default)]
    verified: String,
}

/// `GET /commitments?unit=&from=&to=&status=&q=&branch=&page=&mpage=`
///
/// Anyone who may read the unit (admins, reviewers, viewers in scope): the
/// commitments of its subtree and the party members without one for the
/// year; the verdict buttons only where the caller may verify. Out of scope,
/// and members without a read grant: 404 (theirs are on `/my`).
pub async fn board(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(bq): Query<BoardQuery>,
    period: Period,
) -> PageResult<Html<String>> {
    let unit = unit_of(&state, &caller, bq.unit).await?;
    // Who has none yet is asked of the period's last year.
    let year = period.span.to;
    let mut filters = Filters::default();
    let status = filters.take(("核实状态", "Status"), &bq.status, Status::parse);
    let query = CommitmentQuery {
        q: bq.q.clone(),
        years: Some(period.span),
        branch: bq.branch.trim().to_string(),
        status,
        page: bq.page.unwrap_or(1).max(1),
        per_page: PER_PAGE,
    };
    let Page { total, items } = state.store.commitments(&unit, &caller.scope, &query).await?;
    let mpage = bq.mpage.unwrap_or(1).max(1);
    let Page { total: missing_total, items: missing } =
        state.store.members_without_commitment(&unit, &caller.scope, year, mpage, PER_PAGE).await?;
    let mut rows = vec![];
    for c in items {
        let path = state.store.unit(c.commitment.unit_id).await?.path;
        let can = may_verify(&caller, &c.commitment, &path);
        rows.push(row(&c.commitment, c.person_name, c.unit_name, can));
    }
    let figures = state.store.figures(unit.id, period.span).await?;
    let mut page_chrome = chrome(&caller, "commitments", &format!("/commitments?unit={}", unit.id));
    if !bq.verified.is_empty() {
        page_chrome.flash = Some(caller.lang.t("commitments.verified").to_string());
    }
    render(&CommitmentBoardPage {
        filter_problems: filters.problems(),
        chrome: page_chrome,
        unit: UnitRef::from(&unit),
        unit_nav: super::unit_nav(&state, &caller, &unit, "/commitments").await?,
        year,
        period: period.view(caller.lang, &board_path(unit.id.0, &bq)),
        status: status.map(|s| s.code().to_string()).unwrap_or_default(),
        q: bq.q,
        branch: bq.branch.trim().to_string(),
        statuses: commitment_status_choices(),
        rows,
        page: query.page,
        pages: qizhi_store::page::pages(total, PER_PAGE),
        total,
        missing: missing
            .iter()
            .map(|p| MissingRow {
                name: p.person.fields.name.clone(),
                unit_name: p.unit_name.clone(),
                post: p.person.fields.post.clone().unwrap_or_default(),
            })
            .collect(),
        missing_total,
        missing_page: mpage,
        missing_pages: qizhi_store::page::pages(missing_total, PER_PAGE),
        tiles: tiles_of(&figures, &["commitments."]),
    })
}

/// The board's own address with its filters, for the period control.
fn board_path(unit: i64, bq: &BoardQuery) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("unit", &unit.to_string());
    for (k, v) in [("status", &bq.status), ("q", &bq.q), ("branch", &bq.branch)] {
        if !v.trim().is_empty() {
            q.append_pair(k, v.trim());
        }
    }
    format!("/commitments?{}", q.finish())
}

/// `POST /commitments/{id}/verify` (form: `csrf`, `result` = fulfilled |
/// unfulfilled, `comment`, `back`)
///
/// Unit admins and reviewers of the commitment's unit (and system admins),
/// not on their own commitment. Viewers in scope, and anyone verifying their
/// own: 403. Out of scope: 404. Invalid verdict (not fulfilled without a
/// comment): 422.
pub async fn verify(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    form: Fields,
) -> PageResult<Response> {
    // Its own member knows it exists: their verdict is refused (403), not hidden.
    let (c, path) = access::commitment(&state, &caller, id, Need::Read).await?;
    access::require(&state, &caller, may_verify(&caller, &c, &path), "commitment", id, &path).await?;
    let unit = state.store.unit(c.unit_id).await?;
    let (status, comment) = VerifyInput { result: form.text("result"), comment: form.opt("comment") }.validate()?;
    let by = caller.user.display_name.clone();
    caller.store(&state).verify_commitment(c.id, status, comment.as_deref(), &by, today()).await?;
    let back = back_to(&form.text("back"), &format!("/commitments?unit={}", unit.id));
    Ok(see_other(&with_param(&back, "verified=1")))
}

/// `POST /commitments/verify` (form: `csrf`, `ids` (repeated), `result`,
/// `comment`, `back`) — one verdict on the commitments ticked on the board.
///
/// Every commitment must be one the caller may verify (as for one alone);
/// the first that is not refuses the whole request, recorded, and nothing
/// is written. None ticked: 422.
pub async fn verify_many(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    form: Fields,
) -> PageResult<Response> {
    let ids = form.ids("ids")?;
    if ids.is_empty() {
        return Err(AppError::Invalid(vec![qizhi_core::FieldError::new(
            "ids",
            "请先勾选要核实的承诺 (tick the commitments to verify)",
        )])
        .into());
    }
    let mut checked = Vec::with_capacity(ids.len());
    let mut back_unit = None;
    for id in ids {
        let (c, path) = access::commitment(&state, &caller, id, Need::Read).await?;
        access::require(&state, &caller, may_verify(&caller, &c, &path), "commitment", id, &path).await?;
        back_unit.get_or_insert(c.unit_id);
        checked.push(c.id);
    }
    let (status, comment) = VerifyInput { result: form.text("result"), comment: form.opt("comment") }.validate()?;
    let by = caller.user.display_name.clone();
    caller.store(&state).verify_commitments(&checked, status, comment.as_deref(), &by, today()).await?;
    let fallback = back_unit.map_or_else(|| "/commitments".to_string(), |u| format!("/commitments?unit={}", u.0));
    let back = back_to(&form.text("back"), &fallback);
    Ok(see_other(&with_param(&back, "verified=1")))
}

// ---------------------------------------------------------------------------
// A member's own page

async fn my_page(
    state: &AppState,
    caller: &Caller,
    form: CommitmentForm,
    errors: Vec<String>,
) -> Result<MyPage, AppError> {
    let year = this_year();
    let mut page = MyPage {
        chrome: chrome(caller, "my", "/my"),
        person_name: None,
        unit_name: String::new(),
        year,
        tasks: vec![],
        commitments: vec![],
        categories: category_choices(),
        form,
        errors,
        is_member: false,
    };
    let Some(person) = own_person(state, caller).await? else { return Ok(page) };
    let unit = state.store.unit(person.unit_id).await?;
    page.person_name = Some(person.fields.name.clone());
    page.unit_name = unit.short_name.clone().unwrap_or_else(|| unit.name.clone());
    page.is_member = person.fields.category.is_member();
    page.tasks = state.store.tasks_of_person(person.id, 100).await?.iter().map(task_row).collect();
    page.commitments = state
        .store
        .commitments_of(person.id, None)
        .await?
        .iter()
        .take(20)
        .map(|c| row(c, person.fields.name.clone(), page.unit_name.clone(), false))
        .collect();
    Ok(page)
}

/// The person the caller's account belongs to, if linked.
async fn own_person(state: &AppState, caller: &Caller) -> Result<Option<Person>, AppError> {
    match caller.user.person_id {
        Some(p) => Ok(Some(state.store.person(p).await?)),
        None => Ok(None),
    }
}

/// `GET /my`
///
/// Anyone signed in: the tasks their person answers for and their own
/// commitments (an account not linked to a person sees how to get linked).
pub async fn my(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(mq): Query<flash::FlashQuery>,
) -> PageResult<Html<String>> {
    let form = CommitmentForm { category: "work".into(), ..Default::default() };
    let mut page = my_page(&state, &caller, form, vec![]).await?;
    page.chrome.flash = flash::message(caller.lang, mq.flash.as_deref());
    render(&page)
}

fn read_form(form: &Fields) -> (CommitmentForm, CommitmentInput) {
    let values = CommitmentForm {
        text: form.text("text"),
        category: form.text("category"),
        due_on: form.text("due_on"),
        progress_note: form.text("progress_note"),
    };
    let input = CommitmentInput {
        year: form.text("year"),
        text: values.text.clone(),
        category: form.opt("category"),
        due_on: form.opt("due_on"),
        progress_note: form.opt("progress_note"),
    };
    (values, input)
}

/// `POST /my/commitments` (form: `csrf`, `year`, `text`, `category`, `due_on`)
///
/// A signed-in party member whose account is linked to their person: their
/// own commitment. An account without a person: 403. A person who is not a
/// party member, or invalid fields: the page again, 422.
pub async fn my_create(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    form: Fields,
) -> PageResult<Response> {
    let Some(person) = caller.user.person_id else {
        return Err(caller.deny(&state, "commitment", "new", None, AppError::forbidden()).await.into());
    };
    let (values, input) = read_form(&form);
    let done = async {
        let fields = input.validate()?;
        Ok::<_, AppError>(caller.store(&state).create_commitment(person, &fields).await?)
    };
    again::settle(
        done.await,
        |_| flash::redirect("/my#commitments", "commitments.created"),
        |errors| my_page(&state, &caller, values, errors),
    )
    .await
}

/// `POST /my/commitments/{id}` (form: `csrf`, `year`, `text`, `category`,
/// `due_on`, `progress_note`)
///
/// Only the member who made it, while it is pending; a verified one: 422.
/// Anyone else (admins included; they verify, not rewrite): 404.
pub async fn my_update(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    form: Fields,
) -> PageResult<Response> {
    let c = access::own_commitment(&state, &caller, id).await?;
    let (values, input) = read_form(&form);
    let done = async {
        let fields = input.validate()?;
        Ok::<_, AppError>(caller.store(&state).update_commitment(c.id, &fields).await?)
    };
    again::settle(
        done.await,
        |_| flash::redirect("/my#commitments", "commitments.updated"),
        |errors| my_page(&state, &caller, values, errors),
    )
    .await
}

/// `POST /my/commitments/{id}/delete` (form: `csrf`)
///
/// Only the member who made it, while it is pending; a verified one: 422.
/// Anyone else: 404.
pub async fn my_delete(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    _form: Fields,
) -> PageResult<Response> {
    let c = access::own_commitment(&state, &caller, id).await?;
    let done = caller.store(&state).delete_commitment(c.id).await.map_err(AppError::from);
    let saved = |_| flash::redirect("/my#commitments", "commitments.withdrawn");
    again::settle(done, saved, |errors| my_page(&state, &caller, CommitmentForm::default(), errors)).await
}
