//! The question bank: `questions.md` parsed into `Question`s (see `courses/README.md` §4),
//! with their prompts, options and explanations rendered once, and the short-answer rule.

mod answers;
mod body;
mod build;
mod split;

use std::path::Path;

use super::markdown::Context;
use super::problem::{Problem, SourceFile};
use super::text::normalize_answer;

/// One question of a course's bank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    /// The id after `##`, unique in the course.
    pub id: String,
    pub kind: QuestionKind,
    pub prompt_html: String,
    pub explanation_html: String,
    /// The Markdown source of the prompt (for GIFT export and editing).
    pub prompt_md: String,
    /// The Markdown source of the explanation, without its `>` marks.
    pub explanation_md: String,
    /// The Markdown source of each option (single and multiple only), in file order.
    pub options_md: Vec<String>,
    /// The question's own tags or, if it has none, the course's competences.
    pub tags: Vec<String>,
    /// Line of the `## id` heading in `questions.md`.
    pub line: usize,
}

/// What kind of answer a question takes, and the right answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QuestionKind {
    /// Exactly one right option (`correct` indexes `options`, in file order).
    Single {
        options: Vec<String>,
        correct: usize,
    },
    /// One or more right options.
    Multiple {
        options: Vec<String>,
        correct: Vec<usize>,
    },
    TrueFalse {
        answer: bool,
    },
    /// Any of `answers` is accepted, ignoring case and extra spaces.
    Short {
        answers: Vec<String>,
        ignore_diacritics: bool,
    },
}

impl QuestionKind {
    /// The `type:` value of this kind.
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::Single { .. } => "single",
            QuestionKind::Multiple { .. } => "multiple",
            QuestionKind::TrueFalse { .. } => "truefalse",
            QuestionKind::Short { .. } => "short",
        }
    }

    /// True when `given` matches one of a short question's answers (case, extra spaces and,
    /// if allowed, diacritics ignored). Always false for other kinds.
    pub fn short_answer_matches(&self, given: &str) -> bool {
        let QuestionKind::Short {
            answers,
            ignore_diacritics,
        } = self
        else {
            return false;
        };
        let given = normalize_answer(given, *ignore_diacritics);
        !given.is_empty()
            && answers
                .iter()
                .any(|a| normalize_answer(a, *ignore_diacritics) == given)
    }
}

/// Reads `questions.md` in `course_dir`; `course_tags` are the course's competences.
/// `None` when the file is missing or unreadable (the problem says which).
pub(crate) fn load(
    course_dir: &Path,
    slug: &str,
    course_tags: &[String],
    out: &mut Vec<Problem>,
) -> Option<Vec<Question>> {
    let path = course_dir.join("questions.md");
    if !path.is_file() {
        out.push(Problem::whole(
            &path,
            "the course has no questions.md; add the question bank for the test",
        ));
        return None;
    }
    let file = SourceFile::read(&path).map_err(|p| out.push(p)).ok()?;
    let ctx = Context {
        file: &file,
        slug,
        dir: course_dir,
    };
    let raws = split::split(&file, out);
    if raws.is_empty() {
        out.push(Problem::whole(
            &path,
            "questions.md has no questions; each question starts with a line ## id",
        ));
    }
    let mut questions: Vec<Question> = Vec::new();
    for raw in &raws {
        let Some(q) = build::build(raw, &ctx, course_tags, out) else {
            continue;
        };
        if let Some(first) = questions.iter().find(|other| other.id == q.id) {
            out.push(file.problem(
                raw.id_at,
                format!(
                    "question id \"{}\" is already used on line {}",
                    q.id, first.line
                ),
            ));
        }
        questions.push(q);
    }
    Some(questions)
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
