//! The text of the report's aggregate queries (see `tally` for what they count). Every value
//! is bound; only column names and the shape come from here.
//!
//! The query returns rows of (goal, unit, group, age band, sex, assisted, month, late,
//! people): when those people start counting (see [`start`]).

use chrono::{Datelike, NaiveDate};

use super::compute::Scope;
use super::plan::{Counts, Goal};
use super::rules::day_end;
use super::sql::{Bind, Sql};

/// The columns that place and describe a person (`u` is the users table, `wu` their work
/// unit): `unit_id` (work or school unit), `home` (the tổ dân phố an adult is counted in),
/// group, birth year, age band, sex, and whether a helper assisted them.
pub fn person_columns(sql: &mut Sql, year: i32) -> String {
    let (y18, y35, y59) = (
        sql.p(Bind::Int(year - 18)),
        sql.p(Bind::Int(year - 35)),
        sql.p(Bind::Int(year - 59)),
    );
    format!(
        "u.unit_id AS unit_id, \
         COALESCE(u.residence_unit_id, CASE WHEN wu.kind = 'residential' THEN u.unit_id END) AS home, \
         u.target_group AS grp, u.birth_year AS birth_year, \
         CASE WHEN u.birth_year > {y18} THEN 0 WHEN u.birth_year >= {y35} THEN 1 \
              WHEN u.birth_year >= {y59} THEN 2 ELSE 3 END AS band, \
         CASE WHEN u.sex IN ('nam', 'male', 'm') THEN 0 \
              WHEN u.sex IN ('nu', 'nữ', 'female', 'f') THEN 1 ELSE 2 END AS sex, \
         CASE WHEN u.channel = 'helper' \
              OR u.id IN (SELECT user_id FROM lesson_progress WHERE assisted_by IS NOT NULL) \
              OR u.id IN (SELECT user_id FROM attempts WHERE assisted_by IS NOT NULL) \
              THEN 1 ELSE 0 END AS assisted"
    )
}

/// When something that counts from `x` on starts counting: its month (`YYYY-MM`) and whether it
/// is at or after the day 30 days before the report date (`late`). That is all the month ends
/// and that day need (see `tally::add_rows`), and cheaper than comparing with each of them.
/// Timestamps count from the instant; dates count from the end of their day.
pub fn start(sql: &mut Sql, x: &str, before: NaiveDate, timestamps: bool) -> String {
    let month = sql.month_of(x);
    let late = if timestamps {
        let b = sql.p(Bind::Time(day_end(before)));
        format!("CASE WHEN {x} >= {b} THEN 1 ELSE 0 END")
    } else {
        let b = sql.p(Bind::Date(before));
        format!("CASE WHEN {x} > {b} THEN 1 ELSE 0 END")
    };
    format!("{month} AS month, {late} AS late")
}

const GROUP_BY: &str = "GROUP BY goal, unit_id, grp, band, sex, assisted, month, late";

/// `AND <column> IN (learners of the scope's units, by work unit or residence)`; nothing for
/// the whole ward. Narrows the reading to the scope before anything is joined.
pub fn scope_learners(sql: &mut Sql, scope: &Scope, column: &str) -> String {
    match scope {
        Scope::All => String::new(),
        Scope::Units(list) => {
            let (a, b) = (sql.id_list(list), sql.id_list(list));
            format!(
                " AND {column} IN (SELECT id FROM users WHERE unit_id IN {a} \
                 OR residence_unit_id IN {b})"
            )
        }
    }
}

/// The branch counting confirmations of people without an account, in the unit the file named.
fn unmatched_branch(
    sql: &mut Sql,
    n: usize,
    kind: &str,
    (as_of, before): (NaiveDate, NaiveDate),
    scope: &Scope,
) -> String {
    let (k, d) = (sql.p(Bind::Text(kind.to_owned())), sql.p(Bind::Date(as_of)));
    let units_in_scope = match scope {
        Scope::All => String::new(),
        Scope::Units(list) => format!(" AND unit_id IN {}", sql.id_list(list)),
    };
    let b = start(sql, "confirmed_on", before, false);
    format!(
        "SELECT {n} AS goal, unit_id, '' AS grp, {band} AS band, {sex} AS sex, \
                {channel} AS assisted, {b} FROM confirmations \
         WHERE kind = {k} AND user_id IS NULL AND confirmed_on <= {d}{units_in_scope}",
        band = super::tally::BAND_UNKNOWN,
        sex = super::tally::SEX_UNKNOWN,
        channel = super::tally::UNMATCHED,
    )
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

/// The moment a learner counts from, for a certificate goal: their first valid certificate of
/// any of its courses, or, for `all_of`, the latest of their first valid certificates of each.
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

/// Whether a learner's row belongs to its goal's population, the unit it is counted in, and
/// when it starts counting (month, and `late`: at or after the day 30 days before).
fn placement_columns(sql: &mut Sql, goals: &[Goal], (year, before): (i32, NaiveDate)) -> String {
    let (mut member, mut unit, mut dates) = (String::new(), String::new(), Vec::new());
    for (n, g) in goals.iter().enumerate() {
        let goal = sql.p(Bind::Int(n as i32));
        if g.counted == "adults" {
            let by = sql.p(Bind::Int(year - 18));
            member.push_str(&format!(" WHEN {goal} THEN birth_year <= {by}"));
            unit.push_str(&format!(" WHEN {goal} THEN home"));
        } else {
            let group = sql.p(Bind::Text(g.counted.clone()));
            member.push_str(&format!(" WHEN {goal} THEN grp = {group}"));
            unit.push_str(&format!(" WHEN {goal} THEN unit_id"));
        }
        if matches!(g.counts, Counts::Confirmation(_)) {
            dates.push(sql.p(Bind::Int(n as i32)));
        }
    }
    let month = sql.month_of("v");
    let late_ts = sql.p(Bind::Time(day_end(before)));
    let late = if dates.is_empty() {
        format!("CASE WHEN v >= {late_ts} THEN 1 ELSE 0 END")
    } else {
        let late_day = sql.p(Bind::Date(before));
        format!(
            "CASE WHEN goal IN ({}) THEN CASE WHEN v > {late_day} THEN 1 ELSE 0 END \
             ELSE CASE WHEN v >= {late_ts} THEN 1 ELSE 0 END END",
            dates.join(", ")
        )
    };
    format!(
        "goal, CASE goal{unit} END AS unit_id, grp, band, sex, assisted, {month} AS month, \
         {late} AS late FROM p WHERE CASE goal{member} END"
    )
}

/// One query for every goal. Certificates are read once (per learner and course: the first
/// certificate still valid at the report date, and how many were revoked before it), then
/// folded per learner and goal; confirmations likewise (per learner: the first date). Each
/// (learner, goal) is joined to the account and placed in its unit. People with a
/// certificate of a goal revoked before the report date are left to `tally` for that goal.
pub fn all_goals(
    sql: &mut Sql,
    goals: &[Goal],
    (as_of, before): (NaiveDate, NaiveDate),
    scope: &Scope,
) -> String {
    let year = as_of.year();
    let mut parts = Vec::new();
    let mut ctes = Vec::new();
    if let Some(values) = goal_courses(sql, goals) {
        let (end, end2, end3) = (
            sql.p(Bind::Time(day_end(as_of))),
            sql.p(Bind::Time(day_end(as_of))),
            sql.p(Bind::Time(day_end(as_of))),
        );
        let in_scope = scope_learners(sql, scope, "user_id");
        let moment = certificate_moment(sql, goals);
        ctes.push(format!(
            "gc(goal, slug) AS ({values}), \
             c1 AS MATERIALIZED ( \
               SELECT user_id, course_slug, \
                 MIN(CASE WHEN revoked_at IS NULL OR revoked_at >= {end} THEN issued_at END) AS v, \
                 COUNT(CASE WHEN revoked_at < {end2} THEN 1 END) AS r \
               FROM certificates WHERE course_slug IN (SELECT slug FROM gc) \
                 AND issued_at < {end3}{in_scope} \
               GROUP BY user_id, course_slug), \
             gs AS MATERIALIZED ( \
               SELECT c1.user_id, gc.goal, MIN(c1.v) AS vmin, MAX(c1.v) AS vmax, \
                      COUNT(c1.v) AS nv, SUM(c1.r) AS r \
               FROM c1 JOIN gc ON gc.slug = c1.course_slug GROUP BY c1.user_id, gc.goal)"
        ));
        parts.push(format!("SELECT user_id, goal, {moment} AS v, r FROM gs"));
    }
    for (n, g) in goals.iter().enumerate() {
        if let Counts::Confirmation(kind) = &g.counts {
            let (goal, k, d) = (
                sql.p(Bind::Int(n as i32)),
                sql.p(Bind::Text(kind.clone())),
                sql.p(Bind::Date(as_of)),
            );
            let in_scope = scope_learners(sql, scope, "user_id");
            parts.push(format!(
                "SELECT user_id, {goal}, MIN(confirmed_on), 0 FROM confirmations \
                 WHERE kind = {k} AND user_id IS NOT NULL AND confirmed_on <= {d}{in_scope} \
                 GROUP BY user_id"
            ));
        }
    }
    let columns = person_columns(sql, year);
    let placed = placement_columns(sql, goals, (year, before));
    let mut branches = vec![format!("SELECT {placed}")];
    for (n, g) in goals.iter().enumerate() {
        if let Counts::Confirmation(kind) = &g.counts {
            branches.push(unmatched_branch(sql, n, kind, (as_of, before), scope));
        }
    }
    ctes.push(format!(
        "g AS MATERIALIZED ({}), \
         p AS MATERIALIZED (SELECT g.goal, g.v, {columns} FROM g \
           JOIN users u ON u.id = g.user_id LEFT JOIN units wu ON wu.id = u.unit_id \
           WHERE g.v IS NOT NULL AND g.r = 0)",
        parts.join(" UNION ALL ")
    ));
    format!(
        "WITH {} SELECT goal, unit_id, grp, band, sex, assisted, month, late, COUNT(*) AS n \
         FROM ({}) t {GROUP_BY}",
        ctes.join(", "),
        branches.join(" UNION ALL ")
    )
}
