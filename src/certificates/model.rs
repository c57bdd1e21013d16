//! Certificates in storage.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{certificates, users};
use crate::db::{DbConn, now};

#[derive(Debug, Clone, Queryable, Selectable, serde::Serialize)]
#[diesel(table_name = certificates)]
pub struct Certificate {
    pub id: i64,
    pub code: String,
    pub user_id: i64,
    pub holder_name: String,
    pub course_slug: String,
    pub course_title: String,
    pub course_version: String,
    pub attempt_id: i64,
    pub score: i32,
    pub issued_at: NaiveDateTime,
    pub token: String,
    pub fingerprint: String,
    pub revoked_at: Option<NaiveDateTime>,
    pub revoked_reason: Option<String>,
    pub revoked_by: Option<i64>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = certificates)]
pub struct NewCertificate {
    pub code: String,
    pub user_id: i64,
    pub holder_name: String,
    pub course_slug: String,
    pub course_title: String,
    pub course_version: String,
    pub attempt_id: i64,
    pub score: i32,
    pub issued_at: NaiveDateTime,
    pub token: String,
    pub fingerprint: String,
}

impl Certificate {
    pub fn is_valid(&self) -> bool {
        self.revoked_at.is_none()
    }

    pub fn find_by_code(conn: &mut DbConn, code: &str) -> QueryResult<Option<Certificate>> {
        certificates::table
            .filter(certificates::code.eq(code))
            .select(Certificate::as_select())
            .load(conn)
            .map(crate::db::single)
    }

    /// The learner's valid certificate for a course version, if any.
    pub fn valid_for(
        conn: &mut DbConn,
        user_id: i64,
        course: &str,
        version: &str,
    ) -> QueryResult<Option<Certificate>> {
        certificates::table
            .filter(certificates::user_id.eq(user_id))
            .filter(certificates::course_slug.eq(course))
            .filter(certificates::course_version.eq(version))
            .filter(certificates::revoked_at.is_null())
            .select(Certificate::as_select())
            .load(conn)
            .map(crate::db::single)
    }

    /// True when the learner holds a valid certificate of any version of the course.
    pub fn holds_any(conn: &mut DbConn, user_id: i64, course: &str) -> QueryResult<bool> {
        diesel::select(diesel::dsl::exists(
            certificates::table
                .filter(certificates::user_id.eq(user_id))
                .filter(certificates::course_slug.eq(course))
                .filter(certificates::revoked_at.is_null()),
        ))
        .get_result(conn)
    }

    pub fn of_user(conn: &mut DbConn, user_id: i64) -> QueryResult<Vec<Certificate>> {
        certificates::table
            .filter(certificates::user_id.eq(user_id))
            .order(certificates::issued_at.desc())
            .select(Certificate::as_select())
            .load(conn)
    }

    /// Inserts a certificate.
    pub fn insert(conn: &mut DbConn, new: &NewCertificate) -> QueryResult<i64> {
        diesel::insert_into(certificates::table)
            .values(new)
            .returning(certificates::id)
            .get_result(conn)
    }

    /// Revokes a valid certificate; returns whether it was valid.
    pub fn revoke(conn: &mut DbConn, code: &str, reason: &str, by: i64) -> QueryResult<bool> {
        let changed = diesel::update(
            certificates::table
                .filter(certificates::code.eq(code))
                .filter(certificates::revoked_at.is_null()),
        )
        .set((
            certificates::revoked_at.eq(now()),
            certificates::revoked_reason.eq(reason),
            certificates::revoked_by.eq(by),
        ))
        .execute(conn)?;
        Ok(changed == 1)
    }

    /// Valid certificates of a course, or of the people of a unit (or both), for printing.
    pub fn for_printing(
        conn: &mut DbConn,
        course: Option<&str>,
        unit: Option<i64>,
    ) -> QueryResult<Vec<Certificate>> {
        let mut query = certificates::table
            .inner_join(users::table)
            .filter(certificates::revoked_at.is_null())
            .select(Certificate::as_select())
            .into_boxed();
        if let Some(course) = course {
            query = query.filter(certificates::course_slug.eq(course.to_owned()));
        }
        if let Some(unit) = unit {
            query = query.filter(users::unit_id.eq(unit));
        }
        query
            .order((certificates::course_slug, certificates::holder_name))
            .load(conn)
    }

    /// The newest certificates, or those whose code or holder matches `search`.
    pub fn search(conn: &mut DbConn, search: &str, limit: i64) -> QueryResult<Vec<Certificate>> {
        let mut query = certificates::table
            .select(Certificate::as_select())
            .into_boxed();
        let s = search.trim();
        if !s.is_empty() {
            let pattern = format!("%{}%", s.replace(['%', '_'], ""));
            let code = super::code::normalize(s).unwrap_or_else(|| s.to_uppercase());
            query = query.filter(
                certificates::holder_name
                    .like(pattern)
                    .or(certificates::code.eq(code)),
            );
        }
        query
            .order(certificates::issued_at.desc())
            .limit(limit)
            .load(conn)
    }
}
