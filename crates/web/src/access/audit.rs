//! The audit trail: who reads it (system admins, unit admins and viewers,
//! each for their scope), and what of a record they see (personal fields
//! masked unless they may see them at the record's unit).

use qizhi_store::audit::{AuditQuery, AuditRecord};
use serde::Deserialize;

use crate::AppState;
use crate::auth::Caller;
use crate::error::AppError;

#[derive(Deserialize, Default, Clone)]
pub struct Filters {
    #[serde(default)]
    pub q: String,
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub object_kind: String,
    /// YYYY-MM-DD, China Standard Time.
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    pub page: Option<i64>,
}

/// The fields of a record that are personal data.
const PERSONAL: [&str; 3] = ["phone", "id_number", "birth_date"];

/// A record as `caller` may read it: the personal fields inside its before
/// and after are masked unless the caller may see personal data of its unit
/// (viewers read the trail, not members' phone numbers).
pub(crate) fn visible(caller: &Caller, mut r: AuditRecord) -> AuditRecord {
    if r.unit_path.as_deref().is_some_and(|p| caller.can_see_personal(p)) {
        return r;
    }
    for side in [&mut r.before, &mut r.after] {
        if let Some(text) = side.as_deref()
            && let Ok(mut v) = serde_json::from_str::<serde_json::Value>(text)
        {
            mask(&mut v);
            *side = Some(v.to_string());
        }
    }
    r
}

fn mask(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(map) => {
            for (k, field) in map.iter_mut() {
                if PERSONAL.contains(&k.as_str()) && !field.is_null() {
                    *field = serde_json::Value::String("***".into());
                } else {
                    mask(field);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(mask),
        _ => {}
    }
}

/// Refuses callers without a role that reads the audit trail.
pub(crate) async fn require_reader(state: &AppState, caller: &Caller) -> Result<(), AppError> {
    if caller.grants.iter().any(|g| g.role.may_read_audit()) || caller.is_system_admin() {
        Ok(())
    } else {
        Err(caller.deny(state, "audit", "list", None, AppError::forbidden()).await)
    }
}

/// Midnight (UTC+8) of an ISO date, in epoch ms; `end` gives the last ms of that day.
fn day_ms(date: &str, end: bool) -> Result<Option<i64>, AppError> {
    if date.trim().is_empty() {
        return Ok(None);
    }
    let d = qizhi_core::date::parse(date.trim())
        .map_err(|e| AppError::BadRequest(format!("日期格式应为 YYYY-MM-DD (date): {e}")))?;
    let start = d.midnight().assume_offset(qizhi_core::date::CHINA);
    let ms = (start.unix_timestamp_nanos() / 1_000_000) as i64;
    Ok(Some(if end { ms + 86_400_000 - 1 } else { ms }))
}

pub(crate) fn query(f: &Filters, page: i64, per_page: i64) -> Result<AuditQuery, AppError> {
    let some = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_string());
    Ok(AuditQuery {
        q: f.q.clone(),
        action: some(&f.action),
        object_kind: some(&f.object_kind),
        from: day_ms(&f.from, false)?,
        to: day_ms(&f.to, true)?,
        page,
        per_page,
    })
}
