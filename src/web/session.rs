//! The session middleware: on every request it reads the session cookie, checks the token and
//! the account, and makes sure a CSRF cookie exists; on the way out it renews a half-used
//! token, clears a dead one, and marks the response `no-store`. No state is kept in the server.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest, HttpResponse, ResponseError, web};

use super::AppState;
use super::csrf;
use crate::accounts::User;
use crate::accounts::session::{self, COOKIE};
use crate::error::AppError;

/// What the middleware learned about the request, for extractors and templates.
#[derive(Clone, Debug, Default)]
pub struct RequestSession {
    pub user: Option<User>,
    /// The helper (Tổ công nghệ số) working with this learner, in assisted mode.
    pub assisted_by: Option<i64>,
    pub csrf_cookie: String,
    csrf_secret: [u8; 32],
}

impl RequestSession {
    /// The session of a request (empty if the middleware did not run).
    pub fn of(req: &HttpRequest) -> RequestSession {
        req.extensions()
            .get::<RequestSession>()
            .cloned()
            .unwrap_or_default()
    }

    /// The value of the hidden `csrf_token` field for forms on this page.
    pub fn csrf_field(&self) -> String {
        csrf::token_for(
            &self.csrf_secret,
            &self.csrf_cookie,
            self.user.as_ref().map(|u| u.id),
        )
    }
}

/// Builds the session cookie for a freshly issued token.
pub fn session_cookie(state: &AppState, token: String) -> Cookie<'static> {
    Cookie::build(COOKIE, token)
        .path("/")
        .http_only(true)
        .secure(state.settings.secure_cookies)
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::minutes(state.settings.session_minutes))
        .finish()
}

/// A cookie that removes the session cookie.
pub fn session_removal() -> Cookie<'static> {
    let mut c = Cookie::build(COOKIE, "").path("/").finish();
    c.make_removal();
    c
}

/// Paths that need neither session nor CSRF cookie.
fn is_bare(path: &str) -> bool {
    path.starts_with("/static/")
        || path.starts_with("/media/")
        || path == "/healthz"
        || path == "/favicon.ico"
}

/// Paths a person who must change a one-time password may still open.
fn allowed_before_password_change(path: &str) -> bool {
    path == "/account/password" || path == "/logout" || is_bare(path)
}

/// The account a token names and whether to renew it, with the helper of an assisted-mode
/// token (who must still be an active helper or administrator, or the token is dead).
struct Loaded {
    user: User,
    renew: bool,
    assisted_by: Option<i64>,
}

async fn load_user(state: &web::Data<AppState>, token: &str) -> Result<Option<Loaded>, AppError> {
    let Some((claims, assisted_by)) = session::verify_assisted(&state.keys, token) else {
        return Ok(None);
    };
    let Some(id) = claims.user_id() else {
        return Ok(None);
    };
    let (user, helper_ok) = state
        .read(move |conn| {
            let user = User::find(conn, id)?;
            let helper_ok = match assisted_by {
                Some(helper) => User::find(conn, helper)?
                    .as_ref()
                    .is_some_and(crate::team::may_assist),
                None => true,
            };
            Ok((user, helper_ok))
        })
        .await?;
    if !helper_ok {
        return Ok(None);
    }
    let renew = claims.wants_renewal(chrono::Utc::now().timestamp());
    Ok(user
        .filter(|u| session::accepts(u, &claims))
        .map(|user| Loaded {
            user,
            renew,
            assisted_by,
        }))
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    if is_bare(req.path()) {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    }
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return next
            .call(req)
            .await
            .map(ServiceResponse::map_into_boxed_body);
    };
    if let Err(e) = csrf::check_origin(req.request()) {
        return Ok(req.into_response(e.error_response()));
    }
    let (csrf_cookie, csrf_new) = match req.cookie(csrf::COOKIE) {
        Some(c) if csrf::cookie_is_well_formed(c.value()) => (c.value().to_owned(), false),
        _ => (csrf::new_cookie_value(), true),
    };
    let token = req.cookie(COOKIE).map(|c| c.value().to_owned());
    let loaded = match &token {
        Some(t) => match load_user(&state, t).await {
            Ok(found) => found,
            Err(e) => return Ok(req.into_response(e.error_response())),
        },
        None => None,
    };
    let dead_cookie = token.is_some() && loaded.is_none();
    let (user, renew, assisted_by) = match loaded {
        Some(l) => (Some(l.user), l.renew, l.assisted_by),
        None => (None, false, None),
    };
    if let Some(u) = &user {
        // A helper working with a resident who has not chosen a password yet may still
        // learn with them; the password itself is the resident's to choose, later.
        if u.must_change_password
            && assisted_by.is_none()
            && !allowed_before_password_change(req.path())
        {
            let resp = HttpResponse::SeeOther()
                .insert_header((header::LOCATION, "/account/password"))
                .finish();
            return Ok(req.into_response(resp));
        }
    }
    let request_session = RequestSession {
        user: user.clone(),
        assisted_by,
        csrf_cookie: csrf_cookie.clone(),
        csrf_secret: state.csrf_secret,
    };
    req.extensions_mut().insert(request_session.clone());
    let mut res = next.call(req).await?.map_into_boxed_body();
    if assisted_by.is_some() {
        res = crate::web::team::with_assist_banner(res, &request_session).await;
    }
    tracing::info!(
        status = res.status().as_u16(),
        user = user.as_ref().map(|u| u.id),
        assisted_by,
        "request"
    );
    finish_response(
        &state,
        &mut res,
        user.map(|u| (u, assisted_by)),
        renew,
        dead_cookie,
        csrf_new.then_some(csrf_cookie),
    );
    Ok(res)
}

fn finish_response(
    state: &AppState,
    res: &mut ServiceResponse<BoxBody>,
    user: Option<(User, Option<i64>)>,
    renew: bool,
    dead_cookie: bool,
    new_csrf: Option<String>,
) {
    let sets_session = res.response().cookies().any(|c| c.name() == COOKIE);
    if let Some(value) = new_csrf {
        let cookie = csrf::cookie(value, state.settings.secure_cookies);
        res.response_mut().add_cookie(&cookie).ok();
    }
    if !sets_session {
        if let (Some((u, assisted_by)), true) = (&user, renew) {
            let minutes = state.settings.session_minutes;
            if let Ok(token) = session::issue_assisted(&state.keys, u, *assisted_by, minutes) {
                res.response_mut()
                    .add_cookie(&session_cookie(state, token))
                    .ok();
            }
        } else if dead_cookie {
            res.response_mut().add_cookie(&session_removal()).ok();
        }
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
}
