//! The form an administrator fills in to edit a person's details: the text as typed, its
//! rules, and the message shown beside each field. A citizen ID typed here is only turned
//! into its keyed hash and last three digits: it is never kept, shown again or logged (the
//! form has no `Debug`, and the number is left out when the form is shown again).

use serde::{Deserialize, Serialize};

use super::citizen_id::CitizenId;
use super::manage::{CitizenIdChange, Edit, EditError};
use super::phone::Phone;
use super::register::{SEXES, clean_name, parse_birth_year};
use super::{Contact, User};
use crate::forms::FieldErrors;
use crate::groups::Group;

/// The edit form as typed. Every field is text so that it can be shown again.
#[derive(Default, Clone, Deserialize, Serialize)]
pub struct EditForm {
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub birth_year: String,
    #[serde(default)]
    pub sex: String,
    #[serde(default)]
    pub target_group: String,
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub residence_unit_id: String,
    /// `keep`, `clear` or `set`.
    #[serde(default)]
    pub citizen_id_action: String,
    /// The new number, when one is typed. Never serialized, so never shown again.
    #[serde(default, skip_serializing)]
    pub citizen_id: String,
}

fn id_text(id: Option<i64>) -> String {
    id.map(|i| i.to_string()).unwrap_or_default()
}

fn optional_id(text: &str) -> Result<Option<i64>, ()> {
    match text.trim() {
        "" => Ok(None),
        t => t.parse::<i64>().map(Some).map_err(|_| ()),
    }
}

impl EditForm {
    /// The form filled with the person's current details.
    pub fn from_user(user: &User) -> EditForm {
        EditForm {
            full_name: user.full_name.clone(),
            phone: user
                .phone
                .as_deref()
                .map(Phone::display_local)
                .unwrap_or_default(),
            email: user.email.clone().unwrap_or_default(),
            birth_year: user.birth_year.to_string(),
            sex: user.sex.clone().unwrap_or_default(),
            target_group: user.target_group.clone(),
            unit_id: id_text(user.unit_id),
            residence_unit_id: id_text(user.residence_unit_id),
            citizen_id_action: "keep".into(),
            citizen_id: String::new(),
        }
    }

    /// Checks every field; each problem is reported beside its field. `key` is the
    /// citizen-ID key (`Keys::derive("citizen-id")`).
    pub fn validate(&self, key: &[u8; 32]) -> Result<Edit, FieldErrors> {
        let mut errors = FieldErrors::new();
        let full_name = clean_name(&self.full_name).map_err(|e| errors.add("full_name", e));
        let (phone, email) = self.contacts(&mut errors);
        let birth_year =
            parse_birth_year(&self.birth_year).map_err(|e| errors.add("birth_year", e));
        let sex = match self.sex.trim() {
            "" => None,
            s if SEXES.iter().any(|(code, _)| *code == s) => Some(s.to_owned()),
            _ => {
                errors.add("sex", "Hãy chọn Nam, Nữ hoặc Không muốn nêu.");
                None
            }
        };
        let group = Group::parse(&self.target_group)
            .map_err(|_| errors.add("target_group", "Hãy chọn một nhóm trong danh sách."));
        let unit_id = optional_id(&self.unit_id)
            .map_err(|_| errors.add("unit_id", "Hãy chọn đơn vị trong danh sách."));
        let residence_unit_id = optional_id(&self.residence_unit_id)
            .map_err(|_| errors.add("residence_unit_id", "Hãy chọn tổ dân phố trong danh sách."));
        let citizen_id = self
            .citizen_id_change(key)
            .map_err(|e| errors.add("citizen_id", e));
        let (Ok(full_name), Ok(birth_year), Ok(group), Ok(unit_id), Ok(residence_unit_id)) =
            (full_name, birth_year, group, unit_id, residence_unit_id)
        else {
            return Err(errors);
        };
        let (Ok(phone), Ok(email), Ok(citizen_id), true) =
            (phone, email, citizen_id, errors.is_empty())
        else {
            return Err(errors);
        };
        Ok(Edit {
            full_name,
            phone,
            email,
            birth_year,
            sex,
            group,
            unit_id,
            residence_unit_id,
            citizen_id,
        })
    }

    /// The phone (E.164) and e-mail (lower case), each optional.
    fn contacts(
        &self,
        errors: &mut FieldErrors,
    ) -> (Result<Option<String>, ()>, Result<Option<String>, ()>) {
        let phone = match self.phone.trim() {
            "" => Ok(None),
            typed => Phone::parse(typed)
                .map(|p| Some(p.as_e164().to_owned()))
                .map_err(|e| errors.add("phone", e)),
        };
        let email = match self.email.trim() {
            "" => Ok(None),
            typed => match Contact::parse(typed) {
                Ok(Contact::Email(e)) => Ok(Some(e)),
                _ => {
                    errors.add("email", "Email chưa đúng, ví dụ: ten.ban@gmail.com");
                    Err(())
                }
            },
        };
        (phone, email)
    }

    /// What to do with the citizen ID: a typed number is set (unless "clear" was chosen too).
    fn citizen_id_change(&self, key: &[u8; 32]) -> Result<CitizenIdChange, &'static str> {
        let typed = self.citizen_id.trim();
        match (self.citizen_id_action.as_str(), typed.is_empty()) {
            ("clear", true) => Ok(CitizenIdChange::Clear),
            ("clear", false) => {
                Err("Bạn vừa chọn xoá số định danh vừa nhập số mới. Hãy chọn một trong hai.")
            }
            ("" | "keep", true) => Ok(CitizenIdChange::Keep),
            ("" | "keep" | "set", _) => {
                let id = CitizenId::parse(typed)?;
                Ok(CitizenIdChange::Set {
                    hash: id.keyed_hash(key),
                    tail: id.tail(),
                })
            }
            _ => Err("Hãy chọn giữ nguyên, xoá, hoặc nhập số định danh mới."),
        }
    }
}

/// The form field and message for an edit refused by the database checks; `None` for a
/// database failure (an internal error).
pub fn edit_error_message(e: &EditError) -> Option<(&'static str, &'static str)> {
    Some(match e {
        EditError::Taken("email") => (
            "email",
            "Email này đã có tài khoản khác dùng. Hãy kiểm tra lại.",
        ),
        EditError::Taken("citizen_id") => (
            "citizen_id",
            "Số định danh này đã gắn với một tài khoản khác. Hãy kiểm tra lại.",
        ),
        EditError::Taken(_) => (
            "phone",
            "Số điện thoại này đã có tài khoản khác dùng. Hãy kiểm tra lại.",
        ),
        EditError::NoLogin => (
            "phone",
            "Người này không có tên đăng nhập: cần giữ số điện thoại hoặc email để họ đăng nhập.",
        ),
        EditError::NoSuchUnit("residence_unit_id") => (
            "residence_unit_id",
            "Tổ dân phố này không còn trong danh sách. Hãy chọn lại.",
        ),
        EditError::NoSuchUnit(_) => (
            "unit_id",
            "Đơn vị này không còn trong danh sách. Hãy chọn lại.",
        ),
        EditError::Db(_) => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> EditForm {
        EditForm {
            full_name: " Lê  Thị Hoa ".into(),
            phone: "0912 345 678".into(),
            email: "Hoa@Example.vn".into(),
            birth_year: "1960".into(),
            sex: "nu".into(),
            target_group: "elderly".into(),
            citizen_id_action: "keep".into(),
            ..EditForm::default()
        }
    }

    #[test]
    fn a_good_form_is_cleaned() {
        let edit = good().validate(&[1; 32]).unwrap();
        assert_eq!(edit.full_name, "Lê Thị Hoa");
        assert_eq!(edit.phone.as_deref(), Some("+84912345678"));
        assert_eq!(edit.email.as_deref(), Some("hoa@example.vn"));
        assert_eq!(edit.citizen_id, CitizenIdChange::Keep);
        assert_eq!(edit.unit_id, None);
    }

    #[test]
    fn each_wrong_field_gets_its_message() {
        let form = EditForm {
            phone: "12345".into(),
            email: "no-at-sign".into(),
            birth_year: "58".into(),
            sex: "x".into(),
            target_group: "".into(),
            unit_id: "abc".into(),
            citizen_id_action: "set".into(),
            citizen_id: "123".into(),
            ..good()
        };
        let errors = form.validate(&[1; 32]).err().unwrap();
        for field in [
            "phone",
            "email",
            "birth_year",
            "sex",
            "target_group",
            "unit_id",
            "citizen_id",
        ] {
            assert!(errors.get(field).is_some(), "{field}");
        }
        assert!(errors.get("full_name").is_none());
    }

    #[test]
    fn a_typed_citizen_id_is_only_hashed_and_never_shown_again() {
        let form = EditForm {
            citizen_id: "031 204 001 234".into(),
            ..good()
        };
        let Ok(Edit {
            citizen_id: CitizenIdChange::Set { hash, tail },
            ..
        }) = form.validate(&[1; 32])
        else {
            panic!("a typed number is set");
        };
        assert_eq!(tail, "234");
        assert!(!hash.contains("031204001234"));
        let shown = serde_json::to_string(&form).unwrap();
        assert!(!shown.contains("001"), "{shown}");
        let both = EditForm {
            citizen_id_action: "clear".into(),
            ..form
        };
        assert!(both.validate(&[1; 32]).is_err());
    }
}
