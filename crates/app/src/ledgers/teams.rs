//! The team ledger (队伍) in and out: rows checked by `qizhi_sheet::teams`
//! become the batch's team rows — their unit (and a stored team's own)
//! listed for the importer's scope check, leader and members matched by name
//! on the unit's line — and a subtree's teams with their members are
//! streamed into an export.

use std::io::Write;

use qizhi_core::ids::PersonId;
use qizhi_core::org::Unit;
use qizhi_sheet::teams::team_cells;
use qizhi_sheet::{FileErrors, Row, Writer};
use qizhi_store::load::Batch;
use qizhi_store::tasks_load::{PersonRef, TeamRow};
use qizhi_store::{Store, StoreResult};

use super::names::{Named, Wanted, want};
use super::{Problem, Refs, unparsed_units};

/// Turns the rows of a team ledger into the batch's team rows: the file's
/// own problems, and those found in the names of people.
pub(crate) async fn prepare(
    store: &Store,
    rows: &[Row],
    batch: &mut Batch,
    refs: &mut Refs,
) -> StoreResult<(FileErrors, Vec<Problem>)> {
    let (parsed, errors) = qizhi_sheet::teams::teams(rows);
    unparsed_units(rows, parsed.iter().map(|(l, _)| *l), &["unit_code"], refs);
    let codes: Vec<&str> = parsed.iter().map(|(_, t)| t.fields.code.as_str()).collect();
    let stored = store.teams_by_code(&codes).await?;
    let mut wanted = Wanted::new();
    for (_, t) in &parsed {
        for name in t.leader.iter().chain(&t.members) {
            want(&mut wanted, &t.unit_code, name);
        }
    }
    let named = Named::on_lines(store, &wanted).await?;
    let mut problems = vec![];
    for (line, t) in parsed {
        refs.push((line, "unit_code", t.unit_code.clone()));
        let old = stored.get(&t.fields.code);
        if let Some(o) = old {
            refs.push((line, "code", o.unit_code.clone()));
        }
        let now: Vec<PersonId> = old
            .map(|o| o.team.fields.leader_id.into_iter().chain(o.members.iter().map(|(p, _)| *p)))
            .into_iter()
            .flatten()
            .collect();
        let mut person = |name: &str, key: &'static str, what: &str| {
            named.on_line(&t.unit_code, name, &now, (line, key), (what, "队伍"), &mut problems).map(PersonRef::Id)
        };
        let leader = t.leader.as_deref().and_then(|n| person(n, "leader", "队长"));
        let members = t.members.iter().filter_map(|n| person(n, "members", "成员")).collect();
        batch.tasks.teams.push(TeamRow { line, unit_code: t.unit_code, fields: t.fields, leader, members });
    }
    Ok((errors, problems))
}

/// Streams the team ledger of `root`'s subtree into `w`.
pub(crate) async fn export<W: Write + Send>(store: &Store, root: &Unit, w: &mut Writer<W>) -> anyhow::Result<()> {
    store
        .each_team_in(root, |t| {
            let members: Vec<&str> = t.members.iter().map(|(_, n)| n.as_str()).collect();
            w.row(&team_cells(&t.team, &t.unit_code, t.leader.as_deref(), &members))?;
            Ok(())
        })
        .await
}
