//! Tests for `question`: the upper–lower index, flags, and wrong answers per option.

use super::*;
use crate::assessment::{Kind, QuestionResult};

fn question(id: &str, kind: QuestionKind) -> Question {
    Question {
        id: id.into(),
        kind,
        prompt_html: String::new(),
        explanation_html: String::new(),
        prompt_md: format!("Câu {id}?"),
        explanation_md: String::new(),
        options_md: vec!["123456".into(), "Một câu dài".into(), "Ngày sinh".into()],
        tags: Vec::new(),
        line: 3,
    }
}

fn single() -> Question {
    question(
        "mk-01",
        QuestionKind::Single {
            options: vec!["a".into(), "b".into(), "c".into()],
            correct: 1,
        },
    )
}

fn attempt(score: i32, results: Vec<(&str, u32, Given)>) -> Row {
    Row {
        user_id: i64::from(score),
        kind: Kind::Final,
        version: "v".into(),
        score,
        passed: score >= 70,
        submitted_at: chrono::DateTime::UNIX_EPOCH.naive_utc(),
        results: results
            .into_iter()
            .map(|(id, points, given)| QuestionResult {
                id: id.into(),
                points,
                given,
            })
            .collect(),
    }
}

#[test]
fn the_upper_lower_index_on_a_known_example() {
    // Ten attempts scoring 10…100; groups of round(2.7) = 3. Right in the top three and
    // in one of the bottom three: D = 3/3 − 1/3.
    let answers: Vec<(i32, bool)> = (1..=10)
        .map(|i| (i * 10, matches!(i, 1 | 6 | 8 | 9 | 10)))
        .collect();
    let d = discrimination(&answers).unwrap();
    assert!((d - 2.0 / 3.0).abs() < 1e-9, "{d}");
    // A question the weak get right and the strong get wrong separates backwards.
    let reversed: Vec<(i32, bool)> = (1..=10).map(|i| (i * 10, i <= 3)).collect();
    assert_eq!(discrimination(&reversed), Some(-1.0));
    assert_eq!(discrimination(&[]), None);
}

#[test]
fn tied_scores_count_in_proportion_so_their_order_does_not_decide() {
    // Ten attempts with the same score (a three-question test has four possible scores):
    // the first five right, the last five wrong. Ranked by input order this read as D = −1.
    let same: Vec<(i32, bool)> = (0..10).map(|i| (67, i < 5)).collect();
    assert_eq!(discrimination(&same), Some(0.0));
    // Groups of three. Bottom: two 0-score attempts (wrong) and one of the six tied at 67, of
    // which three are right: 0 + 0 + 1/2. Top: two at 100 (right), one more of the 67s: 1/2.
    let mut mixed = vec![(0, false), (0, false), (100, true), (100, true)];
    mixed.extend((0..6).map(|i| (67, i % 2 == 0)));
    let d = discrimination(&mixed).unwrap();
    assert!((d - (2.5 / 3.0 - 0.5 / 3.0)).abs() < 1e-9, "{d}");
}

#[test]
fn a_wrong_answer_chosen_more_than_the_key_is_flagged_on_its_own() {
    let bank = [single()];
    let rows: Vec<Row> = (0..12)
        .map(|i| {
            let (points, chosen) = match i {
                0..=5 => (0, 0),
                6..=7 => (0, 2),
                _ => (1000, 1),
            };
            attempt(i * 8, vec![("mk-01", points, Given::Choice(vec![chosen]))])
        })
        .collect();
    let s = &compute(&bank, rows.iter())[0];
    assert_eq!(s.right, 4);
    assert_eq!(s.discrimination, Some(1.0), "the best four are right");
    let wrong = s.wrong_choice.as_ref().unwrap();
    assert_eq!((wrong.text.as_str(), wrong.count), ("123456", 6));
    assert_eq!(s.reasons, [Reason::DistractorBeatsKey]);
}

#[test]
fn a_question_the_weak_get_right_and_the_strong_get_wrong_is_flagged_as_backwards() {
    let bank = [single()];
    let rows: Vec<Row> = (1..=10)
        .map(|i| {
            let given = if i <= 5 { (1000, 1) } else { (0, 2) };
            attempt(
                i * 10,
                vec![("mk-01", given.0, Given::Choice(vec![given.1]))],
            )
        })
        .collect();
    let s = &compute(&bank, rows.iter())[0];
    assert_eq!(s.discrimination, Some(-1.0));
    assert_eq!(s.right_share, Some(0.5));
    assert_eq!(s.reasons, [Reason::NegativeDiscrimination]);
    assert!(
        Reason::NegativeDiscrimination
            .label_vi()
            .contains("xem lại đáp án")
    );
}

#[test]
fn a_question_everyone_gets_wrong_the_same_way_is_flagged_with_that_option() {
    let bank = [single()];
    let rows: Vec<Row> = (0..12)
        .map(|i| attempt(40 + i, vec![("mk-01", 0, Given::Choice(vec![0]))]))
        .collect();
    let s = &compute(&bank, rows.iter())[0];
    assert_eq!((s.answered, s.right, s.wrong), (12, 0, 12));
    assert_eq!(s.right_share, Some(0.0));
    let wrong = s.wrong_choice.as_ref().unwrap();
    assert_eq!((wrong.text.as_str(), wrong.count), ("123456", 12));
    assert_eq!(wrong.share, 1.0);
    assert_eq!(
        s.reasons,
        [
            Reason::WeakDiscrimination,
            Reason::DistractorBeatsKey,
            Reason::TooHard
        ]
    );
}

#[test]
fn few_answers_give_no_figures_and_flagged_questions_come_first() {
    let tf = question("mk-03", QuestionKind::TrueFalse { answer: false });
    let short = question(
        "mk-04",
        QuestionKind::Short {
            answers: vec!["VNeID".into()],
            ignore_diacritics: true,
        },
    );
    let bank = [single(), tf, short];
    let rows: Vec<Row> = (0..10)
        .map(|i| {
            attempt(
                i * 10,
                vec![
                    ("mk-01", 1000, Given::Choice(vec![1])),
                    ("mk-03", 0, Given::Bool(true)),
                    ("mk-04", 0, Given::Text(" Vss  ID ".into())),
                    ("gone", 0, Given::None),
                ],
            )
        })
        .take(9)
        .chain([attempt(95, vec![("mk-01", 1000, Given::Choice(vec![1]))])])
        .collect();
    let stats = compute(&bank, rows.iter());
    let ids: Vec<&str> = stats.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["mk-01", "mk-03", "mk-04"]);
    assert_eq!(
        stats[0].reasons,
        [Reason::WeakDiscrimination, Reason::TooEasy]
    );
    assert_eq!(stats[1].answered, 9);
    assert!(!stats[1].enough);
    assert_eq!(stats[1].right_share, None);
    assert_eq!(stats[1].wrong_choice, None);
    assert!(stats[1].reasons.is_empty());
}

#[test]
fn wrong_answers_are_counted_per_option_and_short_answers_normalised() {
    let multiple = question(
        "mk-02",
        QuestionKind::Multiple {
            options: vec!["a".into(), "b".into(), "c".into()],
            correct: vec![0, 1],
        },
    );
    let m = [multiple.clone()];
    let given = |c: Vec<usize>| Given::Choice(c);
    let rows: Vec<Row> = (0..10)
        .map(|i| match i {
            0..=5 => attempt(i, vec![("mk-02", 500, given(vec![0]))]),
            6..=8 => attempt(i, vec![("mk-02", 0, given(vec![0, 2]))]),
            _ => attempt(i, vec![("mk-02", 0, Given::None)]),
        })
        .collect();
    let s = &compute(&m, rows.iter())[0];
    assert_eq!((s.wrong, s.blank, s.right), (9, 1, 0));
    let w = s.wrong_choice.as_ref().unwrap();
    assert_eq!((w.text.as_str(), w.count), ("Ngày sinh", 3));
    assert!((w.share - 3.0 / 9.0).abs() < 1e-9);

    let q = question(
        "mk-04",
        QuestionKind::Short {
            answers: vec!["VNeID".into()],
            ignore_diacritics: true,
        },
    );
    assert_eq!(
        wrong_labels(&q, &Given::Text("  VssID  Ứng ".into())),
        ["vssid ung"]
    );
}
