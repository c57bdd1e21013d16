//! Test pages: the test's landing page, starting, answering (saved on the server), submitting
//! and the graded review. Correct answers reach the browser only after submission.

use std::sync::Arc;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Serialize;
use tera::Context;

use super::AppState;
use super::auth::CurrentUser;
use super::csrf::CsrfForm;
use super::render::{page, redirect};
use crate::accounts::User;
use crate::assessment::service::{self, StartOutcome, Submission};
use crate::assessment::{Attempt, Kind, QuestionResult, answers_from_form, view};
use crate::content::Course;
use crate::courses::{CourseProgress, progress};
use crate::error::AppError;

fn kind_of(path_kind: &str) -> Result<Kind, AppError> {
    match path_kind {
        "test" => Ok(Kind::Final),
        "pretest" => Ok(Kind::Pretest),
        _ => Err(AppError::NotFound),
    }
}

fn course(state: &AppState, slug: &str) -> Result<Arc<Course>, AppError> {
    state
        .library
        .get()
        .course(slug)
        .cloned()
        .ok_or(AppError::NotFound)
}

fn lessons_done(
    conn: &mut crate::db::DbConn,
    user: &User,
    course: &Course,
) -> Result<bool, AppError> {
    let done = progress::done_in_course(conn, user.id, &course.slug)?;
    Ok(CourseProgress::of(course, &done).complete())
}

#[get("/courses/{slug}/{kind}")]
pub async fn landing(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(user): CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, kind) = path.into_inner();
    let kind = kind_of(&kind)?;
    let course = course(&state, &slug)?;
    let (pool, c) = (state.pool.clone(), course.clone());
    let eligibility = web::block(move || -> Result<_, AppError> {
        let mut conn = pool.get()?;
        let done = lessons_done(&mut conn, &user, &c)?;
        service::state(&mut conn, user.id, &c, kind, done)
    })
    .await??;
    let mut ctx = Context::new();
    ctx.insert("course", &super::courses::CourseCard::new(&course, None));
    ctx.insert("e", &eligibility);
    ctx.insert("pretest", &(kind == Kind::Pretest));
    ctx.insert(
        "kind",
        if kind == Kind::Pretest {
            "pretest"
        } else {
            "test"
        },
    );
    ctx.insert(
        "questions",
        &course.test.questions.min(course.questions.len() as u32),
    );
    ctx.insert("pass_mark", &course.test.pass_mark);
    ctx.insert("time_limit", &course.test.time_limit_minutes);
    ctx.insert("cooldown", &course.test.cooldown_minutes);
    page(&req, "assessment/landing.html", ctx)
}

#[derive(serde::Deserialize)]
pub struct StartForm {}

#[post("/courses/{slug}/{kind}/start")]
pub async fn start(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(user): CurrentUser,
    path: web::Path<(String, String)>,
    _form: CsrfForm<StartForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, kind_text) = path.into_inner();
    let kind = kind_of(&kind_text)?;
    let course = course(&state, &slug)?;
    let pool = state.pool.clone();
    let assisted_by = super::session::RequestSession::of(&req).assisted_by;
    let outcome = web::block(move || -> Result<StartOutcome, AppError> {
        let mut conn = pool.get()?;
        let done = lessons_done(&mut conn, &user, &course)?;
        let outcome = service::start(&mut conn, user.id, &course, kind, done, assisted_by)?;
        // Going on with an attempt the learner began alone, now with a helper.
        if let (StartOutcome::Resume(id), Some(helper)) = (&outcome, assisted_by) {
            Attempt::mark_assisted(&mut conn, *id, helper)?;
        }
        Ok(outcome)
    })
    .await??;
    match outcome {
        StartOutcome::Started(id) | StartOutcome::Resume(id) => {
            Ok(redirect(&format!("/attempts/{id}"), None))
        }
        StartOutcome::Refused(_) => Ok(redirect(&format!("/courses/{slug}/{kind_text}"), None)),
    }
}

/// The learner's own attempt (others get 404, so attempt ids reveal nothing).
async fn own_attempt(state: &AppState, user: &User, id: i64) -> Result<Attempt, AppError> {
    let pool = state.pool.clone();
    let attempt = web::block(move || -> Result<Option<Attempt>, AppError> {
        Ok(Attempt::find(&mut *pool.get()?, id)?)
    })
    .await??
    .ok_or(AppError::NotFound)?;
    if attempt.user_id == user.id {
        Ok(attempt)
    } else {
        Err(AppError::NotFound)
    }
}

async fn grade(
    state: &AppState,
    user: User,
    attempt: Attempt,
    answers: Option<crate::assessment::Answers>,
) -> Result<service::Submitted, AppError> {
    let course = course(state, &attempt.course_slug)?;
    let submitted = service::submit(
        &state.batcher,
        Submission {
            attempt,
            course: course.clone(),
            user: user.clone(),
            answers,
            cert_keys: state.cert_keys.clone(),
            ward: state.settings.ward_name.clone(),
        },
    )
    .await?;
    if let (Some(code), Some(email)) = (&submitted.certificate, &user.email) {
        super::certificates::mail_issued(state, email, &user.full_name, &course.title, code).await;
    }
    Ok(submitted)
}

#[derive(Serialize)]
struct AttemptInfo {
    id: i64,
    course_slug: String,
    kind: String,
    deadline: Option<String>,
    seconds_left: Option<i64>,
}

fn info(attempt: &Attempt) -> AttemptInfo {
    let now = crate::db::now();
    AttemptInfo {
        id: attempt.id,
        course_slug: attempt.course_slug.clone(),
        kind: attempt.kind.clone(),
        deadline: attempt.deadline_at.map(|d| d.format("%H:%M").to_string()),
        seconds_left: attempt.deadline_at.map(|d| (d - now).num_seconds().max(0)),
    }
}

#[get("/attempts/{id}")]
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(user): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let mut attempt = own_attempt(&state, &user, id.into_inner()).await?;
    if attempt.is_open() && service::expired(&attempt) {
        grade(&state, user.clone(), attempt.clone(), None).await?;
        attempt = own_attempt(&state, &user, attempt.id).await?;
    }
    let course = course(&state, &attempt.course_slug)?;
    let drawn = service::drawn_of(&attempt);
    let mut ctx = Context::new();
    ctx.insert("course", &super::courses::CourseCard::new(&course, None));
    ctx.insert("attempt", &info(&attempt));
    ctx.insert("pretest", &(attempt.kind == Kind::Pretest.as_str()));
    if attempt.is_open() {
        ctx.insert(
            "questions",
            &view::questions(&course, &drawn, &service::answers_of(&attempt)),
        );
        return page(&req, "assessment/attempt.html", ctx);
    }
    let results: Vec<QuestionResult> = attempt
        .result
        .as_deref()
        .and_then(|r| serde_json::from_str(r).ok())
        .unwrap_or_default();
    let certificate = if attempt.passed == Some(true) {
        let (pool, uid, slug, version) = (
            state.pool.clone(),
            user.id,
            attempt.course_slug.clone(),
            attempt.course_version.clone(),
        );
        web::block(move || -> Result<_, AppError> {
            Ok(crate::certificates::Certificate::valid_for(
                &mut *pool.get()?,
                uid,
                &slug,
                &version,
            )?)
        })
        .await??
        .map(|c| c.code)
    } else {
        None
    };
    ctx.insert("review", &view::review(&course, &drawn, &results));
    ctx.insert("score", &attempt.score.unwrap_or(0));
    ctx.insert("passed", &attempt.passed.unwrap_or(false));
    ctx.insert("pass_mark", &course.test.pass_mark);
    ctx.insert("certificate", &certificate);
    ctx.insert(
        "correct_count",
        &results
            .iter()
            .filter(|r| r.points == crate::assessment::grade::FULL)
            .count(),
    );
    ctx.insert("total", &results.len());
    page(&req, "assessment/result.html", ctx)
}

/// `GET /attempts/{id}/json`: the open attempt's questions and saved answers (no correct
/// answers), or the graded review once submitted.
#[get("/attempts/{id}/json")]
pub async fn attempt_json(
    state: web::Data<AppState>,
    CurrentUser(user): CurrentUser,
    id: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let attempt = own_attempt(&state, &user, id.into_inner()).await?;
    let course = course(&state, &attempt.course_slug)?;
    let drawn = service::drawn_of(&attempt);
    let body = if attempt.is_open() {
        serde_json::json!({
            "attempt": info(&attempt),
            "open": true,
            "questions": view::questions(&course, &drawn, &service::answers_of(&attempt)),
        })
    } else {
        let results: Vec<QuestionResult> = attempt
            .result
            .as_deref()
            .and_then(|r| serde_json::from_str(r).ok())
            .unwrap_or_default();
        serde_json::json!({
            "attempt": info(&attempt),
            "open": false,
            "score": attempt.score,
            "passed": attempt.passed,
            "review": view::review(&course, &drawn, &results),
        })
    };
    Ok(HttpResponse::Ok().json(body))
}

#[post("/attempts/{id}")]
pub async fn answer(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(user): CurrentUser,
    id: web::Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let attempt = own_attempt(&state, &user, id.into_inner()).await?;
    let location = format!("/attempts/{}", attempt.id);
    if !attempt.is_open() {
        return Ok(redirect(&location, None));
    }
    // Answered or submitted with a helper (assisted mode): the attempt counts as assisted.
    let assisted_by = super::session::RequestSession::of(&req).assisted_by;
    if let (Some(helper), None) = (assisted_by, attempt.assisted_by) {
        let (pool, attempt_id) = (state.pool.clone(), attempt.id);
        web::block(move || -> Result<(), AppError> {
            Ok(Attempt::mark_assisted(
                &mut *pool.get()?,
                attempt_id,
                helper,
            )?)
        })
        .await??;
    }
    let course = course(&state, &attempt.course_slug)?;
    let answers = answers_from_form(&course, &service::drawn_of(&attempt), &pairs);
    let submit = pairs.iter().any(|(k, v)| k == "action" && v == "submit");
    if submit {
        grade(&state, user, attempt, Some(answers)).await?;
        return Ok(redirect(&location, None));
    }
    let (pool, attempt_id) = (state.pool.clone(), attempt.id);
    let saved_json = serde_json::to_string(&answers).map_err(anyhow::Error::from)?;
    let saved = web::block(move || -> Result<bool, AppError> {
        Ok(Attempt::save_answers(
            &mut *pool.get()?,
            attempt_id,
            &saved_json,
        )?)
    })
    .await??;
    Ok(redirect(
        &location,
        Some(if saved { "answers_saved" } else { "time_over" }),
    ))
}
