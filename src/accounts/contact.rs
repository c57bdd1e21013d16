//! How a person is reached and logs in: a phone number, an email address, or (for accounts
//! made from a roster or by a helper, for people without either) a login name like `hv48213`.

use super::phone::Phone;

/// A login: either a normalised phone number or a lower-cased email address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Contact {
    Phone(Phone),
    Email(String),
    /// A login name given by the system (lower-case letters then digits).
    Username(String),
}

impl Contact {
    /// Anything with `@` is read as an email, anything else as a phone number.
    pub fn parse(input: &str) -> Result<Contact, &'static str> {
        let input = input.trim();
        if input.is_empty() {
            return Err("Hãy nhập số điện thoại hoặc email.");
        }
        if input.contains('@') {
            let email = input.to_lowercase();
            if email.len() <= 254 && email_address::EmailAddress::is_valid(&email) {
                Ok(Contact::Email(email))
            } else {
                Err("Email chưa đúng, ví dụ: ten.ban@gmail.com")
            }
        } else {
            Phone::parse(input).map(Contact::Phone)
        }
    }

    /// What a person may type to log in: a phone number, an email, or a login name.
    pub fn parse_login(input: &str) -> Result<Contact, &'static str> {
        let name = input.trim().to_lowercase();
        if is_username(&name) {
            return Ok(Contact::Username(name));
        }
        Contact::parse(input)
    }

    /// The `(phone, email, username)` columns of an account with this login.
    pub fn columns(&self) -> (Option<String>, Option<String>, Option<String>) {
        match self {
            Contact::Phone(p) => (Some(p.as_e164().to_owned()), None, None),
            Contact::Email(e) => (None, Some(e.clone()), None),
            Contact::Username(u) => (None, None, Some(u.clone())),
        }
    }

    /// The text stored for this login (E.164 phone, lower-case email, or login name).
    pub fn key(&self) -> &str {
        match self {
            Contact::Phone(p) => p.as_e164(),
            Contact::Email(e) | Contact::Username(e) => e,
        }
    }
}

/// A login name: 2 to 8 lower-case ASCII letters, then 3 to 12 digits (`hv48213`, `hs2026001`).
pub fn is_username(s: &str) -> bool {
    let letters = s.bytes().take_while(u8::is_ascii_lowercase).count();
    let digits = &s.as_bytes()[letters..];
    (2..=8).contains(&letters)
        && (3..=12).contains(&digits.len())
        && digits.iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_lower_cased_and_phones_normalised() {
        assert_eq!(
            Contact::parse(" Lan.Nguyen@Gmail.com ").unwrap(),
            Contact::Email("lan.nguyen@gmail.com".into())
        );
        assert!(matches!(
            Contact::parse("0912 345 678"),
            Ok(Contact::Phone(_))
        ));
        assert!(Contact::parse("lan@").is_err());
        assert!(Contact::parse("").is_err());
    }

    #[test]
    fn login_names_are_read_only_where_a_login_is_typed() {
        assert_eq!(
            Contact::parse_login(" HV48213 ").unwrap(),
            Contact::Username("hv48213".into())
        );
        assert!(Contact::parse("hv48213").is_err());
        assert!(matches!(
            Contact::parse_login("0912345678"),
            Ok(Contact::Phone(_))
        ));
        assert!(!is_username("h123"));
        assert!(!is_username("hv12"));
        assert!(!is_username("hv12a3"));
    }
}
