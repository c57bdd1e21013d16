//! Citizen ID numbers (CCCD, 12 digits; the old CMND, 9 digits). A number is never stored or
//! logged in clear: only a keyed hash (to match VNeID confirmations and rosters) and its last
//! three digits (to show it masked, `•••••••••123`).

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// A checked citizen ID number. Its `Debug` shows only the masked form, so it cannot leak
/// into a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct CitizenId(String);

impl std::fmt::Debug for CitizenId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CitizenId({})", mask(&self.tail()))
    }
}

impl CitizenId {
    /// Reads a number typed with or without spaces, dots or dashes.
    pub fn parse(input: &str) -> Result<CitizenId, &'static str> {
        let digits: String = input
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-'))
            .collect();
        if digits.is_empty() {
            return Err("Số định danh (CCCD) đang trống.");
        }
        if !digits.bytes().all(|b| b.is_ascii_digit()) || !matches!(digits.len(), 9 | 12) {
            return Err("Số định danh (CCCD) phải có 12 chữ số (hoặc CMND cũ 9 chữ số).");
        }
        Ok(CitizenId(digits))
    }

    /// The keyed hash stored in place of the number (HMAC-SHA-256, hex). The key comes from
    /// the server's seed (`Keys::derive("citizen-id")`), so a leaked database alone cannot be
    /// matched against a list of numbers.
    pub fn keyed_hash(&self, key: &[u8; 32]) -> String {
        // HMAC accepts keys of any length, so this cannot fail.
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key)
            .unwrap_or_else(|_| unreachable!("HMAC takes any key length"));
        mac.update(self.0.as_bytes());
        crate::keys::hex(&mac.finalize().into_bytes())
    }

    /// The last three digits, kept to show the number masked.
    pub fn tail(&self) -> String {
        self.0[self.0.len() - 3..].to_owned()
    }
}

/// How a stored tail is shown: nine dots and the last three digits.
pub fn mask(tail: &str) -> String {
    format!("•••••••••{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_with_separators_and_checked() {
        let id = CitizenId::parse("031 204.001-234").unwrap();
        assert_eq!(id.tail(), "234");
        assert!(CitizenId::parse("12345").is_err());
        assert!(CitizenId::parse("03120400123a").is_err());
        assert!(CitizenId::parse("").is_err());
        assert!(CitizenId::parse("123456789").is_ok());
    }

    #[test]
    fn a_refused_number_is_never_repeated_in_the_message() {
        // Import and form messages quote this text, and import summaries reach the audit log.
        for typed in ["03120400123", "0312040012345", "03120400123x", "031 204 00"] {
            let message = CitizenId::parse(typed).unwrap_err();
            let digits: Vec<bool> = message.chars().map(|c| c.is_ascii_digit()).collect();
            assert!(
                !digits.windows(3).any(|w| w.iter().all(|d| *d)),
                "no run of digits: {message}"
            );
        }
    }

    #[test]
    fn the_number_never_shows_in_debug_output_and_hashes_depend_on_the_key() {
        let id = CitizenId::parse("031204001234").unwrap();
        assert_eq!(format!("{id:?}"), "CitizenId(•••••••••234)");
        let a = id.keyed_hash(&[1; 32]);
        assert_eq!(a, id.keyed_hash(&[1; 32]));
        assert_ne!(a, id.keyed_hash(&[2; 32]));
        assert!(!a.contains("031204001234"));
    }
}
