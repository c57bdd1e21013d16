//! The audit log of administrative actions: who did what to whom, when, before and after.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::audit_log;
use crate::db::{DbConn, now};

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = audit_log)]
pub struct Entry {
    pub id: i64,
    pub actor_id: Option<i64>,
    pub action: String,
    pub subject: String,
    pub before_value: Option<String>,
    pub after_value: Option<String>,
    pub at: NaiveDateTime,
}

/// Records an action.
pub fn record(
    conn: &mut DbConn,
    actor: i64,
    action: &str,
    subject: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> QueryResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::actor_id.eq(actor),
            audit_log::action.eq(action),
            audit_log::subject.eq(subject),
            audit_log::before_value.eq(before),
            audit_log::after_value.eq(after),
            audit_log::at.eq(now()),
        ))
        .execute(conn)
        .map(|_| ())
}

/// The newest entries, optionally only those about `subject`.
pub fn recent(conn: &mut DbConn, subject: Option<&str>, limit: i64) -> QueryResult<Vec<Entry>> {
    let mut query = audit_log::table.select(Entry::as_select()).into_boxed();
    if let Some(s) = subject {
        query = query.filter(audit_log::subject.eq(s.to_owned()));
    }
    query.order(audit_log::id.desc()).limit(limit).load(conn)
}
