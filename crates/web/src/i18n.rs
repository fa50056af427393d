//! The interface languages: Chinese (primary, the default) and English, and
//! the one table of fixed UI text. Labels of domain values (unit kinds,
//! categories, figures) come from qizhi-core and are picked with
//! [`Lang::label`].

use std::collections::HashMap;
use std::sync::LazyLock;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// From the `lang` cookie (or a `/lang/{code}` path): "en" is English,
    /// anything else Chinese.
    pub fn from_code(code: &str) -> Lang {
        if code.trim().eq_ignore_ascii_case("en") { Lang::En } else { Lang::Zh }
    }

    /// The cookie value: "zh" or "en".
    pub fn code(&self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// For `<html lang>`.
    pub fn html_lang(&self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn other(&self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }

    /// The text for `key`; a missing key shows as itself (and the tests make
    /// sure no template uses one).
    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        match INDEX.get(key) {
            Some(&(zh, en)) => self.label(zh, en),
            None => key,
        }
    }

    /// A message written in both languages the way the domain and the store
    /// write them, `中文 (English)`, joined by `; ` when there are several: for
    /// a Chinese reader the Chinese alone, for an English reader the English
    /// when there is one. Other text is returned as it is.
    pub fn message(&self, text: &str) -> String {
        text.split("; ").map(|part| self.one_message(part)).collect::<Vec<_>>().join("; ")
    }

    fn one_message(&self, text: &str) -> String {
        let split = translation_at(text).map(|at| (&text[..at], &text[at + 2..text.len() - 1]));
        match split {
            // Only an English tail after Chinese text is a translation (it
            // may quote a value, which may be Chinese: `“福州”: not found`).
            Some((zh, en)) if !zh.is_ascii() && is_english(en) => {
                // A leading label stays for either reader: a field's key
                // (`name: `) or a cell's place (`第 4 行 A 列（组织编码）：`).
                let (label, zh) = match (zh.split_once(": "), zh.rfind('：')) {
                    (Some((label, rest)), _) if label.is_ascii() => (format!("{label}: "), rest),
                    (_, Some(at)) if zh.starts_with("第 ") => {
                        (zh[..at + '：'.len_utf8()].to_string(), &zh[at + '：'.len_utf8()..])
                    }
                    _ => (String::new(), zh),
                };
                match self {
                    Lang::Zh => format!("{label}{zh}"),
                    Lang::En => format!("{label}{en}"),
                }
            }
            _ => text.to_string(),
        }
    }

    /// The text for `key` when the key exists.
    pub fn known(&self, key: &str) -> Option<&'static str> {
        INDEX.get(key).map(|&(zh, en)| self.label(zh, en))
    }

    /// `t` with `{n}` replaced: `共 {n} 人` / `{n} people`.
    pub fn tn(&self, key: &str, n: impl std::fmt::Display) -> String {
        self.t(key).replace("{n}", &n.to_string())
    }

    /// Picks one of two labels, e.g. `kind.zh()` / `kind.en()` from core.
    pub fn label<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// Whether the tail of a message reads as English: it starts with Latin
/// text or a quoted value, and holds an English word (not a code like `FJ01`).
fn is_english(text: &str) -> bool {
    let starts = text.chars().next().is_some_and(|c| c.is_ascii() || c == '“');
    let word = text
        .split(|c: char| !c.is_ascii_alphabetic())
        .any(|w| w.len() >= 2 && w.bytes().any(|b| b.is_ascii_lowercase()));
    starts && word
}

/// Where ` (English)` begins in `中文 (English)`: the ` (` whose parenthesis
/// the text's last `)` closes (the English may hold parentheses of its own).
/// A field's problem as a form's list of problems shows it, the field named:
/// `名称：不能为空 (Name: required)`. A field without a known name keeps the
/// message as it is.
pub fn labelled(field: &str, message: &str) -> String {
    let key = field.split(['[', '.']).next().unwrap_or(field);
    match FIELDS.iter().find(|(k, _, _)| *k == key) {
        Some(&(_, zh, en)) => label_message(zh, en, message),
        None => message.to_string(),
    }
}

/// The problem `message` (`中文 (English)`) with a value, under a name given
/// in both languages; the value is added to each language's text that does
/// not already quote it.
pub fn value_message(zh: &str, en: &str, value: &str, message: &str) -> String {
    let (zh_text, en_text) = match translation_at(message) {
        Some(at) => (&message[..at], &message[at + 2..message.len() - 1]),
        None => (message, message),
    };
    let with = |text: &str, sep: &str| {
        if text.contains(value) { text.to_string() } else { format!("“{value}”{sep}{text}") }
    };
    format!("{zh}：{} ({en}: {})", with(zh_text, "："), with(en_text, ": "))
}

/// `message` (`中文 (English)`) under a name given in both languages.
pub fn label_message(zh: &str, en: &str, message: &str) -> String {
    match translation_at(message) {
        Some(at) => format!("{zh}：{} ({en}: {})", &message[..at], &message[at + 2..message.len() - 1]),
        None => format!("{zh}：{message}"),
    }
}

/// The names of the fields records are checked by (`qizhi_core` validation).
const FIELDS: &[(&str, &str, &str)] = &[
    ("awarded_on", "获评日期", "Awarded on"),
    ("birth_date", "出生日期", "Birth date"),
    ("category", "类别", "Category"),
    ("closed_on", "关闭日期", "Closed on"),
    ("code", "编码", "Code"),
    ("comment", "意见", "Comment"),
    ("concept", "品牌理念", "Concept"),
    ("description", "说明", "Description"),
    ("disbanded_on", "撤销日期", "Disbanded on"),
    ("due_on", "截止日期", "Due on"),
    ("entry_on", "填报日期", "Entered on"),
    ("founded", "成立日期", "Founded"),
    ("founded_on", "成立日期", "Founded on"),
    ("founded_year", "创建年份", "Founded in"),
    ("heritage", "文化传承", "Heritage"),
    ("holder_kind", "获奖对象类型", "Holder kind"),
    ("holder_name", "获奖对象", "Holder"),
    ("id_number", "身份证号", "ID number"),
    ("issuer", "授予单位", "Issued by"),
    ("join_date", "入党日期", "Joined on"),
    ("kind", "类型", "Kind"),
    ("level", "级别", "Level"),
    ("name", "名称", "Name"),
    ("note", "备注", "Note"),
    ("phone", "手机号", "Phone"),
    ("plan", "计划", "Plan"),
    ("planted_on", "插旗日期", "Flag planted on"),
    ("post", "职务", "Post"),
    ("priority", "优先级", "Priority"),
    ("progress", "进度", "Progress"),
    ("progress_note", "进展说明", "Progress note"),
    ("responsible", "责任人", "Responsible"),
    ("set_up_on", "成立日期", "Set up on"),
    ("short_name", "简称", "Short name"),
    ("slogan", "品牌口号", "Slogan"),
    ("start_on", "开始日期", "Starts on"),
    ("status", "状态", "Status"),
    ("target", "目标", "Target"),
    ("target_unit", "目标单位", "Target unit"),
    ("text", "内容", "Text"),
    ("title", "标题", "Title"),
    ("year", "年度", "Year"),
    ("tier_value", "名次或分数", "Rank or score"),
];

fn translation_at(text: &str) -> Option<usize> {
    if !text.ends_with(')') {
        return None;
    }
    let mut depth = 0;
    for (at, c) in text.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth == 0 {
                    return text[..at].ends_with(' ').then(|| at - 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// Every table of UI text: the shared one below, and one per capability
/// (`views::<cap>::TEXT`, beside its views) so that each area owns its words.
pub const TABLES: &[&[(&str, &str, &str)]] = &[
    TEXT,
    crate::views::accounts::TEXT,
    crate::views::assessments::TEXT,
    crate::views::brands::TEXT,
    crate::views::stars::TEXT,
    crate::views::tasks::TEXT,
];

static INDEX: LazyLock<HashMap<&'static str, (&'static str, &'static str)>> =
    LazyLock::new(|| TABLES.iter().flat_map(|t| t.iter()).map(|(k, zh, en)| (*k, (*zh, *en))).collect());

/// (key, zh, en). Keys are grouped by page; `{n}` is filled by [`Lang::tn`].
#[rustfmt::skip]
pub const TEXT: &[(&str, &str, &str)] = &[
    ("app.name", "旗帜", "Qizhi"),
    ("app.tagline", "党建品牌管理系统", "Party-building brand management"),
    ("lang.switch", "English", "中文"),
    // navigation and layout
    ("nav.label", "主导航", "Main navigation"),
    ("nav.menu", "菜单", "Menu"),
    ("nav.skip", "跳到主要内容", "Skip to content"),
    ("nav.org", "组织", "Organization"),
    ("nav.people", "人员", "People"),
    ("nav.imports", "导入导出", "Import / Export"),
    // shared
    ("common.search", "搜索", "Search"),
    ("common.clear", "清除", "Clear"),
    ("common.loading", "加载中…", "Loading…"),
    ("common.count", "共 {n} 项", "{n} items"),
    ("common.breadcrumb", "当前位置", "You are here"),
    ("pager.label", "分页", "Pages"),
    ("pager.prev", "上一页", "Previous"),
    ("pager.next", "下一页", "Next"),
    ("pager.status", "第 {n} 页，共 {m} 页", "Page {n} of {m}"),
    ("status.active", "正常", "Active"),
    ("status.dissolved", "已撤销", "Dissolved"),
    // sign-in
    ("auth.sign_in", "登录", "Sign in"),
    ("auth.submit", "登录", "Sign in"),
    ("auth.username", "用户名", "Username"),
    ("auth.password", "密码", "Password"),
    ("auth.logout", "退出", "Sign out"),
    ("auth.notice", "仅限授权人员使用", "Authorized users only"),
    ("auth.bad_credentials", "用户名或密码不正确", "Incorrect username or password"),
    ("auth.expired", "页面已过期，请刷新后重试", "This page has expired. Reload it and try again"),
    ("auth.throttled", "登录失败次数过多，请 {n} 分钟后再试", "Too many failed sign-ins. Try again in {n} minutes"),
    // dashboard
    ("home.title", "工作台", "Home"),
    ("home.year", "{n} 年度", "Year {n}"),
    ("home.more", "详情", "More"),
    ("home.children_title", "下级组织概况", "Units below"),
    ("home.open_unit", "查看组织详情", "Open unit"),
    ("home.no_children", "暂无下级组织", "No units below"),
    ("home.branches", "党支部数", "Branches"),
    ("home.members", "党员数", "Party members"),
    ("home.brands", "品牌数", "Brands"),
    ("home.three_stars", "三星及以上", "3★ or more"),
    ("home.overdue", "逾期任务", "Overdue tasks"),
    ("home.year_short", "{n}年", "{n}"),
    ("home.stars_n", "{n}星", "{n}★"),
    ("home.todo", "待办事项", "Waiting for you"),
    ("home.todo_none", "当前没有待办事项。", "Nothing is waiting for you."),
    ("home.todo.overdue", "逾期未完成的任务", "Overdue tasks"),
    ("home.todo.verify", "待核实的党员承诺", "Commitments to verify"),
    ("home.todo.brand_reviews", "待审核的品牌申请", "Brand applications to decide"),
    ("home.todo.star_reviews", "待审核的星级自评", "Star self-assessments to review"),
    ("home.todo.self_assess", "“{n}”中尚未提交自评的党支部", "Branches yet to self-assess in “{n}”"),
    ("home.todo.closing", "“{name}”{stage}阶段 {date} 截止，剩余天数", "“{name}”: {stage} closes on {date}, days left"),
    ("home.chart.stars", "星级分布", "Star distribution"),
    ("home.chart.stars_note", "已评定党支部 {n} 个，取每个支部最近一次命名的星级", "{n} branches evaluated, each by its latest award"),
    ("home.chart.brands", "品牌建设阶段", "Brands by status"),
    ("home.chart.brands_note", "品牌共 {n} 个，按报告期末的阶段统计", "{n} brands, by status at the end of the period"),
    ("home.chart.tasks", "任务完成情况（按年度）", "Tasks by year"),
    ("home.chart.tasks_note", "{n} 年度任务总数与已完成数", "Tasks and those finished, {n}"),
    ("home.chart.tasks_total", "任务数", "Tasks"),
    ("home.chart.tasks_done", "已完成", "Finished"),
    ("home.chart.commitments", "党员承诺兑现", "Commitments fulfilled"),
    ("home.chart.commitments_note", "兑现率 {n}", "Fulfilled: {n}"),
    ("home.chart.fulfilled", "已兑现", "Fulfilled"),
    ("home.chart.not_yet", "未兑现或待核实", "Not fulfilled or not yet verified"),
    ("home.no_scope", "尚未分配管理范围", "No scope assigned"),
    (
        "home.no_scope_hint",
        "请联系上级党组织的系统管理员为您的账号分配所属组织。",
        "Ask an administrator of your parent unit to assign your account to a unit.",
    ),
    // figures
    ("figures.title", "主要指标", "Key figures"),
    ("figures.from", "从", "From"),
    ("figures.to", "至", "to"),
    ("figures.apply", "查询", "Apply"),
    ("figures.span", "统计区间", "Period"),
    ("figures.span_one", "{n} 年度", "Year {n}"),
    ("period.label", "报告期", "Reporting period"),
    ("filters.ignored", "以下筛选条件有误，列表未按其筛选：", "These filters could not be read; the list is shown without them:"),
    ("period.current", "回到当前报告年度 {n}", "Back to the current year {n}"),
    // organization
    ("org.title", "组织架构", "Organization"),
    ("org.sub", "点击 ▸ 展开下级组织，点击名称查看详情。", "Click ▸ to expand a unit, click its name to open it."),
    ("org.tree", "组织树", "Tree"),
    ("org.search_placeholder", "按组织名称或组织编码搜索", "Search by unit name or code"),
    ("org.results", "搜索结果", "Search results"),
    ("org.no_results", "未找到匹配的组织", "No matching units"),
    ("org.no_results_hint", "请检查名称或编码，或换用更短的关键词。", "Check the name or code, or try a shorter term."),
    ("org.empty", "暂无组织数据", "No units yet"),
    ("org.no_children", "暂无下级组织", "No units below"),
    ("org.expand", "展开或收起", "Expand or collapse"),
    ("org.child_count", "{n} 个下级", "{n} below"),
    // unit
    ("unit.facts", "基本信息", "Details"),
    ("unit.name", "组织名称", "Name"),
    ("unit.code", "组织编码", "Code"),
    ("unit.short_name", "简称", "Short name"),
    ("unit.kind", "组织类别", "Kind"),
    ("unit.parent", "上级组织", "Parent unit"),
    ("unit.founded", "成立日期", "Founded"),
    ("unit.status", "状态", "Status"),
    ("unit.children", "下级组织", "Child units"),
    ("unit.child_units", "下级数", "Sub-units"),
    ("unit.people", "人员名册", "People"),
    ("unit.export_units", "导出组织", "Export units"),
    ("unit.export_people", "导出人员", "Export people"),
    // people
    ("people.title", "人员名册", "People"),
    ("people.scope", "范围：", "Scope: "),
    ("people.scope_sub", "（含下级组织）", " (with the units below)"),
    ("people.search_placeholder", "按姓名搜索", "Search by name"),
    ("people.all_categories", "全部类别", "All categories"),
    ("people.total", "共 {n} 人", "{n} people"),
    ("people.name", "姓名", "Name"),
    ("people.gender", "性别", "Gender"),
    ("people.category", "人员类别", "Category"),
    ("people.unit", "所在组织", "Unit"),
    ("people.post", "职务", "Post"),
    ("people.join_date", "入党日期", "Joined the party"),
    ("people.phone", "联系电话", "Phone"),
    ("people.empty", "没有符合条件的人员", "No people found"),
    ("people.record", "人员信息", "Person"),
    ("nav.tabs", "常用", "Shortcuts"),
    ("nav.my_tasks", "我的任务", "My tasks"),
    ("nav.my_commitments", "我的承诺", "My commitments"),
    ("people.birth_date", "出生日期", "Birth date"),
    ("people.id_number", "身份证号", "ID number"),
    ("people.personal", "个人信息", "Personal data"),
    ("people.reveal", "显示完整信息", "Show in full"),
    ("people.reveal_note", "个人信息默认部分隐藏；显示完整信息的操作会记入审计日志。", "Personal data is partly hidden; showing it in full is recorded in the audit trail."),
    ("people.revealed_note", "本次查看已记入审计日志。", "This reading is recorded in the audit trail."),
    ("people.empty_hint", "请调整搜索条件后重试。", "Try other search terms."),
    // import / export
    ("imports.title", "导入导出", "Import / Export"),
    (
        "imports.sub",
        "下载模板，按模板填写后上传；或导出管理范围内的现有数据。",
        "Download a template, fill it in and upload it, or export the data in your scope.",
    ),
    ("imports.template", "导入模板", "Template"),
    ("imports.export", "导出数据", "Export"),
    ("imports.upload", "上传文件", "Upload"),
    ("imports.submit", "上传并导入", "Upload and import"),
    ("imports.done", "导入成功。", "Import complete."),
    ("imports.rows_written", "已写入 {n} 行", "{n} rows written"),
    ("imports.created", "新增 {n} 条", "{n} created"),
    ("imports.updated", "更新 {n} 条", "{n} updated"),
    ("imports.failed", "导入未完成，未写入任何数据。", "Import failed: nothing was written."),
    ("imports.rows_checked", "共检查 {n} 行", "{n} rows checked"),
    ("imports.error_count", "{n} 处错误", "{n} errors"),
    (
        "imports.rule",
        "导入时先校验全部数据行：任何一行有误，整份文件都不会写入。请按提示修改后重新上传。",
        "Every row is checked before anything is written: if any row has an error, nothing from the file is written. Fix the rows listed and upload again.",
    ),
    // errors (titles and messages for ErrorPage, used by the handlers)
    ("error.home", "返回首页", "Back to the dashboard"),
    ("error.400.title", "请求有误", "Bad request"),
    ("error.400.message", "请检查填写的内容后重试。", "Check what you entered and try again."),
    ("error.403.title", "无权访问", "Access denied"),
    ("error.403.message", "该内容不在您的管理范围内。", "This is outside your scope."),
    ("error.404.title", "页面不存在", "Page not found"),
    ("error.404.message", "您访问的页面不存在或已被删除。", "The page does not exist or has been removed."),
    ("error.405.title", "不支持的操作", "Not allowed here"),
    ("error.405.message", "该页面不支持这种操作，请从页面上的按钮进入。", "This page does not take that request; use the buttons on the page."),
    ("error.413.title", "内容过大", "Too large"),
    ("error.413.message", "上传的文件或提交的内容超过了允许的大小。", "The file or form is larger than allowed."),
    ("error.422.title", "内容有误", "Cannot be accepted"),
    ("error.422.message", "提交的内容无法处理，请检查后重试。", "What was sent cannot be processed; check it and try again."),
    ("error.401.title", "请先登录", "Sign in first"),
    ("error.401.message", "登录已过期或尚未登录，请重新登录。", "Your session has ended or you are not signed in; sign in again."),
    ("error.429.title", "请求过于频繁", "Too many requests"),
    ("error.429.message", "请稍后再试。", "Wait a moment and try again."),
    ("error.500.title", "系统错误", "Something went wrong"),
    (
        "error.500.message",
        "服务器处理请求时出错，请稍后重试；如问题持续，请联系系统管理员。",
        "The server could not handle the request. Try again later; if it persists, contact your administrator.",
    ),
];

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    #[test]
    fn a_bilingual_message_is_read_in_the_readers_language() {
        use super::Lang::{En, Zh};
        assert_eq!(Zh.message("不能为空 (required)"), "不能为空");
        assert_eq!(En.message("不能为空 (required)"), "required");
        assert_eq!(Zh.message("name: 不能为空 (required); code: 已被使用 (taken)"), "name: 不能为空; code: 已被使用");
        assert_eq!(Zh.message("第 12 行 C 列（人员类别）：未知"), "第 12 行 C 列（人员类别）：未知");
        assert_eq!(En.message("第 4 行 A 列（组织编码）：不能为空 (required)"), "第 4 行 A 列（组织编码）：required");
        assert_eq!(Zh.message("第 4 行 A 列（组织编码）：不能为空 (required)"), "第 4 行 A 列（组织编码）：不能为空");
        assert_eq!(En.message("plain English (with a remark)"), "plain English (with a remark)");
        let quota =
            "超出名额限制：六星及以上不超过 2%（3 个）：现有 5 个 (quota exceeded: 6 stars at most 2% (3): now 5)";
        assert_eq!(Zh.message(quota), "超出名额限制：六星及以上不超过 2%（3 个）：现有 5 个");
        assert_eq!(En.message(quota), "quota exceeded: 6 stars at most 2% (3): now 5");
        assert_eq!(Zh.message("组织编码 “FJ (old)” 不存在"), "组织编码 “FJ (old)” 不存在");
        // An English tail may quote a value, Chinese or not; a code in brackets is no translation.
        let quoted = "起始年度应为年份数字，而不是 “福州” (the first year must be a year, not “福州”)";
        assert_eq!(Zh.message(quoted), "起始年度应为年份数字，而不是 “福州”");
        assert_eq!(En.message(quoted), "the first year must be a year, not “福州”");
        assert_eq!(En.message("类别：“x” (Kind: “x”: unknown)"), "Kind: “x”: unknown");
        assert_eq!(En.message("福州分公司 (FJ01)"), "福州分公司 (FJ01)");
    }
    use std::path::Path;

    use super::*;

    #[test]
    fn lang_basics() {
        assert_eq!(Lang::default(), Lang::Zh);
        assert_eq!(Lang::from_code("en"), Lang::En);
        assert_eq!(Lang::from_code("zh"), Lang::Zh);
        assert_eq!(Lang::from_code("fr"), Lang::Zh);
        assert_eq!(Lang::Zh.other(), Lang::En);
        assert_eq!(Lang::En.code(), "en");
        assert_eq!(Lang::Zh.t("nav.people"), "人员");
        assert_eq!(Lang::En.t("nav.people"), "People");
        assert_eq!(Lang::En.t("no.such.key"), "no.such.key");
        assert_eq!(Lang::Zh.tn("people.total", 1989), "共 1989 人");
        assert_eq!(Lang::En.label("党支部", "Branch"), "Branch");
    }

    #[test]
    fn no_duplicate_keys_and_no_empty_text() {
        let mut seen = HashSet::new();
        for (key, zh, en) in TABLES.iter().flat_map(|t| t.iter()) {
            assert!(seen.insert(key), "duplicate i18n key {key}");
            assert!(!zh.is_empty() && !en.is_empty(), "empty text for {key}");
            assert_eq!(zh.contains("{n}"), en.contains("{n}"), "{{n}} in only one language: {key}");
        }
    }

    /// Every `t("…")` / `tn("…")` in a template or in the views names a key
    /// of the tables, so no page shows a raw key.
    #[test]
    fn every_used_key_exists() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        collect(&dir.join("templates"), &mut files);
        collect_ext(&dir.join("src/views"), &mut files, "rs");
        assert!(files.len() > 5, "templates not found");
        let mut missing = Vec::new();
        let mut used = 0;
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap();
            for key in used_keys(&text) {
                used += 1;
                if !INDEX.contains_key(key) {
                    missing.push(format!("{}: {key}", file.display()));
                }
            }
        }
        assert!(used > 50, "found only {used} keys: is the scanner broken?");
        assert!(missing.is_empty(), "i18n keys missing from TEXT:\n{}", missing.join("\n"));
    }

    fn collect(dir: &Path, files: &mut Vec<std::path::PathBuf>) {
        collect_ext(dir, files, "html");
    }

    fn collect_ext(dir: &Path, files: &mut Vec<std::path::PathBuf>, ext: &str) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                collect_ext(&path, files, ext);
            } else if path.extension().is_some_and(|e| e == ext) {
                files.push(path);
            }
        }
    }

    fn used_keys(text: &str) -> Vec<&str> {
        let mut keys = Vec::new();
        for pattern in [".t(\"", ".tn(\""] {
            let mut rest = text;
            while let Some(at) = rest.find(pattern) {
                rest = &rest[at + pattern.len()..];
                if let Some(end) = rest.find('"') {
                    keys.push(&rest[..end]);
                }
            }
        }
        keys
    }
}
