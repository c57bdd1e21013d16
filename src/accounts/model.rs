//! Accounts in storage: the `User` row, the new-account form, and the queries on them.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::contact::Contact;
use super::role::Role;
use crate::db::schema::{units, users};
use crate::db::{DbConn, now};
use crate::groups::Group;

#[derive(Clone, Debug, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i64,
    pub full_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// A login name for people without phone or email (rosters, helpers).
    pub username: Option<String>,
    pub password_hash: String,
    pub birth_year: i32,
    /// `nam`, `nu`, or none (not given).
    pub sex: Option<String>,
    pub target_group: String,
    /// The school, agency, enterprise or cooperative (or tổ dân phố) the person belongs to.
    pub unit_id: Option<i64>,
    /// The residential group (tổ dân phố) the person lives in, when known.
    pub residence_unit_id: Option<i64>,
    /// The last digits of the citizen ID (the number itself is only kept as a keyed hash).
    pub citizen_id_tail: Option<String>,
    pub role: String,
    pub active: bool,
    pub session_version: i32,
    pub must_change_password: bool,
    pub consent_version: Option<String>,
    pub consent_at: Option<NaiveDateTime>,
    /// The helper or administrator who created the account, if not the person.
    pub registered_by: Option<i64>,
    /// How the account was made: `self`, `helper`, `import` or `admin`.
    pub channel: String,
    /// When the person's data was erased at their request.
    pub deleted_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser {
    pub full_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub username: Option<String>,
    pub password_hash: String,
    pub birth_year: i32,
    pub target_group: String,
    pub unit_id: Option<i64>,
    pub role: String,
    pub must_change_password: bool,
    pub consent_version: Option<String>,
    pub consent_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Clone, Debug, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = units)]
pub struct Unit {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
}

/// Why an account could not be created.
#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error("phone or email already registered")]
    Taken,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

impl User {
    pub fn role(&self) -> Role {
        Role::parse(&self.role).unwrap_or(Role::Learner)
    }

    pub fn group(&self) -> Option<Group> {
        Group::parse(&self.target_group).ok()
    }

    pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<User>> {
        users::table
            .find(id)
            .select(User::as_select())
            .load(conn)
            .map(crate::db::single)
    }

    pub fn find_by_contact(conn: &mut DbConn, contact: &Contact) -> QueryResult<Option<User>> {
        let query = users::table.select(User::as_select());
        match contact {
            Contact::Phone(p) => query.filter(users::phone.eq(p.as_e164())).load(conn),
            Contact::Email(e) => query.filter(users::email.eq(e)).load(conn),
            Contact::Username(u) => query.filter(users::username.eq(u)).load(conn),
        }
        .map(crate::db::single)
    }

    /// Inserts the account; a phone or email already in use is `CreateError::Taken`.
    pub fn create(conn: &mut DbConn, new: &NewUser) -> Result<i64, CreateError> {
        diesel::insert_into(users::table)
            .values(new)
            .returning(users::id)
            .get_result(conn)
            .map_err(|e| {
                if crate::db::is_unique_violation(&e) {
                    CreateError::Taken
                } else {
                    CreateError::Db(e)
                }
            })
    }

    /// Sets a new password hash and ends every session of the account.
    pub fn set_password(
        conn: &mut DbConn,
        id: i64,
        hash: &str,
        must_change: bool,
    ) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set((
                users::password_hash.eq(hash),
                users::must_change_password.eq(must_change),
                users::session_version.eq(users::session_version + 1),
                users::updated_at.eq(now()),
            ))
            .execute(conn)
            .map(|_| ())
    }

    /// Ends every session of the account (log-out everywhere).
    pub fn end_sessions(conn: &mut DbConn, id: i64) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set(users::session_version.eq(users::session_version + 1))
            .execute(conn)
            .map(|_| ())
    }

    /// Changes the role and ends the account's sessions, so the old role's token is dead.
    pub fn set_role(conn: &mut DbConn, id: i64, role: Role) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set((
                users::role.eq(role.as_str()),
                users::session_version.eq(users::session_version + 1),
                users::updated_at.eq(now()),
            ))
            .execute(conn)
            .map(|_| ())
    }

    /// Deactivates or reactivates the account; deactivation ends its sessions.
    pub fn set_active(conn: &mut DbConn, id: i64, active: bool) -> QueryResult<()> {
        diesel::update(users::table.find(id))
            .set((
                users::active.eq(active),
                users::session_version.eq(users::session_version + 1),
                users::updated_at.eq(now()),
            ))
            .execute(conn)
            .map(|_| ())
    }

    pub fn count_admins(conn: &mut DbConn) -> QueryResult<i64> {
        users::table
            .filter(users::role.eq(Role::Admin.as_str()))
            .filter(users::active.eq(true))
            .count()
            .get_result(conn)
    }

    /// One page of accounts, newest first, whose name, phone or email contains `search`.
    pub fn search(
        conn: &mut DbConn,
        search: &str,
        offset: i64,
        limit: i64,
    ) -> QueryResult<Vec<User>> {
        let mut query = users::table.select(User::as_select()).into_boxed();
        let search = search.trim();
        if !search.is_empty() {
            let pattern = format!("%{}%", search.replace(['%', '_'], ""));
            let phone_pattern = match super::phone::Phone::parse(search) {
                Ok(p) => format!("%{}%", p.as_e164()),
                Err(_) => pattern.clone(),
            };
            query = query.filter(
                users::full_name
                    .like(pattern.clone())
                    .or(users::email.like(pattern))
                    .or(users::phone.like(phone_pattern)),
            );
        }
        query
            .order(users::id.desc())
            .offset(offset)
            .limit(limit)
            .load(conn)
    }
}

impl Unit {
    pub fn all(conn: &mut DbConn) -> QueryResult<Vec<Unit>> {
        units::table
            .select(Unit::as_select())
            .order((units::kind, units::name))
            .load(conn)
    }

    pub fn exists(conn: &mut DbConn, id: i64) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(units::table.find(id))).get_result(conn)
    }

    pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Unit>> {
        units::table
            .find(id)
            .select(Unit::as_select())
            .load(conn)
            .map(crate::db::single)
    }
}
