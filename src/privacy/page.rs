//! What the "Dữ liệu của tôi" page shows, in plain Vietnamese: each field kept about the person
//! with why it is kept, the current decision per purpose, and every decision ever made.

use chrono::NaiveDateTime;
use serde::Serialize;

use super::consent::{self, Consent, GivenBy};
use crate::accounts::User;
use crate::accounts::citizen_id::mask;
use crate::accounts::phone::Phone;
use crate::groups::Group;

/// A stored time (UTC) as people in Vietnam read it (UTC+7).
pub fn time_vi(at: NaiveDateTime) -> String {
    (at + chrono::Duration::hours(7))
        .format("%H:%M ngày %d/%m/%Y")
        .to_string()
}

/// One field kept about the person.
#[derive(Debug, Serialize)]
pub struct FieldView {
    pub label: &'static str,
    pub value: String,
    pub why: &'static str,
}

/// The current decision on one purpose.
#[derive(Debug, Serialize)]
pub struct ConsentView {
    pub field: &'static str,
    pub text: &'static str,
    pub required: bool,
    pub granted: bool,
    pub when: String,
    pub version: String,
    pub given_by: String,
}

/// One decision of the history, newest first on the page.
#[derive(Debug, Serialize)]
pub struct HistoryView {
    pub text: String,
    pub granted: bool,
    pub when: String,
    pub version: String,
    pub given_by: String,
}

/// Who made a decision, as the page says it.
fn given_by_vi(c: &Consent) -> String {
    let who = if c.given_by == GivenBy::Guardian.as_str() {
        match &c.guardian_name {
            Some(name) => format!("cha, mẹ hoặc người giám hộ ({name})"),
            None => "cha, mẹ hoặc người giám hộ".to_owned(),
        }
    } else {
        "bạn".to_owned()
    };
    if c.recorded_by.is_some() {
        format!("{who}, người hỗ trợ ghi giúp")
    } else {
        who
    }
}

fn field(label: &'static str, value: String, why: &'static str) -> FieldView {
    FieldView { label, value, why }
}

/// Every field kept about `user`, with why; `unit` and `residence` are the units' names.
pub fn fields(user: &User, unit: Option<String>, residence: Option<String>) -> Vec<FieldView> {
    let mut fields = vec![field(
        "Họ và tên",
        user.full_name.clone(),
        "In trên chứng nhận của bạn và để người hỗ trợ nhận ra bạn.",
    )];
    if let Some(phone) = &user.phone {
        let why = "Để bạn đăng nhập và lấy lại mật khẩu.";
        fields.push(field("Số điện thoại", Phone::display_local(phone), why));
    }
    if let Some(email) = &user.email {
        let why = "Để bạn đăng nhập, lấy lại mật khẩu và nhận thư báo chứng nhận.";
        fields.push(field("Email", email.clone(), why));
    }
    if let Some(username) = &user.username {
        let why = "Để bạn đăng nhập khi không có số điện thoại hay email.";
        fields.push(field("Tên đăng nhập", username.clone(), why));
    }
    fields.push(field(
        "Năm sinh",
        user.birth_year.to_string(),
        "Để biết cần cha mẹ đồng ý hay không (dưới 16 tuổi) và đếm theo độ tuổi trong báo cáo.",
    ));
    let sex = match user.sex.as_deref() {
        Some("nam") => "Nam",
        Some("nu") => "Nữ",
        _ => "Không nêu",
    };
    fields.push(field(
        "Giới tính",
        sex.into(),
        "Không bắt buộc. Chỉ để đếm số người học theo giới tính trong báo cáo.",
    ));
    fields.push(field(
        "Nhóm",
        user.group().map(Group::label_vi).unwrap_or("—").into(),
        "Để hiện bài học viết cho nhóm của bạn và đếm theo nhóm trong báo cáo.",
    ));
    if let Some(unit) = unit {
        let why =
            "Để đơn vị của bạn biết bao nhiêu người đã học xong (không nêu tên trong báo cáo).";
        fields.push(field("Đơn vị", unit, why));
    }
    if let Some(residence) = residence {
        let why = "Để đếm tiến độ của từng tổ dân phố.";
        fields.push(field("Tổ dân phố nơi ở", residence, why));
    }
    if let Some(tail) = &user.citizen_id_tail {
        let why = "Để đối chiếu với danh sách xác nhận của phường. Chúng tôi không lưu cả số, \
                   chỉ một mã không đọc ngược được và 3 số cuối.";
        fields.push(field("Số định danh (CCCD)", mask(tail), why));
    }
    fields.push(field(
        "Kết quả học",
        "Bài đã học, bài kiểm tra, điểm và chứng nhận".into(),
        "Để bạn học tiếp chỗ đang dở, nhận chứng nhận, và để đếm (không nêu tên) trong báo cáo \
         của phường.",
    ));
    fields
}

/// The current decision on every purpose, in the order of `consent::PURPOSES`.
pub fn current(current: &[Consent]) -> Vec<ConsentView> {
    consent::PURPOSES
        .iter()
        .filter_map(|p| {
            let field = consent::field_name(p.code)?;
            let c = current.iter().find(|c| c.purpose == p.code);
            Some(ConsentView {
                field,
                text: p.text_vi,
                required: p.required,
                granted: c.is_some_and(|c| c.granted),
                when: c.map(|c| time_vi(c.at)).unwrap_or_default(),
                version: c.map(|c| c.version.clone()).unwrap_or_default(),
                given_by: c.map(given_by_vi).unwrap_or_default(),
            })
        })
        .collect()
}

/// Every decision, newest first.
pub fn history(history: &[Consent]) -> Vec<HistoryView> {
    history
        .iter()
        .rev()
        .map(|c| HistoryView {
            text: consent::purpose(&c.purpose)
                .map(|p| p.text_vi.to_owned())
                .unwrap_or_else(|| c.purpose.clone()),
            granted: c.granted,
            when: time_vi(c.at),
            version: c.version.clone(),
            given_by: given_by_vi(c),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(purpose: &str, given_by: &str, guardian: Option<&str>) -> Consent {
        Consent {
            id: 1,
            user_id: 1,
            purpose: purpose.into(),
            version: consent::VERSION.into(),
            granted: true,
            given_by: given_by.into(),
            guardian_name: guardian.map(str::to_owned),
            recorded_by: None,
            at: chrono::NaiveDate::from_ymd_opt(2026, 3, 1)
                .and_then(|d| d.and_hms_opt(2, 30, 0))
                .unwrap_or_default(),
        }
    }

    #[test]
    fn times_are_shown_in_vietnam_and_guardians_are_named() {
        let views = current(&[decision("learning", "guardian", Some("Trần Văn Bình"))]);
        assert_eq!(views.len(), consent::PURPOSES.len());
        assert_eq!(views[0].when, "09:30 ngày 01/03/2026");
        assert!(views[0].given_by.contains("Trần Văn Bình"));
        assert!(views[0].granted && !views[1].granted);
        assert_eq!(
            history(&[decision("reports", "self", None)])[0].given_by,
            "bạn"
        );
    }
}
