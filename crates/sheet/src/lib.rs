//! Ledgers (台账) as spreadsheets: templates, imports and exports of units,
//! people, grids and scenarios, brands, tasks, fortresses, teams and member
//! commitments as .xlsx or .csv.
//!
//! A kind of ledger is data (a [`Sheet`] of [`Column`]s), so reading,
//! writing and error reporting work the same for every kind. Errors name the
//! row and column letter a person must fix, and an import is validated whole
//! before anything is written.

pub mod assessments;
pub mod brands;
mod cell;
pub mod columns;
pub mod commitments;
pub mod convert;
pub mod error;
pub mod export;
pub mod format;
pub mod fortresses;
pub mod import;
pub mod limits;
pub mod read;
pub mod row;
pub mod scores;
pub mod tasks;
pub mod teams;
pub mod validate;
pub mod write;

pub use columns::{AUDIT, Column, GRIDS, PEOPLE, SCENARIOS, SHEETS, Sheet, UNITS, sheet};
pub use convert::{
    GridRow, PersonRow, ScenarioRow, UnitRow, grid_input, grid_row, person_input, person_row, scenario_input,
    scenario_row, unit_input, unit_row,
};
pub use error::{CellError, FileErrors, MAX_REPORTED, column_letter};
pub use export::{grid_cells, person_cells, scenario_cells, unit_cells};
pub use format::{Format, UnsupportedFormat};
pub use import::{grids, people, scenarios, units};
pub use read::{read_bytes, read_path};
pub use row::Row;
pub use tasks::{TASKS, TaskCells, TaskLedgerRow, task_cells, task_row};
pub use validate::validate_all;
pub use write::{WriteError, Writer, template, template_to_vec, write_to_vec};

#[cfg(test)]
mod tests {
    /// The web app holds these across `.await` and turns errors into `anyhow`.
    #[test]
    fn types_cross_threads() {
        fn send_sync<T: Send + Sync + 'static>() {}
        fn send<T: Send>() {}
        send_sync::<crate::FileErrors>();
        send_sync::<crate::WriteError>();
        send_sync::<crate::Row>();
        send::<crate::Writer<Vec<u8>>>();
    }
}
