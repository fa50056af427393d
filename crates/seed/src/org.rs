//! The organization (组织): the unit tree under each provincial-level unit —
//! its committees (cities, districts, divisions and the seat's 机关党委),
//! general branches, branches and party groups.

use std::ops::Range;

use qizhi_core::org::{UnitFields, UnitKind, UnitStatus};
use time::macros::date;
use time::{Date, Duration};

use crate::names::zh_number;
use crate::places::{NAMED, Named, PROVINCIAL, Provincial, Shape, named_branches};
use crate::rng::Rng;
use crate::split::split;
use crate::world::{AS_OF, ROOT_CODE, SeedUnit};

/// The day the merged China Unicom began operating; the root's founding date.
pub const GROUP_FOUNDED: Date = date!(2008 - 10 - 15);

/// Departments of a city company that have their own branch, interleaved
/// with its sales-and-service centres (营服中心) when naming branches.
#[rustfmt::skip]
const CITY_DEPARTMENTS: &[&str] = &[
    "综合部", "市场营销部", "政企客户部", "网络建设部", "客户服务部", "网络运维部", "财务部",
    "智家工程部", "数字化部", "渠道运营部", "人力资源部", "云网运营中心",
];
#[rustfmt::skip]
const CITY_AREAS: &[&str] = &[
    "城区", "东区", "西区", "南区", "北区", "高新区", "开发区", "新区", "城东", "城西", "城南",
    "城北", "滨江", "临港", "经开区", "航空港区",
];
/// Centres big enough to be a general branch (党总支) over several branches.
const GENERAL_BRANCHES: &[&str] = &["网络运维中心", "客户服务中心", "政企客户事业部", "智家工程中心"];
/// Departments of the provincial company (机关).
#[rustfmt::skip]
const SEAT_DEPARTMENTS: &[&str] = &[
    "办公室", "党建工作部", "人力资源部", "财务部", "市场营销部", "政企客户事业部", "网络部",
    "网络运维部", "数字化部", "审计部", "纪委办公室", "工会", "法律与风险管理部", "采购与物流部",
    "客户服务中心", "网络管理中心", "云网运营中心", "产品中心", "安全保卫部", "战略与创新部",
];
/// Departments merged away since 2008: their branches are dissolved but stay on record.
const FORMER_DEPARTMENTS: &[&str] = &["寻呼业务部", "固网业务部", "增值业务部", "数据固定业务部"];

/// A branch people belong to.
#[derive(Debug, Clone)]
pub struct BranchSlot {
    pub code: String,
    /// The city's number in its province (1 for the seat): the middle digits
    /// of local people's ID numbers.
    pub city: u8,
    pub party_groups: u32,
}

/// A city or district committee: the unit that keeps grids.
#[derive(Debug, Clone)]
pub struct CitySlot {
    pub code: String,
    /// The place grid names start with (呼和浩特, 黔东南州, 北京东城).
    pub place: String,
    /// Its branches, as indexes into [`Slice::branches`].
    pub branches: Range<usize>,
}

/// What [`build`] made, for people and grids to attach to.
#[derive(Debug, Clone, Default)]
pub struct Slice {
    /// Every active branch, in the order people are planned for.
    pub branches: Vec<BranchSlot>,
    pub cities: Vec<CitySlot>,
}

/// A unit's code, name and short name.
struct Label {
    code: String,
    name: String,
    short: String,
}

fn label(code: impl Into<String>, name: impl Into<String>, short: impl Into<String>) -> Label {
    Label { code: code.into(), name: name.into(), short: short.into() }
}

/// How the branches of a committee are named.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Style {
    /// A city or district company: departments and sales-and-service centres.
    City,
    /// The provincial company's own departments (机关).
    Seat,
    /// A subsidiary's division: 第一党支部, 第二党支部 …
    Numbered,
}

/// A unit directly under the provincial-level unit that holds branches.
struct Division {
    label: Label,
    kind: UnitKind,
    /// What branch names start with (福州联通, 北京联通东城分公司).
    prefix: String,
    style: Style,
    city: u8,
    /// For cities and districts, the place their grids are named after.
    place: Option<String>,
    weight: f64,
}

/// Builds the subtree of provincial-level unit `p` with one branch per entry
/// of `sizes` (people planned per branch), appending its units parents first.
pub fn build(rng: &mut Rng, p: &Provincial, all_divisions: bool, sizes: &[u32], units: &mut Vec<SeedUnit>) -> Slice {
    let mut b = Builder { rng, units, sizes, slice: Slice::default() };
    let founded = p.founded.unwrap_or_else(|| GROUP_FOUNDED + Duration::days(b.rng.range(20, 110)));
    let (name, short) = match p.shape {
        Shape::Province { admin } | Shape::Municipality { admin } => {
            (format!("中共中国联通{admin}分公司委员会"), format!("{}联通", p.place))
        }
        Shape::Subsidiary { company, short, .. } => (format!("中共{company}委员会"), short.to_string()),
    };
    let order = PROVINCIAL.iter().position(|q| q.code == p.code).unwrap_or(0) as i32 + 1;
    b.unit(ROOT_CODE, UnitKind::Committee, order, founded, label(p.code, name, short));

    let mut left = sizes.len() as u32;
    let mut order = 0;
    for n in NAMED.iter().filter(|n| n.parent == p.code) {
        order += 1;
        b.named(n, order);
        left -= named_branches(n);
    }

    let divisions = divisions(b.rng, p, all_divisions, left);
    let weights: Vec<f64> = divisions.iter().map(|d| d.weight).collect();
    // Every committee gets a branch when there are enough to go round.
    let floor = u32::from(left as usize >= divisions.len());
    let shares = split(left, &weights, &vec![floor; divisions.len()]);
    for (d, share) in divisions.into_iter().zip(shares) {
        order += 1;
        let d_founded = founded + Duration::days(b.rng.range(5, 200));
        let first = b.slice.branches.len();
        b.division(p.code, &d, order, d_founded, share);
        if let Some(place) = d.place {
            b.slice.cities.push(CitySlot { code: d.label.code, place, branches: first..b.slice.branches.len() });
        }
    }
    assert_eq!(b.slice.branches.len(), sizes.len(), "{}", p.code);
    b.slice
}

/// The cities, districts or divisions of `p` that get branches, the seat's
/// 机关党委 first. A small scale keeps about one per eight branches (five in
/// a subsidiary), and always those the article names.
fn divisions(rng: &mut Rng, p: &Provincial, all: bool, branches: u32) -> Vec<Division> {
    let subsidiary = matches!(p.shape, Shape::Subsidiary { .. });
    let per = if subsidiary { 5 } else { 8 };
    let keep =
        if all { p.divisions.len() } else { ((branches + per / 2) / per).clamp(2, p.divisions.len() as u32) as usize };
    let mut jitter = || 0.75 + 0.5 * rng.fraction();
    let mut out = Vec::new();
    if let Shape::Province { admin } | Shape::Municipality { admin } = p.shape {
        out.push(Division {
            label: label(
                format!("{}00", p.code),
                format!("中共中国联通{admin}分公司机关委员会"),
                format!("{}联通机关党委", p.place),
            ),
            kind: UnitKind::Committee,
            prefix: format!("{}联通", p.place),
            style: Style::Seat,
            city: 1,
            place: None,
            weight: 1.5 * jitter(),
        });
    }
    for (i, &entry) in p.divisions.iter().enumerate() {
        if i >= keep && !p.named.contains(&entry) {
            continue;
        }
        let code = format!("{}{:02}", p.code, i + 1);
        // The capital and the second city are the biggest companies.
        let weight = [3.0, 2.0].get(i).copied().unwrap_or(1.0) * jitter();
        out.push(match p.shape {
            Shape::Province { .. } => {
                // 黔东南州, 兴安盟, 阿里地区 keep their names; 苏州 is 苏州市.
                let prefecture = entry.chars().count() >= 3 && ["州", "盟", "地区"].iter().any(|s| entry.ends_with(s));
                let full = if prefecture { entry.to_string() } else { format!("{entry}市") };
                // 吉林市 is not 吉林省.
                let short = if entry == p.place { format!("{entry}市联通") } else { format!("{entry}联通") };
                Division {
                    label: label(code, format!("中共中国联通{full}分公司委员会"), &short),
                    kind: UnitKind::Committee,
                    prefix: short,
                    style: Style::City,
                    city: i as u8 + 1,
                    place: Some(entry.to_string()),
                    weight,
                }
            }
            Shape::Municipality { admin } => {
                let full = if entry.ends_with('区') { entry.to_string() } else { format!("{entry}区") };
                let short = format!("{}联通{entry}分公司", p.place);
                Division {
                    label: label(code, format!("中共中国联通{admin}{full}分公司委员会"), &short),
                    kind: UnitKind::Committee,
                    prefix: short,
                    style: Style::City,
                    city: 1,
                    place: Some(format!("{}{entry}", p.place)),
                    weight,
                }
            }
            Shape::Subsidiary { company, abbr, division_kind, .. } => {
                let (name, short) = if division_kind == UnitKind::Committee {
                    (format!("中共{company}{entry}委员会"), format!("{abbr}{entry}"))
                } else {
                    (format!("{abbr}{entry}党总支"), format!("{entry}党总支"))
                };
                Division {
                    label: label(code, name, short),
                    kind: division_kind,
                    prefix: format!("{abbr}{entry}"),
                    style: Style::Numbered,
                    city: 1,
                    place: None,
                    weight: weight.min(1.5),
                }
            }
        });
    }
    out
}

/// The name of the `i`-th ordinary branch of a committee, before 党支部.
fn branch_label(style: Style, i: usize) -> String {
    match style {
        Style::City => {
            let (d, a) = (CITY_DEPARTMENTS.len(), CITY_AREAS.len());
            let both = d.min(a);
            if i < 2 * both {
                if i.is_multiple_of(2) {
                    CITY_DEPARTMENTS[i / 2].to_string()
                } else {
                    format!("{}营服中心", CITY_AREAS[i / 2])
                }
            } else if i < d + a {
                // Whichever list is longer carries on alone.
                let j = both + i - 2 * both;
                match CITY_DEPARTMENTS.get(j) {
                    Some(dept) if d > a => dept.to_string(),
                    _ => format!("{}营服中心", CITY_AREAS[j]),
                }
            } else {
                format!("县域网格第{}", zh_number((i - d - a + 1) as u32))
            }
        }
        Style::Seat => match SEAT_DEPARTMENTS.get(i) {
            Some(dept) => dept.to_string(),
            None => format!("机关第{}", zh_number((i - SEAT_DEPARTMENTS.len() + 1) as u32)),
        },
        Style::Numbered => format!("第{}", zh_number(i as u32 + 1)),
    }
}

struct Builder<'a> {
    rng: &'a mut Rng,
    units: &'a mut Vec<SeedUnit>,
    sizes: &'a [u32],
    slice: Slice,
}

impl Builder<'_> {
    /// Appends an active unit; returns its fields for the rare change.
    fn unit(&mut self, parent: &str, kind: UnitKind, sort_order: i32, founded: Date, l: Label) -> &mut UnitFields {
        self.units.push(SeedUnit {
            parent_code: Some(parent.to_string()),
            fields: UnitFields {
                code: l.code,
                name: l.name,
                short_name: Some(l.short),
                kind,
                sort_order,
                founded: Some(founded.min(AS_OF)),
                status: UnitStatus::Active,
            },
        });
        &mut self.units.last_mut().expect("just pushed").fields
    }

    /// A date after `after`, early ones likelier: most branches date from the
    /// years after the merger, a few are recent.
    fn founded_after(&mut self, after: Date) -> Date {
        let span = (date!(2023 - 12 - 31) - after).whole_days().max(0);
        let days = self.rng.range(0, span).min(self.rng.range(0, span));
        after + Duration::days(days)
    }

    /// An active branch and its party groups; people attach to it.
    fn branch(&mut self, parent: &str, order: i32, after: Date, city: u8, l: Label) {
        let founded = self.founded_after(after);
        // Large branches split into party groups (党小组).
        let groups = match self.sizes[self.slice.branches.len()] {
            0..=19 => 0,
            20..=22 => 2,
            _ => 3,
        };
        let (code, name) = (l.code.clone(), l.name.clone());
        self.unit(parent, UnitKind::Branch, order, founded, l);
        for g in 1..=groups {
            let short = format!("第{}党小组", zh_number(g));
            let g_founded = founded + Duration::days(self.rng.range(30, 1500));
            let l = label(format!("{code}-{g}"), format!("{name}{short}"), short);
            self.unit(&code, UnitKind::PartyGroup, g as i32, g_founded, l);
        }
        self.slice.branches.push(BranchSlot { code, city, party_groups: groups });
    }

    /// A unit the article names, and the branches under it.
    fn named(&mut self, n: &Named, order: i32) {
        let l = label(n.code, n.name, n.short);
        if n.kind == UnitKind::Branch {
            self.unit(n.parent, n.kind, order, n.founded, l);
            self.slice.branches.push(BranchSlot { code: n.code.into(), city: 1, party_groups: 0 });
            return;
        }
        self.unit(n.parent, n.kind, order, n.founded, l);
        for (i, (suffix, name, short)) in n.branches.iter().enumerate() {
            let l = label(format!("{}-{suffix}", n.code), *name, *short);
            self.branch(n.code, i as i32 + 1, n.founded, 1, l);
        }
    }

    /// Division `d` and its `count` branches: in big city committees some
    /// under general branches, and now and then a dissolved one on record.
    fn division(&mut self, parent: &str, d: &Division, order: i32, founded: Date, count: u32) {
        let l = label(&d.label.code, &d.label.name, &d.label.short);
        self.unit(parent, d.kind, order, founded, l);
        let mut seq = 0;
        let mut next_code = || {
            seq += 1;
            format!("{}-{seq:03}", d.label.code)
        };
        let mut order = 0;
        let mut left = count;
        if d.style == Style::City && count >= 10 {
            let mut centres = GENERAL_BRANCHES.to_vec();
            self.rng.shuffle(&mut centres);
            let general = if count >= 25 { 2 } else { 1 };
            for (z, centre) in centres.into_iter().take(general).enumerate() {
                let code = format!("{}-Z{}", d.label.code, z + 1);
                let gb_founded = self.founded_after(founded);
                order += 1;
                let l = label(&code, format!("{}{centre}党总支", d.prefix), format!("{centre}党总支"));
                self.unit(&d.label.code, UnitKind::GeneralBranch, order, gb_founded, l);
                let under = (self.rng.range(2, 4) as u32).min(left);
                for k in 1..=under {
                    let short = format!("{centre}第{}党支部", zh_number(k));
                    let l = label(next_code(), format!("{}{short}", d.prefix), short);
                    self.branch(&code, k as i32, gb_founded, d.city, l);
                }
                left -= under;
            }
        }
        for i in 0..left as usize {
            let short = format!("{}党支部", branch_label(d.style, i));
            order += 1;
            let l = label(next_code(), format!("{}{short}", d.prefix), short);
            self.branch(&d.label.code, order, founded, d.city, l);
        }
        if d.style == Style::City && count >= 6 && self.rng.chance(0.08) {
            let short = format!("{}党支部", self.rng.pick(FORMER_DEPARTMENTS));
            let l = label(next_code(), format!("{}{short}", d.prefix), short);
            self.unit(&d.label.code, UnitKind::Branch, order + 1, founded, l).status = UnitStatus::Dissolved;
        }
    }
}
