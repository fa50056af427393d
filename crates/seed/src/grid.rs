//! Grids (网格) and production scenarios (生产场景): the business units party
//! work must cover. City committees keep grids, each linked to a contact
//! branch (支部联系点) when covered; provincial units keep scenarios.

use qizhi_core::grid::{GridFields, ScenarioFields};

use crate::org::Slice;
use crate::places::{GridPlan, Provincial};
use crate::rng::Rng;
use crate::split::split;
use crate::world::{SeedGrid, SeedScenario};

/// Urban zones and the kinds of grid found there.
#[rustfmt::skip]
const URBAN: (&[&str], &[&str]) = (
    &["城东", "城西", "城南", "城北", "城中", "开发区", "高新区", "新区"],
    &["商业", "住宅", "商企", "校园", "园区"],
);
/// Rural zones and theirs.
const RURAL: (&[&str], &[&str]) = (&["县城", "乡镇"], &["农村", "商业", "住宅"]);

/// The grids of provincial unit `p`, shared among its city committees by
/// their number of branches.
pub fn grids(rng: &mut Rng, p: &Provincial, slice: &Slice, out: &mut Vec<SeedGrid>) {
    let cities: Vec<_> = slice.cities.iter().filter(|c| !c.branches.is_empty()).collect();
    let branches: usize = cities.iter().map(|c| c.branches.len()).sum();
    let (total, coverage) = match p.grids {
        GridPlan::None => return,
        GridPlan::Exact(n) => (n, 1.0),
        GridPlan::PerBranch { per_branch, coverage } => ((branches as f64 * per_branch).round() as u32, coverage),
    };
    let weights: Vec<f64> = cities.iter().map(|c| c.branches.len() as f64).collect();
    let shares = split(total, &weights, &vec![0; cities.len()]);
    for (city, share) in cities.into_iter().zip(shares) {
        let contacts = &slice.branches[city.branches.clone()];
        // Contact points go round the city's branches so each looks after a few grids.
        let start = rng.below(contacts.len() as u64) as usize;
        for j in 0..share as usize {
            let covered = coverage >= 1.0 || rng.chance(coverage);
            let (zones, classes) = if rng.chance(0.3) { RURAL } else { URBAN };
            let (zone, class) = (rng.pick(zones), rng.pick(classes));
            let name = format!("{}{zone}{class}网格{:03}", city.place, j + 1);
            out.push(SeedGrid {
                unit_code: city.code.clone(),
                fields: GridFields { code: format!("{}-G{:04}", city.code, j + 1), name },
                contact_unit_code: covered.then(|| contacts[(start + j) % contacts.len()].code.clone()),
            });
        }
    }
}

/// Production scenarios with what work each covers, the most common first.
const SCENARIOS: &[(&str, &str)] = &[
    ("网络建设", "基站、光缆和传输工程的建设现场"),
    ("网络运维", "核心网、传输网和无线网的日常维护与故障处理"),
    ("装维服务", "宽带、智家业务的上门装机和维修"),
    ("营业厅服务", "自有营业厅的受理、咨询和售后"),
    ("政企项目交付", "政企客户信息化项目的实施与交付"),
    ("5G基站建设", "5G基站选址、建设与开通"),
    ("千兆光网改造", "老旧小区和行政村的光网升级"),
    ("应急通信保障", "自然灾害和突发事件的通信抢通"),
    ("客户服务热线", "10010热线的接听、投诉处理和回访"),
    ("渠道营销", "社会渠道的拓展、培训和支撑"),
    ("农村市场", "乡镇和行政村的业务发展与服务"),
    ("校园市场", "高校和中小学的业务发展与服务"),
    ("智慧家庭", "智家产品的推广、安装和运营"),
    ("算力网络", "算力资源的建设、调度与运营"),
    ("数据中心运维", "数据中心机房的运行维护与安全"),
    ("数字政府项目", "政务云和数字政府项目的建设运营"),
    ("集客专线开通", "集团客户专线的勘察、施工和开通"),
    ("工业互联网项目", "5G+工业互联网项目的落地实施"),
    ("安全生产", "施工和运维现场的安全生产管理"),
    ("存量客户维系", "存量客户的关怀、维系和挽留"),
    ("乡村振兴数字化", "数字乡村和乡村振兴信息化项目"),
    ("云网融合", "云网一体化产品的部署与运营"),
    ("网络安全保障", "网络与信息安全的监测和处置"),
    ("重大活动通信保障", "重大会议、赛事和活动的通信保障"),
];

/// The production scenarios of provincial unit `p`, kept by the unit itself.
pub fn scenarios(rng: &mut Rng, p: &Provincial, out: &mut Vec<SeedScenario>) {
    let count = usize::from(p.scenarios).min(SCENARIOS.len());
    let mut chosen: Vec<usize> = (0..SCENARIOS.len()).collect();
    // Every province keeps the eight most common; which of the rest varies.
    rng.shuffle(&mut chosen[8..]);
    for (i, &s) in chosen.iter().take(count).enumerate() {
        let (name, description) = SCENARIOS[s];
        out.push(SeedScenario {
            unit_code: p.code.to_string(),
            fields: ScenarioFields {
                code: format!("{}-S{:02}", p.code, i + 1),
                name: name.to_string(),
                description: Some(description.to_string()),
            },
        });
    }
}
