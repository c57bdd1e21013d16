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

/// Per course: pre-tests and finals (count and sum), learners with both, and the sum of their
/// changes (best final − pre-test; a pre-test is taken once, so its lowest score is its score).
#[derive(diesel::QueryableByName)]
struct CourseSums {
    #[diesel(sql_type = Text)]
    slug: String,
    #[diesel(sql_type = BigInt)]
    pre_n: i64,
    #[diesel(sql_type = BigInt)]
    pre_sum: i64,
    #[diesel(sql_type = BigInt)]
    fin_n: i64,
    #[diesel(sql_type = BigInt)]
    fin_sum: i64,
    #[diesel(sql_type = BigInt)]
    paired: i64,
    #[diesel(sql_type = BigInt)]
    change: i64,
}

/// The sums per course up to the end of `as_of`, from the score facts: learners whose last
/// attempt is on or before that day are read from their facts; the few with attempts after it
/// are summed again from their attempts, counting only those submitted by then. (`+last_day`
/// keeps SQLite from reading nearly the whole table through the `last_day` index, which is
/// there for the few recent learners.)
fn course_sums(conn: &mut DbConn, as_of: NaiveDate, scope: &Scope) -> QueryResult<Vec<CourseSums>> {
    let day = super::sql::day_number(as_of);
    let totals = "CAST(SUM(pre_n) AS BIGINT) AS pre_n, CAST(SUM(pre_sum) AS BIGINT) AS pre_sum, \
        CAST(SUM(fin_n) AS BIGINT) AS fin_n, CAST(SUM(fin_sum) AS BIGINT) AS fin_sum, \
        CAST(SUM(CASE WHEN pre_n > 0 AND fin_n > 0 THEN 1 ELSE 0 END) AS BIGINT) AS paired, \
        CAST(COALESCE(SUM(CASE WHEN pre_n > 0 AND fin_n > 0 THEN fin_best - pre_min END), 0) \
             AS BIGINT) AS change";
    // Two queries, so that PostgreSQL scans the facts in parallel (a UNION ALL would not).
    let mut settled = Sql::for_conn(conn);
    let d = settled.p(Bind::Int(day));
    let (join, filter) = scope_filter(&mut settled, scope, "sf");
    settled.push(&format!(
        "SELECT sf.course_slug AS slug, {totals} \
         FROM score_facts sf{join} WHERE +sf.last_day <= {d}{filter} GROUP BY sf.course_slug"
    ));
    let mut out = settled.load::<CourseSums>(conn)?;
    let mut recent = Sql::for_conn(conn);
    let d = recent.p(Bind::Int(day));
    let end = recent.p(Bind::Time(day_end(as_of)));
    let (join, filter) = scope_filter(&mut recent, scope, "sf");
    let sums = super::facts::score_sums("a.");
    recent.push(&format!(
        "SELECT slug, {totals} FROM ( \
           SELECT a.course_slug AS slug, {sums} \
           FROM score_facts sf{join} \
           JOIN attempts a ON a.user_id = sf.user_id AND a.course_slug = sf.course_slug \
           WHERE sf.last_day > {d}{filter} AND a.kind IN ('pretest', 'final') \
             AND a.score IS NOT NULL AND a.submitted_at < {end} \
           GROUP BY a.user_id, a.course_slug) t GROUP BY slug"
    ));
    for r in recent.load::<CourseSums>(conn)? {
        match out.iter_mut().find(|o| o.slug == r.slug) {
            Some(o) => {
                o.pre_n += r.pre_n;
                o.pre_sum += r.pre_sum;
                o.fin_n += r.fin_n;
                o.fin_sum += r.fin_sum;
                o.paired += r.paired;
                o.change += r.change;
            }
            None => out.push(r),
        }
    }
    Ok(out)
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
    let (join, filter) = scope_filter(&mut sql, scope, "a");
    // The attempts whose id is a multiple of the step (all of them for 1). For the whole of
    // a city PostgreSQL looks them up by id (a few thousand reads instead of millions); for a
    // few units, whose step is small, the units' learners lead and the ids are filtered, as
    // on SQLite.
    let (every, multiple) = match (step, sql.is_pg() && scope.is_all()) {
        (..=1, _) => (String::new(), String::new()),
        (_, true) => {
            let (s1, s2) = (sql.p(Bind::BigInt(step)), sql.p(Bind::BigInt(step)));
            (
                format!(
                    " JOIN generate_series({s1}, (SELECT COALESCE(MAX(id), 0) FROM attempts), \
                     {s2}) AS nth(id) ON a.id = nth.id"
                ),
                String::new(),
            )
        }
        (_, false) => {
            let s1 = sql.p(Bind::BigInt(step));
            (String::new(), format!(" AND a.id % {s1} = 0"))
        }
    };
    sql.push(&format!(
        "SELECT a.course_slug AS slug, a.result AS result \
         FROM attempts a{every}{join} \
         WHERE a.kind = {k} AND a.score IS NOT NULL AND a.submitted_at < {end}{multiple}{filter}"
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
    for s in course_sums(conn, as_of, scope)? {
        per_kind[0] += s.pre_n;
        per_kind[1] += s.fin_n;
        per.insert(
            s.slug,
            [s.pre_n, s.pre_sum, s.fin_n, s.fin_sum, s.paired, s.change],
        );
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

/// What the competence figures read of a question's result (a `QuestionResult` without the
/// answer given, which is skipped unread).
#[derive(serde::Deserialize)]
struct Points<'a> {
    #[serde(borrow)]
    id: std::borrow::Cow<'a, str>,
    points: u32,
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
        .and_then(|r| serde_json::from_str::<Vec<Points>>(r).ok())
    else {
        return;
    };
    for r in results {
        let Some(q) = crate::assessment::find_question(course, &r.id) else {
            continue;
        };
        for tag in &q.tags {
            if !tags.contains_key(tag) {
                tags.insert(tag.clone(), Default::default());
            }
            let Some(t) = tags.get_mut(tag).map(|t| &mut t[k]) else {
                continue;
            };
            t.0 += u64::from(r.points);
            t.1 += u64::from(crate::assessment::grade::FULL);
            t.2 += 1;
        }
    }
}
