//! Regression tests for inputs found by fuzzing (`fuzz/`): each one loads, or reports its
//! problems, without panicking, and every problem points at line >= 1, column >= 1.

use super::test_support::TempDir;
use super::*;

/// A valid `course.md` whose test draws one question (as in `fuzz/src/lib.rs`).
const COURSE_MD: &str = "+++\ntitle = \"Khoá thử\"\nsummary = \"Thử.\"\ngroups = [\"elderly\"]\ncompetences = [\"tt02-4.2\"]\nminutes = 10\n\n[test]\nquestions = 1\npass_mark = 70\n+++\n\nGiới thiệu.\n";

const LESSON_MD: &str = "+++\ntitle = \"Bài một\"\n+++\n\nNội dung.\n";

const QUESTIONS_MD: &str = "## q-01\ntype: truefalse\nanswer: đúng\n\nHỏi?\n\n> Vì vậy.\n";

/// Loads the course folder `bai-hoc` made of `files`; the problems as `file:line:column: …`.
fn load(files: &[(&str, &str)]) -> (Option<Course>, Vec<String>) {
    let tmp = TempDir::new();
    for (name, text) in files {
        tmp.write(&format!("bai-hoc/{name}"), text);
    }
    let dir = tmp.path().join("bai-hoc");
    let mut problems = Vec::new();
    let course = load_course(&dir, &mut problems);
    for p in &problems {
        assert!(p.line >= 1 && p.column >= 1, "{p}");
    }
    let shown = problems
        .iter()
        .map(|p| {
            let name = p.path.strip_prefix(&dir).unwrap_or(&p.path);
            format!("{}:{}:{}: {}", name.display(), p.line, p.column, p.message)
        })
        .collect();
    (course, shown)
}

fn with_course_md(course_md: &str) -> (Option<Course>, Vec<String>) {
    load(&[
        ("course.md", course_md),
        ("01-bai.md", LESSON_MD),
        ("questions.md", QUESTIONS_MD),
    ])
}

#[test]
fn the_regression_course_loads() {
    let (course, problems) = with_course_md(COURSE_MD);
    assert!(problems.is_empty(), "{problems:?}");
    assert!(course.is_some());
}

/// Found by review while fuzzing: quotas adding up past `u32::MAX` overflowed the sum.
#[test]
fn quotas_adding_up_past_the_largest_number_are_reported() {
    let text = COURSE_MD.replace(
        "pass_mark = 70\n",
        "pass_mark = 70\n\n[test.quotas]\n\"tt02-4.2\" = 4294967295\n\"tt02-4.1\" = 1\n",
    );
    let (course, problems) = with_course_md(&text);
    assert!(course.is_none());
    assert!(
        problems
            .iter()
            .any(|p| p.contains("the quotas add up to 4294967296")),
        "{problems:?}"
    );
}

/// The `## id` lines of an imported bank.
fn imported_ids(gift: &str) -> Vec<String> {
    let (bank, _) = gift::import(gift);
    bank.lines()
        .filter_map(|l| l.strip_prefix("## "))
        .map(str::to_string)
        .collect()
}

/// Found by review while fuzzing `gift_import`, timed with its harness: 1,300 questions with
/// the same title took 53 s (the search for a free id was cubic in the number of repeats).
#[test]
fn many_questions_with_one_title_get_numbered_ids_quickly() {
    let gift = "::a::x{T}\n\n".repeat(1300);
    let started = std::time::Instant::now();
    let ids = imported_ids(&gift);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(ids.len(), 1300);
    assert_eq!(
        (ids[0].as_str(), ids[1].as_str(), ids[1299].as_str()),
        ("a", "a-2", "a-1300")
    );
}

#[test]
fn imported_ids_skip_numbers_a_title_already_took() {
    let ids = imported_ids("::a::x{T}\n\n::a-2::x{T}\n\n::a::x{T}\n\n::A::x{T}\n\n::a 2::x{F}\n");
    assert_eq!(ids, vec!["a", "a-2", "a-3", "a-4", "a-2-2"]);
}
