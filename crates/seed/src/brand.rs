//! Brands (党建品牌) of the seed world: every brand the article names, with
//! its owner, category, red heritage, structure and honors, plus generated
//! brands for other units, so that the group holds [`MATURE_BRANDS`] mature
//! or exemplary brands ("成熟党建品牌近百个") and many more at earlier stages.
//!
//! No status is typed in: each brand gets a dated history (recorded,
//! applications, 初审, 评审, 命名, the odd return and 迭代升级) that the store
//! replays through the lifecycle rules, and a mature brand's 五有 items are
//! confirmed before it was named mature. Fujian's 五有 is issued at the root
//! (the default for everyone) and by Fujian for its own subtree.
//!
//! Dates the article does not give (founding years, honors' days) are
//! illustrative; all are on or before [`crate::AS_OF`].

use std::collections::{HashMap, HashSet};

use qizhi_core::brand::{
    BrandCategory, BrandFields, BrandHistory, BrandStatus, ElementFields, ElementKind, ElementTree, EventKind,
    EvidenceFields, EvidenceKind, HistoryStep, HolderKind, HonorFields, HonorLevel, StandardFields, StandardItemFields,
    WUYOU, WUYOU_NAME, parse_outline, tree_from_outline,
};
use qizhi_core::org::{UnitKind, UnitStatus};
use serde::{Deserialize, Serialize};
use time::macros::date;
use time::{Date, Duration, Month};

use crate::rng::Rng;
use crate::world::{AS_OF, ROOT_CODE, Scale, SeedUnit};

/// Mature and exemplary brands in the Demo and Group worlds: the article's "近百".
pub const MATURE_BRANDS: usize = 96;

/// A brand standard and the unit issuing it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedStandard {
    pub unit_code: String,
    pub fields: StandardFields,
    pub issued_on: Date,
}

/// A brand, its owner, its main brand and its whole history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedBrand {
    pub unit_code: String,
    pub parent_code: Option<String>,
    pub fields: BrandFields,
    pub history: BrandHistory,
}

/// An honor filed under a unit: `holder_code` is a brand code (holder kind
/// brand) or a unit code (holder kind unit); `brand_code` the brand it was won with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedHonor {
    pub unit_code: String,
    pub fields: HonorFields,
    pub holder_code: Option<String>,
    pub brand_code: Option<String>,
}

/// Everything brand-related of a world.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SeedBrands {
    pub standards: Vec<SeedStandard>,
    pub brands: Vec<SeedBrand>,
    pub honors: Vec<SeedHonor>,
}

// ---------------------------------------------------------------------------
// The article's brands

use ElementKind as K;

/// A structure written as an outline: (number, kind, title, text).
type Outline = &'static [(&'static str, ElementKind, &'static str, &'static str)];

struct Article {
    unit: &'static str,
    name: &'static str,
    category: BrandCategory,
    slogan: &'static str,
    concept: &'static str,
    heritage: Option<&'static str>,
    founded: i32,
    status: BrandStatus,
    figures: &'static [&'static str],
    /// 迭代升级 / 巩固升级: a version kept every year.
    upgraded: bool,
    structure: Outline,
}

#[rustfmt::skip]
const ARTICLE: &[Article] = &[
    Article {
        unit: "SD", name: "我为党旗添光彩", category: BrandCategory::Unit,
        slogan: "忠贞不渝、使命必达",
        concept: "弘扬山东战时邮务精神，深化“强企报国为民”的使命担当，以政治属性打造党建品牌、以先锋力量擦亮党建品牌、以发展成效检验党建品牌，以红色引擎为企业高质量发展蓄势赋能。",
        heritage: Some("战时邮务精神"), founded: 2021, status: BrandStatus::Mature, figures: &["org.branches", "org.members"], upgraded: false,
        structure: &[
            ("1", K::Group, "三个“以”", "品牌打造路径"),
            ("1.1", K::Concept, "以政治属性打造党建品牌", ""),
            ("1.2", K::Concept, "以先锋力量擦亮党建品牌", ""),
            ("1.3", K::Concept, "以发展成效检验党建品牌", ""),
            ("2", K::Group, "系列主题活动", ""),
            ("2.1", K::Action, "党员服务进万家", ""),
            ("2.2", K::Action, "全面数字化转型当先锋", ""),
            ("2.3", K::Action, "资源可视化在行动", ""),
            ("2.4", K::Action, "贯彻战略走在前", ""),
            ("2.5", K::Action, "作风提升作表率", ""),
        ],
    },
    Article {
        unit: "JX08", name: "吉先锋", category: BrandCategory::Unit,
        slogan: "打头阵、争先锋、走前列",
        concept: "发挥党建统领力、协调力、示范力，聚焦主责主业，让“井冈山精神”焕发时代新姿，强化政治担当，彰显央企责任。",
        heritage: Some("井冈山精神"), founded: 2020, status: BrandStatus::Mature, figures: &["org.branches"], upgraded: false,
        structure: &[
            ("1", K::Carrier, "吉先锋党旗红", "凝聚奋进力量"),
            ("2", K::Team, "吉先锋专家团", "聚势发展合力"),
            ("3", K::Team, "吉先锋青年团", "激发创新活力"),
        ],
    },
    Article {
        unit: "ZJ04", name: "五心领航", category: BrandCategory::Unit,
        slogan: "做“红船”旁的数字信息运营服务国家队、数字技术融合创新排头兵",
        concept: "在“红船精神”领航下、集团战略引领下，以“不忘初心”的历史使命、“秉持匠心”的网络建设、“百倍用心”的服务追求、“永葆红心”的先进文化、“传承爱心”的责任担当为品牌理念。",
        heritage: Some("红船精神"), founded: 2019, status: BrandStatus::Exemplary, figures: &["org.branches", "org.members"], upgraded: false,
        structure: &[
            ("1", K::Group, "五心", "品牌理念"),
            ("1.1", K::Concept, "不忘初心", "历史使命"),
            ("1.2", K::Concept, "秉持匠心", "网络建设"),
            ("1.3", K::Concept, "百倍用心", "服务追求"),
            ("1.4", K::Concept, "永葆红心", "先进文化"),
            ("1.5", K::Concept, "传承爱心", "责任担当"),
            ("2", K::Group, "三项工程", ""),
            ("2.1", K::Project, "政治引领工程", ""),
            ("2.2", K::Project, "先锋堡垒工程", ""),
            ("2.3", K::Project, "拒腐防变工程", ""),
            ("3", K::Group, "五支队伍", ""),
            ("3.1", K::Team, "改革先锋队", ""),
            ("3.2", K::Team, "网络突击队", ""),
            ("3.3", K::Team, "服务攻坚队", ""),
            ("3.4", K::Team, "清廉护航队", ""),
            ("3.5", K::Team, "橙心义工队", ""),
        ],
    },
    Article {
        unit: "YJY-FZD", name: "端之重器", category: BrandCategory::Branch,
        slogan: "做泛终端技术生态引领者",
        concept: "以服务“国之大者”为目标，以 5G 端网业协同一体化发展为中心，深化党建引领，激发创新动力，助力企业以端促网、以端促业、以端促服、以端促营。",
        heritage: Some("红色通信血脉"), founded: 2021, status: BrandStatus::Mature, figures: &["org.members"], upgraded: false,
        structure: &[
            ("1", K::Group, "三个争当", ""),
            ("1.1", K::Team, "泛终端发展策略的智囊团", ""),
            ("1.2", K::Team, "泛终端技术创新的排头兵", ""),
            ("1.3", K::Team, "泛终端应用孵化的主力军", ""),
            ("2", K::Group, "四个以端促", ""),
            ("2.1", K::Action, "以端促网", ""),
            ("2.2", K::Action, "以端促业", ""),
            ("2.3", K::Action, "以端促服", ""),
            ("2.4", K::Action, "以端促营", ""),
        ],
    },
    Article {
        unit: "HA01", name: "五色斑斓", category: BrandCategory::Unit,
        slogan: "红色引领 绿色支撑 橙色牵引 蓝色基石 金色纽带",
        concept: "以红色党建为引领、绿色发展为支撑、橙色服务为牵引、蓝色廉政为基石、金色聚力为纽带，使品牌的精神与内涵植入广大党员群众内心深处。",
        heritage: None, founded: 2021, status: BrandStatus::Mature, figures: &["org.branches", "org.members"], upgraded: false,
        structure: &[
            ("1", K::Group, "五色", "品牌内涵"),
            ("1.1", K::Concept, "红色党建", "引领"),
            ("1.2", K::Concept, "绿色发展", "支撑"),
            ("1.3", K::Concept, "橙色服务", "牵引"),
            ("1.4", K::Concept, "蓝色廉政", "基石"),
            ("1.5", K::Concept, "金色聚力", "纽带"),
            ("2", K::Carrier, "红色套餐", "将党建品牌创建与企业文化、战略定位、“五美联通”建设有机融合"),
            ("3", K::Mechanism, "初心密码", "以“三结合”推动“双优”党组织创建"),
            ("4", K::Action, "党性淬炼", "“三联”行动"),
            ("4.1", K::Action, "联建共创先进基层党组织", ""),
            ("4.2", K::Action, "联手同抓党团员教育", ""),
            ("4.3", K::Action, "联动完成工作目标", ""),
        ],
    },
    Article {
        unit: "FJ", name: "六星", category: BrandCategory::Branch,
        slogan: "一把尺子量到底",
        concept: "按照“五有”标准打造“六星”党支部品牌，建立全省统一的“六星”党支部创建评价体系，抓实“创建、评选、应用”三个环节。",
        heritage: Some("古田会议精神"), founded: 2020, status: BrandStatus::Mature, figures: &["org.branches"], upgraded: false,
        structure: &[
            ("1", K::Mechanism, "全省统一的“六星”党支部创建评价体系", "一把尺子量到底"),
            ("2", K::Group, "三个环节", ""),
            ("2.1", K::Step, "创建", ""),
            ("2.2", K::Step, "评选", ""),
            ("2.3", K::Step, "应用", ""),
            ("3", K::Group, "星级", ""),
            ("3.1", K::Concept, "三星", "党建达标"),
            ("3.2", K::Concept, "四星", "党建业绩双达标"),
            ("3.3", K::Concept, "五星", "党建业绩双优秀"),
            ("3.4", K::Concept, "六星", "党建业绩双标杆"),
        ],
    },
    Article {
        unit: "NM", name: "北疆先锋行动", category: BrandCategory::Unit,
        slogan: "把党建工作融入主责主业的战场",
        concept: "坚持“四同步、四对接”，基层党组织从“有形覆盖”到“有效覆盖”，建立支部联系点制度、堡垒“插旗”制度，确保基层网格党的工作全覆盖。",
        heritage: Some("蒙古马精神"), founded: 2021, status: BrandStatus::Exemplary,
        figures: &["org.branches", "grids.total", "grids.covered", "grids.coverage_rate"], upgraded: true,
        structure: &[
            ("1", K::Mechanism, "四同步、四对接", ""),
            ("2", K::Concept, "从“有形覆盖”到“有效覆盖”", ""),
            ("3", K::Mechanism, "支部联系点制度", "网格党的工作全覆盖"),
            ("4", K::Mechanism, "堡垒“插旗”制度", ""),
        ],
    },
    Article {
        unit: "GZ", name: "黔’锋闯新路", category: BrandCategory::Unit,
        slogan: "支部筑牢堡垒场景化，党员勇当先锋引领化",
        concept: "以推动建强“新战略执行好班子”“数字化转型强班子”为抓手，形成“1+9”党建融入中心工作品牌矩阵。",
        heritage: Some("遵义会议精神"), founded: 2020, status: BrandStatus::Exemplary,
        figures: &["scenarios.total", "org.members", "org.branches"], upgraded: true,
        structure: &[
            ("1", K::Group, "两个抓手", ""),
            ("1.1", K::Carrier, "新战略执行好班子", ""),
            ("1.2", K::Carrier, "数字化转型强班子", ""),
            ("2", K::Action, "支部筑牢堡垒场景化", "聚焦生产场景建立堡垒"),
            ("3", K::Action, "党员勇当先锋引领化", "五亮"),
            ("3.1", K::Action, "亮身份", ""),
            ("3.2", K::Action, "亮承诺", ""),
            ("3.3", K::Action, "亮能力", ""),
            ("3.4", K::Action, "亮业绩", ""),
            ("3.5", K::Action, "亮风采", ""),
        ],
    },
    Article {
        unit: "HS", name: "书香华盛", category: BrandCategory::Unit,
        slogan: "让数字时代的“书香”更浓郁、更芬芳、更致远",
        concept: "将理论学习作为重中之重，有效助力学习型组织建设。",
        heritage: Some("红色通信血脉"), founded: 2020, status: BrandStatus::Mature, figures: &["org.members"], upgraded: false,
        structure: &[
            ("1", K::Group, "三类课堂", ""),
            ("1.1", K::Classroom, "学习课堂", ""),
            ("1.2", K::Classroom, "实景课堂", ""),
            ("1.3", K::Classroom, "业务课堂", ""),
            ("2", K::Group, "三个阵地", ""),
            ("2.1", K::Site, "深化宣传", ""),
            ("2.2", K::Site, "弘扬先进", ""),
            ("2.3", K::Site, "丰富文化", ""),
            ("3", K::Group, "三个机制", ""),
            ("3.1", K::Mechanism, "“一帮一一对红”支部结对", ""),
            ("3.2", K::Mechanism, "“一支部一工程”党建业务融合", ""),
            ("3.3", K::Mechanism, "“内引外联”党建联建", ""),
        ],
    },
    Article {
        unit: "JS", name: "红船先锋", category: BrandCategory::Unit,
        slogan: "挑重担、打头阵",
        concept: "以工作业绩、群众反映、服务意识、表率作用等为评价导向，以项目党建为抓手，引领党组织和党员在科技创新、业务发展、数字惠民等工作中“挑重担”“打头阵”。",
        heritage: Some("红船精神"), founded: 2019, status: BrandStatus::Exemplary, figures: &["org.branches", "org.members"], upgraded: false,
        structure: &[
            ("1", K::Group, "“红船先锋”争创活动", ""),
            ("1.1", K::Action, "创优争先", "重在日常、贵在有恒"),
            ("1.2", K::Action, "急难险重", "领题破题、攻坚克难"),
            ("1.3", K::Action, "内引外联", "结对共建、党建入链"),
            ("2", K::Mechanism, "评价导向", "工作业绩、群众反映、服务意识、表率作用"),
            ("3", K::Group, "命名表彰", ""),
            ("3.1", K::Carrier, "红船先锋示范区", ""),
            ("3.2", K::Carrier, "红船先锋队", ""),
            ("3.3", K::Carrier, "红船先锋号", ""),
            ("3.4", K::Carrier, "红船先锋岗", ""),
        ],
    },
    Article {
        unit: "GD", name: "七强七力", category: BrandCategory::Activity,
        slogan: "破解“两张皮”",
        concept: "以“模范支部”和“先锋党员”双创活动为载体，打造“七强七力”融入模式，推动党建融入中心工作。",
        heritage: None, founded: 2020, status: BrandStatus::Exemplary, figures: &["org.branches", "org.members"], upgraded: false,
        structure: &[
            ("1", K::Group, "双创活动", ""),
            ("1.1", K::Carrier, "模范支部", ""),
            ("1.2", K::Carrier, "先锋党员", ""),
            ("2", K::Group, "七步走", ""),
            ("2.1", K::Step, "强站位", "提高政治引领力"),
            ("2.2", K::Step, "强思想", "增强思想凝聚力"),
            ("2.3", K::Step, "强载体", "提振组织战斗力"),
            ("2.4", K::Step, "强示范", "提升示范带动力"),
            ("2.5", K::Step, "强管理", "抓实闭环推动力"),
            ("2.6", K::Step, "强聚合", "集聚群团向心力"),
            ("2.7", K::Step, "强激励", "激发内生驱动力"),
        ],
    },
    Article {
        unit: "HL", name: "1+3+N", category: BrandCategory::Unit,
        slogan: "把党建活力转化为发展活力",
        concept: "从指导思想、支撑保障、打造载体三个层面构建党建品牌，不断推动党建与业务工作深度融合。",
        heritage: Some("东北抗联精神"), founded: 2019, status: BrandStatus::Mature, figures: &["org.branches"], upgraded: false,
        structure: &[
            ("1", K::Thought, "明确 1 个指导思想", "以习近平总书记在全国国有企业党的建设工作会议上的重要讲话精神为指导"),
            ("2", K::Group, "落实好 3 项保障", ""),
            ("2.1", K::Guarantee, "制度机制保障", ""),
            ("2.2", K::Guarantee, "组织保障", ""),
            ("2.3", K::Guarantee, "思想保障", ""),
            ("3", K::Group, "打造 N 个载体", ""),
            ("3.1", K::Carrier, "政治引领", ""),
            ("3.2", K::Carrier, "战略落实", ""),
            ("3.3", K::Carrier, "赋能改革", ""),
            ("3.4", K::Carrier, "企业软实力提升", ""),
        ],
    },
    Article {
        unit: "HE", name: "燕赵先锋", category: BrandCategory::Unit,
        slogan: "攻坚克难筑堡垒，带头示范当先锋",
        concept: "汲取“改革创新、开拓进取、竞争图强”燕赵文化精髓，围绕重点任务攻坚突破在一线。",
        heritage: Some("燕赵文化"), founded: 2020, status: BrandStatus::Mature, figures: &["org.branches"], upgraded: false,
        structure: &[
            ("1", K::Action, "燕赵先锋行动", "在“四大”专业线纵向穿透开展"),
            ("2", K::Action, "带头攻坚克难", "围绕“急难险重”的中心工作敢担当、善作为"),
            ("3", K::Mechanism, "动车组计划", "市县网格三位一体，推动重点工作台账化、清单化、一体化"),
        ],
    },
    Article {
        unit: "TJ", name: "联通·红纽带", category: BrandCategory::Cobuilding,
        slogan: "架起服务群众“连心桥”",
        concept: "以建立标准化、规范化的工作体系为前提，以寻求横向扩面、推进纵向升级为手段，积极融入和服务地方经济社会发展大局。",
        heritage: None, founded: 2020, status: BrandStatus::Mature, figures: &["honors.total"], upgraded: false,
        structure: &[
            ("1", K::Group, "五联", "党建共建网络"),
            ("1.1", K::Carrier, "联通社区", ""),
            ("1.2", K::Carrier, "联通村镇", ""),
            ("1.3", K::Carrier, "联通企业", ""),
            ("1.4", K::Carrier, "联通行业友商", ""),
            ("1.5", K::Carrier, "联通生态伙伴", ""),
            ("2", K::Group, "共建成效", ""),
            ("2.1", K::Concept, "社区服务“零距离”", ""),
            ("2.2", K::Concept, "智慧助老显关爱", ""),
            ("2.3", K::Concept, "数字赋能助振兴", ""),
        ],
    },
    Article {
        unit: "HI", name: "十分满意 联通万家", category: BrandCategory::Unit,
        slogan: "把党的群众工作做深做实做细",
        concept: "发挥党建品牌的旗帜作用，增进外部交流，健全“我为群众办实事”服务机制，提升企业文化价值认同感。",
        heritage: Some("琼崖革命精神"), founded: 2021, status: BrandStatus::Mature, figures: &["honors.total"], upgraded: false,
        structure: &[
            ("1", K::Group, "常态化行动", ""),
            ("1.1", K::Action, "双百共建", ""),
            ("1.2", K::Action, "窗口百分", ""),
            ("1.3", K::Action, "文化百度", ""),
            ("1.4", K::Action, "四个一百", ""),
            ("2", K::Mechanism, "“我为群众办实事”服务机制", ""),
        ],
    },
    Article {
        unit: "BJ-YYZC", name: "红中台", category: BrandCategory::Unit,
        slogan: "打造一流智慧中台，争当数智创新排头兵",
        concept: "坚持首善标准，秉持“让客户更简单、让员工更轻松、让管理更高效”的中台初心，促进中台运营数字化升级，全面提升服务能力。",
        heritage: None, founded: 2019, status: BrandStatus::Mature, figures: &["honors.total"], upgraded: false,
        structure: &[
            ("1", K::Concept, "中台初心", "让客户更简单、让员工更轻松、让管理更高效"),
            ("2", K::Team, "“红中台”青年突击队", "深入订单受理一线做好服务支撑"),
            ("3", K::Team, "“数字人”科创团队", ""),
            ("4", K::Group, "小微应用", ""),
            ("4.1", K::Carrier, "RPA 机器人", ""),
            ("4.2", K::Carrier, "运营管家", ""),
            ("4.3", K::Carrier, "智家急办", ""),
        ],
    },
    Article {
        unit: "AH-ZSKF", name: "红心向党 服务先行", category: BrandCategory::Branch,
        slogan: "用心用情纾解人民群众急难愁盼问题",
        concept: "不断创新智慧助老助残产品、服务和终端，持续开展各类助老助残公益活动，着力做好社会救助和特殊困难群体关爱服务。",
        heritage: None, founded: 2021, status: BrandStatus::Mature, figures: &[], upgraded: false,
        structure: &[
            ("1", K::Team, "党员先锋队", ""),
            ("2", K::Site, "营业厅智慧守护中心", "为银龄及特殊群体客户提供一站式无障碍服务"),
            ("3", K::Classroom, "银龄公益大讲堂", "教老年人使用智能手机、手机支付并保障通信安全，防范电信网络诈骗"),
            ("4", K::Action, "“手语直播”特色服务", "关爱听障人士"),
        ],
    },
    Article {
        unit: "ZX-XWKJ", name: "小沃", category: BrandCategory::Unit,
        slogan: "奉献、友爱、互助、进步",
        concept: "将党建品牌建设与精神文明建设相结合，充分发挥党员和团员青年作用，以联通自身技术优势特长为载体开展志愿服务。",
        heritage: None, founded: 2015, status: BrandStatus::Mature, figures: &[], upgraded: false,
        structure: &[
            ("1", K::Team, "联通在线小沃志愿服务队", "2015 年成立"),
            ("2", K::Group, "志愿服务", ""),
            ("2.1", K::Action, "通信科普", ""),
            ("2.2", K::Action, "慈善帮扶", ""),
            ("2.3", K::Action, "专项服务", ""),
        ],
    },
];

/// 黔’锋闯新路's "1+9": one sub-brand per city of Guizhou, with the status each reached.
const GZ_SUBS: [BrandStatus; 9] = [
    BrandStatus::Mature,
    BrandStatus::Established,
    BrandStatus::Mature,
    BrandStatus::Established,
    BrandStatus::Cultivating,
    BrandStatus::Mature,
    BrandStatus::Established,
    BrandStatus::Established,
    BrandStatus::Cultivating,
];

fn outline_tree(o: Outline) -> Vec<ElementTree> {
    let items = o
        .iter()
        .enumerate()
        .map(|(i, (n, kind, title, text))| {
            let text = (!text.is_empty()).then(|| text.to_string());
            (
                i,
                parse_outline(n).expect("a valid outline"),
                ElementFields { kind: *kind, title: title.to_string(), text },
            )
        })
        .collect();
    tree_from_outline(items).expect("a well-formed outline")
}

fn leaf(kind: ElementKind, title: &str, text: &str) -> ElementTree {
    let text = (!text.is_empty()).then(|| text.to_string());
    ElementTree { fields: ElementFields { kind, title: title.to_string(), text }, children: vec![] }
}

// ---------------------------------------------------------------------------
// Generated brands

/// Red heritage by provincial-level unit (subsidiaries carry 红色通信血脉).
#[rustfmt::skip]
const HERITAGE: &[(&str, &str)] = &[
    ("BJ", "五四精神"), ("HE", "西柏坡精神"), ("SX", "太行精神"), ("NM", "蒙古马精神"), ("LN", "雷锋精神"),
    ("JL", "东北抗联精神"), ("HL", "大庆精神"), ("SH", "伟大建党精神"), ("JS", "雨花英烈精神"), ("ZJ", "红船精神"),
    ("AH", "大别山精神"), ("FJ", "古田会议精神"), ("JX", "井冈山精神"), ("SD", "沂蒙精神"), ("HA", "焦裕禄精神"),
    ("HB", "大别山精神"), ("HN", "湘江战役精神"), ("GD", "东江纵队精神"), ("GX", "湘江战役精神"), ("HI", "琼崖革命精神"),
    ("CQ", "红岩精神"), ("SC", "长征精神"), ("GZ", "遵义会议精神"), ("YN", "长征精神"), ("XZ", "老西藏精神"),
    ("SN", "延安精神"), ("GS", "南梁精神"), ("QH", "两弹一星精神"), ("NX", "长征精神"), ("XJ", "兵团精神"),
    ("TJ", "五四精神"),
];

#[rustfmt::skip]
const NAME_A: &[&str] = &["红色", "先锋", "初心", "匠心", "星火", "丹心", "领航", "赤诚", "砺剑", "铁军", "红帆", "党旗", "红心", "青松", "磐石", "火炬"];
#[rustfmt::skip]
const NAME_B: &[&str] = &["引擎", "堡垒", "先行", "担当", "筑梦", "连心", "护航", "聚力", "赋能", "争先", "扬帆", "卫士", "标兵", "阵地", "同行", "登高"];

/// Elements a generated brand is built from: (kind, title).
#[rustfmt::skip]
const PARTS: &[(ElementKind, &str)] = &[
    (K::Team, "党员突击队"), (K::Team, "青年先锋队"), (K::Team, "专家服务团"), (K::Action, "党员先锋岗"),
    (K::Action, "党员责任区"), (K::Action, "数字化转型攻坚"), (K::Action, "服务进万家"), (K::Mechanism, "党建+业务融合机制"),
    (K::Mechanism, "支部结对共建"), (K::Mechanism, "网格党建联系点"), (K::Site, "党建品牌展示厅"), (K::Site, "线上党建阵地"),
    (K::Classroom, "红色课堂"), (K::Classroom, "业务课堂"), (K::Carrier, "项目党建"), (K::Carrier, "党员积分管理"),
];

const RETURN_REASONS: [&str; 4] = [
    "佐证材料不完整，请补充阵地照片",
    "品牌内涵与中心工作结合不够紧密，请修改完善",
    "成效数据缺少统计口径说明",
    "品牌结构表述不清，请进一步提炼",
];

/// A unit's place in the tree, as generation needs it.
struct Ix<'a> {
    units: &'a [SeedUnit],
    by_code: HashMap<&'a str, usize>,
}

impl<'a> Ix<'a> {
    fn new(units: &'a [SeedUnit]) -> Self {
        Ix { units, by_code: units.iter().enumerate().map(|(i, u)| (u.fields.code.as_str(), i)).collect() }
    }

    fn get(&self, code: &str) -> Option<&'a SeedUnit> {
        self.by_code.get(code).map(|&i| &self.units[i])
    }

    fn parent(&self, code: &str) -> Option<&'a str> {
        self.get(code).and_then(|u| u.parent_code.as_deref())
    }

    /// The provincial-level unit above (or at) `code`.
    fn top(&self, code: &str) -> &'a str {
        let mut cur = self.get(code).map(|u| u.fields.code.as_str()).unwrap_or("");
        while let Some(p) = self.parent(cur) {
            if p == ROOT_CODE {
                return cur;
            }
            cur = p;
        }
        cur
    }

    fn is_ancestor(&self, above: &str, code: &str) -> bool {
        let mut cur = self.parent(code);
        while let Some(c) = cur {
            if c == above {
                return true;
            }
            cur = self.parent(c);
        }
        false
    }

    fn label(&self, code: &str) -> String {
        self.get(code).map(|u| u.fields.short_name.clone().unwrap_or_else(|| u.fields.name.clone())).unwrap_or_default()
    }

    fn founded(&self, code: &str) -> Date {
        self.get(code).and_then(|u| u.fields.founded).unwrap_or(date!(2008 - 10 - 15))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    Provincial,
    Municipal,
    Branch,
}

struct Candidate {
    unit: String,
    level: Level,
    parent: Option<String>,
    category: BrandCategory,
    rank: u64,
}

fn year_start(year: i32, rng: &mut Rng) -> Date {
    let month = Month::try_from(rng.range(2, 8) as u8).expect("a month");
    Date::from_calendar_date(year, month, rng.range(1, 28) as u8).expect("a day")
}

fn days(n: i64) -> Duration {
    Duration::days(n)
}

/// What a history should reach.
struct Plan {
    created: Date,
    status: BrandStatus,
    /// An application still open at the end: the stages it passed (0: just applied, 1: 初审).
    pending: Option<u8>,
    /// A version kept every year (迭代升级).
    upgraded: bool,
    /// Returns along the way are possible.
    returns: bool,
}

/// A dated history that reaches `plan.status` by the lifecycle rules, with
/// evidence and confirmations of the standard's `items`.
fn history(
    rng: &mut Rng,
    plan: &Plan,
    elements: Vec<ElementTree>,
    items: usize,
    evidence: &dyn Fn(usize) -> EvidenceFields,
) -> BrandHistory {
    let mut steps: Vec<HistoryStep> = vec![];
    let mut confirmed: Vec<(usize, Date)> = vec![];
    let mut ev: Vec<(usize, EvidenceFields, Date)> = vec![];
    let levels = BrandStatus::ALL.iter().position(|s| *s == plan.status).unwrap_or(0) as i64;
    let start = plan.created + days(rng.range(30, 90));
    let end = AS_OF - days(if plan.pending.is_some() { 45 } else { 8 });
    let gap = if levels > 0 { ((end - start).whole_days() / levels).max(60) } else { 0 };
    let comment = |text: &str| Some(text.to_string());
    let named_comment = |s: BrandStatus| format!("经初审、评审，命名为“{}”品牌", s.zh());
    let created = plan.created;
    let confirm_all = |rng: &mut Rng,
                       before: Date,
                       confirmed: &mut Vec<(usize, Date)>,
                       ev: &mut Vec<(usize, EvidenceFields, Date)>| {
        for i in 0..items {
            if confirmed.iter().any(|(c, _)| *c == i) {
                continue;
            }
            let on = (before - days(rng.range(12, 60))).max(created);
            ev.push((i, evidence(i), (on - days(rng.range(5, 45))).max(created)));
            confirmed.push((i, on));
        }
    };
    // Each climb after the one before, so steps never cross.
    let mut cursor = start;
    for i in 0..levels {
        let mut t = (start + days(gap * i + rng.range(0, (gap / 5).max(1)))).max(cursor + days(10));
        let target = BrandStatus::ALL[i as usize + 1];
        if target.is_mature_or_better() {
            confirm_all(rng, t, &mut confirmed, &mut ev);
        }
        if plan.returns && gap > 200 && rng.chance(0.12) {
            steps.push(HistoryStep::new(EventKind::Applied, t));
            let mut r = HistoryStep::new(EventKind::Returned, t + days(rng.range(10, 25)));
            r.comment = comment(RETURN_REASONS[rng.below(RETURN_REASONS.len() as u64) as usize]);
            steps.push(r);
            t += days(rng.range(45, 70));
        }
        steps.push(HistoryStep::new(EventKind::Applied, t));
        let t1 = t + days(rng.range(7, 20));
        steps.push(HistoryStep::new(EventKind::Preliminary, t1));
        let t2 = t1 + days(rng.range(7, 20));
        steps.push(HistoryStep::new(EventKind::Evaluated, t2));
        let t3 = t2 + days(rng.range(5, 15));
        let mut named = HistoryStep::new(EventKind::Named, t3);
        named.comment = comment(&named_comment(target));
        steps.push(named);
        cursor = t3;
    }
    if let Some(stages) = plan.pending
        && let Some(next) = plan.status.next()
    {
        let t = (AS_OF - days(rng.range(15, 40))).max(cursor + days(10));
        if next.is_mature_or_better() {
            confirm_all(rng, t, &mut confirmed, &mut ev);
        }
        steps.push(HistoryStep::new(EventKind::Applied, t));
        if stages >= 1 {
            steps.push(HistoryStep::new(EventKind::Preliminary, t + days(rng.range(3, 12))));
        }
    }
    if plan.upgraded {
        for year in plan.created.year() + 1..=AS_OF.year() {
            let on = Date::from_calendar_date(year, Month::January, 20).expect("a day");
            if on > plan.created && on <= AS_OF {
                let mut v = HistoryStep::new(EventKind::Version, on);
                v.comment = Some(format!("{year} 年迭代升级"));
                steps.push(v);
            }
        }
    }
    // Below mature: some evidence, a few confirmations, as work in progress.
    if plan.status < BrandStatus::Mature && confirmed.is_empty() && items > 0 {
        let done = match plan.status {
            BrandStatus::Established => rng.range(1, items as i64 - 1) as usize,
            BrandStatus::Cultivating => rng.range(0, 2) as usize,
            _ => 0,
        };
        for i in 0..done.min(items) {
            let on = (AS_OF - days(rng.range(20, 300))).max(plan.created);
            ev.push((i, evidence(i), on));
            if rng.chance(0.5) {
                confirmed.push((i, (on + days(rng.range(1, 15))).min(AS_OF)));
            }
        }
    }
    // Steps in date order; same-day steps keep their order.
    steps.sort_by_key(|s| s.on);
    BrandHistory { created_on: plan.created, steps, elements, evidence: ev, confirmed }
}

/// The 五有 evidence a brand would show, item by item.
fn evidence_of(name: &str, slogan: &str, figure: Option<&str>) -> impl Fn(usize) -> EvidenceFields + use<> {
    let (name, slogan, figure) = (name.to_string(), slogan.to_string(), figure.map(str::to_string));
    move |i| {
        let text = match i {
            0 => format!("“{name}”品牌标识（Logo）和口号“{slogan}”已在党建阵地、文件和线上平台统一使用"),
            1 => format!("“{name}”品牌理念和内涵已形成文字说明，结合本单位中心工作提炼"),
            2 => format!("印发《“{name}”党建品牌创建实施方案》，明确责任分工和推进机制"),
            3 => format!("建成“{name}”党建品牌展示阵地，设置线上展示专栏"),
            _ => format!("“{name}”品牌建设带动党建考核和经营业绩稳步提升"),
        };
        match (i, &figure) {
            (4, Some(key)) => {
                EvidenceFields { kind: EvidenceKind::Figure, text: Some(text), figure_key: Some(key.clone()) }
            }
            _ => EvidenceFields { kind: EvidenceKind::Text, text: Some(text), figure_key: None },
        }
    }
}

fn honor(title: &str, level: HonorLevel, issuer: &str, on: Date, kind: HolderKind, name: &str) -> HonorFields {
    HonorFields {
        title: title.to_string(),
        level,
        issuer: (!issuer.is_empty()).then(|| issuer.to_string()),
        awarded_on: on.min(AS_OF),
        holder_kind: kind,
        holder_name: name.to_string(),
        note: None,
    }
}

fn wuyou(name: &str) -> StandardFields {
    StandardFields {
        name: name.to_string(),
        items: WUYOU
            .iter()
            .map(|(t, d)| StandardItemFields { id: None, title: t.to_string(), description: Some(d.to_string()) })
            .collect(),
    }
}

/// The brands of a world whose units are `units`.
pub fn brands(scale: Scale, units: &[SeedUnit]) -> SeedBrands {
    let ix = Ix::new(units);
    let items = WUYOU.len();
    let mut out = SeedBrands::default();
    out.standards.push(SeedStandard {
        unit_code: ROOT_CODE.into(),
        fields: wuyou(WUYOU_NAME),
        issued_on: date!(2019 - 03 - 01),
    });
    if ix.get("FJ").is_some() {
        out.standards.push(SeedStandard {
            unit_code: "FJ".into(),
            fields: wuyou("福建联通党建品牌“五有”标准"),
            issued_on: date!(2019 - 06 - 18),
        });
    }
    let mut taken: HashSet<String> = HashSet::new();
    let mut main_of: HashMap<String, String> = HashMap::new();

    // -- the article's ------------------------------------------------------------------
    let mut rng = Rng::for_key("brands/article");
    for a in ARTICLE {
        if ix.get(a.unit).is_none() {
            continue;
        }
        let code = format!("{}-B01", a.unit);
        let created = year_start(a.founded, &mut rng).max(ix.founded(a.unit));
        let figure = a.figures.iter().find(|k| k.contains("rate") || k.starts_with("grids")).copied();
        let plan = Plan { created, status: a.status, pending: None, upgraded: a.upgraded, returns: false };
        let h = history(&mut rng, &plan, outline_tree(a.structure), items, &evidence_of(a.name, a.slogan, figure));
        out.brands.push(SeedBrand {
            unit_code: a.unit.into(),
            parent_code: None,
            fields: BrandFields {
                code: code.clone(),
                name: a.name.into(),
                category: a.category,
                slogan: Some(a.slogan.into()),
                concept: Some(a.concept.into()),
                heritage: a.heritage.map(Into::into),
                founded_year: Some(a.founded),
                figures: a.figures.iter().map(|s| s.to_string()).collect(),
            },
            history: h,
        });
        taken.insert(a.unit.to_string());
        if ix.top(a.unit) == a.unit {
            main_of.insert(a.unit.to_string(), code);
        }
    }
    // 黔’锋闯新路's nine.
    if ix.get("GZ").is_some() {
        for (i, status) in GZ_SUBS.iter().enumerate() {
            let unit = format!("GZ{:02}", i + 1);
            let Some(u) = ix.get(&unit) else { continue };
            let city = u.fields.short_name.clone().unwrap_or_default().replace("联通", "");
            let name = format!("黔’锋·{city}先锋");
            let founded = 2021 + (i as i32 % 2);
            let created = year_start(founded, &mut rng);
            let plan = Plan { created, status: *status, pending: None, upgraded: false, returns: true };
            let structure = vec![
                leaf(K::Action, "支部筑牢堡垒场景化", &format!("聚焦{city}生产场景建立堡垒")),
                leaf(K::Action, "党员勇当先锋引领化", "亮身份、亮承诺、亮能力、亮业绩、亮风采"),
            ];
            let h = history(&mut rng, &plan, structure, items, &evidence_of(&name, "闯新路", None));
            out.brands.push(SeedBrand {
                unit_code: unit.clone(),
                parent_code: Some("GZ-B01".into()),
                fields: BrandFields {
                    code: format!("{unit}-B01"),
                    name,
                    category: BrandCategory::Unit,
                    slogan: Some("闯新路、当先锋".into()),
                    concept: Some(format!("“黔’锋闯新路”党建品牌矩阵在{city}的实践，党建融入中心工作。")),
                    heritage: Some("遵义会议精神".into()),
                    founded_year: Some(founded),
                    figures: vec![],
                },
                history: h,
            });
            taken.insert(unit);
        }
    }
    let article_mature = out.brands.iter().filter(|b| article_status(b).is_mature_or_better()).count();

    // -- generated ----------------------------------------------------------------------
    let mut rng = Rng::for_key("brands/generated");
    let mut candidates: Vec<Candidate> = vec![];
    let skip_named = |code: &str| {
        ["BJ-YYZC", "AH-ZSKF", "YJY-FZD", "ZX-XWKJ"].iter().any(|n| code == *n || code.starts_with(&format!("{n}-")))
    };
    for u in units {
        let f = &u.fields;
        if f.status != UnitStatus::Active || taken.contains(&f.code) || skip_named(&f.code) {
            continue;
        }
        let parent = u.parent_code.as_deref().unwrap_or("");
        let level = match f.kind {
            UnitKind::Committee if parent == ROOT_CODE => Level::Provincial,
            UnitKind::Committee if ix.parent(parent) == Some(ROOT_CODE) && !f.code.ends_with("00") => {
                if rng.chance(0.42) { Level::Municipal } else { continue }
            }
            UnitKind::Branch => {
                if rng.chance(0.045) {
                    Level::Branch
                } else {
                    continue;
                }
            }
            _ => continue,
        };
        let category = match level {
            Level::Branch => BrandCategory::Branch,
            _ => match rng.below(20) {
                0..=1 => BrandCategory::Activity,
                2 => BrandCategory::Cobuilding,
                _ => BrandCategory::Unit,
            },
        };
        candidates.push(Candidate { unit: f.code.clone(), level, parent: None, category, rank: rng.next_u64() });
    }
    // Mature first to the provincial brands, then to others by lot; a
    // branch brand founded too late to climb waits.
    let want = match scale {
        Scale::Province => (candidates.len() / 5).max(1),
        _ => MATURE_BRANDS.saturating_sub(article_mature),
    };
    let mut order: Vec<usize> = (0..candidates.len()).collect();
    order.sort_by_key(|&i| (candidates[i].level != Level::Provincial, candidates[i].rank));
    let mut status: Vec<BrandStatus> = vec![BrandStatus::Draft; candidates.len()];
    let mut mature = 0;
    for &i in &order {
        let old_enough = ix.founded(&candidates[i].unit) <= date!(2019 - 12 - 31);
        if mature < want && old_enough {
            status[i] = if rng.chance(0.18) { BrandStatus::Exemplary } else { BrandStatus::Mature };
            mature += 1;
        } else {
            status[i] = match rng.below(10) {
                0..=2 => BrandStatus::Established,
                3..=6 => BrandStatus::Cultivating,
                _ => BrandStatus::Draft,
            };
        }
    }
    // Provincial brands head their province's matrix.
    for (c, s) in candidates.iter().zip(&status) {
        if c.level == Level::Provincial && *s >= BrandStatus::Established {
            main_of.insert(c.unit.clone(), format!("{}-B01", c.unit));
        }
    }
    let mut city_main: HashMap<String, String> = HashMap::new();
    for (i, c) in candidates.iter_mut().enumerate() {
        match c.level {
            Level::Municipal if rng.chance(0.35) => c.parent = main_of.get(ix.top(&c.unit)).cloned(),
            _ => {}
        }
        if c.level == Level::Municipal && status[i] >= BrandStatus::Established {
            city_main.insert(c.unit.clone(), format!("{}-B01", c.unit));
        }
    }
    for c in candidates.iter_mut().filter(|c| c.level == Level::Branch) {
        if rng.chance(0.3) {
            c.parent = city_main.iter().find(|(city, _)| ix.is_ancestor(city, &c.unit)).map(|(_, code)| code.clone());
        }
    }
    for (c, s) in candidates.iter().zip(&status) {
        let top = ix.top(&c.unit);
        let heritage = HERITAGE
            .iter()
            .find(|(p, _)| *p == top)
            .map(|(_, h)| h.to_string())
            .unwrap_or_else(|| "红色通信血脉".to_string());
        let heritage = rng.chance(0.65).then_some(heritage);
        let word = format!("{}{}", rng.pick(NAME_A), rng.pick(NAME_B));
        let label = ix.label(&c.unit).replace("联通", "");
        let name = match c.level {
            Level::Provincial => format!("{label}·{word}"),
            Level::Municipal => format!("{label}·{word}"),
            Level::Branch => word.clone(),
        };
        let name: String = name.chars().take(20).collect();
        let slogan = format!("{word}，争当排头兵");
        // Early enough to have climbed where it stands (each level takes
        // months); a unit too young for its lot stays lower.
        let needed =
            |st: BrandStatus| days(BrandStatus::ALL.iter().position(|x| *x == st).unwrap_or(0) as i64 * 130 + 150);
        let unit_founded = ix.founded(&c.unit);
        let mut s = *s;
        while s > BrandStatus::Draft && unit_founded > AS_OF - needed(s) {
            s = BrandStatus::ALL[BrandStatus::ALL.iter().position(|x| *x == s).unwrap_or(1) - 1];
        }
        let latest = match s {
            BrandStatus::Exemplary => 2019,
            BrandStatus::Mature => 2020,
            BrandStatus::Established => 2022,
            _ => 2023,
        };
        let floor = unit_founded.year().max(2015).min(latest);
        let year = rng.range(i64::from(floor), i64::from(latest)) as i32;
        let created = year_start(year, &mut rng).max(unit_founded).min(AS_OF - needed(s)).max(unit_founded);
        let founded = created.year();
        let mut parts: Vec<ElementTree> =
            vec![leaf(K::Concept, &word, &format!("以“{word}”凝聚党员力量，推动党建与业务深度融合"))];
        let mut picked: Vec<usize> = (0..PARTS.len()).collect();
        rng.shuffle(&mut picked);
        for &p in picked.iter().take(rng.range(2, 4) as usize) {
            parts.push(leaf(PARTS[p].0, PARTS[p].1, ""));
        }
        let pending = match s {
            BrandStatus::Draft | BrandStatus::Cultivating | BrandStatus::Established if rng.chance(0.2) => {
                Some(rng.below(2) as u8)
            }
            BrandStatus::Mature if rng.chance(0.06) => Some(0),
            _ => None,
        };
        let plan = Plan { created, status: s, pending, upgraded: rng.chance(0.08), returns: true };
        let h = history(&mut rng, &plan, parts, items, &evidence_of(&name, &slogan, None));
        let code = format!("{}-B01", c.unit);
        out.brands.push(SeedBrand {
            unit_code: c.unit.clone(),
            parent_code: c.parent.clone().filter(|p| *p != code),
            fields: BrandFields {
                code,
                name,
                category: c.category,
                slogan: Some(slogan),
                concept: Some(format!(
                    "{}围绕中心工作打造“{word}”品牌，发挥党组织战斗堡垒作用和党员先锋模范作用。",
                    ix.label(&c.unit)
                )),
                heritage,
                founded_year: Some(founded),
                figures: if c.level == Level::Provincial {
                    vec!["org.branches".into(), "org.members".into()]
                } else {
                    vec![]
                },
            },
            history: h,
        });
    }
    // Sub-brands whose main brand was not generated lose the link.
    let codes: HashSet<String> = out.brands.iter().map(|b| b.fields.code.clone()).collect();
    for b in &mut out.brands {
        if b.parent_code.as_ref().is_some_and(|p| !codes.contains(p)) {
            b.parent_code = None;
        }
    }
    honors(&ix, &mut out, &mut Rng::for_key("brands/honors"));
    out
}

/// Where a seed brand's history leads (the store replays it the same way).
pub fn article_status(b: &SeedBrand) -> BrandStatus {
    qizhi_core::brand::replay(&b.history, WUYOU.len()).map(|r| r.status).unwrap_or(BrandStatus::Draft)
}

fn honors(ix: &Ix, out: &mut SeedBrands, rng: &mut Rng) {
    let has = |code: &str| out.brands.iter().any(|b| b.fields.code == code);
    let mut add = |unit: &str, fields: HonorFields, holder: Option<&str>, brand: Option<&str>| {
        if ix.get(unit).is_some() {
            out.honors.push(SeedHonor {
                unit_code: unit.into(),
                fields,
                holder_code: holder.map(Into::into),
                brand_code: brand.map(Into::into),
            });
        }
    };
    if has("HI-B01") {
        add(
            "HI",
            honor(
                "入选海南自贸港国企党建品牌",
                HonorLevel::Provincial,
                "海南省国资委",
                date!(2023 - 11 - 01),
                HolderKind::Brand,
                "十分满意 联通万家",
            ),
            Some("HI-B01"),
            Some("HI-B01"),
        );
    }
    if has("BJ-YYZC-B01") {
        let brand = Some("BJ-YYZC-B01");
        add(
            "BJ-YYZC",
            honor(
                "中央企业青年文明号",
                HonorLevel::CentralSoe,
                "共青团中央、国务院国资委",
                date!(2022 - 05 - 04),
                HolderKind::Unit,
                "",
            ),
            Some("BJ-YYZC"),
            brand,
        );
        add(
            "BJ-YYZC",
            honor(
                "北京市“工人先锋号”",
                HonorLevel::Provincial,
                "北京市总工会",
                date!(2021 - 04 - 28),
                HolderKind::Unit,
                "",
            ),
            Some("BJ-YYZC"),
            brand,
        );
        add(
            "BJ-YYZC",
            honor(
                "北京市青年文明号",
                HonorLevel::Provincial,
                "共青团北京市委员会",
                date!(2020 - 05 - 04),
                HolderKind::Unit,
                "",
            ),
            Some("BJ-YYZC"),
            brand,
        );
        // Its four teams (班组) are the general branch's four branches.
        for i in 1..=4 {
            let team = format!("BJ-YYZC-{i:02}");
            add(
                &team,
                honor(
                    "行业优秀班组",
                    HonorLevel::National,
                    "中国通信企业协会",
                    date!(2023 - 09 - 15),
                    HolderKind::Unit,
                    "",
                ),
                Some(&team),
                brand,
            );
        }
    }
    if has("TJ-B01") {
        // 7 basic-level units of Tianjin: its committees first, then branches.
        let mut under: Vec<&SeedUnit> = ix
            .units
            .iter()
            .filter(|u| {
                u.fields.status == UnitStatus::Active && ix.top(&u.fields.code) == "TJ" && u.fields.code != "TJ"
            })
            .filter(|u| matches!(u.fields.kind, UnitKind::Committee | UnitKind::Branch))
            .collect();
        under.sort_by_key(|u| (u.fields.kind != UnitKind::Committee, u.fields.code.clone()));
        for u in under.into_iter().take(7) {
            let code = u.fields.code.as_str();
            add(
                code,
                honor(
                    "2021—2023年度天津市文明单位",
                    HonorLevel::Provincial,
                    "天津市精神文明建设委员会",
                    date!(2024 - 01 - 30),
                    HolderKind::Unit,
                    "",
                ),
                Some(code),
                Some("TJ-B01"),
            );
        }
    }
    // Mature and exemplary brands carry an honor or two.
    let titles: [(&str, HonorLevel, &str); 5] = [
        ("中国联通优秀党建品牌", HonorLevel::Group, "中国联通集团党组"),
        ("集团公司先进基层党组织", HonorLevel::Group, "中国联通集团党组"),
        ("工人先锋号", HonorLevel::Provincial, "省总工会"),
        ("青年文明号", HonorLevel::Municipal, "共青团市委"),
        ("优秀党建品牌", HonorLevel::Internal, "本单位党委"),
    ];
    let picks: Vec<(String, String, String, BrandStatus, Date)> = out
        .brands
        .iter()
        .filter_map(|b| {
            let r = qizhi_core::brand::replay(&b.history, WUYOU.len()).ok()?;
            r.status
                .is_mature_or_better()
                .then(|| (b.unit_code.clone(), b.fields.code.clone(), b.fields.name.clone(), r.status, r.status_since))
        })
        .collect();
    for (unit, code, name, status, since) in picks {
        if ["HI", "BJ-YYZC", "TJ"].contains(&unit.as_str()) {
            continue;
        }
        let n =
            if status == BrandStatus::Exemplary { 2 } else { rng.range(0, 1) as usize + usize::from(rng.chance(0.5)) };
        for k in 0..n {
            let (title, level, issuer) = titles[(rng.below(titles.len() as u64) as usize + k) % titles.len()];
            let window = (AS_OF - since).whole_days().max(1);
            let on = since + days(rng.range(0, window));
            let (kind, holder) = if level == HonorLevel::Group && k == 0 {
                (HolderKind::Brand, code.as_str())
            } else {
                (HolderKind::Unit, unit.as_str())
            };
            let name = if kind == HolderKind::Brand { name.as_str() } else { "" };
            add(&unit, honor(title, level, issuer, on, kind, name), Some(holder), Some(&code));
        }
    }
}
