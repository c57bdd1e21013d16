//! Population counts per unit and population, as of a date (the denominators of the cohort
//! reports): `unit,population,count,as_of` (Vietnamese headers `mã đơn vị,đối tượng,số
//! người,tính đến ngày` work too). Without an `as_of` column the caller gives the date.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::{RowError, Summary, cell, column, fold_words, parse_count, parse_date, records};
use crate::db::schema::population_counts;
use crate::db::{DbConn, now, write_tx};

/// The populations a goal can count, with the words people write for them.
pub const POPULATIONS: &[(&str, &[&str])] = &[
    (
        "officials",
        &[
            "officials",
            "can bo",
            "cong chuc",
            "vien chuc",
            "can bo cong chuc",
            "can bo cong chuc vien chuc",
            "cong chuc vien chuc",
        ],
    ),
    ("students", &["students", "hoc sinh"]),
    (
        "adults",
        &[
            "adults",
            "nguoi dan",
            "nguoi truong thanh",
            "nguoi dan truong thanh",
        ],
    ),
    (
        "workers",
        &[
            "workers",
            "nguoi lao dong",
            "lao dong",
            "lao dong doanh nghiep",
        ],
    ),
];

/// The population code for what a person wrote, if it is one of them.
pub fn population_code(text: &str) -> Option<&'static str> {
    let folded = fold_words(text);
    POPULATIONS
        .iter()
        .find(|(_, words)| words.contains(&folded.as_str()))
        .map(|(c, _)| *c)
}

#[derive(Debug)]
struct Row {
    unit_id: i64,
    population: &'static str,
    as_of: NaiveDate,
    count: i32,
}

type Parsed = (Vec<(usize, Row)>, Vec<RowError>);

fn parse(
    data: &[u8],
    units: &HashMap<String, (i64, String)>,
    default_as_of: Option<NaiveDate>,
) -> Result<Parsed, String> {
    let (header, rows) = records(data)?;
    let unit_col = column(&header, &["unit", "mã đơn vị", "đơn vị", "unit_code", "mã"])
        .ok_or("tệp cần có cột \"mã đơn vị\" (unit)")?;
    let pop_col = column(
        &header,
        &["population", "đối tượng", "nhóm", "group", "nhóm đối tượng"],
    )
    .ok_or("tệp cần có cột \"đối tượng\" (population)")?;
    let count_col = column(&header, &["count", "số người", "số lượng", "số"])
        .ok_or("tệp cần có cột \"số người\" (count)")?;
    let as_of_col = column(&header, &["as_of", "tính đến ngày", "ngày", "date"]);
    if as_of_col.is_none() && default_as_of.is_none() {
        return Err(
            "tệp không có cột \"tính đến ngày\" (as_of): hãy cho biết số liệu tính đến \
                    ngày nào (ô ngày trên biểu mẫu, hoặc --as-of 2026-11-30 khi dùng lệnh)"
                .into(),
        );
    }
    let mut good = Vec::new();
    let mut errors = Vec::new();
    let mut seen: HashMap<(i64, &'static str, NaiveDate), usize> = HashMap::new();
    for (row, record) in rows {
        let record = match record {
            Ok(r) => r,
            Err(reason) => {
                errors.push(RowError { row, reason });
                continue;
            }
        };
        match parse_row(
            &record,
            (unit_col, pop_col, count_col, as_of_col),
            units,
            default_as_of,
        ) {
            Ok(r) => {
                let key = (r.unit_id, r.population, r.as_of);
                if let Some(first) = seen.get(&key) {
                    errors.push(RowError {
                        row,
                        reason: format!(
                            "đơn vị \"{}\", đối tượng {} ngày {} đã có ở dòng {first}",
                            cell(&record, Some(unit_col)),
                            r.population,
                            r.as_of
                        ),
                    });
                } else {
                    seen.insert(key, row);
                    good.push((row, r));
                }
            }
            Err(reason) => errors.push(RowError { row, reason }),
        }
    }
    Ok((good, errors))
}

fn parse_row(
    record: &csv::StringRecord,
    (unit_col, pop_col, count_col, as_of_col): (usize, usize, usize, Option<usize>),
    units: &HashMap<String, (i64, String)>,
    default_as_of: Option<NaiveDate>,
) -> Result<Row, String> {
    let code = cell(record, Some(unit_col));
    if code.is_empty() {
        return Err("thiếu mã đơn vị".into());
    }
    let Some((unit_id, _)) = units.get(code) else {
        return Err(format!(
            "chưa có đơn vị mã \"{code}\": hãy nhập danh sách đơn vị trước"
        ));
    };
    let pop_text = cell(record, Some(pop_col));
    let population = population_code(pop_text).ok_or_else(|| {
        format!(
            "đối tượng \"{pop_text}\" chưa đúng: hãy ghi cán bộ công chức viên chức, học \
             sinh, người dân trưởng thành hoặc người lao động"
        )
    })?;
    let count = parse_count(cell(record, Some(count_col)))?;
    let as_of = match (cell(record, as_of_col), default_as_of) {
        ("", Some(d)) => d,
        ("", None) => {
            return Err("thiếu ngày tính số liệu, và chưa chọn ngày chung cho cả tệp".into());
        }
        (text, _) => parse_date(text)?,
    };
    Ok(Row {
        unit_id: *unit_id,
        population,
        as_of,
        count,
    })
}

/// Imports population counts; `default_as_of` is the date of rows without one. `progress` is
/// called with the number of rows written so far.
pub fn import(
    conn: &mut DbConn,
    data: &[u8],
    default_as_of: Option<NaiveDate>,
    dry_run: bool,
    progress: &mut dyn FnMut(usize),
) -> Result<Summary, String> {
    let units = super::units_by_code(conn)?;
    let (rows, errors) = parse(data, &units, default_as_of)?;
    let mut summary = Summary {
        rows: rows.len() + errors.len(),
        errors,
        dry_run,
        ..Summary::default()
    };
    let existing: HashMap<(i64, String, NaiveDate), (i64, i32)> = population_counts::table
        .select((
            population_counts::unit_id,
            population_counts::population,
            population_counts::as_of,
            population_counts::id,
            population_counts::count,
        ))
        .load::<(i64, String, NaiveDate, i64, i32)>(conn)
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|(u, p, d, id, c)| ((u, p, d), (id, c)))
        .collect();
    let mut inserts = Vec::new();
    let mut updates = Vec::new();
    for (_, r) in &rows {
        match existing.get(&(r.unit_id, r.population.to_owned(), r.as_of)) {
            Some((_, count)) if *count == r.count => summary.unchanged += 1,
            Some((id, _)) => {
                summary.updated += 1;
                updates.push((*id, r.count));
            }
            None => {
                summary.created += 1;
                inserts.push(r);
            }
        }
    }
    if dry_run {
        progress(rows.len());
        return Ok(summary);
    }
    let at = now();
    let unchanged = summary.unchanged;
    let result = write_tx(conn, |conn| -> Result<(), diesel::result::Error> {
        let mut done = unchanged;
        for (id, count) in &updates {
            diesel::update(population_counts::table.find(*id))
                .set((
                    population_counts::count.eq(*count),
                    population_counts::imported_at.eq(at),
                ))
                .execute(conn)?;
            done += 1;
            progress(done);
        }
        for chunk in inserts.chunks(500) {
            let values: Vec<_> = chunk
                .iter()
                .map(|r| {
                    (
                        population_counts::unit_id.eq(r.unit_id),
                        population_counts::population.eq(r.population),
                        population_counts::as_of.eq(r.as_of),
                        population_counts::count.eq(r.count),
                        population_counts::imported_at.eq(at),
                    )
                })
                .collect();
            let insert = diesel::insert_into(population_counts::table).values(&values);
            match conn {
                DbConn::Sqlite(c) => insert.execute(c)?,
                DbConn::Pg(c) => insert.execute(c)?,
            };
            done += chunk.len();
            progress(done);
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
    fn populations_are_understood_in_vietnamese_with_or_without_accents() {
        assert_eq!(
            population_code("Cán bộ, công chức, viên chức"),
            Some("officials")
        );
        assert_eq!(population_code("cong chuc"), Some("officials"));
        assert_eq!(population_code("Học sinh"), Some("students"));
        assert_eq!(population_code("người dân trưởng thành"), Some("adults"));
        assert_eq!(population_code("Người trưởng thành"), Some("adults"));
        assert_eq!(population_code("lao động doanh nghiệp"), Some("workers"));
        assert_eq!(population_code("workers"), Some("workers"));
        assert_eq!(population_code("trẻ em"), None);
    }

    #[test]
    fn bad_rows_are_named_and_a_missing_date_names_the_fix() {
        let units: HashMap<String, (i64, String)> =
            [("TDP1".to_owned(), (1, "Tổ 1".to_owned()))].into();
        let csv = "mã đơn vị,đối tượng,số người\nTDP1,người dân,1.234\nTDP9,học sinh,5\n\
                   TDP1,Người dân,7\nTDP1,trẻ em,3\nTDP1,học sinh,-2\n";
        let d = NaiveDate::from_ymd_opt(2026, 11, 30);
        let (good, errors) = parse(csv.as_bytes(), &units, d).unwrap();
        assert_eq!(good.len(), 1);
        assert_eq!(good[0].1.count, 1234);
        let text: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(
            text[0].starts_with("dòng 3: chưa có đơn vị mã \"TDP9\""),
            "{text:?}"
        );
        assert!(text[1].starts_with("dòng 4:") && text[1].contains("đã có ở dòng 2"));
        assert!(text[2].starts_with("dòng 5: đối tượng \"trẻ em\""));
        assert!(text[3].starts_with("dòng 6: số người \"-2\""));
        let err = parse(csv.as_bytes(), &units, None).unwrap_err();
        assert!(err.contains("--as-of"), "{err}");
    }
}
