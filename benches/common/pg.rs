//! Scratch PostgreSQL databases for the benchmarks: made on the server of `TEST_POSTGRES_URL`
//! (or the local one) and dropped at the end.

use diesel::{Connection, RunQueryDsl};

/// The server to make scratch databases on.
pub fn server_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

/// Creates a scratch database; returns its name and URL, or `None` when PostgreSQL is
/// unreachable.
pub fn scratch_database(prefix: &str) -> Option<(String, String)> {
    let base = server_url();
    let mut conn = diesel::PgConnection::establish(&base).ok()?;
    let name = format!("{prefix}_{:x}", rand::random::<u32>());
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .ok()?;
    let (server, _) = base.rsplit_once('/')?;
    Some((name.clone(), format!("{server}/{name}")))
}

/// Drops a scratch database, closing its connections.
pub fn drop_database(name: &str) {
    if let Ok(mut conn) = diesel::PgConnection::establish(&server_url()) {
        if let Err(e) = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut conn)
        {
            println!("could not drop {name}: {e}");
        }
    }
}
