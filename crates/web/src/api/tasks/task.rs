//! Tasks and their progress ledgers: list a unit's subtree with filters,
//! read, create, edit, bulk edit, post progress (JSON, or multipart with
//! evidence files), a member's own tasks.
//!
//! Who may call: reads — its responsible people and anyone who may read its
//! unit; writes — unit admins in scope; progress — its responsible people and
//! unit admins in scope. Out of scope: 404; in scope without the right: 403.

use axum::Json;
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::{StatusCode, header};
use qizhi_core::date::today;
use qizhi_core::file::FileKind;
use qizhi_core::ids::{FortressId, PersonId, TaskId, TeamId};
use qizhi_core::tasks::{EntryInput, Priority, TaskInput, TaskKind, TaskStatus};
use qizhi_store::Page;
use qizhi_store::tasks::{BulkChange, EntryListed, NewFile, TaskListed, TaskQuery};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::access::{self, Need};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use crate::kit::form::Fields;

#[derive(Serialize, ToSchema)]
pub struct PersonName {
    id: i64,
    name: String,
}

#[derive(Serialize, ToSchema)]
pub struct TaskView {
    id: i64,
    code: String,
    unit_id: i64,
    unit_code: String,
    unit_name: String,
    /// `target`, `tackling`, `urgent`, `key_work`, `blockage` or `brand`.
    kind: String,
    name: String,
    description: Option<String>,
    fortress_id: Option<i64>,
    fortress_code: Option<String>,
    team_id: Option<i64>,
    team_code: Option<String>,
    /// The brand a brand task serves.
    brand_id: Option<i64>,
    /// The leading one first.
    responsible: Vec<PersonName>,
    target: Option<f64>,
    target_unit: Option<String>,
    year: i32,
    start_on: Option<String>,
    due_on: Option<String>,
    /// `not_started`, `in_progress`, `done` or `cancelled`.
    status: String,
    /// `high`, `normal` or `low`.
    priority: String,
    /// 0–100, the latest progress entry's.
    progress: i32,
    last_entry_on: Option<String>,
    latest_note: Option<String>,
    /// Open and past due today.
    overdue: bool,
    /// Open and without progress for more than 30 days.
    stalled: bool,
}

impl TaskView {
    pub fn new(t: &TaskListed) -> Self {
        let f = &t.task.fields;
        let now = today();
        TaskView {
            id: t.task.id.0,
            code: t.task.code.clone(),
            unit_id: t.task.unit_id.0,
            unit_code: t.unit_code.clone(),
            unit_name: t.unit_name.clone(),
            kind: f.kind.code().into(),
            name: f.name.clone(),
            description: f.description.clone(),
            fortress_id: f.fortress_id.map(|x| x.0),
            fortress_code: t.fortress.as_ref().map(|(c, _)| c.clone()),
            team_id: f.team_id.map(|x| x.0),
            team_code: t.team.as_ref().map(|(c, _)| c.clone()),
            brand_id: f.brand_id,
            responsible: t.responsible.iter().map(|(p, n)| PersonName { id: p.0, name: n.clone() }).collect(),
            target: f.target,
            target_unit: f.target_unit.clone(),
            year: f.year,
            start_on: f.start_on.map(qizhi_core::date::iso),
            due_on: f.due_on.map(qizhi_core::date::iso),
            status: f.status.code().into(),
            priority: f.priority.code().into(),
            progress: t.task.progress,
            last_entry_on: t.task.last_entry_on.map(qizhi_core::date::iso),
            latest_note: t.latest_note.clone(),
            overdue: t.task.is_overdue(now),
            stalled: t.task.is_stalled(now),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TaskPage {
    total: i64,
    page: i64,
    per_page: i64,
    items: Vec<TaskView>,
}

/// A task to create or the new state of one to edit. Kind, status and
/// priority accept codes or Chinese labels; dates `YYYY-MM-DD`.
#[derive(Deserialize, ToSchema)]
pub struct TaskBody {
    /// The owning unit (create only; ignored when editing).
    unit_id: Option<i64>,
    /// Empty when creating: assigned (`T000042`).
    code: Option<String>,
    kind: String,
    name: String,
    description: Option<String>,
    fortress_id: Option<i64>,
    team_id: Option<i64>,
    brand_id: Option<i64>,
    #[serde(default)]
    responsible: Vec<i64>,
    target: Option<f64>,
    target_unit: Option<String>,
    /// Default: the year of the due date, else of the start date.
    year: Option<i32>,
    start_on: Option<String>,
    due_on: Option<String>,
    status: Option<String>,
    priority: Option<String>,
}

impl TaskBody {
    fn input(&self) -> TaskInput {
        TaskInput {
            code: self.code.clone(),
            kind: self.kind.clone(),
            name: self.name.clone(),
            description: self.description.clone(),
            fortress_id: self.fortress_id,
            team_id: self.team_id,
            brand_id: self.brand_id,
            responsible: self.responsible.clone(),
            target: self.target.map(|t| t.to_string()),
            target_unit: self.target_unit.clone(),
            year: self.year.map(|y| y.to_string()),
            start_on: self.start_on.clone(),
            due_on: self.due_on.clone(),
            status: self.status.clone(),
            priority: self.priority.clone(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Exact code or part of the name.
    q: Option<String>,
    kind: Option<String>,
    status: Option<String>,
    year: Option<i32>,
    /// Due on or after (`YYYY-MM-DD`).
    due_from: Option<String>,
    /// Due on or before.
    due_to: Option<String>,
    /// Only open tasks past due today.
    #[serde(default)]
    overdue: bool,
    /// Only open tasks without progress for more than 30 days.
    #[serde(default)]
    stalled: bool,
    fortress_id: Option<i64>,
    team_id: Option<i64>,
    /// 1-based.
    page: Option<i64>,
    /// Default 50, max 1000.
    per_page: Option<i64>,
}

fn bad(e: String) -> AppError {
    AppError::BadRequest(e)
}

/// Tasks of a unit and everything under it, by due date, a page at a time.
/// Anyone who may read the unit; out of scope: 404.
#[utoipa::path(get, operation_id = "tasks_list", path = "/api/v1/units/{id}/tasks", tag = "tasks", params(("id" = i64, Path), ListQuery), responses((status = 200, body = TaskPage)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(lq): Query<ListQuery>,
) -> AppResult<Json<TaskPage>> {
    let unit = access::unit(&state, &caller, id, Need::Read).await?;
    let mut q = TaskQuery::new(today());
    q.q = lq.q.unwrap_or_default();
    q.kind = lq.kind.as_deref().map(TaskKind::parse).transpose().map_err(bad)?;
    q.status = lq.status.as_deref().map(TaskStatus::parse).transpose().map_err(bad)?;
    q.years = lq.year.map(qizhi_core::figures::Span::year);
    q.due_from = lq.due_from.as_deref().map(qizhi_core::date::parse).transpose().map_err(bad)?;
    q.due_to = lq.due_to.as_deref().map(qizhi_core::date::parse).transpose().map_err(bad)?;
    q.overdue = lq.overdue;
    q.stalled = lq.stalled;
    q.fortress = lq.fortress_id.map(FortressId);
    q.team = lq.team_id.map(TeamId);
    q.page = lq.page.unwrap_or(1).max(1);
    q.per_page = lq.per_page.unwrap_or(50).clamp(1, qizhi_store::MAX_PER_PAGE);
    let Page { total, items } = state.store.tasks(&unit, &caller.scope, &q).await?;
    Ok(Json(TaskPage { total, page: q.page, per_page: q.per_page, items: items.iter().map(TaskView::new).collect() }))
}

/// The tasks the caller's person answers for (empty for an account without a person).
#[utoipa::path(get, operation_id = "tasks_mine", path = "/api/v1/me/tasks", tag = "tasks", responses((status = 200, body = Vec<TaskView>)))]
pub async fn mine(State(state): State<AppState>, caller: Caller) -> AppResult<Json<Vec<TaskView>>> {
    let Some(person) = caller.user.person_id else { return Ok(Json(vec![])) };
    let items = state.store.tasks_of_person(person, 500).await?;
    Ok(Json(items.iter().map(TaskView::new).collect()))
}

/// A task: its responsible people and anyone who may read its unit; anyone else 404.
#[utoipa::path(get, operation_id = "tasks_get", path = "/api/v1/tasks/{id}", tag = "tasks", params(("id" = i64, Path)), responses((status = 200, body = TaskView)))]
pub async fn get(State(state): State<AppState>, caller: Caller, Path(id): Path<i64>) -> AppResult<Json<TaskView>> {
    // One read gives the task, its unit's path and its people: the check
    // `readable_task` makes, without reading the task twice.
    let t = state.store.task_listed(TaskId(id)).await?;
    if !access::is_responsible(&caller, &t.task) && !caller.can_read(&t.unit_path) {
        return Err(caller.deny(&state, "task", id, Some(&t.unit_path), AppError::not_found()).await);
    }
    Ok(Json(TaskView::new(&t)))
}

/// Create a task of a unit the caller administers (403 in scope without the right, 404 outside).
#[utoipa::path(post, operation_id = "tasks_create", path = "/api/v1/tasks", tag = "tasks", request_body = TaskBody, responses((status = 201, body = TaskView)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<TaskBody>,
) -> AppResult<(StatusCode, Json<TaskView>)> {
    let unit_id = body.unit_id.ok_or_else(|| {
        AppError::Invalid(vec![qizhi_core::FieldError::new("unit_id", "请指定所属单位 (unit_id is required)")])
    })?;
    let (code, fields) = body.input().validate()?;
    let unit = access::unit(&state, &caller, unit_id, Need::Edit).await?;
    let t = caller.store(&state).create_task(unit.id, code.as_deref(), &fields).await?;
    Ok((StatusCode::CREATED, Json(TaskView::new(&state.store.task_listed(t.id).await?))))
}

/// Edit a task (unit admins of its unit). Progress stays the ledger's; `done` needs 100%.
#[utoipa::path(put, operation_id = "tasks_update", path = "/api/v1/tasks/{id}", tag = "tasks", params(("id" = i64, Path)), request_body = TaskBody, responses((status = 200, body = TaskView)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<TaskBody>,
) -> AppResult<Json<TaskView>> {
    let (task, unit, _) = access::task(&state, &caller, id, Need::Read).await?;
    if !caller.can_edit(&unit.path) {
        return Err(caller.deny(&state, "task", id, Some(&unit.path), AppError::forbidden()).await);
    }
    let (code, fields) = body.input().validate()?;
    caller.store(&state).update_task(task.id, code.as_deref(), &fields).await?;
    Ok(Json(TaskView::new(&state.store.task_listed(task.id).await?)))
}

/// One change applied to many tasks; absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
pub struct BulkBody {
    ids: Vec<i64>,
    status: Option<String>,
    priority: Option<String>,
    /// `YYYY-MM-DD`; an empty string clears the due date.
    due_on: Option<String>,
    year: Option<i32>,
    /// 0 unlinks.
    fortress_id: Option<i64>,
    /// 0 unlinks.
    team_id: Option<i64>,
    /// Replaces the responsible people.
    responsible: Option<Vec<i64>>,
}

#[derive(Serialize, ToSchema)]
pub struct BulkView {
    /// The tasks as they are afterwards.
    items: Vec<TaskView>,
}

/// Bulk edit: every task must be in the caller's administration (403/404
/// otherwise), and the change must fit every task, or nothing changes.
#[utoipa::path(post, operation_id = "tasks_bulk", path = "/api/v1/tasks/bulk", tag = "tasks", request_body = BulkBody, responses((status = 200, body = BulkView)))]
pub async fn bulk(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<BulkBody>,
) -> AppResult<Json<BulkView>> {
    let invalid = |f: &str, m: String| AppError::Invalid(vec![qizhi_core::FieldError::new(f, m)]);
    let change = BulkChange {
        status: body.status.as_deref().map(TaskStatus::parse).transpose().map_err(|m| invalid("status", m))?,
        priority: body.priority.as_deref().map(Priority::parse).transpose().map_err(|m| invalid("priority", m))?,
        due_on: match body.due_on.as_deref().map(str::trim) {
            None => None,
            Some("") => Some(None),
            Some(d) => Some(Some(qizhi_core::date::parse(d).map_err(|m| invalid("due_on", m))?)),
        },
        year: body.year,
        fortress_id: body.fortress_id.map(|f| (f != 0).then_some(FortressId(f))),
        team_id: body.team_id.map(|t| (t != 0).then_some(TeamId(t))),
        responsible: body.responsible.map(|r| r.into_iter().map(PersonId).collect()),
    };
    if body.ids.is_empty() || change.is_empty() {
        return Err(invalid("ids", "请选择任务并填写要修改的内容 (choose tasks and what to change)".into()));
    }
    let mut ids = vec![];
    for id in &body.ids {
        let (task, unit, _) = access::task(&state, &caller, *id, Need::Read).await?;
        if !caller.can_edit(&unit.path) {
            return Err(caller.deny(&state, "task", id, Some(&unit.path), AppError::forbidden()).await);
        }
        ids.push(task.id);
    }
    caller.store(&state).bulk_update_tasks(&ids, &change).await?;
    let mut items = vec![];
    for id in ids {
        items.push(TaskView::new(&state.store.task_listed(id).await?));
    }
    Ok(Json(BulkView { items }))
}

#[derive(Serialize, ToSchema)]
pub struct FileView {
    id: i64,
    name: String,
    kind: String,
    size: i64,
    /// Where to download it (same access as the task's unit).
    url: String,
}

#[derive(Serialize, ToSchema)]
pub struct EntryView {
    id: i64,
    entry_on: String,
    progress: i32,
    note: Option<String>,
    person_id: Option<i64>,
    person_name: Option<String>,
    created_by: String,
    files: Vec<FileView>,
}

impl EntryView {
    pub(super) fn new(e: &EntryListed) -> Self {
        EntryView {
            id: e.entry.id.0,
            entry_on: qizhi_core::date::iso(e.entry.fields.entry_on),
            progress: e.entry.fields.progress,
            note: e.entry.fields.note.clone(),
            person_id: e.entry.person_id.map(|p| p.0),
            person_name: e.person_name.clone(),
            created_by: e.entry.created_by.clone(),
            files: e
                .files
                .iter()
                .map(|f| FileView {
                    id: f.id,
                    name: f.name.clone(),
                    kind: f.kind.code().into(),
                    size: f.size,
                    url: format!("/files/{}", f.id),
                })
                .collect(),
        }
    }
}

/// A progress entry: as JSON, or as multipart form fields with `evidence` files.
#[derive(Deserialize, ToSchema)]
pub struct EntryBody {
    /// Default today; not in the future.
    entry_on: Option<String>,
    /// 0–100.
    progress: i32,
    note: Option<String>,
}

/// A task's ledger, latest first (same access as the task).
#[utoipa::path(get, operation_id = "tasks_entries", path = "/api/v1/tasks/{id}/entries", tag = "tasks", params(("id" = i64, Path)), responses((status = 200, body = Vec<EntryView>)))]
pub async fn entries(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<EntryView>>> {
    let (task, _, _) = access::task(&state, &caller, id, Need::Read).await?;
    Ok(Json(state.store.entries(task.id).await?.iter().map(EntryView::new).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct PostedView {
    task: TaskView,
    entry: EntryView,
}

/// A progress entry posted as a form, with its evidence files.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct EntryForm {
    /// Default today; not in the future.
    entry_on: Option<String>,
    /// 0–100.
    progress: i32,
    note: Option<String>,
    /// Any number of files (images, PDF, office documents).
    #[schema(value_type = Vec<String>, format = Binary, required = false)]
    evidence: Vec<Vec<u8>>,
}

/// Post progress: its responsible people (as themselves) and unit admins in
/// scope. Viewers and reviewers in scope: 403; anyone else: 404. The latest
/// entry sets the task's progress; 100% completes it.
#[utoipa::path(post, operation_id = "tasks_post_entry", path = "/api/v1/tasks/{id}/entries", tag = "tasks", params(("id" = i64, Path)),
    request_body(content((EntryBody = "application/json"), (EntryForm = "multipart/form-data"))),
    responses((status = 201, body = PostedView)))]
pub async fn post_entry(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    request: Request,
) -> AppResult<(StatusCode, Json<PostedView>)> {
    // Who may post is decided before the body is read.
    let (task, unit, mine) = access::task(&state, &caller, id, Need::Read).await?;
    if !mine && !caller.can_edit(&unit.path) {
        return Err(caller.deny(&state, "task", id, Some(&unit.path), AppError::forbidden()).await);
    }
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let (input, files) = if multipart {
        let posted = Fields::from_request(request, &state).await?;
        let input = EntryInput {
            entry_on: posted.opt("entry_on"),
            progress: posted.text("progress"),
            note: posted.get("note").map(str::to_string),
        };
        let uploads = posted.files("evidence", &FileKind::ALL).into_iter().collect::<AppResult<Vec<_>>>()?;
        let files = uploads.into_iter().map(|u| NewFile { name: u.name, kind: u.kind, bytes: u.bytes }).collect();
        (input, files)
    } else {
        let Json(body) =
            Json::<EntryBody>::from_request(request, &state).await.map_err(|e| AppError::BadRequest(e.body_text()))?;
        (EntryInput { entry_on: body.entry_on, progress: body.progress.to_string(), note: body.note }, vec![])
    };
    let fields = input.validate(today())?;
    let person = if mine { caller.user.person_id } else { None };
    let (_, entry) = caller.store(&state).post_entry(task.id, &fields, person, &files).await?;
    let listed = state.store.entries(task.id).await?;
    let entry = listed.iter().find(|e| e.entry.id == entry.id).ok_or_else(AppError::not_found)?;
    Ok((
        StatusCode::CREATED,
        Json(PostedView {
            task: TaskView::new(&state.store.task_listed(task.id).await?),
            entry: EntryView::new(entry),
        }),
    ))
}
