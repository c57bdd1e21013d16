//! Learning pages: the catalog, a course, a lesson (with "mark as done"), search, and the
//! pictures of courses. Pages come from the catalog rendered at start-up; only progress is
//! read from storage.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::AppState;
use super::auth::CurrentUser;
use super::csrf::CsrfForm;
use super::render::{cached_page, page, redirect};
use super::session::RequestSession;
use crate::accounts::User;
use crate::content::Course;
use crate::courses::{CourseProgress, competences, progress};
use crate::error::AppError;
use crate::groups::Group;

/// A course as a card in the catalog.
#[derive(Serialize)]
pub struct CourseCard {
    slug: String,
    title: String,
    summary: String,
    minutes: u32,
    lessons: usize,
    groups: Vec<&'static str>,
    competences: Vec<crate::courses::Competence>,
    progress: Option<CourseProgress>,
}

impl CourseCard {
    pub fn new(course: &Course, progress: Option<CourseProgress>) -> CourseCard {
        CourseCard {
            slug: course.slug.clone(),
            title: course.title.clone(),
            summary: course.summary.clone(),
            minutes: course.minutes,
            lessons: course.lessons.len(),
            groups: course.groups.iter().map(|g| g.label_vi()).collect(),
            competences: competences(course),
            progress,
        }
    }
}

async fn all_progress(
    state: &AppState,
    user: Option<&User>,
) -> Result<HashMap<String, HashSet<String>>, AppError> {
    let Some(user) = user else {
        return Ok(HashMap::new());
    };
    let id = user.id;
    state
        .read(move |conn| Ok(progress::done_by_course(conn, id)?))
        .await
}

async fn course_progress(
    state: &AppState,
    user: Option<&User>,
    course: &Course,
) -> Result<Option<HashSet<String>>, AppError> {
    let Some(user) = user else { return Ok(None) };
    let (id, slug) = (user.id, course.slug.clone());
    let done = state
        .read(move |conn| Ok(progress::done_in_course(conn, id, &slug)?))
        .await?;
    Ok(Some(done))
}

fn group_of(user: Option<&User>) -> Option<Group> {
    user.and_then(User::group)
}

#[get("/courses")]
pub async fn catalog_page(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let user = RequestSession::of(&req).user;
    let catalog = state.library.get();
    let done = all_progress(&state, user.as_ref()).await?;
    let card = |c: &Arc<Course>| {
        let progress = user
            .as_ref()
            .map(|_| CourseProgress::of(c, done.get(&c.slug).unwrap_or(&HashSet::new())));
        CourseCard::new(c, progress)
    };
    let group = group_of(user.as_ref());
    let (mine, others) = catalog.ordered_for(group);
    let mut ctx = Context::new();
    ctx.insert("mine", &mine.iter().map(card).collect::<Vec<_>>());
    ctx.insert("others", &others.iter().map(card).collect::<Vec<_>>());
    ctx.insert("group_label", &group.map(Group::label_vi));
    page(&req, "courses/catalog.html", ctx)
}

#[derive(Serialize)]
struct LessonLink {
    number: u32,
    title: String,
    minutes: u32,
    done: bool,
}

/// What the course page and its preview show.
pub fn course_context(course: &Course, done: Option<&HashSet<String>>, html: String) -> Context {
    let empty = HashSet::new();
    let progress = CourseProgress::of(course, done.unwrap_or(&empty));
    let lessons: Vec<LessonLink> = course
        .lessons
        .iter()
        .map(|l| LessonLink {
            number: l.number,
            title: l.title.clone(),
            minutes: l.minutes,
            done: done.is_some_and(|d| d.contains(&l.slug)),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("course", &CourseCard::new(course, None));
    ctx.insert("intro_html", &html);
    ctx.insert("lessons", &lessons);
    ctx.insert("progress", &progress);
    ctx.insert("logged_in", &done.is_some());
    ctx.insert("test_unlocked", &progress.complete());
    ctx.insert("test", &TestSummary::of(course));
    ctx
}

#[derive(Serialize)]
struct TestSummary {
    questions: u32,
    pass_mark: u32,
    time_limit_minutes: Option<u32>,
    max_attempts: u32,
    pretest: bool,
}

impl TestSummary {
    fn of(course: &Course) -> TestSummary {
        TestSummary {
            questions: course.test.questions,
            pass_mark: course.test.pass_mark,
            time_limit_minutes: course.test.time_limit_minutes,
            max_attempts: course.test.max_attempts,
            pretest: course.test.pretest,
        }
    }
}

/// The HTML a person sees: their group's passages; a visitor sees all, labelled.
pub fn html_for(rendered: &crate::content::Rendered, group: Option<Group>) -> String {
    match group {
        Some(g) => rendered.html_for(Some(g)),
        None => rendered.html_all_marked(),
    }
}

#[get("/courses/{slug}")]
pub async fn course_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let catalog = state.library.get();
    let course = catalog.course(&slug).ok_or(AppError::NotFound)?;
    let user = RequestSession::of(&req).user;
    let done = course_progress(&state, user.as_ref(), course).await?;
    let html = html_for(&course.intro, group_of(user.as_ref()));
    page(
        &req,
        "courses/course.html",
        course_context(course, done.as_ref(), html),
    )
}

#[derive(Serialize)]
struct LessonView {
    number: u32,
    title: String,
    minutes: u32,
    total: usize,
    done: bool,
    prev: Option<u32>,
    next: Option<u32>,
}

/// What the lesson page and its preview show.
pub fn lesson_context(
    course: &Course,
    number: u32,
    group: Option<Group>,
    done: Option<&HashSet<String>>,
) -> Result<Context, AppError> {
    let index = (number as usize).checked_sub(1).ok_or(AppError::NotFound)?;
    let lesson = course.lessons.get(index).ok_or(AppError::NotFound)?;
    let view = LessonView {
        number,
        title: lesson.title.clone(),
        minutes: lesson.minutes,
        total: course.lessons.len(),
        done: done.is_some_and(|d| d.contains(&lesson.slug)),
        prev: (number > 1).then(|| number - 1),
        next: (index + 1 < course.lessons.len()).then(|| number + 1),
    };
    let mut ctx = Context::new();
    ctx.insert("course", &CourseCard::new(course, None));
    ctx.insert("lesson", &view);
    ctx.insert("lesson_html", &html_for(&lesson.body, group));
    ctx.insert("logged_in", &done.is_some());
    ctx.insert(
        "all_done",
        &done.is_some_and(|d| CourseProgress::of(course, d).complete()),
    );
    Ok(ctx)
}

#[get("/courses/{slug}/lessons/{number}")]
pub async fn lesson_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, u32)>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let catalog = state.library.get();
    let course = catalog.course(&slug).ok_or(AppError::NotFound)?;
    let user = RequestSession::of(&req).user;
    let done = course_progress(&state, user.as_ref(), course).await?;
    let group = group_of(user.as_ref());
    let lesson_done = done.as_ref().and_then(|d| {
        let lesson = course.lessons.get((number as usize).checked_sub(1)?)?;
        Some(d.contains(&lesson.slug))
    });
    let all_done = done
        .as_ref()
        .is_some_and(|d| CourseProgress::of(course, d).complete());
    // Everything the page shows: the lesson (by version), the group's passages, and whether
    // the learner is logged in, has done it, and has done the whole course.
    let key = format!(
        "{slug}@{}#{number}|{}|{lesson_done:?}|{all_done}",
        course.version,
        group.map(Group::as_str).unwrap_or("-"),
    );
    cached_page(&req, &state.pages, &key, "courses/lesson.html", || {
        lesson_context(course, number, group, done.as_ref())
    })
}

#[derive(Deserialize)]
pub struct DoneForm {}

#[post("/courses/{slug}/lessons/{number}/done")]
pub async fn mark_done(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(user): CurrentUser,
    path: web::Path<(String, u32)>,
    _form: CsrfForm<DoneForm>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let catalog = state.library.get();
    let course = catalog.course(&slug).ok_or(AppError::NotFound)?.clone();
    let index = (number as usize).checked_sub(1).ok_or(AppError::NotFound)?;
    let lesson_slug = course
        .lessons
        .get(index)
        .ok_or(AppError::NotFound)?
        .slug
        .clone();
    let pool = state.pool.clone();
    let (version, course_slug) = (course.version.clone(), course.slug.clone());
    let assisted_by = super::session::RequestSession::of(&req).assisted_by;
    web::block(move || -> Result<(), AppError> {
        Ok(progress::mark_done(
            &mut *pool.get()?,
            user.id,
            &course_slug,
            &lesson_slug,
            &version,
            assisted_by,
        )?)
    })
    .await??;
    let next = if index + 1 < course.lessons.len() {
        format!("/courses/{slug}/lessons/{}", number + 1)
    } else {
        format!("/courses/{slug}")
    };
    Ok(redirect(&next, None))
}

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

#[get("/search")]
pub async fn search_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, AppError> {
    let catalog = state.library.get();
    let q: String = query.q.chars().take(200).collect();
    let hits = catalog.search.search(&q, 30);
    let mut ctx = Context::new();
    ctx.insert("q", &q);
    ctx.insert("hits", &hits);
    page(&req, "courses/search.html", ctx)
}

/// `GET /media/{slug}/{path}`: a course's picture, from memory. Served with a CSP that
/// forbids scripts, since SVG can carry them.
#[get("/media/{slug}/{path:.*}")]
pub async fn media_file(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, AppError> {
    let (slug, file) = path.into_inner();
    let catalog = state.library.get();
    let media = catalog.media(&slug, &file).ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type(media.mime)
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .insert_header((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        ))
        .body(media.bytes.as_ref().clone()))
}
