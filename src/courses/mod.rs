//! Courses for learners: the catalog loaded from `courses/`, search, and lesson progress.
//! No HTTP here.

pub mod catalog;
pub mod progress;
pub mod search;

use std::collections::HashSet;

use serde::Serialize;

pub use catalog::{Catalog, Library, Media};

use crate::content::{Course, frameworks};

/// How far a learner is in a course.
#[derive(Debug, Clone, Serialize)]
pub struct CourseProgress {
    pub done: usize,
    pub total: usize,
    pub percent: u32,
    /// The lesson to open next: the first not done (1-based), or `None` when all are done.
    pub resume: Option<u32>,
}

impl CourseProgress {
    pub fn of(course: &Course, done: &HashSet<String>) -> CourseProgress {
        let total = course.lessons.len();
        let done_count = course
            .lessons
            .iter()
            .filter(|l| done.contains(&l.slug))
            .count();
        let resume = course
            .lessons
            .iter()
            .find(|l| !done.contains(&l.slug))
            .map(|l| l.number);
        let percent = (done_count * 100).checked_div(total).unwrap_or(0) as u32;
        CourseProgress {
            done: done_count,
            total,
            percent,
            resume,
        }
    }

    pub fn complete(&self) -> bool {
        self.total > 0 && self.done == self.total
    }
}

/// A competence code with its Vietnamese name, for pages.
#[derive(Debug, Clone, Serialize)]
pub struct Competence {
    pub code: String,
    pub name: &'static str,
}

pub fn competences(course: &Course) -> Vec<Competence> {
    course
        .competences
        .iter()
        .map(|c| Competence {
            code: c.clone(),
            name: frameworks::name_vi(c).unwrap_or(""),
        })
        .collect()
}
