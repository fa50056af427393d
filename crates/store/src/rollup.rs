//! The maintained figure counters: for every unit, its whole subtree's
//! counters per year. Writers add their `RollupDelta` in the same
//! transaction as the records; readers read one unit's rows. `recompute`
//! rebuilds every counter from the records, to check or repair.

use std::collections::BTreeMap;

use qizhi_core::figures::{self, CellKey, Figures, RollupDelta, Span};
use qizhi_core::ids::UnitId;
use qizhi_core::org::lineage;
use sqlx::Row;

use crate::rows::{self, Bind, Sql};
use crate::{Store, StoreResult, Tx};

/// Upserts at most this many cells per statement (4 binds each).
const CHUNK: usize = 250;

/// Adds the delta's cells to the rollup table.
pub async fn apply(tx: &mut Tx, delta: &RollupDelta) -> StoreResult<()> {
    let cells = delta.cells();
    for chunk in cells.chunks(CHUNK) {
        let mut sql = Sql::new("INSERT INTO rollup (unit_id, year, key, value) VALUES ");
        for (i, (unit, year, key, d)) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.push("(").bind(Bind::Int(unit.0)).push(", ").bind(Bind::Int(i64::from(*year)));
            sql.push(", ").bind(Bind::Text(key.to_string())).push(", ").bind(Bind::Int(*d)).push(")");
        }
        sql.push(" ON CONFLICT (unit_id, year, key) DO UPDATE SET value = rollup.value + excluded.value");
        sql.query(tx.backend()).execute(&mut **tx).await?;
    }
    Ok(())
}

/// The counter rows `(year, key, value)` of one unit's subtree.
pub async fn cells<'e, E>(exec: E, unit: UnitId) -> StoreResult<Vec<(i32, String, i64)>>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows = sqlx::query("SELECT year, key, value FROM rollup WHERE unit_id = $1 AND value <> 0")
        .bind(unit.0)
        .fetch_all(exec)
        .await?;
    rows.iter().map(|r| Ok((r.try_get::<i64, _>(0)? as i32, r.try_get(1)?, r.try_get(2)?))).collect()
}

impl Store {
    /// Every published figure for the subtree of `unit` over `span`, as of today.
    pub async fn figures(&self, unit: UnitId, span: Span) -> StoreResult<Figures> {
        self.figures_as_of(unit, span, qizhi_core::date::today()).await
    }

    /// Every published figure for the subtree of `unit` over `span`, with
    /// `today` deciding what is overdue (see `figures::compute_as_of`).
    pub async fn figures_as_of(&self, unit: UnitId, span: Span, today: time::Date) -> StoreResult<Figures> {
        let rows = cells(&self.pool, unit).await?;
        Ok(figures::compute_as_of(&rows, span, today))
    }

    /// Every counter recomputed from the records, as the rollup should hold it:
    /// `unit → (year, key) → value`, zeros left out.
    pub async fn recompute(&self) -> StoreResult<BTreeMap<i64, BTreeMap<(i32, String), i64>>> {
        let mut delta = RollupDelta::default();
        let units = sqlx::query(&format!("SELECT {} FROM units", rows::UNIT_COLS)).fetch_all(&self.pool).await?;
        let mut paths = std::collections::HashMap::new();
        for r in &units {
            let u = rows::unit(r)?;
            delta.add(&u.lineage(), &figures::unit_contributions(&u), 1);
            paths.insert(u.id, u.path);
        }
        let path_of = |id: UnitId| lineage(paths.get(&id).map(String::as_str).unwrap_or(""));
        for r in sqlx::query(&format!("SELECT {} FROM people", rows::PERSON_COLS)).fetch_all(&self.pool).await? {
            let p = rows::person(&r)?;
            delta.add(&path_of(p.unit_id), &figures::person_contributions(&p), 1);
        }
        for r in sqlx::query(&format!("SELECT {} FROM grids", rows::GRID_COLS)).fetch_all(&self.pool).await? {
            let g = rows::grid(&r)?;
            delta.add(&path_of(g.unit_id), &figures::grid_contributions(&g), 1);
        }
        for r in sqlx::query("SELECT unit_id FROM scenarios").fetch_all(&self.pool).await? {
            let unit = UnitId(r.try_get(0)?);
            delta.add(&path_of(unit), &figures::scenario_contributions(), 1);
        }
        crate::brand_load::recount(&self.pool, &paths, &mut delta).await?;
        // stars: every branch's chain of awarded stars
        crate::stars::chain::recount(&self.pool, &paths, &mut delta).await?;
        // Fortresses, tasks, commitments, teams.
        crate::tasks::recount(&self.pool, &paths, &mut delta).await?;
        // Assessments: every assessed unit's standings, streaks and results.
        crate::recognition::recount(self, &paths, &mut delta).await?;
        let mut out: BTreeMap<i64, BTreeMap<(i32, String), i64>> = BTreeMap::new();
        for (unit, year, key, value) in delta.cells() {
            out.entry(unit.0).or_default().insert((year, key.to_string()), value);
        }
        Ok(out)
    }

    /// The rollup table as stored, in the shape of [`Store::recompute`].
    pub async fn stored_rollup(&self) -> StoreResult<BTreeMap<i64, BTreeMap<(i32, String), i64>>> {
        let rows =
            sqlx::query("SELECT unit_id, year, key, value FROM rollup WHERE value <> 0").fetch_all(&self.pool).await?;
        let mut out: BTreeMap<i64, BTreeMap<(i32, String), i64>> = BTreeMap::new();
        for r in rows {
            let year = r.try_get::<i64, _>(1)? as i32;
            out.entry(r.try_get(0)?).or_default().insert((year, r.try_get(2)?), r.try_get(3)?);
        }
        Ok(out)
    }

    /// Rebuilds the rollup table from the records; returns the number of cells.
    pub async fn rebuild_rollup(&self) -> StoreResult<usize> {
        let fresh = self.recompute().await?;
        let mut delta = RollupDelta::default();
        let mut n = 0;
        for (unit, cells) in &fresh {
            let cells: Vec<(i32, CellKey, i64)> =
                cells.iter().filter_map(|((y, k), v)| CellKey::parse(k).map(|c| (*y, c, *v))).collect();
            n += cells.len();
            delta.add_cells(&[UnitId(*unit)], &cells, 1);
        }
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM rollup").execute(&mut *tx).await?;
        apply(&mut tx, &delta).await?;
        tx.commit().await?;
        Ok(n)
    }
}
