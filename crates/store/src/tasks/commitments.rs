//! Member commitments (亮承诺): a member makes and updates their own, the
//! branch verifies them, and the branch sees which members have none yet.
//! Also linking an account to its person, which is how a member is known.
//!
//! `commitments.members` counts a member once per span: the years a member
//! (within one unit) has commitments in are contributed as a chain, so each
//! write recomputes that member's years and replaces the chain in the same
//! transaction (`member_contributions`).

use std::collections::{BTreeMap, BTreeSet};

use qizhi_core::commitments::{
    Category, Commitment, CommitmentFields, Status, Verification, commitment_contributions, member_contributions,
};
use qizhi_core::figures::{RollupDelta, Span};
use qizhi_core::ids::{CommitmentId, PersonId, UnitId, UserId};
use qizhi_core::org::Unit;
use qizhi_core::person::Person;
use sqlx::Row;
use sqlx::any::AnyRow;
use time::Date;

use crate::audit::{self, Entry, json};
use crate::people::PersonListed;
use crate::rows::{self, Bind, PERSON_COLS, Sql, corrupt, opt_date};
use crate::scope::{Scope, subtree_filter};
use crate::search::By;
use crate::tasks::opt_date_of;
use crate::{Page, Store, StoreError, StoreResult, Tx, now_ms, rollup, units};

pub(crate) const COMMITMENT_COLS: &str = "id, person_id, unit_id, year, text, category, due_on, progress_note, status, \
     verified_by, verified_on, verify_comment";

pub(crate) fn commitment(row: &AnyRow) -> StoreResult<Commitment> {
    let category: String = row.try_get("category")?;
    let status: String = row.try_get("status")?;
    let verification = match row.try_get::<Option<String>, _>("verified_by")? {
        Some(by) => Some(Verification {
            by,
            on: opt_date_of(row, "verified_on")?.ok_or_else(|| corrupt("verified_on", "missing"))?,
            comment: row.try_get("verify_comment")?,
        }),
        None => None,
    };
    Ok(Commitment {
        id: CommitmentId(row.try_get("id")?),
        person_id: PersonId(row.try_get("person_id")?),
        unit_id: UnitId(row.try_get("unit_id")?),
        fields: CommitmentFields {
            year: row.try_get::<i64, _>("year")? as i32,
            text: row.try_get("text")?,
            category: Category::parse(&category).map_err(|e| corrupt("category", &e))?,
            due_on: opt_date_of(row, "due_on")?,
            progress_note: row.try_get("progress_note")?,
        },
        status: Status::parse(&status).map_err(|e| corrupt("status", &e))?,
        verification,
    })
}

/// A commitment with its member's and unit's names.
#[derive(Debug, Clone)]
pub struct CommitmentListed {
    pub commitment: Commitment,
    pub person_name: String,
    pub unit_name: String,
}

/// What a commitments list asks for.
#[derive(Debug, Clone, Default)]
pub struct CommitmentQuery {
    /// Part of the member's name or of the text.
    pub q: String,
    /// Commitments for a year in this span.
    pub years: Option<Span>,
    /// A branch's exact code or part of its name.
    pub branch: String,
    pub status: Option<Status>,
    pub page: i64,
    pub per_page: i64,
}

/// The years the member has commitments in, within `unit`.
pub(crate) async fn member_years(tx: &mut Tx, person: PersonId, unit: UnitId) -> StoreResult<BTreeSet<i32>> {
    let rows = sqlx::query("SELECT DISTINCT year FROM commitments WHERE person_id = $1 AND unit_id = $2")
        .bind(person.0)
        .bind(unit.0)
        .fetch_all(&mut **tx)
        .await?;
    rows.iter().map(|r| Ok(r.try_get::<i64, _>(0)? as i32)).collect()
}

/// Replaces a member's chain of commitment years (see the module docs).
pub(crate) fn rechain(delta: &mut RollupDelta, unit: &Unit, before: &BTreeSet<i32>, after: &BTreeSet<i32>) {
    if before != after {
        delta.add(&unit.lineage(), &member_contributions(before), -1);
        delta.add(&unit.lineage(), &member_contributions(after), 1);
    }
}

async fn get(tx: &mut Tx, id: CommitmentId) -> StoreResult<Commitment> {
    let row = sqlx::query(&format!("SELECT {COMMITMENT_COLS} FROM commitments WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found(format!("commitment {id}")))?;
    commitment(&row)
}

async fn person_in(tx: &mut Tx, id: PersonId) -> StoreResult<Person> {
    let row = sqlx::query(&format!("SELECT {PERSON_COLS} FROM people WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found(format!("person {id}")))?;
    rows::person(&row)
}

/// Inserts commitments rows as they are (status and verification included).
pub(crate) async fn insert_rows(tx: &mut Tx, rows: &[(&Unit, Commitment)]) -> StoreResult<Vec<CommitmentId>> {
    let now = now_ms();
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(200) {
        let mut sql = Sql::new(
            "INSERT INTO commitments (person_id, unit_id, unit_path, year, text, category, due_on, progress_note, status, \
             verified_by, verified_on, verify_comment, created_at, updated_at) VALUES ",
        );
        for (i, (unit, c)) in chunk.iter().enumerate() {
            let v = c.verification.as_ref();
            crate::tasks::values(
                &mut sql,
                i == 0,
                vec![
                    Bind::Int(c.person_id.0),
                    Bind::Int(unit.id.0),
                    Bind::Text(unit.path.clone()),
                    Bind::Int(c.fields.year.into()),
                    Bind::Text(c.fields.text.clone()),
                    Bind::Text(c.fields.category.code().into()),
                    Bind::OptText(opt_date(c.fields.due_on)),
                    Bind::OptText(c.fields.progress_note.clone()),
                    Bind::Text(c.status.code().into()),
                    Bind::OptText(v.map(|v| v.by.clone())),
                    Bind::OptText(opt_date(v.map(|v| v.on))),
                    Bind::OptText(v.and_then(|v| v.comment.clone())),
                    Bind::Int(now),
                    Bind::Int(now),
                ],
            );
        }
        sql.push(" RETURNING id");
        let mut got: Vec<i64> = sql
            .query(tx.backend())
            .fetch_all(&mut **tx)
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, _>>()?;
        got.sort_unstable();
        ids.extend(got.into_iter().map(CommitmentId));
    }
    Ok(ids)
}

/// Adds every commitment's contributions and every member's chain of years (for `Store::recompute`).
pub(crate) async fn recount(
    pool: &sqlx::AnyPool,
    line: &(dyn Fn(UnitId) -> Vec<UnitId> + Sync),
    delta: &mut RollupDelta,
) -> StoreResult<()> {
    use futures_util::StreamExt;
    let mut years: BTreeMap<(PersonId, UnitId), BTreeSet<i32>> = BTreeMap::new();
    let sql = format!("SELECT {COMMITMENT_COLS} FROM commitments");
    let mut rows = sqlx::query(&sql).fetch(pool);
    while let Some(r) = rows.next().await {
        let c = commitment(&r?)?;
        delta.add(&line(c.unit_id), &commitment_contributions(&c), 1);
        years.entry((c.person_id, c.unit_id)).or_default().insert(c.fields.year);
    }
    for ((_, unit), ys) in years {
        delta.add(&line(unit), &member_contributions(&ys), 1);
    }
    Ok(())
}

/// Refuses to delete a person who has made commitments (they stay on record).
pub(crate) async fn guard_person_delete(tx: &mut Tx, person: PersonId) -> StoreResult<()> {
    let n: i64 = sqlx::query("SELECT COUNT(*) FROM commitments WHERE person_id = $1")
        .bind(person.0)
        .fetch_one(&mut **tx)
        .await?
        .try_get(0)?;
    if n > 0 {
        return Err(StoreError::conflict(
            "id",
            format!("该人员有 {n} 项承诺记录，不能删除 (the person has commitments on record)"),
        ));
    }
    Ok(())
}

fn entry(action: &'static str, c: &Commitment, unit: &Unit, summary: String, before: Option<&Commitment>) -> Entry {
    Entry {
        action,
        object_kind: "commitment",
        object_id: c.id.to_string(),
        unit_path: Some(unit.path.clone()),
        summary,
        before: before.and_then(json),
        after: json(c),
    }
}

impl Store {
    /// A member's new commitment, kept with the member's unit. Only party
    /// members (full or probationary) make commitments.
    pub async fn create_commitment(&self, person: PersonId, f: &CommitmentFields) -> StoreResult<Commitment> {
        let mut tx = self.write().await?;
        let p = person_in(&mut tx, person).await?;
        if !p.fields.category.is_member() {
            return Err(StoreError::conflict(
                "person_id",
                "只有党员（含预备党员）作出承诺 (only party members make commitments)",
            ));
        }
        let unit = units::get(&mut tx, p.unit_id).await?;
        let before = member_years(&mut tx, person, unit.id).await?;
        let draft = Commitment {
            id: CommitmentId(0),
            person_id: person,
            unit_id: unit.id,
            fields: f.clone(),
            status: Status::Pending,
            verification: None,
        };
        let id = insert_rows(&mut tx, &[(&unit, draft.clone())]).await?[0];
        let c = Commitment { id, ..draft };
        let mut after = before.clone();
        after.insert(f.year);
        let mut delta = RollupDelta::default();
        delta.add(&unit.lineage(), &commitment_contributions(&c), 1);
        rechain(&mut delta, &unit, &before, &after);
        rollup::apply(&mut tx, &delta).await?;
        let summary = format!("{} 作出 {} 年承诺：{}", p.fields.name, f.year, f.text);
        audit::append(&mut tx, self.actor.as_ref(), &[entry("create", &c, &unit, summary, None)]).await?;
        tx.commit().await?;
        Ok(c)
    }

    /// Changes what a commitment says. A verified one can no longer change.
    pub async fn update_commitment(
        &self,
        id: CommitmentId,
        f: &CommitmentFields,
    ) -> StoreResult<(Commitment, Commitment)> {
        let mut tx = self.write().await?;
        let old = get(&mut tx, id).await?;
        if old.status != Status::Pending {
            return Err(StoreError::conflict("status", "承诺已核实，不能再修改 (the commitment is verified already)"));
        }
        let unit = units::get(&mut tx, old.unit_id).await?;
        let before = member_years(&mut tx, old.person_id, unit.id).await?;
        sqlx::query(
            "UPDATE commitments SET year = $1, text = $2, category = $3, due_on = $4, progress_note = $5, updated_at = $6 WHERE id = $7",
        )
        .bind(i64::from(f.year))
        .bind(f.text.as_str())
        .bind(f.category.code())
        .bind(opt_date(f.due_on))
        .bind(f.progress_note.as_deref())
        .bind(now_ms())
        .bind(id.0)
        .execute(&mut *tx)
        .await?;
        let after = member_years(&mut tx, old.person_id, unit.id).await?;
        let new = Commitment { fields: f.clone(), ..old.clone() };
        let mut delta = RollupDelta::default();
        delta.add(&unit.lineage(), &commitment_contributions(&old), -1);
        delta.add(&unit.lineage(), &commitment_contributions(&new), 1);
        rechain(&mut delta, &unit, &before, &after);
        rollup::apply(&mut tx, &delta).await?;
        let summary = format!("修改 {} 年承诺：{}", f.year, f.text);
        audit::append(&mut tx, self.actor.as_ref(), &[entry("update", &new, &unit, summary, Some(&old))]).await?;
        tx.commit().await?;
        Ok((old, new))
    }

    /// Withdraws a commitment not yet verified.
    pub async fn delete_commitment(&self, id: CommitmentId) -> StoreResult<Commitment> {
        let mut tx = self.write().await?;
        let old = get(&mut tx, id).await?;
        if old.status != Status::Pending {
            return Err(StoreError::conflict("status", "承诺已核实，不能撤回 (the commitment is verified already)"));
        }
        let unit = units::get(&mut tx, old.unit_id).await?;
        let before = member_years(&mut tx, old.person_id, unit.id).await?;
        sqlx::query("DELETE FROM commitments WHERE id = $1").bind(id.0).execute(&mut *tx).await?;
        let after = member_years(&mut tx, old.person_id, unit.id).await?;
        let mut delta = RollupDelta::default();
        delta.add(&unit.lineage(), &commitment_contributions(&old), -1);
        rechain(&mut delta, &unit, &before, &after);
        rollup::apply(&mut tx, &delta).await?;
        let e = Entry {
            action: "delete",
            object_kind: "commitment",
            object_id: id.to_string(),
            unit_path: Some(unit.path.clone()),
            summary: format!("撤回 {} 年承诺：{}", old.fields.year, old.fields.text),
            before: json(&old),
            after: None,
        };
        audit::append(&mut tx, self.actor.as_ref(), &[e]).await?;
        tx.commit().await?;
        Ok(old)
    }

    /// The branch's verdict on a commitment: fulfilled or not, with a comment.
    /// A verdict may be revised; it is recorded as made by `by` on `on`.
    pub async fn verify_commitment(
        &self,
        id: CommitmentId,
        status: Status,
        comment: Option<&str>,
        by: &str,
        on: Date,
    ) -> StoreResult<(Commitment, Commitment)> {
        let mut tx = self.write().await?;
        let changed = self.verify_in(&mut tx, id, status, comment, by, on).await?;
        tx.commit().await?;
        Ok(changed)
    }

    /// One verdict on several commitments, all or none.
    pub async fn verify_commitments(
        &self,
        ids: &[CommitmentId],
        status: Status,
        comment: Option<&str>,
        by: &str,
        on: Date,
    ) -> StoreResult<Vec<(Commitment, Commitment)>> {
        let mut tx = self.write().await?;
        let mut changed = Vec::with_capacity(ids.len());
        for &id in ids {
            changed.push(self.verify_in(&mut tx, id, status, comment, by, on).await?);
        }
        tx.commit().await?;
        Ok(changed)
    }

    async fn verify_in(
        &self,
        tx: &mut Tx,
        id: CommitmentId,
        status: Status,
        comment: Option<&str>,
        by: &str,
        on: Date,
    ) -> StoreResult<(Commitment, Commitment)> {
        if status == Status::Pending {
            return Err(StoreError::conflict("result", "核实结果应为 已兑现 或 未兑现 (fulfilled or unfulfilled)"));
        }
        let old = get(tx, id).await?;
        let unit = units::get(tx, old.unit_id).await?;
        sqlx::query(
            "UPDATE commitments SET status = $1, verified_by = $2, verified_on = $3, verify_comment = $4, updated_at = $5 WHERE id = $6",
        )
        .bind(status.code())
        .bind(by)
        .bind(qizhi_core::date::iso(on))
        .bind(comment)
        .bind(now_ms())
        .bind(id.0)
        .execute(&mut **tx)
        .await?;
        let new = Commitment {
            status,
            verification: Some(Verification { by: by.to_string(), on, comment: comment.map(str::to_string) }),
            ..old.clone()
        };
        let mut delta = RollupDelta::default();
        delta.add(&unit.lineage(), &commitment_contributions(&old), -1);
        delta.add(&unit.lineage(), &commitment_contributions(&new), 1);
        rollup::apply(tx, &delta).await?;
        let summary = format!("核实承诺（{}）：{}", status.zh(), old.fields.text);
        audit::append(tx, self.actor.as_ref(), &[entry("verify", &new, &unit, summary, Some(&old))]).await?;
        Ok((old, new))
    }

    pub async fn commitment(&self, id: CommitmentId) -> StoreResult<Commitment> {
        let row = sqlx::query(&format!("SELECT {COMMITMENT_COLS} FROM commitments WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found(format!("commitment {id}")))?;
        commitment(&row)
    }

    /// A person's commitments, newest year first (one year when given).
    pub async fn commitments_of(&self, person: PersonId, year: Option<i32>) -> StoreResult<Vec<Commitment>> {
        let mut sql = Sql::new(&format!("SELECT {COMMITMENT_COLS} FROM commitments WHERE person_id = "));
        sql.bind(Bind::Int(person.0));
        if let Some(y) = year {
            sql.push(" AND year = ").bind(Bind::Int(y.into()));
        }
        sql.push(" ORDER BY year DESC, id");
        sql.query(self.backend).fetch_all(&self.pool).await?.iter().map(commitment).collect()
    }

    /// Commitments kept in the subtree of `root` (and in `scope`), one page, with the total.
    pub async fn commitments(
        &self,
        root: &Unit,
        scope: &Scope,
        query: &CommitmentQuery,
    ) -> StoreResult<Page<CommitmentListed>> {
        let mut filter =
            Sql::new(" FROM commitments c JOIN people p ON p.id = c.person_id JOIN units u ON u.id = c.unit_id WHERE ");
        subtree_filter(&mut filter, "c.unit_path", &root.path);
        scope.filter(&mut filter, "c.unit_path");
        if let Some(y) = query.years {
            filter.push(" AND c.year >= ").bind(Bind::Int(y.from.into()));
            filter.push(" AND c.year <= ").bind(Bind::Int(y.to.into()));
        }
        if let Some(s) = query.status {
            filter.push(" AND c.status = ").bind(Bind::Text(s.code().into()));
        }
        filter.search(&query.q, &[By::Contains("p.name"), By::Contains("c.text")]);
        filter.search(&query.branch, &[By::Equal("u.code"), By::Contains("u.name")]);
        let cols = COMMITMENT_COLS.split(", ").map(|c| format!("c.{c}")).collect::<Vec<_>>().join(", ");
        let select = format!("SELECT {cols}, p.name AS person_name, u.name AS unit_name");
        self.page(&filter, &select, "c.unit_path, p.id, c.year DESC, c.id", query.page, query.per_page, |r| {
            Ok(CommitmentListed {
                commitment: commitment(r)?,
                person_name: r.try_get("person_name")?,
                unit_name: r.try_get("unit_name")?,
            })
        })
        .await
    }

    /// Party members of the subtree of `root` (and in `scope`) with no
    /// commitment for `year` yet, one page, with the total.
    pub async fn members_without_commitment(
        &self,
        root: &Unit,
        scope: &Scope,
        year: i32,
        page: i64,
        per_page: i64,
    ) -> StoreResult<Page<PersonListed>> {
        let mut filter = Sql::new(" FROM people p JOIN units u ON u.id = p.unit_id WHERE ");
        subtree_filter(&mut filter, "u.path", &root.path);
        scope.filter(&mut filter, "u.path");
        filter.push(" AND p.category IN ('full', 'probationary')");
        filter.push(" AND NOT EXISTS (SELECT 1 FROM commitments c WHERE c.person_id = p.id AND c.year = ");
        filter.bind(Bind::Int(year.into())).push(")");
        let cols = PERSON_COLS.split(", ").map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", ");
        let select = format!("SELECT {cols}, u.name AS unit_name");
        self.page(&filter, &select, "u.path, p.id", page, per_page, |r| {
            Ok(PersonListed { person: rows::person(r)?, unit_name: r.try_get("unit_name")? })
        })
        .await
    }

    /// Links an account to the person it belongs to (a member signs in as
    /// themselves: their own commitments and the tasks they answer for).
    pub async fn link_user_person(&self, user: UserId, person: Option<PersonId>) -> StoreResult<()> {
        let mut tx = self.write().await?;
        let path = match person {
            Some(p) => {
                let p = person_in(&mut tx, p).await?;
                Some(units::get(&mut tx, p.unit_id).await?.path)
            }
            None => None,
        };
        sqlx::query("UPDATE users SET person_id = $1, updated_at = $2 WHERE id = $3")
            .bind(person.map(|p| p.0))
            .bind(now_ms())
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        let e = Entry {
            action: "link_person",
            object_kind: "user",
            object_id: user.to_string(),
            unit_path: path,
            summary: format!("账号 {user} 关联人员 {}", person.map_or("（无）".to_string(), |p| p.to_string())),
            before: None,
            after: json(&person),
        };
        audit::append(&mut tx, self.actor.as_ref(), &[e]).await?;
        tx.commit().await?;
        Ok(())
    }
}
