//! Teacher statistics over HTTP: a known cohort learns and takes the fixture course's tests,
//! and the teacher's pages show its enrolments, completion, pass rate and pre/post change,
//! and per question how often it is answered right, the wrong option chosen most, and which
//! question to fix. Also: a course without learners, an unknown course, the CSV export.

use diesel::prelude::*;
use hocvuso::accounts::Role;
use hocvuso::assessment::Drawn;
use hocvuso::db::schema::attempts;
use hocvuso::groups::Group;

use crate::assessment::{COURSE, answer_form, attempt, ready_learner, start, submit};
use crate::helpers::{Backend, Client, PASSWORD, TestApp, location};
use crate::on_both_backends;

/// Options of the fixture's question `mk-01` (single choice), in file order.
const WEAK_PASSWORD: usize = 0;
const SENTENCE: usize = 1;
const BIRTHDAY: usize = 2;

/// The questions every attempt here draws (the bank's `mk-02` never), options unshuffled.
const DRAWN: &str = r#"[{"id":"mk-01","order":[0,1,2]},{"id":"mk-03"},{"id":"mk-04"}]"#;

/// Starts the final test and makes it draw [`DRAWN`], so that figures are known in advance.
async fn start_known(app: &TestApp, client: &Client) -> i64 {
    let id = start(client).await;
    diesel::update(attempts::table.find(id))
        .set(attempts::questions.eq(DRAWN))
        .execute(&mut app.pool.get().unwrap())
        .unwrap();
    id
}

/// Every drawn question answered right, except `mk-01`, answered with the option at `mk01`
/// (an index in the bank's order).
fn answers(app: &TestApp, id: i64, mk01: usize) -> Vec<(String, String)> {
    let drawn: Vec<Drawn> = serde_json::from_str(&attempt(app, id).questions).unwrap();
    let i = drawn.iter().position(|d| d.id == "mk-01").unwrap();
    let field = format!("q{i}");
    let shown = drawn[i].order.iter().position(|&o| o == mk01).unwrap();
    let mut form: Vec<(String, String)> = answer_form(app, id, true)
        .into_iter()
        .filter(|(k, _)| *k != field)
        .collect();
    form.push((field, shown.to_string()));
    form
}

/// A learner who does every lesson and takes the final test once, answering `mk-01` with
/// the option at `mk01` and everything else right (100 points, or 67 with `mk-01` wrong).
async fn takes_the_final_test(app: &TestApp, mk01: usize) -> Client {
    let (client, _) = ready_learner(app).await;
    let id = start_known(app, &client).await;
    let resp = submit(&client, id, answers(app, id, mk01)).await;
    assert_eq!(location(&resp), format!("/attempts/{id}"));
    client
}

/// A new learner who takes the pre-test and answers everything wrong (0 points).
async fn fails_the_pretest(app: &TestApp) -> Client {
    let login = app.create_user(Role::Learner, Group::Workers);
    let client = app.client();
    assert_eq!(client.login(&login, PASSWORD).await.status(), 303);
    let resp = client
        .post_form(&format!("/courses/{COURSE}/pretest/start"), &[])
        .await;
    let id: i64 = location(&resp)
        .trim_start_matches("/attempts/")
        .parse()
        .unwrap();
    submit(&client, id, answer_form(app, id, false)).await;
    client
}

async fn mark_lessons(client: &Client, lessons: &[u32]) {
    for n in lessons {
        let resp = client
            .post_form(&format!("/courses/{COURSE}/lessons/{n}/done"), &[])
            .await;
        assert_eq!(resp.status(), 303, "lesson {n} done");
    }
}

/// The HTML from `marker` to the end of its table row.
fn row<'a>(page: &'a str, marker: &str) -> &'a str {
    let start = page
        .find(marker)
        .unwrap_or_else(|| panic!("{marker} in {page}"));
    let end = page[start..].find("</tr>").unwrap() + start;
    &page[start..end]
}

async fn a_teacher_sees_enrolment_pass_rate_and_the_change_from_pretest_to_final(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    // Two learners fail the pre-test (0), learn, then one passes the final test (100) and one
    // does not (67); a third learns everything and leaves a final test open (not counted);
    // a fourth learns one lesson of two.
    for mk01 in [SENTENCE, BIRTHDAY] {
        let client = fails_the_pretest(&app).await;
        mark_lessons(&client, &[1, 2]).await;
        let id = start_known(&app, &client).await;
        submit(&client, id, answers(&app, id, mk01)).await;
        assert_eq!(
            attempt(&app, id).score,
            Some(if mk01 == SENTENCE { 100 } else { 67 })
        );
    }
    let (open, _) = ready_learner(&app).await;
    start(&open).await;
    let (halfway, _) = app.logged_in(Role::Learner).await;
    mark_lessons(&halfway, &[1]).await;

    let (teacher, _) = app.logged_in(Role::Teacher).await;
    let (status, overview) = teacher.get_text("/teach/stats").await;
    assert_eq!(status, 200);
    let course = row(&overview, &format!("href=\"/teach/stats/{COURSE}\""));
    for figure in [
        ">4<",
        "75% <span class=\"meta\">(3 người)",
        "50% <span class=\"meta\">(1/2 người)",
        "83,5",
        "0 → 83,5",
        "+83,5 điểm, 2 người",
    ] {
        assert!(course.contains(figure), "{figure:?} in {course}");
    }
    let other = row(&overview, "href=\"/teach/stats/nhan-dien-tin-gia\"");
    assert!(other.contains("Chưa có người học nào."), "{other}");

    let (status, page) = teacher.get_text(&format!("/teach/stats/{COURSE}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("1/2 người đạt (50%) · 2 lượt làm"), "{page}");
    assert!(page.contains("2 người làm cả hai bài: điểm trung bình từ 0 lên 83,5 (+83,5 điểm)"));
    assert!(page.contains("đang dùng"), "the current version is marked");
    let mk01 = row(&page, "id=\"cau-mk-01\"");
    assert!(
        mk01.contains("chưa đủ 10 lượt") && !mk01.contains("stats-flagged"),
        "two answers give no figures and no flag: {mk01}"
    );
}

async fn a_teacher_sees_which_wrong_option_learners_choose_most(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    // Ten learners answer mk-01 ("Mật khẩu nào an toàn nhất?"): three pick the right
    // sentence, five their birthday, two "123456". Everything else is answered right.
    let cohort = [SENTENCE; 3]
        .into_iter()
        .chain([BIRTHDAY; 5])
        .chain([WEAK_PASSWORD; 2]);
    for mk01 in cohort {
        takes_the_final_test(&app, mk01).await;
    }

    let (teacher, _) = app.logged_in(Role::Teacher).await;
    let (status, page) = teacher.get_text(&format!("/teach/stats/{COURSE}")).await;
    assert_eq!(status, 200);
    assert!(page.contains("3/10 người đạt (30%)"), "{page}");
    let mk01 = row(&page, "id=\"cau-mk-01\"");
    assert!(mk01.contains("Mật khẩu nào an toàn nhất?"), "{mk01}");
    assert!(
        mk01.contains("Đáp án đúng: Con mèo nhà bà Lan ăn cá lúc 7 giờ"),
        "{mk01}"
    );
    assert!(mk01.contains("<strong>30%</strong>"), "% right: {mk01}");
    assert!(mk01.contains("width=\"30\""), "the bar is 30 wide: {mk01}");
    assert!(
        mk01.contains("“Ngày sinh của mình” <span class=\"meta\">(5 lượt, 71% số lượt sai)"),
        "the wrong option chosen most: {mk01}"
    );
    assert!(
        mk01.contains(">1,00<"),
        "the three who got it right are the three best: {mk01}"
    );
    // A wrong option chosen more often than the right one: the question is flagged, first.
    assert!(mk01.contains("stats-flagged"), "{mk01}");
    assert!(
        mk01.contains("một câu trả lời sai được chọn nhiều hơn đáp án đúng"),
        "{mk01}"
    );
    let table = &page[page.find("stats-questions").unwrap()..];
    let flags: Vec<bool> = table
        .split("<tr id=\"cau-")
        .skip(1)
        .map(|r| r[..r.find('>').unwrap()].contains("stats-flagged"))
        .collect();
    // mk-03 and mk-04 are answered right by all: too easy. mk-02 was never drawn.
    let order: Vec<&str> = table
        .split("<tr id=\"cau-")
        .skip(1)
        .map(|r| &r[..r.find('"').unwrap()])
        .collect();
    assert_eq!(order, ["mk-01", "mk-03", "mk-04", "mk-02"]);
    assert_eq!(flags, [true, true, true, false]);
    assert!(page.contains("3 câu cần xem lại"));
    assert!(row(&page, "id=\"cau-mk-04\"").contains("quá dễ"));

    let resp = teacher.get(&format!("/teach/stats/{COURSE}.csv")).await;
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let csv = resp.text().await.unwrap();
    let line = csv.lines().find(|l| l.starts_with("mk-01,")).unwrap();
    assert!(
        line.contains(",10,0,3,30,Ngày sinh của mình,5,\"1,00\","),
        "{line}"
    );
}

async fn a_course_without_learners_says_so_and_an_unknown_course_is_not_found(backend: Backend) {
    let app = TestApp::spawn(&backend).await;
    let (teacher, _) = app.logged_in(Role::Teacher).await;
    let (_, dashboard) = teacher.get_text("/teach").await;
    assert!(dashboard.contains("href=\"/teach/stats\""));
    assert!(dashboard.contains(&format!("href=\"/teach/stats/{COURSE}\"")));

    let (status, overview) = teacher.get_text("/teach/stats").await;
    assert_eq!(status, 200);
    assert_eq!(overview.matches("Chưa có người học nào.").count(), 2);
    let (status, page) = teacher.get_text("/teach/stats/nhan-dien-tin-gia").await;
    assert_eq!(status, 200);
    assert!(page.contains("Chưa có người học nào"), "{page}");
    assert!(page.contains("chưa đủ 10 lượt") && !page.contains("stats-flagged"));

    for path in ["/teach/stats/khong-co", "/teach/stats/khong-co.csv"] {
        let (status, page) = teacher.get_text(path).await;
        assert_eq!(status, 404, "{path}");
        assert!(page.contains("Không tìm thấy trang"), "{path}");
    }
}

on_both_backends!(
    a_teacher_sees_enrolment_pass_rate_and_the_change_from_pretest_to_final,
    a_teacher_sees_which_wrong_option_learners_choose_most,
    a_course_without_learners_says_so_and_an_unknown_course_is_not_found,
);
