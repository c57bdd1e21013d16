//! Tests of `web::team` and its domain code, on SQLite and PostgreSQL.
