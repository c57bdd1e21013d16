//! `cargo bench --bench serve`: course loading at start-up (shipped courses and 200 generated
//! ones), then lesson pages for many distinct logged-in learners against `/healthz` in the
//! same run (wrk on loopback, release build), and the server's memory under that load.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::time::Instant;

use common::{learners_with_tokens, memory_mib, start_server, temp_dir, wrk};
use hocvuso::groups::Group;

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// 200 courses made from the shipped ones, each in its own folder.
fn generate_courses(shipped: &Path, count: usize) -> PathBuf {
    let dir = temp_dir("hvs-200-courses");
    let sources: Vec<PathBuf> = std::fs::read_dir(shipped)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("course.md").exists())
        .collect();
    for i in 0..count {
        let source = &sources[i % sources.len()];
        let name = format!("{}-{i:03}", source.file_name().unwrap().to_string_lossy());
        copy_dir(source, &dir.join(name));
    }
    dir
}

fn median_millis(mut runs: Vec<f64>) -> f64 {
    runs.sort_by(|a, b| a.total_cmp(b));
    runs[runs.len() / 2]
}

fn time_load(dir: &Path) -> (f64, usize, usize) {
    let mut runs = Vec::new();
    let mut counts = (0, 0);
    for _ in 0..5 {
        let started = Instant::now();
        let result = hocvuso::content::load_dir(dir);
        runs.push(started.elapsed().as_secs_f64() * 1000.0);
        counts = (
            result.courses.len(),
            result.courses.iter().map(|c| c.lessons.len()).sum(),
        );
    }
    (median_millis(runs), counts.0, counts.1)
}

fn main() {
    let shipped = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("courses");
    println!("== Course loading (parse, check, render; median of 5)");
    let (ms, courses, lessons) = time_load(&shipped);
    println!("shipped courses:   {courses:>4} courses, {lessons:>5} lessons in {ms:>7.1} ms");
    let generated = generate_courses(&shipped, 200);
    let (ms, courses, lessons) = time_load(&generated);
    println!("generated courses: {courses:>4} courses, {lessons:>5} lessons in {ms:>7.1} ms");
    let server = start_server(&generated, &[]);
    println!(
        "server start-up with 200 courses (process start to listening): {:.0} ms",
        server.started_in.as_secs_f64() * 1000.0
    );
    drop(server);
    std::fs::remove_dir_all(&generated).ok();

    println!("\n== Lesson page vs /healthz (wrk, 1 thread, 32 connections, 10 s each, same run)");
    let server = start_server(&shipped, &[]);
    let db = server.data_dir.join("hocvuso.db");
    let tokens = learners_with_tokens(&db.to_string_lossy(), 2000, Group::Elderly);
    let lesson_url = format!(
        "{}/courses/thanh-toan-so-phong-lua-dao/lessons/2",
        server.url
    );
    wrk(&format!("{}/healthz", server.url), 32, 2, None);
    let health = wrk(&format!("{}/healthz", server.url), 32, 10, None);
    let lesson = wrk(&lesson_url, 32, 10, Some(&tokens));
    let (rss, peak) = memory_mib(server.child.id());
    for (name, load) in [
        ("/healthz", &health),
        ("lesson page, 2000 learners", &lesson),
    ] {
        println!(
            "{name:<28} {:>9.0} req/s   p50 {:>6.2} ms   p99 {:>6.2} ms   {} requests, {} errors",
            load.rps, load.p50_ms, load.p99_ms, load.requests, load.errors
        );
    }
    println!(
        "lesson/healthz ratio: {:.1}%",
        100.0 * lesson.rps / health.rps.max(1.0)
    );
    println!("server memory: {rss:.1} MiB resident now, {peak:.1} MiB peak");
}
