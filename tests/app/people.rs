//! Tests of `web::people` and its domain code, on SQLite and PostgreSQL: administrators find,
//! view, edit, deactivate and reactivate accounts, change roles, reset passwords, assign unit
//! managers and export accounts; every action is in the audit log; citizen IDs are only kept
//! as a keyed hash and shown masked; no other role reaches any of it.

use diesel::prelude::*;
use hocvuso::accounts::{Role, User};
use hocvuso::db::schema::{audit_log, users};
use hocvuso::groups::Group;

use crate::helpers::{Backend, Client, PASSWORD, TestApp, location};
use crate::on_both_backends;
use crate::team::residential_group;

const CITIZEN_ID: &str = "031204001234";

/// An account of `role` with this name and phone (E.164); returns (id, e-mail login).
fn person(app: &TestApp, name: &str, phone: Option<&str>, role: Role) -> (i64, String) {
    let login = app.create_user(role, Group::Elderly);
    let id = app.user(&login).id;
    diesel::update(users::table.find(id))
        .set((users::full_name.eq(name), users::phone.eq(phone)))
        .execute(&mut app.pool.get().unwrap())
        .unwrap();
    (id, login)
}

/// Every audit entry as one line of text: action, subject, before, after.
fn audit_text(app: &TestApp) -> String {
    let rows: Vec<(String, String, Option<String>, Option<String>)> = audit_log::table
        .select((
            audit_log::action,
            audit_log::subject,
            audit_log::before_value,
            audit_log::after_value,
        ))
        .load(&mut app.pool.get().unwrap())
        .unwrap();
    rows.into_iter()
        .map(|(a, s, b, f)| {
            format!(
                "{a} {s} {} {}\n",
                b.unwrap_or_default(),
                f.unwrap_or_default()
            )
        })
        .collect()
}

/// The edit form with these values; a citizen ID typed (not empty) replaces the old one.
fn edit_fields<'a>(
    name: &'a str,
    phone: &'a str,
    email: &'a str,
    citizen_id: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("full_name", name),
        ("phone", phone),
        ("email", email),
        ("birth_year", "1958"),
        ("sex", "nu"),
        ("target_group", "elderly"),
        ("unit_id", ""),
        ("residence_unit_id", ""),
        ("citizen_id_action", "keep"),
        ("citizen_id", citizen_id),
    ]
}

async fn finding_people_by_name_phone_and_filters(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (admin, _) = app.logged_in(Role::Admin).await;
    let (lan, _) = person(&app, "Nguyễn Thị Lan", Some("+84912345678"), Role::Learner);
    let (binh, _) = person(&app, "Trần Văn Bình", Some("+84987654321"), Role::Teacher);

    let (status, page) = admin.get_text("/admin/people?q=Th%E1%BB%8B+Lan").await;
    assert_eq!(status, 200);
    assert!(page.contains("Nguyễn Thị Lan") && !page.contains("Trần Văn Bình"));
    assert!(
        page.contains(&format!("/admin/people/{lan}")),
        "each row links to the person"
    );

    let (_, page) = admin.get_text("/admin/people?q=0987+654+321").await;
    assert!(
        page.contains("Trần Văn Bình") && !page.contains("Nguyễn Thị Lan"),
        "by phone"
    );

    let (_, page) = admin.get_text("/admin/people?role=teacher").await;
    assert!(
        page.contains("Trần Văn Bình") && !page.contains("Nguyễn Thị Lan"),
        "by role"
    );

    admin
        .post_form(
            &format!("/admin/people/{binh}/active"),
            &[("active", "false")],
        )
        .await;
    let (_, page) = admin.get_text("/admin/people?status=inactive").await;
    assert!(
        page.contains("Trần Văn Bình") && !page.contains("Nguyễn Thị Lan"),
        "by status"
    );
    let (_, page) = admin
        .get_text("/admin/people?status=active&group=elderly")
        .await;
    assert!(page.contains("Nguyễn Thị Lan") && !page.contains("Trần Văn Bình"));

    let (status, home) = admin.get_text("/admin").await;
    assert_eq!(status, 200);
    assert!(home.contains("Số tài khoản") && home.contains("Giáo viên"));
    assert!(home.contains("Nguyễn Thị Lan"), "the home shows the search");
    let (status, old) = admin.get_text("/admin/users?q=Lan").await;
    assert_eq!(status, 200, "the old address still works");
    assert!(old.contains("Nguyễn Thị Lan") && !old.contains("Trần Văn Bình"));

    let (status, page) = admin.get_text(&format!("/admin/people/{lan}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("0912 345 678") && page.contains("Học viên"));
    assert_eq!(admin.get("/admin/people/999999").await.status(), 404);
}

async fn a_wrong_field_shows_its_message_and_keeps_what_was_typed(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (admin, _) = app.logged_in(Role::Admin).await;
    let (id, login) = person(&app, "Lê Thị Hoa", Some("+84912345678"), Role::Learner);
    let path = format!("/admin/people/{id}/edit");
    let (status, form) = admin.get_text(&path).await;
    assert_eq!(status, 200);
    assert!(form.contains("value=\"Lê Thị Hoa\"") && form.contains("0912 345 678"));

    let bad = edit_fields("Lê Thị Hoa Mới", "12345", &login, CITIZEN_ID);
    let resp = admin.post_form(&path, &bad).await;
    assert_eq!(resp.status(), 422);
    let page = resp.text().await.unwrap();
    let message = "Số điện thoại cần bắt đầu bằng 0";
    assert!(page.contains(message), "message beside the field");
    assert!(page.contains("value=\"Lê Thị Hoa Mới\"") && page.contains("value=\"12345\""));
    assert!(
        !page.contains(CITIZEN_ID),
        "a typed citizen ID is not shown again"
    );
    assert_eq!(app.user(&login).full_name, "Lê Thị Hoa", "nothing saved");
    assert!(!audit_text(&app).contains("user.edit"));
}

async fn a_good_edit_is_saved_audited_and_the_citizen_id_only_hashed_and_masked(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (admin, _) = app.logged_in(Role::Admin).await;
    let (id, login) = person(&app, "Lê Thị Hoa", Some("+84912345678"), Role::Learner);
    let path = format!("/admin/people/{id}/edit");
    let good = edit_fields("Lê Thị Hoa Mới", "0987 654 321", &login, "031 204 001 234");
    let resp = admin.post_form(&path, &good).await;
    assert_eq!(resp.status(), 303);
    assert_eq!(location(&resp), format!("/admin/people/{id}"));
    let user = app.user(&login);
    assert_eq!(user.full_name, "Lê Thị Hoa Mới");
    assert_eq!(user.phone.as_deref(), Some("+84987654321"));
    let (hash, tail): (Option<String>, Option<String>) = users::table
        .find(id)
        .select((users::citizen_id_hash, users::citizen_id_tail))
        .get_result(&mut app.pool.get().unwrap())
        .unwrap();
    let hash = hash.expect("stored as a hash");
    assert!(
        hash.len() == 64 && !hash.contains("204001234"),
        "only a keyed hash"
    );
    assert_eq!(tail.as_deref(), Some("234"));

    let (_, page) = admin.get_text(&format!("/admin/people/{id}")).await;
    assert!(
        page.contains("•••••••••234") && !page.contains(CITIZEN_ID),
        "masked"
    );
    assert!(page.contains("Sửa thông tin") && page.contains("Lê Thị Hoa Mới"));
    let log = audit_text(&app);
    let names = [
        "\"full_name\":\"Lê Thị Hoa\"",
        "\"full_name\":\"Lê Thị Hoa Mới\"",
    ];
    assert!(
        log.contains("user.edit") && names.iter().all(|n| log.contains(n)),
        "{log}"
    );
    assert!(log.contains("+84912345678") && log.contains("+84987654321"));
    assert!(
        !log.contains("204001234") && log.contains("•••••••••234"),
        "masked in the log"
    );
    let (_, audit_page) = admin.get_text("/admin/audit").await;
    assert!(audit_page.contains("user.edit") && audit_page.contains("Lê Thị Hoa Mới"));
    assert!(!audit_page.contains(CITIZEN_ID));

    let (other, other_login) = person(&app, "Phạm Văn Trùng", None, Role::Learner);
    let same = edit_fields("Phạm Văn Trùng", "", &other_login, CITIZEN_ID);
    let resp = admin
        .post_form(&format!("/admin/people/{other}/edit"), &same)
        .await;
    assert_eq!(resp.status(), 422);
    let page = resp.text().await.unwrap();
    assert!(page.contains("đã gắn với một tài khoản khác"));

    let resp = admin.post_form(&path, &good).await;
    assert_eq!(resp.status(), 303, "saving again changes nothing");
    assert_eq!(audit_text(&app).matches("user.edit").count(), 1);
}

async fn deactivation_locks_the_person_out_and_reactivation_lets_them_in(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (admin, admin_login) = app.logged_in(Role::Admin).await;
    let (learner, login) = app.logged_in(Role::Learner).await;
    let id = app.user(&login).id;
    let path = format!("/admin/people/{id}/active");

    let resp = admin.post_form(&path, &[("active", "false")]).await;
    assert_eq!(resp.status(), 303);
    assert_eq!(location(&resp), format!("/admin/people/{id}"));
    let resp = learner.get("/account").await;
    assert!(
        location(&resp).starts_with("/login"),
        "the old cookie stopped working"
    );
    assert_eq!(app.client().login(&login, PASSWORD).await.status(), 401);
    let (_, page) = admin.get_text(&format!("/admin/people/{id}")).await;
    assert!(page.contains("Đã khoá") && page.contains("Mở lại tài khoản"));

    let resp = admin.post_form(&path, &[("active", "true")]).await;
    assert_eq!(resp.status(), 303);
    assert_eq!(app.client().login(&login, PASSWORD).await.status(), 303);
    let log = audit_text(&app);
    assert!(
        log.contains(&format!("user.active user:{id} active inactive")),
        "{log}"
    );
    assert!(log.contains(&format!("user.active user:{id} inactive active")));

    let me = app.user(&admin_login).id;
    let resp = admin
        .post_form(
            &format!("/admin/people/{me}/active"),
            &[("active", "false")],
        )
        .await;
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("không thể tự khoá"));
    assert_eq!(
        admin.get("/admin/people").await.status(),
        200,
        "still logged in"
    );
}

async fn a_role_change_ends_sessions_and_not_on_ones_own_account(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (admin, admin_login) = app.logged_in(Role::Admin).await;
    let (learner, login) = app.logged_in(Role::Learner).await;
    let id = app.user(&login).id;
    let resp = admin
        .post_form(&format!("/admin/people/{id}/role"), &[("role", "teacher")])
        .await;
    assert_eq!(resp.status(), 303);
    assert_eq!(app.user(&login).role(), Role::Teacher);
    assert!(location(&learner.get("/account").await).starts_with("/login"));
    let (_, page) = admin.get_text(&format!("/admin/people/{id}")).await;
    assert!(page.contains("Giáo viên") && page.contains("Đổi vai trò"));
    assert!(audit_text(&app).contains(&format!("user.role user:{id} learner teacher")));

    let me = app.user(&admin_login).id;
    let resp = admin
        .post_form(&format!("/admin/people/{me}/role"), &[("role", "learner")])
        .await;
    assert_eq!(resp.status(), 400);
    assert_eq!(app.user(&admin_login).role(), Role::Admin);
    let resp = admin
        .post_form(&format!("/admin/people/{id}/role"), &[("role", "root")])
        .await;
    assert_eq!(resp.status(), 400);
}

/// The login and one-time password on a slip page.
fn slip_codes(page: &str) -> (String, String) {
    let codes: Vec<String> = page
        .split(r#"<dd class="slip-code">"#)
        .skip(1)
        .map(|s| s.split('<').next().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 2, "a slip with login and password: {page}");
    (codes[0].clone(), codes[1].clone())
}

async fn a_password_reset_by_slip_logs_in_once_and_forces_a_change(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (admin, admin_login) = app.logged_in(Role::Admin).await;
    let (learner, login) = app.logged_in(Role::Learner).await;
    let id = app.user(&login).id;
    let resp = admin
        .post_form(
            &format!("/admin/people/{id}/password"),
            &[("method", "slip")],
        )
        .await;
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["cache-control"], "no-store");
    let (slip_login, otp) = slip_codes(&resp.text().await.unwrap());
    assert_eq!(slip_login, login);
    assert!(
        location(&learner.get("/account").await).starts_with("/login"),
        "sessions end"
    );
    assert_eq!(app.client().login(&login, PASSWORD).await.status(), 401);
    let fresh = app.client();
    let resp = fresh.login(&login, &otp).await;
    assert_eq!(resp.status(), 303);
    assert_eq!(
        location(&resp),
        "/account/password",
        "must choose a new password"
    );
    assert_eq!(location(&fresh.get("/courses").await), "/account/password");
    let log = audit_text(&app);
    assert!(
        log.contains(&format!("user.password_reset user:{id}  slip")),
        "{log}"
    );
    assert!(!log.contains(&otp), "never the password");

    let me = app.user(&admin_login).id;
    let resp = admin
        .post_form(
            &format!("/admin/people/{me}/password"),
            &[("method", "slip")],
        )
        .await;
    assert_eq!(resp.status(), 400, "not one's own password");
    assert_eq!(admin.get("/admin").await.status(), 200, "still logged in");
}

async fn a_password_reset_by_email_sends_a_one_time_link(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (admin, _) = app.logged_in(Role::Admin).await;
    let (id, login) = person(&app, "Đỗ Thị Thư", None, Role::Learner);
    let resp = admin
        .post_form(
            &format!("/admin/people/{id}/password"),
            &[("method", "email")],
        )
        .await;
    assert_eq!(resp.status(), 303);
    let (_, page) = admin.get_text(&format!("/admin/people/{id}")).await;
    assert!(page.contains("Đã gửi thư"), "{page}");
    let dir = app.settings.data_dir.join("mail");
    let file = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .next()
        .expect("an .eml file");
    assert!(file.file_name().to_string_lossy().ends_with(".eml"));
    let raw = std::fs::read(file.path()).unwrap();
    let message = mail_parser::MessageParser::default()
        .parse(&raw[..])
        .unwrap();
    assert!(
        String::from_utf8_lossy(&raw).contains(&login),
        "sent to the person"
    );
    let body = message.body_text(0).unwrap().into_owned();
    let start = body.find("/password/reset/").expect("a reset link");
    let link = body[start..].split_whitespace().next().unwrap().to_owned();
    assert_eq!(app.client().get(&link).await.status(), 200);
    assert!(audit_text(&app).contains(&format!("user.password_reset user:{id}  email link")));

    let phone_only = app.create_user(Role::Learner, Group::Elderly);
    let pid = app.user(&phone_only).id;
    diesel::update(users::table.find(pid))
        .set((
            users::phone.eq("+84911222333"),
            users::email.eq(None::<String>),
        ))
        .execute(&mut app.pool.get().unwrap())
        .unwrap();
    let (_, page) = admin.get_text(&format!("/admin/people/{pid}")).await;
    assert!(!page.contains("Gửi đường dẫn qua email") && page.contains("In phiếu"));
    let resp = admin
        .post_form(
            &format!("/admin/people/{pid}/password"),
            &[("method", "email")],
        )
        .await;
    assert_eq!(resp.status(), 400);
    assert!(resp.text().await.unwrap().contains("không có email"));
}

async fn unit_managers_are_assigned_and_removed(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (admin, _) = app.logged_in(Role::Admin).await;
    let unit = residential_group(&app, "Tổ dân phố số 7");
    let (id, login) = person(&app, "Vũ Văn Trưởng", None, Role::Learner);
    let add = format!("/admin/units/{unit}/managers");

    let resp = admin.post_form(&add, &[("login", &login)]).await;
    assert_eq!(resp.status(), 303);
    assert_eq!(
        app.user(&login).role(),
        Role::Manager,
        "a learner becomes a manager"
    );
    let (_, page) = admin.get_text("/admin/units").await;
    assert!(
        page.contains("Tổ dân phố số 7") && page.contains("Vũ Văn Trưởng"),
        "{page}"
    );
    assert!(page.contains("nay có vai trò Quản lý đơn vị"));
    let (_, page) = admin.get_text(&format!("/admin/people/{id}")).await;
    assert!(page.contains("Tổ dân phố số 7"));
    let user: User = app.user(&login);
    let managed = hocvuso::accounts::managed_units(&mut app.pool.get().unwrap(), &user).unwrap();
    assert_eq!(managed, vec![unit], "reports will show this unit");

    let resp = admin
        .post_form(&format!("/admin/units/{unit}/managers/{id}/remove"), &[])
        .await;
    assert_eq!(resp.status(), 303);
    let (_, page) = admin.get_text("/admin/units").await;
    assert!(!page.contains("Vũ Văn Trưởng") && page.contains("Chưa có người quản lý"));
    let user = app.user(&login);
    let managed = hocvuso::accounts::managed_units(&mut app.pool.get().unwrap(), &user).unwrap();
    assert!(managed.is_empty());
    let log = audit_text(&app);
    assert!(
        log.contains(&format!(
            "unit.manager.add user:{id} {{\"role\":\"learner\"}}"
        )),
        "{log}"
    );
    assert!(log.contains(&format!("unit.manager.remove user:{id}")));
    let (_, page) = admin.get_text("/admin/audit").await;
    assert!(page.contains("unit.manager.add") && page.contains("unit.manager.remove"));
}

async fn teachers_and_unknown_logins_are_refused_and_former_managers_lose_their_units(
    backend: Backend,
) {
    let app = TestApp::spawn(&backend).await;
    let (admin, _) = app.logged_in(Role::Admin).await;
    let unit = residential_group(&app, "Tổ dân phố số 8");
    let add = format!("/admin/units/{unit}/managers");
    let (_, teacher) = person(&app, "Giáo Viên Dạy", None, Role::Teacher);
    let resp = admin.post_form(&add, &[("login", &teacher)]).await;
    assert_eq!(resp.status(), 422);
    let page = resp.text().await.unwrap();
    assert!(page.contains("giữ vai trò của mình"), "{page}");
    assert!(page.contains(&teacher), "what was typed is kept");
    assert_eq!(app.user(&teacher).role(), Role::Teacher);
    let resp = admin
        .post_form(&add, &[("login", "ai-do@example.vn")])
        .await;
    assert_eq!(resp.status(), 422);
    let page = resp.text().await.unwrap();
    assert!(page.contains("Không tìm thấy tài khoản"));

    let (id, manager) = person(&app, "Trưởng Tổ Cũ", None, Role::Manager);
    let resp = admin.post_form(&add, &[("login", &id.to_string())]).await;
    assert_eq!(resp.status(), 303, "by account id");
    let resp = admin
        .post_form(&format!("/admin/people/{id}/role"), &[("role", "learner")])
        .await;
    assert_eq!(resp.status(), 303);
    let (_, page) = admin.get_text("/admin/units").await;
    assert!(
        !page.contains("Trưởng Tổ Cũ"),
        "no longer listed as a manager"
    );
    let user = app.user(&manager);
    let managed = hocvuso::accounts::managed_units(&mut app.pool.get().unwrap(), &user).unwrap();
    assert!(managed.is_empty());
    assert!(audit_text(&app).contains(&format!("unit.manager.remove user:{id}")));
}

async fn the_export_leaves_out_contacts_unless_asked_and_logs_that_request(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (admin, _) = app.logged_in(Role::Admin).await;
    let (id, login) = person(&app, "Hoàng Thị Xuất", Some("+84912345678"), Role::Learner);
    let fields = edit_fields("Hoàng Thị Xuất", "0912345678", &login, CITIZEN_ID);
    let resp = admin
        .post_form(&format!("/admin/people/{id}/edit"), &fields)
        .await;
    assert_eq!(resp.status(), 303);

    let resp = admin.get("/admin/people.csv?q=Xu%E1%BA%A5t").await;
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = resp.text().await.unwrap();
    assert!(csv.contains("Hoàng Thị Xuất") && csv.contains("Học viên"));
    assert!(
        !csv.contains("0912 345 678") && !csv.contains("912345678"),
        "no phone: {csv}"
    );
    assert!(
        !csv.contains(&login) && !csv.contains("•••"),
        "no email, no ID"
    );
    assert!(!audit_text(&app).contains("people.export_contacts"));

    let csv = admin
        .get("/admin/people.csv?q=Xu%E1%BA%A5t&contacts=yes")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        csv.contains("0912 345 678") && csv.contains(&login),
        "{csv}"
    );
    assert!(csv.contains("•••••••••234") && !csv.contains(CITIZEN_ID));
    let log = audit_text(&app);
    assert!(
        log.contains("people.export_contacts people  q=Xuất"),
        "{log}"
    );
    let (_, page) = admin.get_text("/admin/audit").await;
    assert!(page.contains("people.export_contacts"));
}

async fn other_roles_are_refused_everywhere(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (id, login) = person(&app, "Người Được Bảo Vệ", None, Role::Learner);
    let unit = residential_group(&app, "Tổ dân phố số 9");
    let gets = [
        "/admin".to_owned(),
        "/admin/people?q=B%E1%BA%A3o".to_owned(),
        format!("/admin/people/{id}"),
        format!("/admin/people/{id}/edit"),
        "/admin/units".to_owned(),
        "/admin/people.csv?contacts=yes".to_owned(),
    ];
    let posts = [
        (
            format!("/admin/people/{id}/edit"),
            vec![("full_name", "Đổi Tên"), ("birth_year", "1950")],
        ),
        (format!("/admin/people/{id}/role"), vec![("role", "admin")]),
        (
            format!("/admin/people/{id}/active"),
            vec![("active", "false")],
        ),
        (
            format!("/admin/people/{id}/password"),
            vec![("method", "slip")],
        ),
        (
            format!("/admin/units/{unit}/managers"),
            vec![("login", login.as_str())],
        ),
        (format!("/admin/units/{unit}/managers/{id}/remove"), vec![]),
    ];
    for role in [Role::Learner, Role::Teacher, Role::Helper, Role::Manager] {
        let (client, _): (Client, String) = app.logged_in(role).await;
        for path in &gets {
            assert_eq!(client.get(path).await.status(), 403, "{role:?} GET {path}");
        }
        for (path, fields) in &posts {
            let resp = client.post_form(path, fields).await;
            assert_eq!(resp.status(), 403, "{role:?} POST {path}");
        }
    }
    let user = app.user(&login);
    assert!(user.active && user.role() == Role::Learner && user.full_name == "Người Được Bảo Vệ");
    assert!(audit_text(&app).is_empty(), "nothing was done");
}

on_both_backends!(
    finding_people_by_name_phone_and_filters,
    a_wrong_field_shows_its_message_and_keeps_what_was_typed,
    a_good_edit_is_saved_audited_and_the_citizen_id_only_hashed_and_masked,
    deactivation_locks_the_person_out_and_reactivation_lets_them_in,
    a_role_change_ends_sessions_and_not_on_ones_own_account,
    a_password_reset_by_slip_logs_in_once_and_forces_a_change,
    a_password_reset_by_email_sends_a_one_time_link,
    unit_managers_are_assigned_and_removed,
    teachers_and_unknown_logins_are_refused_and_former_managers_lose_their_units,
    the_export_leaves_out_contacts_unless_asked_and_logs_that_request,
    other_roles_are_refused_everywhere,
);
