//! Assessments in the store: ranks, tiers and streaks come from the scores
//! for any span; one score moves its peers' standings; the issuer's rule
//! moves the tier; a moved unit keeps its own figures and carries its count
//! to its new line; the rollup stays equal to a recount.

mod common;

use common::each_backend;
use qizhi_core::figures::{Span, Value};
use qizhi_core::ids::UnitId;
use qizhi_core::org::{Unit, UnitInput};
use qizhi_core::recognition::{AssessmentKind, TierRule};
use qizhi_core::stars::points::Points;
use qizhi_store::recognition::assessments::Score;
use qizhi_store::{Store, StoreError};

const PB: AssessmentKind = AssessmentKind::PartyBuilding;

async fn unit(store: &Store, parent: Option<&Unit>, code: &str) -> Unit {
    let kind = if parent.is_none() { "党组" } else { "党委" };
    let f = UnitInput { code: code.into(), name: format!("{code} 党委"), kind: kind.into(), ..Default::default() };
    store.create_unit(parent.map(|p| p.id), &f.validate().unwrap()).await.unwrap()
}

async fn fig(store: &Store, unit: &Unit, year: i32, key: &str) -> i64 {
    match store.figures(unit.id, Span { from: 2019, to: year }).await.unwrap()[key] {
        Value::Count(n) => n,
        v => panic!("{key}: {v:?}"),
    }
}

async fn exact(store: &Store) {
    assert_eq!(store.stored_rollup().await.unwrap(), store.recompute().await.unwrap(), "rollup differs from a recount");
}

fn scores(pairs: &[(&Unit, i64)]) -> Vec<Score> {
    pairs.iter().map(|(u, s)| Score { unit: u.id, score: Points::whole(*s) }).collect()
}

#[tokio::test]
async fn standings_and_streaks_come_from_the_scores_of_each_year() {
    each_backend(|store| async move {
        let cu = unit(&store, None, "CU").await;
        let ha = unit(&store, Some(&cu), "HA").await;
        let cities: Vec<Unit> = {
            let mut v = vec![];
            for code in ["HA01", "HA02", "HA03", "HA04", "HA05", "HA06"] {
                v.push(unit(&store, Some(&ha), code).await);
            }
            v
        };
        let zz = &cities[0];
        // Zhengzhou first three years running; HA02 first in 2022 only.
        for (year, zz_score, second) in [(2022, 90, 95), (2023, 96, 88), (2024, 97, 91)] {
            let mut s = vec![(zz, zz_score), (&cities[1], second)];
            s.extend(cities[2..].iter().enumerate().map(|(i, c)| (c, 60 + i as i64)));
            let standings = store.record_assessments(ha.id, PB, year, &scores(&s)).await.unwrap();
            assert_eq!(standings.len(), cities.len());
        }
        // The best third of six: ranks 1 and 2 are the first tier each year.
        assert_eq!(fig(&store, zz, 2024, "assessments.streak.first_tier.party_building").await, 3);
        assert_eq!(fig(&store, zz, 2024, "assessments.streak.rank_first.party_building").await, 2, "2023, 2024");
        assert_eq!(fig(&store, zz, 2022, "assessments.rank.party_building").await, 2);
        assert_eq!(fig(&store, &ha, 2024, "assessments.assessed.party_building").await, 6);
        assert_eq!(fig(&store, &ha, 2024, "assessments.first_tier.party_building").await, 2);
        assert_eq!(fig(&store, &cu, 2024, "assessments.first_tier.party_building").await, 2, "up the line");
        assert_eq!(fig(&store, &ha, 2024, "assessments.rank.party_building").await, 0, "the issuer is not ranked");
        exact(&store).await;

        // One score changes: HA02 overtakes Zhengzhou in 2023, so Zhengzhou's run of firsts is one year.
        store.record_assessments(ha.id, PB, 2023, &scores(&[(&cities[1], 99)])).await.unwrap();
        assert_eq!(fig(&store, zz, 2024, "assessments.streak.rank_first.party_building").await, 1);
        assert_eq!(fig(&store, &cities[1], 2023, "assessments.rank.party_building").await, 1);
        exact(&store).await;

        // The issuer's rule: only the best ranked is in the first tier, for every year.
        store.set_tier_rule(ha.id, PB, Some(TierRule::TopRanks(1))).await.unwrap();
        assert_eq!(fig(&store, &ha, 2024, "assessments.first_tier.party_building").await, 1);
        assert_eq!(fig(&store, zz, 2024, "assessments.streak.first_tier.party_building").await, 1, "2023 lost");
        store.set_tier_rule(ha.id, PB, Some(TierRule::MinScore(Points::whole(90)))).await.unwrap();
        assert_eq!(fig(&store, zz, 2024, "assessments.streak.first_tier.party_building").await, 3);
        exact(&store).await;

        // Business results: growth over the year before, five years running.
        let results: Vec<(UnitId, i32, Points)> =
            (2019..=2024).map(|y| (zz.id, y, Points::whole(100 + i64::from(y - 2019) * 3))).collect();
        store.record_business_results(&results).await.unwrap();
        assert_eq!(fig(&store, zz, 2024, "assessments.streak.growth").await, 5);
        store.record_business_results(&[(zz.id, 2022, Points::whole(50))]).await.unwrap();
        assert_eq!(fig(&store, zz, 2024, "assessments.streak.growth").await, 2, "2022 fell, 2023 and 2024 grew");
        exact(&store).await;

        // A unit moved to another province keeps its own figures; the count goes with it.
        let js = unit(&store, Some(&cu), "JS").await;
        store.move_unit(cities[5].id, js.id).await.unwrap();
        assert_eq!(fig(&store, &ha, 2024, "assessments.assessed.party_building").await, 5);
        assert_eq!(fig(&store, &js, 2024, "assessments.assessed.party_building").await, 1);
        // 2024: Zhengzhou 97, HA02 91, then its 63, best of the others.
        assert_eq!(fig(&store, &cities[5], 2024, "assessments.rank.party_building").await, 3);
        assert_eq!(fig(&store, &cu, 2024, "assessments.assessed.party_building").await, 6);
        exact(&store).await;

        // Only units below the issuer are assessed by it.
        match store.record_assessments(ha.id, PB, 2024, &scores(&[(&js, 80)])).await.unwrap_err() {
            StoreError::Conflict { field, .. } => assert_eq!(field, "unit"),
            e => panic!("{e}"),
        }
    })
    .await;
}
