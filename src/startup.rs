//! Building and running the server; used by `hocvuso serve` and by the tests, which bind
//! port 0 and talk HTTP to the real thing.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::http::header;
use actix_web::middleware::{Compress, DefaultHeaders, from_fn};
use actix_web::{App, HttpServer, web};
use anyhow::Context;

use crate::accounts::{self, Contact, CreateError, User};
use crate::config::Settings;
use crate::courses::Library;
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
    library: Arc<Library>,
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
        let library = Arc::new(Library::load(&settings.courses_dir));
        refresh_report_facts(&pool, &library);
        let cert_keys = crate::certificates::CertKeys::derive(&keys)?;
        let listener = TcpListener::bind((settings.host.as_str(), settings.port))
            .with_context(|| format!("Failed to bind {}:{}", settings.host, settings.port))?;
        let port = listener.local_addr()?.port();
        let workers = settings.workers;
        let secure = settings.secure_cookies;
        let state = web::Data::new(AppState {
            pool: pool.clone(),
            backend: db::Backend::from_url(&settings.database_url),
            csrf_secret: keys.derive("csrf"),
            keys,
            limits: LoginLimits::new(settings.trust_proxy, settings.login_burst),
            library: library.clone(),
            batcher: crate::db::batch::Batcher::start(pool.clone()),
            cert_keys,
            pages: Default::default(),
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
                .wrap(from_fn(crate::web::request_id::middleware))
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
            library,
            server: server.run(),
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    /// The courses, for reloading on SIGHUP or on file change.
    pub fn library(&self) -> Arc<Library> {
        self.library.clone()
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

/// Brings the report's facts up to date in the background, so that the first report after a
/// deployment or a new plan does not wait for a rebuild (a city's takes minutes).
fn refresh_report_facts(pool: &Pool, library: &Library) {
    let Some(plan) = library.get().plan.clone() else {
        return;
    };
    let pool = pool.clone();
    std::thread::spawn(move || {
        let started = std::time::Instant::now();
        let done = pool
            .get()
            .map_err(anyhow::Error::from)
            .and_then(|mut c| Ok(crate::reports::facts::refresh(&mut c, &plan.goals)?));
        match done {
            Ok(r) => tracing::info!(
                rebuilt = r.rebuilt,
                learners = r.learners,
                millis = started.elapsed().as_millis() as u64,
                "report facts up to date"
            ),
            Err(e) => tracing::warn!(error = %e, "report facts not refreshed"),
        }
    });
}

/// Reloads the courses when the process gets SIGHUP (`kill -HUP <pid>`).
pub fn reload_on_sighup(library: Arc<Library>) {
    #[cfg(unix)]
    actix_web::rt::spawn(async move {
        use tokio::signal::unix::{SignalKind, signal};
        let Ok(mut hangups) = signal(SignalKind::hangup()) else {
            tracing::warn!("cannot listen for SIGHUP; reload courses from the teachers' page");
            return;
        };
        while hangups.recv().await.is_some() {
            let library = library.clone();
            if let Err(e) = actix_web::rt::task::spawn_blocking(move || library.reload()).await {
                tracing::error!(error = ?e, "course reload failed");
            }
        }
    });
}

/// In development: reloads the courses within two seconds of any file change under the folder.
pub fn watch_courses(library: Arc<Library>) {
    std::thread::spawn(move || {
        let mut last = crate::courses::catalog::fingerprint(library.dir());
        loop {
            std::thread::sleep(std::time::Duration::from_secs(2));
            let now = crate::courses::catalog::fingerprint(library.dir());
            if now != last {
                last = now;
                library.reload();
            }
        }
    });
}
