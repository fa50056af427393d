//! People: list a subtree's people with search and paging, read, create, edit, transfer, delete.

use qizhi_core::figures::{RollupDelta, person_contributions};
use qizhi_core::ids::{PersonId, UnitId};
use qizhi_core::org::Unit;
use qizhi_core::person::{Category, Person, PersonFields};
use sqlx::Row;

use crate::audit::{self, Entry, json};
use crate::error::unique_as;
use crate::rows::{self, Bind, PERSON_COLS, Sql, opt_date};
use crate::scope::{Scope, subtree_filter};
use crate::search::By;
use crate::{Page, Store, StoreError, StoreResult, Tx, now_ms, rollup, units};

/// A person with the name of their unit, for lists.
#[derive(Debug, Clone)]
pub struct PersonListed {
    pub person: Person,
    pub unit_name: String,
}

/// What a people list asks for.
#[derive(Debug, Clone, Default)]
pub struct PeopleQuery {
    /// Name (or part of it) or exact ID number.
    pub q: String,
    pub category: Option<Category>,
    pub page: i64,
    pub per_page: i64,
}

fn id_number_taken(f: &PersonFields) -> String {
    format!("身份证号 {} 已登记给其他人员 (ID number already registered)", f.id_number.as_deref().unwrap_or(""))
}

pub(crate) async fn insert(tx: &mut Tx, unit: &Unit, f: &PersonFields, delta: &mut RollupDelta) -> StoreResult<Person> {
    let now = now_ms();
    let id: i64 = sqlx::query(
        "INSERT INTO people (unit_id, name, gender, category, join_date, post, birth_date, phone, id_number, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(unit.id.0)
    .bind(f.name.as_str())
    .bind(f.gender.map(|g| g.code()))
    .bind(f.category.code())
    .bind(opt_date(f.join_date))
    .bind(f.post.as_deref())
    .bind(opt_date(f.birth_date))
    .bind(f.phone.as_deref())
    .bind(f.id_number.as_deref())
    .bind(now)
    .fetch_one(&mut **tx)
    .await
    .map_err(unique_as("id_number", id_number_taken(f)))?
    .try_get(0)?;
    let person = Person { id: PersonId(id), unit_id: unit.id, fields: f.clone() };
    delta.add(&unit.lineage(), &person_contributions(&person), 1);
    Ok(person)
}

/// Rewrites a person's fields and unit; `old_unit` is the unit they were in.
pub(crate) async fn update(
    tx: &mut Tx,
    old: &Person,
    old_unit: &Unit,
    unit: &Unit,
    f: &PersonFields,
    delta: &mut RollupDelta,
) -> StoreResult<Person> {
    sqlx::query(
        "UPDATE people SET unit_id = $1, name = $2, gender = $3, category = $4, join_date = $5, post = $6, \
         birth_date = $7, phone = $8, id_number = $9, updated_at = $10 WHERE id = $11",
    )
    .bind(unit.id.0)
    .bind(f.name.as_str())
    .bind(f.gender.map(|g| g.code()))
    .bind(f.category.code())
    .bind(opt_date(f.join_date))
    .bind(f.post.as_deref())
    .bind(opt_date(f.birth_date))
    .bind(f.phone.as_deref())
    .bind(f.id_number.as_deref())
    .bind(now_ms())
    .bind(old.id.0)
    .execute(&mut **tx)
    .await
    .map_err(unique_as("id_number", id_number_taken(f)))?;
    let new = Person { id: old.id, unit_id: unit.id, fields: f.clone() };
    delta.add(&old_unit.lineage(), &person_contributions(old), -1);
    delta.add(&unit.lineage(), &person_contributions(&new), 1);
    Ok(new)
}

async fn get(tx: &mut Tx, id: PersonId) -> StoreResult<Person> {
    let row = sqlx::query(&format!("SELECT {PERSON_COLS} FROM people WHERE id = $1"))
        .bind(id.0)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| StoreError::not_found(format!("person {id}")))?;
    rows::person(&row)
}

impl Store {
    pub async fn person(&self, id: PersonId) -> StoreResult<Person> {
        let row = sqlx::query(&format!("SELECT {PERSON_COLS} FROM people WHERE id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found(format!("person {id}")))?;
        rows::person(&row)
    }

    /// People in the subtree of `root` (and in `scope`), one page, with the total.
    pub async fn people(&self, root: &Unit, scope: &Scope, query: &PeopleQuery) -> StoreResult<Page<PersonListed>> {
        let mut filter = Sql::new(" FROM people p JOIN units u ON u.id = p.unit_id WHERE ");
        subtree_filter(&mut filter, "u.path", &root.path);
        scope.filter(&mut filter, "u.path");
        filter.search(&query.q, &[By::Contains("p.name"), By::Equal("p.id_number")]);
        if let Some(c) = query.category {
            filter.push(" AND p.category = ").bind(Bind::Text(c.code().into()));
        }

        let cols = PERSON_COLS.split(", ").map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", ");
        let select = format!("SELECT {cols}, u.name AS unit_name");
        self.page(&filter, &select, "u.path, p.id", query.page, query.per_page, |r| {
            Ok(PersonListed { person: rows::person(r)?, unit_name: r.try_get("unit_name")? })
        })
        .await
    }

    pub async fn create_person(&self, unit: UnitId, f: &PersonFields) -> StoreResult<Person> {
        let mut tx = self.write().await?;
        let unit = units::get(&mut tx, unit).await?;
        let mut delta = RollupDelta::default();
        let p = insert(&mut tx, &unit, f, &mut delta).await?;
        rollup::apply(&mut tx, &delta).await?;
        let entry =
            person_entry("create", &p, &unit, format!("新增人员 {}（{}）", p.fields.name, unit.name), None, Some(&p));
        audit::append(&mut tx, self.actor.as_ref(), &[entry]).await?;
        tx.commit().await?;
        Ok(p)
    }

    /// Edits a person; a different `unit` transfers them.
    pub async fn update_person(&self, id: PersonId, unit: UnitId, f: &PersonFields) -> StoreResult<(Person, Person)> {
        let mut tx = self.write().await?;
        let old = get(&mut tx, id).await?;
        let old_unit = units::get(&mut tx, old.unit_id).await?;
        let unit = if unit == old.unit_id { old_unit.clone() } else { units::get(&mut tx, unit).await? };
        let mut delta = RollupDelta::default();
        let new = update(&mut tx, &old, &old_unit, &unit, f, &mut delta).await?;
        rollup::apply(&mut tx, &delta).await?;
        let summary = if old_unit.id == unit.id {
            format!("修改人员 {}（{}）", new.fields.name, unit.name)
        } else {
            format!("人员 {} 从 {} 转入 {}", new.fields.name, old_unit.name, unit.name)
        };
        let mut entries = vec![person_entry("update", &new, &unit, summary.clone(), Some(&old), Some(&new))];
        if old_unit.id != unit.id {
            // Filed under the old unit too, so its admins see who left.
            entries.push(person_entry("update", &new, &old_unit, summary, Some(&old), Some(&new)));
        }
        audit::append(&mut tx, self.actor.as_ref(), &entries).await?;
        tx.commit().await?;
        Ok((old, new))
    }

    pub async fn delete_person(&self, id: PersonId) -> StoreResult<Person> {
        let mut tx = self.write().await?;
        let old = get(&mut tx, id).await?;
        let unit = units::get(&mut tx, old.unit_id).await?;
        crate::commitments::guard_person_delete(&mut tx, id).await?;
        let mut delta = RollupDelta::default();
        delta.add(&unit.lineage(), &person_contributions(&old), -1);
        sqlx::query("UPDATE users SET person_id = NULL WHERE person_id = $1").bind(id.0).execute(&mut *tx).await?;
        sqlx::query("DELETE FROM people WHERE id = $1").bind(id.0).execute(&mut *tx).await?;
        rollup::apply(&mut tx, &delta).await?;
        let entry = person_entry(
            "delete",
            &old,
            &unit,
            format!("删除人员 {}（{}）", old.fields.name, unit.name),
            Some(&old),
            None,
        );
        audit::append(&mut tx, self.actor.as_ref(), &[entry]).await?;
        tx.commit().await?;
        Ok(old)
    }

    /// Every person of a subtree, in unit order, streamed to `each` (exports).
    pub async fn each_person_in(
        &self,
        root: &Unit,
        mut each: impl FnMut(Person, String) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        use futures_util::StreamExt;
        let cols = PERSON_COLS.split(", ").map(|c| format!("p.{c}")).collect::<Vec<_>>().join(", ");
        let mut sql = Sql::new(&format!(
            "SELECT {cols}, u.code AS unit_code FROM people p JOIN units u ON u.id = p.unit_id WHERE "
        ));
        subtree_filter(&mut sql, "u.path", &root.path);
        sql.push(" ORDER BY u.path, p.id");
        let q = sql.query(self.backend);
        let mut stream = q.fetch(&self.pool);
        while let Some(row) = stream.next().await {
            let row = row?;
            each(rows::person(&row)?, row.try_get("unit_code")?)?;
        }
        Ok(())
    }
}

/// An audit entry about a person, filed under `unit`.
pub(crate) fn person_entry(
    action: &'static str,
    person: &Person,
    unit: &Unit,
    summary: String,
    before: Option<&Person>,
    after: Option<&Person>,
) -> Entry {
    Entry {
        action,
        object_kind: "person",
        object_id: person.id.to_string(),
        unit_path: Some(unit.path.clone()),
        summary,
        before: before.and_then(json),
        after: after.and_then(json),
    }
}
