use super::{OrgQuery, org_path, related};
use crate::AppState;
use crate::access::stars::ancestors;
use crate::access::{self, Need};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use qizhi_core::FieldError;
use qizhi_core::stars::scheme::{SchemeBody, SchemeFields};
use qizhi_store::stars::Scheme;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct SchemeView {
    id: i64,
    /// The issuing unit.
    unit_id: i64,
    unit_code: String,
    unit_name: String,
    name: String,
    year: i32,
    /// Used by a campaign, hence frozen.
    in_use: bool,
    copied_from: Option<i64>,
    /// Dimensions (indicators, thresholds), ordered star rules, vetoes, quotas.
    #[schema(value_type = Object)]
    body: SchemeBody,
}

impl SchemeView {
    pub(super) fn new(s: &Scheme) -> Self {
        SchemeView {
            id: s.id,
            unit_id: s.unit_id.0,
            unit_code: s.unit_code.clone(),
            unit_name: s.unit_name.clone(),
            name: s.name.clone(),
            year: s.year,
            in_use: s.in_use(),
            copied_from: s.copied_from,
            body: s.body.clone(),
        }
    }
}

/// A scheme to issue (with `org` or `unit_id`) or the new state of one to edit.
#[derive(Deserialize, ToSchema)]
pub struct SchemeIn {
    unit_id: Option<i64>,
    /// The issuing unit's code.
    org: Option<String>,
    name: String,
    year: i32,
    #[schema(value_type = Object)]
    body: serde_json::Value,
}

impl SchemeIn {
    fn fields(&self) -> Result<SchemeFields, AppError> {
        let body: SchemeBody = serde_json::from_value(self.body.clone()).map_err(|e| {
            AppError::Invalid(vec![FieldError::new("body", format!("评价体系格式有误：{e} (malformed scheme body)"))])
        })?;
        let f = SchemeFields { name: self.name.trim().to_string(), year: self.year, body };
        f.validate()?;
        Ok(f)
    }
}

#[derive(Deserialize, ToSchema)]
pub struct CopyIn {
    year: i32,
}

/// Schemes the caller may read (issued in scope or above it). Any signed-in user.
#[utoipa::path(get, operation_id = "stars_list_schemes", path = "/api/v1/stars/schemes", tag = "stars", params(OrgQuery), responses((status = 200, body = Vec<SchemeView>), (status = 404, body = crate::api::ErrorBody)))]
pub async fn list_schemes(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<OrgQuery>,
) -> AppResult<Json<Vec<SchemeView>>> {
    let path = org_path(&state, &caller, q.org.as_deref()).await?;
    let all = state.store.schemes(&caller.scope, &ancestors(&caller)).await?;
    Ok(Json(all.iter().filter(|s| related(&path, &s.unit_path)).map(SchemeView::new).collect()))
}

pub(super) async fn issuer_of(
    state: &AppState,
    caller: &Caller,
    id: Option<i64>,
    org: Option<&str>,
) -> AppResult<qizhi_core::org::Unit> {
    let id = match (id, org) {
        (Some(id), _) => id,
        (None, Some(code)) => {
            state
                .store
                .unit_by_code(code)
                .await?
                .ok_or_else(|| AppError::Invalid(vec![FieldError::new("org", format!("组织编码 “{code}” 不存在"))]))?
                .id
                .0
        }
        (None, None) => return Err(AppError::Invalid(vec![FieldError::new("unit_id", "请指定组织 (unit_id or org)")])),
    };
    access::unit(state, caller, id, Need::Edit).await
}

/// Issue a scheme — unit admins of the issuing unit (404 outside scope, 403 without the right).
#[utoipa::path(post, operation_id = "stars_create_scheme", path = "/api/v1/stars/schemes", tag = "stars", request_body = SchemeIn, responses((status = 201, body = SchemeView)))]
pub async fn create_scheme(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<SchemeIn>,
) -> AppResult<(StatusCode, Json<SchemeView>)> {
    let unit = issuer_of(&state, &caller, body.unit_id, body.org.as_deref()).await?;
    let fields = body.fields()?;
    let s = caller.store(&state).create_scheme(unit.id, &fields).await?;
    Ok((StatusCode::CREATED, Json(SchemeView::new(&s))))
}

/// A scheme — whoever may read its issuer or a unit under it; 404 otherwise.
#[utoipa::path(get, operation_id = "stars_get_scheme", path = "/api/v1/stars/schemes/{id}", tag = "stars", params(("id" = i64, Path)), responses((status = 200, body = SchemeView)))]
pub async fn get_scheme(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> AppResult<Json<SchemeView>> {
    Ok(Json(SchemeView::new(&access::stars::scheme(&state, &caller, id, Need::Read).await?)))
}

/// Edit a scheme no campaign uses — unit admins of its issuer (422 once frozen).
#[utoipa::path(put, operation_id = "stars_update_scheme", path = "/api/v1/stars/schemes/{id}", tag = "stars", params(("id" = i64, Path)), request_body = SchemeIn, responses((status = 200, body = SchemeView)))]
pub async fn update_scheme(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<SchemeIn>,
) -> AppResult<Json<SchemeView>> {
    access::stars::scheme(&state, &caller, id, Need::Edit).await?;
    let fields = body.fields()?;
    let (_, s) = caller.store(&state).update_scheme(id, &fields).await?;
    Ok(Json(SchemeView::new(&s)))
}

/// Copy a scheme to another year — unit admins of its issuer.
#[utoipa::path(post, operation_id = "stars_copy_scheme", path = "/api/v1/stars/schemes/{id}/copy", tag = "stars", params(("id" = i64, Path)), request_body = CopyIn, responses((status = 201, body = SchemeView)))]
pub async fn copy_scheme(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<CopyIn>,
) -> AppResult<(StatusCode, Json<SchemeView>)> {
    access::stars::scheme(&state, &caller, id, Need::Edit).await?;
    if !(2000..=2100).contains(&body.year) {
        return Err(AppError::Invalid(vec![FieldError::new("year", "年度应在 2000 到 2100 之间 (year out of range)")]));
    }
    let s = caller.store(&state).copy_scheme(id, body.year).await?;
    Ok((StatusCode::CREATED, Json(SchemeView::new(&s))))
}
