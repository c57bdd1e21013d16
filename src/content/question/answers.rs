//! The answer rules of each question type: one `[x]` for single, at least one for multiple,
//! `answer: đúng`/`sai` for truefalse, accepted answers (and `ignore_diacritics`) for short.

use super::QuestionKind;
use super::body::Body;
use super::build::Settings;
use super::split::{RawQuestion, Setting};
use crate::content::markdown::Context;
use crate::content::problem::Problem;
use crate::content::text::fold_diacritics;

fn yes_no(setting: &Setting, ctx: &Context, out: &mut Vec<Problem>) -> bool {
    match fold_diacritics(&setting.value.to_lowercase()).as_str() {
        "yes" | "true" | "co" => true,
        "no" | "false" | "khong" => false,
        _ => {
            out.push(ctx.file.problem(
                setting.value_at,
                format!(
                    "ignore_diacritics must be yes or no, not \"{}\"",
                    setting.value
                ),
            ));
            false
        }
    }
}

pub(super) fn true_false(
    s: &Settings,
    raw: &RawQuestion,
    ctx: &Context,
    out: &mut Vec<Problem>,
) -> bool {
    let Some(first) = s.answers.first() else {
        out.push(ctx.file.problem(
            raw.heading_at,
            "a truefalse question needs a line answer: đúng or answer: sai",
        ));
        return false;
    };
    if let Some(second) = s.answers.get(1) {
        out.push(ctx.file.problem(
            second.key_at,
            "a truefalse question takes only one answer: line",
        ));
    }
    match fold_diacritics(&first.value.to_lowercase()).as_str() {
        "dung" | "true" => true,
        "sai" | "false" => false,
        _ => {
            out.push(ctx.file.problem(
                first.value_at,
                format!(
                    "the answer of a truefalse question must be đúng or sai, not \"{}\"",
                    first.value
                ),
            ));
            false
        }
    }
}

pub(super) fn short(
    s: &Settings,
    raw: &RawQuestion,
    ctx: &Context,
    out: &mut Vec<Problem>,
) -> QuestionKind {
    if s.answers.is_empty() {
        out.push(ctx.file.problem(
            raw.heading_at,
            "a short question needs at least one line answer: …",
        ));
    }
    for a in s.answers.iter().filter(|a| a.value.is_empty()) {
        out.push(ctx.file.problem(
            a.key_at,
            "this answer is empty; write the accepted answer after answer:",
        ));
    }
    QuestionKind::Short {
        answers: s.answers.iter().map(|a| a.value.to_string()).collect(),
        ignore_diacritics: s.ignore.is_some_and(|i| yes_no(i, ctx, out)),
    }
}

pub(super) fn choice(
    name: &str,
    b: &Body,
    raw: &RawQuestion,
    ctx: &Context,
    out: &mut Vec<Problem>,
) -> QuestionKind {
    let mut say = |offset, message: String| out.push(ctx.file.problem(offset, message));
    let enough = b.options.len() >= 2;
    if !enough {
        let msg =
            format!("a {name} question needs at least 2 options, each on a line like - [ ] …");
        say(raw.heading_at, msg);
    }
    if let Some(stray) = b.stray {
        let msg = "unexpected text after the options; the explanation must be a quote: > …";
        say(stray, msg.into());
    }
    for o in b.options.iter().filter(|o| o.text.is_empty()) {
        say(o.line_at, "this option has no text".into());
    }
    let correct: Vec<usize> = (0..b.options.len())
        .filter(|i| b.options[*i].correct)
        .collect();
    let options = vec![String::new(); b.options.len()];
    if name == "multiple" {
        if correct.is_empty() && enough {
            let msg = "a multiple question needs at least one right option marked [x]";
            say(raw.heading_at, msg.into());
        }
        return QuestionKind::Multiple { options, correct };
    }
    if correct.len() != 1 && enough {
        let msg = format!(
            "a single question needs exactly one right option marked [x]; this one has {}",
            correct.len()
        );
        say(raw.heading_at, msg);
    }
    let correct = correct.first().copied().unwrap_or(0);
    QuestionKind::Single { options, correct }
}
