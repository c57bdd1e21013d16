//! The community digital team (Tổ công nghệ số cộng đồng): residents a helper registers on the
//! spot, what each has learned since, and assisted mode (a helper learning with a resident on
//! the helper's phone, every step recorded as assisted). No HTTP here: see `web::team`.

pub mod form;
pub mod register;
pub mod residents;
pub mod search;

use crate::accounts::{Role, User};

/// Whether an account may register and assist residents: an active helper or administrator.
pub fn may_assist(helper: &User) -> bool {
    helper.active
        && helper.deleted_at.is_none()
        && matches!(helper.role(), Role::Helper | Role::Admin)
}

/// Whether `viewer` may see (and assist) `resident`: the helper who registered them, or an
/// administrator. Only learners' accounts that still exist and that a helper registered on
/// the spot are residents here: people who registered themselves, or came in a roster
/// import, are nobody's residents (an administrator manages them under "Quản trị").
pub fn may_see(viewer: &User, resident: &User) -> bool {
    let is_resident = resident.role() == Role::Learner
        && resident.deleted_at.is_none()
        && resident.channel == "helper"
        && resident.registered_by.is_some();
    let allowed = match viewer.role() {
        Role::Admin => true,
        Role::Helper => resident.registered_by == Some(viewer.id),
        _ => false,
    };
    is_resident && allowed && resident.id != viewer.id
}
