//! Newtypes for the names teachers choose: `Slug` (course folders and lesson files) and
//! `QuestionId` (the `## id` of a question). Each has `parse()` and tests beside it.

use std::fmt;

/// Lower-case ASCII letters, digits and `-`, not starting or ending with `-`, no `--`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Slug(String);

/// Why a slug was refused; `Display` is the message shown to teachers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SlugError {
    #[error("name is empty")]
    Empty,
    #[error(
        "\"{0}\" may only use lower-case letters without diacritics, digits and -, like an-toan-mat-khau"
    )]
    BadCharacters(String),
    #[error("\"{0}\" must not start or end with - or contain --")]
    BadDashes(String),
}

impl Slug {
    pub fn parse(s: &str) -> Result<Self, SlugError> {
        if s.is_empty() {
            return Err(SlugError::Empty);
        }
        if !s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err(SlugError::BadCharacters(s.to_string()));
        }
        if s.starts_with('-') || s.ends_with('-') || s.contains("--") {
            return Err(SlugError::BadDashes(s.to_string()));
        }
        Ok(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A question id: 1 to 64 ASCII letters, digits, `-` or `_` (e.g. `mk-01`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QuestionId(String);

/// Why a question id was refused; `Display` is the message shown to teachers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuestionIdError {
    #[error("the question has no id; write one after ##, like ## mk-01")]
    Empty,
    #[error(
        "invalid question id \"{0}\"; use letters without diacritics, digits, - or _ (at most 64), like mk-01"
    )]
    Invalid(String),
}

impl QuestionId {
    pub fn parse(s: &str) -> Result<Self, QuestionIdError> {
        if s.is_empty() {
            return Err(QuestionIdError::Empty);
        }
        let ok_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
        if s.len() > 64 || !s.chars().all(ok_char) {
            return Err(QuestionIdError::Invalid(s.to_string()));
        }
        Ok(Self(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_accept_lower_case_digits_and_dashes() {
        assert_eq!(
            Slug::parse("an-toan-mat-khau-2").map(|s| s.to_string()),
            Ok("an-toan-mat-khau-2".to_string())
        );
    }

    #[test]
    fn slugs_refuse_capitals_diacritics_spaces_and_bad_dashes() {
        assert_eq!(Slug::parse(""), Err(SlugError::Empty));
        for bad in ["An-toan", "an toan", "an-toàn", "an_toan"] {
            assert!(matches!(Slug::parse(bad), Err(SlugError::BadCharacters(_))));
        }
        for bad in ["-a", "a-", "a--b"] {
            assert!(matches!(Slug::parse(bad), Err(SlugError::BadDashes(_))));
        }
    }

    #[test]
    fn slug_messages_read_well() {
        assert_eq!(
            SlugError::BadCharacters("An Toàn".into()).to_string(),
            "\"An Toàn\" may only use lower-case letters without diacritics, digits and -, like an-toan-mat-khau"
        );
        assert_eq!(
            SlugError::BadDashes("a-".into()).to_string(),
            "\"a-\" must not start or end with - or contain --"
        );
        assert_eq!(SlugError::Empty.to_string(), "name is empty");
    }

    #[test]
    fn question_ids_accept_letters_digits_dash_underscore() {
        assert!(QuestionId::parse("mk-01").is_ok());
        assert!(QuestionId::parse("MK_01").is_ok());
        assert_eq!(QuestionId::parse(""), Err(QuestionIdError::Empty));
        assert!(QuestionId::parse("câu 1").is_err());
        assert!(QuestionId::parse(&"x".repeat(65)).is_err());
    }

    #[test]
    fn question_id_messages_read_well() {
        assert_eq!(
            QuestionIdError::Invalid("câu 1".into()).to_string(),
            "invalid question id \"câu 1\"; use letters without diacritics, digits, - or _ (at most 64), like mk-01"
        );
        assert_eq!(
            QuestionIdError::Empty.to_string(),
            "the question has no id; write one after ##, like ## mk-01"
        );
    }
}
