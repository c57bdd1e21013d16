//! Certificate codes: short, readable over the phone, hard to guess. `HVS-` and eight
//! characters of Crockford's base 32 (no I, L, O or U), 40 random bits.

use rand::Rng;

const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A new random code, like `HVS-7K3M-9QXP`.
pub fn generate() -> String {
    let mut rng = rand::rngs::OsRng;
    let chars: String = (0..8)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect();
    format!("HVS-{}-{}", &chars[..4], &chars[4..])
}

/// Reads a code as a person might type it: any case, spaces or dashes anywhere, O for 0 and
/// I or L for 1. `None` if it cannot be a code.
pub fn normalize(input: &str) -> Option<String> {
    let mut body: String = input
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    if body.len() == 11 && body.starts_with("HV5") {
        body.replace_range(..3, "HVS");
    }
    let body = body.strip_prefix("HVS").unwrap_or(&body).to_owned();
    let valid = body.len() == 8 && body.bytes().all(|b| ALPHABET.contains(&b));
    valid.then(|| format!("HVS-{}-{}", &body[..4], &body[4..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_codes_normalize_to_themselves() {
        for _ in 0..100 {
            let code = generate();
            assert_eq!(normalize(&code).as_deref(), Some(code.as_str()));
            assert_eq!(code.len(), 13);
        }
    }

    #[test]
    fn codes_read_over_the_phone_are_understood() {
        assert_eq!(normalize("hvs 7k3m 9qxp").as_deref(), Some("HVS-7K3M-9QXP"));
        assert_eq!(normalize("7K3M9QXP").as_deref(), Some("HVS-7K3M-9QXP"));
        assert_eq!(normalize("HVS-7K3M-9QXO").as_deref(), Some("HVS-7K3M-9QX0"));
        assert_eq!(normalize("HVS-7K3M").as_deref(), None);
        assert_eq!(normalize("<script>").as_deref(), None);
    }
}
