//! The text of the report's aggregate queries (see `tally` for what they count). Every value
//! is bound; only column names and the shape come from here.
//!
//! Each query returns rows of (goal, unit, group, age band, sex, assisted, bucket, people):
//! the bucket says from which report boundary on the people count (see [`bucket`]).

use chrono::NaiveDate;

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

/// The unit a goal places a person in, and the condition for being in its population, over
/// the columns of [`person_columns`].
fn placement(sql: &mut Sql, goal: &Goal, year: i32) -> (&'static str, String) {
    if goal.counted == "adults" {
        let adult_by = sql.p(Bind::Int(year - 18));
        ("home", format!("birth_year <= {adult_by}"))
    } else {
        let group = sql.p(Bind::Text(goal.counted.clone()));
        ("unit_id", format!("grp = {group}"))
    }
}

/// How many report boundaries the value `x` is at or past: something that counts from `x` on
/// counts at boundary k exactly when its bucket is k or less. Timestamps count from the
/// instant; dates count from the end of their day.
pub fn bucket(sql: &mut Sql, x: &str, bounds: &[NaiveDate], timestamps: bool) -> String {
    let terms: Vec<String> = bounds
        .iter()
        .map(|d| {
            if timestamps {
                let b = sql.p(Bind::Time(day_end(*d)));
                format!("CASE WHEN {x} >= {b} THEN 1 ELSE 0 END")
            } else {
                let b = sql.p(Bind::Date(*d));
                format!("CASE WHEN {x} > {b} THEN 1 ELSE 0 END")
            }
        })
        .collect();
    format!("CAST({} AS BIGINT)", terms.join(" + "))
}

const GROUP_BY: &str = "GROUP BY goal, unit_id, grp, band, sex, assisted, bucket";

/// One query for every certificate goal: certificates are read once (per learner and course:
/// the first certificate still valid at the report date, and how many were revoked before
/// it), learners are joined once, and each goal takes its people from that. People with a
/// certificate of the goal revoked before the report date are left to `tally`.
pub fn certificate_goals(
    sql: &mut Sql,
    goals: &[(usize, &Goal)],
    bounds: &[NaiveDate],
    year: i32,
) -> String {
    let as_of = bounds.last().copied().unwrap_or(NaiveDate::MIN);
    let mut all_slugs: Vec<String> = Vec::new();
    let mut per_goal = Vec::new();
    for (n, g) in goals {
        let (slugs, all) = match &g.counts {
            Counts::AnyOf(l) => (l, false),
            Counts::AllOf(l) => (l, true),
            Counts::Confirmation(_) => continue,
        };
        all_slugs.extend(slugs.iter().cloned());
        let list = sql.text_list(slugs);
        let list2 = sql.text_list(slugs);
        let from = if all {
            let need = sql.p(Bind::BigInt(slugs.len() as i64));
            let list3 = sql.text_list(slugs);
            format!(
                "CASE WHEN COUNT(CASE WHEN course_slug IN {list} AND v IS NOT NULL THEN 1 END) = {need} \
                 THEN MAX(CASE WHEN course_slug IN {list3} THEN v END) END"
            )
        } else {
            format!("MIN(CASE WHEN course_slug IN {list} THEN v END)")
        };
        per_goal.push(format!(
            "{from} AS v{n}, SUM(CASE WHEN course_slug IN {list2} THEN r ELSE 0 END) AS r{n}"
        ));
    }
    all_slugs.sort();
    all_slugs.dedup();
    let all_list = sql.text_list(&all_slugs);
    let (end, end2, end3) = (
        sql.p(Bind::Time(day_end(as_of))),
        sql.p(Bind::Time(day_end(as_of))),
        sql.p(Bind::Time(day_end(as_of))),
    );
    let columns = person_columns(sql, year);
    let mut branches = Vec::new();
    for (n, g) in goals {
        if matches!(g.counts, Counts::Confirmation(_)) {
            continue;
        }
        let (unit, member) = placement(sql, g, year);
        let b = bucket(sql, &format!("v{n}"), bounds, true);
        branches.push(format!(
            "SELECT {n} AS goal, {unit} AS unit_id, grp, band, sex, assisted, {b} AS bucket \
             FROM p WHERE v{n} IS NOT NULL AND r{n} = 0 AND {member}"
        ));
    }
    format!(
        "WITH c1 AS MATERIALIZED ( \
           SELECT user_id, course_slug, \
             MIN(CASE WHEN revoked_at IS NULL OR revoked_at >= {end} THEN issued_at END) AS v, \
             COUNT(CASE WHEN revoked_at < {end2} THEN 1 END) AS r \
           FROM certificates WHERE course_slug IN {all_list} AND issued_at < {end3} \
           GROUP BY user_id, course_slug), \
         h AS MATERIALIZED (SELECT user_id, {} FROM c1 GROUP BY user_id), \
         p AS MATERIALIZED (SELECT h.*, {columns} FROM h JOIN users u ON u.id = h.user_id \
           LEFT JOIN units wu ON wu.id = u.unit_id) \
         SELECT goal, unit_id, grp, band, sex, assisted, bucket, COUNT(*) AS n \
         FROM ({}) t {GROUP_BY}",
        per_goal.join(", "),
        branches.join(" UNION ALL ")
    )
}

/// People confirmed (matched to an account) on or before the report date, and confirmations
/// of people without an account, counted in the unit the file named.
pub fn confirmation_goal(
    sql: &mut Sql,
    n: usize,
    goal: &Goal,
    kind: &str,
    bounds: &[NaiveDate],
    year: i32,
) -> String {
    let as_of = bounds.last().copied().unwrap_or(NaiveDate::MIN);
    let k = sql.p(Bind::Text(kind.to_owned()));
    let d = sql.p(Bind::Date(as_of));
    let columns = person_columns(sql, year);
    let (unit, member) = placement(sql, goal, year);
    let b = bucket(sql, "d", bounds, false);
    let (k2, d2) = (sql.p(Bind::Text(kind.to_owned())), sql.p(Bind::Date(as_of)));
    let b2 = bucket(sql, "confirmed_on", bounds, false);
    format!(
        "WITH p AS MATERIALIZED (SELECT h.d, {columns} \
           FROM (SELECT user_id, MIN(confirmed_on) AS d FROM confirmations \
                 WHERE kind = {k} AND user_id IS NOT NULL AND confirmed_on <= {d} \
                 GROUP BY user_id) h \
           JOIN users u ON u.id = h.user_id LEFT JOIN units wu ON wu.id = u.unit_id) \
         SELECT goal, unit_id, grp, band, sex, assisted, bucket, COUNT(*) AS n FROM ( \
           SELECT {n} AS goal, {unit} AS unit_id, grp, band, sex, assisted, {b} AS bucket \
           FROM p WHERE {member} \
           UNION ALL \
           SELECT {n} AS goal, unit_id, '' AS grp, {band} AS band, {sex} AS sex, \
                  {channel} AS assisted, {b2} AS bucket FROM confirmations \
           WHERE kind = {k2} AND user_id IS NULL AND confirmed_on <= {d2}) t {GROUP_BY}",
        band = super::tally::BAND_UNKNOWN,
        sex = super::tally::SEX_UNKNOWN,
        channel = super::tally::UNMATCHED,
    )
}
