//! The test app builder: spawns the real server on a free port with a fresh database (SQLite
//! file or a new PostgreSQL database) and talks HTTP to it.

use std::path::PathBuf;
use std::sync::Arc;

use hocvuso::accounts::{self, Contact, Role, User, register::ValidRegistration};
use hocvuso::config::Settings;
use hocvuso::db::Pool;
use hocvuso::groups::Group;
use hocvuso::startup::Application;
use reqwest::cookie::{CookieStore, Jar};
use reqwest::redirect::Policy;

pub const PASSWORD: &str = "sáng nào tôi cũng tưới rau";

/// Which database a test runs on.
#[derive(Clone, Debug)]
pub enum Backend {
    Sqlite,
    /// A server URL whose path names a database we may connect to for `CREATE DATABASE`.
    Postgres(String),
}

impl Backend {
    /// PostgreSQL from `TEST_POSTGRES_URL` or the local server. Unreachable: skipped with a
    /// note, except under CI, where a skipped PostgreSQL suite is a failure.
    pub fn postgres() -> Option<Backend> {
        let url = std::env::var("TEST_POSTGRES_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        use diesel::Connection;
        match diesel::PgConnection::establish(&url) {
            Ok(_) => Some(Backend::Postgres(url)),
            Err(e) => {
                if std::env::var("CI").is_ok_and(|v| v == "true") {
                    panic!("CI=true but PostgreSQL is unreachable at {url}: {e}");
                }
                eprintln!("skipping the PostgreSQL run: {url} unreachable ({e})");
                None
            }
        }
    }
}

/// Runs an async test body on SQLite and on PostgreSQL, as `name::sqlite` and `name::postgres`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name($crate::helpers::Backend::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(backend) = $crate::helpers::Backend::postgres() {
                    super::$name(backend).await;
                }
            }
        }
    )+};
}

pub struct TestApp {
    pub address: String,
    pub pool: Pool,
    pub settings: Settings,
    handle: actix_web::dev::ServerHandle,
    data_dir: PathBuf,
    pg_database: Option<(String, String)>,
}

fn random_name(prefix: &str) -> String {
    format!("{prefix}{:016x}", rand::random::<u64>())
}

/// Creates a fresh PostgreSQL database and returns its URL.
pub fn create_pg_database(base_url: &str, name: &str) -> String {
    use diesel::{Connection, RunQueryDsl};
    let mut conn = diesel::PgConnection::establish(base_url).expect("postgres");
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut conn)
        .expect("create database");
    let (server, _) = base_url.rsplit_once('/').expect("url with a database");
    format!("{server}/{name}")
}

pub fn test_settings(data_dir: PathBuf, database_url: String) -> Settings {
    let mut settings = Settings::from_env("127.0.0.1".into(), 0, data_dir).expect("settings");
    settings.database_url = database_url;
    settings.workers = Some(1);
    settings.db_pool_size = 4;
    settings.smtp_url = None;
    settings.signing_key = None;
    settings.login_burst = 10_000;
    settings.courses_dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/courses/good");
    settings
}

impl TestApp {
    pub async fn spawn(backend: &Backend) -> TestApp {
        TestApp::spawn_with(backend, |_| {}).await
    }

    /// Spawns with settings changed by `adjust` (SMTP, signing key…).
    pub async fn spawn_with(backend: &Backend, adjust: impl FnOnce(&mut Settings)) -> TestApp {
        if std::env::var("HVS_TEST_LOG").is_ok() {
            hocvuso::telemetry::init();
        }
        let data_dir = std::env::temp_dir().join(random_name("hvs-test-"));
        let (database_url, pg_database) = match backend {
            Backend::Sqlite => (
                data_dir.join("test.db").to_string_lossy().into_owned(),
                None,
            ),
            Backend::Postgres(base) => {
                let name = random_name("hvs_test_");
                (create_pg_database(base, &name), Some((base.clone(), name)))
            }
        };
        let mut settings = test_settings(data_dir.clone(), database_url);
        adjust(&mut settings);
        TestApp::start(settings, data_dir, pg_database).await
    }

    /// Starts a server on existing settings (a second server on the same database).
    pub async fn start(
        settings: Settings,
        data_dir: PathBuf,
        pg_database: Option<(String, String)>,
    ) -> TestApp {
        let app = Application::build(settings.clone())
            .await
            .expect("app builds");
        let address = format!("http://127.0.0.1:{}", app.port());
        let pool = app.pool().clone();
        let handle = app.handle();
        tokio::spawn(app.run_until_stopped());
        TestApp {
            address,
            pool,
            settings,
            handle,
            data_dir,
            pg_database,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub fn client(&self) -> Client {
        Client::new(&self.address)
    }

    /// Creates an account with the given role directly in storage; returns its login.
    pub fn create_user(&self, role: Role, group: Group) -> String {
        let login = format!("u{:09}@example.vn", rand::random::<u32>());
        let reg = ValidRegistration {
            full_name: format!("Người thử {}", role.label_vi()),
            contact: Contact::parse(&login).expect("login"),
            password: PASSWORD.into(),
            birth_year: 1980,
            group,
            unit_id: None,
        };
        let mut conn = self.pool.get().expect("conn");
        let hash = accounts::password::hash(PASSWORD).expect("hash");
        let id = accounts::register(&mut conn, &reg, hash).expect("register");
        if role != Role::Learner {
            User::set_role(&mut conn, id, role).expect("role");
        }
        login
    }

    pub fn user(&self, login: &str) -> User {
        let mut conn = self.pool.get().expect("conn");
        User::find_by_contact(&mut conn, &Contact::parse(login).expect("login"))
            .expect("query")
            .expect("user exists")
    }

    /// A client logged in as a new account of the role.
    pub async fn logged_in(&self, role: Role) -> (Client, String) {
        let login = self.create_user(role, Group::Elderly);
        let client = self.client();
        let resp = client.login(&login, PASSWORD).await;
        assert_eq!(resp.status(), 303, "login as {role:?}");
        (client, login)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        drop(self.handle.stop(false));
        std::fs::remove_dir_all(&self.data_dir).ok();
        if let Some((base, name)) = self.pg_database.take() {
            std::thread::spawn(move || {
                use diesel::{Connection, RunQueryDsl};
                if let Ok(mut conn) = diesel::PgConnection::establish(&base) {
                    diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .execute(&mut conn)
                        .ok();
                }
            });
        }
    }
}

/// An HTTP client with its own cookie jar that does not follow redirects.
pub struct Client {
    pub http: reqwest::Client,
    pub jar: Arc<Jar>,
    base: String,
}

impl Client {
    pub fn new(base: &str) -> Client {
        let jar = Arc::new(Jar::default());
        let http = reqwest::Client::builder()
            .cookie_provider(jar.clone())
            .redirect(Policy::none())
            // actix closes a connection whose request body it refused unread; a fresh
            // connection per request keeps that from racing with the next request.
            .pool_max_idle_per_host(0)
            .build()
            .expect("client");
        Client {
            http,
            jar,
            base: base.to_owned(),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let resp = self.get(path).await;
        let status = resp.status().as_u16();
        (status, resp.text().await.expect("body"))
    }

    /// The CSRF token of this browser, read from a page's meta tag.
    pub async fn csrf(&self) -> String {
        // A person who must change a one-time password is sent to that page from any other.
        for path in ["/login", "/account/password"] {
            let (_, body) = self.get_text(path).await;
            if let Some(token) = extract(&body, r#"name="csrf-token" content=""#) {
                return token;
            }
        }
        panic!("no page with a CSRF token")
    }

    /// Posts a form with this browser's CSRF token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let token = self.csrf().await;
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf_token", &token));
        self.post_raw(path, &all).await
    }

    /// Posts a form exactly as given (no CSRF token added).
    pub async fn post_raw(&self, path: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .form(fields)
            .send()
            .await
            .expect("POST")
    }

    pub async fn login(&self, login: &str, password: &str) -> reqwest::Response {
        self.post_form("/login", &[("contact", login), ("password", password)])
            .await
    }

    /// The value of a cookie this browser holds.
    pub fn cookie(&self, name: &str) -> Option<String> {
        let url = self.base.parse().ok()?;
        let header = self.jar.cookies(&url)?;
        header
            .to_str()
            .ok()?
            .split("; ")
            .find_map(|kv| kv.strip_prefix(&format!("{name}=")).map(str::to_owned))
    }

    /// Replaces a cookie in this browser.
    pub fn set_cookie(&self, name: &str, value: &str) {
        let url = self.base.parse().expect("url");
        self.jar
            .add_cookie_str(&format!("{name}={value}; Path=/"), &url);
    }
}

/// The text after `marker` up to the next double quote.
pub fn extract(body: &str, marker: &str) -> Option<String> {
    let start = body.find(marker)? + marker.len();
    let end = body[start..].find('"')? + start;
    Some(body[start..end].to_owned())
}

pub fn location(resp: &reqwest::Response) -> String {
    resp.headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned()
}
