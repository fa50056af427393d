//! The fortresses of a batch: each row checked against the stored fortress
//! of its code (if any) and its references resolved; then new fortresses
//! are inserted in chunks and changed ones rewritten, with the grids they
//! cover brought up to date.

use std::collections::{BTreeSet, HashMap, HashSet};

use qizhi_core::figures::RollupDelta;
use qizhi_core::ids::{FortressId, GridId, ScenarioId};
use qizhi_core::org::Unit;
use qizhi_core::tasks::{Flag, Fortress, fortress_contributions};
use sqlx::Row;

use super::{CHUNK, FortressRow, OUTSIDE, Refs, audit_entry, err, list, returning};
use crate::audit::{Entry, json};
use crate::fortresses::{self as store, FORTRESS_COLS};
use crate::load::{LoadError, LoadSummary, RowError};
use crate::rows::{Bind, Sql, opt_date};
use crate::tasks::{related, values};
use crate::{StoreError, Tx, now_ms};

/// A fortress to write: new (`old` is `None`) or changed.
pub(super) struct Planned<'a> {
    pub unit: &'a Unit,
    pub fortress: Fortress,
    pub old: Option<Fortress>,
}

/// The fortresses the rows make or change; unchanged ones are left out.
pub(super) async fn plan<'a>(
    tx: &mut Tx,
    rows: &[FortressRow],
    refs: &Refs<'a>,
    errors: &mut Vec<RowError>,
) -> Result<Vec<Planned<'a>>, LoadError> {
    if rows.is_empty() {
        return Ok(vec![]);
    }
    let codes: Vec<&str> = rows.iter().map(|f| f.fields.code.as_str()).collect();
    let stored = stored(tx, &codes).await?;
    let scenario_codes: Vec<&str> = rows.iter().filter_map(|f| f.scenario_code.as_deref()).collect();
    let grid_codes: Vec<&str> = rows.iter().filter_map(|f| f.grid_code.as_deref()).collect();
    let scenarios = by_codes(tx, "scenarios", &scenario_codes).await?;
    let grids = by_codes(tx, "grids", &grid_codes).await?;
    let mut planned = vec![];
    let mut seen: HashSet<&str> = HashSet::new();
    for row in rows {
        let Some(u) = refs.unit(&row.unit_code, row.line, errors) else { continue };
        if !seen.insert(row.fields.code.as_str()) {
            err(errors, row.line, "code", format!("堡垒编码 {} 重复 (duplicate code)", row.fields.code));
        }
        let old = stored.get(&row.fields.code);
        if let Some(o) = old
            && o.unit_id != u.id
        {
            let m = "导入不改变已有堡垒的所属组织 (import does not move a fortress to another unit)";
            err(errors, row.line, "unit_code", m);
            continue;
        }
        let mut f = row.fields.clone();
        f.scenario_id = ground(&row.scenario_code, &scenarios, u, (row.line, "scenario_code"), errors).map(ScenarioId);
        f.grid_id = ground(&row.grid_code, &grids, u, (row.line, "grid_code"), errors).map(GridId);
        f.leader_id =
            row.leader.as_ref().and_then(|r| refs.person_on_line(r, u, (row.line, "leader", "负责人"), errors));
        let flag = match &row.flag {
            Some((name, planted_on, leader)) => Some(Flag {
                name: name.clone(),
                planted_on: *planted_on,
                leader_id: leader
                    .as_ref()
                    .and_then(|r| refs.person_on_line(r, u, (row.line, "flag_leader", "旗手"), errors)),
            }),
            // A row without a flag leaves a planted one where it is.
            None => old.and_then(|o| o.flag.clone()),
        };
        if let Some(g) = &flag
            && (g.planted_on < f.set_up_on || f.closed_on.is_some_and(|c| c < g.planted_on))
        {
            let m = format!("旗帜插于 {}，堡垒的建立和撤销日期须与之相符 (dates must fit the flag)", g.planted_on);
            err(errors, row.line, "set_up_on", m);
        }
        let fortress = Fortress { id: old.map_or(FortressId(0), |o| o.id), unit_id: u.id, fields: f, flag };
        if old != Some(&fortress) {
            planned.push(Planned { unit: u, fortress, old: old.cloned() });
        }
    }
    Ok(planned)
}

/// The id of the scenario or grid `code` names, which must be on the unit's line.
fn ground(
    code: &Option<String>,
    known: &HashMap<String, (i64, String)>,
    unit: &Unit,
    (line, field): (usize, &'static str),
    errors: &mut Vec<RowError>,
) -> Option<i64> {
    let code = code.as_ref()?;
    match known.get(code.as_str()) {
        Some((id, path)) if related(path, &unit.path) => Some(*id),
        Some(_) => {
            err(errors, line, field, format!("“{code}” {OUTSIDE}"));
            None
        }
        None => {
            err(errors, line, field, format!("编码 “{code}” 不存在 (no such code)"));
            None
        }
    }
}

/// Writes the planned fortresses; the ids of the new ones, by code.
pub(super) async fn write(
    tx: &mut Tx,
    planned: &[Planned<'_>],
    delta: &mut RollupDelta,
    summary: &mut LoadSummary,
    trail: &mut Option<Vec<Entry>>,
) -> Result<HashMap<String, FortressId>, LoadError> {
    let (fresh, changed): (Vec<&Planned>, Vec<&Planned>) = planned.iter().partition(|p| p.old.is_none());
    let mut ids: HashMap<String, FortressId> = HashMap::new();
    let mut touched_grids: BTreeSet<GridId> = BTreeSet::new();
    for chunk in fresh.chunks(CHUNK) {
        for (p, id) in chunk.iter().zip(insert(tx, chunk).await?) {
            let f = Fortress { id, ..p.fortress.clone() };
            delta.add(&p.unit.lineage(), &fortress_contributions(&f), 1);
            touched_grids.extend(f.fields.grid_id);
            if let Some(t) = trail.as_mut() {
                t.push(audit_entry("fortress", id.0, p.unit, format!("导入：建立堡垒 {}", f.fields.name), json(&f)));
            }
            ids.insert(f.fields.code.clone(), id);
            summary.created += 1;
        }
    }
    for g in touched_grids {
        store::sync_grid_cover(tx, g, delta).await?;
    }
    for p in changed {
        let old = p.old.as_ref().expect("a changed fortress has its stored self");
        store::rewrite(tx, p.unit, old, &p.fortress, delta).await?;
        if let Some(t) = trail.as_mut() {
            t.push(Entry {
                action: "update",
                object_kind: "fortress",
                object_id: old.id.to_string(),
                unit_path: Some(p.unit.path.clone()),
                summary: format!("导入：修改堡垒 {}（{}）", p.fortress.fields.name, p.fortress.fields.code),
                before: json(old),
                after: json(&p.fortress),
            });
        }
        summary.updated += 1;
    }
    Ok(ids)
}

/// The stored fortresses of these codes, by code.
async fn stored(tx: &mut Tx, codes: &[&str]) -> Result<HashMap<String, Fortress>, LoadError> {
    let mut out = HashMap::new();
    for chunk in codes.chunks(500) {
        let mut sql = Sql::new(&format!("SELECT {FORTRESS_COLS} FROM fortresses WHERE code IN ("));
        list(&mut sql, chunk.iter().map(|c| Bind::Text(c.to_string())));
        for r in sql.query(tx.backend()).fetch_all(&mut **tx).await? {
            let f = store::fortress(&r)?;
            out.insert(f.fields.code.clone(), f);
        }
    }
    Ok(out)
}

/// Scenario or grid ids and their unit paths, by code.
async fn by_codes(tx: &mut Tx, table: &str, codes: &[&str]) -> Result<HashMap<String, (i64, String)>, LoadError> {
    let mut out = HashMap::new();
    let unique: BTreeSet<&str> = codes.iter().copied().collect();
    let unique: Vec<&str> = unique.into_iter().collect();
    for chunk in unique.chunks(500) {
        let mut sql = Sql::new(&format!(
            "SELECT x.id, x.code, u.path FROM {table} x JOIN units u ON u.id = x.unit_id WHERE x.code IN ("
        ));
        list(&mut sql, chunk.iter().map(|c| Bind::Text(c.to_string())));
        for r in sql.query(tx.backend()).fetch_all(&mut **tx).await? {
            out.insert(r.try_get(1)?, (r.try_get(0)?, r.try_get(2)?));
        }
    }
    Ok(out)
}

async fn insert(tx: &mut Tx, chunk: &[&Planned<'_>]) -> Result<Vec<FortressId>, LoadError> {
    let now = now_ms();
    let mut sql = Sql::new(
        "INSERT INTO fortresses (code, unit_id, unit_path, name, scenario_id, grid_id, set_up_on, closed_on, leader_id, \
         description, flag_name, flag_planted_on, flag_leader_id, created_at, updated_at) VALUES ",
    );
    for (i, p) in chunk.iter().enumerate() {
        let (u, x, flag) = (p.unit, &p.fortress.fields, p.fortress.flag.as_ref());
        values(
            &mut sql,
            i == 0,
            vec![
                Bind::Text(x.code.clone()),
                Bind::Int(u.id.0),
                Bind::Text(u.path.clone()),
                Bind::Text(x.name.clone()),
                Bind::OptInt(x.scenario_id.map(|s| s.0)),
                Bind::OptInt(x.grid_id.map(|g| g.0)),
                Bind::Text(qizhi_core::date::iso(x.set_up_on)),
                Bind::OptText(opt_date(x.closed_on)),
                Bind::OptInt(x.leader_id.map(|p| p.0)),
                Bind::OptText(x.description.clone()),
                Bind::OptText(flag.map(|g| g.name.clone())),
                Bind::OptText(opt_date(flag.map(|g| g.planted_on))),
                Bind::OptInt(flag.and_then(|g| g.leader_id).map(|p| p.0)),
                Bind::Int(now),
                Bind::Int(now),
            ],
        );
    }
    let ids = returning(tx, sql).await.map_err(|e| match e {
        LoadError::Store(StoreError::Db(sqlx::Error::Database(d))) if d.is_unique_violation() => {
            LoadError::Store(StoreError::conflict("code", "堡垒编码已存在 (fortress code already exists)"))
        }
        e => e,
    })?;
    Ok(ids.into_iter().map(FortressId).collect())
}
