//! The `hocvuso` binary: help, creating an administrator, generating a key, and `serve`
//! starting on defaults and stopping gracefully on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_hocvuso");

fn temp_dir() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("hvs-cli-{:x}", rand::random::<u64>()))
}

fn run(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn help_lists_the_commands_in_english() {
    let (ok, out, _) = run(&["--help"]);
    assert!(ok);
    for word in ["serve", "admin", "key", "Run the web server"] {
        assert!(out.contains(word), "{word} in {out}");
    }
    let (ok, out, _) = run(&["serve", "--help"]);
    assert!(ok);
    assert!(out.contains("--port") && out.contains("--data-dir") && out.contains("HOCVUSO_PORT"));
    let (ok, out, _) = run(&["admin", "create", "--help"]);
    assert!(ok && out.contains("--login"));
}

#[test]
fn admin_create_prints_a_one_time_password_once() {
    let dir = temp_dir();
    let dir_s = dir.to_string_lossy().into_owned();
    let (ok, out, err) = run(&[
        "admin",
        "create",
        "--login",
        "0912 000 111",
        "--data-dir",
        &dir_s,
    ]);
    assert!(ok, "{err}");
    assert!(out.contains("password:"));
    let (ok, _, err) = run(&[
        "admin",
        "create",
        "--login",
        "0912000111",
        "--data-dir",
        &dir_s,
    ]);
    assert!(!ok);
    assert!(err.contains("already has an account"));
    let (ok, _, err) = run(&["admin", "create", "--login", "12", "--data-dir", &dir_s]);
    assert!(!ok && err.contains("Số điện thoại"));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn key_generate_prints_a_usable_signing_key() {
    let (ok, out, _) = run(&["key", "generate"]);
    assert!(ok);
    assert!(
        hocvuso::keys::Keys::load(Some(out.trim()), std::path::Path::new("/nonexistent")).is_ok()
    );
}

#[test]
fn serve_starts_on_defaults_and_stops_gracefully_on_sigterm() {
    let dir = temp_dir();
    let mut child = Command::new(BIN)
        .args(["serve", "--port", "0", "--data-dir", &dir.to_string_lossy()])
        .env_remove("DATABASE_URL")
        .env(
            "HOCVUSO_COURSES_DIR",
            concat!(env!("CARGO_MANIFEST_DIR"), "/courses"),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let mut url = None;
    let mut saw_password = false;
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let Some(Ok(line)) = lines.next() else { break };
        saw_password |= line.contains("password:");
        if let Some(rest) = line.split("running at ").nth(1) {
            url = Some(rest.trim().to_owned());
            break;
        }
    }
    let url = url.expect("the server says where it runs");
    assert!(
        saw_password,
        "the first administrator's password is printed"
    );
    assert!(
        dir.join("hocvuso.db").exists(),
        "SQLite database under the data folder"
    );
    assert!(
        dir.join("keys/signing.key").exists(),
        "a signing key generated on first start"
    );
    assert!(http_get(&url, "/healthz").contains(r#"{"status":"ok"}"#));
    Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "graceful shutdown exits 0");
    std::fs::remove_dir_all(dir).ok();
}

/// A plain HTTP/1.0 GET with the standard library, so this test needs no async runtime.
fn http_get(base: &str, path: &str) -> String {
    use std::io::{Read, Write};
    let host = base.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(host).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn courses_check_passes_on_the_shipped_courses() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/courses");
    let (ok, out, _) = run(&["courses", "check", dir]);
    assert!(ok, "{out}");
    assert!(out.contains("no problems found"), "{out}");
}

#[test]
fn courses_check_names_file_line_and_column_and_fails() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/courses/broken");
    let (ok, out, _) = run(&["courses", "check", dir]);
    assert!(!ok, "broken courses exit non-zero");
    assert!(
        out.contains("/zero-minutes/course.md:6:11: minutes must be more than 0"),
        "{out}"
    );
    assert!(out.contains("problem(s) found"));
}

#[test]
fn question_banks_go_to_moodle_gift_and_back() {
    let course = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/courses/good/an-toan-mat-khau"
    );
    let dir = temp_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let gift = dir.join("bank.gift");
    let (ok, _, err) = run(&[
        "courses",
        "export-gift",
        course,
        "--out",
        &gift.to_string_lossy(),
    ]);
    assert!(ok, "{err}");
    let text = std::fs::read_to_string(&gift).unwrap();
    assert!(
        text.contains("::mk-01::") && text.contains("::mk-03::") && text.contains("{F"),
        "{text}"
    );
    assert!(err.contains("4 question(s) exported"), "{err}");
    let (ok, bank, _) = run(&["courses", "import-gift", &gift.to_string_lossy()]);
    assert!(ok);
    for id in ["## mk-01", "## mk-02", "## mk-03", "## mk-04"] {
        assert!(bank.contains(id), "{id} in {bank}");
    }
    assert!(
        bank.contains("type: multiple")
            && bank.contains("type: truefalse")
            && bank.contains("type: short")
    );
    let essay = dir.join("essay.gift");
    std::fs::write(&essay, "::e1:: Kể lại một lần bạn bị lừa qua mạng. {}\n").unwrap();
    let (_, _, err) = run(&["courses", "import-gift", &essay.to_string_lossy()]);
    assert!(err.contains("not converted"), "{err}");
    std::fs::remove_dir_all(dir).ok();
}

/// A running `hocvuso serve` process, stopped when dropped.
struct Served {
    child: std::process::Child,
    url: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .ok();
        self.child.wait().ok();
    }
}

fn serve(data_dir: &std::path::Path, env: &[(&str, &str)]) -> Served {
    let mut cmd = Command::new(BIN);
    cmd.args([
        "serve",
        "--port",
        "0",
        "--data-dir",
        &data_dir.to_string_lossy(),
    ])
    .env_remove("DATABASE_URL")
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let url = lines
        .find_map(|l| {
            l.ok()?
                .split("running at ")
                .nth(1)
                .map(|u| u.trim().trim_end_matches('/').to_owned())
        })
        .expect("the server says where it runs");
    Served { child, url }
}

fn copy_fixture_courses() -> std::path::PathBuf {
    let dir = temp_dir();
    let src =
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/courses/good");
    let status = Command::new("cp")
        .args(["-r", &src.to_string_lossy(), &dir.to_string_lossy()])
        .status()
        .unwrap();
    assert!(status.success());
    dir
}

fn wait_for(url: &str, path: &str, text: &str) -> bool {
    let deadline = Instant::now() + Duration::from_secs(15);
    while Instant::now() < deadline {
        if http_get(url, path).contains(text) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    false
}

#[test]
fn sighup_and_the_file_watcher_reload_courses() {
    let courses = copy_fixture_courses();
    let lesson = courses.join("an-toan-mat-khau/01-vi-sao-can-mat-khau.md");
    let data = temp_dir();
    let courses_s = courses.to_string_lossy().into_owned();
    let server = serve(&data, &[("HOCVUSO_COURSES_DIR", &courses_s)]);
    let path = "/courses/an-toan-mat-khau/lessons/1";
    assert!(http_get(&server.url, path).contains("chìa khoá"));
    let text = std::fs::read_to_string(&lesson).unwrap();
    std::fs::write(&lesson, text.replace("chìa khoá", "chìa khoá bằng vàng")).unwrap();
    assert!(
        !http_get(&server.url, path).contains("bằng vàng"),
        "content is not read per request"
    );
    Command::new("kill")
        .args(["-HUP", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(
        wait_for(&server.url, path, "bằng vàng"),
        "SIGHUP reloads the courses"
    );
    drop(server);

    let watched = serve(
        &temp_dir(),
        &[
            ("HOCVUSO_COURSES_DIR", &courses_s),
            ("HOCVUSO_WATCH_COURSES", "true"),
        ],
    );
    std::thread::sleep(Duration::from_millis(300));
    std::fs::write(&lesson, text.replace("chìa khoá", "chìa khoá bằng bạc")).unwrap();
    assert!(
        wait_for(&watched.url, path, "bằng bạc"),
        "a file change reloads the courses"
    );
    drop(watched);
    std::fs::remove_dir_all(courses).ok();
}

#[test]
fn two_server_processes_sharing_postgresql_and_a_key_serve_the_same_people() {
    let Some(crate::helpers::Backend::Postgres(base)) = crate::helpers::Backend::postgres() else {
        return;
    };
    let name = format!("hvs_two_{:x}", rand::random::<u32>());
    let url = crate::helpers::create_pg_database(&base, &name);
    let key = hocvuso::keys::Keys::generate_seed_b64();
    let env = [
        ("DATABASE_URL", url.as_str()),
        ("HOCVUSO_SIGNING_KEY", key.as_str()),
    ];
    let first = serve(&temp_dir(), &env);
    let second = serve(&temp_dir(), &env);
    // An account, made in the shared database.
    let pool = hocvuso::db::connect(&url, 1).unwrap();
    let reg = hocvuso::accounts::register::ValidRegistration {
        full_name: "Đỗ Văn Hai".into(),
        contact: hocvuso::accounts::Contact::parse("0987000111").unwrap(),
        password: crate::helpers::PASSWORD.into(),
        birth_year: 1970,
        group: hocvuso::groups::Group::Officials,
        unit_id: None,
    };
    let hash = hocvuso::accounts::password::hash(crate::helpers::PASSWORD).unwrap();
    hocvuso::accounts::register(&mut pool.get().unwrap(), &reg, hash).unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let on_first = crate::helpers::Client::new(&first.url);
        assert_eq!(
            on_first
                .login("0987 000 111", crate::helpers::PASSWORD)
                .await
                .status(),
            303
        );
        let token = on_first.cookie(hocvuso::accounts::session::COOKIE).unwrap();
        let on_second = crate::helpers::Client::new(&second.url);
        on_second.set_cookie(hocvuso::accounts::session::COOKIE, &token);
        let (status, page) = on_second.get_text("/account").await;
        assert_eq!(status, 200, "the other process knows the session");
        assert!(page.contains("Đỗ Văn Hai"));
        assert_eq!(on_second.post_form("/logout", &[]).await.status(), 303);
        assert_eq!(
            on_first.get("/account").await.status(),
            303,
            "log-out on one ends it on both"
        );
    });
    drop((first, second));
    use diesel::{Connection, RunQueryDsl};
    drop(pool);
    if let Ok(mut conn) = diesel::PgConnection::establish(&base) {
        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .execute(&mut conn)
            .ok();
    }
}

#[test]
fn import_units_reports_bad_rows_and_keeps_good_ones() {
    let dir = temp_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("units.csv");
    std::fs::write(
        &file,
        "code,name,kind\nTDP2,Tổ dân phố 2,residential\nBAD,Xưởng,factory\n",
    )
    .unwrap();
    let (f, d) = (
        file.to_string_lossy().into_owned(),
        dir.to_string_lossy().into_owned(),
    );
    let (ok, out, _) = run(&["import", "units", &f, "--dry-run", "--data-dir", &d]);
    assert!(!ok, "a bad row makes the exit code non-zero");
    assert!(
        out.contains("dòng 3: loại \"factory\"")
            && out.contains("1 would be created")
            && out.contains("dry run"),
        "{out}"
    );
    let (_, out, _) = run(&["import", "units", &f, "--data-dir", &d]);
    assert!(out.contains("1 were created"), "{out}");
    let (_, out, _) = run(&["import", "units", &f, "--data-dir", &d]);
    assert!(
        out.contains("0 were created") && out.contains("1 unchanged"),
        "{out}"
    );
    std::fs::remove_dir_all(dir).ok();
}
