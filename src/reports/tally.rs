//! Counting a goal in the database: one aggregate query per goal returns, for every
//! (unit, group, age band, sex, way of taking part) and every report boundary (each month end
//! and 30 days before the report date), how many people count. Only a handful of rows come
//! back, whatever the number of learners, which keeps a city's report fast.
//!
//! A person counts at the end of day D when they hold, at that instant, a valid certificate of
//! a course the goal names (any of them, or all of them), or a confirmation dated D or
//! earlier. Most holders were never revoked: they count from their first valid certificate
//! on, which SQL aggregates. The few with a certificate revoked before the report date are
//! counted exactly, certificate by certificate, in Rust.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};

use super::plan::{Counts, Goal};
use super::rules::{
    Cert, Holdings, PersonRow, UnitInfo, age_band, day_end, person, sex_code, unit_for,
};
use super::sql::{Bind, Sql};
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
    #[diesel(sql_type = Text)]
    grp: String,
    #[diesel(sql_type = Integer)]
    band: i32,
    #[diesel(sql_type = Integer)]
    sex: i32,
    #[diesel(sql_type = Integer)]
    assisted: i32,
    #[diesel(sql_type = BigInt)]
    bucket: i64,
    #[diesel(sql_type = BigInt)]
    n: i64,
}

/// `CAST(n AS BIGINT)` where n is how many boundaries the value `x` is past: a value that
/// counts from `x` on counts at boundary k exactly when its bucket is k or less.
fn bucket(sql: &mut Sql, x: &str, bounds: &[NaiveDate], timestamps: bool) -> String {
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

/// The columns every tally shares: the unit the goal places the person in, group, age band,
/// sex and whether a helper assisted them; and the condition for being in the population.
fn person_columns(sql: &mut Sql, goal: &Goal, year: i32) -> (String, String) {
    let (unit, member) = if goal.counted == "adults" {
        let adult_by = sql.p(Bind::Int(year - 18));
        (
            "COALESCE(u.residence_unit_id, CASE WHEN wu.kind = 'residential' THEN u.unit_id END)"
                .to_owned(),
            format!("u.birth_year <= {adult_by}"),
        )
    } else {
        let group = sql.p(Bind::Text(goal.counted.clone()));
        ("u.unit_id".to_owned(), format!("u.target_group = {group}"))
    };
    let (y18, y35, y59) = (
        sql.p(Bind::Int(year - 18)),
        sql.p(Bind::Int(year - 35)),
        sql.p(Bind::Int(year - 59)),
    );
    let columns = format!(
        "{unit} AS unit_id, u.target_group AS grp, \
         CASE WHEN u.birth_year > {y18} THEN 0 WHEN u.birth_year >= {y35} THEN 1 \
              WHEN u.birth_year >= {y59} THEN 2 ELSE 3 END AS band, \
         CASE WHEN u.sex IN ('nam', 'male', 'm') THEN 0 \
              WHEN u.sex IN ('nu', 'nữ', 'female', 'f') THEN 1 ELSE 2 END AS sex, \
         CASE WHEN u.channel = 'helper' \
              OR u.id IN (SELECT user_id FROM lesson_progress WHERE assisted_by IS NOT NULL) \
              OR u.id IN (SELECT user_id FROM attempts WHERE assisted_by IS NOT NULL) \
              THEN 1 ELSE 0 END AS assisted"
    );
    (columns, member)
}

fn grouped(inner: &str) -> String {
    format!(
        "SELECT unit_id, grp, band, sex, assisted, bucket, COUNT(*) AS n FROM ({inner}) t \
         GROUP BY unit_id, grp, band, sex, assisted, bucket"
    )
}

/// Holders of certificates never revoked before the end of the report date.
fn certificate_rows(
    conn: &mut DbConn,
    goal: &Goal,
    slugs: &[String],
    all: bool,
    bounds: &[NaiveDate],
) -> QueryResult<Vec<Row>> {
    let as_of = *bounds.last().unwrap_or(&NaiveDate::MIN);
    let mut sql = Sql::for_conn(conn);
    let (columns, member) = person_columns(&mut sql, goal, as_of.year());
    let list = sql.text_list(slugs);
    let end = sql.p(Bind::Time(day_end(as_of)));
    let end2 = sql.p(Bind::Time(day_end(as_of)));
    let (pick, need) = if all {
        ("MAX", sql.p(Bind::BigInt(slugs.len() as i64)))
    } else {
        ("MIN", sql.p(Bind::BigInt(1)))
    };
    let list2 = sql.text_list(slugs);
    let end3 = sql.p(Bind::Time(day_end(as_of)));
    let b = bucket(&mut sql, "h.valid_from", bounds, true);
    let inner = format!(
        "SELECT {columns}, {b} AS bucket \
         FROM (SELECT s.user_id, {pick}(s.valid_from) AS valid_from FROM \
                 (SELECT user_id, course_slug, MIN(issued_at) AS valid_from FROM certificates \
                  WHERE course_slug IN {list} AND issued_at < {end} \
                    AND (revoked_at IS NULL OR revoked_at >= {end2}) \
                  GROUP BY user_id, course_slug) s \
               GROUP BY s.user_id HAVING COUNT(*) >= {need}) h \
         JOIN users u ON u.id = h.user_id LEFT JOIN units wu ON wu.id = u.unit_id \
         WHERE {member} AND u.id NOT IN (SELECT user_id FROM certificates \
               WHERE course_slug IN {list2} AND revoked_at < {end3})"
    );
    sql.push(&grouped(&inner));
    sql.load(conn)
}

/// People confirmed (matched to an account) on or before the report date.
fn confirmation_rows(
    conn: &mut DbConn,
    goal: &Goal,
    kind: &str,
    bounds: &[NaiveDate],
) -> QueryResult<Vec<Row>> {
    let as_of = *bounds.last().unwrap_or(&NaiveDate::MIN);
    let mut sql = Sql::for_conn(conn);
    let (columns, member) = person_columns(&mut sql, goal, as_of.year());
    let k = sql.p(Bind::Text(kind.to_owned()));
    let d = sql.p(Bind::Date(as_of));
    let b = bucket(&mut sql, "h.d", bounds, false);
    let inner = format!(
        "SELECT {columns}, {b} AS bucket \
         FROM (SELECT user_id, MIN(confirmed_on) AS d FROM confirmations \
               WHERE kind = {k} AND user_id IS NOT NULL AND confirmed_on <= {d} \
               GROUP BY user_id) h \
         JOIN users u ON u.id = h.user_id LEFT JOIN units wu ON wu.id = u.unit_id \
         WHERE {member}"
    );
    sql.push(&grouped(&inner));
    sql.load(conn)
}

/// Confirmations of people without an account: counted in the unit the file named.
fn unmatched_rows(conn: &mut DbConn, kind: &str, bounds: &[NaiveDate]) -> QueryResult<Vec<Row>> {
    let as_of = *bounds.last().unwrap_or(&NaiveDate::MIN);
    let mut sql = Sql::for_conn(conn);
    let k = sql.p(Bind::Text(kind.to_owned()));
    let d = sql.p(Bind::Date(as_of));
    let b = bucket(&mut sql, "confirmed_on", bounds, false);
    let inner = format!(
        "SELECT unit_id, '' AS grp, {BAND_UNKNOWN} AS band, {SEX_UNKNOWN} AS sex, \
         {UNMATCHED} AS assisted, {b} AS bucket FROM confirmations \
         WHERE kind = {k} AND user_id IS NULL AND confirmed_on <= {d}"
    );
    sql.push(&grouped(&inner));
    sql.load(conn)
}

fn add_rows(tally: &mut Tally, rows: Vec<Row>, k: usize) {
    for r in rows {
        let key = Key {
            unit: r.unit_id,
            group: r.grp,
            band: r.band as u8,
            sex: r.sex as u8,
            channel: r.assisted as u8,
        };
        let counts = tally.entry(key).or_insert_with(|| vec![0; k]);
        let from = usize::try_from(r.bucket).unwrap_or(0).min(k);
        for c in &mut counts[from..] {
            *c += r.n;
        }
    }
}

/// A certificate's course, issue and revocation times.
type CertRow = (String, chrono::NaiveDateTime, Option<chrono::NaiveDateTime>);

/// Holders with a certificate revoked before the report date, counted one by one.
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
        .filter(certificates::revoked_at.lt(end))
        .filter(certificates::issued_at.lt(end))
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
                (
                    users::id,
                    users::target_group,
                    users::unit_id,
                    users::residence_unit_id,
                    users::birth_year,
                    users::sex,
                    users::channel,
                ),
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

/// The tally of one goal over every unit; `bounds` ascend and end with the report date.
pub fn goal(
    conn: &mut DbConn,
    goal: &Goal,
    bounds: &[NaiveDate],
    units: &HashMap<i64, UnitInfo>,
) -> QueryResult<Tally> {
    let k = bounds.len();
    let mut tally = Tally::new();
    match &goal.counts {
        Counts::AnyOf(slugs) | Counts::AllOf(slugs) => {
            let all = matches!(goal.counts, Counts::AllOf(_));
            add_rows(
                &mut tally,
                certificate_rows(conn, goal, slugs, all, bounds)?,
                k,
            );
            revoked_holders(conn, goal, slugs, bounds, units, &mut tally)?;
        }
        Counts::Confirmation(kind) => {
            add_rows(&mut tally, confirmation_rows(conn, goal, kind, bounds)?, k);
            add_rows(&mut tally, unmatched_rows(conn, kind, bounds)?, k);
        }
    }
    Ok(tally)
}
