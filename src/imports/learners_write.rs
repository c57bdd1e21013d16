//! Creating the accounts of a roster: one-time passwords hashed on every core, login names
//! chosen in memory, and the rows written in batches inside one transaction (a round trip per
//! 500 people, not per person, which is what makes 60 thousand rows quick on PostgreSQL).

use diesel::prelude::*;

use super::learners::Row;
use crate::accounts::password;
use crate::accounts::slip::{Slip, new_usernames};
use crate::db::schema::users;
use crate::db::{DbConn, now, write_tx};

/// People written per statement.
const BATCH: usize = 500;

/// One-time passwords and their hashes, computed on every core.
fn passwords(n: usize) -> Result<Vec<(String, String)>, String> {
    let plain: Vec<String> = (0..n).map(|_| password::one_time_password()).collect();
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, 8);
    let chunk = n.div_ceil(threads).max(1);
    let hashed: Result<Vec<Vec<String>>, String> = std::thread::scope(|s| {
        let handles: Vec<_> = plain
            .chunks(chunk)
            .map(|part| {
                s.spawn(move || {
                    part.iter()
                        .map(|p| password::hash_one_time(p).map_err(|e| e.to_string()))
                        .collect::<Result<Vec<String>, String>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("không tạo được mật khẩu dùng một lần".into()))
            })
            .collect()
    });
    Ok(plain
        .into_iter()
        .zip(hashed?.into_iter().flatten())
        .collect())
}

fn slip(row: &Row, username: Option<&String>, otp: &str) -> Slip {
    let login = row
        .phone
        .as_deref()
        .map(crate::accounts::phone::Phone::display_local)
        .or_else(|| row.email.clone())
        .or_else(|| username.cloned())
        .unwrap_or_default();
    Slip {
        full_name: row.full_name.clone(),
        login,
        one_time_password: otp.to_owned(),
        unit: row
            .unit
            .as_ref()
            .or(row.residence.as_ref())
            .map(|(_, name)| name.clone()),
    }
}

/// Creates an account for each row and returns the login slips; `progress` is told how many
/// are written.
pub fn create(
    conn: &mut DbConn,
    rows: &[Row],
    by: Option<i64>,
    progress: &mut dyn FnMut(usize),
) -> Result<Vec<Slip>, String> {
    let secrets = passwords(rows.len())?;
    let at = now();
    let result = write_tx(conn, |conn| -> Result<Vec<Slip>, diesel::result::Error> {
        let without_login = rows
            .iter()
            .filter(|r| r.phone.is_none() && r.email.is_none())
            .count();
        let mut names = new_usernames(conn, without_login)?.into_iter();
        let usernames: Vec<Option<String>> = rows
            .iter()
            .map(|r| {
                (r.phone.is_none() && r.email.is_none())
                    .then(|| names.next())
                    .flatten()
            })
            .collect();
        let learner = crate::accounts::Role::Learner.as_str();
        let mut written = 0;
        for (chunk, (names, secrets)) in rows
            .chunks(BATCH)
            .zip(usernames.chunks(BATCH).zip(secrets.chunks(BATCH)))
        {
            let values: Vec<_> = chunk
                .iter()
                .zip(names.iter().zip(secrets))
                .map(|(row, (username, (_, hash)))| {
                    (
                        (
                            users::full_name.eq(&row.full_name),
                            users::phone.eq(&row.phone),
                            users::email.eq(&row.email),
                            users::username.eq(username),
                            users::password_hash.eq(hash),
                            users::birth_year.eq(row.birth_year),
                            users::sex.eq(row.sex),
                            users::target_group.eq(row.group.as_str()),
                            users::unit_id.eq(row.unit.as_ref().map(|(id, _)| *id)),
                        ),
                        (
                            users::residence_unit_id.eq(row.residence.as_ref().map(|(id, _)| *id)),
                            users::citizen_id_hash
                                .eq(row.citizen.as_ref().map(|(h, _)| h.as_str())),
                            users::citizen_id_tail
                                .eq(row.citizen.as_ref().map(|(_, t)| t.as_str())),
                            users::role.eq(learner),
                            users::must_change_password.eq(true),
                            users::registered_by.eq(by),
                            users::channel.eq("import"),
                            users::created_at.eq(at),
                            users::updated_at.eq(at),
                        ),
                    )
                })
                .collect();
            let insert = diesel::insert_into(users::table).values(&values);
            match conn {
                DbConn::Sqlite(c) => insert.execute(c)?,
                DbConn::Pg(c) => insert.execute(c)?,
            };
            written += chunk.len();
            progress(written);
        }
        Ok(rows
            .iter()
            .zip(&usernames)
            .zip(&secrets)
            .map(|((row, username), (otp, _))| slip(row, username.as_ref(), otp))
            .collect())
    });
    result.map_err(super::refused)
}
