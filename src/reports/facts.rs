//! The report's facts, kept per learner so a report reads narrow tables instead of
//! aggregating every certificate, confirmation and attempt (see the migration
//! `report_facts`):
//!
//! - `report_facts`: a row per (learner, goal) the learner counts toward if they belong to
//!   its population: the unit the goal places them in, what the breakdowns tell apart, and the
//!   day they start counting (their first certificate of any of the goal's courses, the latest
//!   of their first certificates for "all of", or their first confirmation). Holders with a
//!   revoked certificate of the goal are left out of it.
//! - `report_revoked`: for those holders, a row per certificate of the goal's courses (issue
//!   and revocation days) with the same placement, which `tally` counts one by one.
//! - `score_facts`: a row per (learner, course) with their pre-test and final counts, sums,
//!   first pre-test and best final, and the day of their last attempt.
//!
//! Database triggers mark a learner dirty when a row these depend on changes; [`refresh`]
//! rebuilds the dirty learners' rows before a report reads, and everything when the plan's
//! goals changed (its fingerprint is stored).

use chrono::Utc;
use diesel::sql_types::{BigInt, Text};
use sha2::{Digest, Sha256};

use super::plan::{Counts, Goal};
use super::sql::{Bind, Sql};
use crate::db::DbConn;
use crate::groups::Group;

/// Bumped when what the facts hold changes, so that existing facts are rebuilt.
const VERSION: &str = "facts-1";
/// Learners refreshed per statement.
const CHUNK: usize = 1_000;
/// The advisory lock that lets one server at a time refresh (PostgreSQL).
const LOCK: i64 = 0x6876_7366; // "hvsf"

/// What a refresh did.
#[derive(Debug, Clone, Copy, Default)]
pub struct Refreshed {
    /// Everything was rebuilt (first report, or the plan's goals changed).
    pub rebuilt: bool,
    /// Learners whose facts were rebuilt one by one.
    pub learners: usize,
}

/// A fingerprint of what the facts depend on in the plan: its goals' populations and what
/// counts toward them, in order.
pub fn fingerprint(goals: &[Goal]) -> String {
    let mut h = Sha256::new();
    h.update(VERSION);
    for g in goals {
        h.update(format!("\n{}|", g.counted));
        match &g.counts {
            Counts::AnyOf(l) => h.update(format!("any:{}", l.join(","))),
            Counts::AllOf(l) => h.update(format!("all:{}", l.join(","))),
            Counts::Confirmation(k) => h.update(format!("confirmation:{k}")),
        }
    }
    format!("{:x}", h.finalize())
}

#[derive(diesel::QueryableByName)]
struct Fingerprint {
    #[diesel(sql_type = Text)]
    fingerprint: String,
}

#[derive(diesel::QueryableByName)]
struct Dirty {
    #[diesel(sql_type = BigInt)]
    user_id: i64,
}

/// Brings the facts up to date: every dirty learner, or everything when the plan's goals are
/// not the ones the facts were built for. One server at a time; the others wait for it.
pub fn refresh(conn: &mut DbConn, goals: &[Goal]) -> Result<Refreshed, diesel::result::Error> {
    let print = fingerprint(goals);
    if up_to_date(conn, &print)? {
        return Ok(Refreshed::default());
    }
    crate::db::write_tx(conn, |conn| {
        if matches!(conn, DbConn::Pg(_)) {
            let mut lock = Sql::for_conn(conn);
            let key = lock.p(Bind::BigInt(LOCK));
            lock.push(&format!("SELECT pg_advisory_xact_lock({key})"));
            lock.execute(conn)?;
        }
        let mut read = Sql::for_conn(conn);
        read.push("SELECT fingerprint FROM report_state WHERE id = 1");
        let stored: Vec<Fingerprint> = read.load(conn)?;
        if stored.first().map(|s| s.fingerprint.as_str()) != Some(print.as_str()) {
            rebuild_all(conn, goals, &print)?;
            return Ok(Refreshed {
                rebuilt: true,
                learners: 0,
            });
        }
        // Claimed by deleting them first: a change committed from now on marks its learner
        // dirty again, for the next refresh.
        let mut claim = Sql::for_conn(conn);
        claim.push("DELETE FROM report_dirty RETURNING user_id");
        let ids: Vec<i64> = claim
            .load::<Dirty>(conn)?
            .into_iter()
            .map(|d| d.user_id)
            .collect();
        for chunk in ids.chunks(CHUNK) {
            for table in ["report_facts", "report_revoked", "score_facts"] {
                let mut del = Sql::for_conn(conn);
                let list = del.id_list(chunk);
                del.push(&format!("DELETE FROM {table} WHERE user_id IN {list}"));
                del.execute(conn)?;
            }
            insert_goal_facts(conn, goals, Some(chunk))?;
            insert_revoked(conn, goals, Some(chunk))?;
            insert_score_facts(conn, Some(chunk))?;
        }
        Ok(Refreshed {
            rebuilt: false,
            learners: ids.len(),
        })
    })
}

/// Whether the facts were built for this plan and no learner is dirty: read without taking
/// the write lock, so that reports do not queue behind writers when nothing changed.
fn up_to_date(conn: &mut DbConn, print: &str) -> diesel::QueryResult<bool> {
    let mut read = Sql::for_conn(conn);
    let f = read.p(Bind::Text(print.to_owned()));
    read.push(&format!(
        "SELECT fingerprint FROM report_state WHERE id = 1 AND fingerprint = {f} \
         AND NOT EXISTS (SELECT 1 FROM report_dirty)"
    ));
    Ok(!read.load::<Fingerprint>(conn)?.is_empty())
}

fn rebuild_all(conn: &mut DbConn, goals: &[Goal], print: &str) -> diesel::QueryResult<()> {
    for table in [
        "report_facts",
        "report_revoked",
        "score_facts",
        "report_dirty",
        "report_state",
    ] {
        let mut del = Sql::for_conn(conn);
        del.push(&format!("DELETE FROM {table}"));
        del.execute(conn)?;
    }
    insert_goal_facts(conn, goals, None)?;
    insert_revoked(conn, goals, None)?;
    insert_score_facts(conn, None)?;
    let mut state = Sql::for_conn(conn);
    let (f, at) = (
        state.p(Bind::Text(print.to_owned())),
        state.p(Bind::Time(Utc::now().naive_utc())),
    );
    state.push(&format!(
        "INSERT INTO report_state (id, fingerprint, built_at) VALUES (1, {f}, {at})"
    ));
    state.execute(conn)?;
    if matches!(conn, DbConn::Pg(_)) {
        // Fresh statistics, so the report's plan knows the tables' new sizes.
        let mut analyze = Sql::for_conn(conn);
        analyze.push("ANALYZE report_facts, report_revoked, score_facts");
        analyze.execute(conn)?;
    }
    Ok(())
}

/// ` AND <column> IN (…)` for a chunk of learners; nothing for everyone.
fn only(sql: &mut Sql, ids: Option<&[i64]>, column: &str) -> String {
    match ids {
        Some(ids) => format!(" AND {column} IN {}", sql.id_list(ids)),
        None => String::new(),
    }
}

/// `(VALUES (goal, course), …)`: which goal each course counts toward.
fn goal_courses(sql: &mut Sql, goals: &[Goal]) -> Option<String> {
    let mut rows = Vec::new();
    for (n, g) in goals.iter().enumerate() {
        if let Counts::AnyOf(slugs) | Counts::AllOf(slugs) = &g.counts {
            for slug in slugs {
                let (a, b) = (sql.p(Bind::Int(n as i32)), sql.p(Bind::Text(slug.clone())));
                rows.push(format!("({a}, {b})"));
            }
        }
    }
    (!rows.is_empty()).then(|| format!("VALUES {}", rows.join(", ")))
}

/// The moment a learner counts from, for a certificate goal: their first certificate of any of
/// its courses, or, for `all_of`, the latest of their first certificates of each (none until
/// they hold them all).
fn certificate_moment(sql: &mut Sql, goals: &[Goal]) -> String {
    let mut cases = String::new();
    for (n, g) in goals.iter().enumerate() {
        if let Counts::AllOf(slugs) = &g.counts {
            let (goal, need) = (
                sql.p(Bind::Int(n as i32)),
                sql.p(Bind::BigInt(slugs.len() as i64)),
            );
            cases.push_str(&format!(
                " WHEN goal = {goal} THEN CASE WHEN nv = {need} THEN vmax END"
            ));
        }
    }
    if cases.is_empty() {
        "vmin".to_owned()
    } else {
        format!("CASE{cases} ELSE vmin END")
    }
}

/// Each goal's population and the unit it places people in: adults (by birth year, checked
/// at the report's date) where they live, the other groups in their work or school unit.
fn placement(sql: &mut Sql, goals: &[Goal]) -> (String, String) {
    let (mut member, mut unit) = (String::new(), String::new());
    for (n, g) in goals.iter().enumerate() {
        let goal = sql.p(Bind::Int(n as i32));
        if g.counted == "adults" {
            member.push_str(&format!(" WHEN {goal} THEN 1"));
            unit.push_str(&format!(" WHEN {goal} THEN home"));
        } else {
            let group = sql.p(Bind::Int(group_code(&g.counted)));
            member.push_str(&format!(
                " WHEN {goal} THEN CASE WHEN grp = {group} THEN 1 ELSE 0 END"
            ));
            unit.push_str(&format!(" WHEN {goal} THEN unit_id"));
        }
    }
    (
        format!("CASE goal{member} ELSE 0 END = 1"),
        format!("CASE goal{unit} END"),
    )
}

/// A group's code in the facts: its position in [`Group::ALL`], 4 when unknown.
pub fn group_code(group: &str) -> i32 {
    Group::ALL
        .iter()
        .position(|g| g.as_str() == group)
        .map_or(UNKNOWN_GROUP, |i| i as i32)
}

/// The group of a code in the facts; "" when unknown.
pub fn group_name(code: i64) -> &'static str {
    usize::try_from(code)
        .ok()
        .and_then(|i| Group::ALL.get(i))
        .map_or("", |g| g.as_str())
}

pub const UNKNOWN_GROUP: i32 = 4;

/// What places and describes a person (`u` the account, `wu` its work unit): work unit, the
/// tổ dân phố an adult is counted in, group code, birth year, sex and whether a helper
/// assisted them.
fn person_columns() -> String {
    let groups: String = Group::ALL
        .iter()
        .enumerate()
        .map(|(i, g)| format!(" WHEN '{}' THEN {i}", g.as_str()))
        .collect();
    format!(
        "u.unit_id AS unit_id, \
         COALESCE(u.residence_unit_id, CASE WHEN wu.kind = 'residential' THEN u.unit_id END) AS home, \
         CASE u.target_group{groups} ELSE {UNKNOWN_GROUP} END AS grp, u.birth_year AS birth_year, \
         CASE WHEN u.sex IN ('nam', 'male', 'm') THEN 0 \
              WHEN u.sex IN ('nu', 'nữ', 'female', 'f') THEN 1 ELSE 2 END AS sex, \
         CASE WHEN u.channel = 'helper' \
              OR EXISTS (SELECT 1 FROM lesson_progress lp \
                         WHERE lp.user_id = u.id AND lp.assisted_by IS NOT NULL) \
              OR EXISTS (SELECT 1 FROM attempts ta \
                         WHERE ta.user_id = u.id AND ta.assisted_by IS NOT NULL) \
              THEN 1 ELSE 0 END AS assisted"
    )
}

/// `gc` (goal, course), `c1` (per learner and course: first certificate, revoked ones) and
/// `gs` (per learner and goal: first and latest first certificate, courses held, revoked
/// ones), for these learners; `None` when no goal counts certificates.
fn certificate_ctes(sql: &mut Sql, goals: &[Goal], ids: Option<&[i64]>) -> Option<String> {
    let values = goal_courses(sql, goals)?;
    let chunk = only(sql, ids, "user_id");
    Some(format!(
        "gc(goal, slug) AS ({values}), \
         c1 AS (SELECT user_id, course_slug, MIN(issued_at) AS v, COUNT(revoked_at) AS r \
                FROM certificates WHERE course_slug IN (SELECT slug FROM gc){chunk} \
                GROUP BY user_id, course_slug), \
         gs AS (SELECT c1.user_id, gc.goal, MIN(c1.v) AS vmin, MAX(c1.v) AS vmax, \
                       COUNT(*) AS nv, SUM(c1.r) AS r \
                FROM c1 JOIN gc ON gc.slug = c1.course_slug GROUP BY c1.user_id, gc.goal)"
    ))
}

/// Inserts the certificates of these learners' goals in which they hold a revoked one
/// (everyone for `None`), placed as in the facts.
fn insert_revoked(
    conn: &mut DbConn,
    goals: &[Goal],
    ids: Option<&[i64]>,
) -> diesel::QueryResult<usize> {
    let mut sql = Sql::for_conn(conn);
    let Some(held) = certificate_ctes(&mut sql, goals, ids) else {
        return Ok(0);
    };
    let person = person_columns();
    let (member, unit) = placement(&mut sql, goals);
    let (issued, revoked) = (
        sql.day_number("c.issued_at"),
        sql.day_number("c.revoked_at"),
    );
    sql.push(&format!(
        "INSERT INTO report_revoked \
           (user_id, goal, certificate_id, unit_id, grp, birth_year, sex, assisted, course_slug, \
            issued_day, revoked_day) \
         WITH {held}, \
         p AS (SELECT gs.user_id, gs.goal, {person} FROM gs \
               JOIN users u ON u.id = gs.user_id LEFT JOIN units wu ON wu.id = u.unit_id \
               WHERE gs.r > 0), \
         q AS (SELECT user_id, goal, {unit} AS unit_id, grp, birth_year, sex, assisted \
               FROM p WHERE {member}) \
         SELECT q.user_id, q.goal, c.id, q.unit_id, q.grp, q.birth_year, q.sex, q.assisted, \
                c.course_slug, {issued}, {revoked} \
         FROM q JOIN gc ON gc.goal = q.goal \
         JOIN certificates c ON c.user_id = q.user_id AND c.course_slug = gc.slug"
    ));
    sql.execute(conn)
}

/// Inserts the goal facts of these learners (everyone for `None`).
fn insert_goal_facts(
    conn: &mut DbConn,
    goals: &[Goal],
    ids: Option<&[i64]>,
) -> diesel::QueryResult<usize> {
    let mut sql = Sql::for_conn(conn);
    let mut ctes = Vec::new();
    let mut parts = Vec::new();
    if let Some(held) = certificate_ctes(&mut sql, goals, ids) {
        let moment = certificate_moment(&mut sql, goals);
        ctes.push(held);
        parts.push(format!(
            "SELECT user_id, goal, {moment} AS v FROM gs WHERE r = 0"
        ));
    }
    for (n, g) in goals.iter().enumerate() {
        if let Counts::Confirmation(kind) = &g.counts {
            let (goal, k) = (sql.p(Bind::Int(n as i32)), sql.p(Bind::Text(kind.clone())));
            let chunk = only(&mut sql, ids, "user_id");
            parts.push(format!(
                "SELECT user_id, {goal} AS goal, MIN(confirmed_on) AS v FROM confirmations \
                 WHERE kind = {k} AND user_id IS NOT NULL{chunk} GROUP BY user_id"
            ));
        }
    }
    if parts.is_empty() {
        return Ok(0);
    }
    let (day, month) = (sql.day_number("g.v"), sql.month_number("g.v"));
    let person = person_columns();
    ctes.push(format!(
        "g AS ({}), \
         p AS (SELECT g.user_id, g.goal, {day} AS from_day, {month} AS from_month, {person} \
               FROM g \
               JOIN users u ON u.id = g.user_id LEFT JOIN units wu ON wu.id = u.unit_id \
               WHERE g.v IS NOT NULL)",
        parts.join(" UNION ALL ")
    ));
    let (member, unit) = placement(&mut sql, goals);
    sql.push(&format!(
        "INSERT INTO report_facts \
           (user_id, goal, unit_id, grp, birth_year, sex, assisted, from_day, from_month) \
         WITH {} SELECT user_id, goal, {unit}, grp, birth_year, sex, assisted, from_day, from_month \
         FROM p WHERE {member}",
        ctes.join(", ")
    ));
    sql.execute(conn)
}

/// Inserts the score facts of these learners (everyone for `None`).
fn insert_score_facts(conn: &mut DbConn, ids: Option<&[i64]>) -> diesel::QueryResult<usize> {
    let mut sql = Sql::for_conn(conn);
    let chunk = only(&mut sql, ids, "user_id");
    let day = sql.day_number("MAX(submitted_at)");
    let sums = score_sums("");
    sql.push(&format!(
        "INSERT INTO score_facts \
           (user_id, course_slug, pre_n, pre_sum, pre_min, fin_n, fin_sum, fin_best, last_day) \
         SELECT user_id, course_slug, {sums}, {day} FROM attempts \
         WHERE kind IN ('pretest', 'final') AND score IS NOT NULL \
           AND submitted_at IS NOT NULL{chunk} \
         GROUP BY user_id, course_slug"
    ));
    sql.execute(conn)
}

/// Per (learner, course) of attempts (`a` prefixes their columns, as `"a."`): pre-tests and
/// their sum and lowest score, finals and their sum and best score.
pub fn score_sums(a: &str) -> String {
    format!(
        "SUM(CASE WHEN {a}kind = 'pretest' THEN 1 ELSE 0 END) AS pre_n, \
         SUM(CASE WHEN {a}kind = 'pretest' THEN {a}score ELSE 0 END) AS pre_sum, \
         MIN(CASE WHEN {a}kind = 'pretest' THEN {a}score END) AS pre_min, \
         SUM(CASE WHEN {a}kind = 'final' THEN 1 ELSE 0 END) AS fin_n, \
         SUM(CASE WHEN {a}kind = 'final' THEN {a}score ELSE 0 END) AS fin_sum, \
         MAX(CASE WHEN {a}kind = 'final' THEN {a}score END) AS fin_best"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goal(counted: &str, counts: Counts, target: u32) -> Goal {
        Goal {
            number: 1,
            title: "Mục tiêu".into(),
            counted: counted.into(),
            target_percent: target,
            strictly_above: false,
            deadline: chrono::NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default(),
            counts,
        }
    }

    #[test]
    fn only_what_the_facts_hold_changes_the_fingerprint() {
        let any = |l: &[&str]| Counts::AnyOf(l.iter().map(|s| s.to_string()).collect());
        let base = fingerprint(&[goal("adults", any(&["a", "b"]), 80)]);
        // Targets and wording are read at report time: the facts stay.
        assert_eq!(base, fingerprint(&[goal("adults", any(&["a", "b"]), 90)]));
        // Another course, population or rule rebuilds them.
        assert_ne!(base, fingerprint(&[goal("adults", any(&["a"]), 80)]));
        assert_ne!(base, fingerprint(&[goal("workers", any(&["a", "b"]), 80)]));
        assert_ne!(
            base,
            fingerprint(&[goal(
                "adults",
                Counts::AllOf(vec!["a".into(), "b".into()]),
                80
            )])
        );
    }
}
