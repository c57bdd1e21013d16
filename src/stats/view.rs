//! Figures as teachers read them: whole percentages, Vietnamese decimals ("72,5"), signed
//! changes, question kinds, right answers and reasons in plain Vietnamese. The teacher pages
//! and the CSV export both show these, so they always agree.

use serde::Serialize;

use super::course::{self, TestFigures};
use super::question::{self, MIN_ANSWERS};
use super::{Data, decimal_vi, percent};
use crate::assessment::Kind;
use crate::content::{Course, Question, QuestionKind};

/// One kind of test, as shown.
#[derive(Debug, Clone, Serialize)]
pub struct TestView {
    pub takers: usize,
    pub passers: usize,
    pub pass_rate: u32,
    pub attempts: usize,
    /// Average of each learner's best score ("72,5"); empty without attempts.
    pub average_best: String,
    /// Average of every attempt's score; empty without attempts.
    pub average_all: String,
}

/// The change from the first pre-test to the best final test.
#[derive(Debug, Clone, Serialize)]
pub struct PrePostView {
    pub learners: usize,
    pub pretest: String,
    pub final_test: String,
    /// In points, with its sign: "+35", "-2,5", "0".
    pub change: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct VersionView {
    pub version: String,
    /// The version learners get now.
    pub current: bool,
    pub finals: TestView,
    pub pretest_attempts: usize,
}

/// A course's figures.
#[derive(Debug, Clone, Serialize)]
pub struct CourseView {
    pub slug: String,
    pub title: String,
    pub enrolled: usize,
    pub completed: usize,
    pub completed_percent: u32,
    pub finals: TestView,
    pub pretests: TestView,
    pub pre_post: Option<PrePostView>,
    pub versions: Vec<VersionView>,
}

/// One question of the bank, as shown.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionView {
    pub id: String,
    pub line: usize,
    pub kind_label: &'static str,
    /// The prompt's Markdown source on one line.
    pub prompt: String,
    /// The right answer(s) as written in `questions.md`.
    pub key: String,
    pub answered: usize,
    pub blank: usize,
    pub right: usize,
    /// At least [`MIN_ANSWERS`] answers: the figures below are set.
    pub enough: bool,
    pub right_percent: Option<u32>,
    pub wrong_text: Option<String>,
    pub wrong_count: usize,
    /// `wrong_count` among the wrong (not blank) answers, in percent.
    pub wrong_percent: u32,
    /// The discrimination index with two decimals ("0,67").
    pub discrimination: Option<String>,
    pub reasons: Vec<&'static str>,
}

/// A number with two decimals and a decimal comma ("0,67", "-0,33", "0").
pub fn two_decimals_vi(value: f64) -> String {
    let text = format!("{value:.2}").replace('.', ",");
    if text == "-0,00" || text == "0,00" {
        "0".into()
    } else {
        text
    }
}

fn average(value: Option<f64>) -> String {
    value.map(decimal_vi).unwrap_or_default()
}

fn test_view(f: &TestFigures) -> TestView {
    TestView {
        takers: f.takers,
        passers: f.passers,
        pass_rate: f.pass_rate,
        attempts: f.attempts,
        average_best: average(f.average_best),
        average_all: average(f.average_all),
    }
}

fn signed(value: f64) -> String {
    let text = decimal_vi(value);
    if text != "0" && !text.starts_with('-') {
        format!("+{text}")
    } else {
        text
    }
}

/// The course's figures from its data (all versions together, and per version).
pub fn course_view(course: &Course, data: &Data) -> CourseView {
    let lessons: Vec<&str> = course.lessons.iter().map(|l| l.slug.as_str()).collect();
    let s = course::compute(data, &lessons);
    CourseView {
        slug: course.slug.clone(),
        title: course.title.clone(),
        enrolled: s.enrolled,
        completed: s.completed,
        completed_percent: s.completed_percent,
        finals: test_view(&s.finals),
        pretests: test_view(&s.pretests),
        pre_post: s.pre_post.map(|p| PrePostView {
            learners: p.learners,
            pretest: decimal_vi(p.average_pretest),
            final_test: decimal_vi(p.average_final),
            change: signed(p.average_change),
        }),
        versions: s
            .versions
            .iter()
            .map(|v| VersionView {
                version: v.version.clone(),
                current: v.version == course.version,
                finals: test_view(&v.finals),
                pretest_attempts: v.pretest_attempts,
            })
            .collect(),
    }
}

fn kind_label(kind: &QuestionKind) -> &'static str {
    match kind {
        QuestionKind::Single { .. } => "Chọn một",
        QuestionKind::Multiple { .. } => "Chọn nhiều",
        QuestionKind::TrueFalse { .. } => "Đúng/Sai",
        QuestionKind::Short { .. } => "Trả lời ngắn",
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The right answer(s) as the teacher wrote them.
fn key(q: &Question) -> String {
    let option = |i: &usize| {
        q.options_md
            .get(*i)
            .map(|o| one_line(o))
            .unwrap_or_default()
    };
    match &q.kind {
        QuestionKind::Single { correct, .. } => option(correct),
        QuestionKind::Multiple { correct, .. } => {
            correct.iter().map(option).collect::<Vec<_>>().join("; ")
        }
        QuestionKind::TrueFalse { answer } => if *answer { "Đúng" } else { "Sai" }.into(),
        QuestionKind::Short { answers, .. } => answers.join(" / "),
    }
}

/// Every question of the bank with its figures from the final tests (all versions), the
/// questions to look at again first.
pub fn question_views(course: &Course, data: &Data) -> Vec<QuestionView> {
    let finals = data.attempts.iter().filter(|r| r.kind == Kind::Final);
    question::compute(&course.questions, finals)
        .into_iter()
        .map(|s| {
            let bank = course.questions.iter().find(|q| q.id == s.id);
            QuestionView {
                id: s.id,
                line: s.line,
                kind_label: bank.map(|q| kind_label(&q.kind)).unwrap_or(""),
                prompt: one_line(&s.prompt_md),
                key: bank.map(key).unwrap_or_default(),
                answered: s.answered,
                blank: s.blank,
                right: s.right,
                enough: s.enough,
                right_percent: s.enough.then(|| percent(s.right, s.answered)),
                wrong_count: s.wrong_choice.as_ref().map_or(0, |w| w.count),
                wrong_percent: s
                    .wrong_choice
                    .as_ref()
                    .map_or(0, |w| percent(w.count, s.wrong)),
                wrong_text: s.wrong_choice.map(|w| one_line(&w.text)),
                discrimination: s.discrimination.map(two_decimals_vi),
                reasons: s.reasons.iter().map(|r| r.label_vi()).collect(),
            }
        })
        .collect()
}

/// The question table as CSV columns: a header and one row per question.
pub fn question_table(questions: &[QuestionView]) -> (Vec<&'static str>, Vec<Vec<String>>) {
    let header = vec![
        "mã câu",
        "dòng",
        "loại",
        "câu hỏi",
        "đáp án đúng",
        "lượt trả lời",
        "bỏ trống",
        "đúng hoàn toàn",
        "% đúng",
        "câu trả lời sai chọn nhiều nhất",
        "số lượt chọn",
        "độ phân biệt D",
        "cần xem lại vì",
    ];
    let not_enough = format!("chưa đủ {MIN_ANSWERS} lượt");
    let rows = questions
        .iter()
        .map(|q| {
            vec![
                q.id.clone(),
                q.line.to_string(),
                q.kind_label.into(),
                q.prompt.clone(),
                q.key.clone(),
                q.answered.to_string(),
                q.blank.to_string(),
                q.right.to_string(),
                q.right_percent
                    .map_or_else(|| not_enough.clone(), |p| p.to_string()),
                q.wrong_text.clone().unwrap_or_default(),
                q.wrong_text
                    .as_ref()
                    .map(|_| q.wrong_count.to_string())
                    .unwrap_or_default(),
                q.discrimination.clone().unwrap_or_default(),
                q.reasons.join("; "),
            ]
        })
        .collect();
    (header, rows)
}

#[cfg(test)]
#[path = "view_tests.rs"]
mod tests;
