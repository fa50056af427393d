//! The task ledger (任务台账) in and out: the ledgers module hands the rows of a
//! `tasks` file here to become store rows — units checked against the
//! importer's scope (also the unit a task stands in today, when a row moves
//! it), responsible people matched by name on the task unit's line — and
//! asks here for an export's rows.

use std::collections::HashMap;

use qizhi_core::ids::PersonId;
use qizhi_sheet::{Row, TaskCells, Writer};
use qizhi_store::Store;
use qizhi_store::load::Batch;
use qizhi_store::tasks_load::{PersonRef, ProgressReport, TaskRow};

use super::Problem;
use super::names::{Named, Wanted, want};

/// Turns the rows of a task ledger into the batch's task rows. Adds to
/// `refs` the unit codes the importer must be allowed to change; returns the
/// problems found in the names of responsible people.
pub async fn prepare(
    store: &Store,
    rows: &[Row],
    batch: &mut Batch,
    refs: &mut Vec<(usize, &'static str, String)>,
) -> Result<Vec<Problem>, qizhi_sheet::FileErrors> {
    let parsed = qizhi_sheet::tasks::tasks(rows)?;
    let mut problems = vec![];
    // Where each task stands today: moving it needs the right over both units.
    let codes: Vec<&str> = parsed.iter().map(|(_, t)| t.code.as_str()).collect();
    let mut current: HashMap<String, qizhi_core::tasks::Task> = HashMap::new();
    for code in codes {
        match store.task_by_code(code).await {
            Ok(Some(t)) => {
                current.insert(code.to_string(), t);
            }
            Ok(None) => {}
            Err(e) => return Err(qizhi_sheet::FileErrors::file(e.to_string())),
        }
    }
    let mut unit_of_task: HashMap<qizhi_core::ids::UnitId, String> = HashMap::new();
    let mut wanted = Wanted::new();
    for (_, t) in &parsed {
        for name in &t.responsible {
            want(&mut wanted, &t.unit_code, name);
        }
    }
    let named = Named::on_lines(store, &wanted).await.map_err(|e| qizhi_sheet::FileErrors::file(e.to_string()))?;
    for (line, t) in parsed {
        refs.push((line, "unit_code", t.unit_code.clone()));
        let existing = current.get(&t.code);
        if let Some(task) = existing {
            let unit_code = match unit_of_task.get(&task.unit_id) {
                Some(c) => c.clone(),
                None => {
                    let c =
                        store.unit(task.unit_id).await.map_err(|e| qizhi_sheet::FileErrors::file(e.to_string()))?.code;
                    unit_of_task.insert(task.unit_id, c.clone());
                    c
                }
            };
            refs.push((line, "code", unit_code));
        }
        let now: &[PersonId] = existing.map_or(&[], |x| &x.fields.responsible);
        let responsible = t
            .responsible
            .iter()
            .filter_map(|name| {
                named.on_line(&t.unit_code, name, now, (line, "responsible"), ("责任人", "任务"), &mut problems)
            })
            .map(PersonRef::Id)
            .collect();
        batch.tasks.tasks.push(TaskRow {
            line,
            code: t.code,
            unit_code: t.unit_code,
            fields: t.fields,
            fortress_code: t.fortress_code,
            team_code: t.team_code,
            responsible,
            status_given: t.status_given,
            keep_brand: true,
            entries: vec![],
            report: t.progress.map(|(progress, on, note)| ProgressReport { progress, on, note }),
        });
    }
    Ok(problems)
}

/// Streams the task ledger of `root`'s subtree into `w`.
pub async fn export<W: std::io::Write + Send>(
    store: &Store,
    root: &qizhi_core::org::Unit,
    w: &mut Writer<W>,
) -> anyhow::Result<()> {
    store
        .each_task_in(root, |t| {
            let cells = qizhi_sheet::task_cells(&TaskCells {
                code: &t.task.code,
                unit_code: &t.unit_code,
                fields: &t.task.fields,
                responsible: t.responsible.iter().map(|(_, n)| n.as_str()).collect(),
                fortress_code: t.fortress.as_ref().map(|(c, _)| c.as_str()),
                team_code: t.team.as_ref().map(|(c, _)| c.as_str()),
                progress: t.task.progress,
                last_entry_on: t.task.last_entry_on,
                latest_note: t.latest_note.as_deref(),
            });
            w.row(&cells)?;
            Ok(())
        })
        .await
}
