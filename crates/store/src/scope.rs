//! The caller's scope as a SQL condition, so that lists, counts and dashboards are filtered in
//! the query itself (CONVENTIONS.md 10), never after loading.

use safeduty_core::policy::Scope;
use sqlx::Any;
use sqlx::any::AnyArguments;
use sqlx::query::Query;

/// A bind value of a dynamically built query.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    I64(i64),
    Text(String),
    OptI64(Option<i64>),
    OptText(Option<String>),
}

/// A SQL condition over `e` (enterprises) joined with `r` (their regions), with its arguments
/// numbered from the index given to [`enterprise_condition`].
#[derive(Debug, Clone)]
pub(crate) struct Condition {
    pub sql: String,
    pub args: Vec<Arg>,
}

/// The condition selecting the enterprises inside `scope`. Placeholders start at `$first`.
/// A region subtree is an exact prefix match on the materialized path (no LIKE wildcards).
pub(crate) fn enterprise_condition(scope: &Scope, first: usize) -> Condition {
    let prefix = |n: usize| format!("substr(r.path, 1, length(${n})) = ${n}");
    match scope {
        Scope::RegionSubtree { region_path } => Condition {
            sql: prefix(first),
            args: vec![Arg::Text(region_path.clone())],
        },
        Scope::Department {
            unit_id,
            region_path,
        } => Condition {
            sql: format!("e.supervising_unit_id = ${first} AND {}", prefix(first + 1)),
            args: vec![Arg::I64(*unit_id), Arg::Text(region_path.clone())],
        },
        Scope::Enterprise { enterprise_id } => Condition {
            sql: format!("e.id = ${first}"),
            args: vec![Arg::I64(*enterprise_id)],
        },
        Scope::Nothing => Condition {
            sql: "1 = 0".into(),
            args: vec![],
        },
    }
}

/// Binds `args` in order to a query.
pub(crate) fn bind_all<'q>(
    mut q: Query<'q, Any, AnyArguments>,
    args: &[Arg],
) -> Query<'q, Any, AnyArguments> {
    for a in args {
        q = match a {
            Arg::I64(v) => q.bind(*v),
            Arg::Text(v) => q.bind(v.clone()),
            Arg::OptI64(v) => q.bind(*v),
            Arg::OptText(v) => q.bind(v.clone()),
        };
    }
    q
}
