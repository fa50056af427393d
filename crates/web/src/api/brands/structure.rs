use crate::AppState;
use crate::access::{self, Need};
use crate::auth::Caller;
use crate::error::{AppError, AppResult};
use axum::Json;
use axum::extract::{Path, State};
use qizhi_core::brand::{ElementFields, ElementKind, ElementTree};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One element of a structure, with the elements under it.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct ElementNode {
    /// `group`, `concept`, `thought`, `project`, `team`, `classroom`, `site`,
    /// `mechanism`, `action`, `carrier`, `guarantee`, `step` or `other` (or the Chinese label).
    kind: String,
    title: String,
    text: Option<String>,
    #[serde(default)]
    #[schema(no_recursion)]
    children: Vec<ElementNode>,
}

impl ElementNode {
    pub(super) fn of(t: &ElementTree) -> ElementNode {
        ElementNode {
            kind: t.fields.kind.code().into(),
            title: t.fields.title.clone(),
            text: t.fields.text.clone(),
            children: t.children.iter().map(ElementNode::of).collect(),
        }
    }

    /// Checks every node, naming bad ones by their outline number.
    fn tree(nodes: &[ElementNode], prefix: &str, errors: &mut Vec<qizhi_core::FieldError>) -> Vec<ElementTree> {
        nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let number = if prefix.is_empty() { format!("{}", i + 1) } else { format!("{prefix}.{}", i + 1) };
                let input = qizhi_core::brand::ElementInput {
                    kind: n.kind.clone(),
                    title: n.title.clone(),
                    text: n.text.clone(),
                };
                let fields = match input.validate() {
                    Ok(f) => f,
                    Err(e) => {
                        errors.extend(e.errors.into_iter().map(|f| {
                            qizhi_core::FieldError::new(format!("elements[{number}].{}", f.field), f.message)
                        }));
                        ElementFields { kind: ElementKind::Other, title: String::new(), text: None }
                    }
                };
                ElementTree { fields, children: ElementNode::tree(&n.children, &number, errors) }
            })
            .collect()
    }
}

/// A brand's structure as a tree.
#[utoipa::path(get, operation_id = "brands_structure", path = "/api/v1/brands/{id}/structure", tag = "brands", params(("id" = i64, Path)), responses((status = 200, body = Vec<ElementNode>)))]
pub async fn structure(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<ElementNode>>> {
    let (b, _) = access::brand(&state, &caller, id, Need::Read).await?;
    Ok(Json(state.store.brand_structure(b.id).await?.iter().map(ElementNode::of).collect()))
}

/// Replace a brand's whole structure.
#[utoipa::path(put, operation_id = "brands_replace_structure", path = "/api/v1/brands/{id}/structure", tag = "brands", params(("id" = i64, Path)), request_body = Vec<ElementNode>, responses((status = 200, body = Vec<ElementNode>)))]
pub async fn replace_structure(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<i64>,
    Json(body): Json<Vec<ElementNode>>,
) -> AppResult<Json<Vec<ElementNode>>> {
    let (b, _) = access::brand(&state, &caller, id, Need::Edit).await?;
    let mut errors = vec![];
    let tree = ElementNode::tree(&body, "", &mut errors);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    caller.store(&state).replace_structure(b.id, &tree).await?;
    Ok(Json(state.store.brand_structure(b.id).await?.iter().map(ElementNode::of).collect()))
}
