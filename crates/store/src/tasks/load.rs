//! Bulk loading of fortresses, teams, tasks (with their ledgers) and
//! commitments, as part of a [`crate::load::Batch`]: the seed world and the
//! ledger (台账) imports. Everything is checked first and every problem
//! named by row; otherwise rows are written — new ones with multi-row
//! inserts in chunks — and the counters of the whole batch are added to the
//! batch's one rollup delta.
//!
//! Every record is matched to the stored one, so a ledger exported, edited
//! and imported again applies exactly the edits and an unedited one changes
//! nothing. Fortresses and teams are matched by code (`fortresses`,
//! `teams`), commitments by their id (`commitments`). Tasks are matched by
//! code: a new code adds the task (with the entries the row brings, or a
//! first entry from its reported progress); an existing code updates it —
//! only what differs — and adds an entry when the reported progress (进度,
//! 进展日期, 进展情况) differs from the latest entry's.
//!
//! Problems are named by the ledger column they belong to (`leader`,
//! `grid_code`, `members` …), which is also how the seed's rows would be told.

mod commitments;
mod fortresses;
mod teams;

use std::collections::{BTreeSet, HashMap};

use qizhi_core::commitments::{CommitmentFields, Status, Verification};
use qizhi_core::figures::RollupDelta;
use qizhi_core::ids::{CommitmentId, FortressId, PersonId, TaskId, TeamId, UnitId};
use qizhi_core::org::Unit;
use qizhi_core::tasks::{EntryFields, FortressFields, Task, TaskFields, check_status, task_contributions};
use qizhi_core::teams::TeamFields;
use sqlx::Row;
use time::Date;

use crate::audit::{Actor, Entry, json};
use crate::load::{LoadError, LoadSummary, RowError};
use crate::rows::{Bind, Sql, opt_date};
use crate::tasks::{self as tasks_store, related, values};
use crate::{StoreError, Tx, now_ms};

/// A person named by a row: by id (resolved already), or by ID number (the seed).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PersonRef {
    Id(PersonId),
    IdNumber(String),
}

/// A fortress as a row states it; an existing code updates that fortress
/// (which stays with its unit).
pub struct FortressRow {
    pub line: usize,
    pub unit_code: String,
    /// Scenario, grid and leader ids are taken from the codes and refs below.
    pub fields: FortressFields,
    pub scenario_code: Option<String>,
    pub grid_code: Option<String>,
    pub leader: Option<PersonRef>,
    /// The flag: name, date planted, its leader. `None` keeps a planted flag.
    pub flag: Option<(String, Date, Option<PersonRef>)>,
}

/// A team as a row states it, with all its members; an existing code
/// updates that team (which stays with its unit) and replaces its members.
pub struct TeamRow {
    pub line: usize,
    pub unit_code: String,
    /// The leader id is taken from `leader`.
    pub fields: TeamFields,
    pub leader: Option<PersonRef>,
    pub members: Vec<PersonRef>,
}

/// One entry of a task's ledger as loaded.
pub struct EntryRow {
    pub fields: EntryFields,
    pub person: Option<PersonRef>,
    pub created_by: String,
}

/// The progress a ledger row reports: the latest entry should read so.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressReport {
    pub progress: i32,
    /// Empty: today, for a new entry.
    pub on: Option<Date>,
    pub note: Option<String>,
}

pub struct TaskRow {
    pub line: usize,
    pub code: String,
    pub unit_code: String,
    /// Fortress, team and responsible ids are taken from the codes and refs below.
    pub fields: TaskFields,
    pub fortress_code: Option<String>,
    pub team_code: Option<String>,
    pub responsible: Vec<PersonRef>,
    /// Whether the row states a status; if not, an existing task keeps its own.
    pub status_given: bool,
    /// An existing task keeps its brand (the ledger has no brand column).
    pub keep_brand: bool,
    /// A whole ledger to add (the seed), oldest first.
    pub entries: Vec<EntryRow>,
    /// Or the progress the ledger row reports (imports).
    pub report: Option<ProgressReport>,
}

/// A commitment as a row states it. `status` and `verification` are the
/// verdict the commitment should carry: when they differ from the stored
/// one (or are given for a new commitment) and the batch is loaded by
/// someone, the verdict is theirs, made on `verification.on`.
pub struct CommitmentRow {
    pub line: usize,
    /// The stored commitment the row changes; `None` adds one.
    pub id: Option<CommitmentId>,
    /// The unit the row names: the member's (a new commitment), or the one
    /// that keeps the commitment (an existing one). `None`: not checked.
    pub unit_code: Option<String>,
    pub person: PersonRef,
    pub fields: CommitmentFields,
    pub status: Status,
    pub verification: Option<Verification>,
}

/// This capability's part of a batch.
#[derive(Default)]
pub struct TaskBatch {
    pub fortresses: Vec<FortressRow>,
    pub teams: Vec<TeamRow>,
    pub tasks: Vec<TaskRow>,
    pub commitments: Vec<CommitmentRow>,
}

impl TaskBatch {
    pub fn len(&self) -> usize {
        self.fortresses.len() + self.teams.len() + self.tasks.len() + self.commitments.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

const CHUNK: usize = 200;

/// What the loader needs to know about a person: their unit.
#[derive(Clone)]
struct Who {
    id: PersonId,
    unit: UnitId,
    member: bool,
}

fn err(errors: &mut Vec<RowError>, line: usize, field: &'static str, message: impl Into<String>) {
    errors.push(RowError { line, field, message: message.into() });
}

/// What the rows of a batch are checked against: every unit (those of the
/// batch too) and the people the batch names.
struct Refs<'a> {
    by_code: &'a HashMap<String, Unit>,
    by_id: HashMap<UnitId, &'a Unit>,
    people: HashMap<PersonRef, Who>,
}

/// The end of a message about something not on a unit's line.
const OUTSIDE: &str = "不属于本组织或其上级、下级组织 (outside this unit's line)";

impl<'a> Refs<'a> {
    /// The person `r` names, or a problem in column `field`.
    fn person(&self, r: &PersonRef, line: usize, field: &'static str, errors: &mut Vec<RowError>) -> Option<Who> {
        let found = self.people.get(r).cloned();
        if found.is_none() {
            let what = match r {
                PersonRef::Id(id) => format!("人员 {id}"),
                PersonRef::IdNumber(n) => format!("身份证号为 {n} 的人员"),
            };
            err(errors, line, field, format!("{what} 不存在 (no such person)"));
        }
        found
    }

    /// The person `r` names, who must stand on the line of `unit`; `what` names their role.
    fn person_on_line(
        &self,
        r: &PersonRef,
        unit: &Unit,
        (line, field, what): (usize, &'static str, &str),
        errors: &mut Vec<RowError>,
    ) -> Option<PersonId> {
        let w = self.person(r, line, field, errors)?;
        if !self.on_line(&w, unit) {
            err(errors, line, field, format!("{what}{OUTSIDE}"));
        }
        Some(w.id)
    }

    /// The unit of `code`, or a problem in column `unit_code`.
    fn unit(&self, code: &str, line: usize, errors: &mut Vec<RowError>) -> Option<&'a Unit> {
        let u = self.by_code.get(code.trim());
        if u.is_none() {
            err(errors, line, "unit_code", format!("组织编码 “{code}” 不存在 (no unit with this code)"));
        }
        u
    }

    fn on_line(&self, who: &Who, unit: &Unit) -> bool {
        self.by_id.get(&who.unit).is_some_and(|u| related(&u.path, &unit.path))
    }
}

/// Loads `batch` inside the batch's transaction; `by_code` holds every unit
/// (those of the batch too). A verdict on a commitment the batch makes is
/// recorded as `actor`'s. Row problems come back as [`LoadError::Rows`].
pub(crate) async fn load(
    tx: &mut Tx,
    batch: &TaskBatch,
    by_code: &HashMap<String, Unit>,
    actor: Option<&Actor>,
    delta: &mut RollupDelta,
    summary: &mut LoadSummary,
    trail: &mut Option<Vec<Entry>>,
) -> Result<(), LoadError> {
    if batch.is_empty() {
        return Ok(());
    }
    let refs = Refs {
        by_code,
        by_id: by_code.values().map(|u| (u.id, u)).collect(),
        people: resolve_people(tx, batch).await?,
    };
    let mut errors = vec![];
    let fortress_plan = fortresses::plan(tx, &batch.fortresses, &refs, &mut errors).await?;
    let team_plan = teams::plan(tx, &batch.teams, &refs, &mut errors).await?;

    // Tasks: references resolved against the stored rows and this batch.
    let task_codes: Vec<&str> = batch.tasks.iter().map(|t| t.code.as_str()).collect();
    let existing = existing_tasks(tx, &task_codes).await?;
    let f_codes: Vec<&str> = batch.tasks.iter().filter_map(|t| t.fortress_code.as_deref()).collect();
    let t_codes: Vec<&str> = batch.tasks.iter().filter_map(|t| t.team_code.as_deref()).collect();
    let stored_fortresses = by_codes_path(tx, "fortresses", &f_codes).await?;
    let stored_teams = by_codes_path(tx, "teams", &t_codes).await?;
    let batch_fortress_paths: HashMap<&str, &str> =
        fortress_plan.iter().map(|p| (p.fortress.fields.code.as_str(), p.unit.path.as_str())).collect();
    let batch_team_paths: HashMap<&str, &str> =
        team_plan.iter().map(|p| (p.team.fields.code.as_str(), p.unit.path.as_str())).collect();
    struct Planned<'a> {
        row: &'a TaskRow,
        unit: &'a Unit,
        fields: TaskFields,
        fortress_code: Option<&'a str>,
        team_code: Option<&'a str>,
    }
    let mut planned: Vec<Planned> = vec![];
    let mut seen_codes: HashMap<&str, usize> = HashMap::new();
    for row in &batch.tasks {
        if let Some(first) = seen_codes.insert(row.code.as_str(), row.line) {
            err(&mut errors, row.line, "code", format!("任务编号与第 {first} 行重复 (duplicate of row {first})"));
        }
        let Some(u) = refs.unit(&row.unit_code, row.line, &mut errors) else { continue };
        let mut f = row.fields.clone();
        f.responsible.clear();
        for r in &row.responsible {
            if let Some(p) = refs.person_on_line(r, u, (row.line, "responsible", "责任人"), &mut errors)
                && !f.responsible.contains(&p)
            {
                f.responsible.push(p);
            }
        }
        let mut reference = |code: &Option<String>,
                             stored: &HashMap<String, (i64, String)>,
                             fresh: &HashMap<&str, &str>,
                             field: &'static str,
                             what: &str|
         -> Option<Option<i64>> {
            let Some(code) = code else { return Some(None) };
            let (id, path) = match (stored.get(code), fresh.get(code.as_str())) {
                (Some((id, path)), _) => (Some(*id), path.as_str()),
                (None, Some(path)) => (None, *path),
                (None, None) => {
                    err(&mut errors, row.line, field, format!("{what}编码 “{code}” 不存在 (no such code)"));
                    return None;
                }
            };
            if !related(path, &u.path) {
                err(&mut errors, row.line, field, format!("{what} “{code}” {OUTSIDE}"));
                return None;
            }
            Some(id)
        };
        let fortress =
            reference(&row.fortress_code, &stored_fortresses, &batch_fortress_paths, "fortress_code", "堡垒");
        let team = reference(&row.team_code, &stored_teams, &batch_team_paths, "team_code", "队伍");
        if let (Some(fid), Some(tid)) = (fortress, team) {
            f.fortress_id = fid.map(FortressId);
            f.team_id = tid.map(TeamId);
            planned.push(Planned {
                row,
                unit: u,
                fields: f,
                fortress_code: row.fortress_code.as_deref(),
                team_code: row.team_code.as_deref(),
            });
        }
    }

    let commitment_plan = commitments::plan(tx, &batch.commitments, &refs, actor, &mut errors).await?;
    if !errors.is_empty() {
        return Err(LoadError::Rows(errors));
    }

    // Write fortresses, then teams (tasks cite both).
    let fortress_ids = fortresses::write(tx, &fortress_plan, delta, summary, trail).await?;
    let team_ids = teams::write(tx, &team_plan, delta, summary, trail).await?;

    // Tasks: updates one by one, new ones in chunks.
    let today = qizhi_core::date::today();
    let mut fresh: Vec<(&Unit, Task, &TaskRow)> = vec![];
    for p in planned {
        let mut fields = p.fields;
        if let Some(c) = p.fortress_code {
            fields.fortress_id = fields.fortress_id.or_else(|| fortress_ids.get(c).copied());
        }
        if let Some(c) = p.team_code {
            fields.team_id = fields.team_id.or_else(|| team_ids.get(c).copied());
        }
        let row = p.row;
        if row.status_given
            && let Some(r) = &row.report
        {
            fields.status = qizhi_core::tasks::status_with_progress(fields.status, r.progress);
        }
        match existing.get(row.code.as_str()) {
            Some(id) => {
                if update_task(tx, row, p.unit, fields, *id, &refs, today, delta, trail).await? {
                    summary.updated += 1;
                }
            }
            None => {
                let mut task = Task {
                    id: TaskId(0),
                    unit_id: p.unit.id,
                    code: row.code.clone(),
                    fields,
                    progress: 0,
                    last_entry_on: None,
                };
                // The row's status stands when it gives one (a seeded ledger
                // comes with its final status); otherwise the entries decide.
                for e in ledger_of(row, today) {
                    let after = tasks_store::after_entry(&task, &e);
                    task.progress = after.progress;
                    task.last_entry_on = after.last_entry_on;
                    if !row.status_given {
                        task.fields.status = after.fields.status;
                    }
                }
                if let Err(m) = check_status(task.fields.status, task.progress) {
                    return Err(LoadError::Rows(vec![RowError { line: row.line, field: "status", message: m }]));
                }
                fresh.push((p.unit, task, row));
            }
        }
    }
    for chunk in fresh.chunks(CHUNK) {
        let ids = insert_tasks(tx, chunk).await?;
        let mut entries: Vec<(TaskId, EntryFields, Option<PersonId>, String)> = vec![];
        let mut links: Vec<(TaskId, PersonId, usize)> = vec![];
        for ((u, t, row), id) in chunk.iter().zip(ids) {
            let t = Task { id, ..t.clone() };
            delta.add(&u.lineage(), &task_contributions(&t), 1);
            links.extend(t.fields.responsible.iter().enumerate().map(|(i, p)| (id, *p, i)));
            if row.entries.is_empty() {
                for e in ledger_of(row, today) {
                    let by = trail_user(trail);
                    entries.push((id, e, t.fields.responsible.first().copied(), by));
                }
            } else {
                for e in &row.entries {
                    let who = e.person.as_ref().and_then(|r| refs.people.get(r)).map(|w| w.id);
                    entries.push((id, e.fields.clone(), who, e.created_by.clone()));
                }
            }
            if let Some(tr) = trail.as_mut() {
                tr.push(audit_entry(
                    "task",
                    id.0,
                    u,
                    format!("导入：新建任务 {}（{}）", t.fields.name, t.code),
                    json(&t),
                ));
            }
            summary.created += 1;
        }
        insert_links(tx, &links).await?;
        insert_entries(tx, &entries).await?;
    }

    commitments::write(tx, &commitment_plan, &refs, delta, summary, trail).await
}

/// The entries a new task's row brings: its whole ledger, or one entry from
/// the progress it reports (when there is progress or a note to record).
fn ledger_of(row: &TaskRow, today: Date) -> Vec<EntryFields> {
    if !row.entries.is_empty() {
        return row.entries.iter().map(|e| e.fields.clone()).collect();
    }
    match &row.report {
        Some(r) if r.progress > 0 || r.note.is_some() => {
            vec![EntryFields { entry_on: r.on.unwrap_or(today), progress: r.progress, note: r.note.clone() }]
        }
        _ => vec![],
    }
}

fn trail_user(trail: &Option<Vec<Entry>>) -> String {
    if trail.is_some() { "import".to_string() } else { "system".to_string() }
}

fn audit_entry(kind: &'static str, id: i64, unit: &Unit, summary: String, after: Option<serde_json::Value>) -> Entry {
    Entry {
        action: "create",
        object_kind: kind,
        object_id: id.to_string(),
        unit_path: Some(unit.path.clone()),
        summary,
        before: None,
        after,
    }
}

/// Updates an existing task from a ledger row; whether anything changed.
#[allow(clippy::too_many_arguments)]
async fn update_task(
    tx: &mut Tx,
    row: &TaskRow,
    unit: &Unit,
    mut fields: TaskFields,
    id: TaskId,
    refs: &Refs<'_>,
    today: Date,
    delta: &mut RollupDelta,
    trail: &mut Option<Vec<Entry>>,
) -> Result<bool, LoadError> {
    let old = tasks_store::touch(tx, id).await?;
    let old_unit = refs.by_id.get(&old.unit_id).copied().ok_or_else(|| StoreError::not_found("unit"))?;
    if !row.status_given {
        fields.status = old.fields.status;
    } else if let Some(r) = &row.report {
        // An open status beside the row's progress means what that progress means.
        fields.status = qizhi_core::tasks::status_with_progress(fields.status, r.progress);
    }
    if row.keep_brand {
        fields.brand_id = old.fields.brand_id;
    }
    let mut new = Task { unit_id: unit.id, code: row.code.clone(), fields, ..old.clone() };
    let mut changed = false;
    // The reported progress, when it differs from the latest entry's, is a new entry.
    let entry = match &row.report {
        Some(r) => {
            let latest = tasks_store::latest_entry(tx, id).await?;
            let differs = match &latest {
                Some((on, p, note)) => r.progress != *p || r.note != *note || r.on.is_some_and(|d| d != *on),
                None => r.progress != 0 || r.note.is_some(),
            };
            differs.then(|| EntryFields { entry_on: r.on.unwrap_or(today), progress: r.progress, note: r.note.clone() })
        }
        None => None,
    };
    for e in &row.entries {
        let who = e.person.as_ref().and_then(|r| refs.people.get(r)).map(|w| w.id);
        tasks_store::insert_entry(tx, old_unit, id, &e.fields, who, &e.created_by, &[]).await?;
        new = Task { fields: new.fields.clone(), ..tasks_store::after_entry(&new, &e.fields) };
        changed = true;
    }
    if let Some(e) = &entry {
        let by = trail.as_ref().map_or("system", |_| "import");
        tasks_store::insert_entry(tx, old_unit, id, e, new.fields.responsible.first().copied(), by, &[]).await?;
        let after = tasks_store::after_entry(&new, e);
        // A status the row changed wins; otherwise the entry decides it.
        let status = if row.status_given && new.fields.status != old.fields.status {
            new.fields.status
        } else {
            after.fields.status
        };
        new = Task { fields: TaskFields { status, ..new.fields }, ..after };
        changed = true;
    }
    if let Err(m) = check_status(new.fields.status, new.progress) {
        return Err(LoadError::Rows(vec![RowError { line: row.line, field: "status", message: m }]));
    }
    if new != old {
        tasks_store::rewrite(tx, old_unit, &old, unit, &new, delta).await?;
        changed = true;
    }
    if changed && let Some(t) = trail.as_mut() {
        t.push(Entry {
            action: "update",
            object_kind: "task",
            object_id: id.to_string(),
            unit_path: Some(unit.path.clone()),
            summary: format!("导入：修改任务 {}（{}）", new.fields.name, new.code),
            before: json(&old),
            after: json(&new),
        });
    }
    Ok(changed)
}

/// The people the batch names, by reference: their id, unit and whether they are party members.
async fn resolve_people(tx: &mut Tx, batch: &TaskBatch) -> Result<HashMap<PersonRef, Who>, LoadError> {
    let mut refs: BTreeSet<&PersonRef> = BTreeSet::new();
    for f in &batch.fortresses {
        refs.extend(f.leader.iter());
        refs.extend(f.flag.iter().filter_map(|(_, _, l)| l.as_ref()));
    }
    for t in &batch.teams {
        refs.extend(t.leader.iter());
        refs.extend(t.members.iter());
    }
    for t in &batch.tasks {
        refs.extend(t.responsible.iter());
        refs.extend(t.entries.iter().filter_map(|e| e.person.as_ref()));
    }
    refs.extend(batch.commitments.iter().map(|c| &c.person));
    let mut out = HashMap::new();
    let ids: Vec<i64> = refs
        .iter()
        .filter_map(|r| match r {
            PersonRef::Id(p) => Some(p.0),
            _ => None,
        })
        .collect();
    let numbers: Vec<&str> = refs
        .iter()
        .filter_map(|r| match r {
            PersonRef::IdNumber(n) => Some(n.as_str()),
            _ => None,
        })
        .collect();
    for chunk in ids.chunks(500) {
        let mut sql = Sql::new("SELECT id, unit_id, category FROM people WHERE id IN (");
        list(&mut sql, chunk.iter().map(|i| Bind::Int(*i)));
        for r in sql.query(tx.backend()).fetch_all(&mut **tx).await? {
            let who = who(&r)?;
            out.insert(PersonRef::Id(who.id), who);
        }
    }
    for chunk in numbers.chunks(500) {
        let mut sql = Sql::new("SELECT id, unit_id, category, id_number FROM people WHERE id_number IN (");
        list(&mut sql, chunk.iter().map(|n| Bind::Text(n.to_string())));
        for r in sql.query(tx.backend()).fetch_all(&mut **tx).await? {
            let n: String = r.try_get("id_number")?;
            out.insert(PersonRef::IdNumber(n), who(&r)?);
        }
    }
    Ok(out)
}

fn who(r: &sqlx::any::AnyRow) -> Result<Who, sqlx::Error> {
    let category: String = r.try_get("category")?;
    Ok(Who {
        id: PersonId(r.try_get("id")?),
        unit: UnitId(r.try_get("unit_id")?),
        member: matches!(category.as_str(), "full" | "probationary"),
    })
}

fn list(sql: &mut Sql, binds: impl Iterator<Item = Bind>) {
    for (i, b) in binds.enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(b);
    }
    sql.push(")");
}

/// Fortress or team ids and their unit paths, by code.
async fn by_codes_path(tx: &mut Tx, table: &str, codes: &[&str]) -> Result<HashMap<String, (i64, String)>, LoadError> {
    let mut out = HashMap::new();
    let unique: BTreeSet<&str> = codes.iter().copied().collect();
    let unique: Vec<&str> = unique.into_iter().collect();
    for chunk in unique.chunks(500) {
        let mut sql = Sql::new(&format!("SELECT id, code, unit_path FROM {table} WHERE code IN ("));
        list(&mut sql, chunk.iter().map(|c| Bind::Text(c.to_string())));
        for r in sql.query(tx.backend()).fetch_all(&mut **tx).await? {
            out.insert(r.try_get(1)?, (r.try_get(0)?, r.try_get(2)?));
        }
    }
    Ok(out)
}

/// Stored task ids by code.
async fn existing_tasks(tx: &mut Tx, codes: &[&str]) -> Result<HashMap<String, TaskId>, LoadError> {
    let mut out = HashMap::new();
    for chunk in codes.chunks(500) {
        let mut sql = Sql::new("SELECT id, code FROM tasks WHERE code IN (");
        list(&mut sql, chunk.iter().map(|c| Bind::Text(c.to_string())));
        for r in sql.query(tx.backend()).fetch_all(&mut **tx).await? {
            out.insert(r.try_get(1)?, TaskId(r.try_get(0)?));
        }
    }
    Ok(out)
}

/// Ids of a multi-row insert, in the order of its rows.
async fn returning(tx: &mut Tx, mut sql: Sql) -> Result<Vec<i64>, LoadError> {
    sql.push(" RETURNING id");
    let mut ids: Vec<i64> =
        sql.query(tx.backend()).fetch_all(&mut **tx).await?.iter().map(|r| r.try_get(0)).collect::<Result<_, _>>()?;
    // Ids are assigned increasing within one statement.
    ids.sort_unstable();
    Ok(ids)
}

async fn insert_tasks(tx: &mut Tx, chunk: &[(&Unit, Task, &TaskRow)]) -> Result<Vec<TaskId>, LoadError> {
    let now = now_ms();
    let mut sql = Sql::new(
        "INSERT INTO tasks (code, unit_id, unit_path, kind, name, description, fortress_id, team_id, brand_id, target, \
         target_unit, year, start_on, due_on, status, priority, due_key, progress, last_entry_on, created_at, updated_at) VALUES ",
    );
    for (i, (u, t, _)) in chunk.iter().enumerate() {
        let f = &t.fields;
        values(
            &mut sql,
            i == 0,
            vec![
                Bind::Text(t.code.clone()),
                Bind::Int(u.id.0),
                Bind::Text(u.path.clone()),
                Bind::Text(f.kind.code().into()),
                Bind::Text(f.name.clone()),
                Bind::OptText(f.description.clone()),
                Bind::OptInt(f.fortress_id.map(|x| x.0)),
                Bind::OptInt(f.team_id.map(|x| x.0)),
                Bind::OptInt(f.brand_id),
                Bind::OptText(f.target.map(|t| t.to_string())),
                Bind::OptText(f.target_unit.clone()),
                Bind::Int(f.year.into()),
                Bind::OptText(opt_date(f.start_on)),
                Bind::OptText(opt_date(f.due_on)),
                Bind::Text(f.status.code().into()),
                Bind::Int(f.priority.rank()),
                Bind::Text(tasks_store::due_key(f.due_on)),
                Bind::Int(t.progress.into()),
                Bind::OptText(opt_date(t.last_entry_on)),
                Bind::Int(now),
                Bind::Int(now),
            ],
        );
    }
    let ids = returning(tx, sql).await.map_err(|e| match e {
        LoadError::Store(StoreError::Db(sqlx::Error::Database(d))) if d.is_unique_violation() => {
            LoadError::Store(StoreError::conflict("code", "任务编号已存在 (task code already exists)"))
        }
        e => e,
    })?;
    Ok(ids.into_iter().map(TaskId).collect())
}

async fn insert_links(tx: &mut Tx, links: &[(TaskId, PersonId, usize)]) -> Result<(), LoadError> {
    for chunk in links.chunks(500) {
        let mut sql = Sql::new("INSERT INTO task_people (task_id, person_id, position) VALUES ");
        for (i, (t, p, pos)) in chunk.iter().enumerate() {
            values(&mut sql, i == 0, vec![Bind::Int(t.0), Bind::Int(p.0), Bind::Int(*pos as i64)]);
        }
        sql.query(tx.backend()).execute(&mut **tx).await?;
    }
    Ok(())
}

async fn insert_entries(
    tx: &mut Tx,
    entries: &[(TaskId, EntryFields, Option<PersonId>, String)],
) -> Result<(), LoadError> {
    let now = now_ms();
    for chunk in entries.chunks(400) {
        let mut sql = Sql::new(
            "INSERT INTO task_entries (task_id, entry_on, progress, note, person_id, created_by, created_at) VALUES ",
        );
        for (i, (t, e, p, by)) in chunk.iter().enumerate() {
            values(
                &mut sql,
                i == 0,
                vec![
                    Bind::Int(t.0),
                    Bind::Text(qizhi_core::date::iso(e.entry_on)),
                    Bind::Int(e.progress.into()),
                    Bind::OptText(e.note.clone()),
                    Bind::OptInt(p.map(|p| p.0)),
                    Bind::Text(by.clone()),
                    Bind::Int(now),
                ],
            );
        }
        sql.query(tx.backend()).execute(&mut **tx).await?;
    }
    Ok(())
}
