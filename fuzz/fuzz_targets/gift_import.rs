//! GIFT import: arbitrary text is imported; when it yields a bank, that bank is written as
//! questions.md next to a fixed valid course.md and lesson and must load without panicking.

#![no_main]

use std::sync::LazyLock;

use hocvuso::content::gift;
use hocvuso_fuzz::{COURSE_MD, LESSON_MD, Scratch};
use libfuzzer_sys::fuzz_target;

static SCRATCH: LazyLock<Scratch> = LazyLock::new(|| {
    let scratch = Scratch::new("gift_import");
    scratch.write("course.md", COURSE_MD.as_bytes());
    scratch.write("01-bai.md", LESSON_MD.as_bytes());
    scratch
});

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (bank, notes) = gift::import(&text);
    assert!(notes.iter().all(|n| !n.trim().is_empty()), "an empty note");
    if bank.is_empty() {
        return;
    }
    SCRATCH.write("questions.md", bank.as_bytes());
    SCRATCH.load_course_and_check();
});
