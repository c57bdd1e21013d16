//! Grading on the server. Each question is worth one point:
//! - single choice and true/false: 1 for the right answer, else 0;
//! - multiple choice: (right options chosen − wrong options chosen) ÷ right options, never
//!   below 0 — choosing exactly the right options scores 1, ticking everything scores little;
//! - short answer: 1 when the answer matches an accepted one, ignoring case and extra spaces
//!   (and diacritics when the question allows).
//!
//! Points are kept in thousandths so that sums stay exact.

use serde::{Deserialize, Serialize};

use crate::content::QuestionKind;

/// What a learner answered, in the bank's own terms (original option indices).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(tag = "t", content = "v", rename_all = "lowercase")]
pub enum Given {
    #[default]
    None,
    Choice(Vec<usize>),
    Bool(bool),
    Text(String),
}

pub const FULL: u32 = 1000;

/// Points (0 to 1000) for one answer.
pub fn points(kind: &QuestionKind, given: &Given) -> u32 {
    let right = match (kind, given) {
        (QuestionKind::Single { correct, .. }, Given::Choice(chosen)) => {
            chosen.as_slice() == [*correct]
        }
        (QuestionKind::Multiple { correct, .. }, Given::Choice(chosen)) => {
            return partial(correct, chosen);
        }
        (QuestionKind::TrueFalse { answer }, Given::Bool(b)) => answer == b,
        (QuestionKind::Short { .. }, Given::Text(text)) => kind.short_answer_matches(text),
        _ => false,
    };
    if right { FULL } else { 0 }
}

/// Multiple choice: (right chosen − wrong chosen) ÷ right options, never below 0.
fn partial(correct: &[usize], chosen: &[usize]) -> u32 {
    if correct.is_empty() {
        return 0;
    }
    let right = chosen.iter().filter(|c| correct.contains(c)).count() as i64;
    let wrong = chosen.iter().filter(|c| !correct.contains(c)).count() as i64;
    let score = (right - wrong).max(0) * i64::from(FULL) / correct.len() as i64;
    score.clamp(0, i64::from(FULL)) as u32
}

/// A percentage from points over a number of questions, rounded half up.
pub fn percent(total_points: u64, questions: usize) -> u32 {
    if questions == 0 {
        return 0;
    }
    let max = questions as u64 * u64::from(FULL);
    ((total_points * 100 + max / 2) / max) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    fn multiple() -> QuestionKind {
        QuestionKind::Multiple {
            options: vec!["a".into(), "b".into(), "c".into(), "d".into()],
            correct: vec![0, 2],
        }
    }

    #[test]
    fn single_choice_needs_exactly_the_right_option() {
        let q = QuestionKind::Single {
            options: vec!["a".into(), "b".into()],
            correct: 1,
        };
        assert_eq!(points(&q, &Given::Choice(vec![1])), FULL);
        assert_eq!(points(&q, &Given::Choice(vec![0])), 0);
        assert_eq!(
            points(&q, &Given::Choice(vec![0, 1])),
            0,
            "two ticks on a single choice"
        );
        assert_eq!(points(&q, &Given::None), 0);
    }

    #[test]
    fn multiple_choice_gives_partial_credit_and_punishes_guessing() {
        let q = multiple();
        assert_eq!(points(&q, &Given::Choice(vec![0, 2])), FULL);
        assert_eq!(points(&q, &Given::Choice(vec![2])), 500);
        assert_eq!(points(&q, &Given::Choice(vec![0, 1])), 0);
        assert_eq!(
            points(&q, &Given::Choice(vec![0, 1, 2, 3])),
            0,
            "ticking everything"
        );
        assert_eq!(points(&q, &Given::Choice(vec![0, 1, 2])), 500);
    }

    #[test]
    fn true_false_and_short_answers() {
        let tf = QuestionKind::TrueFalse { answer: false };
        assert_eq!(points(&tf, &Given::Bool(false)), FULL);
        assert_eq!(points(&tf, &Given::Bool(true)), 0);
        let short = QuestionKind::Short {
            answers: vec!["VNeID".into()],
            ignore_diacritics: true,
        };
        assert_eq!(points(&short, &Given::Text("  vneid ".into())), FULL);
        assert_eq!(points(&short, &Given::Text("VssID".into())), 0);
        let accented = QuestionKind::Short {
            answers: vec!["mật khẩu".into()],
            ignore_diacritics: true,
        };
        assert_eq!(points(&accented, &Given::Text("Mat  Khau".into())), FULL);
        let strict = QuestionKind::Short {
            answers: vec!["mật khẩu".into()],
            ignore_diacritics: false,
        };
        assert_eq!(points(&strict, &Given::Text("mat khau".into())), 0);
        assert_eq!(points(&strict, &Given::Text("MẬT KHẨU".into())), FULL);
    }

    #[test]
    fn percentages_round_half_up() {
        assert_eq!(percent(7 * 1000, 10), 70);
        assert_eq!(percent(6500, 10), 65);
        assert_eq!(percent(2000, 3), 67);
        assert_eq!(percent(0, 0), 0);
    }
}
