//! A helper registers a resident on the spot: the form as typed, its rules, and the account
//! it creates (a learner with a one-time password, `channel = 'helper'`, the consents read
//! aloud and recorded by the helper).

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::accounts::register::{clean_name, parse_birth_year};
use crate::accounts::{Contact, Role, slip};
use crate::db::schema::{units, users};
use crate::db::{DbConn, now};
use crate::forms::FieldErrors;
use crate::groups::Group;
use crate::privacy::consent::{self, GivenBy, PURPOSES};

/// The form as typed; every field is text so that it can be shown again. Consent boxes
/// arrive as `consent_<purpose>` fields.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct ResidentForm {
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub birth_year: String,
    #[serde(default)]
    pub target_group: String,
    #[serde(default)]
    pub residence_unit_id: String,
    #[serde(default)]
    pub sex: String,
    #[serde(default)]
    pub guardian_name: String,
    #[serde(default)]
    pub guardian_consent: String,
    /// Every other field (the consent boxes among them).
    #[serde(flatten, skip_serializing)]
    pub rest: BTreeMap<String, String>,
}

/// A registration that met every rule.
#[derive(Debug, Clone)]
pub struct ValidResident {
    pub full_name: String,
    /// `None`: the resident has neither phone nor email and gets a login name.
    pub contact: Option<Contact>,
    pub birth_year: i32,
    pub group: Group,
    pub residence_unit_id: i64,
    pub sex: Option<&'static str>,
    /// One decision per purpose, in the order of [`PURPOSES`].
    pub consents: Vec<(&'static str, bool)>,
    /// The parent or guardian who consented, for a child under 16.
    pub guardian_name: Option<String>,
}

impl ResidentForm {
    /// Whether the box for a consent purpose was ticked.
    pub fn consented(&self, code: &str) -> bool {
        self.rest
            .get(&format!("consent_{code}"))
            .is_some_and(|v| !v.is_empty())
    }

    /// Checks every field; each problem is reported beside its field.
    pub fn validate(&self) -> Result<ValidResident, FieldErrors> {
        let mut errors = FieldErrors::new();
        let full_name = clean_name(&self.full_name).map_err(|e| errors.add("full_name", e));
        let contact = match self.phone.trim() {
            "" => Ok(None),
            typed => Contact::parse(typed)
                .map(Some)
                .map_err(|e| errors.add("phone", e)),
        };
        let birth_year =
            parse_birth_year(&self.birth_year).map_err(|e| errors.add("birth_year", e));
        let group = Group::parse(&self.target_group)
            .map_err(|_| errors.add("target_group", "Hãy chọn nhóm của người dân."));
        let residence = self.residence_unit_id.trim().parse::<i64>().map_err(|_| {
            errors.add(
                "residence_unit_id",
                "Hãy chọn tổ dân phố nơi người dân sống.",
            )
        });
        let sex = match self.sex.as_str() {
            "" => None,
            "nam" => Some("nam"),
            "nu" => Some("nu"),
            _ => {
                errors.add("sex", "Hãy chọn Nam, Nữ hoặc Không nêu.");
                None
            }
        };
        let consents: Vec<(&'static str, bool)> = PURPOSES
            .iter()
            .map(|p| (p.code, self.consented(p.code)))
            .collect();
        let missing = PURPOSES
            .iter()
            .any(|p| p.required && !self.consented(p.code));
        if missing {
            errors.add(
                "consent",
                "Người dân cần đồng ý với các mục có dấu * thì mới tạo được tài khoản. \
                 Hãy đọc to từng mục và đánh dấu những mục người dân đồng ý.",
            );
        }
        let guardian_name = match birth_year {
            Ok(year) if consent::needs_guardian(year, chrono::Utc::now().year()) => {
                self.guardian(&mut errors)
            }
            _ => None,
        };
        match (full_name, contact, birth_year, group, residence) {
            (Ok(full_name), Ok(contact), Ok(birth_year), Ok(group), Ok(residence_unit_id))
                if errors.is_empty() =>
            {
                Ok(ValidResident {
                    full_name,
                    contact,
                    birth_year,
                    group,
                    residence_unit_id,
                    sex,
                    consents,
                    guardian_name,
                })
            }
            _ => Err(errors),
        }
    }

    /// The guardian of a child under 16: a name, and their consent ticked.
    fn guardian(&self, errors: &mut FieldErrors) -> Option<String> {
        let name = clean_name(&self.guardian_name)
            .map_err(|_| {
                errors.add(
                    "guardian_name",
                    "Người dưới 16 tuổi cần cha mẹ hoặc người giám hộ đồng ý: hãy nhập họ tên \
                     người đó.",
                )
            })
            .ok();
        if self.guardian_consent.is_empty() {
            errors.add(
                "guardian_consent",
                "Hãy đánh dấu khi cha mẹ hoặc người giám hộ đã đồng ý.",
            );
        }
        name
    }
}

/// Why a resident's account could not be created.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("phone or email already registered")]
    Taken,
    #[error("not a residential group")]
    NoSuchGroup,
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

#[derive(Debug, Insertable)]
#[diesel(table_name = users)]
struct NewResident<'a> {
    full_name: &'a str,
    phone: Option<String>,
    email: Option<String>,
    username: Option<String>,
    password_hash: &'a str,
    birth_year: i32,
    sex: Option<&'a str>,
    target_group: &'a str,
    unit_id: Option<i64>,
    residence_unit_id: Option<i64>,
    role: &'a str,
    must_change_password: bool,
    consent_version: Option<&'a str>,
    consent_at: Option<NaiveDateTime>,
    registered_by: Option<i64>,
    channel: &'a str,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

/// The account made, and what its slip shows.
#[derive(Debug, Clone)]
pub struct Registered {
    pub id: i64,
    /// What the resident types to log in (local phone format, email or login name).
    pub login: String,
    pub unit_name: String,
}

/// The residential groups (tổ dân phố) a resident may live in, by name.
pub fn residential_groups(conn: &mut DbConn) -> QueryResult<Vec<(i64, String)>> {
    units::table
        .filter(units::kind.eq("residential"))
        .select((units::id, units::name))
        .order(units::name)
        .load(conn)
}

/// Creates the resident's account with the consents and an audit entry. Run it inside one
/// write transaction; `password_hash` is the hash of the slip's one-time password.
pub fn create(
    conn: &mut DbConn,
    helper_id: i64,
    valid: &ValidResident,
    password_hash: &str,
) -> Result<Registered, RegisterError> {
    let unit: Option<String> = units::table
        .filter(units::id.eq(valid.residence_unit_id))
        .filter(units::kind.eq("residential"))
        .select(units::name)
        .load(conn)
        .map(crate::db::single)?;
    let unit_name = unit.ok_or(RegisterError::NoSuchGroup)?;
    let contact = match &valid.contact {
        Some(c) => c.clone(),
        None => Contact::Username(slip::new_username(conn)?),
    };
    let (phone, email, username) = contact.columns();
    let at = now();
    let new = NewResident {
        full_name: &valid.full_name,
        phone,
        email,
        username,
        password_hash,
        birth_year: valid.birth_year,
        sex: valid.sex,
        target_group: valid.group.as_str(),
        // Residents (elderly people, adults at home) belong to their tổ dân phố.
        unit_id: Some(valid.residence_unit_id),
        residence_unit_id: Some(valid.residence_unit_id),
        role: Role::Learner.as_str(),
        must_change_password: true,
        consent_version: Some(consent::VERSION),
        consent_at: Some(at),
        registered_by: Some(helper_id),
        channel: "helper",
        created_at: at,
        updated_at: at,
    };
    let id: i64 = diesel::insert_into(users::table)
        .values(&new)
        .returning(users::id)
        .get_result(conn)
        .map_err(|e| {
            if crate::db::is_unique_violation(&e) && valid.contact.is_some() {
                RegisterError::Taken
            } else {
                RegisterError::Db(e)
            }
        })?;
    let given_by = match valid.guardian_name {
        Some(_) => GivenBy::Guardian,
        None => GivenBy::Person,
    };
    consent::record(
        conn,
        id,
        &valid.consents,
        given_by,
        valid.guardian_name.as_deref(),
        Some(helper_id),
    )?;
    crate::audit::record(
        conn,
        helper_id,
        "team.register",
        &format!("user:{id}"),
        None,
        Some(&format!("channel=helper unit={}", valid.residence_unit_id)),
    )?;
    Ok(Registered {
        id,
        login: login_of(&contact),
        unit_name,
    })
}

/// What a person types to log in, as printed on a slip.
pub fn login_of(contact: &Contact) -> String {
    match contact {
        Contact::Phone(p) => crate::accounts::phone::Phone::display_local(p.as_e164()),
        Contact::Email(e) | Contact::Username(e) => e.clone(),
    }
}

/// Gives a resident who has never chosen a password a new one-time password (the old slip
/// stops working), with an audit entry. `false` when the resident has chosen their own
/// password: then only an administrator resets it.
pub fn reset_slip(
    conn: &mut DbConn,
    helper_id: i64,
    resident_id: i64,
    password_hash: &str,
) -> QueryResult<bool> {
    let changed = diesel::update(
        users::table
            .find(resident_id)
            .filter(users::must_change_password.eq(true)),
    )
    .set((
        users::password_hash.eq(password_hash),
        users::session_version.eq(users::session_version + 1),
        users::updated_at.eq(now()),
    ))
    .execute(conn)?;
    if changed == 1 {
        crate::audit::record(
            conn,
            helper_id,
            "team.slip",
            &format!("user:{resident_id}"),
            None,
            Some("one-time password reset"),
        )?;
    }
    Ok(changed == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> ResidentForm {
        let mut rest = BTreeMap::new();
        rest.insert("consent_learning".into(), "yes".into());
        rest.insert("consent_reports".into(), "yes".into());
        ResidentForm {
            full_name: " Trần  Văn Bốn ".into(),
            birth_year: "1950".into(),
            target_group: "elderly".into(),
            residence_unit_id: "3".into(),
            rest,
            ..ResidentForm::default()
        }
    }

    #[test]
    fn a_resident_without_phone_is_valid() {
        let v = good().validate().unwrap();
        assert_eq!(v.full_name, "Trần Văn Bốn");
        assert!(v.contact.is_none());
        assert_eq!(
            v.consents,
            vec![("learning", true), ("reports", true), ("notices", false)]
        );
        assert!(v.guardian_name.is_none());
    }

    #[test]
    fn required_consents_must_be_ticked() {
        let mut f = good();
        f.rest.remove("consent_reports");
        assert!(f.validate().unwrap_err().get("consent").is_some());
    }

    #[test]
    fn a_child_needs_a_guardian() {
        let mut f = good();
        f.birth_year = (chrono::Utc::now().year() - 12).to_string();
        let errors = f.validate().unwrap_err();
        assert!(errors.get("guardian_name").is_some());
        assert!(errors.get("guardian_consent").is_some());
        f.guardian_name = "Lê Thị Mai".into();
        f.guardian_consent = "yes".into();
        assert_eq!(
            f.validate().unwrap().guardian_name.as_deref(),
            Some("Lê Thị Mai")
        );
    }

    #[test]
    fn bad_fields_are_named() {
        let f = ResidentForm {
            phone: "123".into(),
            sex: "x".into(),
            ..ResidentForm::default()
        };
        let errors = f.validate().unwrap_err();
        for field in [
            "full_name",
            "phone",
            "birth_year",
            "target_group",
            "residence_unit_id",
            "sex",
            "consent",
        ] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }
}
