//! Settings: read once from the command line and `HOCVUSO_*` environment variables, with
//! defaults that run on one machine with nothing else installed.

use std::path::PathBuf;

/// Everything the server needs to start. Built by [`Settings::from_env`] or by tests.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Address to bind (`HOCVUSO_HOST`, default `127.0.0.1`).
    pub host: String,
    /// Port to bind (`HOCVUSO_PORT`, default 8080; 0 picks a free port).
    pub port: u16,
    /// Folder for the SQLite database, generated keys and outgoing mail (`HOCVUSO_DATA_DIR`).
    pub data_dir: PathBuf,
    /// `DATABASE_URL`: a `postgres://` URL, or a SQLite file (default `<data_dir>/hocvuso.db`).
    pub database_url: String,
    /// Folder of Markdown courses (`HOCVUSO_COURSES_DIR`, default `courses`).
    pub courses_dir: PathBuf,
    /// Address people use to reach the site, for links in emails (`HOCVUSO_PUBLIC_URL`).
    pub public_url: String,
    /// Base64 of a 32-byte Ed25519 seed (`HOCVUSO_SIGNING_KEY`). Servers behind one load
    /// balancer share it. Without it a key is generated into `<data_dir>/keys/`.
    pub signing_key: Option<String>,
    /// `smtp://user:pass@host:port` or `smtps://…` (`HOCVUSO_SMTP_URL`). Without it mail is
    /// written as `.eml` files to `<data_dir>/mail/`.
    pub smtp_url: Option<String>,
    /// Sender of outgoing mail (`HOCVUSO_MAIL_FROM`).
    pub mail_from: String,
    /// Life of a login session token, in minutes (`HOCVUSO_SESSION_MINUTES`, default 30). An
    /// active session is renewed when half of it has passed.
    pub session_minutes: i64,
    /// Login attempts one client address may make in a burst (`HOCVUSO_LOGIN_BURST`, default
    /// 60: a school lab shares one address); then one a second.
    pub login_burst: u32,
    /// Send cookies with `Secure` (`HOCVUSO_SECURE_COOKIES=true` behind HTTPS).
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For` for the client address (`HOCVUSO_TRUST_PROXY=true` behind a
    /// load balancer), used by the login rate limit.
    pub trust_proxy: bool,
    /// Database connections per server (`HOCVUSO_DB_POOL`, default 8).
    pub db_pool_size: u32,
    /// HTTP worker threads (`HOCVUSO_WORKERS`, default: one per core).
    pub workers: Option<usize>,
    /// Reload courses when their files change (`HOCVUSO_WATCH_COURSES=true`, for authors).
    pub watch_courses: bool,
    /// Name of the ward or commune shown on pages (`HOCVUSO_WARD_NAME`).
    pub ward_name: String,
    /// Login of the first administrator created on an empty database (`HOCVUSO_ADMIN_LOGIN`).
    pub admin_login: String,
}

fn env_or(name: &str, default: &str) -> String {
    std::env::var(name)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .unwrap_or_else(|| default.to_owned())
}

fn env_opt(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

fn env_bool(name: &str) -> bool {
    matches!(
        env_or(name, "false").to_lowercase().as_str(),
        "1" | "true" | "yes" | "on"
    )
}

fn env_parse<T: std::str::FromStr>(name: &str, default: T) -> anyhow::Result<T> {
    match env_opt(name) {
        None => Ok(default),
        Some(v) => v
            .parse()
            .map_err(|_| anyhow::anyhow!("{name}={v} is not a valid value")),
    }
}

impl Settings {
    /// Settings from the environment, for the given bind address and data folder.
    pub fn from_env(host: String, port: u16, data_dir: PathBuf) -> anyhow::Result<Self> {
        let default_db = data_dir.join("hocvuso.db").to_string_lossy().into_owned();
        Ok(Settings {
            public_url: env_or("HOCVUSO_PUBLIC_URL", &format!("http://{host}:{port}")),
            host,
            port,
            database_url: env_or("DATABASE_URL", &default_db),
            courses_dir: PathBuf::from(env_or("HOCVUSO_COURSES_DIR", "courses")),
            signing_key: env_opt("HOCVUSO_SIGNING_KEY"),
            smtp_url: env_opt("HOCVUSO_SMTP_URL"),
            mail_from: env_or("HOCVUSO_MAIL_FROM", "Học Vụ Số <no-reply@hocvuso.local>"),
            session_minutes: env_parse("HOCVUSO_SESSION_MINUTES", 30)?,
            login_burst: env_parse("HOCVUSO_LOGIN_BURST", 60)?,
            secure_cookies: env_bool("HOCVUSO_SECURE_COOKIES"),
            trust_proxy: env_bool("HOCVUSO_TRUST_PROXY"),
            db_pool_size: env_parse("HOCVUSO_DB_POOL", 8)?,
            workers: env_opt("HOCVUSO_WORKERS").and_then(|v| v.parse().ok()),
            watch_courses: env_bool("HOCVUSO_WATCH_COURSES"),
            ward_name: env_or("HOCVUSO_WARD_NAME", "Phường Dương Kinh"),
            admin_login: env_or("HOCVUSO_ADMIN_LOGIN", "admin@hocvuso.local"),
            data_dir,
        })
    }
}
