//! The commitments ledger (党员承诺) in and out: rows checked by
//! `qizhi_sheet::commitments` become the batch's commitment rows. A row with
//! a 承诺编号 names a stored commitment, whose unit is listed for the scope
//! check and whose member must be the row's; a new row's member is found in
//! the row's unit by name, or by ID number where names repeat. The verdict
//! columns keep the stored verdict unless they state another, which the
//! store then records as the importer's. Exports stream a subtree's
//! commitments, with ID numbers only for readers of personal fields.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;

use qizhi_core::commitments::{Status, Verification};
use qizhi_core::ids::CommitmentId;
use qizhi_core::org::Unit;
use qizhi_sheet::commitments::{CommitmentLedgerRow, LedgerVerdict, commitment_cells};
use qizhi_sheet::{FileErrors, Row, Writer};
use qizhi_store::load::Batch;
use qizhi_store::tasks::ledgers::CommitmentOnLedger;
use qizhi_store::tasks_load::{CommitmentRow, PersonRef};
use qizhi_store::{Store, StoreResult};

use super::names::{Named, Wanted, want};
use super::{Problem, Refs, unparsed_units};

/// Turns the rows of a commitments ledger into the batch's commitment rows:
/// the file's own problems, and those found in naming members.
pub(crate) async fn prepare(
    store: &Store,
    rows: &[Row],
    batch: &mut Batch,
    refs: &mut Refs,
) -> StoreResult<(FileErrors, Vec<Problem>)> {
    let today = qizhi_core::date::today();
    let (parsed, errors) = qizhi_sheet::commitments::commitments(rows, today);
    unparsed_units(rows, parsed.iter().map(|(l, _)| *l), &["unit_code"], refs);
    let ids: Vec<CommitmentId> = parsed.iter().filter_map(|(_, c)| c.id.map(CommitmentId)).collect();
    let stored = store.commitments_by_id(&ids).await?;
    let numbers: Vec<&str> = parsed.iter().filter_map(|(_, c)| c.id_number.as_deref()).collect();
    let by_number = store.people_by_id_number(&numbers).await?;
    let mut wanted = Wanted::new();
    for (_, c) in parsed.iter().filter(|(_, c)| c.id.is_none() && c.id_number.is_none()) {
        want(&mut wanted, &c.unit_code, &c.person);
    }
    let named = Named::in_units(store, &wanted).await?;
    let unit_codes: BTreeSet<&str> = parsed.iter().map(|(_, c)| c.unit_code.as_str()).collect();
    let mut units = HashMap::new();
    for code in unit_codes {
        if let Some(u) = store.unit_by_code(code).await? {
            units.insert(code.to_string(), u.id);
        }
    }
    let mut problems = vec![];
    for (line, c) in parsed {
        refs.push((line, "unit_code", c.unit_code.clone()));
        let old = c.id.and_then(|id| stored.get(&CommitmentId(id)));
        let person = match (c.id, old) {
            (Some(id), None) => Err(("id", format!("承诺编号 {id} 不存在 (no such commitment)"))),
            (_, Some(o)) => {
                refs.push((line, "id", o.unit_code.clone()));
                same_member(&c, o).map(|()| o.commitment.person_id)
            }
            (None, None) => match &c.id_number {
                // Someone outside the row's unit is not told apart from nobody.
                Some(n) => match by_number.get(n) {
                    Some(p) if units.get(&c.unit_code) == Some(&p.unit_id) && p.fields.name == c.person => Ok(p.id),
                    Some(p) if units.get(&c.unit_code) == Some(&p.unit_id) => Err((
                        "id_number",
                        format!(
                            "身份证号是 {} 的，不是 “{}” 的 (the ID number is another person's)",
                            p.fields.name, c.person
                        ),
                    )),
                    _ => Err((
                        "id_number",
                        "该组织中没有这个身份证号的人员 (no one in this unit has this ID number)".into(),
                    )),
                },
                None => match named.pick(&c.unit_code, &c.person, &[]) {
                    Ok(p) => Ok(p),
                    Err(0) => Err(("person", format!("“{}” 不是该组织的人员 (no such person in this unit)", c.person))),
                    Err(n) => Err((
                        "person",
                        format!(
                            "该组织有 {n} 位名为 “{}” 的人员，请填写身份证号 (several people have this name: give the ID number)",
                            c.person
                        ),
                    )),
                },
            },
        };
        let person = match person {
            Ok(p) => p,
            Err((key, message)) => {
                problems.push((line, key, message));
                continue;
            }
        };
        let (status, verification) = verdict(c.verdict.as_ref(), old, today);
        batch.tasks.commitments.push(CommitmentRow {
            line,
            id: c.id.map(CommitmentId),
            unit_code: Some(c.unit_code),
            person: PersonRef::Id(person),
            fields: c.fields,
            status,
            verification,
        });
    }
    Ok((errors, problems))
}

/// A row naming a stored commitment names its member too.
fn same_member(c: &CommitmentLedgerRow, o: &CommitmentOnLedger) -> Result<(), (&'static str, String)> {
    if c.person != o.person {
        let m = format!(
            "承诺编号 {} 是 {} 的承诺，不是 “{}” 的 (the commitment is another member's)",
            o.commitment.id, o.person, c.person
        );
        return Err(("person", m));
    }
    match &c.id_number {
        Some(n) if o.id_number.as_ref() != Some(n) => {
            Err(("id_number", "身份证号与该承诺的党员不符 (the ID number is not the member's)".into()))
        }
        _ => Ok(()),
    }
}

/// The verdict a row means: none stated keeps the stored one; one that reads
/// as the stored one (an empty date included) is the stored one; any other
/// is a new verdict, dated the row's day or today.
fn verdict(
    row: Option<&LedgerVerdict>,
    old: Option<&CommitmentOnLedger>,
    today: time::Date,
) -> (Status, Option<Verification>) {
    let stored = old.map(|o| (o.commitment.status, o.commitment.verification.clone()));
    match row {
        None => stored.unwrap_or((Status::Pending, None)),
        Some(v) if v.status == Status::Pending => (Status::Pending, None),
        Some(v) => match stored {
            Some((s, Some(x))) if s == v.status && x.comment == v.comment && v.on.is_none_or(|d| d == x.on) => {
                (s, Some(x))
            }
            _ => (
                v.status,
                Some(Verification { by: "import".into(), on: v.on.unwrap_or(today), comment: v.comment.clone() }),
            ),
        },
    }
}

/// Streams the commitments ledger of `root`'s subtree into `w`; ID numbers
/// only when `personal`.
pub(crate) async fn export<W: Write + Send>(
    store: &Store,
    root: &Unit,
    w: &mut Writer<W>,
    personal: bool,
) -> anyhow::Result<()> {
    store
        .each_commitment_in(root, |c| {
            let id_number = c.id_number.as_deref().filter(|_| personal);
            w.row(&commitment_cells(&c.commitment, &c.unit_code, &c.person, id_number))?;
            Ok(())
        })
        .await
}
