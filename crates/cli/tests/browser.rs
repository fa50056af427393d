//! The browser test: a person's path through the demo, in real headless
//! Chromium driven over WebDriver (chromedriver on loopback, plain http).
//!
//! It starts `qizhi demo` on a free port with a fresh data folder, signs in as
//! `admin`, opens the organization tree, expands the root and the 福建 (FJ)
//! province node (children loaded by htmx), searches for 福建, opens the FJ unit
//! page and checks that its name and its branch tile (党支部数, 179 in the seed
//! world) equal what `GET /api/v1/figures?org=FJ` answers for the same session.
//! Then it checks the phone layout (390×844): the menu toggle shows, and opens
//! the side navigation. Then each role's home shows its work list and charts
//! (`browser/home.rs`), and last (`browser_steps/tasks.rs`) the demo's member
//! reports progress on a task from the phone and the task's unit and every
//! ancestor show the new figures.
//!
//! Screenshots and the server's and chromedriver's logs land in
//! `target/browser/` for debugging a red CI. Without `chromedriver` on PATH or
//! `/usr/bin/chromium` the test says `BROWSER TEST SKIPPED` and passes, unless
//! `QIZHI_REQUIRE_BROWSER=1` (CI), where that fails it. Every wait is bounded,
//! and every process it starts is stopped on every path (guards with Drop).

use std::fs::File;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail, ensure};
use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Value, json};

// stars: a branch self-assesses, a reviewer scores, the campaign is awarded,
// the distribution chart shows the result (tests/browser/stars.rs).
#[path = "browser/stars.rs"]
mod stars;
// each role's home: the work list and charts, each item opening its list.
#[path = "browser/home.rs"]
mod home;
// a member reports task progress from a phone.
#[path = "browser_steps/tasks.rs"]
mod tasks_steps;

const CHROMIUM: &str = "/usr/bin/chromium";
const SKIPPED: &str =
    "BROWSER TEST SKIPPED: install chromium and chromium-driver (apt-get install chromium chromium-driver)";
const PASSWORD: &str = "Qizhi-demo-2026";
/// The seed world's branch count under 福建 (pinned by the seed crate's tests).
const FJ_BRANCHES: i64 = 179;

const SERVER_START: Duration = Duration::from_secs(120);
const DRIVER_START: Duration = Duration::from_secs(30);
const STEP: Duration = Duration::from_secs(30);
const WHOLE_SESSION: Duration = Duration::from_secs(300);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_in_a_real_browser() {
    let started = Instant::now();
    let Some(driver) = browser_or_skip() else { return };
    let out = out_dir();
    std::fs::create_dir_all(&out).expect("creating target/browser");
    clear_previous(&out);

    let data = tempfile::tempdir().expect("temp dir for the demo data");
    let (server, base) = start_server(data.path(), &out).expect("starting qizhi demo");
    note(&format!("qizhi demo serving at {base} after {:.1} s", started.elapsed().as_secs_f64()));

    let profile = tempfile::tempdir().expect("temp dir for the Chromium profile");
    let (chromedriver, wd_url) = start_driver(&driver, &out).expect("starting chromedriver");
    let client = connect(&wd_url, profile.path()).await.expect("opening a Chromium session");

    let outcome = match tokio::time::timeout(WHOLE_SESSION, walk(&client, &base, &out)).await {
        Ok(r) => r,
        Err(_) => Err(anyhow!("the browser walk took longer than {WHOLE_SESSION:?}")),
    };
    if outcome.is_err() {
        // Best effort: what the browser showed when it failed.
        let _ = tokio::time::timeout(Duration::from_secs(10), shot(&client, &out, "failure")).await;
        if let Ok(Ok(html)) = tokio::time::timeout(Duration::from_secs(10), client.source()).await {
            let _ = std::fs::write(out.join("failure.html"), html);
        }
    }
    // Quit Chromium politely; the chromedriver guard kills what is left.
    let _ = tokio::time::timeout(Duration::from_secs(15), client.close()).await;
    drop(chromedriver);
    drop(server);
    if let Err(e) = outcome {
        panic!("browser test failed: {e:#}\n(screenshots and logs in {})", out.display());
    }
    note(&format!("browser test passed in {:.1} s; screenshots in {}", started.elapsed().as_secs_f64(), out.display()));
}

/// The steps a person takes, each wait bounded.
async fn walk(c: &Client, base: &str, out: &Path) -> anyhow::Result<()> {
    // Sign in.
    c.goto(&format!("{base}/login")).await?;
    let user = wait_css(c, "input#username[name=\"username\"]").await?;
    user.send_keys("admin").await?;
    wait_css(c, "input#password[name=\"password\"]").await?.send_keys(PASSWORD).await?;
    ensure!(
        c.find(Locator::Css("form input[type=\"hidden\"][name=\"csrf\"]")).await.is_ok(),
        "the login form has no hidden csrf field"
    );
    shot(c, out, "01-login").await?;
    c.find(Locator::Css("form.form button[type=\"submit\"]")).await?.click().await?;
    wait_css(c, ".topbar .user-name").await.context("signing in as admin: no signed-in top bar")?;

    // The org tree: the single root opens itself (qizhi.js); open it by hand if not.
    c.goto(&format!("{base}/org")).await?;
    let root_toggle = wait_css(c, "ul.tree-root > li.tree-node > .tree-row > .tree-toggle").await?;
    let auto = c
        .wait()
        .at_most(Duration::from_secs(5))
        .every(Duration::from_millis(100))
        .for_element(Locator::Css("ul.tree-root > li.tree-node > .tree-row > .tree-toggle[aria-expanded=\"true\"]"))
        .await;
    if auto.is_err() {
        root_toggle.click().await?;
    }
    let first_level = "ul.tree-root > li.tree-node > .tree-children:not([hidden]) > ul.tree > li.tree-node";
    wait_css(c, first_level).await.context("the root's children never appeared")?;
    ensure!(c.find_all(Locator::Css(first_level)).await?.len() > 1, "the root shows fewer than two children");
    // The desktop layout has no phone menu button.
    ensure!(
        !c.find(Locator::Css(".nav-toggle")).await?.is_displayed().await?,
        "the phone menu toggle shows at 1280 px"
    );

    // A province: 福建 (FJ), whose children (municipal committees) htmx loads.
    let fj_node = "//ul[contains(@class,'tree-root')]/li/div[contains(@class,'tree-children')]/ul/li\
                   [div[contains(@class,'tree-row')]/div[contains(@class,'tree-main')]\
                   /span[contains(@class,'code') and normalize-space()='FJ']]";
    let fj_toggle =
        wait_xpath(c, &format!("{fj_node}/div[contains(@class,'tree-row')]/button[contains(@class,'tree-toggle')]"))
            .await
            .context("no expandable FJ node under the root")?;
    fj_toggle.click().await?;
    let fj_children =
        format!("{fj_node}/div[contains(@class,'tree-children') and not(@hidden)]/ul/li[contains(@class,'tree-node')]");
    let child = wait_xpath(c, &fj_children).await.context("福建's children never appeared")?;
    ensure!(child.is_displayed().await?, "福建's children are loaded but hidden");
    ensure!(fj_toggle.attr("aria-expanded").await?.as_deref() == Some("true"), "FJ toggle not marked expanded");
    // Bring the opened province into the picture.
    c.execute("arguments[0].scrollIntoView({block: 'center'});", vec![serde_json::to_value(&fj_toggle)?]).await?;
    shot(c, out, "02-org-tree").await?;

    // Search, then open the FJ unit from the hits.
    let q = wait_css(c, "form.toolbar input[name=\"q\"]").await?;
    q.send_keys("福建").await?;
    c.find(Locator::Css("form.toolbar button[type=\"submit\"]")).await?.click().await?;
    let hit = wait_xpath(
        c,
        "//ul[contains(@class,'hits')]/li/div[contains(@class,'hit-title')]\
         [span[contains(@class,'code') and normalize-space()='FJ']]/a",
    )
    .await
    .context("searching 福建 found no FJ hit")?;
    shot(c, out, "03-org-search").await?;
    let href = hit.attr("href").await?.ok_or_else(|| anyhow!("the FJ hit has no link"))?;
    ensure!(href.starts_with("/units/"), "the FJ hit links to {href}");
    hit.click().await?;

    // The unit page: name, code, branch tile.
    let tile = wait_css(c, ".tiles [data-figure=\"org.branches\"] .tile-value").await?;
    let tile_text = tile.text().await?.trim().to_string();
    let h1 = c.find(Locator::Css(".page-head h1")).await?.text().await?.trim().to_string();
    let code = c.find(Locator::Css(".page-head .page-meta .code")).await?.text().await?.trim().to_string();
    ensure!(c.current_url().await?.path() == href, "clicking the hit did not open {href}");
    shot(c, out, "04-unit-fj").await?;
    ensure!(code == "FJ", "unit page shows code {code:?}");
    ensure!(h1.contains("福建"), "unit page title {h1:?} does not name 福建");

    // What the API says for the same session.
    c.goto(&format!("{base}/api/v1/figures?org=FJ")).await?;
    let body = wait_css(c, "body").await?;
    let text = match c.find(Locator::Css("pre")).await {
        Ok(pre) => pre.prop("textContent").await?.unwrap_or_default(),
        Err(_) => body.text().await?,
    };
    let api: Value = serde_json::from_str(&text).with_context(|| format!("the figures API answered {text:?}"))?;
    let api_name = api["org"]["name"].as_str().unwrap_or_default();
    let api_branches =
        api["figures"]["org.branches"].as_i64().ok_or_else(|| anyhow!("no integer org.branches in {api}"))?;
    ensure!(api["org"]["code"] == "FJ", "the API answered for {}", api["org"]["code"]);
    ensure!(h1 == api_name, "page title {h1:?} but the API names the unit {api_name:?}");
    let shown: i64 = tile_text.replace(',', "").parse().with_context(|| format!("branch tile shows {tile_text:?}"))?;
    ensure!(shown == api_branches, "branch tile shows {shown}, the API says {api_branches}");
    ensure!(shown == FJ_BRANCHES, "福建 has {shown} branches, the seed world has {FJ_BRANCHES}");

    // The phone layout: the menu folds behind a toggle that opens it.
    c.set_window_size(390, 844).await?;
    c.goto(&format!("{base}/org")).await?;
    let toggle = wait_css(c, "header.topbar .nav-toggle").await?;
    wait_displayed(&toggle, "the phone menu toggle").await?;
    let nav = c.find(Locator::Css("nav#sidenav")).await?;
    ensure!(!nav.is_displayed().await?, "the side navigation shows on a phone before the toggle is tapped");
    shot(c, out, "05-phone-org").await?;
    toggle.click().await?;
    wait_displayed(&nav, "the opened side navigation").await?;
    ensure!(toggle.attr("aria-expanded").await?.as_deref() == Some("true"), "the toggle is not marked expanded");
    shot(c, out, "06-phone-nav-open").await?;
    c.set_window_size(1280, 900).await?;
    stars::walk(c, base, out).await?;
    home::walk(c, base, out).await?;
    tasks_steps::member_reports_progress(c, base, out).await?;
    Ok(())
}

async fn wait_css(c: &Client, css: &str) -> anyhow::Result<Element> {
    c.wait()
        .at_most(STEP)
        .every(Duration::from_millis(100))
        .for_element(Locator::Css(css))
        .await
        .with_context(|| format!("waiting {STEP:?} for {css}"))
}

async fn wait_xpath(c: &Client, xpath: &str) -> anyhow::Result<Element> {
    c.wait()
        .at_most(STEP)
        .every(Duration::from_millis(100))
        .for_element(Locator::XPath(xpath))
        .await
        .with_context(|| format!("waiting {STEP:?} for {xpath}"))
}

async fn wait_displayed(el: &Element, what: &str) -> anyhow::Result<()> {
    let deadline = Instant::now() + STEP;
    while !el.is_displayed().await? {
        if Instant::now() > deadline {
            bail!("waited {STEP:?} for {what} to show");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

async fn shot(c: &Client, out: &Path, name: &str) -> anyhow::Result<()> {
    let png = c.screenshot().await?;
    std::fs::write(out.join(format!("{name}.png")), png)?;
    Ok(())
}

async fn connect(wd_url: &str, profile: &Path) -> anyhow::Result<Client> {
    let args = [
        "--headless=new".to_string(),
        "--no-sandbox".into(),
        "--disable-gpu".into(),
        "--disable-dev-shm-usage".into(),
        "--disable-background-networking".into(),
        "--disable-component-update".into(),
        "--disable-sync".into(),
        "--no-first-run".into(),
        "--window-size=1280,900".into(),
        format!("--user-data-dir={}", profile.display()),
    ];
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": { "binary": CHROMIUM, "args": args },
        "timeouts": { "pageLoad": 30_000, "script": 30_000, "implicit": 0 },
    });
    let Value::Object(caps) = caps else { unreachable!() };
    let mut builder = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new());
    builder.capabilities(caps);
    match tokio::time::timeout(Duration::from_secs(60), builder.connect(wd_url)).await {
        Ok(r) => r.with_context(|| format!("WebDriver session at {wd_url}")),
        Err(_) => bail!("opening a WebDriver session at {wd_url} took over 60 s"),
    }
}

/// `Some(chromedriver)` when a browser is here; `None` after saying the test
/// is skipped; a panic when CI requires the browser.
fn browser_or_skip() -> Option<PathBuf> {
    let driver = on_path("chromedriver");
    let chromium = Path::new(CHROMIUM).is_file();
    if let (Some(driver), true) = (&driver, chromium) {
        return Some(driver.clone());
    }
    let missing = match (driver.is_none(), !chromium) {
        (true, true) => "chromedriver (not on PATH) and /usr/bin/chromium",
        (true, false) => "chromedriver (not on PATH)",
        _ => "/usr/bin/chromium",
    };
    if std::env::var("QIZHI_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
        panic!("QIZHI_REQUIRE_BROWSER=1 but {missing} is missing: install chromium and chromium-driver");
    }
    note(&format!("{SKIPPED} (missing: {missing})"));
    None
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| p.is_file())
}

/// Straight to stderr, past the test harness's capture, so a skip is seen.
fn note(msg: &str) {
    let _ = writeln!(std::io::stderr(), "{msg}");
}

/// `target/browser`, next to the profile folder the test binary was built in.
fn out_dir() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_qizhi"));
    let target = bin.parent().and_then(Path::parent).unwrap_or(Path::new("target"));
    target.join("browser")
}

/// Removes the last run's screenshots and pages, so none is taken for this run's.
fn clear_previous(out: &Path) {
    for entry in std::fs::read_dir(out).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "png" || e == "html") {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A process this test started, stopped with its whole process tree when
/// dropped (chromedriver's Chromium included), on success, failure or panic.
struct Guard {
    child: Child,
}

impl Drop for Guard {
    fn drop(&mut self) {
        // Snapshot the tree first: once the parent dies its children are
        // re-parented and no longer findable as ours.
        let mut pids = descendants(self.child.id());
        pids.push(self.child.id());
        let _ = Command::new("kill")
            .arg("-KILL")
            .args(pids.iter().map(u32::to_string))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Every process below `root`, read from /proc (empty where there is no /proc).
fn descendants(root: u32) -> Vec<u32> {
    let mut parent_of = Vec::new();
    if let Ok(dir) = std::fs::read_dir("/proc") {
        for entry in dir.flatten() {
            let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
            let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
            // "pid (comm) state ppid ...": comm may hold spaces and parentheses.
            let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else { continue };
            if let Some(ppid) = rest.split_whitespace().nth(1).and_then(|s| s.parse::<u32>().ok()) {
                parent_of.push((pid, ppid));
            }
        }
    }
    let mut found = vec![];
    let mut frontier = vec![root];
    while let Some(p) = frontier.pop() {
        for &(pid, ppid) in &parent_of {
            if ppid == p && !found.contains(&pid) {
                found.push(pid);
                frontier.push(pid);
            }
        }
    }
    found
}

/// Starts `qizhi demo` on a free port; returns its guard and base URL (no
/// trailing slash) once it prints its serving line.
fn start_server(data: &Path, out: &Path) -> anyhow::Result<(Guard, String)> {
    let stderr = File::create(out.join("qizhi.log"))?;
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
        .stderr(Stdio::from(stderr))
        .spawn()
        .context("spawning qizhi")?;
    let mut guard = Guard { child };
    let stdout = guard.child.stdout.take().expect("piped stdout");
    let (tx, rx) = mpsc::channel();
    // Reads to the end, so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                // Nobody listens any more: keep draining.
            }
        }
    });
    let deadline = Instant::now() + SERVER_START;
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                if let Some((_, url)) = line.split_once("(serving): ") {
                    return Ok((guard, url.trim().trim_end_matches('/').to_string()));
                }
                seen.push(line);
            }
            Err(e) => {
                let status = guard.child.try_wait().ok().flatten();
                let log = std::fs::read_to_string(out.join("qizhi.log")).unwrap_or_default();
                bail!(
                    "qizhi demo did not print its serving line within {SERVER_START:?} ({e:?}, exit {status:?})\n\
                     stdout:\n{}\nstderr:\n{log}",
                    seen.join("\n")
                );
            }
        }
    }
}

/// Starts chromedriver on a free loopback port; returns its guard and URL once
/// it accepts connections.
fn start_driver(driver: &Path, out: &Path) -> anyhow::Result<(Guard, String)> {
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let log = File::create(out.join("chromedriver.log"))?;
    let child = Command::new(driver)
        .arg(format!("--port={port}"))
        .stdin(Stdio::null())
        .stdout(Stdio::from(log.try_clone()?))
        .stderr(Stdio::from(log))
        .spawn()
        .with_context(|| format!("spawning {}", driver.display()))?;
    let mut guard = Guard { child };
    let deadline = Instant::now() + DRIVER_START;
    loop {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok((guard, format!("http://127.0.0.1:{port}")));
        }
        if let Ok(Some(status)) = guard.child.try_wait() {
            bail!("chromedriver exited at start ({status}); see {}", out.join("chromedriver.log").display());
        }
        if Instant::now() > deadline {
            bail!("chromedriver did not listen on port {port} within {DRIVER_START:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
