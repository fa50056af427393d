//! The dashboard: the figures of the caller's scope and its units below.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use qizhi_core::date::this_year;
use qizhi_core::figures::Span;

use super::{children_counts, chrome, render, scope_root};
use crate::AppState;
use crate::auth::PageCaller;
use crate::error::PageResult;
use crate::views::{HomePage, UnitRef, headline_sections};

pub async fn home(State(state): State<AppState>, PageCaller(caller): PageCaller) -> PageResult<Response> {
    // A member's home is their own page.
    if !super::reads_records(&caller) && caller.user.person_id.is_some() {
        return Ok(Redirect::to("/my").into_response());
    }
    let root = scope_root(&state, &caller).await?;
    let year = match &root {
        Some(root) => super::default_year(&state, root.id).await?,
        None => this_year(),
    };
    let span = Span { from: year, to: year };
    let (figures, children) = match &root {
        Some(root) => {
            let figures = headline_sections(&state.store.figures(root.id, span).await?);
            let kids = state.store.children(root.id).await?;
            let children = children_counts(&state, &kids, span).await?;
            (figures, children)
        }
        None => (vec![], vec![]),
    };
    Ok(render(&HomePage {
        chrome: chrome(&caller, "home", "/"),
        root: root.as_ref().map(UnitRef::from),
        sections: figures,
        year,
        children,
    })?
    .into_response())
}
