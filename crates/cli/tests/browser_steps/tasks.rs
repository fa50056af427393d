//! The browser test's task step: the demo's member, on a
//! phone-sized window, opens "my tasks", reports progress on a task, and the
//! task, its unit and every ancestor show the new figures at once (read by
//! an admin through the figures API before and after).

use std::path::Path;
use std::time::Duration;

use anyhow::{Context, anyhow, ensure};
use fantoccini::{Client, Locator};
use serde_json::Value;

use super::{PASSWORD, shot, wait_css};

/// The demo member account (a party member of FJ01-001, see `qizhi demo`).
const MEMBER: &str = "member";
/// The year the seed world's tasks count in.
const YEAR: i32 = 2024;

/// The JSON a GET answers in this browser session.
async fn api_json(c: &Client, url: &str) -> anyhow::Result<Value> {
    c.goto(url).await?;
    let body = wait_css(c, "body").await?;
    let text = match c.find(Locator::Css("pre")).await {
        Ok(pre) => pre.prop("textContent").await?.unwrap_or_default(),
        Err(_) => body.text().await?,
    };
    serde_json::from_str(&text).with_context(|| format!("{url} answered {text:?}"))
}

async fn sign_out(c: &Client, base: &str) -> anyhow::Result<()> {
    c.goto(&format!("{base}/")).await?;
    let button = wait_css(c, "form.logout button[type=\"submit\"]").await?;
    button.click().await?;
    wait_css(c, "input#username").await.context("signing out did not lead to the login form")?;
    Ok(())
}

async fn sign_in(c: &Client, base: &str, user: &str) -> anyhow::Result<()> {
    c.goto(&format!("{base}/login")).await?;
    wait_css(c, "input#username").await?.send_keys(user).await?;
    wait_css(c, "input#password").await?.send_keys(PASSWORD).await?;
    c.find(Locator::Css("form.form button[type=\"submit\"]")).await?.click().await?;
    wait_css(c, "header.topbar").await.with_context(|| format!("signing in as {user}"))?;
    Ok(())
}

/// The codes of a unit and its ancestors, through the API.
async fn lineage(c: &Client, base: &str, unit_id: i64) -> anyhow::Result<Vec<String>> {
    let mut out = vec![];
    let mut next = Some(unit_id);
    while let Some(id) = next {
        let u = api_json(c, &format!("{base}/api/v1/units/{id}")).await?;
        out.push(u["code"].as_str().unwrap_or_default().to_string());
        next = u["parent_id"].as_i64();
    }
    Ok(out)
}

async fn figures(c: &Client, base: &str, code: &str) -> anyhow::Result<Value> {
    let v = api_json(c, &format!("{base}/api/v1/figures?org={code}&from={YEAR}")).await?;
    Ok(v["figures"].clone())
}

/// Signed in as admin on entry (any window size); signed in as admin on exit.
pub async fn member_reports_progress(c: &Client, base: &str, out: &Path) -> anyhow::Result<()> {
    // The member's task and the figures of its unit's line, as they are before.
    sign_out(c, base).await?;
    c.set_window_size(390, 844).await?;
    sign_in(c, base, MEMBER).await?;
    c.goto(&format!("{base}/my")).await?;
    let card = wait_css(c, ".my-tasks .task-card-link").await.context("the member has no task on /my")?;
    let tabs = c.find(Locator::Css("nav.tabbar")).await.context("a member's phone has no tab bar")?;
    ensure!(tabs.is_displayed().await?, "the member's tab bar is hidden on a phone");
    shot(c, out, "07-phone-my-tasks").await?;
    let href = card.attr("href").await?.ok_or_else(|| anyhow!("a task card without a link"))?;
    let task_id: i64 = href.trim_start_matches("/tasks/").parse().with_context(|| format!("task link {href}"))?;
    card.click().await?;
    let shown = wait_css(c, "[data-task-progress]").await?;
    let old: i64 = shown.attr("data-task-progress").await?.unwrap_or_default().parse()?;
    let new = if old < 90 { old + 7 } else { old - 7 };

    sign_out(c, base).await?;
    sign_in(c, base, "admin").await?;
    let task = api_json(c, &format!("{base}/api/v1/tasks/{task_id}")).await?;
    ensure!(task["progress"].as_i64() == Some(old), "the page showed {old}%, the API says {}", task["progress"]);
    let kind = task["kind"].as_str().unwrap_or_default().to_string();
    let units = lineage(c, base, task["unit_id"].as_i64().unwrap_or_default()).await?;
    ensure!(units.len() >= 3, "the task's unit has too few ancestors: {units:?}");
    let mut before = vec![];
    for code in &units {
        before.push(figures(c, base, code).await?);
    }

    // On the phone: report progress with a note.
    sign_out(c, base).await?;
    sign_in(c, base, MEMBER).await?;
    c.goto(&format!("{base}{href}")).await?;
    let progress = wait_css(c, "form.entry-form input#entry-progress").await?;
    // A quick step adds to the progress shown.
    let plus = c.find(Locator::Css("form.entry-form [data-steps-for] button[data-add=\"10\"]")).await?;
    // Above the tab bar, as a thumb would scroll it.
    c.execute("arguments[0].scrollIntoView({block: 'center'});", vec![serde_json::to_value(&plus)?]).await?;
    plus.click().await?;
    let stepped = progress.prop("value").await?.unwrap_or_default();
    ensure!(stepped == (old + 10).min(100).to_string(), "+10 on {old}% gave {stepped}");
    progress.clear().await?;
    progress.send_keys(&new.to_string()).await?;
    c.find(Locator::Css("form.entry-form textarea#entry-note")).await?.send_keys("浏览器测试：现场推进").await?;
    shot(c, out, "08-phone-entry-form").await?;
    let submit = c.find(Locator::Css("form.entry-form button[type=\"submit\"]")).await?;
    c.execute("arguments[0].scrollIntoView({block: 'center'});", vec![serde_json::to_value(&submit)?]).await?;
    submit.click().await?;
    wait_css(c, &format!("[data-task-progress=\"{new}\"]")).await.context("the task does not show the new progress")?;
    wait_css(c, ".alert-success").await.context("no confirmation after posting")?;
    let ledger = c.find(Locator::Css(".timeline")).await?.text().await?;
    ensure!(ledger.contains("浏览器测试：现场推进"), "the ledger does not show the entry");
    c.execute("window.scrollTo(0, 0);", vec![]).await?;
    tokio::time::sleep(Duration::from_millis(200)).await;
    shot(c, out, "09-phone-entry-posted").await?;

    // Every unit of the line shows the change at once.
    sign_out(c, base).await?;
    c.set_window_size(1280, 900).await?;
    sign_in(c, base, "admin").await?;
    let (avg, count) = (format!("tasks.{kind}.avg_progress"), format!("tasks.{kind}.count"));
    for (code, was) in units.iter().zip(&before) {
        let now = figures(c, base, code).await?;
        let n = was[&count].as_f64().ok_or_else(|| anyhow!("{code}: no {count}"))?;
        let expected = was[&avg].as_f64().unwrap_or_default() + (new - old) as f64 / n;
        let got = now[&avg].as_f64().unwrap_or_default();
        ensure!((got - expected).abs() < 1e-6, "{code}: {avg} is {got}, expected {expected}");
        ensure!(now[&count] == was[&count], "{code}: {count} changed");
    }

    // The ledger of the task's province on a desktop: figures, charts drawn, the list.
    let province = units.iter().rev().nth(1).cloned().unwrap_or_default();
    let unit = api_json(c, &format!("{base}/api/v1/units?code={province}")).await?;
    let id = unit[0]["id"].as_i64().ok_or_else(|| anyhow!("no unit {province}"))?;
    c.goto(&format!("{base}/tasks?unit={id}&year={YEAR}")).await?;
    wait_css(c, ".task-table tbody tr").await.context("the province's task list is empty")?;
    wait_css(c, ".chart[data-chart-ready] svg").await.context("the task charts were not drawn")?;
    shot(c, out, "10-task-ledger").await?;
    Ok(())
}
