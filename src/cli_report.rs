//! `hocvuso report …`: the cohort report, with the same figures as the web page.

use clap::Args;

#[derive(Args, Debug)]
pub struct ReportArgs {}

/// Writes the report; `Ok(false)` when it could not be made.
pub fn run(_args: ReportArgs) -> anyhow::Result<bool> {
    anyhow::bail!("the report command is being built")
}
