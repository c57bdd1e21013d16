//! A hand-built cohort whose report is known by heart, written straight into storage: units
//! with and without population counts (and a count updated later), people in two units, a
//! learner under 18, duplicate and revoked certificates, a re-issue, an erased account,
//! matched and unmatched VNeID confirmations, and a certificate issued after the report date.
//!
//! The expected figures at 2026-06-30 (plan: `tests/fixtures/courses/good/plan.toml`):
//!
//! | goal | population | counted | % | needed | missing | outside | status |
//! |---|---|---|---|---|---|---|---|
//! | 1 officials (> 80%) | AG 5 | 1 (A10) | 20 | 5 | 4 | 0 | on track |
//! | 2 students (100%) | SCH 4 | 1 (A7) | 25 | 4 | 3 | 0 | at risk |
//! | 3 adults (80%) | TDP1 8 + TDP2 5 = 13 | 3 + 4 = 7 | 53.8 | 11 | 4 | 2 (A8, A11) | on track |
//! | 4 adults on VNeID (80%) | 13 | 2 (A1, one unmatched in TDP1) | 15.4 | 11 | 9 | 1 | at risk |
//! | 5 workers, both courses (80%) | ENT 3 | 1 (A5) | 33.3 | 3 | 2 | 0 | at risk |

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use hocvuso::db::DbConn;
use hocvuso::db::schema::{attempts, certificates, confirmations, population_counts, units, users};

pub const SAFE: &str = "an-toan-mat-khau";
pub const NEWS: &str = "nhan-dien-tin-gia";

pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn at(s: &str) -> NaiveDateTime {
    if s.len() == 10 {
        day(s).and_hms_opt(9, 0, 0).unwrap()
    } else {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }
}

pub fn unit(conn: &mut DbConn, code: &str, name: &str, kind: &str) -> i64 {
    diesel::insert_into(units::table)
        .values((
            units::code.eq(code),
            units::name.eq(name),
            units::kind.eq(kind),
            units::created_at.eq(at("2026-01-01")),
        ))
        .returning(units::id)
        .get_result(conn)
        .unwrap()
}

pub fn population(conn: &mut DbConn, unit: i64, who: &str, as_of: &str, count: i32) {
    diesel::insert_into(population_counts::table)
        .values((
            population_counts::unit_id.eq(unit),
            population_counts::population.eq(who),
            population_counts::as_of.eq(day(as_of)),
            population_counts::count.eq(count),
            population_counts::imported_at.eq(at("2026-01-01")),
        ))
        .execute(conn)
        .unwrap();
}

/// A learner: name, group, birth year, sex, work unit, residence, channel.
pub struct Person<'a> {
    pub name: &'a str,
    pub group: &'a str,
    pub born: i32,
    pub sex: Option<&'a str>,
    pub unit: Option<i64>,
    pub residence: Option<i64>,
    pub channel: &'a str,
}

pub fn person(conn: &mut DbConn, p: Person) -> i64 {
    let username = format!("hv{:06}", rand::random::<u32>() % 1_000_000);
    diesel::insert_into(users::table)
        .values((
            users::full_name.eq(p.name),
            users::username.eq(username),
            users::password_hash.eq("x"),
            users::birth_year.eq(p.born),
            users::sex.eq(p.sex),
            users::target_group.eq(p.group),
            users::unit_id.eq(p.unit),
            users::residence_unit_id.eq(p.residence),
            users::channel.eq(p.channel),
            users::created_at.eq(at("2026-01-02")),
            users::updated_at.eq(at("2026-01-02")),
        ))
        .returning(users::id)
        .get_result(conn)
        .unwrap()
}

/// A certificate of `slug` issued at `issued` (and revoked at `revoked`), with its attempt.
pub fn cert(conn: &mut DbConn, user: i64, slug: &str, issued: &str, revoked: Option<&str>) {
    let attempt: i64 = diesel::insert_into(attempts::table)
        .values((
            attempts::user_id.eq(user),
            attempts::course_slug.eq(slug),
            attempts::course_version.eq("v1"),
            attempts::kind.eq("final"),
            attempts::seed.eq(1i64),
            attempts::questions.eq("[]"),
            attempts::answers.eq("{}"),
            attempts::started_at.eq(at(issued)),
            attempts::submitted_at.eq(at(issued)),
            attempts::score.eq(90),
            attempts::passed.eq(true),
        ))
        .returning(attempts::id)
        .get_result(conn)
        .unwrap();
    diesel::insert_into(certificates::table)
        .values((
            certificates::code.eq(format!("HVS-T{attempt:03}-{:04}", rand::random::<u16>())),
            certificates::user_id.eq(user),
            certificates::holder_name.eq("x"),
            certificates::course_slug.eq(slug),
            certificates::course_title.eq(slug),
            certificates::course_version.eq("v1"),
            certificates::attempt_id.eq(attempt),
            certificates::score.eq(90),
            certificates::issued_at.eq(at(issued)),
            certificates::token.eq("t"),
            certificates::fingerprint.eq("f"),
            certificates::revoked_at.eq(revoked.map(at)),
        ))
        .execute(conn)
        .unwrap();
}

pub fn vneid(
    conn: &mut DbConn,
    user: Option<i64>,
    unit: Option<i64>,
    on: &str,
    hash: Option<&str>,
) {
    diesel::insert_into(confirmations::table)
        .values((
            confirmations::kind.eq("vneid"),
            confirmations::user_id.eq(user),
            confirmations::unit_id.eq(unit),
            confirmations::citizen_id_hash.eq(hash),
            confirmations::confirmed_on.eq(day(on)),
            confirmations::imported_at.eq(at("2026-07-02")),
        ))
        .execute(conn)
        .unwrap();
}

/// The units of the cohort, by code.
pub struct Units {
    pub tdp1: i64,
    pub tdp2: i64,
    pub tdp3: i64,
    pub school: i64,
    pub agency: i64,
    pub enterprise: i64,
}

/// People worth naming in assertions.
pub struct Named {
    pub a3: i64,
    pub a12: i64,
}

fn elder<'a>(name: &'a str, born: i32, sex: Option<&'a str>, home: Option<i64>) -> Person<'a> {
    Person {
        name,
        group: "elderly",
        born,
        sex,
        unit: None,
        residence: home,
        channel: "self",
    }
}

/// Writes the cohort (see the module doc).
pub fn build(conn: &mut DbConn) -> (Units, Named) {
    let u = Units {
        tdp1: unit(conn, "TDP1", "Tổ dân phố 1", "residential"),
        tdp2: unit(conn, "TDP2", "Tổ dân phố 2", "residential"),
        tdp3: unit(conn, "TDP3", "Tổ dân phố 3", "residential"),
        school: unit(conn, "SCH", "Trường THCS Dương Kinh", "school"),
        agency: unit(conn, "AG", "UBND phường", "agency"),
        enterprise: unit(conn, "ENT", "Công ty May Hải Phòng", "enterprise"),
    };
    population(conn, u.tdp1, "adults", "2026-01-01", 10);
    population(conn, u.tdp1, "adults", "2026-06-01", 8); // the latest count wins
    population(conn, u.tdp1, "adults", "2026-12-01", 100); // after the report date
    population(conn, u.tdp2, "adults", "2026-01-01", 5);
    population(conn, u.school, "students", "2026-01-01", 4);
    population(conn, u.agency, "officials", "2026-01-01", 5);
    population(conn, u.enterprise, "workers", "2026-01-01", 3);

    let a1 = person(conn, elder("Nguyễn Thị An", 1950, Some("nu"), Some(u.tdp1)));
    cert(conn, a1, SAFE, "2026-02-10", None);
    let a2 = person(
        conn,
        elder("Trần Văn Bình", 1960, Some("nam"), Some(u.tdp1)),
    );
    cert(conn, a2, SAFE, "2026-03-05", None);
    cert(conn, a2, NEWS, "2026-03-05", None); // two goal courses: counted once
    let a3 = person(conn, elder("Lê Văn Cường", 1958, Some("nam"), Some(u.tdp1)));
    cert(conn, a3, SAFE, "2026-03-01", Some("2026-05-01")); // revoked before the report
    let a4 = person(conn, elder("Phạm Thị Dung", 1955, None, Some(u.tdp1)));
    cert(conn, a4, SAFE, "2026-03-10", Some("2026-04-01"));
    cert(conn, a4, SAFE, "2026-04-02", None); // re-issued: counted once
    let worker = |name, born, sex, channel| Person {
        name,
        group: "workers",
        born,
        sex,
        unit: Some(u.enterprise),
        residence: Some(u.tdp2),
        channel,
    };
    let a5 = person(conn, worker("Đỗ Văn Em", 1990, Some("nam"), "self"));
    cert(conn, a5, SAFE, "2026-04-15", None);
    cert(conn, a5, NEWS, "2026-04-15", None);
    let a6 = person(conn, worker("Vũ Thị Giang", 1995, Some("nu"), "helper"));
    cert(conn, a6, SAFE, "2026-05-20", None); // one of the two worker courses only
    let a7 = person(
        conn,
        Person {
            name: "Hoàng Minh Hải",
            group: "students",
            born: 2012,
            sex: Some("nam"),
            unit: Some(u.school),
            residence: Some(u.tdp1),
            channel: "import",
        },
    );
    cert(conn, a7, NEWS, "2026-02-01", None); // a student, under 18: not an adult
    let a8 = person(conn, elder("Bùi Thị Hoa", 1962, Some("nu"), Some(u.tdp3)));
    cert(conn, a8, SAFE, "2026-02-01", None); // TDP3 has no population count
    let official = |name, born, sex| Person {
        name,
        group: "officials",
        born,
        sex,
        unit: Some(u.agency),
        residence: Some(u.tdp2),
        channel: "import",
    };
    let a9 = person(conn, official("Ngô Văn Khánh", 1985, Some("nam")));
    cert(conn, a9, SAFE, "2026-07-15", None); // after the report date
    let a10 = person(conn, official("Đặng Thị Lan", 1980, Some("nu")));
    cert(conn, a10, SAFE, "2026-06-30 23:30", None); // the last evening still counts
    let a11 = person(conn, elder("Mai Văn Nam", 1948, Some("nam"), None));
    cert(conn, a11, SAFE, "2026-02-01", None); // no unit at all
    let a12 = person(conn, elder("Lý Văn Phúc", 1970, Some("nam"), Some(u.tdp2)));
    cert(conn, a12, SAFE, "2026-05-25", None); // erased later by the tests

    vneid(conn, Some(a1), Some(u.tdp1), "2026-03-01", None);
    vneid(conn, Some(a2), Some(u.tdp1), "2026-07-01", None); // after the report date
    vneid(conn, None, Some(u.tdp1), "2026-05-05", Some("hash-1")); // no account yet
    vneid(conn, None, None, "2026-05-06", Some("hash-2")); // no account, no unit
    (u, Named { a3, a12 })
}
