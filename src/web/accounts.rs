//! Pages of one's own account: register, log in, log out, the account page, change password.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::AppState;
use super::auth::CurrentUser;
use super::csrf::CsrfForm;
use super::render::{page, page_with_status, redirect, safe_next};
use super::session::{RequestSession, session_cookie, session_removal};
use crate::accounts::register::{Registration, SEXES};
use crate::accounts::{self, Contact, CreateError, Unit, User, password, session};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::groups::Group;
use crate::privacy::{self, consent};

#[derive(Serialize)]
struct GroupOption {
    code: &'static str,
    label: &'static str,
}

fn group_options() -> Vec<GroupOption> {
    // The largest group first.
    [
        Group::Elderly,
        Group::Students,
        Group::Workers,
        Group::Officials,
    ]
    .iter()
    .map(|g| GroupOption {
        code: g.as_str(),
        label: g.label_vi(),
    })
    .collect()
}

async fn units(state: &web::Data<AppState>) -> Result<Vec<Unit>, AppError> {
    let pool = state.pool.clone();
    web::block(move || -> Result<Vec<Unit>, AppError> { Ok(Unit::all(&mut *pool.get()?)?) }).await?
}

async fn register_page(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    form: &Registration,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("form", form);
    ctx.insert("errors", errors);
    ctx.insert("groups", &group_options());
    ctx.insert("units", &units(state).await?);
    ctx.insert("sexes", &sex_options());
    ctx.insert("purposes", &purpose_views(form, errors));
    ctx.insert("guardian_age", &consent::GUARDIAN_AGE);
    // `needs_guardian` is true from this birth year on.
    let this_year = chrono::Datelike::year(&chrono::Utc::now());
    ctx.insert("guardian_from", &(this_year - consent::GUARDIAN_AGE));
    page_with_status(req, "accounts/register.html", ctx, status)
}

#[derive(Serialize)]
struct SexOption {
    code: &'static str,
    label: &'static str,
}

fn sex_options() -> Vec<SexOption> {
    SEXES
        .iter()
        .map(|(code, label)| SexOption { code, label })
        .collect()
}

/// One consent checkbox of the registration form: never ticked unless the person ticked it
/// before the form came back with an error.
#[derive(Serialize)]
struct PurposeView {
    field: &'static str,
    text: &'static str,
    required: bool,
    checked: bool,
    error: Option<String>,
}

fn purpose_views(form: &Registration, errors: &FieldErrors) -> Vec<PurposeView> {
    consent::PURPOSES
        .iter()
        .filter_map(|p| {
            let field = consent::field_name(p.code)?;
            Some(PurposeView {
                field,
                text: p.text_vi,
                required: p.required,
                checked: form.ticked(p.code),
                error: errors.get(field).map(str::to_owned),
            })
        })
        .collect()
}

/// Logs the account in on this browser: a fresh token in the session cookie.
fn login_response(
    state: &AppState,
    user: &User,
    location: &str,
    flash: &'static str,
) -> Result<HttpResponse, AppError> {
    let token = session::issue(&state.keys, user, state.settings.session_minutes)?;
    let mut resp = redirect(location, Some(flash));
    resp.add_cookie(&session_cookie(state, token))
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cookie: {e}")))?;
    Ok(resp)
}

#[get("/register")]
pub async fn register_form(
    req: HttpRequest,
    state: web::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    if RequestSession::of(&req).user.is_some() {
        return Ok(redirect("/account", None));
    }
    register_page(
        &req,
        &state,
        &Registration::default(),
        &FieldErrors::new(),
        StatusCode::OK,
    )
    .await
}

#[post("/register")]
pub async fn register(
    req: HttpRequest,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<Registration>,
) -> Result<HttpResponse, AppError> {
    let this_year = chrono::Datelike::year(&chrono::Utc::now());
    let (valid, choices) = match form.validate_with_choices(this_year) {
        Ok(v) => v,
        Err(errors) => {
            return register_page(
                &req,
                &state,
                &form,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    let pool = state.pool.clone();
    let outcome = web::block(move || -> Result<Result<User, FieldErrors>, AppError> {
        let hash = password::hash(&valid.password)?;
        let mut conn = pool.get()?;
        let mut errors = FieldErrors::new();
        if let Some(unit) = valid.unit_id {
            if !Unit::exists(&mut conn, unit)? {
                errors.add(
                    "unit_id",
                    "Đơn vị này không còn trong danh sách. Hãy chọn lại.",
                );
                return Ok(Err(errors));
            }
        }
        // The account and its consents are stored together or not at all.
        let created = crate::db::write_tx(&mut conn, |conn| -> Result<i64, CreateError> {
            let id = accounts::register(conn, &valid, hash)?;
            privacy::record_registration(conn, id, &choices, None)?;
            Ok(id)
        });
        match created {
            Ok(id) => User::find(&mut conn, id)?.ok_or(AppError::NotFound).map(Ok),
            Err(CreateError::Taken) => {
                errors.add(
                    "contact",
                    "Số điện thoại hoặc email này đã có tài khoản. Hãy đăng nhập, hoặc bấm \
                     \"Quên mật khẩu\" nếu bạn không nhớ mật khẩu.",
                );
                Ok(Err(errors))
            }
            Err(CreateError::Db(e)) => Err(e.into()),
        }
    })
    .await??;
    match outcome {
        Ok(user) => login_response(&state, &user, "/account", "registered"),
        Err(errors) => {
            register_page(
                &req,
                &state,
                &form,
                &errors,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
    }
}

#[derive(Debug, Default, Deserialize, Serialize)]
pub struct LoginForm {
    #[serde(default)]
    contact: String,
    #[serde(default, skip_serializing)]
    password: String,
    #[serde(default)]
    next: String,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

fn login_page(
    req: &HttpRequest,
    form: &LoginForm,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("form", form);
    ctx.insert("errors", errors);
    page_with_status(req, "accounts/login.html", ctx, status)
}

#[get("/login")]
pub async fn login_form(
    req: HttpRequest,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, AppError> {
    let next = safe_next(query.next.as_deref()).unwrap_or_default();
    if RequestSession::of(&req).user.is_some() {
        return Ok(redirect(
            if next.is_empty() { "/account" } else { &next },
            None,
        ));
    }
    let form = LoginForm {
        next,
        ..LoginForm::default()
    };
    login_page(&req, &form, &FieldErrors::new(), StatusCode::OK)
}

#[post("/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    CsrfForm(form): CsrfForm<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let contact = match Contact::parse_login(&form.contact) {
        Ok(c) => c,
        Err(msg) => {
            let mut errors = FieldErrors::new();
            errors.add("contact", msg);
            return login_page(&req, &form, &errors, StatusCode::UNPROCESSABLE_ENTITY);
        }
    };
    let account_key = contact.key().to_owned();
    state.limits.check(&req, Some(&account_key))?;
    let pool = state.pool.clone();
    let password = form.password.clone();
    let user = web::block(move || -> Result<Option<User>, AppError> {
        let mut conn = pool.get()?;
        Ok(accounts::authenticate(&mut conn, &contact, &password)?)
    })
    .await??;
    let Some(user) = user else {
        let mut errors = FieldErrors::new();
        errors.add(
            "password",
            "Số điện thoại/email hoặc mật khẩu chưa đúng. Hãy kiểm tra và thử lại.",
        );
        return login_page(&req, &form, &errors, StatusCode::UNAUTHORIZED);
    };
    let next = if user.must_change_password {
        "/account/password".to_owned()
    } else {
        safe_next(Some(&form.next)).unwrap_or_else(|| "/account".into())
    };
    login_response(&state, &user, &next, "logged_in")
}

#[derive(Deserialize)]
pub struct EmptyForm {}

#[post("/logout")]
pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(user): CurrentUser,
    _form: CsrfForm<EmptyForm>,
) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let assisted_by = RequestSession::of(&req).assisted_by;
    web::block(move || -> Result<(), AppError> {
        let mut conn = pool.get()?;
        match assisted_by {
            // A helper leaving the resident's learning on the helper's phone: this browser is
            // logged out, the resident's own logins elsewhere stay, and the end is recorded.
            Some(helper) => crate::audit::record(
                &mut conn,
                helper,
                "team.assist.end",
                &format!("user:{}", user.id),
                None,
                None,
            )?,
            None => User::end_sessions(&mut conn, user.id)?,
        }
        Ok(())
    })
    .await??;
    let mut resp = redirect("/", Some("logged_out"));
    resp.add_cookie(&session_removal())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cookie: {e}")))?;
    Ok(resp)
}

#[derive(Serialize)]
struct AccountView {
    full_name: String,
    phone: Option<String>,
    email: Option<String>,
    birth_year: i32,
    group: &'static str,
    unit: Option<String>,
    role: &'static str,
}

#[get("/account")]
pub async fn account(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let unit_id = user.unit_id;
    let unit = web::block(move || -> Result<Option<Unit>, AppError> {
        match unit_id {
            Some(id) => Ok(Unit::find(&mut *pool.get()?, id)?),
            None => Ok(None),
        }
    })
    .await??;
    let view = AccountView {
        full_name: user.full_name.clone(),
        phone: user
            .phone
            .as_deref()
            .map(accounts::phone::Phone::display_local),
        email: user.email.clone(),
        birth_year: user.birth_year,
        group: user.group().map(Group::label_vi).unwrap_or("—"),
        unit: unit.map(|u| u.name),
        role: user.role().label_vi(),
    };
    let mut ctx = Context::new();
    ctx.insert("account", &view);
    page(&req, "accounts/account.html", ctx)
}

#[derive(Debug, Default, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    new_password_confirm: String,
}

fn password_page(
    req: &HttpRequest,
    user: &User,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("errors", errors);
    ctx.insert("must_change", &user.must_change_password);
    page_with_status(req, "accounts/password.html", ctx, status)
}

#[get("/account/password")]
pub async fn password_form(
    req: HttpRequest,
    CurrentUser(user): CurrentUser,
) -> Result<HttpResponse, AppError> {
    password_page(&req, &user, &FieldErrors::new(), StatusCode::OK)
}

#[post("/account/password")]
pub async fn change_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(user): CurrentUser,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    if RequestSession::of(&req).assisted_by.is_some() {
        return Err(AppError::Forbidden); // A helper never sets a resident's password.
    }
    let mut errors = FieldErrors::new();
    let personal: Vec<&str> = [
        Some(user.full_name.as_str()),
        user.phone.as_deref(),
        user.email.as_deref(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let Err(msg) = password::check_policy(&form.new_password, &personal) {
        errors.add("new_password", msg);
    } else if form.new_password != form.new_password_confirm {
        errors.add(
            "new_password_confirm",
            "Hai mật khẩu mới chưa giống nhau. Hãy nhập lại.",
        );
    } else if form.new_password == form.current_password {
        errors.add("new_password", "Mật khẩu mới cần khác mật khẩu đang dùng.");
    }
    state
        .limits
        .check(&req, Some(&format!("user:{}", user.id)))?;
    let pool = state.pool.clone();
    let (id, stored) = (user.id, user.password_hash.clone());
    let (current, new) = (form.current_password.clone(), form.new_password.clone());
    let check_only = !errors.is_empty();
    let outcome = web::block(move || -> Result<PasswordOutcome, AppError> {
        if !password::verify(&current, &stored) {
            return Ok(PasswordOutcome::WrongCurrent);
        }
        if check_only {
            return Ok(PasswordOutcome::Invalid);
        }
        let hash = password::hash(&new)?;
        let mut conn = pool.get()?;
        User::set_password(&mut conn, id, &hash, false)?;
        let updated = User::find(&mut conn, id)?.ok_or(AppError::NotFound)?;
        Ok(PasswordOutcome::Changed(Box::new(updated)))
    })
    .await??;
    match outcome {
        PasswordOutcome::Changed(updated) => {
            login_response(&state, &updated, "/account", "password_changed")
        }
        PasswordOutcome::WrongCurrent => {
            errors.add("current_password", "Mật khẩu đang dùng chưa đúng.");
            password_page(&req, &user, &errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        PasswordOutcome::Invalid => {
            password_page(&req, &user, &errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

enum PasswordOutcome {
    WrongCurrent,
    Invalid,
    Changed(Box<User>),
}
