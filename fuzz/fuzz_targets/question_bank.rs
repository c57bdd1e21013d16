//! The question bank alone: the input is questions.md, next to a fixed valid course.md and
//! lesson, loaded with `load_course`.

#![no_main]

use std::sync::LazyLock;

use hocvuso_fuzz::{COURSE_MD, LESSON_MD, Scratch};
use libfuzzer_sys::fuzz_target;

static SCRATCH: LazyLock<Scratch> = LazyLock::new(|| {
    let scratch = Scratch::new("question_bank");
    scratch.write("course.md", COURSE_MD.as_bytes());
    scratch.write("01-bai.md", LESSON_MD.as_bytes());
    scratch
});

fuzz_target!(|data: &[u8]| {
    SCRATCH.write("questions.md", data);
    SCRATCH.load_course_and_check();
});
