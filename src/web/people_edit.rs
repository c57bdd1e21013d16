//! `GET/POST /admin/people/{id}/edit`: an administrator edits a person's details. A wrong
//! field shows its message beside the field and keeps what was typed (422); a good edit is
//! saved with one audit entry holding the changed fields before and after. A citizen ID typed
//! here is only hashed with the server's key, and never shown again.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::Serialize;
use tera::Context;

use crate::accounts::actions::{self, ActionError};
use crate::accounts::citizen_id::mask;
use crate::accounts::edit_form::{EditForm, edit_error_message};
use crate::accounts::register::SEXES;
use crate::accounts::{Unit, User};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::web::AppState;
use crate::web::auth::AdminUser;
use crate::web::csrf::CsrfForm;
use crate::web::render::{page_with_status, redirect};

#[derive(Serialize)]
struct SexChoice {
    code: &'static str,
    label: &'static str,
}

/// The account `id`, refusing a missing one (404) and one whose data were erased.
async fn editable(state: &AppState, id: i64) -> Result<User, AppError> {
    let user = state
        .read(move |conn| Ok(User::find(conn, id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    if user.deleted_at.is_some() {
        return Err(erased());
    }
    Ok(user)
}

pub fn erased() -> AppError {
    AppError::BadRequest(
        "Người này đã yêu cầu xoá dữ liệu cá nhân: tài khoản không sửa hay dùng lại được nữa."
            .into(),
    )
}

async fn edit_page(
    req: &HttpRequest,
    state: &AppState,
    user: &User,
    form: &EditForm,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let units = state.read(|conn| Ok(Unit::all(conn)?)).await?;
    let residential: Vec<&Unit> = units.iter().filter(|u| u.kind == "residential").collect();
    let sexes: Vec<SexChoice> = SEXES
        .iter()
        .map(|&(code, label)| SexChoice { code, label })
        .collect();
    let mut ctx = Context::new();
    ctx.insert("id", &user.id);
    ctx.insert("name", &user.full_name);
    ctx.insert("username", &user.username);
    ctx.insert("citizen_id", &user.citizen_id_tail.as_deref().map(mask));
    ctx.insert("form", form);
    ctx.insert("errors", errors);
    ctx.insert("groups", &super::group_choices());
    ctx.insert("sexes", &sexes);
    ctx.insert("units", &units);
    ctx.insert("residential", &residential);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page_with_status(req, "people/edit.html", ctx, status)
}

/// `GET /admin/people/{id}/edit`: the form filled with the person's details.
#[get("/admin/people/{id}/edit")]
pub async fn edit_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    _admin: AdminUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let user = editable(&state, path.into_inner()).await?;
    let form = EditForm::from_user(&user);
    edit_page(&req, &state, &user, &form, &FieldErrors::new()).await
}

/// `POST /admin/people/{id}/edit`: checks and saves the edit.
#[post("/admin/people/{id}/edit")]
pub async fn edit_save(
    req: HttpRequest,
    state: web::Data<AppState>,
    AdminUser(admin): AdminUser,
    path: web::Path<i64>,
    CsrfForm(form): CsrfForm<EditForm>,
) -> Result<HttpResponse, AppError> {
    let user = editable(&state, path.into_inner()).await?;
    let key = state.keys.derive("citizen-id");
    let edit = match form.validate(&key) {
        Ok(edit) => edit,
        Err(errors) => return edit_page(&req, &state, &user, &form, &errors).await,
    };
    let pool = state.pool.clone();
    let id = user.id;
    let saved = web::block(move || -> Result<_, AppError> {
        let mut conn = pool.get()?;
        Ok(actions::save_edit(&mut conn, admin.id, id, &edit))
    })
    .await??;
    match saved {
        Ok(diff) if diff.is_empty() => Ok(redirect(
            &format!("/admin/people/{id}"),
            Some("person_unchanged"),
        )),
        Ok(_) => Ok(redirect(
            &format!("/admin/people/{id}"),
            Some("person_saved"),
        )),
        Err(ActionError::Edit(e)) => {
            let Some((field, message)) = edit_error_message(&e) else {
                return Err(AppError::Internal(e.into()));
            };
            let mut errors = FieldErrors::new();
            errors.add(field, message);
            edit_page(&req, &state, &user, &form, &errors).await
        }
        Err(other) => Err(super::people_actions::refusal(other, "")),
    }
}
