//! VNeID confirmations from CSV: each row names a person by citizen ID (`citizen_id`, `số
//! định danh`, `cccd`), phone (`phone`, `số điện thoại`) or learner id (`learner_id`, `tên
//! đăng nhập`: a login name or the account number), with the date VNeID confirmed them
//! (`confirmed_on`, `ngày xác nhận`) and, for people without an account, the tổ dân phố
//! they live in (`unit`, `tổ dân phố`).
//!
//! A citizen ID is only ever stored as a keyed hash, and messages show it masked.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::{RowError, Summary, cell, column, parse_date, records};
use crate::accounts::citizen_id::{CitizenId, mask};
use crate::accounts::phone::Phone;
use crate::db::schema::{confirmations, users};
use crate::db::{DbConn, now, write_tx};

pub const KIND: &str = "vneid";

/// Who a row names, before matching.
#[derive(Debug)]
struct Row {
    citizen: Option<(String, String)>,
    phone: Option<String>,
    learner: Option<String>,
    unit: Option<(String, i64)>,
    confirmed_on: NaiveDate,
}

struct Columns {
    citizen: Option<usize>,
    phone: Option<usize>,
    learner: Option<usize>,
    unit: Option<usize>,
    date: usize,
}

fn parse_row(
    record: &csv::StringRecord,
    cols: &Columns,
    key: &[u8; 32],
    units: &HashMap<String, (i64, String)>,
) -> Result<Row, String> {
    let citizen = match cell(record, cols.citizen) {
        "" => None,
        text => {
            // The message of CitizenId::parse never repeats the number.
            let id = CitizenId::parse(text).map_err(|e| format!("số định danh chưa đúng ({e})"))?;
            Some((id.keyed_hash(key), id.tail()))
        }
    };
    let phone = match cell(record, cols.phone) {
        "" => None,
        text => Some(
            Phone::parse(text)
                .map_err(|e| format!("số điện thoại \"{text}\" chưa đúng ({e})"))?
                .as_e164()
                .to_owned(),
        ),
    };
    let learner = match cell(record, cols.learner) {
        "" => None,
        text => Some(text.to_lowercase()),
    };
    if citizen.is_none() && phone.is_none() && learner.is_none() {
        return Err("dòng này không có số định danh, số điện thoại hay tên đăng nhập".into());
    }
    let unit = match cell(record, cols.unit) {
        "" => None,
        code => Some((
            code.to_owned(),
            units
                .get(code)
                .map(|(id, _)| *id)
                .ok_or_else(|| format!("chưa có đơn vị mã \"{code}\""))?,
        )),
    };
    let date_text = cell(record, Some(cols.date));
    if date_text.is_empty() {
        return Err("thiếu ngày xác nhận".into());
    }
    Ok(Row {
        citizen,
        phone,
        learner,
        unit,
        confirmed_on: parse_date(date_text)?,
    })
}

/// A confirmation as it will be stored: loaded (with its id) or to be created.
#[derive(Debug, Clone)]
struct Conf {
    id: Option<i64>,
    user_id: Option<i64>,
    unit_id: Option<i64>,
    citizen_id_hash: Option<String>,
    confirmed_on: NaiveDate,
    /// The row of this file that touched it first.
    row: Option<usize>,
    changed: bool,
}

/// The accounts a row can name.
struct People {
    by_hash: HashMap<String, i64>,
    by_phone: HashMap<String, i64>,
    by_username: HashMap<String, i64>,
    ids: std::collections::HashSet<i64>,
}

/// An account as matching sees it: id, citizen-ID hash, phone, login name.
type PersonKeys = (i64, Option<String>, Option<String>, Option<String>);
/// A stored confirmation: id, user, unit, citizen-ID hash, date.
type StoredConfirmation = (i64, Option<i64>, Option<i64>, Option<String>, NaiveDate);

impl People {
    fn load(conn: &mut DbConn) -> QueryResult<People> {
        let all: Vec<PersonKeys> = users::table
            .filter(users::deleted_at.is_null())
            .select((
                users::id,
                users::citizen_id_hash,
                users::phone,
                users::username,
            ))
            .load(conn)?;
        let mut people = People {
            by_hash: HashMap::new(),
            by_phone: HashMap::new(),
            by_username: HashMap::new(),
            ids: Default::default(),
        };
        for (id, hash, phone, username) in all {
            people.ids.insert(id);
            if let Some(h) = hash {
                people.by_hash.insert(h, id);
            }
            if let Some(p) = phone {
                people.by_phone.insert(p, id);
            }
            if let Some(u) = username {
                people.by_username.insert(u, id);
            }
        }
        Ok(people)
    }

    fn find(&self, row: &Row) -> Option<i64> {
        let by_hash = row
            .citizen
            .as_ref()
            .and_then(|(h, _)| self.by_hash.get(h).copied());
        let by_phone = || {
            row.phone
                .as_ref()
                .and_then(|p| self.by_phone.get(p).copied())
        };
        let by_learner = || {
            row.learner.as_ref().and_then(|l| {
                self.by_username
                    .get(l)
                    .copied()
                    .or_else(|| l.parse::<i64>().ok().filter(|id| self.ids.contains(id)))
            })
        };
        by_hash.or_else(by_phone).or_else(by_learner)
    }
}

/// How the row names the person, for a message (a citizen ID only masked).
fn described(row: &Row) -> String {
    let mut parts = Vec::new();
    if let Some((_, tail)) = &row.citizen {
        parts.push(format!("số định danh {}", mask(tail)));
    }
    if let Some(p) = &row.phone {
        parts.push(format!("số điện thoại {p}"));
    }
    if let Some(l) = &row.learner {
        parts.push(format!("tên đăng nhập \"{l}\""));
    }
    parts.join(", ")
}

/// Imports VNeID confirmations. `key` is the citizen-ID key (`Keys::derive("citizen-id")`);
/// `progress` is called with the number of rows handled so far.
pub fn import(
    conn: &mut DbConn,
    data: &[u8],
    key: &[u8; 32],
    dry_run: bool,
    progress: &mut dyn FnMut(usize),
) -> Result<Summary, String> {
    let (header, rows) = records(data)?;
    let cols = Columns {
        citizen: column(
            &header,
            &[
                "citizen_id",
                "số định danh",
                "cccd",
                "số cccd",
                "số định danh cá nhân",
            ],
        ),
        phone: column(&header, &["phone", "số điện thoại", "điện thoại", "sđt"]),
        learner: column(
            &header,
            &["learner_id", "tên đăng nhập", "login", "mã học viên"],
        ),
        unit: column(&header, &["unit", "tổ dân phố", "mã đơn vị", "đơn vị"]),
        date: column(&header, &["confirmed_on", "ngày xác nhận"])
            .ok_or("tệp cần có cột \"ngày xác nhận\" (confirmed_on)")?,
    };
    if cols.citizen.is_none() && cols.phone.is_none() && cols.learner.is_none() {
        return Err(
            "tệp cần có cột \"số định danh\" (citizen_id), \"số điện thoại\" (phone) \
                    hoặc \"tên đăng nhập\" (learner_id)"
                .into(),
        );
    }
    let units = super::units_by_code(conn)?;
    let people = People::load(conn).map_err(|e| e.to_string())?;
    let loaded: Vec<StoredConfirmation> = confirmations::table
        .filter(confirmations::kind.eq(KIND))
        .select((
            confirmations::id,
            confirmations::user_id,
            confirmations::unit_id,
            confirmations::citizen_id_hash,
            confirmations::confirmed_on,
        ))
        .load(conn)
        .map_err(|e| e.to_string())?;
    let mut confs: Vec<Conf> = Vec::with_capacity(loaded.len() + rows.len());
    let mut by_user: HashMap<i64, usize> = HashMap::new();
    let mut by_hash: HashMap<String, usize> = HashMap::new();
    for (id, user_id, unit_id, citizen_id_hash, confirmed_on) in loaded {
        let i = confs.len();
        if let Some(u) = user_id {
            by_user.insert(u, i);
        }
        if let Some(h) = &citizen_id_hash {
            by_hash.insert(h.clone(), i);
        }
        confs.push(Conf {
            id: Some(id),
            user_id,
            unit_id,
            citizen_id_hash,
            confirmed_on,
            row: None,
            changed: false,
        });
    }

    let total = rows.len();
    let mut summary = Summary {
        rows: total,
        dry_run,
        ..Summary::default()
    };
    for (row_no, record) in rows {
        let row = match record.and_then(|r| parse_row(&r, &cols, key, &units)) {
            Ok(r) => r,
            Err(reason) => {
                summary.errors.push(RowError {
                    row: row_no,
                    reason,
                });
                continue;
            }
        };
        let hash = row.citizen.as_ref().map(|(h, _)| h.clone());
        let user = people.find(&row);
        if user.is_none() && (hash.is_none() || row.unit.is_none()) {
            let reason = if hash.is_none() {
                format!(
                    "không có học viên nào có {}: người chưa có tài khoản cần có cả số định \
                     danh và tổ dân phố",
                    described(&row)
                )
            } else {
                format!(
                    "không có học viên nào có {}, và dòng không ghi tổ dân phố",
                    described(&row)
                )
            };
            summary.errors.push(RowError {
                row: row_no,
                reason,
            });
            continue;
        }
        let found = user
            .and_then(|u| by_user.get(&u).copied())
            .or_else(|| hash.as_ref().and_then(|h| by_hash.get(h).copied()));
        match found {
            Some(i) => {
                if let Some(first) = confs[i].row {
                    summary.errors.push(RowError {
                        row: row_no,
                        reason: format!("{} trùng với người ở dòng {first}", described(&row)),
                    });
                    continue;
                }
                let conf = &mut confs[i];
                conf.row = Some(row_no);
                let mut changed = false;
                if row.confirmed_on < conf.confirmed_on {
                    conf.confirmed_on = row.confirmed_on;
                    changed = true;
                }
                if let Some(u) = user {
                    if conf.user_id.is_none() {
                        conf.user_id = Some(u);
                        conf.unit_id = None;
                        by_user.insert(u, i);
                        changed = true;
                    }
                } else if let Some((_, unit_id)) = row.unit {
                    if conf.user_id.is_none() && conf.unit_id != Some(unit_id) {
                        conf.unit_id = Some(unit_id);
                        changed = true;
                    }
                }
                if let Some(h) = &hash {
                    if conf.citizen_id_hash.is_none() && !by_hash.contains_key(h) {
                        conf.citizen_id_hash = Some(h.clone());
                        by_hash.insert(h.clone(), i);
                        changed = true;
                    }
                }
                if changed {
                    conf.changed = true;
                    if conf.id.is_some() {
                        summary.updated += 1;
                    }
                } else {
                    summary.unchanged += 1;
                }
            }
            None => {
                let i = confs.len();
                if let Some(u) = user {
                    by_user.insert(u, i);
                }
                // A citizen ID already on another confirmation stays there.
                let hash = hash.filter(|h| !by_hash.contains_key(h));
                if let Some(h) = &hash {
                    by_hash.insert(h.clone(), i);
                }
                confs.push(Conf {
                    id: None,
                    user_id: user,
                    unit_id: if user.is_some() {
                        None
                    } else {
                        row.unit.map(|(_, id)| id)
                    },
                    citizen_id_hash: hash,
                    confirmed_on: row.confirmed_on,
                    row: Some(row_no),
                    changed: true,
                });
                summary.created += 1;
            }
        }
    }
    let to_write: Vec<&Conf> = confs.iter().filter(|c| c.changed).collect();
    if dry_run {
        progress(total);
        return Ok(summary);
    }
    let at = now();
    let result = write_tx(conn, |conn| -> Result<(), diesel::result::Error> {
        let mut done = summary.unchanged + summary.errors.len();
        let (updates, inserts): (Vec<&Conf>, Vec<&Conf>) =
            to_write.iter().partition(|c| c.id.is_some());
        for c in &updates {
            let Some(id) = c.id else { continue };
            diesel::update(confirmations::table.find(id))
                .set((
                    confirmations::user_id.eq(c.user_id),
                    confirmations::unit_id.eq(c.unit_id),
                    confirmations::citizen_id_hash.eq(&c.citizen_id_hash),
                    confirmations::confirmed_on.eq(c.confirmed_on),
                    confirmations::imported_at.eq(at),
                ))
                .execute(conn)?;
            done += 1;
            progress(done);
        }
        for chunk in inserts.chunks(500) {
            let values: Vec<_> = chunk
                .iter()
                .map(|c| {
                    (
                        confirmations::kind.eq(KIND),
                        confirmations::user_id.eq(c.user_id),
                        confirmations::unit_id.eq(c.unit_id),
                        confirmations::citizen_id_hash.eq(c.citizen_id_hash.as_deref()),
                        confirmations::confirmed_on.eq(c.confirmed_on),
                        confirmations::imported_at.eq(at),
                    )
                })
                .collect();
            let insert = diesel::insert_into(confirmations::table).values(&values);
            match conn {
                DbConn::Sqlite(c) => insert.execute(c)?,
                DbConn::Pg(c) => insert.execute(c)?,
            };
            done += chunk.len();
            progress(done);
        }
        Ok(())
    });
    result.map_err(super::refused)?;
    Ok(summary)
}
