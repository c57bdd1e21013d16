//! How a person is reached and logs in: a phone number or an email address.

use super::phone::Phone;

/// A login: either a normalised phone number or a lower-cased email address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Contact {
    Phone(Phone),
    Email(String),
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
}
