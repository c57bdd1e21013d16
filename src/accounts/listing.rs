//! Accounts as administrators read them: the Vietnamese words for a status, a sex, a way of
//! registering and a kind of unit, and the CSV export of a search. Contacts (phone, e-mail,
//! the masked citizen ID) are only in an export when asked for, and that request is logged.

use std::collections::HashMap;

use diesel::QueryResult;

use super::citizen_id::mask;
use super::manage::{self, Filter};
use super::{Unit, User};
use crate::db::DbConn;
use crate::groups::Group;

/// The most rows an export holds (a ward has a few tens of thousands of people).
pub const EXPORT_LIMIT: i64 = 200_000;

/// `active`, `inactive` or `erased`.
pub fn status_code(user: &User) -> &'static str {
    if user.deleted_at.is_some() {
        "erased"
    } else if user.active {
        "active"
    } else {
        "inactive"
    }
}

pub fn status_label(code: &str) -> &'static str {
    match code {
        "erased" => "Đã xoá dữ liệu",
        "inactive" => "Đã khoá",
        _ => "Đang hoạt động",
    }
}

pub fn sex_label(sex: Option<&str>) -> &'static str {
    match sex {
        Some("nam") => "Nam",
        Some("nu") => "Nữ",
        _ => "Không nêu",
    }
}

pub fn channel_label(channel: &str) -> &'static str {
    match channel {
        "helper" => "Tổ công nghệ số đăng ký giúp",
        "import" => "Nhập từ danh sách",
        "admin" => "Quản trị viên tạo",
        _ => "Tự đăng ký",
    }
}

pub fn kind_label(kind: &str) -> &'static str {
    match kind {
        "residential" => "Tổ dân phố",
        "school" => "Trường học",
        "agency" => "Cơ quan",
        "enterprise" => "Doanh nghiệp",
        "cooperative" => "Hợp tác xã",
        _ => "Đơn vị",
    }
}

pub fn group_label(user: &User) -> &'static str {
    user.group().map(Group::label_vi).unwrap_or("—")
}

/// The columns of an export; with contacts, three more at the end.
pub const HEADER: [&str; 12] = [
    "mã tài khoản",
    "họ và tên",
    "tên đăng nhập",
    "năm sinh",
    "giới tính",
    "nhóm",
    "đơn vị",
    "tổ dân phố",
    "vai trò",
    "trạng thái",
    "cách đăng ký",
    "ngày tạo",
];
pub const CONTACT_HEADER: [&str; 3] = ["số điện thoại", "email", "số định danh (đã che)"];

/// The header row of an export.
pub fn header(contacts: bool) -> Vec<&'static str> {
    let mut h = HEADER.to_vec();
    if contacts {
        h.extend(CONTACT_HEADER);
    }
    h
}

fn row(user: &User, units: &HashMap<i64, String>, contacts: bool) -> Vec<String> {
    let unit = |id: Option<i64>| id.and_then(|i| units.get(&i).cloned()).unwrap_or_default();
    let mut row = vec![
        user.id.to_string(),
        crate::privacy::display_name(user).to_owned(),
        user.username.clone().unwrap_or_default(),
        user.birth_year.to_string(),
        sex_label(user.sex.as_deref()).to_owned(),
        group_label(user).to_owned(),
        unit(user.unit_id),
        unit(user.residence_unit_id),
        user.role().label_vi().to_owned(),
        status_label(status_code(user)).to_owned(),
        channel_label(&user.channel).to_owned(),
        user.created_at.format("%d/%m/%Y").to_string(),
    ];
    if contacts {
        let phone = user
            .phone
            .as_deref()
            .map(super::phone::Phone::display_local);
        row.push(phone.unwrap_or_default());
        row.push(user.email.clone().unwrap_or_default());
        row.push(
            user.citizen_id_tail
                .as_deref()
                .map(mask)
                .unwrap_or_default(),
        );
    }
    row
}

/// The rows of an export of the accounts `filter` finds, newest first. When `contacts` is
/// asked for, the request is recorded (`people.export_contacts`, with the filter) first.
pub fn export(
    conn: &mut DbConn,
    actor: i64,
    filter: &Filter,
    contacts: bool,
) -> QueryResult<Vec<Vec<String>>> {
    if contacts {
        crate::db::write_tx(conn, |conn| {
            crate::audit::record(
                conn,
                actor,
                "people.export_contacts",
                "people",
                None,
                Some(&filter.describe()),
            )
        })?;
    }
    let units: HashMap<i64, String> = Unit::all(conn)?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let found = manage::search(conn, filter, 0, EXPORT_LIMIT)?;
    Ok(found.iter().map(|u| row(u, &units, contacts)).collect())
}
