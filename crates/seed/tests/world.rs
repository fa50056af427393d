//! The seed world against the article and the store's rules: exact figures,
//! a well-formed tree, valid records, determinism and sizes per scale.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use qizhi_core::date::iso;
use qizhi_core::grid::{GridInput, ScenarioInput};
use qizhi_core::org::{UnitInput, UnitKind, UnitStatus};
use qizhi_core::person::{Category, Gender, PersonInput};
use qizhi_seed::{AS_OF, Scale, World, world};

fn demo() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| world(Scale::Demo))
}

fn group() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| world(Scale::Group))
}

fn province() -> &'static World {
    static W: OnceLock<World> = OnceLock::new();
    W.get_or_init(|| world(Scale::Province))
}

/// Lookups over a world's units.
struct Index<'a> {
    w: &'a World,
    by_code: HashMap<&'a str, usize>,
    /// The provincial-level unit each unit lies under (itself for those; "" for the root).
    top: Vec<&'a str>,
    depth: Vec<usize>,
}

impl<'a> Index<'a> {
    fn new(w: &'a World) -> Self {
        let mut by_code = HashMap::new();
        let mut top = Vec::new();
        let mut depth = Vec::new();
        for (i, u) in w.units.iter().enumerate() {
            let code = u.fields.code.as_str();
            assert!(by_code.insert(code, i).is_none(), "duplicate unit code {code}");
            match u.parent_code.as_deref() {
                None => {
                    top.push("");
                    depth.push(0);
                }
                Some(p) => {
                    let pi = *by_code.get(p).unwrap_or_else(|| panic!("{code}: parent {p} not listed before it"));
                    let parent = &w.units[pi].fields;
                    assert!(
                        u.fields.kind.may_be_under(parent.kind),
                        "{code}: {:?} under {:?}",
                        u.fields.kind,
                        parent.kind
                    );
                    top.push(if depth[pi] == 0 { code } else { top[pi] });
                    depth.push(depth[pi] + 1);
                }
            }
        }
        Index { w, by_code, top, depth }
    }

    fn unit(&self, code: &str) -> &'a qizhi_seed::SeedUnit {
        &self.w.units[*self.by_code.get(code).unwrap_or_else(|| panic!("no unit {code}"))]
    }

    fn top_of(&self, code: &str) -> &'a str {
        self.top[self.by_code[code]]
    }

    fn is_active_branch(&self, code: &str) -> bool {
        self.by_code.get(code).is_some_and(|&i| {
            let f = &self.w.units[i].fields;
            f.kind == UnitKind::Branch && f.status == UnitStatus::Active
        })
    }

    fn active_branches(&self, top: &str) -> usize {
        self.w
            .units
            .iter()
            .enumerate()
            .filter(|(i, u)| {
                self.top[*i] == top && u.fields.kind == UnitKind::Branch && u.fields.status == UnitStatus::Active
            })
            .count()
    }

    fn members(&self, top: &str) -> usize {
        self.w.people.iter().filter(|p| p.fields.category.is_member() && self.top_of(&p.unit_code) == top).count()
    }
}

/// The article's figures, which every scale reproduces exactly.
fn assert_article_figures(w: &World) {
    let ix = Index::new(w);
    assert_eq!(ix.active_branches("FJ"), 179, "福建 179 个党支部");
    assert_eq!(ix.active_branches("NM"), 301, "内蒙古 301 个基层党支部");
    let nm_grids: Vec<_> = w.grids.iter().filter(|g| ix.top_of(&g.unit_code) == "NM").collect();
    assert_eq!(nm_grids.len(), 1711, "内蒙古 1711 个基层网格");
    for g in nm_grids {
        let contact = g.contact_unit_code.as_deref().expect("every NM grid covered");
        assert!(ix.is_active_branch(contact), "{contact} is a branch");
        assert_eq!(ix.top_of(contact), "NM");
    }
    let gz_scenarios = w.scenarios.iter().filter(|s| ix.top_of(&s.unit_code) == "GZ").count();
    assert_eq!(gz_scenarios, 20, "贵州 20 个生产场景");
    assert_eq!(ix.members("GZ"), 1989, "贵州 1989 名党员");
    let gz_people = w.people.iter().filter(|p| ix.top_of(&p.unit_code) == "GZ").count();
    assert!(gz_people > 1989, "贵州 also has league members and staff");
}

/// Every reference resolves and every code that must be unique is.
fn assert_well_formed(w: &World) {
    let ix = Index::new(w);
    assert_eq!(w.units.iter().filter(|u| u.parent_code.is_none()).count(), 1);
    assert_eq!(w.units[0].fields.code, "CU");
    for p in &w.people {
        assert!(ix.is_active_branch(&p.unit_code), "person in {}", p.unit_code);
    }
    let mut grid_codes = HashSet::new();
    for g in &w.grids {
        assert!(grid_codes.insert(&g.fields.code), "duplicate grid {}", g.fields.code);
        assert_eq!(ix.unit(&g.unit_code).fields.kind, UnitKind::Committee);
        if let Some(c) = &g.contact_unit_code {
            assert!(ix.is_active_branch(c), "contact {c}");
            assert_eq!(ix.top_of(c), ix.top_of(&g.unit_code));
        }
    }
    let mut scenario_codes = HashSet::new();
    for s in &w.scenarios {
        assert!(scenario_codes.insert(&s.fields.code), "duplicate scenario {}", s.fields.code);
        ix.unit(&s.unit_code);
    }
    let mut ids = HashSet::new();
    let mut phones = HashSet::new();
    for p in &w.people {
        assert!(ids.insert(p.fields.id_number.as_deref().unwrap()), "duplicate ID number");
        assert!(phones.insert(p.fields.phone.as_deref().unwrap()), "duplicate phone");
    }
    for u in &w.units {
        let f = &u.fields;
        assert!(f.founded.is_some_and(|d| d <= AS_OF), "{}", f.code);
        if let Some(parent) = u.parent_code.as_deref() {
            assert!(f.founded >= ix.unit(parent).fields.founded, "{} founded before {parent}", f.code);
        }
    }
}

/// Every record goes through the same validation as typed input and comes out unchanged.
fn assert_valid(w: &World) {
    for u in &w.units {
        let f = &u.fields;
        let input = UnitInput {
            code: f.code.clone(),
            name: f.name.clone(),
            short_name: f.short_name.clone(),
            kind: f.kind.code().into(),
            sort_order: Some(f.sort_order),
            founded: f.founded.map(iso),
            status: Some(f.status.code().into()),
        };
        assert_eq!(&input.validate().unwrap(), f);
    }
    for p in &w.people {
        let f = &p.fields;
        let input = PersonInput {
            name: f.name.clone(),
            gender: f.gender.map(|g| g.zh().into()),
            category: f.category.zh().into(),
            join_date: f.join_date.map(iso),
            post: f.post.clone(),
            birth_date: f.birth_date.map(iso),
            phone: f.phone.clone(),
            id_number: f.id_number.clone(),
        };
        assert_eq!(&input.validate().unwrap_or_else(|e| panic!("{f:?}: {e}")), f);
    }
    for g in &w.grids {
        let input = GridInput { code: g.fields.code.clone(), name: g.fields.name.clone() };
        assert_eq!(input.validate().unwrap(), g.fields);
    }
    for s in &w.scenarios {
        let input = ScenarioInput {
            code: s.fields.code.clone(),
            name: s.fields.name.clone(),
            description: s.fields.description.clone(),
        };
        assert_eq!(input.validate().unwrap(), s.fields);
    }
}

/// What makes people realistic beyond validity.
fn assert_people_plausible(w: &World) {
    let mut per_branch: HashMap<&str, (usize, usize)> = HashMap::new();
    for p in &w.people {
        let f = &p.fields;
        let birth = f.birth_date.unwrap();
        let id = f.id_number.as_deref().unwrap();
        let born = iso(birth).replace('-', "");
        assert_eq!(&id[6..14], born, "ID number carries the birth date");
        let male = (id.as_bytes()[16] - b'0') % 2 == 1;
        assert_eq!(male, f.gender == Some(Gender::Male), "ID number parity is the gender");
        let phone = f.phone.as_deref().unwrap();
        assert!(phone.len() == 11 && phone.starts_with('1') && (b'3'..=b'9').contains(&phone.as_bytes()[1]));
        assert!(birth < AS_OF);
        match f.join_date {
            Some(j) => {
                assert!(f.category.is_member());
                assert!(j <= AS_OF);
                let at18 = birth.replace_year(birth.year() + 18).unwrap_or(birth);
                assert!(j >= at18, "joined before 18: {f:?}");
                if f.category == Category::Probationary {
                    assert!((AS_OF - j).whole_days() < 366, "probation lasts a year");
                }
            }
            None => assert!(!f.category.is_member()),
        }
        if f.category == Category::League {
            assert!(AS_OF.year() - birth.year() <= 28, "league members are young");
        }
        let entry = per_branch.entry(p.unit_code.as_str()).or_default();
        entry.0 += 1;
        if f.post.as_deref() == Some("支部书记") {
            assert_eq!(f.category, Category::Full, "secretaries are full members");
            entry.1 += 1;
        }
    }
    let ix = Index::new(w);
    let branches = w.units.iter().filter(|u| ix.is_active_branch(&u.fields.code)).count();
    assert_eq!(per_branch.len(), branches, "every active branch has people");
    for (code, (people, secretaries)) in per_branch {
        assert!((8..=25).contains(&people), "{code}: {people} people");
        assert_eq!(secretaries, 1, "{code}: one secretary");
    }
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

#[test]
fn the_world_is_the_same_on_every_run() {
    assert_eq!(world(Scale::Demo), *demo());
    let w = province();
    let print = format!("{:?}{:?}{:?}{:?}", w.units, w.people, w.grids, w.scenarios);
    // Pins the output across processes and machines. If a change to the
    // generator is intended, update the number (and say so in the commit).
    assert_eq!(fnv(&print), 8_670_312_478_902_503_330, "the Province world changed");
}

#[test]
fn demo_reproduces_the_article() {
    assert_article_figures(demo());
}

#[test]
fn province_reproduces_the_article() {
    assert_article_figures(province());
    assert_well_formed(province());
}

#[test]
fn group_reproduces_the_article() {
    assert_article_figures(group());
}

#[test]
fn demo_is_well_formed_and_valid() {
    assert_well_formed(demo());
    assert_valid(demo());
    assert_people_plausible(demo());
}

#[test]
fn group_is_well_formed_and_valid() {
    assert_well_formed(group());
    assert_valid(group());
    assert_people_plausible(group());
}

#[test]
fn the_article_units_are_all_there() {
    for w in [demo(), group()] {
        let ix = Index::new(w);
        let root = ix.unit("CU");
        assert_eq!(root.fields.name, "中国联通集团党组");
        assert_eq!(root.fields.kind, UnitKind::Leadership);
        let provincial = [
            "SD", "JX", "ZJ", "HA", "FJ", "NM", "GZ", "JS", "GD", "HL", "HE", "TJ", "HI", "BJ", "AH", "SH", "HS", "ZX",
            "YJY",
        ];
        for code in provincial {
            let u = ix.unit(code);
            assert_eq!(u.parent_code.as_deref(), Some("CU"));
            assert_eq!(u.fields.kind, UnitKind::Committee);
        }
        assert_eq!(ix.unit("FJ").fields.name, "中共中国联通福建省分公司委员会");
        assert_eq!(ix.unit("FJ").fields.short_name.as_deref(), Some("福建联通"));
        assert_eq!(ix.unit("HS").fields.short_name.as_deref(), Some("联通华盛"));
        for (code, parent, short) in
            [("JX08", "JX", "吉安联通"), ("ZJ04", "ZJ", "嘉兴联通"), ("HA01", "HA", "郑州联通")]
        {
            let u = ix.unit(code);
            assert_eq!(u.parent_code.as_deref(), Some(parent));
            assert_eq!(u.fields.short_name.as_deref(), Some(short));
        }
        for (code, parent, kind, name) in [
            ("BJ-YYZC", "BJ", UnitKind::GeneralBranch, "北京联通运营支撑中心党总支"),
            ("YJY-FZD", "YJY", UnitKind::Branch, "联通研究院泛终端研究中心党支部"),
            ("AH-ZSKF", "AH", UnitKind::Branch, "安徽联通省分直属客服支部"),
            ("ZX-XWKJ", "ZX", UnitKind::GeneralBranch, "联通在线小沃科技党总支"),
        ] {
            let u = ix.unit(code);
            assert_eq!(u.parent_code.as_deref(), Some(parent));
            assert_eq!(u.fields.kind, kind);
            assert_eq!(u.fields.name, name);
        }
        let fj_cities: Vec<_> =
            (1..=9).map(|i| ix.unit(&format!("FJ{i:02}")).fields.short_name.clone().unwrap()).collect();
        assert_eq!(
            fj_cities.join(" "),
            "福州联通 厦门联通 莆田联通 三明联通 泉州联通 漳州联通 南平联通 龙岩联通 宁德联通"
        );
        assert_eq!(ix.unit("NM12").fields.short_name.as_deref(), Some("阿拉善盟联通"));
        assert_eq!(ix.unit("GZ09").fields.short_name.as_deref(), Some("黔南州联通"));
        assert!(w.units.iter().any(|u| u.fields.kind == UnitKind::PartyGroup));
    }
}

#[test]
fn demo_is_moderate() {
    let w = demo();
    let ix = Index::new(w);
    let branches = w.units.iter().filter(|u| ix.is_active_branch(&u.fields.code)).count();
    assert!((2_000..=3_000).contains(&branches), "{branches} branches");
    assert!((30_000..=45_000).contains(&w.people.len()), "{} people", w.people.len());
    let provincial = ix.depth.iter().filter(|d| **d == 1).count();
    assert_eq!(provincial, 39);
}

#[test]
fn group_has_the_benchmark_size() {
    let w = group();
    let ix = Index::new(w);
    let branches = w.units.iter().filter(|u| ix.is_active_branch(&u.fields.code)).count();
    assert_eq!(branches, 10_000);
    let people = w.people.len();
    assert!((142_500..=157_500).contains(&people), "{people} people");
    let provincial = ix.depth.iter().filter(|d| **d == 1).count();
    assert!((34..=40).contains(&provincial), "{provincial} provincial-level units");
    let municipal =
        w.units.iter().zip(&ix.depth).filter(|(u, d)| **d == 2 && u.fields.kind == UnitKind::Committee).count();
    assert!((350..=450).contains(&municipal), "{municipal} municipal committees");
}

#[test]
fn the_article_provinces_are_the_same_in_every_scale() {
    let subtree = |w: &'static World, top: &str| {
        let ix = Index::new(w);
        let units: Vec<_> = w.units.iter().filter(|u| ix.top_of(&u.fields.code) == top).cloned().collect();
        let grids: Vec<_> = w.grids.iter().filter(|g| ix.top_of(&g.unit_code) == top).cloned().collect();
        let scenarios: Vec<_> = w.scenarios.iter().filter(|s| ix.top_of(&s.unit_code) == top).cloned().collect();
        (units, grids, scenarios)
    };
    for top in ["FJ", "NM", "GZ"] {
        assert!(subtree(province(), top) == subtree(demo(), top), "{top}: Province vs Demo");
        assert!(subtree(province(), top) == subtree(group(), top), "{top}: Province vs Group");
    }
}
