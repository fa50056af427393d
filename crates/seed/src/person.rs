//! People (人员): for each branch a realistic mix of full and probationary
//! members, league members and staff, with posts, dates, phones and ID numbers
//! that pass the same rules as a typed-in person.

use std::collections::HashSet;

use qizhi_core::person::{Category, Gender, PersonFields, id_number_with_check};
use time::Date;

use crate::names::person_name;
use crate::org::Slice;
use crate::places::{PROVINCIAL, Provincial, Shape};
use crate::rng::Rng;
use crate::world::{AS_OF, SeedPerson};

/// How many of each category a branch has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mix {
    pub full: u32,
    pub probationary: u32,
    pub league: u32,
    pub staff: u32,
}

impl Mix {
    pub fn members(&self) -> u32 {
        self.full + self.probationary
    }

    pub fn total(&self) -> u32 {
        self.members() + self.league + self.staff
    }
}

/// People per branch are kept within these bounds.
const MIN_PEOPLE: u32 = 8;
const MAX_PEOPLE: u32 = 25;
const MIN_MEMBERS: u32 = 4;
const MAX_MEMBERS: u32 = 22;

/// The mixes of `branches` branches; with `members`, their party members add
/// up to exactly that (贵州's 1989).
pub fn plan(rng: &mut Rng, branches: u32, members: Option<u32>) -> Vec<Mix> {
    // (members, non-members) per branch; about 15 people on average.
    let mut sizes: Vec<(u32, u32)> = (0..branches)
        .map(|_| {
            let n = if rng.chance(0.05) { rng.range(21, 25) } else { (7 + rng.range(0, 8) + rng.range(0, 7)).max(8) }
                as u32;
            let share = 0.62 + 0.3 * rng.fraction();
            let m = ((f64::from(n) * share).round() as u32).clamp(MIN_MEMBERS, n);
            (m, n - m)
        })
        .collect();
    if let Some(target) = members {
        reach_members(rng, &mut sizes, target);
    }
    sizes
        .into_iter()
        .map(|(m, k)| {
            // The secretary (the first member) is always a full member.
            let probationary = (1..m).filter(|_| rng.chance(0.07)).count() as u32;
            let league = (0..k).filter(|_| rng.chance(0.4)).count() as u32;
            Mix { full: m - probationary, probationary, league, staff: k - league }
        })
        .collect()
}

/// Adds or removes members one at a time in random branches, within the
/// bounds, until the members add up to `target`.
fn reach_members(rng: &mut Rng, sizes: &mut [(u32, u32)], target: u32) {
    let lo: u32 = sizes.iter().map(|&(_, k)| MIN_MEMBERS.max(MIN_PEOPLE.saturating_sub(k))).sum();
    let hi: u32 = sizes.iter().map(|&(_, k)| MAX_MEMBERS.min(MAX_PEOPLE - k)).sum();
    assert!((lo..=hi).contains(&target), "{target} members cannot fit {} branches ({lo}..={hi})", sizes.len());
    let mut sum: u32 = sizes.iter().map(|s| s.0).sum();
    while sum != target {
        let (m, k) = &mut sizes[rng.below(sizes.len() as u64) as usize];
        if sum < target && *m < MAX_MEMBERS && *m + *k < MAX_PEOPLE {
            *m += 1;
            sum += 1;
        } else if sum > target && *m > MIN_MEMBERS && *m + *k > MIN_PEOPLE {
            *m -= 1;
            sum -= 1;
        }
    }
}

/// Phone and ID numbers already given out: both are personal and unique.
#[derive(Debug, Default)]
pub struct Taken {
    phones: HashSet<u64>,
    ids: HashSet<u64>,
}

/// China Unicom's mobile prefixes.
const PHONE_PREFIXES: &[u64] = &[130, 131, 132, 145, 155, 156, 166, 175, 176, 185, 186];
/// County digits of ID numbers.
const COUNTIES: &[u8] = &[2, 3, 4, 5, 11, 21, 22, 23, 24, 25];

/// The people of every branch of `slice`, `mixes[i]` for `slice.branches[i]`.
pub fn people(
    rng: &mut Rng,
    p: &Provincial,
    slice: &Slice,
    mixes: &[Mix],
    taken: &mut Taken,
    out: &mut Vec<SeedPerson>,
) {
    assert_eq!(slice.branches.len(), mixes.len());
    // A subsidiary recruits from everywhere; a province mostly locally.
    let local = match p.shape {
        Shape::Subsidiary { .. } => 0.4,
        _ => 0.85,
    };
    for (branch, mix) in slice.branches.iter().zip(mixes) {
        let m = mix.members();
        // 支委会 (branch committee) posts for branches of seven members or more.
        let mut roles: Vec<&str> = vec!["支部书记"];
        if m >= 7 {
            roles.extend(["组织委员", "宣传委员"]);
        }
        if m >= 12 {
            roles.push("纪检委员");
        }
        if m >= 18 {
            roles.push("支部副书记");
        }
        roles.extend(std::iter::repeat_n("党小组组长", branch.party_groups as usize));
        let categories = std::iter::repeat_n(Category::Full, mix.full as usize)
            .chain(std::iter::repeat_n(Category::Probationary, mix.probationary as usize))
            .chain(std::iter::repeat_n(Category::League, mix.league as usize))
            .chain(std::iter::repeat_n(Category::Staff, mix.staff as usize));
        for (i, category) in categories.enumerate() {
            let role = (category == Category::Full).then(|| roles.get(i).copied()).flatten();
            let region = if rng.chance(local) {
                format!("{}{:02}{:02}", p.id_region, branch.city, rng.pick(COUNTIES))
            } else {
                let elsewhere = loop {
                    let q = rng.pick(PROVINCIAL);
                    if !matches!(q.shape, Shape::Subsidiary { .. }) {
                        break q;
                    }
                };
                format!("{}{:02}{:02}", elsewhere.id_region, rng.range(1, 5), rng.pick(COUNTIES))
            };
            let fields = person(rng, category, role, &region, taken);
            out.push(SeedPerson { unit_code: branch.code.clone(), fields });
        }
    }
}

/// One person of `category`; `role` is their branch post, if any.
fn person(rng: &mut Rng, category: Category, role: Option<&str>, region: &str, taken: &mut Taken) -> PersonFields {
    let secretary = role == Some("支部书记");
    let male = rng.chance(if secretary { 0.7 } else { 0.58 });
    let gender = if male { Gender::Male } else { Gender::Female };
    let (min_age, max_age) = match category {
        _ if secretary => (35, 57),
        Category::Full => (24, 59),
        Category::Probationary => (22, 40),
        Category::League => (22, 27),
        Category::Staff => (22, 59),
    };
    let age = rng.range(min_age, max_age);
    let as_of = i64::from(AS_OF.to_julian_day());
    let birth = day(as_of - age * 365 - age / 4 - rng.range(0, 364));
    let join_date = match category {
        Category::Full => {
            // At 19 at the earliest, a year before AS_OF at the latest (the
            // probation year), young joiners likelier.
            let earliest = i64::from(birth.to_julian_day()) + 19 * 366;
            let span = (as_of - 366 - earliest).max(0);
            Some(day(earliest + rng.range(0, span).min(rng.range(0, span))))
        }
        Category::Probationary => {
            let earliest = (i64::from(birth.to_julian_day()) + 18 * 366).max(as_of - 364);
            Some(day(rng.range(earliest, as_of)))
        }
        Category::League | Category::Staff => None,
    };
    let post = role.unwrap_or(match category {
        Category::Full | Category::Probationary => "党员",
        Category::League => "团员",
        Category::Staff => "员工",
    });
    PersonFields {
        name: person_name(rng, gender),
        gender: Some(gender),
        category,
        join_date,
        post: Some(post.to_string()),
        birth_date: Some(birth),
        phone: Some(phone(rng, taken)),
        id_number: Some(id_number(rng, region, birth, gender, taken)),
    }
}

fn day(julian: i64) -> Date {
    Date::from_julian_day(julian as i32).expect("a date of a working life")
}

fn phone(rng: &mut Rng, taken: &mut Taken) -> String {
    loop {
        let n = rng.pick(PHONE_PREFIXES) * 100_000_000 + rng.below(100_000_000);
        if taken.phones.insert(n) {
            return n.to_string();
        }
    }
}

/// Region, birth date, a sequence whose parity is the gender (odd for men), and the check digit.
fn id_number(rng: &mut Rng, region: &str, birth: Date, gender: Gender, taken: &mut Taken) -> String {
    let born = format!("{:04}{:02}{:02}", birth.year(), u8::from(birth.month()), birth.day());
    loop {
        let seq = rng.below(500) * 2 + u64::from(gender == Gender::Male);
        let first17 = format!("{region}{born}{seq:03}");
        if taken.ids.insert(first17.parse().expect("17 digits")) {
            return id_number_with_check(&first17);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mixes_stay_in_bounds_and_reach_a_member_target() {
        let mixes = plan(&mut Rng::for_key("test"), 165, Some(1989));
        assert_eq!(mixes.iter().map(Mix::members).sum::<u32>(), 1989);
        for m in &mixes {
            assert!((MIN_PEOPLE..=MAX_PEOPLE).contains(&m.total()), "{m:?}");
            assert!(m.full >= 1);
        }
    }

    #[test]
    fn branches_average_about_fifteen_people() {
        let mixes = plan(&mut Rng::for_key("avg"), 10_000, None);
        let avg = f64::from(mixes.iter().map(Mix::total).sum::<u32>()) / 10_000.0;
        assert!((14.5..15.5).contains(&avg), "{avg}");
    }
}
