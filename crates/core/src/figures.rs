//! The figures engine's domain half: which figures exist, how each record
//! contributes to the counters behind them, and how a span of years turns
//! counters into figures.
//!
//! The store keeps, for every unit, the counters of its whole subtree per
//! year (a rollup), changed in the same transaction as the records. A figure
//! for a subtree and span is then a read of one unit's few rows, whatever the
//! number of records below it. Rates and averages are derived here at read
//! time from counters, never stored.

use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

use serde::Serialize;

pub use crate::org::rollup::{grid_contributions, person_contributions, scenario_contributions, unit_contributions};

use crate::ids::UnitId;

/// How a counter's yearly deltas combine over a span.
///
/// Some counters need a second year per cell (its `aux`, see [`CellKey`]) to
/// stay a plain sum of maintained cells whatever the span:
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// A state (how many units exist): the sum of all deltas up to the end of
    /// the span. A record present since an unknown time contributes at year 0.
    Stock,
    /// Events (tasks of a year): the sum of the deltas inside the span.
    Flow,
    /// The latest of a subject's yearly records within the span (a branch's
    /// star from its latest award in the span). A record contributes at its
    /// year with `aux` = the year of the subject's next record (`None`: none
    /// yet); it counts when its year is in the span and that next record, if
    /// any, comes after the span.
    Latest,
    /// A subject counted once per span if it has a record in it (members
    /// with at least one commitment). Each of the subject's record years
    /// contributes with `aux` = the subject's previous record year (`None`:
    /// none); it counts when its year is in the span and the previous one,
    /// if any, comes before the span, so exactly one year counts per subject.
    FirstInSpan,
    /// Something that lasts from one year to another (a team from its
    /// founding until it is disbanded, a fortress until it is closed): it
    /// contributes at the year it began (0 when unknown) with `aux` = the year
    /// it ended (`None`: still going), and counts for every span it overlaps —
    /// begun by the end of the span and not ended before its start.
    Interval,
    /// Open items with a due date (open tasks): a cell at the item's year with
    /// `aux` = its due date as `yyyymmdd` (see [`ymd`]). It counts when the
    /// year is in the span and the due date is before the span's as-of day
    /// (the end of the span or today, whichever is earlier; see [`as_of`]).
    /// Closing an item removes its cell, so the figure reads "still open and
    /// past due" from one unit's rows, whatever the number of items.
    DueBefore,
    /// A value of one year, read for the span's last year only (how many
    /// units of a subtree were assessed that year).
    AtEnd,
    /// Like [`Measure::AtEnd`], but a unit's own (its rank, its streak): kept
    /// in its own row only and not carried to new ancestors when it moves.
    Own,
}

impl Measure {
    /// Whether a cell at `year` with `aux` counts for `span`, as of the end of the span.
    pub fn counts(self, year: i32, aux: Option<i32>, span: Span) -> bool {
        self.counts_as_of(year, aux, span, ymd(span.last_day()))
    }

    /// Whether a cell counts for `span` on the as-of day `as_of` (`yyyymmdd`),
    /// which only [`Measure::DueBefore`] looks at.
    pub fn counts_as_of(self, year: i32, aux: Option<i32>, span: Span, as_of: i32) -> bool {
        let inside = (span.from..=span.to).contains(&year);
        match self {
            Measure::Stock => year <= span.to,
            Measure::Flow => inside,
            Measure::Latest => inside && aux.is_none_or(|next| next > span.to),
            Measure::FirstInSpan => inside && aux.is_none_or(|prev| prev < span.from),
            Measure::Interval => year <= span.to && aux.is_none_or(|end| end >= span.from),
            Measure::DueBefore => inside && aux.is_some_and(|due| due < as_of),
            Measure::AtEnd | Measure::Own => year == span.to,
        }
    }
}

/// A date as the number `yyyymmdd` (2024-06-30 → 20240630): how
/// [`Measure::DueBefore`] cells store a due date in their `aux`, ordered like the dates.
pub fn ymd(date: time::Date) -> i32 {
    date.year() * 10_000 + i32::from(u8::from(date.month())) * 100 + i32::from(date.day())
}

/// The day a span's "as of" figures are taken on: the span's last day, or
/// `today` when that is earlier.
pub fn as_of(span: Span, today: time::Date) -> time::Date {
    span.last_day().min(today)
}

/// The key of a stored counter cell: a counter and, for the measures that
/// need it, a second year. Stored as `key` or `key@aux` in table `rollup`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CellKey {
    pub key: &'static str,
    pub aux: Option<i32>,
}

impl CellKey {
    pub const fn of(key: &'static str) -> CellKey {
        CellKey { key, aux: None }
    }

    /// A stored key back into a cell key; `None` for keys no counter has.
    pub fn parse(stored: &str) -> Option<CellKey> {
        let (key, aux) = match stored.split_once('@') {
            Some((k, a)) => (k, Some(a.parse().ok()?)),
            None => (stored, None),
        };
        counter(key).map(|c| CellKey { key: c.key, aux })
    }
}

impl std::fmt::Display for CellKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.aux {
            Some(a) => write!(f, "{}@{a}", self.key),
            None => f.write_str(self.key),
        }
    }
}

/// A counter the store maintains. Some are figures themselves; some only feed
/// derived figures.
#[derive(Debug, Clone, Copy)]
pub struct Counter {
    pub key: &'static str,
    pub measure: Measure,
}

/// How a figure is obtained from counters.
#[derive(Debug, Clone, Copy)]
pub enum Formula {
    Count(&'static str),
    /// numerator / denominator, a fraction in [0, 1]; 0 when the denominator is 0.
    Rate(&'static str, &'static str),
    /// sum / count (an average, e.g. of progress percents); 0 when the count is 0.
    Mean(&'static str, &'static str),
    /// One counter less another (a subtree's count without the unit itself).
    Minus(&'static str, &'static str),
}

impl Formula {
    /// The counters the formula reads.
    pub fn counters(self) -> Vec<&'static str> {
        match self {
            Formula::Count(k) => vec![k],
            Formula::Rate(n, d) | Formula::Mean(n, d) | Formula::Minus(n, d) => vec![n, d],
        }
    }
}

/// A published figure: its key (fixed by FIGURES.md), labels and formula.
#[derive(Debug, Clone, Copy)]
pub struct FigureDef {
    pub key: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub formula: Formula,
}

/// Every counter the store maintains: each capability declares its own
/// (`<capability>::rollup::COUNTERS`), gathered here in a fixed order.
pub static COUNTERS: LazyLock<Vec<Counter>> = LazyLock::new(|| {
    [
        crate::org::rollup::COUNTERS,
        crate::brand::rollup::COUNTERS,
        crate::stars::rollup::COUNTERS,
        crate::tasks::rollup::COUNTERS,
        crate::recognition::rollup::COUNTERS,
    ]
    .concat()
});

/// Every published figure, each capability's (`<capability>::rollup::FIGURES`)
/// in turn: the order pages and exports list them in.
pub static FIGURES: LazyLock<Vec<FigureDef>> = LazyLock::new(|| {
    [
        crate::org::rollup::FIGURES,
        crate::brand::rollup::FIGURES,
        crate::stars::rollup::FIGURES,
        crate::tasks::rollup::FIGURES,
        crate::recognition::rollup::FIGURES,
    ]
    .concat()
});

pub fn counter(key: &str) -> Option<&'static Counter> {
    COUNTERS.iter().find(|c| c.key == key)
}

pub fn figure(key: &str) -> Option<&'static FigureDef> {
    FIGURES.iter().find(|f| f.key == key)
}

/// One record's share of one counter, at one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Contribution {
    pub year: i32,
    pub key: &'static str,
    pub delta: i64,
    /// The second year of [`Measure::Latest`] and [`Measure::FirstInSpan`] counters.
    pub aux: Option<i32>,
}

impl Contribution {
    /// `delta` of counter `key` at `year`.
    pub const fn new(year: i32, key: &'static str, delta: i64) -> Contribution {
        Contribution { year, key, delta, aux: None }
    }

    /// With the second year a [`Measure::Latest`] or [`Measure::FirstInSpan`] counter needs.
    pub const fn with_aux(self, aux: Option<i32>) -> Contribution {
        Contribution { aux, ..self }
    }

    pub fn cell_key(&self) -> CellKey {
        CellKey { key: self.key, aux: self.aux }
    }
}

/// One of counter `key` at `year`.
pub const fn at(year: i32, key: &'static str) -> Contribution {
    Contribution::new(year, key, 1)
}

/// Pending changes to subtree counters: each record's contributions added to
/// its unit and every ancestor. Built for one write or for a bulk import, then
/// applied by the store in the same transaction; also used to recompute every
/// counter from scratch and compare.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct RollupDelta {
    cells: HashMap<(UnitId, i32, CellKey), i64>,
}

impl RollupDelta {
    /// Adds `sign` × contributions to every unit of `lineage` (root … unit).
    pub fn add(&mut self, lineage: &[UnitId], contributions: &[Contribution], sign: i64) {
        for c in contributions {
            for &u in lineage {
                *self.cells.entry((u, c.year, c.cell_key())).or_default() += sign * c.delta;
            }
        }
    }

    /// Adds a whole subtree's counters (as read from its root) to `lineage`.
    pub fn add_cells(&mut self, lineage: &[UnitId], cells: &[(i32, CellKey, i64)], sign: i64) {
        for &(year, key, value) in cells {
            for &u in lineage {
                *self.cells.entry((u, year, key)).or_default() += sign * value;
            }
        }
    }

    /// The non-zero cells: (unit, year, key, delta), in a stable order so that
    /// concurrent writers lock rows in the same order.
    pub fn cells(&self) -> Vec<(UnitId, i32, CellKey, i64)> {
        let mut v: Vec<_> = self.cells.iter().filter(|(_, d)| **d != 0).map(|(&(u, y, k), &d)| (u, y, k, d)).collect();
        v.sort_unstable();
        v
    }

    pub fn is_empty(&self) -> bool {
        self.cells.values().all(|d| *d == 0)
    }
}

/// A span of years, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Span {
    pub from: i32,
    pub to: i32,
}

impl Span {
    /// One year.
    pub fn year(year: i32) -> Span {
        Span { from: year, to: year }
    }

    /// 31 December of the span's last year.
    pub fn last_day(self) -> time::Date {
        time::Date::from_calendar_date(self.to, time::Month::December, 31).expect("years are within range")
    }

    /// `from` and `to` as given; one of them alone means that single year;
    /// neither means `current`.
    pub fn new(from: Option<i32>, to: Option<i32>, current: i32) -> Result<Span, String> {
        let (from, to) = match (from, to) {
            (Some(f), Some(t)) => (f, t),
            (Some(y), None) | (None, Some(y)) => (y, y),
            (None, None) => (current, current),
        };
        if !(1900..=2200).contains(&from) || !(1900..=2200).contains(&to) {
            return Err("年份应在 1900 到 2200 之间 (year out of range)".into());
        }
        if from > to {
            return Err(format!("起始年份 {from} 晚于结束年份 {to} (from is after to)"));
        }
        Ok(Span { from, to })
    }
}

/// A figure's value: a count stays an integer in JSON; a rate is a fraction;
/// a mean is a plain number (an average progress is a percent in [0, 100]).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Count(i64),
    Rate(f64),
    Mean(f64),
}

impl Value {
    pub fn as_f64(self) -> f64 {
        match self {
            Value::Count(n) => n as f64,
            Value::Rate(r) | Value::Mean(r) => r,
        }
    }

    /// The count, for counts; `None` for rates and means.
    pub fn count(self) -> Option<i64> {
        match self {
            Value::Count(n) => Some(n),
            _ => None,
        }
    }
}

/// Every published figure for one subtree and span.
pub type Figures = BTreeMap<&'static str, Value>;

/// Turns one unit's counter rows `(year, key, value)` into the figures of a
/// span, as of the span's last day. Every published key is present; rows of
/// unknown keys are ignored.
pub fn compute(rows: &[(i32, String, i64)], span: Span) -> Figures {
    compute_as_of(rows, span, span.last_day())
}

/// Like [`compute`], with `today` deciding the as-of day of the figures that
/// move with the calendar (overdue tasks: past due by the end of the span or
/// today, whichever is earlier).
pub fn compute_as_of(rows: &[(i32, String, i64)], span: Span, today: time::Date) -> Figures {
    let day = ymd(as_of(span, today));
    let mut counters: HashMap<&'static str, i64> = HashMap::new();
    for (year, stored, value) in rows {
        let Some(cell) = CellKey::parse(stored) else { continue };
        let Some(c) = counter(cell.key) else { continue };
        if c.measure.counts_as_of(*year, cell.aux, span, day) {
            *counters.entry(c.key).or_default() += value;
        }
    }
    let get = |k: &str| counters.get(k).copied().unwrap_or(0);
    FIGURES
        .iter()
        .map(|f| {
            let v = match f.formula {
                Formula::Count(k) => Value::Count(get(k)),
                Formula::Rate(n, d) => Value::Rate(ratio(get(n), get(d))),
                Formula::Mean(n, d) => Value::Mean(ratio(get(n), get(d))),
                Formula::Minus(a, b) => Value::Count(get(a) - get(b)),
            };
            (f.key, v)
        })
        .collect()
}

fn ratio(n: i64, d: i64) -> f64 {
    if d == 0 { 0.0 } else { n as f64 / d as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each capability declares its part of the catalogue; gathered, every key
    /// is published once, and each part keeps to its own records' keys.
    #[test]
    fn the_catalogue_is_gathered_from_the_capabilities_without_a_clash() {
        let parts: [(&[Counter], &[FigureDef], &[&str]); 5] = [
            (crate::org::rollup::COUNTERS, crate::org::rollup::FIGURES, &["org.", "grids.", "scenarios."]),
            (crate::brand::rollup::COUNTERS, crate::brand::rollup::FIGURES, &["brands.", "honors."]),
            (crate::stars::rollup::COUNTERS, crate::stars::rollup::FIGURES, &["stars."]),
            (
                crate::tasks::rollup::COUNTERS,
                crate::tasks::rollup::FIGURES,
                &["fortresses.", "flags.", "tasks.", "commitments.", "teams."],
            ),
            (crate::recognition::rollup::COUNTERS, crate::recognition::rollup::FIGURES, &["assessments."]),
        ];
        let mut counters = std::collections::BTreeSet::new();
        let mut figures = std::collections::BTreeSet::new();
        for (c, f, prefixes) in parts {
            let own = |k: &str| prefixes.iter().any(|p| k.starts_with(p));
            for c in c {
                assert!(own(c.key), "counter {} is outside its part {prefixes:?}", c.key);
                assert!(counters.insert(c.key), "counter {} declared twice", c.key);
            }
            for f in f {
                assert!(own(f.key), "figure {} is outside its part {prefixes:?}", f.key);
                assert!(figures.insert(f.key), "figure {} declared twice", f.key);
            }
        }
        assert_eq!(COUNTERS.iter().map(|c| c.key).collect::<std::collections::BTreeSet<_>>(), counters);
        assert_eq!(FIGURES.iter().map(|f| f.key).collect::<std::collections::BTreeSet<_>>(), figures);
        assert_eq!((COUNTERS.len(), FIGURES.len()), (counters.len(), figures.len()));
    }

    #[test]
    fn every_formula_reads_registered_counters() {
        for f in FIGURES.iter() {
            for k in f.formula.counters() {
                assert!(counter(k).is_some(), "{} reads unknown counter {k}", f.key);
            }
        }
    }

    #[test]
    fn stock_counts_up_to_the_end_of_the_span_and_flow_inside_it() {
        let rows = vec![
            (0, "org.units".to_string(), 2),
            (2019, "org.units".to_string(), 3),
            (2024, "org.units".to_string(), 5),
            (0, "grids.total".to_string(), 4),
            (0, "grids.covered".to_string(), 3),
        ];
        let f = compute(&rows, Span::new(Some(2020), Some(2023), 2026).unwrap());
        assert_eq!(f["org.units"], Value::Count(5));
        assert_eq!(f["grids.coverage_rate"], Value::Rate(0.75));
        assert_eq!(f["org.members"], Value::Count(0));
        assert_eq!(f.len(), FIGURES.len());
    }

    #[test]
    fn deltas_reach_every_ancestor_and_cancel_out() {
        let mut d = RollupDelta::default();
        let lineage = [UnitId(1), UnitId(2), UnitId(3)];
        let c = [at(0, "org.people")];
        d.add(&lineage, &c, 1);
        assert_eq!(d.cells().len(), 3);
        d.add(&lineage, &c, -1);
        assert!(d.is_empty());
        assert!(d.cells().is_empty());
    }

    #[test]
    fn cell_keys_round_trip() {
        let k = CellKey { key: "org.units", aux: Some(2025) };
        assert_eq!(k.to_string(), "org.units@2025");
        assert_eq!(CellKey::parse("org.units@2025"), Some(k));
        assert_eq!(CellKey::parse("org.units"), Some(CellKey::of("org.units")));
        assert_eq!(CellKey::parse("no.such"), None);
        assert_eq!(CellKey::parse("org.units@x"), None);
    }

    /// A subject with records in 2020, 2022 and 2024, as the two two-year
    /// measures store them: which one counts for each span.
    #[test]
    fn latest_and_first_in_span_count_one_record_per_subject() {
        let years = [2020, 2022, 2024];
        let span = |f, t| Span::new(Some(f), Some(t), 2026).unwrap();
        let latest = |s: Span| -> Vec<i32> {
            let next = |i: usize| years.get(i + 1).copied();
            (0..3).filter(|&i| Measure::Latest.counts(years[i], next(i), s)).map(|i| years[i]).collect()
        };
        let first = |s: Span| -> Vec<i32> {
            let prev = |i: usize| if i == 0 { None } else { Some(years[i - 1]) };
            (0..3).filter(|&i| Measure::FirstInSpan.counts(years[i], prev(i), s)).map(|i| years[i]).collect()
        };
        assert_eq!(latest(span(2020, 2024)), [2024]);
        assert_eq!(latest(span(2020, 2023)), [2022]);
        assert_eq!(latest(span(2021, 2021)), Vec::<i32>::new());
        assert_eq!(latest(span(2018, 2020)), [2020]);
        assert_eq!(first(span(2020, 2024)), [2020]);
        assert_eq!(first(span(2021, 2024)), [2022]);
        assert_eq!(first(span(2023, 2025)), [2024]);
        assert_eq!(first(span(2021, 2021)), Vec::<i32>::new());
    }

    /// A team founded in 2019 and disbanded in 2022, another founded in 2021
    /// and still going: which spans see them.
    #[test]
    fn intervals_count_in_every_span_they_overlap() {
        let span = |f, t| Span::new(Some(f), Some(t), 2026).unwrap();
        let count = |s: Span| {
            [(2019, Some(2022)), (2021, None), (0, None)]
                .iter()
                .filter(|&&(year, end)| Measure::Interval.counts(year, end, s))
                .count()
        };
        assert_eq!(count(span(2018, 2018)), 1, "only the one of unknown start");
        assert_eq!(count(span(2019, 2019)), 2);
        assert_eq!(count(span(2022, 2022)), 3, "the year it ended still counts");
        assert_eq!(count(span(2023, 2024)), 2);
        assert_eq!(count(span(2010, 2030)), 3);
    }

    /// Open tasks of 2024 due on three days, as of days around them.
    #[test]
    fn due_before_counts_open_items_past_due_on_the_as_of_day() {
        use time::macros::date;
        let dues = [date!(2024 - 03 - 31), date!(2024 - 06 - 30), date!(2024 - 12 - 31)];
        let rows: Vec<(i32, String, i64)> =
            dues.iter().map(|d| (2024, format!("tasks.open_due@{}", ymd(*d)), 1)).collect();
        let y2024 = Span::new(Some(2024), None, 2026).unwrap();
        let overdue = |span: Span, today| compute_as_of(&rows, span, today)["tasks.overdue"];
        assert_eq!(overdue(y2024, date!(2024 - 06 - 30)), Value::Count(1), "due today is not yet overdue");
        assert_eq!(overdue(y2024, date!(2024 - 07 - 01)), Value::Count(2));
        // As of the end of the span when today is later: due on its last day is not overdue.
        assert_eq!(overdue(y2024, date!(2026 - 11 - 24)), Value::Count(2));
        assert_eq!(compute(&rows, y2024)["tasks.overdue"], Value::Count(2));
        // Tasks of another year do not count.
        assert_eq!(overdue(Span::new(Some(2025), None, 2026).unwrap(), date!(2026 - 01 - 01)), Value::Count(0));
        assert_eq!(ymd(date!(2024 - 06 - 30)), 20_240_630);
        assert_eq!(as_of(y2024, date!(2024 - 06 - 30)), date!(2024 - 06 - 30));
        assert_eq!(as_of(y2024, date!(2025 - 01 - 02)), date!(2024 - 12 - 31));
    }

    #[test]
    fn means_are_averages_and_zero_without_items() {
        let rows = vec![
            (2024, "tasks.target.count".to_string(), 4),
            (2024, "tasks.target.progress_sum".to_string(), 250),
            (2024, "tasks.target.done".to_string(), 1),
        ];
        let f = compute(&rows, Span { from: 2024, to: 2024 });
        assert_eq!(f["tasks.target.avg_progress"], Value::Mean(62.5));
        assert_eq!(f["tasks.tackling.avg_progress"], Value::Mean(0.0));
        assert_eq!(f["commitments.fulfilled_rate"], Value::Rate(0.0));
    }

    #[test]
    fn spans() {
        assert_eq!(Span::new(None, None, 2026).unwrap(), Span { from: 2026, to: 2026 });
        assert_eq!(Span::new(Some(2020), None, 2026).unwrap(), Span { from: 2020, to: 2020 });
        assert!(Span::new(Some(2024), Some(2020), 2026).is_err());
    }
}
