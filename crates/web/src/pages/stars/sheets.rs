//! Score spreadsheets of a campaign on the pages: download a template or
//! an export, upload a whole file of scores. The sheets themselves are
//! written and read by `qizhi_app::ledgers::scores`; here is who may.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use qizhi_app::ledgers::ImportError;
use qizhi_app::ledgers::scores::{export, import, sheet_file};
use qizhi_core::access::Role;
use qizhi_core::stars::campaign::ScoreStage;
use qizhi_sheet::Format;
use qizhi_store::stars::{Campaign, Entry};

use super::campaigns::{EntriesQuery, campaign_page};
use super::{may_review, may_self_assess, require};
use crate::AppState;
use crate::access::{self, Need};
use crate::auth::{Caller, PageCaller};
use crate::error::{AppError, PageResult};
use crate::kit::again;
use crate::kit::form::Fields;
use crate::pages::render;

/// Whether `caller` may score `entry` at `stage`.
pub(crate) fn may_score(caller: &Caller, c: &Campaign, entry: &Entry, stage: ScoreStage) -> bool {
    match stage.level() {
        None => may_self_assess(caller, entry),
        Some(level) => may_review(caller, entry, c, level),
    }
}

/// Whether `caller` holds a role that scores at `stage` somewhere in the
/// campaign: unit admins over or under its unit for `self`, reviewers over
/// or under it for `review1`, reviewers of its unit for `review2`. Which
/// rows they may score is then decided branch by branch ([`may_score`]).
pub(crate) fn scores_in(caller: &Caller, c: &Campaign, stage: ScoreStage) -> bool {
    let role = |r: Role| if stage.level().is_some() { r.may_review() } else { r.may_edit_records() };
    match stage.level() {
        Some(2) => caller.can_review(&c.unit_path),
        _ => {
            caller.can(&c.unit_path, role)
                || caller
                    .grants
                    .iter()
                    .any(|g| role(g.role) && g.unit_path.as_deref().is_some_and(|p| p.starts_with(&c.unit_path)))
        }
    }
}

/// `GET /stars/campaigns/{id}/sheets/{file}` (`template|self|review1|review2|results`
/// `.xlsx|.csv`) — whoever may read the campaign; the rows are the branches
/// in their scope.
pub async fn download(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path((id, file)): Path<(i64, String)>,
) -> PageResult<Response> {
    let c = access::stars::campaign(&state, &caller, id, Need::Read).await?;
    let (what, format) = sheet_file(&file).ok_or_else(AppError::not_found)?;
    let (bytes, filename) = export(&state.store, &c, what, &caller.scope, format).await?;
    let disposition = crate::kit::download::attachment(&file, &filename);
    Ok(([(header::CONTENT_TYPE, format.content_type().to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response())
}

/// `POST /stars/campaigns/{id}/scores` (multipart: csrf, stage, file) —
/// whoever scores at that stage in the campaign ([`scores_in`]; 404 outside
/// scope, 403 without the right, both recorded); every row must be a
/// branch the caller may score at that stage (its admins for `self`, its
/// parent's reviewers for `review1`, the campaign unit's reviewers for
/// `review2`), else that row is reported and nothing is written.
pub async fn upload(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    form: Fields,
) -> PageResult<Response> {
    let c = access::stars::campaign(&state, &caller, id, Need::Read).await?;
    let stage = ScoreStage::parse(&form.text("stage")).map_err(AppError::BadRequest)?;
    require(&state, &caller, scores_in(&caller, &c, stage), "star_campaign", id, &c.unit_path).await?;
    let (name, bytes) =
        form.raw_file("file").ok_or_else(|| AppError::BadRequest("请选择要导入的文件 (choose a file)".into()))?;
    let allowed = |e: &Entry| may_score(&caller, &c, e, stage);
    let outcome = match Format::from_name(name) {
        Err(e) => Err(vec![e.to_string()]),
        Ok(format) => match import(&caller.store(&state), &c, stage, bytes, format, &allowed).await {
            Ok(n) => Ok(n),
            Err(ImportError::File(errors) | ImportError::Refused { errors, .. }) => {
                Err(errors.to_string().lines().map(str::to_string).collect())
            }
            Err(ImportError::Store(e)) => return Err(AppError::from(e).into()),
        },
    };
    let c = state.store.campaign(id).await?;
    match outcome {
        Ok(n) => {
            let mut page = campaign_page(&state, &caller, &c, &EntriesQuery::default(), vec![]).await?;
            page.chrome.flash = Some(caller.lang.tn("stars.imported_n", n));
            Ok(render(&page)?.into_response())
        }
        Err(errors) => {
            let page = campaign_page(&state, &caller, &c, &EntriesQuery::default(), errors).await?;
            again::page(&page)
        }
    }
}
