//! What the test pages show: questions without their answers while the attempt is open, and
//! after submission each question with the learner's answer, the right one and the
//! explanation.

use serde::Serialize;

use super::{Answers, Drawn, Given, QuestionResult, find_question, grade};
use crate::content::{Course, QuestionKind};

#[derive(Debug, Serialize)]
pub struct OptionView {
    /// The position shown (the form value).
    pub value: usize,
    pub html: String,
    pub checked: bool,
}

/// A question as the learner answers it. Holds nothing about which answer is right.
#[derive(Debug, Serialize)]
pub struct QuestionView {
    pub index: usize,
    pub kind: &'static str,
    pub prompt_html: String,
    pub options: Vec<OptionView>,
    pub text: String,
    pub truefalse: Option<bool>,
}

fn kind_name(kind: &QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Single { .. } => "single",
        QuestionKind::Multiple { .. } => "multiple",
        QuestionKind::TrueFalse { .. } => "truefalse",
        QuestionKind::Short { .. } => "short",
    }
}

fn options_of(kind: &QuestionKind) -> &[String] {
    match kind {
        QuestionKind::Single { options, .. } | QuestionKind::Multiple { options, .. } => options,
        _ => &[],
    }
}

pub fn questions(course: &Course, drawn: &[Drawn], answers: &Answers) -> Vec<QuestionView> {
    drawn
        .iter()
        .enumerate()
        .filter_map(|(index, d)| {
            let q = find_question(course, &d.id)?;
            let given = answers.get(&d.id);
            let chosen: &[usize] = match given {
                Some(Given::Choice(c)) => c,
                _ => &[],
            };
            let options = options_of(&q.kind);
            let options = d
                .order
                .iter()
                .enumerate()
                .filter_map(|(shown, &original)| {
                    options.get(original).map(|html| OptionView {
                        value: shown,
                        html: html.clone(),
                        checked: chosen.contains(&original),
                    })
                })
                .collect();
            Some(QuestionView {
                index,
                kind: kind_name(&q.kind),
                prompt_html: q.prompt_html.clone(),
                options,
                text: match given {
                    Some(Given::Text(t)) => t.clone(),
                    _ => String::new(),
                },
                truefalse: match given {
                    Some(Given::Bool(b)) => Some(*b),
                    _ => None,
                },
            })
        })
        .collect()
}

#[derive(Debug, Serialize)]
pub struct ReviewOption {
    pub html: String,
    pub chosen: bool,
    pub correct: bool,
}

/// A graded question, with the right answer and the explanation.
#[derive(Debug, Serialize)]
pub struct ReviewView {
    pub index: usize,
    pub kind: &'static str,
    pub prompt_html: String,
    pub options: Vec<ReviewOption>,
    pub given_text: String,
    pub right_text: String,
    pub explanation_html: String,
    pub full: bool,
    pub partial: bool,
}

fn yes_no(b: bool) -> String {
    if b { "Đúng".into() } else { "Sai".into() }
}

pub fn review(course: &Course, drawn: &[Drawn], results: &[QuestionResult]) -> Vec<ReviewView> {
    results
        .iter()
        .enumerate()
        .filter_map(|(index, r)| {
            let q = find_question(course, &r.id)?;
            let order = drawn
                .iter()
                .find(|d| d.id == r.id)
                .map(|d| d.order.clone())
                .unwrap_or_default();
            let chosen: &[usize] = match &r.given {
                Given::Choice(c) => c,
                _ => &[],
            };
            let correct: Vec<usize> = match &q.kind {
                QuestionKind::Single { correct, .. } => vec![*correct],
                QuestionKind::Multiple { correct, .. } => correct.clone(),
                _ => Vec::new(),
            };
            let options = options_of(&q.kind);
            let options = order
                .iter()
                .filter_map(|&o| {
                    options.get(o).map(|html| ReviewOption {
                        html: html.clone(),
                        chosen: chosen.contains(&o),
                        correct: correct.contains(&o),
                    })
                })
                .collect();
            let (given_text, right_text) = match (&q.kind, &r.given) {
                (QuestionKind::TrueFalse { answer }, Given::Bool(b)) => {
                    (yes_no(*b), yes_no(*answer))
                }
                (QuestionKind::TrueFalse { answer }, _) => {
                    ("(chưa trả lời)".into(), yes_no(*answer))
                }
                (QuestionKind::Short { answers, .. }, given) => (
                    match given {
                        Given::Text(t) => t.clone(),
                        _ => "(chưa trả lời)".into(),
                    },
                    answers.join(" / "),
                ),
                _ => (String::new(), String::new()),
            };
            Some(ReviewView {
                index,
                kind: kind_name(&q.kind),
                prompt_html: q.prompt_html.clone(),
                options,
                given_text,
                right_text,
                explanation_html: q.explanation_html.clone(),
                full: r.points == grade::FULL,
                partial: r.points > 0 && r.points < grade::FULL,
            })
        })
        .collect()
}
