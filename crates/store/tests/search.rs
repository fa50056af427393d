//! A search finds the same records on SQLite and PostgreSQL: Latin letters
//! match whatever their case, and `%` or `_` typed by a user are plain text.

mod common;

use common::each_backend;
use qizhi_core::org::UnitInput;
use qizhi_core::person::PersonInput;
use qizhi_store::Page;
use qizhi_store::Scope;
use qizhi_store::people::PeopleQuery;

fn unit(code: &str, name: &str, kind: &str) -> qizhi_core::org::UnitFields {
    UnitInput { code: code.into(), name: name.into(), kind: kind.into(), ..Default::default() }.validate().unwrap()
}

#[tokio::test]
#[allow(non_snake_case)]
async fn fj_and_FJ_find_the_same_units_and_people() {
    each_backend(|store| async move {
        let root = store.create_unit(None, &unit("CU", "集团党组", "党组")).await.unwrap();
        let mut made = Vec::new();
        for (code, name) in [
            ("FJ01", "福州第一支部"),
            ("NM01", "Fj 试点支部"),
            ("NM02", "呼和浩特 fj 联合支部"),
            ("NM03", "包头支部"),
            ("NM04", "50%_支部"),
        ] {
            made.push(store.create_unit(Some(root.id), &unit(code, name, "党支部")).await.unwrap());
        }
        let found = |q: &'static str| {
            let store = store.clone();
            async move {
                let mut codes: Vec<String> =
                    store.search_units(q, &Scope::All, 50).await.unwrap().into_iter().map(|u| u.code).collect();
                codes.sort();
                codes
            }
        };
        let lower = found("fj").await;
        assert_eq!(lower, ["FJ01", "NM01", "NM02"], "a code prefix or a name containing the letters, any case");
        assert_eq!(found("FJ").await, lower);
        assert_eq!(found("Fj").await, lower);
        assert_eq!(found("%_").await, ["NM04"], "wildcards are plain text");

        let person = |name: &str| {
            PersonInput { name: name.into(), category: "正式党员".into(), ..Default::default() }.validate().unwrap()
        };
        for name in ["Anna Li", "ANNA WANG", "李娜"] {
            store.create_person(made[0].id, &person(name)).await.unwrap();
        }
        for q in ["anna", "ANNA", "Anna"] {
            let query = PeopleQuery { q: q.into(), page: 1, per_page: 50, ..Default::default() };
            let Page { total, .. } = store.people(&root, &Scope::All, &query).await.unwrap();
            assert_eq!(total, 2, "{q}");
        }
    })
    .await;
}
