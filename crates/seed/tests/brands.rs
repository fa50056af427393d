//! The seed world's brands against the article: every brand it names, with
//! its owner, category, heritage and structure; "近百" mature brands reached
//! through histories that pass the lifecycle rules; the 1+9 matrix; the
//! honors it names; and the same output on every run.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use qizhi_core::brand::{BrandCategory, BrandStatus, EventKind, HolderKind, HonorLevel, WUYOU, outline_of, replay};
use qizhi_seed::{AS_OF, MATURE_BRANDS, Scale, SeedBrand, World, world};

fn demo() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| world(Scale::Demo))
}

fn group() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| world(Scale::Group))
}

fn brand<'a>(w: &'a World, name: &str) -> &'a SeedBrand {
    w.brands.brands.iter().find(|b| b.fields.name == name).unwrap_or_else(|| panic!("no brand {name}"))
}

/// "1 五心", "1.1 不忘初心" … of a brand's structure.
fn outline(b: &SeedBrand) -> Vec<String> {
    outline_of(&b.history.elements).into_iter().map(|(n, f)| format!("{n} {}", f.title)).collect()
}

fn status(b: &SeedBrand) -> BrandStatus {
    replay(&b.history, WUYOU.len()).unwrap_or_else(|e| panic!("{}: {e}", b.fields.code)).status
}

#[test]
fn every_brand_of_the_article_is_there_with_its_owner_and_structure() {
    for w in [demo(), group()] {
        // (name, owner, category, heritage)
        for (name, unit, category, heritage) in [
            ("我为党旗添光彩", "SD", BrandCategory::Unit, Some("战时邮务精神")),
            ("吉先锋", "JX08", BrandCategory::Unit, Some("井冈山精神")),
            ("五心领航", "ZJ04", BrandCategory::Unit, Some("红船精神")),
            ("端之重器", "YJY-FZD", BrandCategory::Branch, Some("红色通信血脉")),
            ("五色斑斓", "HA01", BrandCategory::Unit, None),
            ("六星", "FJ", BrandCategory::Branch, Some("古田会议精神")),
            ("北疆先锋行动", "NM", BrandCategory::Unit, Some("蒙古马精神")),
            ("黔’锋闯新路", "GZ", BrandCategory::Unit, Some("遵义会议精神")),
            ("书香华盛", "HS", BrandCategory::Unit, Some("红色通信血脉")),
            ("红船先锋", "JS", BrandCategory::Unit, Some("红船精神")),
            ("七强七力", "GD", BrandCategory::Activity, None),
            ("1+3+N", "HL", BrandCategory::Unit, Some("东北抗联精神")),
            ("燕赵先锋", "HE", BrandCategory::Unit, Some("燕赵文化")),
            ("联通·红纽带", "TJ", BrandCategory::Cobuilding, None),
            ("十分满意 联通万家", "HI", BrandCategory::Unit, Some("琼崖革命精神")),
            ("红中台", "BJ-YYZC", BrandCategory::Unit, None),
            ("红心向党 服务先行", "AH-ZSKF", BrandCategory::Branch, None),
            ("小沃", "ZX-XWKJ", BrandCategory::Unit, None),
        ] {
            let b = brand(w, name);
            assert_eq!(b.unit_code, unit, "{name}");
            assert_eq!(b.fields.category, category, "{name}");
            assert_eq!(b.fields.heritage.as_deref(), heritage, "{name}");
            assert!(status(b).is_mature_or_better(), "{name} is {:?}", status(b));
            assert!(!b.history.elements.is_empty() && b.fields.concept.is_some(), "{name}");
        }
        let wuxin = outline(brand(w, "五心领航"));
        for line in
            ["1 五心", "1.1 不忘初心", "1.5 传承爱心", "2 三项工程", "2.3 拒腐防变工程", "3 五支队伍", "3.5 橙心义工队"]
        {
            assert!(wuxin.contains(&line.to_string()), "五心领航 lacks {line}: {wuxin:?}");
        }
        assert_eq!(brand(w, "五心领航").fields.founded_year, Some(2019));
        let steps: Vec<String> = outline(brand(w, "七强七力")).into_iter().filter(|l| l.starts_with("2.")).collect();
        assert_eq!(steps.len(), 7, "七步走");
        assert!(steps[0].ends_with("强站位") && steps[6].ends_with("强激励"));
        let n = outline(brand(w, "1+3+N"));
        assert!(
            n.contains(&"1 明确 1 个指导思想".into())
                && n.contains(&"2.3 思想保障".into())
                && n.contains(&"3 打造 N 个载体".into())
        );
        let shuxiang = outline(brand(w, "书香华盛"));
        for g in ["1 三类课堂", "2 三个阵地", "3 三个机制"] {
            assert!(shuxiang.contains(&g.to_string()), "{g}");
        }
        assert_eq!(outline(brand(w, "吉先锋")), ["1 吉先锋党旗红", "2 吉先锋专家团", "3 吉先锋青年团"]);
        let colors = outline(brand(w, "五色斑斓"));
        assert!(
            colors.contains(&"2 红色套餐".into())
                && colors.contains(&"3 初心密码".into())
                && colors.contains(&"4.1 联建共创先进基层党组织".into())
        );
        assert!(outline(brand(w, "联通·红纽带")).iter().filter(|l| l.starts_with("1.")).count() == 5, "五联");

        // "1+9": 黔’锋闯新路 heads nine sub-brands, one per city of Guizhou.
        let gz = brand(w, "黔’锋闯新路");
        let subs: Vec<&SeedBrand> =
            w.brands.brands.iter().filter(|b| b.parent_code.as_deref() == Some(gz.fields.code.as_str())).collect();
        assert_eq!(subs.len(), 9);
        assert!(subs.iter().all(|s| s.unit_code.starts_with("GZ0")));
        // 北疆先锋行动: 迭代升级 every year since it began.
        let versions = brand(w, "北疆先锋行动").history.steps.iter().filter(|s| s.kind == EventKind::Version).count();
        assert!(versions >= 3, "{versions} versions");
    }
}

#[test]
fn the_group_holds_close_to_a_hundred_mature_brands_and_many_more_below() {
    for (w, scale) in [(demo(), "Demo"), (group(), "Group")] {
        let mut by: HashMap<BrandStatus, usize> = HashMap::new();
        for b in &w.brands.brands {
            *by.entry(status(b)).or_default() += 1;
        }
        let mature =
            by.get(&BrandStatus::Mature).copied().unwrap_or(0) + by.get(&BrandStatus::Exemplary).copied().unwrap_or(0);
        assert_eq!(mature, MATURE_BRANDS, "{scale}: {by:?}");
        assert!((90..100).contains(&MATURE_BRANDS));
        let below: usize = [BrandStatus::Draft, BrandStatus::Cultivating, BrandStatus::Established]
            .iter()
            .map(|s| by.get(s).copied().unwrap_or(0))
            .sum();
        assert!(below > mature, "{scale}: many more at earlier stages: {by:?}");
        assert!(by.values().all(|n| *n > 5), "{scale}: every status is represented: {by:?}");
    }
}

#[test]
fn histories_pass_the_rules_and_stay_in_the_past() {
    for w in [demo(), group(), &world(Scale::Province)] {
        let units: HashMap<&str, (&Option<String>, Option<time::Date>)> =
            w.units.iter().map(|u| (u.fields.code.as_str(), (&u.parent_code, u.fields.founded))).collect();
        let ancestors = |code: &str| {
            let mut out = vec![code.to_string()];
            let mut cur = units.get(code).and_then(|u| u.0.clone());
            while let Some(c) = cur {
                cur = units.get(c.as_str()).and_then(|u| u.0.clone());
                out.push(c);
            }
            out
        };
        let codes: HashMap<&str, &SeedBrand> = w.brands.brands.iter().map(|b| (b.fields.code.as_str(), b)).collect();
        assert_eq!(codes.len(), w.brands.brands.len(), "brand codes are unique");
        for b in &w.brands.brands {
            let r = replay(&b.history, WUYOU.len()).unwrap_or_else(|e| panic!("{}: {e}", b.fields.code));
            let (_, founded) = units.get(b.unit_code.as_str()).unwrap_or_else(|| panic!("{}: no unit", b.fields.code));
            assert!(
                founded.is_none_or(|f| f <= b.history.created_on),
                "{}: recorded before its unit existed",
                b.fields.code
            );
            assert!(b.history.steps.iter().all(|s| s.on <= AS_OF), "{}: a step after {AS_OF}", b.fields.code);
            assert!(b.history.confirmed.iter().all(|(_, d)| *d <= AS_OF));
            assert!(b.fields.founded_year.is_some_and(|y| y <= b.history.created_on.year()));
            if r.status.is_mature_or_better() {
                assert!(r.standard_met_on.is_some(), "{}: mature without its standard met", b.fields.code);
            }
            if let Some(p) = &b.parent_code {
                let main = codes.get(p.as_str()).unwrap_or_else(|| panic!("{}: no main brand {p}", b.fields.code));
                assert!(
                    ancestors(&b.unit_code).contains(&main.unit_code),
                    "{}: main brand {p} is not above it",
                    b.fields.code
                );
            }
            qizhi_core::brand::check_structure(&b.history.elements).unwrap();
        }
        let pending = w
            .brands
            .brands
            .iter()
            .filter(|b| replay(&b.history, WUYOU.len()).is_ok_and(|r| r.app_stage.is_some()))
            .count();
        assert!(pending > 0, "some applications wait for review");
    }
}

#[test]
fn the_honors_the_article_names() {
    let w = demo();
    let h = &w.brands.honors;
    let hainan = h.iter().find(|h| h.fields.title == "入选海南自贸港国企党建品牌").unwrap();
    assert_eq!((hainan.fields.awarded_on.year(), u8::from(hainan.fields.awarded_on.month())), (2023, 11));
    assert_eq!((hainan.fields.holder_kind, hainan.fields.level), (HolderKind::Brand, HonorLevel::Provincial));
    let zhongtai: Vec<_> = h.iter().filter(|h| h.brand_code.as_deref() == Some("BJ-YYZC-B01")).collect();
    for title in ["中央企业青年文明号", "北京市“工人先锋号”", "北京市青年文明号"] {
        assert!(zhongtai.iter().any(|h| h.fields.title == title), "{title}");
    }
    let teams: HashSet<&str> =
        zhongtai.iter().filter(|h| h.fields.title == "行业优秀班组").map(|h| h.unit_code.as_str()).collect();
    assert_eq!(teams, HashSet::from(["BJ-YYZC-01", "BJ-YYZC-02", "BJ-YYZC-03", "BJ-YYZC-04"]));
    let tianjin: HashSet<&str> =
        h.iter().filter(|h| h.fields.title.contains("天津市文明单位")).map(|h| h.unit_code.as_str()).collect();
    assert_eq!(tianjin.len(), 7, "7 units of Tianjin");
    assert!(h.iter().all(|h| h.fields.awarded_on <= AS_OF));
}

#[test]
fn fujian_issues_its_wuyou_and_the_root_the_default() {
    let w = demo();
    let issuers: Vec<&str> = w.brands.standards.iter().map(|s| s.unit_code.as_str()).collect();
    assert_eq!(issuers, ["CU", "FJ"]);
    for s in &w.brands.standards {
        let titles: Vec<&str> = s.fields.items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(titles, ["有形象化标识", "有个性化内涵", "有制度化推进", "有可视化阵地", "有显性化成效"]);
    }
}

#[test]
fn brands_are_the_same_on_every_run() {
    assert_eq!(world(Scale::Demo).brands, demo().brands);
}
