//! Tests of `web::people` and its domain code, on SQLite and PostgreSQL.
