//! Accounts, their grants, login sessions and API tokens. Secrets arrive
//! here already hashed: the store never sees a password or a raw token.

use qizhi_core::access::Role;
use qizhi_core::ids::{PersonId, UnitId, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::{self, Entry};
use crate::error::unique_as;
use crate::rows::Sql;
use crate::scope::Scope;
use crate::search::By;
use crate::{Page, Store, StoreError, StoreResult, now_ms};

#[derive(Debug, Clone)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub person_id: Option<PersonId>,
    pub disabled: bool,
    /// Set by an administrator's reset: the next sign-in must choose a new password.
    pub must_change_password: bool,
    pub password_changed_at: Option<i64>,
}

/// A role over a unit's subtree; `unit` is `None` only for system admins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub id: i64,
    pub role: Role,
    pub unit_id: Option<UnitId>,
    pub unit_path: Option<String>,
    pub unit_name: Option<String>,
    pub unit_code: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub grants: Vec<Grant>,
    pub csrf: String,
    pub created_at: i64,
    pub last_seen: i64,
}

const USER_COLS: &str = "u.id, u.username, u.display_name, u.password_hash, u.person_id, u.disabled, \
                         u.must_change_password, u.password_changed_at";

/// A grant's columns (`g` the grant, `gu` its unit), named apart from a user's.
const GRANT_COLS: &str = "g.id AS grant_id, g.role AS grant_role, g.unit_id AS grant_unit_id, \
                          gu.path AS grant_unit_path, gu.name AS grant_unit_name, gu.code AS grant_unit_code";
const GRANT_JOIN: &str = "LEFT JOIN grants g ON g.user_id = u.id LEFT JOIN units gu ON gu.id = g.unit_id";

/// The grant of a row of [`GRANT_COLS`]; none when a left join found none.
fn grant(r: &AnyRow) -> StoreResult<Option<Grant>> {
    let Some(id) = r.try_get::<Option<i64>, _>("grant_id")? else { return Ok(None) };
    let role: String = r.try_get("grant_role")?;
    Ok(Some(Grant {
        role: Role::parse(&role).map_err(|e| StoreError::Db(sqlx::Error::Decode(e.into())))?,
        unit_id: r.try_get::<Option<i64>, _>("grant_unit_id")?.map(UnitId),
        unit_path: r.try_get("grant_unit_path")?,
        unit_name: r.try_get("grant_unit_name")?,
        id,
        unit_code: r.try_get("grant_unit_code")?,
    }))
}

fn user(r: &AnyRow) -> StoreResult<User> {
    Ok(User {
        id: UserId(r.try_get("id")?),
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        password_hash: r.try_get("password_hash")?,
        person_id: r.try_get::<Option<i64>, _>("person_id")?.map(PersonId),
        disabled: r.try_get::<i64, _>("disabled")? != 0,
        must_change_password: r.try_get::<i64, _>("must_change_password")? != 0,
        password_changed_at: r.try_get("password_changed_at")?,
    })
}

impl Store {
    /// An account without grants (see [`Store::create_account`]).
    pub async fn create_user(&self, username: &str, display_name: &str, password_hash: &str) -> StoreResult<UserId> {
        let account = NewAccount {
            username,
            display_name,
            password_hash,
            person: None,
            grant: None,
            must_change_password: false,
        };
        self.create_account(&account).await
    }

    pub async fn user_by_username(&self, username: &str) -> StoreResult<Option<User>> {
        let r = sqlx::query(&format!("SELECT {USER_COLS} FROM users u WHERE u.username = $1"))
            .bind(username)
            .fetch_optional(&self.pool)
            .await?;
        r.as_ref().map(user).transpose()
    }

    pub async fn user(&self, id: UserId) -> StoreResult<User> {
        let r = sqlx::query(&format!("SELECT {USER_COLS} FROM users u WHERE u.id = $1"))
            .bind(id.0)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found(format!("user {id}")))?;
        user(&r)
    }

    /// Sets a password. A reset by an administrator (`reset`) must be changed
    /// at the next sign-in, and ends the account's sessions; a change by the
    /// account's owner ends every session but `keep` (the one making it).
    pub async fn set_password(
        &self,
        id: UserId,
        password_hash: &str,
        reset: bool,
        keep: Option<&str>,
    ) -> StoreResult<()> {
        let now = now_ms();
        let mut tx = self.begin().await?;
        let n = sqlx::query(
            "UPDATE users SET password_hash = $1, must_change_password = $2, password_changed_at = $3, updated_at = $3 WHERE id = $4",
        )
        .bind(password_hash)
        .bind(i64::from(reset))
        .bind(now)
        .bind(id.0)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(StoreError::not_found(format!("user {id}")));
        }
        sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(id.0)
            .bind(keep.unwrap_or(""))
            .execute(&mut *tx)
            .await?;
        let u = user(
            &sqlx::query(&format!("SELECT {USER_COLS} FROM users u WHERE u.id = $1"))
                .bind(id.0)
                .fetch_one(&mut *tx)
                .await?,
        )?;
        let path = first_grant_path(&mut tx, id).await?;
        let (action, text) = if reset { ("reset_password", "重置") } else { ("set_password", "修改") };
        let entry = user_entry(action, &u, path, format!("{text}账号 {} 的密码", u.username));
        audit::append(&mut tx, self.actor.as_ref(), &[entry]).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Creates an account with its first grant (if any) and the person it
    /// belongs to (if any), in one transaction, filed in the audit trail
    /// under the granted unit so that unit's admins see it.
    pub async fn create_account(&self, account: &NewAccount<'_>) -> StoreResult<UserId> {
        if let Some((role, None)) = account.grant
            && role != Role::SystemAdmin
        {
            return Err(StoreError::conflict("unit", "该角色需要指定组织范围 (this role needs a unit)"));
        }
        let now = now_ms();
        let mut tx = self.begin().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO users (username, display_name, password_hash, person_id, must_change_password, password_changed_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6, $6) RETURNING id",
        )
        .bind(account.username)
        .bind(account.display_name)
        .bind(account.password_hash)
        .bind(account.person.map(|p| p.0))
        .bind(i64::from(account.must_change_password))
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(unique_as("username", format!("用户名 {} 已存在 (username taken)", account.username)))?
        .try_get(0)?;
        if let Some((role, unit)) = account.grant {
            sqlx::query("INSERT INTO grants (user_id, role, unit_id, created_at) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(role.code())
                .bind(unit.map(|u| u.0))
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        let u = user(
            &sqlx::query(&format!("SELECT {USER_COLS} FROM users u WHERE u.id = $1"))
                .bind(id)
                .fetch_one(&mut *tx)
                .await?,
        )?;
        let path = first_grant_path(&mut tx, u.id).await?;
        let grant = match account.grant {
            Some((role, _)) => format!("，角色 {}", role.zh()),
            None => String::new(),
        };
        let summary = format!("新建账号 {}（{}）{grant}", account.username, account.display_name);
        let mut entry = user_entry("create", &u, path, summary);
        entry.after = audit::json(&serde_json::json!({
            "username": u.username, "display_name": u.display_name,
            "person_id": u.person_id.map(|p| p.0),
            "grant": account.grant.map(|(r, unit)| serde_json::json!({"role": r.code(), "unit_id": unit.map(|u| u.0)})),
        }));
        audit::append(&mut tx, self.actor.as_ref(), &[entry]).await?;
        tx.commit().await?;
        Ok(u.id)
    }

    pub async fn add_grant(&self, user: UserId, role: Role, unit: Option<UnitId>) -> StoreResult<()> {
        if role != Role::SystemAdmin && unit.is_none() {
            return Err(StoreError::conflict("org", "该角色需要指定组织范围 (this role needs a unit)"));
        }
        sqlx::query("INSERT INTO grants (user_id, role, unit_id, created_at) VALUES ($1, $2, $3, $4)")
            .bind(user.0)
            .bind(role.code())
            .bind(unit.map(|u| u.0))
            .bind(now_ms())
            .execute(&self.pool)
            .await
            .map_err(unique_as("role", "该授权已存在 (grant exists)".to_string()))?;
        let u = self.user(user).await?;
        let g = self.grants(user).await?.into_iter().find(|g| g.role == role && g.unit_id == unit);
        let where_ = g.as_ref().and_then(|g| g.unit_name.clone()).unwrap_or_else(|| "全部".into());
        let summary = format!("授予 {} 角色 {} @ {where_}", u.username, role.zh());
        self.audit(user_entry("grant", &u, g.and_then(|g| g.unit_path), summary)).await
    }

    pub async fn grants(&self, user: UserId) -> StoreResult<Vec<Grant>> {
        let rows = sqlx::query(&format!(
            "SELECT {GRANT_COLS} FROM grants g LEFT JOIN units gu ON gu.id = g.unit_id WHERE g.user_id = $1 ORDER BY g.id"
        ))
        .bind(user.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().filter_map(|r| grant(r).transpose()).collect()
    }

    pub async fn create_session(&self, token_hash: &str, user: UserId, csrf: &str) -> StoreResult<()> {
        let now = now_ms();
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen) VALUES ($1, $2, $3, $4, $4)",
        )
        .bind(token_hash)
        .bind(user.0)
        .bind(csrf)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A session with its account and the account's grants: one read, as
    /// every request with a cookie makes it.
    pub async fn session(&self, token_hash: &str) -> StoreResult<Option<Session>> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLS}, s.csrf, s.created_at, s.last_seen, {GRANT_COLS} FROM sessions s \
             JOIN users u ON u.id = s.user_id {GRANT_JOIN} WHERE s.token_hash = $1 ORDER BY g.id"
        ))
        .bind(token_hash)
        .fetch_all(&self.pool)
        .await?;
        let Some(r) = rows.first() else { return Ok(None) };
        Ok(Some(Session {
            user: user(r)?,
            grants: rows.iter().filter_map(|r| grant(r).transpose()).collect::<StoreResult<_>>()?,
            csrf: r.try_get("csrf")?,
            created_at: r.try_get("created_at")?,
            last_seen: r.try_get("last_seen")?,
        }))
    }

    pub async fn touch_session(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("UPDATE sessions SET last_seen = $1 WHERE token_hash = $2")
            .bind(now_ms())
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(&self.pool).await?;
        Ok(())
    }

    pub async fn create_token(&self, user: UserId, name: &str, token_hash: &str) -> StoreResult<i64> {
        let id: i64 = sqlx::query(
            "INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(user.0)
        .bind(name)
        .bind(token_hash)
        .bind(now_ms())
        .fetch_one(&self.pool)
        .await?
        .try_get(0)?;
        let u = self.user(user).await?;
        self.audit_user("create_token", &u, format!("为 {} 创建 API 令牌“{name}”", u.username)).await?;
        Ok(id)
    }

    /// The account of a live (not revoked) API token, with its grants: one read, as every
    /// API request makes it.
    pub async fn user_by_token(&self, token_hash: &str) -> StoreResult<Option<(User, Vec<Grant>)>> {
        let rows = sqlx::query(&format!(
            "SELECT {USER_COLS}, {GRANT_COLS} FROM api_tokens t JOIN users u ON u.id = t.user_id {GRANT_JOIN} \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL ORDER BY g.id"
        ))
        .bind(token_hash)
        .fetch_all(&self.pool)
        .await?;
        let Some(r) = rows.first() else { return Ok(None) };
        let grants = rows.iter().filter_map(|r| grant(r).transpose()).collect::<StoreResult<_>>()?;
        Ok(Some((user(r)?, grants)))
    }
}

/// A new account: who it is, its first password (already hashed), the
/// person it belongs to and its first grant.
#[derive(Debug, Clone)]
pub struct NewAccount<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub person: Option<PersonId>,
    pub grant: Option<(Role, Option<UnitId>)>,
    pub must_change_password: bool,
}

/// An account as listed, with its grants.
#[derive(Debug, Clone)]
pub struct UserListed {
    pub user: User,
    pub grants: Vec<Grant>,
}

/// The path of an account's first granted unit, under which its changes are filed.
async fn first_grant_path(tx: &mut crate::Tx, id: UserId) -> StoreResult<Option<String>> {
    let r = sqlx::query(
        "SELECT u.path FROM grants g JOIN units u ON u.id = g.unit_id WHERE g.user_id = $1 ORDER BY g.id LIMIT 1",
    )
    .bind(id.0)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(match r {
        Some(r) => Some(r.try_get(0)?),
        None => None,
    })
}

/// An API token as listed (never the secret).
#[derive(Debug, Clone)]
pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    pub created_at: i64,
    pub last_used: Option<i64>,
    pub revoked_at: Option<i64>,
}

fn user_entry(action: &'static str, user: &User, unit_path: Option<String>, summary: String) -> Entry {
    Entry { action, object_kind: "user", object_id: user.id.to_string(), unit_path, summary, before: None, after: None }
}

impl Store {
    /// Appends an account change to the audit trail, filed under the
    /// account's first granted unit so admins of that scope see it.
    async fn audit_user(&self, action: &'static str, user: &User, summary: String) -> StoreResult<()> {
        let path = self.grants(user.id).await?.into_iter().find_map(|g| g.unit_path);
        self.audit(user_entry(action, user, path, summary)).await
    }

    /// One page of the accounts holding a grant inside `scope` (every account
    /// for `Scope::All`) whose username or name matches `q`, by username, with
    /// the total.
    pub async fn users_page(&self, scope: &Scope, q: &str, page: i64, per_page: i64) -> StoreResult<Page<UserListed>> {
        let mut filter = Sql::new(" FROM users u WHERE 1 = 1");
        if *scope != Scope::All {
            filter
                .push(" AND EXISTS (SELECT 1 FROM grants g JOIN units un ON un.id = g.unit_id WHERE g.user_id = u.id");
            scope.filter(&mut filter, "un.path");
            filter.push(")");
        }
        filter.search(q, &[By::Contains("u.username"), By::Contains("u.display_name")]);
        let users = self.page(&filter, &format!("SELECT {USER_COLS}"), "u.username", page, per_page, user).await?;
        let grants = self.grants_of(&users.items.iter().map(|u| u.id).collect::<Vec<_>>()).await?;
        let items = users
            .items
            .into_iter()
            .map(|user| UserListed { grants: grants.get(&user.id).cloned().unwrap_or_default(), user })
            .collect();
        Ok(Page { total: users.total, items })
    }

    /// The grants of several accounts in one read, by account.
    async fn grants_of(&self, users: &[UserId]) -> StoreResult<std::collections::HashMap<UserId, Vec<Grant>>> {
        let mut out = std::collections::HashMap::<UserId, Vec<Grant>>::new();
        if users.is_empty() {
            return Ok(out);
        }
        let mut sql = Sql::new(&format!(
            "SELECT g.user_id, {GRANT_COLS} FROM grants g LEFT JOIN units gu ON gu.id = g.unit_id WHERE g.user_id IN ("
        ));
        for (i, id) in users.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(crate::rows::Bind::Int(id.0));
        }
        sql.push(") ORDER BY g.user_id, g.id");
        for r in sql.query(self.backend).fetch_all(&self.pool).await? {
            if let Some(g) = grant(&r)? {
                out.entry(UserId(r.try_get("user_id")?)).or_default().push(g);
            }
        }
        Ok(out)
    }

    pub async fn remove_grant(&self, user: UserId, grant_id: i64) -> StoreResult<()> {
        let u = self.user(user).await?;
        let g = self
            .grants(user)
            .await?
            .into_iter()
            .find(|g| g.id == grant_id)
            .ok_or_else(|| StoreError::not_found("grant"))?;
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM grants WHERE id = $1 AND user_id = $2")
            .bind(grant_id)
            .bind(user.0)
            .execute(&mut *tx)
            .await?;
        let summary =
            format!("撤销 {} 的授权：{} @ {}", u.username, g.role.zh(), g.unit_name.as_deref().unwrap_or("全部"));
        audit::append(&mut tx, self.actor.as_ref(), &[user_entry("revoke_grant", &u, g.unit_path.clone(), summary)])
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Disables (or enables) an account; disabling ends its sessions.
    pub async fn set_disabled(&self, id: UserId, disabled: bool) -> StoreResult<()> {
        let u = self.user(id).await?;
        sqlx::query("UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3")
            .bind(i64::from(disabled))
            .bind(now_ms())
            .bind(id.0)
            .execute(&self.pool)
            .await?;
        if disabled {
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(id.0).execute(&self.pool).await?;
        }
        let (action, text) = if disabled { ("disable", "停用") } else { ("enable", "启用") };
        self.audit_user(action, &u, format!("{text}账号 {}", u.username)).await
    }

    /// Ends every session of an account ("log out everywhere"), recorded in the audit trail.
    pub async fn delete_sessions_of(&self, id: UserId) -> StoreResult<u64> {
        let n = sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id.0)
            .execute(&self.pool)
            .await?
            .rows_affected();
        let u = self.user(id).await?;
        self.audit_user("logout_all", &u, format!("结束账号 {} 的全部会话（{n} 个）", u.username)).await?;
        Ok(n)
    }

    pub async fn tokens_of(&self, id: UserId) -> StoreResult<Vec<TokenInfo>> {
        let rows = sqlx::query(
            "SELECT id, name, created_at, last_used, revoked_at FROM api_tokens WHERE user_id = $1 ORDER BY id DESC",
        )
        .bind(id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(TokenInfo {
                    id: r.try_get(0)?,
                    name: r.try_get(1)?,
                    created_at: r.try_get(2)?,
                    last_used: r.try_get(3)?,
                    revoked_at: r.try_get(4)?,
                })
            })
            .collect()
    }

    pub async fn revoke_token(&self, id: UserId, token_id: i64) -> StoreResult<()> {
        let u = self.user(id).await?;
        let n =
            sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
                .bind(now_ms())
                .bind(token_id)
                .bind(id.0)
                .execute(&self.pool)
                .await?
                .rows_affected();
        if n == 0 {
            return Err(StoreError::not_found(format!("token {token_id}")));
        }
        self.audit_user("revoke_token", &u, format!("吊销 {} 的 API 令牌 #{token_id}", u.username)).await
    }
}
