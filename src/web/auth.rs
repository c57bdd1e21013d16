//! Extractors that guard routes: a logged-in person, or one with a given role. A visitor who
//! is not logged in is sent to the login page; a person without the role gets a 403 page.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};

use super::session::RequestSession;
use crate::accounts::{Role, User};
use crate::error::AppError;

fn current(req: &HttpRequest) -> Result<User, AppError> {
    RequestSession::of(req)
        .user
        .ok_or_else(|| AppError::LoginRequired {
            next: req
                .uri()
                .path_and_query()
                .map(|p| p.as_str().to_owned())
                .unwrap_or_else(|| "/".into()),
        })
}

/// Any logged-in person.
pub struct CurrentUser(pub User);

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Ready<Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(current(req).map(CurrentUser))
    }
}

/// Defines an extractor that admits only the listed roles.
macro_rules! role_guard {
    ($(#[$doc:meta])* $name:ident, [$($role:expr),+]) => {
        $(#[$doc])*
        pub struct $name(pub User);

        impl $name {
            pub const ROLES: &'static [Role] = &[$($role),+];
        }

        impl FromRequest for $name {
            type Error = AppError;
            type Future = Ready<Result<Self, AppError>>;

            fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
                ready(current(req).and_then(|u| {
                    if Self::ROLES.contains(&u.role()) {
                        Ok($name(u))
                    } else {
                        Err(AppError::Forbidden)
                    }
                }))
            }
        }
    };
}

role_guard!(
    /// Administrators only.
    AdminUser,
    [Role::Admin]
);

role_guard!(
    /// Teachers and administrators.
    TeacherUser,
    [Role::Teacher, Role::Admin]
);

role_guard!(
    /// The community digital team (helpers) and administrators.
    HelperUser,
    [Role::Helper, Role::Admin]
);

role_guard!(
    /// Those who read cohort reports: unit managers (their own units) and administrators.
    ReportUser,
    [Role::Manager, Role::Admin]
);

role_guard!(
    /// Those who print certificates in bulk: administrators and unit managers.
    PrintUser,
    [Role::Manager, Role::Admin]
);
