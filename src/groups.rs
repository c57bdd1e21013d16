//! The plan's target groups (nhóm đối tượng): who a learner is, and who a course or a
//! `::: only` passage is written for. Shared by accounts, courses and reports.

use std::fmt;

/// Who a course or a `::: only` passage is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    Officials,
    Students,
    Workers,
    Elderly,
}

/// An unknown group name; `Display` is the message shown to teachers.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown group \"{0}\"; use one of officials, students, workers, elderly")]
pub struct UnknownGroup(pub String);

impl Group {
    /// Every group, in catalog order.
    pub const ALL: [Group; 4] = [
        Group::Officials,
        Group::Students,
        Group::Workers,
        Group::Elderly,
    ];

    /// Parses the name used in course files (`officials`, `students`, `workers`, `elderly`).
    pub fn parse(s: &str) -> Result<Self, UnknownGroup> {
        Self::ALL
            .into_iter()
            .find(|g| g.as_str() == s)
            .ok_or_else(|| UnknownGroup(s.to_string()))
    }

    /// The name used in course files, URLs and `data-groups`.
    pub fn as_str(self) -> &'static str {
        match self {
            Group::Officials => "officials",
            Group::Students => "students",
            Group::Workers => "workers",
            Group::Elderly => "elderly",
        }
    }

    /// The Vietnamese name shown to people.
    pub fn label_vi(self) -> &'static str {
        match self {
            Group::Officials => "Cán bộ, công chức, viên chức",
            Group::Students => "Học sinh",
            Group::Workers => "Người lao động (doanh nghiệp, hợp tác xã)",
            Group::Elderly => "Người dân, người cao tuổi",
        }
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_group_parses_back_from_its_name() {
        for g in Group::ALL {
            assert_eq!(Group::parse(g.as_str()), Ok(g));
        }
    }

    #[test]
    fn unknown_groups_are_refused_with_the_list_of_names() {
        let err = Group::parse("elders").err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("unknown group \"elders\"; use one of officials, students, workers, elderly")
        );
        assert!(Group::parse("Elderly").is_err());
    }

    #[test]
    fn groups_have_vietnamese_labels() {
        assert_eq!(Group::Officials.label_vi(), "Cán bộ, công chức, viên chức");
        assert_eq!(Group::Students.label_vi(), "Học sinh");
        assert_eq!(
            Group::Workers.label_vi(),
            "Người lao động (doanh nghiệp, hợp tác xã)"
        );
        assert_eq!(Group::Elderly.label_vi(), "Người dân, người cao tuổi");
    }
}
