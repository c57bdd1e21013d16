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

/// `n` fresh login names `hv` + digits, none used yet and no two alike, for people without
/// phone or email: six digits while they are plentiful, more as the ward or city fills up.
pub fn new_usernames(conn: &mut DbConn, n: usize) -> QueryResult<Vec<String>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let mut taken: std::collections::HashSet<String> = users::table
        .filter(users::username.like("hv%"))
        .select(users::username)
        .load::<Option<String>>(conn)?
        .into_iter()
        .flatten()
        .collect();
    let mut digits = 6u32;
    // Keep the space at least ten times fuller than needed, so a random pick rarely collides.
    while ((taken.len() + n) as u64).saturating_mul(10) > 10u64.pow(digits) {
        digits += 1;
    }
    let mut rng = rand::thread_rng();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let name = format!(
            "hv{:0width$}",
            rng.gen_range(0..10u64.pow(digits)),
            width = digits as usize
        );
        if taken.insert(name.clone()) {
            out.push(name);
        }
    }
    Ok(out)
}

/// A fresh login name `hv` + digits not yet used (for people without phone or email): six
/// digits, one more after every ten names found taken.
pub fn new_username(conn: &mut DbConn) -> QueryResult<String> {
    let mut rng = rand::thread_rng();
    for tries in 0u32.. {
        let digits = 6 + (tries / 10).min(12);
        let name = format!(
            "hv{:0width$}",
            rng.gen_range(0..10u64.pow(digits)),
            width = digits as usize
        );
        let taken: bool = diesel::select(diesel::dsl::exists(
            users::table.filter(users::username.eq(&name)),
        ))
        .get_result(conn)?;
        if !taken {
            return Ok(name);
        }
    }
    Err(diesel::result::Error::NotFound)
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
