//! `hocvuso import …`: CSV imports with a dry run, a progress bar, and every bad row named.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};

use crate::config::Settings;
use crate::imports::Summary;

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
    /// Import population counts per unit from a CSV file with the columns unit, population
    /// (officials, students, adults, workers), count and optionally as_of.
    Population {
        /// The CSV file.
        file: PathBuf,
        /// The date the counts are as of, for rows without an as_of (2026-11-30 or 30/11/2026).
        #[arg(long)]
        as_of: Option<String>,
        /// Check the file and report what would change, without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// Folder of the SQLite database and keys (ignored when DATABASE_URL is set).
        #[arg(long, env = "HOCVUSO_DATA_DIR", default_value = "data")]
        data_dir: PathBuf,
    },
    /// Import VNeID confirmations from a CSV file with the columns citizen_id, phone or
    /// learner_id, confirmed_on, and unit (tổ dân phố) for people without an account.
    Vneid {
        /// The CSV file.
        file: PathBuf,
        /// Check the file and report what would change, without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// Folder of the SQLite database and keys (ignored when DATABASE_URL is set).
        #[arg(long, env = "HOCVUSO_DATA_DIR", default_value = "data")]
        data_dir: PathBuf,
    },
    /// Import a learner roster (full_name, birth_year, group, unit, and optionally phone,
    /// email, sex, citizen_id, residence), creating accounts with one-time passwords.
    Learners {
        /// The CSV file.
        file: PathBuf,
        /// Check the file and report what would change, without writing anything.
        #[arg(long)]
        dry_run: bool,
        /// Where to write the printable login slips (HTML); required unless --dry-run, since
        /// the one-time passwords exist only once.
        #[arg(long)]
        slips: Option<PathBuf>,
        /// Folder of the SQLite database and keys (ignored when DATABASE_URL is set).
        #[arg(long, env = "HOCVUSO_DATA_DIR", default_value = "data")]
        data_dir: PathBuf,
    },
}

fn progress_bar(data: &[u8]) -> ProgressBar {
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
    bar
}

fn read(file: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(file).with_context(|| format!("Failed to read {}", file.display()))
}

/// The citizen-ID key, derived from the same seed the server uses.
fn citizen_key(settings: &Settings) -> anyhow::Result<[u8; 32]> {
    Ok(
        crate::keys::Keys::load(settings.signing_key.as_deref(), &settings.data_dir)?
            .derive("citizen-id"),
    )
}

/// Runs the import; `Ok(false)` when some rows were not imported.
pub fn run(command: ImportCommand) -> anyhow::Result<bool> {
    let (file, dry_run, data_dir) = match &command {
        ImportCommand::Units {
            file,
            dry_run,
            data_dir,
        }
        | ImportCommand::Population {
            file,
            dry_run,
            data_dir,
            ..
        }
        | ImportCommand::Vneid {
            file,
            dry_run,
            data_dir,
        }
        | ImportCommand::Learners {
            file,
            dry_run,
            data_dir,
            ..
        } => (file.clone(), *dry_run, data_dir.clone()),
    };
    if let ImportCommand::Learners { slips: None, .. } = &command {
        if !dry_run {
            anyhow::bail!(
                "--slips SLIPS.html is required: the one-time passwords of new accounts exist \
                 only once, in that printable page (or use --dry-run to check the file)"
            );
        }
    }
    let as_of = match &command {
        ImportCommand::Population {
            as_of: Some(text), ..
        } => Some(crate::imports::parse_date(text).map_err(|e| anyhow::anyhow!("--as-of: {e}"))?),
        _ => None,
    };
    let data = read(&file)?;
    let settings = Settings::from_env("127.0.0.1".into(), 0, data_dir)?;
    let pool = crate::db::connect(&settings.database_url, 1)?;
    let mut conn = pool.get()?;
    let bar = progress_bar(&data);
    let mut tick = |n: usize| bar.set_position(n as u64);
    let named = |e: String| anyhow::anyhow!("{}: {e}", file.display());
    let mut slips = Vec::new();
    let summary = match &command {
        ImportCommand::Units { .. } => {
            crate::imports::units::import(&mut conn, &data, dry_run, &mut tick).map_err(named)?
        }
        ImportCommand::Population { .. } => {
            crate::imports::population::import(&mut conn, &data, as_of, dry_run, &mut tick)
                .map_err(named)?
        }
        ImportCommand::Vneid { .. } => {
            let key = citizen_key(&settings)?;
            crate::imports::vneid::import(&mut conn, &data, &key, dry_run, &mut tick)
                .map_err(named)?
        }
        ImportCommand::Learners { .. } => {
            let key = citizen_key(&settings)?;
            let (summary, made) =
                crate::imports::learners::import(&mut conn, &data, &key, None, dry_run, &mut tick)
                    .map_err(named)?;
            slips = made;
            summary
        }
    };
    bar.finish_and_clear();
    if let ImportCommand::Learners {
        slips: Some(path), ..
    } = &command
    {
        if !dry_run {
            let page = slips_page(&slips, &settings.public_url)?;
            std::fs::write(path, page)
                .with_context(|| format!("Failed to write the slips to {}", path.display()))?;
            println!(
                "{} login slip(s) written to {}: print them now, the passwords are not kept.",
                slips.len(),
                path.display()
            );
        }
    }
    print_summary(&file, &summary);
    Ok(summary.errors.is_empty())
}

/// A standalone printable page of login slips.
pub fn slips_page(slips: &[crate::accounts::slip::Slip], site_url: &str) -> anyhow::Result<String> {
    let mut ctx = tera::Context::new();
    ctx.insert("slips", slips);
    ctx.insert("site_url", site_url);
    crate::web::render::render_plain("imports/slips_print.html", &ctx)
        .map_err(|e| anyhow::anyhow!("Failed to render the slips: {e}"))
}

fn print_summary(file: &Path, summary: &Summary) {
    let dry_run = summary.dry_run;
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
}
