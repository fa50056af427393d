//! The ledgers (台账) that can be imported and exported, each described by its columns.
//!
//! A kind is data, not code: adding brands or tasks later means adding a
//! `Sheet` here (and its row conversions), not touching the reader or writer.

/// One column of a ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// English name, also accepted as a header and used as the field name in
    /// errors from `qizhi_core` (e.g. `parent_code`).
    pub key: &'static str,
    /// Chinese header, written in exports and templates (e.g. `上级组织编码`).
    pub zh: &'static str,
    /// A required column must be present in the header row. Whether a cell may
    /// be empty is decided by the record's validation.
    pub required: bool,
    /// A short hint shown in templates (e.g. `如 FJ01`).
    pub hint: &'static str,
    /// The values offered as a drop-down in templates and exports; empty for
    /// free text. Validation still decides what is accepted (it also takes
    /// aliases such as `支部`).
    pub choices: &'static [&'static str],
}

/// A kind of ledger and its columns, in the order files are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sheet {
    /// English name used on the command line and in URLs (`units`).
    pub kind: &'static str,
    /// Chinese name (`组织`), also the name of the exported worksheet.
    pub zh: &'static str,
    /// English name, as pages in English show it.
    pub en: &'static str,
    pub columns: &'static [Column],
}

impl Sheet {
    /// The column named `key`.
    pub fn column(&self, key: &str) -> Option<&'static Column> {
        self.columns.iter().find(|c| c.key == key)
    }

    /// The position of column `key` in this sheet's own order.
    pub fn position(&self, key: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.key == key)
    }

    /// The column a header cell names, by Chinese header or English key.
    ///
    /// Case and surrounding spaces are ignored, and so are the required-column
    /// markers templates add (`组织编码*`, `组织编码（必填）`).
    pub fn match_header(&self, header: &str) -> Option<&'static Column> {
        let h = strip_markers(header);
        if h.is_empty() {
            return None;
        }
        let english = h.replace([' ', '-'], "_");
        self.columns.iter().find(|c| c.zh == h || c.key.eq_ignore_ascii_case(&english))
    }

    /// Chinese headers in order, as written in exports.
    pub fn headers(&self) -> Vec<String> {
        self.columns.iter().map(|c| c.zh.to_string()).collect()
    }

    /// Chinese headers with required columns marked `*`, as written in templates.
    pub fn marked_headers(&self) -> Vec<String> {
        self.columns.iter().map(|c| if c.required { format!("{}*", c.zh) } else { c.zh.to_string() }).collect()
    }
}

/// Removes spaces and required markers around a header.
fn strip_markers(header: &str) -> &str {
    let mut h = header.trim();
    loop {
        let t = h.trim_start_matches(['*', '＊']).trim_end_matches(['*', '＊']).trim();
        let t = t.strip_suffix("（必填）").or_else(|| t.strip_suffix("(必填)")).unwrap_or(t).trim();
        if t == h {
            return h;
        }
        h = t;
    }
}

pub(crate) const fn req(key: &'static str, zh: &'static str, hint: &'static str) -> Column {
    Column { key, zh, required: true, hint, choices: &[] }
}

pub(crate) const fn opt(key: &'static str, zh: &'static str, hint: &'static str) -> Column {
    Column { key, zh, required: false, hint, choices: &[] }
}

impl Column {
    pub(crate) const fn one_of(self, choices: &'static [&'static str]) -> Column {
        Column { choices, ..self }
    }
}

/// 组织: the party units, one row per unit.
pub const UNITS: Sheet = Sheet {
    kind: "units",
    zh: "组织",
    en: "Units",
    columns: &[
        req("code", "组织编码", "字母、数字或 - _ .，如 FJ01"),
        req("name", "组织名称", "如 中共福建省分公司委员会"),
        opt("short_name", "简称", "如 福建省委"),
        req("kind", "组织类别", "党组/党委/党总支/党支部/党小组").one_of(&[
            "党组",
            "党委",
            "党总支",
            "党支部",
            "党小组",
        ]),
        opt("parent_code", "上级组织编码", "如 FJ；仅最上级组织留空"),
        opt("sort_order", "排序", "整数，越小越靠前，默认 0"),
        opt("founded", "成立日期", "如 2020-07-01"),
        opt("status", "状态", "正常/已撤销，默认 正常").one_of(&["正常", "已撤销"]),
    ],
};

/// 人员: party members and staff, one row per person.
pub const PEOPLE: Sheet = Sheet {
    kind: "people",
    zh: "人员",
    en: "People",
    columns: &[
        req("unit_code", "所在组织编码", "如 FJ0101"),
        req("name", "姓名", "如 张三"),
        opt("gender", "性别", "男/女").one_of(&["男", "女"]),
        req("category", "人员类别", "正式党员/预备党员/团员/群众").one_of(&["正式党员", "预备党员", "团员", "群众"]),
        opt("join_date", "入党日期", "如 2015-07-01"),
        opt("post", "岗位/职务", "如 支部书记"),
        opt("birth_date", "出生日期", "如 1985-03-12"),
        opt("phone", "联系电话", "如 13800138000"),
        opt("id_number", "身份证号", "18 位，如 11010519491231002X"),
    ],
};

/// 网格: the business grids party work must cover.
pub const GRIDS: Sheet = Sheet {
    kind: "grids",
    zh: "网格",
    en: "Grids",
    columns: &[
        req("unit_code", "所属组织编码", "如 NM0101"),
        req("code", "网格编码", "如 NM-G0001"),
        req("name", "网格名称", "如 新城区网格"),
        opt("contact_unit_code", "联系点组织编码", "以此网格为支部联系点的组织编码，可空"),
    ],
};

/// 生产场景: the production scenarios party work must cover.
pub const SCENARIOS: Sheet = Sheet {
    kind: "scenarios",
    zh: "生产场景",
    en: "Production scenarios",
    columns: &[
        req("unit_code", "所属组织编码", "如 GZ0101"),
        req("code", "场景编码", "如 GZ-S01"),
        req("name", "场景名称", "如 5G 基站建设"),
        opt("description", "说明", "可空，最多 500 字"),
    ],
};

/// Every ledger kind, in the order menus list them.
pub const SHEETS: &[Sheet] = &[
    UNITS,
    PEOPLE,
    GRIDS,
    SCENARIOS,
    crate::brands::BRANDS,
    crate::brands::BRAND_ELEMENTS,
    crate::brands::HONORS,
    crate::tasks::TASKS,
    crate::fortresses::FORTRESSES,
    crate::teams::TEAMS,
    crate::commitments::COMMITMENTS,
    crate::assessments::ASSESSMENTS,
    crate::assessments::BUSINESS_RESULTS,
];

/// The audit trail as exported (never imported: the trail is only appended
/// to by the application itself).
pub const AUDIT: Sheet = Sheet {
    kind: "audit",
    zh: "审计日志",
    en: "Audit log",
    columns: &[
        opt("at", "时间", ""),
        opt("username", "用户", ""),
        opt("ip", "地址", ""),
        opt("action", "操作", ""),
        opt("object_kind", "对象类型", ""),
        opt("object_id", "对象编号", ""),
        opt("summary", "摘要", ""),
        opt("before", "修改前", ""),
        opt("after", "修改后", ""),
    ],
};

/// The sheet of a kind, by English name (`units`) or Chinese name (`组织`).
pub fn sheet(kind: &str) -> Option<&'static Sheet> {
    let k = kind.trim();
    SHEETS.iter().find(|s| s.kind.eq_ignore_ascii_case(k) || s.zh == k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_match_by_chinese_or_english_with_markers() {
        let s = sheet("units").unwrap();
        for h in [
            "上级组织编码",
            " 上级组织编码* ",
            "上级组织编码（必填）",
            "上级组织编码(必填)",
            "*上级组织编码",
            "parent_code",
            "Parent_Code",
            "parent code",
        ] {
            assert_eq!(s.match_header(h).map(|c| c.key), Some("parent_code"), "{h}");
        }
        assert!(s.match_header("职级").is_none());
        assert!(s.match_header("*").is_none());
    }

    #[test]
    fn kinds_are_found_by_either_name() {
        assert_eq!(sheet("people").map(|s| s.zh), Some("人员"));
        assert_eq!(sheet("网格").map(|s| s.kind), Some("grids"));
        assert_eq!(sheet("品牌结构").map(|s| s.kind), Some("brand_elements"));
        assert_eq!(sheet("任务台账").map(|s| s.kind), Some("tasks"));
        assert_eq!(sheet("堡垒插旗").map(|s| s.kind), Some("fortresses"));
        assert_eq!(sheet("TEAMS").map(|s| s.zh), Some("队伍"));
        assert_eq!(sheet("党员承诺").map(|s| s.kind), Some("commitments"));
        assert!(sheet("nonesuch").is_none());
    }

    #[test]
    fn keys_and_headers_are_unique_within_a_sheet() {
        for s in SHEETS {
            for (i, c) in s.columns.iter().enumerate() {
                for d in &s.columns[i + 1..] {
                    assert_ne!(c.key, d.key, "{}", s.kind);
                    assert_ne!(c.zh, d.zh, "{}", s.kind);
                }
            }
        }
    }

    #[test]
    fn choices_are_values_the_core_accepts() {
        use qizhi_core::org::{UnitKind, UnitStatus};
        use qizhi_core::person::{Category, Gender};
        let check = |s: &Sheet, key: &str, ok: &dyn Fn(&str) -> bool| {
            for v in s.column(key).unwrap().choices {
                assert!(ok(v), "{key}: {v}");
            }
        };
        check(&UNITS, "kind", &|v| UnitKind::parse(v).is_ok());
        check(&UNITS, "status", &|v| UnitStatus::parse(v).is_ok());
        check(&PEOPLE, "category", &|v| Category::parse(v).is_ok());
        check(&PEOPLE, "gender", &|v| Gender::parse(v).is_ok());
    }
}
