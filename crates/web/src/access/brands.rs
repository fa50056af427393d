//! Brands and honors: read where the unit is readable, changed by the
//! unit's admins, decided on (初审 / 评审 / 命名, return, confirm, move
//! down) by reviewers of the unit's parent.

use qizhi_core::brand::{Brand, HolderKind, Honor};
use qizhi_core::ids::{BrandId, HonorId};
use qizhi_core::org::Unit;

use super::{Need, guard};
use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, AppResult};

/// A brand with its unit, for `need`.
pub(crate) async fn brand(state: &AppState, caller: &Caller, id: i64, need: Need) -> AppResult<(Brand, Unit)> {
    let brand = state.store.brand(BrandId(id)).await?;
    let unit = state.store.unit(brand.unit_id).await?;
    guard(state, caller, ("brand", id, &unit.path), need).await?;
    Ok((brand, unit))
}

/// An honor with the unit that filed it, for `need`.
pub(crate) async fn honor(state: &AppState, caller: &Caller, id: i64, need: Need) -> AppResult<(Honor, Unit)> {
    let honor = state.store.honor(HonorId(id)).await?;
    let unit = state.store.unit(honor.unit_id).await?;
    guard(state, caller, ("honor", id, &unit.path), need).await?;
    Ok((honor, unit))
}

/// Who holds the honor, by the code typed: a brand code, a unit code (empty:
/// the filing unit) or a person's ID number. Each must be one the caller may read.
pub(crate) async fn honor_holder(
    state: &AppState,
    caller: &Caller,
    unit: &Unit,
    kind: HolderKind,
    code: &str,
) -> AppResult<Option<i64>> {
    let code = code.trim();
    let unknown = |what: &str| invalid("holder_code", format!("找不到{what} “{code}” (no such holder)"));
    Ok(match kind {
        HolderKind::Team => None,
        HolderKind::Unit if code.is_empty() => Some(unit.id.0),
        HolderKind::Unit => {
            let u = state
                .store
                .unit_by_code(code)
                .await?
                .filter(|u| caller.can_read(&u.path))
                .ok_or_else(|| unknown("组织"))?;
            Some(u.id.0)
        }
        HolderKind::Brand => {
            let b = state.store.brand_by_code(code).await?.ok_or_else(|| unknown("品牌"))?;
            let owner = state.store.unit(b.unit_id).await?;
            if !caller.can_read(&owner.path) {
                return Err(unknown("品牌"));
            }
            Some(b.id.0)
        }
        HolderKind::Person => {
            if code.is_empty() {
                return Err(invalid("holder_code", "请填写获奖人员的身份证号 (give the person's ID number)"));
            }
            let found = state.store.people_by_id_number(&[&code.to_uppercase()]).await?;
            let p = found.values().next().ok_or_else(|| unknown("人员"))?;
            let home = state.store.unit(p.unit_id).await?;
            if !caller.can_read(&home.path) {
                return Err(unknown("人员"));
            }
            Some(p.id.0)
        }
    })
}

fn invalid(field: &str, message: impl Into<String>) -> AppError {
    AppError::Invalid(vec![qizhi_core::FieldError::new(field, message)])
}
