//! The plan's target groups (nhóm đối tượng), shared by accounts, courses and reports.

use serde::Serialize;

/// Who a learner is, and who a course or passage is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    /// Cán bộ, công chức, viên chức.
    Officials,
    /// Học sinh.
    Students,
    /// Người lao động trong doanh nghiệp, hợp tác xã.
    Workers,
    /// Người dân trưởng thành, người cao tuổi.
    Elderly,
}

impl Group {
    pub const ALL: [Group; 4] = [
        Group::Elderly,
        Group::Students,
        Group::Workers,
        Group::Officials,
    ];

    /// Parses the code used in files and forms (`officials`, `students`, `workers`, `elderly`).
    pub fn parse(s: &str) -> Option<Group> {
        match s.trim() {
            "officials" => Some(Group::Officials),
            "students" => Some(Group::Students),
            "workers" => Some(Group::Workers),
            "elderly" => Some(Group::Elderly),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Group::Officials => "officials",
            Group::Students => "students",
            Group::Workers => "workers",
            Group::Elderly => "elderly",
        }
    }

    /// The group's name as people say it.
    pub fn label_vi(self) -> &'static str {
        match self {
            Group::Officials => "Cán bộ, công chức, viên chức",
            Group::Students => "Học sinh",
            Group::Workers => "Người lao động (doanh nghiệp, hợp tác xã)",
            Group::Elderly => "Người dân, người cao tuổi",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Group;

    #[test]
    fn every_group_round_trips_through_its_code() {
        for g in Group::ALL {
            assert_eq!(Group::parse(g.as_str()), Some(g));
        }
        assert_eq!(Group::parse("elders"), None);
    }
}
