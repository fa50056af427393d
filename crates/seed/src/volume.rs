//! Volume for the benchmark world: years of task ledgers and commitments on
//! top of [`Scale::Group`](crate::Scale::Group), so that the figures, lists
//! and exports are measured at the size of the whole group's records over
//! five years — about 2,000,000 tasks with 6,000,000 ledger entries and
//! 150,000 commitments a year.
//!
//! It is generated one provincial-level unit at a time ([`Volume::of`]), so
//! that the millions of rows never sit in memory together. Per active branch
//! and year from [`FIRST_YEAR`] to 2024: [`TASKS_PER_BRANCH_YEAR`] tasks of
//! every kind with [`ENTRIES_PER_TASK`] ledger entries each (past years done,
//! 2024 in every state as of [`AS_OF`]); every party member makes a
//! commitment a year and one in three makes two, verified for past years.
//!
//! The provinces whose figures the article states — 内蒙古, 贵州 and 广东 —
//! get volume only before 2024, so their 2024 figures stay the article's in
//! every scale; so does 2024's commitments everywhere (the world's own).

use qizhi_core::commitments::{Status, Verification};
use qizhi_core::tasks::{TaskKind, TaskStatus};
use time::macros::date;
use time::{Date, Duration, Month};

use crate::commitments::SeedCommitment;
use crate::rng::Rng;
use crate::tasks::{Lookup, SeedTask, day_between, idn, ledger_of, responsible, task};
use crate::world::{AS_OF, World};

pub const FIRST_YEAR: i32 = 2020;
pub const TASKS_PER_BRANCH_YEAR: usize = 41;
pub const ENTRIES_PER_TASK: usize = 3;
/// Provinces whose 2024 figures are the article's: no volume that year.
const ARTICLE_PROVINCES: [&str; 3] = ["NM", "GZ", "GD"];

/// Brand tasks are not generated: they belong to a brand matrix (贵州's "1+9").
const KINDS: [TaskKind; 5] =
    [TaskKind::Target, TaskKind::Tackling, TaskKind::Urgent, TaskKind::KeyWork, TaskKind::Blockage];

/// The generator over one world.
pub struct Volume<'a> {
    l: Lookup<'a>,
}

/// The volume of one provincial-level unit.
#[derive(Debug, Default)]
pub struct Part {
    pub tasks: Vec<SeedTask>,
    pub commitments: Vec<SeedCommitment>,
}

impl<'a> Volume<'a> {
    pub fn new(w: &'a World) -> Volume<'a> {
        Volume { l: Lookup::new(w) }
    }

    /// The provincial-level units, in world order.
    pub fn provinces(&self) -> Vec<&'a str> {
        self.l.tops.clone()
    }

    /// The years of volume a province gets.
    fn years(top: &str) -> std::ops::RangeInclusive<i32> {
        if ARTICLE_PROVINCES.contains(&top) { FIRST_YEAR..=2023 } else { FIRST_YEAR..=2024 }
    }

    /// The tasks and commitments of one provincial-level unit.
    pub fn of(&self, top: &str) -> Part {
        let mut rng = Rng::for_key(&format!("{top}/volume"));
        let mut part = Part::default();
        for &b in self.l.branches_of(top) {
            let members = self.l.members_of(b);
            if members.is_empty() {
                continue;
            }
            for year in Self::years(top) {
                for n in 1..=TASKS_PER_BRANCH_YEAR {
                    let kind = KINDS[rng.below(KINDS.len() as u64) as usize];
                    let who = responsible(&mut rng, &members, None);
                    part.tasks.push(one_task(&mut rng, format!("{b}-V{year}-{n:02}"), b, kind, year, who));
                }
            }
            let secretary = format!("{}（支部书记）", members[0].fields.name);
            for m in &members {
                for year in FIRST_YEAR..=2023 {
                    for _ in 0..if rng.chance(1.0 / 3.0) { 2 } else { 1 } {
                        let fulfilled = rng.chance(0.92);
                        let on =
                            day_between(&mut rng, ymd(year, Month::December, 1), ymd(year + 1, Month::January, 31));
                        part.commitments.push(SeedCommitment {
                            person: idn(m),
                            fields: crate::commitments::fields(&mut rng, year, None),
                            status: if fulfilled { Status::Fulfilled } else { Status::Unfulfilled },
                            verification: Some(Verification {
                                by: secretary.clone(),
                                on,
                                comment: Some(if fulfilled { "已兑现" } else { "未按期完成" }.into()),
                            }),
                        });
                    }
                }
            }
        }
        part
    }
}

fn ymd(year: i32, month: Month, day: u8) -> Date {
    Date::from_calendar_date(year, month, day).expect("a calendar date")
}

/// A task of `year` with [`ENTRIES_PER_TASK`] entries: done when the year is
/// past; in any state as of [`AS_OF`] in 2024.
fn one_task(rng: &mut Rng, code: String, unit: &str, kind: TaskKind, year: i32, who: Vec<String>) -> SeedTask {
    let (mut t, start, last, progress) = if year < AS_OF.year() {
        let start = day_between(rng, ymd(year, Month::January, 2), ymd(year, Month::September, 30));
        let finished = day_between(rng, start + Duration::days(20), ymd(year, Month::December, 31));
        let due = day_between(rng, finished, ymd(year, Month::December, 31));
        (task(rng, code, unit, kind, year, TaskStatus::Done, 100, start, due, finished, who), start, finished, 100)
    } else {
        let start = day_between(rng, date!(2024 - 01 - 02), date!(2024 - 05 - 31));
        // Due dates fall before and after the day the world describes, so some are overdue.
        let due = day_between(rng, start + Duration::days(20), date!(2024 - 12 - 31));
        let last = day_between(rng, start + Duration::days(7), AS_OF);
        let roll = rng.fraction();
        let (status, p) = if roll < 0.3 {
            (TaskStatus::Done, 100)
        } else if roll < 0.9 {
            (TaskStatus::InProgress, rng.range(10, 90) as i32)
        } else {
            (TaskStatus::InProgress, rng.range(1, 9) as i32)
        };
        (task(rng, code, unit, kind, 2024, status, p, start, due, last, who), start, last, p)
    };
    let by = t.responsible.clone();
    t.entries = ledger_of(rng, kind, start, last.max(start), progress, &by, ENTRIES_PER_TASK);
    t
}
