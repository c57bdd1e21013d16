//! Question figures, so a teacher can fix confusing questions: how often each question of the
//! bank is answered fully right, which wrong answer is chosen most, and how well it separates
//! strong from weak learners.
//!
//! Discrimination is the upper–lower index: the attempts that drew the question are ranked by
//! their total score; D = (share fully right among the top 27%) − (share among the bottom
//! 27%). D runs from −1 to 1; a good question has D ≥ 0.2. Attempts tied on the score where a
//! group ends count in proportion (a short test has few distinct scores, so ties are the
//! rule, and the order of tied attempts must not decide D). Questions answered fewer than
//! [`MIN_ANSWERS`] times get no figures and no flags: a few answers mislead.

use std::collections::{BTreeMap, HashMap};

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

/// Why a question should be looked at again, most telling first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// D below 0: the weaker learners get it right more often than the stronger.
    NegativeDiscrimination,
    /// D from 0 to [`MIN_DISCRIMINATION`].
    WeakDiscrimination,
    /// One wrong answer is given more often than the question is answered fully right.
    DistractorBeatsKey,
    TooHard,
    TooEasy,
}

impl Reason {
    pub fn label_vi(self) -> &'static str {
        match self {
            Reason::NegativeDiscrimination => {
                "phân biệt ngược: người làm bài tốt lại hay sai câu này hơn người làm bài kém (D \
                 dưới 0; xem lại đáp án)"
            }
            Reason::WeakDiscrimination => {
                "phân biệt kém: người giỏi không làm đúng nhiều hơn người yếu rõ rệt (D dưới 0,2)"
            }
            Reason::DistractorBeatsKey => {
                "một câu trả lời sai được chọn nhiều hơn đáp án đúng (đáp án có thể bị ghi nhầm, \
                 hoặc câu hỏi dễ gây hiểu lầm)"
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

/// The share fully right among the first `group` attempts of `classes` (attempts, fully
/// right) per score, taken from one end of the ranking. The score class where the group ends
/// counts in proportion.
fn end_share(classes: impl Iterator<Item = (usize, usize)>, group: usize) -> f64 {
    let mut left = group;
    let mut right = 0.0;
    for (count, rights) in classes {
        if left == 0 {
            break;
        }
        let take = left.min(count);
        right += rights as f64 * take as f64 / count as f64;
        left -= take;
    }
    right / group as f64
}

/// D for answers given as (attempt score, fully right); `None` without answers.
pub fn discrimination(answers: &[(i32, bool)]) -> Option<f64> {
    if answers.is_empty() {
        return None;
    }
    let mut classes: BTreeMap<i32, (usize, usize)> = BTreeMap::new();
    for &(score, right) in answers {
        let class = classes.entry(score).or_default();
        class.0 += 1;
        class.1 += usize::from(right);
    }
    let group = ((answers.len() as f64 * GROUP_SHARE).round() as usize).max(1);
    let lower = end_share(classes.values().copied(), group);
    let upper = end_share(classes.values().rev().copied(), group);
    Some(upper - lower)
}

/// Slack for comparing computed shares with the thresholds (0.2 must not read as 0.1999…).
const EPSILON: f64 = 1e-9;

/// Why a question with enough answers should be looked at again (none when it is fine).
fn reasons(share: f64, d: f64, right: usize, wrong_choice: Option<&WrongChoice>) -> Vec<Reason> {
    let mut reasons = Vec::new();
    if d < -EPSILON {
        reasons.push(Reason::NegativeDiscrimination);
    } else if d < MIN_DISCRIMINATION - EPSILON {
        reasons.push(Reason::WeakDiscrimination);
    }
    if wrong_choice.is_some_and(|w| w.count > right) {
        reasons.push(Reason::DistractorBeatsKey);
    }
    if share < TOO_HARD - EPSILON {
        reasons.push(Reason::TooHard);
    }
    if share > TOO_EASY + EPSILON {
        reasons.push(Reason::TooEasy);
    }
    reasons
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
    let reasons = match (right_share, discrimination) {
        (Some(share), Some(d)) => reasons(share, d, right, wrong_choice.as_ref()),
        _ => Vec::new(),
    };
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
#[path = "question_tests.rs"]
mod tests;
