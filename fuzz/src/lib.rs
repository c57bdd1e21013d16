//! Shared pieces of the fuzz targets: one scratch courses folder per process (files are
//! overwritten on every run, never re-created), and the checks every load result must pass:
//! problems point at line >= 1 and column >= 1, and no rendered HTML carries a script.

use std::path::{Path, PathBuf};

use hocvuso::content::{self, Course, LoadResult, Problem, QuestionKind, Rendered};
use hocvuso::groups::Group;

/// The files a `course_folder` input is cut into (at NUL bytes), in this order.
pub const FILES: [&str; 4] = ["course.md", "01-bai.md", "02-bai.md", "questions.md"];

/// The folder name of the scratch course (its slug).
pub const SLUG: &str = "bai-hoc";

/// A valid `course.md` whose test draws one question.
pub const COURSE_MD: &str = "+++
title = \"Khoá thử\"
summary = \"Khoá học để thử trình đọc.\"
groups = [\"elderly\", \"students\"]
competences = [\"tt02-4.2\"]
minutes = 10

[test]
questions = 1
pass_mark = 70
+++

Giới thiệu.
";

/// A valid lesson.
pub const LESSON_MD: &str = "+++
title = \"Bài một\"
minutes = 5
+++

Nội dung bài.

![Hình minh hoạ](images/hinh.svg)
";

/// A picture that lessons may point at (`images/hinh.svg`).
const IMAGE: &str = "<svg xmlns=\"http://www.w3.org/2000/svg\"/>";

/// `<tmp>/hocvuso-fuzz-<target>-<pid>/bai-hoc/`, made once per process.
pub struct Scratch {
    root: PathBuf,
    course: PathBuf,
}

impl Scratch {
    /// Makes the folder (emptied first) with `images/hinh.svg` in the course.
    pub fn new(target: &str) -> Self {
        let root =
            std::env::temp_dir().join(format!("hocvuso-fuzz-{target}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let course = root.join(SLUG);
        let images = course.join("images");
        std::fs::create_dir_all(&images).unwrap_or_else(|e| panic!("scratch folder: {e}"));
        let scratch = Self { root, course };
        scratch.write("images/hinh.svg", IMAGE.as_bytes());
        scratch
    }

    /// The courses folder (holds the one course folder).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The course folder.
    pub fn course(&self) -> &Path {
        &self.course
    }

    /// Writes (or overwrites) a file of the course.
    pub fn write(&self, name: &str, bytes: &[u8]) {
        std::fs::write(self.course.join(name), bytes)
            .unwrap_or_else(|e| panic!("write {name}: {e}"));
    }

    /// Removes a file of the course if it is there.
    pub fn remove(&self, name: &str) {
        let _ = std::fs::remove_file(self.course.join(name));
    }

    /// Writes each part to its file of `FILES`; files without a part are removed.
    pub fn write_parts(&self, data: &[u8]) {
        let mut parts = data.splitn(FILES.len(), |b| *b == 0);
        for name in FILES {
            match parts.next() {
                Some(bytes) => self.write(name, bytes),
                None => self.remove(name),
            }
        }
    }

    /// Loads the courses folder with `load_dir` and checks the result.
    pub fn load_dir_and_check(&self) {
        check_result(&content::load_dir(self.root()));
    }

    /// Loads the course folder with `load_course` and checks the result.
    pub fn load_course_and_check(&self) {
        let mut problems = Vec::new();
        let course = content::load_course(self.course(), &mut problems);
        check_problems(&problems);
        assert_eq!(
            course.is_some(),
            problems.is_empty(),
            "a course loads exactly when it has no problem: {problems:?}"
        );
        if let Some(course) = &course {
            check_course(course);
        }
    }
}

/// Checks everything `load_dir` returned.
pub fn check_result(result: &LoadResult) {
    check_problems(&result.problems);
    for course in &result.courses {
        check_course(course);
    }
}

/// Every problem points at a real position and says something.
pub fn check_problems(problems: &[Problem]) {
    for p in problems {
        assert!(p.line >= 1, "problem at line 0: {p}");
        assert!(p.column >= 1, "problem at column 0: {p}");
        assert!(
            !p.message.trim().is_empty(),
            "problem without a message: {p}"
        );
    }
}

/// Every piece of HTML of a loaded course is safe, for every group; its bank exports to
/// GIFT and the GIFT imports again without panicking.
pub fn check_course(course: &Course) {
    check_rendered(&course.intro, "course intro");
    for lesson in &course.lessons {
        check_rendered(&lesson.body, "lesson body");
    }
    for q in &course.questions {
        check_html(&q.prompt_html, "question prompt");
        check_html(&q.explanation_html, "question explanation");
        if let QuestionKind::Single { options, .. } | QuestionKind::Multiple { options, .. } =
            &q.kind
        {
            for option in options {
                check_html(option, "question option");
            }
        }
    }
    let (gift, _) = content::gift::export(&course.questions);
    let _ = content::gift::import(&gift);
}

fn check_rendered(rendered: &Rendered, what: &str) {
    for group in std::iter::once(None).chain(Group::ALL.map(Some)) {
        check_html(&rendered.html_for(group), what);
    }
    check_html(&rendered.html_all_marked(), what);
}

/// Attributes whose value is a URL a browser may follow or load.
const URL_ATTRIBUTES: [&str; 10] = [
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "cite",
    "poster",
    "background",
    "longdesc",
    "xlink:href",
];

/// No `<script`, no event handler, no `javascript:` URL. Text that merely mentions
/// "javascript:" (escaped, between tags) is harmless and allowed.
pub fn check_html(html: &str, what: &str) {
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "{what}: <script in {html:?}");
    for (name, value) in attributes(&lower) {
        assert!(
            !name.starts_with("on"),
            "{what}: event handler {name} in {html:?}"
        );
        let squashed: String = value
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .collect();
        assert!(
            !(URL_ATTRIBUTES.contains(&name) && squashed.starts_with("javascript:")),
            "{what}: javascript: URL in {html:?}"
        );
    }
}

/// `(name, value)` of every attribute in serialized HTML (double-quoted values, as the
/// sanitizer writes them); text between tags is skipped.
fn attributes(html: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        rest = &rest[start + 1..];
        if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        rest = &rest[name_end..];
        rest = tag_attributes(rest, &mut out);
    }
    out
}

/// Reads the attributes up to the tag's `>`; returns what follows them.
fn tag_attributes<'a>(mut rest: &'a str, out: &mut Vec<(&'a str, &'a str)>) -> &'a str {
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() || rest.starts_with('>') {
            return rest;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '>')
            .unwrap_or(rest.len());
        if end == 0 {
            let skip = rest.chars().next().map_or(1, char::len_utf8);
            rest = &rest[skip..];
            continue;
        }
        let name = &rest[..end];
        rest = &rest[end..];
        let mut value = "";
        if let Some(after) = rest.strip_prefix("=\"") {
            let close = after.find('"').unwrap_or(after.len());
            value = &after[..close];
            rest = after.get(close + 1..).unwrap_or("");
        }
        out.push((name, value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_read_from_tags_only() {
        let html = "<p>javascript: is text</p><a href=\"https://x.vn\" rel=\"noopener\">a</a><input disabled=\"\">";
        assert_eq!(
            attributes(html),
            vec![
                ("href", "https://x.vn"),
                ("rel", "noopener"),
                ("disabled", "")
            ]
        );
        check_html(html, "sample");
    }

    #[test]
    #[should_panic(expected = "javascript: URL")]
    fn a_javascript_link_fails() {
        check_html("<a href=\" JavaScript:alert(1)\">a</a>", "sample");
    }
}
