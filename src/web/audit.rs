//! The audit log of administrative actions, for administrators only: read on a page, or
//! exported as CSV.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get};
use serde::Serialize;
use tera::Context;

use super::AppState;
use super::auth::AdminUser;
use super::render::page;
use crate::audit::{self, Entry};
use crate::error::AppError;

const LIMIT: i64 = 500;

#[derive(Serialize)]
struct Row {
    at: String,
    actor: String,
    action: String,
    subject: String,
    before: String,
    after: String,
}

fn rows(entries: &[Entry]) -> Vec<Row> {
    entries
        .iter()
        .map(|e| Row {
            at: e.at.format("%d/%m/%Y %H:%M:%S").to_string(),
            actor: e.actor_id.map(|a| format!("user:{a}")).unwrap_or_default(),
            action: e.action.clone(),
            subject: e.subject.clone(),
            before: e.before_value.clone().unwrap_or_default(),
            after: e.after_value.clone().unwrap_or_default(),
        })
        .collect()
}

async fn recent(state: &AppState) -> Result<Vec<Entry>, AppError> {
    state
        .read(|conn| Ok(audit::recent(conn, None, LIMIT)?))
        .await
}

#[get("/admin/audit")]
pub async fn list(
    req: HttpRequest,
    state: actix_web::web::Data<AppState>,
    _admin: AdminUser,
) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("rows", &rows(&recent(&state).await?));
    page(&req, "admin/audit.html", ctx)
}

#[get("/admin/audit.csv")]
pub async fn export(
    state: actix_web::web::Data<AppState>,
    _admin: AdminUser,
) -> Result<HttpResponse, AppError> {
    let table: Vec<Vec<String>> = rows(&recent(&state).await?)
        .into_iter()
        .map(|r| vec![r.at, r.actor, r.action, r.subject, r.before, r.after])
        .collect();
    let bytes = crate::export::csv(
        &[
            "thời điểm",
            "người làm",
            "việc",
            "đối tượng",
            "trước",
            "sau",
        ],
        &table,
    )?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"nhat-ky-quan-tri.csv\"",
        ))
        .body(bytes))
}
