//! GIFT export of a question bank. Prompts and explanations go out as their Markdown source
//! (`[markdown]`), never as our rendered HTML; questions with pictures are skipped because
//! GIFT cannot carry the image files.

use std::fmt::Write;

use super::escape;
use crate::content::question::{Question, QuestionKind};
use crate::content::text::{fold_diacritics, normalize_answer};

/// GIFT text for `questions`, and the questions skipped (`"id: reason"`).
pub fn export(questions: &[Question]) -> (String, Vec<String>) {
    let mut text = String::new();
    let mut skipped = Vec::new();
    for q in questions {
        let sources = [&q.prompt_md, &q.explanation_md]
            .into_iter()
            .chain(&q.options_md);
        if sources.into_iter().any(|s| s.contains("![")) {
            skipped.push(format!(
                "{}: it has a picture, which GIFT cannot carry; add it in Moodle by hand",
                q.id
            ));
            continue;
        }
        text.push_str(&question(q));
        text.push('\n');
    }
    (text, skipped)
}

/// A weight such as `33.33333`, without trailing zeros.
fn weight(percent: f64) -> String {
    let s = format!("{percent:.5}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn question(q: &Question) -> String {
    let mut s = String::new();
    for tag in &q.tags {
        let _ = writeln!(s, "// [tag:{tag}]");
    }
    let _ = write!(
        s,
        "::{}::[markdown]{}{{",
        escape(&q.id),
        escape(&q.prompt_md)
    );
    match &q.kind {
        QuestionKind::Single { correct, .. } => {
            for (i, option) in q.options_md.iter().enumerate() {
                let mark = if i == *correct { '=' } else { '~' };
                let _ = write!(s, "\n\t{mark}{}", escape(option));
            }
            s.push('\n');
        }
        QuestionKind::Multiple { correct, .. } => {
            let right = weight(100.0 / correct.len().max(1) as f64);
            for (i, option) in q.options_md.iter().enumerate() {
                let w = if correct.contains(&i) {
                    right.as_str()
                } else {
                    "-100"
                };
                let _ = write!(s, "\n\t~%{w}%{}", escape(option));
            }
            s.push('\n');
        }
        QuestionKind::TrueFalse { answer } => s.push(if *answer { 'T' } else { 'F' }),
        QuestionKind::Short {
            answers,
            ignore_diacritics,
        } => {
            for a in short_answers(answers, *ignore_diacritics) {
                let _ = write!(s, "={} ", escape(&a));
            }
        }
    }
    let _ = writeln!(s, "####{}}}", escape(&q.explanation_md));
    s
}

/// The accepted answers, plus their forms without diacritics when those are accepted too
/// (GIFT has no such switch).
fn short_answers(answers: &[String], ignore_diacritics: bool) -> Vec<String> {
    let mut out: Vec<String> = answers.to_vec();
    if ignore_diacritics {
        for a in answers {
            let folded = fold_diacritics(a);
            if !out
                .iter()
                .any(|o| normalize_answer(o, false) == normalize_answer(&folded, false))
            {
                out.push(folded);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_are_short_decimals() {
        assert_eq!(weight(100.0), "100");
        assert_eq!(weight(50.0), "50");
        assert_eq!(weight(100.0 / 3.0), "33.33333");
    }

    #[test]
    fn short_answers_gain_forms_without_diacritics() {
        let answers = vec!["VNeID".to_string(), "ứng dụng VNeID".to_string()];
        assert_eq!(
            short_answers(&answers, true),
            vec!["VNeID", "ứng dụng VNeID", "ung dung VNeID"]
        );
        assert_eq!(short_answers(&answers, false).len(), 2);
    }
}
