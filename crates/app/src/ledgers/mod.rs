//! Ledgers (台账) in and out: a spreadsheet is read and checked by
//! `qizhi-sheet`, applied atomically by the store, and problems the store
//! finds (an unknown unit code, say) are named by row and column like the
//! sheet's own. Exports stream records into a sheet writer. The CLI and the
//! pages both go through here. A kind is named in English or Chinese, in
//! any case (`units`, `UNITS`, `组织`); each capability's ledgers live in
//! their own module (`fortresses`, `teams`, `commitments` beside `tasks`),
//! the people they name are found by `names`.

mod assessments;
mod brands;
mod commitments;
mod fortresses;
mod names;
pub mod scores;
mod tasks;
mod teams;

use std::collections::{BTreeSet, HashMap};
use std::io::Write;

use qizhi_core::org::Unit;
use qizhi_sheet::{CellError, FileErrors, Format, Row, Sheet, Writer};
use qizhi_store::Store;
use qizhi_store::load::{self, Batch, LoadError, LoadSummary};

/// The ledgers that can be imported and exported.
pub const KINDS: [&str; 13] = [
    "units",
    "people",
    "grids",
    "scenarios",
    "brands",
    "brand_elements",
    "honors",
    "tasks",
    "fortresses",
    "teams",
    "commitments",
    "assessments",
    "business_results",
];

/// A problem with a cell: (row, column key, message).
pub(crate) type Problem = (usize, &'static str, String);

/// (row, column key, code) of every unit a file touches, for the scope check.
pub(crate) type Refs = Vec<(usize, &'static str, String)>;

/// Adds to `refs` the units named in columns `keys` of the rows that failed
/// their own checks (those not `parsed`), so a refusal of scope is reported
/// with every other problem.
pub(crate) fn unparsed_units(
    rows: &[Row],
    parsed: impl Iterator<Item = usize>,
    keys: &[&'static str],
    refs: &mut Refs,
) {
    let parsed: BTreeSet<usize> = parsed.collect();
    for row in rows.iter().filter(|r| !parsed.contains(&r.line)) {
        for &key in keys {
            if let Some(code) = row.get(key).map(str::trim).filter(|c| !c.is_empty()) {
                refs.push((row.line, key, code.to_string()));
            }
        }
    }
}

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// Problems to fix in the file, by row and column.
    #[error("{0}")]
    File(FileErrors),
    /// Rows touching units outside the importer's scope (their paths), and
    /// every other problem of the file.
    #[error("{errors}")]
    Refused { errors: FileErrors, paths: Vec<String> },
    #[error(transparent)]
    Store(#[from] qizhi_store::StoreError),
}

/// The sheet of a ledger kind, however it is named; only the kinds this
/// module imports and exports.
pub fn sheet_of(kind: &str) -> Result<&'static Sheet, String> {
    qizhi_sheet::sheet(kind).filter(|s| KINDS.contains(&s.kind)).ok_or_else(|| unknown_kind(kind))
}

fn unknown_kind(kind: &str) -> String {
    format!("未知的台账类型 “{kind}”，应为 {} (unknown kind)", KINDS.join("/"))
}

/// Reads, checks and converts a file into a batch. `editable(code)` says
/// whether the importer may change records of the existing unit `code`;
/// every existing unit the file touches is checked.
pub async fn prepare(
    store: &Store,
    kind: &str,
    bytes: &[u8],
    format: Format,
    editable: &(dyn Fn(&Unit) -> bool + Sync),
) -> Result<(Batch, Vec<Row>), ImportError> {
    let sheet = sheet_of(kind).map_err(|m| ImportError::File(FileErrors::file(m)))?;
    let rows = qizhi_sheet::read_bytes(bytes, format, sheet).map_err(ImportError::File)?;
    let mut batch = Batch::default();
    // (line, column key, code) of every reference to a unit.
    let mut refs: Refs = vec![];
    // Problems found while resolving a row's references (the people a ledger names).
    let mut extra: Vec<Problem> = vec![];
    // Every problem of the file is reported at once: rows that fail their own
    // checks still have their unit references checked from the raw cells.
    let mut errors = FileErrors::new();
    let mut unconverted = |e: FileErrors, keys: &[&'static str], refs: &mut Vec<(usize, &'static str, String)>| {
        errors.merge(e);
        for row in &rows {
            for &key in keys {
                if let Some(code) = row.get(key).map(str::trim).filter(|c| !c.is_empty()) {
                    refs.push((row.line, key, code.to_string()));
                }
            }
        }
    };
    let kind = sheet.kind;
    match kind {
        "units" => match qizhi_sheet::import::units(&rows) {
            Err(e) => unconverted(e, &["code", "parent_code"], &mut refs),
            Ok(units) => {
                for (line, r) in units {
                    refs.push((line, "code", r.fields.code.clone()));
                    if let Some(p) = &r.parent_code {
                        refs.push((line, "parent_code", p.clone()));
                    }
                    batch.units.push(load::UnitRow { line, parent_code: r.parent_code, fields: r.fields });
                }
            }
        },
        "people" => match qizhi_sheet::import::people(&rows) {
            Err(e) => unconverted(e, &["unit_code"], &mut refs),
            Ok(people) => {
                for (line, r) in people {
                    refs.push((line, "unit_code", r.unit_code.clone()));
                    batch.people.push(load::PersonRow { line, unit_code: r.unit_code, fields: r.fields });
                }
            }
        },
        "grids" => match qizhi_sheet::import::grids(&rows) {
            Err(e) => unconverted(e, &["unit_code", "contact_unit_code"], &mut refs),
            Ok(grids) => {
                for (line, r) in grids {
                    refs.push((line, "unit_code", r.unit_code.clone()));
                    if let Some(c) = &r.contact_unit_code {
                        refs.push((line, "contact_unit_code", c.clone()));
                    }
                    batch.grids.push(load::GridRow {
                        line,
                        unit_code: r.unit_code,
                        fields: r.fields,
                        contact_unit_code: r.contact_unit_code,
                    });
                }
            }
        },
        k if brands::KINDS.contains(&k) => {
            brands::prepare(store, k, &rows, &mut batch, &mut refs).await?;
        }
        "tasks" => {
            extra = tasks::prepare(store, &rows, &mut batch, &mut refs).await.map_err(ImportError::File)?;
        }
        "fortresses" | "teams" | "commitments" => {
            let (e, problems) = match kind {
                "fortresses" => fortresses::prepare(store, &rows, &mut batch, &mut refs).await?,
                "teams" => teams::prepare(store, &rows, &mut batch, &mut refs).await?,
                _ => commitments::prepare(store, &rows, &mut batch, &mut refs).await?,
            };
            errors.merge(e);
            extra = problems;
        }
        k if assessments::KINDS.contains(&k) => {
            errors.merge(assessments::prepare(k, &rows, &mut batch, &mut refs));
        }
        "scenarios" => match qizhi_sheet::import::scenarios(&rows) {
            Err(e) => unconverted(e, &["unit_code"], &mut refs),
            Ok(scenarios) => {
                for (line, r) in scenarios {
                    refs.push((line, "unit_code", r.unit_code.clone()));
                    batch.scenarios.push(load::ScenarioRow { line, unit_code: r.unit_code, fields: r.fields });
                }
            }
        },
        other => return Err(ImportError::File(FileErrors::file(unknown_kind(other)))),
    }
    // Scope: every existing unit referenced must be one the importer may
    // change, and every other one must be a unit the file itself creates.
    let org_kind = matches!(kind, "units" | "people" | "grids" | "scenarios");
    let created: BTreeSet<&str> = match kind {
        "units" => refs.iter().filter(|(_, key, _)| *key == "code").map(|(_, _, c)| c.as_str()).collect(),
        _ => BTreeSet::new(),
    };
    let codes: BTreeSet<&str> = refs.iter().map(|(_, _, c)| c.as_str()).collect();
    let mut allowed: HashMap<&str, bool> = HashMap::new();
    let mut refused: BTreeSet<String> = BTreeSet::new();
    for code in codes {
        if let Some(u) = store.unit_by_code(code).await? {
            let ok = editable(&u);
            if !ok {
                refused.insert(u.path);
            }
            allowed.insert(code, ok);
        }
    }
    for (line, key, message) in extra {
        errors.push(cell_error(&rows, sheet, line, key, message));
    }
    for (line, key, code) in &refs {
        let message = match allowed.get(code.as_str()) {
            Some(false) => format!("无权修改组织 “{code}” 的数据 (outside your scope)"),
            // The brand and task loaders resolve units with their other checks,
            // all reported together; the organization's ledgers are checked here.
            None if org_kind && !created.contains(code.as_str()) => {
                format!("组织编码 “{code}” 不存在 (no unit with this code)")
            }
            _ => continue,
        };
        errors.push(cell_error(&rows, sheet, *line, key, message));
    }
    // People are matched by ID number: a row naming someone who stands in a
    // unit the importer may not change would move or rewrite that person.
    let ids: Vec<&str> = batch.people.iter().filter_map(|p| p.fields.id_number.as_deref()).collect();
    let matched = store.people_by_id_number(&ids).await?;
    let mut units: HashMap<qizhi_core::ids::UnitId, bool> = HashMap::new();
    for row in &batch.people {
        let Some(person) = row.fields.id_number.as_deref().and_then(|i| matched.get(i)) else { continue };
        let ok = match units.get(&person.unit_id) {
            Some(&ok) => ok,
            None => {
                let unit = store.unit(person.unit_id).await?;
                let ok = editable(&unit);
                if !ok {
                    refused.insert(unit.path);
                }
                units.insert(person.unit_id, ok);
                ok
            }
        };
        if !ok {
            let message =
                "该证件号码属于您无权修改的组织中的人员 (this ID number belongs to a person outside your scope)";
            errors.push(cell_error(&rows, sheet, row.line, "id_number", message.to_string()));
        }
    }
    if !errors.is_empty() {
        errors.sort();
        return Err(match refused.is_empty() {
            true => ImportError::File(errors),
            false => ImportError::Refused { errors, paths: refused.into_iter().collect() },
        });
    }
    Ok((batch, rows))
}

pub(crate) fn cell_error(rows: &[Row], sheet: &Sheet, line: usize, key: &str, message: String) -> CellError {
    match rows.iter().find(|r| r.line == line) {
        Some(r) => r.error(sheet, key, message),
        None => CellError { line, ..CellError::file(message) },
    }
}

/// What a person should know about an import that was written.
pub fn warnings(summary: &LoadSummary) -> Vec<String> {
    let mut out = vec![];
    if summary.without_id_number > 0 {
        out.push(format!(
            "{} 名人员未填写身份证号，已按新增人员写入；再次导入这些行会再次新增，请补填身份证号后再导入更新              ({} people without an ID number were added as new; importing the same rows again adds them again)",
            summary.without_id_number, summary.without_id_number
        ));
    }
    out
}

/// Applies a prepared batch; the store's row problems come back as cell errors.
pub async fn apply(
    store: &Store,
    kind: &str,
    batch: &Batch,
    rows: &[Row],
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<LoadSummary, ImportError> {
    let sheet = sheet_of(kind).map_err(|m| ImportError::File(FileErrors::file(m)))?;
    match store.load(batch, progress).await {
        Ok(s) => Ok(s),
        Err(LoadError::Rows(problems)) => {
            let mut errors = FileErrors::new();
            for p in problems {
                errors.push(cell_error(rows, sheet, p.line, p.field, p.message));
            }
            errors.sort();
            Err(ImportError::File(errors))
        }
        Err(LoadError::Store(e)) => Err(e.into()),
    }
}

/// Writes the `kind` ledger of `root`'s subtree into `target`. Personal
/// fields of people (and the ID numbers of members beside their
/// commitments) are written only when `personal`.
pub async fn export<W: Write + Send>(
    store: &Store,
    kind: &str,
    root: &Unit,
    target: W,
    format: Format,
    personal: bool,
) -> anyhow::Result<(W, usize)> {
    let sheet = sheet_of(kind).map_err(anyhow::Error::msg)?;
    let mut w = Writer::new(target, format, sheet)?;
    match sheet.kind {
        "units" => {
            let units = store.subtree_units(root).await?;
            let codes: HashMap<_, _> = units.iter().map(|u| (u.id, u.code.clone())).collect();
            for u in &units {
                let parent = u.parent_id.and_then(|p| codes.get(&p).cloned()).or(if u.id == root.id {
                    match u.parent_id {
                        Some(p) => Some(store.unit(p).await?.code),
                        None => None,
                    }
                } else {
                    None
                });
                w.row(&qizhi_sheet::unit_cells(u, parent.as_deref()))?;
            }
        }
        "people" => {
            store
                .each_person_in(root, |p, unit_code| {
                    w.row(&qizhi_sheet::person_cells(&unit_code, &p.fields, personal))?;
                    Ok(())
                })
                .await?;
        }
        "grids" => {
            for (g, unit, contact) in store.grids_in(root).await? {
                w.row(&qizhi_sheet::grid_cells(&unit, &g, contact.as_deref()))?;
            }
        }
        k if brands::KINDS.contains(&k) => brands::export(store, k, root, &mut w, personal).await?,
        "tasks" => tasks::export(store, root, &mut w).await?,
        "fortresses" => fortresses::export(store, root, &mut w).await?,
        "teams" => teams::export(store, root, &mut w).await?,
        "commitments" => commitments::export(store, root, &mut w, personal).await?,
        k if assessments::KINDS.contains(&k) => assessments::export(store, k, root, &mut w).await?,
        "scenarios" => {
            for (s, unit) in store.scenarios_in(root).await? {
                w.row(&qizhi_sheet::scenario_cells(&unit, &s))?;
            }
        }
        other => anyhow::bail!(unknown_kind(other)),
    }
    let n = w.rows_written();
    Ok((w.finish()?, n))
}
