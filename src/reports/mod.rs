//! Reports against the ward's plan: the plan file and its checks, the figures (one code path
//! for the page, the printable page, the exports and the command line), charts and exports.

pub mod charts;
pub mod compute;
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

/// The whole report: the goals and the pre-test/final-test scores. The web page, the printable
/// page, the exports and `hocvuso report` all call this, so they show the same figures.
pub fn make(
    conn: &mut DbConn,
    plan: &plan::Plan,
    courses: &[Arc<Course>],
    as_of: NaiveDate,
    scope: &Scope,
) -> Result<Report, diesel::result::Error> {
    // One read transaction: every figure comes from the same snapshot of the data. On
    // PostgreSQL the aggregates get room to hash in memory instead of spilling to disk.
    let (mut report, scores) = conn.transaction(|conn| {
        if let DbConn::Pg(pg) = conn {
            diesel::RunQueryDsl::execute(diesel::sql_query("SET LOCAL work_mem = '64MB'"), pg)?;
        }
        let report = compute::build(conn, plan, as_of, scope)?;
        let scores = prepost::build(conn, courses, as_of, scope)?;
        Ok::<_, diesel::result::Error>((report, scores))
    })?;
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
    Ok(report)
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
