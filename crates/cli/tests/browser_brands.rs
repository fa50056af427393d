//! The brand flow in a real browser (headless Chromium over WebDriver, on
//! loopback): a branch admin of the demo (`fuzhou001`, FJ01-001) creates a
//! brand, builds its structure with the editor, and applies; a reviewer of
//! Fujian (`fjreview`, who covers FJ01, the branch's parent) finds it in the
//! review queue and approves it through 初审, 评审 and 命名; the showcase then
//! shows the brand at its new status with its structure drawn, and the
//! figures API counts it.
//!
//! Like `browser.rs`: screenshots and logs land in `target/browser-brands/`;
//! without chromedriver or /usr/bin/chromium the test says `BROWSER TEST
//! SKIPPED` and passes unless `QIZHI_REQUIRE_BROWSER=1`; every wait is
//! bounded and every process started is stopped on every path.

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

const CHROMIUM: &str = "/usr/bin/chromium";
const PASSWORD: &str = "Qizhi-demo-2026";
const STEP: Duration = Duration::from_secs(30);
const WHOLE_SESSION: Duration = Duration::from_secs(300);
/// The brand this test creates (unique in the demo world).
const NAME: &str = "红帆领航";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_brand_is_built_applied_for_approved_and_shown() {
    let started = Instant::now();
    let Some(driver) = browser_or_skip() else { return };
    let out = out_dir();
    std::fs::create_dir_all(&out).expect("creating target/browser-brands");
    let data = tempfile::tempdir().expect("temp dir for the demo data");
    let (server, base) = start_server(data.path(), &out).expect("starting qizhi demo");
    let profile = tempfile::tempdir().expect("temp dir for the Chromium profile");
    let (chromedriver, wd_url) = start_driver(&driver, &out).expect("starting chromedriver");
    let client = connect(&wd_url, profile.path()).await.expect("opening a Chromium session");

    let outcome = match tokio::time::timeout(WHOLE_SESSION, walk(&client, &base, &out)).await {
        Ok(r) => r,
        Err(_) => Err(anyhow!("the browser walk took longer than {WHOLE_SESSION:?}")),
    };
    if outcome.is_err() {
        let _ = tokio::time::timeout(Duration::from_secs(10), shot(&client, &out, "failure")).await;
        if let Ok(Ok(html)) = tokio::time::timeout(Duration::from_secs(10), client.source()).await {
            let _ = std::fs::write(out.join("failure.html"), html);
        }
    }
    let _ = tokio::time::timeout(Duration::from_secs(15), client.close()).await;
    drop(chromedriver);
    drop(server);
    if let Err(e) = outcome {
        panic!("brand browser test failed: {e:#}\n(screenshots and logs in {})", out.display());
    }
    note(&format!("brand browser test passed in {:.1} s", started.elapsed().as_secs_f64()));
}

async fn sign_in(c: &Client, base: &str, user: &str) -> anyhow::Result<()> {
    c.goto(&format!("{base}/login")).await?;
    wait_css(c, "input#username").await?.send_keys(user).await?;
    wait_css(c, "input#password").await?.send_keys(PASSWORD).await?;
    c.find(Locator::Css("form.form button[type=\"submit\"]")).await?.click().await?;
    wait_css(c, ".topbar .user-name").await.with_context(|| format!("signing in as {user}"))?;
    Ok(())
}

async fn sign_out(c: &Client) -> anyhow::Result<()> {
    c.find(Locator::Css("form.logout button")).await?.click().await?;
    wait_css(c, "input#username").await.context("signing out")?;
    Ok(())
}

/// Fills the add-element form and submits it, waiting for the editor to list the element.
async fn add_element(c: &Client, parent: Option<&str>, kind: &str, title: &str) -> anyhow::Result<()> {
    let form = wait_css(c, "form#add-element").await?;
    if let Some(p) = parent {
        form.find(Locator::Css("select#el-parent")).await?.select_by_label(p).await?;
    }
    form.find(Locator::Css("select#el-kind")).await?.select_by_label(kind).await?;
    form.find(Locator::Css("input#el-title")).await?.send_keys(title).await?;
    form.find(Locator::Css("button[type=\"submit\"]")).await?.click().await?;
    wait_xpath(c, &format!("//ol[contains(@class,'editor')]//strong[normalize-space()='{title}']"))
        .await
        .with_context(|| format!("element {title} never appeared"))?;
    Ok(())
}

async fn walk(c: &Client, base: &str, out: &Path) -> anyhow::Result<()> {
    // The branch admin lands on their branch's (empty) matrix and creates a brand.
    sign_in(c, base, "fuzhou001").await?;
    c.goto(&format!("{base}/brands")).await?;
    wait_css(c, ".page-actions a[href^=\"/brands/new\"]")
        .await
        .context("no 新建品牌 for the branch admin")?
        .click()
        .await?;
    wait_css(c, "input#b-name").await?.send_keys(NAME).await?;
    c.find(Locator::Css("input#b-slogan")).await?.send_keys("扬帆争先，服务为民").await?;
    c.find(Locator::Css("textarea#b-concept")).await?.send_keys("以党建引领营业服务，打造党员先锋阵地").await?;
    shot(c, out, "01-new-brand").await?;
    c.find(Locator::Css("form.form-grid button[type=\"submit\"]")).await?.click().await?;

    // The structure editor: two groups, one element under the first.
    wait_css(c, "form#add-element").await.context("creating the brand did not open its structure")?;
    let brand_path = c.current_url().await?.path().trim_end_matches("/structure").to_string();
    ensure!(brand_path.starts_with("/brands/"), "after creating, at {brand_path}");
    add_element(c, None, "分组", "三个阵地").await?;
    add_element(c, Some("1 三个阵地"), "阵地", "营业厅党员先锋岗").await?;
    add_element(c, None, "队伍", "青年突击队").await?;
    shot(c, out, "02-structure").await?;

    // Apply (draft → 培育).
    c.goto(&format!("{base}{brand_path}/review")).await?;
    wait_css(c, "form.apply button[type=\"submit\"]").await.context("no apply button for the owner")?.click().await?;
    wait_css(c, ".application").await.context("the application is not shown as pending")?;
    ensure!(c.find(Locator::Css("form.decide")).await.is_err(), "the owner is offered the reviewer's decision");
    shot(c, out, "03-applied").await?;
    sign_out(c).await?;

    // The reviewer of Fujian: the queue, then three approvals.
    sign_in(c, base, "fjreview").await?;
    c.goto(&format!("{base}/brands/reviews")).await?;
    let link = wait_xpath(c, &format!("//table//tr[td/a[normalize-space()='{NAME}']]//a[contains(@href,'/review')]"))
        .await
        .context("the brand is not in the reviewer's queue")?;
    shot(c, out, "04-queue").await?;
    link.click().await?;
    for step in 0..3 {
        let approve = wait_css(c, "form.decide button[value=\"approve\"]")
            .await
            .with_context(|| format!("no approve button at step {}", step + 1))?;
        approve.click().await?;
        // The previous step's message is still on the old page: wait for the new one.
        wait_stale(&approve).await.with_context(|| format!("approval {} did not load a new page", step + 1))?;
        wait_css(c, ".alert-success").await.with_context(|| format!("approval {} not confirmed", step + 1))?;
    }
    ensure!(c.find(Locator::Css("form.decide")).await.is_err(), "still under review after 命名");
    let current = wait_css(c, ".ladder li.current").await?.text().await?;
    ensure!(current.trim() == "培育", "the ladder shows {current:?} after naming");
    shot(c, out, "05-named").await?;

    // The showcase shows it: name, status, structure (drawn), history.
    c.goto(&format!("{base}{brand_path}")).await?;
    let h1 = wait_css(c, ".brand-hero h1").await?.text().await?;
    ensure!(h1.trim() == NAME, "the showcase is titled {h1:?}");
    let status =
        c.find(Locator::Css(".brand-hero .badge.bs-cultivating")).await.context("no 培育 badge")?.text().await?;
    ensure!(status.trim() == "培育", "status badge {status:?}");
    wait_css(c, ".structure-chart svg").await.context("the structure diagram was not drawn")?;
    let source = c.source().await?;
    for s in ["三个阵地", "营业厅党员先锋岗", "青年突击队", "扬帆争先"] {
        ensure!(source.contains(s), "the showcase lacks {s}");
    }
    let named = c.find_all(Locator::Css(".timeline li.tl-named")).await?.len();
    ensure!(named == 1, "{named} 命名 entries in the history");
    shot(c, out, "06-showcase").await?;

    // The figures count it, as the API answers the same session.
    c.goto(&format!("{base}/api/v1/figures?org=FJ01-001")).await?;
    let text = match c.find(Locator::Css("pre")).await {
        Ok(pre) => pre.prop("textContent").await?.unwrap_or_default(),
        Err(_) => wait_css(c, "body").await?.text().await?,
    };
    let api: Value = serde_json::from_str(&text).with_context(|| format!("the figures API answered {text:?}"))?;
    ensure!(api["figures"]["brands.status.cultivating"] == 1, "figures: {}", api["figures"]);

    // The brand tree of the whole group draws its brands as a treemap.
    c.goto(&format!("{base}/brands/tree")).await?;
    let treemap = wait_css(c, ".chart.treemap svg").await.context("the brand tree drew no chart")?;
    ensure!(treemap.is_displayed().await?, "the brand treemap is hidden");
    ensure!(
        c.find(Locator::Css("details.tree-list")).await.is_ok(),
        "the brands' list is not folded under the treemap"
    );
    c.execute("arguments[0].scrollIntoView({block: 'center'});", vec![serde_json::to_value(&treemap)?]).await?;
    shot(c, out, "07-tree").await?;
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

/// Waits until `el` belongs to a page that has been replaced.
async fn wait_stale(el: &Element) -> anyhow::Result<()> {
    let until = std::time::Instant::now() + STEP;
    while el.tag_name().await.is_ok() {
        ensure!(std::time::Instant::now() < until, "waited {STEP:?} for the page to change");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Ok(())
}

async fn wait_xpath(c: &Client, xpath: &str) -> anyhow::Result<Element> {
    c.wait()
        .at_most(STEP)
        .every(Duration::from_millis(100))
        .for_element(Locator::XPath(xpath))
        .await
        .with_context(|| format!("waiting {STEP:?} for {xpath}"))
}

async fn shot(c: &Client, out: &Path, name: &str) -> anyhow::Result<()> {
    std::fs::write(out.join(format!("{name}.png")), c.screenshot().await?)?;
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

fn browser_or_skip() -> Option<PathBuf> {
    let driver = std::env::var_os("PATH")
        .and_then(|p| std::env::split_paths(&p).map(|d| d.join("chromedriver")).find(|p| p.is_file()));
    let chromium = Path::new(CHROMIUM).is_file();
    if let (Some(d), true) = (&driver, chromium) {
        return Some(d.clone());
    }
    if std::env::var("QIZHI_REQUIRE_BROWSER").is_ok_and(|v| v == "1") {
        panic!("QIZHI_REQUIRE_BROWSER=1 but chromedriver or /usr/bin/chromium is missing");
    }
    note("BROWSER TEST SKIPPED: install chromium and chromium-driver (apt-get install chromium chromium-driver)");
    None
}

fn note(msg: &str) {
    let _ = writeln!(std::io::stderr(), "{msg}");
}

fn out_dir() -> PathBuf {
    let bin = Path::new(env!("CARGO_BIN_EXE_qizhi"));
    bin.parent().and_then(Path::parent).unwrap_or(Path::new("target")).join("browser-brands")
}

/// A process this test started; stopped with its whole tree when dropped.
struct Guard {
    child: Child,
}

impl Drop for Guard {
    fn drop(&mut self) {
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

/// Every process below `root`, read from /proc.
fn descendants(root: u32) -> Vec<u32> {
    let mut parent_of = Vec::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else { continue };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        let Some(rest) = stat.rsplit_once(')').map(|(_, r)| r) else { continue };
        if let Some(ppid) = rest.split_whitespace().nth(1).and_then(|s| s.parse::<u32>().ok()) {
            parent_of.push((pid, ppid));
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
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                if let Some((_, url)) = line.split_once("(serving): ") {
                    return Ok((guard, url.trim().trim_end_matches('/').to_string()));
                }
            }
            Err(e) => {
                let log = std::fs::read_to_string(out.join("qizhi.log")).unwrap_or_default();
                bail!("qizhi demo did not start ({e:?}):\n{log}");
            }
        }
    }
}

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
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok((guard, format!("http://127.0.0.1:{port}")));
        }
        if let Ok(Some(status)) = guard.child.try_wait() {
            bail!("chromedriver exited at start ({status})");
        }
        if Instant::now() > deadline {
            bail!("chromedriver did not listen on port {port} within 30 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
