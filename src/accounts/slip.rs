//! Login slips: what a person needs to log in the first time (their login and a one-time
//! password they must change), printed or shown on screen when a helper registers them, a
//! roster creates their account or an administrator resets their password. The password
//! exists only in the response that shows the slip: the database keeps its argon2id hash.

use diesel::prelude::*;
use rand::Rng;
use serde::Serialize;

use crate::db::DbConn;
use crate::db::schema::{unit_managers, users};

/// One person's slip.
#[derive(Debug, Clone, Serialize)]
pub struct Slip {
    pub full_name: String,
    /// What they type in "Số điện thoại, email hoặc tên đăng nhập".
    pub login: String,
    pub one_time_password: String,
    /// The unit shown on the slip (school class, agency, tổ dân phố), if any.
    pub unit: Option<String>,
}

/// A fresh login name `hv` + 6 digits not yet used (for people without phone or email).
pub fn new_username(conn: &mut DbConn) -> QueryResult<String> {
    let mut rng = rand::thread_rng();
    loop {
        let name = format!("hv{:06}", rng.gen_range(0..1_000_000u32));
        let taken: bool = diesel::select(diesel::dsl::exists(
            users::table.filter(users::username.eq(&name)),
        ))
        .get_result(conn)?;
        if !taken {
            return Ok(name);
        }
    }
}

/// The units a person manages: those assigned to them, or else (for a manager without an
/// assignment) their own unit.
pub fn managed_units(conn: &mut DbConn, user: &crate::accounts::User) -> QueryResult<Vec<i64>> {
    let mut units: Vec<i64> = unit_managers::table
        .filter(unit_managers::user_id.eq(user.id))
        .select(unit_managers::unit_id)
        .order(unit_managers::unit_id)
        .load(conn)?;
    if units.is_empty() && user.role() == crate::accounts::Role::Manager {
        units.extend(user.unit_id);
    }
    Ok(units)
}
