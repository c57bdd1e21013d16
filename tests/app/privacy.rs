//! Tests of `web::privacy` and its domain code, on SQLite and PostgreSQL.
