//! The registration form a helper fills in with a resident: every field as typed (so that a
//! wrong field keeps what was typed, with the message beside it) and its rules: name, phone
//! (optional), birth year, group, tổ dân phố, consents ticked per purpose, and a parent or
//! guardian for a child under 16.

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use crate::accounts::Contact;
use crate::accounts::register::{clean_name, parse_birth_year};
use crate::forms::FieldErrors;
use crate::groups::Group;
use crate::privacy::consent::{self, PURPOSES};

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
    /// Ticked when the helper confirms that a resident with the same name, birth year and
    /// tổ dân phố they registered before is another person.
    #[serde(default)]
    pub same_name_ok: String,
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
    /// The helper confirmed this is not a resident they registered before under the same name.
    pub same_name_ok: bool,
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
                    same_name_ok: !self.same_name_ok.is_empty(),
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
