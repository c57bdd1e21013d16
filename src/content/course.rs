//! `Course` and `TestSettings`, and the checks on `course.md`'s settings: required keys,
//! groups, competence codes, level, minutes, the test's numbers and its quotas against the
//! question bank.

use std::collections::BTreeMap;
use std::path::PathBuf;

use toml::Spanned;

use super::frameworks;
use super::front_matter::Spans;
use super::lesson::Lesson;
use super::problem::Problem;
use super::question::Question;
use super::rendered::Rendered;
use super::settings::{CourseFront, TestFront};
use crate::groups::Group;

/// A course that passed every check, rendered and ready to serve.
#[derive(Debug, Clone)]
pub struct Course {
    /// The folder name.
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub groups: Vec<Group>,
    pub competences: Vec<String>,
    pub level: Option<String>,
    pub minutes: u32,
    pub order: i32,
    pub goals: Vec<u32>,
    pub test: TestSettings,
    /// The Markdown after `course.md`'s settings.
    pub intro: Rendered,
    /// In order, numbered from 1.
    pub lessons: Vec<Lesson>,
    pub questions: Vec<Question>,
    /// First 16 hex characters of the SHA-256 of all the course's files.
    pub version: String,
    pub dir: PathBuf,
}

/// How the course's test is run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TestSettings {
    pub questions: u32,
    pub pass_mark: u32,
    /// 0 = unlimited.
    pub max_attempts: u32,
    pub cooldown_minutes: u32,
    /// `None` = no limit (absent or 0).
    pub time_limit_minutes: Option<u32>,
    pub pretest: bool,
    pub quotas: BTreeMap<String, u32>,
}

/// The checked settings of `course.md`: everything in `Course` but the content.
#[derive(Debug, Clone)]
pub(crate) struct Head {
    pub title: String,
    pub summary: String,
    pub groups: Vec<Group>,
    pub competences: Vec<String>,
    pub level: Option<String>,
    pub minutes: u32,
    pub order: i32,
    pub goals: Vec<u32>,
    pub test: TestSettings,
}

fn required_text(
    at: &Spans,
    value: &Option<Spanned<String>>,
    key: &str,
    out: &mut Vec<Problem>,
) -> String {
    match value {
        None => out.push(at.missing(format!(
            "missing setting \"{key}\"; add a line like {key} = \"…\""
        ))),
        Some(v) if v.get_ref().trim().is_empty() => {
            out.push(at.problem(v.span(), format!("{key} is empty")))
        }
        Some(v) => return v.get_ref().trim().to_string(),
    }
    String::new()
}

fn groups(at: &Spans, front: &CourseFront, out: &mut Vec<Problem>) -> Vec<Group> {
    let Some(list) = &front.groups else {
        out.push(at.missing("missing setting \"groups\"; add a line like groups = [\"elderly\"]"));
        return Vec::new();
    };
    if list.get_ref().is_empty() {
        out.push(at.problem(
            list.span(),
            "groups is empty; name at least one of officials, students, workers, elderly",
        ));
    }
    let mut groups = Vec::new();
    for name in list.get_ref() {
        match Group::parse(name.get_ref()) {
            Ok(g) if !groups.contains(&g) => groups.push(g),
            Ok(_) => {}
            Err(e) => out.push(at.problem(name.span(), e.to_string())),
        }
    }
    groups
}

fn competences(at: &Spans, front: &CourseFront, out: &mut Vec<Problem>) -> Vec<String> {
    let Some(list) = &front.competences else {
        out.push(at.missing(
            "missing setting \"competences\"; add a line like competences = [\"tt02-4.2\"]",
        ));
        return Vec::new();
    };
    if list.get_ref().is_empty() {
        out.push(at.problem(
            list.span(),
            "competences is empty; name at least one code, like \"tt02-4.2\"",
        ));
    }
    for code in list.get_ref() {
        if !frameworks::is_competence(code.get_ref()) {
            out.push(at.problem(
                code.span(),
                frameworks::unknown_competence_message(code.get_ref()),
            ));
        }
    }
    list.get_ref().iter().map(|c| c.get_ref().clone()).collect()
}

fn level(at: &Spans, front: &CourseFront, out: &mut Vec<Problem>) -> Option<String> {
    let level = front.level.as_ref()?;
    if !frameworks::is_level(level.get_ref()) {
        out.push(at.problem(
            level.span(),
            format!(
                "unknown level \"{}\"; use tt02-b1, tt02-b2 … tt02-b8",
                level.get_ref()
            ),
        ));
    }
    Some(level.get_ref().clone())
}

fn minutes(at: &Spans, front: &CourseFront, out: &mut Vec<Problem>) -> u32 {
    match &front.minutes {
        None => out.push(at.missing("missing setting \"minutes\"; add a line like minutes = 40")),
        Some(m) if *m.get_ref() == 0 => out.push(at.problem(
            m.span(),
            "minutes must be more than 0 (the estimated time to finish the course)",
        )),
        Some(m) => return *m.get_ref(),
    }
    0
}

/// Checks `course.md`'s settings; `None` when any is wrong (the problems say which).
pub(crate) fn head(at: &Spans, front: &CourseFront, out: &mut Vec<Problem>) -> Option<Head> {
    let before = out.len();
    let head = Head {
        title: required_text(at, &front.title, "title", out),
        summary: required_text(at, &front.summary, "summary", out),
        groups: groups(at, front, out),
        competences: competences(at, front, out),
        level: level(at, front, out),
        minutes: minutes(at, front, out),
        order: front.order,
        goals: front.goals.clone(),
        test: test(at, front.test.as_ref(), out),
    };
    (out.len() == before).then_some(head)
}

fn test(at: &Spans, test: Option<&Spanned<TestFront>>, out: &mut Vec<Problem>) -> TestSettings {
    let Some(spanned) = test else {
        out.push(
            at.missing("missing [test] section; add [test] with questions = 10 and pass_mark = 70"),
        );
        return TestSettings::default();
    };
    let t = spanned.get_ref();
    match &t.questions {
        None => out.push(at.problem(
            spanned.span(),
            "missing setting \"questions\" in [test]; add a line like questions = 10",
        )),
        Some(q) if *q.get_ref() == 0 => out.push(at.problem(
            q.span(),
            "test questions must be more than 0 (how many questions each attempt draws)",
        )),
        Some(_) => {}
    }
    match &t.pass_mark {
        None => out.push(at.problem(
            spanned.span(),
            "missing setting \"pass_mark\" in [test]; add a line like pass_mark = 70",
        )),
        Some(p) if !(1..=100).contains(p.get_ref()) => out.push(at.problem(
            p.span(),
            format!(
                "pass_mark must be between 1 and 100 (a percent), not {}",
                p.get_ref()
            ),
        )),
        Some(_) => {}
    }
    let settings = TestSettings {
        questions: t.questions.as_ref().map_or(0, |q| *q.get_ref()),
        pass_mark: t.pass_mark.as_ref().map_or(0, |p| *p.get_ref()),
        max_attempts: t.max_attempts,
        cooldown_minutes: t.cooldown_minutes,
        time_limit_minutes: t.time_limit_minutes.filter(|m| *m > 0),
        pretest: t.pretest,
        quotas: t
            .quotas
            .iter()
            .map(|(k, v)| (k.get_ref().clone(), *v.get_ref()))
            .collect(),
    };
    check_quota_codes(at, t, settings.questions, out);
    settings
}

fn check_quota_codes(at: &Spans, t: &TestFront, questions: u32, out: &mut Vec<Problem>) {
    for code in t.quotas.keys() {
        if !frameworks::is_competence(code.get_ref()) {
            out.push(at.problem(
                code.span(),
                frameworks::unknown_competence_message(code.get_ref()),
            ));
        }
    }
    let sum: u64 = t.quotas.values().map(|v| u64::from(*v.get_ref())).sum();
    if let Some(first) = t
        .quotas
        .keys()
        .next()
        .filter(|_| sum > u64::from(questions))
    {
        out.push(at.problem(
            first.span(),
            format!(
                "the quotas add up to {sum}, more than the {questions} questions each test draws"
            ),
        ));
    }
}

/// Checks the test against the question bank: enough questions, and enough per quota.
pub(crate) fn check_bank(
    at: &Spans,
    front: &CourseFront,
    bank: &[Question],
    out: &mut Vec<Problem>,
) {
    let Some(test) = &front.test else { return };
    let test = test.get_ref();
    let short = |q: &&Spanned<u32>| (bank.len() as u64) < u64::from(*q.get_ref());
    if let Some(q) = test.questions.as_ref().filter(short) {
        out.push(at.problem(
            q.span(),
            format!(
                "the test draws {} questions but questions.md has only {}; add questions or lower this number",
                q.get_ref(),
                bank.len()
            ),
        ));
    }
    for (code, wanted) in &test.quotas {
        let code = code.get_ref();
        let tagged = bank.iter().filter(|q| q.tags.contains(code)).count();
        if frameworks::is_competence(code) && (tagged as u64) < u64::from(*wanted.get_ref()) {
            out.push(at.problem(wanted.span(), format!(
                "the quota for {code} is {} but questions.md has only {tagged} questions tagged {code}",
                wanted.get_ref()
            )));
        }
    }
}
