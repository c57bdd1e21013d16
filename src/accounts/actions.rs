//! What an administrator does to an account, each in one write transaction with its audit
//! entry (who, what, about whom, before and after): save an edit, change the role, deactivate
//! or reactivate, reset the password (by e-mailed link or printed slip), and assign or remove
//! unit managers. Passwords and citizen ID numbers never reach the audit log.

use serde_json::json;

use super::manage::{self, Added, Diff, Edit, EditError};
use super::phone::Phone;
use super::{Contact, Role, Slip, Unit, User, reset};
use crate::audit;
use crate::db::{DbConn, write_tx};

/// Why an action was refused.
#[derive(Debug, thiserror::Error)]
pub enum ActionError {
    #[error("no such account or unit")]
    NotFound,
    /// Administrators do not lock themselves out or change their own role.
    #[error("not on one's own account")]
    OwnAccount,
    /// The person's data were erased at their request.
    #[error("account erased")]
    Erased,
    #[error("account inactive")]
    Inactive,
    #[error("account without email")]
    NoEmail,
    /// Teachers and helpers keep their role: a unit manager is a learner made manager, a
    /// manager or an administrator.
    #[error("a {0:?} cannot be made a unit manager")]
    CannotManage(Role),
    #[error(transparent)]
    Edit(#[from] EditError),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

fn subject(id: i64) -> String {
    format!("user:{id}")
}

/// The account `id`, refusing erased ones (and, with `must_be_active`, inactive ones).
fn usable(conn: &mut DbConn, id: i64, must_be_active: bool) -> Result<User, ActionError> {
    let user = User::find(conn, id)?.ok_or(ActionError::NotFound)?;
    if user.deleted_at.is_some() {
        return Err(ActionError::Erased);
    }
    if must_be_active && !user.active {
        return Err(ActionError::Inactive);
    }
    Ok(user)
}

/// What a person types to log in, as printed on a slip.
pub fn login_of(user: &User) -> String {
    user.phone
        .as_deref()
        .map(Phone::display_local)
        .or_else(|| user.email.clone())
        .or_else(|| user.username.clone())
        .unwrap_or_default()
}

/// Saves an edit (see `manage::apply`) with an audit entry `user.edit` holding the changed
/// fields before and after (the citizen ID only masked). Nothing is recorded when nothing
/// changed.
pub fn save_edit(conn: &mut DbConn, actor: i64, id: i64, edit: &Edit) -> Result<Diff, ActionError> {
    write_tx(conn, |conn| {
        let user = usable(conn, id, false)?;
        let diff = manage::apply(conn, &user, edit)?;
        if !diff.is_empty() {
            let (before, after) = (diff.before_json(), diff.after_json());
            audit::record(
                conn,
                actor,
                "user.edit",
                &subject(id),
                Some(&before),
                Some(&after),
            )?;
        }
        Ok(diff)
    })
}

/// Changes the role (ending the person's sessions). Someone who is no longer a manager or an
/// administrator stops managing their units, each removal recorded too.
pub fn change_role(conn: &mut DbConn, actor: i64, id: i64, role: Role) -> Result<(), ActionError> {
    if id == actor {
        return Err(ActionError::OwnAccount);
    }
    write_tx(conn, |conn| {
        let user = usable(conn, id, false)?;
        if user.role() == role {
            return Ok(());
        }
        User::set_role(conn, id, role)?;
        let after = role.as_str();
        audit::record(
            conn,
            actor,
            "user.role",
            &subject(id),
            Some(user.role.as_str()),
            Some(after),
        )?;
        if !matches!(role, Role::Manager | Role::Admin) {
            for unit in manage::managed_unit_names(conn, id)? {
                remove_assignment(conn, actor, &unit, id)?;
            }
        }
        Ok(())
    })
}

/// Deactivates (ending the person's sessions) or reactivates an account.
pub fn set_active(conn: &mut DbConn, actor: i64, id: i64, active: bool) -> Result<(), ActionError> {
    if id == actor && !active {
        return Err(ActionError::OwnAccount);
    }
    write_tx(conn, |conn| {
        let user = User::find(conn, id)?.ok_or(ActionError::NotFound)?;
        if user.active == active {
            return Ok(());
        }
        if user.deleted_at.is_some() {
            return Err(ActionError::Erased);
        }
        User::set_active(conn, id, active)?;
        let state = |a: bool| if a { "active" } else { "inactive" };
        audit::record(
            conn,
            actor,
            "user.active",
            &subject(id),
            Some(state(user.active)),
            Some(state(active)),
        )?;
        Ok(())
    })
}

/// Gives the account a new one-time password (hashed by the caller as `password_hash`),
/// which must be changed at the next login; every session ends. Returns the slip to print.
/// Administrators change their own password on their account page instead.
pub fn reset_by_slip(
    conn: &mut DbConn,
    actor: i64,
    id: i64,
    one_time_password: &str,
    password_hash: &str,
) -> Result<Slip, ActionError> {
    if id == actor {
        return Err(ActionError::OwnAccount);
    }
    write_tx(conn, |conn| {
        let user = usable(conn, id, true)?;
        User::set_password(conn, id, password_hash, true)?;
        audit::record(
            conn,
            actor,
            "user.password_reset",
            &subject(id),
            None,
            Some("slip"),
        )?;
        let unit = match user.residence_unit_id.or(user.unit_id) {
            Some(u) => Unit::find(conn, u)?.map(|u| u.name),
            None => None,
        };
        Ok(Slip {
            full_name: user.full_name.clone(),
            login: login_of(&user),
            one_time_password: one_time_password.to_owned(),
            unit,
        })
    })
}

/// Creates a one-time reset link for an account with an e-mail address; returns the address
/// and the token (to be mailed by the caller).
pub fn reset_link(conn: &mut DbConn, actor: i64, id: i64) -> Result<(String, String), ActionError> {
    write_tx(conn, |conn| {
        let user = usable(conn, id, true)?;
        let email = user.email.clone().ok_or(ActionError::NoEmail)?;
        let token = reset::create(conn, id)?;
        audit::record(
            conn,
            actor,
            "user.password_reset",
            &subject(id),
            None,
            Some("email link"),
        )?;
        Ok((email, token))
    })
}

/// The account typed in a form: a phone number, e-mail or login name, or else an account id.
fn find_typed(conn: &mut DbConn, typed: &str) -> Result<User, ActionError> {
    let typed = typed.trim();
    if let Ok(contact) = Contact::parse_login(typed) {
        if let Some(user) = User::find_by_contact(conn, &contact)? {
            return Ok(user);
        }
    }
    let id = typed
        .trim_start_matches('#')
        .parse::<i64>()
        .map_err(|_| ActionError::NotFound)?;
    User::find(conn, id)?.ok_or(ActionError::NotFound)
}

/// Assigns the person typed (login or id) to manage `unit_id`. A learner becomes a unit
/// manager (their sessions end); teachers and helpers are refused, so that no one loses
/// their tools by surprise. Returns the person and what was done.
pub fn assign_manager(
    conn: &mut DbConn,
    actor: i64,
    unit_id: i64,
    typed: &str,
) -> Result<(User, Added), ActionError> {
    write_tx(conn, |conn| {
        let unit = Unit::find(conn, unit_id)?.ok_or(ActionError::NotFound)?;
        let found = find_typed(conn, typed)?;
        let user = usable(conn, found.id, true)?;
        let role = user.role();
        if matches!(role, Role::Teacher | Role::Helper) {
            return Err(ActionError::CannotManage(role));
        }
        let added = manage::add_manager(conn, unit_id, &user)?;
        if let Added::Assigned { promoted } = added {
            let mut after = json!({ "unit_id": unit.id, "unit": unit.name });
            let before = promoted.then(|| json!({ "role": role.as_str() }).to_string());
            if promoted {
                after["role"] = json!(Role::Manager.as_str());
            }
            let after = after.to_string();
            let s = subject(user.id);
            audit::record(
                conn,
                actor,
                "unit.manager.add",
                &s,
                before.as_deref(),
                Some(&after),
            )?;
        }
        Ok((user, added))
    })
}

fn remove_assignment(
    conn: &mut DbConn,
    actor: i64,
    unit: &Unit,
    user_id: i64,
) -> Result<bool, ActionError> {
    let removed = manage::remove_manager(conn, unit.id, user_id)?;
    if removed {
        let before = json!({ "unit_id": unit.id, "unit": unit.name }).to_string();
        let s = subject(user_id);
        audit::record(conn, actor, "unit.manager.remove", &s, Some(&before), None)?;
    }
    Ok(removed)
}

/// Ends an assignment (the person keeps their role); false when there was none.
pub fn unassign_manager(
    conn: &mut DbConn,
    actor: i64,
    unit_id: i64,
    user_id: i64,
) -> Result<bool, ActionError> {
    write_tx(conn, |conn| {
        let unit = Unit::find(conn, unit_id)?.ok_or(ActionError::NotFound)?;
        remove_assignment(conn, actor, &unit, user_id)
    })
}
