//! Lessons: the `NN-slug.md` files of a course. Parses file names, checks numbering (from 01,
//! no gap, no duplicate), reads each lesson's settings and renders its body once.

use std::path::Path;

use super::front_matter::{self, Spans};
use super::ids::Slug;
use super::markdown::Context;
use super::problem::{Problem, SourceFile};
use super::rendered::{self, Rendered};
use super::settings::LessonFront;
use super::text::search_form;

/// One rendered lesson.
#[derive(Debug, Clone)]
pub struct Lesson {
    /// 1, 2, 3… from the file name.
    pub number: u32,
    /// The file name without the number and `.md`.
    pub slug: String,
    pub title: String,
    /// Estimated minutes; 0 when the lesson does not say.
    pub minutes: u32,
    pub body: Rendered,
    /// Title and text, lower-case, diacritics folded, for search.
    pub search_text: String,
}

/// Reads `NN-slug.md` into its number and slug, or says what is wrong with the name.
pub(crate) fn parse_file_name(name: &str) -> Result<(u32, Slug), String> {
    let bad = || {
        format!(
            "lesson file \"{name}\" must be named like 01-tao-mat-khau.md: a two-digit number, -, then lower-case letters without diacritics, digits and -"
        )
    };
    let stem = name.strip_suffix(".md").ok_or_else(bad)?;
    let (digits, slug) = stem.split_once('-').ok_or_else(bad)?;
    if digits.len() < 2 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let number: u32 = digits.parse().map_err(|_| bad())?;
    if number == 0 {
        return Err(format!(
            "lesson file \"{name}\": lessons are numbered from 01"
        ));
    }
    let slug = Slug::parse(slug).map_err(|e| format!("lesson file \"{name}\": {e}"))?;
    Ok((number, slug))
}

/// Checks that lesson numbers run 1, 2, 3… with no gap and no duplicate.
/// `numbered` holds each lesson's number and path, in any order.
pub(crate) fn check_numbering(numbered: &[(u32, &Path)], out: &mut Vec<Problem>) {
    let mut sorted: Vec<&(u32, &Path)> = numbered.iter().collect();
    sorted.sort();
    let mut previous: Option<&(u32, &Path)> = None;
    for item in sorted {
        let (n, path) = *item;
        let name = |p: &Path| {
            p.file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default()
        };
        match previous {
            Some((p, other)) if *p == n => out.push(Problem::whole(path, format!(
                "lesson number {n:02} is used twice: {} and {}", name(other), name(path)
            ))),
            Some((p, _)) if n > p + 1 => out.push(Problem::whole(path, format!(
                "lesson numbers jump from {p:02} to {n:02}; number lessons 01, 02, 03… with no gap"
            ))),
            None if n != 1 => out.push(Problem::whole(path, format!(
                "the first lesson is numbered {n:02}; lesson numbers start at 01"
            ))),
            _ => {}
        }
        previous = Some(item);
    }
}

/// Reads and renders one lesson file.
pub(crate) fn load(
    path: &Path,
    (number, slug): (u32, Slug),
    course: (&str, &Path),
    out: &mut Vec<Problem>,
) -> Option<Lesson> {
    let file = SourceFile::read(path).map_err(|p| out.push(p)).ok()?;
    let split = front_matter::split(&file).map_err(|p| out.push(p)).ok()?;
    let front: LessonFront = front_matter::parse(&file, &split)
        .map_err(|p| out.push(p))
        .ok()?;
    let at = Spans {
        file: &file,
        base: split.toml_offset,
    };
    let title =
        match &front.title {
            Some(t) if !t.get_ref().trim().is_empty() => t.get_ref().trim().to_string(),
            Some(t) => {
                out.push(at.problem(t.span(), "title is empty"));
                String::new()
            }
            None => {
                out.push(at.missing(
                    "the lesson has no title; add a line like title = \"…\" to its settings",
                ));
                String::new()
            }
        };
    let ctx = Context {
        file: &file,
        slug: course.0,
        dir: course.1,
    };
    let (body, plain) = rendered::render_body(&ctx, split.body_offset, out);
    Some(Lesson {
        number,
        slug: slug.to_string(),
        search_text: search_form(&format!("{title} {plain}")),
        title,
        minutes: front.minutes,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lesson_file_names_give_number_and_slug() {
        let parsed = parse_file_name("02-tao-mat-khau-manh.md").map(|(n, s)| (n, s.to_string()));
        assert_eq!(parsed, Ok((2, "tao-mat-khau-manh".to_string())));
        assert_eq!(parse_file_name("120-x.md").map(|(n, _)| n), Ok(120));
    }

    #[test]
    fn bad_lesson_file_names_are_explained() {
        let bad = "lesson file \"1-x.md\" must be named like 01-tao-mat-khau.md: a two-digit number, -, then lower-case letters without diacritics, digits and -";
        assert_eq!(parse_file_name("1-x.md").err().as_deref(), Some(bad));
        assert!(parse_file_name("notes.md").is_err());
        assert!(parse_file_name("ab-x.md").is_err());
        assert_eq!(
            parse_file_name("00-x.md").err().as_deref(),
            Some("lesson file \"00-x.md\": lessons are numbered from 01")
        );
        assert_eq!(
            parse_file_name("03-Bai-Ba.md").err().as_deref(),
            Some(
                "lesson file \"03-Bai-Ba.md\": \"Bai-Ba\" may only use lower-case letters without diacritics, digits and -, like an-toan-mat-khau"
            )
        );
    }

    fn numbering(items: &[(u32, &str)]) -> Vec<String> {
        let paths: Vec<(u32, std::path::PathBuf)> = items
            .iter()
            .map(|(n, p)| (*n, Path::new("c").join(p)))
            .collect();
        let refs: Vec<(u32, &Path)> = paths.iter().map(|(n, p)| (*n, p.as_path())).collect();
        let mut out = Vec::new();
        check_numbering(&refs, &mut out);
        out.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn lessons_numbered_without_gap_pass() {
        assert!(numbering(&[(2, "02-b.md"), (1, "01-a.md"), (3, "03-c.md")]).is_empty());
    }

    #[test]
    fn gaps_duplicates_and_a_late_start_are_problems() {
        assert_eq!(
            numbering(&[(1, "01-a.md"), (3, "03-c.md")]),
            vec![
                "c/03-c.md:1:1: lesson numbers jump from 01 to 03; number lessons 01, 02, 03… with no gap"
            ]
        );
        assert_eq!(
            numbering(&[(1, "01-a.md"), (1, "01-b.md")]),
            vec!["c/01-b.md:1:1: lesson number 01 is used twice: 01-a.md and 01-b.md"]
        );
        assert_eq!(
            numbering(&[(2, "02-b.md")]),
            vec!["c/02-b.md:1:1: the first lesson is numbered 02; lesson numbers start at 01"]
        );
    }
}
