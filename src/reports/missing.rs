//! Who is still missing in a unit for a goal: the registered people the goal counts in that
//! unit who do not count yet, with how far each has got, and how many of the unit's
//! population have no account at all. Names only: no phone number, no citizen ID.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;

use super::plan::{Counts, Goal};
use super::rules::{self, Cert, Holdings, PersonRow, UnitInfo, day_end, unit_for};
use crate::db::DbConn;
use crate::db::schema::{
    attempts, certificates, confirmations, lesson_progress, population_counts, users,
};

/// The most people listed on one page; the counts above the list stay exact.
pub const MAX_LISTED: usize = 2000;

/// A person who does not count yet.
#[derive(Debug, Clone, Serialize)]
pub struct MissingPerson {
    pub id: i64,
    pub full_name: String,
    pub birth_year: i32,
    pub group: String,
    /// Lessons done in the goal's courses.
    pub lessons_done: i64,
    /// Best final-test score in the goal's courses, if they took one.
    pub best_score: Option<i32>,
    /// What to do next, in plain words.
    pub next_step: String,
}

/// A unit's standing on one goal.
#[derive(Debug, Clone, Serialize)]
pub struct Missing {
    pub goal_number: u32,
    pub goal_title: String,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub as_of: NaiveDate,
    /// The unit's latest population count for the goal, if imported.
    pub population: Option<i64>,
    /// Registered people the goal counts in this unit.
    pub registered: i64,
    /// Of them, those who count.
    pub counted: i64,
    /// Population minus registered people, when there is a population count.
    pub without_account: Option<i64>,
    pub people: Vec<MissingPerson>,
    /// More people than [`MAX_LISTED`] do not count yet.
    pub truncated: bool,
}

fn latest_population(
    conn: &mut DbConn,
    unit: i64,
    population: &str,
    as_of: NaiveDate,
) -> QueryResult<Option<i64>> {
    let counts: Vec<i32> = population_counts::table
        .filter(population_counts::unit_id.eq(unit))
        .filter(population_counts::population.eq(population))
        .filter(population_counts::as_of.le(as_of))
        .order((
            population_counts::as_of.desc(),
            population_counts::id.desc(),
        ))
        .select(population_counts::count)
        .load(conn)?;
    Ok(counts.first().map(|c| i64::from(*c)))
}

/// The registered people of `unit` whom `goal` counts there at `as_of`, with their holdings.
fn members(
    conn: &mut DbConn,
    goal: &Goal,
    unit: i64,
    as_of: NaiveDate,
    units: &HashMap<i64, UnitInfo>,
) -> QueryResult<Vec<(i64, String, rules::Person, Holdings)>> {
    let rows: Vec<(PersonRow, String)> = users::table
        .filter(
            users::unit_id
                .eq(unit)
                .or(users::residence_unit_id.eq(unit)),
        )
        .filter(users::created_at.lt(day_end(as_of)))
        .select((rules::PERSON_COLUMNS, users::full_name))
        .load(conn)?;
    let mut people: Vec<(i64, String, rules::Person, Holdings)> = rows
        .into_iter()
        .filter_map(|(row, name)| {
            let p = rules::person(&row);
            (unit_for(&goal.counted, &p, as_of, units) == Some(Some(unit)))
                .then(|| (row.0, name, p, Holdings::default()))
        })
        .collect();
    let ids: Vec<i64> = people.iter().map(|p| p.0).collect();
    let mut by_id: HashMap<i64, Holdings> = HashMap::new();
    for chunk in ids.chunks(10_000) {
        match &goal.counts {
            Counts::AnyOf(slugs) | Counts::AllOf(slugs) => {
                let certs: Vec<(
                    i64,
                    String,
                    chrono::NaiveDateTime,
                    Option<chrono::NaiveDateTime>,
                )> = certificates::table
                    .filter(certificates::user_id.eq_any(chunk))
                    .filter(certificates::course_slug.eq_any(slugs))
                    .select((
                        certificates::user_id,
                        certificates::course_slug,
                        certificates::issued_at,
                        certificates::revoked_at,
                    ))
                    .load(conn)?;
                for (id, slug, issued, revoked) in certs {
                    by_id.entry(id).or_default().certs.push(Cert {
                        slug,
                        issued,
                        revoked,
                    });
                }
            }
            Counts::Confirmation(kind) => {
                let confirmed: Vec<(Option<i64>, NaiveDate)> = confirmations::table
                    .filter(confirmations::kind.eq(kind))
                    .filter(confirmations::user_id.eq_any(chunk))
                    .select((confirmations::user_id, confirmations::confirmed_on))
                    .load(conn)?;
                for (id, on) in confirmed {
                    if let Some(id) = id {
                        let h = by_id.entry(id).or_default();
                        h.confirmed = Some(h.confirmed.map_or(on, |d| d.min(on)));
                    }
                }
            }
        }
    }
    for p in &mut people {
        if let Some(h) = by_id.remove(&p.0) {
            p.3 = h;
        }
    }
    Ok(people)
}

/// Lessons done and best final score in the goal's courses, for the people listed.
fn effort(
    conn: &mut DbConn,
    ids: &[i64],
    slugs: &[String],
    as_of: NaiveDate,
) -> QueryResult<HashMap<i64, (i64, Option<i32>)>> {
    let mut out: HashMap<i64, (i64, Option<i32>)> = HashMap::new();
    if slugs.is_empty() {
        return Ok(out);
    }
    let end = day_end(as_of);
    for chunk in ids.chunks(10_000) {
        let done: Vec<i64> = lesson_progress::table
            .filter(lesson_progress::user_id.eq_any(chunk))
            .filter(lesson_progress::course_slug.eq_any(slugs))
            .filter(lesson_progress::completed_at.lt(end))
            .select(lesson_progress::user_id)
            .load(conn)?;
        for id in done {
            out.entry(id).or_default().0 += 1;
        }
        let scores: Vec<(i64, Option<i32>)> = attempts::table
            .filter(attempts::user_id.eq_any(chunk))
            .filter(attempts::course_slug.eq_any(slugs))
            .filter(attempts::kind.eq("final"))
            .filter(attempts::submitted_at.lt(end))
            .select((attempts::user_id, attempts::score))
            .load(conn)?;
        for (id, score) in scores {
            let best = &mut out.entry(id).or_default().1;
            *best = (*best).max(score);
        }
    }
    Ok(out)
}

fn next_step(goal: &Goal, revoked: bool, lessons: i64, best: Option<i32>) -> String {
    match (&goal.counts, lessons, best) {
        (Counts::Confirmation(_), _, _) => "Chưa có xác nhận trên VNeID".into(),
        _ if revoked => "Chứng nhận đã bị thu hồi: cần thi lại".into(),
        (_, _, Some(score)) => format!("Đã thi, chưa đạt ({score} điểm): nên thi lại"),
        (_, 0, None) => "Chưa bắt đầu học".into(),
        (_, n, None) => format!("Đang học ({n} bài đã xong)"),
    }
}

/// The standing of `unit` on `goal` at `as_of`; `None` when the unit does not exist.
pub fn build(
    conn: &mut DbConn,
    goal: &Goal,
    unit: i64,
    as_of: NaiveDate,
) -> QueryResult<Option<Missing>> {
    let units = rules::load_units(conn)?;
    let Some(info) = units.get(&unit).cloned() else {
        return Ok(None);
    };
    let people = members(conn, goal, unit, as_of, &units)?;
    let registered = people.len() as i64;
    let end = day_end(as_of);
    let mut waiting: Vec<(i64, String, rules::Person, bool)> = people
        .into_iter()
        .filter(|(_, _, _, h)| !h.counts_at(&goal.counts, as_of))
        .map(|(id, name, p, h)| {
            let revoked = h.certs.iter().any(|c| c.revoked.is_some_and(|r| r < end));
            (id, name, p, revoked)
        })
        .collect();
    let counted = registered - waiting.len() as i64;
    waiting.sort_by_key(|w| (w.1.to_lowercase(), w.0));
    let truncated = waiting.len() > MAX_LISTED;
    waiting.truncate(MAX_LISTED);
    let slugs = match &goal.counts {
        Counts::AnyOf(l) | Counts::AllOf(l) => l.clone(),
        Counts::Confirmation(_) => Vec::new(),
    };
    let ids: Vec<i64> = waiting.iter().map(|w| w.0).collect();
    let effort = effort(conn, &ids, &slugs, as_of)?;
    let population = latest_population(conn, unit, &goal.counted, as_of)?;
    let people = waiting
        .into_iter()
        .map(|(id, full_name, p, revoked)| {
            let (lessons, best) = effort.get(&id).copied().unwrap_or_default();
            MissingPerson {
                id,
                full_name: if full_name.is_empty() {
                    crate::privacy::ERASED_NAME.to_owned()
                } else {
                    full_name
                },
                birth_year: p.birth_year,
                group: crate::groups::Group::parse(&p.group)
                    .map(|g| g.label_vi().to_owned())
                    .unwrap_or_default(),
                lessons_done: lessons,
                best_score: best,
                next_step: next_step(goal, revoked, lessons, best),
            }
        })
        .collect();
    Ok(Some(Missing {
        goal_number: goal.number,
        goal_title: goal.title.clone(),
        unit_id: unit,
        unit_code: info.code,
        unit_name: info.name,
        as_of,
        population,
        registered,
        counted,
        without_account: population.map(|p| (p - registered).max(0)),
        people,
        truncated,
    }))
}
