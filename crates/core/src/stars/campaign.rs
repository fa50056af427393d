//! A campaign (评选活动) runs a scheme over a unit's subtree through its
//! stages, and keeps each branch's place in it (an entry). Which action a
//! stage allows, and what a branch still lacks, is decided here.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::Date;

use crate::error::{Checker, Invalid, optional_text, required_text};
use crate::stars::MAX_STARS;
use crate::stars::scheme::SchemeBody;

/// The stages of a campaign, in order: 创建 → 自评 → 审核 → 公示 → 命名 → 应用.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Branches declare a target star and a plan.
    Create,
    /// Branches score themselves per indicator, with evidence.
    #[serde(rename = "self")]
    SelfAssess,
    /// Reviewers at the parent (and, with two levels, at the campaign's unit) score and comment.
    Review,
    /// Results are published; objections are recorded and answered.
    Publicity,
    /// Stars are fixed (命名).
    Award,
    /// Results are applied (incentives); a star may be withdrawn with a reason.
    Apply,
}

impl Stage {
    pub const ALL: [Stage; 6] =
        [Stage::Create, Stage::SelfAssess, Stage::Review, Stage::Publicity, Stage::Award, Stage::Apply];

    pub fn code(self) -> &'static str {
        match self {
            Stage::Create => "create",
            Stage::SelfAssess => "self",
            Stage::Review => "review",
            Stage::Publicity => "publicity",
            Stage::Award => "award",
            Stage::Apply => "apply",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Stage::Create => "创建申报",
            Stage::SelfAssess => "支部自评",
            Stage::Review => "上级审核",
            Stage::Publicity => "结果公示",
            Stage::Award => "命名授星",
            Stage::Apply => "结果应用",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Stage::Create => "Create",
            Stage::SelfAssess => "Self-assessment",
            Stage::Review => "Review",
            Stage::Publicity => "Publicity",
            Stage::Award => "Award",
            Stage::Apply => "Apply",
        }
    }

    pub fn parse(value: &str) -> Result<Stage, String> {
        let v = value.trim();
        Self::ALL
            .into_iter()
            .find(|s| s.code() == v || s.zh() == v || s.en().eq_ignore_ascii_case(v))
            .ok_or_else(|| format!("未知的阶段 “{v}” (unknown stage)"))
    }

    pub fn next(self) -> Option<Stage> {
        Self::ALL.into_iter().find(|s| *s > self)
    }

    pub fn previous(self) -> Option<Stage> {
        Self::ALL.into_iter().rev().find(|s| *s < self)
    }

    /// Whether stars have been fixed.
    pub fn awarded(self) -> bool {
        self >= Stage::Award
    }

    /// Whether a campaign may move from `self` to `to`: one step forward, or
    /// one step back while stars are not yet fixed.
    pub fn may_move_to(self, to: Stage) -> Result<(), String> {
        if Some(to) == self.next() || (Some(to) == self.previous() && !self.awarded()) {
            Ok(())
        } else if self.awarded() && to < self {
            Err("星级已命名，活动不能退回 (stars are awarded: the campaign cannot go back)".into())
        } else {
            Err(format!(
                "活动只能从“{}”进入下一阶段或退回上一阶段，不能进入“{}” (one stage forward or back only)",
                self.zh(),
                to.zh()
            ))
        }
    }
}

/// A branch's progress in a campaign.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryStatus {
    /// 未申报: nothing declared yet.
    Open,
    /// 已申报: target star and plan declared.
    Declared,
    /// 已退回: a reviewer sent the self-assessment back.
    Returned,
    /// 已自评: self-assessment submitted, awaiting review.
    Submitted,
    /// 初审完成: reviewed at the first level (the parent unit).
    Reviewed1,
    /// 复审完成: reviewed at the second level (the campaign's unit).
    Reviewed2,
}

impl EntryStatus {
    pub const ALL: [EntryStatus; 6] = [
        EntryStatus::Open,
        EntryStatus::Declared,
        EntryStatus::Returned,
        EntryStatus::Submitted,
        EntryStatus::Reviewed1,
        EntryStatus::Reviewed2,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EntryStatus::Open => "open",
            EntryStatus::Declared => "declared",
            EntryStatus::Returned => "returned",
            EntryStatus::Submitted => "submitted",
            EntryStatus::Reviewed1 => "reviewed1",
            EntryStatus::Reviewed2 => "reviewed2",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            EntryStatus::Open => "未申报",
            EntryStatus::Declared => "已申报",
            EntryStatus::Returned => "已退回修改",
            EntryStatus::Submitted => "已提交自评",
            EntryStatus::Reviewed1 => "初审完成",
            EntryStatus::Reviewed2 => "复审完成",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            EntryStatus::Open => "Not declared",
            EntryStatus::Declared => "Declared",
            EntryStatus::Returned => "Returned",
            EntryStatus::Submitted => "Self-assessed",
            EntryStatus::Reviewed1 => "Reviewed (level 1)",
            EntryStatus::Reviewed2 => "Reviewed (level 2)",
        }
    }

    pub fn parse(value: &str) -> Result<EntryStatus, String> {
        let v = value.trim();
        Self::ALL.into_iter().find(|s| s.code() == v).ok_or_else(|| format!("未知的状态 “{v}” (unknown status)"))
    }

    /// Whether the review a campaign with `levels` review levels asks for is done.
    pub fn review_done(self, levels: u8) -> bool {
        match levels {
            2 => self == EntryStatus::Reviewed2,
            _ => self >= EntryStatus::Reviewed1,
        }
    }
}

/// Which scores a stage of scoring writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ScoreStage {
    /// The branch's own scores.
    #[serde(rename = "self")]
    SelfAssess,
    /// The first review level (the branch's parent).
    Review1,
    /// The second review level (the campaign's unit).
    Review2,
}

impl ScoreStage {
    pub const ALL: [ScoreStage; 3] = [ScoreStage::SelfAssess, ScoreStage::Review1, ScoreStage::Review2];

    pub fn code(self) -> &'static str {
        match self {
            ScoreStage::SelfAssess => "self",
            ScoreStage::Review1 => "review1",
            ScoreStage::Review2 => "review2",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            ScoreStage::SelfAssess => "自评",
            ScoreStage::Review1 => "初审",
            ScoreStage::Review2 => "复审",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            ScoreStage::SelfAssess => "Self",
            ScoreStage::Review1 => "Review 1",
            ScoreStage::Review2 => "Review 2",
        }
    }

    pub fn parse(value: &str) -> Result<ScoreStage, String> {
        let v = value.trim();
        Self::ALL
            .into_iter()
            .find(|s| s.code() == v || s.zh() == v)
            .ok_or_else(|| format!("未知的评分环节 “{v}”，应为 self/review1/review2 (unknown scoring stage)"))
    }

    /// The review level (1 or 2); `None` for self-assessment.
    pub fn level(self) -> Option<u8> {
        match self {
            ScoreStage::SelfAssess => None,
            ScoreStage::Review1 => Some(1),
            ScoreStage::Review2 => Some(2),
        }
    }

    /// The scores a branch's star is computed from: the last review level the
    /// campaign asks for once it is done, else the first, else its own.
    pub fn final_for(status: EntryStatus, levels: u8) -> ScoreStage {
        match status {
            EntryStatus::Reviewed2 if levels == 2 => ScoreStage::Review2,
            EntryStatus::Reviewed1 | EntryStatus::Reviewed2 => ScoreStage::Review1,
            _ => ScoreStage::SelfAssess,
        }
    }
}

/// Why an action is refused at this point, in the user's words.
pub type Refusal = String;

fn stage_is(stage: Stage, allowed: &[Stage], what: &str) -> Result<(), Refusal> {
    if allowed.contains(&stage) {
        Ok(())
    } else {
        let names: Vec<&str> = allowed.iter().map(|s| s.zh()).collect();
        Err(format!(
            "当前阶段为“{}”，{what}只能在“{}”阶段进行 (not allowed in this stage)",
            stage.zh(),
            names.join("”或“")
        ))
    }
}

/// Declaring (or changing) a target star and plan.
pub fn may_declare(stage: Stage, status: EntryStatus) -> Result<(), Refusal> {
    stage_is(stage, &[Stage::Create, Stage::SelfAssess], "申报")?;
    if status >= EntryStatus::Submitted {
        return Err("自评已提交，不能再修改申报 (self-assessment already submitted)".into());
    }
    Ok(())
}

/// Saving or submitting the branch's own scores: in the self-assessment
/// stage, or later when a reviewer sent them back.
pub fn may_self_assess(stage: Stage, status: EntryStatus) -> Result<(), Refusal> {
    if status == EntryStatus::Returned && stage <= Stage::Review {
        return Ok(());
    }
    stage_is(stage, &[Stage::SelfAssess], "自评")?;
    if status >= EntryStatus::Submitted {
        return Err("自评已提交，等待审核 (self-assessment submitted, awaiting review)".into());
    }
    Ok(())
}

/// Reviewing at `level`. In the review stage level 1 follows a submitted
/// self-assessment and level 2 follows level 1. From publicity on, the
/// final level may still correct its scores (a correction, with a note).
pub fn may_review(stage: Stage, status: EntryStatus, levels: u8, level: u8) -> Result<(), Refusal> {
    if level == 2 && levels < 2 {
        return Err("本次活动只有一级审核 (this campaign has one review level)".into());
    }
    if stage > Stage::Review {
        if stage > Stage::Apply || level != levels.max(1) {
            return Err("公示后只能由终审一级更正评分 (after review only the final level corrects scores)".into());
        }
        if !status.review_done(levels) {
            return Err("该支部未完成审核，公示后不能再评分 (not reviewed before publicity)".into());
        }
        return Ok(());
    }
    stage_is(stage, &[Stage::Review], "审核")?;
    match level {
        1 if matches!(status, EntryStatus::Submitted | EntryStatus::Reviewed1) => Ok(()),
        1 if status == EntryStatus::Reviewed2 => Err("复审已完成，初审不能再修改 (level 2 already done)".into()),
        2 if matches!(status, EntryStatus::Reviewed1 | EntryStatus::Reviewed2) => Ok(()),
        2 => Err("初审完成后才能复审 (level 1 first)".into()),
        _ => Err("支部尚未提交自评 (the branch has not submitted its self-assessment)".into()),
    }
}

/// Sending a self-assessment back to the branch.
pub fn may_return(stage: Stage, status: EntryStatus) -> Result<(), Refusal> {
    stage_is(stage, &[Stage::Review], "退回")?;
    if !matches!(status, EntryStatus::Submitted | EntryStatus::Reviewed1) {
        return Err("只能退回已提交、尚未复审的自评 (only submitted, not finally reviewed entries)".into());
    }
    Ok(())
}

/// A date range of one stage; either end may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Period {
    #[serde(with = "iso_opt", default)]
    pub from: Option<Date>,
    #[serde(with = "iso_opt", default)]
    pub to: Option<Date>,
}

/// The planned dates of each stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct StageDates {
    #[serde(default)]
    pub create: Period,
    #[serde(rename = "self", default)]
    pub self_assess: Period,
    #[serde(default)]
    pub review: Period,
    #[serde(default)]
    pub publicity: Period,
    #[serde(default)]
    pub award: Period,
    #[serde(default)]
    pub apply: Period,
}

impl StageDates {
    pub fn of(&self, stage: Stage) -> Period {
        match stage {
            Stage::Create => self.create,
            Stage::SelfAssess => self.self_assess,
            Stage::Review => self.review,
            Stage::Publicity => self.publicity,
            Stage::Award => self.award,
            Stage::Apply => self.apply,
        }
    }

    pub fn set(&mut self, stage: Stage, p: Period) {
        match stage {
            Stage::Create => self.create = p,
            Stage::SelfAssess => self.self_assess = p,
            Stage::Review => self.review = p,
            Stage::Publicity => self.publicity = p,
            Stage::Award => self.award = p,
            Stage::Apply => self.apply = p,
        }
    }

    /// Parses `(stage code, from, to)` texts; field names `dates.<stage>.from|to`.
    pub fn parse(rows: &[(Stage, String, String)]) -> Result<StageDates, Invalid> {
        let mut c = Checker::default();
        let mut out = StageDates::default();
        for (stage, from, to) in rows {
            let f = c.take(&format!("dates.{}.from", stage.code()), crate::date::parse_optional(Some(from)));
            let t = c.take(&format!("dates.{}.to", stage.code()), crate::date::parse_optional(Some(to)));
            if let (Some(f), Some(t)) = (f, t) {
                out.set(*stage, Period { from: f, to: t });
            }
        }
        c.finish()?;
        out.validate()?;
        Ok(out)
    }

    /// Every stage ends on or after it begins, and no stage begins before the previous one.
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checker::default();
        let mut last: Option<Date> = None;
        for s in Stage::ALL {
            let p = self.of(s);
            if let (Some(f), Some(t)) = (p.from, p.to)
                && t < f
            {
                c.push(&format!("dates.{}.to", s.code()), "结束日期早于开始日期 (ends before it begins)");
            }
            if let (Some(prev), Some(f)) = (last, p.from)
                && f < prev
            {
                c.push(
                    &format!("dates.{}.from", s.code()),
                    "早于上一阶段的开始日期 (begins before the previous stage)",
                );
            }
            if let Some(f) = p.from {
                last = Some(f);
            }
        }
        c.finish()
    }

    /// Whether `stage` is past its end date on `today`.
    pub fn overdue(&self, stage: Stage, today: Date) -> bool {
        self.of(stage).to.is_some_and(|t| today > t)
    }
}

/// A campaign's own fields, validated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CampaignFields {
    pub name: String,
    /// 1 or 2.
    pub review_levels: u8,
    pub dates: StageDates,
}

impl CampaignFields {
    pub fn validate(&self) -> Result<(), Invalid> {
        let mut c = Checker::default();
        if let Err(e) = required_text(&self.name, 100) {
            c.push("name", format!("名称{e}"));
        }
        if !(1..=2).contains(&self.review_levels) {
            c.push("review_levels", "审核层级应为 1 或 2 (one or two review levels)");
        }
        let mut errors = c.finish().err().map(|e| e.errors).unwrap_or_default();
        if let Err(e) = self.dates.validate() {
            errors.extend(e.errors);
        }
        if errors.is_empty() { Ok(()) } else { Err(Invalid { errors }) }
    }
}

/// A branch's declaration: the star it aims for and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Declaration {
    pub target_star: u8,
    pub plan: Option<String>,
}

impl Declaration {
    pub fn parse(target: &str, plan: Option<&str>) -> Result<Declaration, Invalid> {
        let mut c = Checker::default();
        let target_star = match target.trim().trim_end_matches('星').parse::<u8>() {
            Ok(n) if (1..=MAX_STARS).contains(&n) => n,
            _ => {
                c.push("target_star", "目标星级应为 1 到 6 (target star must be 1 to 6)");
                0
            }
        };
        let plan = c.take("plan", optional_text(plan, 2000)).flatten();
        c.finish()?;
        Ok(Declaration { target_star, plan })
    }
}

/// What a branch still lacks at its stage: the reminders on its page and in
/// the campaign's list.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Missing {
    pub declaration: bool,
    /// Indicators without a self score (auto-scored ones excepted).
    pub scores: Vec<String>,
    /// Indicators that ask for evidence but have neither text nor a file.
    pub evidence: Vec<String>,
    pub submitted: bool,
    /// Review levels still to do.
    pub reviews: Vec<u8>,
}

impl Missing {
    pub fn is_empty(&self) -> bool {
        !self.declaration
            && self.scores.is_empty()
            && self.evidence.is_empty()
            && !self.submitted
            && self.reviews.is_empty()
    }

    pub fn zh(&self) -> Vec<String> {
        let mut out = vec![];
        if self.declaration {
            out.push("未申报目标星级".to_string());
        }
        if !self.scores.is_empty() {
            out.push(format!("{} 项指标未自评：{}", self.scores.len(), self.scores.join("、")));
        }
        if !self.evidence.is_empty() {
            out.push(format!("{} 项指标缺佐证材料：{}", self.evidence.len(), self.evidence.join("、")));
        }
        if self.submitted {
            out.push("自评未提交".to_string());
        }
        for l in &self.reviews {
            out.push(if *l == 1 { "待初审".to_string() } else { "待复审".to_string() });
        }
        out
    }

    pub fn en(&self) -> Vec<String> {
        let mut out = vec![];
        if self.declaration {
            out.push("No target star declared".to_string());
        }
        if !self.scores.is_empty() {
            out.push(format!("{} indicators not self-scored: {}", self.scores.len(), self.scores.join(", ")));
        }
        if !self.evidence.is_empty() {
            out.push(format!("{} indicators lack evidence: {}", self.evidence.len(), self.evidence.join(", ")));
        }
        if self.submitted {
            out.push("Self-assessment not submitted".to_string());
        }
        for l in &self.reviews {
            out.push(format!("Awaiting review level {l}"));
        }
        out
    }
}

/// What an entry lacks for the stage its campaign is in. `self_scored(code)`
/// and `evidenced(code)` say whether the branch gave a score and evidence.
pub fn missing(
    body: &SchemeBody,
    stage: Stage,
    status: EntryStatus,
    levels: u8,
    self_scored: &dyn Fn(&str) -> bool,
    evidenced: &dyn Fn(&str) -> bool,
) -> Missing {
    let mut m = Missing::default();
    if stage >= Stage::Create && status == EntryStatus::Open {
        m.declaration = true;
    }
    if stage >= Stage::SelfAssess && status < EntryStatus::Submitted {
        for (_, i) in body.indicators() {
            if i.auto.is_none() && !self_scored(&i.code) {
                m.scores.push(i.code.clone());
            }
            if !i.evidence.is_empty() && !evidenced(&i.code) {
                m.evidence.push(i.code.clone());
            }
        }
        m.submitted = true;
    }
    if stage >= Stage::Review {
        if status < EntryStatus::Reviewed1 {
            m.reviews.push(1);
        }
        if levels == 2 && status < EntryStatus::Reviewed2 {
            m.reviews.push(2);
        }
    }
    m
}

mod iso_opt {
    use super::*;

    pub fn serialize<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&crate::date::iso(*d)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
        let v: Option<String> = Option::deserialize(d)?;
        crate::date::parse_optional(v.as_deref()).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;
    use crate::stars::scheme::tests::sample;

    #[test]
    fn stages_move_one_step_and_never_back_after_the_award() {
        assert!(Stage::Create.may_move_to(Stage::SelfAssess).is_ok());
        assert!(Stage::Review.may_move_to(Stage::SelfAssess).is_ok());
        assert!(Stage::Create.may_move_to(Stage::Review).is_err());
        assert!(Stage::Publicity.may_move_to(Stage::Award).is_ok());
        assert!(Stage::Award.may_move_to(Stage::Publicity).is_err());
        assert!(Stage::Apply.may_move_to(Stage::Award).is_err());
        assert_eq!(Stage::Apply.next(), None);
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.code()).unwrap(), s);
            assert_eq!(Stage::parse(s.zh()).unwrap(), s);
        }
        assert_eq!(serde_json::to_value(Stage::SelfAssess).unwrap(), "self");
    }

    #[test]
    fn who_may_score_when() {
        use EntryStatus::*;
        assert!(may_declare(Stage::Create, Open).is_ok());
        assert!(may_declare(Stage::Review, Declared).is_err());
        assert!(may_self_assess(Stage::SelfAssess, Declared).is_ok());
        assert!(may_self_assess(Stage::SelfAssess, Submitted).is_err());
        assert!(may_self_assess(Stage::Review, Returned).is_ok(), "a returned entry is edited again");
        assert!(may_self_assess(Stage::Create, Open).is_err());
        assert!(may_review(Stage::Review, Submitted, 1, 1).is_ok());
        assert!(may_review(Stage::Review, Declared, 1, 1).is_err());
        assert!(may_review(Stage::Review, Submitted, 2, 2).is_err(), "level 1 first");
        assert!(may_review(Stage::Review, Reviewed1, 2, 2).is_ok());
        assert!(may_review(Stage::Review, Reviewed1, 1, 2).is_err(), "one level only");
        assert!(may_review(Stage::Review, Reviewed2, 2, 1).is_err());
        // Corrections after review: the final level only, reviewed entries only.
        assert!(may_review(Stage::Award, Reviewed1, 1, 1).is_ok());
        assert!(may_review(Stage::Award, Reviewed1, 2, 1).is_err());
        assert!(may_review(Stage::Apply, Reviewed2, 2, 2).is_ok());
        assert!(may_review(Stage::Publicity, Submitted, 1, 1).is_err());
        assert!(may_return(Stage::Review, Submitted).is_ok());
        assert!(may_return(Stage::Review, Reviewed2).is_err());
        let e = may_declare(Stage::Apply, Open).unwrap_err();
        assert!(e.contains("结果应用") && e.contains("创建申报"), "{e}");
    }

    #[test]
    fn final_scores_follow_the_review_levels() {
        use EntryStatus::*;
        assert_eq!(ScoreStage::final_for(Submitted, 2), ScoreStage::SelfAssess);
        assert_eq!(ScoreStage::final_for(Reviewed1, 1), ScoreStage::Review1);
        assert_eq!(ScoreStage::final_for(Reviewed1, 2), ScoreStage::Review1);
        assert_eq!(ScoreStage::final_for(Reviewed2, 2), ScoreStage::Review2);
        assert!(Reviewed1.review_done(1) && !Reviewed1.review_done(2) && Reviewed2.review_done(2));
    }

    #[test]
    fn dates_are_in_order_and_round_trip_as_iso_text() {
        let rows = vec![
            (Stage::Create, "2023-03-01".to_string(), "2023-03-31".to_string()),
            (Stage::SelfAssess, "2023/4/1".to_string(), "".to_string()),
        ];
        let d = StageDates::parse(&rows).unwrap();
        assert_eq!(d.self_assess.from, Some(date!(2023 - 04 - 01)));
        let json = serde_json::to_string(&d).unwrap();
        assert!(json.contains(r#""create":{"from":"2023-03-01","to":"2023-03-31"}"#), "{json}");
        assert_eq!(serde_json::from_str::<StageDates>(&json).unwrap(), d);
        assert!(d.overdue(Stage::Create, date!(2023 - 04 - 02)));
        assert!(!d.overdue(Stage::Review, date!(2030 - 01 - 01)));

        let bad = vec![
            (Stage::Create, "2023-03-31".to_string(), "2023-03-01".to_string()),
            (Stage::Review, "2023-02-01".to_string(), "x".to_string()),
        ];
        let fields: Vec<String> = StageDates::parse(&bad).unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["dates.review.to"]);
        let bad = vec![
            (Stage::Create, "2023-03-31".to_string(), "2023-03-01".to_string()),
            (Stage::Review, "2023-02-01".to_string(), "".to_string()),
        ];
        let fields: Vec<String> = StageDates::parse(&bad).unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["dates.create.to", "dates.review.from"]);
    }

    #[test]
    fn declarations_and_campaign_fields() {
        assert_eq!(Declaration::parse("5星", Some(" 争创五星 ")).unwrap().target_star, 5);
        assert!(Declaration::parse("7", None).is_err());
        let f = CampaignFields { name: "".into(), review_levels: 3, dates: StageDates::default() };
        let fields: Vec<String> = f.validate().unwrap_err().errors.into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "review_levels"]);
    }

    #[test]
    fn what_is_missing_depends_on_the_stage() {
        let mut s = sample();
        s.dimensions[0].indicators[0].evidence = "会议记录".into();
        let none = |_: &str| false;
        let m = missing(&s, Stage::Create, EntryStatus::Open, 1, &none, &none);
        assert!(m.declaration && m.scores.is_empty());
        let m = missing(&s, Stage::SelfAssess, EntryStatus::Declared, 1, &|c| c != "BP2", &none);
        assert_eq!((m.scores.clone(), m.evidence.clone()), (vec!["BP2".to_string()], vec!["PB1".to_string()]));
        assert!(m.zh().iter().any(|l| l.contains("1 项指标未自评：BP2")));
        let m = missing(&s, Stage::Review, EntryStatus::Reviewed1, 2, &none, &none);
        assert_eq!(m.reviews, [2]);
        assert_eq!(m.zh(), ["待复审"]);
        let m = missing(&s, Stage::Award, EntryStatus::Reviewed1, 1, &none, &none);
        assert!(m.is_empty());
    }
}
