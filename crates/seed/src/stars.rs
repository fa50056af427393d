//! Star-rated evaluation (星级党支部) in the seed world: Fujian's unified
//! "六星" scheme and its campaigns, and the group's scheme run by other
//! provinces.
//!
//! - **Fujian** (`FJ`): the scheme of 2022, copied to 2023 and 2024. The
//!   2023 campaign (awarded 2024-01-20, before the article of 2024-07-01)
//!   covers exactly Fujian's 179 active branches. Its scores are generated
//!   aimed at a target star per branch — 2 six-star, 26 five-star, 103
//!   four-star, 48 three-star — and the stars are what the engine makes of
//!   them (the store runs the engine when it loads them; the tests check it
//!   gives the article's results). The article's "四星支部 73%" is read as
//!   the share with four stars or more: 131 of 179 = 73.2 %, the count
//!   nearest to 73 % (0.73 × 179 = 130.7). "五星支部 26 个" and "六星支部 2
//!   个" are exact counts, so 28 branches have five stars or more. The 2022
//!   campaign came before (fewer stars), and the 2024 one is in
//!   self-assessment on the world's day (2024-06-30).
//! - **Other provinces** run the group's scheme: 内蒙古 2023 completed (with
//!   one star withdrawn since), 贵州 2024 in review with two levels (a live
//!   queue for the demo's reviewer), and in the demo and group scales 江苏
//!   and 广东 2023 completed.
//!
//! Each campaign draws from its own random stream (`stars/FJ/2023` …).

use std::collections::HashMap;

use qizhi_core::org::{UnitKind, UnitStatus};
use qizhi_core::stars::campaign::{CampaignFields, Declaration, EntryStatus, Period, Stage, StageDates};
use qizhi_core::stars::data::{CampaignData, EntryData, SchemeData, ScoreData, StarsData, Withdrawal};
use qizhi_core::stars::points::Points;
use qizhi_core::stars::scheme::{Dimension, Indicator, Quota, SchemeBody, SchemeFields, Veto, default_rules};
use time::Date;
use time::macros::date;

use crate::rng::Rng;
use crate::world::SeedUnit;

/// Fujian 2023: branches per star, 6★ down to 3★ (the article's results).
pub const FUJIAN_2023: [(u8, usize); 4] = [(6, 2), (5, 26), (4, 103), (3, 48)];

/// (code, name, max, guide, evidence)
type IndicatorSpec = (&'static str, &'static str, i64, &'static str, &'static str);

#[rustfmt::skip]
const PARTY: &[IndicatorSpec] = &[
    ("PB1", "政治建设", 15, "学习贯彻习近平新时代中国特色社会主义思想，落实“第一议题”制度，每缺一次扣 1 分", "学习记录、会议纪要"),
    ("PB2", "组织体系", 15, "支部设置规范、按期换届，党小组划分合理，支委分工明确", "换届批复、党小组名单"),
    ("PB3", "组织生活", 20, "“三会一课”、主题党日、组织生活会、民主评议党员按要求开展", "会议记录、活动照片"),
    ("PB4", "党员队伍", 15, "党员发展、教育管理规范，党员亮身份、亮承诺、亮业绩", "承诺台账、培训记录"),
    ("PB5", "品牌阵地", 15, "党建品牌达到“五有”：形象化标识、个性化内涵、制度化推进、可视化阵地、显性化成效", "品牌手册、阵地照片"),
    ("PB6", "党风廉政", 10, "落实全面从严治党责任，开展廉洁教育和廉洁风险防控", "廉洁教育记录"),
    ("PB7", "基础工作", 10, "党费收缴、台账资料、党建信息系统录入及时准确", ""),
];

#[rustfmt::skip]
const BUSINESS: &[IndicatorSpec] = &[
    ("BP1", "经营目标完成", 30, "收入、利润等年度经营考核指标完成率，按考核结果折算", "年度考核结果"),
    ("BP2", "重点工作攻坚", 20, "重点任务、急难险重任务和攻坚任务完成情况", "任务台账"),
    ("BP3", "网络与服务质量", 20, "网络质量、客户满意度和投诉处理情况", ""),
    ("BP4", "党建业务融合", 15, "党员先锋岗、党员突击队、堡垒插旗在中心工作中发挥作用", "典型案例"),
    ("BP5", "创新与荣誉", 15, "创新成果、先进典型和获得的荣誉", "荣誉证书"),
];

fn indicators(specs: &[IndicatorSpec]) -> Vec<Indicator> {
    specs
        .iter()
        .map(|&(code, name, max, guide, evidence)| Indicator {
            code: code.into(),
            name: name.into(),
            max: Points::whole(max),
            weight: None,
            guide: guide.into(),
            evidence: evidence.into(),
            auto: None,
        })
        .collect()
}

fn dimension(code: &str, name: &str, specs: &[IndicatorSpec]) -> Dimension {
    Dimension {
        code: code.into(),
        name: name.into(),
        standard: Points::whole(60),
        excellent: Points::whole(80),
        benchmark: Points::whole(90),
        indicators: indicators(specs),
    }
}

/// Fujian's unified "六星" scheme ("一把尺子量到底"): party building and
/// business performance, 100 points each, levels at 60 / 80 / 90, the
/// default star rules, three vetoes and two quotas.
pub fn fujian_scheme() -> SchemeBody {
    SchemeBody {
        dimensions: vec![dimension("PB", "党建", PARTY), dimension("BP", "业绩", BUSINESS)],
        rules: default_rules("PB", "BP", Points::whole(45), Points::whole(30)),
        vetoes: vec![
            Veto { code: "V1".into(), name: "发生严重违纪违法问题".into(), cap: 0 },
            Veto { code: "V2".into(), name: "发生重大安全生产或网络安全责任事故".into(), cap: 2 },
            Veto { code: "V3".into(), name: "未按期换届或“三会一课”严重缺失".into(), cap: 3 },
        ],
        quotas: vec![Quota { stars: 6, max_percent: 2 }, Quota { stars: 5, max_percent: 20 }],
    }
}

/// The group's scheme for provinces without their own: the same two
/// dimensions, a quota on six stars only.
pub fn group_scheme() -> SchemeBody {
    let mut s = fujian_scheme();
    s.quotas = vec![Quota { stars: 6, max_percent: 3 }];
    s
}

fn period(from: Date, to: Date) -> Period {
    Period { from: Some(from), to: Some(to) }
}

/// The stage dates of a campaign of `year`: created in spring, assessed and
/// reviewed in the autumn, published in December, awarded in January.
fn yearly_dates(year: i32) -> StageDates {
    let d = |y: i32, m: u8, day: u8| Date::from_calendar_date(y, time::Month::try_from(m).unwrap(), day).unwrap();
    StageDates {
        create: period(d(year, 3, 1), d(year, 3, 31)),
        self_assess: period(d(year, 10, 9), d(year, 11, 10)),
        review: period(d(year, 11, 13), d(year, 12, 15)),
        publicity: period(d(year, 12, 18), d(year, 12, 29)),
        award: period(d(year + 1, 1, 15), d(year + 1, 1, 25)),
        apply: period(d(year + 1, 1, 26), d(year + 1, 12, 31)),
    }
}

/// The active branches under each provincial-level unit, in tree order, with their founding dates.
fn branches_by_province(units: &[SeedUnit]) -> HashMap<String, Vec<(String, Option<Date>)>> {
    let mut top: HashMap<&str, &str> = HashMap::new();
    let mut out: HashMap<String, Vec<(String, Option<Date>)>> = HashMap::new();
    for u in units {
        let code = u.fields.code.as_str();
        let t = match u.parent_code.as_deref() {
            None => "",
            Some(p) if top.get(p) == Some(&"") => code,
            Some(p) => top.get(p).copied().unwrap_or(""),
        };
        top.insert(code, t);
        if u.fields.kind == UnitKind::Branch && u.fields.status == UnitStatus::Active {
            out.entry(t.to_string()).or_default().push((u.fields.code.clone(), u.fields.founded));
        }
    }
    out
}

/// Scores summing to exactly `total` over indicators of `maxes`, in half
/// points, each within its max: shares near the total's rate, with noise.
fn split_total(rng: &mut Rng, total: i64, maxes: &[i64]) -> Vec<i64> {
    let sum_max: i64 = maxes.iter().sum();
    let mut out: Vec<i64> = maxes
        .iter()
        .map(|&m| {
            let base = total * m / sum_max;
            let noise = rng.range(-(m * 8), m * 8);
            let v = (base + noise).clamp(0, m);
            v - v % 50
        })
        .collect();
    let mut diff = total - out.iter().sum::<i64>();
    let n = out.len();
    let mut i = rng.below(n as u64) as usize;
    let mut stuck = 0;
    while diff != 0 && stuck <= n {
        let step = if diff > 0 { 50.min(diff) } else { (-50).max(diff) };
        let next = out[i] + step;
        if (0..=maxes[i]).contains(&next) {
            out[i] = next;
            diff -= step;
            stuck = 0;
        } else {
            stuck += 1;
        }
        i = (i + 1) % n;
    }
    out
}

/// A dimension total (hundredths) for a target: `lo..=hi` in whole points.
fn total_in(rng: &mut Rng, lo: i64, hi: i64) -> i64 {
    rng.range(lo * 2, hi * 2) * 50
}

/// Party-building and business totals (hundredths) that earn `star` under the default rules.
fn totals_for(rng: &mut Rng, star: u8) -> (i64, i64) {
    match star {
        6 => (total_in(rng, 90, 98), total_in(rng, 90, 97)),
        5 => {
            if rng.chance(0.5) {
                (total_in(rng, 80, 89), total_in(rng, 80, 96))
            } else {
                (total_in(rng, 80, 96), total_in(rng, 80, 89))
            }
        }
        4 => {
            if rng.chance(0.6) {
                (total_in(rng, 62, 92), total_in(rng, 60, 79))
            } else {
                (total_in(rng, 60, 79), total_in(rng, 62, 90))
            }
        }
        3 => (total_in(rng, 60, 86), total_in(rng, 38, 59)),
        2 => (total_in(rng, 45, 59), total_in(rng, 30, 70)),
        1 => (total_in(rng, 30, 44), total_in(rng, 25, 60)),
        _ => (total_in(rng, 10, 29), total_in(rng, 20, 50)),
    }
}

fn score_list(rng: &mut Rng, pb: i64, bp: i64, notes: &[&str]) -> Vec<ScoreData> {
    let maxes = |specs: &[IndicatorSpec]| specs.iter().map(|s| s.2 * 100).collect::<Vec<_>>();
    let mut out = vec![];
    for (specs, total) in [(PARTY, pb), (BUSINESS, bp)] {
        for (spec, points) in specs.iter().zip(split_total(rng, total, &maxes(specs))) {
            let note = (!notes.is_empty() && !spec.4.is_empty()).then(|| rng.pick(notes).replace("{e}", spec.4));
            out.push(ScoreData { indicator: spec.0.into(), points: Points(points), note });
        }
    }
    out
}

const EVIDENCE: &[&str] = &["已上传{e}", "{e}见附件", "{e}已归档备查", "提供{e}及相关说明"];
const REVIEW_NOTES: &[&str] = &[
    "材料齐全，评分属实",
    "佐证材料较完整，个别指标酌情扣分",
    "对照标准复核，得分合理",
    "部分材料不够规范，已按标准调整",
];
#[rustfmt::skip]
const PLANS: &[&str] = &[
    "对标{n}星标准，突出组织生活质量和党建业务融合，年内补齐阵地建设短板",
    "以党建品牌为抓手，深化党员先锋岗、突击队作用，争创{n}星党支部",
    "围绕经营目标和重点攻坚任务，推动“五有”品牌建设，力争{n}星",
    "规范“三会一课”，加强党员教育管理，经营指标保持全市前列，申报{n}星",
];

/// `base` raised by `extra` (party building, business; hundredths) in half
/// points spread over the indicators with room: the higher scores of the
/// stages below the final one, indicator by indicator.
fn raised(rng: &mut Rng, base: &[ScoreData], extra: (i64, i64), notes: &[&str]) -> Vec<ScoreData> {
    let max_of = |code: &str| PARTY.iter().chain(BUSINESS).find(|s| s.0 == code).map_or(0, |s| s.2 * 100);
    let mut out: Vec<ScoreData> = base.to_vec();
    for (prefix, mut left) in [("PB", extra.0), ("BP", extra.1)] {
        let idx: Vec<usize> = (0..out.len()).filter(|&i| out[i].indicator.starts_with(prefix)).collect();
        while left >= 50 {
            let room: Vec<usize> =
                idx.iter().copied().filter(|&i| out[i].points.0 + 50 <= max_of(&out[i].indicator)).collect();
            if room.is_empty() {
                break;
            }
            let i = room[rng.below(room.len() as u64) as usize];
            out[i].points = Points(out[i].points.0 + 50);
            left -= 50;
        }
    }
    for s in &mut out {
        let asked = PARTY.iter().chain(BUSINESS).find(|x| x.0 == s.indicator).map_or("", |x| x.4);
        s.note = (!notes.is_empty() && !asked.is_empty()).then(|| rng.pick(notes).replace("{e}", asked));
    }
    out
}

/// Raises each dimension a little: how branches tend to score themselves.
fn generous(rng: &mut Rng, pb: i64, bp: i64) -> (i64, i64) {
    ((pb + rng.range(0, 6) * 50).min(9900), (bp + rng.range(0, 6) * 50).min(9900))
}

/// One branch's entry: final scores aimed at `star`, a self-assessment a
/// little above them, review notes; `veto` replaces the rule's star by a cap.
fn completed_entry(rng: &mut Rng, code: &str, star: u8, levels: u8, veto: Option<(&str, u8)>) -> EntryData {
    let aim = match veto {
        // A vetoed branch scored for a star above its cap.
        Some((_, cap)) => (cap + 1 + rng.below(2) as u8).min(5),
        None => star,
    };
    let (pb, bp) = totals_for(rng, aim);
    let (self_pb, self_bp) = generous(rng, pb, bp);
    let target = (aim + u8::from(rng.chance(0.35))).min(6);
    // The final scores, and the stages below them a little higher, indicator by indicator.
    let review = score_list(rng, pb, bp, &[]);
    let self_scores = raised(rng, &review, (self_pb - pb, self_bp - bp), EVIDENCE);
    let first = if levels == 2 {
        // Level 1 halfway between the branch's own scores and the final ones.
        review
            .iter()
            .zip(&self_scores)
            .map(|(r, own)| {
                let half = (own.points.0 - r.points.0) / 100 * 50;
                ScoreData { indicator: r.indicator.clone(), points: Points(r.points.0 + half), note: None }
            })
            .collect()
    } else {
        review.clone()
    };
    EntryData {
        unit_code: code.into(),
        status: if levels == 2 { EntryStatus::Reviewed2 } else { EntryStatus::Reviewed1 },
        declaration: Some(Declaration {
            target_star: target,
            plan: Some(rng.pick(PLANS).replace("{n}", qizhi_core::stars::star_zh(target).trim_end_matches('星'))),
        }),
        self_scores,
        review1: first,
        review2: if levels == 2 { review } else { vec![] },
        review1_comment: Some(rng.pick(REVIEW_NOTES).to_string()),
        review2_comment: (levels == 2).then(|| rng.pick(REVIEW_NOTES).to_string()),
        vetoes: veto.map(|(v, _)| vec![v.to_string()]).unwrap_or_default(),
        withdrawn: None,
    }
}

/// Targets for `n` branches: `counts` of given stars, the rest `rest`, shuffled.
fn targets(rng: &mut Rng, n: usize, counts: &[(u8, usize)], rest: u8) -> Vec<u8> {
    let mut out: Vec<u8> = counts.iter().flat_map(|&(s, k)| std::iter::repeat_n(s, k)).collect();
    assert!(out.len() <= n, "more targets than branches");
    out.resize(n, rest);
    rng.shuffle(&mut out);
    out
}

/// Random targets in the proportions of a typical province.
fn typical_targets(rng: &mut Rng, n: usize) -> Vec<u8> {
    (0..n)
        .map(|_| {
            let x = rng.fraction();
            match x {
                x if x < 0.015 => 6,
                x if x < 0.15 => 5,
                x if x < 0.62 => 4,
                x if x < 0.95 => 3,
                x if x < 0.985 => 2,
                _ => 1,
            }
        })
        .collect()
}

fn fields(name: String, levels: u8, dates: StageDates) -> CampaignFields {
    CampaignFields { name, review_levels: levels, dates }
}

/// A completed campaign over `branches` with a star aimed at per branch.
#[allow(clippy::too_many_arguments)]
fn completed(
    rng: &mut Rng,
    scheme: &str,
    unit: &str,
    name: String,
    year: i32,
    levels: u8,
    branches: &[String],
    aims: &[u8],
    vetoes: &[(usize, &str, u8)],
    awarded_on: Date,
) -> CampaignData {
    let entries = branches
        .iter()
        .zip(aims)
        .enumerate()
        .map(|(i, (code, &star))| {
            let veto = vetoes.iter().find(|(k, _, _)| *k == i).map(|&(_, v, cap)| (v, cap));
            completed_entry(rng, code, star, levels, veto)
        })
        .collect();
    CampaignData {
        scheme: scheme.into(),
        unit_code: unit.into(),
        fields: fields(name, levels, yearly_dates(year)),
        stage: Stage::Apply,
        awarded_on: Some(awarded_on),
        entries,
    }
}

fn scheme_data(
    key: &str,
    unit: &str,
    copied_from: Option<&str>,
    name: &str,
    year: i32,
    body: SchemeBody,
) -> SchemeData {
    SchemeData {
        key: key.into(),
        unit_code: unit.into(),
        copied_from: copied_from.map(Into::into),
        fields: SchemeFields { name: name.into(), year, body },
    }
}

/// Everything of the star evaluation for a world whose units are `units`.
pub fn stars(units: &[SeedUnit]) -> StarsData {
    let by_province = branches_by_province(units);
    let codes = |p: &str| -> Vec<String> {
        by_province.get(p).map(|b| b.iter().map(|(c, _)| c.clone()).collect()).unwrap_or_default()
    };
    let mut data = StarsData::default();
    if let Some(fj) = by_province.get("FJ") {
        let scheme_name = |y: i32| format!("福建联通“六星”党支部创建评价体系（{y} 年版）");
        data.schemes.push(scheme_data("FJ-2022", "FJ", None, &scheme_name(2022), 2022, fujian_scheme()));
        data.schemes.push(scheme_data("FJ-2023", "FJ", Some("FJ-2022"), &scheme_name(2023), 2023, fujian_scheme()));
        data.schemes.push(scheme_data("FJ-2024", "FJ", Some("FJ-2023"), &scheme_name(2024), 2024, fujian_scheme()));

        // 2022: the branches founded by mid-2022, fewer stars than a year later.
        let rng = &mut Rng::for_key("stars/FJ/2022");
        let old: Vec<String> =
            fj.iter().filter(|(_, f)| f.is_none_or(|d| d <= date!(2022 - 06 - 30))).map(|(c, _)| c.clone()).collect();
        let n = old.len();
        let aims = targets(rng, n, &[(6, 1), (5, 17), (4, (n * 62 / 100).saturating_sub(18)), (2, 3)], 3);
        let veto = aims.iter().position(|&s| s == 2).map(|i| (i, "V2", 2));
        data.campaigns.push(completed(
            rng,
            "FJ-2022",
            "FJ",
            "福建联通 2022 年度“六星”党支部创建评选".into(),
            2022,
            2,
            &old,
            &aims,
            &veto.into_iter().collect::<Vec<_>>(),
            date!(2023 - 01 - 16),
        ));

        // 2023: the article's results, from scores through the engine.
        let rng = &mut Rng::for_key("stars/FJ/2023");
        let all = codes("FJ");
        let aims = targets(rng, all.len(), &FUJIAN_2023[..3], 3);
        // Two three-star branches scored higher but capped by a veto.
        let capped: Vec<(usize, &str, u8)> =
            aims.iter().enumerate().filter(|(_, s)| **s == 3).take(2).map(|(i, _)| (i, "V3", 3)).collect();
        data.campaigns.push(completed(
            rng,
            "FJ-2023",
            "FJ",
            "福建联通 2023 年度“六星”党支部创建评选".into(),
            2023,
            2,
            &all,
            &aims,
            &capped,
            date!(2024 - 01 - 20),
        ));

        // 2024: in self-assessment on the world's day.
        let rng = &mut Rng::for_key("stars/FJ/2024");
        let mut dates = yearly_dates(2024);
        dates.self_assess = period(date!(2024 - 06 - 03), date!(2024 - 07 - 15));
        dates.review = period(date!(2024 - 07 - 16), date!(2024 - 08 - 31));
        dates.publicity = period(date!(2024 - 09 - 02), date!(2024 - 09 - 06));
        dates.award = period(date!(2024 - 09 - 20), date!(2024 - 09 - 20));
        dates.apply = period(date!(2024 - 09 - 23), date!(2025 - 06 - 30));
        let entries = all
            .iter()
            .map(|code| {
                let x = if code == "FJ01-001" { 0.5 } else { rng.fraction() };
                let target = rng.pick(&[3u8, 4, 4, 4, 5, 5, 6]);
                let declaration = Some(Declaration {
                    target_star: target,
                    plan: Some(
                        rng.pick(PLANS).replace("{n}", qizhi_core::stars::star_zh(target).trim_end_matches('星')),
                    ),
                });
                let (status, declaration, scores) = if x < 0.1 {
                    (EntryStatus::Open, None, vec![])
                } else if x < 0.65 {
                    (EntryStatus::Declared, declaration, vec![])
                } else if x < 0.75 {
                    let (pb, bp) = totals_for(rng, target);
                    let mut s = score_list(rng, pb, bp, EVIDENCE);
                    s.truncate(5);
                    (EntryStatus::Declared, declaration, s)
                } else {
                    let (pb, bp) = totals_for(rng, target);
                    (EntryStatus::Submitted, declaration, score_list(rng, pb, bp, EVIDENCE))
                };
                EntryData {
                    unit_code: code.clone(),
                    status,
                    declaration,
                    self_scores: scores,
                    review1: vec![],
                    review2: vec![],
                    review1_comment: None,
                    review2_comment: None,
                    vetoes: vec![],
                    withdrawn: None,
                }
            })
            .collect();
        data.campaigns.push(CampaignData {
            scheme: "FJ-2024".into(),
            unit_code: "FJ".into(),
            fields: fields("福建联通 2024 年度“六星”党支部创建评选".into(), 2, dates),
            stage: Stage::SelfAssess,
            awarded_on: None,
            entries,
        });
    }

    // The group's scheme, for the other provinces.
    let others: Vec<(&str, &str)> = [("NM", "内蒙古联通"), ("JS", "江苏联通"), ("GD", "广东联通")]
        .into_iter()
        .filter(|(p, _)| by_province.contains_key(*p))
        .collect();
    let gz = by_province.contains_key("GZ");
    if others.is_empty() && !gz {
        return data;
    }
    data.schemes.push(scheme_data("CU-2023", "CU", None, "集团星级党支部评价体系（2023 年版）", 2023, group_scheme()));
    data.schemes.push(scheme_data(
        "CU-2024",
        "CU",
        Some("CU-2023"),
        "集团星级党支部评价体系（2024 年版）",
        2024,
        group_scheme(),
    ));
    for (p, short) in others {
        let rng = &mut Rng::for_key(&format!("stars/{p}/2023"));
        let branches = codes(p);
        let mut aims = typical_targets(rng, branches.len());
        // Keep within the six-star quota (3 %).
        let allowed = branches.len() * 3 / 100;
        let mut sixes = 0;
        for a in &mut aims {
            if *a == 6 {
                sixes += 1;
                if sixes > allowed {
                    *a = 5;
                }
            }
        }
        let mut c = completed(
            rng,
            "CU-2023",
            p,
            format!("{short} 2023 年度星级党支部评定"),
            2023,
            1,
            &branches,
            &aims,
            &[],
            date!(2024 - 01 - 25),
        );
        if p == "NM"
            && let Some(e) = c.entries.iter_mut().find(|e| e.review1.iter().map(|s| s.points.0).sum::<i64>() > 15_000)
        {
            e.withdrawn = Some(Withdrawal {
                on: date!(2024 - 04 - 10),
                reason: "支部书记受到党纪处分，按规定摘星".into(),
            });
        }
        data.campaigns.push(c);
    }
    if gz {
        let rng = &mut Rng::for_key("stars/GZ/2024");
        let mut dates = yearly_dates(2024);
        dates.create = period(date!(2024 - 03 - 15), date!(2024 - 04 - 12));
        dates.self_assess = period(date!(2024 - 04 - 15), date!(2024 - 05 - 31));
        dates.review = period(date!(2024 - 06 - 03), date!(2024 - 07 - 12));
        dates.publicity = period(date!(2024 - 07 - 15), date!(2024 - 07 - 19));
        dates.award = period(date!(2024 - 07 - 26), date!(2024 - 07 - 26));
        dates.apply = period(date!(2024 - 07 - 29), date!(2025 - 06 - 30));
        let branches = codes("GZ");
        let aims = typical_targets(rng, branches.len());
        let entries = branches
            .iter()
            .zip(aims)
            .map(|(code, star)| {
                let x = rng.fraction();
                let mut e = completed_entry(rng, code, star, 2, None);
                if x < 0.1 {
                    e.status = EntryStatus::Declared;
                    e.self_scores.clear();
                } else if x < 0.6 {
                    e.status = EntryStatus::Submitted;
                } else if x < 0.85 {
                    e.status = EntryStatus::Reviewed1;
                }
                if e.status < EntryStatus::Reviewed2 {
                    e.review2.clear();
                    e.review2_comment = None;
                }
                if e.status < EntryStatus::Reviewed1 {
                    e.review1.clear();
                    e.review1_comment = None;
                }
                e
            })
            .collect();
        data.campaigns.push(CampaignData {
            scheme: "CU-2024".into(),
            unit_code: "GZ".into(),
            fields: fields("贵州联通 2024 年度星级党支部评定".into(), 2, dates),
            stage: Stage::Review,
            awarded_on: None,
            entries,
        });
    }
    data
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_split_exactly_within_each_max() {
        let mut rng = Rng::for_key("split");
        let maxes = [1500, 1500, 2000, 1500, 1500, 1000, 1000];
        for total in [0, 3050, 6000, 8950, 9800, 10_000] {
            let parts = split_total(&mut rng, total, &maxes);
            assert_eq!(parts.iter().sum::<i64>(), total, "{parts:?}");
            assert!(parts.iter().zip(&maxes).all(|(p, m)| (0..=*m).contains(p) && p % 50 == 0));
        }
    }

    #[test]
    fn the_schemes_are_valid() {
        fujian_scheme().validate().unwrap();
        group_scheme().validate().unwrap();
    }
}
