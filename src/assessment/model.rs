//! Attempts in storage.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::attempts;
use crate::db::{DbConn, now};

/// A final test or a pre-test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Final,
    Pretest,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Final => "final",
            Kind::Pretest => "pretest",
        }
    }
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = attempts)]
pub struct Attempt {
    pub id: i64,
    pub user_id: i64,
    pub course_slug: String,
    pub course_version: String,
    pub kind: String,
    pub seed: i64,
    /// JSON list of [`super::draw::Drawn`].
    pub questions: String,
    /// JSON map of question id to [`super::grade::Given`].
    pub answers: String,
    pub started_at: NaiveDateTime,
    pub deadline_at: Option<NaiveDateTime>,
    pub submitted_at: Option<NaiveDateTime>,
    pub score: Option<i32>,
    pub passed: Option<bool>,
    /// JSON list of [`super::QuestionResult`].
    pub result: Option<String>,
    pub assisted_by: Option<i64>,
}

#[derive(Debug, Insertable)]
#[diesel(table_name = attempts)]
pub struct NewAttempt {
    pub user_id: i64,
    pub course_slug: String,
    pub course_version: String,
    pub kind: String,
    pub seed: i64,
    pub questions: String,
    pub answers: String,
    pub started_at: NaiveDateTime,
    pub deadline_at: Option<NaiveDateTime>,
    pub assisted_by: Option<i64>,
}

/// The grading of a submitted attempt, written once.
pub struct Graded {
    pub answers: String,
    pub score: i32,
    pub passed: bool,
    pub result: String,
    pub submitted_at: NaiveDateTime,
}

impl Attempt {
    pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<Attempt>> {
        attempts::table
            .find(id)
            .select(Attempt::as_select())
            .load(conn)
            .map(crate::db::single)
    }

    pub fn is_open(&self) -> bool {
        self.submitted_at.is_none()
    }

    /// The learner's open attempt at a course, if any.
    pub fn open(
        conn: &mut DbConn,
        user_id: i64,
        course: &str,
        kind: Kind,
    ) -> QueryResult<Option<Attempt>> {
        attempts::table
            .filter(attempts::user_id.eq(user_id))
            .filter(attempts::course_slug.eq(course))
            .filter(attempts::kind.eq(kind.as_str()))
            .filter(attempts::submitted_at.is_null())
            .select(Attempt::as_select())
            .load(conn)
            .map(crate::db::single)
    }

    /// Every submitted attempt of the learner at a course, newest first.
    pub fn submitted(
        conn: &mut DbConn,
        user_id: i64,
        course: &str,
        kind: Kind,
    ) -> QueryResult<Vec<Attempt>> {
        attempts::table
            .filter(attempts::user_id.eq(user_id))
            .filter(attempts::course_slug.eq(course))
            .filter(attempts::kind.eq(kind.as_str()))
            .filter(attempts::submitted_at.is_not_null())
            .order(attempts::submitted_at.desc())
            .select(Attempt::as_select())
            .load(conn)
    }

    /// Inserts an attempt; `Ok(None)` when another start for the same learner, course and
    /// kind got there first (the one-open-attempt index).
    pub fn insert(conn: &mut DbConn, new: &NewAttempt) -> QueryResult<Option<i64>> {
        match diesel::insert_into(attempts::table)
            .values(new)
            .returning(attempts::id)
            .get_result(conn)
        {
            Ok(id) => Ok(Some(id)),
            Err(e) if crate::db::is_unique_violation(&e) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Saves answers while the attempt is open and its time has not run out; returns whether
    /// they were saved.
    pub fn save_answers(conn: &mut DbConn, id: i64, answers: &str) -> QueryResult<bool> {
        let at = now();
        let changed = diesel::update(
            attempts::table
                .find(id)
                .filter(attempts::submitted_at.is_null())
                .filter(
                    attempts::deadline_at
                        .is_null()
                        .or(attempts::deadline_at.ge(at)),
                ),
        )
        .set(attempts::answers.eq(answers))
        .execute(conn)?;
        Ok(changed == 1)
    }

    /// Records that a helper (assisted mode) worked on this open attempt, unless one already
    /// did: an attempt answered or submitted with a helper counts as assisted.
    pub fn mark_assisted(conn: &mut DbConn, id: i64, helper_id: i64) -> QueryResult<()> {
        diesel::update(
            attempts::table
                .find(id)
                .filter(attempts::submitted_at.is_null())
                .filter(attempts::assisted_by.is_null()),
        )
        .set(attempts::assisted_by.eq(helper_id))
        .execute(conn)?;
        Ok(())
    }

    /// Writes the grading if the attempt is still open; returns whether this call did it (a
    /// double submit grades once).
    pub fn submit(conn: &mut DbConn, id: i64, graded: &Graded) -> QueryResult<bool> {
        let changed = diesel::update(
            attempts::table
                .find(id)
                .filter(attempts::submitted_at.is_null()),
        )
        .set((
            attempts::answers.eq(&graded.answers),
            attempts::score.eq(graded.score),
            attempts::passed.eq(graded.passed),
            attempts::result.eq(&graded.result),
            attempts::submitted_at.eq(graded.submitted_at),
        ))
        .execute(conn)?;
        Ok(changed == 1)
    }
}
