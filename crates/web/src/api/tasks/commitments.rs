//! Member commitments (亮承诺): a member's own (read, make, update, withdraw),
//! a unit's subtree's (read), those without one yet, and the branch's verdict.
//!
//! Who may call: a member on their own commitments (their account linked to
//! their person); unit admins may also record one for a party member of their
//! scope; readers of a unit see its subtree's; unit admins and reviewers of a
//! commitment's unit verify it, never their own. Out of scope: 404; in scope
//! without the right: 403.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use qizhi_core::commitments::{Commitment, CommitmentInput, Status, VerifyInput};
use qizhi_core::date::today;
use qizhi_core::ids::PersonId;
use qizhi_store::Page;
use qizhi_store::commitments::CommitmentQuery;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::AppState;
use crate::access::{self, Need};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};

#[derive(Serialize, ToSchema)]
pub struct VerificationView {
    by: String,
    on: String,
    comment: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CommitmentView {
    id: i64,
    person_id: i64,
    person_name: Option<String>,
    unit_id: i64,
    year: i32,
    text: String,
    /// `work`, `service`, `study`, `innovation`, `integrity` or `other`.
    category: String,
    due_on: Option<String>,
    progress_note: Option<String>,
    /// `pending`, `fulfilled` or `unfulfilled`.
    status: String,
    verification: Option<VerificationView>,
}

impl CommitmentView {
    pub(super) fn new(c: &Commitment, person_name: Option<String>) -> Self {
        CommitmentView {
            id: c.id.0,
            person_id: c.person_id.0,
            person_name,
            unit_id: c.unit_id.0,
            year: c.fields.year,
            text: c.fields.text.clone(),
            category: c.fields.category.code().into(),
            due_on: c.fields.due_on.map(qizhi_core::date::iso),
            progress_note: c.fields.progress_note.clone(),
            status: c.status.code().into(),
            verification: c.verification.as_ref().map(|v| VerificationView {
                by: v.by.clone(),
                on: qizhi_core::date::iso(v.on),
                comment: v.comment.clone(),
            }),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CommitmentPage {
    total: i64,
    page: i64,
    per_page: i64,
    items: Vec<CommitmentView>,
}

#[derive(Serialize, ToSchema)]
pub struct MissingMember {
    person_id: i64,
    name: String,
    unit_id: i64,
    unit_name: String,
}

#[derive(Serialize, ToSchema)]
pub struct MissingPage {
    year: i32,
    total: i64,
    page: i64,
    per_page: i64,
    items: Vec<MissingMember>,
}

/// A commitment as written by its member. Category accepts codes or Chinese labels.
#[derive(Deserialize, ToSchema)]
pub struct CommitmentBody {
    /// A unit admin recording a commitment for a party member of their scope; default: the caller's own person.
    person_id: Option<i64>,
    year: i32,
    text: String,
    category: Option<String>,
    due_on: Option<String>,
    progress_note: Option<String>,
}

impl CommitmentBody {
    fn input(&self) -> CommitmentInput {
        CommitmentInput {
            year: self.year.to_string(),
            text: self.text.clone(),
            category: self.category.clone(),
            due_on: self.due_on.clone(),
            progress_note: self.progress_note.clone(),
        }
    }
}

/// The branch's verdict: `result` `fulfilled` or `unfulfilled` (a comment says why not).
#[derive(Deserialize, ToSchema)]
pub struct VerifyBody {
    result: String,
    comment: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Default: the current reporting year.
    year: Option<i32>,
    /// `pending`, `fulfilled` or `unfulfilled`.
    status: Option<String>,
    /// Part of the member's name or of the text.
    q: Option<String>,
    page: Option<i64>,
    per_page: Option<i64>,
}

/// Commitments kept in a unit's subtree for a year (anyone who may read the unit).
#[utoipa::path(get, operation_id = "commitments_list", path = "/api/v1/units/{id}/commitments", tag = "commitments", params(("id" = i64, Path), ListQuery), responses((status = 200, body = CommitmentPage)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(lq): Query<ListQuery>,
) -> AppResult<Json<CommitmentPage>> {
    let unit = access::unit(&state, &caller, id, Need::Read).await?;
    let q = CommitmentQuery {
        q: lq.q.unwrap_or_default(),
        years: Some(qizhi_core::figures::Span::year(match lq.year {
            Some(y) => y,
            None => state.store.reporting_year().await?,
        })),
        branch: String::new(),
        status: lq.status.as_deref().map(Status::parse).transpose().map_err(AppError::BadRequest)?,
        page: lq.page.unwrap_or(1).max(1),
        per_page: lq.per_page.unwrap_or(50).clamp(1, qizhi_store::MAX_PER_PAGE),
    };
    let Page { total, items } = state.store.commitments(&unit, &caller.scope, &q).await?;
    Ok(Json(CommitmentPage {
        total,
        page: q.page,
        per_page: q.per_page,
        items: items.iter().map(|c| CommitmentView::new(&c.commitment, Some(c.person_name.clone()))).collect(),
    }))
}

/// Party members of a unit's subtree without a commitment for the year (anyone who may read the unit).
#[utoipa::path(get, operation_id = "commitments_missing", path = "/api/v1/units/{id}/commitments/missing", tag = "commitments", params(("id" = i64, Path), ListQuery), responses((status = 200, body = MissingPage)))]
pub async fn missing(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(lq): Query<ListQuery>,
) -> AppResult<Json<MissingPage>> {
    let unit = access::unit(&state, &caller, id, Need::Read).await?;
    let year = match lq.year {
        Some(y) => y,
        None => state.store.reporting_year().await?,
    };
    let (page, per_page) = (lq.page.unwrap_or(1).max(1), lq.per_page.unwrap_or(50).clamp(1, qizhi_store::MAX_PER_PAGE));
    let Page { total, items: people } =
        state.store.members_without_commitment(&unit, &caller.scope, year, page, per_page).await?;
    Ok(Json(MissingPage {
        year,
        total,
        page,
        per_page,
        items: people
            .iter()
            .map(|p| MissingMember {
                person_id: p.person.id.0,
                name: p.person.fields.name.clone(),
                unit_id: p.person.unit_id.0,
                unit_name: p.unit_name.clone(),
            })
            .collect(),
    }))
}

/// The caller's own commitments, newest year first (empty for an account without a person).
#[utoipa::path(get, operation_id = "commitments_mine", path = "/api/v1/me/commitments", tag = "commitments", responses((status = 200, body = Vec<CommitmentView>)))]
pub async fn mine(State(state): State<AppState>, caller: Caller) -> AppResult<Json<Vec<CommitmentView>>> {
    let Some(person) = caller.user.person_id else { return Ok(Json(vec![])) };
    let items = state.store.commitments_of(person, None).await?;
    Ok(Json(items.iter().map(|c| CommitmentView::new(c, None)).collect()))
}

/// Make a commitment: a member their own; a unit admin for a party member of
/// their scope (`person_id`). Someone else's without the right: 403/404.
#[utoipa::path(post, operation_id = "commitments_create", path = "/api/v1/commitments", tag = "commitments", request_body = CommitmentBody, responses((status = 201, body = CommitmentView)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<CommitmentBody>,
) -> AppResult<(StatusCode, Json<CommitmentView>)> {
    let person = match body.person_id.map(PersonId) {
        Some(p) if caller.user.person_id != Some(p) => {
            access::person(&state, &caller, p.0, Need::Edit).await?;
            p
        }
        Some(p) => p,
        None => caller.user.person_id.ok_or_else(|| {
            AppError::Invalid(vec![qizhi_core::FieldError::new(
                "person_id",
                "账号尚未关联人员，请指定 person_id (the account has no person: give person_id)",
            )])
        })?,
    };
    let fields = body.input().validate()?;
    let c = caller.store(&state).create_commitment(person, &fields).await?;
    Ok((StatusCode::CREATED, Json(CommitmentView::new(&c, None))))
}

/// Change a pending commitment: its member, or a unit admin of its unit; a
/// verified one: 422. Readers in scope: 403; anyone else: 404.
#[utoipa::path(put, operation_id = "commitments_update", path = "/api/v1/commitments/{id}", tag = "commitments", params(("id" = i64, Path)), request_body = CommitmentBody, responses((status = 200, body = CommitmentView)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<CommitmentBody>,
) -> AppResult<Json<CommitmentView>> {
    let (c, _) = access::commitment(&state, &caller, id, Need::Edit).await?;
    let fields = body.input().validate()?;
    let (_, new) = caller.store(&state).update_commitment(c.id, &fields).await?;
    Ok(Json(CommitmentView::new(&new, None)))
}

/// Verify a commitment: unit admins and reviewers of its unit, never their
/// own. Viewers in scope, and members on their own: 403; out of scope: 404.
#[utoipa::path(post, operation_id = "commitments_verify", path = "/api/v1/commitments/{id}/verify", tag = "commitments", params(("id" = i64, Path)), request_body = VerifyBody, responses((status = 200, body = CommitmentView)))]
pub async fn verify(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<VerifyBody>,
) -> AppResult<Json<CommitmentView>> {
    let (c, path) = access::commitment(&state, &caller, id, Need::Read).await?;
    access::require(&state, &caller, access::may_verify(&caller, &c, &path), "commitment", id, &path).await?;
    let (status, comment) = VerifyInput { result: body.result, comment: body.comment }.validate()?;
    let by = caller.user.display_name.clone();
    let (_, new) = caller.store(&state).verify_commitment(c.id, status, comment.as_deref(), &by, today()).await?;
    Ok(Json(CommitmentView::new(&new, None)))
}
