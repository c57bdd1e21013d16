//! `cargo bench --bench imports`: CSV imports of a ward's size on SQLite and PostgreSQL (when
//! reachable): 2,000 units, their population counts, a roster of 60,000 learners (accounts with
//! one-time passwords), the same roster again (nothing changes), and 60,000 VNeID
//! confirmations. Prints each import's time and rows per second against the 10 s target.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::fmt::Write;
use std::time::Instant;

use common::temp_dir;
use hocvuso::imports::{learners, population, units, vneid};

const UNITS: usize = 2_000;
const PEOPLE: usize = 60_000;
const TARGET_S: f64 = 10.0;

/// A deterministic pseudo-random number from a row number.
fn mix(i: usize, salt: u64) -> u64 {
    let mut x = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt;
    x ^= x >> 31;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^ (x >> 29)
}

fn unit_code(i: usize) -> String {
    format!("U{i:04}")
}

fn units_csv() -> String {
    let kinds = [
        "tổ dân phố",
        "trường",
        "cơ quan",
        "doanh nghiệp",
        "hợp tác xã",
    ];
    let mut s = String::from("mã,tên,loại\n");
    for i in 0..UNITS {
        let kind = if i < UNITS / 2 {
            kinds[0]
        } else {
            kinds[i % 5]
        };
        writeln!(s, "{},Đơn vị số {i},{kind}", unit_code(i)).unwrap();
    }
    s
}

fn population_csv() -> String {
    let mut s = String::from("mã đơn vị,đối tượng,số người,tính đến ngày\n");
    for i in 0..UNITS {
        for who in ["người dân", "học sinh", "cán bộ", "người lao động"] {
            writeln!(
                s,
                "{},{who},{},30/06/2026",
                unit_code(i),
                10 + mix(i, 1) % 900
            )
            .unwrap();
        }
    }
    s
}

fn phone(i: usize) -> String {
    format!("09{:08}", 10_000_000 + i)
}

fn citizen(i: usize) -> String {
    format!("0312{:08}", i)
}

/// A roster: a third with a phone, a fifth with a citizen ID, the rest get a login name.
fn roster_csv() -> String {
    let mut s =
        String::from("họ và tên,năm sinh,nhóm,mã đơn vị,số điện thoại,số định danh,tổ dân phố\n");
    for i in 0..PEOPLE {
        let group = ["người dân", "học sinh", "cán bộ", "người lao động"][i % 4];
        let unit = if group == "người dân" {
            String::new()
        } else {
            unit_code(UNITS / 2 + i % (UNITS / 2))
        };
        let year = 1940 + (mix(i, 2) % 70) as i32;
        let phone = if i % 3 == 0 { phone(i) } else { String::new() };
        let id = if i % 5 == 0 {
            citizen(i)
        } else {
            String::new()
        };
        writeln!(
            s,
            "Người học số {i},{year},{group},{unit},{phone},{id},{}",
            unit_code(i % (UNITS / 2))
        )
        .unwrap();
    }
    s
}

/// Confirmations: people of the roster by citizen ID or phone, and people without an account.
fn vneid_csv() -> String {
    let mut s = String::from("số định danh,số điện thoại,ngày xác nhận,tổ dân phố\n");
    for i in 0..PEOPLE {
        let (id, phone) = match i % 15 {
            0 => (citizen(i), String::new()),
            3 | 6 | 9 | 12 => (String::new(), phone(i)),
            _ => (citizen(1_000_000 + i), String::new()),
        };
        let day = 1 + mix(i, 3) % 28;
        writeln!(
            s,
            "{id},{phone},{day:02}/06/2026,{}",
            unit_code(i % (UNITS / 2))
        )
        .unwrap();
    }
    s
}

fn report(engine: &str, what: &str, rows: usize, secs: f64, summary: &hocvuso::imports::Summary) {
    let verdict = if secs <= TARGET_S { "met" } else { "MISSED" };
    println!(
        "{engine:<10} {what:<28} {rows:>6} rows in {secs:>6.2} s ({:>7.0} rows/s): {} created, {} updated, {} unchanged, {} errors; target {TARGET_S:.0} s: {verdict}",
        rows as f64 / secs,
        summary.created,
        summary.updated,
        summary.unchanged,
        summary.errors.len()
    );
}

fn bench(engine: &str, database_url: &str) {
    let pool = hocvuso::db::connect(database_url, 2).unwrap();
    let mut conn = pool.get().unwrap();
    let key = [9u8; 32];
    let mut tick = |_: usize| {};
    let (u, p, r, v) = (units_csv(), population_csv(), roster_csv(), vneid_csv());

    let t = Instant::now();
    let s = units::import(&mut conn, u.as_bytes(), false, &mut tick).unwrap();
    report(engine, "units", UNITS, t.elapsed().as_secs_f64(), &s);
    let t = Instant::now();
    let s = population::import(&mut conn, p.as_bytes(), None, false, &mut tick).unwrap();
    report(
        engine,
        "population counts",
        UNITS * 4,
        t.elapsed().as_secs_f64(),
        &s,
    );

    let t = Instant::now();
    let (s, _) = learners::import(&mut conn, r.as_bytes(), &key, None, true, &mut tick).unwrap();
    report(
        engine,
        "roster, dry run",
        PEOPLE,
        t.elapsed().as_secs_f64(),
        &s,
    );
    let t = Instant::now();
    let (s, slips) =
        learners::import(&mut conn, r.as_bytes(), &key, None, false, &mut tick).unwrap();
    report(
        engine,
        "roster (new accounts)",
        PEOPLE,
        t.elapsed().as_secs_f64(),
        &s,
    );
    assert_eq!(slips.len(), PEOPLE);
    let t = Instant::now();
    let (s, _) = learners::import(&mut conn, r.as_bytes(), &key, None, false, &mut tick).unwrap();
    report(
        engine,
        "roster again (no change)",
        PEOPLE,
        t.elapsed().as_secs_f64(),
        &s,
    );

    let t = Instant::now();
    let s = vneid::import(&mut conn, v.as_bytes(), &key, false, &mut tick).unwrap();
    report(
        engine,
        "VNeID confirmations",
        PEOPLE,
        t.elapsed().as_secs_f64(),
        &s,
    );
    let t = Instant::now();
    let s = vneid::import(&mut conn, v.as_bytes(), &key, false, &mut tick).unwrap();
    report(
        engine,
        "VNeID again (no change)",
        PEOPLE,
        t.elapsed().as_secs_f64(),
        &s,
    );
}

fn main() {
    println!("== Imports of a ward's size (SQLite, PostgreSQL)");
    let dir = temp_dir("hvs-bench-imports");
    let db = dir.join("hocvuso.db").to_string_lossy().into_owned();
    bench("SQLite", &db);
    std::fs::remove_dir_all(&dir).ok();
    match common::pg::scratch_database("hvs_bench_imports") {
        Some((name, url)) => {
            bench("PostgreSQL", &url);
            common::pg::drop_database(&name);
        }
        None => println!("PostgreSQL unreachable: skipped"),
    }
}
