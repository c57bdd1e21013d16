//! The report as an Excel workbook: a summary sheet, one sheet per goal (by unit, group, age
//! and sex, month, and how people took part) with native Excel charts, and the pre-test and
//! final-test scores. Text is always written as text, never as a formula.

use rust_xlsxwriter::{Chart, ChartType, Format, Workbook, Worksheet, XlsxError};

use super::compute::{GoalReport, Report};
use super::prepost::PrePost;

struct Formats {
    bold: Format,
    title: Format,
    percent: Format,
    wrap: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            bold: Format::new().set_bold(),
            title: Format::new().set_bold().set_font_size(14),
            percent: Format::new().set_num_format("0.0%"),
            wrap: Format::new().set_text_wrap(),
        }
    }
}

type Sheet = Worksheet;

fn header(ws: &mut Sheet, row: u32, cells: &[&str], f: &Formats) -> Result<(), XlsxError> {
    for (c, text) in cells.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *text, &f.bold)?;
    }
    Ok(())
}

fn opt_num(ws: &mut Sheet, row: u32, col: u16, v: Option<i64>) -> Result<(), XlsxError> {
    if let Some(v) = v {
        ws.write_number(row, col, v as f64)?;
    }
    Ok(())
}

fn opt_pct(
    ws: &mut Sheet,
    row: u32,
    col: u16,
    v: Option<f64>,
    f: &Formats,
) -> Result<(), XlsxError> {
    if let Some(v) = v {
        ws.write_number_with_format(row, col, v / 100.0, &f.percent)?;
    }
    Ok(())
}

/// The lines above every sheet: the plan, the date and the scope.
fn preamble(ws: &mut Sheet, report: &Report, heading: &str, f: &Formats) -> Result<u32, XlsxError> {
    ws.write_string_with_format(0, 0, heading, &f.title)?;
    ws.write_string(1, 0, format!("{} · {}", report.ward, report.title))?;
    ws.write_string(
        2,
        0,
        format!("Tính đến hết ngày {}", report.as_of.format("%d/%m/%Y")),
    )?;
    let scope = match &report.units_in_scope {
        None => "Phạm vi: toàn bộ đơn vị".to_owned(),
        Some(units) => format!("Phạm vi: {} đơn vị được giao", units.len()),
    };
    ws.write_string(3, 0, scope)?;
    Ok(5)
}

fn summary(wb: &mut Workbook, report: &Report, f: &Formats) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name("Tổng hợp")?;
    let mut row = preamble(ws, report, "Báo cáo tiến độ các mục tiêu", f)?;
    header(
        ws,
        row,
        &[
            "Mục tiêu",
            "Nội dung",
            "Đối tượng",
            "Mẫu số",
            "Chỉ tiêu",
            "Đã đạt",
            "Tỉ lệ",
            "Cần đạt",
            "Còn thiếu",
            "Tình trạng",
            "Tăng 30 ngày",
            "Dự kiến đến hạn",
            "Đạt ngoài mẫu số",
        ],
        f,
    )?;
    let first = row + 1;
    for g in &report.goals {
        row += 1;
        ws.write_number(row, 0, g.number)?;
        ws.write_string_with_format(row, 1, &g.title, &f.wrap)?;
        ws.write_string(row, 2, &g.population_label)?;
        opt_num(ws, row, 3, g.population)?;
        ws.write_number_with_format(row, 4, f64::from(g.target_percent) / 100.0, &f.percent)?;
        ws.write_number(row, 5, g.counted as f64)?;
        opt_pct(ws, row, 6, g.percent, f)?;
        opt_num(ws, row, 7, g.needed)?;
        opt_num(ws, row, 8, g.missing)?;
        ws.write_string(row, 9, &g.status_label)?;
        ws.write_number(row, 10, g.gained_30_days as f64)?;
        opt_num(ws, row, 11, g.projected)?;
        ws.write_number(row, 12, g.counted_outside as f64)?;
    }
    ws.set_column_width(1, 60)?;
    ws.set_column_width(2, 30)?;
    ws.set_column_width(9, 20)?;
    if row >= first {
        let mut chart = Chart::new(ChartType::Column);
        chart.title().set_name("Tỉ lệ đạt so với chỉ tiêu");
        chart
            .add_series()
            .set_name("Tỉ lệ đạt")
            .set_categories(("Tổng hợp", first, 0, row, 0))
            .set_values(("Tổng hợp", first, 6, row, 6));
        chart
            .add_series()
            .set_name("Chỉ tiêu")
            .set_categories(("Tổng hợp", first, 0, row, 0))
            .set_values(("Tổng hợp", first, 4, row, 4));
        chart.y_axis().set_min(0).set_max(1).set_num_format("0%");
        ws.insert_chart(row + 2, 1, &chart)?;
    }
    Ok(())
}

/// Writes a block of rows under a bold title and header; returns the next free row and the
/// first and last data rows.
fn block(
    ws: &mut Sheet,
    start: u32,
    title: &str,
    head: &[&str],
    rows: &[Vec<Cell>],
    f: &Formats,
) -> Result<(u32, u32, u32), XlsxError> {
    ws.write_string_with_format(start, 0, title, &f.bold)?;
    header(ws, start + 1, head, f)?;
    let mut r = start + 1;
    for cells in rows {
        r += 1;
        for (c, cell) in cells.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text(t) => {
                    ws.write_string(r, c, t)?;
                }
                Cell::Int(n) => opt_num(ws, r, c, *n)?,
                Cell::Pct(p) => opt_pct(ws, r, c, *p, f)?,
            }
        }
    }
    Ok((r + 2, start + 2, r))
}

enum Cell {
    Text(String),
    Int(Option<i64>),
    Pct(Option<f64>),
}

fn bar_chart(
    sheet: &str,
    title: &str,
    (first, last): (u32, u32),
    label_col: u16,
    value_col: u16,
    percent: bool,
) -> Chart {
    let mut chart = Chart::new(ChartType::Bar);
    chart.title().set_name(title);
    chart.legend().set_hidden();
    chart
        .add_series()
        .set_categories((sheet, first, label_col, last, label_col))
        .set_values((sheet, first, value_col, last, value_col));
    if percent {
        chart.x_axis().set_min(0).set_max(1).set_num_format("0%");
    }
    chart
}

fn goal_sheet(
    wb: &mut Workbook,
    report: &Report,
    g: &GoalReport,
    f: &Formats,
) -> Result<(), XlsxError> {
    let name = format!("Mục tiêu {}", g.number);
    let ws = wb.add_worksheet();
    ws.set_name(&name)?;
    let row = preamble(
        ws,
        report,
        &format!("Mục tiêu {}: {}", g.number, g.title),
        f,
    )?;
    ws.write_string(
        row,
        0,
        format!("Đối tượng: {}. {}", g.population_label, g.counts),
    )?;
    let units: Vec<Vec<Cell>> = g
        .units
        .iter()
        .map(|u| {
            vec![
                Cell::Text(u.code.clone()),
                Cell::Text(u.name.clone()),
                Cell::Text(super::kind_label(&u.kind).to_owned()),
                Cell::Int(u.population),
                Cell::Int(Some(u.counted)),
                Cell::Pct(u.percent),
                Cell::Int(u.missing),
            ]
        })
        .collect();
    let head = [
        "Mã",
        "Đơn vị",
        "Loại",
        "Mẫu số",
        "Đã đạt",
        "Tỉ lệ",
        "Còn thiếu",
    ];
    let (next, first, last) = block(ws, row + 2, "Theo đơn vị", &head, &units, f)?;
    let units_span = (first, last);
    let groups: Vec<Vec<Cell>> = g
        .groups
        .iter()
        .map(|l| vec![Cell::Text(l.label.clone()), Cell::Int(Some(l.counted))])
        .collect();
    let (next, _, _) = block(
        ws,
        next,
        "Theo nhóm đối tượng",
        &["Nhóm", "Đã đạt"],
        &groups,
        f,
    )?;
    let ages: Vec<Vec<Cell>> = g
        .ages
        .iter()
        .map(|a| {
            vec![
                Cell::Text(a.band.clone()),
                Cell::Int(Some(a.male)),
                Cell::Int(Some(a.female)),
                Cell::Int(Some(a.unknown)),
                Cell::Int(Some(a.total)),
            ]
        })
        .collect();
    let head = ["Độ tuổi", "Nam", "Nữ", "Không rõ", "Cộng"];
    let (next, _, _) = block(ws, next, "Theo độ tuổi và giới tính", &head, &ages, f)?;
    let months: Vec<Vec<Cell>> = g
        .months
        .iter()
        .map(|m| {
            vec![
                Cell::Text(m.month.clone()),
                Cell::Int(Some(m.counted)),
                Cell::Pct(m.percent),
            ]
        })
        .collect();
    let head = ["Tháng", "Đã đạt (cộng dồn)", "Tỉ lệ"];
    let (next, m_first, m_last) = block(ws, next, "Theo tháng", &head, &months, f)?;
    let channels: Vec<Vec<Cell>> = g
        .channels
        .iter()
        .map(|l| vec![Cell::Text(l.label.clone()), Cell::Int(Some(l.counted))])
        .collect();
    block(ws, next, "Cách tham gia", &["Cách", "Đã đạt"], &channels, f)?;
    ws.set_column_width(0, 16)?;
    ws.set_column_width(1, 34)?;
    if units_span.1 >= units_span.0 {
        let chart = bar_chart(&name, "Tỉ lệ đạt theo đơn vị", units_span, 1, 5, true);
        ws.insert_chart(row + 2, 8, &chart)?;
    }
    if m_last >= m_first {
        let mut chart = Chart::new(ChartType::Column);
        chart.title().set_name("Tỉ lệ đạt cộng dồn theo tháng");
        chart.legend().set_hidden();
        chart
            .add_series()
            .set_categories((name.as_str(), m_first, 0, m_last, 0))
            .set_values((name.as_str(), m_first, 2, m_last, 2));
        chart.y_axis().set_min(0).set_max(1).set_num_format("0%");
        ws.insert_chart(row + 20, 8, &chart)?;
    }
    Ok(())
}

fn prepost_sheet(
    wb: &mut Workbook,
    report: &Report,
    pp: &PrePost,
    f: &Formats,
) -> Result<(), XlsxError> {
    let ws = wb.add_worksheet();
    ws.set_name("Trước và sau khi học")?;
    let row = preamble(
        ws,
        report,
        "Điểm bài kiểm tra đầu vào và bài kiểm tra cuối khoá",
        f,
    )?;
    let courses: Vec<Vec<Cell>> = pp
        .courses
        .iter()
        .map(|c| {
            vec![
                Cell::Text(c.title.clone()),
                Cell::Int(Some(c.pretests)),
                Cell::Pct(c.pretest_average),
                Cell::Int(Some(c.finals)),
                Cell::Pct(c.final_average),
                Cell::Int(Some(c.both)),
                Cell::Pct(c.average_change),
            ]
        })
        .collect();
    let head = [
        "Khoá học",
        "Số bài đầu vào",
        "Điểm TB đầu vào",
        "Số bài cuối khoá",
        "Điểm TB cuối khoá",
        "Người làm cả hai",
        "Thay đổi TB",
    ];
    let (next, _, _) = block(ws, row, "Theo khoá học", &head, &courses, f)?;
    let comps: Vec<Vec<Cell>> = pp
        .competences
        .iter()
        .map(|c| {
            vec![
                Cell::Text(c.code.clone()),
                Cell::Text(c.name.clone()),
                Cell::Pct(c.pretest_percent),
                Cell::Pct(c.final_percent),
                Cell::Int(Some(c.pretest_questions)),
                Cell::Int(Some(c.final_questions)),
            ]
        })
        .collect();
    let head = [
        "Mã năng lực",
        "Năng lực",
        "Đúng (đầu vào)",
        "Đúng (cuối khoá)",
        "Câu đầu vào",
        "Câu cuối khoá",
    ];
    block(ws, next, "Theo năng lực số", &head, &comps, f)?;
    ws.set_column_width(0, 40)?;
    ws.set_column_width(1, 40)?;
    Ok(())
}

/// The workbook's bytes.
pub fn workbook(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let f = Formats::new();
    let mut wb = Workbook::new();
    summary(&mut wb, report, &f)?;
    for g in &report.goals {
        goal_sheet(&mut wb, report, g, &f)?;
    }
    if let Some(pp) = &report.prepost {
        prepost_sheet(&mut wb, report, pp, &f)?;
    }
    wb.save_to_buffer()
}
