//! Starting and submitting attempts. Starting runs in a write transaction that serialises the
//! learner's starts, so many starts at once cannot pass the attempt limit; submitting grades
//! on the server and writes once through the group-commit writer, so a double submit grades
//! once and issues at most one certificate.

use std::sync::Arc;

use chrono::Duration;
use diesel::RunQueryDsl;
use diesel::sql_types::BigInt;

use super::model::{Attempt, Graded, Kind, NewAttempt};
use super::rules::{Eligibility, decide};
use super::{Answers, Drawn, draw, grade_all};
use crate::accounts::User;
use crate::certificates::{CertKeys, Certificate, Issue};
use crate::content::Course;
use crate::db::batch::Batcher;
use crate::db::{DbConn, now, write_tx};
use crate::error::AppError;

/// Seconds after the deadline during which answers in flight are still accepted.
pub const GRACE_SECONDS: i64 = 15;

/// Holds the learner's other starts until this transaction ends (PostgreSQL; SQLite's
/// `BEGIN IMMEDIATE` already serialises writers).
fn lock_learner(conn: &mut DbConn, user_id: i64) -> Result<(), diesel::result::Error> {
    if let DbConn::Pg(pg) = conn {
        diesel::sql_query("SELECT pg_advisory_xact_lock($1)")
            .bind::<BigInt, _>(user_id)
            .execute(pg)?;
    }
    Ok(())
}

/// The learner's state at a course's test.
pub fn state(
    conn: &mut DbConn,
    user_id: i64,
    course: &Course,
    kind: Kind,
    lessons_done: bool,
) -> Result<Eligibility, AppError> {
    let open = Attempt::open(conn, user_id, &course.slug, kind)?;
    let submitted = Attempt::submitted(conn, user_id, &course.slug, kind)?;
    let certified = Certificate::holds_any(conn, user_id, &course.slug)?;
    Ok(decide(
        course,
        kind,
        lessons_done,
        open.as_ref(),
        &submitted,
        certified,
        now(),
    ))
}

pub enum StartOutcome {
    Started(i64),
    Resume(i64),
    Refused(String),
}

/// Starts an attempt, or points to the open one, or says why not.
pub fn start(
    conn: &mut DbConn,
    user_id: i64,
    course: &Course,
    kind: Kind,
    lessons_done: bool,
    assisted_by: Option<i64>,
) -> Result<StartOutcome, AppError> {
    write_tx(conn, |conn| {
        lock_learner(conn, user_id)?;
        let e = state(conn, user_id, course, kind, lessons_done)?;
        if let Some(id) = e.open_attempt {
            return Ok(StartOutcome::Resume(id));
        }
        if let Some(reason) = e.reason {
            return Ok(StartOutcome::Refused(reason));
        }
        let seed: u64 = rand::random();
        let drawn = draw::draw(course, seed, course.test.questions as usize);
        let at = now();
        let new = NewAttempt {
            user_id,
            course_slug: course.slug.clone(),
            course_version: course.version.clone(),
            kind: kind.as_str().into(),
            seed: seed as i64,
            questions: serde_json::to_string(&drawn).map_err(anyhow::Error::from)?,
            answers: "{}".into(),
            started_at: at,
            deadline_at: course
                .test
                .time_limit_minutes
                .map(|m| at + Duration::minutes(i64::from(m))),
            assisted_by,
        };
        match Attempt::insert(conn, &new)? {
            Some(id) => Ok(StartOutcome::Started(id)),
            None => match Attempt::open(conn, user_id, &course.slug, kind)? {
                Some(open) => Ok(StartOutcome::Resume(open.id)),
                None => Err(AppError::Internal(anyhow::anyhow!("attempt vanished"))),
            },
        }
    })
}

pub fn drawn_of(attempt: &Attempt) -> Vec<Drawn> {
    serde_json::from_str(&attempt.questions).unwrap_or_default()
}

pub fn answers_of(attempt: &Attempt) -> Answers {
    serde_json::from_str(&attempt.answers).unwrap_or_default()
}

/// True when the attempt's time (with the grace period) is over.
pub fn expired(attempt: &Attempt) -> bool {
    attempt
        .deadline_at
        .is_some_and(|d| now() > d + Duration::seconds(GRACE_SECONDS))
}

/// What a submission led to.
pub struct Submitted {
    pub score: i32,
    pub passed: bool,
    /// The certificate this submission issued, if any.
    pub certificate: Option<String>,
    /// False when another submission of the same attempt graded it first.
    pub graded_now: bool,
}

/// Everything `submit` needs besides storage.
pub struct Submission {
    pub attempt: Attempt,
    pub course: Arc<Course>,
    pub user: User,
    /// Answers sent with the submission; ignored when the time is over (then the answers
    /// saved in time are graded).
    pub answers: Option<Answers>,
    pub cert_keys: CertKeys,
    pub ward: String,
}

/// Grades and writes a submission through the writer; retries if a certificate code collides.
pub async fn submit(batcher: &Batcher, s: Submission) -> Result<Submitted, AppError> {
    let answers = match (&s.answers, expired(&s.attempt)) {
        (Some(given), false) => given.clone(),
        _ => answers_of(&s.attempt),
    };
    let drawn = drawn_of(&s.attempt);
    let (results, percent) = grade_all(&s.course, &drawn, &answers);
    let score = percent as i32;
    let kind_final = s.attempt.kind == Kind::Final.as_str();
    let passed = kind_final && percent >= s.course.test.pass_mark;
    for _ in 0..3 {
        let at = now();
        let certificate = if passed {
            Some(
                Issue {
                    keys: &s.cert_keys,
                    ward: &s.ward,
                    user_id: s.user.id,
                    holder_name: &s.user.full_name,
                    course_slug: &s.course.slug,
                    course_title: &s.course.title,
                    course_version: &s.attempt.course_version,
                    attempt_id: s.attempt.id,
                    score,
                    at,
                }
                .build()?,
            )
        } else {
            None
        };
        let graded = Graded {
            answers: serde_json::to_string(&answers).map_err(anyhow::Error::from)?,
            score,
            passed,
            result: serde_json::to_string(&results).map_err(anyhow::Error::from)?,
            submitted_at: at,
        };
        let attempt_id = s.attempt.id;
        let outcome = batcher
            .run(move |conn| -> Result<Option<Option<String>>, AppError> {
                if !Attempt::submit(conn, attempt_id, &graded)? {
                    return Ok(None);
                }
                let Some(cert) = certificate else {
                    return Ok(Some(None));
                };
                if Certificate::valid_for(
                    conn,
                    cert.user_id,
                    &cert.course_slug,
                    &cert.course_version,
                )?
                .is_some()
                {
                    return Ok(Some(None));
                }
                match Certificate::insert(conn, &cert) {
                    Ok(_) => Ok(Some(Some(cert.code))),
                    Err(e) if crate::db::is_unique_violation(&e) => Err(AppError::Conflict),
                    Err(e) => Err(e.into()),
                }
            })
            .await;
        match outcome {
            Ok(None) => {
                return Ok(Submitted {
                    score,
                    passed,
                    certificate: None,
                    graded_now: false,
                });
            }
            Ok(Some(certificate)) => {
                return Ok(Submitted {
                    score,
                    passed,
                    certificate,
                    graded_now: true,
                });
            }
            Err(AppError::Conflict) => continue,
            Err(e) => return Err(e),
        }
    }
    Err(AppError::Internal(anyhow::anyhow!(
        "could not issue a certificate code"
    )))
}
