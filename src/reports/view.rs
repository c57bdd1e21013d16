//! What the report page and the printable page show besides the figures: the charts, drawn
//! from the same `Report` the exports write.

use serde::Serialize;

use super::charts::{self, BarRow, Chart, Scale};
use super::compute::{GoalReport, Report};

/// Units drawn in a goal's chart at most (the weakest first); the table lists them all.
pub const UNITS_CHARTED: usize = 25;

#[derive(Debug, Serialize)]
pub struct GoalCharts {
    pub number: u32,
    pub units: Option<Chart>,
    /// Units drawn, of those with a population count.
    pub units_drawn: usize,
    pub units_with_population: usize,
    pub months: Chart,
    pub ages: Chart,
}

#[derive(Debug, Serialize)]
pub struct Charts {
    pub summary: Chart,
    pub goals: Vec<GoalCharts>,
    pub prepost: Option<Chart>,
}

fn summary(report: &Report) -> Chart {
    let rows: Vec<BarRow> = report
        .goals
        .iter()
        .map(|g| BarRow {
            label: format!("Mục tiêu {}: {}", g.number, short(&g.population_label)),
            values: vec![g.percent],
            target: Some(f64::from(g.target_percent)),
        })
        .collect();
    charts::bars(
        "c-summary",
        "Tỉ lệ đạt của từng mục tiêu",
        &["Tỉ lệ đạt"],
        &rows,
        Scale::Percent,
        None,
    )
}

/// A population's label cut to fit a chart line.
fn short(label: &str) -> String {
    const MAX: usize = 30;
    if label.chars().count() <= MAX {
        return label.to_owned();
    }
    let cut: String = label.chars().take(MAX - 1).collect();
    format!("{}…", cut.trim_end())
}

fn units(g: &GoalReport) -> (Option<Chart>, usize, usize) {
    let mut with: Vec<_> = g.units.iter().filter(|u| u.percent.is_some()).collect();
    let total = with.len();
    if total == 0 {
        return (None, 0, 0);
    }
    with.sort_by(|a, b| {
        a.percent
            .partial_cmp(&b.percent)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.code.cmp(&b.code))
    });
    with.truncate(UNITS_CHARTED);
    let rows: Vec<BarRow> = with
        .iter()
        .map(|u| BarRow {
            label: short(&u.name),
            values: vec![u.percent],
            target: None,
        })
        .collect();
    let title = if total > UNITS_CHARTED {
        format!("{UNITS_CHARTED} đơn vị có tỉ lệ thấp nhất (trong {total} đơn vị)")
    } else {
        "Tỉ lệ đạt theo đơn vị".to_owned()
    };
    let chart = charts::bars(
        &format!("c-units-{}", g.number),
        &title,
        &["Tỉ lệ đạt"],
        &rows,
        Scale::Percent,
        Some(f64::from(g.target_percent)),
    );
    (Some(chart), rows.len(), total)
}

fn months(g: &GoalReport) -> Chart {
    let one_year =
        g.months.first().map(|m| &m.month[..4]) == g.months.last().map(|m| &m.month[..4]);
    let labels: Vec<String> = g
        .months
        .iter()
        .map(|m| {
            let month = m.month[5..].trim_start_matches('0');
            if one_year {
                format!("T{month}")
            } else {
                format!("{month}/{}", &m.month[2..4])
            }
        })
        .collect();
    let values: Vec<Option<f64>> = g.months.iter().map(|m| m.percent).collect();
    charts::columns(
        &format!("c-months-{}", g.number),
        "Tỉ lệ đạt cộng dồn theo tháng",
        &labels,
        &values,
        f64::from(g.target_percent),
    )
}

fn ages(g: &GoalReport) -> Chart {
    let rows: Vec<BarRow> = g
        .ages
        .iter()
        .map(|a| BarRow {
            label: format!("{} tuổi", a.band),
            values: vec![
                Some(a.male as f64),
                Some(a.female as f64),
                Some(a.unknown as f64),
            ],
            target: None,
        })
        .collect();
    charts::bars(
        &format!("c-ages-{}", g.number),
        "Số người đạt theo độ tuổi và giới tính",
        &["Nam", "Nữ", "Không rõ"],
        &rows,
        Scale::Count,
        None,
    )
}

fn prepost(report: &Report) -> Option<Chart> {
    let pp = report.prepost.as_ref()?;
    let rows: Vec<BarRow> = pp
        .courses
        .iter()
        .filter(|c| c.pretests > 0 || c.finals > 0)
        .map(|c| BarRow {
            label: short(&c.title),
            values: vec![c.pretest_average, c.final_average],
            target: None,
        })
        .collect();
    (!rows.is_empty()).then(|| {
        charts::bars(
            "c-prepost",
            "Điểm trung bình trước và sau khi học",
            &["Đầu vào", "Cuối khoá"],
            &rows,
            Scale::Percent,
            None,
        )
    })
}

/// Every chart of a report.
pub fn charts(report: &Report) -> Charts {
    Charts {
        summary: summary(report),
        goals: report
            .goals
            .iter()
            .map(|g| {
                let (units, drawn, total) = units(g);
                GoalCharts {
                    number: g.number,
                    units,
                    units_drawn: drawn,
                    units_with_population: total,
                    months: months(g),
                    ages: ages(g),
                }
            })
            .collect(),
        prepost: prepost(report),
    }
}
