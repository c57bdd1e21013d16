//! Consent per purpose (Law on Personal Data Protection 91/2025/QH15): each purpose is asked
//! separately, never pre-ticked, and stored with its time, the wording's version, who gave it
//! (the person, or a parent or guardian for a child) and who recorded it (a helper registering
//! a resident on the spot). Withdrawing is a new row: the history is kept.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::db::schema::consents;
use crate::db::{DbConn, now};

/// The version of the consent wording below; change it whenever a text changes.
pub const VERSION: &str = "2026-11-v3";

/// A purpose we ask consent for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Purpose {
    /// Stored code.
    pub code: &'static str,
    /// What the person reads (plain Vietnamese).
    pub text_vi: &'static str,
    /// Without it there is no account (the service cannot work without processing these data).
    pub required: bool,
}

/// Every purpose, in the order the form shows them.
pub const PURPOSES: &[Purpose] = &[
    Purpose {
        code: "learning",
        text_vi: "Tôi đồng ý để Học Vụ Số lưu họ tên, số điện thoại hoặc email, năm sinh, \
                  nhóm và đơn vị của tôi để tôi học, làm bài kiểm tra và nhận chứng nhận.",
        required: true,
    },
    Purpose {
        code: "reports",
        text_vi: "Tôi đồng ý để kết quả học của tôi được tính (không nêu tên, chỉ theo nhóm, \
                  năm sinh, đơn vị và giới tính nếu tôi nêu) vào báo cáo tiến độ phong trào \
                  “Bình dân học vụ số” của phường, và để người quản lý đơn vị của tôi biết tôi \
                  đã có chứng nhận hay chưa.",
        required: true,
    },
    Purpose {
        code: "notices",
        text_vi: "Tôi muốn nhận thư hoặc tin nhắn nhắc học và báo khi có khoá học mới \
                  (có thể tắt bất cứ lúc nào).",
        required: false,
    },
];

pub fn purpose(code: &str) -> Option<&'static Purpose> {
    PURPOSES.iter().find(|p| p.code == code)
}

/// Who gave a consent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GivenBy {
    /// The person themself.
    Person,
    /// A parent or guardian, for a child under 16.
    Guardian,
}

impl GivenBy {
    pub fn as_str(self) -> &'static str {
        match self {
            GivenBy::Person => "self",
            GivenBy::Guardian => "guardian",
        }
    }
}

/// A stored consent decision.
#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = consents)]
pub struct Consent {
    pub id: i64,
    pub user_id: i64,
    pub purpose: String,
    pub version: String,
    pub granted: bool,
    pub given_by: String,
    pub guardian_name: Option<String>,
    pub recorded_by: Option<i64>,
    pub at: NaiveDateTime,
}

/// Records one decision per purpose (granted or not) at the same moment.
pub fn record(
    conn: &mut DbConn,
    user_id: i64,
    decisions: &[(&str, bool)],
    given_by: GivenBy,
    guardian_name: Option<&str>,
    recorded_by: Option<i64>,
) -> QueryResult<()> {
    let at = now();
    // One statement per purpose: batch inserts are not available on the two-backend
    // connection, and there are only a few purposes.
    for (purpose, granted) in decisions {
        diesel::insert_into(consents::table)
            .values((
                consents::user_id.eq(user_id),
                consents::purpose.eq(*purpose),
                consents::version.eq(VERSION),
                consents::granted.eq(*granted),
                consents::given_by.eq(given_by.as_str()),
                consents::guardian_name.eq(guardian_name),
                consents::recorded_by.eq(recorded_by),
                consents::at.eq(at),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Every decision a person (or their guardian) made, oldest first.
pub fn history(conn: &mut DbConn, user_id: i64) -> QueryResult<Vec<Consent>> {
    consents::table
        .filter(consents::user_id.eq(user_id))
        .select(Consent::as_select())
        .order((consents::at, consents::id))
        .load(conn)
}

/// The latest decision per purpose: whether it is granted now.
pub fn current(conn: &mut DbConn, user_id: i64) -> QueryResult<Vec<Consent>> {
    let mut latest: Vec<Consent> = Vec::new();
    for c in history(conn, user_id)? {
        match latest.iter_mut().find(|l| l.purpose == c.purpose) {
            Some(l) => *l = c,
            None => latest.push(c),
        }
    }
    Ok(latest)
}

/// What a change of the optional purposes did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// The decisions that differ from the current ones were recorded (possibly none).
    Saved(usize),
    /// A child asked for a new permission: that needs their parent or guardian, so nothing was
    /// recorded.
    NeedsGuardian,
}

/// Records the person's new decisions on optional purposes (`wanted`: code and granted), one
/// row for each that differs from the current decision; required purposes are ignored (leaving
/// them means deleting the account). A `child` may withdraw alone, but a new permission needs
/// their parent or guardian (Law 91/2025/QH15, Art. 24(2)). Call inside a write transaction.
pub fn change_optional(
    conn: &mut DbConn,
    user_id: i64,
    wanted: &[(&str, bool)],
    child: bool,
) -> QueryResult<Change> {
    let now = current(conn, user_id)?;
    let changes: Vec<(&str, bool)> = wanted
        .iter()
        .filter(|(code, _)| purpose(code).is_some_and(|p| !p.required))
        .filter(|(code, granted)| {
            let before = now
                .iter()
                .find(|c| c.purpose == *code)
                .is_some_and(|c| c.granted);
            before != *granted
        })
        .copied()
        .collect();
    if child && changes.iter().any(|(_, granted)| *granted) {
        return Ok(Change::NeedsGuardian);
    }
    if !changes.is_empty() {
        record(conn, user_id, &changes, GivenBy::Person, None, None)?;
    }
    Ok(Change::Saved(changes.len()))
}

/// The age under which a parent or guardian gives consent: a child ("trẻ em") is a person
/// under 16 (Law on Children 2016, Art. 1), and for a child the legal representative exercises
/// the data subject's rights (Law 91/2025/QH15, Art. 24(2)). The same paragraph asks the
/// consent of both the child (from 7) and the representative to make a child's private life
/// public; the repealed Decree 13/2023, Art. 20(2), asked both for any processing. We take the
/// protective reading: the child's own decisions are recorded too, whatever their age, beside
/// the guardian's. See the README, "Personal data".
pub const GUARDIAN_AGE: i32 = 16;

/// Whether a person born in `birth_year` needs a guardian's consent in `year`. Only the birth
/// year is known, so a person who turns 16 this year may still be 15 today: they need a
/// guardian too (the rule errs on the child's side).
pub fn needs_guardian(birth_year: i32, year: i32) -> bool {
    year - birth_year <= GUARDIAN_AGE
}

/// The name of the form field (checkbox) of a purpose at registration and on the consent page.
pub fn field_name(code: &str) -> Option<&'static str> {
    match code {
        "learning" => Some("consent_learning"),
        "reports" => Some("consent_reports"),
        "notices" => Some("consent_notices"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_purpose_has_a_form_field_and_plain_wording() {
        for p in PURPOSES {
            assert!(field_name(p.code).is_some(), "{}", p.code);
            assert!(p.text_vi.starts_with("Tôi "), "{}", p.code);
        }
        assert!(PURPOSES.iter().any(|p| !p.required));
    }

    #[test]
    fn a_guardian_is_needed_while_the_person_may_be_under_16() {
        assert!(needs_guardian(2016, 2026)); // 9 or 10
        assert!(needs_guardian(2011, 2026)); // 14 or 15
        assert!(needs_guardian(2010, 2026)); // 15 before the birthday, 16 after
        assert!(!needs_guardian(2009, 2026)); // 16 or 17
        assert!(!needs_guardian(1958, 2026));
    }
}
