//! Fixture-driven tests: loads `tests/fixtures/courses/good` and `…/broken` and checks what
//! a teacher would see (the courses that load, and each problem as `path:line:column: message`).

use std::path::{Path, PathBuf};

use super::test_support::TempDir;
use super::*;

/// `<CARGO_MANIFEST_DIR>/tests/fixtures/courses`, or the main repo's copy when compiled from
/// a scratch crate.
fn fixtures() -> PathBuf {
    let local = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/courses");
    if local.is_dir() {
        return local;
    }
    PathBuf::from("/work/main/tests/fixtures/courses")
}

fn relative(problems: &[Problem], root: &Path) -> Vec<String> {
    problems
        .iter()
        .map(|p| {
            Problem {
                path: p.path.strip_prefix(root).unwrap_or(&p.path).to_path_buf(),
                ..p.clone()
            }
            .to_string()
        })
        .collect()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{e}"));
    for entry in std::fs::read_dir(from).into_iter().flatten().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}

fn good() -> LoadResult {
    load_dir(&fixtures().join("good"))
}

#[test]
fn the_good_fixtures_load_without_problems_in_catalog_order() {
    let result = good();
    assert!(
        result.problems.is_empty(),
        "{:?}",
        relative(&result.problems, &fixtures())
    );
    let slugs: Vec<&str> = result.courses.iter().map(|c| c.slug.as_str()).collect();
    assert_eq!(
        slugs,
        vec!["nhan-dien-tin-gia", "an-toan-mat-khau"],
        "README.md and plan.toml are ignored"
    );
}

#[test]
fn course_settings_are_read() {
    let result = good();
    let c = &result.courses[1];
    assert_eq!(c.title, "An toàn mật khẩu và xác thực hai bước");
    assert_eq!(c.groups, vec![Group::Elderly, Group::Workers]);
    assert_eq!(c.competences, vec!["tt02-4.2", "tt02-4.1"]);
    assert_eq!(
        (c.level.as_deref(), c.minutes, c.order, c.goals.clone()),
        (Some("tt02-b1"), 40, 20, vec![3])
    );
    let t = &c.test;
    assert_eq!(
        (t.questions, t.pass_mark, t.max_attempts, t.cooldown_minutes),
        (3, 70, 3, 30)
    );
    assert_eq!((t.time_limit_minutes, t.pretest), (Some(20), true));
    assert_eq!(t.quotas.get("tt02-4.2"), Some(&2));
    assert!(c.dir.ends_with("good/an-toan-mat-khau"));
    let simple = &result.courses[0].test;
    assert_eq!(
        (
            simple.max_attempts,
            simple.time_limit_minutes,
            simple.pretest
        ),
        (0, None, false)
    );
}

#[test]
fn lessons_are_numbered_rendered_and_searchable() {
    let result = good();
    let c = &result.courses[1];
    let lessons: Vec<(u32, &str, u32)> = c
        .lessons
        .iter()
        .map(|l| (l.number, l.slug.as_str(), l.minutes))
        .collect();
    assert_eq!(
        lessons,
        vec![(1, "vi-sao-can-mat-khau", 5), (2, "tao-mat-khau-manh", 8)]
    );
    let first = c.lessons[0].body.html_for(None);
    assert!(first.contains("<td>VNeID</td>") && first.contains("class=\"footnote-definition\""));
    assert!(
        c.lessons[0]
            .search_text
            .starts_with("vi sao can mat khau mat khau la chia khoa")
    );
    let second = c.lessons[1].body.html_for(None);
    assert!(second.contains("<img src=\"/media/an-toan-mat-khau/images/hai-buoc.svg\" alt=\"Hai bước đăng nhập: mật khẩu rồi mã OTP\">"));
    assert!(second.contains("<input type=\"checkbox\" checked=\"\" disabled=\"\">"));
    assert!(!second.contains("script") && !second.contains("alert"));
}

#[test]
fn an_elderly_learner_does_not_see_the_students_block() {
    let result = good();
    let lesson = &result.courses[1].lessons[1];
    let elderly = lesson.body.html_for(Some(Group::Elderly));
    assert!(elderly.contains("Bác hãy nhờ con cháu"));
    assert!(!elderly.contains("trình quản lý mật khẩu"));
    let workers = lesson.body.html_for(Some(Group::Workers));
    assert!(workers.contains("trình quản lý mật khẩu") && !workers.contains("Bác hãy"));
    let marked = lesson.body.html_all_marked();
    assert!(marked.contains("<div class=\"only-for\" data-groups=\"students workers\">"));
    let intro = &result.courses[1].intro;
    assert!(!intro.html_for(Some(Group::Workers)).contains("con cháu"));
    assert!(intro.html_for(Some(Group::Elderly)).contains("con cháu"));
}

#[test]
fn block_markers_inside_code_are_left_as_text() {
    let result = good();
    let html = result.courses[0].lessons[0]
        .body
        .html_for(Some(Group::Students));
    assert!(html.contains("::: only elderly"));
    assert!(html.contains("<a href=\"https://chinhphu.vn\" rel=\"noopener noreferrer\">"));
    assert_eq!(
        result.courses[0].lessons[0].minutes, 0,
        "minutes may be left out of a lesson"
    );
}

#[test]
fn questions_are_loaded_with_their_tags() {
    let result = good();
    let qs = &result.courses[1].questions;
    let ids: Vec<&str> = qs.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(ids, vec!["mk-01", "mk-02", "mk-03", "mk-04"]);
    assert_eq!(qs[0].tags, vec!["tt02-4.2"]);
    assert_eq!(qs[1].tags, vec!["tt02-4.2", "tt02-4.1"]);
    let quoted = &result.courses[0].questions[0];
    assert!(
        quoted.prompt_html.contains("<blockquote>"),
        "a quote in the prompt stays in the prompt"
    );
    assert_eq!(
        quoted.explanation_md,
        "Người lạ nhắn tin xin chuyển tiền gấp là dấu hiệu lừa đảo thường gặp."
    );
}

#[test]
fn the_version_is_a_stable_hash_that_changes_with_any_file() {
    let v1 = good().courses[1].version.clone();
    assert_eq!(v1.len(), 16);
    assert!(v1.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(good().courses[1].version, v1);
    let tmp = TempDir::new();
    let copy = tmp.path().join("an-toan-mat-khau");
    copy_dir(&fixtures().join("good/an-toan-mat-khau"), &copy);
    assert_eq!(
        load_dir(tmp.path()).courses[0].version,
        v1,
        "the hash does not depend on where the folder is"
    );
    tmp.write("an-toan-mat-khau/images/hai-buoc.svg", "<svg/>");
    assert_ne!(load_dir(tmp.path()).courses[0].version, v1);
}

#[test]
fn a_broken_course_never_takes_the_others_down() {
    let tmp = TempDir::new();
    copy_dir(
        &fixtures().join("good/an-toan-mat-khau"),
        &tmp.path().join("an-toan-mat-khau"),
    );
    copy_dir(
        &fixtures().join("broken/unknown-group"),
        &tmp.path().join("unknown-group"),
    );
    let result = load_dir(tmp.path());
    assert_eq!(result.courses.len(), 1);
    assert_eq!(
        relative(&result.problems, tmp.path()),
        vec![
            "unknown-group/course.md:4:22: unknown group \"elders\"; use one of officials, students, workers, elderly",
        ]
    );
}

#[test]
fn a_duplicate_slug_is_a_problem() {
    let mut result = good();
    let again = result.courses[0].clone();
    result.courses.push(again);
    loader::drop_duplicate_slugs(&mut result);
    assert_eq!(result.courses.len(), 2);
    let message = result
        .problems
        .first()
        .map(|p| p.message.clone())
        .unwrap_or_default();
    assert!(
        message.starts_with("course slug \"nhan-dien-tin-gia\" is already used by "),
        "{message}"
    );
}

#[test]
fn a_missing_courses_folder_is_one_problem() {
    let result = load_dir(&fixtures().join("no-such-folder"));
    assert!(result.courses.is_empty());
    assert_eq!(result.problems.len(), 1);
    assert!(
        result.problems[0]
            .message
            .starts_with("cannot read this folder: ")
    );
}

#[path = "tests_broken.rs"]
mod broken;
