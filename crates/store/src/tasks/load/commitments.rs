//! The commitments of a batch: a row with an id changes that commitment —
//! what it says while it is pending, and its verdict — and a row without
//! one adds a commitment of the member's unit. A verdict a loaded row brings
//! is the loading actor's, who may not verify their own commitment. After
//! the writes, each member's chain of commitment years is replaced from
//! what the table then holds.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use qizhi_core::commitments::{Commitment, CommitmentFields, Status, Verification, commitment_contributions};
use qizhi_core::figures::RollupDelta;
use qizhi_core::ids::{CommitmentId, PersonId, UnitId};
use qizhi_core::org::Unit;
use sqlx::Row;

use super::{CHUNK, CommitmentRow, Refs, audit_entry, err, list};
use crate::audit::{Actor, Entry, json};
use crate::commitments::{self as store, COMMITMENT_COLS};
use crate::load::{LoadError, LoadSummary, RowError};
use crate::rows::{Bind, Sql, opt_date};
use crate::{Tx, now_ms};

/// A commitment to write: new (`old` is `None`) or changed.
pub(super) struct Planned<'a> {
    pub unit: &'a Unit,
    pub commitment: Commitment,
    pub old: Option<Commitment>,
}

/// The commitments the rows make or change; unchanged ones are left out.
pub(super) async fn plan<'a>(
    tx: &mut Tx,
    rows: &[CommitmentRow],
    refs: &Refs<'a>,
    actor: Option<&Actor>,
    errors: &mut Vec<RowError>,
) -> Result<Vec<Planned<'a>>, LoadError> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let ids: Vec<CommitmentId> = rows.iter().filter_map(|r| r.id).collect();
    let stored = stored(tx, &ids).await?;
    let actor_person = match actor.and_then(|a| a.user_id) {
        Some(user) => sqlx::query("SELECT person_id FROM users WHERE id = $1")
            .bind(user.0)
            .fetch_optional(&mut **tx)
            .await?
            .map(|r| r.try_get::<Option<i64>, _>(0))
            .transpose()?
            .flatten()
            .map(PersonId),
        None => None,
    };
    let mut planned = vec![];
    let mut seen: HashMap<CommitmentId, usize> = HashMap::new();
    for row in rows {
        if let Some(id) = row.id
            && let Some(first) = seen.insert(id, row.line)
        {
            err(errors, row.line, "id", format!("承诺编号与第 {first} 行重复 (duplicate of row {first})"));
        }
        let Some(w) = refs.person(&row.person, row.line, "person", errors) else { continue };
        let old = match row.id {
            Some(id) => match stored.get(&id) {
                Some(c) => Some(c),
                None => {
                    err(errors, row.line, "id", format!("承诺编号 {id} 不存在 (no such commitment)"));
                    continue;
                }
            },
            None => None,
        };
        let unit = match old {
            Some(c) if c.person_id != w.id => {
                let m = format!("承诺编号 {} 是另一名党员的承诺 (the commitment is another member's)", c.id);
                err(errors, row.line, "person", m);
                continue;
            }
            Some(c) => refs.by_id.get(&c.unit_id).copied(),
            None if !w.member => {
                err(errors, row.line, "person", "只有党员（含预备党员）作出承诺 (only party members make commitments)");
                continue;
            }
            None => refs.by_id.get(&w.unit).copied(),
        };
        let Some(u) = unit else { continue };
        if let Some(code) = &row.unit_code
            && *code != u.code
        {
            let m = match old {
                Some(_) => format!(
                    "该承诺由组织 {} 核实，导入不改变承诺所在的组织 (the commitment stays with its unit)",
                    u.code
                ),
                None => format!("该党员所在的组织是 {} (the member stands in another unit)", u.code),
            };
            err(errors, row.line, "unit_code", m);
            continue;
        }
        let mut c = Commitment {
            id: old.map_or(CommitmentId(0), |o| o.id),
            person_id: w.id,
            unit_id: u.id,
            fields: row.fields.clone(),
            status: row.status,
            verification: row.verification.clone(),
        };
        if let Some(o) = old
            && o.status != Status::Pending
            && let Some(field) = first_change(&o.fields, &c.fields)
        {
            err(errors, row.line, field, "承诺已核实，不能再修改 (the commitment is verified already)");
        }
        let verdict_changed =
            old.map_or(c.status != Status::Pending, |o| (o.status, &o.verification) != (c.status, &c.verification));
        if verdict_changed {
            if c.status == Status::Pending {
                err(errors, row.line, "status", "已核实的承诺不能改回待核实 (a verdict cannot be withdrawn)");
            } else if let Some(a) = actor {
                if actor_person == Some(w.id) {
                    err(errors, row.line, "status", "不能核实自己的承诺 (you cannot verify your own commitment)");
                }
                c.verification = c.verification.map(|v| Verification { by: a.username.clone(), ..v });
            }
        }
        if old != Some(&c) {
            planned.push(Planned { unit: u, commitment: c, old: old.cloned() });
        }
    }
    Ok(planned)
}

/// The column of the first field a row changes, if any.
fn first_change(old: &CommitmentFields, new: &CommitmentFields) -> Option<&'static str> {
    [
        ("year", old.year != new.year),
        ("category", old.category != new.category),
        ("text", old.text != new.text),
        ("due_on", old.due_on != new.due_on),
        ("progress_note", old.progress_note != new.progress_note),
    ]
    .into_iter()
    .find_map(|(field, changed)| changed.then_some(field))
}

/// Writes the planned commitments and replaces the chains of the members they touch.
pub(super) async fn write(
    tx: &mut Tx,
    planned: &[Planned<'_>],
    refs: &Refs<'_>,
    delta: &mut RollupDelta,
    summary: &mut LoadSummary,
    trail: &mut Option<Vec<Entry>>,
) -> Result<(), LoadError> {
    if planned.is_empty() {
        return Ok(());
    }
    let persons: Vec<i64> = planned.iter().map(|p| p.commitment.person_id.0).collect();
    let before = stored_years(tx, &persons).await?;
    let fresh: Vec<(&Unit, Commitment)> =
        planned.iter().filter(|p| p.old.is_none()).map(|p| (p.unit, p.commitment.clone())).collect();
    for chunk in fresh.chunks(CHUNK) {
        let ids = store::insert_rows(tx, chunk).await?;
        for ((u, c), id) in chunk.iter().zip(ids) {
            let c = Commitment { id, ..c.clone() };
            delta.add(&u.lineage(), &commitment_contributions(&c), 1);
            if let Some(tr) = trail.as_mut() {
                tr.push(audit_entry("commitment", id.0, u, format!("导入：承诺 {}", c.fields.text), json(&c)));
            }
            summary.created += 1;
        }
    }
    for p in planned {
        let Some(old) = &p.old else { continue };
        rewrite(tx, &p.commitment).await?;
        delta.add(&p.unit.lineage(), &commitment_contributions(old), -1);
        delta.add(&p.unit.lineage(), &commitment_contributions(&p.commitment), 1);
        if let Some(tr) = trail.as_mut() {
            tr.push(Entry {
                action: "update",
                object_kind: "commitment",
                object_id: old.id.to_string(),
                unit_path: Some(p.unit.path.clone()),
                summary: format!(
                    "导入：修改 {} 年承诺（{}）：{}",
                    p.commitment.fields.year,
                    p.commitment.status.zh(),
                    p.commitment.fields.text
                ),
                before: json(old),
                after: json(&p.commitment),
            });
        }
        summary.updated += 1;
    }
    let after = stored_years(tx, &persons).await?;
    let empty = BTreeSet::new();
    for key in before.keys().chain(after.keys()).collect::<BTreeSet<_>>() {
        let (prior, now) = (before.get(key).unwrap_or(&empty), after.get(key).unwrap_or(&empty));
        if let Some(unit) = refs.by_id.get(&key.1) {
            store::rechain(delta, unit, prior, now);
        }
    }
    Ok(())
}

/// Writes what a commitment says and its verdict.
async fn rewrite(tx: &mut Tx, c: &Commitment) -> Result<(), LoadError> {
    let (f, v) = (&c.fields, c.verification.as_ref());
    sqlx::query(
        "UPDATE commitments SET year = $1, text = $2, category = $3, due_on = $4, progress_note = $5, status = $6, \
         verified_by = $7, verified_on = $8, verify_comment = $9, updated_at = $10 WHERE id = $11",
    )
    .bind(i64::from(f.year))
    .bind(f.text.as_str())
    .bind(f.category.code())
    .bind(opt_date(f.due_on))
    .bind(f.progress_note.as_deref())
    .bind(c.status.code())
    .bind(v.map(|v| v.by.clone()))
    .bind(opt_date(v.map(|v| v.on)))
    .bind(v.and_then(|v| v.comment.clone()))
    .bind(now_ms())
    .bind(c.id.0)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The stored commitments of these ids.
async fn stored(tx: &mut Tx, ids: &[CommitmentId]) -> Result<HashMap<CommitmentId, Commitment>, LoadError> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let mut sql = Sql::new(&format!("SELECT {COMMITMENT_COLS} FROM commitments WHERE id IN ("));
        list(&mut sql, chunk.iter().map(|i| Bind::Int(i.0)));
        for r in sql.query(tx.backend()).fetch_all(&mut **tx).await? {
            let c = store::commitment(&r)?;
            out.insert(c.id, c);
        }
    }
    Ok(out)
}

/// The stored commitment years of these people, by (person, unit).
async fn stored_years(tx: &mut Tx, persons: &[i64]) -> Result<BTreeMap<(PersonId, UnitId), BTreeSet<i32>>, LoadError> {
    let mut out: BTreeMap<(PersonId, UnitId), BTreeSet<i32>> = BTreeMap::new();
    let unique: BTreeSet<i64> = persons.iter().copied().collect();
    let unique: Vec<i64> = unique.into_iter().collect();
    for chunk in unique.chunks(500) {
        let mut sql = Sql::new("SELECT person_id, unit_id, year FROM commitments WHERE person_id IN (");
        list(&mut sql, chunk.iter().map(|i| Bind::Int(*i)));
        for r in sql.query(tx.backend()).fetch_all(&mut **tx).await? {
            out.entry((PersonId(r.try_get(0)?), UnitId(r.try_get(1)?)))
                .or_default()
                .insert(r.try_get::<i64, _>(2)? as i32);
        }
    }
    Ok(out)
}
