//! Grids (网格) and production scenarios (生产场景): the business units that
//! party work must cover. A grid is covered when a unit is its contact point
//! (支部联系点) or a fortress stands on it.

use serde::{Deserialize, Serialize};

use crate::error::{Checker, Invalid, optional_text, required_text};
use crate::ids::{GridId, ScenarioId, UnitId};

/// A grid as stored. `covered` is derived (contact unit or fortress) and kept by the store.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Grid {
    pub id: GridId,
    pub unit_id: UnitId,
    pub code: String,
    pub name: String,
    pub contact_unit_id: Option<UnitId>,
    pub covered: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridFields {
    pub code: String,
    pub name: String,
}

/// A production scenario as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    pub id: ScenarioId,
    pub unit_id: UnitId,
    pub code: String,
    pub name: String,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioFields {
    pub code: String,
    pub name: String,
    pub description: Option<String>,
}

/// Grid or scenario fields as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct GridInput {
    pub code: String,
    pub name: String,
}

impl GridInput {
    pub fn validate(&self) -> Result<GridFields, Invalid> {
        let mut c = Checker::default();
        let code = c.take("code", crate::org::parse_code(&self.code));
        let name = c.take("name", required_text(&self.name, 100));
        c.finish()?;
        Ok(GridFields { code: code.unwrap(), name: name.unwrap() })
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ScenarioInput {
    pub code: String,
    pub name: String,
    pub description: Option<String>,
}

impl ScenarioInput {
    pub fn validate(&self) -> Result<ScenarioFields, Invalid> {
        let mut c = Checker::default();
        let code = c.take("code", crate::org::parse_code(&self.code));
        let name = c.take("name", required_text(&self.name, 100));
        let description = c.take("description", optional_text(self.description.as_deref(), 500));
        c.finish()?;
        Ok(ScenarioFields { code: code.unwrap(), name: name.unwrap(), description: description.unwrap() })
    }
}
