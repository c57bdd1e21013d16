//! One-time links for a forgotten password: random, stored only as a hash, single use,
//! and valid for an hour.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Duration;
use diesel::prelude::*;
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::db::schema::password_resets;
use crate::db::{DbConn, now};

pub const LIFETIME_MINUTES: i64 = 60;

fn hash_token(token: &str) -> String {
    crate::keys::hex(&Sha256::digest(token.as_bytes()))
}

/// Creates a reset token for the account and returns it (the only time it exists in clear).
pub fn create(conn: &mut DbConn, user_id: i64) -> QueryResult<String> {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let created = now();
    diesel::insert_into(password_resets::table)
        .values((
            password_resets::user_id.eq(user_id),
            password_resets::token_hash.eq(hash_token(&token)),
            password_resets::expires_at.eq(created + Duration::minutes(LIFETIME_MINUTES)),
            password_resets::created_at.eq(created),
        ))
        .execute(conn)?;
    Ok(token)
}

/// The account a token is for, if the token exists, is unused and has not expired.
pub fn peek(conn: &mut DbConn, token: &str) -> QueryResult<Option<i64>> {
    password_resets::table
        .filter(password_resets::token_hash.eq(hash_token(token)))
        .filter(password_resets::used_at.is_null())
        .filter(password_resets::expires_at.gt(now()))
        .select(password_resets::user_id)
        .load(conn)
        .map(crate::db::single)
}

/// Marks the token used and returns its account; `None` if it was not valid. Only one of
/// two simultaneous uses wins, because the update is conditional on `used_at` being empty.
pub fn consume(conn: &mut DbConn, token: &str) -> QueryResult<Option<i64>> {
    let Some(user_id) = peek(conn, token)? else {
        return Ok(None);
    };
    let changed = diesel::update(
        password_resets::table
            .filter(password_resets::token_hash.eq(hash_token(token)))
            .filter(password_resets::used_at.is_null()),
    )
    .set(password_resets::used_at.eq(now()))
    .execute(conn)?;
    Ok((changed == 1).then_some(user_id))
}
