use super::brand::BrandView;
use super::opt_parse;
use crate::AppState;
use crate::api::scope_unit;
use crate::auth::Caller;
use crate::error::AppResult;
use axum::Json;
use axum::extract::{Query, State};
use qizhi_core::brand::BrandStatus;
use qizhi_store::Page;
use qizhi_store::brands::{BrandQuery, BrandSort};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct MatrixNode {
    #[serde(flatten)]
    brand: BrandView,
    #[schema(no_recursion)]
    sub_brands: Vec<MatrixNode>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MatrixQuery {
    /// The unit whose subtree to show (default: the caller's first scope root).
    org: Option<String>,
    /// Only brands at this status or above.
    at_least: Option<String>,
}

/// The brand matrix of a unit's subtree: main brands with their sub-brands.
#[utoipa::path(get, operation_id = "brand_matrix", path = "/api/v1/brand-matrix", tag = "brands", params(MatrixQuery), responses((status = 200, body = Vec<MatrixNode>), (status = 404, body = crate::api::ErrorBody)))]
pub async fn matrix(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<MatrixQuery>,
) -> AppResult<Json<Vec<MatrixNode>>> {
    let unit = scope_unit(&state, &caller, q.org.as_deref()).await?;
    let query = BrandQuery {
        at_least: opt_parse(q.at_least.as_deref(), BrandStatus::parse)?,
        sort: BrandSort::Unit,
        per_page: 1000,
        ..Default::default()
    };
    let Page { items: list, .. } = state.store.brands(&unit, &caller.scope, &query).await?;
    let ids: std::collections::HashSet<i64> = list.iter().map(|l| l.brand.id.0).collect();
    fn under(
        list: &[qizhi_store::brands::BrandListed],
        ids: &std::collections::HashSet<i64>,
        parent: Option<i64>,
        depth: usize,
    ) -> Vec<MatrixNode> {
        list.iter()
            .filter(|l| match parent {
                None => l.brand.parent_id.is_none_or(|p| !ids.contains(&p.0)),
                Some(p) => l.brand.parent_id.map(|x| x.0) == Some(p),
            })
            .map(|l| MatrixNode {
                brand: BrandView::new(&l.brand, &l.unit_code),
                sub_brands: if depth < 6 { under(list, ids, Some(l.brand.id.0), depth + 1) } else { vec![] },
            })
            .collect()
    }
    Ok(Json(under(&list, &ids, None, 0)))
}
