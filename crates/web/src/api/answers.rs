//! The error answers of the OpenAPI document. Every failing call answers with
//! the same envelope (`ErrorBody`), so the document declares each error status
//! once, under `components/responses`, and every operation refers to the ones
//! it can give, decided from its shape:
//!
//! - 401 for every operation: all of them need a caller;
//! - 400, 403 and 422 when it takes parameters or a body: a value of the
//!   wrong type, a body that is not JSON or not a form; a role that does not
//!   allow it there, or a cookie-authenticated write without its CSRF token;
//!   input that fails validation, text with control characters, a file of a
//!   kind not accepted (the calls without any input read the caller's own
//!   account and records);
//! - 404 when its path or its body names a record (absent, or outside the
//!   caller's scope);
//! - 415 when the body is JSON only (another content type), and 413 for any
//!   body over the size limit.
//!
//! An annotation adds what its shape does not say (a 404 for an `org` code
//! that names no unit) as `(status = 404, body = crate::api::ErrorBody)`;
//! such answers are turned into the shared reference too.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder};

/// (status, component name, description)
const ANSWERS: &[(u16, &str, &str)] = &[
    (
        400,
        "BadRequest",
        "The request cannot be read: a path or query parameter of the wrong type or out of range, a body that is not \
         valid JSON, or a malformed form.",
    ),
    (401, "Unauthorized", "No valid credentials: send `Authorization: Bearer <token>` or sign in first."),
    (
        403,
        "Forbidden",
        "Signed in, but the caller's roles do not allow this here (or a cookie-authenticated write lacks its \
         `X-CSRF-Token`).",
    ),
    (404, "NotFound", "No such record, or it lies outside the caller's scope (its existence is not revealed)."),
    (413, "PayloadTooLarge", "The body is larger than the server accepts."),
    (415, "UnsupportedMediaType", "The body is not sent as `application/json`."),
    (
        422,
        "Invalid",
        "The input does not fit the schema or fails validation (text with control characters included); \
         `error.fields` names each field and its problem when the problem lies in one.",
    ),
];

const ERROR_SCHEMA: &str = "#/components/schemas/ErrorBody";

/// Adds the shared error responses and refers every operation to those it gives.
pub struct ErrorAnswers;

impl utoipa::Modify for ErrorAnswers {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (_, name, description) in ANSWERS {
            let content = ContentBuilder::new().schema(Some(Ref::new(ERROR_SCHEMA))).build();
            let response = ResponseBuilder::new().description(*description).content("application/json", content);
            components.responses.insert(name.to_string(), RefOr::T(response.build()));
        }
        for item in openapi.paths.paths.values_mut() {
            let ops = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for op in ops.into_iter().flatten() {
                answer(op);
            }
        }
    }
}

/// The error statuses one operation gives.
fn statuses(op: &Operation) -> Vec<u16> {
    let params = op.parameters.as_deref().unwrap_or_default();
    let body = op.request_body.as_ref().map(|b| b.content.keys().map(String::as_str).collect::<Vec<_>>());
    let mut out = vec![401];
    if !params.is_empty() || body.is_some() {
        out.extend([400, 403, 422]);
    }
    if body.is_some() || params.iter().any(|p| p.parameter_in == ParameterIn::Path) {
        out.push(404);
    }
    if let Some(types) = body {
        out.push(413);
        // A JSON body alone: any other content type is refused. An operation
        // taking a form too reads the body by its content type instead.
        if types == ["application/json"] {
            out.push(415);
        }
    }
    out
}

fn answer(op: &mut Operation) {
    let wanted = statuses(op);
    let responses = &mut op.responses.responses;
    // Declared by an annotation with the error envelope: the shared one.
    for (status, name, _) in ANSWERS {
        if let Some(RefOr::T(declared)) = responses.get(&status.to_string())
            && is_error_body(declared)
        {
            responses.insert(status.to_string(), shared(name));
        }
    }
    // A success without its own words says what its status means.
    for (status, response) in responses.iter_mut() {
        if let RefOr::T(r) = response
            && r.description.is_empty()
        {
            r.description = match status.as_str() {
                "200" => "OK",
                "201" => "Created",
                "204" => "Done; no content",
                _ => continue,
            }
            .into();
        }
    }
    for status in wanted {
        let (_, name, _) = ANSWERS.iter().find(|(s, _, _)| *s == status).expect("a shared answer per status");
        responses.entry(status.to_string()).or_insert_with(|| shared(name));
    }
}

fn shared(name: &str) -> RefOr<Response> {
    RefOr::Ref(Ref::new(format!("#/components/responses/{name}")))
}

fn is_error_body(response: &Response) -> bool {
    response.content.values().any(|c| matches!(&c.schema, Some(RefOr::Ref(r)) if r.ref_location == ERROR_SCHEMA))
}
