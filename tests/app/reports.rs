//! Tests of `web::reports` and its domain code, on SQLite and PostgreSQL.
