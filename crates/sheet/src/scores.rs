//! Score sheets of a star campaign: one row per branch, one column per
//! indicator of the campaign's scheme, so the columns are built from the
//! scheme. Reading checks every cell (a number within the indicator's max,
//! vetoes the scheme knows) and names each problem by row and column
//! letter; nothing is returned unless every row passes. A results sheet
//! (scores, levels and stars) is written for the apply stage.
//!
//! A [`Sheet`] holds `'static` names, and a scheme's are data: each distinct
//! column list is built once and kept for the life of the process (a few
//! hundred bytes per scheme version).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Mutex, OnceLock};

use qizhi_core::stars::points::Points;
use qizhi_core::stars::scheme::SchemeBody;

use crate::columns::{Column, Sheet};
use crate::error::FileErrors;
use crate::row::Row;

/// One row of a score sheet, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ScoreRow {
    pub line: usize,
    pub unit_code: String,
    /// Every indicator of the scheme, `None` where the cell was empty.
    pub scores: Vec<(String, Option<Points>)>,
    pub comment: Option<String>,
    /// `None` when the file has no veto column.
    pub vetoes: Option<Vec<String>>,
}

type Spec = Vec<(String, String, bool, String)>;

fn leak(s: &str) -> &'static str {
    Box::leak(s.to_string().into_boxed_str())
}

/// The sheet of `spec` (key, Chinese header, required, hint), built once.
fn interned(kind: &'static str, zh: &'static str, en: &'static str, spec: Spec) -> &'static Sheet {
    static SHEETS: OnceLock<Mutex<HashMap<(&'static str, Spec), &'static Sheet>>> = OnceLock::new();
    let mut sheets = SHEETS.get_or_init(Default::default).lock().unwrap_or_else(|p| p.into_inner());
    if let Some(s) = sheets.get(&(kind, spec.clone())) {
        return s;
    }
    let columns: Vec<Column> = spec
        .iter()
        .map(|(key, header, required, hint)| Column {
            key: leak(key),
            zh: leak(header),
            required: *required,
            hint: leak(hint),
            choices: &[],
        })
        .collect();
    let sheet: &'static Sheet =
        Box::leak(Box::new(Sheet { kind, zh, en, columns: Box::leak(columns.into_boxed_slice()) }));
    sheets.insert((kind, spec), sheet);
    sheet
}

/// The header of an indicator's column: `PB1 政治建设（满分 15）`.
pub fn indicator_header(code: &str, name: &str, max: Points) -> String {
    format!("{code} {name}（满分 {max}）")
}

/// The score sheet of a scheme: 组织编码, 组织名称, one column per
/// indicator (header or code accepted), 评分说明 and, when the scheme has
/// vetoes, 否决项.
pub fn scores_sheet(body: &SchemeBody) -> &'static Sheet {
    let mut spec: Spec = vec![
        ("unit_code".into(), "组织编码".into(), true, "党支部的组织编码，如 FJ01-001".into()),
        ("unit_name".into(), "组织名称".into(), false, "仅供对照，导入时不读取".into()),
    ];
    for (_, i) in body.indicators() {
        let hint = if i.auto.is_some() {
            format!("自动计分（{}），自评时无需填写", i.auto.as_ref().map(|a| a.figure.as_str()).unwrap_or(""))
        } else {
            format!("0 到 {} 分，最多两位小数", i.max)
        };
        spec.push((i.code.clone(), indicator_header(&i.code, &i.name, i.max), false, hint));
    }
    spec.push(("comment".into(), "评分说明".into(), false, "审核意见或更正说明；公示后更正评分必填".into()));
    if !body.vetoes.is_empty() {
        let codes: Vec<String> = body.vetoes.iter().map(|v| format!("{} {}", v.code, v.name)).collect();
        spec.push((
            "vetoes".into(),
            "否决项".into(),
            false,
            format!("填写否决项编码，多个用、分隔：{}", codes.join("；")),
        ));
    }
    interned("scores", "评分", "Scores", spec)
}

/// The results sheet of a scheme: branch, parent, target, per dimension
/// score and level, star, status.
pub fn results_sheet(body: &SchemeBody) -> &'static Sheet {
    let mut spec: Spec = vec![
        ("unit_code".into(), "组织编码".into(), true, String::new()),
        ("unit_name".into(), "组织名称".into(), false, String::new()),
        ("parent_name".into(), "上级组织".into(), false, String::new()),
        ("target".into(), "目标星级".into(), false, String::new()),
    ];
    for d in &body.dimensions {
        spec.push((format!("{}_score", d.code), format!("{}得分", d.name), false, String::new()));
        spec.push((format!("{}_level", d.code), format!("{}等次", d.name), false, String::new()));
    }
    spec.push(("star".into(), "评定星级".into(), false, String::new()));
    spec.push(("status".into(), "状态".into(), false, String::new()));
    spec.push(("note".into(), "说明".into(), false, String::new()));
    interned("star_results", "星级评定结果", "Star results", spec)
}

/// Checks every row of a score sheet against the scheme.
pub fn score_rows(rows: &[Row], sheet: &Sheet, body: &SchemeBody) -> Result<Vec<ScoreRow>, FileErrors> {
    let mut errors = FileErrors::new();
    let mut out = Vec::with_capacity(rows.len());
    let vetoes: HashSet<&str> = body.vetoes.iter().map(|v| v.code.as_str()).collect();
    let has_vetoes = rows.first().is_some_and(|r| r.has_column("vetoes")) && sheet.column("vetoes").is_some();
    for row in rows {
        let mut bad = false;
        let unit_code = row.text("unit_code").trim().to_string();
        if unit_code.is_empty() {
            errors.push(row.error(sheet, "unit_code", "不能为空 (required)"));
            bad = true;
        }
        let mut scores = vec![];
        for (_, i) in body.indicators() {
            let p = match Points::parse_optional(row.get(&i.code)) {
                Ok(Some(p)) if p < Points::ZERO || p > i.max => {
                    errors.push(row.error(
                        sheet,
                        &i.code,
                        format!("得分 {p} 超出范围，应为 0 到 {} (score must be 0 to {})", i.max, i.max),
                    ));
                    bad = true;
                    None
                }
                Ok(p) => p,
                Err(m) => {
                    errors.push(row.error(sheet, &i.code, m));
                    bad = true;
                    None
                }
            };
            scores.push((i.code.clone(), p));
        }
        let comment = row.opt("comment");
        if comment.as_deref().is_some_and(|c| c.chars().count() > 1000) {
            errors.push(row.error(sheet, "comment", "最多 1000 字 (at most 1000 characters)"));
            bad = true;
        }
        let found = if has_vetoes {
            let list: Vec<String> = row
                .text("vetoes")
                .split(['、', ',', '，', ';', '；'])
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| s.split_whitespace().next().unwrap_or(s).to_string())
                .collect();
            let unknown: Vec<&String> = list.iter().filter(|v| !vetoes.contains(v.as_str())).collect();
            if !unknown.is_empty() {
                let names: Vec<&str> = unknown.iter().map(|s| s.as_str()).collect();
                let known: Vec<&str> = vetoes.iter().copied().collect();
                errors.push(row.error(
                    sheet,
                    "vetoes",
                    format!("未知的否决项 {}，应为 {} (unknown veto)", names.join("、"), known.join("/")),
                ));
                bad = true;
            }
            Some(list)
        } else {
            None
        };
        if !bad {
            out.push(ScoreRow { line: row.line, unit_code, scores, comment, vetoes: found });
        }
    }
    errors.sort();
    errors.into_result(out)
}

/// One row of a score sheet, in the sheet's column order.
pub fn score_cells(
    body: &SchemeBody,
    unit_code: &str,
    unit_name: &str,
    scores: &BTreeMap<String, Points>,
    comment: Option<&str>,
    vetoes: &[String],
) -> Vec<String> {
    let mut cells = vec![unit_code.to_string(), unit_name.to_string()];
    for (_, i) in body.indicators() {
        cells.push(scores.get(&i.code).map(|p| p.to_string()).unwrap_or_default());
    }
    cells.push(comment.unwrap_or("").to_string());
    if !body.vetoes.is_empty() {
        cells.push(vetoes.join("、"));
    }
    cells
}

#[cfg(test)]
mod tests {
    use qizhi_core::stars::scheme::{Dimension, Indicator, Veto, default_rules};

    use super::*;
    use crate::format::Format;
    use crate::read::read_bytes;

    fn body() -> SchemeBody {
        let ind = |code: &str, max| Indicator {
            code: code.into(),
            name: format!("{code}名"),
            max: Points::whole(max),
            weight: None,
            guide: String::new(),
            evidence: String::new(),
            auto: None,
        };
        SchemeBody {
            dimensions: vec![Dimension {
                code: "PB".into(),
                name: "党建".into(),
                standard: Points::whole(20),
                excellent: Points::whole(30),
                benchmark: Points::whole(35),
                indicators: vec![ind("PB1", 20), ind("PB2", 20)],
            }],
            rules: default_rules("PB", "PB", Points::whole(10), Points::whole(5)),
            vetoes: vec![Veto { code: "V1".into(), name: "违纪".into(), cap: 0 }],
            quotas: vec![],
        }
    }

    #[test]
    fn columns_come_from_the_scheme_and_are_built_once() {
        let s = scores_sheet(&body());
        let headers = s.headers();
        assert_eq!(
            headers,
            ["组织编码", "组织名称", "PB1 PB1名（满分 20）", "PB2 PB2名（满分 20）", "评分说明", "否决项"]
        );
        assert!(std::ptr::eq(s, scores_sheet(&body())), "the same scheme, the same sheet");
        assert_eq!(s.match_header("pb2").map(|c| c.key), Some("PB2"), "the code works as a header");
        let r = results_sheet(&body());
        assert!(r.headers().contains(&"党建等次".to_string()));
    }

    #[test]
    fn every_bad_cell_is_named_by_row_and_column() {
        let b = body();
        let s = scores_sheet(&b);
        let csv = "组织编码,PB2,PB1,否决项\nFJ01-001,12.5,20,\n,21,x,V9\nFJ01-003,,18,V1\n";
        let rows = read_bytes(csv.as_bytes(), Format::Csv, s).unwrap();
        let e = score_rows(&rows, s, &b).unwrap_err();
        let got: Vec<String> = e.errors.iter().map(|e| format!("{}{}", e.line, e.column)).collect();
        assert_eq!(got, ["3A", "3B", "3C", "3D"], "{e}");
        assert!(e.to_string().contains("第 3 行 B 列（PB2 PB2名（满分 20））：得分 21 超出范围"), "{e}");

        let ok = "组织编码,PB1,PB2,否决项\nFJ01-001,20,12.5,\nFJ01-003,18,,V1 违纪\n";
        let rows = read_bytes(ok.as_bytes(), Format::Csv, s).unwrap();
        let rows = score_rows(&rows, s, &b).unwrap();
        assert_eq!(rows[0].scores[1], ("PB2".to_string(), Some(Points(1250))));
        assert_eq!(rows[1].scores[1], ("PB2".to_string(), None));
        assert_eq!(rows[1].vetoes.as_deref(), Some(&["V1".to_string()][..]));
        let no_veto_column = read_bytes("组织编码,PB1\nFJ01-001,3\n".as_bytes(), Format::Csv, s).unwrap();
        assert_eq!(score_rows(&no_veto_column, s, &b).unwrap()[0].vetoes, None);
    }

    #[test]
    fn cells_follow_the_columns() {
        let b = body();
        let scores = BTreeMap::from([("PB2".to_string(), Points(1250))]);
        let cells = score_cells(&b, "FJ01-001", "鼓楼支部", &scores, Some("属实"), &["V1".into()]);
        assert_eq!(cells, ["FJ01-001", "鼓楼支部", "", "12.5", "属实", "V1"]);
        assert_eq!(cells.len(), scores_sheet(&b).columns.len());
    }
}
