//! The audit trail, read by scope: system admins read everything; unit
//! admins and viewers (领导/纪检) the entries about objects in their subtrees.
//! Filtered by text, action, kind of object and dates; paged; exported as
//! .xlsx or .csv. Nobody changes it.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use qizhi_sheet::Format;
use qizhi_store::audit::{AuditQuery, AuditRecord};
use serde::Deserialize;

use super::{chrome, render};
use crate::AppState;
use crate::auth::{Caller, PageCaller};
use crate::error::{AppError, PageResult};
use crate::views::accounts::{AUDIT_ACTIONS, AuditPage, AuditRow, datetime};

pub const PER_PAGE: i64 = 50;
/// The most rows one export writes.
pub const EXPORT_MAX: i64 = 1_000_000;

#[derive(Deserialize, Default, Clone)]
pub struct Filters {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub object_kind: String,
    /// YYYY-MM-DD, China Standard Time.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    pub page: Option<i64>,
}

/// The fields of a record that are personal data.
const PERSONAL: [&str; 3] = ["phone", "id_number", "birth_date"];

/// A record as `caller` may read it: the personal fields inside its before
/// and after are masked unless the caller may see personal data of its unit
/// (viewers read the trail, not members' phone numbers).
pub(crate) fn visible(caller: &Caller, mut r: AuditRecord) -> AuditRecord {
    if r.unit_path.as_deref().is_some_and(|p| caller.can_see_personal(p)) {
        return r;
    }
    for side in [&mut r.before, &mut r.after] {
        if let Some(text) = side.as_deref()
            && let Ok(mut v) = serde_json::from_str::<serde_json::Value>(text)
        {
            mask(&mut v);
            *side = Some(v.to_string());
        }
    }
    r
}

fn mask(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, field) in map.iter_mut() {
                if PERSONAL.contains(&k.as_str()) && !field.is_null() {
                    *field = serde_json::Value::String("***".into());
                } else {
                    mask(field);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(mask),
        _ => {}
    }
}

/// Refuses callers without a role that reads the audit trail.
pub(crate) async fn require_reader(state: &AppState, caller: &Caller) -> Result<(), AppError> {
    if caller.grants.iter().any(|g| g.role.may_read_audit()) || caller.is_system_admin() {
        Ok(())
    } else {
        Err(caller.deny(state, "audit", "list", None, AppError::forbidden()).await)
    }
}

/// Midnight in China of an ISO date, in epoch ms; `end` gives the last ms of that day.
fn day_ms(date: &str, end: bool) -> Result<Option<i64>, AppError> {
    if date.trim().is_empty() {
        return Ok(None);
    }
    let d = qizhi_core::date::parse(date.trim())
        .map_err(|e| AppError::BadRequest(format!("日期格式应为 YYYY-MM-DD (date): {e}")))?;
    let start = qizhi_core::date::start_of(d);
    let ms = (start.unix_timestamp_nanos() / 1_000_000) as i64;
    Ok(Some(if end { ms + 86_400_000 - 1 } else { ms }))
}

pub(crate) fn query(f: &Filters, page: i64, per_page: i64) -> Result<AuditQuery, AppError> {
    let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    Ok(AuditQuery {
        q: f.q.clone(),
        action: some(&f.action),
        object_kind: some(&f.object_kind),
        from: day_ms(&f.from, false)?,
        to: day_ms(&f.to, true)?,
        page,
        per_page,
    })
}

/// `GET /audit` — system admins, unit admins and viewers, for their scope.
pub async fn list(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(f): Query<Filters>,
) -> PageResult<Html<String>> {
    require_reader(&state, &caller).await?;
    let page = f.page.unwrap_or(1).max(1);
    let (total, records) = state.store.audit_entries(&caller.audit_scope(), &query(&f, page, PER_PAGE)?).await?;
    render(&AuditPage {
        chrome: chrome(&caller, "audit", "/audit"),
        q: f.q,
        action: f.action,
        object_kind: f.object_kind,
        from: f.from,
        to: f.to,
        rows: records.into_iter().map(|r| AuditRow::from(&visible(&caller, r))).collect(),
        page,
        pages: (total + PER_PAGE - 1) / PER_PAGE,
        total,
        actions: AUDIT_ACTIONS.to_vec(),
    })
}

/// `GET /audit/export.{xlsx|csv}` — the same readers, the same filters, every matching entry.
pub async fn export(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(file): Path<String>,
    Query(f): Query<Filters>,
) -> PageResult<Response> {
    require_reader(&state, &caller).await?;
    let (stem, _) = file.split_once('.').ok_or_else(AppError::not_found)?;
    if stem != "export" {
        return Err(AppError::not_found().into());
    }
    let format = Format::from_name(&file).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let ext = format.extension();
    let (_, records) = state.store.audit_entries(&caller.audit_scope(), &query(&f, 1, EXPORT_MAX)?).await?;
    let mut w = qizhi_sheet::Writer::new(Vec::new(), format, &qizhi_sheet::AUDIT).map_err(anyhow::Error::from)?;
    for r in records {
        let r = visible(&caller, r);
        let cells = [
            datetime(r.at),
            r.username.clone(),
            r.ip.clone().unwrap_or_default(),
            r.action.clone(),
            r.object_kind.clone(),
            r.object_id.clone().unwrap_or_default(),
            r.summary.clone(),
            r.before.clone().unwrap_or_default(),
            r.after.clone().unwrap_or_default(),
        ];
        w.row(&cells).map_err(anyhow::Error::from)?;
    }
    let bytes = w.finish().map_err(anyhow::Error::from)?;
    let disposition = crate::kit::download::attachment(&format!("audit.{ext}"), &format!("审计日志.{ext}"));
    Ok(([(header::CONTENT_TYPE, format.content_type().to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}
