//! The assessment rankings page and API: the units a unit assessed, their
//! rank and score each year, the first tier marked, streaks from the
//! figures, in both languages; a bad kind is named, not a 400.

mod common;

use axum::http::StatusCode;
use common::*;
use qizhi_core::recognition::AssessmentKind;
use qizhi_core::stars::points::Points;
use qizhi_store::recognition::assessments::Score;

#[tokio::test]
async fn a_provinces_rankings_year_over_year() {
    each_backend(|w| async move {
        let fj = w.unit("FJ").id;
        let fj01 = w.unit("FJ01").id;
        // FJ01 is FJ's only unit below in the fixture, so it ranks first each year: three years running.
        for year in [2022, 2023, 2024] {
            let s = [Score { unit: fj01, score: Points::whole(90 + i64::from(year - 2022)) }];
            w.store.record_assessments(fj, AssessmentKind::PartyBuilding, year, &s).await.unwrap();
        }
        let s = w.login("fjadmin").await;
        let html = w
            .send(get(&format!("/assessments?unit={}&from=2022&to=2024", fj.0)).session(&s))
            .await
            .expect(StatusCode::OK)
            .text();
        let table = &html[html.find(r#"data-table="assessments""#).expect("the rankings table")..];
        assert!(table.contains(&w.unit("FJ01").name) && table.contains("第 1 名") && table.contains("92"), "{table}");
        assert_eq!(table.matches(r#"<span class="badge bs-exemplary">第一方阵"#).count(), 3, "first tier each year");
        let streaks: Vec<&str> =
            table.split(r#"<td class="num strong">"#).skip(1).map(|c| c.split('<').next().unwrap()).collect();
        assert_eq!(streaks, ["3", "3"], "in the first tier and first three years running");
        // The unit's own page shows its streak among its figures.
        let unit = w.send(get(&format!("/units/{}?year=2024", fj01.0)).session(&s)).await.expect(StatusCode::OK).text();
        assert_eq!(tile_value(&unit, "assessments.streak.first_tier.party_building").as_deref(), Some("3"));
        // In English; another kind is empty; a kind that cannot be read is named.
        let en = w.send(get(&format!("/assessments?unit={}&year=2024", fj.0)).session(&s).cookie("lang", "en")).await;
        assert!(en.expect(StatusCode::OK).text().contains("No. 1"));
        let other = w.send(get(&format!("/assessments?unit={}&kind=publicity", fj.0)).session(&s)).await;
        assert!(other.expect(StatusCode::OK).text().contains("没有由本组织考核的单位"));
        let bad = w.send(get(&format!("/assessments?unit={}&kind=sports", fj.0)).session(&s)).await;
        assert!(bad.expect(StatusCode::OK).text().contains(r#"id="filter-problems""#));
        // The API answers the same standings.
        let api = w.api_get("viewer", &format!("/api/v1/units/{}/assessments?kind=党建考核&year=2023", fj.0)).await;
        let v = api.expect(StatusCode::OK).json();
        assert_eq!((v["items"][0]["rank"].as_i64(), v["items"][0]["score"].as_str()), (Some(1), Some("91")));
        // FJ's admin sets the tier: a score of 95 or more places no one, so no streak.
        let rule = |by: &str, value: &str| {
            post("/assessments/rule").session(&s).form(&[
                ("csrf", s.csrf.as_str()),
                ("unit", &fj.0.to_string()),
                ("kind", "party_building"),
                ("by", by),
                ("value", value),
            ])
        };
        let r = w.send(rule("score", "95")).await.expect(StatusCode::SEE_OTHER);
        assert!(r.location().unwrap().contains("flash=assessments.rule_saved"));
        let tier = || async {
            let f = w.api_get("viewer", "/api/v1/figures?org=FJ&from=2024&to=2024").await.expect(StatusCode::OK).json();
            f["figures"]["assessments.first_tier.party_building"].as_i64().unwrap()
        };
        assert_eq!(tier().await, 0);
        let unit = w.send(get(&format!("/units/{}?year=2024", fj01.0)).session(&s)).await.expect(StatusCode::OK).text();
        assert_eq!(tile_value(&unit, "assessments.streak.first_tier.party_building").as_deref(), Some("0"));
        let html = w.send(rule("rank", "first")).await.expect(StatusCode::UNPROCESSABLE_ENTITY).text();
        assert!(html.contains("名次或分数") && html.contains("first"), "the problem named: {html}");
        w.send(rule("default", "")).await.expect(StatusCode::SEE_OTHER);
        assert_eq!(tier().await, 1);
        // A viewer reads the rule but has no form.
        let v = w.login("viewer").await;
        let html = w.send(get(&format!("/assessments?unit={}", fj.0)).session(&v)).await.expect(StatusCode::OK).text();
        assert!(html.contains("默认：名次在前三分之一") && !html.contains(r#"action="/assessments/rule""#));

        // The same through the API.
        let put_rule = |token: &str, body: serde_json::Value| {
            put(&format!("/api/v1/units/{}/assessments/rule", fj.0)).bearer(token).json(&body)
        };
        let r = w
            .send(put_rule(w.token("fjadmin"), serde_json::json!({ "kind": "党建考核", "by": "score", "value": "95" })))
            .await;
        assert_eq!(r.expect(StatusCode::OK).json()["value"], "95");
        assert_eq!(tier().await, 0);
        let r =
            w.send(put_rule(w.token("fjadmin"), serde_json::json!({ "kind": "party_building", "by": "top" }))).await;
        assert_eq!(r.expect(StatusCode::UNPROCESSABLE_ENTITY).error_fields(), ["by"]);
        let viewer = put_rule(w.token("viewer"), serde_json::json!({ "kind": "party_building", "by": "default" }));
        w.send(viewer).await.expect(StatusCode::FORBIDDEN);
        w.send(put_rule(w.token("fjadmin"), serde_json::json!({ "kind": "party_building", "by": "default" })))
            .await
            .expect(StatusCode::OK);
        assert_eq!(tier().await, 1);

        // NM's admin sees nothing of FJ's.
        let nm = w.login("nmadmin").await;
        w.send(get(&format!("/assessments?unit={}", fj.0)).session(&nm)).await.expect(StatusCode::NOT_FOUND);
    })
    .await;
}
