//! What a person's page shows an administrator: details (phone in full, the citizen ID only
//! masked), role, status, units managed, learning progress and the audit entries about them.

use serde::Serialize;

use crate::accounts::citizen_id::mask;
use crate::accounts::listing::{channel_label, group_label, sex_label, status_code, status_label};
use crate::accounts::manage::{self, Progress};
use crate::accounts::{Unit, User};
use crate::db::DbConn;
use crate::error::AppError;

/// Audit entries shown on the page.
const HISTORY: i64 = 20;

#[derive(Serialize)]
pub struct PersonView {
    pub id: i64,
    pub name: String,
    pub erased: bool,
    pub active: bool,
    pub status: &'static str,
    pub status_label: &'static str,
    pub username: Option<String>,
    pub phone: String,
    pub email: Option<String>,
    /// `•••••••••123`, or none.
    pub citizen_id: Option<String>,
    pub birth_year: i32,
    pub sex: &'static str,
    pub group: &'static str,
    pub unit: Option<String>,
    pub residence: Option<String>,
    pub role: &'static str,
    pub role_label: &'static str,
    pub channel: &'static str,
    pub created: String,
    pub must_change_password: bool,
    pub managed: Vec<Unit>,
    pub progress: Progress,
    pub history: Vec<HistoryRow>,
}

#[derive(Serialize)]
pub struct HistoryRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub before: String,
    pub after: String,
}

/// Plain words for the audit actions about a person (the code itself for others).
fn action_label(action: &str) -> &str {
    match action {
        "user.edit" => "Sửa thông tin",
        "user.role" => "Đổi vai trò",
        "user.active" => "Khoá / mở lại tài khoản",
        "user.password_reset" => "Đặt lại mật khẩu",
        "user.erase" => "Xoá dữ liệu theo yêu cầu",
        "unit.manager.add" => "Giao quản lý đơn vị",
        "unit.manager.remove" => "Thôi giao quản lý đơn vị",
        "team.register" => "Tổ công nghệ số đăng ký",
        "team.slip" => "In lại phiếu đăng nhập",
        "team.assist.start" => "Bắt đầu hỗ trợ học",
        "team.assist.end" => "Kết thúc hỗ trợ học",
        other => other,
    }
}

fn unit_name(conn: &mut DbConn, id: Option<i64>) -> Result<Option<String>, AppError> {
    Ok(match id {
        Some(id) => Unit::find(conn, id)?.map(|u| u.name),
        None => None,
    })
}

fn history(conn: &mut DbConn, id: i64) -> Result<Vec<HistoryRow>, AppError> {
    let entries = crate::audit::recent(conn, Some(&format!("user:{id}")), HISTORY)?;
    let mut rows = Vec::with_capacity(entries.len());
    for e in entries {
        let actor = match e.actor_id {
            Some(a) => manage::name_of(conn, a)?.unwrap_or_else(|| format!("user:{a}")),
            None => String::new(),
        };
        rows.push(HistoryRow {
            at: e.at.format("%d/%m/%Y %H:%M").to_string(),
            actor,
            action: action_label(&e.action).to_owned(),
            before: e.before_value.unwrap_or_default(),
            after: e.after_value.unwrap_or_default(),
        });
    }
    Ok(rows)
}

/// The page of account `id`, or `None` when there is no such account.
pub fn load(conn: &mut DbConn, id: i64) -> Result<Option<PersonView>, AppError> {
    let Some(u) = User::find(conn, id)? else {
        return Ok(None);
    };
    let status = status_code(&u);
    let role = u.role();
    Ok(Some(PersonView {
        id: u.id,
        name: crate::privacy::display_name(&u).to_owned(),
        erased: u.deleted_at.is_some(),
        active: u.active,
        status,
        status_label: status_label(status),
        username: u.username.clone(),
        phone: super::local_phone(u.phone.as_deref()),
        email: u.email.clone(),
        citizen_id: u.citizen_id_tail.as_deref().map(mask),
        birth_year: u.birth_year,
        sex: sex_label(u.sex.as_deref()),
        group: group_label(&u),
        unit: unit_name(conn, u.unit_id)?,
        residence: unit_name(conn, u.residence_unit_id)?,
        role: role.as_str(),
        role_label: role.label_vi(),
        channel: channel_label(&u.channel),
        created: u.created_at.format("%d/%m/%Y").to_string(),
        must_change_password: u.must_change_password,
        managed: manage::managed_unit_names(conn, id)?,
        progress: manage::progress(conn, id)?,
        history: history(conn, id)?,
    }))
}
