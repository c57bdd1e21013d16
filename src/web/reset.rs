//! Forgotten passwords: ask for a link by email, then set a new password from the link.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::AppState;
use super::csrf::CsrfForm;
use super::render::{page_with_status, redirect};
use crate::accounts::{Contact, User, password, reset};
use crate::db::write_tx;
use crate::error::AppError;
use crate::forms::FieldErrors;

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct ForgotForm {
    #[serde(default)]
    contact: String,
}

fn forgot_page(
    req: &HttpRequest,
    form: &ForgotForm,
    errors: &FieldErrors,
    sent: bool,
) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("form", form);
    ctx.insert("errors", errors);
    ctx.insert("sent", &sent);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page_with_status(req, "accounts/forgot.html", ctx, status)
}

#[get("/password/forgot")]
pub async fn forgot_form(req: HttpRequest) -> Result<HttpResponse, AppError> {
    forgot_page(&req, &ForgotForm::default(), &FieldErrors::new(), false)
}

/// Sends a one-time link when the email has an active account. The answer is the same either
/// way, so the page does not tell who has an account.
#[post("/password/forgot")]
pub async fn forgot(
    req: HttpRequest,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<ForgotForm>,
) -> Result<HttpResponse, AppError> {
    let mut errors = FieldErrors::new();
    let email = match Contact::parse(&form.contact) {
        Ok(Contact::Email(e)) => e,
        Ok(Contact::Phone(_) | Contact::Username(_)) => {
            errors.add(
                "contact",
                "Tài khoản đăng ký bằng số điện thoại không nhận được thư. Hãy nhờ Tổ công nghệ \
                 số cộng đồng hoặc quản trị viên của phường đặt lại mật khẩu giúp bạn.",
            );
            return forgot_page(&req, &form, &errors, false);
        }
        Err(msg) => {
            errors.add("contact", msg);
            return forgot_page(&req, &form, &errors, false);
        }
    };
    state.limits.check(&req, Some(&format!("reset:{email}")))?;
    let pool = state.pool.clone();
    let lookup = email.clone();
    let token = web::block(move || -> Result<Option<String>, AppError> {
        let mut conn = pool.get()?;
        match User::find_by_contact(&mut conn, &Contact::Email(lookup))? {
            Some(user) if user.active => Ok(Some(reset::create(&mut conn, user.id)?)),
            _ => Ok(None),
        }
    })
    .await??;
    if let Some(token) = token {
        let link = format!(
            "{}/password/reset/{token}",
            state.settings.public_url.trim_end_matches('/')
        );
        let mut ctx = Context::new();
        ctx.insert("link", &link);
        ctx.insert("minutes", &reset::LIFETIME_MINUTES);
        let body = super::render::render_plain("emails/password_reset.txt", &ctx)?;
        if let Err(e) = state
            .mailer
            .send(&email, "Đặt lại mật khẩu Học Vụ Số", &body)
            .await
        {
            tracing::error!(error = ?e, "could not send a password reset mail");
        }
    }
    forgot_page(&req, &ForgotForm::default(), &FieldErrors::new(), true)
}

#[derive(Debug, Default, Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

fn reset_page(
    req: &HttpRequest,
    token: &str,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("token", token);
    ctx.insert("errors", errors);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page_with_status(req, "accounts/reset.html", ctx, status)
}

fn expired_page(req: &HttpRequest) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("expired", &true);
    ctx.insert("errors", &FieldErrors::new());
    page_with_status(req, "accounts/reset.html", ctx, StatusCode::GONE)
}

#[get("/password/reset/{token}")]
pub async fn reset_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let token = token.into_inner();
    let pool = state.pool.clone();
    let probe = token.clone();
    let valid = web::block(move || -> Result<bool, AppError> {
        Ok(reset::peek(&mut *pool.get()?, &probe)?.is_some())
    })
    .await??;
    if valid {
        reset_page(&req, &token, &FieldErrors::new())
    } else {
        expired_page(&req)
    }
}

#[post("/password/reset")]
pub async fn reset_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<ResetForm>,
) -> Result<HttpResponse, AppError> {
    let mut errors = FieldErrors::new();
    if let Err(msg) = password::check_policy(&form.password, &[]) {
        errors.add("password", msg);
    } else if form.password != form.password_confirm {
        errors.add(
            "password_confirm",
            "Hai mật khẩu chưa giống nhau. Hãy nhập lại.",
        );
    }
    if !errors.is_empty() {
        return reset_page(&req, &form.token, &errors);
    }
    let pool = state.pool.clone();
    let (token, new) = (form.token.clone(), form.password.clone());
    let done = web::block(move || -> Result<bool, AppError> {
        let hash = password::hash(&new)?;
        let mut conn = pool.get()?;
        write_tx(&mut conn, |conn| -> Result<bool, AppError> {
            match reset::consume(conn, &token)? {
                Some(user_id) => {
                    User::set_password(conn, user_id, &hash, false)?;
                    Ok(true)
                }
                None => Ok(false),
            }
        })
    })
    .await??;
    if done {
        Ok(redirect("/login", Some("password_reset")))
    } else {
        expired_page(&req)
    }
}
