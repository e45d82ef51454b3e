//! The two migration sets stay one schema: the same files in `migrations/sqlite` and
//! `migrations/postgres`, numbered without gaps and all embedded in the binary; and a fresh
//! database migrated on each backend has the same tables with the same columns, of the same
//! coarse type (integer, text, real) and the same nullability.

use std::collections::BTreeMap;
use std::path::Path;

use safeduty_store::testing::{embedded_migrations, postgres, sqlite};
use safeduty_store::{Backend, Store};

/// The `.sql` file names of one migration directory, sorted.
fn files(dir: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(dir);
    let mut names: Vec<String> = std::fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .map(|entry| {
            entry
                .expect("directory entry")
                .file_name()
                .into_string()
                .expect("UTF-8 file name")
        })
        .collect();
    names.sort();
    names
}

/// `0007_roster.sql` → (7, `0007_roster`); a name of another form fails the test.
fn numbered(name: &str) -> (i64, &str) {
    let stem = name
        .strip_suffix(".sql")
        .unwrap_or_else(|| panic!("{name}: not a .sql file"));
    let (number, rest) = stem
        .split_once('_')
        .unwrap_or_else(|| panic!("{name}: not NNNN_name.sql"));
    assert!(
        number.len() == 4 && number.bytes().all(|b| b.is_ascii_digit()),
        "{name}: not NNNN_name.sql"
    );
    assert!(
        !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
        "{name}: the name after the number is lower-case ASCII, digits and underscores"
    );
    (number.parse().expect("four digits"), stem)
}

#[test]
fn the_migration_list_matches_both_directories() {
    let sqlite_files = files("sqlite");
    let postgres_files = files("postgres");
    assert_eq!(
        sqlite_files, postgres_files,
        "migrations/sqlite and migrations/postgres hold different files"
    );
    let expected: Vec<(i64, &str)> = sqlite_files.iter().map(|n| numbered(n)).collect();
    for (k, (version, stem)) in expected.iter().enumerate() {
        assert_eq!(
            *version,
            i64::try_from(k + 1).unwrap(),
            "{stem}: migrations are numbered 1, 2, 3… without gaps or repeats"
        );
    }
    for (backend, dir) in [(Backend::Sqlite, "sqlite"), (Backend::Postgres, "postgres")] {
        let embedded = embedded_migrations(backend);
        let listed: Vec<(i64, &str)> = embedded.iter().map(|(v, s, _)| (*v, *s)).collect();
        assert_eq!(
            listed, expected,
            "{dir}: the list embedded in db.rs differs from the directory"
        );
        for (_, stem, sql) in embedded {
            let path = Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("migrations")
                .join(dir)
                .join(format!("{stem}.sql"));
            assert_eq!(
                std::fs::read_to_string(&path).expect("migration file"),
                sql,
                "{}: the embedded text differs from the file",
                path.display()
            );
        }
    }
}

/// A column's type, coarsely: what the two dialects can agree on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Integer,
    Text,
    Real,
    Blob,
    /// Anything else, by its name in the dialect.
    Other(String),
}

/// The class of a declared SQLite type (by SQLite's own affinity rules).
fn sqlite_class(declared: &str) -> Class {
    let t = declared.to_ascii_uppercase();
    if t.contains("INT") {
        Class::Integer
    } else if t.contains("CHAR") || t.contains("CLOB") || t.contains("TEXT") {
        Class::Text
    } else if t.is_empty() || t.contains("BLOB") {
        Class::Blob
    } else if t.contains("REAL") || t.contains("FLOA") || t.contains("DOUB") {
        Class::Real
    } else {
        Class::Other(t)
    }
}

/// The class of a PostgreSQL `information_schema.columns.data_type`.
fn postgres_class(data_type: &str) -> Class {
    match data_type {
        "bigint" | "integer" | "smallint" => Class::Integer,
        "text" | "character varying" | "character" => Class::Text,
        "real" | "double precision" => Class::Real,
        "bytea" => Class::Blob,
        other => Class::Other(other.to_string()),
    }
}

/// A column as both dialects can describe it: its coarse type and whether it takes NULL.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Column {
    class: Class,
    nullable: bool,
}

/// Table → column → description, as the database describes its schema (sqlx's own bookkeeping
/// table and SQLite's internal tables left out).
type Schema = BTreeMap<String, BTreeMap<String, Column>>;

async fn schema(store: &Store) -> Schema {
    let (sql, class): (&str, fn(&str) -> Class) = match store.backend() {
        Backend::Sqlite => (
            // A primary key column takes no NULL (SQLite's `notnull` does not say so).
            "SELECT m.name AS table_name, p.name AS column_name, p.type AS data_type, \
             CASE WHEN p.\"notnull\" = 0 AND p.pk = 0 THEN 1 ELSE 0 END AS nullable \
             FROM sqlite_master m JOIN pragma_table_info(m.name) p \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
             AND m.name <> '_sqlx_migrations'",
            sqlite_class,
        ),
        Backend::Postgres => (
            "SELECT CAST(table_name AS TEXT) AS table_name, \
             CAST(column_name AS TEXT) AS column_name, CAST(data_type AS TEXT) AS data_type, \
             CASE WHEN is_nullable = 'YES' THEN 1 ELSE 0 END AS nullable \
             FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name <> '_sqlx_migrations'",
            postgres_class,
        ),
    };
    let mut tx = store.write().await.expect("transaction");
    let rows: Vec<(String, String, String, i32)> = sqlx::query_as(sql)
        .fetch_all(&mut *tx)
        .await
        .expect("read the schema");
    tx.rollback().await.expect("rollback");
    let mut out = Schema::new();
    for (table, column, data_type, nullable) in rows {
        out.entry(table).or_default().insert(
            column,
            Column {
                class: class(&data_type),
                nullable: nullable != 0,
            },
        );
    }
    out
}

#[tokio::test]
async fn tables_and_columns_match_on_sqlite_and_postgresql() {
    let lite = sqlite().await;
    let lite_schema = schema(&lite.store).await;
    assert!(
        lite_schema.contains_key("audit_records") && lite_schema.len() > 20,
        "the SQLite schema was read: {:?}",
        lite_schema.keys().collect::<Vec<_>>()
    );
    let Some(pg) = postgres().await else {
        lite.cleanup().await;
        return;
    };
    let pg_schema = schema(&pg.store).await;

    let names = |s: &Schema| s.keys().cloned().collect::<Vec<_>>();
    assert_eq!(
        names(&lite_schema),
        names(&pg_schema),
        "the same tables on SQLite (left) and PostgreSQL (right)"
    );
    let mut differences = Vec::new();
    for (table, lite_columns) in &lite_schema {
        let pg_columns = &pg_schema[table];
        let columns = |c: &BTreeMap<String, Column>| c.keys().cloned().collect::<Vec<_>>();
        if columns(lite_columns) != columns(pg_columns) {
            differences.push(format!(
                "{table}: columns on SQLite {:?}, on PostgreSQL {:?}",
                columns(lite_columns),
                columns(pg_columns)
            ));
            continue;
        }
        for (column, lite_column) in lite_columns {
            let pg_column = &pg_columns[column];
            if lite_column != pg_column {
                differences.push(format!(
                    "{table}.{column}: {lite_column:?} on SQLite, {pg_column:?} on PostgreSQL"
                ));
            }
        }
    }
    assert!(
        differences.is_empty(),
        "the two schemas differ:\n{}",
        differences.join("\n")
    );
    lite.cleanup().await;
    pg.cleanup().await;
}
