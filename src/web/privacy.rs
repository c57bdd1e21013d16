//! A person's own data: what we keep and why, consents, download (JSON), deletion.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{Datelike, NaiveDateTime};
use serde::{Deserialize, Serialize};
use tera::Context;

use super::AppState;
use super::auth::CurrentUser;
use super::csrf::CsrfForm;
use super::render::{page_with_status, redirect, render_plain};
use super::session::{RequestSession, session_removal};
use crate::accounts::citizen_id::mask;
use crate::accounts::{Unit, User, password};
use crate::error::AppError;
use crate::forms::FieldErrors;
use crate::groups::Group;
use crate::privacy::consent::{self, Consent, GivenBy};
use crate::privacy::{erase, export};

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

fn time_vi(at: NaiveDateTime) -> String {
    // Stored in UTC; shown in Vietnam's time (UTC+7).
    (at + chrono::Duration::hours(7))
        .format("%H:%M ngày %d/%m/%Y")
        .to_string()
}

#[derive(Serialize)]
struct FieldView {
    label: &'static str,
    value: String,
    why: &'static str,
}

#[derive(Serialize)]
struct ConsentView {
    field: &'static str,
    text: &'static str,
    required: bool,
    granted: bool,
    when: String,
    version: String,
    given_by: String,
}

#[derive(Serialize)]
struct HistoryView {
    text: String,
    granted: bool,
    when: String,
    version: String,
    given_by: String,
}

fn given_by_vi(c: &Consent) -> String {
    let who = if c.given_by == GivenBy::Guardian.as_str() {
        match &c.guardian_name {
            Some(name) => format!("cha, mẹ hoặc người giám hộ ({name})"),
            None => "cha, mẹ hoặc người giám hộ".to_owned(),
        }
    } else {
        "bạn".to_owned()
    };
    if c.recorded_by.is_some() {
        format!("{who}, người hỗ trợ ghi giúp")
    } else {
        who
    }
}

fn field_views(user: &User, unit: Option<String>, residence: Option<String>) -> Vec<FieldView> {
    let mut fields = vec![FieldView {
        label: "Họ và tên",
        value: user.full_name.clone(),
        why: "In trên chứng nhận của bạn và để người hỗ trợ nhận ra bạn.",
    }];
    if let Some(phone) = &user.phone {
        fields.push(FieldView {
            label: "Số điện thoại",
            value: crate::accounts::phone::Phone::display_local(phone),
            why: "Để bạn đăng nhập và lấy lại mật khẩu.",
        });
    }
    if let Some(email) = &user.email {
        fields.push(FieldView {
            label: "Email",
            value: email.clone(),
            why: "Để bạn đăng nhập, lấy lại mật khẩu và nhận thư báo chứng nhận.",
        });
    }
    if let Some(username) = &user.username {
        fields.push(FieldView {
            label: "Tên đăng nhập",
            value: username.clone(),
            why: "Để bạn đăng nhập khi không có số điện thoại hay email.",
        });
    }
    fields.push(FieldView {
        label: "Năm sinh",
        value: user.birth_year.to_string(),
        why: "Để biết cần cha mẹ đồng ý hay không (dưới 16 tuổi) và đếm theo độ tuổi trong báo cáo.",
    });
    fields.push(FieldView {
        label: "Giới tính",
        value: match user.sex.as_deref() {
            Some("nam") => "Nam".into(),
            Some("nu") => "Nữ".into(),
            _ => "Không nêu".into(),
        },
        why: "Không bắt buộc. Chỉ để đếm số người học theo giới tính trong báo cáo.",
    });
    fields.push(FieldView {
        label: "Nhóm",
        value: user.group().map(Group::label_vi).unwrap_or("—").into(),
        why: "Để hiện bài học viết cho nhóm của bạn và đếm theo nhóm trong báo cáo.",
    });
    if let Some(unit) = unit {
        fields.push(FieldView {
            label: "Đơn vị",
            value: unit,
            why: "Để đơn vị của bạn biết bao nhiêu người đã học xong (không nêu tên trong báo cáo).",
        });
    }
    if let Some(residence) = residence {
        fields.push(FieldView {
            label: "Tổ dân phố nơi ở",
            value: residence,
            why: "Để đếm tiến độ của từng tổ dân phố.",
        });
    }
    if let Some(tail) = &user.citizen_id_tail {
        fields.push(FieldView {
            label: "Số định danh (CCCD)",
            value: mask(tail),
            why: "Để đối chiếu với danh sách xác nhận của phường. Chúng tôi không lưu cả số, chỉ 3 số cuối.",
        });
    }
    fields.push(FieldView {
        label: "Kết quả học",
        value: "Bài đã học, bài kiểm tra, điểm và chứng nhận".into(),
        why: "Để bạn học tiếp chỗ đang dở, nhận chứng nhận, và để đếm (không nêu tên) trong báo cáo của phường.",
    });
    fields
}

fn consent_views(current: &[Consent]) -> Vec<ConsentView> {
    consent::PURPOSES
        .iter()
        .filter_map(|p| {
            let field = consent::field_name(p.code)?;
            let c = current.iter().find(|c| c.purpose == p.code);
            Some(ConsentView {
                field,
                text: p.text_vi,
                required: p.required,
                granted: c.is_some_and(|c| c.granted),
                when: c.map(|c| time_vi(c.at)).unwrap_or_default(),
                version: c.map(|c| c.version.clone()).unwrap_or_default(),
                given_by: c.map(given_by_vi).unwrap_or_default(),
            })
        })
        .collect()
}

struct DataPage {
    fields: Vec<FieldView>,
    current: Vec<ConsentView>,
    history: Vec<HistoryView>,
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
    let history = history
        .iter()
        .rev()
        .map(|c| HistoryView {
            text: consent::purpose(&c.purpose)
                .map(|p| p.text_vi.to_owned())
                .unwrap_or_else(|| c.purpose.clone()),
            granted: c.granted,
            when: time_vi(c.at),
            version: c.version.clone(),
            given_by: given_by_vi(c),
        })
        .collect();
    Ok(DataPage {
        fields: field_views(user, unit, residence),
        current: consent_views(&current),
        history,
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
    let outcome = web::block(move || -> Result<Result<(), ()>, AppError> {
        let mut conn = pool.get()?;
        crate::db::write_tx(&mut conn, |conn| -> Result<Result<(), ()>, AppError> {
            let current = consent::current(conn, id)?;
            let changes: Vec<(&str, bool)> = wanted
                .iter()
                .filter(|(code, granted)| {
                    let now = current
                        .iter()
                        .find(|c| c.purpose == *code)
                        .is_some_and(|c| c.granted);
                    now != *granted
                })
                .copied()
                .collect();
            // A child may withdraw alone; a new permission needs their parent or guardian.
            if child && changes.iter().any(|(_, granted)| *granted) {
                return Ok(Err(()));
            }
            if !changes.is_empty() {
                consent::record(conn, id, &changes, GivenBy::Person, None, None)?;
            }
            Ok(Ok(()))
        })
    })
    .await??;
    match outcome {
        Ok(()) => Ok(redirect("/account/data?saved=1", None)),
        Err(()) => {
            render_data_page(
                &req,
                &state,
                &user,
                false,
                Some(
                    "Người học dưới 16 tuổi cần cha, mẹ hoặc người giám hộ đồng ý cho việc mới. \
                     Hãy cùng cha mẹ nhờ người hỗ trợ của phường ghi giúp.",
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
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
