//! The permission matrix of the stars routes. See `main.rs` for the columns,
//! targets and outcomes.
//!
//! Every object of a row is made afresh through the store for each request,
//! at the stage its action needs: a scheme issued by the target's branch
//! (FJ01-001 `in`, NM-001 `out`) and a one-level campaign of it over that
//! branch, whose entry is declared (self stage), submitted (review),
//! reviewed (publicity) or awarded (award). The matrix accounts are granted
//! over FJ01, so `m_admin` runs these campaigns and scores the branch itself,
//! and `m_reviewer` reviews it at its parent. Members read nothing of the
//! evaluation of their branch (`may_read_scope`), so every object is a 404
//! to them; viewers read and change nothing.

use qizhi_core::ids::UnitId;
use qizhi_core::stars::campaign::{CampaignFields, Declaration, Stage, StageDates};
use qizhi_core::stars::points::Points;
use qizhi_core::stars::scheme::{Dimension, Indicator, SchemeBody, SchemeFields, Veto, default_rules};
use qizhi_store::Page;
use qizhi_store::Scope;
use qizhi_store::stars::{EntryFilter, Review, SelfScore};
use serde_json::json;

use crate::common::*;
use crate::{Row, seq, unit_of};

#[rustfmt::skip]
pub const MATRIX: &str = "
# method path                                   target  admin  unit_admin reviewer member viewer anonymous  csrf
# -- the distribution of a unit and the branches behind its figures
GET    /stars                                    in     ok     ok     ok     404    ok     login -
GET    /stars                                    out    ok     404    404    404    404    login -
GET    /stars/branches                           in     ok     ok     ok     404    ok     login -
GET    /stars/branches                           out    ok     404    404    404    404    login -
# -- the reviewer's queue (any signed-in user; empty for those who review nothing) and bulk review
GET    /stars/queue                              -      ok     ok     ok     ok     ok     login -
GET    /stars/queue                              in     ok     ok     ok     404    ok     login -
GET    /stars/queue                              out    ok     404    404    404    404    login -
POST   /stars/queue                              in     ok     403    ok     404    403    login 403
POST   /stars/queue                              out    ok     404    404    404    404    login 403
# -- schemes: read in scope or above it, issued and edited by the issuer's admins
GET    /stars/schemes                            -      ok     ok     ok     ok     ok     login -
GET    /stars/schemes/new                        in     ok     ok     403    404    403    login -
GET    /stars/schemes/new                        out    ok     404    404    404    404    login -
POST   /stars/schemes                            in     ok     ok     403    404    403    login 403
POST   /stars/schemes                            out    ok     404    404    404    404    login 403
GET    /stars/schemes/{id}                       in     ok     ok     ok     404    ok     login -
GET    /stars/schemes/{id}                       out    ok     404    404    404    404    login -
POST   /stars/schemes/{id}                       in     ok     ok     403    404    403    login 403
POST   /stars/schemes/{id}                       out    ok     404    404    404    404    login 403
POST   /stars/schemes/{id}/copy                  in     ok     ok     403    404    403    login 403
POST   /stars/schemes/{id}/copy                  out    ok     404    404    404    404    login 403
# -- campaigns: run by the admins of their unit
POST   /stars/campaigns                          in     ok     ok     403    404    403    login 403
POST   /stars/campaigns                          out    ok     404    404    404    404    login 403
GET    /stars/campaigns/{id}                     in     ok     ok     ok     404    ok     login -
GET    /stars/campaigns/{id}                     out    ok     404    404    404    404    login -
POST   /stars/campaigns/{id}                     in     ok     ok     403    404    403    login 403
POST   /stars/campaigns/{id}                     out    ok     404    404    404    404    login 403
POST   /stars/campaigns/{id}/stage               in     ok     ok     403    404    403    login 403
POST   /stars/campaigns/{id}/stage               out    ok     404    404    404    404    login 403
GET    /stars/campaigns/{id}/sheets/{file}       in     ok     ok     ok     404    ok     login -
GET    /stars/campaigns/{id}/sheets/{file}       out    ok     404    404    404    404    login -
# (a sheet of self scores: the branch's admins)
POST   /stars/campaigns/{id}/scores              in     ok     ok     403    404    403    login 403
POST   /stars/campaigns/{id}/scores              out    ok     404    404    404    404    login 403
# -- a branch's entry: its admins declare and assess, its parent's reviewers review, return and withdraw
GET    /stars/entries/{id}                       in     ok     ok     ok     404    ok     login -
GET    /stars/entries/{id}                       out    ok     404    404    404    404    login -
POST   /stars/entries/{id}/declare               in     ok     ok     403    404    403    login 403
POST   /stars/entries/{id}/declare               out    ok     404    404    404    404    login 403
POST   /stars/entries/{id}/self                  in     ok     ok     403    404    403    login 403
POST   /stars/entries/{id}/self                  out    ok     404    404    404    404    login 403
POST   /stars/entries/{id}/review                in     ok     403    ok     404    403    login 403
POST   /stars/entries/{id}/review                out    ok     404    404    404    404    login 403
POST   /stars/entries/{id}/return                in     ok     403    ok     404    403    login 403
POST   /stars/entries/{id}/return                out    ok     404    404    404    404    login 403
POST   /stars/entries/{id}/withdraw              in     ok     403    ok     404    403    login 403
POST   /stars/entries/{id}/withdraw              out    ok     404    404    404    404    login 403
# (objections: the campaign's admins and the level-1 reviewers)
POST   /stars/entries/{id}/objections            in     ok     ok     ok     404    403    login 403
POST   /stars/entries/{id}/objections            out    ok     404    404    404    404    login 403
POST   /stars/objections/{id}/answer             in     ok     ok     ok     404    403    login 403
POST   /stars/objections/{id}/answer             out    ok     404    404    404    404    login 403
# -- the API: the same rules
GET    /api/v1/stars/schemes                     -      ok     ok     ok     ok     ok     401  -
GET    /api/v1/stars/schemes                     in     ok     ok     ok     404    ok     401  -
GET    /api/v1/stars/schemes                     out    ok     404    404    404    404    401  -
POST   /api/v1/stars/schemes                     in     ok     ok     403    404    403    401  403
POST   /api/v1/stars/schemes                     out    ok     404    404    404    404    401  403
GET    /api/v1/stars/schemes/{id}                in     ok     ok     ok     404    ok     401  -
GET    /api/v1/stars/schemes/{id}                out    ok     404    404    404    404    401  -
PUT    /api/v1/stars/schemes/{id}                in     ok     ok     403    404    403    401  403
PUT    /api/v1/stars/schemes/{id}                out    ok     404    404    404    404    401  403
POST   /api/v1/stars/schemes/{id}/copy           in     ok     ok     403    404    403    401  403
POST   /api/v1/stars/schemes/{id}/copy           out    ok     404    404    404    404    401  403
GET    /api/v1/stars/campaigns                   -      ok     ok     ok     ok     ok     401  -
GET    /api/v1/stars/campaigns                   in     ok     ok     ok     404    ok     401  -
GET    /api/v1/stars/campaigns                   out    ok     404    404    404    404    401  -
POST   /api/v1/stars/campaigns                   in     ok     ok     403    404    403    401  403
POST   /api/v1/stars/campaigns                   out    ok     404    404    404    404    401  403
GET    /api/v1/stars/campaigns/{id}              in     ok     ok     ok     404    ok     401  -
GET    /api/v1/stars/campaigns/{id}              out    ok     404    404    404    404    401  -
PUT    /api/v1/stars/campaigns/{id}              in     ok     ok     403    404    403    401  403
PUT    /api/v1/stars/campaigns/{id}              out    ok     404    404    404    404    401  403
POST   /api/v1/stars/campaigns/{id}/stage        in     ok     ok     403    404    403    401  403
POST   /api/v1/stars/campaigns/{id}/stage        out    ok     404    404    404    404    401  403
GET    /api/v1/stars/campaigns/{id}/entries      in     ok     ok     ok     404    ok     401  -
GET    /api/v1/stars/campaigns/{id}/entries      out    ok     404    404    404    404    401  -
GET    /api/v1/stars/entries/{id}                in     ok     ok     ok     404    ok     401  -
GET    /api/v1/stars/entries/{id}                out    ok     404    404    404    404    401  -
PUT    /api/v1/stars/entries/{id}/declaration    in     ok     ok     403    404    403    401  403
PUT    /api/v1/stars/entries/{id}/declaration    out    ok     404    404    404    404    401  403
PUT    /api/v1/stars/entries/{id}/self           in     ok     ok     403    404    403    401  403
PUT    /api/v1/stars/entries/{id}/self           out    ok     404    404    404    404    401  403
POST   /api/v1/stars/entries/{id}/evidence       in     ok     ok     403    404    403    401  403
POST   /api/v1/stars/entries/{id}/evidence       out    ok     404    404    404    404    401  403
PUT    /api/v1/stars/entries/{id}/review         in     ok     403    ok     404    403    401  403
PUT    /api/v1/stars/entries/{id}/review         out    ok     404    404    404    404    401  403
POST   /api/v1/stars/entries/{id}/return         in     ok     403    ok     404    403    401  403
POST   /api/v1/stars/entries/{id}/return         out    ok     404    404    404    404    401  403
POST   /api/v1/stars/entries/{id}/withdraw       in     ok     403    ok     404    403    401  403
POST   /api/v1/stars/entries/{id}/withdraw       out    ok     404    404    404    404    401  403
POST   /api/v1/stars/entries/{id}/objections     in     ok     ok     ok     404    403    401  403
POST   /api/v1/stars/entries/{id}/objections     out    ok     404    404    404    404    401  403
POST   /api/v1/stars/objections/{id}/answer      in     ok     ok     ok     404    403    401  403
POST   /api/v1/stars/objections/{id}/answer      out    ok     404    404    404    404    401  403
GET    /api/v1/stars/queue                       -      ok     ok     ok     ok     ok     401  -
GET    /api/v1/stars/queue                       in     ok     ok     ok     404    ok     401  -
GET    /api/v1/stars/queue                       out    ok     404    404    404    404    401  -
POST   /api/v1/stars/queue                       in     ok     403    ok     404    403    401  403
POST   /api/v1/stars/queue                       out    ok     404    404    404    404    401  403
GET    /api/v1/stars/distribution                in     ok     ok     ok     404    ok     401  -
GET    /api/v1/stars/distribution                out    ok     404    404    404    404    401  -
GET    /api/v1/stars/branches                    in     ok     ok     ok     404    ok     401  -
GET    /api/v1/stars/branches                    out    ok     404    404    404    404    401  -
";

/// The year of the schemes and campaigns made for the rows.
const YEAR: i32 = 2023;

/// A PNG's signature, enough for an evidence upload.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-evidence";

/// Two dimensions of three indicators, the default rules, a veto, no quota
/// (so that an award of a single branch is never refused).
fn body() -> SchemeBody {
    let ind = |code: &str, max: i64| Indicator {
        code: code.into(),
        name: format!("{code} 指标"),
        max: Points::whole(max),
        weight: None,
        guide: "按要求评分".into(),
        evidence: String::new(),
        auto: None,
    };
    let dim = |code: &str, name: &str, indicators| Dimension {
        code: code.into(),
        name: name.into(),
        standard: Points::whole(60),
        excellent: Points::whole(80),
        benchmark: Points::whole(90),
        indicators,
    };
    SchemeBody {
        dimensions: vec![
            dim("PB", "党建", vec![ind("PB1", 50), ind("PB2", 50)]),
            dim("BP", "业绩", vec![ind("BP1", 100)]),
        ],
        rules: default_rules("PB", "BP", Points::whole(45), Points::whole(30)),
        vetoes: vec![Veto { code: "V1".into(), name: "重大安全事故".into(), cap: 2 }],
        quotas: vec![],
    }
}

/// A fresh scheme issued by the target's branch; no campaign uses it yet.
async fn scheme(w: &World, t: &str) -> i64 {
    let f = SchemeFields { name: format!("矩阵评价体系 {}", seq()), year: YEAR, body: body() };
    w.store.create_scheme(UnitId(w.id(unit_of(t))), &f).await.unwrap().id
}

/// A campaign and its entry for the target's branch.
struct Fx {
    campaign: i64,
    entry: i64,
}

/// A fresh one-level campaign over the target's branch, moved to `stage`,
/// its entry taken as far as that stage needs: declared in self-assessment,
/// submitted in review, reviewed in publicity, awarded from the award on.
async fn campaign(w: &World, t: &str, stage: Stage) -> Fx {
    let s = &w.store;
    let sid = scheme(w, t).await;
    let f = CampaignFields { name: format!("矩阵评选 {}", seq()), review_levels: 1, dates: StageDates::default() };
    let c = s.create_campaign(sid, UnitId(w.id(unit_of(t))), &f).await.unwrap();
    let filter = EntryFilter { page: 1, per_page: 10, ..Default::default() };
    let Page { items: list, .. } = s.campaign_entries(c.id, &Scope::All, &filter).await.unwrap();
    let entry = list.iter().find(|l| l.entry.unit_code == unit_of(t)).expect("the branch's entry").entry.id;
    if stage >= Stage::SelfAssess {
        s.move_campaign(c.id, Stage::SelfAssess).await.unwrap();
        s.declare(entry, &Declaration { target_star: 5, plan: Some("争创五星".into()) }).await.unwrap();
    }
    if stage >= Stage::Review {
        let scores: Vec<SelfScore> = [("PB1", 45), ("PB2", 45), ("BP1", 90)]
            .iter()
            .map(|(code, p)| SelfScore { indicator: code.to_string(), points: Some(Points::whole(*p)), note: None })
            .collect();
        s.self_assess(entry, &scores, &[], true).await.unwrap();
        s.move_campaign(c.id, Stage::Review).await.unwrap();
    }
    if stage >= Stage::Publicity {
        s.review(entry, 1, &Review::default()).await.unwrap();
        s.move_campaign(c.id, Stage::Publicity).await.unwrap();
    }
    if stage >= Stage::Award {
        s.move_campaign(c.id, Stage::Award).await.unwrap();
    }
    Fx { campaign: c.id, entry }
}

/// A page form with the session's CSRF token.
fn form(uri: &str, csrf: &str, pairs: &[(&str, &str)]) -> Req {
    let mut all = vec![("csrf", csrf)];
    all.extend_from_slice(pairs);
    post(uri).form(&all)
}

/// The scheme editor's fields for a valid one-dimension scheme.
fn scheme_form(name: &str) -> Vec<(&'static str, String)> {
    [
        ("year", "2023"),
        ("dim.0.code", "PB"),
        ("dim.0.name", "党建"),
        ("dim.0.standard", "60"),
        ("dim.0.excellent", "80"),
        ("dim.0.benchmark", "90"),
        ("ind.0.dimension", "PB"),
        ("ind.0.code", "PB1"),
        ("ind.0.name", "组织生活"),
        ("ind.0.max", "100"),
        ("rule.0.stars", "3"),
        ("rule.0.d0", "达标"),
    ]
    .iter()
    .map(|(k, v)| (*k, v.to_string()))
    .chain([("name", name.to_string())])
    .collect()
}

/// The request a role makes for a row of this area, or `None` for rows of other areas.
pub async fn request(w: &World, row: &Row, _role: &str, session: Option<&Session>) -> Option<Req> {
    let path = row.path.as_str();
    if !(path == "/stars" || path.starts_with("/stars/") || path.starts_with("/api/v1/stars/")) {
        return None;
    }
    let csrf = session.map_or("", |s| s.csrf.as_str());
    let t = row.target.as_str();
    let code = unit_of(t);
    let unit = w.id(code);
    let api_scheme = || json!({ "name": format!("矩阵评价体系 {}", seq()), "year": YEAR, "body": body() });
    let req = match (row.method.as_str(), path) {
        // -- pages
        ("GET", "/stars") => get(&format!("/stars?unit={unit}&from={YEAR}&to={YEAR}")),
        ("GET", "/stars/branches") => get(&format!("/stars/branches?unit={unit}&from={YEAR}&to={YEAR}&star=6")),
        ("GET", "/stars/queue") if t == "-" => get(path),
        ("GET", "/stars/queue") => {
            let fx = campaign(w, t, Stage::Review).await;
            get(&format!("/stars/queue?campaign={}", fx.campaign))
        }
        ("POST", "/stars/queue") => {
            let fx = campaign(w, t, Stage::Review).await;
            let id = fx.entry.to_string();
            form(path, csrf, &[("level", "1"), ("ids", &id), ("action", "accept"), ("comment", "同意自评")])
        }
        ("GET", "/stars/schemes") => get(path),
        ("GET", "/stars/schemes/new") => get(&format!("/stars/schemes/new?unit={unit}")),
        ("POST", "/stars/schemes") => {
            let mut fields = scheme_form(&format!("矩阵评价体系 {}", seq()));
            fields.push(("unit", unit.to_string()));
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            form(path, csrf, &pairs)
        }
        ("GET", "/stars/schemes/{id}") => get(&format!("/stars/schemes/{}", scheme(w, t).await)),
        ("POST", "/stars/schemes/{id}") => {
            let id = scheme(w, t).await;
            let fields = scheme_form(&format!("矩阵评价体系（改）{}", seq()));
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            form(&format!("/stars/schemes/{id}"), csrf, &pairs)
        }
        ("POST", "/stars/schemes/{id}/copy") => {
            form(&format!("/stars/schemes/{}/copy", scheme(w, t).await), csrf, &[("year", "2024")])
        }
        ("POST", "/stars/campaigns") => {
            let (sid, unit) = (scheme(w, t).await.to_string(), unit.to_string());
            let name = format!("矩阵评选 {}", seq());
            form(path, csrf, &[("scheme_id", &sid), ("unit_id", &unit), ("name", &name), ("review_levels", "1")])
        }
        ("GET", "/stars/campaigns/{id}") => {
            get(&format!("/stars/campaigns/{}", campaign(w, t, Stage::SelfAssess).await.campaign))
        }
        ("POST", "/stars/campaigns/{id}") => {
            let fx = campaign(w, t, Stage::Create).await;
            let name = format!("矩阵评选（改）{}", seq());
            form(
                &format!("/stars/campaigns/{}", fx.campaign),
                csrf,
                &[
                    ("name", &name),
                    ("review_levels", "1"),
                    ("dates.self.from", "2023-10-09"),
                    ("dates.self.to", "2023-11-10"),
                ],
            )
        }
        ("POST", "/stars/campaigns/{id}/stage") => {
            let fx = campaign(w, t, Stage::Create).await;
            form(&format!("/stars/campaigns/{}/stage", fx.campaign), csrf, &[("to", "self")])
        }
        ("GET", "/stars/campaigns/{id}/sheets/{file}") => {
            let fx = campaign(w, t, Stage::Review).await;
            get(&format!("/stars/campaigns/{}/sheets/self.csv", fx.campaign))
        }
        ("POST", "/stars/campaigns/{id}/scores") => {
            let fx = campaign(w, t, Stage::SelfAssess).await;
            let csv = format!("组织编码,PB1,PB2,BP1\n{code},45,40,85\n");
            post(&format!("/stars/campaigns/{}/scores", fx.campaign)).multipart(&[
                Part::Text("csrf", csrf),
                Part::Text("stage", "self"),
                Part::File("file", "scores.csv", "text/csv", csv.as_bytes()),
            ])
        }
        ("GET", "/stars/entries/{id}") => get(&format!("/stars/entries/{}", campaign(w, t, Stage::Review).await.entry)),
        ("POST", "/stars/entries/{id}/declare") => {
            let fx = campaign(w, t, Stage::Create).await;
            form(&format!("/stars/entries/{}/declare", fx.entry), csrf, &[("target_star", "5"), ("plan", "争创五星")])
        }
        ("POST", "/stars/entries/{id}/self") => {
            let fx = campaign(w, t, Stage::SelfAssess).await;
            post(&format!("/stars/entries/{}/self", fx.entry)).multipart(&[
                Part::Text("csrf", csrf),
                Part::Text("action", "save"),
                Part::Text("score.PB1", "45"),
                Part::Text("note.PB1", "会议记录 12 份"),
                Part::File("file.PB1", "会议记录.png", "image/png", PNG),
            ])
        }
        ("POST", "/stars/entries/{id}/review") => {
            let fx = campaign(w, t, Stage::Review).await;
            form(
                &format!("/stars/entries/{}/review", fx.entry),
                csrf,
                &[("level", "1"), ("score.PB1", "40"), ("comment", "组织生活略有欠缺")],
            )
        }
        ("POST", "/stars/entries/{id}/return") => {
            let fx = campaign(w, t, Stage::Review).await;
            form(&format!("/stars/entries/{}/return", fx.entry), csrf, &[("comment", "请补充佐证材料")])
        }
        ("POST", "/stars/entries/{id}/withdraw") => {
            let fx = campaign(w, t, Stage::Award).await;
            form(&format!("/stars/entries/{}/withdraw", fx.entry), csrf, &[("reason", "发生违规问题")])
        }
        ("POST", "/stars/entries/{id}/objections") => {
            let fx = campaign(w, t, Stage::Publicity).await;
            form(&format!("/stars/entries/{}/objections", fx.entry), csrf, &[("source", "来信"), ("content", "请复核")])
        }
        ("POST", "/stars/objections/{id}/answer") => {
            let o = objection(w, t).await;
            form(&format!("/stars/objections/{o}/answer"), csrf, &[("answer", "经核实无误")])
        }
        // -- the API
        ("GET", "/api/v1/stars/schemes") | ("GET", "/api/v1/stars/campaigns") if t == "-" => get(path),
        ("GET", "/api/v1/stars/schemes") | ("GET", "/api/v1/stars/campaigns") => get(&format!("{path}?org={code}")),
        ("POST", "/api/v1/stars/schemes") => {
            let mut body = api_scheme();
            body["org"] = json!(code);
            post(path).json(&body)
        }
        ("GET", "/api/v1/stars/schemes/{id}") => get(&format!("/api/v1/stars/schemes/{}", scheme(w, t).await)),
        ("PUT", "/api/v1/stars/schemes/{id}") => {
            put(&format!("/api/v1/stars/schemes/{}", scheme(w, t).await)).json(&api_scheme())
        }
        ("POST", "/api/v1/stars/schemes/{id}/copy") => {
            post(&format!("/api/v1/stars/schemes/{}/copy", scheme(w, t).await)).json(&json!({ "year": 2024 }))
        }
        ("POST", "/api/v1/stars/campaigns") => post(path).json(&json!({
            "scheme_id": scheme(w, t).await, "org": code, "name": format!("矩阵评选 {}", seq()), "review_levels": 1,
            "dates": { "self": { "from": "2023-10-09", "to": "2023-11-10" } },
        })),
        ("GET", "/api/v1/stars/campaigns/{id}") => {
            get(&format!("/api/v1/stars/campaigns/{}", campaign(w, t, Stage::Review).await.campaign))
        }
        ("PUT", "/api/v1/stars/campaigns/{id}") => {
            let fx = campaign(w, t, Stage::Create).await;
            put(&format!("/api/v1/stars/campaigns/{}", fx.campaign))
                .json(&json!({ "name": format!("矩阵评选（改）{}", seq()), "review_levels": 2 }))
        }
        ("POST", "/api/v1/stars/campaigns/{id}/stage") => {
            let fx = campaign(w, t, Stage::Create).await;
            post(&format!("/api/v1/stars/campaigns/{}/stage", fx.campaign)).json(&json!({ "stage": "self" }))
        }
        ("GET", "/api/v1/stars/campaigns/{id}/entries") => {
            let fx = campaign(w, t, Stage::Review).await;
            get(&format!("/api/v1/stars/campaigns/{}/entries?status=submitted", fx.campaign))
        }
        ("GET", "/api/v1/stars/entries/{id}") => {
            get(&format!("/api/v1/stars/entries/{}", campaign(w, t, Stage::Review).await.entry))
        }
        ("PUT", "/api/v1/stars/entries/{id}/declaration") => {
            let fx = campaign(w, t, Stage::Create).await;
            put(&format!("/api/v1/stars/entries/{}/declaration", fx.entry))
                .json(&json!({ "target_star": 4, "plan": "争创四星" }))
        }
        ("PUT", "/api/v1/stars/entries/{id}/self") => {
            let fx = campaign(w, t, Stage::SelfAssess).await;
            let scores = json!([
                { "indicator": "PB1", "score": 45, "note": "会议记录 12 份" },
                { "indicator": "PB2", "score": 40 },
                { "indicator": "BP1", "score": 85 },
            ]);
            put(&format!("/api/v1/stars/entries/{}/self", fx.entry)).json(&json!({ "scores": scores, "submit": true }))
        }
        ("POST", "/api/v1/stars/entries/{id}/evidence") => {
            let fx = campaign(w, t, Stage::SelfAssess).await;
            post(&format!("/api/v1/stars/entries/{}/evidence", fx.entry))
                .multipart(&[Part::Text("indicator", "PB1"), Part::File("file", "会议记录.png", "image/png", PNG)])
        }
        ("PUT", "/api/v1/stars/entries/{id}/review") => {
            let fx = campaign(w, t, Stage::Review).await;
            put(&format!("/api/v1/stars/entries/{}/review", fx.entry)).json(&json!({
                "level": 1, "scores": [{ "indicator": "PB1", "score": 40, "note": "略有欠缺" }], "vetoes": [],
                "comment": "组织生活略有欠缺",
            }))
        }
        ("POST", "/api/v1/stars/entries/{id}/return") => {
            let fx = campaign(w, t, Stage::Review).await;
            post(&format!("/api/v1/stars/entries/{}/return", fx.entry)).json(&json!({ "comment": "请补充佐证材料" }))
        }
        ("POST", "/api/v1/stars/entries/{id}/withdraw") => {
            let fx = campaign(w, t, Stage::Award).await;
            post(&format!("/api/v1/stars/entries/{}/withdraw", fx.entry))
                .json(&json!({ "on": "2024-03-01", "reason": "发生违规问题" }))
        }
        ("POST", "/api/v1/stars/entries/{id}/objections") => {
            let fx = campaign(w, t, Stage::Publicity).await;
            post(&format!("/api/v1/stars/entries/{}/objections", fx.entry))
                .json(&json!({ "raised_on": "2024-01-10", "source": "来信", "content": "请复核" }))
        }
        ("POST", "/api/v1/stars/objections/{id}/answer") => {
            let o = objection(w, t).await;
            post(&format!("/api/v1/stars/objections/{o}/answer")).json(&json!({ "answer": "经核实无误" }))
        }
        ("GET", "/api/v1/stars/queue") if t == "-" => get(path),
        ("GET", "/api/v1/stars/queue") => {
            get(&format!("/api/v1/stars/queue?campaign={}", campaign(w, t, Stage::Review).await.campaign))
        }
        ("POST", "/api/v1/stars/queue") => {
            let fx = campaign(w, t, Stage::Review).await;
            post(path).json(&json!({ "ids": [fx.entry], "level": 1, "action": "accept", "comment": "同意自评" }))
        }
        ("GET", "/api/v1/stars/distribution") => get(&format!("/api/v1/stars/distribution?org={code}&from={YEAR}")),
        ("GET", "/api/v1/stars/branches") => get(&format!("/api/v1/stars/branches?org={code}&from={YEAR}&star=6")),
        _ => panic!("stars matrix line {}: no request written for {} {path}", row.line, row.method),
    };
    Some(req)
}

/// A fresh objection to the target's entry, raised in publicity.
async fn objection(w: &World, t: &str) -> i64 {
    let fx = campaign(w, t, Stage::Publicity).await;
    let on = time::Date::from_calendar_date(2024, time::Month::January, 10).unwrap();
    w.store.add_objection(fx.entry, on, Some("来信"), "业绩数据有误").await.unwrap().id
}
