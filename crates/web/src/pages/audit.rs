//! The audit trail, read by scope: system admins read everything; unit
//! admins and viewers (领导/纪检) the entries about objects in their subtrees.
//! Filtered by text, action, kind of object and dates; paged; exported as
//! .xlsx or .csv. Nobody changes it.

use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use qizhi_sheet::Format;
use qizhi_store::Page;

use super::{chrome, render};
use crate::AppState;
use crate::access::audit::{Filters, query, require_reader, visible};
use crate::auth::PageCaller;
use crate::error::{AppError, PageResult};
use crate::views::accounts::{AUDIT_ACTIONS, AuditPage, AuditRow, datetime};

pub const PER_PAGE: i64 = 50;
/// The most entries one export writes (an .xlsx worksheet's rows, its header
/// aside); a longer trail is exported a period at a time.
pub const EXPORT_MAX: usize = 1_048_575;

/// `GET /audit` — system admins, unit admins and viewers, for their scope.
pub async fn list(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(f): Query<Filters>,
) -> PageResult<Html<String>> {
    require_reader(&state, &caller).await?;
    let page = f.page.unwrap_or(1).max(1);
    let Page { total, items: records } =
        state.store.audit_entries(&caller.audit_scope(), &query(&f, page, PER_PAGE)?).await?;
    render(&AuditPage {
        chrome: chrome(&caller, "audit", "/audit"),
        q: f.q,
        action: f.action,
        object_kind: f.object_kind,
        from: f.from,
        to: f.to,
        rows: records.into_iter().map(|r| AuditRow::from(&visible(&caller, r))).collect(),
        page,
        pages: qizhi_store::page::pages(total, PER_PAGE),
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
    let mut w = qizhi_sheet::Writer::new(Vec::new(), format, &qizhi_sheet::AUDIT).map_err(anyhow::Error::from)?;
    state
        .store
        .each_audit_entry(&caller.audit_scope(), &query(&f, 1, 1)?, |r| {
            if w.rows_written() >= EXPORT_MAX {
                return Err(AppError::Invalid(vec![qizhi_core::FieldError::new(
                    "to",
                    format!("超过 {EXPORT_MAX} 条，请缩小日期范围或筛选条件后分次导出 (more than {EXPORT_MAX} entries: narrow the dates or filters)"),
                )]));
            }
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
            w.row(&cells).map_err(|e| AppError::from(anyhow::Error::from(e)))
        })
        .await?;
    let bytes = w.finish().map_err(anyhow::Error::from)?;
    let disposition = crate::kit::download::attachment(&format!("audit.{ext}"), &format!("审计日志.{ext}"));
    Ok(([(header::CONTENT_TYPE, format.content_type().to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}
