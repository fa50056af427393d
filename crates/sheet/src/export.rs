//! Stored records as the cells of an export row, in each sheet's column order.
//!
//! Values are written the way a person would type them (Chinese labels, ISO
//! dates), so an export can be edited and imported again.

use qizhi_core::date::iso;
use qizhi_core::grid::{Grid, Scenario};
use qizhi_core::org::Unit;
use qizhi_core::person::PersonFields;

use crate::columns::{GRIDS, PEOPLE, SCENARIOS, Sheet, UNITS};

/// The cells of `sheet`'s columns, each from `value(key)`.
pub(crate) fn cells(sheet: &Sheet, value: impl Fn(&str) -> Option<String>) -> Vec<String> {
    sheet.columns.iter().map(|c| value(c.key).unwrap_or_default()).collect()
}

/// A unit row; `parent_code` is `None` for the root.
pub fn unit_cells(unit: &Unit, parent_code: Option<&str>) -> Vec<String> {
    cells(&UNITS, |key| match key {
        "code" => Some(unit.code.clone()),
        "name" => Some(unit.name.clone()),
        "short_name" => unit.short_name.clone(),
        "kind" => Some(unit.kind.zh().to_string()),
        "parent_code" => parent_code.map(str::to_string),
        "sort_order" => Some(unit.sort_order.to_string()),
        "founded" => unit.founded.map(iso),
        "status" => Some(unit.status.zh().to_string()),
        _ => None,
    })
}

/// A person row. With `personal` false, birth date, phone and ID number are
/// left empty, for readers not allowed to see personal data.
///
/// Such an export must not be imported back as is: without ID numbers, every
/// row would be added as a new person.
pub fn person_cells(unit_code: &str, person: &PersonFields, personal: bool) -> Vec<String> {
    cells(&PEOPLE, |key| match key {
        "unit_code" => Some(unit_code.to_string()),
        "name" => Some(person.name.clone()),
        "gender" => person.gender.map(|g| g.zh().to_string()),
        "category" => Some(person.category.zh().to_string()),
        "join_date" => person.join_date.map(iso),
        "post" => person.post.clone(),
        "birth_date" if personal => person.birth_date.map(iso),
        "phone" if personal => person.phone.clone(),
        "id_number" if personal => person.id_number.clone(),
        _ => None,
    })
}

/// A grid row.
pub fn grid_cells(unit_code: &str, grid: &Grid, contact_unit_code: Option<&str>) -> Vec<String> {
    cells(&GRIDS, |key| match key {
        "unit_code" => Some(unit_code.to_string()),
        "code" => Some(grid.code.clone()),
        "name" => Some(grid.name.clone()),
        "contact_unit_code" => contact_unit_code.map(str::to_string),
        _ => None,
    })
}

/// A scenario row.
pub fn scenario_cells(unit_code: &str, scenario: &Scenario) -> Vec<String> {
    cells(&SCENARIOS, |key| match key {
        "unit_code" => Some(unit_code.to_string()),
        "code" => Some(scenario.code.clone()),
        "name" => Some(scenario.name.clone()),
        "description" => scenario.description.clone(),
        _ => None,
    })
}
