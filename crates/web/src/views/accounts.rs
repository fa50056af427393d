//! Views of accounts: one's own account, the accounts an admin manages, and
//! the audit trail.

use askama::Template;
use qizhi_core::access::Role;
use qizhi_store::audit::AuditRecord;
use qizhi_store::users::{Grant, TokenInfo, User};

use super::{Chrome, Layout, Pager, encode, pager};

/// A time in the organization's own zone (China Standard Time, UTC+8), to the minute.
pub fn datetime(ms: i64) -> String {
    let offset = time::UtcOffset::from_hms(8, 0, 0).expect("a valid offset");
    match time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000)) {
        Ok(t) => {
            let t = t.to_offset(offset);
            format!("{:04}-{:02}-{:02} {:02}:{:02}", t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute())
        }
        Err(_) => String::new(),
    }
}

/// A grant as shown: role labels and where it applies.
#[derive(Debug, Clone)]
pub struct GrantView {
    pub id: i64,
    pub role_code: &'static str,
    pub role_zh: &'static str,
    pub role_en: &'static str,
    pub unit_id: Option<i64>,
    /// Empty for a system admin's grant (everywhere).
    pub unit_name: String,
}

impl From<&Grant> for GrantView {
    fn from(g: &Grant) -> Self {
        GrantView {
            id: g.id,
            role_code: g.role.code(),
            role_zh: g.role.zh(),
            role_en: role_en(g.role),
            unit_id: g.unit_id.map(|u| u.0),
            unit_name: g.unit_name.clone().unwrap_or_default(),
        }
    }
}

pub fn role_en(role: Role) -> &'static str {
    match role {
        Role::SystemAdmin => "System admin",
        Role::UnitAdmin => "Unit admin",
        Role::Reviewer => "Reviewer",
        Role::Member => "Member",
        Role::Viewer => "Viewer (leadership / inspection)",
    }
}

/// (code, zh, en) of every role, for forms.
pub fn roles() -> Vec<(&'static str, &'static str, &'static str)> {
    Role::ALL.iter().map(|r| (r.code(), r.zh(), role_en(*r))).collect()
}

#[derive(Debug, Clone)]
pub struct TokenView {
    pub id: i64,
    pub name: String,
    pub created: String,
    pub last_used: String,
    pub revoked: String,
}

impl From<&TokenInfo> for TokenView {
    fn from(t: &TokenInfo) -> Self {
        TokenView {
            id: t.id,
            name: t.name.clone(),
            created: datetime(t.created_at),
            last_used: t.last_used.map(datetime).unwrap_or_default(),
            revoked: t.revoked_at.map(datetime).unwrap_or_default(),
        }
    }
}

/// `GET /account`: the signed-in user's own account.
#[derive(Template)]
#[template(path = "accounts/account.html")]
pub struct AccountPage {
    pub chrome: Chrome,
    pub username: String,
    pub display_name: String,
    pub grants: Vec<GrantView>,
    pub tokens: Vec<TokenView>,
    pub password_changed: String,
    /// The administrator set the password: it must be changed now.
    pub must_change: bool,
    /// A token just created, shown this once.
    pub new_token: Option<String>,
    pub error: Option<String>,
}

/// An account in a list.
#[derive(Debug, Clone)]
pub struct AccountRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub disabled: bool,
    pub grants: Vec<GrantView>,
}

impl AccountRow {
    pub fn new(user: &User, grants: &[Grant]) -> Self {
        AccountRow {
            id: user.id.0,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            disabled: user.disabled,
            grants: grants.iter().map(GrantView::from).collect(),
        }
    }
}

/// `GET /accounts?q=&page=`: the accounts of the admin's scope.
#[derive(Template)]
#[template(path = "accounts/list.html")]
pub struct AccountsPage {
    pub chrome: Chrome,
    pub q: String,
    pub rows: Vec<AccountRow>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
}

impl AccountsPage {
    pub fn page_href(&self, page: i64) -> String {
        format!("/accounts?q={}&page={page}", encode(&self.q))
    }

    pub fn pager(&self) -> Pager {
        pager(self.page, self.pages, |p| self.page_href(p))
    }
}

/// `GET /accounts/new` and a refused `POST /accounts`: the new-account form.
#[derive(Template)]
#[template(path = "accounts/new.html")]
pub struct AccountNewPage {
    pub chrome: Chrome,
    pub roles: Vec<(&'static str, &'static str, &'static str)>,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub unit_code: String,
    pub id_number: String,
    pub errors: Vec<String>,
}

impl AccountNewPage {
    pub fn is_role(&self, code: &str) -> bool {
        self.role == code
    }
}

/// `GET /accounts/{id}`: one account, for an admin who may manage it.
#[derive(Template)]
#[template(path = "accounts/detail.html")]
pub struct AccountDetailPage {
    pub chrome: Chrome,
    pub account: AccountRow,
    pub person: Option<String>,
    pub tokens: Vec<TokenView>,
    pub roles: Vec<(&'static str, &'static str, &'static str)>,
    pub password_changed: String,
    pub must_change: bool,
    /// A password just generated by a reset, shown this once.
    pub new_password: Option<String>,
    pub error: Option<String>,
    /// Whether the viewer is this account (then disabling it is not offered).
    pub is_self: bool,
}

impl AccountDetailPage {
    /// Where the token table's revoke buttons post.
    pub fn revoke_base(&self) -> String {
        format!("/accounts/{}/tokens", self.account.id)
    }
}

/// An audit entry as listed.
#[derive(Debug, Clone)]
pub struct AuditRow {
    pub id: i64,
    pub at: String,
    pub username: String,
    pub ip: String,
    pub action: String,
    /// The action's labels (the code itself when it is not one of [`AUDIT_ACTIONS`]).
    pub action_zh: String,
    pub action_en: String,
    pub object_kind: String,
    pub object_id: String,
    pub summary: String,
    pub before: String,
    pub after: String,
}

impl From<&AuditRecord> for AuditRow {
    fn from(r: &AuditRecord) -> Self {
        AuditRow {
            id: r.id,
            at: datetime(r.at),
            username: r.username.clone(),
            ip: r.ip.clone().unwrap_or_default(),
            action: r.action.clone(),
            action_zh: AUDIT_ACTIONS.iter().find(|a| a.0 == r.action).map_or(r.action.clone(), |a| a.1.to_string()),
            action_en: AUDIT_ACTIONS.iter().find(|a| a.0 == r.action).map_or(r.action.clone(), |a| a.2.to_string()),
            object_kind: r.object_kind.clone(),
            object_id: r.object_id.clone().unwrap_or_default(),
            summary: r.summary.clone(),
            before: r.before.clone().unwrap_or_default(),
            after: r.after.clone().unwrap_or_default(),
        }
    }
}

impl AuditRow {
    pub fn has_change(&self) -> bool {
        !self.before.is_empty() || !self.after.is_empty()
    }

    pub fn is_denied(&self) -> bool {
        self.action == "denied"
    }
}

/// `GET /audit`: the audit trail of the caller's scope, filtered and paged.
#[derive(Template)]
#[template(path = "accounts/audit.html")]
pub struct AuditPage {
    pub chrome: Chrome,
    pub q: String,
    pub action: String,
    pub object_kind: String,
    /// ISO dates (YYYY-MM-DD) or empty.
    pub from: String,
    pub to: String,
    pub rows: Vec<AuditRow>,
    pub page: i64,
    pub pages: i64,
    pub total: i64,
    /// (code, zh, en) of the actions offered in the filter.
    pub actions: Vec<(&'static str, &'static str, &'static str)>,
}

impl AuditPage {
    /// The query string of the current filters (without page).
    pub fn filters(&self) -> String {
        format!(
            "q={}&action={}&object_kind={}&from={}&to={}",
            encode(&self.q),
            encode(&self.action),
            encode(&self.object_kind),
            encode(&self.from),
            encode(&self.to)
        )
    }

    pub fn page_href(&self, page: i64) -> String {
        format!("/audit?{}&page={page}", self.filters())
    }

    pub fn pager(&self) -> Pager {
        pager(self.page, self.pages, |p| self.page_href(p))
    }

    pub fn is_action(&self, code: &str) -> bool {
        self.action == code
    }
}

/// The actions the audit filter offers: (code, zh, en).
pub const AUDIT_ACTIONS: &[(&str, &str, &str)] = &[
    ("create", "新增", "Created"),
    ("update", "修改", "Updated"),
    ("delete", "删除", "Deleted"),
    ("move", "移动", "Moved"),
    ("save", "保存（导入）", "Saved (import)"),
    ("denied", "拒绝访问", "Access denied"),
    ("login", "登录", "Signed in"),
    ("login_failed", "登录失败", "Sign-in failed"),
    ("grant", "授权", "Role granted"),
    ("revoke_grant", "撤销授权", "Role revoked"),
    ("set_password", "修改密码", "Password changed"),
    ("reset_password", "重置密码", "Password reset"),
    ("disable", "停用账号", "Account disabled"),
    ("enable", "启用账号", "Account enabled"),
    ("create_token", "创建令牌", "Token created"),
    ("revoke_token", "吊销令牌", "Token revoked"),
    ("logout_all", "结束全部会话", "Signed out everywhere"),
];

/// The words of the account, accounts and audit pages: (key, zh, en).
#[rustfmt::skip]
pub const TEXT: &[(&str, &str, &str)] = &[
    ("nav.account", "我的账号", "My account"),
    ("common.cancel", "取消", "Cancel"),
    // one's own account
    ("account.title", "我的账号", "My account"),
    ("account.roles", "我的角色", "My roles"),
    ("account.roles_hint", "角色由上级党务管理员授予；每个角色只在所属组织及其下级范围内有效。", "Roles are granted by an administrator above you; each applies to its unit and everything under it."),
    ("account.password", "修改密码", "Change password"),
    ("account.changed_at", "密码修改于", "Password changed"),
    ("account.current", "当前密码", "Current password"),
    ("account.new", "新密码", "New password"),
    ("account.confirm", "再次输入新密码", "New password again"),
    ("account.rules", "至少 10 位，须同时包含字母和数字。", "At least 10 characters, with letters and digits."),
    ("account.change", "修改密码", "Change password"),
    ("account.wrong_current", "当前密码不正确", "The current password is not correct"),
    ("account.mismatch", "两次输入的新密码不一致", "The two new passwords differ"),
    ("account.same_password", "新密码不能与当前密码相同", "The new password must differ from the current one"),
    ("account.must_change", "管理员为您设置了临时密码，请先修改密码再继续使用。", "An administrator set a temporary password: change it before you go on."),
    ("account.tokens", "API 令牌", "API tokens"),
    ("account.token_name", "令牌用途", "What the token is for"),
    ("account.token_new", "创建令牌", "Create token"),
    ("account.token_name_required", "请填写令牌用途（不超过 60 字）", "Say what the token is for (at most 60 characters)"),
    ("account.token_created", "已创建 API 令牌：", "API token created:"),
    ("account.token_once", "令牌只显示这一次，请立即复制保存；调用接口时放在请求头 Authorization: Bearer 之后。", "The token is shown only this once: copy it now. Send it as Authorization: Bearer <token>."),
    ("account.token_created_at", "创建时间", "Created"),
    ("account.token_last_used", "最近使用", "Last used"),
    ("account.token_status", "状态", "State"),
    ("account.token_live", "有效", "Live"),
    ("account.token_revoked", "已吊销", "Revoked"),
    ("account.token_revoke", "吊销", "Revoke"),
    ("account.no_tokens", "还没有 API 令牌", "No API tokens yet"),
    ("account.sessions", "登录会话", "Sessions"),
    ("account.sessions_hint", "在所有设备上退出登录（包括当前设备）。怀疑账号被他人使用时请立即操作并修改密码。", "Sign out on every device, this one included. Do this, and change your password, if you suspect someone else used your account."),
    ("account.logout_all", "退出所有设备", "Sign out everywhere"),
    // accounts an admin manages
    ("accounts.title", "账号权限", "Accounts"),
    ("accounts.sub", "您管理范围内的账号及其角色", "Accounts and their roles within your scope"),
    ("accounts.search", "用户名或姓名", "Username or name"),
    ("accounts.empty", "没有符合条件的账号", "No matching accounts"),
    ("accounts.username", "用户名", "Username"),
    ("accounts.display_name", "姓名", "Name"),
    ("accounts.roles", "角色与范围", "Roles and scope"),
    ("accounts.state", "状态", "State"),
    ("accounts.enabled", "正常", "Active"),
    ("accounts.disabled", "已停用", "Disabled"),
    ("accounts.no_grants", "未授予角色", "No roles"),
    ("accounts.everywhere", "全部组织", "Everywhere"),
    ("accounts.new", "新建账号", "New account"),
    ("accounts.new_sub", "系统生成初始密码，只显示一次；首次登录须修改。", "A first password is generated and shown once; it must be changed at the first sign-in."),
    ("accounts.not_created", "账号未创建：", "The account was not created:"),
    ("accounts.username_hint", "字母、数字或 . _ -，不超过 40 位", "Letters, digits or . _ -, at most 40"),
    ("accounts.role", "角色", "Role"),
    ("accounts.unit_code", "组织编码", "Unit code"),
    ("accounts.unit_hint", "角色生效的组织（含其全部下级）；系统管理员留空", "The unit whose subtree the role covers; empty for a system admin"),
    ("accounts.person", "对应人员（身份证号）", "Person (ID number)"),
    ("accounts.person_hint", "党员账号填写本人身份证号，以便本人维护承诺、志愿时长等", "For a member's account, their ID number, so they keep their own commitments and hours"),
    ("accounts.create", "创建账号", "Create account"),
    ("accounts.bad_username", "用户名只能由字母、数字或 . _ - 组成，且不超过 40 位", "A username is letters, digits or . _ -, at most 40"),
    ("accounts.name_required", "请填写姓名", "The name is required"),
    ("accounts.no_such_unit", "组织编码不存在或不在您的范围内", "No such unit in your scope"),
    ("accounts.no_such_person", "该身份证号对应的人员不存在或不在您的管理范围内", "No person with that ID number in your scope"),
    ("accounts.cannot_grant", "您不能在该范围授予该角色", "You cannot grant that role there"),
    ("accounts.unit_required", "该角色需要指定组织", "This role needs a unit"),
    ("accounts.facts", "账号信息", "Account"),
    ("accounts.must_change", "待修改临时密码", "Temporary password"),
    ("accounts.grant", "授予", "Grant"),
    ("accounts.revoke", "撤销", "Revoke"),
    ("accounts.enable", "启用账号", "Enable"),
    ("accounts.disable", "停用账号", "Disable"),
    ("accounts.not_self", "不能停用自己的账号", "You cannot disable your own account"),
    ("accounts.reset", "重置密码", "Reset password"),
    ("accounts.logout_all", "强制退出", "Sign out everywhere"),
    ("accounts.password_set", "已设置临时密码：", "Temporary password set:"),
    ("accounts.password_once", "密码只显示这一次，请当面或通过安全渠道告知本人；本人首次登录须修改。", "Shown only this once: give it to the person safely; they must change it at their next sign-in."),
    // the audit trail
    ("audit.title", "审计日志", "Audit trail"),
    ("audit.sub", "您范围内的每一次修改和被拒绝的访问，只增不改", "Every change and denied access in your scope; appended, never changed"),
    ("audit.search", "用户、摘要或对象编号", "User, summary or object id"),
    ("audit.action", "操作", "Action"),
    ("audit.all_actions", "全部操作", "All actions"),
    ("audit.kind", "对象类型", "Object kind"),
    ("audit.from", "从", "From"),
    ("audit.to", "至", "To"),
    ("audit.export_xlsx", "导出 Excel", "Export Excel"),
    ("audit.export_csv", "导出 CSV", "Export CSV"),
    ("audit.empty", "没有符合条件的记录", "No matching entries"),
    ("audit.at", "时间", "Time"),
    ("audit.who", "用户", "User"),
    ("audit.what", "内容", "What"),
    ("audit.change", "修改前后", "Before and after"),
    ("audit.before", "修改前", "Before"),
    ("audit.after", "修改后", "After"),
    // one-time messages after a change (`?flash=…`)
    ("flash.password_changed", "密码已修改，其他设备上的登录已退出。", "Password changed; other sessions were signed out."),
    ("flash.token_revoked", "令牌已吊销。", "Token revoked."),
    ("flash.grant_added", "已授予角色。", "Role granted."),
    ("flash.grant_removed", "已撤销角色。", "Role revoked."),
    ("flash.disabled", "账号已停用，其登录已全部退出。", "Account disabled and signed out."),
    ("flash.enabled", "账号已启用。", "Account enabled."),
    ("flash.signed_out", "已强制退出该账号的全部登录。", "The account was signed out everywhere."),
];
