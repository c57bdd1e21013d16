//! What a helper sees of the residents they registered: how far each has got (lessons done per
//! course, tests, certificates, last activity). An administrator sees every resident a helper
//! registered, with the helper's name. Nothing about anyone else.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::accounts::User;
use crate::courses::{Catalog, CourseProgress};
use crate::db::DbConn;
use crate::db::schema::{attempts, certificates, lesson_progress, units, users};

/// One course a resident has started.
#[derive(Debug, Clone, Serialize)]
pub struct CourseLine {
    pub slug: String,
    pub title: String,
    pub done: usize,
    pub total: usize,
    pub percent: u32,
    /// Lessons marked done while a helper assisted.
    pub assisted: usize,
}

/// One resident on the helper's list.
#[derive(Debug, Clone, Serialize)]
pub struct ResidentSummary {
    pub id: i64,
    pub full_name: String,
    pub birth_year: i32,
    pub helper_name: Option<String>,
    pub courses: Vec<CourseLine>,
    pub certificates: usize,
    /// Tests handed in (entry tests and final tests), and final tests passed.
    pub tests_done: usize,
    pub tests_passed: usize,
    pub last_activity: Option<String>,
    pub registered_at: String,
}

/// A test a resident took.
#[derive(Debug, Clone, Serialize)]
pub struct AttemptLine {
    pub course_title: String,
    pub pretest: bool,
    pub score: Option<i32>,
    pub passed: Option<bool>,
    pub at: String,
    pub assisted: bool,
}

/// A certificate a resident holds (or held).
#[derive(Debug, Clone, Serialize)]
pub struct CertificateLine {
    pub code: String,
    pub course_title: String,
    pub issued_at: String,
    pub revoked: bool,
}

/// One resident's page.
#[derive(Debug, Clone, Serialize)]
pub struct ResidentDetail {
    pub summary: ResidentSummary,
    pub login: String,
    pub residence: Option<String>,
    pub must_change_password: bool,
    pub attempts: Vec<AttemptLine>,
    pub certificates: Vec<CertificateLine>,
}

/// A stored time (UTC) as a helper reads it: Vietnam's time (UTC+7).
pub fn date(t: NaiveDateTime) -> String {
    (t + chrono::Duration::hours(7))
        .format("%d/%m/%Y %H:%M")
        .to_string()
}

/// Lessons done in one course: (every lesson done, those done with a helper).
type LessonsSeen = (HashSet<String>, HashSet<String>);
/// A submitted attempt: course, kind, score, passed, submitted, assisted by.
type TryRow = (
    String,
    String,
    Option<i32>,
    Option<bool>,
    Option<NaiveDateTime>,
    Option<i64>,
);

/// The residents `viewer` registered (an administrator: every helper's), newest first, whose
/// name, login or phone contains `search` (see [`super::search`]).
pub fn list(
    conn: &mut DbConn,
    catalog: &Catalog,
    viewer: &User,
    search: &str,
) -> QueryResult<Vec<ResidentSummary>> {
    let ids = super::search::find(conn, viewer, search)?;
    let residents: Vec<User> = users::table
        .filter(users::id.eq_any(&ids))
        .order(users::id.desc())
        .select(User::as_select())
        .load(conn)?;
    summaries(conn, catalog, &residents)
}

/// Progress of each resident, in the order given.
fn summaries(
    conn: &mut DbConn,
    catalog: &Catalog,
    residents: &[User],
) -> QueryResult<Vec<ResidentSummary>> {
    let ids: Vec<i64> = residents.iter().map(|u| u.id).collect();
    let progress: Vec<(i64, String, String, Option<i64>, NaiveDateTime)> = lesson_progress::table
        .filter(lesson_progress::user_id.eq_any(&ids))
        .select((
            lesson_progress::user_id,
            lesson_progress::course_slug,
            lesson_progress::lesson_slug,
            lesson_progress::assisted_by,
            lesson_progress::completed_at,
        ))
        .load(conn)?;
    let tests: Vec<(i64, NaiveDateTime, Option<NaiveDateTime>, Option<bool>)> = attempts::table
        .filter(attempts::user_id.eq_any(&ids))
        .select((
            attempts::user_id,
            attempts::started_at,
            attempts::submitted_at,
            attempts::passed,
        ))
        .load(conn)?;
    let certs: Vec<i64> = certificates::table
        .filter(certificates::user_id.eq_any(&ids))
        .filter(certificates::revoked_at.is_null())
        .select(certificates::user_id)
        .load(conn)?;
    let helper_ids: Vec<i64> = residents.iter().filter_map(|u| u.registered_by).collect();
    let helpers: HashMap<i64, String> = users::table
        .filter(users::id.eq_any(&helper_ids))
        .select((users::id, users::full_name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();

    let mut done: HashMap<i64, HashMap<String, LessonsSeen>> = HashMap::new();
    let mut last: HashMap<i64, NaiveDateTime> = HashMap::new();
    let mut touch = |id: i64, t: NaiveDateTime| {
        let e = last.entry(id).or_insert(t);
        if t > *e {
            *e = t;
        }
    };
    for (id, course, lesson, assisted_by, at) in progress {
        let entry = done.entry(id).or_default().entry(course).or_default();
        if assisted_by.is_some() {
            entry.1.insert(lesson.clone());
        }
        entry.0.insert(lesson);
        touch(id, at);
    }
    let mut handed_in: HashMap<i64, (usize, usize)> = HashMap::new();
    for (id, started, submitted, passed) in tests {
        touch(id, submitted.unwrap_or(started));
        if submitted.is_some() {
            let e = handed_in.entry(id).or_default();
            e.0 += 1;
            e.1 += usize::from(passed == Some(true));
        }
    }
    Ok(residents
        .iter()
        .map(|u| {
            let mut courses: Vec<CourseLine> = done
                .get(&u.id)
                .map(|by_course| course_lines(catalog, by_course))
                .unwrap_or_default();
            courses.sort_by(|a, b| a.title.cmp(&b.title));
            ResidentSummary {
                id: u.id,
                full_name: u.full_name.clone(),
                birth_year: u.birth_year,
                helper_name: u.registered_by.and_then(|h| helpers.get(&h).cloned()),
                courses,
                certificates: certs.iter().filter(|c| **c == u.id).count(),
                tests_done: handed_in.get(&u.id).map_or(0, |t| t.0),
                tests_passed: handed_in.get(&u.id).map_or(0, |t| t.1),
                last_activity: last.get(&u.id).copied().map(date),
                registered_at: date(u.created_at),
            }
        })
        .collect())
}

fn course_lines(catalog: &Catalog, by_course: &HashMap<String, LessonsSeen>) -> Vec<CourseLine> {
    by_course
        .iter()
        .filter_map(|(slug, (done, assisted))| {
            let course = catalog.course(slug)?;
            let p = CourseProgress::of(course, done);
            Some(CourseLine {
                slug: slug.clone(),
                title: course.title.clone(),
                done: p.done,
                total: p.total,
                percent: p.percent,
                assisted: assisted.len(),
            })
        })
        .collect()
}

/// One resident's progress, tests and certificates.
pub fn detail(
    conn: &mut DbConn,
    catalog: &Catalog,
    resident: &User,
) -> QueryResult<ResidentDetail> {
    let summary = summaries(conn, catalog, std::slice::from_ref(resident))?
        .into_iter()
        .next()
        .ok_or(diesel::result::Error::NotFound)?;
    let title = |slug: &str| {
        catalog
            .course(slug)
            .map(|c| c.title.clone())
            .unwrap_or_else(|| slug.to_owned())
    };
    let tries: Vec<TryRow> = attempts::table
        .filter(attempts::user_id.eq(resident.id))
        .filter(attempts::submitted_at.is_not_null())
        .order(attempts::id.desc())
        .select((
            attempts::course_slug,
            attempts::kind,
            attempts::score,
            attempts::passed,
            attempts::submitted_at,
            attempts::assisted_by,
        ))
        .load(conn)?;
    let certs: Vec<(String, String, NaiveDateTime, Option<NaiveDateTime>)> = certificates::table
        .filter(certificates::user_id.eq(resident.id))
        .order(certificates::id.desc())
        .select((
            certificates::code,
            certificates::course_title,
            certificates::issued_at,
            certificates::revoked_at,
        ))
        .load(conn)?;
    let residence: Option<String> = match resident.residence_unit_id {
        Some(unit) => units::table
            .find(unit)
            .select(units::name)
            .load(conn)
            .map(crate::db::single)?,
        None => None,
    };
    let login = resident
        .phone
        .as_deref()
        .map(crate::accounts::phone::Phone::display_local)
        .or_else(|| resident.email.clone())
        .or_else(|| resident.username.clone())
        .unwrap_or_default();
    Ok(ResidentDetail {
        summary,
        login,
        residence,
        must_change_password: resident.must_change_password,
        attempts: tries
            .into_iter()
            .map(|(slug, kind, score, passed, at, assisted)| AttemptLine {
                course_title: title(&slug),
                pretest: kind == "pretest",
                score,
                passed,
                at: at.map(date).unwrap_or_default(),
                assisted: assisted.is_some(),
            })
            .collect(),
        certificates: certs
            .into_iter()
            .map(|(code, course_title, issued, revoked)| CertificateLine {
                code,
                course_title,
                issued_at: date(issued),
                revoked: revoked.is_some(),
            })
            .collect(),
    })
}
