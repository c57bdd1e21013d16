//! CSRF: every form that changes something refuses a request without the page's token, with
//! another browser's token, or from another site.

use hocvuso::accounts::Role;

use crate::helpers::{Backend, TestApp};
use crate::on_both_backends;

const POST_ROUTES: &[&str] = &[
    "/register",
    "/login",
    "/logout",
    "/account/password",
    "/password/forgot",
    "/password/reset",
    "/admin/users/1/role",
    "/admin/users/1/active",
];

async fn every_form_refuses_a_missing_or_foreign_token(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (admin, _) = app.logged_in(Role::Admin).await;
    let (other, _) = app.logged_in(Role::Admin).await;
    let foreign = other.csrf().await;
    for path in POST_ROUTES {
        let resp = admin
            .post_raw(path, &[("role", "teacher"), ("active", "true")])
            .await;
        assert_eq!(resp.status(), 403, "{path} without a token");
        assert!(resp.text().await.unwrap().contains("Trang đã cũ"), "{path}");
        let resp = admin
            .post_raw(
                path,
                &[
                    ("role", "teacher"),
                    ("active", "true"),
                    ("csrf_token", &foreign),
                ],
            )
            .await;
        assert_eq!(resp.status(), 403, "{path} with another browser's token");
    }
    // Still logged in: nothing above changed anything.
    assert_eq!(admin.get("/account").await.status(), 200);
}

async fn a_post_from_another_site_is_refused(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (client, _) = app.logged_in(Role::Learner).await;
    let token = client.csrf().await;
    let resp = client
        .http
        .post(client.url("/logout"))
        .header("Origin", "https://evil.example")
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 403);
    assert_eq!(
        client.get("/account").await.status(),
        200,
        "still logged in"
    );
}

on_both_backends!(
    every_form_refuses_a_missing_or_foreign_token,
    a_post_from_another_site_is_refused
);
