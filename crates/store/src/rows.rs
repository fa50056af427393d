//! Row ↔ domain conversions, and a small SQL builder that writes each
//! backend's placeholders from one text (sqlx's own builder writes `?` under
//! the `Any` driver, which PostgreSQL rejects).

use qizhi_core::grid::{Grid, Scenario, ScenarioFields};
use qizhi_core::ids::{GridId, PersonId, ScenarioId, UnitId};
use qizhi_core::org::{Unit, UnitKind, UnitStatus};
use qizhi_core::person::{Category, Gender, Person, PersonFields};
use sqlx::any::AnyRow;
use sqlx::{Any, Row};
use time::Date;

use crate::{Backend, StoreError, StoreResult};

/// A value bound to a placeholder.
#[derive(Debug, Clone)]
pub enum Bind {
    Int(i64),
    Text(String),
    OptText(Option<String>),
    OptInt(Option<i64>),
}

/// SQL text with its binds, numbered in order.
///
/// PostgreSQL needs `$n` placeholders; SQLite takes them too, but looks each
/// one up by name when binding, which costs O(n²) in the placeholders of a
/// statement — seconds for the multi-row inserts of a bulk load. So the text
/// keeps where its placeholders are, and SQLite gets plain `?` (bound in
/// order), PostgreSQL `$n`.
#[derive(Debug, Default, Clone)]
pub struct Sql {
    text: String,
    /// Byte ranges of the placeholders in `text`.
    holes: Vec<(usize, usize)>,
    binds: Vec<Bind>,
    /// The text as the backend takes it (built by [`Sql::query`]).
    rendered: std::sync::OnceLock<String>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Sql { text: text.to_string(), ..Default::default() }
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `value`.
    pub fn bind(&mut self, value: Bind) -> &mut Self {
        self.binds.push(value);
        let start = self.text.len();
        self.text.push_str(&format!("${}", self.binds.len()));
        self.holes.push((start, self.text.len()));
        self
    }

    /// The same binds under another leading text, e.g. `SELECT COUNT(*)`
    /// before a shared `FROM … WHERE …`.
    pub fn prefixed(&self, head: &str) -> Sql {
        let shift = head.len();
        Sql {
            text: format!("{head}{}", self.text),
            holes: self.holes.iter().map(|(a, b)| (a + shift, b + shift)).collect(),
            binds: self.binds.clone(),
            rendered: Default::default(),
        }
    }

    fn text_for(&self, backend: Backend) -> &str {
        match backend {
            Backend::Postgres => &self.text,
            Backend::Sqlite => self.rendered.get_or_init(|| {
                let mut out = String::with_capacity(self.text.len());
                let mut at = 0;
                for &(start, end) in &self.holes {
                    out.push_str(&self.text[at..start]);
                    out.push('?');
                    at = end;
                }
                out.push_str(&self.text[at..]);
                out
            }),
        }
    }

    pub fn query(&self, backend: Backend) -> sqlx::query::Query<'_, Any, sqlx::any::AnyArguments<'_>> {
        let mut q = sqlx::query(self.text_for(backend));
        for b in &self.binds {
            q = match b {
                Bind::Int(v) => q.bind(*v),
                Bind::Text(v) => q.bind(v.as_str()),
                Bind::OptText(v) => q.bind(v.as_deref()),
                Bind::OptInt(v) => q.bind(*v),
            };
        }
        q
    }
}

pub fn opt_date(d: Option<Date>) -> Option<String> {
    d.map(qizhi_core::date::iso)
}

fn date_col(row: &AnyRow, col: &str) -> StoreResult<Option<Date>> {
    let v: Option<String> = row.try_get(col)?;
    v.map(|s| qizhi_core::date::parse(&s).map_err(|e| corrupt(col, &e))).transpose()
}

pub(crate) fn corrupt(col: &str, problem: &str) -> StoreError {
    StoreError::Db(sqlx::Error::Decode(format!("column {col}: {problem}").into()))
}

pub const UNIT_COLS: &str = "id, code, name, short_name, kind, parent_id, path, depth, sort_order, founded, status";

pub fn unit(row: &AnyRow) -> StoreResult<Unit> {
    let kind: String = row.try_get("kind")?;
    let status: String = row.try_get("status")?;
    Ok(Unit {
        id: UnitId(row.try_get("id")?),
        code: row.try_get("code")?,
        name: row.try_get("name")?,
        short_name: row.try_get("short_name")?,
        kind: UnitKind::parse(&kind).map_err(|e| corrupt("kind", &e))?,
        parent_id: row.try_get::<Option<i64>, _>("parent_id")?.map(UnitId),
        path: row.try_get("path")?,
        depth: row.try_get::<i64, _>("depth")? as i32,
        sort_order: row.try_get::<i64, _>("sort_order")? as i32,
        founded: date_col(row, "founded")?,
        status: UnitStatus::parse(&status).map_err(|e| corrupt("status", &e))?,
    })
}

pub const PERSON_COLS: &str = "id, unit_id, name, gender, category, join_date, post, birth_date, phone, id_number";

pub fn person(row: &AnyRow) -> StoreResult<Person> {
    let category: String = row.try_get("category")?;
    let gender: Option<String> = row.try_get("gender")?;
    Ok(Person {
        id: PersonId(row.try_get("id")?),
        unit_id: UnitId(row.try_get("unit_id")?),
        fields: PersonFields {
            name: row.try_get("name")?,
            gender: gender.map(|g| Gender::parse(&g).map_err(|e| corrupt("gender", &e))).transpose()?,
            category: Category::parse(&category).map_err(|e| corrupt("category", &e))?,
            join_date: date_col(row, "join_date")?,
            post: row.try_get("post")?,
            birth_date: date_col(row, "birth_date")?,
            phone: row.try_get("phone")?,
            id_number: row.try_get("id_number")?,
        },
    })
}

pub const GRID_COLS: &str = "id, unit_id, code, name, contact_unit_id, covered";

pub fn grid(row: &AnyRow) -> StoreResult<Grid> {
    Ok(Grid {
        id: GridId(row.try_get("id")?),
        unit_id: UnitId(row.try_get("unit_id")?),
        code: row.try_get("code")?,
        name: row.try_get("name")?,
        contact_unit_id: row.try_get::<Option<i64>, _>("contact_unit_id")?.map(UnitId),
        covered: row.try_get::<i64, _>("covered")? != 0,
    })
}

pub const SCENARIO_COLS: &str = "id, unit_id, code, name, description";

pub fn scenario(row: &AnyRow) -> StoreResult<Scenario> {
    let f = ScenarioFields {
        code: row.try_get("code")?,
        name: row.try_get("name")?,
        description: row.try_get("description")?,
    };
    Ok(Scenario {
        id: ScenarioId(row.try_get("id")?),
        unit_id: UnitId(row.try_get("unit_id")?),
        code: f.code,
        name: f.name,
        description: f.description,
    })
}
