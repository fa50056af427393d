//! Ledgers from the browser: download templates and exports, upload imports.

use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use qizhi_app::ledgers::{self, ImportError, KINDS};
use qizhi_sheet::Format;
use serde::Deserialize;

use super::{chrome, render, scope_root};
use crate::AppState;
use crate::access::{self, Need};
use crate::auth::PageCaller;
use crate::error::{AppError, PageResult};
use crate::kit::form::Fields;
use crate::views::{ImportReport, ImportsPage};

fn kinds() -> Vec<(&'static str, &'static str, &'static str)> {
    KINDS.iter().filter_map(|k| qizhi_sheet::sheet(k)).map(|s| (s.kind, s.zh, s.en)).collect()
}

pub async fn page(PageCaller(caller): PageCaller) -> PageResult<Html<String>> {
    render(&ImportsPage { chrome: chrome(&caller, "imports", "/imports"), kinds: kinds(), report: None })
}

/// `POST /imports/{kind}`: multipart with `csrf` and `file`. System and
/// unit admins, for rows of units in their scope (others: 403; rows outside
/// the scope: 422 naming them, nothing written).
pub async fn upload(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(kind): Path<String>,
    form: Fields,
) -> PageResult<Response> {
    ledgers::sheet_of(&kind).map_err(AppError::BadRequest)?;
    if caller.admin_scope() == qizhi_store::Scope::Subtrees(vec![]) {
        return Err(caller.deny(&state, "import", &kind, None, AppError::forbidden()).await.into());
    }
    let (name, bytes) =
        form.raw_file("file").ok_or_else(|| AppError::BadRequest("请选择要导入的文件 (choose a file)".into()))?;
    let report = |ok: bool, rows: usize, errors: Vec<String>| ImportReport {
        ok,
        kind: kind.clone(),
        rows,
        created: 0,
        updated: 0,
        warnings: vec![],
        errors,
    };
    let report = match Format::from_name(name) {
        Err(e) => report(false, 0, vec![e.to_string()]),
        Ok(format) => {
            let editable = |u: &qizhi_core::org::Unit| caller.can_edit(&u.path);
            match ledgers::prepare(&state.store, &kind, bytes, format, &editable).await {
                Err(ImportError::File(errors)) => {
                    report(false, 0, errors.to_string().lines().map(str::to_string).collect())
                }
                Err(ImportError::Refused { errors, paths }) => {
                    // Rows in units the importer may not change: a refusal, kept.
                    for path in &paths {
                        caller.deny(&state, "import", &kind, Some(path), AppError::forbidden()).await;
                    }
                    report(false, 0, errors.to_string().lines().map(str::to_string).collect())
                }
                Err(ImportError::Store(e)) => return Err(AppError::from(e).into()),
                Ok((batch, rows)) => {
                    match ledgers::apply(&caller.store(&state), &kind, &batch, &rows, &mut |_, _| {}).await {
                        Ok(summary) => ImportReport {
                            created: summary.created,
                            updated: summary.updated,
                            warnings: ledgers::warnings(&summary),
                            ..report(true, summary.created + summary.updated, vec![])
                        },
                        Err(ImportError::File(errors) | ImportError::Refused { errors, .. }) => {
                            report(false, rows.len(), errors.to_string().lines().map(str::to_string).collect())
                        }
                        Err(ImportError::Store(e)) => return Err(AppError::from(e).into()),
                    }
                }
            }
        }
    };
    drop(form);
    crate::server::release_memory();
    // A refused import answers 422: nothing was written, the page says why.
    let status = if report.ok { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = ImportsPage { chrome: chrome(&caller, "imports", "/imports"), kinds: kinds(), report: Some(report) };
    Ok((status, render(&page)?).into_response())
}

#[derive(Deserialize)]
pub struct ExportQuery {
    unit: Option<i64>,
}

/// `GET /imports/{kind}/template.xlsx|csv` and `…/export.xlsx|csv?unit=ID`.
pub async fn download(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((kind, file)): Path<(String, String)>,
    Query(q): Query<ExportQuery>,
) -> PageResult<Response> {
    let sheet = ledgers::sheet_of(&kind).map_err(AppError::BadRequest)?;
    let (what, _) = file.split_once('.').ok_or_else(AppError::not_found)?;
    let format = Format::from_name(&file).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let ext = format.extension();
    let (bytes, filename) = match what {
        "template" => (
            qizhi_sheet::template_to_vec(format, sheet).map_err(anyhow::Error::from)?,
            format!("{}导入模板.{ext}", sheet.zh),
        ),
        "export" => {
            let root = match q.unit {
                Some(id) => access::unit(&state, &caller, id, Need::Read).await?,
                None => scope_root(&state, &caller).await?.ok_or_else(AppError::not_found)?,
            };
            let personal = caller.can_see_personal(&root.path);
            let (bytes, _) = ledgers::export(&state.store, &kind, &root, Vec::new(), format, personal).await?;
            (bytes, format!("{}-{}.{ext}", root.code, sheet.zh))
        }
        _ => return Err(AppError::not_found().into()),
    };
    let disposition = crate::kit::download::attachment(&format!("{kind}.{}", format.extension()), &filename);
    Ok(([(header::CONTENT_TYPE, format.content_type().to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}
