//! A generated cohort for the report benchmark: units, population counts, learners of every
//! target group, pre-tests and finals, certificates (a few revoked, some re-issued), lessons
//! done and VNeID confirmations, all made by a few bulk SQL statements inside the database
//! (a recursive CTE on SQLite, `generate_series` on PostgreSQL). Every value comes from a
//! hash of the row number, so two runs make the same data.

use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use hocvuso::db::DbConn;
use hocvuso::reports::plan::{Counts, Plan};

/// How big a place is.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub name: &'static str,
    pub residential: i64,
    pub schools: i64,
    pub agencies: i64,
    pub enterprises: i64,
    pub cooperatives: i64,
    pub learners: i64,
    /// Community digital team members (the first learner ids), who register and assist.
    pub helpers: i64,
    /// Population totals: adults, students, officials, workers.
    pub adults: i64,
    pub students: i64,
    pub officials: i64,
    pub workers: i64,
}

/// A ward of about 60 thousand residents.
pub const WARD: Scale = Scale {
    name: "ward",
    residential: 20,
    schools: 6,
    agencies: 3,
    enterprises: 15,
    cooperatives: 5,
    learners: 60_000,
    helpers: 40,
    adults: 45_000,
    students: 9_000,
    officials: 600,
    workers: 6_000,
};

/// A city: the ward's shape with 4.6 million learners and about 2,000 units.
pub const CITY: Scale = Scale {
    name: "city",
    residential: 800,
    schools: 240,
    agencies: 120,
    enterprises: 600,
    cooperatives: 200,
    learners: 4_600_000,
    helpers: 3_000,
    adults: 3_450_000,
    students: 690_000,
    officials: 46_000,
    workers: 460_000,
};

/// The courses whose certificates count, per population, taken from the plan.
#[derive(Debug, Clone)]
pub struct GoalCourses {
    pub officials: Vec<String>,
    pub students: Vec<String>,
    pub workers: Vec<String>,
    pub adults: Vec<String>,
}

impl GoalCourses {
    pub fn from_plan(plan: &Plan) -> Self {
        let list = |population: &str| -> Vec<String> {
            let mut out: Vec<String> = plan
                .goals
                .iter()
                .filter(|g| g.counted == population)
                .filter_map(|g| match &g.counts {
                    Counts::AnyOf(l) | Counts::AllOf(l) => Some(l.clone()),
                    Counts::Confirmation(_) => None,
                })
                .flatten()
                .collect();
            out.dedup();
            if out.is_empty() {
                out.push(format!("khoa-{population}"));
            }
            out
        };
        GoalCourses {
            officials: list("officials"),
            students: list("students"),
            workers: list("workers"),
            adults: list("adults"),
        }
    }
}

/// What was generated.
#[derive(Debug)]
pub struct Generated {
    pub took: Duration,
    /// Rows per table, in insertion order.
    pub rows: Vec<(&'static str, i64)>,
}

impl Generated {
    pub fn total(&self) -> i64 {
        self.rows.iter().map(|r| r.1).sum()
    }

    pub fn summary(&self) -> String {
        self.rows
            .iter()
            .map(|(t, n)| format!("{t} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// SQL that differs between the two engines.
struct Dialect {
    pg: bool,
}

const BASE: &str = "2026-01-01 00:00:00";
/// Attempts and certificates fall in the first 330 days of 2026 (to 26 November).
const SPREAD_MINUTES: i64 = 330 * 1440;

impl Dialect {
    /// A CTE `s(n)` of the numbers 1..=count.
    fn series(&self, count: i64) -> String {
        if self.pg {
            format!("s(n) AS (SELECT generate_series(1::bigint, {count}::bigint))")
        } else {
            format!("s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < {count})")
        }
    }

    fn with(&self) -> &'static str {
        if self.pg { "WITH" } else { "WITH RECURSIVE" }
    }

    /// BASE plus `minutes` (an SQL expression).
    fn ts(&self, minutes: &str) -> String {
        if self.pg {
            format!("(TIMESTAMP '{BASE}' + ({minutes}) * INTERVAL '1 minute')")
        } else {
            format!("datetime('{BASE}', ({minutes}) || ' minutes')")
        }
    }

    /// A timestamp column or expression plus `minutes` (may be negative).
    fn shift(&self, ts: &str, minutes: &str) -> String {
        if self.pg {
            format!("({ts} + ({minutes}) * INTERVAL '1 minute')")
        } else {
            format!("datetime({ts}, ({minutes}) || ' minutes')")
        }
    }

    /// 2026-01-01 plus `days`.
    fn date(&self, days: &str) -> String {
        if self.pg {
            format!("(DATE '2026-01-01' + ({days})::int)")
        } else {
            format!("date('2026-01-01', ({days}) || ' days')")
        }
    }

    fn date_lit(&self, d: &str) -> String {
        if self.pg {
            format!("DATE '{d}'")
        } else {
            format!("'{d}'")
        }
    }

    fn ts_lit(&self, t: &str) -> String {
        if self.pg {
            format!("TIMESTAMP '{t}'")
        } else {
            format!("'{t}'")
        }
    }
}

/// A pseudo-random number in 0..1_000_000 from an integer expression; `k` picks one of
/// several independent-looking hashes.
fn h(expr: &str, k: usize) -> String {
    const MUL: [i64; 12] = [
        15_485_863,
        32_452_843,
        49_979_687,
        67_867_967,
        86_028_121,
        104_395_301,
        122_949_823,
        141_650_939,
        160_481_183,
        179_424_673,
        198_491_317,
        217_645_177,
    ];
    const PRIME: [i64; 12] = [
        1_000_003, 1_000_033, 1_000_037, 1_000_039, 1_000_081, 1_000_099, 1_000_117, 1_000_121,
        1_000_133, 1_000_151, 1_000_159, 1_000_171,
    ];
    format!(
        "((({expr}) * {} + {}) % {} % 1000000)",
        MUL[k],
        k * 7919 + 13,
        PRIME[k]
    )
}

/// `CASE (hash % len) WHEN 0 THEN 'a' ... END` picking one of `list`.
fn pick(list: &[String], hash: &str) -> String {
    if list.len() == 1 {
        return format!("'{}'", list[0]);
    }
    let mut out = format!("CASE ({hash} % {}) ", list.len());
    for (i, s) in list.iter().enumerate() {
        if i + 1 == list.len() {
            out.push_str(&format!("ELSE '{s}' END"));
        } else {
            out.push_str(&format!("WHEN {i} THEN '{s}' "));
        }
    }
    out
}

const RESULT_PASSED: &str = r#"[{"id":"q1","points":1000,"given":{"t":"choice","v":[0]}},{"id":"q2","points":1000,"given":{"t":"bool","v":true}},{"id":"q3","points":1000,"given":{"t":"choice","v":[1,2]}},{"id":"q4","points":0,"given":{"t":"text","v":"mã OTP"}}]"#;
const RESULT_FAILED: &str = r#"[{"id":"q1","points":0,"given":{"t":"choice","v":[2]}},{"id":"q2","points":1000,"given":{"t":"bool","v":false}},{"id":"q3","points":0,"given":{"t":"none"}},{"id":"q4","points":0,"given":{"t":"text","v":"không biết"}}]"#;

/// The SQL statements that fill an empty, migrated database.
fn statements(d: &Dialect, s: &Scale, c: &GoalCourses) -> Vec<(&'static str, String)> {
    let (r, sc, ag, en, co) = (
        s.residential,
        s.schools,
        s.agencies,
        s.enterprises,
        s.cooperatives,
    );
    let units_total = r + sc + ag + en + co;
    let (school0, agency0, ent0, coop0) = (r, r + sc, r + sc + ag, r + sc + ag + en);
    let created = d.ts_lit("2025-12-01 08:00:00");
    let mut out = Vec::new();

    // Units: ids 1.. in blocks of kinds.
    out.push((
        "units",
        format!(
            "INSERT INTO units (id, code, name, kind, created_at) {with} {series} \
             SELECT n, \
               CASE WHEN n <= {school0} THEN 'TDP' || n WHEN n <= {agency0} THEN 'TH' || n \
                    WHEN n <= {ent0} THEN 'CQ' || n WHEN n <= {coop0} THEN 'DN' || n ELSE 'HTX' || n END, \
               CASE WHEN n <= {school0} THEN 'Tổ dân phố ' || n \
                    WHEN n <= {agency0} THEN 'Trường ' || (n - {school0}) \
                    WHEN n <= {ent0} THEN 'Cơ quan ' || (n - {agency0}) \
                    WHEN n <= {coop0} THEN 'Doanh nghiệp ' || (n - {ent0}) \
                    ELSE 'Hợp tác xã ' || (n - {coop0}) END, \
               CASE WHEN n <= {school0} THEN 'residential' WHEN n <= {agency0} THEN 'school' \
                    WHEN n <= {ent0} THEN 'agency' WHEN n <= {coop0} THEN 'enterprise' \
                    ELSE 'cooperative' END, \
               {created} FROM s",
            with = d.with(),
            series = d.series(units_total),
        ),
    ));

    // Population counts: this year's row and last year's (smaller), per unit; each unit's
    // share varies by ±10% around its kind's average.
    let per = |total: i64, units: i64| total / units.max(1);
    let count = format!(
        "(CASE kind WHEN 'residential' THEN {} WHEN 'school' THEN {} WHEN 'agency' THEN {} \
           ELSE {} END) * (90 + {} % 21) / 100",
        per(s.adults, r),
        per(s.students, sc),
        per(s.officials, ag),
        per(s.workers, en + co),
        h("id", 0)
    );
    let population = "CASE kind WHEN 'residential' THEN 'adults' WHEN 'school' THEN 'students' \
                      WHEN 'agency' THEN 'officials' ELSE 'workers' END";
    out.push((
        "population_counts",
        format!(
            "INSERT INTO population_counts (unit_id, population, as_of, count, imported_at) \
             SELECT id, {population}, {}, {count}, {created} FROM units \
             UNION ALL \
             SELECT id, {population}, {}, ({count}) * 97 / 100, {created} FROM units",
            d.date_lit("2026-01-01"),
            d.date_lit("2025-01-01"),
        ),
    ));

    // Learners. g: group (1% officials, 15% students, 10% workers, the rest residents);
    // a, b, c: independent draws for birth year, sex, units and channel.
    let res_pick = format!("1 + ({} % {r})", h("n", 4));
    let users = format!(
        "INSERT INTO users (id, full_name, username, password_hash, birth_year, sex, target_group, \
           unit_id, residence_unit_id, role, active, session_version, must_change_password, \
           consent_version, consent_at, registered_by, channel, deleted_at, created_at, updated_at) \
         {with} {series}, p AS (SELECT n, \
             CASE WHEN {g} < 10 THEN 'officials' WHEN {g} < 160 THEN 'students' \
                  WHEN {g} < 260 THEN 'workers' ELSE 'elderly' END AS grp, \
             {a} AS a, {b} AS b, {c} AS c FROM s) \
         SELECT n, 'Học viên ' || n, 'hv' || n, 'bench-no-login', \
           CASE grp WHEN 'students' THEN 2009 + a % 12 WHEN 'officials' THEN 1966 + a % 38 \
                    WHEN 'workers' THEN 1968 + a % 40 \
                    ELSE CASE WHEN a % 100 < 40 THEN 1940 + a % 27 ELSE 1967 + a % 42 END END, \
           CASE WHEN b % 2 = 0 THEN 'nam' ELSE 'nu' END, \
           grp, \
           CASE grp WHEN 'officials' THEN {agency1} + c % {ag} \
                    WHEN 'students' THEN {school1} + c % {sc} \
                    WHEN 'workers' THEN CASE WHEN c % 100 < 80 THEN {ent1} + c % {en} \
                                             ELSE {coop1} + c % {co} END \
                    ELSE CASE WHEN c % 100 < 30 THEN {res_pick} ELSE NULL END END, \
           CASE WHEN grp = 'students' OR b / 10 % 100 < 85 THEN {res_pick} ELSE NULL END, \
           CASE WHEN n <= {helpers} THEN 'helper' ELSE 'learner' END, TRUE, 0, FALSE, \
           '1', {created}, \
           CASE WHEN n > {helpers} AND c / 100 % 100 < 15 THEN 1 + c % {helpers} ELSE NULL END, \
           CASE WHEN n > {helpers} AND c / 100 % 100 < 15 THEN 'helper' ELSE 'self' END, \
           CASE WHEN a / 100 % 1000 < 5 THEN {deleted} ELSE NULL END, \
           {created}, {created} \
         FROM p",
        with = d.with(),
        series = d.series(s.learners),
        g = format!("({} % 1000)", h("n", 1)),
        a = h("n", 2),
        b = h("n", 3),
        c = h("n", 5),
        agency1 = agency0 + 1,
        school1 = school0 + 1,
        ent1 = ent0 + 1,
        coop1 = coop0 + 1,
        helpers = s.helpers,
        deleted = d.ts_lit("2026-10-01 09:00:00"),
    );
    out.push(("users", users));

    // Attempts: ids user*8 + slot. Slot 0 a pre-test, slot 1 the final of the learner's
    // group course (passed for `cert`% of each group, failed for the next 12%), slot 2 the
    // final of a second adults' course for some officials and workers.
    let cert = "CASE target_group WHEN 'officials' THEN 85 WHEN 'students' THEN 70 \
                WHEN 'workers' THEN 65 ELSE 50 END";
    let x = format!("({} % 100)", h("id", 6));
    let primary = format!(
        "CASE target_group WHEN 'officials' THEN {} WHEN 'students' THEN {} \
           WHEN 'workers' THEN {} ELSE {} END",
        pick(&c.officials, &h("id", 7)),
        pick(&c.students, &h("id", 7)),
        pick(&c.workers, &h("id", 7)),
        pick(&c.adults, &h("id", 7)),
    );
    let second_of = |own: &[String]| -> Vec<String> {
        let l: Vec<String> = c
            .adults
            .iter()
            .filter(|s| !own.contains(s))
            .cloned()
            .collect();
        if l.is_empty() { c.adults.clone() } else { l }
    };
    let second = format!(
        "CASE target_group WHEN 'officials' THEN {} ELSE {} END",
        pick(&second_of(&c.officials), &h("id", 8)),
        pick(&second_of(&c.workers), &h("id", 8)),
    );
    let helpers = s.helpers;
    let assisted = format!(
        "CASE WHEN {h9} % 100 < 3 THEN 1 + {h9} % {helpers} \
              WHEN channel = 'helper' AND {h9} % 2 = 0 THEN registered_by ELSE NULL END",
        h9 = h("id", 9)
    );
    let final_at = format!("({} % {})", h("id", 10), SPREAD_MINUTES - 60);
    let second_at = format!("({} % {})", h("id", 11), SPREAD_MINUTES - 60);
    let attempt_cols = "id, user_id, course_slug, course_version, kind, seed, questions, answers, \
                        started_at, deadline_at, submitted_at, score, passed, result, assisted_by";
    let row = |id_slot: i64,
               slug: &str,
               kind: &str,
               at: &str,
               score: &str,
               result: &str,
               filter: &str| {
        format!(
            "INSERT INTO attempts ({attempt_cols}) \
             SELECT id * 8 + {id_slot}, id, {slug}, '1', '{kind}', id, '[]', '{{}}', \
               {started}, NULL, {submitted}, {score}, ({score}) >= 70, {result}, {assisted} \
             FROM users WHERE {filter}",
            started = d.ts(at),
            submitted = d.ts(&format!("{at} + 20")),
        )
    };
    out.push((
        "attempts (pre-tests)",
        row(
            0,
            &primary,
            "pretest",
            &format!("({final_at} * ({} % 90) / 100)", h("id", 3)),
            &format!("20 + {} % 60", h("id", 4)),
            &format!(
                "CASE WHEN {} % 100 < 30 THEN '{RESULT_PASSED}' ELSE '{RESULT_FAILED}' END",
                h("id", 4)
            ),
            &format!("{x} < ({cert}) + 12 AND {} % 100 < 60", h("id", 5)),
        ),
    ));
    out.push((
        "attempts (finals)",
        row(
            1,
            &primary,
            "final",
            &final_at,
            &format!(
                "CASE WHEN {x} < ({cert}) THEN 70 + {h} % 31 ELSE 30 + {h} % 40 END",
                h = h("id", 4)
            ),
            &format!("CASE WHEN {x} < ({cert}) THEN '{RESULT_PASSED}' ELSE '{RESULT_FAILED}' END"),
            &format!("{x} < ({cert}) + 12"),
        ),
    ));
    out.push((
        "attempts (second course)",
        row(
            2,
            &second,
            "final",
            &second_at,
            &format!("75 + {} % 26", h("id", 4)),
            &format!("'{RESULT_PASSED}'"),
            &format!(
                "target_group IN ('officials', 'workers') AND {} % 100 < 45",
                h("id", 8)
            ),
        ),
    ));

    // Lessons done before each final: three per course.
    out.push((
        "lesson_progress",
        format!(
            "INSERT INTO lesson_progress (user_id, course_slug, lesson_slug, course_version, \
               assisted_by, completed_at) \
             SELECT a.user_id, a.course_slug, 'bai-' || l.k, '1', a.assisted_by, {done} \
             FROM attempts a CROSS JOIN (SELECT 1 AS k UNION ALL SELECT 2 UNION ALL SELECT 3) l \
             WHERE a.kind = 'final'",
            done = d.shift("a.started_at", "-60 * (4 - l.k)"),
        ),
    ));

    // Certificates for passed finals, id = attempt id; 2% revoked three days later, half of
    // those re-issued the next week (id = attempt id + 4, a slot no attempt uses).
    let revoked = format!("{} % 100 < 2", h("a.id", 0));
    let cert_cols = "id, code, user_id, holder_name, course_slug, course_title, course_version, \
                     attempt_id, score, issued_at, token, fingerprint, revoked_at, revoked_reason, \
                     revoked_by";
    out.push((
        "certificates",
        format!(
            "INSERT INTO certificates ({cert_cols}) \
             SELECT a.id, 'HVS-' || a.id, a.user_id, 'Học viên ' || a.user_id, a.course_slug, \
               a.course_slug, '1', a.id, a.score, a.submitted_at, 'token-' || a.id, 'fp-' || a.id, \
               CASE WHEN {revoked} THEN {rev_at} ELSE NULL END, \
               CASE WHEN {revoked} THEN 'Cấp nhầm người' ELSE NULL END, \
               CASE WHEN {revoked} THEN 1 ELSE NULL END \
             FROM attempts a WHERE a.kind = 'final' AND a.passed",
            rev_at = d.shift("a.submitted_at", "3 * 1440"),
        ),
    ));
    out.push((
        "certificates (re-issued)",
        format!(
            "INSERT INTO certificates ({cert_cols}) \
             SELECT a.id + 4, 'HVS-R' || a.id, a.user_id, 'Học viên ' || a.user_id, a.course_slug, \
               a.course_slug, '1', a.id, a.score, {re_at}, 'token-r' || a.id, 'fp-r' || a.id, \
               NULL, NULL, NULL \
             FROM attempts a WHERE a.kind = 'final' AND a.passed AND {revoked} AND {} % 2 = 0",
            h("a.id", 1),
            re_at = d.shift("a.submitted_at", "10 * 1440"),
        ),
    ));

    // VNeID: matched for 55% of adult learners, unmatched (people without an account) for
    // 8% of the adults' population, spread over the residential units; Jan to Nov 2026.
    out.push((
        "confirmations (matched)",
        format!(
            "INSERT INTO confirmations (kind, user_id, unit_id, citizen_id_hash, confirmed_on, \
               imported_at) \
             SELECT 'vneid', id, residence_unit_id, NULL, {on}, {created} FROM users \
             WHERE 2026 - birth_year >= 18 AND {} % 100 < 55",
            h("id", 11),
            on = d.date(&format!("{} % 330", h("id", 9))),
        ),
    ));
    out.push((
        "confirmations (unmatched)",
        format!(
            "INSERT INTO confirmations (kind, user_id, unit_id, citizen_id_hash, confirmed_on, \
               imported_at) {with} {series} \
             SELECT 'vneid', NULL, 1 + n % {r}, NULL, {on}, {created} FROM s",
            with = d.with(),
            series = d.series(s.adults * 8 / 100),
            on = d.date(&format!("{} % 330", h("n", 9))),
        ),
    ));
    out
}

/// Fills a fresh, migrated database with `scale`. On PostgreSQL the foreign-key triggers
/// are skipped while loading (a scratch database), then the sequences are moved past the
/// explicit ids and the tables analysed.
pub fn generate(
    conn: &mut DbConn,
    scale: &Scale,
    courses: &GoalCourses,
    progress: bool,
) -> Result<Generated, diesel::result::Error> {
    let started = Instant::now();
    let pg = matches!(conn, DbConn::Pg(_));
    let d = Dialect { pg };
    let mut rows = Vec::new();
    if pg {
        conn.batch_execute("SET session_replication_role = replica; SET synchronous_commit = off")?;
    } else {
        conn.batch_execute("BEGIN")?;
    }
    for (table, sql) in statements(&d, scale, courses) {
        let t = Instant::now();
        let n = diesel::sql_query(&sql).execute(conn).map_err(|e| {
            eprintln!("{table}: {e}\n{sql}");
            e
        })?;
        if progress {
            println!(
                "  {:<28} {:>10} rows in {:>7.1} s",
                table,
                n,
                t.elapsed().as_secs_f64()
            );
        }
        rows.push((table, n as i64));
    }
    if pg {
        let t = Instant::now();
        conn.batch_execute(
            "SET session_replication_role = origin; \
             SELECT setval(pg_get_serial_sequence('units', 'id'), (SELECT max(id) FROM units)); \
             SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users)); \
             SELECT setval(pg_get_serial_sequence('attempts', 'id'), (SELECT max(id) FROM attempts)); \
             SELECT setval(pg_get_serial_sequence('certificates', 'id'), (SELECT max(id) FROM certificates));",
        )?;
        conn.batch_execute("VACUUM ANALYZE")?;
        if progress {
            println!(
                "  {:<28} {:>10}      in {:>7.1} s",
                "VACUUM ANALYZE",
                "",
                t.elapsed().as_secs_f64()
            );
        }
    } else {
        conn.batch_execute("COMMIT; ANALYZE;")?;
    }
    Ok(Generated {
        took: started.elapsed(),
        rows,
    })
}
