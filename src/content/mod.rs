//! Course content: parses the course folders described in `courses/README.md` (settings,
//! lessons, `::: only` passages, images, question banks), validates them with problems that
//! point at `path:line:column`, and renders their Markdown to sanitized HTML once, at load
//! time. Pure: no database, no web framework; the only I/O is reading the course folder.
//!
//! Entry point: [`load_dir`]. A broken course is reported and left out; the others load.

mod blocks;
mod course;
mod front_matter;
mod ids;
mod lesson;
mod loader;
mod markdown;
mod problem;
mod question;
mod rendered;
mod sanitize;
mod settings;
mod snippet;
mod text;

pub mod frameworks;
pub mod gift;

#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_fuzz;

pub use crate::groups::{Group, UnknownGroup};
pub use course::{Course, TestSettings};
pub use ids::{QuestionId, QuestionIdError, Slug, SlugError};
pub use lesson::Lesson;
pub use loader::{LoadResult, load_course, load_dir};
pub use markdown::options as markdown_options;
pub use problem::{Problem, SourceFile};
pub use question::{Question, QuestionKind};
pub use rendered::{Rendered, Segment};
pub use text::{fold_diacritics, normalize_answer};
