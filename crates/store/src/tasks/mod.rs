//! Tasks (任务) and their progress ledger (进展): create, edit, bulk edit,
//! post progress entries with evidence, read, list a subtree's with filters,
//! stream a ledger for export. A task's progress is its latest entry's; every
//! write changes the task's counters (count, done, progress sum, open-due)
//! along its unit's lineage in the same transaction.
//!
//! Also the helpers the other records of this capability share (fortresses,
//! teams, commitments): today's date, paths, dates in rows.

pub mod commitments;
pub mod fortresses;
pub mod ledgers;
pub mod load;
pub mod teams;

use std::collections::{BTreeMap, HashMap};

use qizhi_core::figures::{RollupDelta, Span};
use qizhi_core::file::FileKind;
use qizhi_core::ids::{EntryId, FortressId, PersonId, TaskId, TeamId, UnitId};
use qizhi_core::org::{Unit, lineage};
use qizhi_core::tasks::{
    EntryFields, Priority, STALLED_DAYS, Task, TaskEntry, TaskFields, TaskKind, TaskStatus, becomes_latest,
    check_status, status_after_entry, task_contributions,
};
use sqlx::Row;
use sqlx::any::AnyRow;
use time::Date;

use crate::audit::{self, Entry, json};
use crate::error::unique_as;
use crate::files::StoredFile;
use crate::page::MAX_PER_PAGE;
use crate::rows::{Bind, Sql, corrupt, opt_date};
use crate::scope::{Scope, subtree_filter};
use crate::search::By;
use crate::{Backend, Page, Store, StoreError, StoreResult, Tx, files, now_ms, rollup, units};

/// Whether two units are on one line: one is the other or lies under it.
pub(crate) fn related(a: &str, b: &str) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

pub(crate) fn opt_date_of(row: &AnyRow, col: &str) -> StoreResult<Option<Date>> {
    let v: Option<String> = row.try_get(col)?;
    v.map(|s| qizhi_core::date::parse(&s).map_err(|e| corrupt(col, &e))).transpose()
}

pub(crate) fn date_of(row: &AnyRow, col: &str) -> StoreResult<Date> {
    opt_date_of(row, col)?.ok_or_else(|| corrupt(col, "missing date"))
}

/// Appends `(b1, b2, …)` to a multi-row insert.
pub(crate) fn values(sql: &mut Sql, first: bool, binds: Vec<Bind>) {
    sql.push(if first { "(" } else { ", (" });
    for (j, b) in binds.into_iter().enumerate() {
        if j > 0 {
            sql.push(", ");
        }
        sql.bind(b);
    }
    sql.push(")");
}

pub(crate) const TASK_COLS: &str = "id, code, unit_id, kind, name, description, fortress_id, team_id, brand_id, target, \
     target_unit, year, start_on, due_on, status, priority, progress, last_entry_on";

fn prefixed(cols: &str, p: &str) -> String {
    cols.split(", ").map(|c| format!("{p}.{c}")).collect::<Vec<_>>().join(", ")
}

/// A task row; `responsible` is read separately (table `task_people`).
pub(crate) fn task(row: &AnyRow, responsible: Vec<PersonId>) -> StoreResult<Task> {
    let kind: String = row.try_get("kind")?;
    let status: String = row.try_get("status")?;
    let priority: i64 = row.try_get("priority")?;
    Ok(Task {
        id: TaskId(row.try_get("id")?),
        unit_id: UnitId(row.try_get("unit_id")?),
        code: row.try_get::<Option<String>, _>("code")?.unwrap_or_default(),
        fields: TaskFields {
            kind: TaskKind::parse(&kind).map_err(|e| corrupt("kind", &e))?,
            name: row.try_get("name")?,
            description: row.try_get("description")?,
            fortress_id: row.try_get::<Option<i64>, _>("fortress_id")?.map(FortressId),
            team_id: row.try_get::<Option<i64>, _>("team_id")?.map(TeamId),
            brand_id: row.try_get("brand_id")?,
            responsible,
            target: match row.try_get::<Option<String>, _>("target")? {
                Some(t) => Some(t.parse().map_err(|_| corrupt("target", &t))?),
                None => None,
            },
            target_unit: row.try_get("target_unit")?,
            year: row.try_get::<i64, _>("year")? as i32,
            start_on: opt_date_of(row, "start_on")?,
            due_on: opt_date_of(row, "due_on")?,
            status: TaskStatus::parse(&status).map_err(|e| corrupt("status", &e))?,
            priority: Priority::from_rank(priority).ok_or_else(|| corrupt("priority", &priority.to_string()))?,
        },
        progress: row.try_get::<i64, _>("progress")? as i32,
        last_entry_on: opt_date_of(row, "last_entry_on")?,
    })
}

/// The responsible people of tasks, in order, with their names.
async fn responsible_of<'e, E>(
    backend: Backend,
    exec: E,
    ids: &[i64],
) -> StoreResult<HashMap<i64, Vec<(PersonId, String)>>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let mut out: HashMap<i64, Vec<(PersonId, String)>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let mut sql = Sql::new(
        "SELECT tp.task_id, tp.person_id, p.name FROM task_people tp JOIN people p ON p.id = tp.person_id WHERE tp.task_id IN (",
    );
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(Bind::Int(*id));
    }
    sql.push(") ORDER BY tp.task_id, tp.position");
    for r in sql.query(backend).fetch_all(exec).await? {
        out.entry(r.try_get(0)?).or_default().push((PersonId(r.try_get(1)?), r.try_get(2)?));
    }
    Ok(out)
}

/// A task with what lists show beside it.
#[derive(Debug, Clone)]
pub struct TaskListed {
    pub task: Task,
    /// The path of the task's unit (for access checks).
    pub unit_path: String,
    pub unit_code: String,
    pub unit_name: String,
    /// Responsible people in order, with names.
    pub responsible: Vec<(PersonId, String)>,
    /// (code, name)
    pub fortress: Option<(String, String)>,
    pub team: Option<(String, String)>,
    /// The latest entry's note (进展情况).
    pub latest_note: Option<String>,
}

/// What a task list asks for.
#[derive(Debug, Clone)]
pub struct TaskQuery {
    /// Exact code or part of the name.
    pub q: String,
    pub kind: Option<TaskKind>,
    pub status: Option<TaskStatus>,
    /// Tasks whose year is in this span.
    pub years: Option<Span>,
    /// Due on or after / on or before.
    pub due_from: Option<Date>,
    pub due_to: Option<Date>,
    /// Not finished and not cancelled.
    pub open: bool,
    /// Open and past due on `today`.
    pub overdue: bool,
    /// Open and without progress for more than [`STALLED_DAYS`] days on `today`.
    pub stalled: bool,
    pub fortress: Option<FortressId>,
    pub team: Option<TeamId>,
    /// Tasks this person is responsible for.
    pub responsible: Option<PersonId>,
    pub today: Date,
    pub page: i64,
    pub per_page: i64,
}

impl TaskQuery {
    pub fn new(today: Date) -> TaskQuery {
        TaskQuery {
            q: String::new(),
            kind: None,
            status: None,
            years: None,
            due_from: None,
            due_to: None,
            open: false,
            overdue: false,
            stalled: false,
            fortress: None,
            team: None,
            responsible: None,
            today,
            page: 1,
            per_page: 50,
        }
    }

    /// Appends the query's conditions (not the subtree or scope).
    fn filter(&self, sql: &mut Sql) {
        sql.search(&self.q, &[By::Equal("t.code"), By::Contains("t.name")]);
        if let Some(k) = self.kind {
            sql.push(" AND t.kind = ").bind(Bind::Text(k.code().into()));
        }
        if let Some(s) = self.status {
            sql.push(" AND t.status = ").bind(Bind::Text(s.code().into()));
        }
        if let Some(y) = self.years {
            sql.push(" AND t.year >= ").bind(Bind::Int(y.from.into()));
            sql.push(" AND t.year <= ").bind(Bind::Int(y.to.into()));
        }
        if let Some(d) = self.due_from {
            sql.push(" AND t.due_on >= ").bind(Bind::Text(qizhi_core::date::iso(d)));
        }
        if let Some(d) = self.due_to {
            sql.push(" AND t.due_on <= ").bind(Bind::Text(qizhi_core::date::iso(d)));
        }
        if self.open || self.overdue || self.stalled {
            sql.push(" AND t.status IN ('not_started', 'in_progress')");
        }
        if self.overdue {
            sql.push(" AND t.due_on < ").bind(Bind::Text(qizhi_core::date::iso(self.today)));
        }
        if self.stalled {
            let before = self.today - time::Duration::days(STALLED_DAYS);
            sql.push(" AND COALESCE(t.last_entry_on, t.start_on) < ").bind(Bind::Text(qizhi_core::date::iso(before)));
        }
        if let Some(f) = self.fortress {
            sql.push(" AND t.fortress_id = ").bind(Bind::Int(f.0));
        }
        if let Some(t) = self.team {
            sql.push(" AND t.team_id = ").bind(Bind::Int(t.0));
        }
        if let Some(p) = self.responsible {
            sql.push(" AND t.id IN (SELECT tp.task_id FROM task_people tp WHERE tp.person_id = ")
                .bind(Bind::Int(p.0))
                .push(")");
        }
    }
}

/// A progress entry with the reporter's name and its evidence files.
#[derive(Debug, Clone)]
pub struct EntryListed {
    pub entry: TaskEntry,
    pub person_name: Option<String>,
    pub files: Vec<StoredFile>,
}

/// An evidence file to store with an entry (already checked by `qizhi_core::file::check`).
#[derive(Debug, Clone)]
pub struct NewFile {
    pub name: String,
    pub kind: FileKind,
    pub bytes: Vec<u8>,
}

/// Changes a bulk edit makes to every chosen task; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct BulkChange {
    pub status: Option<TaskStatus>,
    pub priority: Option<Priority>,
    /// `Some(None)` clears the due date.
    pub due_on: Option<Option<Date>>,
    pub year: Option<i32>,
    /// `Some(None)` unlinks.
    pub fortress_id: Option<Option<FortressId>>,
    pub team_id: Option<Option<TeamId>>,
    /// Replaces the responsible people.
    pub responsible: Option<Vec<PersonId>>,
}

impl BulkChange {
    pub fn is_empty(&self) -> bool {
        self.status.is_none()
            && self.priority.is_none()
            && self.due_on.is_none()
            && self.year.is_none()
            && self.fortress_id.is_none()
            && self.team_id.is_none()
            && self.responsible.is_none()
    }

    /// The fields of `task` after the change.
    pub fn applied(&self, fields: &TaskFields) -> TaskFields {
        let mut f = fields.clone();
        if let Some(s) = self.status {
            f.status = s;
        }
        if let Some(p) = self.priority {
            f.priority = p;
        }
        if let Some(d) = self.due_on {
            f.due_on = d;
        }
        if let Some(y) = self.year {
            f.year = y;
        }
        if let Some(x) = self.fortress_id {
            f.fortress_id = x;
        }
        if let Some(x) = self.team_id {
            f.team_id = x;
        }
        if let Some(r) = &self.responsible {
            f.responsible = r.clone();
        }
        f
    }
}

/// Reads a task and locks its row for the rest of the transaction (an
/// update that changes nothing: PostgreSQL takes the row lock and answers
/// with the row as committed; SQLite's write transaction holds the lock already).
pub(crate) async fn touch(tx: &mut Tx, id: TaskId) -> StoreResult<Task> {
    let row = sqlx::query(&format!("UPDATE tasks SET updated_at = updated_at WHERE id = $1 RETURNING {TASK_COLS}"))
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found(format!("task {id}")))?;
    let people = responsible_of(tx.backend(), &mut **tx, &[id.0]).await?;
    task(&row, people.get(&id.0).map(|v| v.iter().map(|(p, _)| *p).collect()).unwrap_or_default())
}

/// The records of `table` still open (`open` is NULL) on the line of
/// `unit` — its subtree and its ancestors, as a task of it may name them —
/// at most `limit`, by unit and code, for pickers: (id, code, name).
pub(crate) async fn line_choices(
    store: &crate::Store,
    table: &str,
    open: &str,
    unit: &Unit,
    limit: i64,
) -> StoreResult<Vec<(i64, String, String)>> {
    let mut sql = Sql::new(&format!("SELECT id, code, name FROM {table} WHERE {open} IS NULL AND ("));
    crate::scope::subtree_filter(&mut sql, "unit_path", &unit.path);
    sql.push(" OR unit_id IN (");
    for (i, id) in unit.lineage().iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(Bind::Int(id.0));
    }
    sql.push(")) ORDER BY unit_path, code LIMIT ").bind(Bind::Int(limit));
    sql.query(store.backend)
        .fetch_all(&store.pool)
        .await?
        .iter()
        .map(|r| Ok((r.try_get("id")?, r.try_get("code")?, r.try_get("name")?)))
        .collect()
}

/// Checks that the fortress, team and people a task names exist and belong to its unit's line.
pub(crate) async fn check_refs(tx: &mut Tx, unit: &Unit, f: &TaskFields) -> StoreResult<()> {
    let outside = |what: &str| format!("{what}不属于本组织或其上级、下级组织 ({what} is outside this unit's line)");
    if let Some(id) = f.fortress_id {
        let path = ref_path(tx, "fortresses", id.0, "fortress_id", "堡垒").await?;
        if !related(&path, &unit.path) {
            return Err(StoreError::conflict("fortress_id", outside("堡垒")));
        }
    }
    if let Some(id) = f.team_id {
        let path = ref_path(tx, "teams", id.0, "team_id", "队伍").await?;
        if !related(&path, &unit.path) {
            return Err(StoreError::conflict("team_id", outside("队伍")));
        }
    }
    for p in &f.responsible {
        let row = sqlx::query("SELECT u.path FROM people x JOIN units u ON u.id = x.unit_id WHERE x.id = $1")
            .bind(p.0)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or_else(|| StoreError::conflict("responsible", format!("人员 {p} 不存在 (no such person)")))?;
        let path: String = row.try_get(0)?;
        if !related(&path, &unit.path) {
            return Err(StoreError::conflict("responsible", outside("责任人")));
        }
    }
    Ok(())
}

async fn ref_path(tx: &mut Tx, table: &str, id: i64, field: &str, what: &str) -> StoreResult<String> {
    let row = sqlx::query(&format!("SELECT unit_path FROM {table} WHERE id = $1"))
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::conflict(field, format!("{what} {id} 不存在 (not found)")))?;
    Ok(row.try_get(0)?)
}

fn code_taken(code: &str) -> String {
    format!("任务编号 {code} 已存在 (task code already exists)")
}

async fn set_people(tx: &mut Tx, task: TaskId, people: &[PersonId]) -> StoreResult<()> {
    sqlx::query("DELETE FROM task_people WHERE task_id = $1").bind(task.0).execute(&mut **tx).await?;
    if people.is_empty() {
        return Ok(());
    }
    let mut sql = Sql::new("INSERT INTO task_people (task_id, person_id, position) VALUES ");
    for (i, p) in people.iter().enumerate() {
        values(&mut sql, i == 0, vec![Bind::Int(task.0), Bind::Int(p.0), Bind::Int(i as i64)]);
    }
    sql.query(tx.backend()).execute(&mut **tx).await?;
    Ok(())
}

fn field_binds(f: &TaskFields) -> Vec<Bind> {
    vec![
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
        Bind::Text(due_key(f.due_on)),
    ]
}

/// The columns `field_binds` fills, in order.
const FIELD_COLS: &str = "kind, name, description, fortress_id, team_id, brand_id, target, target_unit, year, start_on, \
     due_on, status, priority, due_key";

/// The sort key of a due date: the date, or `9999-12-31` when there is none (undated last).
pub(crate) fn due_key(due: Option<Date>) -> String {
    due.map_or_else(|| "9999-12-31".to_string(), qizhi_core::date::iso)
}

/// Inserts a task of `unit` (references checked) with no progress yet; a
/// missing code becomes `T` and the id (`T000042`).
pub(crate) async fn insert(
    tx: &mut Tx,
    unit: &Unit,
    code: Option<&str>,
    f: &TaskFields,
    delta: &mut RollupDelta,
) -> StoreResult<Task> {
    if let Err(m) = check_status(f.status, 0) {
        return Err(StoreError::conflict("status", m));
    }
    let now = now_ms();
    let mut sql = Sql::new(&format!(
        "INSERT INTO tasks (code, unit_id, unit_path, {FIELD_COLS}, progress, created_at, updated_at) VALUES "
    ));
    let mut binds = vec![Bind::OptText(code.map(str::to_string)), Bind::Int(unit.id.0), Bind::Text(unit.path.clone())];
    binds.extend(field_binds(f));
    binds.extend([Bind::Int(0), Bind::Int(now), Bind::Int(now)]);
    values(&mut sql, true, binds);
    sql.push(" RETURNING id");
    let taken = code_taken(code.unwrap_or(""));
    let id: i64 = sql.query(tx.backend()).fetch_one(&mut **tx).await.map_err(unique_as("code", taken))?.try_get(0)?;
    let code = match code {
        Some(c) => c.to_string(),
        None => {
            let c = format!("T{id:06}");
            sqlx::query("UPDATE tasks SET code = $1 WHERE id = $2")
                .bind(c.as_str())
                .bind(id)
                .execute(&mut **tx)
                .await
                .map_err(unique_as("code", code_taken(&c)))?;
            c
        }
    };
    set_people(tx, TaskId(id), &f.responsible).await?;
    let task = Task { id: TaskId(id), unit_id: unit.id, code, fields: f.clone(), progress: 0, last_entry_on: None };
    delta.add(&unit.lineage(), &task_contributions(&task), 1);
    Ok(task)
}

/// Rewrites a task's row (fields, code, unit, progress) and its people, and
/// moves its contributions from `old` on `old_unit` to `new` on `new_unit`.
pub(crate) async fn rewrite(
    tx: &mut Tx,
    old_unit: &Unit,
    old: &Task,
    new_unit: &Unit,
    new: &Task,
    delta: &mut RollupDelta,
) -> StoreResult<()> {
    let mut sql = Sql::new("UPDATE tasks SET ");
    for (i, (col, b)) in FIELD_COLS.split(", ").zip(field_binds(&new.fields)).enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.push(&format!("{col} = ")).bind(b);
    }
    sql.push(", code = ").bind(Bind::Text(new.code.clone()));
    sql.push(", unit_id = ").bind(Bind::Int(new_unit.id.0));
    sql.push(", unit_path = ").bind(Bind::Text(new_unit.path.clone()));
    sql.push(", progress = ").bind(Bind::Int(new.progress.into()));
    sql.push(", last_entry_on = ").bind(Bind::OptText(opt_date(new.last_entry_on)));
    sql.push(", updated_at = ").bind(Bind::Int(now_ms()));
    sql.push(" WHERE id = ").bind(Bind::Int(old.id.0));
    sql.query(tx.backend()).execute(&mut **tx).await.map_err(unique_as("code", code_taken(&new.code)))?;
    if old.fields.responsible != new.fields.responsible {
        set_people(tx, new.id, &new.fields.responsible).await?;
    }
    delta.add(&old_unit.lineage(), &task_contributions(old), -1);
    delta.add(&new_unit.lineage(), &task_contributions(new), 1);
    Ok(())
}

/// Inserts one progress entry row with its evidence (stored with `unit`).
pub(crate) async fn insert_entry(
    tx: &mut Tx,
    unit: &Unit,
    task: TaskId,
    fields: &EntryFields,
    person: Option<PersonId>,
    created_by: &str,
    evidence: &[NewFile],
) -> StoreResult<TaskEntry> {
    let now = now_ms();
    let id: i64 = sqlx::query(
        "INSERT INTO task_entries (task_id, entry_on, progress, note, person_id, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(task.0)
    .bind(qizhi_core::date::iso(fields.entry_on))
    .bind(i64::from(fields.progress))
    .bind(fields.note.as_deref())
    .bind(person.map(|p| p.0))
    .bind(created_by)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    let mut file_ids = vec![];
    for f in evidence {
        let stored = files::insert(tx, unit, &f.name, f.kind, &f.bytes, Some(created_by)).await?;
        sqlx::query("INSERT INTO task_entry_files (entry_id, file_id) VALUES ($1, $2)")
            .bind(id)
            .bind(stored.id)
            .execute(&mut **tx)
            .await?;
        file_ids.push(stored.id);
    }
    Ok(TaskEntry {
        id: EntryId(id),
        task_id: task,
        fields: fields.clone(),
        person_id: person,
        files: file_ids,
        created_by: created_by.to_string(),
        created_at: now,
    })
}

/// The task after an entry: when the entry is the latest, its progress,
/// date and the status it implies.
pub(crate) fn after_entry(task: &Task, fields: &EntryFields) -> Task {
    let mut new = task.clone();
    if becomes_latest(fields.entry_on, task.last_entry_on) {
        new.progress = fields.progress;
        new.last_entry_on = Some(fields.entry_on);
        new.fields.status = status_after_entry(task.fields.status, fields.progress);
    }
    new
}

/// The latest entry of a task: (date, progress, note).
pub(crate) async fn latest_entry(tx: &mut Tx, task: TaskId) -> StoreResult<Option<(Date, i32, Option<String>)>> {
    let row = sqlx::query(
        "SELECT entry_on, progress, note FROM task_entries WHERE task_id = $1 ORDER BY entry_on DESC, id DESC LIMIT 1",
    )
    .bind(task.0)
    .fetch_optional(&mut **tx)
    .await?;
    match row {
        Some(r) => Ok(Some((date_of(&r, "entry_on")?, r.try_get::<i64, _>("progress")? as i32, r.try_get("note")?))),
        None => Ok(None),
    }
}

/// Adds a progress entry to a locked task and returns the task after it:
/// the latest entry sets progress and status.
#[allow(clippy::too_many_arguments)]
pub(crate) async fn add_entry(
    tx: &mut Tx,
    unit: &Unit,
    old: &Task,
    fields: &EntryFields,
    person: Option<PersonId>,
    created_by: &str,
    evidence: &[NewFile],
    delta: &mut RollupDelta,
) -> StoreResult<(Task, TaskEntry)> {
    let entry = insert_entry(tx, unit, old.id, fields, person, created_by, evidence).await?;
    let new = after_entry(old, fields);
    if new != *old {
        rewrite(tx, unit, old, unit, &new, delta).await?;
    }
    Ok((new, entry))
}

/// Rewrites the stored unit paths of this capability's records when the
/// subtree at `old_path` moves to `new_path` (see `Store::move_unit`).
pub(crate) async fn move_paths(tx: &mut Tx, old_path: &str, new_path: &str) -> StoreResult<()> {
    for table in ["fortresses", "teams", "tasks", "commitments"] {
        let mut sql = Sql::new(&format!("UPDATE {table} SET unit_path = "));
        sql.bind(Bind::Text(new_path.to_string())).push(" || substr(unit_path, CAST(");
        sql.bind(Bind::Int(old_path.len() as i64 + 1)).push(" AS INTEGER)) WHERE ");
        subtree_filter(&mut sql, "unit_path", old_path);
        sql.query(tx.backend()).execute(&mut **tx).await?;
    }
    Ok(())
}

/// Adds the contributions of every fortress, task, commitment and team to
/// `delta`, each along its unit's current lineage (for `Store::recompute`).
pub(crate) async fn recount(
    pool: &sqlx::AnyPool,
    paths: &HashMap<UnitId, String>,
    delta: &mut RollupDelta,
) -> StoreResult<()> {
    use futures_util::StreamExt;
    let line = |u: UnitId| lineage(paths.get(&u).map(String::as_str).unwrap_or(""));
    let sql = format!("SELECT {} FROM fortresses", crate::fortresses::FORTRESS_COLS);
    let mut rows = sqlx::query(&sql).fetch(pool);
    while let Some(r) = rows.next().await {
        let f = crate::fortresses::fortress(&r?)?;
        delta.add(&line(f.unit_id), &qizhi_core::tasks::fortress_contributions(&f), 1);
    }
    drop(rows);
    let sql = format!("SELECT {TASK_COLS} FROM tasks");
    let mut rows = sqlx::query(&sql).fetch(pool);
    while let Some(r) = rows.next().await {
        let t = task(&r?, vec![])?;
        delta.add(&line(t.unit_id), &task_contributions(&t), 1);
    }
    drop(rows);
    let sql = format!("SELECT {} FROM teams", crate::teams::TEAM_COLS);
    let mut rows = sqlx::query(&sql).fetch(pool);
    while let Some(r) = rows.next().await {
        let t = crate::teams::team(&r?)?;
        delta.add(&line(t.unit_id), &qizhi_core::teams::team_contributions(&t), 1);
    }
    drop(rows);
    crate::commitments::recount(pool, &line, delta).await
}

fn entry_audit(action: &'static str, t: &Task, unit: &Unit, summary: String, before: Option<&Task>) -> Entry {
    Entry {
        action,
        object_kind: "task",
        object_id: t.id.to_string(),
        unit_path: Some(unit.path.clone()),
        summary,
        before: before.and_then(json),
        after: json(t),
    }
}

impl Store {
    /// Creates a task of `unit`; without a code it gets one (`T000042`).
    pub async fn create_task(&self, unit: UnitId, code: Option<&str>, f: &TaskFields) -> StoreResult<Task> {
        let mut tx = self.write().await?;
        let unit = units::get(&mut tx, unit).await?;
        check_refs(&mut tx, &unit, f).await?;
        let mut delta = RollupDelta::default();
        let t = insert(&mut tx, &unit, code, f, &mut delta).await?;
        rollup::apply(&mut tx, &delta).await?;
        let summary = format!("新建任务 {}（{}，{}）", t.fields.name, t.code, unit.name);
        audit::append(&mut tx, self.actor.as_ref(), &[entry_audit("create", &t, &unit, summary, None)]).await?;
        tx.commit().await?;
        Ok(t)
    }

    /// Edits a task's fields, and its code when `code` is given. Its
    /// progress stays the ledger's; "done" needs 100%.
    pub async fn update_task(&self, id: TaskId, code: Option<&str>, f: &TaskFields) -> StoreResult<(Task, Task)> {
        let mut tx = self.write().await?;
        let old = touch(&mut tx, id).await?;
        let unit = units::get(&mut tx, old.unit_id).await?;
        check_refs(&mut tx, &unit, f).await?;
        check_status(f.status, old.progress).map_err(|m| StoreError::conflict("status", m))?;
        let new =
            Task { code: code.map_or_else(|| old.code.clone(), str::to_string), fields: f.clone(), ..old.clone() };
        let mut delta = RollupDelta::default();
        rewrite(&mut tx, &unit, &old, &unit, &new, &mut delta).await?;
        rollup::apply(&mut tx, &delta).await?;
        let summary = format!("修改任务 {}（{}）", new.fields.name, new.code);
        audit::append(&mut tx, self.actor.as_ref(), &[entry_audit("update", &new, &unit, summary, Some(&old))]).await?;
        tx.commit().await?;
        Ok((old, new))
    }

    /// Applies one change to many tasks at once: all of them or none (the
    /// first task the change does not fit is named).
    pub async fn bulk_update_tasks(&self, ids: &[TaskId], change: &BulkChange) -> StoreResult<Vec<Task>> {
        let mut tx = self.write().await?;
        let mut delta = RollupDelta::default();
        let mut trail = vec![];
        let mut out = vec![];
        let mut unit_cache: HashMap<UnitId, Unit> = HashMap::new();
        for id in ids {
            let old = touch(&mut tx, *id).await?;
            let unit = match unit_cache.get(&old.unit_id) {
                Some(u) => u.clone(),
                None => {
                    let u = units::get(&mut tx, old.unit_id).await?;
                    unit_cache.insert(u.id, u.clone());
                    u
                }
            };
            let fields = change.applied(&old.fields);
            let named = |e: StoreError| match e {
                StoreError::Conflict { field, message } => {
                    StoreError::conflict(&field, format!("任务 {}：{message}", old.code))
                }
                e => e,
            };
            check_refs(&mut tx, &unit, &fields).await.map_err(named)?;
            check_status(fields.status, old.progress)
                .map_err(|m| StoreError::conflict("status", format!("任务 {}：{m}", old.code)))?;
            let new = Task { fields, ..old.clone() };
            if new == old {
                out.push(new);
                continue;
            }
            rewrite(&mut tx, &unit, &old, &unit, &new, &mut delta).await?;
            let summary = format!("批量修改任务 {}（{}）", new.fields.name, new.code);
            trail.push(entry_audit("update", &new, &unit, summary, Some(&old)));
            out.push(new);
        }
        rollup::apply(&mut tx, &delta).await?;
        audit::append(&mut tx, self.actor.as_ref(), &trail).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// Posts a progress entry (by `person`, when a responsible person posts
    /// it) with evidence files; the task as it is afterwards, and the entry.
    pub async fn post_entry(
        &self,
        id: TaskId,
        fields: &EntryFields,
        person: Option<PersonId>,
        evidence: &[NewFile],
    ) -> StoreResult<(Task, TaskEntry)> {
        let mut tx = self.write().await?;
        let old = touch(&mut tx, id).await?;
        let unit = units::get(&mut tx, old.unit_id).await?;
        let by = self.actor().map_or_else(|| "system".to_string(), |a| a.username.clone());
        let mut delta = RollupDelta::default();
        let (new, entry) = add_entry(&mut tx, &unit, &old, fields, person, &by, evidence, &mut delta).await?;
        rollup::apply(&mut tx, &delta).await?;
        let summary = format!(
            "任务 {}（{}）登记进展 {}%（{}）",
            new.fields.name,
            new.code,
            fields.progress,
            qizhi_core::date::iso(fields.entry_on)
        );
        let mut audit_entry = entry_audit("progress", &new, &unit, summary, Some(&old));
        audit_entry.after = json(&serde_json::json!({ "task": &new, "entry": &entry }));
        audit::append(&mut tx, self.actor.as_ref(), &[audit_entry]).await?;
        tx.commit().await?;
        Ok((new, entry))
    }

    /// Corrects a task's latest progress entry (its date, progress and note)
    /// as the person who posted it: refused unless `entry` is still the
    /// task's latest and is `person`'s. The task then follows whichever
    /// entry is latest after the correction; its evidence stays.
    pub async fn correct_entry(
        &self,
        id: TaskId,
        entry: EntryId,
        fields: &EntryFields,
        person: PersonId,
    ) -> StoreResult<(Task, TaskEntry)> {
        let mut tx = self.write().await?;
        let old = touch(&mut tx, id).await?;
        let unit = units::get(&mut tx, old.unit_id).await?;
        let latest = sqlx::query(
            "SELECT id, person_id, created_by, created_at FROM task_entries WHERE task_id = $1 \
             ORDER BY entry_on DESC, id DESC LIMIT 1",
        )
        .bind(id.0)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(latest) = latest.filter(|r| r.try_get::<i64, _>("id").is_ok_and(|e| e == entry.0)) else {
            return Err(StoreError::conflict(
                "entry",
                "只能更正任务最近一条进展 (only the task's latest entry can be corrected)",
            ));
        };
        if latest.try_get::<Option<i64>, _>("person_id")? != Some(person.0) {
            return Err(StoreError::conflict(
                "entry",
                "只能更正本人登记的进展 (only one's own entry can be corrected)",
            ));
        }
        sqlx::query("UPDATE task_entries SET entry_on = $1, progress = $2, note = $3 WHERE id = $4")
            .bind(qizhi_core::date::iso(fields.entry_on))
            .bind(i64::from(fields.progress))
            .bind(fields.note.as_deref())
            .bind(entry.0)
            .execute(&mut *tx)
            .await?;
        let (on, progress, _) = latest_entry(&mut tx, id).await?.expect("the corrected entry is there");
        let mut new = old.clone();
        new.progress = progress;
        new.last_entry_on = Some(on);
        new.fields.status = status_after_entry(old.fields.status, progress);
        let mut delta = RollupDelta::default();
        if new != old {
            rewrite(&mut tx, &unit, &old, &unit, &new, &mut delta).await?;
        }
        rollup::apply(&mut tx, &delta).await?;
        let files: Vec<i64> = sqlx::query("SELECT file_id FROM task_entry_files WHERE entry_id = $1 ORDER BY file_id")
            .bind(entry.0)
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, _>>()?;
        let corrected = TaskEntry {
            id: entry,
            task_id: id,
            fields: fields.clone(),
            person_id: Some(person),
            files,
            created_by: latest.try_get("created_by")?,
            created_at: latest.try_get("created_at")?,
        };
        let summary = format!(
            "任务 {}（{}）更正最近一条进展为 {}%（{}）",
            new.fields.name,
            new.code,
            fields.progress,
            qizhi_core::date::iso(fields.entry_on)
        );
        let mut audit_entry = entry_audit("correct", &new, &unit, summary, Some(&old));
        audit_entry.after = json(&serde_json::json!({ "task": &new, "entry": &corrected }));
        audit::append(&mut tx, self.actor.as_ref(), &[audit_entry]).await?;
        tx.commit().await?;
        Ok((new, corrected))
    }

    pub async fn task(&self, id: TaskId) -> StoreResult<Task> {
        let row = sqlx::query(&format!("SELECT {TASK_COLS} FROM tasks WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found(format!("task {id}")))?;
        let people = responsible_of(self.backend, &self.pool, &[id.0]).await?;
        task(&row, people.get(&id.0).map(|v| v.iter().map(|(p, _)| *p).collect()).unwrap_or_default())
    }

    pub async fn task_by_code(&self, code: &str) -> StoreResult<Option<Task>> {
        let row =
            sqlx::query("SELECT id FROM tasks WHERE code = $1").bind(code.trim()).fetch_optional(&self.pool).await?;
        match row {
            Some(r) => Ok(Some(self.task(TaskId(r.try_get(0)?)).await?)),
            None => Ok(None),
        }
    }

    /// One task with the names lists show.
    pub async fn task_listed(&self, id: TaskId) -> StoreResult<TaskListed> {
        // One read (a task is the record most often opened): its row comes
        // once per responsible person, in their order.
        let mut sql = list_select_with(
            ", tp.person_id AS rp_id, rp.name AS rp_name",
            " LEFT JOIN task_people tp ON tp.task_id = t.id LEFT JOIN people rp ON rp.id = tp.person_id",
        );
        sql.push(" WHERE t.id = ").bind(Bind::Int(id.0)).push(" ORDER BY tp.position");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        let first = rows.first().ok_or_else(|| StoreError::not_found(format!("task {id}")))?;
        let mut responsible = vec![];
        for r in &rows {
            if let Some(p) = r.try_get::<Option<i64>, _>("rp_id")? {
                responsible.push((PersonId(p), r.try_get("rp_name")?));
            }
        }
        listed_row(first, responsible)
    }

    /// Tasks of the subtree of `root` (and in `scope`) matching `query`, one
    /// page sorted by due date (undated last; `due_key`, so an index can
    /// give the order), with the total.
    pub async fn tasks(&self, root: &Unit, scope: &Scope, query: &TaskQuery) -> StoreResult<Page<TaskListed>> {
        let per_page = query.per_page.clamp(1, MAX_PER_PAGE);
        let conditions = |sql: &mut Sql| {
            sql.push(" WHERE ");
            subtree_filter(sql, "t.unit_path", &root.path);
            scope.filter(sql, "t.unit_path");
            query.filter(sql);
        };
        let mut count = Sql::new("SELECT COUNT(*) FROM tasks t");
        conditions(&mut count);
        // The page's ids first (an index gives them in order), then what lists
        // show for those fifty only, not for every task of the subtree.
        let mut list = Sql::new(&format!("{}(SELECT t.id FROM tasks t", list_head("")));
        conditions(&mut list);
        list.push(" ORDER BY t.due_key, t.id LIMIT ");
        list.bind(Bind::Int(per_page)).push(" OFFSET ").bind(Bind::Int(crate::page::offset(query.page, per_page)));
        list.push(&format!(") pick JOIN tasks t ON t.id = pick.id{LIST_JOINS} ORDER BY t.due_key, t.id"));
        // The count and the page are independent reads: on two connections at once.
        let (total, rows) = tokio::try_join!(
            count.query(self.backend).fetch_one(&self.pool),
            list.query(self.backend).fetch_all(&self.pool),
        )?;
        Ok(Page { total: total.try_get(0)?, items: listed(self, rows).await? })
    }

    /// The tasks `person` is responsible for, open ones first (a member's "my tasks").
    pub async fn tasks_of_person(&self, person: PersonId, limit: i64) -> StoreResult<Vec<TaskListed>> {
        let mut sql = list_select();
        sql.push(" WHERE t.id IN (SELECT tp.task_id FROM task_people tp WHERE tp.person_id = ")
            .bind(Bind::Int(person.0))
            .push(")");
        sql.push(
            " ORDER BY CASE WHEN t.status IN ('not_started', 'in_progress') THEN 0 ELSE 1 END, t.due_key, t.id LIMIT ",
        )
        .bind(Bind::Int(limit));
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        listed(self, rows).await
    }

    /// A task's ledger, latest first, with reporters' names and evidence.
    pub async fn entries(&self, task: TaskId) -> StoreResult<Vec<EntryListed>> {
        let rows = sqlx::query(
            "SELECT e.id, e.task_id, e.entry_on, e.progress, e.note, e.person_id, e.created_by, e.created_at, p.name AS person_name \
             FROM task_entries e LEFT JOIN people p ON p.id = e.person_id WHERE e.task_id = $1 ORDER BY e.entry_on DESC, e.id DESC",
        )
        .bind(task.0)
        .fetch_all(&self.pool)
        .await?;
        let file_rows = sqlx::query(
            "SELECT ef.entry_id, f.id, f.unit_id, f.name, f.kind, f.size, f.created_at FROM task_entry_files ef \
             JOIN files f ON f.id = ef.file_id JOIN task_entries e ON e.id = ef.entry_id WHERE e.task_id = $1 ORDER BY f.id",
        )
        .bind(task.0)
        .fetch_all(&self.pool)
        .await?;
        let mut by_entry: HashMap<i64, Vec<StoredFile>> = HashMap::new();
        for r in &file_rows {
            let kind: String = r.try_get("kind")?;
            by_entry.entry(r.try_get("entry_id")?).or_default().push(StoredFile {
                id: r.try_get("id")?,
                unit_id: UnitId(r.try_get("unit_id")?),
                name: r.try_get("name")?,
                kind: FileKind::parse(&kind).ok_or_else(|| corrupt("kind", &kind))?,
                size: r.try_get("size")?,
                created_at: r.try_get("created_at")?,
            });
        }
        rows.iter()
            .map(|r| {
                let id: i64 = r.try_get("id")?;
                let files = by_entry.remove(&id).unwrap_or_default();
                Ok(EntryListed {
                    entry: TaskEntry {
                        id: EntryId(id),
                        task_id: TaskId(r.try_get("task_id")?),
                        fields: EntryFields {
                            entry_on: date_of(r, "entry_on")?,
                            progress: r.try_get::<i64, _>("progress")? as i32,
                            note: r.try_get("note")?,
                        },
                        person_id: r.try_get::<Option<i64>, _>("person_id")?.map(PersonId),
                        files: files.iter().map(|f| f.id).collect(),
                        created_by: r.try_get("created_by")?,
                        created_at: r.try_get("created_at")?,
                    },
                    person_name: r.try_get("person_name")?,
                    files,
                })
            })
            .collect()
    }

    /// Every task of a subtree in ledger order (unit, then code), streamed to
    /// `each` a page at a time so an export holds one page in memory.
    pub async fn each_task_in(
        &self,
        root: &Unit,
        mut each: impl FnMut(TaskListed) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        const PAGE: i64 = 1000;
        // Pages walk the (unit_path, due_key, id) index from where the last
        // one stopped: each page costs the same however far the export is.
        let mut after: Option<(String, String, i64)> = None;
        loop {
            let mut sql = list_select();
            // The lower bound is the subtree's start, then where the last page
            // stopped — one bound, so the index range starts there.
            let (lo, hi) = qizhi_core::org::subtree_range(&root.path);
            match &after {
                None => sql.push(" WHERE t.unit_path >= ").bind(Bind::Text(lo)),
                Some((path, due, id)) => {
                    sql.push(" WHERE (t.unit_path, t.due_key, t.id) > (").bind(Bind::Text(path.clone()));
                    sql.push(", ").bind(Bind::Text(due.clone())).push(", ").bind(Bind::Int(*id)).push(")")
                }
            };
            sql.push(" AND t.unit_path < ").bind(Bind::Text(hi));
            sql.push(" ORDER BY t.unit_path, t.due_key, t.id LIMIT ").bind(Bind::Int(PAGE));
            let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
            let n = rows.len() as i64;
            let last = match rows.last() {
                Some(r) => Some((
                    r.try_get::<String, _>("unit_path")?,
                    r.try_get::<String, _>("due_key")?,
                    r.try_get::<i64, _>("id")?,
                )),
                None => None,
            };
            for t in listed(self, rows).await? {
                each(t)?;
            }
            if n < PAGE {
                return Ok(());
            }
            after = last;
        }
    }

    /// People named `names` on the line of `unit` (its subtree and
    /// ancestors), by name: how a ledger's 责任人 column is matched.
    pub async fn people_named(&self, unit: &Unit, names: &[&str]) -> StoreResult<BTreeMap<String, Vec<PersonId>>> {
        let mut out: BTreeMap<String, Vec<PersonId>> = BTreeMap::new();
        for chunk in names.chunks(300) {
            let mut sql = Sql::new("SELECT p.id, p.name FROM people p JOIN units u ON u.id = p.unit_id WHERE (");
            subtree_filter(&mut sql, "u.path", &unit.path);
            sql.push(" OR u.id IN (");
            for (i, id) in unit.lineage().iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(Bind::Int(id.0));
            }
            sql.push(")) AND p.name IN (");
            for (i, n) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(Bind::Text(n.to_string()));
            }
            sql.push(") ORDER BY p.id");
            for r in sql.query(self.backend).fetch_all(&self.pool).await? {
                out.entry(r.try_get(1)?).or_default().push(PersonId(r.try_get(0)?));
            }
        }
        Ok(out)
    }
}

/// `SELECT` of tasks with their unit, fortress, team and latest note.
fn list_select() -> Sql {
    list_select_with("", "")
}

/// The select of task lists, with more columns and joins.
fn list_select_with(columns: &str, joins: &str) -> Sql {
    Sql::new(&format!("{}tasks t{LIST_JOINS}{joins}", list_head(columns)))
}

/// What lists show beside a task `t`, up to `FROM `.
fn list_head(columns: &str) -> String {
    format!(
        "SELECT {}, t.unit_path, t.due_key, u.code AS unit_code, u.name AS unit_name, f.code AS fortress_code, f.name AS fortress_name, \
         m.code AS team_code, m.name AS team_name, \
         (SELECT e.note FROM task_entries e WHERE e.task_id = t.id ORDER BY e.entry_on DESC, e.id DESC LIMIT 1) AS latest_note{columns} FROM ",
        prefixed(TASK_COLS, "t")
    )
}

const LIST_JOINS: &str = " JOIN units u ON u.id = t.unit_id LEFT JOIN fortresses f ON f.id = t.fortress_id \
                          LEFT JOIN teams m ON m.id = t.team_id";

async fn listed(store: &Store, rows: Vec<AnyRow>) -> StoreResult<Vec<TaskListed>> {
    let ids: Vec<i64> = rows.iter().map(|r| r.try_get("id")).collect::<Result<_, _>>()?;
    let mut people = responsible_of(store.backend, &store.pool, &ids).await?;
    rows.iter()
        .map(|r| {
            let id: i64 = r.try_get("id")?;
            listed_row(r, people.remove(&id).unwrap_or_default())
        })
        .collect()
}

/// A row of [`list_select`] with the task's responsible people.
fn listed_row(r: &AnyRow, responsible: Vec<(PersonId, String)>) -> StoreResult<TaskListed> {
    let pair = |c: &str, n: &str| -> StoreResult<Option<(String, String)>> {
        Ok(match (r.try_get::<Option<String>, _>(c)?, r.try_get::<Option<String>, _>(n)?) {
            (Some(c), Some(n)) => Some((c, n)),
            _ => None,
        })
    };
    Ok(TaskListed {
        task: task(r, responsible.iter().map(|(p, _)| *p).collect())?,
        unit_path: r.try_get("unit_path")?,
        unit_code: r.try_get("unit_code")?,
        unit_name: r.try_get("unit_name")?,
        responsible,
        fortress: pair("fortress_code", "fortress_name")?,
        team: pair("team_code", "team_name")?,
        latest_note: r.try_get("latest_note")?,
    })
}
