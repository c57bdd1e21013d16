//! Units (tổ dân phố, schools, agencies, enterprises, cooperatives) from CSV:
//! `code,name,kind` (Vietnamese headers `mã,tên,loại` work too).

use std::collections::HashMap;

use diesel::prelude::*;

use super::{RowError, Summary, column, records};
use crate::db::schema::units;
use crate::db::{DbConn, now, write_tx};

/// The kinds of unit, with the words people write for them.
pub const KINDS: &[(&str, &[&str])] = &[
    (
        "residential",
        &["residential", "to dan pho", "tổ dân phố", "tdp"],
    ),
    ("school", &["school", "truong", "trường", "truong hoc"]),
    ("agency", &["agency", "co quan", "cơ quan"]),
    (
        "enterprise",
        &["enterprise", "doanh nghiep", "doanh nghiệp"],
    ),
    (
        "cooperative",
        &["cooperative", "hop tac xa", "hợp tác xã", "htx"],
    ),
];

pub fn kind_code(text: &str) -> Option<&'static str> {
    let folded = crate::content::fold_diacritics(text.trim())
        .to_lowercase()
        .replace('-', " ");
    KINDS
        .iter()
        .find(|(_, words)| {
            words
                .iter()
                .any(|w| crate::content::fold_diacritics(w) == folded)
        })
        .map(|(c, _)| *c)
}

#[derive(Debug)]
struct Row {
    code: String,
    name: String,
    kind: &'static str,
}

/// Good rows with their row numbers, and the bad rows.
type Parsed = (Vec<(usize, Row)>, Vec<RowError>);

fn parse(data: &[u8]) -> Result<Parsed, String> {
    let (header, rows) = records(data)?;
    let code_col =
        column(&header, &["code", "mã", "ma don vi"]).ok_or("tệp cần có cột \"mã\" (code)")?;
    let name_col =
        column(&header, &["name", "tên", "ten don vi"]).ok_or("tệp cần có cột \"tên\" (name)")?;
    let kind_col = column(&header, &["kind", "loại", "loai don vi"])
        .ok_or("tệp cần có cột \"loại\" (kind)")?;
    let mut good = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (row, record) in rows {
        let record = match record {
            Ok(r) => r,
            Err(reason) => {
                errors.push(RowError { row, reason });
                continue;
            }
        };
        let field = |i: usize| record.get(i).unwrap_or("").trim().to_owned();
        let (code, name, kind_text) = (field(code_col), field(name_col), field(kind_col));
        let reason = if code.is_empty() {
            Some("thiếu mã đơn vị".to_owned())
        } else if name.is_empty() {
            Some("thiếu tên đơn vị".to_owned())
        } else {
            seen.get(&code)
                .map(|first| format!("mã \"{code}\" đã có ở dòng {first}"))
        };
        if let Some(reason) = reason {
            errors.push(RowError { row, reason });
            continue;
        }
        let Some(kind) = kind_code(&kind_text) else {
            errors.push(RowError {
                row,
                reason: format!("loại \"{kind_text}\" chưa đúng: hãy ghi tổ dân phố, trường, cơ quan, doanh nghiệp hoặc hợp tác xã"),
            });
            continue;
        };
        seen.insert(code.clone(), row);
        good.push((row, Row { code, name, kind }));
    }
    Ok((good, errors))
}

/// Imports units; `progress` is called after each row written.
pub fn import(
    conn: &mut DbConn,
    data: &[u8],
    dry_run: bool,
    progress: &mut dyn FnMut(usize),
) -> Result<Summary, String> {
    let (rows, errors) = parse(data)?;
    let mut summary = Summary {
        rows: rows.len() + errors.len(),
        errors,
        dry_run,
        ..Summary::default()
    };
    let existing: HashMap<String, (String, String)> = units::table
        .select((units::code, units::name, units::kind))
        .load::<(String, String, String)>(conn)
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|(c, n, k)| (c, (n, k)))
        .collect();
    let at = now();
    let result = write_tx(conn, |conn| -> Result<(), diesel::result::Error> {
        for (i, (_, r)) in rows.iter().enumerate() {
            match existing.get(&r.code) {
                Some((name, kind)) if *name == r.name && kind == r.kind => summary.unchanged += 1,
                Some(_) => {
                    summary.updated += 1;
                    if !dry_run {
                        diesel::update(units::table.filter(units::code.eq(&r.code)))
                            .set((units::name.eq(&r.name), units::kind.eq(r.kind)))
                            .execute(conn)?;
                    }
                }
                None => {
                    summary.created += 1;
                    if !dry_run {
                        diesel::insert_into(units::table)
                            .values((
                                units::code.eq(&r.code),
                                units::name.eq(&r.name),
                                units::kind.eq(r.kind),
                                units::created_at.eq(at),
                            ))
                            .execute(conn)?;
                    }
                }
            }
            progress(i + 1);
        }
        Ok(())
    });
    result.map_err(super::refused)?;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_understood_in_vietnamese_with_or_without_accents() {
        assert_eq!(kind_code("Tổ dân phố"), Some("residential"));
        assert_eq!(kind_code("to dan pho"), Some("residential"));
        assert_eq!(kind_code("HTX"), Some("cooperative"));
        assert_eq!(kind_code("nhà máy"), None);
    }

    #[test]
    fn bad_rows_are_named_by_row_and_reason() {
        let csv = "mã,tên,loại\nTDP1,Tổ dân phố 1,tổ dân phố\n,Không mã,trường\nTDP1,Trùng,tổ dân phố\nX,Nhà máy,nhà máy\n";
        let (good, errors) = parse(csv.as_bytes()).unwrap();
        assert_eq!(good.len(), 1);
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(text[0], "dòng 3: thiếu mã đơn vị");
        assert_eq!(text[1], "dòng 4: mã \"TDP1\" đã có ở dòng 2");
        assert!(text[2].starts_with("dòng 5: loại \"nhà máy\" chưa đúng"));
        assert!(
            parse(b"name,kind\nA,school\n")
                .unwrap_err()
                .contains("code")
        );
    }
}
