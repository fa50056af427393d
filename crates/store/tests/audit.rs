//! The audit trail: changes made through an acting store are appended in the
//! same transaction with before and after; the table refuses edits; reading
//! is filtered by scope.

mod common;

use common::each_backend;
use qizhi_core::org::UnitInput;
use qizhi_core::person::PersonInput;
use qizhi_store::Page;
use qizhi_store::Scope;
use qizhi_store::audit::{Actor, AuditQuery};
use qizhi_store::load::{Batch, PersonRow};

fn unit(code: &str, kind: &str) -> qizhi_core::org::UnitFields {
    UnitInput { code: code.into(), name: format!("{code} 名称"), kind: kind.into(), ..Default::default() }
        .validate()
        .unwrap()
}

#[tokio::test]
async fn every_change_is_appended_with_before_and_after() {
    each_backend(|store| async move {
        let actor = Actor { user_id: None, username: "lin".into(), ip: Some("127.0.0.1".into()) };
        let s = store.acting(actor);
        let g = s.create_unit(None, &unit("CU", "党组")).await.unwrap();
        let fj = s.create_unit(Some(g.id), &unit("FJ", "党委")).await.unwrap();
        let nm = s.create_unit(Some(g.id), &unit("NM", "党委")).await.unwrap();
        let b = s.create_unit(Some(fj.id), &unit("FJ-1", "党支部")).await.unwrap();
        let mut renamed = unit("FJ-1", "党支部");
        renamed.name = "新名称".into();
        s.update_unit(b.id, &renamed).await.unwrap();
        let p = s
            .create_person(
                b.id,
                &PersonInput { name: "张三".into(), category: "正式党员".into(), ..Default::default() }
                    .validate()
                    .unwrap(),
            )
            .await
            .unwrap();
        s.move_unit(b.id, nm.id).await.unwrap();
        s.delete_person(p.id).await.unwrap();

        let all = AuditQuery { per_page: 100, ..Default::default() };
        let Page { total, items: entries } = store.audit_entries(&Scope::All, &all).await.unwrap();
        assert_eq!(total, 8);
        let actions: Vec<_> = entries.iter().rev().map(|e| (e.action.as_str(), e.object_kind.as_str())).collect();
        assert_eq!(
            actions,
            [
                ("create", "unit"),
                ("create", "unit"),
                ("create", "unit"),
                ("create", "unit"),
                ("update", "unit"),
                ("create", "person"),
                ("move", "unit"),
                ("delete", "person")
            ]
        );
        let update = &entries[3];
        assert!(update.before.as_deref().unwrap().contains("FJ-1 名称"));
        assert!(update.after.as_deref().unwrap().contains("新名称"));
        assert_eq!(update.username, "lin");
        assert_eq!(update.ip.as_deref(), Some("127.0.0.1"));

        // Read by scope: Inner Mongolia's admins see NM's creation, the move
        // (filed under the unit's new path) and the deletion of the person now
        // under it — not Fujian's earlier edits of the branch.
        let Page { total: n, .. } = store.audit_entries(&Scope::subtrees(vec![nm.path.clone()]), &all).await.unwrap();
        assert_eq!(n, 3);
        let only_moves = AuditQuery { action: Some("move".into()), ..all.clone() };
        assert_eq!(store.audit_entries(&Scope::All, &only_moves).await.unwrap().total, 1);
        let by_text = AuditQuery { q: "张三".into(), ..all.clone() };
        assert_eq!(store.audit_entries(&Scope::All, &by_text).await.unwrap().total, 2);

        // The log refuses edits, whatever the caller.
        assert!(sqlx::query("UPDATE audit_log SET username = 'x'").execute(store.pool()).await.is_err());
        assert!(sqlx::query("DELETE FROM audit_log").execute(store.pool()).await.is_err());
        assert_eq!(store.audit_entries(&Scope::All, &all).await.unwrap().total, 8);
    })
    .await;
}

#[tokio::test]
async fn imports_are_audited_row_by_row_and_plain_stores_write_no_trail() {
    each_backend(|store| async move {
        let g = store.create_unit(None, &unit("CU", "党组")).await.unwrap();
        let b = store.create_unit(Some(g.id), &unit("B1", "党支部")).await.unwrap();
        let all = AuditQuery { per_page: 1000, ..Default::default() };
        assert_eq!(store.audit_entries(&Scope::All, &all).await.unwrap().total, 0, "no actor, no trail");

        let mut batch = Batch::default();
        for i in 0..450 {
            let f = PersonInput { name: format!("人{i}"), category: "团员".into(), ..Default::default() }
                .validate()
                .unwrap();
            batch.people.push(PersonRow { line: i + 2, unit_code: "B1".into(), fields: f });
        }
        let s = store.acting(Actor { user_id: None, username: "importer".into(), ip: None });
        s.load(&batch, &mut |_, _| {}).await.unwrap();
        let Page { total: n, items: entries } =
            store.audit_entries(&Scope::subtrees(vec![b.path.clone()]), &all).await.unwrap();
        assert_eq!(n, 450);
        assert!(entries.iter().all(|e| e.action == "create" && e.object_kind == "person" && e.after.is_some()));
        // Every entry names a distinct person id.
        let mut ids: Vec<_> = entries.iter().map(|e| e.object_id.clone().unwrap()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 450);
    })
    .await;
}
