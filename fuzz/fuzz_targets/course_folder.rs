//! A whole course folder: the input is cut at NUL bytes into up to four files (course.md,
//! 01-bai.md, 02-bai.md, questions.md; missing parts are missing files), written into one
//! scratch folder per process, then loaded with `load_dir`. Every problem must point at
//! line >= 1 and column >= 1, and no rendered HTML may carry a script.

#![no_main]

use std::sync::LazyLock;

use hocvuso_fuzz::Scratch;
use libfuzzer_sys::fuzz_target;

static SCRATCH: LazyLock<Scratch> = LazyLock::new(|| Scratch::new("course_folder"));

fuzz_target!(|data: &[u8]| {
    SCRATCH.write_parts(data);
    SCRATCH.load_dir_and_check();
});
