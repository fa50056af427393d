//! The assessment ledgers (考核得分, 经营业绩) on both databases: a sheet of
//! scores for 300 units with one bad row writes nothing and names the row
//! and column; the good sheet writes every score and the figures follow; an
//! export imported back changes no figure; a unit outside the importer's
//! scope is refused.

#[path = "../../store/tests/common/mod.rs"]
mod common;

use common::each_backend;
use qizhi_app::ledgers::{self, ImportError};
use qizhi_core::figures::{Span, Value};
use qizhi_core::org::{Unit, UnitInput};
use qizhi_sheet::Format;
use qizhi_store::Store;

const UNITS: usize = 300;

async fn unit(store: &Store, parent: Option<&Unit>, code: &str) -> Unit {
    let kind = if parent.is_none() { "党组" } else { "党委" };
    let f = UnitInput { code: code.into(), name: format!("{code} 党委"), kind: kind.into(), ..Default::default() };
    store.create_unit(parent.map(|p| p.id), &f.validate().unwrap()).await.unwrap()
}

fn sheet(rows: &[[String; 5]]) -> Vec<u8> {
    let sheet = ledgers::sheet_of("assessments").unwrap();
    qizhi_sheet::write_to_vec(Format::Xlsx, sheet, rows.iter().map(|r| r.to_vec())).unwrap()
}

async fn count(store: &Store, unit: &Unit, key: &str) -> i64 {
    match store.figures(unit.id, Span::year(2024)).await.unwrap()[key] {
        Value::Count(n) => n,
        v => panic!("{key}: {v:?}"),
    }
}

#[tokio::test]
async fn three_hundred_scores_are_written_all_or_none_and_read_back_unchanged() {
    each_backend(|store| async move {
        let cu = unit(&store, None, "CU").await;
        let ha = unit(&store, Some(&cu), "HA").await;
        let mut below = vec![];
        for i in 0..UNITS {
            below.push(unit(&store, Some(&ha), &format!("HA{i:03}")).await);
        }
        let nm = unit(&store, Some(&cu), "NM").await;
        let row = |u: &Unit, score: String| -> [String; 5] {
            ["HA".into(), u.code.clone(), "党建考核".into(), "2024".into(), score]
        };
        let mut rows: Vec<[String; 5]> =
            below.iter().enumerate().map(|(i, u)| row(u, format!("{}.5", 60 + i % 40))).collect();
        // One bad score, on the 151st data row (line 152 of the sheet, column E).
        rows[150][4] = "九十".into();
        let all = |_: &Unit| true;
        match ledgers::prepare(&store, "考核得分", &sheet(&rows), Format::Xlsx, &all).await {
            Err(ImportError::File(e)) => {
                assert_eq!(e.errors.len(), 1, "{e}");
                let c = &e.errors[0];
                assert_eq!((c.line, c.column.as_str(), c.header.as_str()), (152, "E", "得分"), "{e}");
            }
            Err(e) => panic!("expected the bad row named: {e}"),
            Ok(_) => panic!("a sheet with a bad score was accepted"),
        }
        assert_eq!(count(&store, &ha, "assessments.assessed.party_building").await, 0, "nothing written");

        // A unit the issuer does not assess: refused by the store, nothing written.
        rows[150][4] = "88".into();
        rows[7] = row(&nm, "70".into());
        let (batch, parsed) = ledgers::prepare(&store, "assessments", &sheet(&rows), Format::Xlsx, &all).await.unwrap();
        match ledgers::apply(&store, "assessments", &batch, &parsed, &mut |_, _| {}).await {
            Err(ImportError::File(e)) => assert_eq!((e.errors[0].line, e.errors[0].column.as_str()), (9, "B"), "{e}"),
            Err(e) => panic!("expected the row outside the issuer refused: {e}"),
            Ok(_) => panic!("a unit outside the issuer was assessed"),
        }
        assert_eq!(count(&store, &ha, "assessments.assessed.party_building").await, 0);

        // The good sheet: every unit assessed, the best third in the first tier.
        rows[7] = row(&below[7], "70".into());
        let (batch, parsed) = ledgers::prepare(&store, "assessments", &sheet(&rows), Format::Xlsx, &all).await.unwrap();
        let summary = ledgers::apply(&store, "assessments", &batch, &parsed, &mut |_, _| {}).await.unwrap();
        assert_eq!(summary.created, UNITS);
        assert_eq!(count(&store, &ha, "assessments.assessed.party_building").await, UNITS as i64);
        let tier = count(&store, &ha, "assessments.first_tier.party_building").await;
        assert!(tier >= UNITS.div_ceil(3) as i64, "ties at the edge join the tier: {tier}");
        let best = below.iter().zip(&rows).max_by_key(|(_, r)| r[4].parse::<f64>().unwrap() as i64).unwrap().0;
        assert_eq!(count(&store, best, "assessments.rank.party_building").await, 1);

        // Exported and imported back: the same records, the same figures.
        let before = store.figures(ha.id, Span::year(2024)).await.unwrap();
        let (bytes, n) = ledgers::export(&store, "assessments", &cu, Vec::new(), Format::Xlsx, false).await.unwrap();
        assert_eq!(n, UNITS);
        let (batch, parsed) = ledgers::prepare(&store, "assessments", &bytes, Format::Xlsx, &all).await.unwrap();
        let summary = ledgers::apply(&store, "assessments", &batch, &parsed, &mut |_, _| {}).await.unwrap();
        assert_eq!((summary.created, summary.updated), (0, UNITS));
        assert_eq!(store.figures(ha.id, Span::year(2024)).await.unwrap(), before);
        assert_eq!(store.stored_rollup().await.unwrap(), store.recompute().await.unwrap());

        // An importer who may not change HA is refused.
        let only_nm = |u: &Unit| u.path.starts_with(&nm.path);
        assert!(matches!(
            ledgers::prepare(&store, "assessments", &bytes, Format::Xlsx, &only_nm).await,
            Err(ImportError::Refused { .. })
        ));

        // Business results: growth over five years.
        let results = qizhi_sheet::write_to_vec(
            Format::Csv,
            ledgers::sheet_of("经营业绩").unwrap(),
            (2019..=2024).map(|y| vec![below[0].code.clone(), y.to_string(), format!("{}", 100 + (y - 2019) * 4)]),
        )
        .unwrap();
        let (batch, parsed) = ledgers::prepare(&store, "business_results", &results, Format::Csv, &all).await.unwrap();
        ledgers::apply(&store, "business_results", &batch, &parsed, &mut |_, _| {}).await.unwrap();
        assert_eq!(count(&store, &below[0], "assessments.streak.growth").await, 5);
    })
    .await;
}
