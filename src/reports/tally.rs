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

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable};

use super::compute::Scope;
use super::plan::{Counts, Goal};
use super::rules::{
    Cert, Holdings, PERSON_COLUMNS, PersonRow, UnitInfo, age_band, day_end, person, sex_code,
    unit_for,
};
use super::sql::Sql;
use super::tally_sql;
use crate::db::DbConn;
use crate::db::schema::{attempts, certificates, lesson_progress, users};

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

/// A certificate's course, issue and revocation times.
type CertRow = (String, chrono::NaiveDateTime, Option<chrono::NaiveDateTime>);

/// Holders with a revoked certificate of the goal (whenever it was revoked), counted one by
/// one: the facts leave them out.
fn revoked_holders(
    conn: &mut DbConn,
    goal: &Goal,
    slugs: &[String],
    bounds: &[NaiveDate],
    units: &HashMap<i64, UnitInfo>,
    tally: &mut Tally,
) -> QueryResult<()> {
    let as_of = *bounds.last().unwrap_or(&NaiveDate::MIN);
    let end = day_end(as_of);
    let ids: Vec<i64> = certificates::table
        .filter(certificates::course_slug.eq_any(slugs))
        .filter(certificates::revoked_at.is_not_null())
        .select(certificates::user_id)
        .distinct()
        .load(conn)?;
    for chunk in ids.chunks(5_000) {
        let rows: Vec<(PersonRow, CertRow)> = certificates::table
            .inner_join(users::table)
            .filter(certificates::user_id.eq_any(chunk))
            .filter(certificates::course_slug.eq_any(slugs))
            .filter(certificates::issued_at.lt(end))
            .select((
                PERSON_COLUMNS,
                (
                    certificates::course_slug,
                    certificates::issued_at,
                    certificates::revoked_at,
                ),
            ))
            .load(conn)?;
        let assisted = assisted_among(conn, chunk)?;
        let mut people: HashMap<i64, (PersonRow, Holdings)> = HashMap::new();
        for (p, (slug, issued, revoked)) in rows {
            let entry = people
                .entry(p.0)
                .or_insert_with(|| (p, Holdings::default()));
            entry.1.certs.push(Cert {
                slug,
                issued,
                revoked,
            });
        }
        for (id, (row, holdings)) in people {
            let p = person(&row);
            let Some(unit) = unit_for(&goal.counted, &p, as_of, units) else {
                continue;
            };
            let counts: Vec<i64> = bounds
                .iter()
                .map(|d| i64::from(holdings.counts_at(&goal.counts, *d)))
                .collect();
            if counts.iter().all(|c| *c == 0) {
                continue;
            }
            let key = Key {
                unit,
                group: p.group.clone(),
                band: age_band(as_of.year() - p.birth_year) as u8,
                sex: match sex_code(p.sex.as_deref()) {
                    "male" => MALE,
                    "female" => FEMALE,
                    _ => SEX_UNKNOWN,
                },
                channel: if p.channel == "helper" || assisted.contains(&id) {
                    ASSISTED
                } else {
                    SELF
                },
            };
            let total = tally.entry(key).or_insert_with(|| vec![0; bounds.len()]);
            for (t, c) in total.iter_mut().zip(counts) {
                *t += c;
            }
        }
    }
    Ok(())
}

/// Which of these people a helper assisted.
fn assisted_among(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashSet<i64>> {
    let mut out: HashSet<i64> = lesson_progress::table
        .filter(lesson_progress::user_id.eq_any(ids))
        .filter(lesson_progress::assisted_by.is_not_null())
        .select(lesson_progress::user_id)
        .load::<i64>(conn)?
        .into_iter()
        .collect();
    out.extend(
        attempts::table
            .filter(attempts::user_id.eq_any(ids))
            .filter(attempts::assisted_by.is_not_null())
            .select(attempts::user_id)
            .load::<i64>(conn)?,
    );
    Ok(out)
}

/// The tallies of every goal of the plan, in its order, over every unit; `bounds` ascend and
/// end with the report date.
pub fn goals(
    conn: &mut DbConn,
    goals: &[Goal],
    bounds: &[NaiveDate],
    units: &HashMap<i64, UnitInfo>,
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
    for (goal, tally) in goals.iter().zip(tallies.iter_mut()) {
        if let Counts::AnyOf(slugs) | Counts::AllOf(slugs) = &goal.counts {
            revoked_holders(conn, goal, slugs, bounds, units, tally)?;
        }
    }
    tracing::debug!(
        millis = started.elapsed().as_millis() as u64,
        "revoked holders counted"
    );
    Ok(tallies)
}
