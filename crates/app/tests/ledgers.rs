//! A ledger kind is the same ledger however it is named, and a sheet that
//! is not a ledger is refused by name instead of read as another one.

use qizhi_app::ledgers::{self, ImportError};
use qizhi_core::org::UnitInput;
use qizhi_core::person::PersonInput;
use qizhi_sheet::Format;
use qizhi_store::Store;

#[tokio::test]
async fn a_kind_named_in_capitals_or_in_chinese_is_that_ledger() {
    let dir = std::env::temp_dir().join(format!("qizhi-app-ledgers-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let store = Store::open(&format!("sqlite://{}/t.db", dir.display())).await.unwrap();
    let unit =
        UnitInput { code: "CU".into(), name: "集团党组".into(), kind: "党组".into(), ..Default::default() };
    let root = store.create_unit(None, &unit.validate().unwrap()).await.unwrap();
    let person = PersonInput { name: "张三".into(), category: "正式党员".into(), ..Default::default() };
    store.create_person(root.id, &person.validate().unwrap()).await.unwrap();
    let everything = |_: &qizhi_core::org::Unit| true;

    let (csv, written) = ledgers::export(&store, "人员", &root, Vec::new(), Format::Csv, true).await.unwrap();
    assert_eq!(written, 1, "the people ledger, named in Chinese");
    for kind in ["people", "PEOPLE", " People ", "人员"] {
        let (batch, _) = ledgers::prepare(&store, kind, &csv, Format::Csv, &everything).await.unwrap();
        assert_eq!((batch.people.len(), batch.scenarios.len()), (1, 0), "{kind}");
    }
    for kind in ["audit", "审计日志", "nothing"] {
        match ledgers::prepare(&store, kind, &csv, Format::Csv, &everything).await {
            Err(ImportError::File(e)) => assert!(e.to_string().contains("未知的台账类型"), "{kind}: {e}"),
            other => panic!("{kind}: {:?}", other.map(|(b, _)| b.people.len())),
        }
        assert!(ledgers::export(&store, kind, &root, Vec::new(), Format::Csv, true).await.is_err(), "{kind}");
    }
    store.close().await;
    let _ = std::fs::remove_dir_all(dir);
}
