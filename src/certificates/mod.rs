//! Certificates: issued once per learner and course version on a pass, with a short human
//! code, a signed token anyone can verify offline, a fingerprint of what is printed, a QR
//! code to the public verify page, a PDF, and revocation with a reason.

pub mod code;
pub mod model;
pub mod pdf;
pub mod qr;
pub mod sign;

pub use model::{Certificate, NewCertificate};
pub use sign::{CertKeys, CertificateClaims};

use chrono::NaiveDateTime;

/// The date as printed, `25/11/2026`.
pub fn date_vi(at: NaiveDateTime) -> String {
    at.format("%d/%m/%Y").to_string()
}

/// Builds a certificate for a passed attempt: code, signed token and fingerprint.
pub struct Issue<'a> {
    pub keys: &'a CertKeys,
    pub ward: &'a str,
    pub user_id: i64,
    pub holder_name: &'a str,
    pub course_slug: &'a str,
    pub course_title: &'a str,
    pub course_version: &'a str,
    pub attempt_id: i64,
    pub score: i32,
    pub at: NaiveDateTime,
}

impl Issue<'_> {
    pub fn build(&self) -> anyhow::Result<NewCertificate> {
        let code = code::generate();
        let band = sign::band(self.score);
        let fingerprint = sign::fingerprint(
            &code,
            self.holder_name,
            self.course_slug,
            self.course_version,
            &date_vi(self.at),
            band,
        );
        let claims = CertificateClaims {
            iss: sign::ISSUER.into(),
            sub: code.clone(),
            name: self.holder_name.to_owned(),
            course: self.course_slug.to_owned(),
            course_title: self.course_title.to_owned(),
            version: self.course_version.to_owned(),
            band: band.to_owned(),
            ward: self.ward.to_owned(),
            iat: self.at.and_utc().timestamp(),
            fingerprint: fingerprint.clone(),
        };
        Ok(NewCertificate {
            token: self.keys.sign(&claims)?,
            code,
            user_id: self.user_id,
            holder_name: self.holder_name.to_owned(),
            course_slug: self.course_slug.to_owned(),
            course_title: self.course_title.to_owned(),
            course_version: self.course_version.to_owned(),
            attempt_id: self.attempt_id,
            score: self.score,
            issued_at: self.at,
            fingerprint,
        })
    }
}
