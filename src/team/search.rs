//! Which residents a helper's list shows: those the viewer may see (see [`super::may_see`]),
//! newest first, and among them those a search names. A search ignores case and diacritics
//! (dấu), so "nguyen thi lan" finds "Nguyễn Thị Lan" on both databases, and also matches the
//! login name, email or phone number printed on the resident's slip.

use diesel::prelude::*;

use crate::accounts::phone::Phone;
use crate::accounts::{Role, User};
use crate::content::normalize_answer;
use crate::db::DbConn;
use crate::db::schema::users;

/// Residents shown on one page at most.
pub const PAGE: usize = 200;

/// What a search is compared with: (id, full name, phone, email, login name).
type Row = (i64, String, Option<String>, Option<String>, Option<String>);

/// The ids of the residents `viewer` may see whose name, login or phone contains `text`
/// (all of them when `text` is blank), newest first, at most [`PAGE`].
pub fn find(conn: &mut DbConn, viewer: &User, text: &str) -> QueryResult<Vec<i64>> {
    let mut query = users::table
        .filter(users::deleted_at.is_null())
        .filter(users::role.eq(Role::Learner.as_str()))
        .filter(users::channel.eq("helper"))
        .filter(users::registered_by.is_not_null())
        .filter(users::id.ne(viewer.id))
        .into_boxed();
    query = match viewer.role() {
        Role::Admin => query,
        Role::Helper => query.filter(users::registered_by.eq(viewer.id)),
        _ => return Ok(Vec::new()),
    };
    let query = query.order(users::id.desc());
    let wanted = Wanted::new(text);
    if wanted.is_empty() {
        return query.select(users::id).limit(PAGE as i64).load(conn);
    }
    let rows: Vec<Row> = query
        .select((
            users::id,
            users::full_name,
            users::phone,
            users::email,
            users::username,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter(|row| wanted.matches(row))
        .map(|(id, ..)| id)
        .take(PAGE)
        .collect())
}

/// A search as typed, folded once.
struct Wanted {
    /// Lower case, diacritics folded, spaces collapsed.
    words: String,
    /// The digits typed, when there are at least three (a phone number, or part of one).
    digits: Option<String>,
}

impl Wanted {
    fn new(text: &str) -> Wanted {
        let digits: String = text.chars().filter(char::is_ascii_digit).collect();
        Wanted {
            words: normalize_answer(text, true),
            digits: (digits.len() >= 3).then_some(digits),
        }
    }

    fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    fn matches(&self, (_, name, phone, email, login): &Row) -> bool {
        let folded = |s: &str| normalize_answer(s, true);
        let phone_matches = match (&self.digits, phone) {
            (Some(digits), Some(phone)) => {
                let local: String = Phone::display_local(phone)
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect();
                local.contains(digits.as_str())
            }
            _ => false,
        };
        folded(name).contains(&self.words)
            || [email, login]
                .into_iter()
                .flatten()
                .any(|s| folded(s).contains(&self.words))
            || phone_matches
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, phone: Option<&str>, login: Option<&str>) -> Row {
        (
            1,
            name.into(),
            phone.map(Into::into),
            None,
            login.map(Into::into),
        )
    }

    #[test]
    fn case_and_diacritics_do_not_matter() {
        let lan = row("Nguyễn Thị Lan", None, Some("hv1234"));
        for typed in ["nguyen thi lan", "NGUYỄN", "  thị   lan ", "Lan", "HV12"] {
            assert!(Wanted::new(typed).matches(&lan), "{typed}");
        }
        assert!(!Wanted::new("Hoa").matches(&lan));
    }

    #[test]
    fn a_phone_is_found_however_it_is_written() {
        let bon = row("Trần Văn Bốn", Some("+84912000111"), None);
        for typed in ["0912 000 111", "0912000111", "000111", "912"] {
            assert!(Wanted::new(typed).matches(&bon), "{typed}");
        }
        assert!(!Wanted::new("0913").matches(&bon));
    }
}
