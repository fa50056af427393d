//! Party-building brands (党建品牌) and the brand matrix (品牌矩阵): a brand
//! owned by a unit, its structure (a tree of named elements), its lifecycle
//! with review (申报 → 初审 → 评审 → 命名), the brand standard (五有) that a
//! mature brand must meet, and honors (荣誉).
//!
//! Everything here is pure: the rules a brand must pass to move up or down,
//! when a standard counts as met, and what a brand and an honor contribute to
//! the figures `brands.*` and `honors.*`. The store persists what these rules
//! decide; the web explains their refusals to people.

pub mod rollup;

pub use rollup::{brand_contributions, honor_contributions};

use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::{Checker, Invalid, optional_text, required_text};
use crate::ids::{BrandId, HonorId, UnitId};

/// Defines a closed set of values with a stable code, Chinese and English
/// labels, and a parser that accepts any of the three (plus aliases).
macro_rules! labelled {
    (
        $(#[$m:meta])*
        $name:ident, $what_zh:literal, $what_en:literal {
            $($(#[$vm:meta])* $variant:ident = $code:literal, $zh:literal, $en:literal $(, [$($alias:literal),*])?;)*
        }
    ) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $variant),* }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),*];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),* }
            }

            pub fn zh(self) -> &'static str {
                match self { $($name::$variant => $zh),* }
            }

            pub fn en(self) -> &'static str {
                match self { $($name::$variant => $en),* }
            }

            /// Accepts the code, either label (English in any case) or an alias.
            pub fn parse(value: &str) -> Result<Self, String> {
                let v = value.trim();
                $(
                    if v == $code || v == $zh || v.eq_ignore_ascii_case($en) $($(|| v == $alias)*)? {
                        return Ok($name::$variant);
                    }
                )*
                let zh: Vec<&str> = Self::ALL.iter().map(|x| x.zh()).collect();
                Err(format!(
                    "未知的{} “{v}”，应为 {} (unknown {})",
                    $what_zh,
                    zh.join("/"),
                    $what_en
                ))
            }
        }
    };
}

labelled! {
    /// 品牌类别.
    BrandCategory, "品牌类别", "brand category" {
        /// 党建品牌: a unit's party-building brand.
        Unit = "unit", "党建品牌", "Unit brand", ["单位品牌"];
        /// 党建活动品牌 (七强七力).
        Activity = "activity", "党建活动品牌", "Activity brand", ["活动品牌"];
        /// 党建共建品牌 (联通·红纽带).
        Cobuilding = "cobuilding", "党建共建品牌", "Co-building brand", ["共建品牌"];
        /// 支部品牌 (端之重器).
        Branch = "branch", "支部品牌", "Branch brand", ["党支部品牌"];
    }
}

impl BrandCategory {
    /// The figure counting brands of this category.
    pub fn counter(self) -> &'static str {
        match self {
            BrandCategory::Unit => "brands.category.unit",
            BrandCategory::Activity => "brands.category.activity",
            BrandCategory::Cobuilding => "brands.category.cobuilding",
            BrandCategory::Branch => "brands.category.branch",
        }
    }
}

labelled! {
    /// Where a brand stands in its lifecycle, lowest first.
    BrandStatus, "品牌状态", "brand status" {
        /// 草稿: recorded, not yet submitted.
        Draft = "draft", "草稿", "Draft";
        /// 培育: being cultivated.
        Cultivating = "cultivating", "培育", "Cultivating", ["培育中"];
        /// 创建: established and named.
        Established = "established", "创建", "Established", ["命名", "已命名", "创建命名"];
        /// 成熟: mature; needs its standard met and a reviewer's approval.
        Mature = "mature", "成熟", "Mature", ["成熟品牌"];
        /// 示范: exemplary (标杆).
        Exemplary = "exemplary", "示范", "Exemplary", ["标杆", "示范品牌"];
    }
}

impl BrandStatus {
    /// The status one step up, if any.
    pub fn next(self) -> Option<BrandStatus> {
        let all = Self::ALL;
        all.iter().position(|s| *s == self).and_then(|i| all.get(i + 1)).copied()
    }

    /// Mature or exemplary: what the article's "成熟党建品牌近百个" counts.
    pub fn is_mature_or_better(self) -> bool {
        self >= BrandStatus::Mature
    }

    /// The figure counting brands at this status.
    pub fn counter(self) -> &'static str {
        match self {
            BrandStatus::Draft => "brands.status.draft",
            BrandStatus::Cultivating => "brands.status.cultivating",
            BrandStatus::Established => "brands.status.established",
            BrandStatus::Mature => "brands.status.mature",
            BrandStatus::Exemplary => "brands.status.exemplary",
        }
    }
}

labelled! {
    /// The kind of an element of a brand's structure. The article's
    /// structures all fit: 五心 are concepts, 三项工程 projects, 五支队伍
    /// teams, 三类课堂 classrooms, 三个阵地 sites, 三个机制 mechanisms, the
    /// seven steps of 七强七力 steps, 1+3+N a thought, guarantees and carriers.
    ElementKind, "元素类型", "element kind" {
        /// 分组: a named set of elements (三项工程, 五支队伍).
        Group = "group", "分组", "Group";
        Concept = "concept", "理念", "Concept", ["内涵"];
        /// 指导思想 (the "1" of 1+3+N).
        Thought = "thought", "指导思想", "Guiding thought";
        Project = "project", "工程", "Project", ["项目"];
        Team = "team", "队伍", "Team", ["团队"];
        Classroom = "classroom", "课堂", "Classroom";
        Site = "site", "阵地", "Site";
        Mechanism = "mechanism", "机制", "Mechanism", ["制度"];
        Action = "action", "行动", "Action", ["活动"];
        Carrier = "carrier", "载体", "Carrier";
        Guarantee = "guarantee", "保障", "Guarantee";
        Step = "step", "步骤", "Step";
        Other = "other", "其他", "Other";
    }
}

labelled! {
    /// The stage an open application has reached (申报 → 初审 → 评审; the
    /// next approval names the brand).
    ReviewStage, "审核阶段", "review stage" {
        /// 申报: submitted by the owner, waiting for the preliminary review.
        Submitted = "submitted", "已申报", "Submitted";
        /// 初审: passed the preliminary review, waiting for the evaluation.
        Preliminary = "preliminary", "初审通过", "Passed preliminary review";
        /// 评审: passed the evaluation, waiting to be named.
        Evaluated = "evaluated", "评审通过", "Passed evaluation";
    }
}

impl ReviewStage {
    /// The stage after one more approval; `None` means the next approval names the brand.
    pub fn after_approval(self) -> Option<ReviewStage> {
        match self {
            ReviewStage::Submitted => Some(ReviewStage::Preliminary),
            ReviewStage::Preliminary => Some(ReviewStage::Evaluated),
            ReviewStage::Evaluated => None,
        }
    }

    /// What the reviewer does at this stage: 初审, 评审 or 命名.
    pub fn step_zh(self) -> &'static str {
        match self {
            ReviewStage::Submitted => "初审",
            ReviewStage::Preliminary => "评审",
            ReviewStage::Evaluated => "命名",
        }
    }

    pub fn step_en(self) -> &'static str {
        match self {
            ReviewStage::Submitted => "preliminary review",
            ReviewStage::Preliminary => "evaluation",
            ReviewStage::Evaluated => "naming",
        }
    }
}

labelled! {
    /// One entry of a brand's history.
    EventKind, "记录类型", "event kind" {
        /// 创建: recorded as a draft.
        Created = "created", "创建记录", "Recorded";
        /// 申报: the owner applied to move up.
        Applied = "applied", "申报", "Applied";
        /// 初审: the preliminary review passed.
        Preliminary = "preliminary", "初审通过", "Passed preliminary review";
        /// 评审: the evaluation passed.
        Evaluated = "evaluated", "评审通过", "Passed evaluation";
        /// 命名: the brand moved up.
        Named = "named", "命名", "Named";
        /// 退回: the application was returned with comments.
        Returned = "returned", "退回", "Returned";
        /// 降级: moved down after review.
        Demoted = "demoted", "降级", "Moved down";
        /// 迭代升级: a version of concept and structure was kept.
        Version = "version", "迭代升级", "New version";
    }
}

impl EventKind {
    /// Whether the event sets the brand's status (its `to` is the new status).
    pub fn changes_status(self) -> bool {
        matches!(self, EventKind::Created | EventKind::Named | EventKind::Demoted)
    }
}

labelled! {
    /// 荣誉级别.
    HonorLevel, "荣誉级别", "honor level" {
        National = "national", "国家级", "National", ["全国", "国家"];
        /// 中央企业级 (中央企业青年文明号).
        CentralSoe = "central_soe", "中央企业级", "Central SOE", ["央企级", "中央企业"];
        /// 省部级 (北京市工人先锋号, 天津市文明单位).
        Provincial = "provincial", "省部级", "Provincial", ["省级"];
        Municipal = "municipal", "地市级", "Municipal", ["市级"];
        /// 集团级.
        Group = "group", "集团级", "Group";
        /// 单位内部.
        Internal = "internal", "单位内部", "Internal", ["内部"];
    }
}

impl HonorLevel {
    pub fn counter(self) -> &'static str {
        match self {
            HonorLevel::National => "honors.level.national",
            HonorLevel::CentralSoe => "honors.level.central_soe",
            HonorLevel::Provincial => "honors.level.provincial",
            HonorLevel::Municipal => "honors.level.municipal",
            HonorLevel::Group => "honors.level.group",
            HonorLevel::Internal => "honors.level.internal",
        }
    }
}

labelled! {
    /// Who holds an honor.
    HolderKind, "获得者类型", "holder kind" {
        Brand = "brand", "品牌", "Brand";
        Unit = "unit", "组织", "Unit", ["单位", "集体"];
        /// A team (突击队, 班组 …): kept by name, not linked.
        Team = "team", "团队", "Team", ["班组", "队伍"];
        Person = "person", "个人", "Person";
    }
}

labelled! {
    /// What a piece of evidence for a standard item is.
    EvidenceKind, "佐证类型", "evidence kind" {
        File = "file", "文件", "File", ["文档"];
        Photo = "photo", "照片", "Photo", ["图片"];
        Text = "text", "文字说明", "Text", ["文字", "说明"];
        /// A figure computed from records (`org.branches`, `grids.coverage_rate` …).
        Figure = "figure", "统计数字", "Figure", ["数字", "指标"];
    }
}

// ---------------------------------------------------------------------------
// Brand fields

/// A brand's own fields, validated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BrandFields {
    /// 品牌编码: unique, like a unit code (`ZJ04-B01`).
    pub code: String,
    pub name: String,
    pub category: BrandCategory,
    /// 品牌口号.
    pub slogan: Option<String>,
    /// 品牌理念 / 内涵.
    pub concept: Option<String>,
    /// 红色传承: the red heritage it draws on (红船精神, 井冈山精神 …).
    pub heritage: Option<String>,
    /// 创建年份.
    pub founded_year: Option<i32>,
    /// Figures shown with the brand (`FIGURES.md` keys).
    pub figures: Vec<String>,
}

/// Brand fields as typed. `code` may be left empty where the caller makes one.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct BrandInput {
    pub code: String,
    pub name: String,
    pub category: String,
    pub slogan: Option<String>,
    pub concept: Option<String>,
    pub heritage: Option<String>,
    pub founded_year: Option<String>,
    pub figures: Vec<String>,
}

impl BrandInput {
    pub fn validate(&self) -> Result<BrandFields, Invalid> {
        let mut c = Checker::default();
        let code = c.take("code", crate::org::parse_code(&self.code));
        let name = c.take("name", required_text(&self.name, 50));
        let category = c.take("category", BrandCategory::parse(&self.category));
        let slogan = c.take("slogan", optional_text(self.slogan.as_deref(), 100));
        let concept = c.take("concept", optional_text(self.concept.as_deref(), 2000));
        let heritage = c.take("heritage", optional_text(self.heritage.as_deref(), 50));
        let founded_year = c.take("founded_year", parse_year(self.founded_year.as_deref()));
        let figures = c.take("figures", parse_figures(&self.figures));
        c.finish()?;
        Ok(BrandFields {
            code: code.unwrap(),
            name: name.unwrap(),
            category: category.unwrap(),
            slogan: slogan.unwrap(),
            concept: concept.unwrap(),
            heritage: heritage.unwrap(),
            founded_year: founded_year.unwrap(),
            figures: figures.unwrap(),
        })
    }
}

/// An optional year between 1921 (the Party's founding) and 2200.
pub fn parse_year(value: Option<&str>) -> Result<Option<i32>, String> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => {
            let y: i32 = v
                .trim_end_matches('年')
                .parse()
                .map_err(|_| format!("年份应为四位数字，而不是 “{v}” (year must be four digits)"))?;
            if (1921..=2200).contains(&y) {
                Ok(Some(y))
            } else {
                Err(format!("年份 {y} 不在 1921 到 2200 之间 (year out of range)"))
            }
        }
    }
}

/// Figure keys shown with a brand: each a published figure, at most 12, no repeats.
pub fn parse_figures(keys: &[String]) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for k in keys.iter().flat_map(|k| k.split([',', '，', ' ', ';', '；'])).map(str::trim).filter(|k| !k.is_empty()) {
        if crate::figures::figure(k).is_none() {
            return Err(format!("未知的统计数字 “{k}” (unknown figure)"));
        }
        if !out.iter().any(|o| o == k) {
            out.push(k.to_string());
        }
    }
    if out.len() > 12 {
        return Err("关联的统计数字最多 12 项 (at most 12 figures)".into());
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// Records

/// A brand as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Brand {
    pub id: BrandId,
    /// The owner (its unit admins keep it; its parent's reviewers decide on it).
    pub unit_id: UnitId,
    /// The main brand this one belongs to in the matrix ("1+9").
    pub parent_id: Option<BrandId>,
    #[serde(flatten)]
    pub fields: BrandFields,
    pub logo_file_id: Option<i64>,
    pub status: BrandStatus,
    pub status_since: Date,
    /// The open application: the status applied for, the stage reached, the day applied.
    pub app_target: Option<BrandStatus>,
    pub app_stage: Option<ReviewStage>,
    pub app_on: Option<Date>,
    /// When every item of the standard applying to it was confirmed; `None`: not met.
    pub standard_met_on: Option<Date>,
    /// The latest version kept (0: none yet).
    pub version: i32,
    pub created_on: Date,
}

impl Brand {
    /// The year `brands.total` counts it from: founded, else recorded.
    pub fn counted_from(&self) -> i32 {
        self.fields.founded_year.unwrap_or(self.created_on.year())
    }
}

/// One element of a brand's structure as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Element {
    pub id: i64,
    pub brand_id: BrandId,
    pub parent_id: Option<i64>,
    pub sort_order: i32,
    #[serde(flatten)]
    pub fields: ElementFields,
}

/// Stored elements (any order) as trees, siblings by `sort_order`.
pub fn element_tree(elements: &[Element]) -> Vec<ElementTree> {
    fn under(all: &[Element], parent: Option<i64>) -> Vec<ElementTree> {
        let mut kids: Vec<&Element> = all.iter().filter(|e| e.parent_id == parent).collect();
        kids.sort_by_key(|e| (e.sort_order, e.id));
        kids.into_iter().map(|e| ElementTree { fields: e.fields.clone(), children: under(all, Some(e.id)) }).collect()
    }
    under(elements, None)
}

/// One entry of a brand's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BrandEvent {
    pub seq: i32,
    pub kind: EventKind,
    pub on: Date,
    /// Epoch milliseconds when it was recorded.
    pub at: i64,
    pub from: Option<BrandStatus>,
    pub to: Option<BrandStatus>,
    pub comment: Option<String>,
    pub actor: Option<String>,
    /// The version this step kept or refers to.
    pub version: Option<i32>,
}

/// The status changes of a history, in order.
pub fn status_changes(events: &[BrandEvent]) -> Vec<StatusChange> {
    let mut ev: Vec<&BrandEvent> = events.iter().filter(|e| e.kind.changes_status()).collect();
    ev.sort_by_key(|e| e.seq);
    ev.iter().filter_map(|e| e.to.map(|to| StatusChange { on: e.on, to })).collect()
}

/// A brand standard issued by a unit for its subtree.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standard {
    pub id: i64,
    /// The issuing unit.
    pub unit_id: UnitId,
    pub name: String,
    pub issued_on: Date,
    pub items: Vec<StandardItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StandardItem {
    pub id: i64,
    pub title: String,
    pub description: Option<String>,
}

/// The standard applying to a unit's brands: issued by the nearest unit
/// strictly above it (the root's own brands take the root's). A unit never
/// sets the yardstick for its own brands.
pub fn applicable_issuer(owner_lineage: &[UnitId], issuers: &[UnitId]) -> Option<UnitId> {
    let above = match owner_lineage.len() {
        0 => return None,
        1 => owner_lineage,
        n => &owner_lineage[..n - 1],
    };
    above.iter().rev().find(|u| issuers.contains(u)).copied()
}

/// A piece of evidence as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    pub id: i64,
    pub brand_id: BrandId,
    pub item_id: i64,
    #[serde(flatten)]
    pub fields: EvidenceFields,
    pub file_id: Option<i64>,
    pub created_at: i64,
    pub created_by: Option<String>,
}

/// An honor as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Honor {
    pub id: HonorId,
    /// The unit it is filed under: its admins keep it, its subtree counts it.
    pub unit_id: UnitId,
    #[serde(flatten)]
    pub fields: HonorFields,
    /// The holder's id for brands, units and people; `None` for teams.
    pub holder_id: Option<i64>,
    /// The brand it was won with (shown on that brand's showcase).
    pub brand_id: Option<BrandId>,
    pub evidence_file_id: Option<i64>,
}

// ---------------------------------------------------------------------------
// Structure

/// An element's own fields, validated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElementFields {
    pub kind: ElementKind,
    /// 名称: 不忘初心, 政治引领工程, 强站位 …
    pub title: String,
    /// 内容: what it means or does.
    pub text: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ElementInput {
    pub kind: String,
    pub title: String,
    pub text: Option<String>,
}

impl ElementInput {
    pub fn validate(&self) -> Result<ElementFields, Invalid> {
        let mut c = Checker::default();
        let kind = c.take("kind", ElementKind::parse(&self.kind));
        let title = c.take("title", required_text(&self.title, 100));
        let text = c.take("text", optional_text(self.text.as_deref(), 1000));
        c.finish()?;
        Ok(ElementFields { kind: kind.unwrap(), title: title.unwrap(), text: text.unwrap() })
    }
}

/// A brand's structure as a tree, in order: how versions keep it, how the
/// API reads and replaces it, and how the showcase draws it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ElementTree {
    #[serde(flatten)]
    pub fields: ElementFields,
    #[serde(default)]
    pub children: Vec<ElementTree>,
}

/// The most elements a structure may have, and the deepest it may nest.
pub const MAX_ELEMENTS: usize = 300;
pub const MAX_DEPTH: usize = 5;

/// Checks the size and depth of a whole structure.
pub fn check_structure(tree: &[ElementTree]) -> Result<(), Invalid> {
    fn walk(nodes: &[ElementTree], depth: usize, count: &mut usize) -> Result<(), Invalid> {
        if !nodes.is_empty() && depth > MAX_DEPTH {
            return Err(Invalid::one("elements", format!("品牌结构最多 {MAX_DEPTH} 层 (at most {MAX_DEPTH} levels)")));
        }
        for n in nodes {
            *count += 1;
            walk(&n.children, depth + 1, count)?;
        }
        Ok(())
    }
    let mut count = 0;
    walk(tree, 1, &mut count)?;
    if count > MAX_ELEMENTS {
        return Err(Invalid::one(
            "elements",
            format!("品牌结构最多 {MAX_ELEMENTS} 个元素 (at most {MAX_ELEMENTS} elements)"),
        ));
    }
    Ok(())
}

/// Parses an outline number (编号) `1`, `2.3`, `1.2.1` of a structure ledger.
pub fn parse_outline(value: &str) -> Result<Vec<u32>, String> {
    let v = value.trim().trim_end_matches(['.', '、']);
    let bad = || format!("编号应为 1、1.2、1.2.3 这样的数字 (outline number like 1.2), 而不是 “{value}”");
    if v.is_empty() {
        return Err(bad());
    }
    let parts: Result<Vec<u32>, _> = v.split(['.', '．']).map(|p| p.trim().parse::<u32>()).collect();
    match parts {
        Ok(p) if p.iter().all(|n| *n > 0) && p.len() <= MAX_DEPTH => Ok(p),
        _ => Err(bad()),
    }
}

/// Builds a tree from outline-numbered elements (`1`, `1.1`, `1.2`, `2`).
/// Siblings are ordered by their number; a number whose parent is missing,
/// or a repeated number, is reported with the position of its entry.
pub fn tree_from_outline(
    mut items: Vec<(usize, Vec<u32>, ElementFields)>,
) -> Result<Vec<ElementTree>, Vec<(usize, String)>> {
    items.sort_by(|a, b| a.1.cmp(&b.1));
    let mut errors = vec![];
    for w in items.windows(2) {
        if w[0].1 == w[1].1 {
            errors.push((w[1].0, format!("编号 {} 重复 (repeated outline number)", outline(&w[1].1))));
        }
    }
    let numbers: std::collections::HashSet<&[u32]> = items.iter().map(|(_, n, _)| n.as_slice()).collect();
    for (at, n, _) in &items {
        if n.len() > 1 && !numbers.contains(&n[..n.len() - 1]) {
            errors.push((
                *at,
                format!("编号 {} 的上级 {} 不存在 (its parent is missing)", outline(n), outline(&n[..n.len() - 1])),
            ));
        }
    }
    if !errors.is_empty() {
        errors.sort();
        return Err(errors);
    }
    fn build(items: &[(usize, Vec<u32>, ElementFields)], prefix: &[u32]) -> Vec<ElementTree> {
        items
            .iter()
            .filter(|(_, n, _)| n.len() == prefix.len() + 1 && n.starts_with(prefix))
            .map(|(_, n, f)| ElementTree { fields: f.clone(), children: build(items, n) })
            .collect()
    }
    Ok(build(&items, &[]))
}

/// `[1, 2, 3]` → `1.2.3`.
pub fn outline(n: &[u32]) -> String {
    n.iter().map(u32::to_string).collect::<Vec<_>>().join(".")
}

/// The structure in outline order with each element's number: `(1.2, fields)`.
pub fn outline_of(tree: &[ElementTree]) -> Vec<(String, &ElementFields)> {
    fn walk<'a>(nodes: &'a [ElementTree], prefix: &mut Vec<u32>, out: &mut Vec<(String, &'a ElementFields)>) {
        for (i, n) in nodes.iter().enumerate() {
            prefix.push(i as u32 + 1);
            out.push((outline(prefix), &n.fields));
            walk(&n.children, prefix, out);
            prefix.pop();
        }
    }
    let mut out = vec![];
    walk(tree, &mut vec![], &mut out);
    out
}

/// What a version keeps: the brand's concept and structure at a moment (迭代升级).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BrandSnapshot {
    pub name: String,
    pub category: BrandCategory,
    pub slogan: Option<String>,
    pub concept: Option<String>,
    pub heritage: Option<String>,
    pub status: BrandStatus,
    pub elements: Vec<ElementTree>,
}

// ---------------------------------------------------------------------------
// The standard (五有)

/// Fujian's "五有" standard, the group's default: (item, what meets it).
pub const WUYOU: [(&str, &str); 5] = [
    ("有形象化标识", "品牌名称、标识（Logo）和口号规范统一，形象直观、易于传播"),
    ("有个性化内涵", "品牌理念和内涵结合本单位组织体系、战略目标和中心工作，特色鲜明"),
    ("有制度化推进", "有创建方案、工作机制和责任分工，品牌建设常态长效推进"),
    ("有可视化阵地", "有展示品牌的党建阵地、活动场所或线上平台"),
    ("有显性化成效", "品牌建设带动党建和业务工作取得可衡量的成效"),
];

/// The default standard's name.
pub const WUYOU_NAME: &str = "党建品牌“五有”标准";

/// A standard's fields as issued, validated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StandardFields {
    pub name: String,
    pub items: Vec<StandardItemFields>,
}

/// One item; `id` keeps an existing item (and its evidence) when a standard is revised.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StandardItemFields {
    pub id: Option<i64>,
    pub title: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct StandardInput {
    pub name: String,
    pub items: Vec<StandardItemInput>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct StandardItemInput {
    pub id: Option<i64>,
    pub title: String,
    pub description: Option<String>,
}

impl StandardInput {
    /// Empty item rows (a blank line of a form) are dropped; at least one item is needed.
    pub fn validate(&self) -> Result<StandardFields, Invalid> {
        let mut c = Checker::default();
        let name = c.take("name", required_text(&self.name, 50));
        let mut items = vec![];
        for (i, it) in self.items.iter().enumerate() {
            if it.title.trim().is_empty() && it.description.as_deref().is_none_or(|d| d.trim().is_empty()) {
                continue;
            }
            let field = format!("items[{i}]");
            let title = c.take(&format!("{field}.title"), required_text(&it.title, 50));
            let description = c.take(&format!("{field}.description"), optional_text(it.description.as_deref(), 500));
            if let (Some(title), Some(description)) = (title, description) {
                if items.iter().any(|x: &StandardItemFields| x.title == title) {
                    c.push(&format!("{field}.title"), format!("条目 “{title}” 重复 (repeated item)"));
                }
                items.push(StandardItemFields { id: it.id, title, description });
            }
        }
        if items.is_empty() {
            c.push("items", "标准至少要有一个条目 (a standard needs at least one item)");
        }
        if items.len() > 20 {
            c.push("items", "标准最多 20 个条目 (at most 20 items)");
        }
        c.finish()?;
        Ok(StandardFields { name: name.unwrap(), items })
    }
}

/// One item of the standard applying to a brand, as the brand stands on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemState {
    pub item_id: i64,
    pub title: String,
    /// Pieces of evidence recorded for it.
    pub evidence: usize,
    /// When a reviewer confirmed it met; `None`: not confirmed.
    pub confirmed_on: Option<Date>,
}

/// A brand against the standard that applies to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StandardState {
    pub name: String,
    pub items: Vec<ItemState>,
}

impl StandardState {
    /// The day the last item was confirmed, when every item is; `None` otherwise
    /// (and for a standard without items).
    pub fn met_on(&self) -> Option<Date> {
        if self.items.is_empty() {
            return None;
        }
        self.items.iter().map(|i| i.confirmed_on).collect::<Option<Vec<Date>>>()?.into_iter().max()
    }

    pub fn is_met(&self) -> bool {
        self.met_on().is_some()
    }

    /// Titles of the items not yet confirmed.
    pub fn unmet(&self) -> Vec<&str> {
        self.items.iter().filter(|i| i.confirmed_on.is_none()).map(|i| i.title.as_str()).collect()
    }
}

/// When a brand meets a standard of `items`, given the confirmations it has.
pub fn standard_met_on(items: &[i64], confirmed: &[(i64, Date)]) -> Option<Date> {
    if items.is_empty() {
        return None;
    }
    items
        .iter()
        .map(|i| confirmed.iter().filter(|(c, _)| c == i).map(|(_, d)| *d).max())
        .collect::<Option<Vec<_>>>()?
        .into_iter()
        .max()
}

// ---------------------------------------------------------------------------
// The lifecycle rules

/// The rule the UI states wherever a brand may move up: zh, en.
pub const MATURITY_RULE: (&str, &str) = (
    "品牌逐级晋升（草稿 → 培育 → 创建 → 成熟 → 示范），每一级都由所属组织申报、上级组织审核人初审、评审、命名。\
     申报或命名“成熟”“示范”品牌，须品牌标准（如“五有”）的每一项都有佐证并经审核人确认达标。",
    "A brand moves up one level at a time (draft → cultivating → established → mature → exemplary); each step is \
     applied for by its unit and reviewed, evaluated and named by a reviewer of the parent unit. A brand can apply \
     for or be named \"mature\" or \"exemplary\" only when every item of its standard (such as 五有) has evidence \
     and has been confirmed met by a reviewer.",
);

/// Why a brand cannot reach `target` with the standard as it stands; `None` if it can.
pub fn standard_refusal(target: BrandStatus, standard: Option<&StandardState>) -> Option<String> {
    if !target.is_mature_or_better() {
        return None;
    }
    match standard {
        None => Some(format!(
            "“{}”品牌须达到品牌标准，但本组织及上级尚未发布品牌标准，请联系上级党委 \
             (a {} brand must meet a brand standard, and none has been issued above this unit)",
            target.zh(),
            target.en().to_lowercase()
        )),
        Some(s) if s.items.is_empty() => Some(format!("品牌标准“{}”没有条目 (the standard has no items)", s.name)),
        Some(s) if !s.is_met() => Some(format!(
            "“{}”品牌须“{}”每一项都经审核确认达标，尚未确认：{} \
             (a {} brand needs every item of its standard confirmed met; not yet confirmed: {})",
            target.zh(),
            s.name,
            s.unmet().join("、"),
            target.en().to_lowercase(),
            s.unmet().join(", ")
        )),
        Some(_) => None,
    }
}

/// The owner applies to move up one level: the target, or why not.
pub fn check_apply(
    current: BrandStatus,
    open: Option<ReviewStage>,
    standard: Option<&StandardState>,
) -> Result<BrandStatus, Invalid> {
    if let Some(stage) = open {
        return Err(Invalid::one(
            "status",
            format!("已有一项申报正在审核（{}），请等待审核结果 (an application is already under review)", stage.zh()),
        ));
    }
    let Some(target) = current.next() else {
        return Err(Invalid::one("status", "已是最高等级“示范”品牌 (already exemplary, the highest level)"));
    };
    if let Some(why) = standard_refusal(target, standard) {
        return Err(Invalid::one("standard", why));
    }
    Ok(target)
}

/// What a reviewer's approval does to an open application.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Approval {
    /// The application passes to the next stage.
    Advance(ReviewStage),
    /// The brand is named at its target status.
    Name(BrandStatus),
}

/// A reviewer approves the application at `stage` for `target`. Naming a
/// mature or exemplary brand needs the standard met at that moment too.
pub fn check_approval(
    stage: Option<ReviewStage>,
    target: Option<BrandStatus>,
    standard: Option<&StandardState>,
) -> Result<Approval, Invalid> {
    let (Some(stage), Some(target)) = (stage, target) else {
        return Err(Invalid::one("status", "该品牌没有待审核的申报 (no application to decide)"));
    };
    match stage.after_approval() {
        Some(next) => Ok(Approval::Advance(next)),
        None => match standard_refusal(target, standard) {
            Some(why) => Err(Invalid::one("standard", why)),
            None => Ok(Approval::Name(target)),
        },
    }
}

/// Returning an application needs one open, and a comment saying why.
pub fn check_return(stage: Option<ReviewStage>, comment: Option<&str>) -> Result<(), Invalid> {
    if stage.is_none() {
        return Err(Invalid::one("status", "该品牌没有待审核的申报 (no application to return)"));
    }
    if comment.is_none_or(|c| c.trim().is_empty()) {
        return Err(Invalid::one("comment", "退回须填写意见 (say why the application is returned)"));
    }
    Ok(())
}

/// Moving down after review: to a lower status, with a comment.
pub fn check_demote(current: BrandStatus, to: BrandStatus, comment: Option<&str>) -> Result<(), Invalid> {
    if to >= current {
        return Err(Invalid::one(
            "to",
            format!("只能降到低于“{}”的等级 (can only move down from {})", current.zh(), current.en().to_lowercase()),
        ));
    }
    if to == BrandStatus::Draft {
        return Err(Invalid::one("to", "不能降为草稿，最低降为“培育” (cannot move back to draft)"));
    }
    if comment.is_none_or(|c| c.trim().is_empty()) {
        return Err(Invalid::one("comment", "降级须填写审核意见 (say why the brand moves down)"));
    }
    Ok(())
}

/// A reviewer confirms an item met only when it has evidence.
pub fn check_confirm(evidence: usize) -> Result<(), Invalid> {
    if evidence == 0 {
        return Err(Invalid::one(
            "item",
            "该条目还没有佐证材料，不能确认达标 (an item needs evidence before it can be confirmed)",
        ));
    }
    Ok(())
}

/// A piece of evidence as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EvidenceInput {
    pub kind: String,
    pub text: Option<String>,
    pub figure_key: Option<String>,
}

/// A validated piece of evidence (files are attached by the caller).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EvidenceFields {
    pub kind: EvidenceKind,
    pub text: Option<String>,
    pub figure_key: Option<String>,
}

impl EvidenceInput {
    /// `has_file`: whether a file came with it (files and photos need one).
    pub fn validate(&self, has_file: bool) -> Result<EvidenceFields, Invalid> {
        let mut c = Checker::default();
        let kind = c.take("kind", EvidenceKind::parse(&self.kind));
        let text = c.take("text", optional_text(self.text.as_deref(), 2000));
        let mut bad_figure = false;
        let figure_key = match self.figure_key.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(k) if crate::figures::figure(k).is_some() => Some(k.to_string()),
            Some(k) => {
                c.push("figure_key", format!("未知的统计数字 “{k}” (unknown figure)"));
                bad_figure = true;
                None
            }
        };
        match kind {
            Some(EvidenceKind::File | EvidenceKind::Photo) if !has_file => {
                c.push("file", "请选择要上传的文件 (choose a file)")
            }
            Some(EvidenceKind::Text) if text.as_ref().is_some_and(Option::is_none) => {
                c.push("text", "请填写文字说明 (write the text)")
            }
            Some(EvidenceKind::Figure) if figure_key.is_none() && !bad_figure => {
                c.push("figure_key", "请选择统计数字 (choose a figure)")
            }
            _ => {}
        }
        c.finish()?;
        Ok(EvidenceFields { kind: kind.unwrap(), text: text.unwrap(), figure_key })
    }
}

// ---------------------------------------------------------------------------
// Whole records as plain data (the seed world)

/// One dated step of a brand's history after it was recorded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryStep {
    pub kind: EventKind,
    pub on: Date,
    pub comment: Option<String>,
    /// For `Demoted`: the status moved down to. Other steps derive theirs.
    pub to: Option<BrandStatus>,
}

impl HistoryStep {
    pub fn new(kind: EventKind, on: Date) -> HistoryStep {
        HistoryStep { kind, on, comment: None, to: None }
    }
}

/// A brand's record beyond its fields, as plain data: when it was recorded,
/// every step since, its structure, and its evidence and confirmations
/// against the standard that applies to it (items by position).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BrandHistory {
    pub created_on: Date,
    pub steps: Vec<HistoryStep>,
    pub elements: Vec<ElementTree>,
    /// (item position, evidence, day recorded)
    pub evidence: Vec<(usize, EvidenceFields, Date)>,
    /// (item position, day a reviewer confirmed it)
    pub confirmed: Vec<(usize, Date)>,
}

/// Where a history leads, with every step checked against the rules.
#[derive(Debug, Clone, PartialEq)]
pub struct Replayed {
    pub status: BrandStatus,
    pub status_since: Date,
    pub app_target: Option<BrandStatus>,
    pub app_stage: Option<ReviewStage>,
    pub app_on: Option<Date>,
    /// (kind, day, from, to) of every event, `Created` first.
    pub events: Vec<(EventKind, Date, Option<BrandStatus>, Option<BrandStatus>)>,
    pub standard_met_on: Option<Date>,
    /// Versions kept: one per application and per `Version` step.
    pub versions: usize,
}

/// Replays a history through the lifecycle rules: steps in date order, one
/// level at a time, each application through 初审 and 评审 before 命名, and
/// a mature or exemplary naming only once every one of the standard's
/// `items` was confirmed by that day.
pub fn replay(h: &BrandHistory, items: usize) -> Result<Replayed, String> {
    let mut r = Replayed {
        status: BrandStatus::Draft,
        status_since: h.created_on,
        app_target: None,
        app_stage: None,
        app_on: None,
        events: vec![(EventKind::Created, h.created_on, None, Some(BrandStatus::Draft))],
        standard_met_on: None,
        versions: 0,
    };
    for (i, _) in &h.confirmed {
        if *i >= items {
            return Err(format!("confirmation of item {} but the standard has {items}", i + 1));
        }
    }
    let met_by = |day: Date| -> StandardState {
        StandardState {
            name: String::new(),
            items: (0..items)
                .map(|i| ItemState {
                    item_id: i as i64,
                    title: format!("#{}", i + 1),
                    evidence: 1,
                    confirmed_on: h.confirmed.iter().filter(|(c, d)| *c == i && *d <= day).map(|(_, d)| *d).max(),
                })
                .collect(),
        }
    };
    let mut last = h.created_on;
    for s in &h.steps {
        if s.on < last {
            return Err(format!("{} on {} comes before the step before it", s.kind.code(), s.on));
        }
        last = s.on;
        let state = met_by(s.on);
        let standard = (items > 0).then_some(&state);
        let from = Some(r.status);
        match s.kind {
            EventKind::Created => return Err("a history is recorded once".into()),
            EventKind::Applied => {
                let target = check_apply(r.status, r.app_stage, standard).map_err(|e| e.to_string())?;
                r.app_target = Some(target);
                r.app_stage = Some(ReviewStage::Submitted);
                r.app_on = Some(s.on);
                r.versions += 1;
                r.events.push((s.kind, s.on, from, Some(target)));
            }
            EventKind::Preliminary | EventKind::Evaluated | EventKind::Named => {
                match check_approval(r.app_stage, r.app_target, standard).map_err(|e| e.to_string())? {
                    Approval::Advance(next) => {
                        let expected = if next == ReviewStage::Preliminary {
                            EventKind::Preliminary
                        } else {
                            EventKind::Evaluated
                        };
                        if s.kind != expected {
                            return Err(format!("{} where {} was due", s.kind.code(), expected.code()));
                        }
                        r.app_stage = Some(next);
                        r.events.push((s.kind, s.on, from, r.app_target));
                    }
                    Approval::Name(target) => {
                        if s.kind != EventKind::Named {
                            return Err(format!("{} where naming was due", s.kind.code()));
                        }
                        r.status = target;
                        r.status_since = s.on;
                        (r.app_target, r.app_stage, r.app_on) = (None, None, None);
                        r.events.push((s.kind, s.on, from, Some(target)));
                    }
                }
            }
            EventKind::Returned => {
                check_return(r.app_stage, s.comment.as_deref()).map_err(|e| e.to_string())?;
                r.events.push((s.kind, s.on, from, r.app_target));
                (r.app_target, r.app_stage, r.app_on) = (None, None, None);
            }
            EventKind::Demoted => {
                let to = s.to.ok_or("a demotion needs its status")?;
                check_demote(r.status, to, s.comment.as_deref()).map_err(|e| e.to_string())?;
                r.status = to;
                r.status_since = s.on;
                (r.app_target, r.app_stage, r.app_on) = (None, None, None);
                r.events.push((s.kind, s.on, from, Some(to)));
            }
            EventKind::Version => {
                r.versions += 1;
                r.events.push((s.kind, s.on, from, from));
            }
        }
    }
    let ids: Vec<i64> = (0..items as i64).collect();
    let confirmed: Vec<(i64, Date)> = h.confirmed.iter().map(|(i, d)| (*i as i64, *d)).collect();
    r.standard_met_on = standard_met_on(&ids, &confirmed);
    Ok(r)
}

// ---------------------------------------------------------------------------
// Honors

/// An honor's fields, validated. The holder's id (for brands, units and
/// people) is resolved and checked by the caller; teams are kept by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HonorFields {
    pub title: String,
    pub level: HonorLevel,
    pub issuer: Option<String>,
    pub awarded_on: Date,
    pub holder_kind: HolderKind,
    /// The holder's name: a team's as typed; a brand's, unit's or person's
    /// taken from their record when stored.
    pub holder_name: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct HonorInput {
    pub title: String,
    pub level: String,
    pub issuer: Option<String>,
    pub awarded_on: String,
    pub holder_kind: String,
    pub holder_name: String,
    pub note: Option<String>,
}

impl HonorInput {
    pub fn validate(&self) -> Result<HonorFields, Invalid> {
        let mut c = Checker::default();
        let title = c.take("title", required_text(&self.title, 100));
        let level = c.take("level", HonorLevel::parse(&self.level));
        let issuer = c.take("issuer", optional_text(self.issuer.as_deref(), 100));
        let awarded_on = c.take("awarded_on", parse_month_or_date(&self.awarded_on));
        let holder_kind = c.take("holder_kind", HolderKind::parse(&self.holder_kind));
        // Brands, units and people are named by their own record; a team only by this name.
        let holder_name = c.take("holder_name", optional_text(Some(&self.holder_name), 100));
        if holder_kind == Some(HolderKind::Team) && holder_name.as_ref().is_some_and(Option::is_none) {
            c.push("holder_name", "请填写获得荣誉的团队名称 (name the team)");
        }
        let note = c.take("note", optional_text(self.note.as_deref(), 500));
        c.finish()?;
        Ok(HonorFields {
            title: title.unwrap(),
            level: level.unwrap(),
            issuer: issuer.unwrap(),
            awarded_on: awarded_on.unwrap(),
            holder_kind: holder_kind.unwrap(),
            holder_name: holder_name.unwrap().unwrap_or_default(),
            note: note.unwrap(),
        })
    }
}

/// A date, or a month (`2023-11`, `2023年11月`) read as its first day:
/// honors are often known only to the month.
pub fn parse_month_or_date(value: &str) -> Result<Date, String> {
    let v = value.trim();
    if v.is_empty() {
        return Err("不能为空 (required)".into());
    }
    crate::date::parse(v).or_else(|e| {
        let m = v.trim_end_matches('月').replace(['年', '/', '.'], "-");
        let parts: Vec<&str> = m.split('-').collect();
        if parts.len() == 2 && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
            crate::date::parse(&format!("{}-{}-1", parts[0], parts[1])).map_err(|_| e)
        } else {
            Err(e)
        }
    })
}

// ---------------------------------------------------------------------------
// Figures

/// A change of a brand's status on a day (its history's status-setting events).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct StatusChange {
    pub on: Date,
    pub to: BrandStatus,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::{Contribution, RollupDelta, Span, Value, compute};
    use crate::ids::UnitId;
    use time::macros::date;

    fn figures_of(contribs: &[Contribution], from: i32, to: i32) -> crate::figures::Figures {
        let mut d = RollupDelta::default();
        d.add(&[UnitId(1)], contribs, 1);
        let rows: Vec<(i32, String, i64)> = d.cells().into_iter().map(|(_, y, k, v)| (y, k.to_string(), v)).collect();
        compute(&rows, Span { from, to })
    }

    fn count(f: &crate::figures::Figures, key: &str) -> i64 {
        match f[key] {
            Value::Count(n) => n,
            v => panic!("{key} is {v:?}"),
        }
    }

    #[test]
    fn labels_parse_back_and_statuses_climb_in_order() {
        for s in BrandStatus::ALL {
            assert_eq!(BrandStatus::parse(s.code()).unwrap(), *s);
            assert_eq!(BrandStatus::parse(s.zh()).unwrap(), *s);
            assert_eq!(BrandStatus::parse(&s.en().to_uppercase()).unwrap(), *s);
        }
        assert_eq!(BrandStatus::parse("标杆").unwrap(), BrandStatus::Exemplary);
        assert!(BrandStatus::parse("优秀").unwrap_err().contains("草稿/培育/创建/成熟/示范"));
        assert_eq!(BrandStatus::Draft.next(), Some(BrandStatus::Cultivating));
        assert_eq!(BrandStatus::Exemplary.next(), None);
        assert!(BrandStatus::Mature > BrandStatus::Established);
        assert_eq!(BrandCategory::parse("共建品牌").unwrap(), BrandCategory::Cobuilding);
        assert_eq!(HonorLevel::parse("central_soe").unwrap(), HonorLevel::CentralSoe);
        assert_eq!(HolderKind::parse("班组").unwrap(), HolderKind::Team);
        for k in ElementKind::ALL {
            assert_eq!(ElementKind::parse(k.zh()).unwrap(), *k);
        }
    }

    #[test]
    fn every_counter_a_brand_or_honor_touches_is_registered() {
        let mut keys: Vec<&str> = BrandStatus::ALL.iter().map(|s| s.counter()).collect();
        keys.extend(BrandCategory::ALL.iter().map(|c| c.counter()));
        keys.extend(HonorLevel::ALL.iter().map(|l| l.counter()));
        keys.extend(["brands.total", "brands.mature_or_better", "brands.standard_met", "honors.total"]);
        for k in keys {
            assert!(crate::figures::counter(k).is_some(), "counter {k} missing");
            assert!(crate::figures::figure(k).is_some(), "figure {k} missing");
        }
    }

    #[test]
    fn a_status_counts_from_the_year_entered_until_the_year_left() {
        // Founded 2019: draft and cultivating that year, established 2020,
        // mature 2021, exemplary 2023, standard met 2021.
        let changes = [
            StatusChange { on: date!(2019 - 03 - 01), to: BrandStatus::Draft },
            StatusChange { on: date!(2019 - 06 - 01), to: BrandStatus::Cultivating },
            StatusChange { on: date!(2020 - 09 - 01), to: BrandStatus::Established },
            StatusChange { on: date!(2021 - 12 - 01), to: BrandStatus::Mature },
            StatusChange { on: date!(2023 - 05 - 01), to: BrandStatus::Exemplary },
        ];
        let c = brand_contributions(BrandCategory::Unit, 2019, &changes, Some(date!(2021 - 11 - 20)));
        let f = figures_of(&c, 2018, 2018);
        assert_eq!(count(&f, "brands.total"), 0);
        let f = figures_of(&c, 2019, 2019);
        assert_eq!((count(&f, "brands.status.cultivating"), count(&f, "brands.status.draft")), (1, 0));
        assert_eq!(count(&f, "brands.total"), 1);
        assert_eq!(count(&f, "brands.category.unit"), 1);
        let f = figures_of(&c, 2020, 2022);
        assert_eq!(count(&f, "brands.status.mature"), 1, "the status at the end of the span");
        assert_eq!((count(&f, "brands.status.established"), count(&f, "brands.mature_or_better")), (0, 1));
        assert_eq!(count(&f, "brands.standard_met"), 1);
        let f = figures_of(&c, 2024, 2024);
        assert_eq!((count(&f, "brands.status.exemplary"), count(&f, "brands.status.mature")), (1, 0));
        assert_eq!(count(&f, "brands.mature_or_better"), 1);
        let f = figures_of(&c, 2020, 2020);
        assert_eq!((count(&f, "brands.status.established"), count(&f, "brands.standard_met")), (1, 0));

        // Moved down in 2024: no longer mature or better from then.
        let mut down = changes.to_vec();
        down.push(StatusChange { on: date!(2024 - 02 - 01), to: BrandStatus::Established });
        let c = brand_contributions(BrandCategory::Unit, 2019, &down, None);
        let f = figures_of(&c, 2024, 2024);
        assert_eq!((count(&f, "brands.status.established"), count(&f, "brands.mature_or_better")), (1, 0));
        let f = figures_of(&c, 2023, 2023);
        assert_eq!(count(&f, "brands.mature_or_better"), 1);
    }

    #[test]
    fn honors_are_flows_by_year_and_level() {
        let c = honor_contributions(HonorLevel::Provincial, date!(2023 - 11 - 01));
        let f = figures_of(&c, 2023, 2023);
        assert_eq!((count(&f, "honors.total"), count(&f, "honors.level.provincial")), (1, 1));
        assert_eq!(count(&figures_of(&c, 2024, 2024), "honors.total"), 0);
    }

    fn state(confirmed: &[Option<Date>]) -> StandardState {
        StandardState {
            name: WUYOU_NAME.into(),
            items: WUYOU
                .iter()
                .zip(confirmed)
                .enumerate()
                .map(|(i, ((t, _), c))| ItemState {
                    item_id: i as i64,
                    title: t.to_string(),
                    evidence: 1,
                    confirmed_on: *c,
                })
                .collect(),
        }
    }

    #[test]
    fn mature_needs_the_standard_met_and_an_approval() {
        let d = Some(date!(2024 - 01 - 01));
        let partial = state(&[d, d, d, None, None]);
        let met = state(&[d, d, d, d, Some(date!(2024 - 03 - 05))]);
        assert_eq!(met.met_on(), Some(date!(2024 - 03 - 05)));
        assert_eq!(partial.unmet(), ["有可视化阵地", "有显性化成效"]);

        // Applying for established needs no standard; for mature it does.
        assert_eq!(check_apply(BrandStatus::Cultivating, None, None).unwrap(), BrandStatus::Established);
        let e = check_apply(BrandStatus::Established, None, Some(&partial)).unwrap_err();
        assert_eq!(e.errors[0].field, "standard");
        assert!(e.errors[0].message.contains("有可视化阵地、有显性化成效"), "{e}");
        assert!(check_apply(BrandStatus::Established, None, None).unwrap_err().errors[0].message.contains("尚未发布"));
        assert_eq!(check_apply(BrandStatus::Established, None, Some(&met)).unwrap(), BrandStatus::Mature);
        assert!(check_apply(BrandStatus::Exemplary, None, Some(&met)).is_err());
        assert!(check_apply(BrandStatus::Draft, Some(ReviewStage::Submitted), None).is_err());

        // Three approvals: 初审, 评审, then 命名, which checks the standard again.
        let target = Some(BrandStatus::Mature);
        assert_eq!(
            check_approval(Some(ReviewStage::Submitted), target, None).unwrap(),
            Approval::Advance(ReviewStage::Preliminary)
        );
        assert_eq!(
            check_approval(Some(ReviewStage::Preliminary), target, None).unwrap(),
            Approval::Advance(ReviewStage::Evaluated)
        );
        assert!(check_approval(Some(ReviewStage::Evaluated), target, Some(&partial)).is_err());
        assert_eq!(
            check_approval(Some(ReviewStage::Evaluated), target, Some(&met)).unwrap(),
            Approval::Name(BrandStatus::Mature)
        );
        assert!(check_approval(None, None, Some(&met)).is_err());
    }

    #[test]
    fn returns_and_demotions_need_a_reason() {
        assert!(check_return(Some(ReviewStage::Submitted), Some(" ")).is_err());
        assert!(check_return(None, Some("材料不全")).is_err());
        assert!(check_return(Some(ReviewStage::Preliminary), Some("材料不全")).is_ok());
        assert!(check_demote(BrandStatus::Mature, BrandStatus::Established, Some("成效下滑")).is_ok());
        assert!(check_demote(BrandStatus::Mature, BrandStatus::Exemplary, Some("x")).is_err());
        assert!(check_demote(BrandStatus::Mature, BrandStatus::Draft, Some("x")).is_err());
        assert_eq!(
            check_demote(BrandStatus::Mature, BrandStatus::Cultivating, None).unwrap_err().errors[0].field,
            "comment"
        );
        assert!(check_confirm(0).is_err() && check_confirm(2).is_ok());
    }

    #[test]
    fn standard_met_dates_and_empty_standards() {
        let (a, b) = (date!(2022 - 01 - 01), date!(2023 - 06 - 01));
        assert_eq!(standard_met_on(&[1, 2], &[(1, a), (2, b), (3, b)]), Some(b));
        assert_eq!(standard_met_on(&[1, 2], &[(1, a)]), None);
        assert_eq!(standard_met_on(&[], &[(1, a)]), None);
        let empty = StandardState { name: "x".into(), items: vec![] };
        assert!(!empty.is_met());
        assert!(standard_refusal(BrandStatus::Mature, Some(&empty)).is_some());
        assert!(standard_refusal(BrandStatus::Established, None).is_none());
    }

    #[test]
    fn inputs_are_checked_field_by_field() {
        let input = BrandInput {
            code: "ZJ04-B01".into(),
            name: "五心领航".into(),
            category: "党建品牌".into(),
            heritage: Some("红船精神".into()),
            founded_year: Some("2019年".into()),
            figures: vec!["org.branches, brands.total".into()],
            ..Default::default()
        };
        let f = input.validate().unwrap();
        assert_eq!((f.founded_year, f.figures.len()), (Some(2019), 2));
        let bad = BrandInput {
            code: "五心".into(),
            name: "".into(),
            category: "x".into(),
            founded_year: Some("1800".into()),
            figures: vec!["no.such".into()],
            ..Default::default()
        };
        let fields: Vec<_> = bad.validate().unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["code", "name", "category", "founded_year", "figures"]);

        let h = HonorInput {
            title: "入选海南自贸港国企党建品牌".into(),
            level: "省部级".into(),
            awarded_on: "2023年11月".into(),
            holder_kind: "品牌".into(),
            holder_name: "十分满意 联通万家".into(),
            ..Default::default()
        };
        assert_eq!(h.validate().unwrap().awarded_on, date!(2023 - 11 - 01));
        let s = StandardInput {
            name: WUYOU_NAME.into(),
            items: vec![
                StandardItemInput { title: "有形象化标识".into(), ..Default::default() },
                StandardItemInput::default(),
                StandardItemInput { title: "有形象化标识".into(), ..Default::default() },
            ],
        };
        assert_eq!(s.validate().unwrap_err().errors[0].field, "items[2].title");
        let e = EvidenceInput { kind: "照片".into(), ..Default::default() }.validate(false).unwrap_err();
        assert_eq!(e.errors[0].field, "file");
        let e = EvidenceInput { kind: "figure".into(), figure_key: Some("x.y".into()), ..Default::default() };
        assert_eq!(e.validate(false).unwrap_err().errors.len(), 1);
        assert!(
            EvidenceInput { kind: "文字".into(), text: Some("有阵地".into()), ..Default::default() }
                .validate(false)
                .is_ok()
        );
    }

    #[test]
    fn the_standard_comes_from_the_nearest_issuer_above() {
        let l = [UnitId(1), UnitId(5), UnitId(9), UnitId(12)];
        assert_eq!(applicable_issuer(&l, &[UnitId(1), UnitId(5)]), Some(UnitId(5)));
        assert_eq!(applicable_issuer(&l, &[UnitId(1), UnitId(12)]), Some(UnitId(1)), "never its own");
        assert_eq!(applicable_issuer(&[UnitId(1)], &[UnitId(1)]), Some(UnitId(1)), "the root takes its own");
        assert_eq!(applicable_issuer(&l, &[UnitId(7)]), None);
    }

    #[test]
    fn histories_replay_through_the_rules() {
        use EventKind::*;
        let step = |k, d| HistoryStep::new(k, d);
        let climb = |d: Date| vec![step(Applied, d), step(Preliminary, d), step(Evaluated, d), step(Named, d)];
        let mut h = BrandHistory {
            created_on: date!(2019 - 03 - 01),
            steps: [climb(date!(2019 - 06 - 01)), climb(date!(2020 - 09 - 01))].concat(),
            elements: vec![],
            evidence: vec![],
            confirmed: (0..5).map(|i| (i, date!(2021 - 10 - 01))).collect(),
        };
        let r = replay(&h, 5).unwrap();
        assert_eq!(
            (r.status, r.versions, r.standard_met_on),
            (BrandStatus::Established, 2, Some(date!(2021 - 10 - 01)))
        );
        assert_eq!(r.events.len(), 9);

        // Mature before the standard was met: refused.
        let mut early = h.clone();
        early.steps.extend(climb(date!(2021 - 05 - 01)));
        assert!(replay(&early, 5).unwrap_err().contains("尚未确认"));
        h.steps.extend(climb(date!(2021 - 12 - 01)));
        h.steps.push(HistoryStep { kind: Applied, on: date!(2023 - 01 - 10), comment: None, to: None });
        let r = replay(&h, 5).unwrap();
        assert_eq!(
            (r.status, r.app_target, r.app_stage),
            (BrandStatus::Mature, Some(BrandStatus::Exemplary), Some(ReviewStage::Submitted))
        );
        // Skipping 评审 is refused, and so are steps out of date order.
        let mut skip = h.clone();
        skip.steps.push(step(Named, date!(2023 - 02 - 01)));
        assert!(replay(&skip, 5).is_err());
        let mut back = h.clone();
        back.steps.push(step(Preliminary, date!(2022 - 02 - 01)));
        assert!(replay(&back, 5).is_err());
    }

    #[test]
    fn outlines_build_trees_in_number_order() {
        let f = |t: &str| ElementFields { kind: ElementKind::Concept, title: t.into(), text: None };
        let items = vec![
            (2, parse_outline("2").unwrap(), f("三项工程")),
            (3, parse_outline("2.1").unwrap(), f("政治引领")),
            (4, parse_outline("1").unwrap(), f("五心")),
            (5, parse_outline("2.10").unwrap(), f("拒腐防变")),
            (6, parse_outline("2.2").unwrap(), f("先锋堡垒")),
        ];
        let tree = tree_from_outline(items).unwrap();
        assert_eq!(tree.len(), 2);
        let titles: Vec<_> = tree[1].children.iter().map(|c| c.fields.title.as_str()).collect();
        assert_eq!(titles, ["政治引领", "先锋堡垒", "拒腐防变"]);
        let numbered: Vec<_> = outline_of(&tree).into_iter().map(|(n, e)| format!("{n} {}", e.title)).collect();
        assert_eq!(numbered, ["1 五心", "2 三项工程", "2.1 政治引领", "2.2 先锋堡垒", "2.3 拒腐防变"]);
        let errs =
            tree_from_outline(vec![(2, vec![1], f("a")), (3, vec![1], f("b")), (4, vec![3, 1], f("c"))]).unwrap_err();
        assert_eq!(errs.iter().map(|e| e.0).collect::<Vec<_>>(), [3, 4]);
        assert!(parse_outline("1..2").is_err() && parse_outline("0").is_err() && parse_outline("a").is_err());
        assert_eq!(parse_outline("1.2.").unwrap(), [1, 2]);
        let deep = (0..7).fold(vec![], |acc, _| vec![ElementTree { fields: f("x"), children: acc }]);
        assert!(check_structure(&deep).is_err());
    }
}
