//! Who may start a test now: lessons finished (final test), not already passed, attempts
//! left, and the wait between attempts over.

use chrono::{Duration, NaiveDateTime};
use serde::Serialize;

use super::model::{Attempt, Kind};
use crate::content::Course;

/// The state of a learner's test at a course, with the reason when they cannot start.
#[derive(Debug, Clone, Serialize)]
pub struct Eligibility {
    pub can_start: bool,
    pub reason: Option<String>,
    pub attempts_used: usize,
    /// `None` when attempts are unlimited.
    pub attempts_left: Option<u32>,
    pub open_attempt: Option<i64>,
    pub passed: bool,
    pub best_score: Option<i32>,
}

/// Decides from the learner's attempts (newest first) and lesson progress.
pub fn decide(
    course: &Course,
    kind: Kind,
    lessons_done: bool,
    open: Option<&Attempt>,
    submitted: &[Attempt],
    has_certificate: bool,
    now: NaiveDateTime,
) -> Eligibility {
    let used = submitted.len();
    let max = course.test.max_attempts;
    let attempts_left = (kind == Kind::Final && max > 0).then(|| max.saturating_sub(used as u32));
    let best_score = submitted.iter().filter_map(|a| a.score).max();
    let mut e = Eligibility {
        can_start: false,
        reason: None,
        attempts_used: used,
        attempts_left,
        open_attempt: open.map(|a| a.id),
        passed: has_certificate,
        best_score,
    };
    e.reason = blocking_reason(
        course,
        kind,
        lessons_done,
        submitted,
        has_certificate,
        attempts_left,
        now,
    );
    e.can_start = e.reason.is_none() && open.is_none();
    e
}

fn blocking_reason(
    course: &Course,
    kind: Kind,
    lessons_done: bool,
    submitted: &[Attempt],
    has_certificate: bool,
    attempts_left: Option<u32>,
    now: NaiveDateTime,
) -> Option<String> {
    if kind == Kind::Pretest {
        if !course.test.pretest {
            return Some("Khoá học này không có bài kiểm tra đầu vào.".into());
        }
        return (!submitted.is_empty())
            .then(|| "Bạn đã làm bài kiểm tra đầu vào của khoá học này.".into());
    }
    if has_certificate {
        return Some("Bạn đã đạt bài kiểm tra này và đã có chứng nhận.".into());
    }
    if !lessons_done {
        return Some("Hãy học xong tất cả các bài trước khi làm bài kiểm tra.".into());
    }
    if attempts_left == Some(0) {
        return Some(format!(
            "Bạn đã dùng hết {} lần làm bài. Hãy liên hệ giáo viên hoặc quản trị viên nếu cần làm lại.",
            course.test.max_attempts
        ));
    }
    let cooldown = i64::from(course.test.cooldown_minutes);
    if let Some(last) = submitted.first().and_then(|a| a.submitted_at) {
        let ready = last + Duration::minutes(cooldown);
        if cooldown > 0 && now < ready {
            let wait = (ready - now).num_minutes() + 1;
            return Some(format!(
                "Hãy nghỉ một chút rồi ôn lại bài. Bạn có thể làm lại sau khoảng {wait} phút."
            ));
        }
    }
    None
}
