//! Course figures: enrolments, completion, the final test's pass rate and averages, the change
//! from pre-test to final test, and the same per course version.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::{Data, Row, percent};
use crate::assessment::Kind;

/// The figures of one course.
#[derive(Debug, Clone, PartialEq)]
pub struct CourseStats {
    /// Learners with a lesson done or a submitted attempt.
    pub enrolled: usize,
    /// Learners with every current lesson done.
    pub completed: usize,
    pub completed_percent: u32,
    pub finals: TestFigures,
    pub pretests: TestFigures,
    pub pre_post: Option<PrePost>,
    /// One row per course version with submitted attempts, oldest version first.
    pub versions: Vec<VersionFigures>,
}

/// Figures of one kind of test.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TestFigures {
    /// Learners with a submitted attempt.
    pub takers: usize,
    /// Learners who passed at least once.
    pub passers: usize,
    /// `passers` of `takers`, in percent.
    pub pass_rate: u32,
    pub attempts: usize,
    /// Average of each learner's best score.
    pub average_best: Option<f64>,
    /// Average of every attempt's score.
    pub average_all: Option<f64>,
}

/// Learners with both a pre-test and a final test.
#[derive(Debug, Clone, PartialEq)]
pub struct PrePost {
    pub learners: usize,
    /// Average of each learner's first pre-test.
    pub average_pretest: f64,
    /// Average of each learner's best final test.
    pub average_final: f64,
    /// Average of (best final − first pre-test), in points.
    pub average_change: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VersionFigures {
    pub version: String,
    pub finals: TestFigures,
    pub pretest_attempts: usize,
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// Figures of the attempts given (all of one kind).
pub fn test_figures<'a>(rows: impl Iterator<Item = &'a Row>) -> TestFigures {
    let mut best: HashMap<i64, i32> = HashMap::new();
    let mut passers: HashSet<i64> = HashSet::new();
    let mut scores: Vec<f64> = Vec::new();
    for r in rows {
        let b = best.entry(r.user_id).or_insert(r.score);
        *b = (*b).max(r.score);
        if r.passed {
            passers.insert(r.user_id);
        }
        scores.push(f64::from(r.score));
    }
    TestFigures {
        takers: best.len(),
        passers: passers.len(),
        pass_rate: percent(passers.len(), best.len()),
        attempts: scores.len(),
        average_best: mean(best.values().map(|s| f64::from(*s))),
        average_all: mean(scores.into_iter()),
    }
}

/// Each learner's first pre-test against their best final test (attempts oldest first).
fn pre_post(rows: &[Row]) -> Option<PrePost> {
    let mut first_pre: HashMap<i64, i32> = HashMap::new();
    let mut best_final: HashMap<i64, i32> = HashMap::new();
    for r in rows {
        match r.kind {
            Kind::Pretest => {
                first_pre.entry(r.user_id).or_insert(r.score);
            }
            Kind::Final => {
                let b = best_final.entry(r.user_id).or_insert(r.score);
                *b = (*b).max(r.score);
            }
        }
    }
    let pairs: Vec<(f64, f64)> = first_pre
        .iter()
        .filter_map(|(user, pre)| {
            best_final
                .get(user)
                .map(|f| (f64::from(*pre), f64::from(*f)))
        })
        .collect();
    Some(PrePost {
        learners: pairs.len(),
        average_pretest: mean(pairs.iter().map(|p| p.0))?,
        average_final: mean(pairs.iter().map(|p| p.1))?,
        average_change: mean(pairs.iter().map(|p| p.1 - p.0))?,
    })
}

fn versions(rows: &[Row]) -> Vec<VersionFigures> {
    let mut order: Vec<&str> = Vec::new();
    let mut by_version: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for r in rows {
        if !by_version.contains_key(r.version.as_str()) {
            order.push(&r.version);
        }
        by_version.entry(&r.version).or_default().push(r);
    }
    order
        .into_iter()
        .map(|v| {
            let rows = by_version.get(v).map(Vec::as_slice).unwrap_or_default();
            VersionFigures {
                version: v.to_string(),
                finals: test_figures(rows.iter().copied().filter(|r| r.kind == Kind::Final)),
                pretest_attempts: rows.iter().filter(|r| r.kind == Kind::Pretest).count(),
            }
        })
        .collect()
}

/// The course's figures; `lesson_slugs` are the course's current lessons.
pub fn compute(data: &Data, lesson_slugs: &[&str]) -> CourseStats {
    let mut enrolled: HashSet<i64> = data.lessons_done.keys().copied().collect();
    enrolled.extend(data.attempts.iter().map(|r| r.user_id));
    let completed = data
        .lessons_done
        .values()
        .filter(|done| lesson_slugs.iter().all(|l| done.contains(*l)))
        .count();
    let of_kind = |kind: Kind| data.attempts.iter().filter(move |r| r.kind == kind);
    CourseStats {
        enrolled: enrolled.len(),
        completed,
        completed_percent: percent(completed, enrolled.len()),
        finals: test_figures(of_kind(Kind::Final)),
        pretests: test_figures(of_kind(Kind::Pretest)),
        pre_post: pre_post(&data.attempts),
        versions: versions(&data.attempts),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn row(user_id: i64, kind: Kind, score: i32, minute: u32, version: &str) -> Row {
        Row {
            user_id,
            kind,
            version: version.into(),
            score,
            passed: kind == Kind::Final && score >= 70,
            submitted_at: NaiveDate::from_ymd_opt(2026, 11, 1)
                .and_then(|d| d.and_hms_opt(8, minute, 0))
                .unwrap(),
            results: Vec::new(),
        }
    }

    fn data() -> Data {
        use Kind::*;
        let mut d = Data {
            attempts: vec![
                row(1, Pretest, 20, 0, "v1"),
                row(1, Final, 60, 1, "v1"),
                row(1, Pretest, 90, 2, "v1"),
                row(1, Final, 80, 3, "v2"),
                row(2, Pretest, 40, 4, "v2"),
                row(2, Final, 50, 5, "v2"),
                row(3, Final, 90, 6, "v2"),
            ],
            ..Data::default()
        };
        for (user, lessons) in [(1, &["a", "b"][..]), (4, &["a"]), (5, &["a", "b"])] {
            d.lessons_done
                .insert(user, lessons.iter().map(|s| s.to_string()).collect());
        }
        d
    }

    #[test]
    fn enrolments_count_lessons_and_attempts_once_per_learner() {
        let s = compute(&data(), &["a", "b"]);
        assert_eq!(s.enrolled, 5, "learners 1–5");
        assert_eq!(s.completed, 2, "learners 1 and 5");
        assert_eq!(s.completed_percent, 40);
    }

    #[test]
    fn the_final_test_counts_learners_for_passing_and_best_scores() {
        let s = compute(&data(), &["a", "b"]);
        assert_eq!(s.finals.takers, 3);
        assert_eq!(s.finals.passers, 2);
        assert_eq!(s.finals.pass_rate, 67);
        assert_eq!(s.finals.attempts, 4);
        assert_eq!(s.finals.average_best, Some((80.0 + 50.0 + 90.0) / 3.0));
        assert_eq!(
            s.finals.average_all,
            Some((60.0 + 80.0 + 50.0 + 90.0) / 4.0)
        );
        assert_eq!(s.pretests.takers, 2);
        assert_eq!(s.pretests.passers, 0);
    }

    #[test]
    fn pre_post_takes_the_first_pretest_and_the_best_final() {
        let p = compute(&data(), &[]).pre_post.unwrap();
        assert_eq!(p.learners, 2);
        assert_eq!(p.average_pretest, 30.0, "20 and 40, not the later 90");
        assert_eq!(p.average_final, 65.0, "80 and 50");
        assert_eq!(p.average_change, 35.0);
    }

    #[test]
    fn no_pair_means_no_pre_post_and_versions_keep_their_order() {
        let d = Data {
            attempts: vec![
                row(1, Kind::Final, 70, 0, "new"),
                row(2, Kind::Pretest, 10, 1, "old"),
            ],
            ..Data::default()
        };
        let s = compute(&d, &["a"]);
        assert_eq!(s.pre_post, None);
        let names: Vec<&str> = s.versions.iter().map(|v| v.version.as_str()).collect();
        assert_eq!(names, ["new", "old"]);
        assert_eq!(s.versions[0].finals.passers, 1);
        assert_eq!(s.versions[1].pretest_attempts, 1);
        assert_eq!(s.completed, 0);
    }

    #[test]
    fn an_empty_course_has_zeros_and_no_averages() {
        let s = compute(&Data::default(), &["a"]);
        assert_eq!(s.enrolled, 0);
        assert_eq!(s.finals, TestFigures::default());
        assert!(s.versions.is_empty());
    }
}
