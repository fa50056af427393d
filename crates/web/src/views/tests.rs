//! Rendering tests of the shared views and the organization's pages; `chrome`
//! is the fixture other views' tests build on.

use askama::Template;
use qizhi_core::figures::{FIGURES, Value};
use qizhi_core::org::UnitKind;
use qizhi_core::person::Category;

use super::tiles::group_tiles;
use super::*;
use crate::i18n::Lang;

const EVIL: &str = "<script>alert(1)</script>福州分公司党委";

pub(crate) fn chrome(lang: Lang, nav: &'static str) -> Chrome {
    Chrome {
        lang,
        user_name: "林晓燕".into(),
        csrf: "tok-123".into(),
        nav,
        flash: None,
        hidden: vec![],
        path: "/org?q=福州".into(),
    }
}

/// The period control of a page at `path` showing `from`–`to`, the reporting year being `to`.
pub(crate) fn period(lang: Lang, path: &str, from: i32, to: i32) -> crate::kit::period::PeriodView {
    let span = qizhi_core::figures::Span { from, to };
    crate::kit::period::Period { span, reporting_year: to, problem: None }.view(lang, path)
}

fn unit(id: i64, code: &str, name: &str, kind: UnitKind) -> UnitRef {
    UnitRef::new(id, code, name, kind)
}

fn tile(key: &str, value: Value) -> FigureTile {
    FigureTile::new(qizhi_core::figures::figure(key).unwrap(), value)
}

pub(crate) fn sample_sections() -> Vec<FigureSection> {
    group_tiles(vec![
        tile("org.units", Value::Count(236)),
        tile("org.branches", Value::Count(179)),
        tile("org.members", Value::Count(4312)),
        tile("org.people", Value::Count(11_870)),
        tile("grids.total", Value::Count(1711)),
        tile("grids.covered", Value::Count(1711)),
        tile("grids.coverage_rate", Value::Rate(1.0)),
        tile("scenarios.total", Value::Count(20)),
    ])
}

pub(crate) fn home(lang: Lang) -> HomePage {
    let provinces = [
        ("BJ", "北京市分公司党委", 210, 5230),
        ("TJ", "天津市分公司党委", 96, 2104),
        ("NM", "内蒙古自治区分公司党委", 301, 6015),
        ("FJ", "福建省分公司党委", 179, 4312),
    ];
    HomePage {
        chrome: chrome(lang, "home"),
        root: Some(unit(1, "G", "集团党组", UnitKind::Leadership)),
        period: period(lang, "/", 2024, 2024),
        todo: vec![
            Todo {
                label: "逾期未完成的任务".into(), count: 17, href: "/tasks?unit=1&overdue=1".into(), urgent: true
            },
            Todo {
                label: "待核实的承诺".into(),
                count: 1204,
                href: "/commitments?unit=1&status=pending".into(),
                urgent: false,
            },
        ],
        sections: sample_sections(),
        stars_earlier: Some(2023),
        charts: vec![HomeChart {
            title: "星级分布".into(),
            note: "已评定 1,520 个党支部".into(),
            href: "/stars?unit=1".into(),
            option: bars(&["三星".into(), "四星".into()], "星级分布", &[301, 88]),
        }],
        units: provinces
            .iter()
            .enumerate()
            .map(|(i, (code, name, b, m))| HomeUnitRow {
                unit: unit(10 + i as i64, code, name, UnitKind::Committee),
                branches: *b,
                members: *m,
                brands: 12,
                three_stars: "73.2%".into(),
                overdue: i as i64,
            })
            .collect(),
    }
}

fn node(id: i64, code: &str, name: &str, kind: UnitKind, n: i64) -> TreeNode {
    TreeNode { unit: unit(id, code, name, kind), has_children: n > 0, child_count: n }
}

pub(crate) fn org(lang: Lang, q: &str) -> OrgTreePage {
    OrgTreePage {
        chrome: chrome(lang, "org"),
        roots: vec![node(1, "G", "集团党组", UnitKind::Leadership, 40)],
        q: q.into(),
        results: if q.is_empty() {
            vec![]
        } else {
            vec![
                UnitHit {
                    unit: unit(120, "FJ-FZ", "福州市分公司党委", UnitKind::Committee),
                    path_names: "集团党组 / 福建省分公司党委 / 福州市分公司党委".into(),
                },
                UnitHit {
                    unit: unit(121, "FJ-FZ-01", EVIL, UnitKind::Branch),
                    path_names: "集团党组 / 福建省分公司党委".into(),
                },
            ]
        },
    }
}

pub(crate) fn tree_children(lang: Lang) -> TreeChildren {
    TreeChildren {
        lang,
        nodes: vec![
            node(10, "BJ", "北京市分公司党委", UnitKind::Committee, 16),
            node(14, "FJ", "福建省分公司党委", UnitKind::Committee, 9),
            node(30, "G-ZS-01", "集团总部机关第一党支部", UnitKind::Branch, 0),
        ],
    }
}

pub(crate) fn unit_page(lang: Lang) -> UnitPage {
    let children = vec![
        node(120, "FJ-FZ", "福州市分公司党委", UnitKind::Committee, 24),
        node(121, "FJ-XM", "厦门市分公司党委", UnitKind::Committee, 19),
        node(122, "FJ-QZ", "泉州市分公司党委", UnitKind::Committee, 21),
        node(123, "FJ-JG-01", "省分公司机关第一党支部", UnitKind::Branch, 3),
    ];
    let chart: Vec<HomeChild> = children
        .iter()
        .zip([(31, 640), (26, 512), (28, 590), (1, 42)])
        .map(|(n, (b, m))| HomeChild { unit: n.unit.clone(), branches: b, members: m })
        .collect();
    UnitPage {
        chrome: chrome(lang, "org"),
        unit: unit(14, "FJ", "福建省分公司党委", UnitKind::Committee),
        breadcrumb: vec![unit(1, "G", "集团党组", UnitKind::Leadership)],
        short_name: Some("福建联通".into()),
        parent: Some(unit(1, "G", "集团党组", UnitKind::Leadership)),
        founded: Some("1999-04-12".into()),
        status_code: "active",
        status_zh: "正常",
        status_en: "Active",
        children,
        people_count: 11_870,
        sections: sample_sections(),
        period: period(lang, "/units/14", 2021, 2024),
        chart_json: children_chart_json(lang, &chart),
    }
}

fn person(id: i64, name: &str, gender: &'static str, c: Category, unit: &str, post: &str) -> PersonRow {
    PersonRow {
        id,
        name: name.into(),
        gender_zh: gender,
        category_code: c.code(),
        category_zh: c.zh(),
        category_en: c.en(),
        unit_name: unit.into(),
        post: post.into(),
        join_date: if c.is_member() { "2012-07-01".into() } else { String::new() },
        phone: "138****5678".into(),
    }
}

pub(crate) fn people(lang: Lang, show_personal: bool) -> PeoplePage {
    PeoplePage {
        chrome: chrome(lang, "people"),
        filter_problems: vec![],
        unit: unit(14, "FJ", "福建省分公司党委", UnitKind::Committee),
        q: "林 &".into(),
        category: "probationary".into(),
        rows: vec![
            person(1, "林建华", "男", Category::Full, "福州市分公司鼓楼营业部党支部", "党支部书记"),
            person(2, "陈雅婷", "女", Category::Probationary, "厦门市分公司网络运维党支部", "网络工程师"),
            person(3, "王志强", "男", Category::League, "泉州市分公司政企客户党支部", "客户经理"),
            person(4, EVIL, "", Category::Staff, "省分公司机关第一党支部", ""),
        ],
        page: 7,
        pages: 24,
        total: 463,
        show_personal,
        categories: Category::ALL.iter().map(|c| (c.code(), c.zh(), c.en())).collect(),
    }
}

pub(crate) fn imports(lang: Lang, report: Option<ImportReport>) -> ImportsPage {
    ImportsPage {
        chrome: chrome(lang, "imports"),
        kinds: vec![("units", "组织", "Units"), ("people", "人员", "People")],
        report,
    }
}

pub(crate) fn failed_report() -> ImportReport {
    ImportReport {
        ok: false,
        kind: "people".into(),
        rows: 312,
        created: 0,
        updated: 0,
        warnings: vec![],
        errors: vec![
            "第 12 行 C 列（人员类别）：未知的人员类别 “党员x”，应为 正式党员/预备党员/团员/群众".into(),
            "第 40 行 A 列（姓名）：不能为空".into(),
            format!("第 41 行 B 列（所在组织）：{EVIL}"),
        ],
    }
}

pub(crate) fn login(lang: Lang, error: Option<&str>) -> LoginPage {
    LoginPage {
        lang,
        error: error.map(str::to_string),
        username: "linxy".into(),
        next: "/org?q=福州".into(),
        csrf: "tok-login".into(),
    }
}

pub(crate) fn error(lang: Lang, signed_in: bool) -> ErrorPage {
    ErrorPage {
        chrome: signed_in.then(|| chrome(lang, "org")),
        lang,
        status: 404,
        title: lang.t("error.404.title").into(),
        message: lang.t("error.404.message").into(),
    }
}

fn check_layout(html: &str, lang: Lang) {
    assert!(html.starts_with("<!doctype html>"), "{}", &html[..80.min(html.len())]);
    assert!(html.contains(&format!("<html lang=\"{}\">", lang.html_lang())));
    for asset in ["qizhi.css", "qizhi.js", "htmx.min.js", "echarts.min.js", "logo.svg"] {
        assert!(html.contains(&crate::assets::url(asset)), "{asset} not linked");
    }
    assert!(!html.contains("nav."), "raw i18n key in page");
}

fn check_chrome(html: &str, lang: Lang, active: &str) {
    check_layout(html, lang);
    assert!(html.contains("林晓燕"));
    assert!(html.contains(r#"<form class="logout" method="post" action="/logout">"#));
    assert!(html.contains(r#"<input type="hidden" name="csrf" value="tok-123">"#));
    assert!(html.contains(&format!(r#"<a href="{active}" class="active" aria-current="page">"#)));
    let other = lang.other().code();
    assert!(html.contains(&format!("/lang/{other}?next=%2Forg%3Fq%3D%E7%A6%8F%E5%B7%9E")));
    let (logout, people) = match lang {
        Lang::Zh => ("退出", "人员"),
        Lang::En => ("Sign out", "People"),
    };
    assert!(html.contains(logout) && html.contains(people));
}

fn escaped(html: &str) {
    assert!(!html.contains("<script>alert"), "unescaped user text");
    assert!(html.contains("&#60;script&#62;alert(1)&#60;/script&#62;福州分公司党委"));
}

/// The JSON an ECharts div carries, after HTML attribute unescaping.
fn chart_option(html: &str) -> serde_json::Value {
    let start = html.find("data-chart=\"").expect("no chart") + "data-chart=\"".len();
    let raw = &html[start..start + html[start..].find('"').unwrap()];
    let json = raw
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#38;", "&");
    serde_json::from_str(&json).expect("chart JSON")
}

#[test]
fn home_renders_the_work_list_charts_tiles_and_units() {
    for lang in [Lang::Zh, Lang::En] {
        let html = home(lang).render().unwrap();
        check_chrome(&html, lang, "/");
        assert!(html.contains("集团党组"));
        assert!(html.contains(r#"<li class="urgent"><a href="/tasks?unit=1&#38;overdue=1">"#), "{html}");
        assert!(html.contains(">1,204<"), "a count has its thousands");
        assert!(html.contains(">179<") && html.contains(">11,870<") && html.contains(">100%<"));
        assert!(html.contains(lang.label("党支部数", "Branches")));
        assert!(html.contains(&lang.tn("stars.earlier_result", 2023)));
        let option = chart_option(&html);
        assert_eq!(option["series"][0]["data"][0]["value"], 301);
        assert!(html.contains(r#"href="/units/13""#) && html.contains(">73.2%<"));
        assert!(html.contains(r#"id="period-from""#) || html.contains("period"), "the period control");
    }
    let mut idle = home(Lang::Zh);
    idle.todo.clear();
    assert!(idle.render().unwrap().contains(Lang::Zh.t("home.todo_none")));
    let mut empty = home(Lang::Zh);
    empty.root = None;
    let html = empty.render().unwrap();
    assert!(html.contains("尚未分配管理范围") && !html.contains("data-chart"));
}

#[test]
fn org_tree_and_search() {
    for lang in [Lang::Zh, Lang::En] {
        let html = org(lang, "").render().unwrap();
        check_chrome(&html, lang, "/org");
        assert!(html.contains(r#"hx-get="/org/children/1""#));
        assert!(html.contains("data-autoexpand"));
        assert!(!html.contains("class=\"hits\""));
        let html = org(lang, "福州").render().unwrap();
        assert!(html.contains(r#"value="福州""#));
        assert!(html.contains("集团党组 / 福建省分公司党委 / 福州市分公司党委"));
        assert!(html.contains(r#"href="/units/120""#));
        escaped(&html);
    }
    let mut none = org(Lang::En, "zzz");
    none.results.clear();
    assert!(none.render().unwrap().contains("No matching units"));
}

#[test]
fn tree_children_is_a_fragment() {
    let html = tree_children(Lang::Zh).render().unwrap();
    assert!(!html.contains("<html") && html.trim_start().starts_with("<ul class=\"tree\">"));
    assert!(html.contains(r#"hx-get="/org/children/14""#));
    assert!(html.contains("16 个下级") && html.contains("党支部"));
    // A leaf has no toggle.
    assert_eq!(html.matches("tree-toggle").count(), 2);
    let en = tree_children(Lang::En).render().unwrap();
    assert!(en.contains("16 below") && en.contains("Branch"));
    let empty = TreeChildren { lang: Lang::Zh, nodes: vec![] }.render().unwrap();
    assert!(empty.contains("暂无下级组织"));
}

#[test]
fn unit_page_shows_facts_figures_children() {
    for lang in [Lang::Zh, Lang::En] {
        let mut page = unit_page(lang);
        page.children[0].unit.name = EVIL.into();
        let html = page.render().unwrap();
        check_chrome(&html, lang, "/org");
        escaped(&html);
        assert!(html.contains("福建联通") && html.contains("1999-04-12"));
        assert!(html.contains(r#"href="/units/1""#), "breadcrumb/parent link");
        assert!(html.contains(r#"href="/people?unit=14""#));
        assert!(html.contains("11,870"));
        assert!(html.contains(r#"name="from" value="2021""#) && html.contains(r#"name="to" value="2024""#));
        assert!(html.contains(r#"href="/units/123""#));
        assert!(html.contains("/imports/people/export.xlsx?unit=14"));
        assert!(html.contains(lang.label("正常", "Active")));
        assert_eq!(chart_option(&html)["series"][1]["data"][0], 640);
    }
}

#[test]
fn people_page_filters_pages_and_hides_personal_data() {
    for lang in [Lang::Zh, Lang::En] {
        let html = people(lang, false).render().unwrap();
        check_chrome(&html, lang, "/people");
        escaped(&html);
        assert!(html.contains("林建华") && html.contains("党支部书记"));
        assert!(!html.contains("138****5678"), "phone shown without permission");
        assert!(html.contains(r#"<option value="probationary" selected>"#));
        assert!(html.contains(lang.label("共 463 人", "463 people")));
        assert!(html.contains(lang.label("预备党员", "Probationary member")));
        // Page links keep the search, encoded (and then HTML-escaped).
        assert!(html.contains(r#"href="/people?unit=14&#38;q=%E6%9E%97%20%26&#38;category=probationary&#38;page=8""#));
        assert!(html.contains(">24</a>") && html.contains("aria-current=\"page\">7<"));
        assert!(html.contains(lang.label("第 7 页，共 24 页", "Page 7 of 24")));
        let html = people(lang, true).render().unwrap();
        assert!(html.contains("138****5678"));
        assert!(html.contains(lang.label("联系电话", "Phone")));
    }
    let en = people(Lang::En, false).render().unwrap();
    assert!(en.contains(">Female<"));
}

#[test]
fn imports_page_and_reports() {
    for lang in [Lang::Zh, Lang::En] {
        let html = imports(lang, None).render().unwrap();
        check_chrome(&html, lang, "/imports");
        for href in [
            "/imports/units/template.xlsx",
            "/imports/units/template.csv",
            "/imports/people/export.xlsx",
            "/imports/people/export.csv",
        ] {
            assert!(html.contains(href), "{href}");
        }
        assert!(html.contains(r#"action="/imports/people" enctype="multipart/form-data""#));
        assert!(html.contains(r#"type="file" name="file""#));
        assert_eq!(html.matches(r#"name="csrf" value="tok-123""#).count(), 3);

        let html = imports(lang, Some(failed_report())).render().unwrap();
        escaped(&html);
        assert!(html.contains("第 12 行 C 列（人员类别）"));
        assert!(html.contains(lang.label("未写入任何数据", "nothing was written")));
        assert!(html.contains(lang.label("3 处错误", "3 errors")));

        let ok = ImportReport {
            ok: true,
            kind: "units".into(),
            rows: 236,
            created: 200,
            updated: 36,
            warnings: vec![],
            errors: vec![],
        };
        let html = imports(lang, Some(ok)).render().unwrap();
        assert!(html.contains(lang.label("已写入 236 行", "236 rows written")));
        assert!(html.contains(lang.label("组织 ·", "Units ·")));
    }
}

#[test]
fn login_is_standalone() {
    for lang in [Lang::Zh, Lang::En] {
        let html = login(lang, Some("用户名或密码不正确 <b>")).render().unwrap();
        check_layout(&html, lang);
        assert!(!html.contains("sidenav") && !html.contains("/logout"));
        assert!(html.contains(r#"action="/login""#));
        assert!(html.contains(r#"name="csrf" value="tok-login""#));
        assert!(html.contains(r#"name="next" value="/org?q=福州""#));
        assert!(html.contains(r#"value="linxy""#));
        assert!(html.contains("用户名或密码不正确 &#60;b&#62;"));
        assert!(html.contains(lang.label("密码", "Password")));
        let other = lang.other().code();
        assert!(html.contains(&format!("/lang/{other}?next=%2Flogin%3Fnext%3D%252Forg")));
    }
}

#[test]
fn error_page_with_and_without_chrome() {
    for lang in [Lang::Zh, Lang::En] {
        let html = error(lang, true).render().unwrap();
        check_chrome(&html, lang, "/org");
        assert!(html.contains(">404<") && html.contains(lang.t("error.404.title")));
        let html = error(lang, false).render().unwrap();
        check_layout(&html, lang);
        assert!(!html.contains("sidenav") && html.contains(r#"href="/login""#));
    }
}

#[test]
fn flash_is_shown_and_escaped() {
    let mut page = imports(Lang::Zh, None);
    page.chrome.flash = Some("已保存 <i>".into());
    let html = page.render().unwrap();
    assert!(html.contains(r#"<div class="alert alert-success" role="status">已保存 &#60;i&#62;</div>"#));
}

#[test]
fn formatting_helpers() {
    assert_eq!(thousands(0), "0");
    assert_eq!(thousands(179), "179");
    assert_eq!(thousands(1711), "1,711");
    assert_eq!(thousands(150_000), "150,000");
    assert_eq!(thousands(-1_234_567), "-1,234,567");
    assert_eq!(format_value(Value::Count(4312)), "4,312");
    assert_eq!(format_value(Value::Rate(1.0)), "100%");
    assert_eq!(format_value(Value::Rate(0.7318)), "73.2%");
    assert_eq!(format_value(Value::Rate(0.73)), "73%");
    assert_eq!(format_value(Value::Rate(0.99996)), "99.9%");
    assert_eq!(format_value(Value::Rate(0.0)), "0%");
    assert_eq!(format_value(Value::Mean(100.0)), "100");
    assert_eq!(format_value(Value::Mean(62.25)), "62.2");
    assert_eq!(encode("/org?q=福 州&x"), "%2Forg%3Fq%3D%E7%A6%8F%20%E5%B7%9E%26x");
    assert_eq!(
        tiles(&qizhi_core::figures::compute(&[], qizhi_core::figures::Span { from: 2024, to: 2024 })).len(),
        FIGURES.len()
    );
}

#[test]
fn pager_windows() {
    let pages = |p, n| -> Vec<i64> { pager(p, n, |i| i.to_string()).links.iter().map(|l| l.page).collect() };
    assert_eq!(pages(1, 1), vec![1]);
    assert_eq!(pages(1, 5), vec![1, 2, 3, 4, 5]);
    assert_eq!(pages(7, 24), vec![1, 0, 5, 6, 7, 8, 9, 0, 24]);
    assert_eq!(pages(24, 24), vec![1, 0, 22, 23, 24]);
    let p = pager(1, 3, |i| format!("?page={i}"));
    assert_eq!((p.prev, p.next.as_deref()), (None, Some("?page=2")));
    assert!(pager(99, 3, |i| i.to_string()).links.iter().any(|l| l.current && l.page == 3));
}

#[test]
fn every_nav_item_is_complete() {
    let mut keys = std::collections::HashSet::new();
    for item in NAV {
        assert!(keys.insert(item.key) && item.href.starts_with('/') && !item.icon.is_empty());
    }
}
