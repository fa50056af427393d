//! The fortress ledger (堡垒插旗) in and out: rows checked by
//! `qizhi_sheet::fortresses` become the batch's fortress rows — their unit
//! (and a stored fortress's own) listed for the importer's scope check,
//! leaders and flag leaders matched by name on the unit's line — and a
//! subtree's fortresses are streamed into an export.

use std::io::Write;

use qizhi_core::ids::PersonId;
use qizhi_core::org::Unit;
use qizhi_sheet::fortresses::{FortressCells, fortress_cells};
use qizhi_sheet::{FileErrors, Row, Writer};
use qizhi_store::load::Batch;
use qizhi_store::tasks_load::{FortressRow, PersonRef};
use qizhi_store::{Store, StoreResult};

use super::names::{Named, Wanted, want};
use super::{Problem, Refs, unparsed_units};

/// Turns the rows of a fortress ledger into the batch's fortress rows: the
/// file's own problems, and those found in the names of people.
pub(crate) async fn prepare(
    store: &Store,
    rows: &[Row],
    batch: &mut Batch,
    refs: &mut Refs,
) -> StoreResult<(FileErrors, Vec<Problem>)> {
    let (parsed, errors) = qizhi_sheet::fortresses::fortresses(rows);
    unparsed_units(rows, parsed.iter().map(|(l, _)| *l), &["unit_code"], refs);
    let codes: Vec<&str> = parsed.iter().map(|(_, f)| f.fields.code.as_str()).collect();
    let stored = store.fortresses_by_code(&codes).await?;
    let mut wanted = Wanted::new();
    for (_, f) in &parsed {
        for name in f.leader.iter().chain(f.flag.as_ref().and_then(|g| g.leader.as_ref())) {
            want(&mut wanted, &f.unit_code, name);
        }
    }
    let named = Named::on_lines(store, &wanted).await?;
    let mut problems = vec![];
    for (line, f) in parsed {
        refs.push((line, "unit_code", f.unit_code.clone()));
        let old = stored.get(&f.fields.code);
        if let Some(o) = old {
            refs.push((line, "code", o.unit_code.clone()));
        }
        let now: Vec<PersonId> = old
            .map(|o| o.fortress.fields.leader_id.into_iter().chain(o.fortress.flag.as_ref().and_then(|g| g.leader_id)))
            .into_iter()
            .flatten()
            .collect();
        let mut person = |name: &Option<String>, key: &'static str, what: &str| {
            let name = name.as_deref()?;
            named.on_line(&f.unit_code, name, &now, (line, key), (what, "堡垒"), &mut problems).map(PersonRef::Id)
        };
        let leader = person(&f.leader, "leader", "负责人");
        let flag = f.flag.map(|g| {
            let leader = person(&g.leader, "flag_leader", "旗手");
            (g.name, g.planted_on, leader)
        });
        batch.tasks.fortresses.push(FortressRow {
            line,
            unit_code: f.unit_code,
            fields: f.fields,
            scenario_code: f.scenario_code,
            grid_code: f.grid_code,
            leader,
            flag,
        });
    }
    Ok((errors, problems))
}

/// Streams the fortress ledger of `root`'s subtree into `w`.
pub(crate) async fn export<W: Write + Send>(store: &Store, root: &Unit, w: &mut Writer<W>) -> anyhow::Result<()> {
    store
        .each_fortress_in(root, |f| {
            w.row(&fortress_cells(&FortressCells {
                fortress: &f.fortress,
                unit_code: &f.unit_code,
                scenario_code: f.scenario_code.as_deref(),
                grid_code: f.grid_code.as_deref(),
                leader: f.leader.as_deref(),
                flag_leader: f.flag_leader.as_deref(),
            }))?;
            Ok(())
        })
        .await
}
