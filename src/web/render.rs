//! Rendering: Tera templates and static files embedded in the binary (read from disk in debug
//! builds), parsed once; the context every page shares; flash messages.

use std::sync::LazyLock;

use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::{HttpRequest, HttpResponse, web};
use rust_embed::Embed;
use serde::Serialize;
use tera::{Context, Tera};

use super::session::RequestSession;
use crate::error::AppError;

#[derive(Embed)]
#[folder = "templates/"]
pub struct Assets;

static TERA: LazyLock<Result<Tera, String>> = LazyLock::new(|| {
    let files: Vec<(String, String)> = Assets::iter()
        .filter(|p| p.ends_with(".html") || p.ends_with(".txt"))
        .filter_map(|p| {
            Assets::get(&p).map(|f| (p.to_string(), String::from_utf8_lossy(&f.data).into_owned()))
        })
        .collect();
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html"]);
    tera.register_filter("number", number_filter);
    tera.register_filter("decimal", decimal_filter);
    tera.register_filter("date_vi", date_vi_filter);
    tera.register_filter("month_vi", month_vi_filter);
    tera.add_raw_templates(files)
        .map_err(|e| format!("{e:?}"))?;
    Ok(tera)
});

/// `{{ n | number }}`: a whole number as Vietnamese readers write it ("45.000"); "—" for none.
fn number_filter(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    Ok(match value.as_f64() {
        Some(n) => crate::reports::charts::thousands(n.round() as i64).into(),
        None => "—".into(),
    })
}

/// `{{ x | decimal }}`: one decimal with a decimal comma ("72,5"); "—" for none.
fn decimal_filter(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    Ok(match value.as_f64() {
        Some(n) => crate::stats::decimal_vi(n).into(),
        None => "—".into(),
    })
}

/// `{{ "2026-12-31" | date_vi }}`: a date as Vietnamese readers write it ("31/12/2026").
fn date_vi_filter(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = value.as_str().unwrap_or_default();
    Ok(match chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(d) => d.format("%d/%m/%Y").to_string().into(),
        Err(_) => text.into(),
    })
}

/// `{{ "2026-06" | month_vi }}`: a month as "06/2026".
fn month_vi_filter(
    value: &tera::Value,
    _: &std::collections::HashMap<String, tera::Value>,
) -> tera::Result<tera::Value> {
    let text = value.as_str().unwrap_or_default();
    Ok(match text.split_once('-') {
        Some((year, month)) => format!("{month}/{year}").into(),
        None => text.into(),
    })
}

/// Parses every template now, so that a broken template stops start-up with its error.
pub fn check_templates() -> anyhow::Result<()> {
    TERA.as_ref()
        .map(|_| ())
        .map_err(|e| anyhow::anyhow!("templates: {e}"))
}

/// Renders a template to a string.
pub fn render_plain(name: &str, ctx: &Context) -> Result<String, AppError> {
    let tera = TERA
        .as_ref()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("templates: {e}")))?;
    Ok(tera.render(name, ctx)?)
}

/// Percent-encodes a query value.
pub fn url_encode(value: &str) -> String {
    serde_urlencoded::to_string([("", value)])
        .map(|s| s.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}

/// A path to return to after logging in: only local paths, never another site.
pub fn safe_next(next: Option<&str>) -> Option<String> {
    let next = next?.trim();
    let local = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    (local && !next.contains("://")).then(|| next.to_owned())
}

const FLASH_COOKIE: &str = "hvs_flash";

/// One-off messages shown on the next page, carried by a short cookie holding a code.
pub fn flash_text(code: &str) -> Option<&'static str> {
    Some(match code {
        "registered" => "Đăng ký thành công. Chào mừng bạn đến với Học Vụ Số!",
        "logged_in" => "Bạn đã đăng nhập.",
        "logged_out" => "Bạn đã đăng xuất. Hẹn gặp lại!",
        "password_changed" => "Đã đổi mật khẩu. Các thiết bị khác đã được đăng xuất.",
        "password_reset" => "Đã đặt mật khẩu mới. Hãy đăng nhập bằng mật khẩu mới.",
        "role_changed" => "Đã đổi vai trò của tài khoản.",
        "activated" => "Đã mở lại tài khoản.",
        "deactivated" => "Đã khoá tài khoản. Người này đã bị đăng xuất.",
        "person_saved" => "Đã lưu thông tin và ghi vào nhật ký quản trị.",
        "person_unchanged" => "Không có thông tin nào thay đổi.",
        "reset_link_sent" => {
            "Đã gửi thư có đường dẫn đặt lại mật khẩu. Đường dẫn chỉ dùng được một lần, trong 60 phút."
        }
        "reset_link_failed" => {
            "Chưa gửi được thư. Hãy thử lại sau, hoặc in phiếu mật khẩu dùng một lần."
        }
        "manager_added" => "Đã giao quản lý đơn vị.",
        "manager_added_promoted" => {
            "Đã giao quản lý đơn vị. Người này nay có vai trò Quản lý đơn vị và cần đăng nhập lại."
        }
        "manager_already" => "Người này đã quản lý đơn vị này rồi.",
        "manager_removed" => "Đã thôi giao quản lý đơn vị. Người này vẫn giữ vai trò hiện tại.",
        "manager_not_assigned" => "Người này không còn quản lý đơn vị đó.",
        "answers_saved" => "Đã lưu câu trả lời. Bạn có thể làm tiếp hoặc nộp bài.",
        "time_over" => "Đã hết giờ làm bài: câu trả lời gửi sau giờ không được tính.",
        "certificate_revoked" => "Đã thu hồi chứng nhận và ghi vào nhật ký.",
        "certificate_reissued" => "Đã cấp lại chứng nhận với mã mới.",
        "reloaded" => "Đã đọc lại các khoá học. Không có lỗi.",
        "reloaded_with_problems" => {
            "Đã đọc lại các khoá học, nhưng có lỗi: xem danh sách bên dưới. Khoá học lỗi vẫn dùng bản tốt gần nhất."
        }
        _ => return None,
    })
}

pub fn flash_cookie(code: &'static str) -> Cookie<'static> {
    Cookie::build(FLASH_COOKIE, code)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .max_age(CookieDuration::seconds(60))
        .finish()
}

/// A 303 redirect, optionally with a flash message for the next page.
pub fn redirect(location: &str, flash: Option<&'static str>) -> HttpResponse {
    let mut resp = HttpResponse::SeeOther();
    resp.insert_header(("Location", location.to_owned()));
    if let Some(code) = flash {
        resp.cookie(flash_cookie(code));
    }
    resp.finish()
}

/// What templates know about the person looking at the page.
#[derive(Serialize)]
struct Me<'a> {
    id: i64,
    name: &'a str,
    role: &'a str,
    role_label: &'a str,
}

/// Renders a full page with the shared context: the person, the CSRF token, the ward's name
/// and any flash message.
pub fn page(req: &HttpRequest, name: &str, ctx: Context) -> Result<HttpResponse, AppError> {
    page_with_status(req, name, ctx, actix_web::http::StatusCode::OK)
}

pub fn page_with_status(
    req: &HttpRequest,
    name: &str,
    mut ctx: Context,
    status: actix_web::http::StatusCode,
) -> Result<HttpResponse, AppError> {
    let session = RequestSession::of(req);
    if let Some(user) = &session.user {
        let role = user.role();
        ctx.insert(
            "me",
            &Me {
                id: user.id,
                name: &user.full_name,
                role: role.as_str(),
                role_label: role.label_vi(),
            },
        );
    }
    ctx.insert("csrf_token", &session.csrf_field());
    if let Some(state) = req.app_data::<web::Data<super::AppState>>() {
        ctx.insert("ward_name", &state.settings.ward_name);
    }
    let flash = req.cookie(FLASH_COOKIE);
    if let Some(text) = flash.as_ref().and_then(|c| flash_text(c.value())) {
        ctx.insert("flash", text);
    }
    let body = render_plain(name, &ctx)?;
    let mut resp = HttpResponse::build(status);
    resp.content_type("text/html; charset=utf-8");
    if flash.is_some() {
        let mut gone = Cookie::build(FLASH_COOKIE, "").path("/").finish();
        gone.make_removal();
        resp.cookie(gone);
    }
    Ok(resp.body(body))
}

/// Pages whose HTML depends only on content and on a few facts about the viewer (their
/// group, role, whether the lesson is done): rendered once per combination, then served with
/// the viewer's CSRF token put in. The key names every fact the page shows.
#[derive(Default)]
pub struct PageCache {
    pages: std::sync::Mutex<std::collections::HashMap<String, std::sync::Arc<String>>>,
}

/// Stands for the CSRF token in a cached page.
const CSRF_SLOT: &str = "\u{1}csrf\u{1}";
/// Pages kept at most; past that the cache starts again (a reload changes every key anyway).
const MAX_CACHED_PAGES: usize = 4096;

impl PageCache {
    fn get(&self, key: &str) -> Option<std::sync::Arc<String>> {
        self.pages.lock().ok()?.get(key).cloned()
    }

    fn put(&self, key: String, page: std::sync::Arc<String>) {
        if let Ok(mut pages) = self.pages.lock() {
            if pages.len() >= MAX_CACHED_PAGES {
                pages.clear();
            }
            pages.insert(key, page);
        }
    }
}

/// Renders `name` through the page cache. `key` must name everything the page shows besides
/// the viewer's role and CSRF token; `build` makes the context on a miss. Pages with a flash
/// message are rendered afresh.
pub fn cached_page(
    req: &HttpRequest,
    cache: &PageCache,
    key: &str,
    name: &str,
    build: impl FnOnce() -> Result<Context, AppError>,
) -> Result<HttpResponse, AppError> {
    if req.cookie(FLASH_COOKIE).is_some() {
        return page(req, name, build()?);
    }
    let session = RequestSession::of(req);
    let role = session.user.as_ref().map(|u| u.role());
    let full_key = format!(
        "{name}|{key}|{}",
        role.map(|r| r.as_str()).unwrap_or("visitor")
    );
    let html = match cache.get(&full_key) {
        Some(html) => html,
        None => {
            let mut ctx = build()?;
            if let Some(role) = role {
                ctx.insert(
                    "me",
                    &Me {
                        id: 0,
                        name: "",
                        role: role.as_str(),
                        role_label: role.label_vi(),
                    },
                );
            }
            ctx.insert("csrf_token", CSRF_SLOT);
            if let Some(state) = req.app_data::<web::Data<super::AppState>>() {
                ctx.insert("ward_name", &state.settings.ward_name);
            }
            let html = std::sync::Arc::new(render_plain(name, &ctx)?);
            cache.put(full_key, html.clone());
            html
        }
    };
    let body = html.replace(CSRF_SLOT, &session.csrf_field());
    Ok(HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(body))
}

/// `GET /static/{path}`: CSS, scripts, fonts and icons from the binary.
pub async fn static_file(path: web::Path<String>) -> HttpResponse {
    let path = path.into_inner();
    match Assets::get(&format!("static/{path}")) {
        Some(file) => {
            let mime = mime_guess::from_path(&path).first_or_octet_stream();
            HttpResponse::Ok()
                .content_type(mime.as_ref())
                .insert_header(("Cache-Control", "public, max-age=3600"))
                .body(file.data.into_owned())
        }
        None => actix_web::ResponseError::error_response(&AppError::NotFound),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_only_goes_to_local_pages() {
        assert_eq!(safe_next(Some("/account")), Some("/account".into()));
        assert_eq!(safe_next(Some("//evil.example")), None);
        assert_eq!(safe_next(Some("https://evil.example")), None);
        assert_eq!(safe_next(Some("/\\evil.example")), None);
        assert_eq!(safe_next(None), None);
    }

    #[test]
    fn every_template_parses() {
        check_templates().unwrap();
    }
}
