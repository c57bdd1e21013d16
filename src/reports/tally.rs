//! Counting the goals in the database: one aggregate query for all certificate goals and one
//! per confirmation goal return, for every (goal, unit, group, age band, sex, way of taking
//! part) and every report boundary (each month end and 30 days before the report date), how
//! many people count. A few thousand rows come back, whatever the number of learners, which
//! keeps a city's report fast. The SQL text is in `tally_sql`.
//!
//! A person counts at the end of day D when they hold, at that instant, a valid certificate of
//! a course the goal names (any of them, or all of them), or a confirmation dated D or
//! earlier. Most holders were never revoked: they count from their first certificate on, which
//! the report's facts hold (see `facts`) and SQL aggregates. The few with a revoked
//! certificate of the goal are counted exactly, certificate by certificate, in Rust.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};

use super::compute::Scope;
use super::plan::Goal;
use super::rules::{Cert, Holdings, age_band};
use super::sql::Sql;
use super::tally_sql;
use crate::db::DbConn;

/// Band code for people whose age is unknown (unmatched confirmations).
pub const BAND_UNKNOWN: u8 = 4;
/// Sex codes.
pub const MALE: u8 = 0;
pub const FEMALE: u8 = 1;
pub const SEX_UNKNOWN: u8 = 2;
/// Ways of taking part.
pub const SELF: u8 = 0;
pub const ASSISTED: u8 = 1;
pub const UNMATCHED: u8 = 2;

/// What the breakdowns tell apart.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    /// The unit the goal places the person in (work unit, or residence for adults).
    pub unit: Option<i64>,
    pub group: String,
    pub band: u8,
    pub sex: u8,
    pub channel: u8,
}

/// People counted per key, one count per boundary date.
pub type Tally = HashMap<Key, Vec<i64>>;

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Nullable<BigInt>)]
    unit_id: Option<i64>,
    /// Goal, group, band, sex, assisted, late and month, packed (see `tally_sql::key`).
    #[diesel(sql_type = BigInt)]
    k: i64,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// A row's key read back: (goal, key without the unit, month, late).
fn unpack(unit: Option<i64>, k: i64) -> (usize, Key, i32, bool) {
    let month = (k % 65_536) as i32;
    let mut rest = k / 65_536;
    let mut take = |n: i64| {
        let v = rest % n;
        rest /= n;
        v
    };
    let late = take(2) == 1;
    let channel = take(4) as u8;
    let sex = take(4) as u8;
    let band = take(8) as u8;
    let group = take(8);
    let goal = usize::try_from(rest).unwrap_or(usize::MAX);
    let key = Key {
        unit,
        group: super::facts::group_name(group).to_owned(),
        band,
        sex,
        channel,
    };
    (goal, key, month, late)
}

/// When a report boundary counts someone who starts counting in month `m`, `late` or not.
#[derive(Clone, Copy)]
enum Boundary {
    /// The end of this month (months numbered year × 12 + month), or the report date in it.
    Month(i32),
    /// The day 30 days before the report date.
    Before,
}

fn month_number(date: NaiveDate) -> i32 {
    date.year() * 12 + date.month() as i32
}

/// What each boundary date is; `before` is the day 30 days before the report date.
fn boundaries(bounds: &[NaiveDate], before: NaiveDate) -> Vec<Boundary> {
    bounds
        .iter()
        .map(|d| {
            if *d == before {
                Boundary::Before
            } else {
                Boundary::Month(month_number(*d))
            }
        })
        .collect()
}

fn add_rows(tallies: &mut [Tally], rows: Vec<Row>, bounds: &[Boundary]) {
    // Rows come one per person on SQLite: add them up by packed key first.
    let mut sums: HashMap<(Option<i64>, i64), i64> = HashMap::new();
    for r in rows {
        *sums.entry((r.unit_id, r.k)).or_default() += r.n;
    }
    for ((unit, k), n) in sums {
        let (goal, key, month, late) = unpack(unit, k);
        let Some(tally) = tallies.get_mut(goal) else {
            continue;
        };
        let counts = tally.entry(key).or_insert_with(|| vec![0; bounds.len()]);
        for (c, b) in counts.iter_mut().zip(bounds) {
            let counted = match b {
                Boundary::Month(m) => month <= *m,
                Boundary::Before => !late,
            };
            if counted {
                *c += n;
            }
        }
    }
}

/// A certificate of a holder with a revoked one, from `report_revoked`.
#[derive(QueryableByName)]
struct RevokedRow {
    #[diesel(sql_type = BigInt)]
    user_id: i64,
    #[diesel(sql_type = Integer)]
    goal: i32,
    #[diesel(sql_type = Nullable<BigInt>)]
    unit_id: Option<i64>,
    #[diesel(sql_type = Integer)]
    grp: i32,
    #[diesel(sql_type = Integer)]
    birth_year: i32,
    #[diesel(sql_type = Integer)]
    sex: i32,
    #[diesel(sql_type = Integer)]
    assisted: i32,
    #[diesel(sql_type = Text)]
    course_slug: String,
    #[diesel(sql_type = Integer)]
    issued_day: i32,
    #[diesel(sql_type = Nullable<Integer>)]
    revoked_day: Option<i32>,
}

/// The start of a day counted from 1970-01-01: a certificate issued (or revoked) that day
/// counts (or stops counting) at the end of it, as its exact time would.
fn day_start(day: i32) -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|epoch| epoch.checked_add_signed(chrono::Duration::days(i64::from(day))))
        .unwrap_or_default()
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
}

/// Holders with a revoked certificate of a goal's courses (whenever it was revoked), counted
/// certificate by certificate with the rules of `rules::Holdings`: the facts leave them out.
fn revoked_holders(
    conn: &mut DbConn,
    goals: &[Goal],
    bounds: &[NaiveDate],
    scope: &Scope,
    tallies: &mut [Tally],
) -> QueryResult<()> {
    let as_of = *bounds.last().unwrap_or(&NaiveDate::MIN);
    let mut sql = Sql::for_conn(conn);
    let in_scope = tally_sql::in_units(&mut sql, scope);
    sql.push(&format!(
        "SELECT user_id, goal, unit_id, grp, birth_year, sex, assisted, course_slug, \
                issued_day, revoked_day \
         FROM report_revoked WHERE 1 = 1{in_scope}"
    ));
    // (learner, goal) -> (placement, certificates)
    let mut people: HashMap<(i64, i32), (Key, i32, Holdings)> = HashMap::new();
    for r in sql.load::<RevokedRow>(conn)? {
        let entry = people.entry((r.user_id, r.goal)).or_insert_with(|| {
            let key = Key {
                unit: r.unit_id,
                group: super::facts::group_name(r.grp.into()).to_owned(),
                band: age_band(as_of.year() - r.birth_year) as u8,
                sex: r.sex as u8,
                channel: r.assisted as u8,
            };
            (key, r.birth_year, Holdings::default())
        });
        entry.2.certs.push(Cert {
            slug: r.course_slug,
            issued: day_start(r.issued_day),
            revoked: r.revoked_day.map(day_start),
        });
    }
    for ((_, goal), (key, birth_year, holdings)) in people {
        let Some((goal, tally)) = usize::try_from(goal)
            .ok()
            .and_then(|g| Some((goals.get(g)?, tallies.get_mut(g)?)))
        else {
            continue;
        };
        if goal.counted == "adults" && as_of.year() - birth_year < 18 {
            continue;
        }
        let counts: Vec<i64> = bounds
            .iter()
            .map(|d| i64::from(holdings.counts_at(&goal.counts, *d)))
            .collect();
        if counts.iter().all(|c| *c == 0) {
            continue;
        }
        let total = tally.entry(key).or_insert_with(|| vec![0; bounds.len()]);
        for (t, c) in total.iter_mut().zip(counts) {
            *t += c;
        }
    }
    Ok(())
}

/// The tallies of every goal of the plan, in its order, over every unit; `bounds` ascend and
/// end with the report date.
pub fn goals(
    conn: &mut DbConn,
    goals: &[Goal],
    bounds: &[NaiveDate],
    scope: &Scope,
) -> QueryResult<Vec<Tally>> {
    let as_of = bounds.last().copied().unwrap_or(NaiveDate::MIN);
    let before = as_of - chrono::Duration::days(30);
    let mut tallies: Vec<Tally> = goals.iter().map(|_| Tally::new()).collect();
    let mut sql = Sql::for_conn(conn);
    let text = tally_sql::all_goals(&mut sql, goals, (as_of, before), scope);
    sql.push(&text);
    let rows = sql.load(conn)?;
    let started = std::time::Instant::now();
    add_rows(&mut tallies, rows, &boundaries(bounds, before));
    tracing::debug!(
        millis = started.elapsed().as_millis() as u64,
        "report rows added up"
    );
    let started = std::time::Instant::now();
    revoked_holders(conn, goals, bounds, scope, &mut tallies)?;
    tracing::debug!(
        millis = started.elapsed().as_millis() as u64,
        "revoked holders counted"
    );
    Ok(tallies)
}
