//! Reports against the ward's plan: the plan file and its checks, the figures (one code path
//! for the page, the printable page, the exports and the command line), charts and exports.

pub mod charts;
pub mod compute;
pub mod facts;
pub mod missing;
pub mod plan;
pub mod prepost;
pub mod rules;
pub mod sql;
pub mod table;
pub mod tally;
mod tally_sql;
pub mod view;
pub mod xlsx;

use std::sync::Arc;

use chrono::NaiveDate;
use diesel::Connection;

pub use compute::{Report, Scope, build};

use crate::content::Course;
use crate::db::DbConn;

/// Runs `f` in a read transaction: one snapshot of the data. (PostgreSQL's default `work_mem`
/// suits the facts' queries: a larger one made the ward's report 20 ms slower.)
fn reading<T>(
    conn: &mut DbConn,
    f: impl FnOnce(&mut DbConn) -> Result<T, diesel::result::Error>,
) -> Result<T, diesel::result::Error> {
    conn.transaction(f)
}

/// The whole report: the goals and the pre-test/final-test scores. The web page, the printable
/// page, the exports and `hocvuso report` all call this (or [`make_parallel`]), so they show
/// the same figures.
pub fn make(
    conn: &mut DbConn,
    plan: &plan::Plan,
    courses: &[Arc<Course>],
    as_of: NaiveDate,
    scope: &Scope,
) -> Result<Report, diesel::result::Error> {
    facts::refresh(conn, &plan.goals)?;
    let (report, scores) = reading(conn, |conn| {
        Ok((
            compute::build(conn, plan, as_of, scope)?,
            prepost::build(conn, courses, as_of, scope)?,
        ))
    })?;
    Ok(finish(report, scores, plan, courses))
}

/// The same report. On SQLite its two halves (the goals, the scores) are computed at once on
/// two connections of the pool, so the page waits for the longer half only. PostgreSQL
/// already spreads a large query over the cores: there the halves run one after the other,
/// which measured faster on two cores (ward 122 → 96 ms).
pub fn make_parallel(
    pool: &crate::db::Pool,
    plan: &plan::Plan,
    courses: &[Arc<Course>],
    as_of: NaiveDate,
    scope: &Scope,
) -> Result<Report, crate::error::AppError> {
    let mut conn = pool.get()?;
    if pool.max_size() < 2 || matches!(*conn, DbConn::Pg(_)) {
        return Ok(make(&mut conn, plan, courses, as_of, scope)?);
    }
    facts::refresh(&mut conn, &plan.goals)?;
    drop(conn);
    let (goals, scores) = std::thread::scope(|s| {
        let scores = s.spawn(|| -> Result<prepost::PrePost, crate::error::AppError> {
            let mut conn = pool.get()?;
            Ok(reading(&mut conn, |c| {
                prepost::build(c, courses, as_of, scope)
            })?)
        });
        let goals = (|| -> Result<Report, crate::error::AppError> {
            let mut conn = pool.get()?;
            Ok(reading(&mut conn, |c| {
                compute::build(c, plan, as_of, scope)
            })?)
        })();
        let scores = scores.join().unwrap_or_else(|_| {
            Err(crate::error::AppError::Internal(anyhow::anyhow!(
                "the scores thread failed"
            )))
        });
        (goals, scores)
    });
    Ok(finish(goals?, scores?, plan, courses))
}

/// Adds the scores and names the courses that count by their titles.
fn finish(
    mut report: Report,
    scores: prepost::PrePost,
    plan: &plan::Plan,
    courses: &[Arc<Course>],
) -> Report {
    report.prepost = Some(scores);
    // Name the courses that count by their titles, as people know them.
    for (g, goal) in report.goals.iter_mut().zip(&plan.goals) {
        if let plan::Counts::AnyOf(slugs) | plan::Counts::AllOf(slugs) = &goal.counts {
            let titles: Vec<String> = slugs
                .iter()
                .map(|s| {
                    courses
                        .iter()
                        .find(|c| &c.slug == s)
                        .map(|c| format!("“{}”", c.title))
                        .unwrap_or_else(|| s.clone())
                })
                .collect();
            let which = if matches!(goal.counts, plan::Counts::AllOf(_)) {
                "tất cả các khoá"
            } else {
                "một trong các khoá"
            };
            g.counts = format!("Chứng nhận của {which}: {}", titles.join(", "));
        }
    }
    report
}

/// A unit kind in Vietnamese.
pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "residential" => "Tổ dân phố",
        "school" => "Trường học",
        "agency" => "Cơ quan",
        "enterprise" => "Doanh nghiệp",
        "cooperative" => "Hợp tác xã",
        _ => "Khác",
    }
}
