//! The test engine: drawing tests from question banks, saving answers, grading on the server,
//! the rules on attempts, and issuing the certificate on a pass. No HTTP here.

pub mod draw;
pub mod grade;
pub mod model;
pub mod rules;
pub mod service;
pub mod view;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use draw::Drawn;
pub use grade::Given;
pub use model::{Attempt, Kind};

use crate::content::{Course, Question, QuestionKind};

/// Answers by question id.
pub type Answers = BTreeMap<String, Given>;

/// The grading of one question, kept with the attempt.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct QuestionResult {
    pub id: String,
    pub points: u32,
    pub given: Given,
}

/// Longest short answer kept.
const MAX_TEXT: usize = 300;

pub fn find_question<'c>(course: &'c Course, id: &str) -> Option<&'c Question> {
    course.questions.iter().find(|q| q.id == id)
}

/// Reads answers from form fields `q0`, `q1`… (one per drawn question; a multiple-choice
/// question repeats its field). Option values are the positions shown, mapped back to the
/// bank's option indices; anything unexpected is ignored.
pub fn answers_from_form(course: &Course, drawn: &[Drawn], pairs: &[(String, String)]) -> Answers {
    let mut answers = Answers::new();
    for (i, d) in drawn.iter().enumerate() {
        let Some(q) = find_question(course, &d.id) else {
            continue;
        };
        let field = format!("q{i}");
        let values: Vec<&str> = pairs
            .iter()
            .filter(|(k, _)| *k == field)
            .map(|(_, v)| v.as_str())
            .collect();
        let given = match &q.kind {
            QuestionKind::Single { .. } | QuestionKind::Multiple { .. } => {
                let mut chosen: Vec<usize> = values
                    .iter()
                    .filter_map(|v| v.parse::<usize>().ok())
                    .filter_map(|shown| d.order.get(shown).copied())
                    .collect();
                chosen.sort_unstable();
                chosen.dedup();
                if chosen.is_empty() {
                    Given::None
                } else {
                    Given::Choice(chosen)
                }
            }
            QuestionKind::TrueFalse { .. } => match values.first().copied() {
                Some("true") => Given::Bool(true),
                Some("false") => Given::Bool(false),
                _ => Given::None,
            },
            QuestionKind::Short { .. } => match values.first() {
                Some(text) if !text.trim().is_empty() => {
                    Given::Text(text.chars().take(MAX_TEXT).collect())
                }
                _ => Given::None,
            },
        };
        if given != Given::None {
            answers.insert(d.id.clone(), given);
        }
    }
    answers
}

/// Grades answers against the course's bank: the results per question and the percentage.
/// A question no longer in the bank (the course changed during the attempt) is left out.
pub fn grade_all(
    course: &Course,
    drawn: &[Drawn],
    answers: &Answers,
) -> (Vec<QuestionResult>, u32) {
    let mut results = Vec::with_capacity(drawn.len());
    let mut total: u64 = 0;
    for d in drawn {
        let Some(q) = find_question(course, &d.id) else {
            continue;
        };
        let given = answers.get(&d.id).cloned().unwrap_or_default();
        let points = grade::points(&q.kind, &given);
        total += u64::from(points);
        results.push(QuestionResult {
            id: d.id.clone(),
            points,
            given,
        });
    }
    let percent = grade::percent(total, results.len());
    (results, percent)
}
