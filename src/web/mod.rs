//! HTTP: the shared state, middleware and the one route table. Handlers are thin: they parse
//! the request, call domain code inside `web::block`, and render a template.

pub mod accounts;
pub mod admin;
pub mod assessment;
pub mod audit;
pub mod auth;
pub mod certificates;
pub mod courses;
pub mod csrf;
pub mod home;
pub mod imports;
pub mod limits;
pub mod people;
pub mod privacy;
pub mod render;
pub mod reports;
pub mod request_id;
pub mod reset;
pub mod session;
pub mod teach;
pub mod teach_stats;
pub mod team;

use actix_web::web;

use crate::config::Settings;
use crate::db::Pool;
use crate::keys::Keys;
use crate::mail::Mailer;

/// Everything handlers share. Nothing here is per-user: sessions live in signed cookies.
pub struct AppState {
    pub pool: Pool,
    pub backend: crate::db::Backend,
    pub keys: Keys,
    pub csrf_secret: [u8; 32],
    pub settings: Settings,
    pub mailer: Mailer,
    pub limits: limits::LoginLimits,
    pub library: std::sync::Arc<crate::courses::Library>,
    pub batcher: crate::db::batch::Batcher,
    pub cert_keys: crate::certificates::CertKeys,
    pub pages: render::PageCache,
}

impl AppState {
    /// Runs a read-only query. On SQLite it runs right here when a connection is free: a read
    /// takes microseconds and never waits for a lock in WAL mode, so handing it to another
    /// thread would cost more than the query. On PostgreSQL (a network round trip) it runs on
    /// the blocking pool.
    pub async fn read<T, F>(&self, f: F) -> Result<T, crate::error::AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut crate::db::DbConn) -> Result<T, crate::error::AppError> + Send + 'static,
    {
        if self.backend == crate::db::Backend::Sqlite {
            if let Some(mut conn) = self.pool.try_get() {
                return f(&mut conn);
            }
        }
        let pool = self.pool.clone();
        web::block(move || {
            let mut conn = pool.get()?;
            f(&mut conn)
        })
        .await?
    }
}

/// Every route, in one place.
pub fn routes(cfg: &mut web::ServiceConfig) {
    // The router tries routes in this order, and a route with a parameter costs a pattern
    // match: the pages learners open most come first.
    cfg.service(courses::lesson_page)
        .service(courses::course_page)
        .service(courses::catalog_page)
        .service(home::home)
        .service(home::healthz)
        .service(courses::mark_done)
        .service(assessment::landing)
        .service(assessment::start)
        .service(assessment::show)
        .service(assessment::attempt_json)
        .service(assessment::answer)
        .service(courses::search_page)
        .service(courses::media_file)
        .route("/static/{path:.*}", web::get().to(render::static_file))
        .service(accounts::register_form)
        .service(accounts::register)
        .service(accounts::login_form)
        .service(accounts::login)
        .service(accounts::logout)
        .service(accounts::account)
        .service(accounts::password_form)
        .service(accounts::change_password)
        .service(reset::forgot_form)
        .service(reset::forgot)
        .service(reset::reset_form)
        .service(reset::reset_password)
        .service(certificates::mine)
        .service(certificates::pdf_bulk)
        .service(certificates::printable)
        .service(certificates::pdf_one)
        .service(certificates::verify_form)
        .service(certificates::verify)
        .service(certificates::token)
        .service(certificates::jwks)
        .service(certificates::admin_list)
        .service(certificates::revoke)
        .service(certificates::reissue)
        .service(audit::list)
        .service(audit::export)
        .service(admin::index)
        .service(teach::dashboard)
        .service(teach::reload)
        .service(teach::preview_course)
        .service(teach::preview_lesson)
        .configure(imports::routes)
        .configure(people::routes)
        .configure(privacy::routes)
        .configure(reports::routes)
        .configure(team::routes)
        .configure(teach_stats::routes);
}
