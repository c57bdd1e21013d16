//! The shipped curriculum keeps its promises: enough courses for every group, each with four
//! or more lessons and twenty or more explained questions, every domain of the learners'
//! framework covered for every group, and a plan whose goals count shipped courses.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use hocvuso::content::frameworks;
use hocvuso::groups::Group;
use hocvuso::reports::plan::{self, Counts};

fn shipped() -> Vec<std::sync::Arc<hocvuso::content::Course>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("courses");
    let loaded = hocvuso::content::load_dir(&dir);
    assert!(
        loaded.problems.is_empty(),
        "{:?}",
        loaded
            .problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
    );
    loaded
        .courses
        .into_iter()
        .map(std::sync::Arc::new)
        .collect()
}

#[test]
fn every_group_has_two_full_courses_covering_every_domain() {
    let courses = shipped();
    assert!(courses.len() >= 10);
    let mut per_group: BTreeMap<Group, usize> = BTreeMap::new();
    let mut domains: BTreeMap<Group, BTreeSet<&str>> = BTreeMap::new();
    for c in &courses {
        assert!(
            c.lessons.len() >= 4,
            "{} has {} lessons",
            c.slug,
            c.lessons.len()
        );
        assert!(
            c.questions.len() >= 20,
            "{} has {} questions",
            c.slug,
            c.questions.len()
        );
        assert!(!c.goals.is_empty(), "{} names no plan goal", c.slug);
        assert!(
            c.questions
                .iter()
                .all(|q| !q.explanation_html.trim().is_empty())
        );
        let codes = c
            .competences
            .iter()
            .chain(c.questions.iter().flat_map(|q| q.tags.iter()));
        let course_domains: BTreeSet<&str> =
            codes.filter_map(|code| frameworks::domain(code)).collect();
        for g in &c.groups {
            *per_group.entry(*g).or_default() += 1;
            domains
                .entry(*g)
                .or_default()
                .extend(course_domains.iter().copied());
        }
    }
    for g in Group::ALL {
        assert!(
            per_group.get(&g).copied().unwrap_or(0) >= 2,
            "{g:?} needs two courses"
        );
        let covered = domains.get(&g).cloned().unwrap_or_default();
        for d in ["tt02-1", "tt02-2", "tt02-3", "tt02-4", "tt02-5", "tt02-6"] {
            assert!(covered.contains(d), "{g:?} courses do not cover {d}");
        }
    }
}

#[test]
fn the_shipped_plan_has_the_five_goals_and_counts_shipped_courses() {
    let courses = shipped();
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("courses/plan.toml");
    let plan = plan::load(&path, &courses).unwrap_or_else(|p| {
        panic!(
            "{:?}",
            p.iter().map(ToString::to_string).collect::<Vec<_>>()
        )
    });
    let numbers: Vec<u32> = plan.goals.iter().map(|g| g.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
    assert_eq!(plan.goals[1].target_percent, 100);
    assert!(plan.goals[0].strictly_above, "goal 1 is “trên 80%”");
    assert_eq!(plan.goals[3].counts, Counts::Confirmation("vneid".into()));
    for goal in &plan.goals {
        if let Counts::AnyOf(slugs) | Counts::AllOf(slugs) = &goal.counts {
            for slug in slugs {
                let course = courses.iter().find(|c| &c.slug == slug).unwrap();
                assert!(
                    course.goals.contains(&goal.number),
                    "{slug} should name goal {}",
                    goal.number
                );
            }
        }
    }
}
