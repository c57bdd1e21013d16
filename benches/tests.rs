//! `cargo bench --bench tests`: hundreds of learners starting and submitting tests at once
//! against the release server, on SQLite and on PostgreSQL (when reachable). Prints the
//! throughput and latency of start-attempt and submit-and-grade, and checks that no request
//! failed and no attempt was lost.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::{SEED, start_server, temp_dir};
use diesel::prelude::*;
use hocvuso::accounts::{self, Contact, User, register::ValidRegistration};
use hocvuso::assessment::{Attempt, Drawn};
use hocvuso::content::{Course, QuestionKind};
use hocvuso::db::schema::{attempts, certificates, lesson_progress};
use hocvuso::groups::Group;
use hocvuso::keys::Keys;

const COURSE: &str = "thanh-toan-so-phong-lua-dao";
const CONCURRENCY: usize = 256;
const LEARNERS: usize = 4096;
const CSRF_COOKIE: &str = "benchbenchbenchbenchbenchbench01";

struct Learner {
    id: i64,
    token: String,
    csrf: String,
    attempt: i64,
}

fn course() -> Course {
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("courses");
    hocvuso::content::load_dir(&dir)
        .courses
        .into_iter()
        .find(|c| c.slug == COURSE)
        .expect("course")
}

/// Learners who have done every lesson, with session tokens and CSRF tokens.
fn learners(database_url: &str, course: &Course) -> Vec<Learner> {
    let pool = hocvuso::db::connect(database_url, 2).unwrap();
    let mut conn = pool.get().unwrap();
    let keys = Keys::from_seed(SEED).unwrap();
    let csrf_secret = keys.derive("csrf");
    let hash = accounts::password::hash("mật khẩu dùng để đo tốc độ").unwrap();
    let at = hocvuso::db::now();
    hocvuso::db::write_tx(
        &mut conn,
        |conn| -> Result<Vec<Learner>, diesel::result::Error> {
            let mut out = Vec::with_capacity(LEARNERS);
            for i in 0..LEARNERS {
                let reg = ValidRegistration {
                    full_name: format!("Học viên {i}"),
                    contact: Contact::parse(&format!("t{i:05}@bench.vn")).unwrap(),
                    password: String::new(),
                    birth_year: 1970,
                    group: Group::Elderly,
                    unit_id: None,
                };
                let id = accounts::register(conn, &reg, hash.clone()).unwrap();
                for lesson in &course.lessons {
                    diesel::insert_into(lesson_progress::table)
                        .values((
                            lesson_progress::user_id.eq(id),
                            lesson_progress::course_slug.eq(&course.slug),
                            lesson_progress::lesson_slug.eq(&lesson.slug),
                            lesson_progress::course_version.eq(&course.version),
                            lesson_progress::completed_at.eq(at),
                        ))
                        .execute(conn)?;
                }
                let user = User::find(conn, id)?.unwrap();
                out.push(Learner {
                    id,
                    token: accounts::session::issue(&keys, &user, 120).unwrap(),
                    csrf: hocvuso::web::csrf::token_for(&csrf_secret, CSRF_COOKIE, Some(id)),
                    attempt: 0,
                });
            }
            Ok(out)
        },
    )
    .unwrap()
}

/// Right answers for half the learners, wrong for the others, as form fields.
fn answers(course: &Course, drawn: &[Drawn], right: bool) -> Vec<(String, String)> {
    let mut form = Vec::new();
    for (i, d) in drawn.iter().enumerate() {
        let Some(q) = course.questions.iter().find(|q| q.id == d.id) else {
            continue;
        };
        let field = format!("q{i}");
        let shown = |o: usize| {
            d.order
                .iter()
                .position(|&x| x == o)
                .unwrap_or(0)
                .to_string()
        };
        match &q.kind {
            QuestionKind::Single { correct, options } => form.push((
                field,
                shown(if right {
                    *correct
                } else {
                    (correct + 1) % options.len()
                }),
            )),
            QuestionKind::Multiple { correct, .. } => {
                for c in correct {
                    form.push((field.clone(), shown(*c)));
                }
            }
            QuestionKind::TrueFalse { answer } => {
                form.push((field, (*answer == right).to_string()))
            }
            QuestionKind::Short { answers, .. } => form.push((field, answers[0].clone())),
        }
    }
    form.push(("action".into(), "submit".into()));
    form
}

/// A request to send: URL, cookie header, form fields.
type Job = (String, String, Vec<(String, String)>);

struct Phase {
    rps: f64,
    p50: Duration,
    p99: Duration,
    errors: usize,
}

/// Sends one request per learner, `CONCURRENCY` at a time.
async fn run_phase(
    base: &str,
    learners: &[Learner],
    make: impl Fn(&Learner) -> (String, Vec<(String, String)>) + Send + Sync + 'static,
) -> (Phase, Vec<String>) {
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(CONCURRENCY)
        .build()
        .unwrap();
    let jobs: Vec<Job> = learners
        .iter()
        .map(|l| {
            let (path, mut form) = make(l);
            form.push(("csrf_token".into(), l.csrf.clone()));
            (
                format!("{base}{path}"),
                format!("hvs_csrf={CSRF_COOKIE}; hvs_session={}", l.token),
                form,
            )
        })
        .collect();
    let jobs = Arc::new(std::sync::Mutex::new(
        jobs.into_iter().enumerate().collect::<Vec<_>>(),
    ));
    let results = Arc::new(std::sync::Mutex::new(vec![
        (
            Duration::ZERO,
            String::new(),
            false
        );
        learners.len()
    ]));
    let started = Instant::now();
    let workers: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (client, jobs, results) = (client.clone(), jobs.clone(), results.clone());
            tokio::spawn(async move {
                loop {
                    let next = jobs.lock().unwrap().pop();
                    let Some((i, (url, cookie, form))) = next else {
                        break;
                    };
                    let t = Instant::now();
                    let resp = client
                        .post(&url)
                        .header("Cookie", cookie)
                        .form(&form)
                        .send()
                        .await;
                    let (ok, loc) = match resp {
                        Ok(r) => (
                            r.status() == 303,
                            r.headers()
                                .get("location")
                                .and_then(|v| v.to_str().ok())
                                .unwrap_or("")
                                .to_owned(),
                        ),
                        Err(_) => (false, String::new()),
                    };
                    results.lock().unwrap()[i] = (t.elapsed(), loc, ok);
                }
            })
        })
        .collect();
    for w in workers {
        w.await.unwrap();
    }
    let elapsed = started.elapsed();
    let results = results.lock().unwrap().clone();
    let mut latencies: Vec<Duration> = results.iter().map(|r| r.0).collect();
    latencies.sort();
    let phase = Phase {
        rps: learners.len() as f64 / elapsed.as_secs_f64(),
        p50: latencies[latencies.len() / 2],
        p99: latencies[latencies.len() * 99 / 100],
        errors: results.iter().filter(|r| !r.2).count(),
    };
    (phase, results.into_iter().map(|r| r.1).collect())
}

async fn bench(engine: &str, database_url: Option<String>) {
    let course = Arc::new(course());
    let courses = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("courses");
    let mut env = vec![("HOCVUSO_DB_POOL", "16")];
    if let Some(url) = &database_url {
        env.push(("DATABASE_URL", url.as_str()));
    }
    let server = start_server(&courses, &env);
    let db = database_url.clone().unwrap_or_else(|| {
        server
            .data_dir
            .join("hocvuso.db")
            .to_string_lossy()
            .into_owned()
    });
    let mut learners = learners(&db, &course);

    let (start, locations) = run_phase(&server.url, &learners, |_| {
        (format!("/courses/{COURSE}/test/start"), Vec::new())
    })
    .await;
    for (l, loc) in learners.iter_mut().zip(&locations) {
        l.attempt = loc.trim_start_matches("/attempts/").parse().unwrap_or(0);
    }
    let pool = hocvuso::db::connect(&db, 2).unwrap();
    let mut conn = pool.get().unwrap();
    let drawn: std::collections::HashMap<i64, Vec<Drawn>> = learners
        .iter()
        .filter_map(|l| Attempt::find(&mut conn, l.attempt).ok().flatten())
        .map(|a| (a.id, serde_json::from_str(&a.questions).unwrap_or_default()))
        .collect();
    let forms: std::collections::HashMap<i64, Vec<(String, String)>> = learners
        .iter()
        .map(|l| {
            (
                l.attempt,
                answers(
                    &course,
                    drawn.get(&l.attempt).map(Vec::as_slice).unwrap_or(&[]),
                    l.id % 2 == 0,
                ),
            )
        })
        .collect();
    let forms = Arc::new(forms);
    let (submit, _) = run_phase(&server.url, &learners, move |l| {
        (
            format!("/attempts/{}", l.attempt),
            forms.get(&l.attempt).cloned().unwrap_or_default(),
        )
    })
    .await;

    let graded: i64 = attempts::table
        .filter(attempts::submitted_at.is_not_null())
        .count()
        .get_result(&mut conn)
        .unwrap();
    let issued: i64 = certificates::table.count().get_result(&mut conn).unwrap();
    for (name, p) in [("start attempt", &start), ("submit and grade", &submit)] {
        println!(
            "{engine:<10} {name:<17} {:>7.0} req/s  p50 {:>7.2} ms  p99 {:>7.2} ms  errors {}",
            p.rps,
            p.p50.as_secs_f64() * 1000.0,
            p.p99.as_secs_f64() * 1000.0,
            p.errors
        );
    }
    println!(
        "{engine:<10} {LEARNERS} learners, {CONCURRENCY} at once: {graded} attempts graded (lost: {}), {issued} certificates",
        LEARNERS as i64 - graded
    );
}

fn main() {
    let _ = temp_dir;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    println!("== Tests under load: start-attempt and submit-and-grade (release server, loopback)");
    runtime.block_on(bench("SQLite", None));
    match common::pg::scratch_database("hvs_bench") {
        Some((_, url)) => runtime.block_on(bench("PostgreSQL", Some(url))),
        None => println!("PostgreSQL unreachable: skipped"),
    }
}
