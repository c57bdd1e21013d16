//! Statistics for teachers: per course and per question, from submitted attempts.
//!
//! [`load`] reads what a course's statistics need with two queries (the submitted attempts
//! and the lesson progress) and parses each attempt's JSON once; [`course`] and [`question`]
//! are pure functions over those rows, so they are tested with hand-made data.

pub mod course;
pub mod question;
pub mod view;

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::assessment::{Kind, QuestionResult};
use crate::db::DbConn;
use crate::db::schema::{attempts, lesson_progress};

/// One submitted attempt, parsed.
#[derive(Debug, Clone)]
pub struct Row {
    pub user_id: i64,
    pub kind: Kind,
    pub version: String,
    /// 0 to 100.
    pub score: i32,
    pub passed: bool,
    pub submitted_at: NaiveDateTime,
    pub results: Vec<QuestionResult>,
}

/// Everything a course's statistics are computed from.
#[derive(Debug, Clone, Default)]
pub struct Data {
    /// Submitted attempts, oldest first.
    pub attempts: Vec<Row>,
    /// Lesson slugs done, by learner.
    pub lessons_done: HashMap<i64, HashSet<String>>,
}

type Raw = (
    i64,
    String,
    String,
    Option<i32>,
    Option<bool>,
    Option<NaiveDateTime>,
    Option<String>,
);

fn parse(raw: Raw) -> Option<Row> {
    let (user_id, kind, version, score, passed, submitted_at, result) = raw;
    let kind = match kind.as_str() {
        "final" => Kind::Final,
        "pretest" => Kind::Pretest,
        _ => return None,
    };
    Some(Row {
        user_id,
        kind,
        version,
        score: score.unwrap_or(0),
        passed: passed.unwrap_or(false),
        submitted_at: submitted_at?,
        // A result that cannot be read counts for the course figures but not per question.
        results: result
            .and_then(|r| serde_json::from_str(&r).ok())
            .unwrap_or_default(),
    })
}

/// Loads a course's submitted attempts (open ones are ignored) and lesson progress.
pub fn load(conn: &mut DbConn, course_slug: &str) -> QueryResult<Data> {
    load_with(conn, course_slug, true)
}

/// Like [`load`], without each attempt's per-question results: enough for the course figures
/// ([`course::compute`]), and it neither reads nor parses the largest column.
pub fn load_figures(conn: &mut DbConn, course_slug: &str) -> QueryResult<Data> {
    load_with(conn, course_slug, false)
}

fn load_with(conn: &mut DbConn, course_slug: &str, with_results: bool) -> QueryResult<Data> {
    let submitted = || {
        attempts::table
            .filter(attempts::course_slug.eq(course_slug))
            .filter(attempts::submitted_at.is_not_null())
            .order((attempts::submitted_at.asc(), attempts::id.asc()))
    };
    let columns = (
        attempts::user_id,
        attempts::kind,
        attempts::course_version,
        attempts::score,
        attempts::passed,
        attempts::submitted_at,
    );
    let raw: Vec<Raw> = if with_results {
        let (a, b, c, d, e, f) = columns;
        submitted()
            .select((a, b, c, d, e, f, attempts::result))
            .load(conn)?
    } else {
        submitted()
            .select(columns)
            .load::<(
                i64,
                String,
                String,
                Option<i32>,
                Option<bool>,
                Option<NaiveDateTime>,
            )>(conn)?
            .into_iter()
            .map(|(a, b, c, d, e, f)| (a, b, c, d, e, f, None))
            .collect()
    };
    let progress: Vec<(i64, String)> = lesson_progress::table
        .filter(lesson_progress::course_slug.eq(course_slug))
        .select((lesson_progress::user_id, lesson_progress::lesson_slug))
        .load(conn)?;
    let mut lessons_done: HashMap<i64, HashSet<String>> = HashMap::new();
    for (user, lesson) in progress {
        lessons_done.entry(user).or_default().insert(lesson);
    }
    Ok(Data {
        attempts: raw.into_iter().filter_map(parse).collect(),
        lessons_done,
    })
}

/// A share as a whole percentage, rounded half up; 0 when there is nothing to divide.
pub fn percent(part: usize, whole: usize) -> u32 {
    if whole == 0 {
        return 0;
    }
    ((part * 200 + whole) / (whole * 2)) as u32
}

/// A number with one decimal and a decimal comma, as Vietnamese readers write it ("72,5";
/// "72" when whole).
pub fn decimal_vi(value: f64) -> String {
    let text = format!("{:.1}", value);
    let text = text.strip_suffix(".0").unwrap_or(&text).replace('.', ",");
    if text == "-0" { "0".into() } else { text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_and_decimals_read_as_people_write_them() {
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(1, 2), 50);
        assert_eq!(percent(0, 0), 0);
        assert_eq!(decimal_vi(72.5), "72,5");
        assert_eq!(decimal_vi(35.0), "35");
        assert_eq!(decimal_vi(58.333), "58,3");
        assert_eq!(decimal_vi(-0.01), "0");
    }
}
