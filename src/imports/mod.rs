//! Imports from CSV files. Every import reads the whole file first and reports each bad row
//! with its row number and reason; the good rows are written (none in a dry run), and
//! importing the same file again changes nothing.

pub mod units;

use serde::Serialize;

/// A row that could not be imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    /// The row number as a spreadsheet shows it (the header is row 1).
    pub row: usize,
    pub reason: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "row {}: {}", self.row, self.reason)
    }
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub errors: Vec<RowError>,
    pub dry_run: bool,
}

/// The header row and each data row (with its row number), or why that row is unreadable.
pub type Records = (
    csv::StringRecord,
    Vec<(usize, Result<csv::StringRecord, String>)>,
);

/// Reads CSV records with a header row; a record that cannot be read becomes a row error.
pub fn records(data: &[u8]) -> Result<Records, String> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(data);
    let header = reader
        .headers()
        .map_err(|e| format!("the header row cannot be read: {e}"))?
        .clone();
    let rows = reader
        .records()
        .enumerate()
        .map(|(i, r)| (i + 2, r.map_err(|e| format!("cannot be read: {e}"))))
        .collect();
    Ok((header, rows))
}

/// The position of a column, by any of its accepted names (case and accents ignored).
pub fn column(header: &csv::StringRecord, names: &[&str]) -> Option<usize> {
    let fold = |s: &str| {
        crate::content::fold_diacritics(s)
            .to_lowercase()
            .replace([' ', '_'], "")
    };
    header
        .iter()
        .position(|h| names.iter().any(|n| fold(h) == fold(n)))
}
