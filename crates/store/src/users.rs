//! Accounts, their grants, login sessions and API tokens. Secrets arrive
//! here already hashed: the store never sees a password or a raw token.

use qizhi_core::access::Role;
use qizhi_core::ids::{PersonId, UnitId, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::error::unique_as;
use crate::{Store, StoreError, StoreResult, now_ms};

#[derive(Debug, Clone)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub person_id: Option<PersonId>,
    pub disabled: bool,
}

/// A role over a unit's subtree; `unit` is `None` only for system admins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub role: Role,
    pub unit_id: Option<UnitId>,
    pub unit_path: Option<String>,
    pub unit_name: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf: String,
    pub created_at: i64,
    pub last_seen: i64,
}

const USER_COLS: &str =
    "u.id, u.username, u.display_name, u.password_hash, u.person_id, u.disabled";

fn user(r: &AnyRow) -> StoreResult<User> {
    Ok(User {
        id: UserId(r.try_get("id")?),
        username: r.try_get("username")?,
        display_name: r.try_get("display_name")?,
        password_hash: r.try_get("password_hash")?,
        person_id: r.try_get::<Option<i64>, _>("person_id")?.map(PersonId),
        disabled: r.try_get::<i64, _>("disabled")? != 0,
    })
}

impl Store {
    pub async fn create_user(
        &self,
        username: &str,
        display_name: &str,
        password_hash: &str,
    ) -> StoreResult<UserId> {
        let now = now_ms();
        let id: i64 = sqlx::query(
            "INSERT INTO users (username, display_name, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id",
        )
        .bind(username)
        .bind(display_name)
        .bind(password_hash)
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .map_err(unique_as("username", format!("用户名 {username} 已存在 (username taken)")))?
        .try_get(0)?;
        Ok(UserId(id))
    }

    pub async fn user_by_username(&self, username: &str) -> StoreResult<Option<User>> {
        let r = sqlx::query(&format!(
            "SELECT {USER_COLS} FROM users u WHERE u.username = $1"
        ))
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

    pub async fn set_password(&self, id: UserId, password_hash: &str) -> StoreResult<()> {
        sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(password_hash)
            .bind(now_ms())
            .bind(id.0)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn add_grant(
        &self,
        user: UserId,
        role: Role,
        unit: Option<UnitId>,
    ) -> StoreResult<()> {
        if role != Role::SystemAdmin && unit.is_none() {
            return Err(StoreError::conflict(
                "org",
                "该角色需要指定组织范围 (this role needs a unit)",
            ));
        }
        sqlx::query(
            "INSERT INTO grants (user_id, role, unit_id, created_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(user.0)
        .bind(role.code())
        .bind(unit.map(|u| u.0))
        .bind(now_ms())
        .execute(&self.pool)
        .await
        .map_err(unique_as("role", "该授权已存在 (grant exists)".to_string()))?;
        Ok(())
    }

    pub async fn grants(&self, user: UserId) -> StoreResult<Vec<Grant>> {
        let rows = sqlx::query(
            "SELECT g.role, g.unit_id, u.path, u.name FROM grants g LEFT JOIN units u ON u.id = g.unit_id WHERE g.user_id = $1 ORDER BY g.id",
        )
        .bind(user.0)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let role: String = r.try_get(0)?;
                Ok(Grant {
                    role: Role::parse(&role)
                        .map_err(|e| StoreError::Db(sqlx::Error::Decode(e.into())))?,
                    unit_id: r.try_get::<Option<i64>, _>(1)?.map(UnitId),
                    unit_path: r.try_get(2)?,
                    unit_name: r.try_get(3)?,
                })
            })
            .collect()
    }

    pub async fn create_session(
        &self,
        token_hash: &str,
        user: UserId,
        csrf: &str,
    ) -> StoreResult<()> {
        let now = now_ms();
        sqlx::query("INSERT INTO sessions (token_hash, user_id, csrf, created_at, last_seen) VALUES ($1, $2, $3, $4, $4)")
            .bind(token_hash)
            .bind(user.0)
            .bind(csrf)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn session(&self, token_hash: &str) -> StoreResult<Option<Session>> {
        let r = sqlx::query(&format!(
            "SELECT {USER_COLS}, s.csrf, s.created_at, s.last_seen FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        r.map(|r| {
            Ok(Session {
                user: user(&r)?,
                csrf: r.try_get("csrf")?,
                created_at: r.try_get("created_at")?,
                last_seen: r.try_get("last_seen")?,
            })
        })
        .transpose()
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
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn create_token(
        &self,
        user: UserId,
        name: &str,
        token_hash: &str,
    ) -> StoreResult<i64> {
        let id: i64 = sqlx::query("INSERT INTO api_tokens (user_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
            .bind(user.0)
            .bind(name)
            .bind(token_hash)
            .bind(now_ms())
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        Ok(id)
    }

    /// The user of a live (not revoked) API token.
    pub async fn user_by_token(&self, token_hash: &str) -> StoreResult<Option<User>> {
        let r = sqlx::query(&format!(
            "SELECT {USER_COLS} FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        r.as_ref().map(user).transpose()
    }
}
