//! The OpenAPI document a generated client is built from: valid OpenAPI 3.1
//! by `openapi-spec-validator` (installed by `scripts/test` into
//! `.venv-test/`), and, without any tool, the properties clients depend on:
//! one id per operation, every parameter where the path says, every error
//! answer the shared envelope, every schema registered once under its own name.
//!
//! Without the validator the first test says `OPENAPI VALIDATION SKIPPED` and
//! passes, unless `QIZHI_REQUIRE_BROWSER=1` or `CI` is set, where that fails it.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;
use utoipa::OpenApi;

const SKIPPED: &str = "OPENAPI VALIDATION SKIPPED: no .venv-test/bin/openapi-spec-validator \
                       (scripts/test installs scripts/requirements-test.txt there)";

fn document() -> Value {
    serde_json::to_value(qizhi_web::api::ApiDoc::openapi()).expect("the document as JSON")
}

fn operations(doc: &Value) -> Vec<(String, String, &Value)> {
    let mut out = vec![];
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("a path item") {
            if ["get", "put", "post", "delete", "patch"].contains(&method.as_str()) {
                out.push((method.to_uppercase(), path.clone(), op));
            }
        }
    }
    out
}

/// Missing tools fail the suite where it must be complete (CI).
fn required() -> bool {
    let set = |k: &str| std::env::var(k).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false");
    std::env::var("QIZHI_REQUIRE_BROWSER").is_ok_and(|v| v == "1") || set("CI")
}

fn venv_tool(name: &str) -> Option<PathBuf> {
    let tool = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv-test/bin").join(name);
    tool.is_file().then_some(tool)
}

#[test]
fn the_document_is_valid_openapi_3_1() {
    let doc = document();
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1.")), "not OpenAPI 3.1: {}", doc["openapi"]);
    let Some(validator) = venv_tool("openapi-spec-validator") else {
        if required() {
            panic!("QIZHI_REQUIRE_BROWSER=1 or CI is set but {SKIPPED}");
        }
        let _ = writeln!(std::io::stderr(), "{SKIPPED}");
        return;
    };
    let mut file = tempfile::Builder::new().suffix(".json").tempfile().expect("a temp file");
    file.write_all(serde_json::to_string_pretty(&doc).unwrap().as_bytes()).expect("writing the document");
    let out = Command::new(&validator)
        .args(["--schema", "3.1", "--validation-errors", "all"])
        .arg(file.path())
        .output()
        .expect("running openapi-spec-validator");
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "openapi-spec-validator refuses the document:\n{text}");
    assert!(text.contains("OK"), "openapi-spec-validator said:\n{text}");
}

#[test]
fn every_operation_has_its_own_id() {
    let doc = document();
    let mut seen = BTreeMap::new();
    for (method, path, op) in operations(&doc) {
        let id = op["operationId"].as_str().unwrap_or_else(|| panic!("{method} {path} has no operationId"));
        if let Some(other) = seen.insert(id.to_string(), format!("{method} {path}")) {
            panic!("operationId {id} is used by {other} and {method} {path}");
        }
    }
}

#[test]
fn path_parameters_are_exactly_those_of_the_path() {
    let doc = document();
    for (method, path, op) in operations(&doc) {
        let in_template: BTreeSet<&str> =
            path.split('/').filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}'))).collect();
        let params = op["parameters"].as_array().cloned().unwrap_or_default();
        let declared: BTreeSet<String> = params
            .iter()
            .filter(|p| p["in"] == "path")
            .map(|p| p["name"].as_str().unwrap_or_default().to_string())
            .collect();
        let template: BTreeSet<String> = in_template.iter().map(|s| s.to_string()).collect();
        assert_eq!(declared, template, "{method} {path}: path parameters");
        for p in &params {
            assert!(["path", "query"].contains(&p["in"].as_str().unwrap_or_default()), "{method} {path}: {p}");
        }
    }
}

#[test]
fn every_error_answer_is_the_shared_envelope() {
    let doc = document();
    let shared = doc["components"]["responses"].as_object().expect("components/responses");
    for (name, response) in shared {
        assert_eq!(
            response["content"]["application/json"]["schema"]["$ref"], "#/components/schemas/ErrorBody",
            "{name} is not the error envelope"
        );
    }
    for (method, path, op) in operations(&doc) {
        let responses = op["responses"].as_object().expect("responses");
        for (status, response) in responses {
            if status.starts_with('4') {
                let target = response["$ref"].as_str().unwrap_or_default();
                let name = target.strip_prefix("#/components/responses/").unwrap_or_else(|| {
                    panic!("{method} {path} answers {status} without the shared error response: {response}")
                });
                assert!(shared.contains_key(name), "{method} {path}: {target} is not defined");
            }
        }
        // Every operation needs a caller; every one that takes input may refuse it.
        assert!(responses.contains_key("401"), "{method} {path} does not document 401");
        let takes_input = op.get("requestBody").is_some() || op["parameters"].as_array().is_some_and(|p| !p.is_empty());
        for status in ["400", "403", "422"] {
            assert!(!takes_input || responses.contains_key(status), "{method} {path} does not document {status}");
        }
        if op["requestBody"]["content"].as_object().is_some_and(|c| c.len() == 1 && c.contains_key("application/json"))
        {
            assert!(responses.contains_key("415"), "{method} {path} takes JSON but does not document 415");
        }
        assert!(
            responses.keys().any(|s| s.starts_with('2')),
            "{method} {path} documents no success: {:?}",
            responses.keys()
        );
    }
}

/// Every `ToSchema` type of the web crate with the schema name the document
/// knows it by (`#[schema(as = …)]` or its own): (name, file).
fn schema_types() -> Vec<(String, String)> {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src];
    let mut out = vec![];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines = text.lines();
        while let Some(line) = lines.next() {
            let line = line.trim();
            if !(line.starts_with("#[derive(") && line.contains("ToSchema")) {
                continue;
            }
            // The type's own attributes and doc lines, then the type.
            let mut renamed = None;
            for next in lines.by_ref() {
                let next = next.trim();
                if let Some(rest) = next.strip_prefix("#[schema(as = ") {
                    renamed = rest.split(|c: char| !c.is_alphanumeric() && c != '_').next().map(str::to_string);
                }
                let item = next.trim_start_matches("pub(crate) ").trim_start_matches("pub ");
                if let Some(rest) = item.strip_prefix("struct ").or_else(|| item.strip_prefix("enum ")) {
                    let own = rest.split(|c: char| !c.is_alphanumeric() && c != '_').next().unwrap().to_string();
                    out.push((renamed.unwrap_or(own), path.display().to_string()));
                    break;
                }
            }
        }
    }
    out
}

/// utoipa keeps one schema per name, the last or the first registered, so
/// two types under one name would document one with the other's shape; and
/// a schema registered by two parts of the document is registered twice.
#[test]
fn every_schema_is_registered_once_under_its_own_name() {
    let types = schema_types();
    let mut names = BTreeMap::new();
    for (name, file) in &types {
        if let Some(other) = names.insert(name.clone(), file.clone()) {
            panic!("two types are schema {name}: in {other} and {file}");
        }
    }
    assert!(names.len() > 90, "found only {} schema types: does the search still read the sources?", names.len());
    let doc = document();
    let registered: BTreeSet<String> =
        doc["components"]["schemas"].as_object().expect("schemas").keys().cloned().collect();
    let declared: BTreeSet<String> = names.into_keys().collect();
    assert_eq!(registered, declared, "the document's schemas are not the crate's schema types, one each");
    for shared in qizhi_web::api::SHARED_SCHEMAS {
        assert!(registered.contains(*shared), "shared schema {shared} is not in the document");
    }
}
