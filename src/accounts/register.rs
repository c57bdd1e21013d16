//! The registration form: what was typed, and the rules each field must meet. Field errors
//! are shown beside the field; what was typed is kept (never the password).

use chrono::Datelike;
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::contact::Contact;
use super::password;
use crate::forms::FieldErrors;
use crate::groups::Group;

/// The version of the consent wording shown at registration; stored with the consent.
pub const CONSENT_VERSION: &str = "2026-11-v1";

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
    #[serde(default)]
    pub consent: Option<String>,
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
    pub fn validate(&self) -> Result<ValidRegistration, FieldErrors> {
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
        let personal = [self.full_name.as_str(), self.contact.as_str()];
        if let Err(msg) = password::check_policy(&self.password, &personal) {
            errors.add("password", msg);
        } else if self.password != self.password_confirm {
            errors.add(
                "password_confirm",
                "Hai mật khẩu chưa giống nhau. Hãy nhập lại.",
            );
        }
        if self.consent.is_none() {
            errors.add(
                "consent",
                "Bạn cần đồng ý để chúng tôi lưu thông tin học tập của bạn.",
            );
        }
        match (full_name, contact, birth_year, group, unit_id) {
            (Ok(full_name), Ok(contact), Ok(birth_year), Ok(group), Ok(unit_id))
                if errors.is_empty() =>
            {
                Ok(ValidRegistration {
                    full_name,
                    contact,
                    password: self.password.clone(),
                    birth_year,
                    group,
                    unit_id,
                })
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
            consent: Some("yes".into()),
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
            consent: None,
        };
        let errors = bad.validate().unwrap_err();
        for field in [
            "full_name",
            "contact",
            "password",
            "birth_year",
            "target_group",
            "unit_id",
            "consent",
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
}
