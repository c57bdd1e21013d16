//! `GET /admin/people.csv?<filters>&contacts=yes`: the accounts a search finds, as CSV. Phone
//! numbers, e-mails and masked citizen IDs are only included when the administrator ticks the
//! box (`contacts=yes`), and that request is written to the audit log with the filter. The
//! full citizen ID is never exported: it is not stored.

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};

use super::FindQuery;
use crate::accounts::listing;
use crate::error::AppError;
use crate::web::AppState;
use crate::web::auth::AdminUser;

#[get("/admin/people.csv")]
pub async fn people_csv(
    state: web::Data<AppState>,
    AdminUser(admin): AdminUser,
    query: web::Query<FindQuery>,
) -> Result<HttpResponse, AppError> {
    let filter = query.filter();
    let contacts = query.contacts == "yes";
    let pool = state.pool.clone();
    let rows = web::block(move || -> Result<_, AppError> {
        let mut conn = pool.get()?;
        Ok(listing::export(&mut conn, admin.id, &filter, contacts)?)
    })
    .await??;
    let bytes = crate::export::csv(&listing::header(contacts), &rows)?;
    let name = if contacts {
        "tai-khoan-kem-lien-he.csv"
    } else {
        "tai-khoan.csv"
    };
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        ))
        .body(bytes))
}
