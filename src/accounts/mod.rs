//! Accounts: registration, logging in, passwords and their reset, roles and sessions.
//! No HTTP here: handlers in `web::accounts` call these functions.

pub mod actions;
pub mod citizen_id;
pub mod contact;
pub mod edit_form;
pub mod listing;
pub mod manage;
pub mod model;
pub mod password;
pub mod phone;
pub mod register;
pub mod reset;
pub mod role;
pub mod session;
pub mod slip;

pub use contact::Contact;
pub use model::{CreateError, NewUser, Unit, User};
pub use role::Role;
pub use slip::{Slip, managed_units};

use crate::db::{DbConn, now};

/// Creates a learner account from a valid registration; `password_hash` is computed by the
/// caller before it takes a database connection (hashing takes tens of milliseconds).
pub fn register(
    conn: &mut DbConn,
    reg: &register::ValidRegistration,
    password_hash: String,
) -> Result<i64, CreateError> {
    let (phone, email, username) = reg.contact.columns();
    let at = now();
    User::create(
        conn,
        &NewUser {
            full_name: reg.full_name.clone(),
            phone,
            email,
            username,
            password_hash,
            birth_year: reg.birth_year,
            target_group: reg.group.as_str().into(),
            unit_id: reg.unit_id,
            role: Role::Learner.as_str().into(),
            must_change_password: false,
            consent_version: Some(register::CONSENT_VERSION.into()),
            consent_at: Some(at),
            created_at: at,
            updated_at: at,
        },
    )
}

/// The account for a login and password, or `None`. Inactive accounts never log in. Takes
/// as long for an unknown login as for a known one.
pub fn authenticate(
    conn: &mut DbConn,
    contact: &Contact,
    password: &str,
) -> anyhow::Result<Option<User>> {
    let user = User::find_by_contact(conn, contact)?;
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.as_str())
        .unwrap_or_else(|| password::dummy_hash());
    let ok = password::verify(password, hash);
    Ok(user.filter(|u| ok && u.active))
}

/// Creates an administrator with a one-time password (to be changed at first login) and
/// returns the password. Used by `hocvuso admin create` and on first start.
pub fn create_admin(
    conn: &mut DbConn,
    name: &str,
    contact: &Contact,
) -> Result<String, CreateError> {
    let otp = password::one_time_password();
    let hash = password::hash_one_time(&otp)
        .map_err(|e| CreateError::Db(diesel::result::Error::QueryBuilderError(e.into())))?;
    let (phone, email, username) = contact.columns();
    let at = now();
    User::create(
        conn,
        &NewUser {
            full_name: name.to_owned(),
            phone,
            email,
            username,
            password_hash: hash,
            birth_year: 1990,
            target_group: crate::groups::Group::Officials.as_str().into(),
            unit_id: None,
            role: Role::Admin.as_str().into(),
            must_change_password: true,
            consent_version: None,
            consent_at: None,
            created_at: at,
            updated_at: at,
        },
    )?;
    Ok(otp)
}
