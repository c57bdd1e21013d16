//! Loading a courses folder: finds the course folders (those with `course.md`), loads each
//! on its own so a broken course never takes the others down, computes each course's
//! version, and sorts the good courses for the catalog.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::course::{self, Course};
use super::front_matter::{self, Spans};
use super::ids::Slug;
use super::lesson::{self, Lesson};
use super::markdown::Context;
use super::problem::{Problem, SourceFile};
use super::question;
use super::rendered;
use super::settings::CourseFront;

/// The good courses, sorted by (order, slug), and every problem found.
#[derive(Debug, Default)]
pub struct LoadResult {
    pub courses: Vec<Course>,
    pub problems: Vec<Problem>,
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_none_or(|n| n.to_string_lossy().starts_with('.'))
}

/// Sorted visible entries of a folder; an unreadable folder is a problem.
fn entries(dir: &Path, out: &mut Vec<Problem>) -> Vec<PathBuf> {
    let read = match std::fs::read_dir(dir) {
        Ok(read) => read,
        Err(e) => {
            out.push(Problem::whole(dir, format!("cannot read this folder: {e}")));
            return Vec::new();
        }
    };
    let mut paths: Vec<PathBuf> = read
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| !is_hidden(p))
        .collect();
    paths.sort();
    paths
}

/// Loads every course folder in `dir`. Files at the top (README.md, plan.toml) are ignored.
pub fn load_dir(dir: &Path) -> LoadResult {
    let mut result = LoadResult::default();
    for folder in entries(dir, &mut result.problems) {
        if !folder.is_dir() {
            continue;
        }
        if folder.join("course.md").is_file() {
            if let Some(course) = load_course(&folder, &mut result.problems) {
                result.courses.push(course);
            }
        } else if looks_like_course(&folder) {
            result.problems.push(Problem::whole(
                &folder,
                "this folder has lessons or questions but no course.md; add course.md with the course settings",
            ));
        }
    }
    drop_duplicate_slugs(&mut result);
    result
        .courses
        .sort_by(|a, b| (a.order, &a.slug).cmp(&(b.order, &b.slug)));
    result
}

fn looks_like_course(folder: &Path) -> bool {
    entries(folder, &mut Vec::new()).iter().any(|p| {
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        name == "questions.md" || lesson::parse_file_name(&name).is_ok()
    })
}

/// Keeps the first course of each slug and reports the others.
pub(crate) fn drop_duplicate_slugs(result: &mut LoadResult) {
    let mut seen: Vec<(String, PathBuf)> = Vec::new();
    result.courses.retain(|c| {
        if let Some((_, first)) = seen.iter().find(|(slug, _)| *slug == c.slug) {
            result.problems.push(Problem::whole(&c.dir, format!(
                "course slug \"{}\" is already used by {}; give each course its own folder name",
                c.slug,
                first.display()
            )));
            return false;
        }
        seen.push((c.slug.clone(), c.dir.clone()));
        true
    });
}

/// Loads one course folder; `None` (with problems) when anything in it is wrong.
pub fn load_course(folder: &Path, out: &mut Vec<Problem>) -> Option<Course> {
    let before = out.len();
    let name = folder
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let slug = Slug::parse(&name)
        .map_err(|e| out.push(Problem::whole(folder, format!("course folder name: {e}"))))
        .ok()?;
    let file = SourceFile::read(&folder.join("course.md"))
        .map_err(|p| out.push(p))
        .ok()?;
    let split = front_matter::split(&file).map_err(|p| out.push(p)).ok()?;
    let front: CourseFront = front_matter::parse(&file, &split)
        .map_err(|p| out.push(p))
        .ok()?;
    let at = Spans {
        file: &file,
        base: split.toml_offset,
    };
    let head = course::head(&at, &front, out);
    let ctx = Context {
        file: &file,
        slug: slug.as_str(),
        dir: folder,
    };
    let (intro, _) = rendered::render_body(&ctx, split.body_offset, out);
    let lessons = load_lessons(folder, slug.as_str(), out);
    let competences: Vec<String> = front
        .competences
        .as_ref()
        .map(|list| list.get_ref().iter().map(|c| c.get_ref().clone()).collect())
        .unwrap_or_default();
    let questions = question::load(folder, slug.as_str(), &competences, out);
    if let Some(questions) = &questions {
        course::check_bank(&at, &front, questions, out);
    }
    let version = version_of(folder, out);
    let head = head?;
    (out.len() == before).then(|| Course {
        slug: slug.to_string(),
        title: head.title,
        summary: head.summary,
        groups: head.groups,
        competences: head.competences,
        level: head.level,
        minutes: head.minutes,
        order: head.order,
        goals: head.goals,
        test: head.test,
        intro,
        lessons,
        questions: questions.unwrap_or_default(),
        version,
        dir: folder.to_path_buf(),
    })
}

/// Every `.md` file other than course.md and questions.md is a lesson.
fn load_lessons(folder: &Path, slug: &str, out: &mut Vec<Problem>) -> Vec<Lesson> {
    let mut numbered = Vec::new();
    let mut candidates = 0;
    for path in entries(folder, out) {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !path.is_file()
            || !name.ends_with(".md")
            || name == "course.md"
            || name == "questions.md"
        {
            continue;
        }
        candidates += 1;
        match lesson::parse_file_name(&name) {
            Ok(parsed) => numbered.push((parsed, path)),
            Err(message) => out.push(Problem::whole(&path, message)),
        }
    }
    if candidates == 0 {
        out.push(Problem::whole(
            folder,
            "the course has no lessons; add lesson files named like 01-gioi-thieu.md",
        ));
    }
    let numbers: Vec<(u32, &Path)> = numbered
        .iter()
        .map(|((n, _), p)| (*n, p.as_path()))
        .collect();
    lesson::check_numbering(&numbers, out);
    numbered.sort_by_key(|((n, _), _)| *n);
    numbered
        .into_iter()
        .filter_map(|(parsed, path)| lesson::load(&path, parsed, (slug, folder), out))
        .collect()
}

/// First 16 hex characters of the SHA-256 of every file in the course (hidden ones aside),
/// each fed as its relative path, a zero byte, its length and its bytes, in path order.
pub(crate) fn version_of(folder: &Path, out: &mut Vec<Problem>) -> String {
    let mut files = Vec::new();
    collect_files(folder, folder, &mut files, out);
    files.sort();
    let mut hasher = Sha256::new();
    for (relative, path) in files {
        match std::fs::read(&path) {
            Ok(bytes) => {
                hasher.update(relative.as_bytes());
                hasher.update([0]);
                hasher.update((bytes.len() as u64).to_le_bytes());
                hasher.update(&bytes);
            }
            Err(e) => out.push(Problem::whole(&path, format!("cannot read this file: {e}"))),
        }
    }
    hasher
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn collect_files(
    root: &Path,
    dir: &Path,
    files: &mut Vec<(String, PathBuf)>,
    out: &mut Vec<Problem>,
) {
    for path in entries(dir, out) {
        let is_link = path
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink());
        if path.is_dir() && !is_link {
            collect_files(root, &path, files, out);
        } else if path.is_file() {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            files.push((parts.join("/"), path));
        }
    }
}
