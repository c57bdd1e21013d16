//! Storage: the one connection type over SQLite and PostgreSQL, the pool, migrations and
//! write transactions. Only this module knows which backend runs.

pub mod batch;
pub mod schema;

use std::time::Duration;

use anyhow::Context;
use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// A connection to either backend. The SQLite variant stays last (it accepts any URL).
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

/// Which engine a database URL points at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// `postgres://` and `postgresql://` URLs are PostgreSQL; anything else is a SQLite path.
    pub fn from_url(url: &str) -> Self {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

pub type Pool = r2d2::Pool<Manager>;
pub type PooledConn = r2d2::PooledConnection<Manager>;

/// r2d2 manager that picks the backend from the URL and applies SQLite's pragmas.
#[derive(Debug)]
pub struct Manager {
    url: String,
    backend: Backend,
}

impl ManageConnection for Manager {
    type Connection = DbConn;
    type Error = r2d2::Error;

    fn connect(&self) -> Result<DbConn, r2d2::Error> {
        match self.backend {
            Backend::Postgres => PgConnection::establish(&self.url)
                .map(DbConn::Pg)
                .map_err(r2d2::Error::ConnectionError),
            Backend::Sqlite => {
                let mut conn =
                    SqliteConnection::establish(&self.url).map_err(r2d2::Error::ConnectionError)?;
                // The busy timeout queues writers instead of failing; FULL makes an acknowledged
                // commit survive a power cut. WAL is set once per file, in `connect`.
                conn.batch_execute(
                    "PRAGMA busy_timeout = 15000; PRAGMA synchronous = FULL; \
                     PRAGMA foreign_keys = ON;",
                )
                .map_err(r2d2::Error::QueryError)?;
                Ok(DbConn::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), r2d2::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

/// Opens a pool and brings the schema up to date.
pub fn connect(url: &str, max_size: u32) -> anyhow::Result<Pool> {
    let backend = Backend::from_url(url);
    if backend == Backend::Sqlite {
        if let Some(parent) = std::path::Path::new(url).parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("Failed to create {}", parent.display()))?;
            }
        }
    }
    if backend == Backend::Sqlite {
        // WAL lets readers go on while one writer writes. It is a property of the file, set
        // once here before the pool opens its connections together.
        let mut conn = SqliteConnection::establish(url).context("Failed to open the database")?;
        conn.batch_execute("PRAGMA busy_timeout = 15000; PRAGMA journal_mode = WAL;")
            .context("Failed to switch the database to WAL mode")?;
    }
    let manager = Manager {
        url: url.to_owned(),
        backend,
    };
    let pool = r2d2::Pool::builder()
        .max_size(max_size)
        // A local SQLite file does not break; checking each connection out with a query would
        // double the cost of every read.
        .test_on_check_out(backend == Backend::Postgres)
        .connection_timeout(Duration::from_secs(30))
        .build(manager)
        .context("Failed to open the database")?;
    let mut conn = pool.get().context("Failed to get a database connection")?;
    migrate(&mut conn)?;
    Ok(pool)
}

/// Applies the embedded migrations of the connection's backend. On PostgreSQL an advisory
/// lock keeps two servers starting at once from migrating together.
pub fn migrate(conn: &mut DbConn) -> anyhow::Result<()> {
    match conn {
        DbConn::Sqlite(c) => {
            c.run_pending_migrations(SQLITE_MIGRATIONS)
                .map_err(|e| anyhow::anyhow!("Failed to migrate the SQLite database: {e}"))?;
        }
        DbConn::Pg(c) => {
            c.batch_execute("SELECT pg_advisory_lock(72163)")
                .context("Failed to take the migration lock")?;
            let result = c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|_| ());
            c.batch_execute("SELECT pg_advisory_unlock(72163)")
                .context("Failed to release the migration lock")?;
            result
                .map_err(|e| anyhow::anyhow!("Failed to migrate the PostgreSQL database: {e}"))?;
        }
    }
    Ok(())
}

/// Runs `f` in a write transaction. On SQLite it begins with `BEGIN IMMEDIATE`, so the write
/// lock is taken (waiting up to the busy timeout) before anything is read: two writers never
/// deadlock on a lock upgrade, which is what makes "database is locked" errors.
pub fn write_tx<T, E>(
    conn: &mut DbConn,
    f: impl FnOnce(&mut DbConn) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        DbConn::Pg(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    let result = f(conn);
    let end = match (conn, result.is_ok()) {
        (DbConn::Sqlite(c), true) => AnsiTransactionManager::commit_transaction(c),
        (DbConn::Sqlite(c), false) => AnsiTransactionManager::rollback_transaction(c),
        (DbConn::Pg(c), true) => AnsiTransactionManager::commit_transaction(c),
        (DbConn::Pg(c), false) => AnsiTransactionManager::rollback_transaction(c),
    };
    match result {
        Ok(value) => end.map(|()| value).map_err(E::from),
        Err(e) => Err(e),
    }
}

/// The one row of a lookup by a unique key.
///
/// Lookups load rows rather than use diesel's `.first()`: that adds `LIMIT ?`, and SQLite
/// (3.45 on) re-prepares a statement whose LIMIT is a bound parameter on every execution,
/// which made a primary-key read five times slower (21 µs instead of 4 µs, measured).
pub fn single<T>(rows: Vec<T>) -> Option<T> {
    rows.into_iter().next()
}

/// True when a diesel error is a unique-constraint violation (a duplicate phone, email…).
pub fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

/// Now, in UTC, truncated to the microsecond: PostgreSQL keeps microseconds and SQLite would
/// keep nanoseconds, so values compare alike on both.
pub fn now() -> chrono::NaiveDateTime {
    use chrono::Timelike;
    let t = chrono::Utc::now().naive_utc();
    t.with_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    fn versions(dir: &str) -> BTreeSet<String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        std::fs::read_dir(path)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect()
    }

    #[test]
    fn both_backends_have_the_same_migration_versions() {
        let sqlite = versions("migrations/sqlite");
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, versions("migrations/postgres"));
    }

    /// A database made before the people migration keeps its accounts and their progress
    /// when the users table is rebuilt (foreign keys must not cascade during the rebuild).
    #[test]
    fn upgrading_a_sqlite_database_keeps_accounts_and_their_progress() {
        use diesel::connection::SimpleConnection;
        use diesel::prelude::*;
        use diesel_migrations::MigrationHarness;

        let mut conn = diesel::SqliteConnection::establish(":memory:").unwrap();
        conn.batch_execute("PRAGMA foreign_keys = ON").unwrap();
        for _ in 0..3 {
            conn.run_next_migration(super::SQLITE_MIGRATIONS).unwrap();
        }
        conn.batch_execute(
            "INSERT INTO units (code, name, kind, created_at) VALUES ('T1', 'Tổ 1', 'residential', '2026-01-01 00:00:00');
             INSERT INTO users (full_name, phone, password_hash, birth_year, target_group, unit_id, created_at, updated_at)
               VALUES ('Bà Lan', '+84912345678', 'x', 1950, 'elderly', 1, '2026-01-01 00:00:00', '2026-01-01 00:00:00');
             INSERT INTO lesson_progress (user_id, course_slug, lesson_slug, course_version, completed_at)
               VALUES (1, 'c', 'l', 'v', '2026-01-02 00:00:00');",
        )
        .unwrap();
        conn.run_pending_migrations(super::SQLITE_MIGRATIONS)
            .unwrap();
        conn.batch_execute("PRAGMA foreign_keys = ON").unwrap();

        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let count = |conn: &mut diesel::SqliteConnection, sql: &str| {
            diesel::sql_query(sql).get_result::<N>(conn).unwrap().n
        };
        assert_eq!(
            count(
                &mut conn,
                "SELECT COUNT(*) AS n FROM users WHERE full_name = 'Bà Lan' AND channel = 'self'"
            ),
            1
        );
        assert_eq!(
            count(
                &mut conn,
                "SELECT COUNT(*) AS n FROM lesson_progress WHERE user_id = 1"
            ),
            1
        );
        // The rebuilt table still enforces its references and cascades.
        conn.batch_execute("DELETE FROM users WHERE id = 1")
            .unwrap();
        assert_eq!(
            count(&mut conn, "SELECT COUNT(*) AS n FROM lesson_progress"),
            0
        );
        // A login name alone is enough now; nothing at all is not (unless erased).
        conn.batch_execute(
            "INSERT INTO users (full_name, username, password_hash, birth_year, target_group, created_at, updated_at)
               VALUES ('Ông Tư', 'hv123456', 'x', 1948, 'elderly', '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
        )
        .unwrap();
        assert!(
            conn.batch_execute(
                "INSERT INTO users (full_name, password_hash, birth_year, target_group, created_at, updated_at)
                   VALUES ('Không ai', 'x', 1948, 'elderly', '2026-01-01 00:00:00', '2026-01-01 00:00:00')",
            )
            .is_err()
        );
    }

    #[test]
    fn urls_choose_the_backend() {
        use super::Backend;
        assert_eq!(Backend::from_url("postgres://u@h/db"), Backend::Postgres);
        assert_eq!(Backend::from_url("postgresql://h/db"), Backend::Postgres);
        assert_eq!(Backend::from_url("data/hocvuso.db"), Backend::Sqlite);
    }
}
