//! Email: a forgotten password sends a one-time link, through a real SMTP listener on
//! loopback, or into `.eml` files when no SMTP server is configured.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use diesel::prelude::*;
use hocvuso::accounts::{Role, reset};
use hocvuso::db::schema::password_resets;
use hocvuso::groups::Group;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use crate::helpers::{Backend, PASSWORD, TestApp, location};
use crate::on_both_backends;

/// A minimal SMTP server on loopback that keeps every message it receives.
async fn smtp_listener() -> (u16, Arc<Mutex<Vec<Vec<u8>>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let inbox = Arc::new(Mutex::new(Vec::new()));
    let store = inbox.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read);
                write.write_all(b"220 test ESMTP\r\n").await.ok();
                let mut line = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                        break;
                    }
                    let cmd = line.to_ascii_uppercase();
                    let reply: &[u8] = if cmd.starts_with("EHLO") || cmd.starts_with("HELO") {
                        b"250-test\r\n250 8BITMIME\r\n"
                    } else if cmd.starts_with("DATA") {
                        write.write_all(b"354 go on\r\n").await.ok();
                        let mut message = Vec::new();
                        loop {
                            let mut l = String::new();
                            if lines.read_line(&mut l).await.unwrap_or(0) == 0 || l == ".\r\n" {
                                break;
                            }
                            message.extend_from_slice(l.as_bytes());
                        }
                        store.lock().unwrap().push(message);
                        b"250 queued\r\n"
                    } else if cmd.starts_with("QUIT") {
                        write.write_all(b"221 bye\r\n").await.ok();
                        break;
                    } else {
                        b"250 ok\r\n"
                    };
                    write.write_all(reply).await.ok();
                }
            });
        }
    });
    (port, inbox)
}

fn reset_path_in(raw: &[u8]) -> String {
    let message = mail_parser::MessageParser::default()
        .parse(raw)
        .expect("a MIME message");
    assert_eq!(message.subject(), Some("Đặt lại mật khẩu Học Vụ Số"));
    let body = message.body_text(0).expect("a text body").into_owned();
    assert!(body.contains("chỉ dùng được một lần"));
    let start = body.find("/password/reset/").expect("a reset link");
    body[start..].split_whitespace().next().unwrap().to_owned()
}

async fn a_forgotten_password_is_reset_by_a_one_time_link_sent_over_smtp(backend: Backend) {
    let (port, inbox) = smtp_listener().await;
    let app = TestApp::spawn_with(&backend, |s| {
        s.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))
    })
    .await;
    let login = app.create_user(Role::Learner, Group::Workers);
    let client = app.client();
    let resp = client
        .post_form("/password/forgot", &[("contact", &login)])
        .await;
    assert_eq!(resp.status(), 200);
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("chúng tôi vừa gửi một thư")
    );
    let resp = client
        .post_form("/password/forgot", &[("contact", "nobody@example.vn")])
        .await;
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("chúng tôi vừa gửi một thư"),
        "same answer"
    );

    let mut raw = None;
    for _ in 0..50 {
        if let Some(m) = inbox.lock().unwrap().first().cloned() {
            raw = Some(m);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let raw = raw.expect("a message arrived at the SMTP listener");
    assert_eq!(
        inbox.lock().unwrap().len(),
        1,
        "no mail for an unknown address"
    );
    let path = reset_path_in(&raw);

    let (status, page) = client.get_text(&path).await;
    assert_eq!(status, 200);
    let token = path.trim_start_matches("/password/reset/");
    let new_password = "bầu trời hôm nay xanh";
    let resp = client
        .post_form(
            "/password/reset",
            &[
                ("token", token),
                ("password", new_password),
                ("password_confirm", new_password),
            ],
        )
        .await;
    assert_eq!(resp.status(), 303);
    assert_eq!(location(&resp), "/login");
    assert!(page.contains("Đặt mật khẩu mới"));
    assert_eq!(app.client().login(&login, PASSWORD).await.status(), 401);
    assert_eq!(app.client().login(&login, new_password).await.status(), 303);

    let (status, page) = client.get_text(&path).await;
    assert_eq!(status, 410, "the link works once");
    assert!(page.contains("đã hết hạn hoặc đã được dùng"));
    let resp = client
        .post_form(
            "/password/reset",
            &[
                ("token", token),
                ("password", "lần thứ hai không được"),
                ("password_confirm", "lần thứ hai không được"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 410);
}

async fn without_smtp_mail_is_written_to_files_and_old_links_expire(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let login = app.create_user(Role::Learner, Group::Elderly);
    let client = app.client();
    client
        .post_form("/password/forgot", &[("contact", &login)])
        .await;
    let dir = app.settings.data_dir.join("mail");
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .next()
        .expect("an .eml file");
    assert!(file.file_name().to_string_lossy().ends_with(".eml"));
    let path = reset_path_in(&std::fs::read(file.path()).unwrap());
    assert_eq!(client.get(&path).await.status(), 200);

    let mut conn = app.pool.get().unwrap();
    let user = app.user(&login);
    let token = reset::create(&mut conn, user.id).unwrap();
    diesel::update(password_resets::table)
        .set(password_resets::expires_at.eq(hocvuso::db::now() - chrono::Duration::minutes(1)))
        .execute(&mut conn)
        .unwrap();
    assert_eq!(
        client
            .get(&format!("/password/reset/{token}"))
            .await
            .status(),
        410
    );
    assert_eq!(client.get(&path).await.status(), 410);
}

async fn a_phone_only_account_is_told_who_can_help(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let resp = app
        .client()
        .post_form("/password/forgot", &[("contact", "0912345678")])
        .await;
    assert_eq!(resp.status(), 422);
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("Tổ công nghệ số cộng đồng")
    );
}

on_both_backends!(
    a_forgotten_password_is_reset_by_a_one_time_link_sent_over_smtp,
    without_smtp_mail_is_written_to_files_and_old_links_expire,
    a_phone_only_account_is_told_who_can_help,
);
