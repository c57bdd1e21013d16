//! Actions on an account from the person's page: change the role, deactivate or reactivate,
//! reset the password (a one-time link by e-mail, or a printed slip shown once). Each writes
//! an audit entry; the role change and deactivation end the person's sessions.

use actix_web::{HttpRequest, HttpResponse, post, routes, web};
use serde::Deserialize;
use tera::Context;

use crate::accounts::actions::{self, ActionError};
use crate::accounts::{Role, password, reset};
use crate::error::AppError;
use crate::web::AppState;
use crate::web::auth::AdminUser;
use crate::web::csrf::CsrfForm;
use crate::web::render::{page, redirect, render_plain};

/// The error page for a refused action; `own` is the message when an administrator tried it
/// on their own account.
pub fn refusal(e: ActionError, own: &str) -> AppError {
    let msg = match e {
        ActionError::NotFound => return AppError::NotFound,
        ActionError::Db(e) => return e.into(),
        ActionError::Edit(e) => return AppError::Internal(e.into()),
        ActionError::OwnAccount => own,
        ActionError::Erased => {
            "Người này đã yêu cầu xoá dữ liệu cá nhân: tài khoản không sửa hay dùng lại được nữa."
        }
        ActionError::Inactive => {
            "Tài khoản này đang bị khoá. Hãy mở lại tài khoản trước, rồi đặt lại mật khẩu."
        }
        ActionError::NoEmail => {
            "Người này không có email để nhận thư. Hãy chọn in phiếu mật khẩu dùng một lần."
        }
        ActionError::CannotManage(_) => {
            "Giáo viên và thành viên Tổ công nghệ số giữ vai trò của mình nên không giao quản \
             lý đơn vị được. Nếu cần, hãy đổi vai trò của họ thành Quản lý đơn vị trước."
        }
    };
    AppError::BadRequest(msg.to_owned())
}

async fn run<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&mut crate::db::DbConn) -> Result<T, ActionError> + Send + 'static,
) -> Result<Result<T, ActionError>, AppError> {
    let pool = state.pool.clone();
    web::block(move || -> Result<_, AppError> { Ok(f(&mut *pool.get()?)) }).await?
}

/// Changes the role of account `id`.
pub async fn change_role(
    state: &AppState,
    admin: i64,
    id: i64,
    role: &str,
) -> Result<(), AppError> {
    let role = Role::parse(role).ok_or_else(|| {
        AppError::BadRequest("Vai trò này không có. Hãy chọn trong danh sách.".into())
    })?;
    run(state, move |conn| {
        actions::change_role(conn, admin, id, role)
    })
    .await?
    .map_err(|e| {
        refusal(
            e,
            "Bạn không thể tự đổi vai trò của mình. Hãy nhờ một quản trị viên khác.",
        )
    })
}

/// Deactivates or reactivates account `id`.
pub async fn change_active(
    state: &AppState,
    admin: i64,
    id: i64,
    active: bool,
) -> Result<(), AppError> {
    run(state, move |conn| {
        actions::set_active(conn, admin, id, active)
    })
    .await?
    .map_err(|e| refusal(e, "Bạn không thể tự khoá tài khoản của mình."))
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

/// `POST /admin/people/{id}/role` (and the older address `/admin/users/{id}/role`).
#[routes]
#[post("/admin/people/{id}/role")]
#[post("/admin/users/{id}/role")]
pub async fn role_post(
    state: web::Data<AppState>,
    AdminUser(admin): AdminUser,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<RoleForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
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

/// `POST /admin/people/{id}/active` (and the older `/admin/users/{id}/active`): `active=true`
/// reactivates, anything else deactivates.
#[routes]
#[post("/admin/people/{id}/active")]
#[post("/admin/users/{id}/active")]
pub async fn active_post(
    state: web::Data<AppState>,
    AdminUser(admin): AdminUser,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<ActiveForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let active = form.active == "true";
    change_active(&state, admin.id, id, active).await?;
    let flash = if active { "activated" } else { "deactivated" };
    Ok(redirect(&format!("/admin/people/{id}"), Some(flash)))
}

const OWN_PASSWORD: &str = "Hãy đổi mật khẩu của chính bạn ở trang Tài khoản.";

#[derive(Deserialize)]
pub struct PasswordForm {
    /// `email` (a one-time link) or `slip` (a printed one-time password).
    #[serde(default)]
    method: String,
}

/// `POST /admin/people/{id}/password`: a one-time link by e-mail, or a slip shown once.
#[post("/admin/people/{id}/password")]
pub async fn password_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    AdminUser(admin): AdminUser,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let id = path.into_inner();
    let own = OWN_PASSWORD;
    match form.method.as_str() {
        "email" => {
            let (email, token) = run(&state, move |conn| actions::reset_link(conn, admin.id, id))
                .await?
                .map_err(|e| refusal(e, own))?;
            let flash = match mail_link(&state, &email, &token).await {
                Ok(()) => "reset_link_sent",
                Err(e) => {
                    tracing::error!(error = ?e, "could not send a password reset mail");
                    "reset_link_failed"
                }
            };
            Ok(redirect(&format!("/admin/people/{id}"), Some(flash)))
        }
        "slip" => slip(&req, &state, admin.id, id).await,
        _ => Err(AppError::BadRequest(
            "Hãy chọn một cách đặt lại mật khẩu: gửi thư, hoặc in phiếu.".into(),
        )),
    }
}

async fn mail_link(state: &AppState, email: &str, token: &str) -> Result<(), AppError> {
    let link = format!(
        "{}/password/reset/{token}",
        state.settings.public_url.trim_end_matches('/')
    );
    let mut ctx = Context::new();
    ctx.insert("link", &link);
    ctx.insert("minutes", &reset::LIFETIME_MINUTES);
    let body = render_plain("emails/password_reset.txt", &ctx)?;
    state
        .mailer
        .send(email, "Đặt lại mật khẩu Học Vụ Số", &body)
        .await
        .map_err(AppError::Internal)
}

/// Sets a new one-time password and shows its slip, once.
async fn slip(
    req: &HttpRequest,
    state: &AppState,
    admin: i64,
    id: i64,
) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let made = web::block(move || -> Result<_, AppError> {
        let otp = password::one_time_password();
        let hash = password::hash_one_time(&otp)?;
        let mut conn = pool.get()?;
        Ok(actions::reset_by_slip(&mut conn, admin, id, &otp, &hash))
    })
    .await??;
    let slip = made.map_err(|e| refusal(e, OWN_PASSWORD))?;
    let mut ctx = Context::new();
    ctx.insert("id", &id);
    ctx.insert("name", &slip.full_name);
    ctx.insert("slips", &[slip]);
    ctx.insert("site_url", state.settings.public_url.trim_end_matches('/'));
    // Like every page, the slip is sent with `Cache-Control: no-store` (`web::session`).
    page(req, "people/slip.html", ctx)
}
