//! Registering, logging in and out, changing a password, and what a person sees when a form
//! field is wrong.

use hocvuso::accounts::Role;

use crate::helpers::{Backend, PASSWORD, TestApp, location};
use crate::on_both_backends;

fn registration<'a>(contact: &'a str, password: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("full_name", "Nguyễn Thị Lan"),
        ("contact", contact),
        ("birth_year", "1958"),
        ("target_group", "elderly"),
        ("password", password),
        ("password_confirm", password),
        ("consent_learning", "yes"),
        ("consent_reports", "yes"),
    ]
}

async fn a_resident_registers_logs_out_and_logs_in_again(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let client = app.client();
    let resp = client
        .post_form("/register", &registration("0912.345.678", PASSWORD))
        .await;
    assert_eq!(resp.status(), 303);
    assert_eq!(location(&resp), "/account");
    let (status, page) = client.get_text("/account").await;
    assert_eq!(status, 200);
    assert!(page.contains("Nguyễn Thị Lan"));
    assert!(page.contains("0912 345 678"));
    assert!(page.contains("Đăng ký thành công"));
    assert!(page.contains("Người dân, người cao tuổi"));

    let resp = client.post_form("/logout", &[]).await;
    assert_eq!(resp.status(), 303);
    let resp = client.get("/account").await;
    assert_eq!(resp.status(), 303, "logged out: /account sends to login");
    assert_eq!(location(&resp), "/login?next=%2Faccount");

    // The same person, the number written another way.
    let resp = client.login("+84 912 345 678", PASSWORD).await;
    assert_eq!(resp.status(), 303);
    assert_eq!(location(&resp), "/account");
}

async fn a_wrong_form_shows_each_message_beside_its_field_and_keeps_what_was_typed(
    backend: Backend,
) {
    let app = TestApp::spawn(&backend).await;
    let client = app.client();
    let mut fields = registration("09123", "123");
    fields.retain(|(k, _)| !k.starts_with("consent"));
    let resp = client.post_form("/register", &fields).await;
    assert_eq!(resp.status(), 422);
    let page = resp.text().await.unwrap();
    assert!(page.contains("Số điện thoại chưa đúng"), "phone message");
    assert!(page.contains("ít nhất 8"), "password message");
    assert!(page.contains("Bạn cần đồng ý"), "consent message");
    assert!(page.contains(r#"value="09123""#), "typed phone kept");
    assert!(page.contains(r#"value="1958""#), "typed year kept");
    assert!(!page.contains(r#"value="123""#), "password never echoed");
    assert!(page.contains(r#"aria-invalid="true""#));
}

async fn a_phone_already_registered_gets_a_clear_message_not_an_error_page(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let first = app.client();
    let resp = first
        .post_form("/register", &registration("0987654321", PASSWORD))
        .await;
    assert_eq!(resp.status(), 303);
    let second = app.client();
    let resp = second
        .post_form("/register", &registration("+84 98 765 4321", PASSWORD))
        .await;
    assert_eq!(resp.status(), 422);
    let page = resp.text().await.unwrap();
    assert!(page.contains("đã có tài khoản"));
    assert!(page.contains("Nguyễn Thị Lan"), "what was typed is kept");
}

async fn common_passwords_are_refused_kindly(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let client = app.client();
    let resp = client
        .post_form("/register", &registration("lan@example.vn", "12345678"))
        .await;
    assert_eq!(resp.status(), 422);
    assert!(resp.text().await.unwrap().contains("quá phổ biến"));
}

async fn a_wrong_password_is_refused_and_repeated_tries_are_slowed(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let login = app.create_user(Role::Learner, hocvuso::groups::Group::Elderly);
    let client = app.client();
    for _ in 0..5 {
        let resp = client.login(&login, "không phải mật khẩu này").await;
        assert_eq!(resp.status(), 401);
        assert!(resp.text().await.unwrap().contains("chưa đúng"));
    }
    let resp = client.login(&login, PASSWORD).await;
    assert_eq!(
        resp.status(),
        429,
        "the sixth try in a row waits, even with the right password"
    );
    assert!(resp.headers().contains_key("retry-after"));
    assert!(resp.text().await.unwrap().contains("thử quá nhiều lần"));
}

async fn logins_from_one_address_are_slowed_across_accounts(backend: Backend) {
    let app = TestApp::spawn_with(&backend, |s| s.login_burst = 3).await;
    let client = app.client();
    for i in 0..3 {
        let resp = client
            .login(&format!("nobody{i}@example.vn"), "không phải mật khẩu này")
            .await;
        assert_eq!(resp.status(), 401);
    }
    let resp = client
        .login("someone.else@example.vn", "không phải mật khẩu này")
        .await;
    assert_eq!(
        resp.status(),
        429,
        "the fourth try from one address waits, whatever the account"
    );
}

async fn changing_the_password_keeps_this_device_and_logs_out_the_others(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (phone, login) = app.logged_in(Role::Learner).await;
    let laptop = app.client();
    assert_eq!(laptop.login(&login, PASSWORD).await.status(), 303);

    let resp = phone
        .post_form(
            "/account/password",
            &[
                ("current_password", "sai mật khẩu rồi nhé"),
                ("new_password", "mùa thu lá vàng rơi"),
                ("new_password_confirm", "mùa thu lá vàng rơi"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 422);
    assert!(
        resp.text()
            .await
            .unwrap()
            .contains("Mật khẩu đang dùng chưa đúng")
    );

    let resp = phone
        .post_form(
            "/account/password",
            &[
                ("current_password", PASSWORD),
                ("new_password", "mùa thu lá vàng rơi"),
                ("new_password_confirm", "mùa thu lá vàng rơi"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 303);
    assert_eq!(
        phone.get("/account").await.status(),
        200,
        "this device stays in"
    );
    assert_eq!(
        laptop.get("/account").await.status(),
        303,
        "the other device is out"
    );
    assert_eq!(
        app.client()
            .login(&login, "mùa thu lá vàng rơi")
            .await
            .status(),
        303
    );
}

async fn an_administrator_with_a_one_time_password_must_choose_a_new_one(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let otp = hocvuso::startup::ensure_first_admin(&app.pool, "admin@hocvuso.local")
        .unwrap()
        .expect("first admin created");
    assert!(
        hocvuso::startup::ensure_first_admin(&app.pool, "admin@hocvuso.local")
            .unwrap()
            .is_none()
    );
    let client = app.client();
    let resp = client.login("admin@hocvuso.local", &otp).await;
    assert_eq!(location(&resp), "/account/password");
    let resp = client.get("/admin/users").await;
    assert_eq!(
        location(&resp),
        "/account/password",
        "nothing else until the password is changed"
    );
    let resp = client
        .post_form(
            "/account/password",
            &[
                ("current_password", &otp),
                ("new_password", "quản trị phường dương kinh"),
                ("new_password_confirm", "quản trị phường dương kinh"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 303);
    assert_eq!(client.get("/admin/users").await.status(), 200);
}

on_both_backends!(
    a_resident_registers_logs_out_and_logs_in_again,
    a_wrong_form_shows_each_message_beside_its_field_and_keeps_what_was_typed,
    a_phone_already_registered_gets_a_clear_message_not_an_error_page,
    common_passwords_are_refused_kindly,
    a_wrong_password_is_refused_and_repeated_tries_are_slowed,
    logins_from_one_address_are_slowed_across_accounts,
    changing_the_password_keeps_this_device_and_logs_out_the_others,
    an_administrator_with_a_one_time_password_must_choose_a_new_one,
);
