//! Building and running the server; used by `hocvuso serve` and by the tests, which bind
//! port 0 and talk HTTP to the real thing.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::middleware::{Compress, DefaultHeaders, from_fn};
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use tracing_actix_web::TracingLogger;

use crate::accounts::{self, Contact, CreateError, User};
use crate::config::Settings;
use crate::db::{self, Pool};
use crate::error::AppError;
use crate::keys::Keys;
use crate::mail::Mailer;
use crate::web::{AppState, limits::LoginLimits, render, routes, session};

/// Content Security Policy: only our own scripts, styles and images; no framing.
const CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; \
                   script-src 'self'; object-src 'none'; base-uri 'none'; \
                   frame-ancestors 'none'; form-action 'self'";

pub struct Application {
    port: u16,
    pool: Pool,
    server: Server,
}

impl Application {
    /// Opens the database (migrating it), loads keys and templates, and binds the port.
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        render::check_templates()?;
        let pool = db::connect(&settings.database_url, settings.db_pool_size)?;
        let keys = Keys::load(settings.signing_key.as_deref(), &settings.data_dir)?;
        let mailer = Mailer::new(
            settings.smtp_url.as_deref(),
            settings.data_dir.join("mail"),
            &settings.mail_from,
        )?;
        tracing::info!(mail = %mailer.describe(), database = ?db::Backend::from_url(&settings.database_url), "starting");
        let listener = TcpListener::bind((settings.host.as_str(), settings.port))
            .with_context(|| format!("Failed to bind {}:{}", settings.host, settings.port))?;
        let port = listener.local_addr()?.port();
        let workers = settings.workers;
        let secure = settings.secure_cookies;
        let state = web::Data::new(AppState {
            pool: pool.clone(),
            csrf_secret: keys.derive("csrf"),
            keys,
            limits: LoginLimits::new(settings.trust_proxy, settings.login_burst),
            mailer,
            settings,
        });
        let mut server = HttpServer::new(move || {
            let mut headers = DefaultHeaders::new()
                .add((header::CONTENT_SECURITY_POLICY, CSP))
                .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                .add((header::X_FRAME_OPTIONS, "DENY"))
                .add((header::REFERRER_POLICY, "same-origin"))
                .add((
                    "Permissions-Policy",
                    "camera=(), microphone=(), geolocation=()",
                ));
            if secure {
                headers = headers.add((header::STRICT_TRANSPORT_SECURITY, "max-age=31536000"));
            }
            App::new()
                .app_data(state.clone())
                .app_data(web::FormConfig::default().limit(64 * 1024))
                .wrap(from_fn(session::middleware))
                .wrap(headers)
                .wrap(Compress::default())
                .wrap(TracingLogger::default())
                .configure(routes)
                .default_service(web::to(|| async {
                    Err::<actix_web::HttpResponse, _>(AppError::NotFound)
                }))
        })
        .listen(listener)?
        .shutdown_timeout(20);
        if let Some(n) = workers {
            server = server.workers(n);
        }
        Ok(Application {
            port,
            pool,
            server: server.run(),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// A handle to stop the server gracefully.
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    /// Serves until SIGTERM or SIGINT, then finishes the requests in flight and stops.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// Creates the first administrator on an empty database and returns its one-time password
/// (shown once, never stored in clear). `None` when an administrator exists.
pub fn ensure_first_admin(pool: &Pool, login: &str) -> anyhow::Result<Option<String>> {
    let mut conn = pool.get()?;
    if User::count_admins(&mut conn)? > 0 {
        return Ok(None);
    }
    let contact =
        Contact::parse(login).map_err(|e| anyhow::anyhow!("HOCVUSO_ADMIN_LOGIN={login}: {e}"))?;
    match accounts::create_admin(&mut conn, "Quản trị viên", &contact) {
        Ok(otp) => Ok(Some(otp)),
        // Another server created it at the same moment, or the login belongs to a learner.
        Err(CreateError::Taken) => Ok(None),
        Err(CreateError::Db(e)) => Err(e.into()),
    }
}
