//! Pre-test and final-test scores per course and per competence code, so the change in
//! competence shows, not only the number of certificates.
//!
//! Course figures are exact, aggregated by the database. Competence figures need each
//! attempt's per-question points (stored as JSON): they are read from every attempt up to
//! [`SAMPLE`] per kind of test, and past that from an evenly spread sample of that size
//! (every n-th attempt), which the page says.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;
use diesel::QueryResult;
use diesel::sql_types::{BigInt, Nullable, Text};
use serde::Serialize;

use super::compute::Scope;
use super::rules::day_end;
use super::sql::{Bind, Sql};
use crate::assessment::QuestionResult;
use crate::content::Course;
use crate::db::DbConn;

/// Attempts read per kind of test for the competence figures, at most.
pub const SAMPLE: i64 = 2_000;

/// Scores before and after, per course and per competence.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PrePost {
    pub courses: Vec<CourseScores>,
    pub competences: Vec<CompetenceScores>,
    /// Attempts whose answers the competence figures were read from.
    pub competence_attempts: i64,
    /// Whether those are a sample of more attempts.
    pub competence_sampled: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct CourseScores {
    pub slug: String,
    pub title: String,
    pub pretests: i64,
    pub pretest_average: Option<f64>,
    pub finals: i64,
    pub final_average: Option<f64>,
    /// Learners with a submitted pre-test and a submitted final.
    pub both: i64,
    /// Their average change: best final minus pre-test, in points of 100.
    pub average_change: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CompetenceScores {
    pub code: String,
    pub name: String,
    /// Share of points earned on questions with this tag, in pre-tests (0-100).
    pub pretest_percent: Option<f64>,
    pub final_percent: Option<f64>,
    pub pretest_questions: i64,
    pub final_questions: i64,
}

#[derive(diesel::QueryableByName)]
struct Sums {
    #[diesel(sql_type = Text)]
    slug: String,
    #[diesel(sql_type = Text)]
    kind: String,
    #[diesel(sql_type = BigInt)]
    n: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    total: Option<i64>,
}

#[derive(diesel::QueryableByName)]
struct Answers {
    #[diesel(sql_type = Text)]
    slug: String,
    #[diesel(sql_type = Nullable<Text>)]
    result: Option<String>,
}

/// The join and `AND (…)` limiting attempts (aliased `alias`) to learners of the scope (by
/// work unit or residence); nothing for the whole ward, so the scores are read from the
/// attempts' index alone.
fn scope_filter(sql: &mut Sql, scope: &Scope, alias: &str) -> (String, String) {
    match scope {
        Scope::All => (String::new(), String::new()),
        Scope::Units(list) => {
            let a = sql.id_list(list);
            let b = sql.id_list(list);
            (
                format!(" JOIN users u ON u.id = {alias}.user_id"),
                format!(" AND (u.unit_id IN {a} OR u.residence_unit_id IN {b})"),
            )
        }
    }
}

/// Attempts and score totals per course and kind.
fn totals(conn: &mut DbConn, as_of: NaiveDate, scope: &Scope) -> QueryResult<Vec<Sums>> {
    let mut sql = Sql::for_conn(conn);
    let end = sql.p(Bind::Time(day_end(as_of)));
    let (join, filter) = scope_filter(&mut sql, scope, "a");
    sql.push(&format!(
        "SELECT a.course_slug AS slug, a.kind AS kind, COUNT(*) AS n, SUM(a.score) AS total \
         FROM attempts a{join} \
         WHERE a.kind IN ('pretest', 'final') AND a.score IS NOT NULL \
           AND a.submitted_at < {end}{filter} \
         GROUP BY a.course_slug, a.kind"
    ));
    sql.load(conn)
}

/// Per course: learners with both tests, and the sum of (best final − pre-test). A pre-test is
/// taken once, so its lowest score is its score.
fn changes(conn: &mut DbConn, as_of: NaiveDate, scope: &Scope) -> QueryResult<Vec<Sums>> {
    let mut sql = Sql::for_conn(conn);
    let end = sql.p(Bind::Time(day_end(as_of)));
    let end2 = sql.p(Bind::Time(day_end(as_of)));
    let (join, filter) = scope_filter(&mut sql, scope, "f");
    sql.push(&format!(
        "SELECT f.course_slug AS slug, 'change' AS kind, COUNT(*) AS n, \
                SUM(f.best - p.first) AS total \
         FROM (SELECT user_id, course_slug, MAX(score) AS best FROM attempts \
               WHERE kind = 'final' AND score IS NOT NULL AND submitted_at < {end} \
               GROUP BY user_id, course_slug) f \
         JOIN (SELECT user_id, course_slug, MIN(score) AS first FROM attempts \
               WHERE kind = 'pretest' AND score IS NOT NULL AND submitted_at < {end2} \
               GROUP BY user_id, course_slug) p \
           ON p.user_id = f.user_id AND p.course_slug = f.course_slug{join} \
         WHERE 1 = 1{filter} \
         GROUP BY f.course_slug"
    ));
    sql.load(conn)
}

/// The answers of every `step`-th attempt of a kind.
fn answers(
    conn: &mut DbConn,
    kind: &str,
    step: i64,
    as_of: NaiveDate,
    scope: &Scope,
) -> QueryResult<Vec<Answers>> {
    let mut sql = Sql::for_conn(conn);
    let k = sql.p(Bind::Text(kind.to_owned()));
    let end = sql.p(Bind::Time(day_end(as_of)));
    let step = sql.p(Bind::BigInt(step));
    let (join, filter) = scope_filter(&mut sql, scope, "a");
    sql.push(&format!(
        "SELECT a.course_slug AS slug, a.result AS result \
         FROM attempts a{join} \
         WHERE a.kind = {k} AND a.score IS NOT NULL AND a.submitted_at < {end} \
           AND a.id % {step} = 0{filter}"
    ));
    sql.load(conn)
}

fn average(n: i64, total: Option<i64>) -> Option<f64> {
    (n > 0).then(|| (total.unwrap_or(0) as f64 * 10.0 / n as f64).round() / 10.0)
}

/// Scores of attempts submitted up to the end of `as_of` by learners of the scope.
pub fn build(
    conn: &mut DbConn,
    courses: &[Arc<Course>],
    as_of: NaiveDate,
    scope: &Scope,
) -> QueryResult<PrePost> {
    let by_slug: HashMap<&str, &Arc<Course>> =
        courses.iter().map(|c| (c.slug.as_str(), c)).collect();
    // slug -> (pretests, pretest total, finals, final total, both, change total)
    let mut per: BTreeMap<String, [i64; 6]> = BTreeMap::new();
    let mut per_kind = [0i64; 2];
    for s in totals(conn, as_of, scope)? {
        let e = per.entry(s.slug).or_default();
        let (i, k) = if s.kind == "pretest" { (0, 0) } else { (2, 1) };
        e[i] = s.n;
        e[i + 1] = s.total.unwrap_or(0);
        per_kind[k] += s.n;
    }
    for s in changes(conn, as_of, scope)? {
        let e = per.entry(s.slug).or_default();
        e[4] = s.n;
        e[5] = s.total.unwrap_or(0);
    }
    let course_rows = per
        .into_iter()
        .map(
            |(slug, [pre, pre_t, fin, fin_t, both, change])| CourseScores {
                title: by_slug
                    .get(slug.as_str())
                    .map(|c| c.title.clone())
                    .unwrap_or_else(|| slug.clone()),
                slug,
                pretests: pre,
                pretest_average: average(pre, Some(pre_t)),
                finals: fin,
                final_average: average(fin, Some(fin_t)),
                both,
                average_change: average(both, Some(change)),
            },
        )
        .collect();
    let mut out = PrePost {
        courses: course_rows,
        ..PrePost::default()
    };
    // code -> [(earned, possible, questions) pre, final]
    let mut tags: BTreeMap<String, [(u64, u64, i64); 2]> = BTreeMap::new();
    for (k, kind) in ["pretest", "final"].into_iter().enumerate() {
        let step = (per_kind[k] + SAMPLE - 1) / SAMPLE;
        if step == 0 {
            continue;
        }
        out.competence_sampled |= step > 1;
        for a in answers(conn, kind, step.max(1), as_of, scope)? {
            out.competence_attempts += 1;
            add_tags(&mut tags, &by_slug, &a, k);
        }
    }
    let share = |(earned, possible, _): (u64, u64, i64)| {
        (possible > 0).then(|| (earned as f64 * 1_000.0 / possible as f64).round() / 10.0)
    };
    out.competences = tags
        .into_iter()
        .map(|(code, [pre, fin])| CompetenceScores {
            name: crate::content::frameworks::name_vi(&code)
                .unwrap_or("")
                .to_owned(),
            code,
            pretest_percent: share(pre),
            final_percent: share(fin),
            pretest_questions: pre.2,
            final_questions: fin.2,
        })
        .collect();
    Ok(out)
}

fn add_tags(
    tags: &mut BTreeMap<String, [(u64, u64, i64); 2]>,
    by_slug: &HashMap<&str, &Arc<Course>>,
    a: &Answers,
    k: usize,
) {
    let Some(course) = by_slug.get(a.slug.as_str()) else {
        return;
    };
    let Some(results) = a
        .result
        .as_deref()
        .and_then(|r| serde_json::from_str::<Vec<QuestionResult>>(r).ok())
    else {
        return;
    };
    for r in results {
        let Some(q) = crate::assessment::find_question(course, &r.id) else {
            continue;
        };
        for tag in &q.tags {
            let t = &mut tags.entry(tag.clone()).or_default()[k];
            t.0 += u64::from(r.points);
            t.1 += u64::from(crate::assessment::grade::FULL);
            t.2 += 1;
        }
    }
}
