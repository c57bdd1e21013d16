//! `hocvuso report …`: the cohort report as XLSX, CSV or JSON, with the same figures as the
//! web page (both call `reports::make`).

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};

use crate::config::Settings;
use crate::reports::{self, Scope};

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    Xlsx,
    Csv,
    Json,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// The plan file (default: plan.toml in the courses folder).
    #[arg(long)]
    plan: Option<PathBuf>,
    /// The report date: counts up to the end of this day (2026-11-30 or 30/11/2026; default
    /// today in Vietnam).
    #[arg(long)]
    as_of: Option<String>,
    /// Only this unit (its code).
    #[arg(long)]
    unit: Option<String>,
    /// The file format.
    #[arg(long, value_enum)]
    format: Format,
    /// Where to write the report.
    #[arg(long)]
    out: PathBuf,
    /// The courses folder (for the plan and the pre-test/final scores).
    #[arg(long, env = "HOCVUSO_COURSES_DIR", default_value = "courses")]
    courses_dir: PathBuf,
    /// Folder of the SQLite database (ignored when DATABASE_URL is set).
    #[arg(long, env = "HOCVUSO_DATA_DIR", default_value = "data")]
    data_dir: PathBuf,
}

/// Writes the report; `Ok(false)` when it could not be made (the reason is printed).
pub fn run(args: ReportArgs) -> anyhow::Result<bool> {
    let as_of = match &args.as_of {
        Some(text) => {
            crate::imports::parse_date(text).map_err(|e| anyhow::anyhow!("--as-of: {e}"))?
        }
        None => crate::web::reports::today(),
    };
    let loaded = crate::content::load_dir(&args.courses_dir);
    let courses: Vec<std::sync::Arc<crate::content::Course>> = loaded
        .courses
        .into_iter()
        .map(std::sync::Arc::new)
        .collect();
    let plan_path = args
        .plan
        .clone()
        .unwrap_or_else(|| args.courses_dir.join("plan.toml"));
    let plan = match reports::plan::load(&plan_path, &courses) {
        Ok(plan) => plan,
        Err(problems) => {
            for p in problems {
                eprintln!("{p}");
            }
            return Ok(false);
        }
    };
    let settings = Settings::from_env("127.0.0.1".into(), 0, args.data_dir.clone())?;
    let pool = crate::db::connect(&settings.database_url, 2)?;
    let mut conn = pool.get()?;
    let scope = match &args.unit {
        None => Scope::All,
        Some(code) => {
            let units = crate::imports::units_by_code(&mut conn).map_err(|e| anyhow::anyhow!(e))?;
            match units.get(code.trim()) {
                Some((id, _)) => Scope::Units(vec![*id]),
                None => {
                    eprintln!("--unit: no unit has the code \"{code}\" (import units first)");
                    return Ok(false);
                }
            }
        }
    };
    let started = std::time::Instant::now();
    drop(conn);
    let report = reports::make_parallel(&pool, &plan, &courses, as_of, &scope)
        .map_err(|e| anyhow::anyhow!("Failed to compute the report: {e}"))?;
    let bytes = match args.format {
        Format::Xlsx => {
            reports::xlsx::workbook(&report).map_err(|e| anyhow::anyhow!("xlsx: {e}"))?
        }
        Format::Csv => reports::table::csv(&report)?,
        Format::Json => reports::table::json(&report)?,
    };
    std::fs::write(&args.out, bytes)
        .with_context(|| format!("Failed to write {}", args.out.display()))?;
    println!(
        "Report as of {as_of} ({} goals) written to {} in {} ms.",
        report.goals.len(),
        args.out.display(),
        started.elapsed().as_millis()
    );
    for g in &report.goals {
        let percent = g
            .percent
            .map(|p| format!("{p:.1}%"))
            .unwrap_or_else(|| "no population".into());
        println!(
            "  goal {}: {} counted of {} ({percent}, target {}%): {}",
            g.number,
            g.counted,
            g.population
                .map(|p| p.to_string())
                .unwrap_or_else(|| "-".into()),
            g.target_percent,
            g.status_label
        );
    }
    Ok(true)
}
