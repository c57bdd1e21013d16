//! The settings blocks as written in the files: `course.md` (with its `[test]` table) and
//! lessons. Values keep their spans so that problems point at the offending text; unknown
//! keys are refused (`deny_unknown_fields`).

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

/// The settings at the top of `course.md`; see `courses/README.md` §2.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CourseFront {
    /// Course title shown in the catalog and on certificates.
    pub title: Option<Spanned<String>>,
    /// One or two sentences for the catalog.
    pub summary: Option<Spanned<String>>,
    /// Who the course is for: officials, students, workers, elderly.
    pub groups: Option<Spanned<Vec<Spanned<String>>>>,
    /// Competence codes (`tt02-4.2`, `bttt3139-0.1`…).
    pub competences: Option<Spanned<Vec<Spanned<String>>>>,
    /// Optional target grade `tt02-b1` … `tt02-b8`.
    pub level: Option<Spanned<String>>,
    /// Estimated minutes to finish; more than 0.
    pub minutes: Option<Spanned<u32>>,
    /// Position in the catalog, small first; 0 when absent.
    #[serde(default)]
    pub order: i32,
    /// Plan goals the certificate counts toward.
    #[serde(default)]
    pub goals: Vec<u32>,
    /// The `[test]` table.
    pub test: Option<Spanned<TestFront>>,
}

/// The `[test]` table of `course.md`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TestFront {
    /// Questions drawn from the bank for each attempt; more than 0.
    pub questions: Option<Spanned<u32>>,
    /// Percent needed to pass, 1 to 100.
    pub pass_mark: Option<Spanned<u32>>,
    /// 0 or absent = unlimited.
    #[serde(default)]
    pub max_attempts: u32,
    /// Wait between attempts.
    #[serde(default)]
    pub cooldown_minutes: u32,
    /// Absent or 0 = no time limit.
    pub time_limit_minutes: Option<u32>,
    /// Offer a short test before the lessons.
    #[serde(default)]
    pub pretest: bool,
    /// At least this many questions per competence code.
    #[serde(default)]
    pub quotas: BTreeMap<Spanned<String>, Spanned<u32>>,
}

/// The settings at the top of a lesson.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LessonFront {
    pub title: Option<Spanned<String>>,
    /// Estimated minutes; 0 when absent.
    #[serde(default)]
    pub minutes: u32,
}
