//! Exports to files people open in spreadsheets: CSV with every cell made safe against
//! formula injection (a cell starting with `=`, `+`, `-`, `@`, tab or carriage return is
//! prefixed with `'`, as OWASP recommends, so Excel and LibreOffice show it as text).

use std::borrow::Cow;

/// A cell as it is safe to write.
pub fn safe_cell(value: &str) -> Cow<'_, str> {
    match value.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{value}")),
        _ => Cow::Borrowed(value),
    }
}

/// A CSV file (UTF-8 with a byte-order mark, so Excel reads Vietnamese correctly).
pub fn csv(header: &[&str], rows: &[Vec<String>]) -> anyhow::Result<Vec<u8>> {
    let mut out = "\u{feff}".as_bytes().to_vec();
    {
        let mut writer = ::csv::Writer::from_writer(&mut out);
        writer.write_record(header)?;
        for row in rows {
            writer.write_record(row.iter().map(|c| safe_cell(c).into_owned()))?;
        }
        writer.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text() {
        assert_eq!(
            safe_cell("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(safe_cell("+84912345678"), "'+84912345678");
        assert_eq!(safe_cell("-1"), "'-1");
        assert_eq!(safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_cell("Nguyễn Thị Lan"), "Nguyễn Thị Lan");
        let bytes = csv(&["a"], &[vec!["=1+1".into()]]).unwrap();
        assert_eq!(String::from_utf8(bytes).unwrap(), "\u{feff}a\n'=1+1\n");
    }
}
