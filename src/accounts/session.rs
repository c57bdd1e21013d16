//! Login sessions as signed tokens (JWT, HS256 with a key derived from the server seed): nothing is kept on the server, so any server
//! sharing the signing key serves the same users. A token names the account and its
//! `session_version`; log-out, a password change, deactivation and a role change bump the
//! version, which kills every earlier token.

use jsonwebtoken::{Algorithm, Header, Validation};
use serde::{Deserialize, Serialize};

use super::model::User;
use crate::keys::Keys;

pub const ISSUER: &str = "hocvuso";
pub const COOKIE: &str = "hvs_session";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Claims {
    /// The account id.
    pub sub: String,
    pub role: String,
    /// The account's session version when the token was issued.
    pub ver: i32,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
}

/// A token's claims as signed: [`Claims`] plus, in assisted mode, the helper working with
/// the learner (`asb`, "assisted by"). Kept apart from `Claims` so that code building plain
/// claims is unchanged; a token without `asb` is an ordinary session.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Token {
    #[serde(flatten)]
    claims: Claims,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    asb: Option<String>,
}

impl Claims {
    pub fn user_id(&self) -> Option<i64> {
        self.sub.parse().ok()
    }

    /// True once half of the token's life has passed: time to send a fresh one.
    pub fn wants_renewal(&self, now: i64) -> bool {
        now - self.iat > (self.exp - self.iat) / 2
    }
}

/// Signs a token for the account, valid for `minutes`.
pub fn issue(keys: &Keys, user: &User, minutes: i64) -> anyhow::Result<String> {
    issue_assisted(keys, user, None, minutes)
}

/// Signs a token for the account that also names the helper (`assisted_by`) working with the
/// learner on the helper's device (assisted mode), valid for `minutes`.
pub fn issue_assisted(
    keys: &Keys,
    user: &User,
    assisted_by: Option<i64>,
    minutes: i64,
) -> anyhow::Result<String> {
    let now = chrono::Utc::now().timestamp();
    let claims = Claims {
        sub: user.id.to_string(),
        role: user.role.clone(),
        ver: user.session_version,
        iat: now,
        exp: now + minutes * 60,
        iss: ISSUER.into(),
    };
    let token = Token {
        claims,
        asb: assisted_by.map(|id| id.to_string()),
    };
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(keys.kid.clone());
    jsonwebtoken::encode(&header, &token, &keys.encoding)
        .map_err(|e| anyhow::anyhow!("Failed to sign a session token: {e}"))
}

/// Verifies signature, algorithm (HS256 only), issuer and expiry (5 s leeway for clocks).
/// Whether the account still accepts the token is the caller's check ([`accepts`]).
pub fn verify(keys: &Keys, token: &str) -> Option<Claims> {
    verify_assisted(keys, token).map(|(claims, _)| claims)
}

/// Like [`verify`], and also returns the helper named by an assisted-mode token (`None` for
/// an ordinary session). A token whose `asb` is not a number is refused.
pub fn verify_assisted(keys: &Keys, token: &str) -> Option<(Claims, Option<i64>)> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 5;
    validation.set_issuer(&[ISSUER]);
    validation.set_required_spec_claims(&["exp", "iat", "iss", "sub"]);
    let data = jsonwebtoken::decode::<Token>(token, &keys.decoding, &validation).ok()?;
    let assisted_by = match data.claims.asb {
        Some(id) => Some(id.parse::<i64>().ok()?),
        None => None,
    };
    Some((data.claims.claims, assisted_by))
}

/// True when the account is active and the token is of its current session version and role.
pub fn accepts(user: &User, claims: &Claims) -> bool {
    user.active && user.session_version == claims.ver && user.role == claims.role
}
