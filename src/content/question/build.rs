//! Turns a raw question into a checked, rendered `Question`: settings, kind-specific rules
//! (one `[x]` for single, answers for truefalse and short…), tags and the explanation.

use super::answers::{choice, short, true_false};
use super::body::{self, Body};
use super::split::{RawQuestion, Setting};
use super::{Question, QuestionKind};
use crate::content::frameworks;
use crate::content::ids::QuestionId;
use crate::content::markdown::{self, Context};
use crate::content::problem::Problem;
use crate::content::snippet::Snippet;

/// The settings of one question, checked for unknown and repeated keys.
#[derive(Default)]
pub(super) struct Settings<'a> {
    pub kind: Option<&'a Setting<'a>>,
    pub tags: Option<&'a Setting<'a>>,
    pub ignore: Option<&'a Setting<'a>>,
    pub answers: Vec<&'a Setting<'a>>,
}

fn settings<'a>(raw: &'a RawQuestion, ctx: &Context, out: &mut Vec<Problem>) -> Settings<'a> {
    let mut s = Settings::default();
    for setting in &raw.settings {
        let slot = match setting.key.as_str() {
            "type" => &mut s.kind,
            "tags" => &mut s.tags,
            "ignore_diacritics" => &mut s.ignore,
            "answer" => {
                s.answers.push(setting);
                continue;
            }
            other => {
                out.push(ctx.file.problem(setting.key_at, format!(
                    "unknown setting \"{other}\"; use one of type, tags, answer, ignore_diacritics"
                )));
                continue;
            }
        };
        if slot.is_some() {
            out.push(ctx.file.problem(
                setting.key_at,
                format!(
                    "setting \"{}\" is given twice in this question",
                    setting.key
                ),
            ));
        }
        *slot = Some(setting);
    }
    s
}

fn tags(
    s: &Settings,
    ctx: &Context,
    course_tags: &[String],
    out: &mut Vec<Problem>,
) -> Vec<String> {
    let Some(setting) = s.tags else {
        return course_tags.to_vec();
    };
    let mut tags = Vec::new();
    let mut offset = setting.value_at;
    for part in setting.value.split(',') {
        let code = part.trim();
        let at = offset + (part.len() - part.trim_start().len());
        offset += part.len() + 1;
        if code.is_empty() {
            continue;
        }
        if !frameworks::is_competence(code) {
            out.push(
                ctx.file
                    .problem(at, frameworks::unknown_competence_message(code)),
            );
        }
        tags.push(code.to_string());
    }
    if tags.is_empty() {
        course_tags.to_vec()
    } else {
        tags
    }
}

fn kind(
    s: &Settings,
    b: &Body,
    raw: &RawQuestion,
    ctx: &Context,
    out: &mut Vec<Problem>,
) -> Option<QuestionKind> {
    let Some(setting) = s.kind else {
        out.push(ctx.file.problem(
            raw.heading_at,
            "the question has no type; add a line like type: single under its ## line",
        ));
        return None;
    };
    let name = setting.value;
    let is_choice = name == "single" || name == "multiple";
    if let (false, Some(o)) = (is_choice, b.options.first()) {
        out.push(ctx.file.problem(
            o.line_at,
            "options (- [ ] …) are only for single and multiple questions",
        ));
    }
    if let (true, Some(a)) = (is_choice, s.answers.first()) {
        out.push(ctx.file.problem(
            a.key_at,
            "answer: is only for truefalse and short questions; mark the right options with [x]",
        ));
    }
    if let (false, Some(i)) = (name == "short", s.ignore) {
        out.push(
            ctx.file
                .problem(i.key_at, "ignore_diacritics is only for short questions"),
        );
    }
    match name {
        "single" | "multiple" => Some(choice(name, b, raw, ctx, out)),
        "truefalse" => Some(QuestionKind::TrueFalse {
            answer: true_false(s, raw, ctx, out),
        }),
        "short" => Some(short(s, raw, ctx, out)),
        other => {
            out.push(ctx.file.problem(setting.value_at, format!(
                "unknown question type \"{other}\"; use one of single, multiple, truefalse, short"
            )));
            None
        }
    }
}

/// Checks and renders one question; `None` when it cannot be built at all.
pub(crate) fn build(
    raw: &RawQuestion,
    ctx: &Context,
    course_tags: &[String],
    out: &mut Vec<Problem>,
) -> Option<Question> {
    let id = QuestionId::parse(raw.id)
        .map_err(|e| out.push(ctx.file.problem(raw.id_at, e.to_string())))
        .ok();
    let s = settings(raw, ctx, out);
    let tags = tags(&s, ctx, course_tags, out);
    let b = body::cut(&raw.body);
    let kind = kind(&s, &b, raw, ctx, out);
    if b.prompt.is_empty() {
        out.push(ctx.file.problem(
            raw.heading_at,
            "the question has no text; write it after the settings and a blank line",
        ));
    }
    if b.explanation.iter().all(|(_, l)| l.trim().is_empty()) {
        out.push(ctx.file.problem(
            raw.heading_at,
            "the question has no explanation; add it at the end as a quote: > …",
        ));
    }
    let mut kind = kind?;
    let rendered = render(&b, ctx, out);
    match &mut kind {
        QuestionKind::Single { options, .. } | QuestionKind::Multiple { options, .. } => {
            *options = rendered.options_html
        }
        _ => {}
    }
    Some(Question {
        id: id?.as_str().to_string(),
        kind,
        prompt_html: rendered.prompt.html,
        explanation_html: rendered.explanation.html,
        prompt_md: rendered.prompt_md,
        explanation_md: rendered.explanation_md,
        options_md: b.options.iter().map(|o| o.text.to_string()).collect(),
        tags,
        line: ctx.file.line_of(raw.heading_at),
    })
}

struct RenderedParts {
    prompt: markdown::Html,
    prompt_md: String,
    explanation: markdown::Html,
    explanation_md: String,
    options_html: Vec<String>,
}

fn render(b: &Body, ctx: &Context, out: &mut Vec<Problem>) -> RenderedParts {
    let prompt = match (b.prompt.first(), b.prompt.last()) {
        (Some((start, _)), Some((last, line))) => {
            Snippet::contiguous(&ctx.file.text[*start..last + line.len()], *start)
        }
        _ => Snippet::default(),
    };
    let explanation = Snippet::from_lines(b.explanation.iter().map(|(at, l)| (*l, *at)));
    let options_html = b
        .options
        .iter()
        .map(|o| markdown::render_inline(&Snippet::contiguous(o.text, o.text_at), ctx, out).html)
        .collect();
    RenderedParts {
        prompt: markdown::render(&prompt, ctx, out),
        explanation: markdown::render(&explanation, ctx, out),
        prompt_md: prompt.text,
        explanation_md: explanation.text.trim().to_string(),
        options_html,
    }
}
