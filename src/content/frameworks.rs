//! The competence codes courses and questions are tagged with, and their Vietnamese display
//! names: the one table in the code base (see `shared/frameworks.md` §1.1 and §4). A code
//! is never renumbered; a later rename changes only the name here.

/// What a code stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A TT02 domain (`tt02-4`), derived for reports; authors do not write it.
    Domain,
    /// A component competence (`tt02-4.2`, `bttt3139-0.1`): what courses and questions carry.
    Competence,
    /// A TT02 grade (`tt02-b1` … `tt02-b8`): a course's target level.
    Level,
}

use Kind::{Competence as C, Domain as D, Level as L};

/// Every known code with its kind and Vietnamese name.
pub const CODES: &[(&str, Kind, &str)] = &[
    ("tt02-1", D, "Khai thác dữ liệu và thông tin"),
    (
        "tt02-1.1",
        C,
        "Duyệt, tìm kiếm và lọc dữ liệu, thông tin và nội dung số",
    ),
    ("tt02-1.2", C, "Đánh giá dữ liệu, thông tin và nội dung số"),
    ("tt02-1.3", C, "Quản lý dữ liệu, thông tin và nội dung số"),
    ("tt02-2", D, "Giao tiếp và hợp tác trong môi trường số"),
    ("tt02-2.1", C, "Tương tác thông qua công nghệ số"),
    (
        "tt02-2.2",
        C,
        "Chia sẻ thông tin và nội dung thông qua công nghệ số",
    ),
    (
        "tt02-2.3",
        C,
        "Sử dụng công nghệ số để thực hiện trách nhiệm công dân",
    ),
    ("tt02-2.4", C, "Hợp tác thông qua công nghệ số"),
    ("tt02-2.5", C, "Quy tắc ứng xử trên mạng"),
    ("tt02-2.6", C, "Quản lý danh tính số"),
    ("tt02-3", D, "Sáng tạo nội dung số"),
    ("tt02-3.1", C, "Phát triển nội dung số"),
    ("tt02-3.2", C, "Tích hợp và tạo lập lại nội dung số"),
    ("tt02-3.3", C, "Thực thi bản quyền và giấy phép"),
    ("tt02-3.4", C, "Lập trình"),
    ("tt02-4", D, "An toàn"),
    ("tt02-4.1", C, "Bảo vệ thiết bị"),
    ("tt02-4.2", C, "Bảo vệ dữ liệu cá nhân và quyền riêng tư"),
    ("tt02-4.3", C, "Bảo vệ sức khỏe và an sinh số"),
    ("tt02-4.4", C, "Bảo vệ môi trường"),
    ("tt02-5", D, "Giải quyết vấn đề"),
    ("tt02-5.1", C, "Giải quyết các vấn đề kỹ thuật"),
    ("tt02-5.2", C, "Xác định nhu cầu và giải pháp công nghệ"),
    ("tt02-5.3", C, "Sử dụng sáng tạo công nghệ số"),
    (
        "tt02-5.4",
        C,
        "Xác định các vấn đề cần cải thiện về năng lực số",
    ),
    ("tt02-6", D, "Ứng dụng trí tuệ nhân tạo"),
    ("tt02-6.1", C, "Hiểu biết về trí tuệ nhân tạo"),
    ("tt02-6.2", C, "Sử dụng trí tuệ nhân tạo"),
    ("tt02-6.3", C, "Đánh giá trí tuệ nhân tạo"),
    ("tt02-b1", L, "Bậc 1 (Cơ bản)"),
    ("tt02-b2", L, "Bậc 2 (Cơ bản)"),
    ("tt02-b3", L, "Bậc 3 (Trung cấp)"),
    ("tt02-b4", L, "Bậc 4 (Trung cấp)"),
    ("tt02-b5", L, "Bậc 5 (Nâng cao)"),
    ("tt02-b6", L, "Bậc 6 (Nâng cao)"),
    ("tt02-b7", L, "Bậc 7 (Chuyên sâu)"),
    ("tt02-b8", L, "Bậc 8 (Chuyên sâu)"),
    ("bttt3139-0.1", C, "Sử dụng thiết bị"),
    ("bttt3139-0.2", C, "Sử dụng phần mềm trên thiết bị"),
    (
        "bttt3139-1.1",
        C,
        "Tìm kiếm, chọn lọc thông tin trên Internet",
    ),
    (
        "bttt3139-1.2",
        C,
        "Đánh giá dữ liệu, thông tin và nội dung trên môi trường Internet",
    ),
    ("bttt3139-1.3", C, "Quản lý dữ liệu, thông tin và nội dung"),
];

fn find(code: &str) -> Option<&'static (&'static str, Kind, &'static str)> {
    CODES.iter().find(|(c, _, _)| *c == code)
}

/// True for every code in the table (domains, competences and levels).
pub fn is_known(code: &str) -> bool {
    find(code).is_some()
}

/// The kind of a known code.
pub fn kind(code: &str) -> Option<Kind> {
    find(code).map(|(_, k, _)| *k)
}

/// True for the codes a course's `competences` and a question's `tags` may use.
pub fn is_competence(code: &str) -> bool {
    kind(code) == Some(Kind::Competence)
}

/// True for `tt02-b1` … `tt02-b8`.
pub fn is_level(code: &str) -> bool {
    kind(code) == Some(Kind::Level)
}

/// The Vietnamese display name of a known code.
pub fn name_vi(code: &str) -> Option<&'static str> {
    find(code).map(|(_, _, name)| *name)
}

/// The TT02 domain a code rolls up to in reports: `tt02-4.2` → `tt02-4`, and a domain to
/// itself. `None` for levels, unknown codes and the 3139 device skills (reported apart).
pub fn domain(code: &str) -> Option<&'static str> {
    let (code, kind, _) = find(code)?;
    match kind {
        Kind::Domain => Some(code),
        Kind::Level => None,
        Kind::Competence => {
            let (prefix, _) = code.split_once('.')?;
            find(prefix).map(|(c, _, _)| *c)
        }
    }
}

/// The message for a code that is not a competence, with a hint when it is a domain or level.
pub fn unknown_competence_message(code: &str) -> String {
    match kind(code) {
        Some(Kind::Domain) => format!(
            "\"{code}\" is a domain, not a competence; use one of its competences, like {code}.1"
        ),
        Some(Kind::Level) => format!(
            "\"{code}\" is a level; write it as level = \"{code}\" and use competence codes here"
        ),
        _ => format!(
            "unknown competence code \"{code}\"; use tt02-1.1 … tt02-6.3 or bttt3139-0.1, 0.2, 1.1 … 1.3"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_24_tt02_competences_6_domains_8_levels_and_5_device_skills() {
        let count = |prefix: &str, k: Kind| {
            CODES
                .iter()
                .filter(|(c, kind, _)| c.starts_with(prefix) && *kind == k)
                .count()
        };
        assert_eq!(count("tt02-", Kind::Competence), 24);
        assert_eq!(count("tt02-", Kind::Domain), 6);
        assert_eq!(count("tt02-b", Kind::Level), 8);
        assert_eq!(count("bttt3139-", Kind::Competence), 5);
    }

    #[test]
    fn codes_have_vietnamese_names() {
        assert_eq!(
            name_vi("tt02-4.2"),
            Some("Bảo vệ dữ liệu cá nhân và quyền riêng tư")
        );
        assert_eq!(name_vi("tt02-6"), Some("Ứng dụng trí tuệ nhân tạo"));
        assert_eq!(name_vi("bttt3139-0.1"), Some("Sử dụng thiết bị"));
        assert_eq!(name_vi("tt02-7.1"), None);
        assert!(is_known("tt02-b8") && is_level("tt02-b8") && !is_competence("tt02-b8"));
        assert!(!is_known("TT02-4.2"));
    }

    #[test]
    fn competences_roll_up_to_their_domain() {
        assert_eq!(domain("tt02-4.2"), Some("tt02-4"));
        assert_eq!(domain("tt02-6.3"), Some("tt02-6"));
        assert_eq!(domain("tt02-1"), Some("tt02-1"));
        assert_eq!(domain("tt02-b3"), None);
        assert_eq!(domain("bttt3139-1.1"), None);
        assert_eq!(domain("nope"), None);
    }

    #[test]
    fn unknown_competence_messages_give_a_hint() {
        assert_eq!(
            unknown_competence_message("tt02-4"),
            "\"tt02-4\" is a domain, not a competence; use one of its competences, like tt02-4.1"
        );
        assert_eq!(
            unknown_competence_message("tt02-b2"),
            "\"tt02-b2\" is a level; write it as level = \"tt02-b2\" and use competence codes here"
        );
        assert_eq!(
            unknown_competence_message("tt02-9.9"),
            "unknown competence code \"tt02-9.9\"; use tt02-1.1 … tt02-6.3 or bttt3139-0.1, 0.2, 1.1 … 1.3"
        );
    }
}
