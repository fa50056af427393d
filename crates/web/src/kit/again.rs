//! The one way a page answers a form it refuses: the same page again, with
//! what the user typed and the messages saying what is wrong, as 422. A
//! form it accepts answers with `flash::redirect`.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use crate::error::{AppError, PageResult};
use crate::i18n::labelled;
use crate::pages::render;

/// The messages of a refused input (validation, or a rule the store
/// checks), each naming its field, for the form sent back; any other error
/// passes through.
pub fn messages(e: AppError) -> Result<Vec<String>, AppError> {
    match e {
        AppError::Invalid(fields) => Ok(fields.iter().map(|f| labelled(&f.field, &f.message)).collect()),
        e => Err(e),
    }
}

/// A form page sent back with its errors.
pub fn page(page: &impl Template) -> PageResult<Response> {
    Ok((StatusCode::UNPROCESSABLE_ENTITY, render(page)?).into_response())
}

/// The answer to a form post whose work is `done`: `saved` of its result, or
/// when the input was refused, the page `again` builds from the messages.
pub async fn settle<T, P, F>(
    done: Result<T, AppError>,
    saved: impl FnOnce(T) -> Response,
    again: impl FnOnce(Vec<String>) -> F,
) -> PageResult<Response>
where
    P: Template,
    F: Future<Output = Result<P, AppError>>,
{
    match done {
        Ok(t) => Ok(saved(t)),
        Err(e) => page(&again(messages(e)?).await?),
    }
}
