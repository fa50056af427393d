//! A branch's awards as a chain in time, and the rollup changes of a write
//! that adds, changes or withdraws one: the chain's cells before the write
//! leave the counters, the chain's cells after it join them, along the
//! branch's lineage. Neighbouring awards whose successor changed move from
//! their old `aux` cell to the new one that way, in the same transaction.

use std::collections::{BTreeMap, HashMap};

use qizhi_core::figures::RollupDelta;
use qizhi_core::ids::UnitId;
use qizhi_core::org::lineage;
use qizhi_core::stars::rollup::{Award, chain_contributions};
use sqlx::Row;

use crate::rows::{Bind, Sql};
use crate::{StoreResult, Tx};

/// Branches' awards, oldest first, with the branch's path.
pub(crate) type Chains = BTreeMap<i64, (String, Vec<Award>)>;

/// Which branches' chains to read.
pub(crate) enum Of {
    Unit(UnitId),
    /// Every branch that has an entry in the campaign.
    Campaign(i64),
    /// These branches.
    Units(Vec<i64>),
}

/// Branches per statement when reading chains of a list of branches.
const CHUNK: usize = 2000;

const ORDER: &str = " ORDER BY e.unit_id, e.year, e.awarded_at, e.id";

pub(crate) async fn read(tx: &mut Tx, of: Of) -> StoreResult<Chains> {
    if let Of::Units(ids) = &of
        && ids.len() > CHUNK
    {
        let mut out = Chains::new();
        for chunk in ids.chunks(CHUNK) {
            out.extend(Box::pin(read(tx, Of::Units(chunk.to_vec()))).await?);
        }
        return Ok(out);
    }
    let mut sql = Sql::new(
        "SELECT e.unit_id, u.path, e.year, e.star, e.withdrawn_on FROM star_entries e JOIN units u ON u.id = e.unit_id \
         WHERE e.awarded = 1 AND ",
    );
    match of {
        Of::Unit(u) => {
            sql.push("e.unit_id = ").bind(Bind::Int(u.0));
        }
        Of::Campaign(c) => {
            sql.push("e.unit_id IN (SELECT unit_id FROM star_entries WHERE campaign_id = ")
                .bind(Bind::Int(c))
                .push(")");
        }
        Of::Units(ids) if ids.is_empty() => {
            sql.push("1 = 0");
        }
        Of::Units(ids) => {
            sql.push("e.unit_id IN (");
            for (i, id) in ids.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(Bind::Int(*id));
            }
            sql.push(")");
        }
    }
    sql.push(ORDER);
    let rows = sql.query(tx.backend()).fetch_all(&mut **tx).await?;
    let mut out: Chains = BTreeMap::new();
    for r in rows {
        let unit: i64 = r.try_get(0)?;
        let path: String = r.try_get(1)?;
        let award = Award::new(
            r.try_get::<i64, _>(2)? as i32,
            r.try_get::<i64, _>(3)? as u8,
            r.try_get::<Option<String>, _>(4)?.is_some(),
        );
        out.entry(unit).or_insert_with(|| (path, vec![])).1.push(award);
    }
    Ok(out)
}

/// Adds to `delta` the change from `before` to `after`.
pub(crate) fn diff(before: &Chains, after: &Chains, delta: &mut RollupDelta) {
    for (unit, (path, awards)) in before {
        if after.get(unit).map(|(_, a)| a) != Some(awards) {
            delta.add(&lineage(path), &chain_contributions(awards), -1);
        }
    }
    for (unit, (path, awards)) in after {
        if before.get(unit).map(|(_, a)| a) != Some(awards) {
            delta.add(&lineage(path), &chain_contributions(awards), 1);
        }
    }
}

/// Every awarded star's cells, for `Store::recompute`: `paths` gives each
/// unit's current path.
pub(crate) async fn recount(
    pool: &sqlx::AnyPool,
    paths: &HashMap<UnitId, String>,
    delta: &mut RollupDelta,
) -> StoreResult<()> {
    let rows = sqlx::query(&format!(
        "SELECT e.unit_id, e.year, e.star, e.withdrawn_on FROM star_entries e WHERE e.awarded = 1{ORDER}"
    ))
    .fetch_all(pool)
    .await?;
    let mut chains: BTreeMap<i64, Vec<Award>> = BTreeMap::new();
    for r in rows {
        let award = Award::new(
            r.try_get::<i64, _>(1)? as i32,
            r.try_get::<i64, _>(2)? as u8,
            r.try_get::<Option<String>, _>(3)?.is_some(),
        );
        chains.entry(r.try_get(0)?).or_default().push(award);
    }
    for (unit, awards) in chains {
        let path = paths.get(&UnitId(unit)).map(String::as_str).unwrap_or("");
        delta.add(&lineage(path), &chain_contributions(&awards), 1);
    }
    Ok(())
}
