//! Tests of `web::teach_stats` and its domain code, on SQLite and PostgreSQL.
