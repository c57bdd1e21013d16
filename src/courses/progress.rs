//! Lesson progress in storage: which lessons a learner has marked as done.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use crate::db::schema::lesson_progress;
use crate::db::{DbConn, is_unique_violation, now};

/// Marks a lesson done (once; marking again changes nothing). `assisted_by` names the helper
/// who did it with the learner, if any.
pub fn mark_done(
    conn: &mut DbConn,
    user_id: i64,
    course_slug: &str,
    lesson_slug: &str,
    course_version: &str,
    assisted_by: Option<i64>,
) -> QueryResult<()> {
    let result = diesel::insert_into(lesson_progress::table)
        .values((
            lesson_progress::user_id.eq(user_id),
            lesson_progress::course_slug.eq(course_slug),
            lesson_progress::lesson_slug.eq(lesson_slug),
            lesson_progress::course_version.eq(course_version),
            lesson_progress::assisted_by.eq(assisted_by),
            lesson_progress::completed_at.eq(now()),
        ))
        .execute(conn);
    match result {
        Ok(_) => Ok(()),
        Err(e) if is_unique_violation(&e) => Ok(()),
        Err(e) => Err(e),
    }
}

/// The lesson slugs a learner has done in one course.
pub fn done_in_course(
    conn: &mut DbConn,
    user_id: i64,
    course_slug: &str,
) -> QueryResult<HashSet<String>> {
    let slugs: Vec<String> = lesson_progress::table
        .filter(lesson_progress::user_id.eq(user_id))
        .filter(lesson_progress::course_slug.eq(course_slug))
        .select(lesson_progress::lesson_slug)
        .load(conn)?;
    Ok(slugs.into_iter().collect())
}

/// For every course a learner has started: the lesson slugs done.
pub fn done_by_course(
    conn: &mut DbConn,
    user_id: i64,
) -> QueryResult<HashMap<String, HashSet<String>>> {
    let rows: Vec<(String, String)> = lesson_progress::table
        .filter(lesson_progress::user_id.eq(user_id))
        .select((lesson_progress::course_slug, lesson_progress::lesson_slug))
        .load(conn)?;
    let mut map: HashMap<String, HashSet<String>> = HashMap::new();
    for (course, lesson) in rows {
        map.entry(course).or_default().insert(lesson);
    }
    Ok(map)
}
