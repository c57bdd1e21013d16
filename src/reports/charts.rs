//! Charts drawn by the server as SVG, readable without JavaScript and on a 360 px phone: the
//! geometry is computed here, and `templates/reports/_chart.html` writes the elements (so
//! every label is escaped by Tera). Each chart has a title and a one-sentence description for
//! screen readers; the page shows the same figures in a table beside it.

use serde::Serialize;

use crate::stats::decimal_vi;

/// The drawing width: charts scale to the page, and text stays readable at phone width.
pub const WIDTH: f64 = 400.0;
const LABEL_H: f64 = 18.0;
const BAR_H: f64 = 16.0;
const GAP: f64 = 10.0;
/// Room on the right of a bar for its value.
const VALUE_W: f64 = 64.0;

#[derive(Debug, Clone, Serialize)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
    /// `track`, `s0`, `s1`, `s2` (series colours), `swatch`.
    pub class: &'static str,
    /// Shown on hover.
    pub tip: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub x1: f64,
    pub y1: f64,
    pub x2: f64,
    pub y2: f64,
    /// `target` (dashed), `axis` or `grid`.
    pub class: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Text {
    pub x: f64,
    pub y: f64,
    /// `start`, `middle` or `end`.
    pub anchor: &'static str,
    /// `label`, `value`, `small` or `target-label`.
    pub class: &'static str,
    pub text: String,
}

/// A finished chart.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    /// Unique on the page (for `aria-labelledby`).
    pub id: String,
    pub width: f64,
    pub height: f64,
    pub title: String,
    pub desc: String,
    pub rects: Vec<Rect>,
    pub lines: Vec<Line>,
    pub texts: Vec<Text>,
}

impl Chart {
    fn new(id: &str, title: &str, desc: String) -> Chart {
        Chart {
            id: id.to_owned(),
            width: WIDTH,
            height: 0.0,
            title: title.to_owned(),
            desc,
            rects: Vec::new(),
            lines: Vec::new(),
            texts: Vec::new(),
        }
    }

    fn text(&mut self, x: f64, y: f64, anchor: &'static str, class: &'static str, text: String) {
        self.texts.push(Text {
            x: tenth(x),
            y: tenth(y),
            anchor,
            class,
            text,
        });
    }

    fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, class: &'static str, tip: Option<String>) {
        self.rects.push(Rect {
            x: tenth(x),
            y: tenth(y),
            w: tenth(w.max(0.0)),
            h: tenth(h),
            class,
            tip,
        });
    }

    fn line(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), class: &'static str) {
        self.lines.push(Line {
            x1: tenth(x1),
            y1: tenth(y1),
            x2: tenth(x2),
            y2: tenth(y2),
            class,
        });
    }

    /// Names the series above the bars; returns the height used.
    fn legend(&mut self, series: &[&str], y: f64) -> f64 {
        if series.len() < 2 {
            return 0.0;
        }
        let mut x = 0.0;
        for (i, name) in series.iter().enumerate() {
            self.rect(x, y + 3.0, 12.0, 12.0, SERIES[i % SERIES.len()], None);
            self.text(x + 16.0, y + 14.0, "start", "small", (*name).to_owned());
            x += 24.0 + 8.0 * name.chars().count() as f64;
        }
        24.0
    }
}

/// Rounds a coordinate to a tenth: enough for a screen, and short in the page.
fn tenth(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

const SERIES: [&str; 3] = ["s0", "s1", "s2"];

/// A labelled row of one or more bars.
#[derive(Debug, Clone)]
pub struct BarRow {
    pub label: String,
    /// One value per series; `None` draws no bar and writes "chưa có số liệu".
    pub values: Vec<Option<f64>>,
    /// This row's own target, drawn as a mark across its bars (rows with different targets).
    pub target: Option<f64>,
}

/// How the values of a bar chart read.
#[derive(Debug, Clone, Copy)]
pub enum Scale {
    /// 0–100, written "72,5%".
    Percent,
    /// 0–max of the data, written as whole numbers.
    Count,
}

impl Scale {
    fn max(self, rows: &[BarRow]) -> f64 {
        match self {
            Scale::Percent => 100.0,
            Scale::Count => rows
                .iter()
                .flat_map(|r| r.values.iter().flatten())
                .fold(0.0f64, |m, v| m.max(*v))
                .max(1.0),
        }
    }

    pub fn write(self, value: f64) -> String {
        match self {
            Scale::Percent => format!("{}%", decimal_vi(value)),
            Scale::Count => thousands(value.round() as i64),
        }
    }
}

/// A whole number with Vietnamese thousands separators ("45.000").
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// Horizontal bars, a row per label (the label above its bars), with an optional target line.
pub fn bars(
    id: &str,
    title: &str,
    series: &[&str],
    rows: &[BarRow],
    scale: Scale,
    target: Option<f64>,
) -> Chart {
    let desc = describe(title, series, rows, scale, target);
    let mut chart = Chart::new(id, title, desc);
    let max = scale.max(rows);
    let plot_w = WIDTH - VALUE_W;
    let x_of = |v: f64| (v / max).clamp(0.0, 1.0) * plot_w;
    let mut y = chart.legend(series, 0.0);
    let top = y;
    for row in rows {
        chart.text(0.0, y + 14.0, "start", "label", row.label.clone());
        y += LABEL_H + 2.0;
        if let Some(t) = row.target {
            let (x, h) = (x_of(t), (BAR_H + 3.0) * row.values.len() as f64);
            chart.line((x, y - 3.0), (x, y + h), "target");
        }
        for (i, value) in row.values.iter().enumerate() {
            let class = SERIES[i % SERIES.len()];
            chart.rect(0.0, y, plot_w, BAR_H, "track", None);
            let (w, text) = match value {
                Some(v) => (x_of(*v), scale.write(*v)),
                None => (0.0, "chưa có số liệu".to_owned()),
            };
            let tip = Some(format!("{}: {text}", series.get(i).unwrap_or(&"")));
            chart.rect(0.0, y, w, BAR_H, class, tip);
            chart.text(plot_w + 4.0, y + 13.0, "start", "value", text);
            y += BAR_H + 3.0;
        }
        y += GAP;
    }
    if let Some(t) = target {
        let x = x_of(t);
        chart.line((x, top), (x, y - GAP), "target");
        chart.text(
            x,
            y + 6.0,
            "middle",
            "target-label",
            format!("mục tiêu {}", scale.write(t)),
        );
        y += 14.0;
    }
    chart.height = y.max(20.0);
    chart
}

/// Columns over time (one per month), 0–100%, with the target as a dashed line.
pub fn columns(
    id: &str,
    title: &str,
    labels: &[String],
    values: &[Option<f64>],
    target: f64,
) -> Chart {
    let rows: Vec<BarRow> = labels
        .iter()
        .zip(values)
        .map(|(l, v)| BarRow {
            label: l.clone(),
            values: vec![*v],
            target: None,
        })
        .collect();
    let desc = describe(title, &[], &rows, Scale::Percent, Some(target));
    let mut chart = Chart::new(id, title, desc);
    let (left, top, plot_h) = (36.0, 8.0, 160.0);
    let plot_w = WIDTH - left - 4.0;
    let y_of = |v: f64| top + plot_h - (v / 100.0).clamp(0.0, 1.0) * plot_h;
    for tick in [0.0, 50.0, 100.0] {
        let y = y_of(tick);
        let class = if tick == 0.0 { "axis" } else { "grid" };
        chart.line((left, y), (WIDTH, y), class);
        chart.text(left - 4.0, y + 4.0, "end", "small", format!("{tick:.0}%"));
    }
    let n = labels.len().max(1) as f64;
    let slot = plot_w / n;
    let w = (slot * 0.7).min(40.0);
    for (i, (label, value)) in labels.iter().zip(values).enumerate() {
        let cx = left + 4.0 + slot * (i as f64 + 0.5);
        if let Some(v) = value {
            let y = y_of(*v);
            let tip = Some(format!("{label}: {}", Scale::Percent.write(*v)));
            chart.rect(cx - w / 2.0, y, w, top + plot_h - y, "s0", tip);
        }
        chart.text(cx, top + plot_h + 16.0, "middle", "small", label.clone());
    }
    let ty = y_of(target);
    chart.line((left, ty), (WIDTH, ty), "target");
    chart.text(
        WIDTH,
        ty - 4.0,
        "end",
        "target-label",
        format!("mục tiêu {}%", decimal_vi(target)),
    );
    chart.height = top + plot_h + 24.0;
    chart
}

/// The sentence a screen reader hears: every value, in order.
fn describe(
    title: &str,
    series: &[&str],
    rows: &[BarRow],
    scale: Scale,
    target: Option<f64>,
) -> String {
    let mut parts: Vec<String> = rows
        .iter()
        .map(|r| {
            let values: Vec<String> = r
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let v = v
                        .map(|v| scale.write(v))
                        .unwrap_or_else(|| "chưa có số liệu".into());
                    match series.get(i) {
                        Some(name) if series.len() > 1 => format!("{name} {v}"),
                        _ => v,
                    }
                })
                .collect();
            match r.target {
                Some(t) => format!(
                    "{}: {} (mục tiêu {})",
                    r.label,
                    values.join(", "),
                    scale.write(t)
                ),
                None => format!("{}: {}", r.label, values.join(", ")),
            }
        })
        .collect();
    if let Some(t) = target {
        parts.push(format!("mục tiêu {}", scale.write(t)));
    }
    format!("{title}. {}.", parts.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(label: &str, values: &[Option<f64>]) -> BarRow {
        BarRow {
            label: label.into(),
            values: values.to_vec(),
            target: None,
        }
    }

    #[test]
    fn a_bar_is_as_long_as_its_share_and_the_target_line_stands_at_the_target() {
        let chart = bars(
            "c",
            "Theo đơn vị",
            &["Đạt"],
            &[row("TDP 1", &[Some(50.0)]), row("TDP 2", &[None])],
            Scale::Percent,
            Some(80.0),
        );
        let plot = WIDTH - VALUE_W;
        let filled: Vec<&Rect> = chart.rects.iter().filter(|r| r.class == "s0").collect();
        assert_eq!(filled.len(), 2);
        assert!((filled[0].w - plot / 2.0).abs() < 0.06);
        assert_eq!(filled[1].w, 0.0);
        let target = &chart.lines[0];
        assert!((target.x1 - plot * 0.8).abs() < 0.06);
        let texts: Vec<&str> = chart.texts.iter().map(|t| t.text.as_str()).collect();
        assert!(texts.contains(&"50%") && texts.contains(&"chưa có số liệu"));
        assert_eq!(
            chart.desc,
            "Theo đơn vị. TDP 1: 50%; TDP 2: chưa có số liệu; mục tiêu 80%."
        );
    }

    #[test]
    fn counts_scale_to_the_largest_and_read_with_thousands_separators() {
        let chart = bars(
            "c",
            "Tuổi",
            &["Nam", "Nữ"],
            &[row("18–35", &[Some(1200.0), Some(2400.0)])],
            Scale::Count,
            None,
        );
        let filled: Vec<&Rect> = chart.rects.iter().filter(|r| r.class != "track").collect();
        // Two legend swatches, then the bars: the larger fills the plot.
        assert!((filled[3].w - (WIDTH - VALUE_W)).abs() < 0.06);
        assert!((filled[2].w - (WIDTH - VALUE_W) / 2.0).abs() < 0.06);
        assert!(chart.desc.contains("Nam 1.200, Nữ 2.400"));
        assert_eq!(thousands(4_600_000), "4.600.000");
        assert_eq!(thousands(999), "999");
    }

    #[test]
    fn month_columns_rise_with_the_share() {
        let chart = columns(
            "m",
            "Theo tháng",
            &["T1".into(), "T2".into()],
            &[Some(25.0), Some(100.0)],
            80.0,
        );
        let cols: Vec<&Rect> = chart.rects.iter().filter(|r| r.class == "s0").collect();
        assert!((cols[1].h - 4.0 * cols[0].h).abs() < 0.3);
        assert!(chart.desc.ends_with("T1: 25%; T2: 100%; mục tiêu 80%."));
    }
}
