//! Every route checks the role: each route is tried by a visitor and by each role, and must
//! refuse those who may not reach it (visitors are sent to log in; other roles get 403).

use hocvuso::accounts::Role;
use hocvuso::groups::Group;

use crate::helpers::{Backend, Client, TestApp, location};
use crate::on_both_backends;

#[derive(Clone, Copy)]
enum Who {
    /// Anyone, logged in or not.
    Public,
    /// Any logged-in person.
    LoggedIn,
    /// Only these roles.
    Roles(&'static [Role]),
}

const TEACHERS: &[Role] = &[Role::Teacher, Role::Admin];

/// The access table: every route of the application with who may reach it.
fn routes(target: i64) -> Vec<(&'static str, String, Who)> {
    use Who::*;
    vec![
        ("GET", "/".into(), Public),
        ("GET", "/healthz".into(), Public),
        ("GET", "/register".into(), Public),
        ("GET", "/login".into(), Public),
        ("GET", "/password/forgot".into(), Public),
        ("GET", "/password/reset/abc".into(), Public),
        ("POST", "/password/forgot".into(), Public),
        ("POST", "/password/reset".into(), Public),
        ("GET", "/account".into(), LoggedIn),
        ("GET", "/account/password".into(), LoggedIn),
        ("POST", "/account/password".into(), LoggedIn),
        ("POST", "/logout".into(), LoggedIn),
        ("GET", "/admin".into(), Roles(&[Role::Admin])),
        ("GET", "/admin/users".into(), Roles(&[Role::Admin])),
        (
            "POST",
            format!("/admin/users/{target}/role"),
            Roles(&[Role::Admin]),
        ),
        (
            "POST",
            format!("/admin/users/{target}/active"),
            Roles(&[Role::Admin]),
        ),
        ("GET", "/courses".into(), Public),
        ("GET", "/courses/an-toan-mat-khau".into(), Public),
        ("GET", "/courses/an-toan-mat-khau/lessons/1".into(), Public),
        (
            "POST",
            "/courses/an-toan-mat-khau/lessons/1/done".into(),
            LoggedIn,
        ),
        ("GET", "/search?q=m%E1%BA%ADt".into(), Public),
        (
            "GET",
            "/media/an-toan-mat-khau/images/hai-buoc.svg".into(),
            Public,
        ),
        ("GET", "/courses/an-toan-mat-khau/test".into(), LoggedIn),
        (
            "POST",
            "/courses/an-toan-mat-khau/test/start".into(),
            LoggedIn,
        ),
        ("GET", "/courses/an-toan-mat-khau/pretest".into(), LoggedIn),
        (
            "POST",
            "/courses/an-toan-mat-khau/pretest/start".into(),
            LoggedIn,
        ),
        ("GET", "/attempts/1".into(), LoggedIn),
        ("GET", "/attempts/1/json".into(), LoggedIn),
        ("POST", "/attempts/1".into(), LoggedIn),
        ("GET", "/certificates".into(), LoggedIn),
        ("GET", "/certificates/HVS-0000-0000".into(), LoggedIn),
        ("GET", "/certificates/HVS-0000-0000/pdf".into(), LoggedIn),
        (
            "GET",
            "/certificates/print/bulk.pdf?course=an-toan-mat-khau".into(),
            Roles(&[Role::Manager, Role::Admin]),
        ),
        ("GET", "/verify".into(), Public),
        ("GET", "/verify/HVS-0000-0000".into(), Public),
        ("GET", "/verify/HVS-0000-0000/token".into(), Public),
        ("GET", "/.well-known/jwks.json".into(), Public),
        ("GET", "/admin/certificates".into(), Roles(&[Role::Admin])),
        (
            "POST",
            "/admin/certificates/HVS-0000-0000/revoke".into(),
            Roles(&[Role::Admin]),
        ),
        (
            "POST",
            "/admin/certificates/HVS-0000-0000/reissue".into(),
            Roles(&[Role::Admin]),
        ),
        ("GET", "/admin/audit".into(), Roles(&[Role::Admin])),
        ("GET", "/admin/audit.csv".into(), Roles(&[Role::Admin])),
        ("GET", "/teach".into(), Roles(TEACHERS)),
        ("POST", "/teach/reload".into(), Roles(TEACHERS)),
        (
            "GET",
            "/teach/courses/an-toan-mat-khau".into(),
            Roles(TEACHERS),
        ),
        (
            "GET",
            "/teach/courses/an-toan-mat-khau/lessons/1?as=students".into(),
            Roles(TEACHERS),
        ),
        // -- imports routes --
        // -- people routes --
        ("GET", "/admin/people".into(), Roles(&[Role::Admin])),
        (
            "GET",
            "/admin/people?q=a&role=learner&status=active".into(),
            Roles(&[Role::Admin]),
        ),
        (
            "GET",
            format!("/admin/people/{target}"),
            Roles(&[Role::Admin]),
        ),
        (
            "GET",
            format!("/admin/people/{target}/edit"),
            Roles(&[Role::Admin]),
        ),
        (
            "POST",
            format!("/admin/people/{target}/edit"),
            Roles(&[Role::Admin]),
        ),
        (
            "POST",
            format!("/admin/people/{target}/role"),
            Roles(&[Role::Admin]),
        ),
        (
            "POST",
            format!("/admin/people/{target}/active"),
            Roles(&[Role::Admin]),
        ),
        (
            "POST",
            format!("/admin/people/{target}/password"),
            Roles(&[Role::Admin]),
        ),
        ("GET", "/admin/people.csv".into(), Roles(&[Role::Admin])),
        (
            "GET",
            "/admin/people.csv?contacts=yes".into(),
            Roles(&[Role::Admin]),
        ),
        ("GET", "/admin/units".into(), Roles(&[Role::Admin])),
        (
            "POST",
            "/admin/units/1/managers".into(),
            Roles(&[Role::Admin]),
        ),
        (
            "POST",
            format!("/admin/units/1/managers/{target}/remove"),
            Roles(&[Role::Admin]),
        ),
        // -- privacy routes --
        ("GET", "/account/data".into(), LoggedIn),
        ("GET", "/account/data.json".into(), LoggedIn),
        ("POST", "/account/consents".into(), LoggedIn),
        ("GET", "/account/delete".into(), LoggedIn),
        // Without a password: refused (422), the account stays.
        ("POST", "/account/delete".into(), LoggedIn),
        // -- reports routes --
        // -- team routes --
        ("GET", "/team".into(), Roles(&[Role::Helper, Role::Admin])),
        (
            "GET",
            "/team?q=lan".into(),
            Roles(&[Role::Helper, Role::Admin]),
        ),
        (
            "GET",
            "/team/register".into(),
            Roles(&[Role::Helper, Role::Admin]),
        ),
        (
            "POST",
            "/team/register".into(),
            Roles(&[Role::Helper, Role::Admin]),
        ),
        (
            "GET",
            format!("/team/residents/{target}"),
            Roles(&[Role::Helper, Role::Admin]),
        ),
        (
            "POST",
            format!("/team/residents/{target}/slip"),
            Roles(&[Role::Helper, Role::Admin]),
        ),
        (
            "POST",
            format!("/team/residents/{target}/assist"),
            Roles(&[Role::Helper, Role::Admin]),
        ),
        ("POST", "/team/assist/end".into(), LoggedIn),
        // -- teach_stats routes --
        ("GET", "/teach/stats".into(), Roles(TEACHERS)),
        (
            "GET",
            "/teach/stats/an-toan-mat-khau".into(),
            Roles(TEACHERS),
        ),
        (
            "GET",
            "/teach/stats/an-toan-mat-khau.csv".into(),
            Roles(TEACHERS),
        ),
    ]
}

async fn request(client: &Client, method: &str, path: &str) -> reqwest::Response {
    match method {
        "GET" => client.get(path).await,
        _ => {
            client
                .post_form(path, &[("role", "learner"), ("active", "true")])
                .await
        }
    }
}

async fn every_route_refuses_every_role_that_must_not_reach_it(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let target_login = app.create_user(Role::Learner, Group::Students);
    let target = app.user(&target_login).id;
    let table = routes(target);

    let visitor = app.client();
    for (method, path, who) in &table {
        let resp = request(&visitor, method, path).await;
        let status = resp.status().as_u16();
        match who {
            Who::Public => assert_ne!(status, 403, "visitor {method} {path}"),
            _ => {
                assert_eq!(status, 303, "visitor {method} {path}");
                assert!(
                    location(&resp).starts_with("/login?next="),
                    "visitor {method} {path}"
                );
            }
        }
    }

    for role in Role::ALL {
        for (method, path, who) in &table {
            // A fresh login per request: some routes (logout, role change) end sessions.
            let (client, _) = app.logged_in(role).await;
            let resp = request(&client, method, path).await;
            let status = resp.status().as_u16();
            let allowed = match who {
                Who::Public | Who::LoggedIn => true,
                Who::Roles(roles) => roles.contains(&role),
            };
            if allowed {
                assert_ne!(status, 403, "{role:?} may {method} {path}");
                assert!(
                    !location(&resp).starts_with("/login"),
                    "{role:?} {method} {path}"
                );
            } else {
                assert_eq!(status, 403, "{role:?} must not {method} {path}");
                let page = resp.text().await.unwrap();
                assert!(page.contains("Bạn không có quyền xem trang này"));
            }
        }
    }
}

on_both_backends!(every_route_refuses_every_role_that_must_not_reach_it);
