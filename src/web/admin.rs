//! The administrator's home (`/admin`: counts and the account search) and the older account
//! routes, kept working: `/admin/users` shows the same search, and its role and
//! deactivation forms go through the same code as the person's page (`web::people`).

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Deserialize;

use super::AppState;
use super::auth::AdminUser;
use super::csrf::CsrfForm;
use super::people::people_actions::{change_active, change_role};
use super::people::{FindQuery, find_page};
use super::render::redirect;
use crate::error::AppError;

/// `GET /admin`: how many accounts of each role and how many units, then the search.
#[get("/admin")]
pub async fn index(
    req: HttpRequest,
    state: web::Data<AppState>,
    _admin: AdminUser,
    query: web::Query<FindQuery>,
) -> Result<HttpResponse, AppError> {
    find_page(&req, &state, &query, true).await
}

/// `GET /admin/users`: the older address of the account search.
#[get("/admin/users")]
pub async fn users(
    req: HttpRequest,
    state: web::Data<AppState>,
    _admin: AdminUser,
    query: web::Query<FindQuery>,
) -> Result<HttpResponse, AppError> {
    find_page(&req, &state, &query, false).await
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

#[post("/admin/users/{id}/role")]
pub async fn set_role(
    state: web::Data<AppState>,
    AdminUser(admin): AdminUser,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<RoleForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    change_role(&state, admin.id, id, &form.role).await?;
    Ok(redirect(
        &format!("/admin/people/{id}"),
        Some("role_changed"),
    ))
}

#[derive(Deserialize)]
pub struct ActiveForm {
    #[serde(default)]
    active: String,
}

#[post("/admin/users/{id}/active")]
pub async fn set_active(
    state: web::Data<AppState>,
    AdminUser(admin): AdminUser,
    id: web::Path<i64>,
    CsrfForm(form): CsrfForm<ActiveForm>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let active = form.active == "true";
    change_active(&state, admin.id, id, active).await?;
    let flash = if active { "activated" } else { "deactivated" };
    Ok(redirect(&format!("/admin/people/{id}"), Some(flash)))
}
