//! Member commitments (亮承诺) for the seed world:
//!
//! - 贵州 (GZ): each of its 1,989 party members made one commitment for
//!   2024, and all 1,989 are verified fulfilled ("1989 名党员承诺事项 1989
//!   件全量完成").
//! - Elsewhere: about three members in four made commitments for 2024 (a
//!   few made two), mostly still pending as of [`AS_OF`], some verified; a
//!   branch's secretary and second member always have a pending one. Some members also have a
//!   verified commitment of 2023. The rest have none yet, which the branch's
//!   board shows.

use qizhi_core::commitments::{Category, CommitmentFields, Status, Verification};
use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::date;

use crate::rng::Rng;
use crate::tasks::{Lookup, day_between, idn};
use crate::world::{AS_OF, World};

/// A commitment and its member (an ID number), with the branch's verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SeedCommitment {
    pub person: String,
    pub fields: CommitmentFields,
    pub status: Status,
    pub verification: Option<Verification>,
}

fn text(rng: &mut Rng, category: Category) -> String {
    let n = rng.range(2, 12);
    match category {
        Category::Work => rng
            .pick(&[
                "带头完成负责网格年度发展目标",
                "当好 5G 网络建设先锋，确保负责站点按期开通",
                "主动承接急难险重任务，做到随叫随到",
                "所负责区域装维投诉率比上年下降",
            ])
            .to_string(),
        Category::Service => match rng.below(4) {
            0 => format!("为社区老人开展智能手机教学不少于 {n} 次"),
            1 => "结对帮扶一户困难群众".to_string(),
            2 => format!("全年参加志愿服务不少于 {} 小时", n * 4),
            _ => "营业厅窗口服务零投诉".to_string(),
        },
        Category::Study => rng
            .pick(&["按时完成党员教育全部学时", "考取一项专业技术认证", "每季度讲一次微党课", "带教一名青年员工"])
            .to_string(),
        Category::Innovation => {
            if rng.chance(0.5) {
                format!("提出合理化建议 {n} 条")
            } else {
                "参与开发一个 RPA 小微应用".to_string()
            }
        }
        Category::Integrity => rng.pick(&["严守廉洁纪律，不收受客户礼品礼金", "带头落实中央八项规定精神"]).to_string(),
        Category::Other => rng.pick(&["带头参加支部主题党日活动", "在岗位上亮身份、作表率"]).to_string(),
    }
}

fn category(rng: &mut Rng) -> Category {
    rng.pick(&[
        Category::Work,
        Category::Work,
        Category::Service,
        Category::Study,
        Category::Innovation,
        Category::Integrity,
    ])
}

pub(crate) fn fields(rng: &mut Rng, year: i32, note: Option<&str>) -> CommitmentFields {
    let c = category(rng);
    CommitmentFields {
        year,
        text: text(rng, c),
        category: c,
        due_on: Some(Date::from_calendar_date(year, time::Month::December, 31).expect("a year end")),
        progress_note: note.map(str::to_string),
    }
}

/// The commitments of the world.
pub fn generate(w: &World) -> Vec<SeedCommitment> {
    let l = Lookup::new(w);
    let mut out = vec![];
    for &top in &l.tops {
        let mut rng = Rng::for_key(&format!("{top}/commitments"));
        for &b in l.branches_of(top) {
            let members = l.members_of(b);
            let Some(secretary) = members.first() else { continue };
            let verifier = format!("{}（支部书记）", secretary.fields.name);
            for (i, m) in members.iter().enumerate() {
                let by = if i == 0 { "支部委员会".to_string() } else { verifier.clone() };
                if top == "GZ" {
                    let on = day_between(&mut rng, date!(2024 - 05 - 15), AS_OF);
                    out.push(SeedCommitment {
                        person: idn(m),
                        fields: fields(&mut rng, 2024, Some("已按承诺完成")),
                        status: Status::Fulfilled,
                        verification: Some(Verification {
                            by, on, comment: Some("经支部核实，已兑现".into())
                        }),
                    });
                    continue;
                }
                if rng.chance(0.4) {
                    let fulfilled = rng.chance(0.9);
                    let on = day_between(&mut rng, date!(2023 - 12 - 01), date!(2024 - 01 - 31));
                    out.push(SeedCommitment {
                        person: idn(m),
                        fields: fields(&mut rng, 2023, None),
                        status: if fulfilled { Status::Fulfilled } else { Status::Unfulfilled },
                        verification: Some(Verification {
                            by: by.clone(),
                            on,
                            comment: Some(if fulfilled { "已兑现" } else { "因岗位调整未完成，转入下年度" }.into()),
                        }),
                    });
                }
                // The secretary and the second member always have a pending one.
                let always = i <= 1;
                if always || rng.chance(0.75) {
                    for _ in 0..if rng.chance(0.15) { 2 } else { 1 } {
                        let roll = if always { 0.0 } else { rng.fraction() };
                        let (status, verification) = if roll < 0.7 {
                            (Status::Pending, None)
                        } else {
                            let on = day_between(&mut rng, date!(2024 - 05 - 01), AS_OF);
                            let ok = roll < 0.97;
                            let comment = if ok { "提前兑现" } else { "未按期完成，需说明原因" };
                            let status = if ok { Status::Fulfilled } else { Status::Unfulfilled };
                            (status, Some(Verification { by: by.clone(), on, comment: Some(comment.into()) }))
                        };
                        let note = (status == Status::Pending && rng.chance(0.5)).then_some("正在推进，已完成过半");
                        out.push(SeedCommitment {
                            person: idn(m),
                            fields: fields(&mut rng, 2024, note),
                            status,
                            verification,
                        });
                    }
                }
            }
        }
    }
    out
}
