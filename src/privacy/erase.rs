//! Erasing a person's data at their request (or an administrator's, on their request): every
//! field that names or reaches the person is emptied in one transaction, while the facts the
//! ward's reports count without names (group, units, birth year, sex, lessons done, scores,
//! certificates) stay, so the counts do not change.

use diesel::prelude::*;

use crate::db::schema::{attempts, certificates, confirmations, consents, password_resets, users};
use crate::db::{DbConn, now};

/// Stored in place of the password hash: not a PHC string, so no password ever matches it.
pub const UNUSABLE_PASSWORD: &str = "!erased";

/// Erases the personal data of `user_id`; `actor` is the person themself or the administrator
/// acting on their request (recorded in the audit log, with no personal data). Runs in one
/// write transaction; erasing an account twice changes nothing more (one audit entry).
pub fn erase(conn: &mut DbConn, user_id: i64, actor: i64) -> QueryResult<()> {
    crate::db::write_tx(conn, |conn| erase_in(conn, user_id, actor))
}

/// The same as `erase`, for a caller already inside a write transaction.
pub fn erase_in(conn: &mut DbConn, user_id: i64, actor: i64) -> QueryResult<()> {
    let at = now();
    // The first erasure's time stays. It is set first: an account without any login must be
    // marked erased (the table's CHECK says so).
    let first = diesel::update(
        users::table
            .find(user_id)
            .filter(users::deleted_at.is_null()),
    )
    .set(users::deleted_at.eq(Some(at)))
    .execute(conn)?
        == 1;
    let found = diesel::update(users::table.find(user_id))
        .set((
            users::full_name.eq(""),
            users::phone.eq(None::<String>),
            users::email.eq(None::<String>),
            users::username.eq(None::<String>),
            users::citizen_id_hash.eq(None::<String>),
            users::citizen_id_tail.eq(None::<String>),
            users::password_hash.eq(UNUSABLE_PASSWORD),
            users::active.eq(false),
            users::must_change_password.eq(false),
            users::session_version.eq(users::session_version + 1),
            users::updated_at.eq(at),
        ))
        .execute(conn)?;
    if found == 0 {
        return Err(diesel::result::Error::NotFound);
    }
    diesel::update(consents::table.filter(consents::user_id.eq(user_id)))
        .set(consents::guardian_name.eq(None::<String>))
        .execute(conn)?;
    // The certificate stays (it is counted) but no longer carries the name. Its signed token
    // held the name, and its fingerprint is a short hash of the name with the public facts of
    // the certificate: anyone holding the database could find the name again by trying the
    // names of the ward, so both go too.
    diesel::update(certificates::table.filter(certificates::user_id.eq(user_id)))
        .set((
            certificates::holder_name.eq(""),
            certificates::token.eq(""),
            certificates::fingerprint.eq(""),
        ))
        .execute(conn)?;
    diesel::delete(password_resets::table.filter(password_resets::user_id.eq(user_id)))
        .execute(conn)?;
    diesel::update(confirmations::table.filter(confirmations::user_id.eq(user_id)))
        .set(confirmations::citizen_id_hash.eq(None::<String>))
        .execute(conn)?;
    clear_free_text(conn, user_id)?;
    if !first {
        return Ok(());
    }
    crate::audit::record(
        conn,
        actor,
        "user.erase",
        &format!("user:{user_id}"),
        None,
        None,
    )
}

/// Attempts keep their scores and per-question points (teachers' statistics use them), but
/// answers typed as free text may hold anything: the saved answers are dropped (grading is
/// done) and the text in the graded result is emptied.
fn clear_free_text(conn: &mut DbConn, user_id: i64) -> QueryResult<()> {
    let rows: Vec<(i64, Option<String>)> = attempts::table
        .filter(attempts::user_id.eq(user_id))
        .select((attempts::id, attempts::result))
        .load(conn)?;
    for (id, result) in rows {
        let result = result.map(|r| blank_texts(&r));
        diesel::update(attempts::table.find(id))
            .set((attempts::answers.eq("{}"), attempts::result.eq(result)))
            .execute(conn)?;
    }
    Ok(())
}

/// Empties every typed text (`{"t":"text","v":"…"}`) in a graded result; a result that cannot
/// be read is replaced by an empty list.
pub fn blank_texts(result: &str) -> String {
    fn walk(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                if map.get("t").and_then(|t| t.as_str()) == Some("text") {
                    map.insert("v".into(), serde_json::Value::String(String::new()));
                }
                map.values_mut().for_each(walk);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
    match serde_json::from_str::<serde_json::Value>(result) {
        Ok(mut v) => {
            walk(&mut v);
            v.to_string()
        }
        Err(_) => "[]".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_answers_are_emptied_and_points_kept() {
        let r = r#"[{"id":"q1","points":1000,"given":{"t":"text","v":"Nguyễn Thị Lan, 0912345678"}},{"id":"q2","points":0,"given":{"t":"choice","v":[1]}}]"#;
        let out = blank_texts(r);
        assert!(!out.contains("Nguyễn"));
        assert!(out.contains(r#""points":1000"#));
        assert!(out.contains(r#""v":[1]"#));
        assert_eq!(blank_texts("not json"), "[]");
    }

    #[test]
    fn the_unusable_password_never_verifies() {
        assert!(!crate::accounts::password::verify("", UNUSABLE_PASSWORD));
        assert!(!crate::accounts::password::verify(
            "!erased",
            UNUSABLE_PASSWORD
        ));
    }
}
