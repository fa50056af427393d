//! Each role's home in the demo: the work list, the charts drawn, every
//! item opening its list; a member lands on their own page. The time each
//! home took to show (navigation start to the charts drawn) is printed.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, ensure};
use fantoccini::{Client, Locator};

use super::stars::{sign_in, sign_out};
use super::{note, shot, wait_css};

/// (demo user, whether their home is a scope's work list)
const ROLES: [(&str, bool); 5] =
    [("leader", true), ("fujian", true), ("fjreview", true), ("fuzhou001", true), ("member", false)];

pub async fn walk(c: &Client, base: &str, out: &Path) -> anyhow::Result<()> {
    for (user, scope) in ROLES {
        sign_in(c, base, user).await?;
        let started = Instant::now();
        c.goto(&format!("{base}/")).await?;
        if !scope {
            wait_css(c, ".page-head h1").await?;
            let path = c.current_url().await?.path().to_string();
            ensure!(path == "/my", "{user}'s home is {path}, not their own page");
            note(&format!("home of {user}: /my shown in {} ms", started.elapsed().as_millis()));
            shot(c, out, &format!("home-{user}")).await?;
            sign_out(c).await?;
            continue;
        }
        wait_css(c, "section.worklist").await.with_context(|| format!("{user}'s home has no work list"))?;
        let charts = c.find_all(Locator::Css(".home-charts .chart")).await?;
        // ECharts draws an SVG inside each chart's div.
        let deadline = Instant::now() + super::STEP;
        while c.find_all(Locator::Css(".home-charts .chart svg")).await?.len() < charts.len() {
            ensure!(Instant::now() < deadline, "{user}'s home charts were not all drawn in {:?}", super::STEP);
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        for chart in &charts {
            ensure!(chart.is_displayed().await?, "{user}'s chart is hidden");
        }
        note(&format!(
            "home of {user}: work list and {} charts shown in {} ms",
            charts.len(),
            started.elapsed().as_millis()
        ));
        shot(c, out, &format!("home-{user}")).await?;
        let mut links = vec![];
        for a in c.find_all(Locator::Css("ul.todo a")).await? {
            links.extend(a.attr("href").await?);
        }
        for href in links {
            c.goto(&format!("{base}{href}")).await?;
            let h1 = wait_css(c, ".page-head h1").await.with_context(|| format!("{user}: {href} did not open"))?;
            ensure!(!h1.text().await?.trim().is_empty(), "{user}: {href} opened an empty page");
            ensure!(c.find(Locator::Css(".error-page")).await.is_err(), "{user}: {href} is an error page");
        }
        sign_out(c).await?;
    }
    // The walk goes on signed in, as it came.
    sign_in(c, base, "admin").await
}
