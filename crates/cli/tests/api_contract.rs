//! The API against its OpenAPI document, with schemathesis: every operation
//! is called with input generated from the document (valid and invalid, one
//! call after another where answers feed later calls), as a system admin and
//! as a branch's unit admin, and every answer must be no server error and
//! exactly what the document declares: status, content type, headers, body.
//!
//! It starts `qizhi demo` on a free loopback port with a fresh data folder (so
//! everything schemathesis writes goes to a throwaway database), prints each
//! account's API token with `qizhi user token`, reads ids of records each
//! account may see and the codes the domain accepts, and hands them to
//! schemathesis as dictionaries so most calls reach real records rather than
//! answering 404. Text never holds a NUL byte (refused by the server's input
//! layer, not the handlers').
//!
//! Schemathesis comes from `.venv-test/` (`scripts/test` installs
//! `scripts/requirements-test.txt` there). Without it the test says
//! `SCHEMATHESIS TEST SKIPPED` and passes, unless `QIZHI_REQUIRE_BROWSER=1` or
//! `CI` is set, where that fails it. `QIZHI_SCHEMATHESIS_EXAMPLES` sets the
//! cases per operation (default 12: about two minutes for both accounts on
//! two cores). Each run's output is kept in `target/schemathesis/`. Every
//! wait is bounded (an account's run is stopped after two minutes, which
//! fails the test) and the server is stopped on every path.

use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail, ensure};
use serde_json::{Value, json};

const SKIPPED: &str = "SCHEMATHESIS TEST SKIPPED: no .venv-test/bin/schemathesis \
                       (scripts/test installs scripts/requirements-test.txt there)";
const SERVER_START: Duration = Duration::from_secs(120);
/// One account's run, at most.
const RUN_LIMIT: Duration = Duration::from_secs(120);
const DEFAULT_EXAMPLES: &str = "12";

/// The two accounts of the demo (README) the API is exercised as.
const ROLES: &[(&str, &str)] = &[("admin", "system admin"), ("fuzhou001", "unit admin of branch FJ01-001")];

#[test]
fn the_api_answers_as_its_document_says() {
    let started = Instant::now();
    let Some(schemathesis) = schemathesis_or_skip() else { return };
    let out = out_dir();
    std::fs::create_dir_all(&out).expect("creating target/schemathesis");
    let data = tempfile::tempdir().expect("temp dir for the demo data");
    let (server, base) = start_server(data.path(), &out).expect("starting qizhi demo");
    note(&format!("qizhi demo serving at {base} after {:.1} s", started.elapsed().as_secs_f64()));
    let db = format!("sqlite://{}", data.path().join("demo").join("qizhi.db").display());

    let mut failures = vec![];
    for (user, role) in ROLES {
        let began = Instant::now();
        let outcome = token(&db, user)
            .and_then(|token| {
                let config = config(&base, &token).context("reading ids for the run")?;
                let file = data.path().join(format!("schemathesis-{user}.toml"));
                std::fs::write(&file, config)?;
                run(&schemathesis, &base, &token, &file, data.path(), &out.join(format!("{user}.log")))
            })
            .with_context(|| format!("as {user} ({role})"));
        note(&format!("schemathesis as {user} ({role}): {:.1} s", began.elapsed().as_secs_f64()));
        if let Err(e) = outcome {
            failures.push(format!("{e:#}"));
        }
    }
    drop(server);
    assert!(failures.is_empty(), "{}\n(logs in {})", failures.join("\n\n"), out.display());
    note(&format!("schemathesis test passed in {:.1} s; logs in {}", started.elapsed().as_secs_f64(), out.display()));
}

/// Runs schemathesis over the whole document; an error carries the part of
/// its report that names the failures.
fn run(st: &Path, base: &str, token: &str, config: &Path, cwd: &Path, log: &Path) -> anyhow::Result<()> {
    let examples = std::env::var("QIZHI_SCHEMATHESIS_EXAMPLES").unwrap_or_else(|_| DEFAULT_EXAMPLES.into());
    let output = File::create(log)?;
    let mut child = Command::new(st)
        .arg("--config-file")
        .arg(config)
        .arg("--no-color")
        .args(["run", &format!("{base}/api/v1/openapi.json"), "--url", base])
        .args(["-H", &format!("Authorization: Bearer {token}")])
        // Every check but the one that takes a refusal by a domain rule (a
        // brand that is not a draft cannot be deleted) for a failure.
        .args(["--checks", "all", "--exclude-checks", "positive_data_acceptance"])
        .args(["--max-examples", &examples])
        .args(["--generation-allow-x00", "false", "--generation-database", "none"])
        .args(["--suppress-health-check", "all", "--request-timeout", "30"])
        // One worker: the generator is not thread-safe on every Python 3.11.
        .args(["--workers", "1"])
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::from(output.try_clone()?))
        .stderr(Stdio::from(output))
        .spawn()
        .with_context(|| format!("spawning {}", st.display()))?;
    let deadline = Instant::now() + RUN_LIMIT;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            bail!("schemathesis took longer than {RUN_LIMIT:?}; its output so far:\n{}", report(log));
        }
        std::thread::sleep(Duration::from_millis(200));
    };
    ensure!(status.success(), "schemathesis found problems ({status}):\n{}", report(log));
    Ok(())
}

/// The failures and errors of a schemathesis log and its summary (or its end).
fn report(log: &Path) -> String {
    let text = std::fs::read_to_string(log).unwrap_or_default();
    let from = ["=== ERRORS ===", "=== FAILURES ===", "=== SUMMARY ==="]
        .iter()
        .filter_map(|m| text.find(m).map(|i| text[..i].rfind('\n').map_or(0, |n| n + 1)))
        .min()
        .unwrap_or(text.len().saturating_sub(4000));
    let part = &text[from..];
    let mut end = part.len().min(30_000);
    while !part.is_char_boundary(end) {
        end -= 1;
    }
    part[..end].to_string()
}

// ---------------------------------------------------------------------------
// What schemathesis draws from: ids the account may reach, codes the domain
// accepts, a few plausible dates.

/// The dictionary of a path's `{id}`, by the path's start (most specific first).
const PATH_IDS: &[(&str, &str)] = &[
    ("/api/v1/units/", "units"),
    ("/api/v1/people/", "people"),
    ("/api/v1/tasks/", "tasks"),
    ("/api/v1/fortresses/", "fortresses"),
    ("/api/v1/teams/", "teams"),
    ("/api/v1/commitments/", "commitments"),
    ("/api/v1/brands/", "brands"),
    ("/api/v1/honors/", "honors"),
    ("/api/v1/stars/schemes/", "schemes"),
    ("/api/v1/stars/campaigns/", "campaigns"),
    ("/api/v1/stars/entries/", "entries"),
];

/// Body fields whose words depend on the area, by the path's start.
const AREA_FIELDS: &[(&str, &[(&str, &str)])] = &[
    (
        "/api/v1/units",
        &[("kind", "unit_kinds"), ("status", "unit_statuses"), ("founded", "dates"), ("parent_code", "codes")],
    ),
    (
        "/api/v1/people",
        &[("category", "person_categories"), ("gender", "genders"), ("join_date", "dates"), ("birth_date", "dates")],
    ),
    (
        "/api/v1/tasks",
        &[
            ("kind", "task_kinds"),
            ("status", "task_statuses"),
            ("priority", "priorities"),
            ("due_on", "dates"),
            ("start_on", "dates"),
            ("entry_on", "dates"),
            ("year", "years"),
            ("progress", "percents"),
            ("ids[*]", "tasks"),
        ],
    ),
    ("/api/v1/teams", &[("kind", "team_kinds"), ("founded_on", "dates"), ("members[*]", "people")]),
    ("/api/v1/fortresses", &[("set_up_on", "dates"), ("planted_on", "dates")]),
    (
        "/api/v1/commitments",
        &[("category", "commitment_categories"), ("year", "years"), ("due_on", "dates"), ("result", "verdicts")],
    ),
    (
        "/api/v1/brands",
        &[
            ("category", "brand_categories"),
            ("founded_year", "years"),
            ("decision", "decisions"),
            ("to", "brand_statuses"),
            ("kind", "evidence_kinds"),
            ("item_id", "items"),
        ],
    ),
    (
        "/api/v1/honors",
        &[
            ("level", "honor_levels"),
            ("holder_kind", "holder_kinds"),
            ("awarded_on", "dates"),
            ("brand_code", "brand_codes"),
        ],
    ),
    ("/api/v1/stars/queue", &[("action", "queue_actions"), ("level", "levels"), ("ids[*]", "entries")]),
    ("/api/v1/stars/entries", &[("level", "levels"), ("target_star", "stars")]),
    ("/api/v1/stars/campaigns", &[("review_levels", "levels")]),
    ("/api/v1/stars/schemes", &[("year", "years")]),
];

/// Fields that name the same kind of record wherever they appear.
const COMMON: &[(&str, &str)] = &[
    ("body.unit_id", "units"),
    ("body.parent_id", "units"),
    ("body.person_id", "people"),
    ("body.leader_id", "people"),
    ("body.responsible[*]", "people"),
    ("body.brand_id", "brands"),
    ("body.team_id", "teams"),
    ("body.fortress_id", "fortresses"),
    ("body.scheme_id", "schemes"),
    ("body.org", "codes"),
    ("query.org", "codes"),
    ("query.campaign", "campaigns"),
];

/// How often a bound field takes a dictionary value rather than a generated one.
const PROBABILITY: f64 = 0.75;

/// The schemathesis configuration for one account: its dictionaries and which
/// field draws from which.
fn config(base: &str, token: &str) -> anyhow::Result<String> {
    let mut dictionaries: Vec<(&str, Vec<Value>)> = vocabulary();
    dictionaries.extend(reachable(base, token)?);
    let known = |name: &str| dictionaries.iter().any(|(n, v)| *n == name && !v.is_empty());
    let bind = |key: &str, dictionary: &str| {
        format!("{} = {{ dictionary = \"{dictionary}\", probability = {PROBABILITY} }}", json!(key))
    };

    let mut toml = String::new();
    for (name, values) in &dictionaries {
        if !values.is_empty() {
            toml.push_str(&format!("[dictionaries.{name}]\nvalues = {}\n\n", Value::Array(values.clone())));
        }
    }
    toml.push_str("[parameters]\n");
    for (key, dictionary) in COMMON.iter().filter(|(_, d)| known(d)) {
        toml.push_str(&bind(key, dictionary));
        toml.push('\n');
    }
    // One entry per operation: the first entry matching an operation decides
    // its parameters.
    let doc = get_json(base, token, "/api/v1/openapi.json")?;
    for (path, item) in doc["paths"].as_object().context("the document's paths")? {
        for method in item.as_object().into_iter().flatten().map(|(m, _)| m.to_uppercase()) {
            let mut binds = vec![];
            if let Some((_, d)) = PATH_IDS.iter().find(|(p, _)| path.starts_with(p)) {
                binds.push(("path.id".to_string(), *d));
            }
            if path.contains("{item}") {
                binds.push(("path.item".to_string(), "items"));
            }
            if let Some((_, fields)) = AREA_FIELDS.iter().find(|(p, _)| path.starts_with(p)) {
                binds.extend(fields.iter().map(|(f, d)| (format!("body.{f}"), *d)));
            }
            let binds: Vec<String> = binds.iter().filter(|(_, d)| known(d)).map(|(k, d)| bind(k, d)).collect();
            if !binds.is_empty() {
                toml.push_str(&format!(
                    "\n[[operations]]\ninclude-name = {}\nparameters = {{ {} }}\n",
                    json!(format!("{method} {path}")),
                    binds.join(", ")
                ));
            }
        }
    }
    Ok(toml)
}

/// The codes the domain accepts, straight from its types, and plausible
/// numbers and dates.
fn vocabulary() -> Vec<(&'static str, Vec<Value>)> {
    use qizhi_core::{brand, commitments, org, person, tasks, teams};
    fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<Value> {
        all.iter().map(|&v| json!(code(v))).collect()
    }
    fn words(all: &[&str]) -> Vec<Value> {
        all.iter().map(|w| json!(w)).collect()
    }
    fn numbers(all: &[i64]) -> Vec<Value> {
        all.iter().map(|n| json!(n)).collect()
    }
    vec![
        ("unit_kinds", codes(&org::UnitKind::ALL, org::UnitKind::code)),
        ("unit_statuses", codes(&[org::UnitStatus::Active, org::UnitStatus::Dissolved], org::UnitStatus::code)),
        ("person_categories", codes(&person::Category::ALL, person::Category::code)),
        ("genders", codes(&[person::Gender::Male, person::Gender::Female], person::Gender::code)),
        ("task_kinds", codes(&tasks::TaskKind::ALL, tasks::TaskKind::code)),
        ("task_statuses", codes(&tasks::TaskStatus::ALL, tasks::TaskStatus::code)),
        ("priorities", codes(&tasks::Priority::ALL, tasks::Priority::code)),
        ("team_kinds", codes(&teams::TeamKind::ALL, teams::TeamKind::code)),
        ("commitment_categories", codes(&commitments::Category::ALL, commitments::Category::code)),
        (
            "verdicts",
            codes(&[commitments::Status::Fulfilled, commitments::Status::Unfulfilled], commitments::Status::code),
        ),
        ("brand_categories", codes(brand::BrandCategory::ALL, brand::BrandCategory::code)),
        ("brand_statuses", codes(brand::BrandStatus::ALL, brand::BrandStatus::code)),
        // Files and photos are uploaded as forms, not posted as JSON evidence.
        ("evidence_kinds", codes(&[brand::EvidenceKind::Text, brand::EvidenceKind::Figure], brand::EvidenceKind::code)),
        ("honor_levels", codes(brand::HonorLevel::ALL, brand::HonorLevel::code)),
        ("holder_kinds", codes(&[brand::HolderKind::Unit, brand::HolderKind::Brand], brand::HolderKind::code)),
        ("decisions", words(&["approve", "return"])),
        ("queue_actions", words(&["accept", "return"])),
        ("levels", numbers(&[1, 2])),
        ("stars", numbers(&[1, 3, 5])),
        ("years", numbers(&[2023, 2024, 2025])),
        ("percents", numbers(&[0, 40, 100])),
        ("dates", words(&["2021-07-01", "2024-03-15", "2025-01-06"])),
    ]
}

/// Ids and codes of records the account may read, from its own API answers.
fn reachable(base: &str, token: &str) -> anyhow::Result<Vec<(&'static str, Vec<Value>)>> {
    const TAKE: usize = 12;
    let get = |path: &str| get_json(base, token, path);
    // Lists the account may not read answer an error: they add nothing.
    let items = |path: &str, field: &str| -> Vec<Value> {
        let answer = get(path).unwrap_or(Value::Null);
        let list = answer.get("items").or(answer.get("entries")).unwrap_or(&answer);
        list.as_array().into_iter().flatten().filter_map(|x| x.get(field).cloned()).take(TAKE).collect()
    };
    let tops = get("/api/v1/units")?;
    let top = tops[0]["id"].as_i64().ok_or_else(|| anyhow!("the account sees no unit: {tops}"))?;
    let mut units = items("/api/v1/units", "id");
    units.extend(items(&format!("/api/v1/units/{top}/children"), "id"));
    let mut codes = items("/api/v1/units", "code");
    codes.extend(items(&format!("/api/v1/units/{top}/children"), "code"));
    let campaigns = items("/api/v1/stars/campaigns", "id");
    let entries: Vec<Value> = campaigns
        .iter()
        .take(3)
        .flat_map(|c| items(&format!("/api/v1/stars/campaigns/{c}/entries?per_page={TAKE}"), "id"))
        .take(TAKE)
        .collect();
    let brands = items(&format!("/api/v1/brands?per_page={TAKE}"), "id");
    let standard = brands.first().map(|b| get(&format!("/api/v1/brands/{b}/standard")).unwrap_or(Value::Null));
    let items_of_standard = standard
        .iter()
        .flat_map(|s| s["items"].as_array().cloned().unwrap_or_default())
        .filter_map(|i| i.get("item_id").or(i.get("id")).cloned())
        .collect();
    Ok(vec![
        ("units", units),
        ("codes", codes),
        ("people", items(&format!("/api/v1/units/{top}/people?per_page={TAKE}"), "id")),
        ("tasks", items(&format!("/api/v1/units/{top}/tasks?per_page={TAKE}"), "id")),
        ("fortresses", items(&format!("/api/v1/units/{top}/fortresses?per_page={TAKE}"), "id")),
        ("teams", items(&format!("/api/v1/units/{top}/teams?per_page={TAKE}"), "id")),
        ("commitments", items(&format!("/api/v1/units/{top}/commitments?per_page={TAKE}"), "id")),
        ("brands", brands),
        ("brand_codes", items(&format!("/api/v1/brands?per_page={TAKE}"), "code")),
        ("honors", items(&format!("/api/v1/honors?per_page={TAKE}"), "id")),
        ("schemes", items("/api/v1/stars/schemes", "id")),
        ("campaigns", campaigns),
        ("entries", entries),
        ("items", items_of_standard),
    ])
}

/// `GET path` as the account, over plain HTTP/1.0 on loopback; the JSON of a 200.
fn get_json(base: &str, token: &str, path: &str) -> anyhow::Result<Value> {
    let host = base.strip_prefix("http://").context("an http:// base")?;
    let mut stream = TcpStream::connect(host)?;
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    write!(
        stream,
        "GET {path} HTTP/1.0\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\nAccept: application/json\r\n\r\n"
    )?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    let answer = String::from_utf8(answer)?;
    let (head, body) = answer.split_once("\r\n\r\n").context("an HTTP answer")?;
    let status = head.split_whitespace().nth(1).unwrap_or_default();
    ensure!(status == "200", "GET {path}: {status} {body}");
    Ok(serde_json::from_str(body)?)
}

// ---------------------------------------------------------------------------
// Processes

/// A new API token of a demo account, from the CLI.
fn token(db: &str, user: &str) -> anyhow::Result<String> {
    let out = Command::new(env!("CARGO_BIN_EXE_qizhi"))
        .args(["--db", db, "user", "token", user, "--name", "schemathesis"])
        .env_remove("QIZHI_CONFIG")
        .stdin(Stdio::null())
        .output()
        .context("running qizhi user token")?;
    ensure!(out.status.success(), "qizhi user token {user}: {}", String::from_utf8_lossy(&out.stderr));
    let token = String::from_utf8(out.stdout)?.trim().to_string();
    ensure!(!token.is_empty() && !token.contains(char::is_whitespace), "qizhi user token {user} printed {token:?}");
    Ok(token)
}

fn schemathesis_or_skip() -> Option<PathBuf> {
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv-test/bin/schemathesis");
    if tool.is_file() {
        return Some(tool);
    }
    let set = |k: &str| std::env::var(k).is_ok_and(|v| !v.is_empty() && v != "0" && v != "false");
    if std::env::var("QIZHI_REQUIRE_BROWSER").is_ok_and(|v| v == "1") || set("CI") {
        panic!("QIZHI_REQUIRE_BROWSER=1 or CI is set but {SKIPPED}");
    }
    note(SKIPPED);
    None
}

/// Straight to stderr, past the test harness's capture, so a skip is seen.
fn note(msg: &str) {
    let _ = writeln!(std::io::stderr(), "{msg}");
}

/// `target/schemathesis`, next to the profile folder the test binary was built in.
fn out_dir() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_qizhi"));
    let target = bin.parent().and_then(Path::parent).unwrap_or(Path::new("target"));
    target.join("schemathesis")
}

/// The server, stopped when dropped, on success, failure or panic.
struct Guard {
    child: Child,
}

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `qizhi demo` on a free port; returns its guard and base URL (no
/// trailing slash) once it prints its serving line.
fn start_server(data: &Path, out: &Path) -> anyhow::Result<(Guard, String)> {
    let log = out.join("qizhi.log");
    let child = Command::new(env!("CARGO_BIN_EXE_qizhi"))
        .args(["demo", "--data"])
        .arg(data.join("demo"))
        .args(["--addr", "127.0.0.1:0"])
        .current_dir(data)
        .env_remove("QIZHI_CONFIG")
        .env_remove("QIZHI_DB")
        .env_remove("QIZHI_ADDR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::from(File::create(&log)?))
        .spawn()
        .context("spawning qizhi")?;
    let mut guard = Guard { child };
    let stdout = guard.child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    // Reads to the end, so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + SERVER_START;
    let mut seen = Vec::new();
    loop {
        match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(line) => {
                if let Some((_, url)) = line.split_once("(serving): ") {
                    return Ok((guard, url.trim().trim_end_matches('/').to_string()));
                }
                seen.push(line);
            }
            Err(e) => {
                let status = guard.child.try_wait().ok().flatten();
                bail!(
                    "qizhi demo did not print its serving line within {SERVER_START:?} ({e:?}, exit {status:?})\n\
                     stdout:\n{}\nstderr:\n{}",
                    seen.join("\n"),
                    std::fs::read_to_string(&log).unwrap_or_default()
                );
            }
        }
    }
}
