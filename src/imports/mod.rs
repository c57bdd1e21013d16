//! Imports from CSV files. Every import reads the whole file first and reports each bad row
//! with its row number and reason; the good rows are written (none in a dry run), and
//! importing the same file again changes nothing.

pub mod learners;
mod learners_write;
pub mod population;
pub mod units;
pub mod vneid;

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
        write!(f, "dòng {}: {}", self.row, self.reason)
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
    // Spreadsheets often save UTF-8 with a byte-order mark, which would stick to the first
    // column's name.
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(data);
    let header = reader
        .headers()
        .map_err(|e| format!("không đọc được dòng tiêu đề: {e}"))?
        .clone();
    let rows = reader
        .records()
        .enumerate()
        .map(|(i, r)| {
            (
                i + 2,
                r.map_err(|e| format!("không đọc được dòng này: {e}")),
            )
        })
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

/// Text folded for matching words people type: accents removed, lower case, punctuation and
/// repeated spaces dropped (`"Cán bộ, công chức"` -> `"can bo cong chuc"`).
pub fn fold_words(text: &str) -> String {
    let folded = crate::content::fold_diacritics(text).to_lowercase();
    folded
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '-' | '_' | '/' | '.'))
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// A date written `YYYY-MM-DD` or `DD/MM/YYYY` (as Vietnamese spreadsheets show it).
pub fn parse_date(text: &str) -> Result<chrono::NaiveDate, String> {
    let text = text.trim();
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(text, "%d/%m/%Y"))
        .or_else(|_| chrono::NaiveDate::parse_from_str(text, "%d-%m-%Y"))
        .map_err(|_| format!("ngày \"{text}\" chưa đúng: hãy ghi như 30/11/2026 hoặc 2026-11-30"))
}

/// A non-negative whole number, with optional thousands separators (`1.234`, `1,234`).
pub fn parse_count(text: &str) -> Result<i32, String> {
    let text = text.trim();
    let bad = || format!("số người \"{text}\" chưa đúng: hãy ghi một số nguyên từ 0 trở lên");
    let plain: String = if text.contains(['.', ',', ' ']) {
        let groups: Vec<&str> = text.split(['.', ',', ' ']).collect();
        let ok = groups.len() > 1
            && (1..=3).contains(&groups[0].len())
            && groups[1..].iter().all(|g| g.len() == 3);
        if !ok {
            return Err(bad());
        }
        groups.concat()
    } else {
        text.to_owned()
    };
    if plain.is_empty() || !plain.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    plain.parse::<i32>().map_err(|_| bad())
}

/// The message when the database refuses a whole import (nothing is written).
pub fn refused(e: diesel::result::Error) -> String {
    format!("cơ sở dữ liệu không nhận dữ liệu: {e}")
}

/// A field of a record by optional column position, trimmed ("" when absent).
pub fn cell(record: &csv::StringRecord, col: Option<usize>) -> &str {
    col.and_then(|i| record.get(i)).unwrap_or("").trim()
}

/// Every unit by code: `(id, name)`.
pub fn units_by_code(
    conn: &mut crate::db::DbConn,
) -> Result<std::collections::HashMap<String, (i64, String)>, String> {
    use diesel::prelude::*;

    use crate::db::schema::units;
    Ok(units::table
        .select((units::code, units::id, units::name))
        .load::<(String, i64, String)>(conn)
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|(c, id, n)| (c, (id, n)))
        .collect())
}

/// The kinds of import, as named in the CLI and in the upload URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Units,
    Population,
    Vneid,
    Learners,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Units, Kind::Population, Kind::Vneid, Kind::Learners];

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Units => "units",
            Kind::Population => "population",
            Kind::Vneid => "vneid",
            Kind::Learners => "learners",
        }
    }
}

#[cfg(test)]
mod helper_tests {
    use super::*;

    #[test]
    fn dates_counts_and_words_are_read_as_people_write_them() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(parse_date("2026-11-30"), Ok(d));
        assert_eq!(parse_date("30/11/2026"), Ok(d));
        assert!(parse_date("11/30/2026").is_err());
        assert_eq!(parse_count("1.234"), Ok(1234));
        assert_eq!(parse_count("1,234,567"), Ok(1_234_567));
        assert_eq!(parse_count("0"), Ok(0));
        assert!(parse_count("-3").is_err());
        assert!(parse_count("12.5").is_err());
        assert!(parse_count("").is_err());
        assert_eq!(fold_words(" Cán bộ,  công chức "), "can bo cong chuc");
    }
}
