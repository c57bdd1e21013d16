//! Vietnamese phone numbers, normalised so that 0912…, +84912…, 84 912… and 0912.345.678
//! are the same person.

use std::fmt;

/// A Vietnamese phone number in E.164 form (`+84` and 9 or 10 digits).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone(String);

impl Phone {
    /// Accepts local (`0…`) and international (`+84…`, `0084…`, `84…`) forms with spaces,
    /// dots, dashes or brackets. Mobile numbers have 9 digits after the country code and start
    /// with 3, 5, 7, 8 or 9; landlines have 10 and start with 2.
    pub fn parse(input: &str) -> Result<Phone, &'static str> {
        let cleaned: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '\u{a0}'))
            .collect();
        let national = if let Some(rest) = cleaned.strip_prefix("+84") {
            rest
        } else if let Some(rest) = cleaned.strip_prefix("0084") {
            rest
        } else if let Some(rest) = cleaned.strip_prefix('0') {
            rest
        } else if cleaned.starts_with("84") && cleaned.len() >= 11 {
            &cleaned[2..]
        } else {
            return Err("Số điện thoại cần bắt đầu bằng 0 hoặc +84, ví dụ 0912 345 678.");
        };
        let national = national.strip_prefix('0').unwrap_or(national);
        if !national.chars().all(|c| c.is_ascii_digit()) {
            return Err("Số điện thoại chỉ gồm chữ số, ví dụ 0912 345 678.");
        }
        let ok = match national.chars().next() {
            Some('3' | '5' | '7' | '8' | '9') => national.len() == 9,
            Some('2') => national.len() == 10,
            _ => false,
        };
        if !ok {
            return Err("Số điện thoại chưa đúng: số di động có 10 chữ số, ví dụ 0912 345 678.");
        }
        Ok(Phone(format!("+84{national}")))
    }

    /// The stored form, `+84912345678`.
    pub fn as_e164(&self) -> &str {
        &self.0
    }

    /// The form people read, `0912 345 678`.
    pub fn display_local(stored: &str) -> String {
        let national = stored.strip_prefix("+84").unwrap_or(stored);
        let local = format!("0{national}");
        if local.len() == 10 {
            format!("{} {} {}", &local[..4], &local[4..7], &local[7..])
        } else {
            local
        }
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&Phone::display_local(&self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::Phone;

    #[test]
    fn all_common_ways_of_writing_a_number_are_the_same_person() {
        let expected = "+84912345678";
        for input in [
            "0912345678",
            "0912 345 678",
            "0912.345.678",
            "0912-345-678",
            "+84912345678",
            "+84 912 345 678",
            "84912345678",
            "0084912345678",
            "+840912345678",
            "(+84) 912.345.678",
        ] {
            assert_eq!(Phone::parse(input).unwrap().as_e164(), expected, "{input}");
        }
    }

    #[test]
    fn landlines_have_ten_digits_after_the_country_code() {
        assert_eq!(
            Phone::parse("0225 3880 123").unwrap().as_e164(),
            "+842253880123"
        );
    }

    #[test]
    fn wrong_numbers_are_refused_with_a_reason() {
        for input in [
            "",
            "12345",
            "091234567",
            "09123456789",
            "0112345678",
            "09a2345678",
        ] {
            assert!(Phone::parse(input).is_err(), "{input}");
        }
    }

    #[test]
    fn numbers_are_shown_in_the_local_form() {
        assert_eq!(
            Phone::parse("+84912345678").unwrap().to_string(),
            "0912 345 678"
        );
    }
}
