//! People named in a ledger (责任人, 负责人, 成员, 党员): looked up once per
//! unit the file names, then picked by name — of several people with one
//! name, the one the record already has.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use qizhi_core::ids::PersonId;
use qizhi_store::{Store, StoreResult};

use super::Problem;

/// The people a file names, by unit code and name.
pub(crate) struct Named(HashMap<String, BTreeMap<String, Vec<PersonId>>>);

/// Names asked for, by the unit code they are looked up under.
pub(crate) type Wanted = BTreeMap<String, BTreeSet<String>>;

impl Named {
    /// People of each unit's line (its subtree and ancestors), as tasks,
    /// fortresses and teams name them. Unknown units find nobody; the store
    /// names them.
    pub(crate) async fn on_lines(store: &Store, wanted: &Wanted) -> StoreResult<Named> {
        let mut found = HashMap::new();
        for (code, names) in wanted {
            let Some(unit) = store.unit_by_code(code).await? else { continue };
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            found.insert(code.clone(), store.people_named(&unit, &names).await?);
        }
        Ok(Named(found))
    }

    /// People of each unit itself, as a commitments ledger names its members.
    pub(crate) async fn in_units(store: &Store, wanted: &Wanted) -> StoreResult<Named> {
        let mut found = HashMap::new();
        for (code, names) in wanted {
            let Some(unit) = store.unit_by_code(code).await? else { continue };
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            found.insert(code.clone(), store.people_of_unit_named(unit.id, &names).await?);
        }
        Ok(Named(found))
    }

    /// The one person called `name` under `unit_code`, or how many there are
    /// (0 or several); of several, the one among `current` stands.
    pub(crate) fn pick(&self, unit_code: &str, name: &str, current: &[PersonId]) -> Result<PersonId, usize> {
        let candidates = self.0.get(unit_code).and_then(|m| m.get(name)).map(Vec::as_slice).unwrap_or_default();
        match candidates {
            [one] => Ok(*one),
            [] => Err(0),
            many => {
                let kept: Vec<PersonId> = many.iter().copied().filter(|p| current.contains(p)).collect();
                match kept.as_slice() {
                    [one] => Ok(*one),
                    _ => Err(many.len()),
                }
            }
        }
    }

    /// Like [`Named::pick`] on a unit's line, with the problem of row `line`,
    /// column `key` when nobody or several are found: `what` is the person's
    /// part (责任人), `record` the kind of record they are named on (任务).
    pub(crate) fn on_line(
        &self,
        unit_code: &str,
        name: &str,
        current: &[PersonId],
        (line, key): (usize, &'static str),
        (what, record): (&str, &str),
        problems: &mut Vec<Problem>,
    ) -> Option<PersonId> {
        match self.pick(unit_code, name, current) {
            Ok(p) => Some(p),
            Err(0) => {
                let m = format!("{what} “{name}” 不在该单位及其上下级组织中 (no such person on the unit's line)");
                problems.push((line, key, m));
                None
            }
            Err(n) => {
                let m = format!(
                    "{what} “{name}” 有 {n} 位同名人员，请在系统中为该{record}指定 (several people have this name)"
                );
                problems.push((line, key, m));
                None
            }
        }
    }
}

/// Adds `name` to the names wanted under `unit_code`.
pub(crate) fn want(wanted: &mut Wanted, unit_code: &str, name: &str) {
    wanted.entry(unit_code.to_string()).or_default().insert(name.to_string());
}
