//! Learner rosters (officials per agency, students per school) from CSV: `full_name,
//! birth_year,group,unit` and optionally `phone, email, sex, citizen_id, residence`
//! (Vietnamese headers `họ và tên, năm sinh, nhóm, mã đơn vị, số điện thoại, email, giới
//! tính, số định danh, tổ dân phố` work too). Each new person gets an account with a
//! one-time password, returned once as a printable slip.

use std::collections::{HashMap, HashSet};

use diesel::prelude::*;

use super::{RowError, Summary, cell, column, fold_words, records};
use crate::accounts::Contact;
use crate::accounts::citizen_id::CitizenId;
use crate::accounts::register::{clean_name, parse_birth_year};
use crate::accounts::slip::Slip;
use crate::db::DbConn;
use crate::db::schema::users;
use crate::groups::Group;

/// The group for what a person wrote (English code or Vietnamese words).
pub fn group_code(text: &str) -> Option<Group> {
    const WORDS: &[(Group, &[&str])] = &[
        (
            Group::Officials,
            &[
                "officials",
                "can bo",
                "cong chuc",
                "vien chuc",
                "can bo cong chuc",
                "can bo cong chuc vien chuc",
            ],
        ),
        (Group::Students, &["students", "hoc sinh"]),
        (
            Group::Workers,
            &[
                "workers",
                "nguoi lao dong",
                "lao dong",
                "lao dong doanh nghiep",
            ],
        ),
        (
            Group::Elderly,
            &[
                "elderly",
                "nguoi dan",
                "nguoi cao tuoi",
                "nguoi dan nguoi cao tuoi",
            ],
        ),
    ];
    let folded = fold_words(text);
    WORDS
        .iter()
        .find(|(_, words)| words.contains(&folded.as_str()))
        .map(|(g, _)| *g)
}

#[derive(Debug, Clone)]
pub(super) struct Row {
    pub full_name: String,
    pub birth_year: i32,
    pub group: Group,
    pub unit: Option<(i64, String)>,
    pub residence: Option<(i64, String)>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub sex: Option<&'static str>,
    /// Keyed hash and last three digits.
    pub citizen: Option<(String, String)>,
}

impl Row {
    /// What identifies the person when nothing else does.
    fn fallback_key(&self) -> (String, i32, Option<i64>) {
        (
            self.full_name.to_lowercase(),
            self.birth_year,
            self.unit.as_ref().map(|(id, _)| *id),
        )
    }
}

struct Columns {
    name: usize,
    year: usize,
    group: usize,
    unit: Option<usize>,
    phone: Option<usize>,
    email: Option<usize>,
    sex: Option<usize>,
    citizen: Option<usize>,
    residence: Option<usize>,
}

fn unit_of(
    units: &HashMap<String, (i64, String)>,
    code: &str,
) -> Result<Option<(i64, String)>, String> {
    if code.is_empty() {
        return Ok(None);
    }
    units
        .get(code)
        .cloned()
        .map(Some)
        .ok_or_else(|| format!("chưa có đơn vị mã \"{code}\": hãy nhập danh sách đơn vị trước"))
}

fn parse_row(
    record: &csv::StringRecord,
    c: &Columns,
    key: &[u8; 32],
    units: &HashMap<String, (i64, String)>,
) -> Result<Row, String> {
    let full_name =
        clean_name(cell(record, Some(c.name))).map_err(|e| format!("họ và tên: {e}"))?;
    let birth_year = parse_birth_year(cell(record, Some(c.year)))
        .map_err(|e| format!("năm sinh \"{}\": {e}", cell(record, Some(c.year))))?;
    let group_text = cell(record, Some(c.group));
    let group = group_code(group_text).ok_or_else(|| {
        format!("nhóm \"{group_text}\" chưa đúng: hãy ghi cán bộ, học sinh, người lao động hoặc người dân")
    })?;
    let unit = unit_of(units, cell(record, c.unit))?;
    if unit.is_none() && group != Group::Elderly {
        return Err(format!(
            "thiếu mã đơn vị: nhóm {} cần mã trường, cơ quan hoặc doanh nghiệp",
            group.label_vi().to_lowercase()
        ));
    }
    let residence = unit_of(units, cell(record, c.residence))?;
    let phone = match cell(record, c.phone) {
        "" => None,
        text => match Contact::parse(text) {
            Ok(Contact::Phone(p)) => Some(p.as_e164().to_owned()),
            Ok(_) => return Err(format!("số điện thoại \"{text}\" chưa đúng")),
            Err(e) => return Err(format!("số điện thoại \"{text}\": {e}")),
        },
    };
    let email = match cell(record, c.email) {
        "" => None,
        text if !text.contains('@') => return Err(format!("email \"{text}\" chưa đúng")),
        text => match Contact::parse(text) {
            Ok(Contact::Email(e)) => Some(e),
            Ok(_) => return Err(format!("email \"{text}\" chưa đúng")),
            Err(e) => return Err(format!("email \"{text}\": {e}")),
        },
    };
    let sex = match fold_words(cell(record, c.sex)).as_str() {
        "" => None,
        "nam" | "male" | "m" => Some("nam"),
        "nu" | "female" | "f" => Some("nu"),
        other => {
            return Err(format!(
                "giới tính \"{other}\" chưa đúng: hãy ghi nam hoặc nữ"
            ));
        }
    };
    let citizen = match cell(record, c.citizen) {
        "" => None,
        text => {
            let id = CitizenId::parse(text).map_err(|e| format!("số định danh chưa đúng ({e})"))?;
            Some((id.keyed_hash(key), id.tail()))
        }
    };
    Ok(Row {
        full_name,
        birth_year,
        group,
        unit,
        residence,
        phone,
        email,
        sex,
        citizen,
    })
}

/// Who already has an account.
struct Existing {
    phones: HashSet<String>,
    emails: HashSet<String>,
    hashes: HashSet<String>,
    fallback: HashSet<(String, i32, Option<i64>)>,
}

fn existing(conn: &mut DbConn) -> QueryResult<Existing> {
    type Person = (
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        i32,
        Option<i64>,
    );
    let all: Vec<Person> = users::table
        .select((
            users::phone,
            users::email,
            users::citizen_id_hash,
            users::full_name,
            users::birth_year,
            users::unit_id,
        ))
        .load(conn)?;
    let mut e = Existing {
        phones: HashSet::new(),
        emails: HashSet::new(),
        hashes: HashSet::new(),
        fallback: HashSet::new(),
    };
    for (phone, email, hash, name, year, unit) in all {
        e.phones.extend(phone);
        e.emails.extend(email);
        e.hashes.extend(hash);
        e.fallback.insert((name.to_lowercase(), year, unit));
    }
    Ok(e)
}

/// Imports a roster: creates an account for each new person and returns their slips (none
/// in a dry run). `key` is the citizen-ID key; `by` the administrator who imports, if any.
pub fn import(
    conn: &mut DbConn,
    data: &[u8],
    key: &[u8; 32],
    by: Option<i64>,
    dry_run: bool,
    progress: &mut dyn FnMut(usize),
) -> Result<(Summary, Vec<Slip>), String> {
    let (header, rows) = records(data)?;
    let cols = Columns {
        name: column(&header, &["full_name", "họ và tên", "họ tên", "name"])
            .ok_or("tệp cần có cột \"họ và tên\" (full_name)")?,
        year: column(&header, &["birth_year", "năm sinh"])
            .ok_or("tệp cần có cột \"năm sinh\" (birth_year)")?,
        group: column(&header, &["group", "nhóm", "đối tượng"])
            .ok_or("tệp cần có cột \"nhóm\" (group)")?,
        unit: column(&header, &["unit", "mã đơn vị", "đơn vị"]),
        phone: column(&header, &["phone", "số điện thoại", "điện thoại", "sđt"]),
        email: column(&header, &["email", "thư điện tử"]),
        sex: column(&header, &["sex", "giới tính"]),
        citizen: column(&header, &["citizen_id", "số định danh", "cccd", "số cccd"]),
        residence: column(&header, &["residence", "tổ dân phố", "nơi ở"]),
    };
    let units = super::units_by_code(conn)?;
    let known = existing(conn).map_err(|e| e.to_string())?;
    let total = rows.len();
    let mut summary = Summary {
        rows: total,
        dry_run,
        ..Summary::default()
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut new_rows: Vec<Row> = Vec::new();
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
        let mut keys = Vec::new();
        keys.extend(row.phone.iter().map(|p| format!("phone {p}")));
        keys.extend(row.email.iter().map(|e| format!("email {e}")));
        keys.extend(row.citizen.iter().map(|(h, _)| format!("id {h}")));
        let (name, year, unit) = row.fallback_key();
        if keys.is_empty() {
            keys.push(format!("name {name}|{year}|{unit:?}"));
        }
        if let Some(first) = keys.iter().find_map(|k| seen.get(k)) {
            summary.errors.push(RowError {
                row: row_no,
                reason: format!("{} trùng với người ở dòng {first}", row.full_name),
            });
            continue;
        }
        for k in keys {
            seen.insert(k, row_no);
        }
        let exists = row.phone.as_ref().is_some_and(|p| known.phones.contains(p))
            || row.email.as_ref().is_some_and(|e| known.emails.contains(e))
            || row
                .citizen
                .as_ref()
                .is_some_and(|(h, _)| known.hashes.contains(h))
            || (row.phone.is_none()
                && row.email.is_none()
                && row.citizen.is_none()
                && known.fallback.contains(&(name, year, unit)));
        if exists {
            summary.unchanged += 1;
        } else {
            summary.created += 1;
            new_rows.push(row);
        }
    }
    if dry_run {
        progress(total);
        return Ok((summary, Vec::new()));
    }
    let done_before = summary.unchanged + summary.errors.len();
    progress(done_before);
    let slips =
        super::learners_write::create(conn, &new_rows, by, &mut |n| progress(done_before + n))?;
    Ok((summary, slips))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_understood_in_vietnamese() {
        assert_eq!(group_code("Cán bộ"), Some(Group::Officials));
        assert_eq!(group_code("hoc sinh"), Some(Group::Students));
        assert_eq!(group_code("Người lao động"), Some(Group::Workers));
        assert_eq!(group_code("người cao tuổi"), Some(Group::Elderly));
        assert_eq!(group_code("elderly"), Some(Group::Elderly));
        assert_eq!(group_code("trẻ em"), None);
    }
}
