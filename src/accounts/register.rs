//! The registration form: what was typed, and the rules each field must meet. Field errors
//! are shown beside the field; what was typed is kept (never the password).

use chrono::Datelike;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::contact::Contact;
use super::password;
use crate::forms::FieldErrors;
use crate::groups::Group;
use crate::privacy::consent::{self, PURPOSES};

/// The version of the consent wording shown at registration; stored with the consent.
pub const CONSENT_VERSION: &str = crate::privacy::consent::VERSION;

/// The registration form as typed. Every field is text so that it can be shown again.
#[derive(Debug, Default, Clone, Deserialize, Serialize)]
pub struct Registration {
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default, skip_serializing)]
    pub password: String,
    #[serde(default, skip_serializing)]
    pub password_confirm: String,
    #[serde(default)]
    pub birth_year: String,
    #[serde(default)]
    pub target_group: String,
    #[serde(default)]
    pub unit_id: String,
    /// `nam`, `nu`, or empty (not given).
    #[serde(default)]
    pub sex: String,
    /// One checkbox per purpose (`consent::field_name`); absent when not ticked.
    #[serde(default)]
    pub consent_learning: Option<String>,
    #[serde(default)]
    pub consent_reports: Option<String>,
    #[serde(default)]
    pub consent_notices: Option<String>,
    /// For a learner under 16: the parent's or guardian's full name and their checkbox.
    #[serde(default)]
    pub guardian_name: String,
    #[serde(default)]
    pub guardian_consent: Option<String>,
}

/// A registration that met every rule.
#[derive(Debug, Clone)]
pub struct ValidRegistration {
    pub full_name: String,
    pub contact: Contact,
    pub password: String,
    pub birth_year: i32,
    pub group: Group,
    pub unit_id: Option<i64>,
}

/// What the person chose beside the account itself: sex, a decision per purpose, and the
/// guardian who consented for a child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choices {
    /// `nam`, `nu`, or `None` (not given).
    pub sex: Option<String>,
    /// Every purpose of `consent::PURPOSES`, granted or not.
    pub decisions: Vec<(&'static str, bool)>,
    /// Set when the learner is under 16: the parent or guardian who consented.
    pub guardian_name: Option<String>,
}

/// The sexes a person may give (the report breaks down by sex); empty means "not given".
pub const SEXES: &[(&str, &str)] = &[("", "Không muốn nêu"), ("nam", "Nam"), ("nu", "Nữ")];

/// A person's name: trimmed, inner spaces collapsed, Unicode NFC (so "Nguyễn" typed on two
/// keyboards is one spelling).
pub fn clean_name(input: &str) -> Result<String, &'static str> {
    let name: String = input.nfc().collect::<String>();
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    let len = name.chars().count();
    if len < 2 {
        return Err("Hãy nhập họ và tên, ví dụ: Nguyễn Thị Lan.");
    }
    if len > 100 {
        return Err("Họ và tên dài quá 100 ký tự.");
    }
    if name
        .chars()
        .any(|c| c.is_control() || "<>{}[]\\/@#$%^*=|~".contains(c))
    {
        return Err("Họ và tên chỉ gồm chữ cái và dấu cách.");
    }
    Ok(name)
}

/// A birth year between 1900 and the current year.
pub fn parse_birth_year(input: &str) -> Result<i32, &'static str> {
    let this_year = chrono::Utc::now().year();
    match input.trim().parse::<i32>() {
        Ok(y) if (1900..=this_year).contains(&y) => Ok(y),
        _ => Err("Hãy nhập năm sinh đủ 4 chữ số, ví dụ: 1958."),
    }
}

impl Registration {
    /// Whether the checkbox of a purpose was ticked.
    pub fn ticked(&self, code: &str) -> bool {
        match consent::field_name(code) {
            Some("consent_learning") => self.consent_learning.is_some(),
            Some("consent_reports") => self.consent_reports.is_some(),
            Some("consent_notices") => self.consent_notices.is_some(),
            _ => false,
        }
    }

    /// The password meets the policy and was typed the same twice.
    fn check_passwords(&self, errors: &mut FieldErrors) {
        let personal = [self.full_name.as_str(), self.contact.as_str()];
        if let Err(msg) = password::check_policy(&self.password, &personal) {
            errors.add("password", msg);
        } else if self.password != self.password_confirm {
            errors.add(
                "password_confirm",
                "Hai mật khẩu chưa giống nhau. Hãy nhập lại.",
            );
        }
    }

    /// The sex chosen in the list, or `None` when not given.
    fn sex(&self, errors: &mut FieldErrors) -> Option<String> {
        match self.sex.trim() {
            "" => None,
            s if SEXES.iter().any(|(code, _)| *code == s) => Some(s.to_owned()),
            _ => {
                errors.add(
                    "sex",
                    "Hãy chọn trong danh sách, hoặc chọn “Không muốn nêu”.",
                );
                None
            }
        }
    }

    /// The decision on every purpose as ticked; a required one left empty is an error.
    fn decisions(&self, errors: &mut FieldErrors) -> Vec<(&'static str, bool)> {
        let mut decisions = Vec::with_capacity(PURPOSES.len());
        for p in PURPOSES {
            let ticked = self.ticked(p.code);
            if p.required && !ticked {
                if let Some(field) = consent::field_name(p.code) {
                    errors.add(
                        field,
                        "Bạn cần đồng ý việc này thì mới có tài khoản: không có những \
                         thông tin này, Học Vụ Số không thể ghi kết quả học của bạn.",
                    );
                }
            }
            decisions.push((p.code, ticked));
        }
        decisions
    }

    /// For a learner under 16: the parent's or guardian's name, and their box ticked.
    fn guardian(&self, errors: &mut FieldErrors) -> Option<String> {
        if self.guardian_consent.is_none() {
            errors.add(
                "guardian_consent",
                "Người học dưới 16 tuổi: cha, mẹ hoặc người giám hộ cần đánh dấu ô \
                 đồng ý này.",
            );
        }
        match clean_name(&self.guardian_name) {
            Ok(name) => Some(name),
            Err(_) => {
                errors.add(
                    "guardian_name",
                    "Người học dưới 16 tuổi: hãy nhập họ và tên của cha, mẹ hoặc người \
                     giám hộ.",
                );
                None
            }
        }
    }

    /// Checks every field; see `validate_with_choices` for the consents and sex.
    pub fn validate(&self) -> Result<ValidRegistration, FieldErrors> {
        self.validate_with_choices(chrono::Utc::now().year())
            .map(|(valid, _)| valid)
    }

    /// Checks every field, the consent per purpose (each required one ticked) and, for a
    /// learner under 16 in `this_year`, the guardian's name and consent.
    pub fn validate_with_choices(
        &self,
        this_year: i32,
    ) -> Result<(ValidRegistration, Choices), FieldErrors> {
        let mut errors = FieldErrors::new();
        let full_name = clean_name(&self.full_name).map_err(|e| errors.add("full_name", e));
        let contact = Contact::parse(&self.contact).map_err(|e| errors.add("contact", e));
        let birth_year =
            parse_birth_year(&self.birth_year).map_err(|e| errors.add("birth_year", e));
        let group = Group::parse(&self.target_group)
            .ok()
            .ok_or_else(|| errors.add("target_group", "Hãy chọn một nhóm phù hợp với bạn."));
        let unit_id = match self.unit_id.trim() {
            "" => Ok(None),
            id => id
                .parse::<i64>()
                .map(Some)
                .map_err(|_| errors.add("unit_id", "Hãy chọn đơn vị trong danh sách.")),
        };
        self.check_passwords(&mut errors);
        let sex = self.sex(&mut errors);
        let decisions = self.decisions(&mut errors);
        let guardian_name = match birth_year {
            Ok(year) if consent::needs_guardian(year, this_year) => self.guardian(&mut errors),
            _ => None,
        };
        match (full_name, contact, birth_year, group, unit_id) {
            (Ok(full_name), Ok(contact), Ok(birth_year), Ok(group), Ok(unit_id))
                if errors.is_empty() =>
            {
                Ok((
                    ValidRegistration {
                        full_name,
                        contact,
                        password: self.password.clone(),
                        birth_year,
                        group,
                        unit_id,
                    },
                    Choices {
                        sex,
                        decisions,
                        guardian_name,
                    },
                ))
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> Registration {
        Registration {
            full_name: "  Nguyễn   Thị Lan ".into(),
            contact: "0912.345.678".into(),
            password: "sáng nào tôi cũng tưới rau".into(),
            password_confirm: "sáng nào tôi cũng tưới rau".into(),
            birth_year: "1958".into(),
            target_group: "elderly".into(),
            unit_id: String::new(),
            consent_learning: Some("yes".into()),
            consent_reports: Some("yes".into()),
            ..Registration::default()
        }
    }

    #[test]
    fn a_good_registration_is_cleaned() {
        let v = good().validate().unwrap();
        assert_eq!(v.full_name, "Nguyễn Thị Lan");
        assert_eq!(v.group, Group::Elderly);
        assert_eq!(v.birth_year, 1958);
    }

    #[test]
    fn every_bad_field_gets_its_own_message() {
        let bad = Registration {
            full_name: "L".into(),
            contact: "12345".into(),
            password: "123".into(),
            password_confirm: "123".into(),
            birth_year: "58".into(),
            target_group: "aliens".into(),
            unit_id: "x".into(),
            sex: "khac".into(),
            ..Registration::default()
        };
        let errors = bad.validate().unwrap_err();
        for field in [
            "full_name",
            "contact",
            "password",
            "birth_year",
            "target_group",
            "unit_id",
            "sex",
            "consent_learning",
            "consent_reports",
        ] {
            assert!(errors.get(field).is_some(), "{field}");
        }
    }

    #[test]
    fn mismatched_passwords_are_reported_on_the_confirmation() {
        let mut r = good();
        r.password_confirm = "sáng nào tôi cũng tưới hoa".into();
        let errors = r.validate().unwrap_err();
        assert!(errors.get("password_confirm").is_some());
        assert!(errors.get("password").is_none());
    }

    #[test]
    fn optional_purposes_may_be_left_and_are_recorded_as_not_granted() {
        let (_, choices) = good().validate_with_choices(2026).unwrap();
        assert_eq!(
            choices.decisions,
            vec![("learning", true), ("reports", true), ("notices", false)]
        );
        assert_eq!(choices.guardian_name, None);
        assert_eq!(choices.sex, None);
    }

    #[test]
    fn a_child_needs_a_guardian_name_and_consent() {
        let mut r = good();
        r.birth_year = "2014".into();
        let errors = r.validate_with_choices(2026).unwrap_err();
        assert!(errors.get("guardian_name").is_some());
        assert!(errors.get("guardian_consent").is_some());
        r.guardian_name = " Trần  Văn Bình ".into();
        r.guardian_consent = Some("yes".into());
        r.sex = "nu".into();
        let (_, choices) = r.validate_with_choices(2026).unwrap();
        assert_eq!(choices.guardian_name.as_deref(), Some("Trần Văn Bình"));
        assert_eq!(choices.sex.as_deref(), Some("nu"));
    }
}
