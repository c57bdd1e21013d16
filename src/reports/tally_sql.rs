//! The text of the report's aggregate query (see `tally` for what it counts), read from the
//! report's facts (see `facts`). Every value is bound; only column names and the shape come
//! from here.
//!
//! The query returns rows of (unit, key, people). The key packs, in one integer (see [`key`]),
//! the goal, group code, age band, sex, whether assisted, `late` (starts counting after the
//! day 30 days before the report date) and the month people start counting in (year × 12 +
//! month): grouping by two integers is several times cheaper than by eight columns, which
//! matters over a city's millions of facts.

use chrono::{Datelike, NaiveDate};

use super::compute::Scope;
use super::plan::{Counts, Goal};
use super::sql::{Bind, Sql, day_number};

const GROUP_BY: &str = "GROUP BY unit_id, k";

/// The packed key of a row: goal, group, band, sex, assisted and late in the high bits, the
/// month in the low 16 (`tally::unpack` reads it back).
fn key(
    goal: &str,
    grp: &str,
    band: &str,
    sex: &str,
    assisted: &str,
    late: &str,
    month: &str,
) -> String {
    format!(
        "((((((CAST({goal} AS BIGINT) * 8 + {grp}) * 8 + {band}) * 4 + {sex}) * 4 + {assisted}) \
          * 2 + {late}) * 65536 + {month})"
    )
}

/// The age band of a birth year in the report's year (see `rules::age_band`).
fn band(sql: &mut Sql, year: i32) -> String {
    let (y18, y35, y59) = (
        sql.p(Bind::Int(year - 18)),
        sql.p(Bind::Int(year - 35)),
        sql.p(Bind::Int(year - 59)),
    );
    format!(
        "CASE WHEN birth_year > {y18} THEN 0 WHEN birth_year >= {y35} THEN 1 \
              WHEN birth_year >= {y59} THEN 2 ELSE 3 END"
    )
}

/// ` AND unit_id IN (…)` for a scope of units; nothing for the whole ward.
pub fn in_units(sql: &mut Sql, scope: &Scope) -> String {
    match scope {
        Scope::All => String::new(),
        Scope::Units(list) => format!(" AND unit_id IN {}", sql.id_list(list)),
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
    let (goal, k_kind, d, b) = (
        sql.p(Bind::Int(n as i32)),
        sql.p(Bind::Text(kind.to_owned())),
        sql.p(Bind::Date(as_of)),
        sql.p(Bind::Date(before)),
    );
    let units_in_scope = in_units(sql, scope);
    let month = sql.month_number("confirmed_on");
    let late = format!("CASE WHEN confirmed_on > {b} THEN 1 ELSE 0 END");
    let k = key(
        &goal,
        &super::facts::UNKNOWN_GROUP.to_string(),
        &super::tally::BAND_UNKNOWN.to_string(),
        &super::tally::SEX_UNKNOWN.to_string(),
        &super::tally::UNMATCHED.to_string(),
        &late,
        &month,
    );
    format!(
        "SELECT unit_id, {k} AS k, COUNT(*) AS n FROM confirmations \
         WHERE kind = {k2} AND user_id IS NULL AND confirmed_on <= {d}{units_in_scope} {GROUP_BY}",
        k2 = k_kind,
    )
}

/// One query for every goal: the facts counted at the report date (adults 18 or more in its
/// year), grouped by what the breakdowns tell apart, and the unmatched confirmations.
///
/// PostgreSQL groups the facts itself (in parallel on a city's millions). SQLite returns them
/// one row per person (`n` = 1) for `tally` to add up: SQLite groups through a temporary
/// b-tree, which took 100 ms for a ward's 64 thousand facts, against 30 ms read and added in
/// Rust.
pub fn all_goals(
    sql: &mut Sql,
    goals: &[Goal],
    (as_of, before): (NaiveDate, NaiveDate),
    scope: &Scope,
) -> String {
    let year = as_of.year();
    let band = band(sql, year);
    let (d, b) = (
        sql.p(Bind::Int(day_number(as_of))),
        sql.p(Bind::Int(day_number(before))),
    );
    let adult_goals: Vec<String> = goals
        .iter()
        .enumerate()
        .filter(|(_, g)| g.counted == "adults")
        .map(|(n, _)| sql.p(Bind::Int(n as i32)))
        .collect();
    let adults = if adult_goals.is_empty() {
        String::new()
    } else {
        let by = sql.p(Bind::Int(year - 18));
        format!(
            " AND (goal NOT IN ({}) OR birth_year <= {by})",
            adult_goals.join(", ")
        )
    };
    let in_scope = in_units(sql, scope);
    let (n, group_by) = if sql.is_pg() {
        ("COUNT(*)", GROUP_BY)
    } else {
        ("1", "")
    };
    let late = format!("CASE WHEN from_day > {b} THEN 1 ELSE 0 END");
    let k = key("goal", "grp", &band, "sex", "assisted", &late, "from_month");
    let mut branches = vec![format!(
        "SELECT unit_id, {k} AS k, {n} AS n \
         FROM report_facts WHERE from_day <= {d}{adults}{in_scope} {group_by}"
    )];
    for (n, g) in goals.iter().enumerate() {
        if let Counts::Confirmation(kind) = &g.counts {
            branches.push(unmatched_branch(sql, n, kind, (as_of, before), scope));
        }
    }
    branches.join(" UNION ALL ")
}
