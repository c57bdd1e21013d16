//! The administrator's home (`/admin`: counts and the account search) and the older account
//! address `/admin/users` and its old role and deactivation forms, served by `web::people`.

use actix_web::{HttpRequest, HttpResponse, get, web};

use super::AppState;
use super::auth::AdminUser;
use super::people::{FindQuery, find_page};
use crate::error::AppError;

/// `GET /admin`: how many accounts of each role and how many units, then the search.
#[get("/admin")]
pub async fn index(
    req: HttpRequest,
    state: web::Data<AppState>,
    _admin: AdminUser,
    query: web::Query<FindQuery>,
) -> Result<HttpResponse, AppError> {
    find_page(&req, &state, &query, true).await
}
