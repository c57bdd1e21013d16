//! Certificate signatures: each certificate is also a JWT signed with an Ed25519 key (derived
//! from the server's seed, apart from the session key), whose public half is published as a
//! JWK set at `/.well-known/jwks.json`, so anyone can check a certificate offline.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::SigningKey;
use ed25519_dalek::pkcs8::EncodePrivateKey;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::keys::{Keys, hex};

pub const ISSUER: &str = "hocvuso-certificates";

/// What a certificate says, signed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CertificateClaims {
    pub iss: String,
    /// The certificate code.
    pub sub: String,
    pub name: String,
    pub course: String,
    pub course_title: String,
    pub version: String,
    pub band: String,
    pub ward: String,
    pub iat: i64,
    pub fingerprint: String,
}

/// The certificate key pair.
#[derive(Clone)]
pub struct CertKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    public: [u8; 32],
    pub kid: String,
}

impl CertKeys {
    pub fn derive(keys: &Keys) -> anyhow::Result<CertKeys> {
        let signing = SigningKey::from_bytes(&keys.derive("certificate-signing"));
        let der = signing
            .to_pkcs8_der()
            .map_err(|e| anyhow::anyhow!("Failed to encode the certificate key: {e}"))?;
        let public = signing.verifying_key().to_bytes();
        Ok(CertKeys {
            encoding: EncodingKey::from_ed_der(der.as_bytes()),
            decoding: DecodingKey::from_ed_der(&public),
            kid: format!("cert-{}", hex(&Sha256::digest(public)[..8])),
            public,
        })
    }

    pub fn sign(&self, claims: &CertificateClaims) -> anyhow::Result<String> {
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.encoding)
            .map_err(|e| anyhow::anyhow!("Failed to sign a certificate: {e}"))
    }

    /// The claims of a certificate token if its signature is ours and intact.
    pub fn verify(&self, token: &str) -> Option<CertificateClaims> {
        let mut validation = Validation::new(Algorithm::EdDSA);
        validation.set_issuer(&[ISSUER]);
        validation.validate_exp = false;
        validation.set_required_spec_claims(&["iss", "sub", "iat"]);
        jsonwebtoken::decode::<CertificateClaims>(token, &self.decoding, &validation)
            .ok()
            .map(|d| d.claims)
    }

    /// The public key as a JWK set (RFC 8037, OKP / Ed25519).
    pub fn jwks(&self) -> serde_json::Value {
        serde_json::json!({
            "keys": [{
                "kty": "OKP",
                "crv": "Ed25519",
                "alg": "EdDSA",
                "use": "sig",
                "kid": self.kid,
                "x": URL_SAFE_NO_PAD.encode(self.public),
            }]
        })
    }
}

/// A fingerprint of what a printout shows (code, name, course, version, date, band), as 16
/// hex digits in groups of four: an edited printout no longer matches the verify page.
pub fn fingerprint(
    code: &str,
    name: &str,
    course: &str,
    version: &str,
    date: &str,
    band: &str,
) -> String {
    let digest =
        Sha256::digest(format!("{code}|{name}|{course}|{version}|{date}|{band}").as_bytes());
    let h = hex(&digest[..8]).to_uppercase();
    format!("{}-{}-{}-{}", &h[..4], &h[4..8], &h[8..12], &h[12..])
}

/// A score band for the certificate, so the exact score stays private.
pub fn band(score: i32) -> &'static str {
    match score {
        90.. => "Xuất sắc",
        80..=89 => "Giỏi",
        _ => "Đạt",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> CertificateClaims {
        CertificateClaims {
            iss: ISSUER.into(),
            sub: "HVS-7K3M-9QXP".into(),
            name: "Nguyễn Thị Lan".into(),
            course: "an-toan".into(),
            course_title: "An toàn".into(),
            version: "abc".into(),
            band: "Giỏi".into(),
            ward: "Phường Dương Kinh".into(),
            iat: 1_700_000_000,
            fingerprint: "X".into(),
        }
    }

    #[test]
    fn a_signed_certificate_verifies_and_an_altered_one_does_not() {
        let keys = CertKeys::derive(&Keys::from_seed([3; 32]).unwrap()).unwrap();
        let token = keys.sign(&claims()).unwrap();
        assert_eq!(keys.verify(&token), Some(claims()));
        let parts: Vec<&str> = token.split('.').collect();
        let mut edited = claims();
        edited.name = "Kẻ Giả Mạo".into();
        let forged = format!(
            "{}.{}.{}",
            parts[0],
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&edited).unwrap()),
            parts[2]
        );
        assert_eq!(keys.verify(&forged), None);
        let other = CertKeys::derive(&Keys::from_seed([4; 32]).unwrap()).unwrap();
        assert_eq!(
            other.verify(&token),
            None,
            "another server's key does not verify it"
        );
        assert_eq!(keys.jwks()["keys"][0]["crv"], "Ed25519");
    }

    #[test]
    fn fingerprints_change_with_any_printed_field() {
        let a = fingerprint("C", "Lan", "x", "v", "2026-11-25", "Đạt");
        assert_eq!(a.len(), 19);
        assert_ne!(a, fingerprint("C", "Lân", "x", "v", "2026-11-25", "Đạt"));
        assert_eq!(band(95), "Xuất sắc");
        assert_eq!(band(70), "Đạt");
    }
}
