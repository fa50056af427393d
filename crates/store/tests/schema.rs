//! The SQLite and PostgreSQL migrations are written twice, once per dialect;
//! this test holds them to one schema: the same migrations, tables, columns
//! (with the same kind of value, nullability and primary key), indexes,
//! unique constraints and foreign keys. An integer is 64-bit on both.

mod common;

use std::collections::BTreeSet;

use qizhi_store::{Backend, Store, migrator};
use sqlx::Row;

/// One fact about a schema, printed in a way both databases agree on.
type Facts = BTreeSet<String>;

#[tokio::test]
async fn sqlite_and_postgres_migrations_build_the_same_schema() {
    let versions = |b| migrator(b).iter().map(|m| (m.version, m.description.to_string())).collect::<Vec<_>>();
    assert_eq!(versions(Backend::Sqlite), versions(Backend::Postgres), "the two migration folders differ");

    let (lite, dir) = common::sqlite().await;
    let sqlite = sqlite_facts(&lite).await;
    lite.close().await;
    let _ = std::fs::remove_dir_all(dir);
    assert!(sqlite.iter().any(|f| f.starts_with("column units.path ")), "no schema read from SQLite");

    let Some(pg) = common::Postgres::create().await else { return };
    let postgres = postgres_facts(&pg.store).await;
    pg.drop().await;

    let only_sqlite: Vec<_> = sqlite.difference(&postgres).collect();
    let only_postgres: Vec<_> = postgres.difference(&sqlite).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the schemas differ\nonly on SQLite:\n  {}\nonly on PostgreSQL:\n  {}",
        only_sqlite.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  "),
        only_postgres.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n  "),
    );
}

/// The kind of value a declared column type holds, the same word on both.
fn kind(declared: &str) -> String {
    match declared.to_ascii_lowercase().as_str() {
        "bigint" => "int64".into(),
        "text" => "text".into(),
        "bytea" | "blob" => "bytes".into(),
        "real" | "double precision" => "real".into(),
        other => other.into(),
    }
}

fn column(table: &str, name: &str, kind: &str, not_null: bool, pk: i64) -> String {
    let null = if not_null { "not null" } else { "null" };
    let key = if pk > 0 { format!(" pk{pk}") } else { String::new() };
    format!("column {table}.{name} {kind} {null}{key}")
}

fn index(table: &str, name: Option<&str>, unique: bool, columns: &str) -> String {
    let unique = if unique { "unique " } else { "" };
    match name {
        Some(name) => format!("index {table}.{name} {unique}({columns})"),
        None => format!("constraint {table} {unique}({columns})"),
    }
}

async fn strings(store: &Store, sql: &str, bind: Option<&str>) -> Vec<sqlx::any::AnyRow> {
    let mut query = sqlx::query(sql);
    if let Some(value) = bind {
        query = query.bind(value.to_string());
    }
    query.fetch_all(store.pool()).await.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

async fn sqlite_facts(store: &Store) -> Facts {
    let mut facts = Facts::new();
    let tables = strings(
        store,
        "SELECT name FROM sqlite_master WHERE type = 'table' \
         AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
        None,
    )
    .await;
    for table in tables.iter().map(|r| r.get::<String, _>(0)) {
        facts.insert(format!("table {table}"));
        let mut pk_columns = Vec::new();
        for c in strings(store, "SELECT name, type, \"notnull\", pk FROM pragma_table_info($1)", Some(&table)).await {
            let (name, declared, not_null, pk) =
                (c.get::<String, _>(0), c.get::<String, _>(1), c.get::<i64, _>(2), c.get::<i64, _>(3));
            // SQLite integers are 64-bit whatever the declaration says.
            let kind = if declared.eq_ignore_ascii_case("integer") { "int64".into() } else { kind(&declared) };
            // A primary key column is never null on PostgreSQL; SQLite only says so when declared.
            facts.insert(column(&table, &name, &kind, not_null == 1 || pk > 0, pk));
            if pk > 0 {
                pk_columns.push((pk, name));
            }
        }
        pk_columns.sort();
        for i in strings(store, "SELECT name, \"unique\", origin FROM pragma_index_list($1)", Some(&table)).await {
            let (name, unique, origin) = (i.get::<String, _>(0), i.get::<i64, _>(1), i.get::<String, _>(2));
            if origin == "pk" {
                continue;
            }
            let columns = strings(store, "SELECT name FROM pragma_index_info($1) ORDER BY seqno", Some(&name))
                .await
                .iter()
                .map(|r| r.try_get::<String, _>(0).unwrap_or_else(|_| "<expression>".into()))
                .collect::<Vec<_>>()
                .join(",");
            let explicit = (origin == "c").then_some(name.as_str());
            facts.insert(index(&table, explicit, unique == 1, &columns));
        }
        for f in strings(
            store,
            "SELECT \"table\", \"from\", COALESCE(\"to\", ''), on_delete FROM pragma_foreign_key_list($1)",
            Some(&table),
        )
        .await
        {
            let (target, from, to, on_delete) =
                (f.get::<String, _>(0), f.get::<String, _>(1), f.get::<String, _>(2), f.get::<String, _>(3));
            let to = if to.is_empty() { primary_key_of(store, &target).await } else { to };
            facts.insert(format!("foreign key {table}.{from} -> {target}.{to} on delete {}", on_delete.to_lowercase()));
        }
    }
    facts
}

/// The single primary key column of a SQLite table (what a bare
/// `REFERENCES table` points at).
async fn primary_key_of(store: &Store, table: &str) -> String {
    strings(store, "SELECT name FROM pragma_table_info($1) WHERE pk = 1", Some(table))
        .await
        .first()
        .map(|r| r.get::<String, _>(0))
        .unwrap_or_default()
}

async fn postgres_facts(store: &Store) -> Facts {
    let mut facts = Facts::new();
    for t in strings(
        store,
        "SELECT table_name::text FROM information_schema.tables \
         WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
         AND table_name <> '_sqlx_migrations'",
        None,
    )
    .await
    {
        facts.insert(format!("table {}", t.get::<String, _>(0)));
    }
    for c in strings(
        store,
        "SELECT c.table_name::text, c.column_name::text, c.data_type::text, \
                CASE WHEN c.is_nullable = 'NO' THEN 1 ELSE 0 END::int8, \
                COALESCE((SELECT k.ordinal_position FROM information_schema.key_column_usage k \
                          JOIN information_schema.table_constraints tc \
                            ON tc.constraint_name = k.constraint_name AND tc.table_schema = k.table_schema \
                          WHERE tc.constraint_type = 'PRIMARY KEY' AND k.table_schema = c.table_schema \
                            AND k.table_name = c.table_name AND k.column_name = c.column_name), 0)::int8 \
         FROM information_schema.columns c \
         WHERE c.table_schema = current_schema() AND c.table_name <> '_sqlx_migrations'",
        None,
    )
    .await
    {
        let (table, name, declared) = (c.get::<String, _>(0), c.get::<String, _>(1), c.get::<String, _>(2));
        let kind = if declared == "integer" { "int32 (use BIGINT)".into() } else { kind(&declared) };
        facts.insert(column(&table, &name, &kind, c.get::<i64, _>(3) == 1, c.get::<i64, _>(4)));
    }
    for i in strings(
        store,
        "SELECT t.relname::text, i.relname::text, ix.indisunique::int::int8, \
                EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = ix.indexrelid)::int::int8, \
                (SELECT string_agg(COALESCE(a.attname::text, '<expression>'), ',' ORDER BY k.ord) \
                 FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord) \
                 LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum AND k.attnum > 0) \
         FROM pg_index ix \
         JOIN pg_class i ON i.oid = ix.indexrelid \
         JOIN pg_class t ON t.oid = ix.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = current_schema() AND NOT ix.indisprimary AND t.relname <> '_sqlx_migrations'",
        None,
    )
    .await
    {
        let (table, name) = (i.get::<String, _>(0), i.get::<String, _>(1));
        let constraint = i.get::<i64, _>(3) == 1;
        let explicit = (!constraint).then_some(name.as_str());
        facts.insert(index(&table, explicit, i.get::<i64, _>(2) == 1, &i.get::<String, _>(4)));
    }
    for f in strings(
        store,
        "SELECT cl.relname::text, a.attname::text, rt.relname::text, ra.attname::text, c.confdeltype::text \
         FROM pg_constraint c \
         JOIN pg_class cl ON cl.oid = c.conrelid \
         JOIN pg_class rt ON rt.oid = c.confrelid \
         JOIN pg_namespace n ON n.oid = cl.relnamespace \
         CROSS JOIN LATERAL unnest(c.conkey, c.confkey) AS k(col, rcol) \
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.col \
         JOIN pg_attribute ra ON ra.attrelid = c.confrelid AND ra.attnum = k.rcol \
         WHERE c.contype = 'f' AND n.nspname = current_schema()",
        None,
    )
    .await
    {
        let on_delete = match f.get::<String, _>(4).as_str() {
            "a" => "no action",
            "r" => "restrict",
            "c" => "cascade",
            "n" => "set null",
            "d" => "set default",
            other => panic!("unknown foreign key action {other}"),
        };
        facts.insert(format!(
            "foreign key {}.{} -> {}.{} on delete {on_delete}",
            f.get::<String, _>(0),
            f.get::<String, _>(1),
            f.get::<String, _>(2),
            f.get::<String, _>(3)
        ));
    }
    facts
}
