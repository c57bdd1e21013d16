//! A helper registers a resident on the spot: the account it creates (a learner with a
//! one-time password, `channel = 'helper'`, the consents read aloud and recorded by the
//! helper), and a new slip while the resident has not chosen a password. The form and its
//! rules are in [`super::form`].

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::accounts::{Contact, Role, slip};
use crate::db::schema::{units, users};
use crate::db::{DbConn, now};
use crate::privacy::consent::{self, GivenBy};

pub use super::form::{ResidentForm, ValidResident};

/// Why a resident's account could not be created.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("phone or email already registered")]
    Taken,
    #[error("not a residential group")]
    NoSuchGroup,
    /// This helper registered a resident with the same name, birth year and tổ dân phố
    /// before (id, when): most often the same person (a form sent twice, a page reloaded).
    #[error("the same resident was registered before")]
    SameName(i64, NaiveDateTime),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
struct NewResident<'a> {
    full_name: &'a str,
    phone: Option<String>,
    email: Option<String>,
    username: Option<String>,
    password_hash: &'a str,
    birth_year: i32,
    sex: Option<&'a str>,
    target_group: &'a str,
    unit_id: Option<i64>,
    residence_unit_id: Option<i64>,
    role: &'a str,
    must_change_password: bool,
    consent_version: Option<&'a str>,
    consent_at: Option<NaiveDateTime>,
    registered_by: Option<i64>,
    channel: &'a str,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// The account made, and what its slip shows.
#[derive(Debug, Clone)]
pub struct Registered {
    pub id: i64,
    /// What the resident types to log in (local phone format, email or login name).
    pub login: String,
    pub unit_name: String,
}

/// The residential groups (tổ dân phố) a resident may live in, by name.
pub fn residential_groups(conn: &mut DbConn) -> QueryResult<Vec<(i64, String)>> {
    units::table
        .filter(units::kind.eq("residential"))
        .select((units::id, units::name))
        .order(units::name)
        .load(conn)
}

/// Creates the resident's account with the consents and an audit entry. Run it inside one
/// write transaction; `password_hash` is the hash of the slip's one-time password.
pub fn create(
    conn: &mut DbConn,
    helper_id: i64,
    valid: &ValidResident,
    password_hash: &str,
) -> Result<Registered, RegisterError> {
    let unit: Option<String> = units::table
        .filter(units::id.eq(valid.residence_unit_id))
        .filter(units::kind.eq("residential"))
        .select(units::name)
        .load(conn)
        .map(crate::db::single)?;
    let unit_name = unit.ok_or(RegisterError::NoSuchGroup)?;
    if !valid.same_name_ok {
        if let Some((id, at)) = registered_before(conn, helper_id, valid)? {
            return Err(RegisterError::SameName(id, at));
        }
    }
    let contact = match &valid.contact {
        Some(c) => c.clone(),
        None => Contact::Username(slip::new_username(conn)?),
    };
    let (phone, email, username) = contact.columns();
    let at = now();
    let new = NewResident {
        full_name: &valid.full_name,
        phone,
        email,
        username,
        password_hash,
        birth_year: valid.birth_year,
        sex: valid.sex,
        target_group: valid.group.as_str(),
        // Residents (elderly people, adults at home) belong to their tổ dân phố.
        unit_id: Some(valid.residence_unit_id),
        residence_unit_id: Some(valid.residence_unit_id),
        role: Role::Learner.as_str(),
        must_change_password: true,
        consent_version: Some(consent::VERSION),
        consent_at: Some(at),
        registered_by: Some(helper_id),
        channel: "helper",
        created_at: at,
        updated_at: at,
    };
    let id: i64 = diesel::insert_into(users::table)
        .values(&new)
        .returning(users::id)
        .get_result(conn)
        .map_err(|e| {
            if crate::db::is_unique_violation(&e) && valid.contact.is_some() {
                RegisterError::Taken
            } else {
                RegisterError::Db(e)
            }
        })?;
    let given_by = match valid.guardian_name {
        Some(_) => GivenBy::Guardian,
        None => GivenBy::Person,
    };
    consent::record(
        conn,
        id,
        &valid.consents,
        given_by,
        valid.guardian_name.as_deref(),
        Some(helper_id),
    )?;
    crate::audit::record(
        conn,
        helper_id,
        "team.register",
        &format!("user:{id}"),
        None,
        Some(&format!("channel=helper unit={}", valid.residence_unit_id)),
    )?;
    Ok(Registered {
        id,
        login: login_of(&contact),
        unit_name,
    })
}

/// The newest resident `helper_id` registered with the same name, birth year and tổ dân phố.
fn registered_before(
    conn: &mut DbConn,
    helper_id: i64,
    valid: &ValidResident,
) -> QueryResult<Option<(i64, NaiveDateTime)>> {
    users::table
        .filter(users::registered_by.eq(helper_id))
        .filter(users::channel.eq("helper"))
        .filter(users::deleted_at.is_null())
        .filter(users::full_name.eq(&valid.full_name))
        .filter(users::birth_year.eq(valid.birth_year))
        .filter(users::residence_unit_id.eq(valid.residence_unit_id))
        .order(users::id.desc())
        .select((users::id, users::created_at))
        .first(conn)
        .optional()
}

/// What a person types to log in, as printed on a slip.
pub fn login_of(contact: &Contact) -> String {
    match contact {
        Contact::Phone(p) => crate::accounts::phone::Phone::display_local(p.as_e164()),
        Contact::Email(e) | Contact::Username(e) => e.clone(),
    }
}

/// Gives a resident who has never chosen a password a new one-time password (the old slip
/// stops working), with an audit entry. `false` when the resident has chosen their own
/// password: then only an administrator resets it.
pub fn reset_slip(
    conn: &mut DbConn,
    helper_id: i64,
    resident_id: i64,
    password_hash: &str,
) -> QueryResult<bool> {
    let changed = diesel::update(
        users::table
            .find(resident_id)
            .filter(users::must_change_password.eq(true)),
    )
    .set((
        users::password_hash.eq(password_hash),
        users::session_version.eq(users::session_version + 1),
        users::updated_at.eq(now()),
    ))
    .execute(conn)?;
    if changed == 1 {
        crate::audit::record(
            conn,
            helper_id,
            "team.slip",
            &format!("user:{resident_id}"),
            None,
            Some("one-time password reset"),
        )?;
    }
    Ok(changed == 1)
}
