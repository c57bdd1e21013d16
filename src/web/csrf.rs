//! CSRF protection for every form that changes something: a random cookie, and a hidden field
//! that is an HMAC of that cookie and the account id (so a token made for one person or one
//! browser is worthless in another). Unsafe requests that come from another origin are
//! refused before any handler runs.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use futures_util::future::LocalBoxFuture;
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use sha2::Sha256;
use subtle::ConstantTimeEq;

use super::session::RequestSession;
use crate::error::AppError;

pub const COOKIE: &str = "hvs_csrf";
pub const FIELD: &str = "csrf_token";

pub fn new_cookie_value() -> String {
    let mut bytes = [0u8; 24];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn cookie_is_well_formed(value: &str) -> bool {
    value.len() == 32
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub fn cookie(value: String, secure: bool) -> Cookie<'static> {
    Cookie::build(COOKIE, value)
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Strict)
        .finish()
}

/// The form token for a CSRF cookie and an account (0 before logging in).
pub fn token_for(secret: &[u8; 32], cookie: &str, user_id: Option<i64>) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(cookie.as_bytes());
    mac.update(b":");
    mac.update(user_id.unwrap_or(0).to_string().as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// Refuses a state-changing request whose `Origin` is another site.
pub fn check_origin(req: &HttpRequest) -> Result<(), AppError> {
    if req.method().is_safe() {
        return Ok(());
    }
    let Some(origin) = req.headers().get(header::ORIGIN) else {
        return Ok(());
    };
    let origin = origin.to_str().unwrap_or("null");
    // Browsers send "null" in some legitimate cases (privacy settings, some redirects); the
    // form token still protects those requests.
    if origin == "null" {
        return Ok(());
    }
    let host = req.connection_info().host().to_owned();
    let origin_host = origin.split("://").nth(1).unwrap_or("");
    if origin_host == host {
        Ok(())
    } else {
        Err(AppError::Csrf)
    }
}

fn verify(req: &HttpRequest, given: &str) -> Result<(), AppError> {
    let session = RequestSession::of(req);
    if session.csrf_cookie.is_empty() || req.cookie(COOKIE).is_none() {
        return Err(AppError::Csrf);
    }
    let expected = session.csrf_field();
    if !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(given.as_bytes())) {
        Ok(())
    } else {
        Err(AppError::Csrf)
    }
}

/// Checks a CSRF token read from elsewhere than a URL-encoded body (a multipart field).
pub fn verify_token(req: &HttpRequest, given: &str) -> Result<(), AppError> {
    verify(req, given)
}

#[derive(Deserialize)]
struct TokenOnly {
    #[serde(default)]
    csrf_token: String,
}

/// A URL-encoded form whose CSRF token has been checked. Use it for every POST handler.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let bytes = body.await.map_err(|_| {
                AppError::BadRequest("Biểu mẫu gửi lên quá lớn hoặc bị lỗi.".into())
            })?;
            let token: TokenOnly =
                serde_urlencoded::from_bytes(&bytes).map_err(|_| AppError::Csrf)?;
            verify(&req, &token.csrf_token)?;
            let form = serde_urlencoded::from_bytes(&bytes).map_err(|_| {
                AppError::BadRequest(
                    "Biểu mẫu gửi lên chưa đúng. Hãy tải lại trang và thử lại.".into(),
                )
            })?;
            Ok(CsrfForm(form))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_depend_on_cookie_account_and_secret() {
        let s = [7u8; 32];
        let c = new_cookie_value();
        assert!(cookie_is_well_formed(&c));
        let t = token_for(&s, &c, Some(1));
        assert_eq!(t, token_for(&s, &c, Some(1)));
        assert_ne!(t, token_for(&s, &c, Some(2)));
        assert_ne!(t, token_for(&s, &new_cookie_value(), Some(1)));
        assert_ne!(t, token_for(&[8u8; 32], &c, Some(1)));
    }
}
