//! Question figures, so a teacher can fix confusing questions: how often each question of the
//! bank is answered fully right, which wrong answer is chosen most, and how well it separates
//! strong from weak learners.
//!
//! Discrimination is the upper–lower index: the attempts that drew the question are ranked by
//! their total score; D = (share fully right among the top 27%) − (share among the bottom
//! 27%). D runs from −1 to 1; a good question has D ≥ 0.2. Questions answered fewer than
//! [`MIN_ANSWERS`] times get no figures and no flags: a few answers mislead.

use std::collections::HashMap;

use super::Row;
use crate::assessment::Given;
use crate::assessment::grade::FULL;
use crate::content::{Question, QuestionKind, normalize_answer};

/// Fewer answers than this give no figures.
pub const MIN_ANSWERS: usize = 10;
/// The share of attempts in each of the upper and lower groups.
pub const GROUP_SHARE: f64 = 0.27;
/// Below this a question separates strong from weak learners poorly.
pub const MIN_DISCRIMINATION: f64 = 0.2;
/// Fully right less often than this: too hard (or a wrong key).
pub const TOO_HARD: f64 = 0.30;
/// Fully right more often than this: too easy.
pub const TOO_EASY: f64 = 0.95;

/// Why a question should be looked at again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    WeakDiscrimination,
    TooHard,
    TooEasy,
}

impl Reason {
    pub fn label_vi(self) -> &'static str {
        match self {
            Reason::WeakDiscrimination => {
                "phân biệt kém: người giỏi không làm đúng nhiều hơn người yếu rõ rệt (D dưới 0,2)"
            }
            Reason::TooHard => "quá khó: dưới 30% trả lời đúng (xem lại đáp án và cách hỏi)",
            Reason::TooEasy => "quá dễ: trên 95% trả lời đúng",
        }
    }
}

/// The wrong answer chosen most often.
#[derive(Debug, Clone, PartialEq)]
pub struct WrongChoice {
    /// The option's text, "Đúng"/"Sai", or a short answer as normalised.
    pub text: String,
    pub count: usize,
    /// `count` among the wrong (not blank) answers, 0 to 1.
    pub share: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QuestionStats {
    pub id: String,
    pub kind: &'static str,
    pub prompt_md: String,
    /// Line of the question in `questions.md`.
    pub line: usize,
    /// Times the question was in a submitted attempt.
    pub answered: usize,
    pub blank: usize,
    pub right: usize,
    /// Answers given but not fully right.
    pub wrong: usize,
    /// True when `answered` reaches [`MIN_ANSWERS`]; otherwise the figures below are `None`.
    pub enough: bool,
    /// Fully right, 0 to 1.
    pub right_share: Option<f64>,
    pub wrong_choice: Option<WrongChoice>,
    pub discrimination: Option<f64>,
    pub reasons: Vec<Reason>,
}

#[derive(Default)]
struct Tally {
    /// (attempt score, fully right) per answer.
    answers: Vec<(i32, bool)>,
    blank: usize,
    wrong: usize,
    wrong_labels: HashMap<String, usize>,
}

fn option_text(question: &Question, index: usize) -> String {
    question
        .options_md
        .get(index)
        .cloned()
        .unwrap_or_else(|| format!("phương án {}", index + 1))
}

/// The wrong answers inside one given answer.
fn wrong_labels(question: &Question, given: &Given) -> Vec<String> {
    match (&question.kind, given) {
        (QuestionKind::Single { correct, .. }, Given::Choice(chosen)) => chosen
            .iter()
            .filter(|c| *c != correct)
            .map(|c| option_text(question, *c))
            .collect(),
        (QuestionKind::Multiple { correct, .. }, Given::Choice(chosen)) => chosen
            .iter()
            .filter(|c| !correct.contains(c))
            .map(|c| option_text(question, *c))
            .collect(),
        (QuestionKind::TrueFalse { .. }, Given::Bool(b)) => {
            vec![if *b { "Đúng" } else { "Sai" }.to_string()]
        }
        (
            QuestionKind::Short {
                ignore_diacritics, ..
            },
            Given::Text(text),
        ) => vec![normalize_answer(text, *ignore_diacritics)],
        _ => Vec::new(),
    }
}

/// D for answers given as (attempt score, fully right); `None` without answers.
pub fn discrimination(answers: &[(i32, bool)]) -> Option<f64> {
    if answers.is_empty() {
        return None;
    }
    let mut ranked = answers.to_vec();
    ranked.sort_by_key(|a| a.0);
    let group = ((ranked.len() as f64 * GROUP_SHARE).round() as usize).max(1);
    let share = |part: &[(i32, bool)]| part.iter().filter(|a| a.1).count() as f64 / group as f64;
    let lower = share(&ranked[..group]);
    let upper = share(&ranked[ranked.len() - group..]);
    Some(upper - lower)
}

fn finish(question: &Question, tally: Tally) -> QuestionStats {
    let answered = tally.answers.len();
    let right = tally.answers.iter().filter(|a| a.1).count();
    let enough = answered >= MIN_ANSWERS;
    let right_share = enough.then(|| right as f64 / answered as f64);
    let discrimination = if enough {
        discrimination(&tally.answers)
    } else {
        None
    };
    let wrong_choice = if enough {
        tally
            .wrong_labels
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
            .map(|(text, count)| WrongChoice {
                text,
                count,
                share: count as f64 / tally.wrong.max(1) as f64,
            })
    } else {
        None
    };
    let mut reasons = Vec::new();
    if let (Some(share), Some(d)) = (right_share, discrimination) {
        if d < MIN_DISCRIMINATION {
            reasons.push(Reason::WeakDiscrimination);
        }
        if share < TOO_HARD {
            reasons.push(Reason::TooHard);
        }
        if share > TOO_EASY {
            reasons.push(Reason::TooEasy);
        }
    }
    QuestionStats {
        id: question.id.clone(),
        kind: question.kind.name(),
        prompt_md: question.prompt_md.clone(),
        line: question.line,
        answered,
        blank: tally.blank,
        right,
        wrong: tally.wrong,
        enough,
        right_share,
        wrong_choice,
        discrimination,
        reasons,
    }
}

/// Figures for every question of the bank from the attempts given (one kind of test):
/// questions to look at again first, then the others, each in the bank's order.
pub fn compute<'a>(bank: &[Question], rows: impl Iterator<Item = &'a Row>) -> Vec<QuestionStats> {
    let index: HashMap<&str, usize> = bank
        .iter()
        .enumerate()
        .map(|(i, q)| (q.id.as_str(), i))
        .collect();
    let mut tallies: Vec<Tally> = bank.iter().map(|_| Tally::default()).collect();
    for row in rows {
        for result in &row.results {
            let Some(&i) = index.get(result.id.as_str()) else {
                continue;
            };
            let tally = &mut tallies[i];
            let right = result.points >= FULL;
            tally.answers.push((row.score, right));
            if result.given == Given::None {
                tally.blank += 1;
            } else if !right {
                tally.wrong += 1;
                for label in wrong_labels(&bank[i], &result.given) {
                    *tally.wrong_labels.entry(label).or_default() += 1;
                }
            }
        }
    }
    let mut stats: Vec<QuestionStats> = bank
        .iter()
        .zip(tallies)
        .map(|(q, t)| finish(q, t))
        .collect();
    stats.sort_by_key(|s| s.reasons.is_empty());
    stats
}

#[cfg(test)]
mod tests {
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
        assert_eq!(s.reasons, [Reason::WeakDiscrimination, Reason::TooHard]);
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
}
