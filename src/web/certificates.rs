//! Certificate pages: "Chứng chỉ của tôi", the printable certificate and its PDF, the public
//! verify page (no login, nothing about the person beyond the certificate), the JWK set,
//! revocation and re-issue by administrators, and bulk PDFs for a unit or a course.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::AppState;
use super::auth::{AdminUser, CurrentUser, PrintUser};
use super::csrf::CsrfForm;
use super::render::{page, redirect};
use crate::accounts::{Role, User};
use crate::certificates::pdf::{self, PrintData};
use crate::certificates::{Certificate, code, date_vi, qr, sign};
use crate::error::AppError;

/// Sends the "certificate issued" mail; a failure is logged, never shown.
pub async fn mail_issued(state: &AppState, email: &str, name: &str, course: &str, code: &str) {
    let mut ctx = Context::new();
    ctx.insert("name", name);
    ctx.insert("course", course);
    ctx.insert("code", code);
    ctx.insert("verify_url", &verify_url(state, code));
    let body = match super::render::render_plain("emails/certificate_issued.txt", &ctx) {
        Ok(b) => b,
        Err(e) => return tracing::error!(error = ?e, "certificate mail template"),
    };
    if let Err(e) = state
        .mailer
        .send(email, &format!("Chứng nhận hoàn thành: {course}"), &body)
        .await
    {
        tracing::error!(error = ?e, "could not send the certificate mail");
    }
}

pub fn verify_url(state: &AppState, code: &str) -> String {
    format!(
        "{}/verify/{code}",
        state.settings.public_url.trim_end_matches('/')
    )
}

async fn by_code(state: &AppState, code: &str) -> Result<Certificate, AppError> {
    let code = code::normalize(code).ok_or(AppError::NotFound)?;
    let pool = state.pool.clone();
    web::block(move || -> Result<Option<Certificate>, AppError> {
        Ok(Certificate::find_by_code(&mut *pool.get()?, &code)?)
    })
    .await??
    .ok_or(AppError::NotFound)
}

/// Whether `viewer` may see the holder's printable certificate: the holder, an
/// administrator, or the manager of the holder's unit.
async fn may_print(state: &AppState, viewer: &User, cert: &Certificate) -> Result<bool, AppError> {
    match viewer.role() {
        Role::Admin => Ok(true),
        _ if viewer.id == cert.user_id => Ok(true),
        Role::Manager => {
            let (pool, holder) = (state.pool.clone(), cert.user_id);
            let unit = web::block(move || -> Result<Option<i64>, AppError> {
                Ok(User::find(&mut *pool.get()?, holder)?.and_then(|u| u.unit_id))
            })
            .await??;
            Ok(unit.is_some() && unit == viewer.unit_id)
        }
        _ => Ok(false),
    }
}

/// The certificate with this code, if `viewer` may print it.
async fn printable_by(
    state: &AppState,
    viewer: &User,
    code: &str,
) -> Result<Certificate, AppError> {
    let cert = by_code(state, code).await?;
    if may_print(state, viewer, &cert).await? {
        Ok(cert)
    } else {
        Err(AppError::Forbidden)
    }
}

#[derive(Serialize)]
struct CertView {
    code: String,
    holder_name: String,
    course_title: String,
    course_slug: String,
    course_version: String,
    band: &'static str,
    date: String,
    fingerprint: String,
    valid: bool,
    revoked_reason: Option<String>,
    revoked_date: Option<String>,
    signature_ok: bool,
    /// The holder erased their data: no name, token or fingerprint left to check.
    erased: bool,
}

fn cert_view(state: &AppState, c: &Certificate) -> CertView {
    let band = sign::band(c.score);
    let date = date_vi(c.issued_at);
    let expected = sign::fingerprint(
        &c.code,
        &c.holder_name,
        &c.course_slug,
        &c.course_version,
        &date,
        band,
    );
    // Erasure empties the name, the token and the fingerprint together (privacy::erase).
    let erased = c.holder_name.is_empty() && c.token.is_empty();
    let signature_ok = state.cert_keys.verify(&c.token).is_some_and(|claims| {
        claims.sub == c.code && claims.name == c.holder_name && claims.fingerprint == c.fingerprint
    }) && expected == c.fingerprint;
    CertView {
        code: c.code.clone(),
        holder_name: c.holder_name.clone(),
        course_title: c.course_title.clone(),
        course_slug: c.course_slug.clone(),
        course_version: c.course_version.clone(),
        band,
        date,
        fingerprint: c.fingerprint.clone(),
        valid: c.is_valid(),
        revoked_reason: c.revoked_reason.clone(),
        revoked_date: c.revoked_at.map(date_vi),
        signature_ok,
        erased,
    }
}

#[get("/certificates")]
pub async fn mine(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(user): CurrentUser,
) -> Result<HttpResponse, AppError> {
    let pool = state.pool.clone();
    let list = web::block(move || -> Result<_, AppError> {
        Ok(Certificate::of_user(&mut *pool.get()?, user.id)?)
    })
    .await??;
    let views: Vec<CertView> = list.iter().map(|c| cert_view(&state, c)).collect();
    let mut ctx = Context::new();
    ctx.insert("certificates", &views);
    page(&req, "certificates/mine.html", ctx)
}

#[get("/certificates/{code}")]
pub async fn printable(
    req: HttpRequest,
    state: web::Data<AppState>,
    CurrentUser(user): CurrentUser,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let cert = printable_by(&state, &user, &code).await?;
    let url = verify_url(&state, &cert.code);
    let mut ctx = Context::new();
    ctx.insert("c", &cert_view(&state, &cert));
    ctx.insert("qr_svg", &qr::svg(&url));
    ctx.insert("verify_url", &url);
    page(&req, "certificates/print.html", ctx)
}

fn print_data(state: &AppState, c: &Certificate) -> PrintData {
    PrintData {
        ward: state.settings.ward_name.clone(),
        name: c.holder_name.clone(),
        course_title: c.course_title.clone(),
        band: sign::band(c.score).into(),
        date: date_vi(c.issued_at),
        code: c.code.clone(),
        fingerprint: c.fingerprint.clone(),
        verify_url: verify_url(state, &c.code),
        revoked: !c.is_valid(),
    }
}

fn pdf_response(bytes: Vec<u8>, filename: &str) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .body(bytes)
}

#[get("/certificates/{code}/pdf")]
pub async fn pdf_one(
    state: web::Data<AppState>,
    CurrentUser(user): CurrentUser,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let cert = printable_by(&state, &user, &code).await?;
    let data = vec![print_data(&state, &cert)];
    let bytes = web::block(move || pdf::render(&data)).await??;
    Ok(pdf_response(
        bytes,
        &format!("chung-nhan-{}.pdf", cert.code),
    ))
}

#[derive(Deserialize)]
pub struct BulkQuery {
    course: Option<String>,
    unit: Option<i64>,
}

/// All valid certificates of a course or a unit in one PDF. A unit manager gets only their
/// own unit's.
#[get("/certificates/print/bulk.pdf")]
pub async fn pdf_bulk(
    state: web::Data<AppState>,
    PrintUser(user): PrintUser,
    query: web::Query<BulkQuery>,
) -> Result<HttpResponse, AppError> {
    let unit = match user.role() {
        Role::Admin => query.unit,
        _ => Some(user.unit_id.ok_or_else(|| {
            AppError::BadRequest(
                "Tài khoản của bạn chưa gắn với đơn vị nào. Hãy nhờ quản trị viên gắn đơn vị."
                    .into(),
            )
        })?),
    };
    let course = query.course.clone().filter(|c| !c.is_empty());
    if course.is_none() && unit.is_none() {
        return Err(AppError::BadRequest(
            "Hãy chọn một khoá học hoặc một đơn vị để in.".into(),
        ));
    }
    let pool = state.pool.clone();
    let list = web::block(move || -> Result<_, AppError> {
        Ok(Certificate::for_printing(
            &mut *pool.get()?,
            course.as_deref(),
            unit,
        )?)
    })
    .await??;
    if list.is_empty() {
        return Err(AppError::BadRequest(
            "Chưa có chứng nhận nào để in cho lựa chọn này.".into(),
        ));
    }
    let data: Vec<PrintData> = list.iter().map(|c| print_data(&state, c)).collect();
    let bytes = web::block(move || pdf::render(&data)).await??;
    Ok(pdf_response(bytes, "chung-nhan.pdf"))
}

#[derive(Deserialize)]
pub struct VerifyQuery {
    code: Option<String>,
}

/// `GET /verify?code=…`: a form to type a code; sends to the verify page.
#[get("/verify")]
pub async fn verify_form(
    req: HttpRequest,
    query: web::Query<VerifyQuery>,
) -> Result<HttpResponse, AppError> {
    if let Some(typed) = query.code.as_deref().filter(|c| !c.trim().is_empty()) {
        if let Some(code) = code::normalize(typed) {
            return Ok(redirect(&format!("/verify/{code}"), None));
        }
        let mut ctx = Context::new();
        ctx.insert("typed", typed);
        ctx.insert(
            "error",
            "Mã này không đúng dạng. Mã chứng nhận có dạng HVS-XXXX-XXXX.",
        );
        return page(&req, "certificates/verify_form.html", ctx);
    }
    page(&req, "certificates/verify_form.html", Context::new())
}

/// The public verify page: reachable without logging in.
#[get("/verify/{code}")]
pub async fn verify(
    req: HttpRequest,
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    match by_code(&state, &code).await {
        Ok(cert) => ctx.insert("c", &cert_view(&state, &cert)),
        Err(AppError::NotFound) => {
            ctx.insert("typed", &code.into_inner());
            ctx.insert("not_found", &true);
        }
        Err(e) => return Err(e),
    }
    page(&req, "certificates/verify.html", ctx)
}

/// The certificate's signed token, for checking offline against `/.well-known/jwks.json`.
#[get("/verify/{code}/token")]
pub async fn token(
    state: web::Data<AppState>,
    code: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    let cert = by_code(&state, &code).await?;
    if cert.token.is_empty() {
        return Err(AppError::NotFound); // erased at the holder's request
    }
    Ok(HttpResponse::Ok()
        .content_type("application/jwt")
        .body(cert.token))
}

#[get("/.well-known/jwks.json")]
pub async fn jwks(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .json(state.cert_keys.jwks())
}

#[derive(Deserialize)]
pub struct AdminQuery {
    #[serde(default)]
    q: String,
}

#[get("/admin/certificates")]
pub async fn admin_list(
    req: HttpRequest,
    state: web::Data<AppState>,
    _admin: AdminUser,
    query: web::Query<AdminQuery>,
) -> Result<HttpResponse, AppError> {
    let (pool, q) = (state.pool.clone(), query.q.clone());
    let list = web::block(move || -> Result<_, AppError> {
        Ok(Certificate::search(&mut *pool.get()?, &q, 100)?)
    })
    .await??;
    let views: Vec<CertView> = list.iter().map(|c| cert_view(&state, c)).collect();
    let mut ctx = Context::new();
    ctx.insert("certificates", &views);
    ctx.insert("q", &query.q);
    ctx.insert(
        "courses",
        &state
            .library
            .get()
            .courses()
            .iter()
            .map(|c| (c.slug.clone(), c.title.clone()))
            .collect::<Vec<_>>(),
    );
    page(&req, "certificates/admin.html", ctx)
}

#[derive(Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    reason: String,
}

#[post("/admin/certificates/{code}/revoke")]
pub async fn revoke(
    state: web::Data<AppState>,
    AdminUser(admin): AdminUser,
    code: web::Path<String>,
    CsrfForm(form): CsrfForm<RevokeForm>,
) -> Result<HttpResponse, AppError> {
    let cert = by_code(&state, &code).await?;
    let reason = form.reason.trim().to_owned();
    if reason.chars().count() < 5 {
        return Err(AppError::BadRequest(
            "Hãy ghi lý do thu hồi (ít nhất 5 ký tự), ví dụ: cấp nhầm người.".into(),
        ));
    }
    let pool = state.pool.clone();
    let c = cert.code.clone();
    web::block(move || -> Result<(), AppError> {
        let mut conn = pool.get()?;
        crate::db::write_tx(&mut conn, |conn| -> Result<(), AppError> {
            if Certificate::revoke(conn, &c, &reason, admin.id)? {
                crate::audit::record(
                    conn,
                    admin.id,
                    "certificate.revoke",
                    &c,
                    Some("valid"),
                    Some(&format!("revoked: {reason}")),
                )?;
            }
            Ok(())
        })
    })
    .await??;
    Ok(redirect(
        &format!("/admin/certificates?q={}", cert.code),
        Some("certificate_revoked"),
    ))
}

#[derive(Deserialize)]
pub struct EmptyForm {}

/// Issues a new certificate (new code) from the attempt of a revoked one.
#[post("/admin/certificates/{code}/reissue")]
pub async fn reissue(
    state: web::Data<AppState>,
    AdminUser(admin): AdminUser,
    code: web::Path<String>,
    _form: CsrfForm<EmptyForm>,
) -> Result<HttpResponse, AppError> {
    let old = by_code(&state, &code).await?;
    if old.is_valid() {
        return Err(AppError::BadRequest(
            "Chứng nhận này vẫn còn hiệu lực, không cần cấp lại.".into(),
        ));
    }
    let pool = state.pool.clone();
    let holder = web::block(move || -> Result<Option<User>, AppError> {
        Ok(User::find(&mut *pool.get()?, old.user_id)?)
    })
    .await??
    .ok_or(AppError::NotFound)?;
    let new = crate::certificates::Issue {
        keys: &state.cert_keys,
        ward: &state.settings.ward_name,
        user_id: holder.id,
        holder_name: &holder.full_name,
        course_slug: &old.course_slug,
        course_title: &old.course_title,
        course_version: &old.course_version,
        attempt_id: old.attempt_id,
        score: old.score,
        at: crate::db::now(),
    }
    .build()?;
    let new_code = new.code.clone();
    let old_code = old.code.clone();
    let issued = state
        .batcher
        .run(move |conn| -> Result<bool, AppError> {
            if Certificate::valid_for(conn, new.user_id, &new.course_slug, &new.course_version)?
                .is_some()
            {
                return Ok(false);
            }
            Certificate::insert(conn, &new)?;
            crate::audit::record(
                conn,
                admin.id,
                "certificate.reissue",
                &old_code,
                None,
                Some(&new.code),
            )?;
            Ok(true)
        })
        .await?;
    if !issued {
        return Err(AppError::BadRequest(
            "Người này đã có một chứng nhận còn hiệu lực cho khoá học này.".into(),
        ));
    }
    Ok(redirect(
        &format!("/admin/certificates?q={new_code}"),
        Some("certificate_reissued"),
    ))
}
