//! A person's own data: what we keep and why, consents, download (JSON), deletion.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::Datelike;
use serde::Deserialize;
use tera::Context;

use super::AppState;
use super::auth::CurrentUser;
use super::csrf::CsrfForm;
use super::render::{page_with_status, redirect, render_plain};
use super::session::{RequestSession, session_removal};
use crate::accounts::{Unit, User, password};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::privacy::consent::{self, Change};
use crate::privacy::{erase, export, page};

/// This module's routes (registered by `web::routes`).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(data_page)
        .service(data_json)
        .service(change_consents)
        .service(delete_form)
        .service(delete);
}

/// While a community helper works with the learner on this device, the learner's own data
/// stays the learner's: no download, no consent change, no deletion.
fn refuse_when_assisted(req: &HttpRequest) -> Result<Option<HttpResponse>, AppError> {
    if RequestSession::of(req).assisted_by.is_none() {
        return Ok(None);
    }
    page_with_status(
        req,
        "privacy/assisted.html",
        Context::new(),
        StatusCode::FORBIDDEN,
    )
    .map(Some)
}

struct DataPage {
    fields: Vec<page::FieldView>,
    current: Vec<page::ConsentView>,
    history: Vec<page::HistoryView>,
}

async fn load_data_page(state: &AppState, user: &User) -> Result<DataPage, AppError> {
    let (id, unit_id, residence_id) = (user.id, user.unit_id, user.residence_unit_id);
    let (unit, residence, current, history) = state
        .read(move |conn| {
            let mut name = |id: Option<i64>| -> Result<Option<String>, AppError> {
                Ok(match id {
                    Some(id) => Unit::find(conn, id)?.map(|u| u.name),
                    None => None,
                })
            };
            let unit = name(unit_id)?;
            let residence = name(residence_id)?;
            let current = consent::current(conn, id)?;
            let history = consent::history(conn, id)?;
            Ok((unit, residence, current, history))
        })
        .await?;
    Ok(DataPage {
        fields: page::fields(user, unit, residence),
        current: page::current(&current),
        history: page::history(&history),
    })
}

#[derive(Deserialize)]
pub struct DataQuery {
    saved: Option<String>,
}

async fn render_data_page(
    req: &HttpRequest,
    state: &AppState,
    user: &User,
    saved: bool,
    error: Option<&str>,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let data = load_data_page(state, user).await?;
    let mut ctx = Context::new();
    ctx.insert("fields", &data.fields);
    ctx.insert("consents", &data.current);
    ctx.insert("history", &data.history);
    ctx.insert(
        "has_optional",
        &consent::PURPOSES.iter().any(|p| !p.required),
    );
    ctx.insert("version", consent::VERSION);
    ctx.insert("saved", &saved);
    ctx.insert("consent_error", &error);
    page_with_status(req, "privacy/data.html", ctx, status)
}

/// `GET /account/data`: what we keep about the person and why, their consents, the way to
/// download or delete.
#[get("/account/data")]
pub async fn data_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(user): CurrentUser,
    query: web::Query<DataQuery>,
) -> Result<HttpResponse, AppError> {
    let saved = query.saved.is_some();
    render_data_page(&req, &state, &user, saved, None, StatusCode::OK).await
}

/// `GET /account/data.json`: everything about the person, as a file.
#[get("/account/data.json")]
pub async fn data_json(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<HttpResponse, AppError> {
    if let Some(refused) = refuse_when_assisted(&req)? {
        return Ok(refused);
    }
    let id = user.id;
    let data = state
        .read(move |conn| export::own_data(conn, id)?.ok_or(AppError::NotFound))
        .await?;
    let body = serde_json::to_vec_pretty(&data).map_err(anyhow::Error::from)?;
    Ok(HttpResponse::Ok()
        .content_type("application/json; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"du-lieu-cua-toi.json\"",
        ))
        .body(body))
}

/// `POST /account/consents`: grants or withdraws the optional purposes (a new row each; the
/// history is kept). Required purposes are not on this form: withdrawing them means deleting
/// the account.
#[post("/account/consents")]
pub async fn change_consents(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(user): CurrentUser,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<HttpResponse, AppError> {
    if let Some(refused) = refuse_when_assisted(&req)? {
        return Ok(refused);
    }
    let wanted: Vec<(&'static str, bool)> = consent::PURPOSES
        .iter()
        .filter(|p| !p.required)
        .filter_map(|p| {
            let field = consent::field_name(p.code)?;
            Some((p.code, form.contains_key(field)))
        })
        .collect();
    let child = consent::needs_guardian(user.birth_year, chrono::Utc::now().year());
    let id = user.id;
    let pool = state.pool.clone();
    let outcome = web::block(move || -> Result<Change, AppError> {
        let mut conn = pool.get()?;
        Ok(crate::db::write_tx(&mut conn, |conn| {
            consent::change_optional(conn, id, &wanted, child)
        })?)
    })
    .await??;
    match outcome {
        Change::Saved(_) => Ok(redirect("/account/data?saved=1", None)),
        Change::NeedsGuardian => {
            let message = "Người học dưới 16 tuổi cần cha, mẹ hoặc người giám hộ đồng ý cho \
                           việc mới. Hãy cùng cha mẹ nhờ người hỗ trợ của phường ghi giúp.";
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            render_data_page(&req, &state, &user, false, Some(message), status).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    confirm: Option<String>,
}

fn delete_page(
    req: &HttpRequest,
    errors: &FieldErrors,
    confirm: bool,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("errors", errors);
    ctx.insert("confirm", &confirm);
    page_with_status(req, "privacy/delete.html", ctx, status)
}

/// `GET /account/delete`: what deleting erases and what stays, and the form.
#[get("/account/delete")]
pub async fn delete_form(
    req: HttpRequest,
    CurrentUser(_user): CurrentUser,
) -> Result<HttpResponse, AppError> {
    if let Some(refused) = refuse_when_assisted(&req)? {
        return Ok(refused);
    }
    delete_page(&req, &FieldErrors::new(), false, StatusCode::OK)
}

/// `POST /account/delete`: with the current password and the confirmation box, erases the
/// person's data and logs them out.
#[post("/account/delete")]
pub async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(user): CurrentUser,
    CsrfForm(form): CsrfForm<DeleteForm>,
) -> Result<HttpResponse, AppError> {
    if let Some(refused) = refuse_when_assisted(&req)? {
        return Ok(refused);
    }
    state
        .limits
        .check(&req, Some(&format!("user:{}", user.id)))?;
    let mut errors = FieldErrors::new();
    let (typed, stored) = (form.password.clone(), user.password_hash.clone());
    let right = web::block(move || password::verify(&typed, &stored)).await?;
    if !right {
        errors.add(
            "password",
            "Mật khẩu chưa đúng. Hãy nhập mật khẩu bạn dùng để đăng nhập.",
        );
    }
    if form.confirm.is_none() {
        errors.add(
            "confirm",
            "Hãy đánh dấu ô này để xác nhận bạn muốn xoá tài khoản.",
        );
    }
    if !errors.is_empty() {
        return delete_page(
            &req,
            &errors,
            form.confirm.is_some(),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let pool = state.pool.clone();
    let id = user.id;
    web::block(move || -> Result<(), AppError> { Ok(erase::erase(&mut *pool.get()?, id, id)?) })
        .await??;
    tracing::info!(user = id, "account erased at the person's request");
    // Rendered without the person: they are logged out from now on.
    let mut ctx = Context::new();
    ctx.insert("ward_name", &state.settings.ward_name);
    let body = render_plain("privacy/deleted.html", &ctx)?;
    let mut resp = HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body);
    resp.add_cookie(&session_removal())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cookie: {e}")))?;
    Ok(resp)
}
