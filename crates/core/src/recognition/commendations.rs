//! Commendation programs (命名表彰、评先树优): a unit's program — under one
//! of its brands or not — names recipients at tiers it configures (红船先锋:
//! 示范区, 先锋队, 先锋号, 先锋岗; 双创: 模范支部, 先锋党员; 两优一先 …), each
//! tier taking one kind of recipient, with optional quotas. A round of the
//! program goes nominate → review → publicity → named; a named title may
//! later be revoked.

use serde::{Deserialize, Serialize};

use crate::error::{Checker, Invalid, required_text};
use crate::stars::points::Points;

/// What a tier names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecipientKind {
    /// 集体: a unit (a branch, a city committee, a demonstration zone).
    Unit,
    /// 队伍: a team.
    Team,
    /// 岗位: a post held by a person (先锋岗).
    Post,
    /// 个人: a person.
    Person,
}

impl RecipientKind {
    pub const ALL: [RecipientKind; 4] =
        [RecipientKind::Unit, RecipientKind::Team, RecipientKind::Post, RecipientKind::Person];

    pub fn code(self) -> &'static str {
        match self {
            RecipientKind::Unit => "unit",
            RecipientKind::Team => "team",
            RecipientKind::Post => "post",
            RecipientKind::Person => "person",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            RecipientKind::Unit => "集体",
            RecipientKind::Team => "队伍",
            RecipientKind::Post => "岗位",
            RecipientKind::Person => "个人",
        }
    }

    pub fn parse(value: &str) -> Result<RecipientKind, String> {
        let v = value.trim();
        RecipientKind::ALL
            .into_iter()
            .find(|k| k.code() == v || k.zh() == v)
            .ok_or_else(|| format!("未知的表彰对象类型 “{v}”，应为 集体/队伍/岗位/个人 (unknown recipient kind)"))
    }
}

/// The tiers FIGURES.md counts by; a program's tier of another name is `Other`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Tier {
    /// 示范区
    DemoZone,
    /// 先锋队
    PioneerTeam,
    /// 先锋号
    PioneerBadge,
    /// 先锋岗
    PioneerPost,
    /// 模范支部
    ModelBranch,
    /// 先锋党员
    PioneerMember,
    Other,
}

impl Tier {
    pub const ALL: [Tier; 7] = [
        Tier::DemoZone,
        Tier::PioneerTeam,
        Tier::PioneerBadge,
        Tier::PioneerPost,
        Tier::ModelBranch,
        Tier::PioneerMember,
        Tier::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Tier::DemoZone => "demo_zone",
            Tier::PioneerTeam => "pioneer_team",
            Tier::PioneerBadge => "pioneer_badge",
            Tier::PioneerPost => "pioneer_post",
            Tier::ModelBranch => "model_branch",
            Tier::PioneerMember => "pioneer_member",
            Tier::Other => "other",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Tier::DemoZone => "示范区",
            Tier::PioneerTeam => "先锋队",
            Tier::PioneerBadge => "先锋号",
            Tier::PioneerPost => "先锋岗",
            Tier::ModelBranch => "模范支部",
            Tier::PioneerMember => "先锋党员",
            Tier::Other => "其他",
        }
    }

    /// The tier a program's tier name counts as: by the name's ending
    /// (红船先锋示范区 → 示范区), else `Other` (优秀共产党员).
    pub fn of_name(name: &str) -> Tier {
        Tier::ALL.into_iter().find(|t| *t != Tier::Other && name.trim().ends_with(t.zh())).unwrap_or(Tier::Other)
    }
}

/// A tier as a program configures it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierSpec {
    /// As the program names it: 红船先锋岗.
    pub name: String,
    pub tier: Tier,
    pub takes: RecipientKind,
    /// At most this many named in one round.
    pub quota: Option<u32>,
    /// At most this many named in one round from the subtree of one nominating unit.
    pub per_unit: Option<u32>,
}

/// A criterion a program judges by (工作成效、群众反馈、服务意识、示范作用), with an optional full score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub name: String,
    pub max: Option<Points>,
}

/// A program's validated fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgramFields {
    pub name: String,
    pub criteria: Vec<Criterion>,
    pub tiers: Vec<TierSpec>,
    /// 1 or 2 levels of review above the nominating units.
    pub review_levels: u8,
}

impl ProgramFields {
    /// Every problem at once: a name, at least one tier, tier names unique,
    /// quotas of at least one, one or two review levels.
    pub fn validate(self) -> Result<ProgramFields, Invalid> {
        let mut c = Checker::default();
        let name = c.take("name", required_text(&self.name, 100));
        if self.tiers.is_empty() {
            c.push("tiers", "至少设置一个表彰等次 (at least one tier)");
        }
        for (i, t) in self.tiers.iter().enumerate() {
            let field = format!("tiers[{i}]");
            if t.name.trim().is_empty() {
                c.push(&field, "等次名称不能为空 (a tier needs a name)");
            }
            if self.tiers[..i].iter().any(|o| o.name.trim() == t.name.trim()) {
                c.push(&field, format!("等次 “{}” 重复 (tier named twice)", t.name.trim()));
            }
            if t.quota == Some(0) || t.per_unit == Some(0) {
                c.push(&field, "名额至少为 1，不限则留空 (a quota is at least 1; leave it empty for none)");
            }
        }
        for (i, cr) in self.criteria.iter().enumerate() {
            if cr.name.trim().is_empty() {
                c.push(&format!("criteria[{i}]"), "评选标准名称不能为空 (a criterion needs a name)");
            }
        }
        if !(1..=2).contains(&self.review_levels) {
            c.push("review_levels", "审核层级应为 1 或 2 (one or two review levels)");
        }
        c.finish()?;
        Ok(ProgramFields { name: name.unwrap_or_default(), ..self })
    }

    /// The tier named `name`.
    pub fn tier(&self, name: &str) -> Option<&TierSpec> {
        self.tiers.iter().find(|t| t.name == name.trim())
    }
}

/// Where a round of a program stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundStage {
    /// 推荐申报: units below nominate.
    Nominate,
    /// 审核: the parents review.
    Review,
    /// 公示: objections are recorded and answered.
    Publicity,
    /// 命名: the decision is taken, the recipients hold their titles.
    Named,
}

impl RoundStage {
    pub fn next(self) -> Option<RoundStage> {
        match self {
            RoundStage::Nominate => Some(RoundStage::Review),
            RoundStage::Review => Some(RoundStage::Publicity),
            RoundStage::Publicity => Some(RoundStage::Named),
            RoundStage::Named => None,
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            RoundStage::Nominate => "推荐申报",
            RoundStage::Review => "审核",
            RoundStage::Publicity => "公示",
            RoundStage::Named => "命名",
        }
    }
}

/// Where a nomination stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NominationStatus {
    /// 已推荐: sent up by its unit.
    Nominated,
    /// 退回: sent back with comments, to revise and send again.
    Returned,
    /// 已通过: recommended at this many levels of review.
    Recommended(u8),
    /// 已命名
    Named,
    /// 未命名: not recommended by the time the round was named.
    NotNamed,
    /// 已撤销: a title taken back after naming.
    Revoked,
}

impl NominationStatus {
    /// Whether it counts as a recipient: named and not revoked.
    pub fn holds_title(self) -> bool {
        self == NominationStatus::Named
    }

    /// The status after the round is named: recommended by every level → named.
    pub fn at_naming(self, levels: u8) -> NominationStatus {
        match self {
            NominationStatus::Recommended(n) if n >= levels => NominationStatus::Named,
            NominationStatus::Revoked | NominationStatus::Named => self,
            _ => NominationStatus::NotNamed,
        }
    }
}

/// Whether one more recommendation fits a tier's quotas, given how many are
/// recommended already in the round and from the nominating unit's subtree.
pub fn check_quota(tier: &TierSpec, in_round: u32, from_unit: u32) -> Result<(), String> {
    if let Some(q) = tier.quota.filter(|q| in_round >= *q) {
        return Err(format!("“{}” 本轮名额 {q} 个已满 (the tier's {q} places in this round are taken)", tier.name));
    }
    if let Some(q) = tier.per_unit.filter(|q| from_unit >= *q) {
        return Err(format!("“{}” 每个推荐单位最多 {q} 个，已满 (at most {q} per nominating unit)", tier.name));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tier(name: &str, takes: RecipientKind, quota: Option<u32>, per_unit: Option<u32>) -> TierSpec {
        TierSpec { name: name.into(), tier: Tier::of_name(name), takes, quota, per_unit }
    }

    fn red_boat() -> ProgramFields {
        ProgramFields {
            name: "红船先锋".into(),
            criteria: ["工作成效", "群众反馈", "服务意识", "示范作用"]
                .iter()
                .map(|n| Criterion { name: n.to_string(), max: Some(Points::whole(25)) })
                .collect(),
            tiers: vec![
                tier("红船先锋示范区", RecipientKind::Unit, Some(1), None),
                tier("红船先锋队", RecipientKind::Team, None, Some(3)),
                tier("红船先锋号", RecipientKind::Team, None, None),
                tier("红船先锋岗", RecipientKind::Post, None, None),
            ],
            review_levels: 2,
        }
    }

    #[test]
    fn tiers_count_by_their_names_ending() {
        let p = red_boat().validate().unwrap();
        let tiers: Vec<Tier> = p.tiers.iter().map(|t| t.tier).collect();
        assert_eq!(tiers, [Tier::DemoZone, Tier::PioneerTeam, Tier::PioneerBadge, Tier::PioneerPost]);
        assert_eq!(Tier::of_name("广东联通模范支部"), Tier::ModelBranch);
        assert_eq!(Tier::of_name("优秀共产党员"), Tier::Other);
        assert_eq!(p.tier("红船先锋岗").map(|t| t.takes), Some(RecipientKind::Post));
    }

    #[test]
    fn a_program_names_every_problem_at_once() {
        let mut p = red_boat();
        p.name = " ".into();
        p.tiers.push(tier("红船先锋岗", RecipientKind::Person, Some(0), None));
        p.review_levels = 3;
        let e = p.validate().unwrap_err();
        let fields: Vec<&str> = e.errors.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "tiers[4]", "tiers[4]", "review_levels"]);
        let none = ProgramFields { tiers: vec![], ..red_boat() };
        assert!(none.validate().unwrap_err().errors.iter().any(|f| f.field == "tiers"));
    }

    #[test]
    fn quotas_are_checked_per_round_and_per_nominating_unit() {
        let p = red_boat();
        assert!(check_quota(&p.tiers[0], 0, 0).is_ok());
        assert!(check_quota(&p.tiers[0], 1, 0).unwrap_err().contains("名额 1 个已满"));
        assert!(check_quota(&p.tiers[1], 40, 2).is_ok());
        assert!(check_quota(&p.tiers[1], 40, 3).unwrap_err().contains("最多 3 个"));
        assert!(check_quota(&p.tiers[3], 10_000, 10_000).is_ok(), "no quota");
    }

    #[test]
    fn naming_keeps_the_fully_recommended_and_revoking_takes_the_title() {
        use NominationStatus::*;
        assert_eq!(Recommended(2).at_naming(2), Named);
        assert_eq!(Recommended(1).at_naming(2), NotNamed);
        assert_eq!(Returned.at_naming(1), NotNamed);
        assert!(Named.holds_title() && !Revoked.holds_title());
        assert_eq!(RoundStage::Publicity.next(), Some(RoundStage::Named));
        assert_eq!(RoundStage::Named.next(), None);
    }
}
