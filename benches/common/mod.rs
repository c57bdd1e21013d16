//! Shared by the benchmarks: start the release server, make learners and their session
//! tokens, run wrk on loopback and read its figures.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

pub mod cohort;
pub mod pg;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use hocvuso::accounts::{self, Contact, User, register::ValidRegistration};
use hocvuso::groups::Group;
use hocvuso::keys::Keys;

pub const SEED: [u8; 32] = [7u8; 32];

pub struct Server {
    pub child: Child,
    pub url: String,
    pub data_dir: PathBuf,
    pub started_in: Duration,
}

impl Drop for Server {
    fn drop(&mut self) {
        Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .ok();
        self.child.wait().ok();
        std::fs::remove_dir_all(&self.data_dir).ok();
    }
}

pub fn temp_dir(prefix: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("{prefix}-{:x}", rand::random::<u64>()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Starts `target/release/hocvuso serve` on a free port with its own data folder.
pub fn start_server(courses: &Path, extra_env: &[(&str, &str)]) -> Server {
    let data_dir = temp_dir("hvs-bench");
    let seed = base64::engine::general_purpose::STANDARD.encode(SEED);
    let started = Instant::now();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hocvuso"));
    cmd.args([
        "serve",
        "--port",
        "0",
        "--data-dir",
        &data_dir.to_string_lossy(),
    ])
    .env("HOCVUSO_COURSES_DIR", courses)
    .env("HOCVUSO_SIGNING_KEY", seed)
    .env("RUST_LOG", "warn")
    .env_remove("DATABASE_URL")
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("release server starts");
    let stdout = child.stdout.take().unwrap();
    let mut url = String::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap();
        if let Some(rest) = line.split("running at ").nth(1) {
            url = rest.trim().trim_end_matches('/').to_owned();
            break;
        }
    }
    assert!(!url.is_empty(), "server did not start");
    Server {
        child,
        url,
        data_dir,
        started_in: started.elapsed(),
    }
}

/// Creates `n` learners of a group in the server's database and returns a session token each.
pub fn learners_with_tokens(database_url: &str, n: usize, group: Group) -> Vec<String> {
    let pool = hocvuso::db::connect(database_url, 2).unwrap();
    let mut conn = pool.get().unwrap();
    let keys = Keys::from_seed(SEED).unwrap();
    let hash = accounts::password::hash("mật khẩu dùng để đo tốc độ").unwrap();
    let mut tokens = Vec::with_capacity(n);
    for i in 0..n {
        let login = format!("bench{i:06}.{:x}@example.vn", rand::random::<u32>());
        let reg = ValidRegistration {
            full_name: format!("Học viên {i}"),
            contact: Contact::parse(&login).unwrap(),
            password: String::new(),
            birth_year: 1960,
            group,
            unit_id: None,
        };
        let id = accounts::register(&mut conn, &reg, hash.clone()).unwrap();
        let user = User::find(&mut conn, id).unwrap().unwrap();
        tokens.push(accounts::session::issue(&keys, &user, 60).unwrap());
    }
    tokens
}

/// What wrk measured.
#[derive(Debug, Default)]
pub struct Load {
    pub rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub errors: u64,
    pub requests: u64,
}

fn millis(text: &str) -> f64 {
    let t = text.trim();
    if let Some(v) = t.strip_suffix("us") {
        v.parse::<f64>().unwrap_or(0.0) / 1000.0
    } else if let Some(v) = t.strip_suffix("ms") {
        v.parse().unwrap_or(0.0)
    } else if let Some(v) = t.strip_suffix('s') {
        v.parse::<f64>().unwrap_or(0.0) * 1000.0
    } else {
        0.0
    }
}

/// Runs wrk (one thread, `connections` connections) against `url`; with `tokens`, each request
/// carries the next learner's session cookie (many distinct sessions).
pub fn wrk(url: &str, connections: u32, seconds: u32, tokens: Option<&[String]>) -> Load {
    let dir = temp_dir("hvs-wrk");
    let mut args = vec![
        "-t1".to_owned(),
        format!("-c{connections}"),
        format!("-d{seconds}s"),
        "--latency".to_owned(),
    ];
    if let Some(tokens) = tokens {
        let list = dir.join("tokens.txt");
        std::fs::write(&list, tokens.join("\n")).unwrap();
        let script = dir.join("sessions.lua");
        std::fs::write(
            &script,
            format!(
                r#"local tokens = {{}}
for line in io.lines("{}") do tokens[#tokens + 1] = line end
local i = 0
request = function()
  i = i + 1
  local t = tokens[(i % #tokens) + 1]
  return wrk.format("GET", nil, {{["Cookie"] = "hvs_csrf=benchbenchbenchbenchbenchbench01; hvs_session=" .. t}})
end
"#,
                list.display()
            ),
        )
        .unwrap();
        args.push("-s".into());
        args.push(script.to_string_lossy().into_owned());
    }
    args.push(url.to_owned());
    let out = Command::new("wrk")
        .args(&args)
        .output()
        .expect("wrk is installed (apt-get install wrk)");
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    std::fs::remove_dir_all(dir).ok();
    parse_wrk(&text)
}

fn parse_wrk(text: &str) -> Load {
    let mut load = Load::default();
    for line in text.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", v] => load.rps = v.parse().unwrap_or(0.0),
            ["50%", v] => load.p50_ms = millis(v),
            ["99%", v] => load.p99_ms = millis(v),
            ["Non-2xx", "or", "3xx", "responses:", v] => {
                load.errors += v.parse::<u64>().unwrap_or(0)
            }
            [n, "requests", "in", ..] => load.requests = n.parse().unwrap_or(0),
            ["Socket", "errors:", rest @ ..] => {
                load.errors += rest
                    .iter()
                    .filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok())
                    .sum::<u64>();
            }
            _ => {}
        }
    }
    load
}

/// Resident memory of a process now and at its peak, in MiB (from /proc).
pub fn memory_mib(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    };
    (field("VmRSS:"), field("VmHWM:"))
}
