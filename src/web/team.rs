//! The community digital team (helper role): registering residents on the spot, their
//! progress, reprinting a login slip, and assisted mode (the helper's browser becomes the
//! resident's session, with the helper named in the token, until "Kết thúc hỗ trợ").

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::AppState;
use super::auth::{CurrentUser, HelperUser};
use super::csrf::CsrfForm;
use super::render::{page, page_with_status, redirect, render_plain};
use super::session::{RequestSession, session_cookie};
use crate::accounts::{Slip, User, password, session};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::groups::Group;
use crate::privacy::consent;
use crate::team::register::{self, RegisterError, ResidentForm};
use crate::team::{may_assist, may_see, residents};

/// This module's routes (registered by `web::routes`).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(list)
        .service(register_form)
        .service(register_post)
        .service(resident_page)
        .service(reprint_slip)
        .service(assist_start)
        .service(assist_end);
}

#[derive(Deserialize)]
pub struct EmptyForm {}

#[derive(Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    q: String,
}

/// `GET /team`: the residents this helper registered and how far each has got.
#[get("/team")]
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    HelperUser(helper): HelperUser,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, AppError> {
    let q: String = query.q.trim().chars().take(100).collect();
    let catalog = state.library.get();
    let is_admin = helper.role() == crate::accounts::Role::Admin;
    let search = q.clone();
    let list = state
        .read(move |conn| Ok(residents::list(conn, &catalog, &helper, &search)?))
        .await?;
    let mut ctx = Context::new();
    ctx.insert("q", &q);
    ctx.insert("more", &(list.len() >= crate::team::search::PAGE));
    ctx.insert("page_size", &crate::team::search::PAGE);
    ctx.insert("residents", &list);
    ctx.insert("is_admin", &is_admin);
    page(&req, "team/list.html", ctx)
}

#[derive(Serialize)]
struct Choice {
    code: String,
    label: &'static str,
}

#[derive(Serialize)]
struct PurposeView {
    code: &'static str,
    text: &'static str,
    required: bool,
    checked: bool,
}

/// The registration form, as typed, with its errors. `same_name`: a resident this helper
/// registered before under the same name (their page is linked beside the name).
async fn register_page(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    form: &ResidentForm,
    errors: &FieldErrors,
    same_name: Option<i64>,
) -> Result<HttpResponse, AppError> {
    let groups: Vec<Choice> = [
        Group::Elderly,
        Group::Workers,
        Group::Students,
        Group::Officials,
    ]
    .iter()
    .map(|g| Choice {
        code: g.as_str().into(),
        label: g.label_vi(),
    })
    .collect();
    let purposes: Vec<PurposeView> = consent::PURPOSES
        .iter()
        .map(|p| PurposeView {
            code: p.code,
            text: p.text_vi,
            required: p.required,
            checked: form.consented(p.code),
        })
        .collect();
    let units = state
        .read(|conn| Ok(register::residential_groups(conn)?))
        .await?;
    let mut ctx = Context::new();
    ctx.insert("form", form);
    ctx.insert("errors", errors);
    ctx.insert("groups", &groups);
    ctx.insert("units", &units);
    ctx.insert("purposes", &purposes);
    ctx.insert("same_name", &same_name);
    ctx.insert("guardian_age", &consent::GUARDIAN_AGE);
    let this_year = chrono::Datelike::year(&chrono::Utc::now());
    ctx.insert("guardian_from", &(this_year - consent::GUARDIAN_AGE));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    page_with_status(req, "team/register.html", ctx, status)
}

/// `GET /team/register`: the form to register a resident on the spot.
#[get("/team/register")]
pub async fn register_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    _helper: HelperUser,
) -> Result<HttpResponse, AppError> {
    let form = ResidentForm {
        target_group: Group::Elderly.as_str().into(),
        ..ResidentForm::default()
    };
    register_page(&req, &state, &form, &FieldErrors::new(), None).await
}

/// Renders the slip page for a resident's fresh one-time password.
fn slip_page(
    req: &HttpRequest,
    state: &AppState,
    resident_id: i64,
    slip: Slip,
    reprint: bool,
) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("resident_id", &resident_id);
    ctx.insert("resident_name", &slip.full_name);
    ctx.insert("slips", &[slip]);
    ctx.insert("site_url", state.settings.public_url.trim_end_matches('/'));
    ctx.insert("reprint", &reprint);
    page(req, "team/slip.html", ctx)
}

/// `POST /team/register`: creates the account and shows its login slip.
#[post("/team/register")]
pub async fn register_post(
    req: HttpRequest,
    state: web::Data<AppState>,
    HelperUser(helper): HelperUser,
    CsrfForm(form): CsrfForm<ResidentForm>,
) -> Result<HttpResponse, AppError> {
    let valid = match form.validate() {
        Ok(v) => v,
        Err(errors) => return register_page(&req, &state, &form, &errors, None).await,
    };
    let pool = state.pool.clone();
    let helper_id = helper.id;
    let name = valid.full_name.clone();
    let outcome = web::block(move || -> Result<_, AppError> {
        let otp = password::one_time_password();
        let hash = password::hash_one_time(&otp)?;
        let mut conn = pool.get()?;
        let created = crate::db::write_tx(&mut conn, |conn| {
            register::create(conn, helper_id, &valid, &hash)
        });
        Ok(created.map(|r| (r, otp)))
    })
    .await??;
    let mut errors = FieldErrors::new();
    match outcome {
        Ok((made, otp)) => {
            let slip = Slip {
                full_name: name,
                login: made.login,
                one_time_password: otp,
                unit: Some(made.unit_name),
            };
            slip_page(&req, &state, made.id, slip, false)
        }
        Err(RegisterError::Taken) => {
            errors.add(
                "phone",
                "Số điện thoại hoặc email này đã có tài khoản. Nếu đó là của người dân này, \
                 hãy giúp họ đăng nhập; nếu không, hãy để trống ô này.",
            );
            register_page(&req, &state, &form, &errors, None).await
        }
        Err(RegisterError::NoSuchGroup) => {
            errors.add(
                "residence_unit_id",
                "Tổ dân phố này không còn trong danh sách. Hãy chọn lại.",
            );
            register_page(&req, &state, &form, &errors, None).await
        }
        Err(RegisterError::SameName(id, at)) => {
            errors.add(
                "full_name",
                format!(
                    "Bạn đã đăng ký một người cùng họ tên, năm sinh và tổ dân phố lúc {}. \
                     Nếu đúng là người đó, đừng tạo thêm tài khoản: hãy mở trang của họ để \
                     in lại phiếu.",
                    residents::date(at)
                ),
            );
            register_page(&req, &state, &form, &errors, Some(id)).await
        }
        Err(RegisterError::Db(e)) => Err(e.into()),
    }
}

/// The resident `id` if `viewer` may see them, else `NotFound` (so that whether the account
/// exists is not revealed).
async fn resident_for(
    state: &web::Data<AppState>,
    viewer: &User,
    id: i64,
) -> Result<User, AppError> {
    let resident = state.read(move |conn| Ok(User::find(conn, id)?)).await?;
    resident
        .filter(|r| may_see(viewer, r))
        .ok_or(AppError::NotFound)
}

/// `GET /team/residents/{id}`: one resident's progress, tests and certificates.
#[get("/team/residents/{id}")]
pub async fn resident_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    HelperUser(helper): HelperUser,
    path: web::Path<i64>,
) -> Result<HttpResponse, AppError> {
    let resident = resident_for(&state, &helper, path.into_inner()).await?;
    resident_view(&req, &state, resident, false).await
}

async fn resident_view(
    req: &HttpRequest,
    state: &web::Data<AppState>,
    resident: User,
    own_password: bool,
) -> Result<HttpResponse, AppError> {
    let catalog = state.library.get();
    let active = resident.active;
    let detail = state
        .read(move |conn| Ok(residents::detail(conn, &catalog, &resident)?))
        .await?;
    let mut ctx = Context::new();
    ctx.insert("r", &detail);
    ctx.insert("active", &active);
    ctx.insert("own_password", &own_password);
    page(req, "team/resident.html", ctx)
}

/// `POST /team/residents/{id}/slip`: a new one-time password and slip, while the resident has
/// never chosen their own password.
#[post("/team/residents/{id}/slip")]
pub async fn reprint_slip(
    req: HttpRequest,
    state: web::Data<AppState>,
    HelperUser(helper): HelperUser,
    path: web::Path<i64>,
    _form: CsrfForm<EmptyForm>,
) -> Result<HttpResponse, AppError> {
    let resident = resident_for(&state, &helper, path.into_inner()).await?;
    if !resident.must_change_password {
        return resident_view(&req, &state, resident, true).await;
    }
    let pool = state.pool.clone();
    let (helper_id, resident_id) = (helper.id, resident.id);
    let outcome = web::block(move || -> Result<Option<String>, AppError> {
        let otp = password::one_time_password();
        let hash = password::hash_one_time(&otp)?;
        let mut conn = pool.get()?;
        let done = crate::db::write_tx(&mut conn, |conn| {
            register::reset_slip(conn, helper_id, resident_id, &hash)
        })?;
        Ok(done.then_some(otp))
    })
    .await??;
    let Some(otp) = outcome else {
        return resident_view(&req, &state, resident, true).await;
    };
    let unit = state
        .read(move |conn| {
            Ok(match resident.residence_unit_id {
                Some(u) => crate::accounts::Unit::find(conn, u)?.map(|u| u.name),
                None => None,
            })
        })
        .await?;
    let login = resident
        .phone
        .as_deref()
        .map(crate::accounts::phone::Phone::display_local)
        .or_else(|| resident.email.clone())
        .or_else(|| resident.username.clone())
        .unwrap_or_default();
    let slip = Slip {
        full_name: resident.full_name.clone(),
        login,
        one_time_password: otp,
        unit,
    };
    slip_page(&req, &state, resident_id, slip, true)
}

/// `POST /team/residents/{id}/assist`: this browser becomes the resident's session, with the
/// helper named in it, so that what is done is recorded as assisted.
#[post("/team/residents/{id}/assist")]
pub async fn assist_start(
    state: web::Data<AppState>,
    HelperUser(helper): HelperUser,
    path: web::Path<i64>,
    _form: CsrfForm<EmptyForm>,
) -> Result<HttpResponse, AppError> {
    let resident = resident_for(&state, &helper, path.into_inner()).await?;
    if !resident.active {
        return Err(AppError::BadRequest(
            "Tài khoản của người dân này đang bị khoá. Hãy liên hệ quản trị viên.".into(),
        ));
    }
    let pool = state.pool.clone();
    let (helper_id, resident_id) = (helper.id, resident.id);
    web::block(move || -> Result<(), AppError> {
        let mut conn = pool.get()?;
        let subject = format!("user:{resident_id}");
        Ok(crate::audit::record(
            &mut conn,
            helper_id,
            "team.assist.start",
            &subject,
            None,
            None,
        )?)
    })
    .await??;
    let minutes = state.settings.session_minutes;
    let token = session::issue_assisted(&state.keys, &resident, Some(helper.id), minutes)?;
    let mut resp = redirect("/courses", None);
    resp.add_cookie(&session_cookie(&state, token))
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cookie: {e}")))?;
    Ok(resp)
}

/// `POST /team/assist/end`: back to the helper's own session (if the helper may still help;
/// otherwise logged out), on the resident's page.
#[post("/team/assist/end")]
pub async fn assist_end(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(resident): CurrentUser,
    _form: CsrfForm<EmptyForm>,
) -> Result<HttpResponse, AppError> {
    let Some(helper_id) = RequestSession::of(&req).assisted_by else {
        return Ok(redirect("/", None));
    };
    let pool = state.pool.clone();
    let resident_id = resident.id;
    let helper = web::block(move || -> Result<Option<User>, AppError> {
        let mut conn = pool.get()?;
        let helper = User::find(&mut conn, helper_id)?.filter(may_assist);
        if helper.is_some() {
            let subject = format!("user:{resident_id}");
            crate::audit::record(
                &mut conn,
                helper_id,
                "team.assist.end",
                &subject,
                None,
                None,
            )?;
        }
        Ok(helper)
    })
    .await??;
    let Some(helper) = helper else {
        let mut resp = redirect("/", Some("logged_out"));
        resp.add_cookie(&super::session::session_removal())
            .map_err(|e| AppError::Internal(anyhow::anyhow!("cookie: {e}")))?;
        return Ok(resp);
    };
    let token = session::issue(&state.keys, &helper, state.settings.session_minutes)?;
    let mut resp = redirect(&format!("/team/residents/{resident_id}"), None);
    resp.add_cookie(&session_cookie(&state, token))
        .map_err(|e| AppError::Internal(anyhow::anyhow!("cookie: {e}")))?;
    Ok(resp)
}

/// Where `base.html` leaves room for the assisted-mode banner.
const BANNER_SLOT: &str = "<!--hvs:assist-banner-->";

/// Puts the assisted-mode banner ("Bạn đang hỗ trợ … học", with "Kết thúc hỗ trợ") into an
/// HTML page. Done here, after the handler, so that pages served from the page cache (the
/// same HTML for every learner) carry it too.
pub async fn with_assist_banner(
    res: ServiceResponse<BoxBody>,
    session: &RequestSession,
) -> ServiceResponse<BoxBody> {
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let Some(user) = session.user.as_ref().filter(|_| is_html) else {
        return res;
    };
    let mut ctx = Context::new();
    ctx.insert("name", &user.full_name);
    ctx.insert("csrf_token", &session.csrf_field());
    let Ok(banner) = render_plain("team/_banner.html", &ctx) else {
        return res;
    };
    let (req, res) = res.into_parts();
    let (head, body) = res.into_parts();
    let bytes = match body.try_into_bytes() {
        Ok(bytes) => bytes,
        Err(body) => match actix_web::body::to_bytes(body).await {
            Ok(bytes) => bytes,
            Err(_) => return ServiceResponse::new(req, head.set_body(BoxBody::new(()))),
        },
    };
    let html = String::from_utf8_lossy(&bytes).replacen(BANNER_SLOT, &banner, 1);
    let mut head = head.set_body(BoxBody::new(html));
    head.headers_mut().remove(header::CONTENT_LENGTH);
    head.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    ServiceResponse::new(req, head)
}
