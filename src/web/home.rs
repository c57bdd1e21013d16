//! The home page and the health check.

use actix_web::{HttpRequest, HttpResponse, get};
use tera::Context;

use super::render::page;
use crate::error::AppError;

#[get("/")]
pub async fn home(req: HttpRequest) -> Result<HttpResponse, AppError> {
    page(&req, "home.html", Context::new())
}

/// Liveness: the process is up and serving.
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(r#"{"status":"ok"}"#)
}
