//! Keys: one 32-byte seed, configured or generated into `<data_dir>/keys/` on first start
//! (never committed). Every secret is derived from it — the HMAC key of session tokens, the
//! CSRF key, the Ed25519 key of certificates — so servers that share the seed share them all.
//!
//! Session tokens use HS256: only our servers ever check them, and an HMAC check costs a
//! microsecond where an Ed25519 check costs fifty, on every request. Certificates, which
//! others verify with our public key, are signed with Ed25519 (`certificates::sign`).

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use jsonwebtoken::{DecodingKey, EncodingKey};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The server's keys, built once at start-up.
#[derive(Clone)]
pub struct Keys {
    pub encoding: EncodingKey,
    pub decoding: DecodingKey,
    /// Key id: the first 16 hex digits of SHA-256 of the session key.
    pub kid: String,
    seed: [u8; 32],
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keys")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl Keys {
    /// Keys from a configured base64 seed, or from `<data_dir>/keys/signing.key`, creating it.
    pub fn load(configured: Option<&str>, data_dir: &Path) -> anyhow::Result<Keys> {
        let seed = match configured {
            Some(b64) => decode_seed(b64).context("HOCVUSO_SIGNING_KEY is not valid")?,
            None => load_or_create(&data_dir.join("keys").join("signing.key"))?,
        };
        Keys::from_seed(seed)
    }

    pub fn from_seed(seed: [u8; 32]) -> anyhow::Result<Keys> {
        let mut keys = Keys {
            encoding: EncodingKey::from_secret(&[]),
            decoding: DecodingKey::from_secret(&[]),
            kid: String::new(),
            seed,
        };
        let secret = keys.derive("session-hmac");
        keys.encoding = EncodingKey::from_secret(&secret);
        keys.decoding = DecodingKey::from_secret(&secret);
        keys.kid = hex(&Sha256::digest(secret)[..8]);
        Ok(keys)
    }

    /// A secret for one purpose, derived from the seed (SHA-256 of label and seed).
    pub fn derive(&self, label: &str) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(b"hocvuso:");
        h.update(label.as_bytes());
        h.update(self.seed);
        h.finalize().into()
    }

    /// A new random seed, base64-encoded, for `HOCVUSO_SIGNING_KEY`.
    pub fn generate_seed_b64() -> String {
        let mut seed = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut seed);
        STANDARD.encode(seed)
    }
}

fn decode_seed(b64: &str) -> anyhow::Result<[u8; 32]> {
    let bytes = STANDARD
        .decode(b64.trim())
        .context("expected base64 of 32 bytes")?;
    bytes
        .try_into()
        .map_err(|_| anyhow::anyhow!("expected exactly 32 bytes"))
}

fn load_or_create(path: &Path) -> anyhow::Result<[u8; 32]> {
    if let Ok(text) = std::fs::read_to_string(path) {
        return decode_seed(&text).with_context(|| format!("{} is damaged", path.display()));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("Failed to create {}", dir.display()))?;
    }
    let b64 = Keys::generate_seed_b64();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(mut file) => {
            file.write_all(b64.as_bytes())
                .with_context(|| format!("Failed to write {}", path.display()))?;
            tracing::info!(path = %path.display(), "generated a new signing key");
            decode_seed(&b64)
        }
        // Another process created it a moment ago: use theirs.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            let text = std::fs::read_to_string(path)?;
            decode_seed(&text)
        }
        Err(e) => Err(e).with_context(|| format!("Failed to create {}", path.display())),
    }
}

/// Lower-case hex of bytes.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_generated_key_is_kept_and_reused() {
        let dir = std::env::temp_dir().join(format!("hvs-keys-{}", rand::random::<u64>()));
        let a = Keys::load(None, &dir).unwrap();
        let b = Keys::load(None, &dir).unwrap();
        assert_eq!(a.kid, b.kid);
        assert_eq!(a.derive("csrf"), b.derive("csrf"));
        assert_ne!(a.derive("csrf"), a.derive("other"));
        std::fs::remove_dir_all(dir).ok();
    }

    #[test]
    fn a_configured_seed_must_be_32_bytes() {
        assert!(Keys::load(Some("c2hvcnQ="), Path::new("/nonexistent")).is_err());
        let seed = Keys::generate_seed_b64();
        assert!(Keys::load(Some(&seed), Path::new("/nonexistent")).is_ok());
    }
}
