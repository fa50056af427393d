//! Lists: a campaign's entries, a reviewer's queue, the branches holding a
//! star in a span (the figures' drill-down), and a unit's figures year by
//! year. Every list is filtered by the caller's scope in SQL.

use qizhi_core::figures::{self, Figures, Span};
use qizhi_core::ids::UnitId;
use qizhi_core::org::Unit;
use std::collections::{BTreeMap, HashMap};

use qizhi_core::stars::campaign::{EntryStatus, ScoreStage, Stage};
use qizhi_core::stars::points::Points;
use serde::Serialize;
use sqlx::Row;

use super::{ENTRY_COLS, Entry, entry};
use crate::rows::{Bind, Sql};
use crate::scope::{Scope, subtree_filter};
use crate::search::By;
use crate::{Page, Store, StoreResult, rollup};

/// An entry in a list, with its parent unit's name and how many indicators
/// it scored itself.
#[derive(Debug, Clone, Serialize)]
pub struct EntryListed {
    pub entry: Entry,
    pub parent_name: Option<String>,
    pub self_scored: i64,
}

/// What a campaign's entry list asks for.
#[derive(Debug, Clone, Default)]
pub struct EntryFilter {
    pub status: Option<EntryStatus>,
    /// Branches whose current star is this.
    pub star: Option<u8>,
    /// Part of the branch's name or code.
    pub q: String,
    pub page: i64,
    pub per_page: i64,
}

/// Where a caller may review: the roots of their reviewer (or system admin) grants.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewScope {
    All,
    Roots(Vec<String>),
}

impl ReviewScope {
    pub fn is_empty(&self) -> bool {
        matches!(self, ReviewScope::Roots(r) if r.is_empty())
    }

    /// Level 1 is decided at the branch's parent: the branch lies strictly
    /// inside a root's subtree.
    fn level1(&self, sql: &mut Sql, branch_path: &str) {
        match self {
            ReviewScope::All => {}
            ReviewScope::Roots(roots) if roots.is_empty() => {
                sql.push(" AND 1 = 0");
            }
            ReviewScope::Roots(roots) => {
                sql.push(" AND (");
                for (i, r) in roots.iter().enumerate() {
                    if i > 0 {
                        sql.push(" OR ");
                    }
                    sql.push("(");
                    subtree_filter(sql, branch_path, r);
                    sql.push(&format!(" AND {branch_path} <> ")).bind(Bind::Text(r.clone())).push(")");
                }
                sql.push(")");
            }
        }
    }

    /// Level 2 is decided at the campaign's unit.
    fn level2(&self, sql: &mut Sql, campaign_path: &str) {
        match self {
            ReviewScope::All => {}
            ReviewScope::Roots(roots) => Scope::Subtrees(roots.clone()).filter(sql, campaign_path),
        }
    }
}

/// An entry waiting for the caller's review.
#[derive(Debug, Clone, Serialize)]
pub struct QueueItem {
    pub entry: Entry,
    pub parent_name: Option<String>,
    pub campaign_name: String,
    pub campaign_year: i32,
    /// The level waiting: 1 or 2.
    pub level: u8,
}

/// A branch holding a star in a span: its latest award there.
#[derive(Debug, Clone, Serialize)]
pub struct RankedBranch {
    pub entry_id: i64,
    pub unit_id: UnitId,
    pub unit_code: String,
    pub unit_name: String,
    pub parent_name: Option<String>,
    pub campaign_id: i64,
    pub campaign_name: String,
    pub year: i32,
    /// The star held (0 once withdrawn).
    pub star: u8,
    pub withdrawn: bool,
}

/// An entry's scores at each stage, and the vetoes found.
#[derive(Debug, Clone, Default)]
pub struct EntryScores {
    pub by_stage: BTreeMap<ScoreStage, BTreeMap<String, Points>>,
    pub vetoes: Vec<String>,
}

const HELD: &str = "(CASE WHEN e.withdrawn_on IS NULL THEN e.star ELSE 0 END)";

impl Store {
    /// One page of a campaign's entries inside `scope`, in tree order, with the total.
    pub async fn campaign_entries(
        &self,
        campaign: i64,
        scope: &Scope,
        f: &EntryFilter,
    ) -> StoreResult<Page<EntryListed>> {
        let mut filter = Sql::new(
            " FROM star_entries e JOIN units u ON u.id = e.unit_id LEFT JOIN units p ON p.id = u.parent_id \
             WHERE e.campaign_id = ",
        );
        filter.bind(Bind::Int(campaign));
        scope.filter(&mut filter, "u.path");
        if let Some(s) = f.status {
            filter.push(" AND e.status = ").bind(Bind::Text(s.code().into()));
        }
        if let Some(n) = f.star {
            filter.push(&format!(" AND {HELD} = ")).bind(Bind::Int(i64::from(n)));
        }
        filter.search(&f.q, &[By::Contains("u.name"), By::Contains("u.code")]);
        let select = format!(
            "SELECT {ENTRY_COLS}, COALESCE(p.short_name, p.name) AS parent_name, \
             (SELECT COUNT(*) FROM star_scores s WHERE s.entry_id = e.id AND s.stage = 'self') AS self_scored",
        );
        self.page(&filter, &select, "u.path", f.page, f.per_page, |r| {
            Ok(EntryListed {
                entry: entry(r)?,
                parent_name: r.try_get("parent_name")?,
                self_scored: r.try_get("self_scored")?,
            })
        })
        .await
    }

    /// Entries in the review stage waiting for a review the caller may give:
    /// level 1 where they review the branch's parent, level 2 where they
    /// review the campaign's unit. Optionally one campaign only.
    pub async fn review_queue(&self, who: &ReviewScope, campaign: Option<i64>) -> StoreResult<Vec<QueueItem>> {
        if who.is_empty() {
            return Ok(vec![]);
        }
        let head = format!(
            "SELECT {ENTRY_COLS}, COALESCE(p.short_name, p.name) AS parent_name, c.name AS campaign_name, c.year AS campaign_year \
             FROM star_entries e JOIN units u ON u.id = e.unit_id LEFT JOIN units p ON p.id = u.parent_id \
             JOIN star_campaigns c ON c.id = e.campaign_id JOIN units cu ON cu.id = c.unit_id WHERE c.stage = "
        );
        let mut out = vec![];
        for level in [1u8, 2] {
            let mut sql = Sql::new(&head);
            sql.bind(Bind::Text(Stage::Review.code().into()));
            if let Some(id) = campaign {
                sql.push(" AND c.id = ").bind(Bind::Int(id));
            }
            if level == 1 {
                sql.push(" AND e.status = ").bind(Bind::Text(EntryStatus::Submitted.code().into()));
                who.level1(&mut sql, "u.path");
            } else {
                sql.push(" AND c.review_levels = 2 AND e.status = ")
                    .bind(Bind::Text(EntryStatus::Reviewed1.code().into()));
                who.level2(&mut sql, "cu.path");
            }
            sql.push(" ORDER BY c.year DESC, c.id, u.path LIMIT 2000");
            for r in sql.query(self.backend).fetch_all(&self.pool).await? {
                out.push(QueueItem {
                    entry: entry(&r)?,
                    parent_name: r.try_get("parent_name")?,
                    campaign_name: r.try_get("campaign_name")?,
                    campaign_year: r.try_get::<i64, _>("campaign_year")? as i32,
                    level,
                });
            }
        }
        Ok(out)
    }

    /// The branches under `root` (and in `scope`) whose latest award in
    /// `span` holds `star` stars (or at least `star` when `at_least`; any
    /// when `star` is `None`): the list behind each `stars.*` figure.
    #[allow(clippy::too_many_arguments)]
    pub async fn star_branches(
        &self,
        root: &Unit,
        scope: &Scope,
        span: Span,
        star: Option<u8>,
        at_least: bool,
        page: i64,
        per_page: i64,
    ) -> StoreResult<Page<RankedBranch>> {
        let mut filter = Sql::new(
            " FROM star_entries e JOIN units u ON u.id = e.unit_id LEFT JOIN units p ON p.id = u.parent_id \
             JOIN star_campaigns c ON c.id = e.campaign_id WHERE e.awarded = 1 AND e.year >= ",
        );
        filter.bind(Bind::Int(i64::from(span.from))).push(" AND e.year <= ").bind(Bind::Int(i64::from(span.to)));
        filter.push(" AND ");
        subtree_filter(&mut filter, "u.path", &root.path);
        scope.filter(&mut filter, "u.path");
        filter.push(
            " AND NOT EXISTS (SELECT 1 FROM star_entries n WHERE n.unit_id = e.unit_id AND n.awarded = 1 AND n.year <= ",
        );
        filter.bind(Bind::Int(i64::from(span.to)));
        filter.push(
            " AND (n.year > e.year OR (n.year = e.year AND (n.awarded_at > e.awarded_at \
             OR (n.awarded_at = e.awarded_at AND n.id > e.id)))))",
        );
        if let Some(n) = star {
            let op = if at_least { ">=" } else { "=" };
            filter.push(&format!(" AND {HELD} {op} ")).bind(Bind::Int(i64::from(n)));
        }
        let select = format!(
            "SELECT e.id AS entry_id, e.unit_id, u.code AS unit_code, u.name AS unit_name, COALESCE(p.short_name, p.name) AS parent_name, \
             c.id AS campaign_id, c.name AS campaign_name, e.year, {HELD} AS held, \
             CASE WHEN e.withdrawn_on IS NULL THEN 0 ELSE 1 END AS withdrawn",
        );
        self.page(&filter, &select, &format!("{HELD} DESC, u.path"), page, per_page, |r| {
            Ok(RankedBranch {
                entry_id: r.try_get("entry_id")?,
                unit_id: UnitId(r.try_get("unit_id")?),
                unit_code: r.try_get("unit_code")?,
                unit_name: r.try_get("unit_name")?,
                parent_name: r.try_get("parent_name")?,
                campaign_id: r.try_get("campaign_id")?,
                campaign_name: r.try_get("campaign_name")?,
                year: r.try_get::<i64, _>("year")? as i32,
                star: r.try_get::<i64, _>("held")? as u8,
                withdrawn: r.try_get::<i64, _>("withdrawn")? != 0,
            })
        })
        .await
    }

    /// Every entry's scores by stage, and its vetoes (spreadsheet exports).
    pub async fn campaign_scores(&self, campaign: i64) -> StoreResult<HashMap<i64, EntryScores>> {
        let mut out: HashMap<i64, EntryScores> = HashMap::new();
        let rows = sqlx::query(
            "SELECT s.entry_id, s.stage, s.indicator, s.points FROM star_scores s \
             JOIN star_entries e ON e.id = s.entry_id WHERE e.campaign_id = $1",
        )
        .bind(campaign)
        .fetch_all(&self.pool)
        .await?;
        for r in rows {
            let stage: String = r.try_get(1)?;
            let stage = ScoreStage::parse(&stage).map_err(|e| crate::rows::corrupt("stage", &e))?;
            out.entry(r.try_get(0)?)
                .or_default()
                .by_stage
                .entry(stage)
                .or_default()
                .insert(r.try_get(2)?, Points(r.try_get(3)?));
        }
        let rows = sqlx::query(
            "SELECT v.entry_id, v.code FROM star_vetoes v JOIN star_entries e ON e.id = v.entry_id \
             WHERE e.campaign_id = $1 ORDER BY v.code",
        )
        .bind(campaign)
        .fetch_all(&self.pool)
        .await?;
        for r in rows {
            out.entry(r.try_get(0)?).or_default().vetoes.push(r.try_get(1)?);
        }
        Ok(out)
    }

    /// The figures of `unit`'s subtree for each year from `from` to `to`,
    /// from one read of its counters.
    pub async fn figures_by_year(&self, unit: UnitId, from: i32, to: i32) -> StoreResult<Vec<(i32, Figures)>> {
        let cells = rollup::cells(&self.pool, unit).await?;
        Ok((from..=to).map(|y| (y, figures::compute(&cells, Span { from: y, to: y }))).collect())
    }
}
