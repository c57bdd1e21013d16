//! `cargo bench --bench reports`: the cohort report over a generated ward (60 thousand
//! learners, their attempts, certificates and VNeID confirmations) on SQLite and on PostgreSQL
//! (when reachable). `cargo bench --bench reports -- city`: the same over a city of 4.6
//! million learners on PostgreSQL (TEST_POSTGRES_URL or the local server), in a scratch
//! database dropped at the end unless `--keep` is given. Prints the generation time, the rows
//! made, the report time (min/median/max) and a sanity line per goal.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use common::cohort::{self, CITY, GoalCourses, Scale, WARD};
use common::temp_dir;
use hocvuso::reports::compute::Scope;
use hocvuso::reports::make_parallel;
use hocvuso::reports::plan::Plan;

fn plan() -> (Plan, Vec<Arc<hocvuso::content::Course>>) {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("courses");
    let courses: Vec<Arc<hocvuso::content::Course>> = hocvuso::content::load_dir(&dir)
        .courses
        .into_iter()
        .map(Arc::new)
        .collect();
    let plan =
        hocvuso::reports::plan::load(&dir.join("plan.toml"), &courses).expect("plan.toml loads");
    (plan, courses)
}

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// min, median, max in milliseconds.
fn spread(mut times: Vec<Duration>) -> (f64, f64, f64) {
    times.sort();
    (
        ms(times[0]),
        ms(times[times.len() / 2]),
        ms(times[times.len() - 1]),
    )
}

/// Times `f` once to warm up, then `runs` times.
fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (T, Vec<Duration>) {
    let mut last = f();
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        last = f();
        times.push(t.elapsed());
    }
    (last, times)
}

fn bench(engine: &str, database_url: &str, scale: &Scale, runs: usize, target_ms: f64) {
    let (plan, all_courses) = plan();
    let courses = GoalCourses::from_plan(&plan);
    let pool = hocvuso::db::connect(database_url, 3).unwrap();
    let mut conn = pool.get().unwrap();
    let progress = scale.learners > 1_000_000;
    if progress {
        println!("{engine:<10} {}: generating…", scale.name);
    }
    let generated = cohort::generate(&mut conn, scale, &courses, progress).unwrap();
    println!(
        "{engine:<10} {:<4} generated {} rows in {:.1} s ({})",
        scale.name,
        generated.total(),
        generated.took.as_secs_f64(),
        generated.summary()
    );

    // The report's facts: built once from everything, then kept current learner by learner.
    let t = Instant::now();
    let built = hocvuso::reports::facts::refresh(&mut conn, &plan.goals).unwrap();
    println!(
        "{engine:<10} {:<4} facts built from everything in {:.2} s (rebuilt: {})",
        scale.name,
        t.elapsed().as_secs_f64(),
        built.rebuilt
    );
    let one_in = 100;
    diesel::RunQueryDsl::execute(
        diesel::sql_query(format!(
            "INSERT INTO report_dirty (user_id) SELECT id FROM users WHERE id % {one_in} = 0"
        )),
        &mut *conn,
    )
    .unwrap();
    let t = Instant::now();
    let done = hocvuso::reports::facts::refresh(&mut conn, &plan.goals).unwrap();
    println!(
        "{engine:<10} {:<4} facts of {} changed learners (1 in {one_in}) refreshed in {:.1} ms",
        scale.name,
        done.learners,
        ms(t.elapsed())
    );

    let (report, times) = time(runs, || {
        make_parallel(&pool, &plan, &all_courses, as_of(), &Scope::All).expect("report builds")
    });
    let (min, median, max) = spread(times);
    let verdict = if median <= target_ms {
        "met".to_owned()
    } else {
        format!(
            "MISSED by {:.0} ms (x{:.1})",
            median - target_ms,
            median / target_ms
        )
    };
    println!(
        "{engine:<10} {:<4} report (all units, {runs} runs): min {min:.1} ms  median {median:.1} ms  max {max:.1} ms  target {target_ms:.0} ms: {verdict}",
        scale.name
    );

    // Its two parts: the goals, and the pre-test and final scores.
    let (_, goals) = time(runs, || {
        hocvuso::reports::compute::build(&mut conn, &plan, as_of(), &Scope::All).expect("goals")
    });
    let (_, scores) = time(runs, || {
        hocvuso::reports::prepost::build(&mut conn, &all_courses, as_of(), &Scope::All)
            .expect("scores")
    });
    println!(
        "{engine:<10} {:<4} of which: goals median {:.1} ms, pre/post scores median {:.1} ms",
        scale.name,
        spread(goals).1,
        spread(scores).1
    );

    // A unit manager's report: one tổ dân phố and one school.
    let scope = Scope::Units(vec![1, scale.residential + 1]);
    let (_, times) = time(runs, || {
        make_parallel(&pool, &plan, &all_courses, as_of(), &scope).expect("report builds")
    });
    let (min, median, max) = spread(times);
    println!(
        "{engine:<10} {:<4} report (2 units, {runs} runs):   min {min:.1} ms  median {median:.1} ms  max {max:.1} ms",
        scale.name
    );

    for g in &report.goals {
        println!(
            "{engine:<10} {:<4} goal {}: {:<9} counted {:>8} / population {:>8} ({}), outside {:>6}, {}",
            scale.name,
            g.number,
            g.counted_population,
            g.counted,
            g.population
                .map(|p| p.to_string())
                .unwrap_or_else(|| "-".into()),
            g.percent
                .map(|p| format!("{p:.1}%"))
                .unwrap_or_else(|| "-".into()),
            g.counted_outside,
            g.status_label
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let keep = args.iter().any(|a| a == "--keep");
    if args.iter().any(|a| a == "city") {
        println!(
            "== Cohort report: a city of {} learners, {} units (PostgreSQL)",
            CITY.learners,
            CITY.residential + CITY.schools + CITY.agencies + CITY.enterprises + CITY.cooperatives
        );
        match common::pg::scratch_database("hvs_bench_city") {
            Some((name, url)) => {
                println!("database {name}");
                bench("PostgreSQL", &url, &CITY, 3, 5000.0);
                if keep {
                    println!("kept database {name} ({url})");
                } else {
                    common::pg::drop_database(&name);
                }
            }
            None => println!("PostgreSQL unreachable: skipped"),
        }
        return;
    }
    println!(
        "== Cohort report: a ward of {} learners (SQLite, PostgreSQL)",
        WARD.learners
    );
    let dir = temp_dir("hvs-bench-reports");
    let db = dir.join("hocvuso.db").to_string_lossy().into_owned();
    bench("SQLite", &db, &WARD, 10, 100.0);
    if keep {
        println!("kept the SQLite database {db}");
    } else {
        std::fs::remove_dir_all(&dir).ok();
    }
    match common::pg::scratch_database("hvs_bench_ward") {
        Some((name, url)) => {
            bench("PostgreSQL", &url, &WARD, 10, 100.0);
            if keep {
                println!("kept database {name} ({url})");
            } else {
                common::pg::drop_database(&name);
            }
        }
        None => println!("PostgreSQL unreachable: skipped"),
    }
}
