//! Schemes: create, edit while unused, copy to another year, read and list.

use qizhi_core::ids::UnitId;
use qizhi_core::stars::scheme::SchemeFields;
use sqlx::Row;

use super::{SCHEME_COLS, SCHEME_FROM, Scheme, get_scheme, scheme};
use crate::audit::{self, Entry, json};
use crate::rows::{Bind, Sql};
use crate::scope::Scope;
use crate::{Store, StoreError, StoreResult, Tx, now_ms, units};

fn scheme_audit(
    action: &'static str,
    s: &Scheme,
    summary: String,
    before: Option<&Scheme>,
    after: Option<&Scheme>,
) -> Entry {
    Entry {
        action,
        object_kind: "star_scheme",
        object_id: s.id.to_string(),
        unit_path: Some(s.unit_path.clone()),
        summary,
        before: before.and_then(|b| json(&b.fields())),
        after: after.and_then(|a| json(&a.fields())),
    }
}

pub(crate) async fn insert(
    tx: &mut Tx,
    issuer: UnitId,
    f: &SchemeFields,
    copied_from: Option<i64>,
) -> StoreResult<i64> {
    f.validate()?;
    let now = now_ms();
    let body = serde_json::to_string(&f.body).map_err(|e| StoreError::conflict("body", e.to_string()))?;
    let id: i64 = sqlx::query(
        "INSERT INTO star_schemes (unit_id, year, name, body, copied_from, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(issuer.0)
    .bind(i64::from(f.year))
    .bind(f.name.as_str())
    .bind(body)
    .bind(copied_from)
    .bind(now)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    Ok(id)
}

/// The name of a copy for `year`: the old year in the name replaced, or the year added.
pub fn copy_name(name: &str, from: i32, to: i32) -> String {
    if name.contains(&from.to_string()) {
        name.replace(&from.to_string(), &to.to_string())
    } else {
        format!("{name}（{to} 年）")
    }
}

impl Store {
    /// Issues a scheme for `issuer`'s subtree.
    pub async fn create_scheme(&self, issuer: UnitId, f: &SchemeFields) -> StoreResult<Scheme> {
        let mut tx = self.write().await?;
        units::get(&mut tx, issuer).await?;
        let id = insert(&mut tx, issuer, f, None).await?;
        let s = get_scheme(&mut tx, id).await?;
        let entry = scheme_audit("create", &s, format!("新建星级评价体系 {}（{} 年）", s.name, s.year), None, Some(&s));
        audit::append(&mut tx, self.actor.as_ref(), &[entry]).await?;
        tx.commit().await?;
        Ok(s)
    }

    /// Edits a scheme no campaign uses yet; a scheme in use is frozen.
    pub async fn update_scheme(&self, id: i64, f: &SchemeFields) -> StoreResult<(Scheme, Scheme)> {
        f.validate()?;
        let mut tx = self.write().await?;
        let old = get_scheme(&mut tx, id).await?;
        if old.in_use() {
            return Err(StoreError::conflict(
                "scheme",
                "该评价体系已被评选活动使用，已冻结；请复制为新版本后修改 (frozen: a campaign uses it; copy it to edit)",
            ));
        }
        let body = serde_json::to_string(&f.body).map_err(|e| StoreError::conflict("body", e.to_string()))?;
        sqlx::query("UPDATE star_schemes SET year = $1, name = $2, body = $3, updated_at = $4 WHERE id = $5")
            .bind(i64::from(f.year))
            .bind(f.name.as_str())
            .bind(body)
            .bind(now_ms())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let new = get_scheme(&mut tx, id).await?;
        let entry = scheme_audit("update", &new, format!("修改星级评价体系 {}", new.name), Some(&old), Some(&new));
        audit::append(&mut tx, self.actor.as_ref(), &[entry]).await?;
        tx.commit().await?;
        Ok((old, new))
    }

    /// Copies a scheme to `year` (issued by the same unit), to be edited for that year.
    pub async fn copy_scheme(&self, id: i64, year: i32) -> StoreResult<Scheme> {
        let mut tx = self.write().await?;
        let from = get_scheme(&mut tx, id).await?;
        let f = SchemeFields { name: copy_name(&from.name, from.year, year), year, body: from.body.clone() };
        let new_id = insert(&mut tx, from.unit_id, &f, Some(from.id)).await?;
        let s = get_scheme(&mut tx, new_id).await?;
        let summary = format!("复制星级评价体系 {}（{} 年）为 {}（{} 年）", from.name, from.year, s.name, s.year);
        audit::append(&mut tx, self.actor.as_ref(), &[scheme_audit("copy", &s, summary, None, Some(&s))]).await?;
        tx.commit().await?;
        Ok(s)
    }

    pub async fn scheme(&self, id: i64) -> StoreResult<Scheme> {
        let r = sqlx::query(&format!("SELECT {SCHEME_COLS} FROM {SCHEME_FROM} WHERE s.id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found(format!("scheme {id}")))?;
        scheme(&r)
    }

    /// Schemes a caller may read: issued inside `scope`, or by a unit in
    /// `ancestors` (the units above the caller's scope, whose schemes apply
    /// to it). Newest year first.
    pub async fn schemes(&self, scope: &Scope, ancestors: &[UnitId]) -> StoreResult<Vec<Scheme>> {
        let mut sql = Sql::new(&format!("SELECT {SCHEME_COLS} FROM {SCHEME_FROM} WHERE (1 = 1"));
        scope.filter(&mut sql, "u.path");
        if !ancestors.is_empty() && *scope != Scope::All {
            sql.push(" OR u.id IN (");
            for (i, a) in ancestors.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(Bind::Int(a.0));
            }
            sql.push(")");
        }
        sql.push(") ORDER BY s.year DESC, u.path, s.id DESC");
        sql.query(self.backend).fetch_all(&self.pool).await?.iter().map(scheme).collect()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn copies_are_named_for_their_year() {
        assert_eq!(super::copy_name("福建“六星”评价体系（2023 年版）", 2023, 2024), "福建“六星”评价体系（2024 年版）");
        assert_eq!(super::copy_name("六星评价体系", 2023, 2024), "六星评价体系（2024 年）");
    }
}
