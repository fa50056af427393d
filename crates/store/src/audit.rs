//! The audit trail. A store handle may carry an [`Actor`]; every write made
//! through it appends who, when, from where, which object and its state
//! before and after, in the same transaction as the change. Denied accesses
//! are appended too. The table refuses updates and deletes (triggers), and
//! this module offers none.

use std::sync::Arc;

use qizhi_core::ids::UserId;
use serde::Serialize;
use sqlx::FromRow;

use crate::rows::{Bind, Sql};
use crate::scope::Scope;
use crate::search::By;
use crate::{Page, Store, StoreError, StoreResult, Tx, now_ms};

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
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
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
        sql.query(tx.backend()).execute(&mut **tx).await?;
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
        let mut tx = self.begin().await?;
        append(&mut tx, self.actor.as_ref(), &[entry]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Audit entries about objects in `scope` (entries without a unit, such
    /// as logins, only for `Scope::All`), newest first, one page with the total.
    pub async fn audit_entries(&self, scope: &Scope, q: &AuditQuery) -> StoreResult<Page<AuditRecord>> {
        let from = audit_filter(scope, q);
        self.page(&from, &format!("SELECT {AUDIT_COLS}"), "id DESC", q.page, q.per_page, |r| {
            Ok(AuditRecord::from_row(r)?)
        })
        .await
    }

    /// Every entry `audit_entries` would page through, newest first, handed
    /// to `each` as it is read, so the store holds one row at a time; `each`
    /// stops the read by answering an error.
    pub async fn each_audit_entry<E: From<StoreError>>(
        &self,
        scope: &Scope,
        q: &AuditQuery,
        mut each: impl FnMut(AuditRecord) -> Result<(), E>,
    ) -> Result<(), E> {
        use futures_util::StreamExt;
        let mut sql = audit_filter(scope, q).prefixed(&format!("SELECT {AUDIT_COLS}"));
        sql.push(" ORDER BY id DESC");
        let mut rows = sql.query(self.backend).fetch(&self.pool);
        while let Some(row) = rows.next().await {
            let row = row.map_err(StoreError::from)?;
            each(AuditRecord::from_row(&row).map_err(StoreError::from)?)?;
        }
        Ok(())
    }
}

const AUDIT_COLS: &str = "id, at, username, ip, action, object_kind, object_id, summary, before, after, unit_path";

/// `FROM audit_log WHERE …`: the entries of `scope` that `q` asks for.
fn audit_filter(scope: &Scope, q: &AuditQuery) -> Sql {
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
    filter
}
