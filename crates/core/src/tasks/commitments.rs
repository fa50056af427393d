//! Member commitments (亮承诺): each party member makes commitments for a
//! year — what they will do, of which kind, by when — updates them as they
//! go, and the branch verifies each as fulfilled (已兑现) or not (未兑现)
//! with a comment. Guizhou: "1989 名党员承诺事项 1989 件全量完成".

pub use super::rollup::{commitment_contributions, member_contributions};

use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::{Checker, Invalid, optional_text, required_text};
use crate::ids::{CommitmentId, PersonId, UnitId};

/// 承诺类别.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 岗位建功
    Work,
    /// 服务群众
    Service,
    /// 学习提升
    Study,
    /// 创新创效
    Innovation,
    /// 廉洁自律
    Integrity,
    /// 其他
    Other,
}

impl Category {
    pub const ALL: [Category; 6] = [
        Category::Work,
        Category::Service,
        Category::Study,
        Category::Innovation,
        Category::Integrity,
        Category::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Category::Work => "work",
            Category::Service => "service",
            Category::Study => "study",
            Category::Innovation => "innovation",
            Category::Integrity => "integrity",
            Category::Other => "other",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Category::Work => "岗位建功",
            Category::Service => "服务群众",
            Category::Study => "学习提升",
            Category::Innovation => "创新创效",
            Category::Integrity => "廉洁自律",
            Category::Other => "其他",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Category::Work => "Excel at work",
            Category::Service => "Serve the people",
            Category::Study => "Study",
            Category::Innovation => "Innovate",
            Category::Integrity => "Integrity",
            Category::Other => "Other",
        }
    }

    pub fn parse(value: &str) -> Result<Category, String> {
        let v = value.trim();
        if v.is_empty() {
            return Ok(Category::Other);
        }
        Self::ALL.into_iter().find(|c| c.code() == v || c.zh() == v || c.en().eq_ignore_ascii_case(v)).ok_or_else(
            || {
                format!(
                    "未知的承诺类别 “{v}”，应为 岗位建功/服务群众/学习提升/创新创效/廉洁自律/其他 (unknown category)"
                )
            },
        )
    }
}

/// Where a commitment stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 待核实: made, not yet verified; its member may still change it.
    Pending,
    /// 已兑现
    Fulfilled,
    /// 未兑现
    Unfulfilled,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Pending, Status::Fulfilled, Status::Unfulfilled];

    pub fn code(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Fulfilled => "fulfilled",
            Status::Unfulfilled => "unfulfilled",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Status::Pending => "待核实",
            Status::Fulfilled => "已兑现",
            Status::Unfulfilled => "未兑现",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Status::Pending => "Pending",
            Status::Fulfilled => "Fulfilled",
            Status::Unfulfilled => "Not fulfilled",
        }
    }

    pub fn parse(value: &str) -> Result<Status, String> {
        let v = value.trim();
        Self::ALL
            .into_iter()
            .find(|s| s.code() == v || s.zh() == v || s.en().eq_ignore_ascii_case(v))
            .ok_or_else(|| format!("未知的承诺状态 “{v}”，应为 待核实/已兑现/未兑现 (unknown status)"))
    }
}

/// A commitment as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Commitment {
    pub id: CommitmentId,
    pub person_id: PersonId,
    /// The member's unit when it was made: the branch that verifies it.
    pub unit_id: UnitId,
    #[serde(flatten)]
    pub fields: CommitmentFields,
    pub status: Status,
    pub verification: Option<Verification>,
}

/// What the member writes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommitmentFields {
    pub year: i32,
    /// 承诺内容.
    pub text: String,
    pub category: Category,
    pub due_on: Option<Date>,
    /// 进展情况: what the member reports along the way.
    pub progress_note: Option<String>,
}

/// The branch's verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verification {
    pub by: String,
    pub on: Date,
    pub comment: Option<String>,
}

/// A commitment as typed by its member.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CommitmentInput {
    pub year: String,
    pub text: String,
    pub category: Option<String>,
    pub due_on: Option<String>,
    pub progress_note: Option<String>,
}

impl CommitmentInput {
    pub fn validate(&self) -> Result<CommitmentFields, Invalid> {
        let mut c = Checker::default();
        let year = c.take("year", crate::tasks::parse_year(&self.year));
        let text = c.take("text", required_text(&self.text, 500));
        let category = c.take("category", Category::parse(self.category.as_deref().unwrap_or("")));
        let due_on = c.take("due_on", crate::date::parse_optional(self.due_on.as_deref()));
        let progress_note = c.take("progress_note", optional_text(self.progress_note.as_deref(), 1000));
        c.finish()?;
        Ok(CommitmentFields {
            year: year.unwrap(),
            text: text.unwrap(),
            category: category.unwrap(),
            due_on: due_on.unwrap(),
            progress_note: progress_note.unwrap(),
        })
    }
}

/// A verdict as typed: `fulfilled` / `unfulfilled` (or 已兑现 / 未兑现) and a comment.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct VerifyInput {
    pub result: String,
    pub comment: Option<String>,
}

impl VerifyInput {
    pub fn validate(&self) -> Result<(Status, Option<String>), Invalid> {
        let mut c = Checker::default();
        let status = match Status::parse(&self.result) {
            Ok(Status::Pending) | Err(_) => {
                c.push("result", "核实结果应为 已兑现 或 未兑现 (result must be fulfilled or unfulfilled)");
                None
            }
            Ok(s) => Some(s),
        };
        let comment = c.take("comment", optional_text(self.comment.as_deref(), 500));
        if status == Some(Status::Unfulfilled) && comment.as_ref().is_some_and(Option::is_none) {
            c.push("comment", "未兑现时请写明原因 (say why it was not fulfilled)");
        }
        c.finish()?;
        Ok((status.unwrap(), comment.unwrap()))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::figures::{RollupDelta, Span, compute};

    fn figures(years_per_member: &[&[i32]], span: Span) -> i64 {
        let mut d = RollupDelta::default();
        for years in years_per_member {
            d.add(&[UnitId(1)], &member_contributions(&years.iter().copied().collect()), 1);
        }
        let rows: Vec<_> = d.cells().into_iter().map(|(_, y, k, v)| (y, k.to_string(), v)).collect();
        compute(&rows, span)["commitments.members"].count().unwrap()
    }

    #[test]
    fn a_member_counts_once_per_span() {
        let members: &[&[i32]] = &[&[2022, 2023, 2024], &[2024], &[2021]];
        assert_eq!(figures(members, Span { from: 2024, to: 2024 }), 2);
        assert_eq!(figures(members, Span { from: 2021, to: 2024 }), 3);
        assert_eq!(figures(members, Span { from: 2022, to: 2023 }), 1);
        assert_eq!(figures(members, Span { from: 2025, to: 2026 }), 0);
    }

    #[test]
    fn adding_a_year_moves_its_neighbour() {
        let before: BTreeSet<i32> = [2022, 2024].into();
        let after: BTreeSet<i32> = [2022, 2023, 2024].into();
        let mut d = RollupDelta::default();
        d.add(&[UnitId(1)], &member_contributions(&before), -1);
        d.add(&[UnitId(1)], &member_contributions(&after), 1);
        let changed: Vec<(i32, String, i64)> =
            d.cells().into_iter().map(|(_, y, k, v)| (y, k.to_string(), v)).collect();
        assert_eq!(
            changed,
            [
                (2023, "commitments.members@2022".to_string(), 1),
                (2024, "commitments.members@2022".to_string(), -1),
                (2024, "commitments.members@2023".to_string(), 1),
            ]
        );
    }

    #[test]
    fn inputs_and_verdicts_are_checked() {
        let ok = CommitmentInput {
            year: "2024".into(),
            text: "带头完成 5G 基站入网验收".into(),
            category: Some("岗位建功".into()),
            ..Default::default()
        };
        assert_eq!(ok.validate().unwrap().category, Category::Work);
        let bad = CommitmentInput { year: "24".into(), text: "".into(), category: Some("x".into()), ..ok };
        let fields: Vec<_> = bad.validate().unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["year", "text", "category"]);
        assert_eq!(
            VerifyInput { result: "已兑现".into(), comment: None }.validate().unwrap(),
            (Status::Fulfilled, None)
        );
        let e = VerifyInput { result: "unfulfilled".into(), comment: Some(" ".into()) }.validate().unwrap_err();
        assert_eq!(e.errors[0].field, "comment");
        assert!(VerifyInput { result: "pending".into(), comment: None }.validate().is_err());
    }

    #[test]
    fn fulfilled_commitments_count_twice() {
        let c = Commitment {
            id: CommitmentId(1),
            person_id: PersonId(1),
            unit_id: UnitId(1),
            fields: CommitmentInput { year: "2024".into(), text: "x".into(), ..Default::default() }.validate().unwrap(),
            status: Status::Fulfilled,
            verification: None,
        };
        assert_eq!(commitment_contributions(&c).len(), 2);
    }
}
