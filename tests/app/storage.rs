//! Storage under load and across servers: concurrent writes never fail with "database is
//! locked"; two servers sharing one database and one signing key serve the same users.

use std::sync::Arc;

use hocvuso::accounts::{Role, User};
use hocvuso::db::write_tx;
use hocvuso::groups::Group;

use crate::helpers::{Backend, PASSWORD, TestApp};
use crate::on_both_backends;

async fn many_people_registering_at_once_all_succeed(backend: Backend) {
    let app = Arc::new(TestApp::spawn(&backend).await);
    let mut tasks = Vec::new();
    for i in 0..40 {
        let app = app.clone();
        tasks.push(tokio::spawn(async move {
            let client = app.client();
            let phone = format!("09{:08}", 10_000_000 + i);
            let resp = client
                .post_form(
                    "/register",
                    &[
                        ("full_name", "Lê Văn Tám"),
                        ("contact", &phone),
                        ("birth_year", "1990"),
                        ("target_group", "workers"),
                        ("password", PASSWORD),
                        ("password_confirm", PASSWORD),
                        ("consent_learning", "yes"),
                        ("consent_reports", "yes"),
                    ],
                )
                .await;
            resp.status().as_u16()
        }));
    }
    for t in tasks {
        assert_eq!(t.await.unwrap(), 303);
    }
}

async fn concurrent_write_transactions_never_fail_with_a_locked_database(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let login = app.create_user(Role::Learner, Group::Elderly);
    let id = app.user(&login).id;
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let pool = app.pool.clone();
            std::thread::spawn(move || {
                let mut conn = pool.get().unwrap();
                for _ in 0..25 {
                    // Read, then write, in one transaction: the pattern that deadlocks on
                    // SQLite's lock upgrade unless the transaction starts IMMEDIATE.
                    write_tx(&mut conn, |c| -> Result<(), diesel::result::Error> {
                        let user = User::find(c, id)?.expect("user");
                        User::end_sessions(c, user.id)
                    })
                    .expect("write transaction");
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert_eq!(
        app.user(&login).session_version,
        200,
        "every write counted once"
    );
}

async fn two_servers_sharing_a_database_and_key_serve_the_same_people(backend: Backend) {
    let key = hocvuso::keys::Keys::generate_seed_b64();
    let first = TestApp::spawn_with(&backend, |s| s.signing_key = Some(key.clone())).await;
    let mut settings = first.settings.clone();
    let other_dir = std::env::temp_dir().join(format!("hvs-second-{:x}", rand::random::<u64>()));
    settings.data_dir = other_dir.clone();
    let second = TestApp::start(settings, other_dir, None).await;
    assert_ne!(first.address, second.address);

    let login = first.create_user(Role::Learner, Group::Officials);
    let on_first = first.client();
    assert_eq!(on_first.login(&login, PASSWORD).await.status(), 303);
    let token = on_first.cookie(hocvuso::accounts::session::COOKIE).unwrap();

    let on_second = second.client();
    on_second.set_cookie(hocvuso::accounts::session::COOKIE, &token);
    let (status, page) = on_second.get_text("/account").await;
    assert_eq!(
        status, 200,
        "the second server knows the session of the first"
    );
    assert!(page.contains("Người thử Học viên"));

    assert_eq!(on_second.post_form("/logout", &[]).await.status(), 303);
    assert_eq!(
        on_first.get("/account").await.status(),
        303,
        "log-out on one ends it on both"
    );
}

on_both_backends!(
    many_people_registering_at_once_all_succeed,
    concurrent_write_transactions_never_fail_with_a_locked_database,
    two_servers_sharing_a_database_and_key_serve_the_same_people,
);
