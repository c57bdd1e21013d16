//! The test engine over HTTP: grading of every question type on the server, no answer leaking
//! before submission, time limit, attempt limit and cooldown, concurrent starts and double
//! submits, and the pre-test.

use std::sync::Arc;

use diesel::prelude::*;
use hocvuso::accounts::Role;
use hocvuso::assessment::{Attempt, Drawn};
use hocvuso::content::{Course, QuestionKind};
use hocvuso::db::schema::{attempts, certificates};
use hocvuso::groups::Group;

use crate::helpers::{Backend, Client, PASSWORD, TestApp, location};
use crate::on_both_backends;

pub const COURSE: &str = "an-toan-mat-khau";

pub fn fixture_course() -> Course {
    let dir =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/courses/good");
    hocvuso::content::load_dir(&dir)
        .courses
        .into_iter()
        .find(|c| c.slug == COURSE)
        .unwrap()
}

/// A learner who has done every lesson of the course.
pub async fn ready_learner(app: &TestApp) -> (Client, String) {
    let login = app.create_user(Role::Learner, Group::Elderly);
    let client = app.client();
    assert_eq!(client.login(&login, PASSWORD).await.status(), 303);
    for n in 1..=2 {
        client
            .post_form(&format!("/courses/{COURSE}/lessons/{n}/done"), &[])
            .await;
    }
    (client, login)
}

/// Starts the final test and returns the attempt id.
pub async fn start(client: &Client) -> i64 {
    let resp = client
        .post_form(&format!("/courses/{COURSE}/test/start"), &[])
        .await;
    let loc = location(&resp);
    loc.strip_prefix("/attempts/")
        .unwrap_or_else(|| panic!("started: {loc}"))
        .parse()
        .unwrap()
}

pub fn attempt(app: &TestApp, id: i64) -> Attempt {
    Attempt::find(&mut app.pool.get().unwrap(), id)
        .unwrap()
        .unwrap()
}

/// Form fields answering every drawn question right (or wrong).
pub fn answer_form(app: &TestApp, id: i64, right: bool) -> Vec<(String, String)> {
    let course = fixture_course();
    let drawn: Vec<Drawn> = serde_json::from_str(&attempt(app, id).questions).unwrap();
    let mut form = Vec::new();
    for (i, d) in drawn.iter().enumerate() {
        let q = course.questions.iter().find(|q| q.id == d.id).unwrap();
        let field = format!("q{i}");
        let shown = |original: usize| {
            d.order
                .iter()
                .position(|&o| o == original)
                .unwrap()
                .to_string()
        };
        match &q.kind {
            QuestionKind::Single { correct, options } => {
                let pick = if right {
                    *correct
                } else {
                    (correct + 1) % options.len()
                };
                form.push((field, shown(pick)));
            }
            QuestionKind::Multiple { correct, options } => {
                for o in 0..options.len() {
                    if correct.contains(&o) == right {
                        form.push((field.clone(), shown(o)));
                    }
                }
            }
            QuestionKind::TrueFalse { answer } => {
                form.push((field, (*answer == right).to_string()))
            }
            QuestionKind::Short { answers, .. } => form.push((
                field,
                if right {
                    answers[0].to_uppercase()
                } else {
                    "không biết".into()
                },
            )),
        }
    }
    form
}

/// Moves an attempt's deadline, as if time had passed.
fn move_deadline(app: &TestApp, id: i64, at: chrono::NaiveDateTime) {
    diesel::update(attempts::table.find(id))
        .set(attempts::deadline_at.eq(at))
        .execute(&mut app.pool.get().unwrap())
        .unwrap();
}

/// Moves an attempt's submission time, as if time had passed.
fn move_submission(app: &TestApp, id: i64, at: chrono::NaiveDateTime) {
    diesel::update(attempts::table.find(id))
        .set(attempts::submitted_at.eq(at))
        .execute(&mut app.pool.get().unwrap())
        .unwrap();
}

pub async fn submit(
    client: &Client,
    id: i64,
    mut form: Vec<(String, String)>,
) -> reqwest::Response {
    form.push(("action".into(), "submit".into()));
    let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    client.post_form(&format!("/attempts/{id}"), &refs).await
}

fn certificate_count(app: &TestApp) -> i64 {
    certificates::table
        .count()
        .get_result(&mut app.pool.get().unwrap())
        .unwrap()
}

async fn a_right_test_passes_and_the_review_explains_every_question(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (client, _) = ready_learner(&app).await;
    let (_, landing) = client.get_text(&format!("/courses/{COURSE}/test")).await;
    assert!(landing.contains("3 câu hỏi") && landing.contains("Còn 3 lần làm bài"));
    let id = start(&client).await;
    let (status, page) = client.get_text(&format!("/attempts/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(page.matches("class=\"question\"").count(), 3);

    let resp = submit(&client, id, answer_form(&app, id, true)).await;
    assert_eq!(location(&resp), format!("/attempts/{id}"));
    let (_, result) = client.get_text(&format!("/attempts/{id}")).await;
    assert!(
        result.contains("100%") && result.contains("Đạt."),
        "{result}"
    );
    assert!(result.contains("Đúng 3/3 câu"));
    assert!(result.contains("Giải thích"));
    assert!(result.contains("Xem và in chứng nhận"));
    assert_eq!(certificate_count(&app), 1);
    let (_, landing) = client.get_text(&format!("/courses/{COURSE}/test")).await;
    assert!(landing.contains("đã có chứng nhận"));
}

async fn a_wrong_test_fails_and_explains_the_right_answers(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (client, _) = ready_learner(&app).await;
    let id = start(&client).await;
    submit(&client, id, answer_form(&app, id, false)).await;
    let (_, result) = client.get_text(&format!("/attempts/{id}")).await;
    assert!(
        result.contains("0%") && result.contains("Chưa đạt"),
        "{result}"
    );
    assert!(result.contains("(đáp án đúng)") || result.contains("Đáp án đúng:"));
    assert_eq!(certificate_count(&app), 0);
    let (_, landing) = client.get_text(&format!("/courses/{COURSE}/test")).await;
    assert!(
        landing.contains("Bạn có thể làm lại sau khoảng"),
        "cooldown: {landing}"
    );
}

async fn no_correct_answer_reaches_the_browser_before_submission(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (client, _) = ready_learner(&app).await;
    let id = start(&client).await;
    let (_, page) = client.get_text(&format!("/attempts/{id}")).await;
    let (_, json) = client.get_text(&format!("/attempts/{id}/json")).await;
    let course = fixture_course();
    for q in &course.questions {
        let explanation = hocvuso::courses::search::plain_text(&q.explanation_html);
        for body in [&page, &json] {
            assert!(
                !body.contains(&explanation),
                "explanation of {} leaked",
                q.id
            );
            assert!(
                !body.contains("correct") && !body.contains("VNeID\"") && !body.contains("answer")
            );
        }
    }
    submit(&client, id, answer_form(&app, id, true)).await;
    let (_, json) = client.get_text(&format!("/attempts/{id}/json")).await;
    assert!(
        json.contains("\"correct\":true"),
        "after submission the review has them"
    );
}

async fn a_score_sent_by_the_client_is_ignored(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (client, _) = ready_learner(&app).await;
    let id = start(&client).await;
    let mut form = answer_form(&app, id, false);
    form.push(("score".into(), "100".into()));
    form.push(("passed".into(), "true".into()));
    submit(&client, id, form).await;
    let a = attempt(&app, id);
    assert_eq!((a.score, a.passed), (Some(0), Some(false)));
}

async fn answers_survive_a_closed_tab_and_late_answers_do_not_count(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (client, _) = ready_learner(&app).await;
    let id = start(&client).await;
    let mut form = answer_form(&app, id, true);
    form.push(("action".into(), "save".into()));
    let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let resp = client.post_form(&format!("/attempts/{id}"), &refs).await;
    assert_eq!(location(&resp), format!("/attempts/{id}"));
    // "Closing the tab": a new page load shows the saved answers, and the landing page resumes.
    let (_, page) = client.get_text(&format!("/attempts/{id}")).await;
    assert!(
        page.matches("checked").count() >= 2,
        "saved answers are shown again"
    );
    let (_, landing) = client.get_text(&format!("/courses/{COURSE}/test")).await;
    assert!(landing.contains(&format!("/attempts/{id}")) && landing.contains("Làm tiếp"));
    assert_eq!(
        start(&client).await,
        id,
        "starting again resumes the same attempt"
    );

    // Time runs out: answers sent now are ignored; the saved (right) answers are graded.
    let past = hocvuso::db::now() - chrono::Duration::minutes(5);
    move_deadline(&app, id, past);
    submit(&client, id, answer_form(&app, id, false)).await;
    let a = attempt(&app, id);
    assert_eq!(a.score, Some(100), "graded with the answers saved in time");

    // An expired attempt that was never submitted is graded when opened.
    diesel::delete(certificates::table)
        .execute(&mut app.pool.get().unwrap())
        .unwrap();
    move_submission(&app, id, past - chrono::Duration::hours(1));
    let id2 = start(&client).await;
    move_deadline(&app, id2, past);
    let (_, page) = client.get_text(&format!("/attempts/{id2}")).await;
    assert!(
        page.contains("Kết quả"),
        "the expired attempt shows its result"
    );
    assert_eq!(attempt(&app, id2).score, Some(0));
}

async fn the_attempt_limit_and_cooldown_hold(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (client, _) = ready_learner(&app).await;
    for round in 0..3 {
        let id = start(&client).await;
        submit(&client, id, answer_form(&app, id, false)).await;
        let (_, landing) = client.get_text(&format!("/courses/{COURSE}/test")).await;
        if round < 2 {
            assert!(
                landing.contains("làm lại sau khoảng"),
                "cooldown after round {round}"
            );
            let resp = client
                .post_form(&format!("/courses/{COURSE}/test/start"), &[])
                .await;
            assert_eq!(
                location(&resp),
                format!("/courses/{COURSE}/test"),
                "refused during the cooldown"
            );
        }
        let past = hocvuso::db::now() - chrono::Duration::hours(1);
        move_submission(&app, id, past);
    }
    let (_, landing) = client.get_text(&format!("/courses/{COURSE}/test")).await;
    assert!(landing.contains("dùng hết 3 lần"), "{landing}");
    let resp = client
        .post_form(&format!("/courses/{COURSE}/test/start"), &[])
        .await;
    assert_eq!(location(&resp), format!("/courses/{COURSE}/test"));
}

async fn many_starts_at_once_open_one_attempt(backend: Backend) {
    let app = Arc::new(TestApp::spawn(&backend).await);
    let (client, login) = ready_learner(&app).await;
    let client = Arc::new(client);
    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { start(&client).await })
        })
        .collect();
    let mut ids = Vec::new();
    for t in tasks {
        ids.push(t.await.unwrap());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "every start got the same attempt: {ids:?}");
    let user = app.user(&login);
    let count: i64 = attempts::table
        .filter(attempts::user_id.eq(user.id))
        .count()
        .get_result(&mut app.pool.get().unwrap())
        .unwrap();
    assert_eq!(count, 1);
}

async fn a_double_submit_grades_once_and_issues_one_certificate(backend: Backend) {
    let app = Arc::new(TestApp::spawn(&backend).await);
    let (client, _) = ready_learner(&app).await;
    let client = Arc::new(client);
    let id = start(&client).await;
    let form = answer_form(&app, id, true);
    let tasks: Vec<_> = (0..12)
        .map(|_| {
            let (client, form) = (client.clone(), form.clone());
            tokio::spawn(async move { submit(&client, id, form).await.status().as_u16() })
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), 303);
    }
    assert_eq!(certificate_count(&app), 1);
    let a = attempt(&app, id);
    assert_eq!((a.score, a.passed), (Some(100), Some(true)));
}

async fn the_pretest_is_open_before_the_lessons_and_taken_once(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let login = app.create_user(Role::Learner, Group::Workers);
    let client = app.client();
    client.login(&login, PASSWORD).await;
    let (_, course) = client.get_text(&format!("/courses/{COURSE}")).await;
    assert!(course.contains("kiểm tra đầu vào"));
    let resp = client
        .post_form(&format!("/courses/{COURSE}/test/start"), &[])
        .await;
    assert_eq!(
        location(&resp),
        format!("/courses/{COURSE}/test"),
        "the final test waits for the lessons"
    );
    let resp = client
        .post_form(&format!("/courses/{COURSE}/pretest/start"), &[])
        .await;
    let id: i64 = location(&resp)
        .trim_start_matches("/attempts/")
        .parse()
        .unwrap();
    submit(&client, id, answer_form(&app, id, true)).await;
    let (_, result) = client.get_text(&format!("/attempts/{id}")).await;
    assert!(result.contains("không tính điểm đạt"));
    assert_eq!(
        certificate_count(&app),
        0,
        "a pre-test never issues a certificate"
    );
    let (_, landing) = client.get_text(&format!("/courses/{COURSE}/pretest")).await;
    assert!(landing.contains("đã làm bài kiểm tra đầu vào"));
}

async fn attempts_belong_to_their_learner(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (client, _) = ready_learner(&app).await;
    let id = start(&client).await;
    let (other, _) = ready_learner(&app).await;
    assert_eq!(other.get(&format!("/attempts/{id}")).await.status(), 404);
    assert_eq!(
        other.get(&format!("/attempts/{id}/json")).await.status(),
        404
    );
    assert_eq!(
        submit(&other, id, answer_form(&app, id, true))
            .await
            .status(),
        404
    );
    assert!(attempt(&app, id).is_open());
}

on_both_backends!(
    a_right_test_passes_and_the_review_explains_every_question,
    a_wrong_test_fails_and_explains_the_right_answers,
    no_correct_answer_reaches_the_browser_before_submission,
    a_score_sent_by_the_client_is_ignored,
    answers_survive_a_closed_tab_and_late_answers_do_not_count,
    the_attempt_limit_and_cooldown_hold,
    many_starts_at_once_open_one_attempt,
    a_double_submit_grades_once_and_issues_one_certificate,
    the_pretest_is_open_before_the_lessons_and_taken_once,
    attempts_belong_to_their_learner,
);
