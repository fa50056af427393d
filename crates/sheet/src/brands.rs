//! The brand ledgers: brands (品牌), brand structures (品牌结构, one row per
//! element, its place given by an outline number `1`, `1.2`, `1.2.1`) and
//! honors (荣誉). Columns, row conversion and validation, whole-file checks,
//! and export cells, like the organization's ledgers.

use std::collections::HashMap;

use qizhi_core::brand::{
    Brand, BrandFields, BrandInput, BrandStatus, ElementFields, ElementInput, Honor, HonorFields, HonorInput,
    parse_outline,
};
use qizhi_core::org::parse_code;
use qizhi_core::{FieldError, Invalid};

use crate::columns::{Column, Sheet};
use crate::error::FileErrors;
use crate::row::Row;
use crate::validate::{check, row_at};

const fn req(key: &'static str, zh: &'static str, hint: &'static str, choices: &'static [&'static str]) -> Column {
    Column { key, zh, required: true, hint, choices }
}

const fn opt(key: &'static str, zh: &'static str, hint: &'static str, choices: &'static [&'static str]) -> Column {
    Column { key, zh, required: false, hint, choices }
}

/// 品牌: one row per brand.
pub const BRANDS: Sheet = Sheet {
    kind: "brands",
    zh: "品牌",
    en: "Brands",
    columns: &[
        req("code", "品牌编码", "唯一，字母、数字或 - _ .，如 ZJ04-B01", &[]),
        req("unit_code", "所属组织编码", "打造该品牌的组织，如 ZJ04", &[]),
        req("name", "品牌名称", "如 五心领航", &[]),
        req(
            "category",
            "品牌类别",
            "党建品牌/党建活动品牌/党建共建品牌/支部品牌",
            &["党建品牌", "党建活动品牌", "党建共建品牌", "支部品牌"],
        ),
        opt("parent_code", "上级品牌编码", "子品牌所属的主品牌编码（品牌矩阵），可空", &[]),
        opt("slogan", "品牌口号", "最多 100 字", &[]),
        opt("concept", "品牌理念", "品牌理念与内涵，最多 2000 字", &[]),
        opt("heritage", "红色传承", "如 红船精神、井冈山精神", &[]),
        opt("founded_year", "创建年份", "四位年份，如 2019", &[]),
        opt("figures", "关联统计数字", "统计数字的英文名，用逗号分隔，如 org.branches,grids.coverage_rate", &[]),
        opt(
            "status",
            "品牌状态",
            "导出时写出；导入时须与系统中的状态一致（晋升须申报审核），新品牌留空",
            &["草稿", "培育", "创建", "成熟", "示范"],
        ),
    ],
};

/// 品牌结构: one row per element of a brand's structure.
pub const BRAND_ELEMENTS: Sheet = Sheet {
    kind: "brand_elements",
    zh: "品牌结构",
    en: "Brand structures",
    columns: &[
        req("brand_code", "品牌编码", "如 ZJ04-B01；文件中出现的品牌，其结构整体替换为文件中的行", &[]),
        req("outline", "编号", "表示层级和顺序：1、1.1、1.2、2 …", &[]),
        req(
            "kind",
            "元素类型",
            "分组/理念/指导思想/工程/队伍/课堂/阵地/机制/行动/载体/保障/步骤/其他",
            &[
                "分组",
                "理念",
                "指导思想",
                "工程",
                "队伍",
                "课堂",
                "阵地",
                "机制",
                "行动",
                "载体",
                "保障",
                "步骤",
                "其他",
            ],
        ),
        req("title", "名称", "如 不忘初心、政治引领工程", &[]),
        opt("text", "内容", "说明，最多 1000 字", &[]),
    ],
};

/// 荣誉: one row per honor.
pub const HONORS: Sheet = Sheet {
    kind: "honors",
    zh: "荣誉",
    en: "Honors",
    columns: &[
        req("unit_code", "所属组织编码", "登记该荣誉的组织", &[]),
        req("title", "荣誉名称", "如 中央企业青年文明号", &[]),
        req(
            "level",
            "荣誉级别",
            "国家级/中央企业级/省部级/地市级/集团级/单位内部",
            &["国家级", "中央企业级", "省部级", "地市级", "集团级", "单位内部"],
        ),
        opt("issuer", "颁发单位", "如 共青团中央、国务院国资委", &[]),
        req("awarded_on", "获得日期", "如 2023-11-01，只知道月份时写 2023-11", &[]),
        req("holder_kind", "获得者类型", "品牌/组织/团队/个人", &["品牌", "组织", "团队", "个人"]),
        opt("holder_code", "获得者编码", "品牌编码、组织编码或个人身份证号；团队不填；组织留空即所属组织", &[]),
        opt("holder_name", "获得者名称", "团队名称；个人未填身份证号时填本组织人员姓名", &[]),
        opt("brand_code", "关联品牌编码", "荣誉在打造哪个品牌中获得，可空", &[]),
        opt("note", "备注", "最多 500 字", &[]),
    ],
};

/// A valid brand row.
#[derive(Debug, Clone, PartialEq)]
pub struct BrandLedgerRow {
    pub unit_code: String,
    pub parent_code: Option<String>,
    pub fields: BrandFields,
    pub status: Option<BrandStatus>,
}

/// A valid structure row.
#[derive(Debug, Clone, PartialEq)]
pub struct ElementLedgerRow {
    pub brand_code: String,
    pub outline: Vec<u32>,
    pub fields: ElementFields,
}

/// A valid honor row.
#[derive(Debug, Clone, PartialEq)]
pub struct HonorLedgerRow {
    pub unit_code: String,
    pub fields: HonorFields,
    pub holder_code: Option<String>,
    pub brand_code: Option<String>,
}

fn code(row: &Row, key: &str, required: bool, errors: &mut Vec<FieldError>) -> Option<String> {
    match row.get(key) {
        None if !required => None,
        value => match parse_code(value.unwrap_or("")) {
            Ok(c) => Some(c),
            Err(m) => {
                errors.push(FieldError::new(key, m));
                None
            }
        },
    }
}

fn finish<F, T>(
    fields: Result<F, Invalid>,
    mut errors: Vec<FieldError>,
    make: impl FnOnce(F) -> T,
) -> Result<T, Invalid> {
    match fields {
        Ok(f) if errors.is_empty() => Ok(make(f)),
        Ok(_) => Err(Invalid { errors }),
        Err(invalid) => {
            errors.extend(invalid.errors);
            Err(Invalid { errors })
        }
    }
}

pub fn brand_row(row: &Row) -> Result<BrandLedgerRow, Invalid> {
    let mut errors = vec![];
    let unit_code = code(row, "unit_code", true, &mut errors);
    let parent_code = code(row, "parent_code", false, &mut errors);
    let status = match row.get("status").map(BrandStatus::parse) {
        None => None,
        Some(Ok(s)) => Some(s),
        Some(Err(m)) => {
            errors.push(FieldError::new("status", m));
            None
        }
    };
    let input = BrandInput {
        code: row.text("code").to_string(),
        name: row.text("name").to_string(),
        category: row.text("category").to_string(),
        slogan: row.opt("slogan"),
        concept: row.opt("concept"),
        heritage: row.opt("heritage"),
        founded_year: row.opt("founded_year"),
        figures: row.opt("figures").into_iter().collect(),
    };
    finish(input.validate(), errors, |fields| BrandLedgerRow {
        unit_code: unit_code.unwrap_or_default(),
        parent_code,
        fields,
        status,
    })
}

pub fn element_row(row: &Row) -> Result<ElementLedgerRow, Invalid> {
    let mut errors = vec![];
    let brand_code = code(row, "brand_code", true, &mut errors);
    let outline = match parse_outline(row.text("outline")) {
        Ok(o) => Some(o),
        Err(m) => {
            errors.push(FieldError::new("outline", m));
            None
        }
    };
    let input = ElementInput {
        kind: row.text("kind").to_string(),
        title: row.text("title").to_string(),
        text: row.opt("text"),
    };
    finish(input.validate(), errors, |fields| ElementLedgerRow {
        brand_code: brand_code.unwrap_or_default(),
        outline: outline.unwrap_or_default(),
        fields,
    })
}

pub fn honor_row(row: &Row) -> Result<HonorLedgerRow, Invalid> {
    let mut errors = vec![];
    let unit_code = code(row, "unit_code", true, &mut errors);
    let brand_code = code(row, "brand_code", false, &mut errors);
    let input = HonorInput {
        title: row.text("title").to_string(),
        level: row.text("level").to_string(),
        issuer: row.opt("issuer"),
        awarded_on: row.text("awarded_on").to_string(),
        holder_kind: row.text("holder_kind").to_string(),
        holder_name: row.text("holder_name").to_string(),
        note: row.opt("note"),
    };
    let holder_code = row.opt("holder_code");
    finish(input.validate(), errors, |fields| HonorLedgerRow {
        unit_code: unit_code.unwrap_or_default(),
        fields,
        holder_code,
        brand_code,
    })
}

/// Reports rows whose `key` repeats an earlier row's.
fn unique<T>(
    rows: &[Row],
    sheet: &Sheet,
    valid: &[(usize, T)],
    key: &str,
    value: impl Fn(&T) -> String,
    errors: &mut FileErrors,
) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (line, item) in valid {
        let v = value(item);
        match seen.get(&v) {
            Some(first) => {
                if let Some(row) = row_at(rows, *line) {
                    errors.push(row.error(sheet, key, format!("与第 {first} 行重复 (duplicate of row {first})")));
                }
            }
            None => {
                seen.insert(v, *line);
            }
        }
    }
}

/// The brand rows of a file; a brand code may appear once.
pub fn brands(rows: &[Row]) -> Result<Vec<(usize, BrandLedgerRow)>, FileErrors> {
    let (valid, mut errors) = check(rows, &BRANDS, brand_row);
    unique(rows, &BRANDS, &valid, "code", |b| b.fields.code.clone(), &mut errors);
    errors.sort();
    errors.into_result(valid)
}

/// The structure rows of a file; an outline number may appear once per brand.
pub fn brand_elements(rows: &[Row]) -> Result<Vec<(usize, ElementLedgerRow)>, FileErrors> {
    let (valid, mut errors) = check(rows, &BRAND_ELEMENTS, element_row);
    unique(rows, &BRAND_ELEMENTS, &valid, "outline", |e| format!("{} {:?}", e.brand_code, e.outline), &mut errors);
    errors.sort();
    errors.into_result(valid)
}

/// The honor rows of a file.
pub fn honors(rows: &[Row]) -> Result<Vec<(usize, HonorLedgerRow)>, FileErrors> {
    let (valid, mut errors) = check(rows, &HONORS, honor_row);
    errors.sort();
    errors.into_result(valid)
}

fn cells(sheet: &Sheet, value: impl Fn(&str) -> Option<String>) -> Vec<String> {
    sheet.columns.iter().map(|c| value(c.key).unwrap_or_default()).collect()
}

/// A brand row of an export.
pub fn brand_cells(b: &Brand, unit_code: &str, parent_code: Option<&str>) -> Vec<String> {
    let f = &b.fields;
    cells(&BRANDS, |key| match key {
        "code" => Some(f.code.clone()),
        "unit_code" => Some(unit_code.to_string()),
        "name" => Some(f.name.clone()),
        "category" => Some(f.category.zh().to_string()),
        "parent_code" => parent_code.map(str::to_string),
        "slogan" => f.slogan.clone(),
        "concept" => f.concept.clone(),
        "heritage" => f.heritage.clone(),
        "founded_year" => f.founded_year.map(|y| y.to_string()),
        "figures" => (!f.figures.is_empty()).then(|| f.figures.join(",")),
        "status" => Some(b.status.zh().to_string()),
        _ => None,
    })
}

/// A structure row of an export.
pub fn element_cells(brand_code: &str, outline: &str, e: &ElementFields) -> Vec<String> {
    cells(&BRAND_ELEMENTS, |key| match key {
        "brand_code" => Some(brand_code.to_string()),
        "outline" => Some(outline.to_string()),
        "kind" => Some(e.kind.zh().to_string()),
        "title" => Some(e.title.clone()),
        "text" => e.text.clone(),
        _ => None,
    })
}

/// An honor row of an export; `holder_code` is the holder's brand code,
/// unit code or (for those allowed to see it) ID number.
pub fn honor_cells(unit_code: &str, h: &Honor, holder_code: Option<&str>, brand_code: Option<&str>) -> Vec<String> {
    let f = &h.fields;
    cells(&HONORS, |key| match key {
        "unit_code" => Some(unit_code.to_string()),
        "title" => Some(f.title.clone()),
        "level" => Some(f.level.zh().to_string()),
        "issuer" => f.issuer.clone(),
        "awarded_on" => Some(qizhi_core::date::iso(f.awarded_on)),
        "holder_kind" => Some(f.holder_kind.zh().to_string()),
        "holder_code" => holder_code.map(str::to_string),
        "holder_name" => Some(f.holder_name.clone()),
        "brand_code" => brand_code.map(str::to_string),
        "note" => f.note.clone(),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use qizhi_core::brand::{BrandCategory, ElementKind, HolderKind, HonorLevel};

    use super::*;

    fn row(line: usize, cells: &[(&'static str, &str)]) -> Row {
        Row::new(line, cells.iter().map(|(k, v)| (*k, v.to_string())).collect::<BTreeMap<_, _>>())
    }

    #[test]
    fn choices_are_values_the_core_accepts() {
        for (sheet, key, ok) in [
            (&BRANDS, "category", (|v: &str| BrandCategory::parse(v).is_ok()) as fn(&str) -> bool),
            (&BRANDS, "status", |v| BrandStatus::parse(v).is_ok()),
            (&BRAND_ELEMENTS, "kind", |v| ElementKind::parse(v).is_ok()),
            (&HONORS, "level", |v| HonorLevel::parse(v).is_ok()),
            (&HONORS, "holder_kind", |v| HolderKind::parse(v).is_ok()),
        ] {
            for v in sheet.column(key).unwrap().choices {
                assert!(ok(v), "{}.{key}: {v}", sheet.kind);
            }
        }
    }

    #[test]
    fn rows_convert_and_every_bad_cell_is_named() {
        let b = brand_row(&row(
            2,
            &[
                ("code", "ZJ04-B01"),
                ("unit_code", "ZJ04"),
                ("name", "五心领航"),
                ("category", "党建品牌"),
                ("status", "成熟"),
                ("founded_year", "2019"),
            ],
        ))
        .unwrap();
        assert_eq!((b.status, b.fields.founded_year), (Some(BrandStatus::Mature), Some(2019)));
        let e = brand_row(&row(
            3,
            &[("code", "五心"), ("unit_code", ""), ("name", "x"), ("category", "品牌"), ("status", "优秀")],
        ))
        .unwrap_err();
        let fields: Vec<_> = e.errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["unit_code", "status", "code", "category"]);
        let el = element_row(&row(
            2,
            &[("brand_code", "ZJ04-B01"), ("outline", "2.1"), ("kind", "工程"), ("title", "政治引领工程")],
        ))
        .unwrap();
        assert_eq!(el.outline, [2, 1]);
        assert_eq!(
            element_row(&row(2, &[("brand_code", "B"), ("outline", "二"), ("kind", "x"), ("title", "t")]))
                .unwrap_err()
                .errors
                .len(),
            2
        );
        let h = honor_row(&row(
            2,
            &[
                ("unit_code", "HI"),
                ("title", "入选海南自贸港国企党建品牌"),
                ("level", "省部级"),
                ("awarded_on", "2023-11"),
                ("holder_kind", "品牌"),
                ("holder_code", "HI-B01"),
            ],
        ))
        .unwrap();
        assert_eq!(h.fields.awarded_on, time::macros::date!(2023 - 11 - 01));
        assert!(
            honor_row(&row(
                2,
                &[
                    ("unit_code", "HI"),
                    ("title", "x"),
                    ("level", "省部级"),
                    ("awarded_on", "2023-11"),
                    ("holder_kind", "团队")
                ]
            ))
            .is_err(),
            "a team needs its name"
        );
    }

    #[test]
    fn repeats_within_a_file_are_reported() {
        let b = |line, code: &str| {
            row(line, &[("code", code), ("unit_code", "ZJ04"), ("name", "x"), ("category", "党建品牌")])
        };
        let e = brands(&[b(2, "A1"), b(3, "A1")]).unwrap_err();
        assert_eq!((e.errors[0].line, e.errors[0].column.as_str()), (3, "A"));
        let el = |line, o: &str| row(line, &[("brand_code", "A1"), ("outline", o), ("kind", "理念"), ("title", "t")]);
        assert_eq!(
            brand_elements(&[el(2, "1"), el(3, "1.0.")]).map(|v| v.len()).unwrap_or(0),
            0,
            "1.0 is not a number"
        );
        assert_eq!(brand_elements(&[el(2, "1"), el(3, "1")]).unwrap_err().errors[0].line, 3);
    }
}
