//! The report as one flat table (a row per goal for the whole scope, then a row per unit),
//! for CSV files that other offices merge; and as JSON. Cells are made safe against formula
//! injection by `crate::export::csv`.

use super::compute::{GoalReport, Report};

/// The CSV header (Vietnamese, as people open the file in a spreadsheet).
pub const HEADER: &[&str] = &[
    "tinh_den_ngay",
    "muc_tieu",
    "noi_dung_muc_tieu",
    "doi_tuong",
    "pham_vi",
    "ma_don_vi",
    "ten_don_vi",
    "loai_don_vi",
    "mau_so",
    "da_dat",
    "ti_le_phan_tram",
    "chi_tieu_phan_tram",
    "con_thieu",
    "trang_thai",
    "da_dat_ngoai_mau_so",
];

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

fn pct(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.1}")).unwrap_or_default()
}

fn goal_rows(report: &Report, g: &GoalReport, rows: &mut Vec<Vec<String>>) {
    let common = |scope: &str| {
        vec![
            report.as_of.to_string(),
            g.number.to_string(),
            g.title.clone(),
            g.population_label.clone(),
            scope.to_owned(),
        ]
    };
    let mut total = common("tong");
    total.extend([
        String::new(),
        report.ward.clone(),
        String::new(),
        opt(g.population),
        g.counted.to_string(),
        pct(g.percent),
        g.target_percent.to_string(),
        opt(g.missing),
        g.status_label.clone(),
        g.counted_outside.to_string(),
    ]);
    rows.push(total);
    for u in &g.units {
        let mut row = common("don_vi");
        row.extend([
            u.code.clone(),
            u.name.clone(),
            super::kind_label(&u.kind).to_owned(),
            opt(u.population),
            u.counted.to_string(),
            pct(u.percent),
            g.target_percent.to_string(),
            opt(u.missing),
            String::new(),
            String::new(),
        ]);
        rows.push(row);
    }
}

/// Every row of the report's CSV.
pub fn rows(report: &Report) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for g in &report.goals {
        goal_rows(report, g, &mut rows);
    }
    rows
}

/// The report as CSV (UTF-8 with BOM, formula-safe cells).
pub fn csv(report: &Report) -> anyhow::Result<Vec<u8>> {
    crate::export::csv(HEADER, &rows(report))
}

/// The report as pretty JSON.
pub fn json(report: &Report) -> anyhow::Result<Vec<u8>> {
    Ok(serde_json::to_vec_pretty(report)?)
}
