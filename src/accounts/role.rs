//! Roles, and what each may reach.

use serde::Serialize;

/// What a person does here. Everyone can learn; other roles add tools.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Learner,
    Teacher,
    /// A member of the community digital team (Tổ công nghệ số cộng đồng).
    Helper,
    /// The head of a unit (agency, school, enterprise, tổ dân phố).
    Manager,
    Admin,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Learner,
        Role::Teacher,
        Role::Helper,
        Role::Manager,
        Role::Admin,
    ];

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Learner => "learner",
            Role::Teacher => "teacher",
            Role::Helper => "helper",
            Role::Manager => "manager",
            Role::Admin => "admin",
        }
    }

    pub fn label_vi(self) -> &'static str {
        match self {
            Role::Learner => "Học viên",
            Role::Teacher => "Giáo viên",
            Role::Helper => "Tổ công nghệ số cộng đồng",
            Role::Manager => "Quản lý đơn vị",
            Role::Admin => "Quản trị viên",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("root"), None);
    }
}
