//! `qizhi user …`: accounts, passwords, grants and API tokens.

use anyhow::Context;
use clap::Subcommand;
use qizhi_core::access::{Role, check_password};
use qizhi_store::Store;
use qizhi_web::auth::{random_token, token_hash};
use qizhi_web::password;

#[derive(Subcommand)]
pub enum UserCommand {
    /// Create an account, optionally with a first grant. Without --password a strong one is generated and printed.
    Add {
        username: String,
        /// Display name (e.g. 林晓燕).
        #[arg(long)]
        name: Option<String>,
        #[arg(long, env = "QIZHI_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        /// system_admin, unit_admin, reviewer, member or viewer.
        #[arg(long)]
        role: Option<String>,
        /// Code of the unit whose subtree the role covers.
        #[arg(long)]
        org: Option<String>,
    },
    /// Set a new password (generated and printed when not given).
    Passwd {
        username: String,
        #[arg(long, env = "QIZHI_PASSWORD", hide_env_values = true)]
        password: Option<String>,
    },
    /// Give an account a role over a unit's subtree.
    Grant {
        username: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        org: Option<String>,
    },
    /// Print a new API bearer token for the account (shown once).
    Token {
        username: String,
        /// What the token is for.
        #[arg(long, default_value = "cli")]
        name: String,
    },
}

/// A random password that satisfies the rules.
pub fn generate_password() -> String {
    format!("Qz{}", &random_token()[..14])
}

pub async fn grant(store: &Store, username: &str, role: &str, org: Option<&str>) -> anyhow::Result<()> {
    let user =
        store.user_by_username(username).await?.with_context(|| format!("用户 {username} 不存在 (no such user)"))?;
    let role = Role::parse(role).map_err(anyhow::Error::msg)?;
    let unit = match org {
        Some(code) => Some(store.unit_by_code(code).await?.with_context(|| format!("组织编码 “{code}” 不存在"))?.id),
        None => None,
    };
    store.add_grant(user.id, role, unit).await?;
    Ok(())
}

pub async fn run(store: Store, cmd: UserCommand) -> anyhow::Result<()> {
    match cmd {
        UserCommand::Add { username, name, password, role, org } => {
            let (password, generated) = match password {
                Some(p) => (p, false),
                None => (generate_password(), true),
            };
            check_password(&password).map_err(anyhow::Error::msg)?;
            let hash = password::hash(password.clone()).await?;
            store.create_user(&username, name.as_deref().unwrap_or(&username), &hash).await?;
            if let Some(role) = role {
                grant(&store, &username, &role, org.as_deref()).await?;
            }
            println!("已创建用户 (user created): {username}");
            if generated {
                println!("初始密码 (password): {password}");
            }
        }
        UserCommand::Passwd { username, password } => {
            let user = store.user_by_username(&username).await?.with_context(|| format!("用户 {username} 不存在"))?;
            let (password, generated) = match password {
                Some(p) => (p, false),
                None => (generate_password(), true),
            };
            check_password(&password).map_err(anyhow::Error::msg)?;
            store.set_password(user.id, &password::hash(password.clone()).await?).await?;
            println!("密码已更新 (password set): {username}");
            if generated {
                println!("新密码 (password): {password}");
            }
        }
        UserCommand::Grant { username, role, org } => {
            grant(&store, &username, &role, org.as_deref()).await?;
            println!("已授权 (granted): {username} {role} {}", org.unwrap_or_default());
        }
        UserCommand::Token { username, name } => {
            let user = store.user_by_username(&username).await?.with_context(|| format!("用户 {username} 不存在"))?;
            let token = random_token();
            store.create_token(user.id, &name, &token_hash(&token)).await?;
            println!("{token}");
        }
    }
    Ok(())
}
