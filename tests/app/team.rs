//! Tests of `web::team` and its domain code, on SQLite and PostgreSQL: a helper registers
//! residents on the spot, sees only their own residents, reprints a slip, and learns with a
//! resident in assisted mode (every step recorded as assisted).

use diesel::prelude::*;
use hocvuso::accounts::Role;
use hocvuso::db::schema::{attempts, audit_log, consents, lesson_progress, units, users};
use hocvuso::groups::Group;

use crate::assessment::{COURSE, answer_form, start, submit};
use crate::helpers::{Backend, Client, PASSWORD, TestApp, location};
use crate::on_both_backends;

/// Creates a residential group (tổ dân phố) and returns its id.
pub fn residential_group(app: &TestApp, name: &str) -> i64 {
    diesel::insert_into(units::table)
        .values((
            units::code.eq(format!("TDP-{:x}", rand::random::<u32>())),
            units::name.eq(name),
            units::kind.eq("residential"),
            units::created_at.eq(hocvuso::db::now()),
        ))
        .returning(units::id)
        .get_result(&mut app.pool.get().unwrap())
        .unwrap()
}

/// The registration form for a resident, all good, without phone.
fn resident_fields(name: &str, unit: i64) -> Vec<(String, String)> {
    [
        ("full_name", name.to_owned()),
        ("phone", String::new()),
        ("birth_year", "1952".into()),
        ("target_group", "elderly".into()),
        ("residence_unit_id", unit.to_string()),
        ("sex", "nu".into()),
        ("consent_learning", "yes".into()),
        ("consent_reports", "yes".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

async fn post(client: &Client, path: &str, fields: &[(String, String)]) -> reqwest::Response {
    let refs: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    client.post_form(path, &refs).await
}

/// The values of the slip's login and one-time password.
fn slip_codes(page: &str) -> (String, String) {
    let codes: Vec<String> = page
        .split(r#"<dd class="slip-code">"#)
        .skip(1)
        .map(|s| s.split('<').next().unwrap().to_owned())
        .collect();
    assert_eq!(codes.len(), 2, "a slip with login and password: {page}");
    (codes[0].clone(), codes[1].clone())
}

fn user_id_by_name(app: &TestApp, name: &str) -> i64 {
    users::table
        .filter(users::full_name.eq(name))
        .select(users::id)
        .get_result(&mut app.pool.get().unwrap())
        .unwrap()
}

/// Registers a resident as `helper` and returns (id, login, password).
async fn register(app: &TestApp, helper: &Client, name: &str, unit: i64) -> (i64, String, String) {
    let resp = post(helper, "/team/register", &resident_fields(name, unit)).await;
    assert_eq!(resp.status(), 200);
    let page = resp.text().await.unwrap();
    let (login, password) = slip_codes(&page);
    (user_id_by_name(app, name), login, password)
}

async fn a_helper_registers_a_resident_without_phone_who_can_log_in(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let unit = residential_group(&app, "Tổ dân phố số 5");
    let (helper, helper_login) = app.logged_in(Role::Helper).await;
    let helper_id = app.user(&helper_login).id;

    let (status, form) = helper.get_text("/team/register").await;
    assert_eq!(status, 200);
    assert!(form.contains("Tổ dân phố số 5"));
    assert!(
        !form.contains(r#"value="yes" checked"#),
        "no consent is pre-ticked"
    );

    let resp = post(
        &helper,
        "/team/register",
        &resident_fields("Đỗ Thị Sáu", unit),
    )
    .await;
    assert_eq!(resp.status(), 200);
    let page = resp.text().await.unwrap();
    assert!(page.contains("Phiếu đăng nhập Học Vụ Số"));
    assert!(page.contains("Học cùng người này"));
    assert!(page.contains("Đăng ký người tiếp theo"));
    let (login, password) = slip_codes(&page);
    assert!(login.starts_with("hv"), "a login name: {login}");

    let mut conn = app.pool.get().unwrap();
    let (registered_by, channel, residence, must_change, sex): (
        Option<i64>,
        String,
        Option<i64>,
        bool,
        Option<String>,
    ) = users::table
        .filter(users::username.eq(&login))
        .select((
            users::registered_by,
            users::channel,
            users::residence_unit_id,
            users::must_change_password,
            users::sex,
        ))
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(registered_by, Some(helper_id));
    assert_eq!(channel, "helper");
    assert_eq!(residence, Some(unit));
    assert!(must_change);
    assert_eq!(sex.as_deref(), Some("nu"));
    let recorded: Vec<(String, bool, Option<i64>)> = consents::table
        .inner_join(users::table.on(users::id.eq(consents::user_id)))
        .filter(users::username.eq(&login))
        .select((consents::purpose, consents::granted, consents::recorded_by))
        .order(consents::purpose)
        .load(&mut conn)
        .unwrap();
    assert_eq!(
        recorded,
        vec![
            ("learning".into(), true, Some(helper_id)),
            ("notices".into(), false, Some(helper_id)),
            ("reports".into(), true, Some(helper_id)),
        ]
    );
    let audited: i64 = audit_log::table
        .filter(audit_log::action.eq("team.register"))
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(audited, 1);

    let resident = app.client();
    let resp = resident.login(&login, &password).await;
    assert_eq!(resp.status(), 303);
    assert_eq!(
        location(&resp),
        "/account/password",
        "must choose a password"
    );
}

async fn a_phone_already_used_is_shown_beside_the_field_and_typed_values_kept(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let unit = residential_group(&app, "Tổ dân phố số 1");
    let (helper, _) = app.logged_in(Role::Helper).await;
    let mut fields = resident_fields("Vũ Văn Tám", unit);
    fields[1].1 = "0912 000 111".into();
    assert_eq!(post(&helper, "/team/register", &fields).await.status(), 200);

    fields[0].1 = "Vũ Thị Chín".into();
    let resp = post(&helper, "/team/register", &fields).await;
    assert_eq!(resp.status(), 422);
    let page = resp.text().await.unwrap();
    assert!(page.contains(r#"id="e-phone""#), "message beside the phone");
    assert!(page.contains("đã có tài khoản"));
    assert!(page.contains(r#"value="Vũ Thị Chín""#), "the name is kept");
    assert!(
        page.contains(r#"value="0912 000 111""#),
        "the phone is kept"
    );
    assert!(page.contains(r#"name="consent_learning" value="yes" checked"#));
}

async fn missing_consent_and_a_child_without_guardian_are_refused(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let unit = residential_group(&app, "Tổ dân phố số 2");
    let (helper, _) = app.logged_in(Role::Helper).await;

    let fields: Vec<(String, String)> = resident_fields("Lò Văn Mười", unit)
        .into_iter()
        .filter(|(k, _)| k != "consent_reports")
        .collect();
    let resp = post(&helper, "/team/register", &fields).await;
    assert_eq!(resp.status(), 422);
    let page = resp.text().await.unwrap();
    assert!(page.contains(r#"id="e-consent""#));
    assert!(page.contains(r#"value="Lò Văn Mười""#));

    let mut child = resident_fields("Lò Thị Nhỏ", unit);
    child[2].1 = (chrono::Datelike::year(&chrono::Utc::now()) - 10).to_string();
    child[3].1 = "students".into();
    let resp = post(&helper, "/team/register", &child).await;
    assert_eq!(resp.status(), 422);
    let page = resp.text().await.unwrap();
    assert!(page.contains(r#"id="e-guardian_name""#));
    assert!(page.contains(r#"id="e-guardian_consent""#));

    child.push(("guardian_name".into(), "Lò Văn Bố".into()));
    child.push(("guardian_consent".into(), "yes".into()));
    assert_eq!(post(&helper, "/team/register", &child).await.status(), 200);
    let given: Vec<(String, Option<String>)> = consents::table
        .filter(consents::user_id.eq(user_id_by_name(&app, "Lò Thị Nhỏ")))
        .select((consents::given_by, consents::guardian_name))
        .load(&mut app.pool.get().unwrap())
        .unwrap();
    assert_eq!(given.len(), 3);
    assert!(
        given
            .iter()
            .all(|(by, name)| by == "guardian" && name.as_deref() == Some("Lò Văn Bố"))
    );
    let no_account: i64 = users::table
        .filter(users::full_name.eq("Lò Văn Mười"))
        .count()
        .get_result(&mut app.pool.get().unwrap())
        .unwrap();
    assert_eq!(no_account, 0);
}

async fn a_helper_sees_only_their_own_residents(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let unit = residential_group(&app, "Tổ dân phố số 3");
    let (mine, _) = app.logged_in(Role::Helper).await;
    let (other, _) = app.logged_in(Role::Helper).await;
    let (my_resident, _, _) = register(&app, &mine, "Nguyễn Văn Của Tôi", unit).await;
    let (their_resident, _, _) = register(&app, &other, "Trần Thị Của Người Khác", unit).await;

    let (status, page) = mine.get_text("/team").await;
    assert_eq!(status, 200);
    assert!(page.contains("Nguyễn Văn Của Tôi"));
    assert!(page.contains("Chưa học bài nào"));
    assert!(!page.contains("Trần Thị Của Người Khác"));
    let (_, found) = mine.get_text("/team?q=Của+Tôi").await;
    assert!(found.contains("Nguyễn Văn Của Tôi"));
    let (_, none) = mine.get_text("/team?q=Xyz").await;
    assert!(!none.contains("Nguyễn Văn Của Tôi"));

    let (status, _) = mine
        .get_text(&format!("/team/residents/{my_resident}"))
        .await;
    assert_eq!(status, 200);
    for path in [
        format!("/team/residents/{their_resident}"),
        "/team/residents/999999".into(),
    ] {
        assert_eq!(mine.get_text(&path).await.0, 404, "{path}");
    }
    let resp = mine
        .post_form(&format!("/team/residents/{their_resident}/assist"), &[])
        .await;
    assert_eq!(resp.status(), 404);
    let resp = mine
        .post_form(&format!("/team/residents/{their_resident}/slip"), &[])
        .await;
    assert_eq!(resp.status(), 404);

    // An administrator sees every helper's residents, with the helper's name.
    let (admin, _) = app.logged_in(Role::Admin).await;
    let (_, page) = admin.get_text("/team").await;
    assert!(page.contains("Nguyễn Văn Của Tôi") && page.contains("Trần Thị Của Người Khác"));
    assert!(page.contains("người đăng ký: Người thử"));

    let (learner, _) = app.logged_in(Role::Learner).await;
    assert_eq!(learner.get_text("/team").await.0, 403);
    assert_eq!(learner.get_text("/team/register").await.0, 403);
}

async fn a_slip_is_reprinted_only_until_the_resident_chooses_a_password(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let unit = residential_group(&app, "Tổ dân phố số 4");
    let (helper, _) = app.logged_in(Role::Helper).await;
    let (id, login, first) = register(&app, &helper, "Hà Văn Quên", unit).await;

    let resp = helper
        .post_form(&format!("/team/residents/{id}/slip"), &[])
        .await;
    assert_eq!(resp.status(), 200);
    let (same_login, second) = slip_codes(&resp.text().await.unwrap());
    assert_eq!(same_login, login);
    assert_ne!(second, first);
    let resident = app.client();
    assert_eq!(resident.login(&login, &first).await.status(), 401);
    assert_eq!(resident.login(&login, &second).await.status(), 303);

    diesel::update(users::table.find(id))
        .set(users::must_change_password.eq(false))
        .execute(&mut app.pool.get().unwrap())
        .unwrap();
    let resp = helper
        .post_form(&format!("/team/residents/{id}/slip"), &[])
        .await;
    let page = resp.text().await.unwrap();
    assert!(page.contains("đã tự đặt mật khẩu riêng"));
    assert!(!page.contains("slip-code\">hv"));
    assert_eq!(resident.login(&login, &second).await.status(), 303);
}

async fn assisted_mode_records_the_helper_and_ends_back_in_the_helper_session(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let unit = residential_group(&app, "Tổ dân phố số 6");
    let (helper, helper_login) = app.logged_in(Role::Helper).await;
    let helper_id = app.user(&helper_login).id;
    let (id, _, _) = register(&app, &helper, "Phan Thị Được Giúp", unit).await;

    let resp = helper
        .post_form(&format!("/team/residents/{id}/assist"), &[])
        .await;
    assert_eq!(resp.status(), 303);
    assert_eq!(location(&resp), "/courses");
    // Still on a one-time password: the helper learns with the resident anyway.
    let (status, page) = helper.get_text("/courses").await;
    assert_eq!(status, 200);
    assert!(page.contains("Bạn đang hỗ trợ <strong>Phan Thị Được Giúp</strong> học"));
    assert!(page.contains("Kết thúc hỗ trợ"));
    let (_, lesson) = helper
        .get_text(&format!("/courses/{COURSE}/lessons/1"))
        .await;
    assert!(
        lesson.contains("Bạn đang hỗ trợ"),
        "the banner on cached pages too"
    );
    // The helper's own pages are not reachable as the resident.
    assert_eq!(helper.get_text("/team").await.0, 403);
    // The resident's password is not the helper's to change.
    let resp = helper
        .post_form(
            "/account/password",
            &[
                ("current_password", "x"),
                ("new_password", "một câu dài dễ nhớ của bà"),
                ("new_password_confirm", "một câu dài dễ nhớ của bà"),
            ],
        )
        .await;
    assert_eq!(resp.status(), 403);

    for n in 1..=2 {
        let resp = helper
            .post_form(&format!("/courses/{COURSE}/lessons/{n}/done"), &[])
            .await;
        assert_eq!(resp.status(), 303);
    }
    let attempt = start(&helper).await;
    let resp = submit(&helper, attempt, answer_form(&app, attempt, true)).await;
    assert_eq!(resp.status(), 303);

    let mut conn = app.pool.get().unwrap();
    let lessons: Vec<Option<i64>> = lesson_progress::table
        .filter(lesson_progress::user_id.eq(id))
        .select(lesson_progress::assisted_by)
        .load(&mut conn)
        .unwrap();
    assert_eq!(lessons, vec![Some(helper_id), Some(helper_id)]);
    let tests: Vec<(Option<i64>, Option<bool>)> = attempts::table
        .filter(attempts::user_id.eq(id))
        .select((attempts::assisted_by, attempts::passed))
        .load(&mut conn)
        .unwrap();
    assert_eq!(tests, vec![(Some(helper_id), Some(true))]);

    let resp = helper.post_form("/team/assist/end", &[]).await;
    assert_eq!(resp.status(), 303);
    assert_eq!(location(&resp), format!("/team/residents/{id}"));
    let (status, page) = helper.get_text(&format!("/team/residents/{id}")).await;
    assert_eq!(status, 200);
    assert!(!page.contains("Bạn đang hỗ trợ"));
    assert!(page.contains("Đã học 2/2 bài (2 bài có người hỗ trợ)"));
    assert!(page.contains("có người hỗ trợ"));
    let actions: Vec<String> = audit_log::table
        .filter(audit_log::subject.eq(format!("user:{id}")))
        .select(audit_log::action)
        .order(audit_log::id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(
        actions,
        vec!["team.register", "team.assist.start", "team.assist.end"]
    );
    let (_, list) = helper.get_text("/team").await;
    assert!(list.contains("đã học 2/2 bài"));
    assert!(list.contains("Có 1 chứng nhận"));
}

async fn assisted_mode_ends_when_the_helper_loses_the_role(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let unit = residential_group(&app, "Tổ dân phố số 7");
    let (helper, helper_login) = app.logged_in(Role::Helper).await;
    let (id, _, _) = register(&app, &helper, "Mai Văn Chờ", unit).await;
    let resp = helper
        .post_form(&format!("/team/residents/{id}/assist"), &[])
        .await;
    assert_eq!(resp.status(), 303);
    let helper_id = app.user(&helper_login).id;
    hocvuso::accounts::User::set_role(&mut app.pool.get().unwrap(), helper_id, Role::Learner)
        .unwrap();
    let resp = helper.get("/account").await;
    assert_eq!(resp.status(), 303, "the assisted session is dead");
    assert!(location(&resp).starts_with("/login"));
}

/// Chooses the resident's own password (the first login with the slip) and returns a client
/// logged in as the resident.
async fn resident_chooses_a_password(app: &TestApp, login: &str, otp: &str) -> Client {
    let resident = app.client();
    assert_eq!(resident.login(login, otp).await.status(), 303);
    let resp = resident
        .post_form(
            "/account/password",
            &[
                ("current_password", otp),
                ("new_password", PASSWORD),
                ("new_password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(resp.status(), 303, "the resident's own password");
    resident
}

async fn a_test_begun_alone_and_handed_in_with_a_helper_counts_as_assisted(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let unit = residential_group(&app, "Tổ dân phố số 8");
    let (helper, helper_login) = app.logged_in(Role::Helper).await;
    let helper_id = app.user(&helper_login).id;
    let (id, login, otp) = register(&app, &helper, "Bùi Thị Tự Học", unit).await;

    // Lesson 1 with the helper; then the resident alone, on their own phone.
    let resp = helper
        .post_form(&format!("/team/residents/{id}/assist"), &[])
        .await;
    assert_eq!(resp.status(), 303);
    let resp = helper
        .post_form(&format!("/courses/{COURSE}/lessons/1/done"), &[])
        .await;
    assert_eq!(resp.status(), 303);
    assert_eq!(
        helper.post_form("/team/assist/end", &[]).await.status(),
        303
    );

    let resident = resident_chooses_a_password(&app, &login, &otp).await;
    let (_, page) = resident.get_text("/courses").await;
    assert!(
        !page.contains("Bạn đang hỗ trợ"),
        "the resident's own login"
    );
    let resp = resident
        .post_form(&format!("/courses/{COURSE}/lessons/2/done"), &[])
        .await;
    assert_eq!(resp.status(), 303);
    let attempt = start(&resident).await;

    // The helper comes back and hands the test in with the resident.
    let resp = helper
        .post_form(&format!("/team/residents/{id}/assist"), &[])
        .await;
    assert_eq!(resp.status(), 303);
    let resp = submit(&helper, attempt, answer_form(&app, attempt, true)).await;
    assert_eq!(resp.status(), 303);

    let mut conn = app.pool.get().unwrap();
    let lessons: Vec<(String, Option<i64>)> = lesson_progress::table
        .filter(lesson_progress::user_id.eq(id))
        .select((lesson_progress::lesson_slug, lesson_progress::assisted_by))
        .order(lesson_progress::id)
        .load(&mut conn)
        .unwrap();
    assert_eq!(lessons.len(), 2);
    assert_eq!(lessons[0].1, Some(helper_id), "done with the helper");
    assert_eq!(lessons[1].1, None, "done alone");
    let assisted: Option<i64> = attempts::table
        .find(attempt)
        .select(attempts::assisted_by)
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(assisted, Some(helper_id), "handed in with the helper");

    assert_eq!(
        helper.post_form("/team/assist/end", &[]).await.status(),
        303
    );
    let (_, list) = helper.get_text("/team").await;
    assert!(list.contains("Đã làm 1 bài kiểm tra"), "{list}");
    assert!(list.contains("đạt 1 bài"));
    let (_, page) = helper.get_text(&format!("/team/residents/{id}")).await;
    assert!(page.contains("Đã học 2/2 bài (1 bài có người hỗ trợ)"));
    assert!(page.contains("Người dân đã tự chọn mật khẩu"));
}

async fn an_administrator_assists_only_residents_registered_by_helpers(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let unit = residential_group(&app, "Tổ dân phố số 9");
    let (helper, _) = app.logged_in(Role::Helper).await;
    let (resident, _, _) = register(&app, &helper, "Đặng Văn Được Đăng Ký", unit).await;
    let self_registered = app.user(&app.create_user(Role::Learner, Group::Elderly)).id;

    let (admin, _) = app.logged_in(Role::Admin).await;
    let path = format!("/team/residents/{resident}");
    assert_eq!(admin.get_text(&path).await.0, 200);
    let path = format!("/team/residents/{self_registered}");
    assert_eq!(admin.get_text(&path).await.0, 404, "not a resident");
    let resp = admin
        .post_form(&format!("/team/residents/{self_registered}/assist"), &[])
        .await;
    assert_eq!(
        resp.status(),
        404,
        "no assisted mode for self-registered people"
    );
    let (_, list) = admin.get_text("/team").await;
    assert!(list.contains("Đặng Văn Được Đăng Ký"));
    assert!(!list.contains("Người thử Học viên"));
}

async fn the_list_is_searched_without_minding_case_or_diacritics(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let unit = residential_group(&app, "Tổ dân phố số 10");
    let (helper, _) = app.logged_in(Role::Helper).await;
    let (_, login, _) = register(&app, &helper, "Nguyễn Thị Lan", unit).await;
    let mut with_phone = resident_fields("Trần Văn Bốn", unit);
    with_phone[1].1 = "0912 345 678".into();
    assert_eq!(
        post(&helper, "/team/register", &with_phone).await.status(),
        200
    );

    for (typed, found, not_found) in [
        ("nguyen thi lan", "Nguyễn Thị Lan", "Trần Văn Bốn"),
        ("LAN", "Nguyễn Thị Lan", "Trần Văn Bốn"),
        (login.as_str(), "Nguyễn Thị Lan", "Trần Văn Bốn"),
        ("0912345678", "Trần Văn Bốn", "Nguyễn Thị Lan"),
        ("tran van bon", "Trần Văn Bốn", "Nguyễn Thị Lan"),
    ] {
        let url = format!("/team?q={}", typed.replace(' ', "+"));
        let (status, page) = helper.get_text(&url).await;
        assert_eq!(status, 200);
        assert!(page.contains(found), "{typed} finds {found}");
        assert!(
            !page.contains(not_found),
            "{typed} does not find {not_found}"
        );
    }
    let (_, none) = helper.get_text("/team?q=hoa").await;
    assert!(none.contains("Không tìm thấy người dân nào"));
}

async fn the_same_resident_sent_twice_is_not_registered_twice(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let unit = residential_group(&app, "Tổ dân phố số 11");
    let (helper, _) = app.logged_in(Role::Helper).await;
    let fields = resident_fields("Lý Thị Hai Lần", unit);
    assert_eq!(post(&helper, "/team/register", &fields).await.status(), 200);
    let first = user_id_by_name(&app, "Lý Thị Hai Lần");

    // The page reloaded, or the form sent again: no second account.
    let resp = post(&helper, "/team/register", &fields).await;
    assert_eq!(resp.status(), 422);
    let page = resp.text().await.unwrap();
    assert!(
        page.contains(r#"id="e-full_name""#),
        "message beside the name"
    );
    assert!(page.contains("Bạn đã đăng ký một người cùng họ tên"));
    assert!(page.contains(&format!(r#"href="/team/residents/{first}""#)));
    assert!(
        page.contains(r#"value="Lý Thị Hai Lần""#),
        "the name is kept"
    );
    let count = || -> i64 {
        users::table
            .filter(users::full_name.eq("Lý Thị Hai Lần"))
            .count()
            .get_result(&mut app.pool.get().unwrap())
            .unwrap()
    };
    assert_eq!(count(), 1);

    // Another person with the same name: the helper says so.
    let mut other = fields.clone();
    other.push(("same_name_ok".into(), "yes".into()));
    assert_eq!(post(&helper, "/team/register", &other).await.status(), 200);
    assert_eq!(count(), 2);
}

async fn the_form_suits_a_phone_and_times_are_in_vietnam_time(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let unit = residential_group(&app, "Tổ dân phố số 12");
    residential_group(&app, "Tổ dân phố số 13");
    let (helper, _) = app.logged_in(Role::Helper).await;
    let (_, form) = helper.get_text("/team/register").await;
    assert!(form.contains(r#"type="tel""#) && form.contains(r#"inputmode="tel""#));
    assert!(form.contains(r#"inputmode="numeric""#), "birth year");
    let year = chrono::Datelike::year(&chrono::Utc::now()) - 16;
    assert!(form.contains(&format!("sinh từ năm {year} trở về sau")));
    assert!(
        !form.contains("selected>"),
        "no tổ dân phố chosen in advance"
    );

    // A wrong birth year keeps the chosen tổ dân phố.
    let mut fields = resident_fields("Cao Văn Giờ", unit);
    fields[2].1 = "19a5".into();
    let resp = post(&helper, "/team/register", &fields).await;
    assert_eq!(resp.status(), 422);
    let page = resp.text().await.unwrap();
    assert!(page.contains(r#"id="e-birth_year""#));
    assert!(page.contains(&format!(r#"<option value="{unit}" selected>"#)));

    let (id, _, _) = register(&app, &helper, "Cao Văn Giờ", unit).await;
    let at = chrono::NaiveDate::from_ymd_opt(2026, 3, 1)
        .unwrap()
        .and_hms_opt(20, 30, 0)
        .unwrap();
    diesel::update(users::table.find(id))
        .set(users::created_at.eq(at))
        .execute(&mut app.pool.get().unwrap())
        .unwrap();
    let (_, page) = helper.get_text(&format!("/team/residents/{id}")).await;
    assert!(
        page.contains("02&#x2F;03&#x2F;2026 03:30"),
        "20:30 UTC is 03:30 next day in Hải Phòng: {page}"
    );
}

/// "Đăng xuất" pressed while assisting logs the helper's phone out, and only that: the
/// resident's own login elsewhere goes on.
async fn logging_out_while_assisting_leaves_the_residents_own_login(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let unit = residential_group(&app, "Tổ dân phố số 8");
    let (helper, _) = app.logged_in(Role::Helper).await;
    let (id, login, otp) = register(&app, &helper, "Đinh Thị Tự Học", unit).await;
    let resident = app.client();
    assert_eq!(resident.login(&login, &otp).await.status(), 303);
    let resp = helper
        .post_form(&format!("/team/residents/{id}/assist"), &[])
        .await;
    assert_eq!(resp.status(), 303);
    let resp = helper.post_form("/logout", &[]).await;
    assert_eq!(location(&resp), "/");
    assert_eq!(
        helper.get("/account").await.status(),
        303,
        "the helper's phone is logged out"
    );
    assert_eq!(
        resident.get("/account/password").await.status(),
        200,
        "the resident is not"
    );
}

on_both_backends!(
    logging_out_while_assisting_leaves_the_residents_own_login,
    a_helper_registers_a_resident_without_phone_who_can_log_in,
    a_phone_already_used_is_shown_beside_the_field_and_typed_values_kept,
    missing_consent_and_a_child_without_guardian_are_refused,
    a_helper_sees_only_their_own_residents,
    a_slip_is_reprinted_only_until_the_resident_chooses_a_password,
    assisted_mode_records_the_helper_and_ends_back_in_the_helper_session,
    assisted_mode_ends_when_the_helper_loses_the_role,
    a_test_begun_alone_and_handed_in_with_a_helper_counts_as_assisted,
    an_administrator_assists_only_residents_registered_by_helpers,
    the_list_is_searched_without_minding_case_or_diacritics,
    the_same_resident_sent_twice_is_not_registered_twice,
    the_form_suits_a_phone_and_times_are_in_vietnam_time,
);
