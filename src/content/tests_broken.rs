//! The broken fixtures: one folder per kind of mistake, each reported with its message at
//! its line and column, and none of them loads.

use super::*;

/// Every problem `load_dir` reports for `tests/fixtures/courses/broken`, in order.
const EXPECTED: &[&str] = &[
    "Bad_Folder_Name:1:1: course folder name: \"Bad_Folder_Name\" may only use lower-case letters without diacritics, digits and -, like an-toan-mat-khau",
    "bad-pass-mark/course.md:11:13: pass_mark must be between 1 and 100 (a percent), not 150",
    "block-nested/01-bai-mot.md:8:1: blocks do not nest; close the block opened on line 6 with ::: before starting another",
    "block-unclosed/01-bai-mot.md:8:1: this block is never closed; end it with a line containing only :::",
    "block-unknown-group/01-bai-mot.md:8:10: unknown group \"elders\"; use one of officials, students, workers, elderly",
    "empty-settings/course.md:2:9: title is empty",
    "empty-settings/course.md:4:10: groups is empty; name at least one of officials, students, workers, elderly",
    "empty-settings/course.md:5:15: competences is empty; name at least one code, like \"tt02-4.2\"",
    "image-missing/01-bai-mot.md:8:1: image \"images/khong-co.svg\" is not in the course folder; check the file name and that the file is there",
    "image-outside-course/01-bai-mot.md:8:1: image \"../image-missing/images/a.svg\" points outside the course folder; keep pictures in the course's images folder",
    "image-web-address/01-bai-mot.md:8:1: image \"https://example.com/a.png\" must be a file in the course folder, like images/picture.svg, not a web address",
    "image-without-alt/01-bai-mot.md:8:1: image has no alt text; describe the picture between the brackets: ![…](…)",
    "lesson-duplicate/01-bai-mot.md:1:1: lesson number 01 is used twice: 01-bai-khac.md and 01-bai-mot.md",
    "lesson-file-name/2-bai-hai.md:1:1: lesson file \"2-bai-hai.md\" must be named like 01-tao-mat-khau.md: a two-digit number, -, then lower-case letters without diacritics, digits and -",
    "lesson-gap/03-bai-ba.md:1:1: lesson numbers jump from 01 to 03; number lessons 01, 02, 03… with no gap",
    "lesson-no-title/01-bai-mot.md:1:1: the lesson has no title; add a line like title = \"…\" to its settings",
    "lesson-unknown-setting/01-bai-mot.md:4:1: unknown setting \"author\"; use one of title, minutes",
    "lessons-without-course-md:1:1: this folder has lessons or questions but no course.md; add course.md with the course settings",
    "missing-settings/course.md:1:1: missing setting \"title\"; add a line like title = \"…\"",
    "missing-settings/course.md:1:1: missing setting \"summary\"; add a line like summary = \"…\"",
    "missing-settings/course.md:1:1: missing setting \"groups\"; add a line like groups = [\"elderly\"]",
    "missing-settings/course.md:1:1: missing setting \"competences\"; add a line like competences = [\"tt02-4.2\"]",
    "missing-settings/course.md:1:1: missing setting \"minutes\"; add a line like minutes = 40",
    "missing-settings/course.md:1:1: missing [test] section; add [test] with questions = 10 and pass_mark = 70",
    "missing-test-settings/course.md:9:1: missing setting \"questions\" in [test]; add a line like questions = 10",
    "missing-test-settings/course.md:9:1: missing setting \"pass_mark\" in [test]; add a line like pass_mark = 70",
    "no-front-matter/course.md:1:1: the file must start with a line +++, then the settings, then another line +++",
    "no-lessons:1:1: the course has no lessons; add lesson files named like 01-gioi-thieu.md",
    "no-questions-file/questions.md:1:1: the course has no questions.md; add the question bank for the test",
    "question-duplicate-id/questions.md:19:4: question id \"q-01\" is already used on line 1",
    "question-invalid-id/questions.md:19:4: invalid question id \"câu 3\"; use letters without diacritics, digits, - or _ (at most 64), like mk-01",
    "question-multiple-none-right/questions.md:19:1: a multiple question needs at least one right option marked [x]",
    "question-no-explanation/questions.md:19:1: the question has no explanation; add it at the end as a quote: > …",
    "question-one-option/questions.md:19:1: a single question needs at least 2 options, each on a line like - [ ] …",
    "question-short-no-answer/questions.md:19:1: a short question needs at least one line answer: …",
    "question-single-two-right/questions.md:19:1: a single question needs exactly one right option marked [x]; this one has 2",
    "question-truefalse-bad-answer/questions.md:21:9: the answer of a truefalse question must be đúng or sai, not \"có\"",
    "question-truefalse-no-answer/questions.md:19:1: a truefalse question needs a line answer: đúng or answer: sai",
    "question-unknown-setting/questions.md:22:1: unknown setting \"points\"; use one of type, tags, answer, ignore_diacritics",
    "question-unknown-tag/questions.md:21:17: unknown competence code \"an-toan\"; use tt02-1.1 … tt02-6.3 or bttt3139-0.1, 0.2, 1.1 … 1.3",
    "question-unknown-type/questions.md:20:7: unknown question type \"essay\"; use one of single, multiple, truefalse, short",
    "quota-more-than-tagged/course.md:15:14: the quota for tt02-4.1 is 1 but questions.md has only 0 questions tagged tt02-4.1",
    "quota-sum-above-test/course.md:14:1: the quotas add up to 3, more than the 2 questions each test draws",
    "quota-unknown-code/course.md:14:1: unknown competence code \"tt02-9.1\"; use tt02-1.1 … tt02-6.3 or bttt3139-0.1, 0.2, 1.1 … 1.3",
    "too-few-questions/course.md:10:13: the test draws 5 questions but questions.md has only 2; add questions or lower this number",
    "unclosed-front-matter/course.md:1:1: the settings that start here are never closed; add a line +++ after them",
    "unknown-competence/course.md:5:28: unknown competence code \"tt02-9.9\"; use tt02-1.1 … tt02-6.3 or bttt3139-0.1, 0.2, 1.1 … 1.3",
    "unknown-group/course.md:4:22: unknown group \"elders\"; use one of officials, students, workers, elderly",
    "unknown-level/course.md:6:9: unknown level \"b2\"; use tt02-b1, tt02-b2 … tt02-b8",
    "unknown-setting/course.md:7:1: unknown setting \"duration\"; use one of title, summary, groups, competences, level, minutes, order, goals, test",
    "unknown-test-setting/course.md:12:1: unknown setting \"shuffle\"; use one of questions, pass_mark, max_attempts, cooldown_minutes, time_limit_minutes, pretest, quotas",
    "wrong-value-type/course.md:6:11: cannot read the settings: invalid type: string \"mười\", expected a whole number, 0 or more",
    "zero-minutes/course.md:6:11: minutes must be more than 0 (the estimated time to finish the course)",
    "zero-test-questions/course.md:10:13: test questions must be more than 0 (how many questions each attempt draws)",
];

#[test]
fn every_broken_fixture_reports_its_mistake_and_none_loads() {
    let root = fixtures().join("broken");
    let result = load_dir(&root);
    assert!(result.courses.is_empty());
    assert_eq!(relative(&result.problems, &root), EXPECTED);
}

#[test]
fn every_broken_folder_has_a_problem() {
    let root = fixtures().join("broken");
    let result = load_dir(&root);
    for entry in std::fs::read_dir(&root).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let found = result
            .problems
            .iter()
            .any(|p| p.path.starts_with(root.join(&name)));
        assert!(found, "no problem reported for broken/{name}");
    }
}
