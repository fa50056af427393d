use super::entries::{EntryPage, EntryView};
use super::schemes::issuer_of;
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
use qizhi_core::ids::UnitId;
use qizhi_core::stars::campaign::{CampaignFields, EntryStatus, Stage, StageDates};
use qizhi_store::Page;
use qizhi_store::stars::Campaign;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct CampaignView {
    id: i64,
    scheme_id: i64,
    unit_id: i64,
    unit_code: String,
    unit_name: String,
    name: String,
    year: i32,
    /// `create`, `self`, `review`, `publicity`, `award` or `apply`.
    stage: String,
    review_levels: u8,
    /// Per stage `{from, to}` as ISO dates.
    #[schema(value_type = Object)]
    dates: StageDates,
    /// When stars were fixed (epoch ms).
    awarded_at: Option<i64>,
}

impl CampaignView {
    pub(super) fn new(c: &Campaign) -> Self {
        CampaignView {
            id: c.id,
            scheme_id: c.scheme_id,
            unit_id: c.unit_id.0,
            unit_code: c.unit_code.clone(),
            unit_name: c.unit_name.clone(),
            name: c.name.clone(),
            year: c.year,
            stage: c.stage.code().into(),
            review_levels: c.review_levels,
            dates: c.dates,
            awarded_at: c.awarded_at,
        }
    }
}

/// A campaign to start (scheme and unit) or the new settings of one.
#[derive(Deserialize, ToSchema)]
pub struct CampaignIn {
    /// Create only.
    scheme_id: Option<i64>,
    /// Create only: the unit whose branches take part (id or code).
    unit_id: Option<i64>,
    org: Option<String>,
    name: String,
    review_levels: u8,
    #[schema(value_type = Object)]
    #[serde(default)]
    dates: Option<serde_json::Value>,
}

impl CampaignIn {
    fn fields(&self) -> Result<CampaignFields, AppError> {
        let dates = match &self.dates {
            None => StageDates::default(),
            Some(v) => serde_json::from_value(v.clone()).map_err(|e| {
                AppError::Invalid(vec![FieldError::new("dates", format!("日期格式有误：{e} (malformed dates)"))])
            })?,
        };
        let f = CampaignFields { name: self.name.trim().to_string(), review_levels: self.review_levels, dates };
        f.validate()?;
        Ok(f)
    }
}

#[derive(Deserialize, ToSchema)]
pub struct StageIn {
    /// The stage to move to: one forward, or one back before the award.
    stage: String,
}

#[derive(Serialize, ToSchema)]
pub struct StatsView {
    entries: i64,
    /// Entries by status code (`open`, `declared`, `returned`, `submitted`, `reviewed1`, `reviewed2`).
    by_status: BTreeMap<String, i64>,
    /// Current stars of the entries that submitted (0 once withdrawn), index = stars.
    by_star: [i64; 7],
    /// Awarded stars (0 once withdrawn), index = stars.
    awarded_by_star: [i64; 7],
    awarded: i64,
    withdrawn: i64,
    open_objections: i64,
}

#[derive(Serialize, ToSchema)]
pub struct QuotaView {
    stars: u8,
    max_percent: u8,
    allowed: usize,
    actual: usize,
    exceeded: bool,
    /// The same quota against every branch's provisional star (self-assessed
    /// or reviewed so far), as it would be were they all confirmed.
    provisional_allowed: usize,
    provisional: usize,
}

#[derive(Serialize, ToSchema)]
pub struct CampaignDetail {
    campaign: CampaignView,
    /// Counted over the entries in the caller's scope.
    stats: StatsView,
    /// Over the whole campaign; empty for callers who may not read its unit.
    quotas: Vec<QuotaView>,
}

/// Campaigns the caller may read (run in scope or above it). Any signed-in user.
#[utoipa::path(get, operation_id = "stars_list_campaigns", path = "/api/v1/stars/campaigns", tag = "stars", params(OrgQuery), responses((status = 200, body = Vec<CampaignView>), (status = 404, body = crate::api::ErrorBody)))]
pub async fn list_campaigns(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<OrgQuery>,
) -> AppResult<Json<Vec<CampaignView>>> {
    let path = org_path(&state, &caller, q.org.as_deref()).await?;
    let all = state.store.campaigns(&caller.scope, &ancestors(&caller)).await?;
    Ok(Json(all.iter().filter(|c| related(&path, &c.unit_path)).map(CampaignView::new).collect()))
}

/// Start a campaign of a scheme over a unit's subtree — unit admins of both
/// the scheme's issuer and that unit.
#[utoipa::path(post, operation_id = "stars_create_campaign", path = "/api/v1/stars/campaigns", tag = "stars", request_body = CampaignIn, responses((status = 201, body = CampaignView)))]
pub async fn create_campaign(
    State(state): State<AppState>,
    caller: Caller,
    Json(body): Json<CampaignIn>,
) -> AppResult<(StatusCode, Json<CampaignView>)> {
    let scheme_id = body
        .scheme_id
        .ok_or_else(|| AppError::Invalid(vec![FieldError::new("scheme_id", "请指定评价体系 (scheme_id)")]))?;
    let scheme = access::stars::scheme(&state, &caller, scheme_id, Need::Edit).await?;
    let unit = issuer_of(&state, &caller, body.unit_id, body.org.as_deref()).await?;
    let fields = body.fields()?;
    let c = caller.store(&state).create_campaign(scheme.id, UnitId(unit.id.0), &fields).await?;
    Ok((StatusCode::CREATED, Json(CampaignView::new(&c))))
}

/// A campaign with its progress (over the caller's scope) and quotas — whoever may read it.
#[utoipa::path(get, operation_id = "stars_get_campaign", path = "/api/v1/stars/campaigns/{id}", tag = "stars", params(("id" = i64, Path)), responses((status = 200, body = CampaignDetail)))]
pub async fn get_campaign(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> AppResult<Json<CampaignDetail>> {
    let c = access::stars::campaign(&state, &caller, id, Need::Read).await?;
    let s = state.store.campaign_stats(c.id, &caller.scope).await?;
    // Quotas count the whole campaign: shown to those who may read its unit.
    let quotas = if caller.can_read(&c.unit_path) { state.store.campaign_quotas(&c).await? } else { vec![] };
    let quotas = quotas
        .into_iter()
        .map(|q| QuotaView {
            stars: q.reviewed.stars,
            max_percent: q.reviewed.max_percent,
            allowed: q.reviewed.allowed,
            actual: q.reviewed.actual,
            exceeded: q.reviewed.exceeded(),
            provisional_allowed: q.provisional.allowed,
            provisional: q.provisional.actual,
        })
        .collect();
    Ok(Json(CampaignDetail {
        campaign: CampaignView::new(&c),
        stats: StatsView {
            entries: s.entries,
            by_status: s.by_status.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            by_star: s.by_star,
            awarded_by_star: s.awarded_by_star,
            awarded: s.awarded,
            withdrawn: s.withdrawn,
            open_objections: s.open_objections,
        },
        quotas,
    }))
}

/// Change a campaign's name, review levels (before review) and dates — unit admins of its unit.
#[utoipa::path(put, operation_id = "stars_update_campaign", path = "/api/v1/stars/campaigns/{id}", tag = "stars", params(("id" = i64, Path)), request_body = CampaignIn, responses((status = 200, body = CampaignView)))]
pub async fn update_campaign(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<CampaignIn>,
) -> AppResult<Json<CampaignView>> {
    access::stars::campaign(&state, &caller, id, Need::Edit).await?;
    let (_, c) = caller.store(&state).update_campaign(id, &body.fields()?).await?;
    Ok(Json(CampaignView::new(&c)))
}

/// Move a campaign one stage (entering `award` fixes the stars; 422 when a
/// quota is exceeded) — unit admins of its unit.
#[utoipa::path(post, operation_id = "stars_move_stage", path = "/api/v1/stars/campaigns/{id}/stage", tag = "stars", params(("id" = i64, Path)), request_body = StageIn, responses((status = 200, body = CampaignView)))]
pub async fn move_stage(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<StageIn>,
) -> AppResult<Json<CampaignView>> {
    access::stars::campaign(&state, &caller, id, Need::Edit).await?;
    let to = Stage::parse(&body.stage).map_err(|m| AppError::Invalid(vec![FieldError::new("stage", m)]))?;
    let (c, _) = caller.store(&state).move_campaign(id, to).await?;
    Ok(Json(CampaignView::new(&c)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EntriesQuery {
    /// A status code.
    status: Option<String>,
    /// Part of a branch's name or code.
    q: Option<String>,
    page: Option<i64>,
    /// Default 50, at most 1000.
    per_page: Option<i64>,
}

/// A campaign's entries inside the caller's scope — whoever may read the campaign.
#[utoipa::path(get, operation_id = "stars_campaign_entries", path = "/api/v1/stars/campaigns/{id}/entries", tag = "stars", params(("id" = i64, Path), EntriesQuery), responses((status = 200, body = EntryPage)))]
pub async fn campaign_entries(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Query(q): Query<EntriesQuery>,
) -> AppResult<Json<EntryPage>> {
    let c = access::stars::campaign(&state, &caller, id, Need::Read).await?;
    let status = match q.status.as_deref() {
        None | Some("") => None,
        Some(s) => Some(EntryStatus::parse(s).map_err(AppError::BadRequest)?),
    };
    let per_page = q.per_page.unwrap_or(50).clamp(1, 1000);
    let page = q.page.unwrap_or(1).max(1);
    let f = qizhi_store::stars::EntryFilter { status, star: None, q: q.q.unwrap_or_default(), page, per_page };
    let Page { total, items: list } = state.store.campaign_entries(c.id, &caller.scope, &f).await?;
    Ok(Json(EntryPage { total, page, per_page, items: list.iter().map(|l| EntryView::new(&l.entry)).collect() }))
}
