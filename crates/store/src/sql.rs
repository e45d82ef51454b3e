//! The one builder for SQL assembled at run time: text with `$N` placeholders numbered as the
//! values are bound, and the caller's scope as a SQL condition, so that lists, counts and
//! dashboards are filtered in the query itself (CONVENTIONS.md 10), never after loading.
//!
//! Values are always bound, never written into the text. Placeholders are `$N` on both backends
//! (PostgreSQL's own syntax; sqlx's SQLite driver reads `$N` as the N-th value), so one
//! placeholder may appear several times for one value. `sqlx::QueryBuilder<Any>` cannot serve:
//! `AnyArguments` writes `?` placeholders, which PostgreSQL rejects, and it binds a new value for
//! every placeholder it writes.

use safeduty_core::policy::Scope;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::{Query, QueryScalar};
use sqlx::{Any, Arguments, AssertSqlSafe, FromRow};

/// A value bound to a query built with [`Sql`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Value {
    /// An integer.
    I64(i64),
    /// A text.
    Text(String),
    /// An integer or NULL.
    OptI64(Option<i64>),
    /// A text or NULL.
    OptText(Option<String>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Value {
        Value::I64(v)
    }
}

impl From<String> for Value {
    fn from(v: String) -> Value {
        Value::Text(v)
    }
}

impl From<&str> for Value {
    fn from(v: &str) -> Value {
        Value::Text(v.to_string())
    }
}

impl From<Option<i64>> for Value {
    fn from(v: Option<i64>) -> Value {
        Value::OptI64(v)
    }
}

impl From<Option<String>> for Value {
    fn from(v: Option<String>) -> Value {
        Value::OptText(v)
    }
}

/// A SQL text being assembled and the values its placeholders stand for, in placeholder order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Sql {
    text: String,
    values: Vec<Value>,
}

impl Sql {
    /// A builder starting with `text` (which must not hold placeholders).
    pub(crate) fn new(text: &str) -> Sql {
        Sql {
            text: text.to_string(),
            values: Vec::new(),
        }
    }

    /// Appends SQL text (no values in it: bind them).
    pub(crate) fn push(&mut self, text: &str) -> &mut Sql {
        self.text.push_str(text);
        self
    }

    /// Binds `value` and returns its placeholder (`$N`) without writing it, for a placeholder
    /// written more than once or inside a larger piece of text. Every placeholder returned must
    /// end up in the text (PostgreSQL cannot type a parameter the text never uses).
    pub(crate) fn bind(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        format!("${}", self.values.len())
    }

    /// Binds `value` and writes its placeholder.
    pub(crate) fn push_bind(&mut self, value: impl Into<Value>) -> &mut Sql {
        let p = self.bind(value);
        self.push(&p)
    }

    /// Binds every value and writes their placeholders separated by `, ` (for `IN (…)` and
    /// `VALUES (…)`); writes nothing for no values.
    pub(crate) fn push_bind_list<V: Into<Value>>(
        &mut self,
        values: impl IntoIterator<Item = V>,
    ) -> &mut Sql {
        for (k, v) in values.into_iter().enumerate() {
            if k > 0 {
                self.push(", ");
            }
            self.push_bind(v);
        }
        self
    }

    /// Writes the condition that `column` (a materialized region path) lies in the subtree of
    /// `path`: an exact prefix match, no LIKE wildcards.
    pub(crate) fn push_path_prefix(&mut self, column: &str, path: impl Into<Value>) -> &mut Sql {
        let p = self.bind(path);
        self.push(&format!("substr({column}, 1, length({p})) = {p}"))
    }

    /// Writes the condition that `column` (a region id) is the id of a region in the subtree of
    /// `path`. The prefix test runs over the regions (a few thousand rows at most), and the
    /// column is matched against their ids, so that the enterprises are found through their
    /// region index, not by a full scan (issue #19 point 4); unlike a text range on the path it
    /// does not depend on the database's collation.
    pub(crate) fn push_region_in_subtree(
        &mut self,
        column: &str,
        path: impl Into<Value>,
    ) -> &mut Sql {
        self.push(&format!("{column} IN (SELECT sr.id FROM regions sr WHERE "))
            .push_path_prefix("sr.path", path)
            .push(")")
    }

    /// Writes ` LIMIT n OFFSET m` for `page` (the query must end with an order on a unique key).
    pub(crate) fn push_page(&mut self, page: crate::paging::PageRequest) -> &mut Sql {
        self.push(" LIMIT ")
            .push_bind(i64::from(page.per_page()))
            .push(" OFFSET ")
            .push_bind(page.offset())
    }

    /// Writes the condition selecting the enterprises inside `scope`, over `e` (enterprises);
    /// see [`Sql::push_region_in_subtree`] for why it names no joined region.
    pub(crate) fn push_scope(&mut self, scope: &Scope) -> &mut Sql {
        match scope {
            Scope::RegionSubtree { region_path } => {
                self.push_region_in_subtree("e.region_id", region_path.as_str())
            }
            Scope::Department {
                unit_id,
                region_path,
            } => self
                .push("e.supervising_unit_id = ")
                .push_bind(*unit_id)
                .push(" AND ")
                .push_region_in_subtree("e.region_id", region_path.as_str()),
            Scope::Enterprise { enterprise_id } => self.push("e.id = ").push_bind(*enterprise_id),
            Scope::Nothing => self.push("1 = 0"),
        }
    }

    /// Appends `other`'s text and values (its placeholders renumbered after this one's).
    pub(crate) fn append(&mut self, other: Sql) -> &mut Sql {
        let offset = self.values.len();
        let mut text = String::with_capacity(other.text.len());
        let mut chars = other.text.chars().peekable();
        while let Some(c) = chars.next() {
            text.push(c);
            if c == '$' {
                let mut n = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    n.push(*d);
                    chars.next();
                }
                match n.parse::<usize>() {
                    Ok(k) => text.push_str(&(k + offset).to_string()),
                    Err(_) => text.push_str(&n),
                }
            }
        }
        self.text.push_str(&text);
        self.values.extend(other.values);
        self
    }

    /// The text assembled so far.
    #[cfg(test)]
    pub(crate) fn text(&self) -> &str {
        &self.text
    }

    /// The values bound so far, in placeholder order.
    #[cfg(test)]
    pub(crate) fn values(&self) -> &[Value] {
        &self.values
    }

    /// The query, with every value bound in order.
    pub(crate) fn query(self) -> Query<'static, Any, AnyArguments> {
        let args = arguments(self.values);
        sqlx::query_with(AssertSqlSafe(self.text), args)
    }

    /// The query reading one value per row, with every value bound in order.
    pub(crate) fn query_scalar<O>(self) -> QueryScalar<'static, Any, O, AnyArguments>
    where
        (O,): for<'r> FromRow<'r, AnyRow>,
    {
        let args = arguments(self.values);
        sqlx::query_scalar_with(AssertSqlSafe(self.text), args)
    }
}

/// The values as the query's arguments, in order. Encoding an integer, a text or their
/// `NULL` does not fail on either backend.
fn arguments(values: Vec<Value>) -> AnyArguments {
    let mut args = AnyArguments::default();
    for v in values {
        let added = match v {
            Value::I64(v) => args.add(v),
            Value::Text(v) => args.add(v),
            Value::OptI64(v) => args.add(v),
            Value::OptText(v) => args.add(v),
        };
        if let Err(e) = added {
            tracing::error!(error = %e, "a query value could not be encoded");
        }
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_in_bind_order_and_may_repeat() {
        let mut sql = Sql::new("SELECT 1 WHERE a = ");
        sql.push_bind(7);
        let today = sql.bind("2024-06-20");
        sql.push(&format!(" AND b < {today} AND c <> {today} AND d IN ("))
            .push_bind_list(["x", "y"])
            .push(")");
        assert_eq!(
            sql.text,
            "SELECT 1 WHERE a = $1 AND b < $2 AND c <> $2 AND d IN ($3, $4)"
        );
        assert_eq!(
            sql.values,
            vec![
                Value::I64(7),
                Value::Text("2024-06-20".into()),
                Value::Text("x".into()),
                Value::Text("y".into()),
            ]
        );
    }

    #[test]
    fn scope_conditions() {
        let cond = |scope: &Scope| {
            let mut sql = Sql::new("");
            sql.push_bind(1).push(" AND ").push_scope(scope);
            (sql.text.clone(), sql.values.len())
        };
        assert_eq!(
            cond(&Scope::RegionSubtree {
                region_path: "450103".into()
            }),
            (
                "$1 AND e.region_id IN (SELECT sr.id FROM regions sr WHERE \
                 substr(sr.path, 1, length($2)) = $2)"
                    .into(),
                2
            )
        );
        assert_eq!(
            cond(&Scope::Department {
                unit_id: 4,
                region_path: "450103".into()
            }),
            (
                "$1 AND e.supervising_unit_id = $2 AND e.region_id IN (SELECT sr.id FROM regions \
                 sr WHERE substr(sr.path, 1, length($3)) = $3)"
                    .into(),
                3
            )
        );
        assert_eq!(
            cond(&Scope::Enterprise { enterprise_id: 9 }),
            ("$1 AND e.id = $2".into(), 2)
        );
        assert_eq!(cond(&Scope::Nothing), ("$1 AND 1 = 0".into(), 1));
    }
}
