//! Account administration: finding accounts with filters, editing a person's details (and
//! saying which fields changed, for the audit log), counts for the administrator's home, and
//! unit managers. No HTTP here: `web::admin` and `web::people` call these functions.

use diesel::dsl::count_star;
use diesel::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};

use super::citizen_id::mask;
use super::{Role, Unit, User};
use crate::db::schema::{attempts, lesson_progress, unit_managers, units, users};
use crate::db::{DbConn, now};
use crate::groups::Group;

/// Which accounts a search shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Status {
    /// Every account.
    #[default]
    Any,
    Active,
    Inactive,
    /// Accounts whose data were erased at the person's request.
    Erased,
}

impl Status {
    pub fn parse(s: &str) -> Status {
        match s {
            "active" => Status::Active,
            "inactive" => Status::Inactive,
            "erased" => Status::Erased,
            _ => Status::Any,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Any => "",
            Status::Active => "active",
            Status::Inactive => "inactive",
            Status::Erased => "erased",
        }
    }
}

/// A search of accounts: text (name, phone, email or login name) and filters.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub text: String,
    pub role: Option<Role>,
    pub group: Option<Group>,
    pub unit: Option<i64>,
    pub status: Status,
}

impl Filter {
    /// A short description of the filter, for the audit log of an export.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        let text = self.text.trim();
        if !text.is_empty() {
            // A citizen ID typed into the search box is never written to the log in clear.
            let looks_like_id = super::citizen_id::CitizenId::parse(text).is_ok()
                && super::phone::Phone::parse(text).is_err();
            if looks_like_id {
                parts.push(format!("q={}", mask("")));
            } else {
                parts.push(format!("q={text}"));
            }
        }
        if let Some(r) = self.role {
            parts.push(format!("role={}", r.as_str()));
        }
        if let Some(g) = self.group {
            parts.push(format!("group={}", g.as_str()));
        }
        if let Some(u) = self.unit {
            parts.push(format!("unit={u}"));
        }
        if self.status != Status::Any {
            parts.push(format!("status={}", self.status.as_str()));
        }
        if parts.is_empty() {
            "all".into()
        } else {
            parts.join("&")
        }
    }
}

/// One page of accounts matching `filter`, newest first.
pub fn search(
    conn: &mut DbConn,
    filter: &Filter,
    offset: i64,
    limit: i64,
) -> QueryResult<Vec<User>> {
    let mut query = users::table.select(User::as_select()).into_boxed();
    let text = filter.text.trim();
    if !text.is_empty() {
        let pattern = format!("%{}%", text.replace(['%', '_'], ""));
        let lower = format!("%{}%", text.to_lowercase().replace(['%', '_'], ""));
        let phone_pattern = match super::phone::Phone::parse(text) {
            Ok(p) => format!("%{}%", p.as_e164()),
            Err(_) => pattern.clone(),
        };
        query = query.filter(
            users::full_name
                .like(pattern.clone())
                .or(users::email.like(lower.clone()))
                .or(users::username.like(lower))
                .or(users::phone.like(phone_pattern)),
        );
    }
    if let Some(role) = filter.role {
        query = query.filter(users::role.eq(role.as_str()));
    }
    if let Some(group) = filter.group {
        query = query.filter(users::target_group.eq(group.as_str()));
    }
    if let Some(unit) = filter.unit {
        query = query.filter(users::unit_id.eq(unit));
    }
    query = match filter.status {
        Status::Any => query,
        Status::Active => query
            .filter(users::active.eq(true))
            .filter(users::deleted_at.is_null()),
        Status::Inactive => query
            .filter(users::active.eq(false))
            .filter(users::deleted_at.is_null()),
        Status::Erased => query.filter(users::deleted_at.is_not_null()),
    };
    query
        .order(users::id.desc())
        .offset(offset)
        .limit(limit)
        .load(conn)
}

/// How many accounts hold each role (erased accounts left out), in `Role::ALL` order.
pub fn count_by_role(conn: &mut DbConn) -> QueryResult<Vec<(Role, i64)>> {
    let mut out = Vec::new();
    for role in Role::ALL {
        let n: i64 = users::table
            .filter(users::role.eq(role.as_str()))
            .filter(users::deleted_at.is_null())
            .count()
            .get_result(conn)?;
        out.push((role, n));
    }
    Ok(out)
}

pub fn count_units(conn: &mut DbConn) -> QueryResult<i64> {
    units::table.count().get_result(conn)
}

/// A person's name by account id (for "registered by", audit actors).
pub fn name_of(conn: &mut DbConn, id: i64) -> QueryResult<Option<String>> {
    users::table
        .find(id)
        .select(users::full_name)
        .load(conn)
        .map(crate::db::single)
}

/// How a person's learning stands: lessons done, tests passed.
#[derive(Debug, Default, Serialize)]
pub struct Progress {
    pub lessons_done: i64,
    pub finals_taken: i64,
    pub finals_passed: i64,
}

pub fn progress(conn: &mut DbConn, user_id: i64) -> QueryResult<Progress> {
    let lessons_done = lesson_progress::table
        .filter(lesson_progress::user_id.eq(user_id))
        .count()
        .get_result(conn)?;
    let finals = attempts::table
        .filter(attempts::user_id.eq(user_id))
        .filter(attempts::kind.eq("final"))
        .filter(attempts::submitted_at.is_not_null());
    let finals_taken = finals.count().get_result(conn)?;
    let finals_passed = finals
        .filter(attempts::passed.eq(true))
        .count()
        .get_result(conn)?;
    Ok(Progress {
        lessons_done,
        finals_taken,
        finals_passed,
    })
}

/// What an administrator sets for the citizen ID in an edit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CitizenIdChange {
    Keep,
    Clear,
    /// A new number, as its keyed hash and last three digits.
    Set {
        hash: String,
        tail: String,
    },
}

/// A person's details as an administrator edits them (already checked).
#[derive(Clone, Debug)]
pub struct Edit {
    pub full_name: String,
    /// E.164.
    pub phone: Option<String>,
    /// Lower case.
    pub email: Option<String>,
    pub birth_year: i32,
    pub sex: Option<String>,
    pub group: Group,
    pub unit_id: Option<i64>,
    pub residence_unit_id: Option<i64>,
    pub citizen_id: CitizenIdChange,
}

/// Why an edit was not saved.
#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// Another account already has this value; names the form field.
    #[error("{0} already used by another account")]
    Taken(&'static str),
    #[error("an account needs a phone, an email or a login name")]
    NoLogin,
    /// The unit (or, for the residence, the tổ dân phố) does not exist; names the form field.
    #[error("no such unit for {0}")]
    NoSuchUnit(&'static str),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// The changed fields, before and after, as JSON objects for the audit log. The citizen ID
/// appears only masked.
#[derive(Debug, Default)]
pub struct Diff {
    pub before: Map<String, Value>,
    pub after: Map<String, Value>,
}

impl Diff {
    fn note(&mut self, field: &str, before: Value, after: Value) {
        if before != after {
            self.before.insert(field.into(), before);
            self.after.insert(field.into(), after);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.after.is_empty()
    }

    pub fn before_json(&self) -> String {
        Value::Object(self.before.clone()).to_string()
    }

    pub fn after_json(&self) -> String {
        Value::Object(self.after.clone()).to_string()
    }
}

fn taken(conn: &mut DbConn, id: i64, column: &'static str, value: &str) -> QueryResult<bool> {
    let others = users::table.filter(users::id.ne(id));
    match column {
        "phone" => diesel::select(diesel::dsl::exists(others.filter(users::phone.eq(value))))
            .get_result(conn),
        "email" => diesel::select(diesel::dsl::exists(others.filter(users::email.eq(value))))
            .get_result(conn),
        _ => diesel::select(diesel::dsl::exists(
            others.filter(users::citizen_id_hash.eq(value)),
        ))
        .get_result(conn),
    }
}

fn citizen_id_hash(conn: &mut DbConn, id: i64) -> QueryResult<Option<String>> {
    users::table
        .find(id)
        .select(users::citizen_id_hash)
        .load::<Option<String>>(conn)
        .map(|rows| crate::db::single(rows).flatten())
}

fn opt(value: &Option<String>) -> Value {
    value.clone().map(Value::String).unwrap_or(Value::Null)
}

fn opt_id(value: Option<i64>) -> Value {
    value.map(Value::from).unwrap_or(Value::Null)
}

/// A changed unit must exist, and a changed residence must be a tổ dân phố.
fn check_units(conn: &mut DbConn, user: &User, edit: &Edit) -> Result<(), EditError> {
    if let Some(id) = edit.unit_id.filter(|id| user.unit_id != Some(*id)) {
        if !Unit::exists(conn, id)? {
            return Err(EditError::NoSuchUnit("unit_id"));
        }
    }
    let residence = edit
        .residence_unit_id
        .filter(|id| user.residence_unit_id != Some(*id));
    if let Some(id) = residence {
        let residential = Unit::find(conn, id)?.is_some_and(|u| u.kind == "residential");
        if !residential {
            return Err(EditError::NoSuchUnit("residence_unit_id"));
        }
    }
    Ok(())
}

/// Saves an edit of `user` and returns what changed. Run it inside a write transaction.
pub fn apply(conn: &mut DbConn, user: &User, edit: &Edit) -> Result<Diff, EditError> {
    if edit.phone.is_none() && edit.email.is_none() && user.username.is_none() {
        return Err(EditError::NoLogin);
    }
    check_units(conn, user, edit)?;
    for (field, value) in [("phone", &edit.phone), ("email", &edit.email)] {
        if let Some(v) = value {
            if taken(conn, user.id, field, v)? {
                return Err(EditError::Taken(field));
            }
        }
    }
    let old_hash = citizen_id_hash(conn, user.id)?;
    let (hash, tail) = match &edit.citizen_id {
        CitizenIdChange::Keep => (old_hash.clone(), user.citizen_id_tail.clone()),
        CitizenIdChange::Clear => (None, None),
        CitizenIdChange::Set { hash, tail } => {
            if taken(conn, user.id, "citizen_id", hash)? {
                return Err(EditError::Taken("citizen_id"));
            }
            (Some(hash.clone()), Some(tail.clone()))
        }
    };
    let mut diff = Diff::default();
    diff.note(
        "full_name",
        Value::from(user.full_name.clone()),
        Value::from(edit.full_name.clone()),
    );
    diff.note("phone", opt(&user.phone), opt(&edit.phone));
    diff.note("email", opt(&user.email), opt(&edit.email));
    diff.note(
        "birth_year",
        Value::from(user.birth_year),
        Value::from(edit.birth_year),
    );
    diff.note("sex", opt(&user.sex), opt(&edit.sex));
    diff.note(
        "target_group",
        Value::from(user.target_group.clone()),
        Value::from(edit.group.as_str()),
    );
    diff.note("unit_id", opt_id(user.unit_id), opt_id(edit.unit_id));
    diff.note(
        "residence_unit_id",
        opt_id(user.residence_unit_id),
        opt_id(edit.residence_unit_id),
    );
    if hash != old_hash {
        let masked = |t: &Option<String>| t.as_deref().map(mask).map(Value::String);
        diff.before.insert(
            "citizen_id".into(),
            masked(&user.citizen_id_tail).unwrap_or(Value::Null),
        );
        diff.after
            .insert("citizen_id".into(), masked(&tail).unwrap_or(Value::Null));
    }
    if diff.is_empty() {
        return Ok(diff);
    }
    diesel::update(users::table.find(user.id))
        .set((
            users::full_name.eq(&edit.full_name),
            users::phone.eq(&edit.phone),
            users::email.eq(&edit.email),
            users::birth_year.eq(edit.birth_year),
            users::sex.eq(&edit.sex),
            users::target_group.eq(edit.group.as_str()),
            users::unit_id.eq(edit.unit_id),
            users::residence_unit_id.eq(edit.residence_unit_id),
            users::citizen_id_hash.eq(&hash),
            users::citizen_id_tail.eq(&tail),
            users::updated_at.eq(now()),
        ))
        .execute(conn)
        .map_err(|e| {
            if crate::db::is_unique_violation(&e) {
                EditError::Taken("phone")
            } else {
                EditError::Db(e)
            }
        })?;
    Ok(diff)
}

/// A unit with its managers and how many people belong to it.
#[derive(Debug, Serialize)]
pub struct UnitOverview {
    pub unit: Unit,
    pub members: i64,
    /// `(account id, name)` of each manager.
    pub managers: Vec<(i64, String)>,
}

/// Every unit, with managers and member counts.
pub fn units_overview(conn: &mut DbConn) -> QueryResult<Vec<UnitOverview>> {
    let all = Unit::all(conn)?;
    let counts: Vec<(Option<i64>, i64)> = users::table
        .filter(users::unit_id.is_not_null())
        .filter(users::deleted_at.is_null())
        .group_by(users::unit_id)
        .select((users::unit_id, count_star()))
        .load(conn)?;
    let pairs: Vec<(i64, i64, String)> = unit_managers::table
        .inner_join(users::table.on(users::id.eq(unit_managers::user_id)))
        .select((unit_managers::unit_id, users::id, users::full_name))
        .order((unit_managers::unit_id, users::full_name))
        .load(conn)?;
    Ok(all
        .into_iter()
        .map(|unit| UnitOverview {
            members: counts
                .iter()
                .find(|(u, _)| *u == Some(unit.id))
                .map_or(0, |(_, n)| *n),
            managers: pairs
                .iter()
                .filter(|(u, _, _)| *u == unit.id)
                .map(|(_, id, name)| (*id, name.clone()))
                .collect(),
            unit,
        })
        .collect())
}

/// Names of the units a person is assigned to manage.
pub fn managed_unit_names(conn: &mut DbConn, user_id: i64) -> QueryResult<Vec<Unit>> {
    unit_managers::table
        .inner_join(units::table)
        .filter(unit_managers::user_id.eq(user_id))
        .select(Unit::as_select())
        .order(units::name)
        .load(conn)
}

/// What adding a manager did.
#[derive(Debug, PartialEq, Eq)]
pub enum Added {
    /// Assigned; `promoted` when a learner became a manager.
    Assigned {
        promoted: bool,
    },
    AlreadyManager,
}

/// Assigns `user` to manage `unit_id`; a learner becomes a manager (their sessions end, as
/// with any role change).
pub fn add_manager(conn: &mut DbConn, unit_id: i64, user: &User) -> QueryResult<Added> {
    let exists: bool = diesel::select(diesel::dsl::exists(
        unit_managers::table
            .filter(unit_managers::unit_id.eq(unit_id))
            .filter(unit_managers::user_id.eq(user.id)),
    ))
    .get_result(conn)?;
    if exists {
        return Ok(Added::AlreadyManager);
    }
    diesel::insert_into(unit_managers::table)
        .values((
            unit_managers::unit_id.eq(unit_id),
            unit_managers::user_id.eq(user.id),
            unit_managers::created_at.eq(now()),
        ))
        .execute(conn)?;
    let promoted = user.role() == Role::Learner;
    if promoted {
        User::set_role(conn, user.id, Role::Manager)?;
    }
    Ok(Added::Assigned { promoted })
}

/// Ends an assignment; true when there was one.
pub fn remove_manager(conn: &mut DbConn, unit_id: i64, user_id: i64) -> QueryResult<bool> {
    diesel::delete(
        unit_managers::table
            .filter(unit_managers::unit_id.eq(unit_id))
            .filter(unit_managers::user_id.eq(user_id)),
    )
    .execute(conn)
    .map(|n| n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_are_described_for_the_audit_log() {
        assert_eq!(Filter::default().describe(), "all");
        let f = Filter {
            text: " Lan ".into(),
            role: Some(Role::Manager),
            status: Status::parse("inactive"),
            ..Filter::default()
        };
        assert_eq!(f.describe(), "q=Lan&role=manager&status=inactive");
        assert_eq!(Status::parse("nonsense"), Status::Any);
        let typed_id = Filter {
            text: "031204001234".into(),
            ..Filter::default()
        };
        assert!(!typed_id.describe().contains("031204001234"));
        let typed_phone = Filter {
            text: "0912345678".into(),
            ..Filter::default()
        };
        assert_eq!(typed_phone.describe(), "q=0912345678");
    }

    #[test]
    fn a_diff_keeps_only_changed_fields() {
        let mut d = Diff::default();
        d.note("a", Value::from(1), Value::from(1));
        d.note("b", Value::from("x"), Value::from("y"));
        assert_eq!(d.before_json(), r#"{"b":"x"}"#);
        assert_eq!(d.after_json(), r#"{"b":"y"}"#);
    }
}
