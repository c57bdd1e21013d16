//! The plan file (`courses/plan.toml`): a ward's goals for a year, worded as in its plan, with
//! who each goal counts, which certificates or confirmations count toward it, the target and
//! the deadline. Another ward or year is another file. Checked like courses: every mistake is
//! a `path:line:column: message` problem.

use std::collections::BTreeSet;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::content::{Course, Problem, SourceFile};

/// Who a goal counts: the denominator, from population counts per unit.
pub const POPULATIONS: &[(&str, &str)] = &[
    (
        "officials",
        "Cán bộ, công chức, viên chức và người lao động của các cơ quan phường",
    ),
    ("students", "Học sinh"),
    ("adults", "Người dân trong độ tuổi trưởng thành"),
    ("workers", "Người lao động trong doanh nghiệp, hợp tác xã"),
];

/// Confirmations imported from outside that a goal can count.
pub const CONFIRMATIONS: &[&str] = &["vneid"];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct PlanFile {
    ward: String,
    title: String,
    year: i32,
    #[serde(default)]
    source: Option<String>,
    goals: Vec<Spanned<GoalFile>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct GoalFile {
    number: Spanned<u32>,
    title: String,
    counted: Spanned<String>,
    target_percent: Spanned<u32>,
    #[serde(default)]
    strictly_above: bool,
    deadline: Spanned<String>,
    #[serde(default)]
    certificates: Option<Spanned<CertificateRule>>,
    #[serde(default)]
    confirmations: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CertificateRule {
    #[serde(default)]
    any_of: Vec<Spanned<String>>,
    #[serde(default)]
    all_of: Vec<Spanned<String>>,
}

/// What counts toward a goal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Counts {
    /// A valid certificate of any of these courses.
    AnyOf(Vec<String>),
    /// Valid certificates of all of these courses.
    AllOf(Vec<String>),
    /// An imported confirmation (VNeID).
    Confirmation(String),
}

#[derive(Debug, Clone)]
pub struct Goal {
    pub number: u32,
    pub title: String,
    pub counted: String,
    pub target_percent: u32,
    pub strictly_above: bool,
    pub deadline: chrono::NaiveDate,
    pub counts: Counts,
}

#[derive(Debug, Clone)]
pub struct Plan {
    pub ward: String,
    pub title: String,
    pub year: i32,
    pub source: Option<String>,
    pub goals: Vec<Goal>,
}

/// Reads and checks a plan file against the loaded courses.
pub fn load(path: &Path, courses: &[std::sync::Arc<Course>]) -> Result<Plan, Vec<Problem>> {
    let file = SourceFile::read(path).map_err(|p| vec![p])?;
    let raw: PlanFile = toml::from_str(&file.text).map_err(|e| {
        let offset = e.span().map(|s| s.start).unwrap_or(0);
        vec![file.problem(offset, e.message().to_owned())]
    })?;
    let slugs: BTreeSet<&str> = courses.iter().map(|c| c.slug.as_str()).collect();
    let mut problems = Vec::new();
    let mut numbers = BTreeSet::new();
    let mut goals = Vec::new();
    if raw.goals.is_empty() {
        problems.push(Problem::whole(
            path,
            "the plan has no goals; add [[goals]] tables",
        ));
    }
    for g in &raw.goals {
        if let Some(goal) = check_goal(&file, g, &slugs, &mut numbers, &mut problems) {
            goals.push(goal);
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    goals.sort_by_key(|g| g.number);
    Ok(Plan {
        ward: raw.ward,
        title: raw.title,
        year: raw.year,
        source: raw.source,
        goals,
    })
}

fn check_goal(
    file: &SourceFile,
    g: &Spanned<GoalFile>,
    slugs: &BTreeSet<&str>,
    numbers: &mut BTreeSet<u32>,
    problems: &mut Vec<Problem>,
) -> Option<Goal> {
    let goal = g.get_ref();
    let before = problems.len();
    let number = *goal.number.get_ref();
    if !numbers.insert(number) {
        problems.push(file.problem(
            goal.number.span().start,
            format!("goal number {number} is used twice"),
        ));
    }
    let counted = goal.counted.get_ref();
    if !POPULATIONS.iter().any(|(code, _)| code == counted) {
        let known: Vec<&str> = POPULATIONS.iter().map(|(c, _)| *c).collect();
        problems.push(file.problem(
            goal.counted.span().start,
            format!(
                "unknown population \"{counted}\"; use one of {}",
                known.join(", ")
            ),
        ));
    }
    let target = *goal.target_percent.get_ref();
    if !(1..=100).contains(&target) {
        problems.push(file.problem(
            goal.target_percent.span().start,
            "target_percent must be from 1 to 100",
        ));
    }
    let deadline = chrono::NaiveDate::parse_from_str(goal.deadline.get_ref(), "%Y-%m-%d").ok();
    if deadline.is_none() {
        problems.push(file.problem(
            goal.deadline.span().start,
            "deadline must be a date written like \"2026-12-31\"",
        ));
    }
    let counts = counts_of(file, g, slugs, problems);
    if problems.len() > before {
        return None;
    }
    Some(Goal {
        number,
        title: goal.title.clone(),
        counted: counted.clone(),
        target_percent: target,
        strictly_above: goal.strictly_above,
        deadline: deadline?,
        counts: counts?,
    })
}

fn counts_of(
    file: &SourceFile,
    g: &Spanned<GoalFile>,
    slugs: &BTreeSet<&str>,
    problems: &mut Vec<Problem>,
) -> Option<Counts> {
    let goal = g.get_ref();
    match (&goal.certificates, &goal.confirmations) {
        (Some(rule), None) => {
            let r = rule.get_ref();
            let (list, all) = match (r.any_of.is_empty(), r.all_of.is_empty()) {
                (false, true) => (&r.any_of, false),
                (true, false) => (&r.all_of, true),
                _ => {
                    problems.push(file.problem(
                        rule.span().start,
                        "certificates needs exactly one of any_of or all_of, with course slugs",
                    ));
                    return None;
                }
            };
            for slug in list {
                if !slugs.contains(slug.get_ref().as_str()) {
                    problems.push(file.problem(
                        slug.span().start,
                        format!("no course \"{}\" in the courses folder", slug.get_ref()),
                    ));
                }
            }
            let list: Vec<String> = list.iter().map(|s| s.get_ref().clone()).collect();
            Some(if all {
                Counts::AllOf(list)
            } else {
                Counts::AnyOf(list)
            })
        }
        (None, Some(c)) if CONFIRMATIONS.contains(&c.get_ref().as_str()) => {
            Some(Counts::Confirmation(c.get_ref().clone()))
        }
        (None, Some(c)) => {
            problems.push(file.problem(
                c.span().start,
                format!("unknown confirmations \"{}\"; use \"vneid\"", c.get_ref()),
            ));
            None
        }
        _ => {
            problems.push(file.problem(g.span().start, "a goal counts either certificates = { any_of = [...] } or confirmations = \"vneid\", not both or neither"));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("hvs-plan-{:x}", rand::random::<u64>()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("plan.toml");
        std::fs::write(&path, text).unwrap();
        path
    }

    const GOOD: &str = r#"ward = "Phường Thử"
title = "Kế hoạch thử"
year = 2026

[[goals]]
number = 3
title = "80% người dân"
counted = "adults"
target_percent = 80
deadline = "2026-12-31"
certificates = { any_of = [] , all_of = [] }
"#;

    #[test]
    fn a_goal_must_count_something() {
        let problems = load(&write(GOOD), &[]).unwrap_err();
        assert!(
            problems[0]
                .to_string()
                .contains("plan.toml:11:16: certificates needs exactly one of any_of or all_of"),
            "{}",
            problems[0]
        );
    }

    #[test]
    fn every_mistake_names_its_line_and_column() {
        let text = GOOD
            .replace("counted = \"adults\"", "counted = \"elders\"")
            .replace("target_percent = 80", "target_percent = 180")
            .replace("\"2026-12-31\"", "\"31/12/2026\"")
            .replace(
                "certificates = { any_of = [] , all_of = [] }",
                "certificates = { any_of = [\"khong-co\"] }",
            );
        let problems: Vec<String> = load(&write(&text), &[])
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        let expected = [
            ":8:11: unknown population \"elders\"; use one of officials, students, adults, workers",
            ":9:18: target_percent must be from 1 to 100",
            ":10:12: deadline must be a date written like \"2026-12-31\"",
            ":11:28: no course \"khong-co\" in the courses folder",
        ];
        for (p, e) in problems.iter().zip(expected) {
            assert!(p.ends_with(e), "{p} should end with {e}");
        }
        let unknown = load(
            &write(&GOOD.replace("year = 2026", "year = 2026\nmayor = \"x\"")),
            &[],
        )
        .unwrap_err();
        assert!(
            unknown[0]
                .to_string()
                .contains(":4:1: unknown field `mayor`"),
            "{}",
            unknown[0]
        );
    }
}
