//! Upload forms for CSV imports (units, population, VNeID, learner rosters), administrators
//! only: one page with a form per kind, and a result page with the summary, the rows that
//! could not be imported, and (for rosters) the login slips to print.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use futures_util::StreamExt;
use serde::Serialize;
use tera::Context;

use super::AppState;
use super::auth::AdminUser;
use super::render::{page, page_with_status};
use crate::accounts::slip::Slip;
use crate::error::AppError;
use crate::imports::{Kind, Summary};

/// The largest file accepted.
const MAX_FILE: usize = 20 * 1024 * 1024;
/// The largest text field (token, date, checkbox).
const MAX_FIELD: usize = 1024;

/// This module's routes (registered by `web::routes`).
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(index).service(submit);
}

#[derive(Serialize)]
struct Section {
    kind: &'static str,
    title: &'static str,
    about: &'static str,
    columns: &'static [&'static str],
    example: &'static str,
    button: &'static str,
}

fn title(kind: Kind) -> &'static str {
    match kind {
        Kind::Units => "Đơn vị",
        Kind::Population => "Số dân theo đơn vị",
        Kind::Vneid => "Xác nhận VNeID",
        Kind::Learners => "Danh sách học viên",
    }
}

fn sections() -> Vec<Section> {
    vec![
        Section {
            kind: "units",
            title: title(Kind::Units),
            about: "Tổ dân phố, trường học, cơ quan, doanh nghiệp, hợp tác xã. Hãy nhập đơn vị \
                    trước: các tệp khác ghi đơn vị bằng mã.",
            columns: &[
                "mã (code): mã đơn vị, không trùng",
                "tên (name): tên đơn vị",
                "loại (kind): tổ dân phố, trường, cơ quan, doanh nghiệp hoặc hợp tác xã",
            ],
            example: "mã,tên,loại\nTDP1,Tổ dân phố 1,tổ dân phố",
            button: "Nhập đơn vị",
        },
        Section {
            kind: "population",
            title: title(Kind::Population),
            about: "Số người của từng nhóm đối tượng trong từng đơn vị, tính đến một ngày: mẫu \
                    số của các chỉ tiêu trong báo cáo.",
            columns: &[
                "mã đơn vị (unit): mã đơn vị đã nhập",
                "đối tượng (population): cán bộ công chức viên chức, học sinh, người dân \
                 trưởng thành hoặc người lao động",
                "số người (count): số nguyên, có thể viết 1.234",
                "tính đến ngày (as_of), không bắt buộc: 30/11/2026 hoặc 2026-11-30; nếu \
                 không có cột này, dùng ngày chọn dưới đây",
            ],
            example: "mã đơn vị,đối tượng,số người,tính đến ngày\nTDP1,người dân,1.234,30/11/2026",
            button: "Nhập số dân",
        },
        Section {
            kind: "vneid",
            title: title(Kind::Vneid),
            about: "Những người đã được xác nhận trên VNeID. Mỗi dòng nhận ra một người bằng số \
                    định danh, số điện thoại hoặc tên đăng nhập. Số định danh chỉ được lưu dưới \
                    dạng mã băm, không bao giờ hiện ra.",
            columns: &[
                "số định danh (citizen_id), số điện thoại (phone) hoặc tên đăng nhập \
                 (learner_id): ít nhất một cột",
                "ngày xác nhận (confirmed_on): 30/11/2026 hoặc 2026-11-30",
                "tổ dân phố (unit), không bắt buộc: mã tổ dân phố, cho người chưa có tài \
                 khoản (cần cả số định danh)",
            ],
            example: "số định danh,số điện thoại,ngày xác nhận,tổ dân phố\n\
                      031204000123,0912345678,30/11/2026,TDP1",
            button: "Nhập xác nhận VNeID",
        },
        Section {
            kind: "learners",
            title: title(Kind::Learners),
            about: "Cán bộ theo cơ quan, học sinh theo trường: mỗi người mới được tạo tài khoản \
                    với mật khẩu dùng một lần, in trên phiếu đăng nhập. Người đã có tài khoản \
                    được giữ nguyên.",
            columns: &[
                "họ và tên (full_name)",
                "năm sinh (birth_year)",
                "nhóm (group): cán bộ, học sinh, người lao động hoặc người dân",
                "mã đơn vị (unit): bắt buộc với cán bộ, học sinh, người lao động",
                "không bắt buộc: số điện thoại (phone), email, giới tính (sex: nam/nữ), số \
                 định danh (citizen_id), tổ dân phố (residence)",
            ],
            example: "họ và tên,năm sinh,nhóm,mã đơn vị,số điện thoại\n\
                      Nguyễn Văn An,2011,học sinh,THCS,",
            button: "Nhập danh sách học viên",
        },
    ]
}

fn form_page(
    req: &HttpRequest,
    kind: Option<Kind>,
    error: Option<&str>,
    as_of: &str,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut ctx = Context::new();
    ctx.insert("sections", &sections());
    ctx.insert("kind", kind.map(Kind::as_str).unwrap_or(""));
    ctx.insert("error", &error);
    ctx.insert("as_of", as_of);
    page_with_status(req, "imports/index.html", ctx, status)
}

#[get("/admin/imports")]
pub async fn index(req: HttpRequest, _admin: AdminUser) -> Result<HttpResponse, AppError> {
    form_page(&req, None, None, "", StatusCode::OK)
}

/// What the upload form sent.
#[derive(Default)]
struct Upload {
    csrf_token: String,
    dry_run: bool,
    as_of: String,
    file: Vec<u8>,
    has_file: bool,
}

/// Reads the multipart form; the message says what is wrong with it.
async fn read_upload(mut payload: Multipart) -> Result<Upload, String> {
    let unreadable = "Biểu mẫu gửi lên chưa đúng. Hãy chọn lại tệp CSV và gửi lại.";
    let mut upload = Upload::default();
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|_| unreadable.to_owned())?;
        let name = field.name().unwrap_or("").to_owned();
        let limit = if name == "file" { MAX_FILE } else { MAX_FIELD };
        let mut bytes = Vec::new();
        while let Some(chunk) = field.next().await {
            let chunk = chunk.map_err(|_| unreadable.to_owned())?;
            if bytes.len() + chunk.len() > limit {
                return Err(format!(
                    "Tệp quá lớn: tối đa {} MB. Hãy chia tệp thành nhiều phần.",
                    MAX_FILE / 1024 / 1024
                ));
            }
            bytes.extend_from_slice(&chunk);
        }
        let text = || String::from_utf8_lossy(&bytes).trim().to_owned();
        match name.as_str() {
            "csrf_token" => upload.csrf_token = text(),
            "dry_run" => upload.dry_run = !bytes.is_empty(),
            "as_of" => upload.as_of = text(),
            "file" => {
                upload.has_file = true;
                upload.file = bytes;
            }
            _ => {}
        }
    }
    Ok(upload)
}

/// The outcome of an import run in the background.
enum Outcome {
    Done(Summary, Vec<Slip>),
    /// The file as a whole was refused (nothing written).
    Refused(String),
}

fn run_import(
    state: &AppState,
    kind: Kind,
    data: &[u8],
    as_of: Option<chrono::NaiveDate>,
    dry_run: bool,
    admin: i64,
) -> Result<Outcome, AppError> {
    let mut conn = state.pool.get()?;
    let key = state.keys.derive("citizen-id");
    let mut tick = |_| {};
    let result = match kind {
        Kind::Units => crate::imports::units::import(&mut conn, data, dry_run, &mut tick)
            .map(|s| (s, Vec::new())),
        Kind::Population => {
            crate::imports::population::import(&mut conn, data, as_of, dry_run, &mut tick)
                .map(|s| (s, Vec::new()))
        }
        Kind::Vneid => crate::imports::vneid::import(&mut conn, data, &key, dry_run, &mut tick)
            .map(|s| (s, Vec::new())),
        Kind::Learners => {
            crate::imports::learners::import(&mut conn, data, &key, Some(admin), dry_run, &mut tick)
        }
    };
    let (summary, slips) = match result {
        Ok(done) => done,
        Err(reason) => return Ok(Outcome::Refused(reason)),
    };
    if !dry_run {
        let after = serde_json::json!({
            "rows": summary.rows,
            "created": summary.created,
            "updated": summary.updated,
            "unchanged": summary.unchanged,
            "errors": summary.errors.len(),
        })
        .to_string();
        crate::db::write_tx(&mut conn, |conn| {
            crate::audit::record(
                conn,
                admin,
                &format!("import.{}", kind.as_str()),
                &format!("import:{}", kind.as_str()),
                None,
                Some(&after),
            )
        })?;
    }
    Ok(Outcome::Done(summary, slips))
}

#[post("/admin/imports/{kind}")]
pub async fn submit(
    req: HttpRequest,
    state: web::Data<AppState>,
    AdminUser(admin): AdminUser,
    kind: web::Path<String>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let kind = Kind::parse(&kind).ok_or(AppError::NotFound)?;
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let upload = match read_upload(payload).await {
        Ok(u) => u,
        Err(message) => return form_page(&req, Some(kind), Some(&message), "", unprocessable),
    };
    super::csrf::verify_token(&req, &upload.csrf_token)?;
    let as_of_text = upload.as_of.clone();
    let refuse =
        |message: &str| form_page(&req, Some(kind), Some(message), &as_of_text, unprocessable);
    if !upload.has_file || upload.file.is_empty() {
        return refuse("Hãy chọn một tệp CSV có dữ liệu.");
    }
    let data = upload.file;
    if std::str::from_utf8(&data).is_err() || data.contains(&0) {
        return refuse(
            "Tệp này không phải CSV dạng văn bản UTF-8. Trong Excel, hãy chọn Lưu thành → \
             \"CSV UTF-8 (phân tách bằng dấu phẩy)\" rồi gửi lại.",
        );
    }
    let as_of = match upload.as_of.as_str() {
        "" => None,
        text => match crate::imports::parse_date(text) {
            Ok(d) => Some(d),
            Err(_) => return refuse("Ngày tính số liệu chưa đúng, ví dụ: 30/11/2026."),
        },
    };
    let dry_run = upload.dry_run;
    let state2 = state.clone();
    let outcome =
        web::block(move || run_import(&state2, kind, &data, as_of, dry_run, admin.id)).await??;
    let (summary, slips) = match outcome {
        Outcome::Done(summary, slips) => (summary, slips),
        Outcome::Refused(reason) => {
            return refuse(&format!(
                "Tệp chưa nhập được, không có gì được ghi: {reason}."
            ));
        }
    };
    let mut ctx = Context::new();
    ctx.insert("kind", kind.as_str());
    ctx.insert("title", title(kind));
    ctx.insert("summary", &summary);
    ctx.insert("slips", &slips);
    ctx.insert("site_url", &state.settings.public_url);
    page(&req, "imports/result.html", ctx)
}
