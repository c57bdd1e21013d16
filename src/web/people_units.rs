//! `GET /admin/units`: every unit with its managers and members; an administrator assigns a
//! manager by login (phone, e-mail, login name) or account id, or removes one. A learner who
//! is assigned becomes a unit manager; teachers and helpers are refused (they would lose their
//! tools). Unit managers see only their units in the cohort reports.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::people_actions::refusal;
use crate::accounts::actions::{self, ActionError};
use crate::accounts::listing::kind_label;
use crate::accounts::manage::{self, Added};
use crate::error::AppError;
use crate::web::AppState;
use crate::web::auth::AdminUser;
use crate::web::csrf::CsrfForm;
use crate::web::render::{page_with_status, redirect};

#[derive(Serialize)]
struct UnitRow {
    id: i64,
    name: String,
    kind: &'static str,
    members: i64,
    managers: Vec<(i64, String)>,
}

/// A refused assignment, shown beside the unit's form with what was typed.
#[derive(Serialize)]
struct Problem {
    unit: i64,
    typed: String,
    message: String,
}

async fn units_page(
    req: &HttpRequest,
    state: &AppState,
    problem: Option<Problem>,
) -> Result<HttpResponse, AppError> {
    let overview = state.read(|conn| Ok(manage::units_overview(conn)?)).await?;
    let rows: Vec<UnitRow> = overview
        .into_iter()
        .map(|o| UnitRow {
            id: o.unit.id,
            kind: kind_label(&o.unit.kind),
            name: o.unit.name,
            members: o.members,
            managers: o.managers,
        })
        .collect();
    let status = if problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let mut ctx = Context::new();
    ctx.insert("units", &rows);
    ctx.insert("problem", &problem);
    page_with_status(req, "people/units.html", ctx, status)
}

/// `GET /admin/units`.
#[get("/admin/units")]
pub async fn units_list(
    req: HttpRequest,
    state: web::Data<AppState>,
    _admin: AdminUser,
) -> Result<HttpResponse, AppError> {
    units_page(&req, &state, None).await
}

#[derive(Deserialize)]
pub struct AddForm {
    /// A phone number, e-mail, login name or account id.
    #[serde(default)]
    login: String,
}

/// `POST /admin/units/{unit}/managers`: assigns the person typed to manage the unit.
#[post("/admin/units/{unit}/managers")]
pub async fn manager_add(
    req: HttpRequest,
    state: web::Data<AppState>,
    AdminUser(admin): AdminUser,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<AddForm>,
) -> Result<HttpResponse, AppError> {
    let unit = path.into_inner();
    let typed: String = form.login.trim().chars().take(200).collect();
    let login = typed.clone();
    let pool = state.pool.clone();
    let done = web::block(move || -> Result<_, AppError> {
        let mut conn = pool.get()?;
        let unit_exists = crate::accounts::Unit::exists(&mut conn, unit)?;
        Ok(unit_exists.then(|| actions::assign_manager(&mut conn, admin.id, unit, &login)))
    })
    .await??
    .ok_or(AppError::NotFound)?;
    match done {
        Ok((_, added)) => {
            let flash = match added {
                Added::Assigned { promoted: true } => "manager_added_promoted",
                Added::Assigned { promoted: false } => "manager_added",
                Added::AlreadyManager => "manager_already",
            };
            Ok(redirect("/admin/units", Some(flash)))
        }
        Err(e) => {
            let message = problem_text(e)?;
            let problem = Problem {
                unit,
                typed,
                message,
            };
            units_page(&req, &state, Some(problem)).await
        }
    }
}

/// What to say beside the unit's form about a refused assignment.
fn problem_text(e: ActionError) -> Result<String, AppError> {
    Ok(match e {
        ActionError::NotFound => "Không tìm thấy tài khoản này. Hãy nhập đúng số điện thoại, \
                                  email, tên đăng nhập hoặc mã tài khoản (xem ở trang Tìm tài \
                                  khoản)."
            .into(),
        ActionError::Inactive => {
            "Tài khoản này đang bị khoá. Hãy mở lại tài khoản trước khi giao quản lý đơn vị.".into()
        }
        e => match refusal(e, "") {
            AppError::BadRequest(message) => message,
            other => return Err(other),
        },
    })
}

#[derive(Deserialize)]
pub struct EmptyForm {}

/// `POST /admin/units/{unit}/managers/{user}/remove`: ends an assignment (the person keeps
/// their role; change it on their page if needed).
#[post("/admin/units/{unit}/managers/{user}/remove")]
pub async fn manager_remove(
    state: web::Data<AppState>,
    AdminUser(admin): AdminUser,
    path: web::Path<(i64, i64)>,
    _form: CsrfForm<EmptyForm>,
) -> Result<HttpResponse, AppError> {
    let (unit, user) = path.into_inner();
    let pool = state.pool.clone();
    let removed = web::block(move || -> Result<_, AppError> {
        let mut conn = pool.get()?;
        Ok(actions::unassign_manager(&mut conn, admin.id, unit, user))
    })
    .await??
    .map_err(|e| refusal(e, ""))?;
    let flash = if removed {
        "manager_removed"
    } else {
        "manager_not_assigned"
    };
    Ok(redirect("/admin/units", Some(flash)))
}
