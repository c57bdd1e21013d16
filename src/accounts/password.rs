//! Passwords: the rules a new password must meet, and argon2id hashing.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::rngs::OsRng;

pub const MIN_CHARS: usize = 8;
pub const MAX_CHARS: usize = 1024;

/// Passwords people in Vietnam often choose that the general list may miss.
const COMMON_VI: &[&str] = &[
    "matkhau",
    "matkhau123",
    "anhyeuem",
    "emyeuanh",
    "yeuem",
    "iloveyou",
    "vietnam",
    "vietnam123",
    "hocvuso",
    "binhdanhocvuso",
    "duongkinh",
    "haiphong",
    "hanoi",
    "saigon",
    "123456789",
    "12345678",
    "87654321",
    "11111111",
    "88888888",
    "66666666",
    "password",
];

/// argon2id with OWASP's recommended minimum (m = 19 MiB, t = 2, p = 1).
fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checks a new password against the rules; the message is shown beside the field.
/// `personal` holds the person's name and contact, which a password should not be built from.
pub fn check_policy(password: &str, personal: &[&str]) -> Result<(), String> {
    let chars = password.chars().count();
    if chars < MIN_CHARS {
        return Err(format!(
            "Mật khẩu cần ít nhất {MIN_CHARS} ký tự. Một câu ngắn dễ nhớ là mật khẩu tốt, \
             ví dụ: \"con mèo nhà tôi tên Mướp\"."
        ));
    }
    if chars > MAX_CHARS {
        return Err(format!("Mật khẩu dài quá {MAX_CHARS} ký tự."));
    }
    let lowered = password.to_lowercase();
    let folded: String = lowered.chars().filter(|c| !c.is_whitespace()).collect();
    let too_common = COMMON_VI.contains(&folded.as_str())
        || zxcvbn::zxcvbn(password, personal).score() < zxcvbn::Score::Two;
    if too_common {
        return Err(
            "Mật khẩu này quá phổ biến hoặc dễ đoán, kẻ gian thử ra ngay. Hãy dùng một \
                    câu ngắn chỉ bạn biết, ví dụ: \"sáng nào tôi cũng tưới rau\"."
                .into(),
        );
    }
    Ok(())
}

/// Hashes a password as a PHC string (argon2id, random salt).
pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("Failed to hash a password: {e}"))
}

/// Hashes a one-time password made by [`one_time_password`] (argon2id, m = 64 KiB, t = 1).
///
/// A one-time password is 12 letters drawn at random from 31 (about 2^59 possibilities) and
/// must be changed at the first login, so unlike a password a person chooses it needs no slow
/// hash against guessing: at this cost one guess takes about 0.1 ms, and trying half of them
/// would take over a million core-years. The cheap hash lets a roster of 60 thousand people be
/// imported in seconds. `verify` reads the parameters from the stored hash.
pub fn hash_one_time(otp: &str) -> anyhow::Result<String> {
    let params = Params::new(64, 1, 1, None).map_err(|e| anyhow::anyhow!("argon2 params: {e}"))?;
    let salt = SaltString::generate(&mut OsRng);
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password(otp.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("Failed to hash a one-time password: {e}"))
}

/// True when the password matches the stored hash. A damaged hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the account does not exist, so that the answer takes as
/// long as for a real account.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash("not-a-real-password-0").unwrap_or_default())
}

/// A random one-time password that can be read over the phone: 3 groups of 4 letters and
/// digits without look-alikes (no 0/O, 1/l/I).
pub fn one_time_password() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = OsRng;
    let groups: Vec<String> = (0..3)
        .map(|_| {
            (0..4)
                .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
                .collect()
        })
        .collect();
    groups.join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash("sáng nào tôi cũng tưới rau").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("sáng nào tôi cũng tưới rau", &h));
        assert!(!verify("sáng nào tôi cũng tưới hoa", &h));
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn short_and_common_passwords_are_refused_kindly() {
        assert!(check_policy("abc", &[]).unwrap_err().contains("ít nhất 8"));
        for common in [
            "12345678",
            "password",
            "matkhau123",
            "iloveyou",
            "Anh Yeu Em",
            "qwertyuiop",
        ] {
            assert!(check_policy(common, &[]).is_err(), "{common}");
        }
    }

    #[test]
    fn long_passphrases_are_accepted_whole() {
        let long = "một câu rất dài ".repeat(40);
        assert!(check_policy(&long, &[]).is_ok());
        assert!(check_policy("sáng nào tôi cũng tưới rau", &[]).is_ok());
        let h = hash(&long).unwrap();
        assert!(!verify(&long[..long.len() - 1], &h));
    }

    #[test]
    fn one_time_passwords_are_readable_and_pass_the_rules() {
        let p = one_time_password();
        assert!(
            verify(&p, &hash_one_time(&p).unwrap()),
            "a cheap hash verifies too"
        );
        assert_eq!(p.len(), 14);
        assert!(check_policy(&p, &[]).is_ok());
    }
}
