//! Hand-written aggregate SQL for the reports, portable between SQLite and PostgreSQL: the
//! text is built with the right placeholders for the backend (`?` or `$n`) and the values are
//! always bound, never spliced into the text.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::QueryResult;
use diesel::pg::Pg;
use diesel::query_builder::QueryFragment;
use diesel::query_dsl::methods::LoadQuery;
use diesel::sql_types::{BigInt, Date, Integer, Text, Timestamp};
use diesel::sqlite::Sqlite;

use crate::db::DbConn;

/// A date as days since 1970-01-01, as [`Sql::day_number`] counts them.
pub fn day_number(date: NaiveDate) -> i32 {
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .map(|epoch| (date - epoch).num_days() as i32)
        .unwrap_or_default()
}

/// A value bound to a placeholder.
#[derive(Debug, Clone)]
pub enum Bind {
    Text(String),
    Int(i32),
    BigInt(i64),
    Date(NaiveDate),
    Time(NaiveDateTime),
}

/// SQL text with its bound values.
#[derive(Debug)]
pub struct Sql {
    pg: bool,
    pub text: String,
    binds: Vec<Bind>,
}

/// Binds `$sql`'s values to its text for one backend and calls `$f(query, conn)`.
macro_rules! bound {
    ($sql:expr, $backend:ty, $c:expr, $f:ident) => {{
        let mut q = diesel::sql_query($sql.text).into_boxed::<$backend>();
        for b in $sql.binds {
            q = match b {
                Bind::Text(v) => q.bind::<Text, _>(v),
                Bind::Int(v) => q.bind::<Integer, _>(v),
                Bind::BigInt(v) => q.bind::<BigInt, _>(v),
                Bind::Date(v) => q.bind::<Date, _>(v),
                Bind::Time(v) => q.bind::<Timestamp, _>(v),
            };
        }
        $f(q, $c)
    }};
}

/// The same for the connection's backend: the boxed query's type differs between them.
macro_rules! bind_and {
    ($sql:expr, $conn:expr, $f:ident) => {{
        let sql = $sql;
        match $conn {
            DbConn::Sqlite(c) => bound!(sql, Sqlite, c, $f),
            DbConn::Pg(c) => bound!(sql, Pg, c, $f),
        }
    }};
}

impl Sql {
    pub fn for_conn(conn: &DbConn) -> Sql {
        Sql {
            pg: matches!(conn, DbConn::Pg(_)),
            text: String::new(),
            binds: Vec::new(),
        }
    }

    /// The day of a timestamp or date expression, counted in days since 1970-01-01.
    pub fn day_number(&self, x: &str) -> String {
        if self.pg {
            format!("(CAST({x} AS DATE) - DATE '1970-01-01')")
        } else {
            format!("CAST(julianday(date({x})) - 2440587.5 AS INTEGER)")
        }
    }

    /// The month of a timestamp or date expression as a number: year × 12 + month.
    pub fn month_number(&self, x: &str) -> String {
        if self.pg {
            format!("CAST(EXTRACT(YEAR FROM {x}) * 12 + EXTRACT(MONTH FROM {x}) AS INTEGER)")
        } else {
            format!(
                "(CAST(substr({x}, 1, 4) AS INTEGER) * 12 + CAST(substr({x}, 6, 2) AS INTEGER))"
            )
        }
    }

    pub fn is_pg(&self) -> bool {
        self.pg
    }

    /// Binds a value and returns its placeholder.
    pub fn p(&mut self, value: Bind) -> String {
        self.binds.push(value);
        // Numbered on both backends, so a value may be bound before the text that uses it.
        if self.pg {
            format!("${}", self.binds.len())
        } else {
            format!("?{}", self.binds.len())
        }
    }

    /// `(?, ?, …)` for a list of texts; `(NULL)` for an empty list (matches nothing).
    pub fn text_list(&mut self, values: &[String]) -> String {
        if values.is_empty() {
            return "(NULL)".into();
        }
        let marks: Vec<String> = values
            .iter()
            .map(|v| self.p(Bind::Text(v.clone())))
            .collect();
        format!("({})", marks.join(", "))
    }

    /// `(?, ?, …)` for a list of ids; `(NULL)` for an empty list.
    pub fn id_list(&mut self, values: &[i64]) -> String {
        if values.is_empty() {
            return "(NULL)".into();
        }
        let marks: Vec<String> = values.iter().map(|v| self.p(Bind::BigInt(*v))).collect();
        format!("({})", marks.join(", "))
    }

    pub fn push(&mut self, text: &str) {
        self.text.push_str(text);
    }

    /// Runs the query and loads its rows.
    pub fn load<R>(self, conn: &mut DbConn) -> QueryResult<Vec<R>>
    where
        R: diesel::deserialize::QueryableByName<Sqlite>
            + diesel::deserialize::QueryableByName<Pg>
            + 'static,
    {
        let started = std::time::Instant::now();
        let head: String = self.text.chars().take(60).collect();
        let out = self.load_inner(conn);
        tracing::debug!(millis = started.elapsed().as_millis() as u64, sql = %head, "report query");
        out
    }

    /// Runs a statement that returns no rows; the number of rows it changed.
    pub fn execute(self, conn: &mut DbConn) -> QueryResult<usize> {
        let started = std::time::Instant::now();
        let head: String = self.text.chars().take(60).collect();
        let out = bind_and!(self, conn, execute);
        tracing::debug!(millis = started.elapsed().as_millis() as u64, sql = %head, "report statement");
        out
    }

    fn load_inner<R>(self, conn: &mut DbConn) -> QueryResult<Vec<R>>
    where
        R: diesel::deserialize::QueryableByName<Sqlite>
            + diesel::deserialize::QueryableByName<Pg>
            + 'static,
    {
        bind_and!(self, conn, run)
    }
}

fn execute<Q, C>(q: Q, conn: &mut C) -> QueryResult<usize>
where
    Q: diesel::RunQueryDsl<C> + diesel::query_dsl::methods::ExecuteDsl<C>,
    C: diesel::Connection,
{
    diesel::RunQueryDsl::execute(q, conn)
}

fn run<'a, Q, C, R>(q: Q, conn: &mut C) -> QueryResult<Vec<R>>
where
    Q: LoadQuery<'a, C, R> + QueryFragment<C::Backend>,
    C: diesel::Connection,
{
    diesel::RunQueryDsl::load(q, conn)
}
