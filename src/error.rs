//! `AppError`: the one error type of request handlers, and the one place where errors become
//! HTTP responses (a Vietnamese page that tells the person what to do next).
//!
//! Validation problems a person can fix are not errors here: handlers show the form again
//! with the message beside the field. Everything unexpected becomes `Internal`, is logged,
//! and shows a page without details.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// Not logged in; `next` is where to return after logging in.
    #[error("login required")]
    LoginRequired { next: String },
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("missing or wrong CSRF token")]
    Csrf,
    /// A write met a unique constraint it can retry (a random code collided).
    #[error("conflict")]
    Conflict,
    #[error("too many attempts")]
    RateLimited { retry_after_secs: u64 },
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        match e {
            diesel::result::Error::NotFound => AppError::NotFound,
            other => AppError::Internal(other.into()),
        }
    }
}

impl From<diesel::r2d2::PoolError> for AppError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        AppError::Internal(anyhow::anyhow!("database pool: {e}"))
    }
}

impl From<actix_web::error::BlockingError> for AppError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        AppError::Internal(anyhow::anyhow!("blocking task: {e}"))
    }
}

impl From<tera::Error> for AppError {
    fn from(e: tera::Error) -> Self {
        AppError::Internal(anyhow::anyhow!("template: {e:?}"))
    }
}

/// What the error page says: a title, an explanation, and a next step.
struct ErrorPage {
    title: &'static str,
    message: String,
    action_href: &'static str,
    action_label: &'static str,
}

impl AppError {
    fn page(&self) -> ErrorPage {
        let home = ("/", "Về trang chủ");
        let (title, message, (action_href, action_label)) = match self {
            AppError::NotFound => (
                "Không tìm thấy trang",
                "Trang bạn tìm không có hoặc đã được chuyển đi. Hãy kiểm tra lại đường dẫn.".into(),
                home,
            ),
            AppError::Forbidden => (
                "Bạn không có quyền xem trang này",
                "Trang này dành cho người có vai trò khác. Nếu bạn cần quyền này, hãy liên hệ \
                 quản trị viên của phường."
                    .into(),
                home,
            ),
            AppError::LoginRequired { .. } => (
                "Bạn cần đăng nhập",
                "Hãy đăng nhập để tiếp tục.".into(),
                ("/login", "Đăng nhập"),
            ),
            AppError::BadRequest(msg) => ("Yêu cầu chưa đúng", msg.clone(), home),
            AppError::Csrf => (
                "Trang đã cũ",
                "Trang này đã mở quá lâu hoặc được gửi từ nơi khác. Hãy quay lại, tải lại \
                 trang rồi thử lại."
                    .into(),
                home,
            ),
            AppError::RateLimited { retry_after_secs } => (
                "Bạn đã thử quá nhiều lần",
                format!(
                    "Để bảo vệ tài khoản, hãy đợi khoảng {} phút rồi thử lại.",
                    retry_after_secs.div_ceil(60).max(1)
                ),
                ("/login", "Quay lại trang đăng nhập"),
            ),
            AppError::Conflict | AppError::Internal(_) => (
                "Máy chủ đang gặp sự cố",
                "Đã có lỗi ở phía chúng tôi, không phải do bạn. Dữ liệu bạn đã lưu vẫn còn. \
                 Hãy thử lại sau ít phút."
                    .into(),
                home,
            ),
        };
        ErrorPage {
            title,
            message,
            action_href,
            action_label,
        }
    }
}

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::LoginRequired { .. } => StatusCode::SEE_OTHER,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Conflict | AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::Internal(e) = self {
            tracing::error!(error = ?e, "internal error");
        }
        if let AppError::LoginRequired { next } = self {
            let location = format!("/login?next={}", crate::web::render::url_encode(next));
            return HttpResponse::SeeOther()
                .insert_header(("Location", location))
                .finish();
        }
        let page = self.page();
        let mut ctx = tera::Context::new();
        ctx.insert("title", page.title);
        ctx.insert("message", &page.message);
        ctx.insert("action_href", page.action_href);
        ctx.insert("action_label", page.action_label);
        let body = crate::web::render::render_plain("errors/error.html", &ctx)
            .unwrap_or_else(|_| format!("<h1>{}</h1>", page.title));
        let mut resp = HttpResponse::build(self.status_code());
        resp.content_type("text/html; charset=utf-8");
        if let AppError::RateLimited { retry_after_secs } = self {
            resp.insert_header(("Retry-After", retry_after_secs.to_string()));
        }
        resp.body(body)
    }
}
