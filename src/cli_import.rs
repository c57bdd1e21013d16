//! `hocvuso import …`: CSV imports with a dry run, a progress bar, and every bad row named.

use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Settings;

#[derive(Subcommand, Debug)]
pub enum ImportCommand {
    /// Import units (tổ dân phố, schools, agencies, enterprises, cooperatives) from a CSV
    /// file with the columns code, name, kind.
    Units {
        /// The CSV file.
        file: PathBuf,
        /// Check the file and report what would change, without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// Folder of the SQLite database (ignored when DATABASE_URL is set).
        #[arg(long, env = "HOCVUSO_DATA_DIR", default_value = "data")]
        data_dir: PathBuf,
    },
}

/// Runs the import; `Ok(false)` when some rows were not imported.
pub fn run(command: ImportCommand) -> anyhow::Result<bool> {
    let ImportCommand::Units {
        file,
        dry_run,
        data_dir,
    } = command;
    let data =
        std::fs::read(&file).with_context(|| format!("Failed to read {}", file.display()))?;
    let settings = Settings::from_env("127.0.0.1".into(), 0, data_dir)?;
    let pool = crate::db::connect(&settings.database_url, 1)?;
    let mut conn = pool.get()?;
    let bar = ProgressBar::new(
        data.iter()
            .filter(|b| **b == b'\n')
            .count()
            .saturating_sub(1) as u64,
    );
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} rows {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let summary = crate::imports::units::import(&mut conn, &data, dry_run, &mut |n| {
        bar.set_position(n as u64)
    })
    .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    bar.finish_and_clear();
    for e in &summary.errors {
        println!("{}: {e}", file.display());
    }
    let verb = if dry_run { "would be" } else { "were" };
    println!(
        "{} rows: {} {verb} created, {} {verb} updated, {} unchanged, {} not imported{}.",
        summary.rows,
        summary.created,
        summary.updated,
        summary.unchanged,
        summary.errors.len(),
        if dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    );
    Ok(summary.errors.is_empty())
}
