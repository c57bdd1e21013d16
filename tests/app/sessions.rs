//! Session tokens: forged, altered and expired tokens are refused; log-out, password change,
//! deactivation and role change end sessions; cookies and caching are safe.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hocvuso::accounts::session::{COOKIE, Claims, ISSUER};
use hocvuso::accounts::{Role, User};
use hocvuso::keys::Keys;
use jsonwebtoken::{Algorithm, EncodingKey, Header};

use crate::helpers::{Backend, TestApp, location};
use crate::on_both_backends;

const SEED: [u8; 32] = [42u8; 32];

async fn spawn_with_known_key(backend: &Backend) -> TestApp {
    TestApp::spawn_with(backend, |s| s.signing_key = Some(STANDARD.encode(SEED))).await
}

fn claims_of(token: &str) -> Claims {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn sign(claims: &Claims) -> String {
    let keys = Keys::from_seed(SEED).unwrap();
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &keys.encoding).unwrap()
}

fn b64(json: &serde_json::Value) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(json).unwrap())
}

/// Sends `token` as the session cookie and asks for the account page.
async fn account_with(app: &TestApp, token: &str) -> reqwest::Response {
    let client = app.client();
    client.set_cookie(COOKIE, token);
    client.get("/account").await
}

async fn forged_altered_and_expired_tokens_are_refused(backend: Backend) {
    let app = spawn_with_known_key(&backend).await;
    let (client, _) = app.logged_in(Role::Learner).await;
    let token = client.cookie(COOKIE).expect("session cookie");
    let claims = claims_of(&token);
    assert_eq!(
        account_with(&app, &token).await.status(),
        200,
        "the real token works"
    );
    assert_eq!(
        account_with(&app, &sign(&claims)).await.status(),
        200,
        "a token we sign works"
    );

    let parts: Vec<&str> = token.split('.').collect();
    let none = format!(
        "{}.{}.",
        b64(&serde_json::json!({"alg": "none", "typ": "JWT"})),
        parts[1]
    );
    let mut admin_claims = serde_json::to_value(&claims).unwrap();
    admin_claims["role"] = "admin".into();
    let edited_role = format!("{}.{}.{}", parts[0], b64(&admin_claims), parts[2]);
    let mut sig = parts[2].to_owned();
    let flipped = if sig.starts_with('A') { "B" } else { "A" };
    sig.replace_range(0..1, flipped);
    let bad_signature = format!("{}.{}.{}", parts[0], parts[1], sig);
    // The right secret under another algorithm is still refused: the algorithm is pinned.
    let secret = Keys::from_seed(SEED).unwrap().derive("session-hmac");
    let hs512 = jsonwebtoken::encode(
        &Header::new(Algorithm::HS512),
        &claims,
        &EncodingKey::from_secret(&secret),
    )
    .unwrap();
    let now = chrono::Utc::now().timestamp();
    let expired = sign(&Claims {
        iat: now - 3600,
        exp: now - 60,
        ..claims.clone()
    });
    let other_issuer = sign(&Claims {
        iss: "someone-else".into(),
        ..claims.clone()
    });
    assert_ne!(claims.iss, "someone-else");
    assert_eq!(ISSUER, claims.iss);

    for (what, forged) in [
        ("alg none", none),
        ("edited role", edited_role),
        ("bad signature", bad_signature),
        ("another algorithm", hs512),
        ("expired", expired),
        ("another issuer", other_issuer),
        ("garbage", "not.a.token".into()),
    ] {
        let resp = account_with(&app, &forged).await;
        assert_eq!(resp.status(), 303, "{what} must be refused");
        assert!(location(&resp).starts_with("/login"), "{what}");
        let cleared = resp
            .headers()
            .get_all("set-cookie")
            .iter()
            .any(|v| v.to_str().unwrap().starts_with(&format!("{COOKIE}=;")));
        assert!(cleared, "{what}: the dead cookie is removed");
    }
}

async fn logout_password_change_deactivation_and_role_change_end_sessions(backend: Backend) {
    let app = spawn_with_known_key(&backend).await;
    let (admin, _) = app.logged_in(Role::Admin).await;

    let (learner, _) = app.logged_in(Role::Learner).await;
    let old = learner.cookie(COOKIE).unwrap();
    assert_eq!(learner.post_form("/logout", &[]).await.status(), 303);
    assert_eq!(
        account_with(&app, &old).await.status(),
        303,
        "log-out kills the token"
    );

    let (learner, login) = app.logged_in(Role::Learner).await;
    let old = learner.cookie(COOKIE).unwrap();
    let id = app.user(&login).id;
    let resp = admin
        .post_form(&format!("/admin/users/{id}/active"), &[("active", "false")])
        .await;
    assert_eq!(resp.status(), 303);
    assert_eq!(
        account_with(&app, &old).await.status(),
        303,
        "deactivation kills the token"
    );
    assert_eq!(
        learner
            .login(&login, crate::helpers::PASSWORD)
            .await
            .status(),
        401,
        "and login"
    );

    let (learner, login) = app.logged_in(Role::Learner).await;
    let old = learner.cookie(COOKIE).unwrap();
    let id = app.user(&login).id;
    let resp = admin
        .post_form(&format!("/admin/users/{id}/role"), &[("role", "teacher")])
        .await;
    assert_eq!(resp.status(), 303);
    assert_eq!(
        account_with(&app, &old).await.status(),
        303,
        "a role change kills the token"
    );
    assert_eq!(app.user(&login).role(), Role::Teacher);

    let mut conn = app.pool.get().unwrap();
    let (_, login) = app.logged_in(Role::Learner).await;
    let user = app.user(&login);
    let token = sign(&Claims {
        sub: user.id.to_string(),
        role: user.role.clone(),
        ver: user.session_version,
        iat: chrono::Utc::now().timestamp(),
        exp: chrono::Utc::now().timestamp() + 600,
        iss: ISSUER.into(),
    });
    assert_eq!(account_with(&app, &token).await.status(), 200);
    User::set_password(
        &mut conn,
        user.id,
        "$argon2id$v=19$m=19456,t=2,p=1$x$y",
        false,
    )
    .unwrap();
    assert_eq!(
        account_with(&app, &token).await.status(),
        303,
        "a password change kills it"
    );
}

async fn session_cookies_are_http_only_short_lived_and_renewed_when_half_used(backend: Backend) {
    let app = spawn_with_known_key(&backend).await;
    let login = app.create_user(Role::Learner, hocvuso::groups::Group::Elderly);
    let client = app.client();
    let resp = client.login(&login, crate::helpers::PASSWORD).await;
    let cookie = resp
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with(COOKIE))
        .unwrap();
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Lax"));
    assert!(cookie.contains("Max-Age=1800"), "{cookie}");
    let claims = claims_of(&client.cookie(COOKIE).unwrap());
    assert_eq!(claims.exp - claims.iat, 1800);
    assert!(
        !location(&resp).contains(&client.cookie(COOKIE).unwrap()),
        "no token in a URL"
    );

    let resp = client.get("/account").await;
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let renews = |resp: &reqwest::Response| {
        resp.headers()
            .get_all("set-cookie")
            .iter()
            .any(|v| v.to_str().unwrap().starts_with(&format!("{COOKIE}=ey")))
    };
    assert!(!renews(&resp), "a fresh token is not renewed");

    let now = chrono::Utc::now().timestamp();
    let half_used = sign(&Claims {
        iat: now - 1000,
        exp: now + 800,
        ..claims
    });
    let resp = account_with(&app, &half_used).await;
    assert_eq!(resp.status(), 200);
    assert!(renews(&resp), "a half-used token is renewed");
}

async fn pages_carry_security_headers(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let resp = app.client().get("/").await;
    let h = resp.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
}

on_both_backends!(
    forged_altered_and_expired_tokens_are_refused,
    logout_password_change_deactivation_and_role_change_end_sessions,
    session_cookies_are_http_only_short_lived_and_renewed_when_half_used,
    pages_carry_security_headers,
);

async fn administrative_actions_are_in_an_audit_log_only_administrators_read(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (admin, _) = app.logged_in(Role::Admin).await;
    let (_, login) = app.logged_in(Role::Learner).await;
    let id = app.user(&login).id;
    admin
        .post_form(&format!("/admin/users/{id}/role"), &[("role", "helper")])
        .await;
    admin
        .post_form(&format!("/admin/users/{id}/active"), &[("active", "false")])
        .await;
    let (_, page) = admin.get_text("/admin/audit").await;
    assert!(
        page.contains("user.role") && page.contains("learner → helper"),
        "{page}"
    );
    assert!(page.contains("user.active") && page.contains("active → inactive"));
    let resp = admin.get("/admin/audit.csv").await;
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = resp.text().await.unwrap();
    assert!(csv.contains(&format!("user:{id}")) && csv.contains("helper"));
    let (learner, _) = app.logged_in(Role::Learner).await;
    assert_eq!(learner.get("/admin/audit.csv").await.status(), 403);
}

on_both_backends!(administrative_actions_are_in_an_audit_log_only_administrators_read);
