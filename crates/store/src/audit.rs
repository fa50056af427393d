//! The audit trail. A store handle may carry an [`Actor`]; every write made
//! through it appends who, when, from where, which object and its state
//! before and after, in the same transaction as the change. Denied accesses
//! are appended too. The table refuses updates and deletes (triggers), and
//! this module offers none.

use std::sync::Arc;

use qizhi_core::ids::UserId;
use serde::Serialize;
use sqlx::Row;

use crate::rows::{Bind, Sql};
use crate::scope::Scope;
use crate::search::By;
use crate::{Backend, Store, StoreResult, Tx, now_ms};

/// Who is making a change, and from where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: Option<UserId>,
    pub username: String,
    pub ip: Option<String>,
}

impl Actor {
    /// A change made from the command line.
    pub fn cli() -> Actor {
        let who = std::env::var("USER").unwrap_or_else(|_| "cli".into());
        Actor { user_id: None, username: format!("cli:{who}"), ip: None }
    }
}

/// One change to append.
pub struct Entry {
    pub action: &'static str,
    pub object_kind: &'static str,
    pub object_id: String,
    /// Path of the unit the object belongs to (for reading by scope).
    pub unit_path: Option<String>,
    pub summary: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// A stored audit entry.
#[derive(Debug, Clone, Serialize)]
pub struct AuditRecord {
    pub id: i64,
    pub at: i64,
    pub username: String,
    pub ip: Option<String>,
    pub action: String,
    pub object_kind: String,
    pub object_id: Option<String>,
    pub summary: String,
    pub before: Option<String>,
    pub after: Option<String>,
    /// Path of the unit the object belonged to (none for sign-ins of accounts without a unit).
    pub unit_path: Option<String>,
}

/// What an audit listing asks for.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    /// Matches username, summary or object id.
    pub q: String,
    pub action: Option<String>,
    pub object_kind: Option<String>,
    /// Epoch ms bounds, inclusive.
    pub from: Option<i64>,
    pub to: Option<i64>,
    pub page: i64,
    pub per_page: i64,
}

pub fn json<T: Serialize>(value: &T) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}

const CHUNK: usize = 300;

/// Appends entries for `actor` (nothing when the store has no actor).
pub(crate) async fn append(tx: &mut Tx, actor: Option<&Arc<Actor>>, entries: &[Entry]) -> StoreResult<()> {
    let Some(actor) = actor else { return Ok(()) };
    let now = now_ms();
    for chunk in entries.chunks(CHUNK) {
        let mut sql = Sql::new(
            "INSERT INTO audit_log (at, user_id, username, ip, action, object_kind, object_id, unit_path, summary, before, after) VALUES ",
        );
        for (i, e) in chunk.iter().enumerate() {
            sql.push(if i == 0 { "(" } else { ", (" });
            let binds = [
                Bind::Int(now),
                Bind::OptInt(actor.user_id.map(|u| u.0)),
                Bind::Text(actor.username.clone()),
                Bind::OptText(actor.ip.clone()),
                Bind::Text(e.action.into()),
                Bind::Text(e.object_kind.into()),
                Bind::Text(e.object_id.clone()),
                Bind::OptText(e.unit_path.clone()),
                Bind::Text(e.summary.clone()),
                Bind::OptText(e.before.as_ref().map(|v| v.to_string())),
                Bind::OptText(e.after.as_ref().map(|v| v.to_string())),
            ];
            for (j, b) in binds.into_iter().enumerate() {
                if j > 0 {
                    sql.push(", ");
                }
                sql.bind(b);
            }
            sql.push(")");
        }
        sql.query(Backend::of(tx)).execute(&mut **tx).await?;
    }
    Ok(())
}

impl Store {
    /// This store, with every write recorded as made by `actor`.
    pub fn acting(&self, actor: Actor) -> Store {
        Store { actor: Some(Arc::new(actor)), ..self.clone() }
    }

    pub fn actor(&self) -> Option<&Actor> {
        self.actor.as_deref()
    }

    /// Appends one entry in its own transaction (denied accesses, logins).
    pub async fn audit(&self, entry: Entry) -> StoreResult<()> {
        let mut tx = self.pool.begin().await?;
        append(&mut tx, self.actor.as_ref(), &[entry]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Audit entries about objects in `scope` (entries without a unit, such
    /// as logins, only for `Scope::All`), newest first, with the total.
    pub async fn audit_entries(&self, scope: &Scope, q: &AuditQuery) -> StoreResult<(i64, Vec<AuditRecord>)> {
        let mut filter = Sql::new(" FROM audit_log WHERE 1 = 1");
        if *scope != Scope::All {
            filter.push(" AND unit_path IS NOT NULL");
            scope.filter(&mut filter, "unit_path");
        }
        filter.search(&q.q, &[By::Contains("username"), By::Contains("summary"), By::Equal("object_id")]);
        if let Some(a) = &q.action {
            filter.push(" AND action = ").bind(Bind::Text(a.clone()));
        }
        if let Some(k) = &q.object_kind {
            filter.push(" AND object_kind = ").bind(Bind::Text(k.clone()));
        }
        if let Some(f) = q.from {
            filter.push(" AND at >= ").bind(Bind::Int(f));
        }
        if let Some(t) = q.to {
            filter.push(" AND at <= ").bind(Bind::Int(t));
        }
        let count = filter.prefixed("SELECT COUNT(*)");
        let total: i64 = count.query(self.backend).fetch_one(&self.pool).await?.try_get(0)?;
        let per_page = q.per_page.clamp(1, 100_000);
        let mut list = filter
            .prefixed("SELECT id, at, username, ip, action, object_kind, object_id, summary, before, after, unit_path");
        list.push(" ORDER BY id DESC LIMIT ").bind(Bind::Int(per_page));
        list.push(" OFFSET ").bind(Bind::Int(crate::rows::offset(q.page, per_page)));
        let rows = list.query(self.backend).fetch_all(&self.pool).await?;
        let records = rows
            .iter()
            .map(|r| {
                Ok(AuditRecord {
                    id: r.try_get("id")?,
                    at: r.try_get("at")?,
                    username: r.try_get("username")?,
                    ip: r.try_get("ip")?,
                    action: r.try_get("action")?,
                    object_kind: r.try_get("object_kind")?,
                    object_id: r.try_get("object_id")?,
                    summary: r.try_get("summary")?,
                    before: r.try_get("before")?,
                    after: r.try_get("after")?,
                    unit_path: r.try_get("unit_path")?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok((total, records))
    }
}
