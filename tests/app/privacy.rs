//! Tests of `web::privacy` and its domain code, on SQLite and PostgreSQL: consent per purpose at
//! registration (never pre-ticked, versioned), a child's guardian, withdrawing a consent, the
//! download of one's own data, and deleting an account without changing the ward's counts.

use std::sync::Arc;

use chrono::{Datelike, Utc};
use diesel::prelude::*;
use hocvuso::accounts::citizen_id::CitizenId;
use hocvuso::accounts::{Role, User};
use hocvuso::audit::Entry;
use hocvuso::certificates::Certificate;
use hocvuso::content::Course;
use hocvuso::db::DbConn;
use hocvuso::db::schema::{attempts, audit_log, confirmations, lesson_progress, users};
use hocvuso::privacy::consent::{self, Consent, GivenBy, VERSION};
use hocvuso::reports::Scope;

use crate::assessment::{answer_form, ready_learner, start, submit};
use crate::helpers::{Backend, Client, PASSWORD, TestApp, location};
use crate::on_both_backends;

const REQUIRED: [(&str, &str); 2] = [("consent_learning", "yes"), ("consent_reports", "yes")];

/// The registration form of Nguyễn Thị Lan, without any consent ticked.
fn form<'a>(contact: &'a str, born: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("full_name", "Nguyễn Thị Lan"),
        ("contact", contact),
        ("birth_year", born),
        ("target_group", "elderly"),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
    ]
}

fn this_year() -> i32 {
    Utc::now().year()
}

/// The `<input …>` tag of the form field `name`.
fn input<'a>(page: &'a str, name: &str) -> &'a str {
    let at = page
        .find(&format!(r#"name="{name}""#))
        .unwrap_or_else(|| panic!("no field {name}"));
    let start = page[..at].rfind('<').unwrap();
    let end = at + page[at..].find('>').unwrap();
    &page[start..=end]
}

fn ticked(page: &str, name: &str) -> bool {
    input(page, name).contains("checked")
}

fn history(app: &TestApp, id: i64) -> Vec<Consent> {
    consent::history(&mut app.pool.get().unwrap(), id).unwrap()
}

fn current(app: &TestApp, id: i64, purpose: &str) -> Consent {
    let all = consent::current(&mut app.pool.get().unwrap(), id).unwrap();
    all.into_iter().find(|c| c.purpose == purpose).unwrap()
}

async fn consents_are_asked_per_purpose_never_pre_ticked_and_stored_with_their_version(
    backend: Backend,
) {
    let app = TestApp::spawn(&backend).await;
    let client = app.client();
    let (status, page) = client.get_text("/register").await;
    assert_eq!(status, 200);
    for p in consent::PURPOSES {
        assert!(page.contains(p.text_vi), "each purpose in its own words");
    }
    for field in [
        "consent_learning",
        "consent_reports",
        "consent_notices",
        "guardian_consent",
    ] {
        assert!(!ticked(&page, field), "{field} is never pre-ticked");
    }

    let mut fields = form("0912 000 111", "1958");
    fields.extend([("consent_learning", "yes"), ("consent_notices", "yes")]);
    let resp = client.post_form("/register", &fields).await;
    assert_eq!(resp.status(), 422);
    let page = resp.text().await.unwrap();
    assert!(page.contains(r#"id="e-consent_reports""#) && page.contains("Bạn cần đồng ý"));
    assert!(ticked(&page, "consent_learning") && ticked(&page, "consent_notices"));
    assert!(
        !ticked(&page, "consent_reports"),
        "only what the person ticked"
    );

    let mut fields = form("0912 000 111", "1958");
    fields.extend(REQUIRED);
    let resp = client.post_form("/register", &fields).await;
    assert_eq!(resp.status(), 303);
    let user = app.user("0912 000 111");
    assert_eq!(user.consent_version.as_deref(), Some(VERSION));
    let rows = history(&app, user.id);
    let decisions: Vec<(&str, bool, &str, &str)> = rows
        .iter()
        .map(|c| {
            (
                c.purpose.as_str(),
                c.granted,
                c.version.as_str(),
                c.given_by.as_str(),
            )
        })
        .collect();
    assert_eq!(
        decisions,
        vec![
            ("learning", true, VERSION, "self"),
            ("reports", true, VERSION, "self"),
            ("notices", false, VERSION, "self"),
        ],
        "one row per purpose, the one left empty recorded as not given"
    );
    let now = Utc::now().naive_utc();
    assert!(rows.iter().all(|c| (now - c.at).num_seconds().abs() < 300));
    let (_, page) = client.get_text("/account/data").await;
    assert!(page.contains("Đã đồng ý") && page.contains("Chưa đồng ý"));
    assert!(page.contains(&format!("bản lời văn {VERSION}")));
}

/// Who made each decision: purpose, `self` or `guardian`, and the guardian's name.
fn givers(app: &TestApp, id: i64) -> Vec<(String, String, Option<String>)> {
    let rows = history(app, id).into_iter();
    rows.map(|c| (c.purpose, c.given_by, c.guardian_name))
        .collect()
}

async fn a_child_under_16_needs_a_guardians_consent(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let client = app.client();
    let born = (this_year() - 12).to_string();
    let mut fields = form("0912 000 222", &born);
    fields.extend(REQUIRED);
    let page = client
        .post_form("/register", &fields)
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"id="e-guardian_name""#), "beside the field");
    assert!(page.contains(r#"id="e-guardian_consent""#));
    assert!(page.contains(&format!(r#"value="{born}""#)), "typed, kept");
    // Only the birth year is known: in the year they turn 16 they may still be 15.
    let turning_16 = (this_year() - 16).to_string();
    let mut older = form("0912 000 223", &turning_16);
    older.extend(REQUIRED);
    let resp = client.post_form("/register", &older).await;
    assert_eq!(resp.status(), 422);

    fields.extend([
        ("guardian_name", " Trần  Văn Bình "),
        ("guardian_consent", "yes"),
    ]);
    let resp = client.post_form("/register", &fields).await;
    assert_eq!(resp.status(), 303);
    let child = app.user("0912 000 222").id;
    let row = |p: &str, who: &str, name: Option<&str>| {
        (p.to_owned(), who.to_owned(), name.map(str::to_owned))
    };
    let bình = Some("Trần Văn Bình");
    let expected = vec![
        row("learning", "self", None),
        row("reports", "self", None),
        row("notices", "self", None),
        row("learning", "guardian", bình),
        row("reports", "guardian", bình),
        row("notices", "guardian", bình),
    ];
    assert_eq!(
        givers(&app, child),
        expected,
        "the child's and the guardian's"
    );
    assert_eq!(current(&app, child, "learning").given_by, "guardian");

    let mut adult = form("0912 000 224", "2000");
    adult.extend(REQUIRED);
    adult.push(("guardian_name", "Trần Văn Bình"));
    let resp = app.client().post_form("/register", &adult).await;
    assert_eq!(resp.status(), 303, "an adult's guardian fields are ignored");
    let adult = app.user("0912 000 224").id;
    assert!(
        givers(&app, adult)
            .iter()
            .all(|(_, who, name)| who == "self" && name.is_none())
    );
}

async fn a_child_may_withdraw_alone_but_needs_a_guardian_for_a_new_permission(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let client = app.client();
    let born = (this_year() - 14).to_string();
    let mut fields = form("0912 000 225", &born);
    fields.extend(REQUIRED);
    fields.extend([
        ("consent_notices", "yes"),
        ("guardian_name", "Trần Văn Bình"),
        ("guardian_consent", "yes"),
    ]);
    assert_eq!(client.post_form("/register", &fields).await.status(), 303);
    let child = app.user("0912 000 225").id;
    assert!(current(&app, child, "notices").granted);

    let resp = client.post_form("/account/consents", &[]).await;
    assert_eq!(location(&resp), "/account/data?saved=1");
    let withdrawn = current(&app, child, "notices");
    assert!(!withdrawn.granted && withdrawn.given_by == "self");
    let resp = client
        .post_form("/account/consents", &[("consent_notices", "yes")])
        .await;
    assert_eq!(resp.status(), 422);
    let page = resp.text().await.unwrap();
    assert!(page.contains("cần cha, mẹ hoặc người giám hộ"));
    assert_eq!(history(&app, child).len(), 7, "nothing recorded");
    assert!(!current(&app, child, "notices").granted);
}

async fn withdrawing_an_optional_consent_is_a_new_row_and_the_history_is_kept(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let client = app.client();
    let mut fields = form("lan@example.vn", "1958");
    fields.extend(REQUIRED);
    fields.push(("consent_notices", "yes"));
    assert_eq!(client.post_form("/register", &fields).await.status(), 303);
    let id = app.user("lan@example.vn").id;
    let (_, page) = client.get_text("/account/data").await;
    assert!(ticked(&page, "consent_notices"));
    assert!(
        !page.contains(r#"name="consent_learning""#),
        "a required purpose is left by deleting the account, not on this form"
    );

    let resp = client.post_form("/account/consents", &[]).await;
    assert_eq!(resp.status(), 303);
    assert_eq!(location(&resp), "/account/data?saved=1");
    let rows = history(&app, id);
    assert_eq!(rows.len(), 4, "a new row; the first decision stays");
    assert!(rows[2].granted && rows[2].purpose == "notices");
    assert!(!rows[3].granted && rows[3].purpose == "notices" && rows[3].version == VERSION);
    assert!(!current(&app, id, "notices").granted);
    assert!(current(&app, id, "learning").granted);
    let (_, page) = client.get_text("/account/data?saved=1").await;
    assert!(page.contains("Đã lưu lựa chọn") && !ticked(&page, "consent_notices"));
    assert!(page.contains("không đồng ý") && page.contains("· đồng ý"));

    client.post_form("/account/consents", &[]).await;
    assert_eq!(history(&app, id).len(), 4, "no change, no row");
    client
        .post_form("/account/consents", &[("consent_notices", "yes")])
        .await;
    assert!(current(&app, id, "notices").granted);
    assert_eq!(history(&app, id).len(), 5);
}

async fn a_learner_downloads_only_their_own_data(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let client = app.client();
    let mut fields = form("0912 000 333", "1958");
    fields.extend(REQUIRED);
    assert_eq!(client.post_form("/register", &fields).await.status(), 303);
    client
        .post_form("/courses/an-toan-mat-khau/lessons/1/done", &[])
        .await;
    let lan = app.user("0912 000 333");
    let number = "031204001234";
    let hash = CitizenId::parse(number).unwrap().keyed_hash(&[7; 32]);
    diesel::update(users::table.find(lan.id))
        .set((
            users::citizen_id_hash.eq(&hash),
            users::citizen_id_tail.eq("234"),
        ))
        .execute(&mut app.pool.get().unwrap())
        .unwrap();
    let (other, other_login) = app.logged_in(Role::Learner).await;
    other
        .post_form("/courses/an-toan-mat-khau/lessons/2/done", &[])
        .await;

    let (_, page) = client.get_text("/account/data").await;
    assert!(page.contains("•••••••••234") && !page.contains(number));
    let resp = client.get("/account/data.json").await;
    assert_eq!(resp.status(), 200);
    let disposition = resp.headers()["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment"));
    let body = resp.text().await.unwrap();
    let data: serde_json::Value = serde_json::from_str(&body).unwrap();
    let account = &data["account"];
    assert_eq!(account["full_name"], "Nguyễn Thị Lan");
    assert_eq!(account["phone"], "+84912000333");
    assert_eq!(account["citizen_id"], "•••••••••234", "masked");
    assert_eq!(data["consents"].as_array().unwrap().len(), 3);
    let lessons = data["lessons_done"].as_array().unwrap();
    assert_eq!(lessons.len(), 1, "their lesson, not the other learner's");
    let secrets: [&str; 6] = [
        number,
        &hash,
        &lan.password_hash,
        "password",
        &other_login,
        "Người thử",
    ];
    for secret in secrets {
        assert!(!body.contains(secret), "{secret} is not in the download");
    }

    let resp = app.client().get("/account/data.json").await;
    assert!(
        location(&resp).starts_with("/login"),
        "a visitor downloads nothing"
    );
}

fn plan() -> (hocvuso::reports::plan::Plan, Vec<Arc<Course>>) {
    let dir =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/courses/good");
    let courses: Vec<Arc<Course>> = hocvuso::content::load_dir(&dir)
        .courses
        .into_iter()
        .map(Arc::new)
        .collect();
    let plan = hocvuso::reports::plan::load(&dir.join("plan.toml"), &courses).unwrap();
    (plan, courses)
}

/// The ward's report today, as JSON.
fn report(app: &TestApp) -> serde_json::Value {
    let (plan, courses) = plan();
    let mut conn = app.pool.get().unwrap();
    let today = Utc::now().date_naive();
    let r = hocvuso::reports::make(&mut conn, &plan, &courses, today, &Scope::All).unwrap();
    serde_json::to_value(r).unwrap()
}

/// What the erasure must reach beside the account: a citizen ID, a guardian's name on a
/// consent and a VNeID confirmation matched by that ID.
fn add_personal_data(app: &TestApp, id: i64) {
    let mut conn = app.pool.get().unwrap();
    diesel::update(users::table.find(id))
        .set((
            users::citizen_id_hash.eq("hash-lan"),
            users::citizen_id_tail.eq("234"),
        ))
        .execute(&mut conn)
        .unwrap();
    let decision = [("notices", true)];
    let guardian = Some("Trần Văn Bình");
    consent::record(&mut conn, id, &decision, GivenBy::Guardian, guardian, None).unwrap();
    diesel::insert_into(confirmations::table)
        .values((
            confirmations::kind.eq("vneid"),
            confirmations::user_id.eq(id),
            confirmations::citizen_id_hash.eq("hash-lan"),
            confirmations::confirmed_on.eq(Utc::now().date_naive()),
            confirmations::imported_at.eq(Utc::now().naive_utc()),
        ))
        .execute(&mut conn)
        .unwrap();
}

fn count_of(app: &TestApp, id: i64) -> (i64, i64) {
    let mut conn = app.pool.get().unwrap();
    let lessons = lesson_progress::table
        .filter(lesson_progress::user_id.eq(id))
        .count()
        .get_result(&mut conn)
        .unwrap();
    let tries = attempts::table
        .filter(attempts::user_id.eq(id))
        .count()
        .get_result(&mut conn)
        .unwrap();
    (lessons, tries)
}

/// Asks for the password and the confirmation box before erasing; logs the person out.
async fn delete_through_the_form(app: &TestApp, client: &Client, login: &str) {
    let (status, page) = client.get_text("/account/delete").await;
    assert_eq!(status, 200);
    assert!(input(&page, "password").contains(r#"type="password""#) && !ticked(&page, "confirm"));
    let wrong = [("password", "không phải mật khẩu"), ("confirm", "yes")];
    let resp = client.post_form("/account/delete", &wrong).await;
    assert_eq!(resp.status(), 422);
    let page = resp.text().await.unwrap();
    assert!(page.contains("Mật khẩu chưa đúng") && ticked(&page, "confirm"));
    let resp = client
        .post_form("/account/delete", &[("password", PASSWORD)])
        .await;
    assert_eq!(resp.status(), 422, "the confirmation box is needed too");
    assert!(!app.user(login).full_name.is_empty(), "nothing erased yet");

    let right = [("password", PASSWORD), ("confirm", "yes")];
    let resp = client.post_form("/account/delete", &right).await;
    assert_eq!(resp.status(), 200);
    assert!(resp.text().await.unwrap().contains("Đã xoá tài khoản"));
    assert!(location(&client.get("/account").await).starts_with("/login"));
    assert_eq!(app.client().login(login, PASSWORD).await.status(), 401);
}

/// Nothing in storage names or reaches the person; what the counts need stays.
fn assert_erased(conn: &mut DbConn, user: &User, cert: &Certificate, attempt: i64) {
    let erased = User::find(conn, user.id).unwrap().unwrap();
    let reach = (&erased.phone, &erased.email, &erased.username);
    assert_eq!(
        (erased.full_name.as_str(), reach),
        ("", (&None, &None, &None))
    );
    assert!(erased.citizen_id_tail.is_none() && erased.deleted_at.is_some());
    let hash: Option<String> = users::table
        .find(user.id)
        .select(users::citizen_id_hash)
        .get_result(conn)
        .unwrap();
    assert_eq!(hash, None);
    let kept = (erased.birth_year, &erased.target_group, erased.unit_id);
    assert_eq!(kept, (user.birth_year, &user.target_group, user.unit_id));
    let consents = consent::history(conn, user.id).unwrap();
    assert!(!consents.is_empty() && consents.iter().all(|c| c.guardian_name.is_none()));
    let c = Certificate::find_by_code(conn, &cert.code)
        .unwrap()
        .unwrap();
    let printed = [&c.holder_name, &c.token, &c.fingerprint];
    assert!(printed.iter().all(|t| t.is_empty()), "{printed:?}");
    let confirmed: Vec<(Option<i64>, Option<String>)> = confirmations::table
        .filter(confirmations::user_id.eq(user.id))
        .select((confirmations::user_id, confirmations::citizen_id_hash))
        .load(conn)
        .unwrap();
    assert_eq!(confirmed, vec![(Some(user.id), None)], "counted, no ID");
    let answers: String = attempts::table
        .find(attempt)
        .select(attempts::answers)
        .get_result(conn)
        .unwrap();
    assert_eq!(answers, "{}", "typed answers are dropped");
}

/// One `user.erase` entry, by the person, with no personal data.
fn assert_audited(conn: &mut DbConn, user: &User, login: &str) {
    let entries: Vec<Entry> = audit_log::table
        .select(Entry::as_select())
        .load(conn)
        .unwrap();
    let erasures: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.action == "user.erase")
        .collect();
    assert_eq!(erasures.len(), 1);
    let e = erasures[0];
    assert_eq!(e.subject, format!("user:{}", user.id));
    assert_eq!(e.actor_id, Some(user.id));
    assert_eq!((&e.before_value, &e.after_value), (&None, &None));
    let logged = format!("{entries:?}");
    assert!(!logged.contains(login) && !logged.contains(&user.full_name));
}

async fn deleting_an_account_erases_personal_fields_and_keeps_the_counts(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    crate::report_cohort::build(&mut app.pool.get().unwrap());
    let (client, login) = ready_learner(&app).await;
    let attempt = start(&client).await;
    submit(&client, attempt, answer_form(&app, attempt, true)).await;
    let user = app.user(&login);
    add_personal_data(&app, user.id);
    let cert = Certificate::of_user(&mut app.pool.get().unwrap(), user.id).unwrap()[0].clone();
    let (before, counts) = (report(&app), count_of(&app, user.id));
    assert_eq!(counts, (2, 1));

    delete_through_the_form(&app, &client, &login).await;
    let again = hocvuso::privacy::erase::erase(&mut app.pool.get().unwrap(), user.id, user.id);
    assert!(again.is_ok(), "erasing twice changes nothing more");
    assert_erased(&mut app.pool.get().unwrap(), &user, &cert, attempt);
    assert_audited(&mut app.pool.get().unwrap(), &user, &login);
    assert_eq!(count_of(&app, user.id), counts, "lessons and attempts stay");
    assert_eq!(report(&app), before, "the ward's counts do not change");
    let visitor = app.client();
    let (status, page) = visitor.get_text(&format!("/verify/{}", cert.code)).await;
    assert_eq!(status, 200);
    assert!(
        !page.contains("Không có chứng nhận nào"),
        "the code is still known"
    );
    assert!(!page.contains(&user.full_name) && !page.contains(&cert.fingerprint));
    assert!(page.contains("Chứng nhận hợp lệ") && page.contains("đã xoá thông tin cá nhân"));
    let token = visitor.get(&format!("/verify/{}/token", cert.code)).await;
    assert_eq!(token.status(), 404, "no signed token is left to hand out");
}

on_both_backends!(
    consents_are_asked_per_purpose_never_pre_ticked_and_stored_with_their_version,
    a_child_under_16_needs_a_guardians_consent,
    a_child_may_withdraw_alone_but_needs_a_guardian_for_a_new_permission,
    withdrawing_an_optional_consent_is_a_new_row_and_the_history_is_kept,
    a_learner_downloads_only_their_own_data,
    deleting_an_account_erases_personal_fields_and_keeps_the_counts,
);
