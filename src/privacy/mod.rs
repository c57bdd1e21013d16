//! Personal data: consent per purpose, a person's own data as JSON, erasure on request.
pub mod consent;
pub mod erase;
pub mod export;
pub mod page;

use diesel::prelude::*;

use crate::accounts::User;
use crate::accounts::register::Choices;
use crate::db::DbConn;
use crate::db::schema::users;

/// What pages show in place of the name of a person who erased their data.
pub const ERASED_NAME: &str = "Người dùng đã xoá";

/// The name to show for an account: its name, or "Người dùng đã xoá" once erased.
pub fn display_name(user: &User) -> &str {
    if user.deleted_at.is_some() || user.full_name.is_empty() {
        ERASED_NAME
    } else {
        &user.full_name
    }
}

/// Stores what a person chose at registration: their sex (if given) and one consent row per
/// purpose. For a learner under 16 the child's own decisions are kept (given by the person)
/// and the same decisions are recorded as given by the named parent or guardian, who acts for
/// the child (Law 91/2025/QH15, Art. 24(2)); the guardian's rows are recorded last, so they are
/// the current ones. Call inside the transaction that creates the account.
pub fn record_registration(
    conn: &mut DbConn,
    user_id: i64,
    choices: &Choices,
    recorded_by: Option<i64>,
) -> QueryResult<()> {
    if let Some(sex) = &choices.sex {
        diesel::update(users::table.find(user_id))
            .set(users::sex.eq(sex))
            .execute(conn)?;
    }
    consent::record(
        conn,
        user_id,
        &choices.decisions,
        consent::GivenBy::Person,
        None,
        recorded_by,
    )?;
    if let Some(guardian) = &choices.guardian_name {
        consent::record(
            conn,
            user_id,
            &choices.decisions,
            consent::GivenBy::Guardian,
            Some(guardian),
            recorded_by,
        )?;
    }
    Ok(())
}
