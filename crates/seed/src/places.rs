//! The provincial-level units of the group (31 provinces and the
//! subsidiaries), the cities or divisions under each, and how big each is.
//!
//! Codes are the GB/T 2260 letter codes for provinces (FJ, NM, GZ …) and
//! pinyin initials for subsidiaries (HS 华盛, ZX 联通在线, YJY 研究院 …).

use qizhi_core::org::UnitKind;
use time::Date;
use time::macros::date;

/// How a provincial-level unit is named and what sits under it.
#[derive(Debug, Clone, Copy)]
pub enum Shape {
    /// A province or autonomous region (`admin` = 福建省), with cities under it.
    Province { admin: &'static str },
    /// A municipality (`admin` = 北京市), with districts under it.
    Municipality { admin: &'static str },
    /// A subsidiary (子公司): `company` is its legal name, `short` its short
    /// name, `abbr` what its divisions are prefixed with; its divisions are
    /// units of `division_kind`.
    Subsidiary { company: &'static str, short: &'static str, abbr: &'static str, division_kind: UnitKind },
}

/// Which grids (网格) a provincial-level unit keeps.
#[derive(Debug, Clone, Copy)]
pub enum GridPlan {
    None,
    /// Exactly this many, every one with a contact branch (Inner Mongolia's 1711).
    Exact(u32),
    /// About `per_branch` grids per branch, each with a contact branch with
    /// probability `coverage`.
    PerBranch {
        per_branch: f64,
        coverage: f64,
    },
}

#[derive(Debug, Clone, Copy)]
pub struct Provincial {
    pub code: &'static str,
    /// The place (福建, 内蒙古) or, for a subsidiary, its short name.
    pub place: &'static str,
    pub shape: Shape,
    /// Relative size when branches are shared out by scale.
    pub weight: u32,
    /// Branches the article states (福建 179, 内蒙古 301), or chosen once for
    /// a unit whose other figures are stated (贵州); the same in every scale.
    pub fixed_branches: Option<u32>,
    /// Party members the article states (贵州 1989).
    pub members: Option<u32>,
    /// The first two digits of ID numbers of people born there.
    pub id_region: &'static str,
    /// Cities, districts or divisions, in official order (the code of the
    /// n-th is `{code}{n:02}`).
    pub divisions: &'static [&'static str],
    /// Divisions the article names, kept even when a small scale keeps few.
    pub named: &'static [&'static str],
    pub grids: GridPlan,
    /// Production scenarios (生产场景) kept by the unit.
    pub scenarios: u8,
    /// None: founded with the new group (2008-10) plus a few weeks.
    pub founded: Option<Date>,
}

const P: Provincial = Provincial {
    code: "",
    place: "",
    shape: Shape::Province { admin: "" },
    weight: 1,
    fixed_branches: None,
    members: None,
    id_region: "11",
    divisions: &[],
    named: &[],
    grids: GridPlan::None,
    scenarios: 0,
    founded: None,
};

const fn province(
    code: &'static str,
    place: &'static str,
    admin: &'static str,
    id_region: &'static str,
    weight: u32,
    divisions: &'static [&'static str],
) -> Provincial {
    Provincial { code, place, shape: Shape::Province { admin }, weight, id_region, divisions, ..P }
}

const fn municipality(
    code: &'static str,
    place: &'static str,
    admin: &'static str,
    id_region: &'static str,
    weight: u32,
    divisions: &'static [&'static str],
) -> Provincial {
    Provincial { shape: Shape::Municipality { admin }, ..province(code, place, admin, id_region, weight, divisions) }
}

#[allow(clippy::too_many_arguments)]
const fn subsidiary(
    code: &'static str,
    company: &'static str,
    short: &'static str,
    abbr: &'static str,
    division_kind: UnitKind,
    weight: u32,
    founded: Date,
    divisions: &'static [&'static str],
) -> Provincial {
    Provincial {
        code,
        place: short,
        shape: Shape::Subsidiary { company, short, abbr, division_kind },
        weight,
        divisions,
        founded: Some(founded),
        ..P
    }
}

const fn with_grids(mut p: Provincial, per_branch: f64, coverage: f64, scenarios: u8) -> Provincial {
    p.grids = GridPlan::PerBranch { per_branch, coverage };
    p.scenarios = scenarios;
    p
}

const fn named(mut p: Provincial, named: &'static [&'static str]) -> Provincial {
    p.named = named;
    p
}

/// Every provincial-level unit, in the order the group lists them.
#[rustfmt::skip]
pub const PROVINCIAL: &[Provincial] = &[
    municipality("BJ", "北京", "北京市", "11", 9, &["东城", "西城", "朝阳", "海淀", "丰台", "石景山", "通州", "顺义", "大兴", "昌平"]),
    municipality("TJ", "天津", "天津市", "12", 5, &["和平", "河西", "南开", "河东", "河北", "红桥", "滨海新区", "东丽", "西青", "武清"]),
    with_grids(province("HE", "河北", "河北省", "13", 9, &["石家庄", "唐山", "秦皇岛", "邯郸", "邢台", "保定", "张家口", "承德", "沧州", "廊坊", "衡水"]), 5.0, 0.92, 10),
    with_grids(province("SX", "山西", "山西省", "14", 6, &["太原", "大同", "阳泉", "长治", "晋城", "朔州", "晋中", "运城", "忻州", "临汾", "吕梁"]), 3.5, 0.65, 0),
    Provincial {
        fixed_branches: Some(301),
        grids: GridPlan::Exact(1711),
        scenarios: 8,
        ..province("NM", "内蒙古", "内蒙古自治区", "15", 7, &["呼和浩特", "包头", "乌海", "赤峰", "通辽", "鄂尔多斯", "呼伦贝尔", "巴彦淖尔", "乌兰察布", "兴安盟", "锡林郭勒盟", "阿拉善盟"])
    },
    with_grids(province("LN", "辽宁", "辽宁省", "21", 8, &["沈阳", "大连", "鞍山", "抚顺", "本溪", "丹东", "锦州", "营口", "阜新", "辽阳", "盘锦", "铁岭", "朝阳", "葫芦岛"]), 4.0, 0.75, 0),
    province("JL", "吉林", "吉林省", "22", 5, &["长春", "吉林", "四平", "辽源", "通化", "白山", "松原", "白城", "延边州"]),
    with_grids(province("HL", "黑龙江", "黑龙江省", "23", 6, &["哈尔滨", "齐齐哈尔", "鸡西", "鹤岗", "双鸭山", "大庆", "伊春", "佳木斯", "七台河", "牡丹江", "黑河", "绥化", "大兴安岭地区"]), 4.0, 0.95, 4),
    municipality("SH", "上海", "上海市", "31", 5, &["黄浦", "徐汇", "长宁", "静安", "普陀", "虹口", "杨浦", "浦东新区", "闵行", "宝山"]),
    with_grids(province("JS", "江苏", "江苏省", "32", 7, &["南京", "无锡", "徐州", "常州", "苏州", "南通", "连云港", "淮安", "盐城", "扬州", "镇江", "泰州", "宿迁"]), 3.0, 0.88, 6),
    named(with_grids(province("ZJ", "浙江", "浙江省", "33", 6, &["杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州", "丽水"]), 3.0, 0.9, 6), &["嘉兴"]),
    province("AH", "安徽", "安徽省", "34", 5, &["合肥", "芜湖", "蚌埠", "淮南", "马鞍山", "淮北", "铜陵", "安庆", "黄山", "滁州", "阜阳", "宿州", "六安", "亳州", "池州", "宣城"]),
    Provincial {
        fixed_branches: Some(179),
        ..province("FJ", "福建", "福建省", "35", 4, &["福州", "厦门", "莆田", "三明", "泉州", "漳州", "南平", "龙岩", "宁德"])
    },
    named(with_grids(province("JX", "江西", "江西省", "36", 4, &["南昌", "景德镇", "萍乡", "九江", "新余", "鹰潭", "赣州", "吉安", "宜春", "抚州", "上饶"]), 3.0, 0.8, 5), &["吉安"]),
    with_grids(province("SD", "山东", "山东省", "37", 10, &["济南", "青岛", "淄博", "枣庄", "东营", "烟台", "潍坊", "济宁", "泰安", "威海", "日照", "临沂", "德州", "聊城", "滨州", "菏泽"]), 4.0, 0.85, 12),
    named(with_grids(province("HA", "河南", "河南省", "41", 10, &["郑州", "开封", "洛阳", "平顶山", "安阳", "鹤壁", "新乡", "焦作", "濮阳", "许昌", "漯河", "三门峡", "南阳", "商丘", "信阳", "周口", "驻马店", "济源"]), 4.5, 0.8, 8), &["郑州"]),
    province("HB", "湖北", "湖北省", "42", 5, &["武汉", "黄石", "十堰", "宜昌", "襄阳", "鄂州", "荆门", "孝感", "荆州", "黄冈", "咸宁", "随州", "恩施州", "仙桃", "潜江", "天门"]),
    province("HN", "湖南", "湖南省", "43", 5, &["长沙", "株洲", "湘潭", "衡阳", "邵阳", "岳阳", "常德", "张家界", "益阳", "郴州", "永州", "怀化", "娄底", "湘西州"]),
    with_grids(province("GD", "广东", "广东省", "44", 9, &["广州", "韶关", "深圳", "珠海", "汕头", "佛山", "江门", "湛江", "茂名", "肇庆", "惠州", "梅州", "汕尾", "河源", "阳江", "清远", "东莞", "中山", "潮州", "揭阳", "云浮"]), 3.5, 0.7, 10),
    province("GX", "广西", "广西壮族自治区", "45", 4, &["南宁", "柳州", "桂林", "梧州", "北海", "防城港", "钦州", "贵港", "玉林", "百色", "贺州", "河池", "来宾", "崇左"]),
    province("HI", "海南", "海南省", "46", 2, &["海口", "三亚", "儋州", "琼海", "文昌", "万宁", "五指山", "东方"]),
    municipality("CQ", "重庆", "重庆市", "50", 4, &["渝中", "江北", "南岸", "沙坪坝", "九龙坡", "渝北", "巴南", "北碚", "万州", "涪陵", "永川", "江津"]),
    with_grids(province("SC", "四川", "四川省", "51", 6, &["成都", "自贡", "攀枝花", "泸州", "德阳", "绵阳", "广元", "遂宁", "内江", "乐山", "南充", "眉山", "宜宾", "广安", "达州", "雅安", "巴中", "资阳", "阿坝州", "甘孜州", "凉山州"]), 3.0, 0.6, 0),
    Provincial {
        fixed_branches: Some(165),
        members: Some(1989),
        ..with_grids(province("GZ", "贵州", "贵州省", "52", 4, &["贵阳", "六盘水", "遵义", "安顺", "毕节", "铜仁", "黔西南州", "黔东南州", "黔南州"]), 4.0, 0.9, 20)
    },
    province("YN", "云南", "云南省", "53", 4, &["昆明", "曲靖", "玉溪", "保山", "昭通", "丽江", "普洱", "临沧", "楚雄州", "红河州", "文山州", "西双版纳州", "大理州", "德宏州", "怒江州", "迪庆州"]),
    province("XZ", "西藏", "西藏自治区", "54", 1, &["拉萨", "日喀则", "昌都", "林芝", "山南", "那曲", "阿里地区"]),
    province("SN", "陕西", "陕西省", "61", 5, &["西安", "铜川", "宝鸡", "咸阳", "渭南", "延安", "汉中", "榆林", "安康", "商洛"]),
    province("GS", "甘肃", "甘肃省", "62", 3, &["兰州", "嘉峪关", "金昌", "白银", "天水", "武威", "张掖", "平凉", "酒泉", "庆阳", "定西", "陇南", "临夏州", "甘南州"]),
    province("QH", "青海", "青海省", "63", 2, &["西宁", "海东", "海北州", "黄南州", "海南州", "果洛州", "玉树州", "海西州"]),
    province("NX", "宁夏", "宁夏回族自治区", "64", 2, &["银川", "石嘴山", "吴忠", "固原", "中卫"]),
    province("XJ", "新疆", "新疆维吾尔自治区", "65", 3, &["乌鲁木齐", "克拉玛依", "吐鲁番", "哈密", "昌吉州", "博尔塔拉州", "巴音郭楞州", "阿克苏地区", "克孜勒苏州", "喀什地区", "和田地区", "伊犁州", "塔城地区", "阿勒泰地区"]),
    subsidiary("HS", "联通华盛通信有限公司", "联通华盛", "华盛", UnitKind::Committee, 3, date!(2009 - 03 - 18), &["北京分公司", "上海分公司", "广东分公司", "江苏分公司", "浙江分公司", "山东分公司", "河南分公司", "四川分公司", "湖北分公司", "辽宁分公司"]),
    subsidiary("ZX", "联通在线信息科技有限公司", "联通在线", "联通在线", UnitKind::GeneralBranch, 2, date!(2013 - 09 - 01), &["沃音乐事业部", "沃视频事业部", "沃阅读事业部", "数字人事业部", "平台运营中心", "智能客服中心"]),
    subsidiary("YJY", "中国联通研究院", "联通研究院", "联通研究院", UnitKind::GeneralBranch, 2, date!(2012 - 06 - 01), &["网络技术研究中心", "算力网络研究中心", "大数据研究中心", "人工智能研究中心", "安全技术研究中心", "产业互联网研究中心", "规划咨询研究中心", "标准与知识产权中心"]),
    subsidiary("SK", "联通数字科技有限公司", "联通数科", "数科", UnitKind::GeneralBranch, 3, date!(2021 - 04 - 26), &["云业务事业部", "大数据事业部", "数字政府事业部", "智慧城市事业部", "网络安全事业部", "系统集成事业部", "物联网事业部", "综合管理部"]),
    subsidiary("ZW", "联通智网科技股份有限公司", "联通智网", "智网", UnitKind::GeneralBranch, 2, date!(2015 - 11 - 10), &["车联网事业部", "工业互联网事业部", "产品研发中心", "市场营销中心", "运营服务中心"]),
    subsidiary("ZF", "联通支付有限公司", "联通支付", "联通支付", UnitKind::GeneralBranch, 1, date!(2011 - 04 - 18), &["产品技术部", "市场运营部", "风险管理部", "综合管理部"]),
    subsidiary("ZXY", "中讯邮电咨询设计院有限公司", "中讯设计院", "中讯院", UnitKind::GeneralBranch, 2, date!(2009 - 07 - 16), &["郑州分公司", "移动通信设计研究院", "传输与接入设计研究院", "数据通信设计研究院", "建筑设计研究院", "电源设计研究院"]),
    subsidiary("RY", "中国联通软件研究院", "联通软研院", "软研院", UnitKind::GeneralBranch, 2, date!(2019 - 01 - 08), &["北京研发中心", "济南研发中心", "广州研发中心", "南京研发中心", "西安研发中心"]),
];

/// The provincial-level unit with this code.
pub fn provincial(code: &str) -> &'static Provincial {
    PROVINCIAL.iter().find(|p| p.code == code).unwrap_or_else(|| panic!("no provincial unit {code}"))
}

/// A unit the article names that sits directly under a provincial-level
/// unit rather than under a city; `branches` are the branches under it when
/// it is a general branch (code suffix, name, short name).
#[derive(Debug, Clone, Copy)]
pub struct Named {
    pub parent: &'static str,
    pub code: &'static str,
    pub name: &'static str,
    pub short: &'static str,
    pub kind: UnitKind,
    pub founded: Date,
    pub branches: &'static [(&'static str, &'static str, &'static str)],
}

pub const NAMED: &[Named] = &[
    Named {
        parent: "BJ",
        code: "BJ-YYZC",
        name: "北京联通运营支撑中心党总支",
        short: "运营支撑中心党总支",
        kind: UnitKind::GeneralBranch,
        founded: date!(2016 - 05 - 20),
        // "红中台" is run by its four teams (班组).
        branches: &[
            ("01", "北京联通运营支撑中心订单受理党支部", "订单受理党支部"),
            ("02", "北京联通运营支撑中心智慧中台党支部", "智慧中台党支部"),
            ("03", "北京联通运营支撑中心数字化运营党支部", "数字化运营党支部"),
            ("04", "北京联通运营支撑中心综合保障党支部", "综合保障党支部"),
        ],
    },
    Named {
        parent: "AH",
        code: "AH-ZSKF",
        name: "安徽联通省分直属客服支部",
        short: "直属客服支部",
        kind: UnitKind::Branch,
        founded: date!(2012 - 03 - 15),
        branches: &[],
    },
    Named {
        parent: "YJY",
        code: "YJY-FZD",
        name: "联通研究院泛终端研究中心党支部",
        short: "泛终端研究中心党支部",
        kind: UnitKind::Branch,
        founded: date!(2018 - 04 - 10),
        branches: &[],
    },
    Named {
        parent: "ZX",
        code: "ZX-XWKJ",
        name: "联通在线小沃科技党总支",
        short: "小沃科技党总支",
        kind: UnitKind::GeneralBranch,
        founded: date!(2014 - 11 - 20),
        branches: &[
            ("01", "联通在线小沃科技研发党支部", "研发党支部"),
            ("02", "联通在线小沃科技运营党支部", "运营党支部"),
            ("03", "联通在线小沃科技综合党支部", "综合党支部"),
        ],
    },
];

/// How many branches a named unit brings: itself, or those under it.
pub fn named_branches(n: &Named) -> u32 {
    if n.kind == UnitKind::Branch { 1 } else { n.branches.len() as u32 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_short() {
        let mut codes: Vec<_> = PROVINCIAL.iter().map(|p| p.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), PROVINCIAL.len());
        assert!(codes.iter().all(|c| c.len() <= 3));
        let provinces = PROVINCIAL.iter().filter(|p| !matches!(p.shape, Shape::Subsidiary { .. })).count();
        assert_eq!(provinces, 31);
    }

    #[test]
    fn named_units_have_parents_and_named_cities_exist() {
        for n in NAMED {
            provincial(n.parent);
            assert!(n.code.starts_with(n.parent));
        }
        for p in PROVINCIAL {
            for c in p.named {
                assert!(p.divisions.contains(c), "{c} not in {}", p.code);
            }
            if let Shape::Municipality { admin } = p.shape {
                assert!(admin.starts_with(p.place), "{}", p.code);
            }
        }
    }
}
