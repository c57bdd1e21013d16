//! Statistics for teachers: every course's figures on one page, one course's figures (also per
//! version) with a table of its questions, and that table as CSV. Teachers and administrators
//! only; the figures come from `crate::stats`.

use std::sync::Arc;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use tera::Context;

use super::AppState;
use super::auth::TeacherUser;
use super::render::page;
use crate::content::Course;
use crate::error::AppError;
use crate::stats::question::{GROUP_SHARE, MIN_ANSWERS, MIN_DISCRIMINATION};
use crate::stats::view::{self, CourseView, QuestionView};
use crate::stats::{self, decimal_vi};

/// This module's routes (registered by `web::routes`). The CSV route comes first: the page's
/// `{slug}` would otherwise take `slug.csv` too.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(overview)
        .service(questions_csv)
        .service(course_page);
}

/// A course of the loaded catalog, or the 404 page.
fn course_of(state: &AppState, slug: &str) -> Result<Arc<Course>, AppError> {
    state
        .library
        .get()
        .course(slug)
        .cloned()
        .ok_or(AppError::NotFound)
}

/// One course's figures and its question table, read and computed off the request thread.
async fn course_stats(
    state: &AppState,
    course: Arc<Course>,
) -> Result<(CourseView, Vec<QuestionView>), AppError> {
    state
        .read(move |conn| {
            let data = stats::load(conn, &course.slug)?;
            Ok((
                view::course_view(&course, &data),
                view::question_views(&course, &data),
            ))
        })
        .await
}

/// `GET /teach/stats`: every course with its figures, one row each.
#[get("/teach/stats")]
pub async fn overview(
    req: HttpRequest,
    state: web::Data<AppState>,
    _teacher: TeacherUser,
) -> Result<HttpResponse, AppError> {
    let courses: Vec<Arc<Course>> = state.library.get().courses().to_vec();
    let rows: Vec<CourseView> = state
        .read(move |conn| {
            courses
                .iter()
                .map(|c| Ok(view::course_view(c, &stats::load_figures(conn, &c.slug)?)))
                .collect()
        })
        .await?;
    let mut ctx = Context::new();
    ctx.insert("rows", &rows);
    page(&req, "teach/stats.html", ctx)
}

/// `GET /teach/stats/{slug}`: one course's figures and its questions, those to fix first.
#[get("/teach/stats/{slug}")]
pub async fn course_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    _teacher: TeacherUser,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let course = course_of(&state, &slug)?;
    let version = course.version.clone();
    let (figures, questions) = course_stats(&state, course).await?;
    let to_fix = questions.iter().filter(|q| !q.reasons.is_empty()).count();
    let mut ctx = Context::new();
    ctx.insert("course", &figures);
    ctx.insert("current_version", &version);
    ctx.insert("questions", &questions);
    ctx.insert("to_fix", &to_fix);
    ctx.insert("min_answers", &MIN_ANSWERS);
    ctx.insert("group_percent", &((GROUP_SHARE * 100.0).round() as u32));
    ctx.insert("min_discrimination", &decimal_vi(MIN_DISCRIMINATION));
    page(&req, "teach/stats_course.html", ctx)
}

/// `GET /teach/stats/{slug}.csv`: the question table for a spreadsheet.
#[get("/teach/stats/{slug}.csv")]
pub async fn questions_csv(
    state: web::Data<AppState>,
    _teacher: TeacherUser,
    slug: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let course = course_of(&state, &slug)?;
    let file = format!("thong-ke-cau-hoi-{}.csv", course.slug);
    let (_, questions) = course_stats(&state, course).await?;
    let (header, rows) = view::question_table(&questions);
    let bytes = crate::export::csv(&header, &rows)?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file}\""),
        ))
        .body(bytes))
}
