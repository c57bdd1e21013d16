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
