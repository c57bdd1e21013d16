//! Tests for `view`: numbers as Vietnamese readers write them, right answers, versions.

use super::*;
use crate::stats::Row;

fn fixture() -> Course {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/courses/good");
    crate::content::load_dir(&dir)
        .courses
        .into_iter()
        .find(|c| c.slug == "an-toan-mat-khau")
        .unwrap()
}

#[test]
fn figures_read_as_vietnamese_readers_write_them() {
    assert_eq!(two_decimals_vi(2.0 / 3.0), "0,67");
    assert_eq!(two_decimals_vi(-1.0 / 3.0), "-0,33");
    assert_eq!(two_decimals_vi(-0.001), "0");
    assert_eq!(two_decimals_vi(1.0), "1,00");
    assert_eq!(signed(35.0), "+35");
    assert_eq!(signed(-2.5), "-2,5");
    assert_eq!(signed(0.01), "0");
}

#[test]
fn every_question_shows_its_right_answer_and_too_few_answers_show_no_figures() {
    let course = fixture();
    let questions = question_views(&course, &Data::default());
    let keys: Vec<(&str, &str)> = questions
        .iter()
        .map(|q| (q.id.as_str(), q.key.as_str()))
        .collect();
    assert_eq!(
        keys,
        [
            ("mk-01", "Con mèo nhà bà Lan ăn cá lúc 7 giờ"),
            ("mk-02", "Bật xác thực hai bước; Không đọc mã OTP cho ai"),
            ("mk-03", "Sai"),
            ("mk-04", "VNeID / ứng dụng VNeID"),
        ]
    );
    assert!(questions.iter().all(|q| !q.enough && q.reasons.is_empty()));
    let (header, rows) = question_table(&questions);
    assert_eq!(header.len(), rows[0].len());
    assert_eq!(rows[0][8], "chưa đủ 10 lượt");
}

#[test]
fn the_current_version_is_marked_and_pretests_do_not_count_per_question() {
    let course = fixture();
    let at = chrono::DateTime::UNIX_EPOCH.naive_utc();
    let row = |kind, version: &str| Row {
        user_id: 1,
        kind,
        version: version.into(),
        score: 50,
        passed: false,
        submitted_at: at,
        results: vec![crate::assessment::QuestionResult {
            id: "mk-01".into(),
            points: 0,
            given: crate::assessment::Given::Choice(vec![0]),
        }],
    };
    let data = Data {
        attempts: vec![row(Kind::Pretest, "old"), row(Kind::Final, &course.version)],
        ..Data::default()
    };
    let c = course_view(&course, &data);
    let current: Vec<bool> = c.versions.iter().map(|v| v.current).collect();
    assert_eq!(current, [false, true]);
    assert_eq!(
        (c.enrolled, c.finals.takers, c.finals.average_best.as_str()),
        (1, 1, "50")
    );
    let mk01 = question_views(&course, &data)
        .into_iter()
        .find(|q| q.id == "mk-01")
        .unwrap();
    assert_eq!(mk01.answered, 1, "the final test only");
}
