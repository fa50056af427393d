//! `qizhi user …`: accounts, passwords, grants and API tokens.

use anyhow::Context;
use clap::Subcommand;
use qizhi_app::password;
use qizhi_app::token::{random_token, token_hash};
use qizhi_core::access::{Role, check_password};
use qizhi_store::Page;
use qizhi_store::Store;

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
    /// Take a role away from an account.
    Ungrant {
        username: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        org: Option<String>,
    },
    /// List accounts with their roles (optionally those matching a text).
    List {
        #[arg(default_value = "")]
        query: String,
    },
    /// Disable an account (its sessions end, its tokens stop working) without deleting it.
    Disable { username: String },
    /// Enable a disabled account.
    Enable { username: String },
    /// List the account's API tokens (never the secrets).
    Tokens { username: String },
    /// Revoke one of the account's API tokens by its number (see `tokens`).
    Revoke { username: String, token: i64 },
    /// Print a new API bearer token for the account (shown once).
    Token {
        username: String,
        /// What the token is for.
        #[arg(long, default_value = "cli")]
        name: String,
    },
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

async fn find(store: &Store, username: &str) -> anyhow::Result<qizhi_store::users::User> {
    store.user_by_username(username).await?.with_context(|| format!("用户 {username} 不存在 (no such user)"))
}

/// Whether a grant is over the unit with `code`.
fn unit_code_matches(g: &qizhi_store::users::Grant, code: &str) -> bool {
    g.unit_code.as_deref() == Some(code)
}

pub async fn run(store: Store, cmd: UserCommand) -> anyhow::Result<()> {
    match cmd {
        UserCommand::Add { username, name, password, role, org } => {
            let (password, generated) = match password {
                Some(p) => (p, false),
                None => (password::generate(), true),
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
                None => (password::generate(), true),
            };
            check_password(&password).map_err(anyhow::Error::msg)?;
            // A generated password is temporary: it must be changed at the next sign-in.
            store.set_password(user.id, &password::hash(password.clone()).await?, generated, None).await?;
            println!("密码已更新 (password set): {username}");
            if generated {
                println!("新密码 (password): {password}");
            }
        }
        UserCommand::Grant { username, role, org } => {
            grant(&store, &username, &role, org.as_deref()).await?;
            println!("已授权 (granted): {username} {role} {}", org.unwrap_or_default());
        }
        UserCommand::Ungrant { username, role, org } => {
            let user = find(&store, &username).await?;
            let role = Role::parse(&role).map_err(anyhow::Error::msg)?;
            let grant = store
                .grants(user.id)
                .await?
                .into_iter()
                .find(|g| {
                    g.role == role && org.as_deref().is_none_or(|c| g.unit_path.is_some() && unit_code_matches(g, c))
                })
                .with_context(|| format!("{username} 没有该授权 (no such grant)"))?;
            store.remove_grant(user.id, grant.id).await?;
            println!("已撤销授权 (revoked): {username} {}", role.code());
        }
        UserCommand::List { query } => {
            let Page { total, items: users } = store.users_page(&qizhi_store::Scope::All, &query, 1, 500).await?;
            for u in &users {
                let grants: Vec<String> = u
                    .grants
                    .iter()
                    .map(|g| format!("{}@{}", g.role.code(), g.unit_name.as_deref().unwrap_or("*")))
                    .collect();
                let state = if u.user.disabled { " [停用 disabled]" } else { "" };
                println!("{:<16} {:<12} {}{state}", u.user.username, u.user.display_name, grants.join(", "));
            }
            if total > users.len() as i64 {
                println!("… 共 {total} 个账号，仅显示前 {} 个 (showing {} of {total})", users.len(), users.len());
            }
        }
        UserCommand::Disable { username } => {
            store.set_disabled(find(&store, &username).await?.id, true).await?;
            println!("已停用 (disabled): {username}");
        }
        UserCommand::Enable { username } => {
            store.set_disabled(find(&store, &username).await?.id, false).await?;
            println!("已启用 (enabled): {username}");
        }
        UserCommand::Tokens { username } => {
            for t in store.tokens_of(find(&store, &username).await?.id).await? {
                let state = if t.revoked_at.is_some() { "已吊销 revoked" } else { "有效 live" };
                println!("{:>6}  {:<24} {state}", t.id, t.name);
            }
        }
        UserCommand::Revoke { username, token } => {
            store.revoke_token(find(&store, &username).await?.id, token).await?;
            println!("已吊销令牌 (token revoked): {username} #{token}");
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
