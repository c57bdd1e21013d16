//! `hocvuso courses …`: check a courses folder, and move question banks to and from Moodle's
//! GIFT format.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Subcommand;

use crate::content;

#[derive(Subcommand, Debug)]
pub enum CoursesCommand {
    /// Check every course in a folder and print each problem as path:line:column: message.
    Check {
        /// The courses folder.
        #[arg(default_value = "courses")]
        dir: PathBuf,
    },
    /// Write a course's question bank as Moodle GIFT text.
    ExportGift {
        /// The course folder (the one holding course.md and questions.md).
        course: PathBuf,
        /// Output file (standard output when absent).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Convert a Moodle GIFT file into a questions.md question bank.
    ImportGift {
        /// The GIFT file.
        file: PathBuf,
        /// Output file (standard output when absent).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

/// Runs the command; `Ok(false)` means it found problems (exit code 1).
pub fn run(command: CoursesCommand) -> anyhow::Result<bool> {
    match command {
        CoursesCommand::Check { dir } => Ok(check(&dir)),
        CoursesCommand::ExportGift { course, out } => export_gift(&course, out.as_deref()),
        CoursesCommand::ImportGift { file, out } => import_gift(&file, out.as_deref()),
    }
}

fn check(dir: &Path) -> bool {
    let mut result = content::load_dir(dir);
    let plan_path = dir.join("plan.toml");
    let mut goals = None;
    if plan_path.exists() {
        let courses: Vec<std::sync::Arc<content::Course>> = result
            .courses
            .iter()
            .cloned()
            .map(std::sync::Arc::new)
            .collect();
        match crate::reports::plan::load(&plan_path, &courses) {
            Ok(plan) => goals = Some(plan.goals.len()),
            Err(problems) => result.problems.extend(problems),
        }
    }
    for problem in &result.problems {
        println!("{problem}");
    }
    let lessons: usize = result.courses.iter().map(|c| c.lessons.len()).sum();
    let questions: usize = result.courses.iter().map(|c| c.questions.len()).sum();
    if result.problems.is_empty() {
        let plan = goals
            .map(|n| format!(", a plan of {n} goals"))
            .unwrap_or_default();
        println!(
            "{} courses, {lessons} lessons, {questions} questions{plan}: no problems found.",
            result.courses.len()
        );
        true
    } else {
        println!("{} problem(s) found.", result.problems.len());
        false
    }
}

fn write_out(out: Option<&Path>, text: &str) -> anyhow::Result<()> {
    match out {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("Failed to write {}", path.display())),
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

fn export_gift(course: &Path, out: Option<&Path>) -> anyhow::Result<bool> {
    let mut problems = Vec::new();
    let Some(loaded) = content::load_course(course, &mut problems) else {
        for p in &problems {
            eprintln!("{p}");
        }
        anyhow::bail!(
            "{} has problems; fix them first (hocvuso courses check)",
            course.display()
        );
    };
    let (gift, skipped) = content::gift::export(&loaded.questions);
    write_out(out, &gift)?;
    for s in &skipped {
        eprintln!("not exported: {s}");
    }
    eprintln!(
        "{} question(s) exported, {} not exported.",
        loaded.questions.len() - skipped.len(),
        skipped.len()
    );
    Ok(true)
}

fn import_gift(file: &Path, out: Option<&Path>) -> anyhow::Result<bool> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("Failed to read {}", file.display()))?;
    let (bank, skipped) = content::gift::import(&text);
    write_out(out, &bank)?;
    for s in &skipped {
        eprintln!("not converted: {s}");
    }
    Ok(true)
}
