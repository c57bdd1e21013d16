//! Administration of accounts: find people, change their role, deactivate or reactivate.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::AppState;
use super::auth::AdminUser;
use super::csrf::CsrfForm;
use super::render::{page, redirect};
use crate::accounts::{Role, User, phone::Phone};
use crate::error::AppError;
use crate::groups::Group;

const PAGE_SIZE: i64 = 50;

#[get("/admin")]
pub async fn index(_admin: AdminUser) -> HttpResponse {
    redirect("/admin/users", None)
}

#[derive(Deserialize)]
pub struct UsersQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    page: Option<i64>,
}

#[derive(Serialize)]
struct UserRow {
    id: i64,
    full_name: String,
    contact: String,
    birth_year: i32,
    group: &'static str,
    role: &'static str,
    active: bool,
}

#[derive(Serialize)]
struct RoleOption {
    code: &'static str,
    label: &'static str,
}

#[get("/admin/users")]
pub async fn users(
    req: HttpRequest,
    state: web::Data<AppState>,
    AdminUser(admin): AdminUser,
    query: web::Query<UsersQuery>,
) -> Result<HttpResponse, AppError> {
    let page_no = query.page.unwrap_or(1).max(1);
    let search = query.q.clone();
    let pool = state.pool.clone();
    let found = web::block(move || -> Result<Vec<User>, AppError> {
        Ok(User::search(
            &mut *pool.get()?,
            &search,
            (page_no - 1) * PAGE_SIZE,
            PAGE_SIZE + 1,
        )?)
    })
    .await??;
    let has_more = found.len() as i64 > PAGE_SIZE;
    let rows: Vec<UserRow> = found
        .into_iter()
        .take(PAGE_SIZE as usize)
        .map(|u| UserRow {
            id: u.id,
            contact: u
                .phone
                .as_deref()
                .map(Phone::display_local)
                .or(u.email.clone())
                .unwrap_or_default(),
            full_name: u.full_name.clone(),
            birth_year: u.birth_year,
            group: u.group().map(Group::label_vi).unwrap_or("—"),
            role: u.role().as_str(),
            active: u.active,
        })
        .collect();
    let roles: Vec<RoleOption> = Role::ALL
        .iter()
        .map(|r| RoleOption {
            code: r.as_str(),
            label: r.label_vi(),
        })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("rows", &rows);
    ctx.insert("roles", &roles);
    ctx.insert("q", &query.q);
    ctx.insert("page", &page_no);
    ctx.insert("has_more", &has_more);
    ctx.insert("self_id", &admin.id);
    page(&req, "admin/users.html", ctx)
}

#[derive(Deserialize)]
pub struct RoleForm {
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
    let role = Role::parse(&form.role).ok_or_else(|| {
        AppError::BadRequest("Vai trò này không có. Hãy chọn trong danh sách.".into())
    })?;
    if id == admin.id {
        return Err(AppError::BadRequest(
            "Bạn không thể tự đổi vai trò của mình. Hãy nhờ một quản trị viên khác.".into(),
        ));
    }
    let pool = state.pool.clone();
    web::block(move || -> Result<(), AppError> {
        let mut conn = pool.get()?;
        crate::db::write_tx(&mut conn, |conn| -> Result<(), AppError> {
            let before = User::find(conn, id)?.ok_or(AppError::NotFound)?;
            User::set_role(conn, id, role)?;
            let subject = format!("user:{id}");
            crate::audit::record(
                conn,
                admin.id,
                "user.role",
                &subject,
                Some(&before.role),
                Some(role.as_str()),
            )?;
            Ok(())
        })
    })
    .await??;
    Ok(redirect("/admin/users", Some("role_changed")))
}

#[derive(Deserialize)]
pub struct ActiveForm {
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
    if id == admin.id && !active {
        return Err(AppError::BadRequest(
            "Bạn không thể tự khoá tài khoản của mình.".into(),
        ));
    }
    let pool = state.pool.clone();
    web::block(move || -> Result<(), AppError> {
        let mut conn = pool.get()?;
        crate::db::write_tx(&mut conn, |conn| -> Result<(), AppError> {
            let before = User::find(conn, id)?.ok_or(AppError::NotFound)?;
            User::set_active(conn, id, active)?;
            let subject = format!("user:{id}");
            let state = |a: bool| if a { "active" } else { "inactive" };
            crate::audit::record(
                conn,
                admin.id,
                "user.active",
                &subject,
                Some(state(before.active)),
                Some(state(active)),
            )?;
            Ok(())
        })
    })
    .await??;
    Ok(redirect(
        "/admin/users",
        Some(if active { "activated" } else { "deactivated" }),
    ))
}
