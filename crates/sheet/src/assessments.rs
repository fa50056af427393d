//! The assessment ledgers: the scores an issuer gives the units below it
//! (考核得分, one row per unit, kind and year) and units' yearly business
//! results (经营业绩). Ranks, tiers and streaks are never columns: they are
//! computed from these.

use qizhi_core::recognition::AssessmentKind;
use qizhi_core::stars::points::Points;
use qizhi_core::tasks::parse_year;
use qizhi_core::{FieldError, Invalid};

use crate::columns::{Sheet, req};
use crate::convert::code;
use crate::error::FileErrors;
use crate::export::cells;
use crate::import::unique;
use crate::row::Row;
use crate::validate::check;

/// 考核得分.
pub const ASSESSMENTS: Sheet = Sheet {
    kind: "assessments",
    zh: "考核得分",
    en: "Assessment scores",
    columns: &[
        req("issuer_code", "考核单位编码", "组织考核的上级组织，如 HA"),
        req("unit_code", "被考核单位编码", "考核单位之下的组织，如 HA01"),
        req("kind", "考核类别", "党建考核/经营业绩考核/宣传思想文化工作考核").one_of(&[
            "党建考核",
            "经营业绩考核",
            "宣传思想文化工作考核",
        ]),
        req("year", "年度", "如 2024"),
        req("score", "得分", "数字，最多两位小数，如 95.5"),
    ],
};

/// 经营业绩.
pub const BUSINESS_RESULTS: Sheet = Sheet {
    kind: "business_results",
    zh: "经营业绩",
    en: "Business results",
    columns: &[
        req("unit_code", "单位编码", "如 ZJ04"),
        req("year", "年度", "如 2024"),
        req("value", "经营业绩", "数字，最多两位小数（如收入指数 103.5）；逐年比较得出增长"),
    ],
};

/// A row of scores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreRow {
    pub issuer_code: String,
    pub unit_code: String,
    pub kind: AssessmentKind,
    pub year: i32,
    pub score: Points,
}

/// A row of business results.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultRow {
    pub unit_code: String,
    pub year: i32,
    pub value: Points,
}

fn take<T>(errors: &mut Vec<FieldError>, key: &str, r: Result<T, String>) -> Option<T> {
    r.map_err(|m| errors.push(FieldError::new(key, m))).ok()
}

pub fn score_row(row: &Row) -> Result<ScoreRow, Invalid> {
    let mut errors = vec![];
    let issuer_code = code(row, "issuer_code", true, &mut errors);
    let unit_code = code(row, "unit_code", true, &mut errors);
    let kind = take(&mut errors, "kind", AssessmentKind::parse(row.text("kind")));
    let year = take(&mut errors, "year", parse_year(row.text("year")));
    let score = take(&mut errors, "score", Points::parse(row.text("score")));
    match (issuer_code, unit_code, kind, year, score) {
        (Some(issuer_code), Some(unit_code), Some(kind), Some(year), Some(score)) if errors.is_empty() => {
            Ok(ScoreRow { issuer_code, unit_code, kind, year, score })
        }
        _ => Err(Invalid { errors }),
    }
}

pub fn result_row(row: &Row) -> Result<ResultRow, Invalid> {
    let mut errors = vec![];
    let unit_code = code(row, "unit_code", true, &mut errors);
    let year = take(&mut errors, "year", parse_year(row.text("year")));
    let value = take(&mut errors, "value", Points::parse(row.text("value")));
    match (unit_code, year, value) {
        (Some(unit_code), Some(year), Some(value)) if errors.is_empty() => Ok(ResultRow { unit_code, year, value }),
        _ => Err(Invalid { errors }),
    }
}

/// Every row of a score sheet checked, and no unit scored twice in a kind and year.
pub fn scores(rows: &[Row]) -> (Vec<(usize, ScoreRow)>, FileErrors) {
    let (valid, mut errors) = check(rows, &ASSESSMENTS, score_row);
    let keys: Vec<(usize, String)> =
        valid.iter().map(|(l, r)| (*l, format!("{} {} {}", r.unit_code, r.kind.zh(), r.year))).collect();
    unique(rows, &ASSESSMENTS, &keys, "unit_code", "被考核单位、类别和年度", |k| Some(k.as_str()), &mut errors);
    errors.sort();
    (valid, errors)
}

/// Every row of a results sheet checked, and no unit's year twice.
pub fn results(rows: &[Row]) -> (Vec<(usize, ResultRow)>, FileErrors) {
    let (valid, mut errors) = check(rows, &BUSINESS_RESULTS, result_row);
    let keys: Vec<(usize, String)> = valid.iter().map(|(l, r)| (*l, format!("{} {}", r.unit_code, r.year))).collect();
    unique(rows, &BUSINESS_RESULTS, &keys, "unit_code", "单位和年度", |k| Some(k.as_str()), &mut errors);
    errors.sort();
    (valid, errors)
}

pub fn score_cells(r: &ScoreRow) -> Vec<String> {
    cells(&ASSESSMENTS, |key| match key {
        "issuer_code" => Some(r.issuer_code.clone()),
        "unit_code" => Some(r.unit_code.clone()),
        "kind" => Some(r.kind.zh().to_string()),
        "year" => Some(r.year.to_string()),
        "score" => Some(r.score.to_string()),
        _ => None,
    })
}

pub fn result_cells(r: &ResultRow) -> Vec<String> {
    cells(&BUSINESS_RESULTS, |key| match key {
        "unit_code" => Some(r.unit_code.clone()),
        "year" => Some(r.year.to_string()),
        "value" => Some(r.value.to_string()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    fn row(line: usize, pairs: &[(&str, &str)]) -> Row {
        let cells: BTreeMap<&'static str, String> =
            pairs.iter().map(|(k, v)| (ASSESSMENTS.column(k).expect("a column").key, v.to_string())).collect();
        Row::new(line, cells)
    }

    #[test]
    fn a_score_row_names_each_cell_that_is_wrong_and_a_unit_scored_twice() {
        let good =
            [("issuer_code", "HA"), ("unit_code", "HA01"), ("kind", "党建考核"), ("year", "2024"), ("score", "96.5")];
        let r = score_row(&row(2, &good)).unwrap();
        assert_eq!((r.kind, r.year, r.score), (AssessmentKind::PartyBuilding, 2024, Points(9650)));
        let bad = row(
            3,
            &[("issuer_code", "HA"), ("unit_code", "HA02"), ("kind", "体育"), ("year", "24"), ("score", "九十")],
        );
        let e = score_row(&bad).unwrap_err();
        let fields: Vec<&str> = e.errors.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["kind", "year", "score"]);
        let (valid, errors) = scores(&[row(2, &good), row(3, &good)]);
        assert_eq!(valid.len(), 2);
        assert_eq!(errors.errors.len(), 1, "the second row repeats the first");
    }
}
