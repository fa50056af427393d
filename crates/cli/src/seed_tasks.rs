//! The seed world's fortresses, teams, tasks and commitments as rows of the
//! store's batch, and the demo's member account.

use qizhi_core::tasks::FortressFields;
use qizhi_seed::{SeedCommitment, SeedFortress, SeedTask, SeedTeam};
use qizhi_store::Page;
use qizhi_store::Store;
use qizhi_store::people::PeopleQuery;
use qizhi_store::tasks_load::{CommitmentRow, EntryRow, FortressRow, PersonRef, TaskBatch, TaskRow, TeamRow};

fn by_idn(n: String) -> PersonRef {
    PersonRef::IdNumber(n)
}

/// The seed's records of this capability as batch rows (lines count from 1 per kind).
pub fn batch(
    fortresses: Vec<SeedFortress>,
    teams: Vec<SeedTeam>,
    tasks: Vec<SeedTask>,
    commitments: Vec<SeedCommitment>,
) -> TaskBatch {
    let mut b = TaskBatch::default();
    for (i, f) in fortresses.into_iter().enumerate() {
        b.fortresses.push(FortressRow {
            line: i + 1,
            unit_code: f.unit_code,
            fields: FortressFields { scenario_id: None, grid_id: None, leader_id: None, ..f.fields },
            scenario_code: f.scenario_code,
            grid_code: f.grid_code,
            leader: f.leader.map(by_idn),
            flag: f.flag.map(|g| (g.name, g.planted_on, g.leader.map(by_idn))),
        });
    }
    for (i, t) in teams.into_iter().enumerate() {
        b.teams.push(TeamRow {
            line: i + 1,
            unit_code: t.unit_code,
            fields: t.fields,
            leader: t.leader.map(by_idn),
            members: t.members.into_iter().map(by_idn).collect(),
        });
    }
    for (i, t) in tasks.into_iter().enumerate() {
        b.tasks.push(TaskRow {
            line: i + 1,
            code: t.code,
            unit_code: t.unit_code,
            fields: t.fields,
            fortress_code: t.fortress_code,
            team_code: t.team_code,
            responsible: t.responsible.into_iter().map(by_idn).collect(),
            status_given: true,
            keep_brand: false,
            entries: t
                .entries
                .into_iter()
                .map(|e| EntryRow { fields: e.fields, person: e.by.map(by_idn), created_by: "seed".into() })
                .collect(),
            report: None,
        });
    }
    for (i, c) in commitments.into_iter().enumerate() {
        b.commitments.push(CommitmentRow {
            line: i + 1,
            id: None,
            unit_code: None,
            person: by_idn(c.person),
            fields: c.fields,
            status: c.status,
            verification: c.verification,
        });
    }
    b
}

/// The branch of the demo's member account, and which of its people (by
/// order) the account is: the seed gives that person an open task and a
/// pending commitment.
pub const DEMO_MEMBER_BRANCH: &str = "FJ01-001";
const DEMO_MEMBER_INDEX: usize = 1;

/// Links the account `username` to the demo member person.
pub async fn link_demo_member(store: &Store, username: &str) -> anyhow::Result<()> {
    use anyhow::Context;
    let unit = store.unit_by_code(DEMO_MEMBER_BRANCH).await?.context("the demo member's branch")?;
    let q = PeopleQuery { per_page: DEMO_MEMBER_INDEX as i64 + 1, page: 1, ..Default::default() };
    let Page { items: people, .. } = store.people(&unit, &qizhi_store::Scope::All, &q).await?;
    let person = people.get(DEMO_MEMBER_INDEX).context("the demo member person")?;
    let user = store.user_by_username(username).await?.context("the demo member account")?;
    store.link_user_person(user.id, Some(person.person.id)).await?;
    Ok(())
}
