//! The account list: one page of accounts in a scope, each with its grants.

mod common;

use common::each_backend;
use qizhi_core::access::Role;
use qizhi_core::org::UnitInput;
use qizhi_store::Scope;

#[tokio::test]
async fn the_account_list_carries_each_accounts_grants() {
    each_backend(|store| async move {
        let fields = |code: &str, kind: &str| {
            UnitInput { code: code.into(), name: format!("{code} 党组织"), kind: kind.into(), ..Default::default() }
                .validate()
                .unwrap()
        };
        let root = store.create_unit(None, &fields("CU", "党组")).await.unwrap();
        let fj = store.create_unit(Some(root.id), &fields("FJ", "党委")).await.unwrap();
        let nm = store.create_unit(Some(root.id), &fields("NM", "党委")).await.unwrap();
        let a = store.create_user("a-admin", "甲", "x").await.unwrap();
        let b = store.create_user("b-viewer", "乙", "x").await.unwrap();
        store.create_user("c-none", "丙", "x").await.unwrap();
        store.add_grant(a, Role::UnitAdmin, Some(fj.id)).await.unwrap();
        store.add_grant(a, Role::Viewer, Some(nm.id)).await.unwrap();
        store.add_grant(b, Role::Viewer, Some(nm.id)).await.unwrap();

        let all = store.users_page(&Scope::All, "", 1, 50).await.unwrap();
        assert_eq!(all.total, 3);
        let grants: Vec<(String, Vec<Option<String>>)> = all
            .items
            .iter()
            .map(|u| (u.user.username.clone(), u.grants.iter().map(|g| g.unit_code.clone()).collect()))
            .collect();
        assert_eq!(
            grants,
            [
                ("a-admin".to_string(), vec![Some("FJ".to_string()), Some("NM".to_string())]),
                ("b-viewer".to_string(), vec![Some("NM".to_string())]),
                ("c-none".to_string(), vec![]),
            ]
        );
        for u in &all.items {
            assert_eq!(u.grants.len(), store.grants(u.user.id).await.unwrap().len(), "{}", u.user.username);
        }

        let fj_only = store.users_page(&Scope::subtrees(vec![fj.path.clone()]), "", 1, 50).await.unwrap();
        assert_eq!(fj_only.items.iter().map(|u| u.user.username.as_str()).collect::<Vec<_>>(), ["a-admin"]);
        let second = store.users_page(&Scope::All, "", 2, 2).await.unwrap();
        assert_eq!((second.total, second.items.len()), (3, 1));
    })
    .await;
}
