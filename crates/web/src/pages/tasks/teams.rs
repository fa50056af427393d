//! Pages of teams (突击队、先锋队、服务队、志愿服务队、专家团、青年团): the
//! list of a unit's subtree, one team with its members and the tasks it took
//! on, founding one, editing it, setting its members.

use axum::extract::{Path, Query, State};
use axum::response::{Html, Response};
use qizhi_core::date::today;
use qizhi_core::ids::PersonId;
use qizhi_core::teams::{Team, TeamInput, TeamKind};
use qizhi_store::Page;
use qizhi_store::Scope;
use qizhi_store::tasks::TaskQuery;
use qizhi_store::teams::{TeamListed, TeamQuery};
use serde::Deserialize;

use super::{PER_PAGE, people_choices, task_row, unit_of};
use crate::AppState;
use crate::access::{self, Need};
use crate::auth::{Caller, PageCaller};
use crate::error::{AppError, PageResult};
use crate::kit::again;
use crate::kit::filter::Filters;
use crate::kit::flash;
use crate::kit::form::Fields;
use crate::kit::period::Period;
use crate::pages::{chrome, render};
use crate::views::UnitRef;
use crate::views::tasks::{
    MemberRow, TeamForm, TeamFormPage, TeamListPage, TeamPage, TeamRow, team_kind_choices, tiles_of,
};

fn row(t: &TeamListed) -> TeamRow {
    let f = &t.team.fields;
    TeamRow {
        id: t.team.id.0,
        code: f.code.clone(),
        name: f.name.clone(),
        kind: f.kind,
        unit_name: t.unit_name.clone(),
        founded: f.founded_on.map(qizhi_core::date::iso).unwrap_or_default(),
        disbanded: f.disbanded_on.map(qizhi_core::date::iso).unwrap_or_default(),
        leader: t.leader_name.clone().unwrap_or_default(),
        party: t.party_members,
        league: t.league_members,
        other: t.other_members,
        tasks: t.tasks,
        tasks_done: t.tasks_done,
    }
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    unit: Option<i64>,
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    active: String,
    page: Option<i64>,
}

/// `GET /teams?unit=&q=&kind=&active=1&page=`
///
/// Anyone who may read the unit (admins, reviewers, viewers in scope). Out of
/// scope, and members without a read grant: 404.
pub async fn list(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(lq): Query<ListQuery>,
    period: Period,
) -> PageResult<Html<String>> {
    let unit = unit_of(&state, &caller, lq.unit).await?;
    let mut filters = Filters::default();
    let kind = filters.take(("队伍类型", "Kind"), &lq.kind, TeamKind::parse);
    let query = TeamQuery {
        id: None,
        q: lq.q.clone(),
        kind,
        active: !lq.active.is_empty(),
        page: lq.page.unwrap_or(1).max(1),
        per_page: PER_PAGE,
    };
    let Page { total, items } = state.store.teams(&unit, &caller.scope, &query).await?;
    let figures = state.store.figures(unit.id, period.span).await?;
    render(&TeamListPage {
        chrome: chrome(&caller, "teams", &format!("/teams?unit={}", unit.id)),
        unit: UnitRef::from(&unit),
        unit_nav: super::unit_nav(&state, &caller, &unit, "/teams").await?,
        q: lq.q,
        kind: kind.map(|k| k.code().to_string()).unwrap_or_default(),
        active: query.active,
        kinds: team_kind_choices(),
        rows: items.iter().map(row).collect(),
        page: query.page,
        pages: qizhi_store::page::pages(total, PER_PAGE),
        total,
        can_edit: caller.can_edit(&unit.path),
        period: period.view(caller.lang, &format!("/teams?unit={}", unit.id)),
        filter_problems: filters.problems(),
        tiles: tiles_of(&figures, &["teams."]),
    })
}

fn read_form(form: &Fields) -> Result<(TeamForm, TeamInput), AppError> {
    let values = TeamForm {
        code: form.text("code"),
        name: form.text("name"),
        kind: form.text("kind"),
        founded_on: form.text("founded_on"),
        disbanded_on: form.text("disbanded_on"),
        leader: form.text("leader"),
        description: form.text("description"),
        members: form.chosen("members"),
    };
    let input = TeamInput {
        code: values.code.clone(),
        name: values.name.clone(),
        kind: values.kind.clone(),
        founded_on: form.opt("founded_on"),
        disbanded_on: form.opt("disbanded_on"),
        leader_id: form.id("leader")?,
        description: form.opt("description"),
    };
    Ok((values, input))
}

async fn team_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    form: Option<TeamForm>,
    errors: Vec<String>,
) -> Result<TeamPage, AppError> {
    let (t, unit) = access::team(state, caller, id, Need::Read).await?;
    let q = TeamQuery { id: Some(t.id), page: 1, per_page: 1, ..Default::default() };
    let Page { items: listed, .. } = state.store.teams(&unit, &Scope::All, &q).await?;
    let listed = listed.into_iter().next().ok_or_else(AppError::not_found)?;
    let members = state.store.team_members(t.id).await?;
    let mut tq = TaskQuery::new(today());
    tq.team = Some(t.id);
    tq.per_page = 200;
    let root = state.store.lineage_units(&unit).await?.into_iter().next().unwrap_or_else(|| unit.clone());
    let Page { items: tasks, .. } = state.store.tasks(&root, &caller.scope, &tq).await?;
    let keep: Vec<PersonId> = members.iter().map(|(p, _)| p.id).chain(t.fields.leader_id).collect();
    let f = &t.fields;
    let form = form.unwrap_or_else(|| TeamForm {
        code: f.code.clone(),
        name: f.name.clone(),
        kind: f.kind.code().into(),
        founded_on: f.founded_on.map(qizhi_core::date::iso).unwrap_or_default(),
        disbanded_on: f.disbanded_on.map(qizhi_core::date::iso).unwrap_or_default(),
        leader: f.leader_id.map(|p| p.0.to_string()).unwrap_or_default(),
        description: f.description.clone().unwrap_or_default(),
        members: members.iter().map(|(p, _)| p.id.0.to_string()).collect(),
    });
    Ok(TeamPage {
        chrome: chrome(caller, "teams", &format!("/teams/{id}")),
        team: row(&listed),
        unit: UnitRef::from(&unit),
        description: f.description.clone().unwrap_or_default(),
        members: members
            .iter()
            .map(|(p, unit_name)| MemberRow {
                name: p.fields.name.clone(),
                category_code: p.fields.category.code(),
                category_zh: p.fields.category.zh(),
                category_en: p.fields.category.en(),
                unit_name: unit_name.clone(),
            })
            .collect(),
        tasks: tasks.iter().map(task_row).collect(),
        can_edit: caller.can_edit(&unit.path),
        form,
        kinds: team_kind_choices(),
        people: people_choices(state, &unit, &keep).await?,
        errors,
    })
}

/// `GET /teams/{id}`
///
/// Anyone who may read its unit (admins, reviewers, viewers in scope).
/// Anyone else: 404.
pub async fn show(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    Query(sq): Query<flash::FlashQuery>,
) -> PageResult<Html<String>> {
    let mut page = team_page(&state, &caller, id, None, vec![]).await?;
    page.chrome.flash = flash::message(caller.lang, sq.flash.as_deref());
    render(&page)
}

/// `GET /teams/new?unit=`
///
/// Unit admins of the unit (and system admins). Viewers and reviewers in
/// scope: 403. Out of scope, and members (no read grant): 404.
pub async fn new_form(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Query(nq): Query<super::UnitQuery>,
) -> PageResult<Html<String>> {
    let unit = unit_of(&state, &caller, nq.unit).await?;
    let unit = access::unit(&state, &caller, unit.id.0, Need::Edit).await?;
    let form = TeamForm {
        kind: TeamKind::Commando.code().into(),
        founded_on: qizhi_core::date::iso(today()),
        ..Default::default()
    };
    render(&TeamFormPage {
        chrome: chrome(&caller, "teams", "/teams/new"),
        unit: UnitRef::from(&unit),
        form,
        kinds: team_kind_choices(),
        people: people_choices(&state, &unit, &[]).await?,
        errors: vec![],
    })
}

/// `POST /teams` (form: `csrf`, `unit`, the team's fields, `members`…)
///
/// Unit admins of `unit` (and system admins). Viewers and reviewers in
/// scope: 403. Out of scope, and members (no read grant): 404. Invalid: the form again, 422.
pub async fn create(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    form: Fields,
) -> PageResult<Response> {
    let unit = access::unit(&state, &caller, form.id("unit")?.ok_or_else(AppError::not_found)?, Need::Edit).await?;
    let (values, input) = read_form(&form)?;
    let members: Vec<PersonId> = form.ids("members")?.into_iter().map(PersonId).collect();
    let done =
        async { Ok::<_, AppError>(caller.store(&state).create_team(unit.id, &input.validate()?, &members).await?) };
    let saved = |t: Team| flash::redirect(&format!("/teams/{}", t.id), "tasks.saved");
    again::settle(done.await, saved, |errors| async {
        Ok(TeamFormPage {
            chrome: chrome(&caller, "teams", "/teams/new"),
            unit: UnitRef::from(&unit),
            form: values,
            kinds: team_kind_choices(),
            people: people_choices(&state, &unit, &members).await?,
            errors,
        })
    })
    .await
}

/// `POST /teams/{id}` (form: `csrf`, the team's fields)
///
/// Unit admins of its unit (and system admins). Viewers and reviewers in
/// scope: 403. Anyone else (members included): 404. Invalid: the page again, 422.
pub async fn update(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    form: Fields,
) -> PageResult<Response> {
    let (t, _) = access::team(&state, &caller, id, Need::Edit).await?;
    let (values, input) = read_form(&form)?;
    let done = async { Ok::<_, AppError>(caller.store(&state).update_team(t.id, &input.validate()?).await?) };
    again::settle(done.await, |_| saved(id), |errors| team_page(&state, &caller, id, Some(values), errors)).await
}

/// `POST /teams/{id}/members` (form: `csrf`, `members`…)
///
/// Unit admins of its unit (and system admins). Viewers and reviewers in
/// scope: 403. Anyone else (members included): 404. A person off the unit's line: the page
/// again, 422.
pub async fn members(
    State(state): State<AppState>,
    PageCaller(caller): PageCaller,
    Path(id): Path<i64>,
    form: Fields,
) -> PageResult<Response> {
    let (t, _) = access::team(&state, &caller, id, Need::Edit).await?;
    let members: Vec<PersonId> = form.ids("members")?.into_iter().map(PersonId).collect();
    let done = caller.store(&state).set_team_members(t.id, &members).await.map_err(AppError::from);
    again::settle(done, |_| saved(id), |errors| team_page(&state, &caller, id, None, errors)).await
}

/// Back to the team after a form it accepted.
fn saved(id: i64) -> Response {
    flash::redirect(&format!("/teams/{id}"), "tasks.saved")
}
