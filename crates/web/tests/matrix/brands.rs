//! The permission matrix of the brand routes: brands, their structure,
//! lifecycle and standard, honors and standards. See `main.rs` for the
//! columns, targets and outcomes.
//!
//! The rules (docs/brands.md): reading a brand, the matrix, histories,
//! honors and standards needs the unit in the caller's read scope (outside:
//! 404); creating and editing a brand, its structure and evidence, applying,
//! keeping versions and deleting a draft need unit admin over the brand's
//! unit (others in scope: 403); deciding (初审 → 评审 → 命名, return),
//! confirming standard items and moving down need reviewer (or system admin)
//! over the brand unit's PARENT — for an `in` brand of FJ01-001 that is FJ01,
//! where `m_reviewer` is granted; honors are changed by admins of the filing
//! unit, standards by admins of the issuing unit. A member reads no records
//! of others, so every object answers 404 to them.
//!
//! Every request works on an object made for it through the store (a brand
//! in the state the step needs, an element, a piece of evidence, an honor),
//! so rows never disturb one another.

use axum::http::Method;
use qizhi_core::brand::{
    Brand, BrandInput, ElementInput, EvidenceInput, HonorInput, StandardInput, StandardItemInput, WUYOU,
};
use qizhi_core::ids::{BrandId, UnitId};
use serde_json::json;

use crate::common::*;
use crate::{Row, seq, unit_of};

#[rustfmt::skip]
pub const MATRIX: &str = "
# method path                                   target  admin  unit_admin reviewer member viewer anonymous  csrf
# -- the matrix, its tree and the review queue
GET    /brands                                   in     ok     ok     ok     404    ok     login -
GET    /brands                                   out    ok     404    404    404    404    login -
GET    /brands/tree                              in     ok     ok     ok     404    ok     login -
GET    /brands/tree                              out    ok     404    404    404    404    login -
GET    /brands/reviews                           -      ok     ok     ok     ok     ok     login -
# -- one brand: form, showcase, screen, edit, delete, versions
GET    /brands/new                               in     ok     ok     403    404    403    login -
GET    /brands/new                               out    ok     404    404    404    404    login -
POST   /brands                                   in     ok     ok     403    404    403    login 403
POST   /brands                                   out    ok     404    404    404    404    login 403
GET    /brands/{id}                              in     ok     ok     ok     404    ok     login -
GET    /brands/{id}                              out    ok     404    404    404    404    login -
GET    /brands/{id}/screen                       in     ok     ok     ok     404    ok     login -
GET    /brands/{id}/screen                       out    ok     404    404    404    404    login -
GET    /brands/{id}/edit                         in     ok     ok     403    404    403    login -
GET    /brands/{id}/edit                         out    ok     404    404    404    404    login -
POST   /brands/{id}/edit                         in     ok     ok     403    404    403    login 403
POST   /brands/{id}/edit                         out    ok     404    404    404    404    login 403
POST   /brands/{id}/delete                       in     ok     ok     403    404    403    login 403
POST   /brands/{id}/delete                       out    ok     404    404    404    404    login 403
GET    /brands/{id}/versions/{version}           in     ok     ok     ok     404    ok     login -
GET    /brands/{id}/versions/{version}           out    ok     404    404    404    404    login -
POST   /brands/{id}/versions                     in     ok     ok     403    404    403    login 403
POST   /brands/{id}/versions                     out    ok     404    404    404    404    login 403
# -- the structure editor
GET    /brands/{id}/structure                    in     ok     ok     403    404    403    login -
GET    /brands/{id}/structure                    out    ok     404    404    404    404    login -
POST   /brands/{id}/elements                     in     ok     ok     403    404    403    login 403
POST   /brands/{id}/elements                     out    ok     404    404    404    404    login 403
POST   /brands/{id}/elements/{element}           in     ok     ok     403    404    403    login 403
POST   /brands/{id}/elements/{element}           out    ok     404    404    404    404    login 403
POST   /brands/{id}/elements/{element}/move      in     ok     ok     403    404    403    login 403
POST   /brands/{id}/elements/{element}/move      out    ok     404    404    404    404    login 403
POST   /brands/{id}/elements/{element}/delete    in     ok     ok     403    404    403    login 403
POST   /brands/{id}/elements/{element}/delete    out    ok     404    404    404    404    login 403
# -- the lifecycle: the owner's admin applies, the parent's reviewer decides
GET    /brands/{id}/review                       in     ok     ok     ok     404    ok     login -
GET    /brands/{id}/review                       out    ok     404    404    404    404    login -
POST   /brands/{id}/apply                        in     ok     ok     403    404    403    login 403
POST   /brands/{id}/apply                        out    ok     404    404    404    404    login 403
POST   /brands/{id}/decide                       in     ok     403    ok     404    403    login 403
POST   /brands/{id}/decide                       out    ok     404    404    404    404    login 403
POST   /brands/{id}/demote                       in     ok     403    ok     404    403    login 403
POST   /brands/{id}/demote                       out    ok     404    404    404    404    login 403
# -- the standard: the owner's admin files evidence, the parent's reviewer confirms
POST   /brands/{id}/evidence                     in     ok     ok     403    404    403    login 403
POST   /brands/{id}/evidence                     out    ok     404    404    404    404    login 403
POST   /brands/{id}/evidence/{evidence}/delete   in     ok     ok     403    404    403    login 403
POST   /brands/{id}/evidence/{evidence}/delete   out    ok     404    404    404    404    login 403
POST   /brands/{id}/items/{item}/confirm         in     ok     403    ok     404    403    login 403
POST   /brands/{id}/items/{item}/confirm         out    ok     404    404    404    404    login 403
# -- honors
GET    /honors                                   in     ok     ok     ok     404    ok     login -
GET    /honors                                   out    ok     404    404    404    404    login -
GET    /honors/new                               in     ok     ok     403    404    403    login -
GET    /honors/new                               out    ok     404    404    404    404    login -
POST   /honors                                   in     ok     ok     403    404    403    login 403
POST   /honors                                   out    ok     404    404    404    404    login 403
GET    /honors/{id}/edit                         in     ok     ok     403    404    403    login -
GET    /honors/{id}/edit                         out    ok     404    404    404    404    login -
POST   /honors/{id}/edit                         in     ok     ok     403    404    403    login 403
POST   /honors/{id}/edit                         out    ok     404    404    404    404    login 403
POST   /honors/{id}/delete                       in     ok     ok     403    404    403    login 403
POST   /honors/{id}/delete                       out    ok     404    404    404    404    login 403
# -- standards
GET    /standards                                in     ok     ok     ok     404    ok     login -
GET    /standards                                out    ok     404    404    404    404    login -
POST   /standards/{unit}                         in     ok     ok     403    404    403    login 403
POST   /standards/{unit}                         out    ok     404    404    404    404    login 403
# -- the API: brands
GET    /api/v1/brands                            in     ok     ok     ok     404    ok     401  -
GET    /api/v1/brands                            out    ok     404    404    404    404    401  -
POST   /api/v1/brands                            in     ok     ok     403    404    403    401  403
POST   /api/v1/brands                            out    ok     404    404    404    404    401  403
GET    /api/v1/brands/{id}                       in     ok     ok     ok     404    ok     401  -
GET    /api/v1/brands/{id}                       out    ok     404    404    404    404    401  -
PUT    /api/v1/brands/{id}                       in     ok     ok     403    404    403    401  403
PUT    /api/v1/brands/{id}                       out    ok     404    404    404    404    401  403
DELETE /api/v1/brands/{id}                       in     ok     ok     403    404    403    401  403
DELETE /api/v1/brands/{id}                       out    ok     404    404    404    404    401  403
GET    /api/v1/brands/{id}/structure             in     ok     ok     ok     404    ok     401  -
GET    /api/v1/brands/{id}/structure             out    ok     404    404    404    404    401  -
PUT    /api/v1/brands/{id}/structure             in     ok     ok     403    404    403    401  403
PUT    /api/v1/brands/{id}/structure             out    ok     404    404    404    404    401  403
PUT    /api/v1/brands/{id}/logo                  in     ok     ok     403    404    403    401  403
PUT    /api/v1/brands/{id}/logo                  out    ok     404    404    404    404    401  403
GET    /api/v1/brands/{id}/history               in     ok     ok     ok     404    ok     401  -
GET    /api/v1/brands/{id}/history               out    ok     404    404    404    404    401  -
POST   /api/v1/brands/{id}/apply                 in     ok     ok     403    404    403    401  403
POST   /api/v1/brands/{id}/apply                 out    ok     404    404    404    404    401  403
POST   /api/v1/brands/{id}/decide                in     ok     403    ok     404    403    401  403
POST   /api/v1/brands/{id}/decide                out    ok     404    404    404    404    401  403
POST   /api/v1/brands/{id}/demote                in     ok     403    ok     404    403    401  403
POST   /api/v1/brands/{id}/demote                out    ok     404    404    404    404    401  403
GET    /api/v1/brands/{id}/standard              in     ok     ok     ok     404    ok     401  -
GET    /api/v1/brands/{id}/standard              out    ok     404    404    404    404    401  -
POST   /api/v1/brands/{id}/evidence              in     ok     ok     403    404    403    401  403
POST   /api/v1/brands/{id}/evidence              out    ok     404    404    404    404    401  403
POST   /api/v1/brands/{id}/items/{item}/confirm  in     ok     403    ok     404    403    401  403
POST   /api/v1/brands/{id}/items/{item}/confirm  out    ok     404    404    404    404    401  403
GET    /api/v1/brand-matrix                      in     ok     ok     ok     404    ok     401  -
GET    /api/v1/brand-matrix                      out    ok     404    404    404    404    401  -
# -- the API: standards and honors
GET    /api/v1/standards                         in     ok     ok     ok     404    ok     401  -
GET    /api/v1/standards                         out    ok     404    404    404    404    401  -
PUT    /api/v1/standards                         in     ok     ok     403    404    403    401  403
PUT    /api/v1/standards                         out    ok     404    404    404    404    401  403
GET    /api/v1/honors                            in     ok     ok     ok     404    ok     401  -
GET    /api/v1/honors                            out    ok     404    404    404    404    401  -
POST   /api/v1/honors                            in     ok     ok     403    404    403    401  403
POST   /api/v1/honors                            out    ok     404    404    404    404    401  403
GET    /api/v1/honors/{id}                       in     ok     ok     ok     404    ok     401  -
GET    /api/v1/honors/{id}                       out    ok     404    404    404    404    401  -
PUT    /api/v1/honors/{id}                       in     ok     ok     403    404    403    401  403
PUT    /api/v1/honors/{id}                       out    ok     404    404    404    404    401  403
DELETE /api/v1/honors/{id}                       in     ok     ok     403    404    403    401  403
DELETE /api/v1/honors/{id}                       out    ok     404    404    404    404    401  403
";

/// A PNG's first bytes: enough for the logo check, which reads the kind from the bytes.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR-matrix-logo";

fn today() -> time::Date {
    qizhi_core::date::today()
}

/// A fresh draft brand of the target's unit.
async fn brand(w: &World, target: &str) -> Brand {
    let fields = BrandInput {
        code: format!("MXB-{}", seq()),
        name: format!("矩阵品牌{}", seq()),
        category: "branch".into(),
        slogan: Some("矩阵口号".into()),
        concept: Some("矩阵理念".into()),
        ..Default::default()
    }
    .validate()
    .unwrap();
    w.store.create_brand(UnitId(w.id(unit_of(target))), None, &fields, None, today()).await.unwrap()
}

/// A fresh brand with an open application (申报, not yet decided).
async fn applied(w: &World, target: &str) -> Brand {
    let b = brand(w, target).await;
    w.store.apply_brand(b.id, Some("矩阵申报"), today()).await.unwrap()
}

/// A fresh brand named 创建 (established) through two full reviews, so it can be moved down.
async fn established(w: &World, target: &str) -> Brand {
    let b = brand(w, target).await;
    for _ in 0..2 {
        w.store.apply_brand(b.id, None, today()).await.unwrap();
        for _ in 0..3 {
            w.store.decide_brand(b.id, true, None, today()).await.unwrap();
        }
    }
    let b = w.store.brand(b.id).await.unwrap();
    assert_eq!(b.status, qizhi_core::brand::BrandStatus::Established, "[{}] the brand is established", w.backend);
    b
}

/// The first item of the standard the brand answers to; the root issues the
/// 五有 the first time one is needed (brands of FJ01-001 and NM-001 both answer to it).
async fn item_of(w: &World, b: &Brand) -> i64 {
    let root = UnitId(w.id("CU"));
    if w.store.standard_issued_by(root).await.unwrap().is_none() {
        let input = StandardInput {
            name: "党建品牌“五有”标准".into(),
            items: WUYOU
                .iter()
                .map(|(t, d)| StandardItemInput { id: None, title: t.to_string(), description: Some(d.to_string()) })
                .collect(),
        };
        w.store.issue_standard(root, &input.validate().unwrap(), today()).await.unwrap();
    }
    let standing = w.store.brand_standard(b).await.unwrap();
    standing.standard.expect("a standard applies to the brand").items[0].id
}

/// A piece of text evidence for `item` of the brand.
async fn evidence(w: &World, b: &Brand, item: i64) -> i64 {
    let fields =
        EvidenceInput { kind: "text".into(), text: Some("矩阵佐证".into()), figure_key: None }.validate(false).unwrap();
    w.store.add_evidence(b.id, item, &fields, None).await.unwrap().id
}

/// An element of the brand's structure.
async fn element(w: &World, id: BrandId, title: &str) -> i64 {
    let fields = ElementInput { kind: "group".into(), title: title.into(), text: None }.validate().unwrap();
    w.store.add_element(id, None, &fields).await.unwrap().id
}

/// A fresh honor filed under the target's unit, held by that unit.
async fn honor(w: &World, target: &str) -> i64 {
    let unit = w.id(unit_of(target));
    let fields = HonorInput {
        title: format!("矩阵荣誉{}", seq()),
        level: "group".into(),
        issuer: Some("集团党组".into()),
        awarded_on: "2024-05".into(),
        holder_kind: "unit".into(),
        holder_name: String::new(),
        note: None,
    }
    .validate()
    .unwrap();
    w.store.create_honor(UnitId(unit), &fields, Some(unit), None, None).await.unwrap().id.0
}

fn honor_body(target: &str) -> serde_json::Value {
    json!({
        "org": unit_of(target), "title": format!("矩阵荣誉{}", seq()), "level": "group",
        "issuer": "集团党组", "awarded_on": "2024-05", "holder_kind": "unit"
    })
}

/// The request a role makes for a brand row, or `None` for rows of other areas.
pub async fn request(w: &World, row: &Row, _role: &str, session: Option<&Session>) -> Option<Req> {
    let csrf = session.map_or("", |s| s.csrf.as_str());
    let path = row.path.as_str();
    let t = row.target.as_str();
    let unit = w.id(unit_of(t));
    let code = unit_of(t);
    let req = match (row.method.as_str(), path) {
        // -- the matrix, its tree and the review queue
        ("GET", "/brands") => get(&format!("/brands?unit={unit}")),
        ("GET", "/brands/tree") => get(&format!("/brands/tree?unit={unit}")),
        ("GET", "/brands/reviews") => get(path),
        // -- one brand
        ("GET", "/brands/new") => get(&format!("/brands/new?unit={unit}")),
        ("POST", "/brands") => {
            let name = format!("矩阵新品牌{}", seq());
            post(path).multipart(&[
                Part::Text("csrf", csrf),
                Part::Text("unit", &unit.to_string()),
                Part::Text("code", ""),
                Part::Text("name", &name),
                Part::Text("category", "branch"),
                Part::Text("founded_year", "2024"),
            ])
        }
        ("GET", "/brands/{id}") | ("GET", "/brands/{id}/screen") | ("GET", "/brands/{id}/edit") => {
            let b = brand(w, t).await;
            get(&path.replace("{id}", &b.id.to_string()))
        }
        ("POST", "/brands/{id}/edit") => {
            let b = brand(w, t).await;
            post(&format!("/brands/{}/edit", b.id)).multipart(&[
                Part::Text("csrf", csrf),
                Part::Text("code", &b.fields.code),
                Part::Text("name", "矩阵品牌（修订）"),
                Part::Text("category", "branch"),
                Part::Text("slogan", "新口号"),
            ])
        }
        ("POST", "/brands/{id}/delete") => {
            let b = brand(w, t).await;
            post(&format!("/brands/{}/delete", b.id)).form(&[("csrf", csrf)])
        }
        ("GET", "/brands/{id}/versions/{version}") => {
            let b = brand(w, t).await;
            let v = w.store.save_brand_version(b.id, Some("矩阵版本"), today()).await.unwrap();
            get(&format!("/brands/{}/versions/{v}", b.id))
        }
        ("POST", "/brands/{id}/versions") => {
            let b = brand(w, t).await;
            post(&format!("/brands/{}/versions", b.id)).form(&[("csrf", csrf), ("note", "迭代升级")])
        }
        // -- the structure editor
        ("GET", "/brands/{id}/structure") => {
            let b = brand(w, t).await;
            get(&format!("/brands/{}/structure", b.id))
        }
        ("POST", "/brands/{id}/elements") => {
            let b = brand(w, t).await;
            post(&format!("/brands/{}/elements", b.id)).form(&[
                ("csrf", csrf),
                ("parent", ""),
                ("kind", "site"),
                ("title", "党员先锋岗"),
                ("text", "营业厅"),
            ])
        }
        ("POST", "/brands/{id}/elements/{element}") => {
            let b = brand(w, t).await;
            let e = element(w, b.id, "三个阵地").await;
            post(&format!("/brands/{}/elements/{e}", b.id)).form(&[
                ("csrf", csrf),
                ("kind", "group"),
                ("title", "四个阵地"),
                ("text", "修订"),
            ])
        }
        ("POST", "/brands/{id}/elements/{element}/move") => {
            let b = brand(w, t).await;
            element(w, b.id, "第一").await;
            let e = element(w, b.id, "第二").await;
            post(&format!("/brands/{}/elements/{e}/move", b.id)).form(&[("csrf", csrf), ("to", "up")])
        }
        ("POST", "/brands/{id}/elements/{element}/delete") => {
            let b = brand(w, t).await;
            let e = element(w, b.id, "待删除").await;
            post(&format!("/brands/{}/elements/{e}/delete", b.id)).form(&[("csrf", csrf)])
        }
        // -- the lifecycle
        ("GET", "/brands/{id}/review") => {
            let b = applied(w, t).await;
            get(&format!("/brands/{}/review", b.id))
        }
        ("POST", "/brands/{id}/apply") => {
            let b = brand(w, t).await;
            post(&format!("/brands/{}/apply", b.id)).form(&[("csrf", csrf), ("comment", "请审核")])
        }
        ("POST", "/brands/{id}/decide") => {
            let b = applied(w, t).await;
            post(&format!("/brands/{}/decide", b.id)).form(&[
                ("csrf", csrf),
                ("decision", "approve"),
                ("comment", "初审通过"),
            ])
        }
        ("POST", "/brands/{id}/demote") => {
            let b = established(w, t).await;
            post(&format!("/brands/{}/demote", b.id)).form(&[
                ("csrf", csrf),
                ("to", "cultivating"),
                ("comment", "复核未达标"),
            ])
        }
        // -- the standard
        ("POST", "/brands/{id}/evidence") => {
            let b = brand(w, t).await;
            let item = item_of(w, &b).await.to_string();
            post(&format!("/brands/{}/evidence", b.id)).multipart(&[
                Part::Text("csrf", csrf),
                Part::Text("item", &item),
                Part::Text("kind", "text"),
                Part::Text("text", "支部阵地建设情况"),
            ])
        }
        ("POST", "/brands/{id}/evidence/{evidence}/delete") => {
            let b = brand(w, t).await;
            let item = item_of(w, &b).await;
            let e = evidence(w, &b, item).await;
            post(&format!("/brands/{}/evidence/{e}/delete", b.id)).form(&[("csrf", csrf)])
        }
        ("POST", "/brands/{id}/items/{item}/confirm") => {
            let b = brand(w, t).await;
            let item = item_of(w, &b).await;
            evidence(w, &b, item).await;
            post(&format!("/brands/{}/items/{item}/confirm", b.id)).form(&[
                ("csrf", csrf),
                ("confirm", "1"),
                ("comment", "达标"),
            ])
        }
        // -- honors
        ("GET", "/honors") => get(&format!("/honors?unit={unit}")),
        ("GET", "/honors/new") => get(&format!("/honors/new?unit={unit}")),
        ("POST", "/honors") => {
            let title = format!("矩阵荣誉{}", seq());
            post(path).multipart(&[
                Part::Text("csrf", csrf),
                Part::Text("unit", &unit.to_string()),
                Part::Text("title", &title),
                Part::Text("level", "group"),
                Part::Text("issuer", "集团党组"),
                Part::Text("awarded_on", "2024-05"),
                Part::Text("holder_kind", "unit"),
                Part::Text("holder_code", ""),
            ])
        }
        ("GET", "/honors/{id}/edit") => get(&format!("/honors/{}/edit", honor(w, t).await)),
        ("POST", "/honors/{id}/edit") => {
            let id = honor(w, t).await;
            post(&format!("/honors/{id}/edit")).multipart(&[
                Part::Text("csrf", csrf),
                Part::Text("title", "矩阵荣誉（修订）"),
                Part::Text("level", "municipal"),
                Part::Text("issuer", "福州市委"),
                Part::Text("awarded_on", "2024-06-01"),
                Part::Text("holder_kind", "unit"),
                Part::Text("holder_code", ""),
            ])
        }
        ("POST", "/honors/{id}/delete") => {
            post(&format!("/honors/{}/delete", honor(w, t).await)).form(&[("csrf", csrf)])
        }
        // -- standards (issued by the target's unit, for the units below it)
        ("GET", "/standards") => get(&format!("/standards?unit={unit}")),
        ("POST", "/standards/{unit}") => {
            let mut parts = vec![Part::Text("csrf", csrf), Part::Text("name", "矩阵“五有”标准")];
            for (title, _) in WUYOU {
                parts.extend([
                    Part::Text("item_id", "0"),
                    Part::Text("item_title", title),
                    Part::Text("item_description", ""),
                ]);
            }
            post(&format!("/standards/{unit}")).multipart(&parts)
        }
        // -- the API: brands
        ("GET", "/api/v1/brands") => get(&format!("/api/v1/brands?org={code}")),
        ("POST", "/api/v1/brands") => post(path).json(&json!({
            "org": code, "code": format!("MXA-{}", seq()), "name": "矩阵接口品牌", "category": "branch",
            "slogan": "接口口号", "founded_year": 2024
        })),
        ("GET", "/api/v1/brands/{id}")
        | ("GET", "/api/v1/brands/{id}/structure")
        | ("GET", "/api/v1/brands/{id}/history")
        | ("GET", "/api/v1/brands/{id}/standard") => {
            let b = brand(w, t).await;
            item_of(w, &b).await;
            get(&path.replace("{id}", &b.id.to_string()))
        }
        ("PUT", "/api/v1/brands/{id}") => {
            let b = brand(w, t).await;
            put(&format!("/api/v1/brands/{}", b.id)).json(&json!({
                "name": "矩阵品牌（接口修订）", "category": "branch", "slogan": "新口号"
            }))
        }
        ("DELETE", "/api/v1/brands/{id}") => {
            let b = brand(w, t).await;
            crate::common::request(Method::DELETE, &format!("/api/v1/brands/{}", b.id))
        }
        ("PUT", "/api/v1/brands/{id}/structure") => {
            let b = brand(w, t).await;
            put(&format!("/api/v1/brands/{}/structure", b.id)).json(&json!([
                {"kind": "group", "title": "三个阵地", "children": [{"kind": "site", "title": "党员先锋岗"}]},
                {"kind": "team", "title": "党员突击队"}
            ]))
        }
        ("PUT", "/api/v1/brands/{id}/logo") => {
            let b = brand(w, t).await;
            put(&format!("/api/v1/brands/{}/logo", b.id)).multipart(&[Part::File("logo", "logo.png", "image/png", PNG)])
        }
        ("POST", "/api/v1/brands/{id}/apply") => {
            let b = brand(w, t).await;
            post(&format!("/api/v1/brands/{}/apply", b.id)).json(&json!({"comment": "请审核"}))
        }
        ("POST", "/api/v1/brands/{id}/decide") => {
            let b = applied(w, t).await;
            post(&format!("/api/v1/brands/{}/decide", b.id))
                .json(&json!({"decision": "approve", "comment": "初审通过"}))
        }
        ("POST", "/api/v1/brands/{id}/demote") => {
            let b = established(w, t).await;
            post(&format!("/api/v1/brands/{}/demote", b.id))
                .json(&json!({"to": "cultivating", "comment": "复核未达标"}))
        }
        ("POST", "/api/v1/brands/{id}/evidence") => {
            let b = brand(w, t).await;
            let item = item_of(w, &b).await;
            post(&format!("/api/v1/brands/{}/evidence", b.id)).json(&json!({
                "item_id": item, "kind": "text", "text": "支部阵地建设情况"
            }))
        }
        ("POST", "/api/v1/brands/{id}/items/{item}/confirm") => {
            let b = brand(w, t).await;
            let item = item_of(w, &b).await;
            evidence(w, &b, item).await;
            post(&format!("/api/v1/brands/{}/items/{item}/confirm", b.id)).json(&json!({"confirm": true}))
        }
        ("GET", "/api/v1/brand-matrix") => {
            brand(w, t).await;
            get(&format!("/api/v1/brand-matrix?org={code}"))
        }
        // -- the API: standards and honors
        ("GET", "/api/v1/standards") => get(&format!("/api/v1/standards?org={code}")),
        ("PUT", "/api/v1/standards") => put(&format!("/api/v1/standards?org={code}")).json(&json!({
            "name": "矩阵“五有”标准",
            "items": WUYOU.iter().map(|(t, d)| json!({"title": t, "description": d})).collect::<Vec<_>>()
        })),
        ("GET", "/api/v1/honors") => {
            honor(w, t).await;
            get(&format!("/api/v1/honors?org={code}"))
        }
        ("POST", "/api/v1/honors") => post(path).json(&honor_body(t)),
        ("GET", "/api/v1/honors/{id}") => get(&format!("/api/v1/honors/{}", honor(w, t).await)),
        ("PUT", "/api/v1/honors/{id}") => put(&format!("/api/v1/honors/{}", honor(w, t).await)).json(&honor_body(t)),
        ("DELETE", "/api/v1/honors/{id}") => {
            crate::common::request(Method::DELETE, &format!("/api/v1/honors/{}", honor(w, t).await))
        }
        _ if path.starts_with("/brands")
            || path.starts_with("/honors")
            || path.starts_with("/standards")
            || path.starts_with("/api/v1/brand")
            || path.starts_with("/api/v1/honors")
            || path.starts_with("/api/v1/standards") =>
        {
            panic!("brands matrix line {}: no request written for {} {path}", row.line, row.method)
        }
        _ => return None,
    };
    Some(req)
}
