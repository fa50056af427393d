//! The star evaluation in the browser, on the demo: Fujian's 2024 campaign
//! is in self-assessment. Branch FJ01-001's secretary (`fuzhou001`) scores
//! every indicator, uploads evidence and submits; the province's admin
//! (`fujian`) opens the review; the province's reviewer (`fjreview`) finds
//! the branch in the queue and reviews it at both levels; the admin moves
//! the campaign through publicity to the award; the distribution page's
//! chart then draws 2024 with that branch's star, as the API says.

use std::path::Path;

use anyhow::{Context, anyhow, ensure};
use fantoccini::{Client, Locator};
use serde_json::Value;

use super::{PASSWORD, shot, wait_css, wait_xpath};

/// Self-assessment: party building 87, business 76 — four stars under
/// Fujian's rules (both dimensions meet the standard, business not excellent).
const SELF: &[(&str, &str)] = &[
    ("PB1", "14"),
    ("PB2", "13"),
    ("PB3", "18"),
    ("PB4", "13"),
    ("PB5", "12"),
    ("PB6", "9"),
    ("PB7", "8"),
    ("BP1", "24"),
    ("BP2", "15"),
    ("BP3", "16"),
    ("BP4", "11"),
    ("BP5", "10"),
];

pub(crate) async fn sign_out(c: &Client) -> anyhow::Result<()> {
    c.find(Locator::Css("form.logout button[type=\"submit\"]")).await?.click().await?;
    wait_css(c, "input#username").await?;
    Ok(())
}

pub(crate) async fn sign_in(c: &Client, base: &str, user: &str) -> anyhow::Result<()> {
    c.goto(&format!("{base}/login")).await?;
    wait_css(c, "input#username").await?.send_keys(user).await?;
    c.find(Locator::Css("input#password")).await?.send_keys(PASSWORD).await?;
    c.find(Locator::Css("form.form button[type=\"submit\"]")).await?.click().await?;
    wait_css(c, ".topbar .user-name").await.with_context(|| format!("signing in as {user}"))?;
    Ok(())
}

/// Waits until the page's main status badge says `status`.
async fn wait_status(c: &Client, status: &str) -> anyhow::Result<()> {
    wait_css(c, &format!(".page-head [data-status=\"{status}\"]"))
        .await
        .with_context(|| format!("the entry never reached status {status}"))?;
    Ok(())
}

/// Opens Fujian's 2024 campaign from the stars overview.
async fn open_campaign(c: &Client, base: &str) -> anyhow::Result<String> {
    c.goto(&format!("{base}/stars")).await?;
    let link = wait_xpath(c, "//table//a[contains(@href,'/stars/campaigns/') and contains(normalize-space(),'2024')]")
        .await
        .context("no 2024 campaign on the stars page")?;
    let href = link.attr("href").await?.ok_or_else(|| anyhow!("campaign link without href"))?;
    link.click().await?;
    wait_css(c, "ol.stages").await?;
    Ok(href)
}

pub async fn walk(c: &Client, base: &str, out: &Path) -> anyhow::Result<()> {
    let evidence = out.join("evidence.png");
    std::fs::write(&evidence, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-browser-evidence")?;
    sign_out(c).await?;

    // The branch's secretary self-assesses.
    sign_in(c, base, "fuzhou001").await?;
    let href = open_campaign(c, base).await?;
    let row = wait_xpath(
        c,
        "//table[@data-table='entries']//tr[td/span[@class='code' and normalize-space()='FJ01-001']]/td/a",
    )
    .await
    .context("the branch is not in the campaign's table")?;
    row.click().await?;
    wait_css(c, "#self-assess form").await.context("no self-assessment form for the branch's admin")?;
    for (code, value) in SELF {
        let input = c.find(Locator::Css(&format!("#self-assess input[name=\"score.{code}\"]"))).await?;
        input.clear().await?;
        input.send_keys(value).await?;
    }
    c.find(Locator::Css("#self-assess input[name=\"note.PB1\"]")).await?.send_keys("会议记录 12 份").await?;
    c.find(Locator::Css("#self-assess input[name=\"file.PB1\"]"))
        .await?
        .send_keys(&evidence.display().to_string())
        .await?;
    shot(c, out, "10-stars-self-assess").await?;
    c.find(Locator::Css("#self-assess button[value=\"submit\"]")).await?.click().await?;
    wait_status(c, "submitted").await?;
    let entry_url = c.current_url().await?;
    let entry_path = entry_url.path().to_string();
    ensure!(c.find(Locator::Css("a[href^=\"/files/\"]")).await.is_ok(), "the evidence file is not linked");
    sign_out(c).await?;

    // The province's admin opens the review.
    sign_in(c, base, "fujian").await?;
    c.goto(&format!("{base}{href}")).await?;
    wait_css(c, "[data-action=\"stage-review\"]").await?.click().await?;
    wait_css(c, ".page-head [data-stage=\"review\"]").await?;
    sign_out(c).await?;

    // The reviewer finds the branch in the queue and reviews both levels.
    sign_in(c, base, "fjreview").await?;
    c.goto(&format!("{base}/stars/queue")).await?;
    let queued = wait_xpath(c, &format!("//a[starts-with(@href,'{entry_path}')]"))
        .await
        .context("the branch is not in the reviewer's queue")?;
    shot(c, out, "11-stars-queue").await?;
    queued.click().await?;
    let bp1 = wait_css(c, "#review input[name=\"score.BP1\"]").await?;
    bp1.clear().await?;
    bp1.send_keys("22").await?;
    c.find(Locator::Css("#review textarea[name=\"comment\"]")).await?.send_keys("经营目标完成率核减").await?;
    c.find(Locator::Css("#review button[data-action=\"review\"]")).await?.click().await?;
    wait_status(c, "reviewed1").await?;
    wait_css(c, "#review input[name=\"level\"][value=\"2\"]").await.context("no level-2 form")?;
    c.find(Locator::Css("#review button[data-action=\"review\"]")).await?.click().await?;
    wait_status(c, "reviewed2").await?;
    shot(c, out, "12-stars-reviewed").await?;
    sign_out(c).await?;

    // The admin publishes and awards.
    sign_in(c, base, "fujian").await?;
    c.goto(&format!("{base}{href}")).await?;
    wait_css(c, "[data-action=\"stage-publicity\"]").await?.click().await?;
    wait_css(c, ".page-head [data-stage=\"publicity\"]").await?;
    wait_css(c, "[data-action=\"stage-award\"]").await?.click().await?;
    wait_css(c, ".page-head [data-stage=\"award\"]").await.context("the award did not happen")?;
    shot(c, out, "13-stars-awarded").await?;

    // The distribution: the chart draws 2024, and says what the API says.
    c.goto(&format!("{base}/stars?from=2023&to=2024")).await?;
    let chart = wait_css(c, ".chart[data-chart-ready] svg").await.context("the distribution chart was not drawn")?;
    ensure!(chart.is_displayed().await?, "the chart is hidden");
    shot(c, out, "14-stars-distribution").await?;
    let option: Value = {
        let raw = c.find(Locator::Css(".chart[data-chart]")).await?.attr("data-chart").await?.unwrap_or_default();
        serde_json::from_str(&raw).context("the chart's option")?
    };
    let series = option["series"].as_array().ok_or_else(|| anyhow!("no series"))?;
    let y2024 = series.iter().find(|s| s["name"] == "2024").ok_or_else(|| anyhow!("no 2024 series in the chart"))?;
    // Categories run from six stars down to none: four stars is the third.
    let drawn: Vec<i64> = y2024["data"].as_array().unwrap().iter().map(|v| v.as_i64().unwrap_or(-1)).collect();
    let svg_text = chart.text().await.unwrap_or_default();
    ensure!(svg_text.contains("2024"), "the chart's legend does not show 2024: {svg_text:?}");
    c.goto(&format!("{base}/api/v1/stars/distribution?org=FJ&from=2024")).await?;
    let body = wait_css(c, "body").await?;
    let text = match c.find(Locator::Css("pre")).await {
        Ok(pre) => pre.prop("textContent").await?.unwrap_or_default(),
        Err(_) => body.text().await?,
    };
    let api: Value = serde_json::from_str(&text).with_context(|| format!("the distribution API answered {text:?}"))?;
    let exact: Vec<i64> = api["span"]["exact"].as_array().unwrap().iter().rev().map(|v| v.as_i64().unwrap()).collect();
    ensure!(drawn == exact, "the chart draws {drawn:?} for 2024, the API says {exact:?}");
    ensure!(api["span"]["evaluated"] == 1 && exact[2] == 1, "expected one four-star branch in 2024: {api}");

    // On a phone the pages fit the screen (wide tables scroll inside their card).
    c.set_window_size(390, 844).await?;
    for (path, name) in [(entry_path.as_str(), "15-stars-phone-entry"), ("/stars", "16-stars-phone-overview")] {
        c.goto(&format!("{base}{path}")).await?;
        wait_css(c, ".page-head h1").await?;
        let overflow = c
            .execute("return document.documentElement.scrollWidth - window.innerWidth;", vec![])
            .await?
            .as_i64()
            .unwrap_or(0);
        shot(c, out, name).await?;
        ensure!(overflow <= 0, "{path} is {overflow} px wider than a phone's screen");
    }
    c.set_window_size(1280, 900).await?;
    Ok(())
}
