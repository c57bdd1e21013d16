//! A person's own data, as they download it ("Tải dữ liệu của tôi"): the account (never the
//! password hash or session version; the citizen ID only masked), consents, lessons done,
//! test attempts, certificates and the audit entries about them. Nothing about anyone else.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use super::consent::{self, Consent};
use crate::accounts::citizen_id::mask;
use crate::accounts::{Unit, User};
use crate::certificates::Certificate;
use crate::db::DbConn;
use crate::db::schema::{attempts, audit_log, lesson_progress};

#[derive(Debug, Serialize)]
pub struct Account {
    pub id: i64,
    pub full_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub username: Option<String>,
    pub birth_year: i32,
    pub sex: Option<String>,
    pub group: String,
    pub unit: Option<String>,
    pub residence_unit: Option<String>,
    /// Only the masked form (`•••••••••123`): the number itself is not kept.
    pub citizen_id: Option<String>,
    pub role: String,
    pub active: bool,
    /// How the account was made: `self`, `helper`, `import` or `admin`.
    pub channel: String,
    pub consent_version: Option<String>,
    pub consent_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub deleted_at: Option<NaiveDateTime>,
}

#[derive(Debug, Serialize)]
pub struct ConsentRow {
    pub purpose: String,
    pub text: Option<&'static str>,
    pub granted: bool,
    pub version: String,
    /// `self` or `guardian`.
    pub given_by: String,
    pub guardian_name: Option<String>,
    /// Whether a helper recorded it for the person.
    pub recorded_by_helper: bool,
    pub at: NaiveDateTime,
}

#[derive(Debug, Serialize, Queryable)]
pub struct LessonDone {
    pub course: String,
    pub lesson: String,
    pub course_version: String,
    pub completed_at: NaiveDateTime,
}

#[derive(Debug, Serialize)]
pub struct AttemptRow {
    pub id: i64,
    pub course: String,
    pub course_version: String,
    /// `final` or `pretest`.
    pub kind: String,
    pub started_at: NaiveDateTime,
    pub submitted_at: Option<NaiveDateTime>,
    pub score: Option<i32>,
    pub passed: Option<bool>,
    /// The answers as saved (question id → answer).
    pub answers: serde_json::Value,
    /// Per question: the points and the answer graded.
    pub result: Option<serde_json::Value>,
    pub with_helper: bool,
}

#[derive(Debug, Serialize)]
pub struct CertificateRow {
    pub code: String,
    pub holder_name: String,
    pub course: String,
    pub course_title: String,
    pub course_version: String,
    pub score: i32,
    pub issued_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub revoked_reason: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct AuditRow {
    pub action: String,
    pub subject: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub at: NaiveDateTime,
}

/// Everything the person can download.
#[derive(Debug, Serialize)]
pub struct OwnData {
    pub exported_at: NaiveDateTime,
    pub account: Account,
    pub consents: Vec<ConsentRow>,
    pub lessons_done: Vec<LessonDone>,
    pub attempts: Vec<AttemptRow>,
    pub certificates: Vec<CertificateRow>,
    pub audit: Vec<AuditRow>,
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|_| serde_json::Value::String(text.to_owned()))
}

fn unit_name(conn: &mut DbConn, id: Option<i64>) -> QueryResult<Option<String>> {
    match id {
        Some(id) => Ok(Unit::find(conn, id)?.map(|u| u.name)),
        None => Ok(None),
    }
}

pub fn consent_rows(history: Vec<Consent>) -> Vec<ConsentRow> {
    history
        .into_iter()
        .map(|c| ConsentRow {
            text: consent::purpose(&c.purpose).map(|p| p.text_vi),
            purpose: c.purpose,
            granted: c.granted,
            version: c.version,
            given_by: c.given_by,
            guardian_name: c.guardian_name,
            recorded_by_helper: c.recorded_by.is_some(),
            at: c.at,
        })
        .collect()
}

fn account(conn: &mut DbConn, user: User) -> QueryResult<Account> {
    Ok(Account {
        id: user.id,
        unit: unit_name(conn, user.unit_id)?,
        residence_unit: unit_name(conn, user.residence_unit_id)?,
        citizen_id: user.citizen_id_tail.as_deref().map(mask),
        full_name: user.full_name,
        phone: user.phone,
        email: user.email,
        username: user.username,
        birth_year: user.birth_year,
        sex: user.sex,
        group: user.target_group,
        role: user.role,
        active: user.active,
        channel: user.channel,
        consent_version: user.consent_version,
        consent_at: user.consent_at,
        created_at: user.created_at,
        deleted_at: user.deleted_at,
    })
}

fn lessons_done(conn: &mut DbConn, user_id: i64) -> QueryResult<Vec<LessonDone>> {
    lesson_progress::table
        .filter(lesson_progress::user_id.eq(user_id))
        .select((
            lesson_progress::course_slug,
            lesson_progress::lesson_slug,
            lesson_progress::course_version,
            lesson_progress::completed_at,
        ))
        .order((lesson_progress::completed_at, lesson_progress::id))
        .load(conn)
}

/// An attempt as stored: id, course, version, kind, started, submitted, score, passed,
/// answers, result, helper.
type RawAttempt = (
    i64,
    String,
    String,
    String,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<i32>,
    Option<bool>,
    String,
    Option<String>,
    Option<i64>,
);

fn attempt_rows(conn: &mut DbConn, user_id: i64) -> QueryResult<Vec<AttemptRow>> {
    let raw = attempts::table
        .filter(attempts::user_id.eq(user_id))
        .select((
            attempts::id,
            attempts::course_slug,
            attempts::course_version,
            attempts::kind,
            attempts::started_at,
            attempts::submitted_at,
            attempts::score,
            attempts::passed,
            attempts::answers,
            attempts::result,
            attempts::assisted_by,
        ))
        .order(attempts::id)
        .load::<RawAttempt>(conn)?;
    Ok(raw
        .into_iter()
        .map(|a| AttemptRow {
            id: a.0,
            course: a.1,
            course_version: a.2,
            kind: a.3,
            started_at: a.4,
            submitted_at: a.5,
            score: a.6,
            passed: a.7,
            answers: json(&a.8),
            result: a.9.as_deref().map(json),
            with_helper: a.10.is_some(),
        })
        .collect())
}

fn certificate_row(c: Certificate) -> CertificateRow {
    CertificateRow {
        code: c.code,
        holder_name: c.holder_name,
        course: c.course_slug,
        course_title: c.course_title,
        course_version: c.course_version,
        score: c.score,
        issued_at: c.issued_at,
        revoked_at: c.revoked_at,
        revoked_reason: c.revoked_reason,
    }
}

/// The audit entries about the account or one of `codes` (its certificates); who acted is
/// left out.
fn audit_rows(conn: &mut DbConn, user_id: i64, codes: &[String]) -> QueryResult<Vec<AuditRow>> {
    let mut subjects = vec![format!("user:{user_id}")];
    subjects.extend(codes.iter().cloned());
    let rows = audit_log::table
        .filter(audit_log::subject.eq_any(subjects))
        .select((
            audit_log::action,
            audit_log::subject,
            audit_log::before_value,
            audit_log::after_value,
            audit_log::at,
        ))
        .order(audit_log::id)
        .load::<(
            String,
            String,
            Option<String>,
            Option<String>,
            NaiveDateTime,
        )>(conn)?;
    Ok(rows
        .into_iter()
        .map(|(action, subject, before, after, at)| AuditRow {
            action,
            subject,
            before,
            after,
            at,
        })
        .collect())
}

/// The person's own data; `None` if there is no such account.
pub fn own_data(conn: &mut DbConn, user_id: i64) -> QueryResult<Option<OwnData>> {
    let Some(user) = User::find(conn, user_id)? else {
        return Ok(None);
    };
    let certs = Certificate::of_user(conn, user_id)?;
    let codes: Vec<String> = certs.iter().map(|c| c.code.clone()).collect();
    Ok(Some(OwnData {
        exported_at: crate::db::now(),
        account: account(conn, user)?,
        consents: consent_rows(consent::history(conn, user_id)?),
        lessons_done: lessons_done(conn, user_id)?,
        attempts: attempt_rows(conn, user_id)?,
        certificates: certs.into_iter().map(certificate_row).collect(),
        audit: audit_rows(conn, user_id, &codes)?,
    }))
}
