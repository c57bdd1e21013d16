//! Pre-test and final-test scores per course and per competence code.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;

use super::compute::{Scope, day_end};
use crate::assessment::QuestionResult;
use crate::content::Course;
use crate::db::DbConn;
use crate::db::schema::{attempts, users};

/// Scores before and after, per course and per competence.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PrePost {
    pub courses: Vec<CourseScores>,
    pub competences: Vec<CompetenceScores>,
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
    /// Their average change: best final minus first pre-test, in points of 100.
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

type AttemptRow = (
    i64,
    String,
    String,
    Option<i32>,
    Option<String>,
    Option<chrono::NaiveDateTime>,
    Option<i64>,
    Option<i64>,
);

/// A learner's first pre-test (time, score) and best final score.
type Learner = (Option<(chrono::NaiveDateTime, i32)>, Option<i32>);

#[derive(Default)]
struct Sums {
    pre: (i64, i64),
    fin: (i64, i64),
    /// user -> (first pre-test (time, score), best final)
    users: HashMap<i64, Learner>,
}

/// Scores of submitted attempts up to the end of `as_of`, of learners in scope (their work
/// unit or residence).
pub fn build(
    conn: &mut DbConn,
    courses: &[Arc<Course>],
    as_of: NaiveDate,
    scope: &Scope,
) -> Result<PrePost, diesel::result::Error> {
    let rows: Vec<AttemptRow> = attempts::table
        .inner_join(users::table)
        .filter(attempts::submitted_at.lt(day_end(as_of)))
        .filter(attempts::kind.eq_any(["pretest", "final"]))
        .select((
            attempts::user_id,
            attempts::course_slug,
            attempts::kind,
            attempts::score,
            attempts::result,
            attempts::submitted_at,
            users::unit_id,
            users::residence_unit_id,
        ))
        .load(conn)?;
    let by_slug: HashMap<&str, &Arc<Course>> =
        courses.iter().map(|c| (c.slug.as_str(), c)).collect();
    let mut sums: BTreeMap<String, Sums> = BTreeMap::new();
    // code -> [(earned, possible, questions) pre, final]
    let mut tags: BTreeMap<String, [(u64, u64, i64); 2]> = BTreeMap::new();
    for (user, slug, kind, score, result, at, unit, residence) in rows {
        if !scope.is_all()
            && ![unit, residence]
                .into_iter()
                .flatten()
                .any(|u| scope.contains(u))
        {
            continue;
        }
        let (Some(score), Some(at)) = (score, at) else {
            continue;
        };
        let pre = kind == "pretest";
        let s = sums.entry(slug.clone()).or_default();
        let entry = s.users.entry(user).or_default();
        if pre {
            s.pre.0 += 1;
            s.pre.1 += i64::from(score);
            if entry.0.is_none_or(|(t, _)| at < t) {
                entry.0 = Some((at, score));
            }
        } else {
            s.fin.0 += 1;
            s.fin.1 += i64::from(score);
            entry.1 = Some(entry.1.map_or(score, |b| b.max(score)));
        }
        let Some(course) = by_slug.get(slug.as_str()) else {
            continue;
        };
        let Some(results) = result
            .as_deref()
            .and_then(|r| serde_json::from_str::<Vec<QuestionResult>>(r).ok())
        else {
            continue;
        };
        for r in results {
            let Some(q) = crate::assessment::find_question(course, &r.id) else {
                continue;
            };
            for tag in &q.tags {
                let t = &mut tags.entry(tag.clone()).or_default()[usize::from(!pre)];
                t.0 += u64::from(r.points);
                t.1 += u64::from(crate::assessment::grade::FULL);
                t.2 += 1;
            }
        }
    }
    // One decimal, as shown and exported.
    let avg =
        |(n, total): (i64, i64)| (n > 0).then(|| (total as f64 * 10.0 / n as f64).round() / 10.0);
    let courses_out = sums
        .into_iter()
        .map(|(slug, s)| {
            let changes: Vec<i32> = s
                .users
                .values()
                .filter_map(|(p, f)| Some(f.as_ref()? - p.as_ref()?.1))
                .collect();
            CourseScores {
                title: by_slug
                    .get(slug.as_str())
                    .map(|c| c.title.clone())
                    .unwrap_or_else(|| slug.clone()),
                slug,
                pretests: s.pre.0,
                pretest_average: avg(s.pre),
                finals: s.fin.0,
                final_average: avg(s.fin),
                both: changes.len() as i64,
                average_change: avg((
                    changes.len() as i64,
                    changes.iter().map(|c| i64::from(*c)).sum(),
                )),
            }
        })
        .collect();
    let share = |(earned, possible, _): (u64, u64, i64)| {
        (possible > 0).then(|| (earned as f64 * 1_000.0 / possible as f64).round() / 10.0)
    };
    let competences = tags
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
    Ok(PrePost {
        courses: courses_out,
        competences,
    })
}
