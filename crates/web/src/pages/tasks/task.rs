//! The task pages: lists per unit subtree with filters, charts and bulk
//! edit; one task with its progress ledger, where its responsible people
//! report progress from a phone; the task form.

use axum::extract::{Multipart, Path, Query, State};
use axum::response::{Html, Response};
use qizhi_core::date::{this_year, today};
use qizhi_core::file::FileKind;
use qizhi_core::ids::{EntryId, FortressId, PersonId, TeamId};
use qizhi_core::org::Unit;
use qizhi_core::tasks::{EntryInput, Priority, Task, TaskInput, TaskKind, TaskStatus};
use qizhi_store::Page;
use qizhi_store::tasks::{BulkChange, NewFile, TaskQuery};
use serde::Deserialize;

use super::{PER_PAGE, back_to, parse_opt, people_choices, see_other, task_row, unit_nav, unit_of, with_param};
use crate::AppState;
use crate::access::{self, Need};
use crate::auth::{Caller, PageCaller};
use crate::error::{AppError, PageResult};
use crate::kit::again;
use crate::kit::filter::{self, Filters};
use crate::kit::flash;
use crate::kit::form::Fields;
use crate::kit::period::Period;
use crate::pages::{chrome, render, short_ref};
use crate::views::UnitRef;
use crate::views::tasks::{
    Choice, EntryForm, EntryRow, TaskDetail, TaskFilter, TaskForm, TaskFormPage, TaskListPage, TaskPage,
    kind_chart_json, kind_choices, overdue_chart_json, priority_choices, status_choices, task_tiles,
};

// ---------------------------------------------------------------------------
// The list

#[derive(Deserialize, Default)]
pub struct ListQuery {
    unit: Option<i64>,
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    due_from: String,
    #[serde(default)]
    due_to: String,
    #[serde(default)]
    overdue: String,
    #[serde(default)]
    stalled: String,
    #[serde(default)]
    fortress: String,
    #[serde(default)]
    team: String,
    page: Option<i64>,
    /// Tasks changed by a bulk edit just made.
    bulk: Option<i64>,
}

/// The task list's status filter for "not finished, not cancelled" (its default).
const OPEN: &str = "open";

/// `GET /tasks?unit=&q=&kind=&status=&from=&to=&due_from=&due_to=&overdue=1&stalled=1&fortress=&team=&page=`
///
/// Anyone who may read the unit (admins, reviewers, viewers in scope): the
/// tasks of its subtree. Out of scope: 404. Members without a read grant:
/// 404 (their tasks are on `/my`).
pub async fn list(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(lq): Query<ListQuery>,
    period: Period,
) -> PageResult<Html<String>> {
    let unit = unit_of(&state, &caller, lq.unit).await?;
    let mut query = TaskQuery::new(today());
    let mut filters = Filters::default();
    query.q = lq.q.clone();
    query.kind = filters.take(("任务类别", "Kind"), &lq.kind, TaskKind::parse);
    // Unless a status is asked for, the list is of the tasks still open
    // (by due date, so the overdue come first); `status=all` lists every one.
    let status = match lq.status.trim() {
        "" | OPEN => None,
        "all" => Some(None),
        s => filters.take(("状态", "Status"), s, TaskStatus::parse).map(Some),
    };
    query.open = status.is_none();
    query.status = status.flatten();
    query.years = Some(period.span);
    query.due_from = filters.take(("完成时限（起）", "Due from"), &lq.due_from, qizhi_core::date::parse);
    query.due_to = filters.take(("完成时限（止）", "Due to"), &lq.due_to, qizhi_core::date::parse);
    query.overdue = !lq.overdue.is_empty();
    query.stalled = !lq.stalled.is_empty();
    query.fortress = filters.take(("所属堡垒", "Fortress"), &lq.fortress, filter::id).map(FortressId);
    query.team = filters.take(("承担队伍", "Team"), &lq.team, filter::id).map(TeamId);
    query.page = lq.page.unwrap_or(1).max(1);
    query.per_page = PER_PAGE;
    let Page { total, items: tasks } = state.store.tasks(&unit, &caller.scope, &query).await?;

    let span = period.span;
    let here = list_path(&lq, unit.id.0);
    let figures = state.store.figures(unit.id, span).await?;
    let (kind_tiles, tiles) = task_tiles(&figures);
    let mut by_unit = vec![];
    let kids = state.store.children(unit.id).await?;
    for c in kids.iter().filter(|c| caller.can_read(&c.unit.path)) {
        let f = state.store.figures(c.unit.id, span).await?;
        by_unit.push((short_ref(&c.unit).name, f["tasks.overdue"].count().unwrap_or(0)));
    }
    let fortresses = state.store.fortress_choices(&unit, 300).await?;
    let teams = state.store.team_choices(&unit, 300).await?;
    let mut page_chrome = chrome(&caller, "tasks", &format!("/tasks?unit={}", unit.id));
    if let Some(n) = lq.bulk {
        page_chrome.flash = Some(caller.lang.tn("tasks.bulk_done", n));
    }
    let page = TaskListPage {
        chrome: page_chrome,
        unit: UnitRef::from(&unit),
        unit_nav: unit_nav(&state, &caller, &unit, "/tasks").await?,
        filter: TaskFilter {
            q: lq.q,
            kind: query.kind.map(|k| k.code().to_string()).unwrap_or_default(),
            status: match (query.open, query.status) {
                (true, _) => OPEN.to_string(),
                (false, Some(s)) => s.code().to_string(),
                (false, None) => "all".to_string(),
            },
            due_from: lq.due_from,
            due_to: lq.due_to,
            overdue: query.overdue,
            stalled: query.stalled,
            fortress: lq.fortress,
            team: lq.team,
        },
        rows: tasks.iter().map(task_row).collect(),
        page: query.page,
        pages: qizhi_store::page::pages(total, PER_PAGE),
        total,
        can_edit: caller.can_edit(&unit.path),
        kinds: kind_choices(),
        statuses: status_choices(),
        priorities: priority_choices(),
        fortresses: fortresses.iter().map(|(id, c, n)| Choice::record(id.0, c, n)).collect(),
        teams: teams.iter().map(|(id, c, n)| Choice::record(id.0, c, n)).collect(),
        period: period.view(caller.lang, &here),
        kind_tiles,
        tiles,
        kind_chart: kind_chart_json(caller.lang, &figures),
        overdue_chart: overdue_chart_json(caller.lang, &by_unit),
        overdue_chart_height: crate::views::chart_height(by_unit.len()),
        filter_problems: filters.problems(),
    };
    render(&page)
}

/// The list's own address with its filters, for the period control.
fn list_path(lq: &ListQuery, unit: i64) -> String {
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("unit", &unit.to_string());
    for (k, v) in [
        ("q", &lq.q),
        ("kind", &lq.kind),
        ("status", &lq.status),
        ("due_from", &lq.due_from),
        ("due_to", &lq.due_to),
        ("overdue", &lq.overdue),
        ("stalled", &lq.stalled),
        ("fortress", &lq.fortress),
        ("team", &lq.team),
    ] {
        if !v.trim().is_empty() {
            q.append_pair(k, v);
        }
    }
    format!("/tasks?{}", q.finish())
}

/// `POST /tasks/bulk` (form: `csrf`, `ids`…, `status`, `priority`, `due_on`,
/// `year`, `team`, `fortress`, `back`)
///
/// Unit admins (and system admins) whose scope holds every chosen task; one
/// task outside it: 404 (outside the caller's reading scope) or 403 (readable
/// but not editable), and nothing changes. Viewers and reviewers in scope,
/// and members on a task they answer for: 403; members on any other: 404.
pub async fn bulk(State(state): State<AppState>, PageCaller(caller): PageCaller, form: Fields) -> PageResult<Response> {
    let ids = form.ids("ids")?;
    let back = back_to(&form.text("back"), "/tasks");
    if ids.is_empty() {
        return Err(AppError::BadRequest(caller.lang.t("tasks.bulk_none").to_string()).into());
    }
    let mut change = BulkChange {
        status: parse_opt(&form.text("status"), TaskStatus::parse)?,
        priority: parse_opt(&form.text("priority"), Priority::parse)?,
        due_on: parse_opt(&form.text("due_on"), qizhi_core::date::parse)?.map(Some),
        year: parse_opt(&form.text("year"), qizhi_core::tasks::parse_year)?,
        ..Default::default()
    };
    for (key, slot) in [("team", 0), ("fortress", 1)] {
        let v = form.text(key);
        let value = match v.as_str() {
            "" => continue,
            "none" => None,
            id => Some(id.parse::<i64>().map_err(|_| AppError::BadRequest(format!("{key}: {id}")))?),
        };
        if slot == 0 {
            change.team_id = Some(value.map(TeamId));
        } else {
            change.fortress_id = Some(value.map(FortressId));
        }
    }
    if change.is_empty() {
        return Err(AppError::BadRequest(caller.lang.t("tasks.bulk_hint").to_string()).into());
    }
    let mut task_ids = vec![];
    for id in ids {
        let (task, unit, _) = access::task(&state, &caller, id, Need::Read).await?;
        if !caller.can_edit(&unit.path) {
            return Err(caller.deny(&state, "task", id, Some(&unit.path), AppError::forbidden()).await.into());
        }
        task_ids.push(task.id);
    }
    let changed = caller.store(&state).bulk_update_tasks(&task_ids, &change).await?;
    Ok(see_other(&with_param(&back, &format!("bulk={}", changed.len()))))
}

// ---------------------------------------------------------------------------
// One task and its ledger

async fn task_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    form: EntryForm,
    errors: Vec<String>,
) -> Result<TaskPage, AppError> {
    let (task, unit, mine) = access::task(state, caller, id, Need::Read).await?;
    let listed = state.store.task_listed(task.id).await?;
    let entries = state.store.entries(task.id).await?;
    let can_edit = caller.can_edit(&unit.path);
    let f = &task.fields;
    let target = match (f.target, f.target_unit.as_deref()) {
        (Some(t), Some(u)) => format!("{t} {u}"),
        (Some(t), None) => t.to_string(),
        _ => String::new(),
    };
    Ok(TaskPage {
        chrome: chrome(caller, if mine && !can_edit { "my" } else { "tasks" }, &format!("/tasks/{id}")),
        task: TaskDetail {
            row: task_row(&listed),
            unit: UnitRef::from(&unit),
            description: f.description.clone().unwrap_or_default(),
            target,
            start: f.start_on.map(qizhi_core::date::iso).unwrap_or_default(),
            last_entry: task.last_entry_on.map(qizhi_core::date::iso).unwrap_or_default(),
            fortress_id: f.fortress_id.map(|x| x.0),
            team_id: f.team_id.map(|x| x.0),
            brand_id: f.brand_id,
        },
        // Only the latest entry is corrected, and only by the person who posted it.
        correctable: entries
            .first()
            .filter(|e| mine && e.entry.person_id.is_some() && e.entry.person_id == caller.user.person_id)
            .map(|e| e.entry.id.0),
        entries: entries
            .into_iter()
            .map(|e| EntryRow {
                id: e.entry.id.0,
                date: qizhi_core::date::iso(e.entry.fields.entry_on),
                progress: e.entry.fields.progress,
                note: e.entry.fields.note.clone().unwrap_or_default(),
                by: e.person_name.clone().unwrap_or_else(|| e.entry.created_by.clone()),
                files: e.files.iter().map(|f| (f.id, f.name.clone(), f.kind.is_image())).collect(),
            })
            .collect(),
        // A finished or cancelled task takes no more progress.
        can_post: (mine || can_edit) && !matches!(f.status, TaskStatus::Done | TaskStatus::Cancelled),
        can_edit,
        mine,
        today: qizhi_core::date::iso(today()),
        // The form starts from the progress as it stands.
        form: if form.progress.is_empty() { EntryForm { progress: task.progress.to_string(), ..form } } else { form },
        errors,
    })
}

/// `GET /tasks/{id}`
///
/// Its responsible people (their own record, wherever it is) and anyone who
/// may read its unit (admins, reviewers, viewers in scope). Anyone else: 404.
pub async fn show(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Query(sq): Query<flash::FlashQuery>,
) -> PageResult<Html<String>> {
    let form = EntryForm { entry_on: qizhi_core::date::iso(today()), ..Default::default() };
    let mut page = task_page(&state, &caller, id, form, vec![]).await?;
    page.chrome.flash = flash::message(caller.lang, sq.flash.as_deref());
    render(&page)
}

/// `POST /tasks/{id}/entries` (multipart: `csrf`, `progress`, `entry_on`,
/// `note`, `evidence` files)
///
/// Its responsible people (posting as themselves) and unit admins in scope.
/// Viewers and reviewers in scope: 403. Anyone else (members not responsible
/// for it included: they may not read it): 404.
pub async fn post_entry(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> PageResult<Response> {
    // Who may post is decided before the files are read.
    let (task, unit, mine) = access::task(&state, &caller, id, Need::Read).await?;
    if !mine && !caller.can_edit(&unit.path) {
        return Err(caller.deny(&state, "task", id, Some(&unit.path), AppError::forbidden()).await.into());
    }
    let posted = Fields::read(multipart).await?;
    let form =
        EntryForm { progress: posted.text("progress"), entry_on: posted.text("entry_on"), note: posted.text("note") };
    let (mut files, mut errors) = (vec![], vec![]);
    for upload in posted.files("evidence", &FileKind::ALL) {
        match upload {
            Ok(u) => files.push(NewFile { name: u.name, kind: u.kind, bytes: u.bytes }),
            Err(e) => errors.extend(again::messages(e)?),
        }
    }
    let input = EntryInput {
        entry_on: Some(form.entry_on.clone()),
        progress: form.progress.clone(),
        note: Some(form.note.clone()),
    };
    let fields = match input.validate(today()) {
        Ok(f) if errors.is_empty() => f,
        Ok(_) => return send_back(&state, &caller, id, form, errors).await,
        Err(e) => {
            errors.extend(again::messages(e.into())?);
            return send_back(&state, &caller, id, form, errors).await;
        }
    };
    let person = if mine { caller.user.person_id } else { None };
    caller.store(&state).post_entry(task.id, &fields, person, &files).await?;
    Ok(flash::redirect(&format!("/tasks/{id}#ledger"), "tasks.posted"))
}

/// `POST /tasks/{id}/entries/{entry}` (csrf, `progress`, `entry_on`, `note`)
///
/// The responsible person who posted the task's latest entry corrects it;
/// another entry, or someone else's: 422 with the reason. Those who may
/// read the task but are not among its people: 403; anyone else: 404.
pub async fn correct_entry(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, entry)): Path<(i64, i64)>,
    form: Fields,
) -> PageResult<Response> {
    let (task, unit, mine) = access::task(&state, &caller, id, Need::Read).await?;
    let Some(person) = caller.user.person_id.filter(|_| mine) else {
        return Err(caller.deny(&state, "task", id, Some(&unit.path), AppError::forbidden()).await.into());
    };
    let input = EntryInput {
        entry_on: Some(form.text("entry_on")),
        progress: form.text("progress"),
        note: Some(form.text("note")),
    };
    let done = match input.validate(today()) {
        Ok(fields) => {
            caller.store(&state).correct_entry(task.id, EntryId(entry), &fields, person).await.map_err(AppError::from)
        }
        Err(e) => Err(e.into()),
    };
    again::settle(
        done,
        |_| flash::redirect(&format!("/tasks/{id}#ledger"), "tasks.corrected"),
        |errors| task_page(&state, &caller, id, EntryForm::default(), errors),
    )
    .await
}

async fn send_back(
    state: &AppState,
    caller: &Caller,
    id: i64,
    form: EntryForm,
    errors: Vec<String>,
) -> PageResult<Response> {
    let page = task_page(state, caller, id, form, errors).await?;
    again::page(&page)
}

// ---------------------------------------------------------------------------
// The task form

async fn form_page(
    state: &AppState,
    caller: &Caller,
    unit: &Unit,
    task: Option<&Task>,
    form: TaskForm,
    errors: Vec<String>,
) -> Result<TaskFormPage, AppError> {
    let keep: Vec<PersonId> = form.responsible.iter().filter_map(|v| v.parse().ok()).map(PersonId).collect();
    let fortresses = state.store.fortress_choices(unit, 300).await?;
    let teams = state.store.team_choices(unit, 300).await?;
    let (action, cancel) = match task {
        Some(t) => (format!("/tasks/{}", t.id), format!("/tasks/{}", t.id)),
        None => ("/tasks".to_string(), format!("/tasks?unit={}", unit.id)),
    };
    Ok(TaskFormPage {
        chrome: chrome(caller, "tasks", &action),
        unit: UnitRef::from(unit),
        action,
        cancel,
        is_new: task.is_none(),
        form,
        errors,
        kinds: kind_choices(),
        statuses: status_choices(),
        priorities: priority_choices(),
        people: people_choices(state, unit, &keep).await?,
        fortresses: fortresses.iter().map(|(id, c, n)| Choice::record(id.0, c, n)).collect(),
        teams: teams.iter().map(|(id, c, n)| Choice::record(id.0, c, n)).collect(),
    })
}

fn form_of(task: &Task) -> TaskForm {
    let f = &task.fields;
    TaskForm {
        code: task.code.clone(),
        kind: f.kind.code().into(),
        name: f.name.clone(),
        description: f.description.clone().unwrap_or_default(),
        target: f.target.map(|t| t.to_string()).unwrap_or_default(),
        target_unit: f.target_unit.clone().unwrap_or_default(),
        year: f.year.to_string(),
        start_on: f.start_on.map(qizhi_core::date::iso).unwrap_or_default(),
        due_on: f.due_on.map(qizhi_core::date::iso).unwrap_or_default(),
        status: f.status.code().into(),
        priority: f.priority.code().into(),
        responsible: f.responsible.iter().map(|p| p.0.to_string()).collect(),
        fortress: f.fortress_id.map(|x| x.0.to_string()).unwrap_or_default(),
        team: f.team_id.map(|x| x.0.to_string()).unwrap_or_default(),
        brand: f.brand_id.map(|x| x.to_string()).unwrap_or_default(),
    }
}

/// The form as sent, and its input for validation.
fn read_form(form: &Fields) -> Result<(TaskForm, TaskInput), AppError> {
    let values = TaskForm {
        code: form.text("code"),
        kind: form.text("kind"),
        name: form.text("name"),
        description: form.text("description"),
        target: form.text("target"),
        target_unit: form.text("target_unit"),
        year: form.text("year"),
        start_on: form.text("start_on"),
        due_on: form.text("due_on"),
        status: form.text("status"),
        priority: form.text("priority"),
        responsible: form.chosen("responsible"),
        fortress: form.text("fortress"),
        team: form.text("team"),
        brand: form.text("brand"),
    };
    let input = TaskInput {
        code: form.opt("code"),
        kind: values.kind.clone(),
        name: values.name.clone(),
        description: form.opt("description"),
        fortress_id: form.id("fortress")?,
        team_id: form.id("team")?,
        brand_id: form.id("brand")?,
        responsible: form.ids("responsible")?,
        target: form.opt("target"),
        target_unit: form.opt("target_unit"),
        year: form.opt("year"),
        start_on: form.opt("start_on"),
        due_on: form.opt("due_on"),
        status: form.opt("status"),
        priority: form.opt("priority"),
    };
    Ok((values, input))
}

/// `GET /tasks/new?unit=`
///
/// Unit admins of the unit (and system admins). Viewers and reviewers in
/// scope: 403. Out of scope, and members (no read grant): 404.
pub async fn new_form(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(nq): Query<super::UnitQuery>,
) -> PageResult<Html<String>> {
    let unit = unit_of(&state, &caller, nq.unit).await?;
    let unit = access::unit(&state, &caller, unit.id.0, Need::Edit).await?;
    let form = TaskForm {
        kind: TaskKind::Target.code().into(),
        status: TaskStatus::NotStarted.code().into(),
        priority: Priority::Normal.code().into(),
        year: this_year().to_string(),
        ..Default::default()
    };
    render(&form_page(&state, &caller, &unit, None, form, vec![]).await?)
}

/// `POST /tasks` (form: `csrf`, `unit`, the task's fields)
///
/// Unit admins of `unit` (and system admins). Viewers and reviewers in scope:
/// 403. Out of scope, and members (no read grant): 404. Invalid fields: the
/// form again, 422.
pub async fn create(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    form: Fields,
) -> PageResult<Response> {
    let unit_id = form.id("unit")?.ok_or_else(AppError::not_found)?;
    let unit = access::unit(&state, &caller, unit_id, Need::Edit).await?;
    let (values, input) = read_form(&form)?;
    let done = async {
        let (code, fields) = input.validate()?;
        Ok::<_, AppError>(caller.store(&state).create_task(unit.id, code.as_deref(), &fields).await?)
    };
    again::settle(
        done.await,
        |t| flash::redirect(&format!("/tasks/{}", t.id), "tasks.saved"),
        |errors| form_page(&state, &caller, &unit, None, values, errors),
    )
    .await
}

/// `GET /tasks/{id}/edit`
///
/// Unit admins of its unit (and system admins). Responsible people, viewers,
/// reviewers in scope: 403. Anyone else: 404.
pub async fn edit_form(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
) -> PageResult<Html<String>> {
    let (task, unit, _) = access::task(&state, &caller, id, Need::Read).await?;
    if !caller.can_edit(&unit.path) {
        return Err(caller.deny(&state, "task", id, Some(&unit.path), AppError::forbidden()).await.into());
    }
    render(&form_page(&state, &caller, &unit, Some(&task), form_of(&task), vec![]).await?)
}

/// `POST /tasks/{id}` (form: `csrf`, the task's fields)
///
/// Unit admins of its unit (and system admins). Responsible people, viewers,
/// reviewers in scope: 403. Anyone else: 404. Invalid: the form again, 422.
pub async fn update(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    form: Fields,
) -> PageResult<Response> {
    let (task, unit, _) = access::task(&state, &caller, id, Need::Read).await?;
    if !caller.can_edit(&unit.path) {
        return Err(caller.deny(&state, "task", id, Some(&unit.path), AppError::forbidden()).await.into());
    }
    let (values, input) = read_form(&form)?;
    let done = async {
        let (code, fields) = input.validate()?;
        Ok::<_, AppError>(caller.store(&state).update_task(task.id, code.as_deref(), &fields).await?)
    };
    again::settle(
        done.await,
        |_| flash::redirect(&format!("/tasks/{id}"), "tasks.saved"),
        |errors| form_page(&state, &caller, &unit, Some(&task), values, errors),
    )
    .await
}
