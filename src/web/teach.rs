//! Teachers' tools: the state of every course (problems of the last load), reloading, and a
//! preview of each course as each target group sees it.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::AppState;
use super::auth::TeacherUser;
use super::courses::{course_context, lesson_context};
use super::csrf::CsrfForm;
use super::render::{page, redirect};
use crate::error::AppError;
use crate::groups::Group;

#[derive(Serialize)]
struct CourseRow {
    slug: String,
    title: String,
    version: String,
    lessons: usize,
    questions: usize,
    groups: Vec<&'static str>,
    kept: bool,
}

#[derive(Serialize)]
struct GroupChoice {
    code: &'static str,
    label: &'static str,
}

fn group_choices() -> Vec<GroupChoice> {
    Group::ALL
        .iter()
        .map(|g| GroupChoice {
            code: g.as_str(),
            label: g.label_vi(),
        })
        .collect()
}

#[get("/teach")]
pub async fn dashboard(
    req: HttpRequest,
    state: web::Data<AppState>,
    _teacher: TeacherUser,
) -> Result<HttpResponse, AppError> {
    let catalog = state.library.get();
    let rows: Vec<CourseRow> = catalog
        .courses()
        .iter()
        .map(|c| CourseRow {
            slug: c.slug.clone(),
            title: c.title.clone(),
            version: c.version.clone(),
            lessons: c.lessons.len(),
            questions: c.questions.len(),
            groups: c.groups.iter().map(|g| g.as_str()).collect(),
            kept: catalog.kept.contains(&c.slug),
        })
        .collect();
    let problems: Vec<String> = catalog.problems.iter().map(ToString::to_string).collect();
    let mut ctx = Context::new();
    ctx.insert("rows", &rows);
    ctx.insert("problems", &problems);
    ctx.insert("load_millis", &(catalog.load_millis as u64));
    ctx.insert("dir", &state.library.dir().display().to_string());
    page(&req, "teach/dashboard.html", ctx)
}

#[derive(Deserialize)]
pub struct ReloadForm {}

/// Reads the courses folder again. Problems are shown on the dashboard; broken courses keep
/// their last good version.
#[post("/teach/reload")]
pub async fn reload(
    state: web::Data<AppState>,
    _teacher: TeacherUser,
    _form: CsrfForm<ReloadForm>,
) -> Result<HttpResponse, AppError> {
    let library = state.library.clone();
    let catalog = web::block(move || library.reload()).await?;
    Ok(redirect(
        "/teach",
        Some(if catalog.problems.is_empty() {
            "reloaded"
        } else {
            "reloaded_with_problems"
        }),
    ))
}

#[derive(Deserialize)]
pub struct PreviewQuery {
    #[serde(default)]
    r#as: String,
}

fn preview_group(query: &PreviewQuery) -> Option<Group> {
    Group::parse(&query.r#as).ok()
}

fn preview_ctx(ctx: &mut Context, group: Option<Group>, path: String) {
    ctx.insert("preview", &true);
    ctx.insert("preview_group", &group.map(Group::as_str).unwrap_or(""));
    ctx.insert(
        "preview_group_label",
        &group.map(Group::label_vi).unwrap_or("tất cả các nhóm"),
    );
    ctx.insert("preview_path", &path);
    ctx.insert("group_choices", &group_choices());
}

#[get("/teach/courses/{slug}")]
pub async fn preview_course(
    req: HttpRequest,
    state: web::Data<AppState>,
    _teacher: TeacherUser,
    slug: web::Path<String>,
    query: web::Query<PreviewQuery>,
) -> Result<HttpResponse, AppError> {
    let catalog = state.library.get();
    let course = catalog.course(&slug).ok_or(AppError::NotFound)?;
    let group = preview_group(&query);
    let html = super::courses::html_for(&course.intro, group);
    let mut ctx = course_context(course, None, html);
    preview_ctx(&mut ctx, group, format!("/teach/courses/{}", course.slug));
    page(&req, "courses/course.html", ctx)
}

#[get("/teach/courses/{slug}/lessons/{number}")]
pub async fn preview_lesson(
    req: HttpRequest,
    state: web::Data<AppState>,
    _teacher: TeacherUser,
    path: web::Path<(String, u32)>,
    query: web::Query<PreviewQuery>,
) -> Result<HttpResponse, AppError> {
    let (slug, number) = path.into_inner();
    let catalog = state.library.get();
    let course = catalog.course(&slug).ok_or(AppError::NotFound)?;
    let group = preview_group(&query);
    let mut ctx = lesson_context(course, number, group, None)?;
    preview_ctx(
        &mut ctx,
        group,
        format!("/teach/courses/{slug}/lessons/{number}"),
    );
    page(&req, "courses/lesson.html", ctx)
}
