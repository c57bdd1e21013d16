//! The figures of the cohort report, computed once and shared by the page, the printable
//! page, the exports and the command line. The counting rules (who counts, in which unit,
//! the denominator, the status) are written in the README ("Cohort reports").
//!
//! The database counts (see `tally`): one aggregate query per goal, a few small tables (units,
//! population counts). Rust assembles the figures from those counts: per unit, by group, age
//! band and sex, way of taking part, and month, within the scope asked for.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;
use serde::Serialize;

use super::plan::{Counts, Goal, Plan};
use super::rules::{UnitInfo, load_units, needed};
use super::tally::{self, ASSISTED, FEMALE, MALE, Tally, UNMATCHED};
use crate::db::DbConn;
use crate::db::schema::population_counts;

pub use super::rules::day_end;

/// Which units a report covers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every unit, and people with no unit (administrators).
    All,
    /// Only these units (a unit manager's).
    Units(Vec<i64>),
}

impl Scope {
    pub fn contains(&self, unit: i64) -> bool {
        match self {
            Scope::All => true,
            Scope::Units(list) => list.contains(&unit),
        }
    }

    pub fn is_all(&self) -> bool {
        matches!(self, Scope::All)
    }
}

/// A goal's status at the report date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Counted reaches the target.
    Met,
    /// Not yet, and the current pace reaches the target by the deadline.
    OnTrack,
    /// Not yet, and the current pace does not reach it by the deadline.
    AtRisk,
    /// The deadline has passed without reaching the target.
    Missed,
    /// No population count: no percentage.
    NoDenominator,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::Met => "đạt",
            Status::OnTrack => "chưa đạt",
            Status::AtRisk => "có nguy cơ không đạt",
            Status::Missed => "không đạt",
            Status::NoDenominator => "chưa có số dân",
        }
    }
}

/// One unit's line in a goal.
#[derive(Debug, Clone, Serialize)]
pub struct UnitLine {
    pub unit_id: i64,
    pub code: String,
    pub name: String,
    pub kind: String,
    /// None when the unit has no population count for the goal's population.
    pub population: Option<i64>,
    pub counted: i64,
    pub percent: Option<f64>,
    pub missing: Option<i64>,
}

/// People counted at the end of a month (the current month ends at the report date).
#[derive(Debug, Clone, Serialize)]
pub struct MonthLine {
    /// `YYYY-MM`.
    pub month: String,
    pub end: NaiveDate,
    pub counted: i64,
    pub percent: Option<f64>,
}

/// A labelled count.
#[derive(Debug, Clone, Serialize)]
pub struct CountLine {
    pub code: String,
    pub label: String,
    pub counted: i64,
}

/// Counted people in one age band, by sex.
#[derive(Debug, Clone, Serialize)]
pub struct AgeLine {
    pub band: String,
    pub male: i64,
    pub female: i64,
    pub unknown: i64,
    pub total: i64,
}

pub const AGE_BANDS: &[&str] = &["dưới 18", "18–35", "36–59", "từ 60"];

/// A goal's figures.
#[derive(Debug, Clone, Serialize)]
pub struct GoalReport {
    pub number: u32,
    pub title: String,
    /// The population code (`officials`, `adults`...).
    pub counted_population: String,
    pub population_label: String,
    /// What counts, in words.
    pub counts: String,
    pub target_percent: u32,
    pub strictly_above: bool,
    pub deadline: NaiveDate,
    /// Sum of the latest population counts of the units in scope that have one.
    pub population: Option<i64>,
    /// People counted in units with a population count.
    pub counted: i64,
    /// People counted in units without a population count, or without a unit.
    pub counted_outside: i64,
    pub percent: Option<f64>,
    /// People needed to reach the target.
    pub needed: Option<i64>,
    /// People still missing to reach the target.
    pub missing: Option<i64>,
    pub status: Status,
    pub status_label: String,
    /// People gained in the 30 days up to the report date.
    pub gained_30_days: i64,
    /// Counted at the deadline at the current pace (only before the deadline).
    pub projected: Option<i64>,
    pub units: Vec<UnitLine>,
    pub groups: Vec<CountLine>,
    pub ages: Vec<AgeLine>,
    pub months: Vec<MonthLine>,
    /// `self`, `assisted` and `unknown` (unmatched confirmations).
    pub channels: Vec<CountLine>,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub ward: String,
    pub title: String,
    pub year: i32,
    pub source: Option<String>,
    pub as_of: NaiveDate,
    /// None for all units; else the units covered.
    pub units_in_scope: Option<Vec<i64>>,
    pub goals: Vec<GoalReport>,
    /// Pre-test and final scores (filled by `prepost::build`).
    pub prepost: Option<super::prepost::PrePost>,
}

/// Population label in Vietnamese.
pub fn population_label(code: &str) -> String {
    super::plan::POPULATIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| (*l).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

/// A share in percent to one decimal, as every page and export shows it (rounded once, here,
/// so no figure is rounded twice), or `None` without a population.
fn percent(counted: i64, population: Option<i64>) -> Option<f64> {
    population
        .filter(|p| *p > 0)
        .map(|p| (counted as f64 * 1_000.0 / p as f64).round() / 10.0)
}

fn group_label(code: &str) -> String {
    crate::groups::Group::parse(code)
        .map(|g| g.label_vi().to_owned())
        .unwrap_or_else(|_| "Không rõ".to_owned())
}

fn counts_words(counts: &Counts) -> String {
    match counts {
        Counts::AnyOf(l) => format!("Chứng nhận của một trong các khoá: {}", l.join(", ")),
        Counts::AllOf(l) => format!("Chứng nhận của tất cả các khoá: {}", l.join(", ")),
        Counts::Confirmation(k) if k == "vneid" => "Xác nhận đạt phổ cập trên VNeID".to_owned(),
        Counts::Confirmation(k) => format!("Xác nhận trên {k}"),
    }
}

/// The latest count per (population, unit) on or before the report date.
fn load_populations(
    conn: &mut DbConn,
    as_of: NaiveDate,
) -> QueryResult<HashMap<(String, i64), i64>> {
    let rows: Vec<(i64, String, i32)> = population_counts::table
        .filter(population_counts::as_of.le(as_of))
        .select((
            population_counts::unit_id,
            population_counts::population,
            population_counts::count,
        ))
        .order((population_counts::as_of, population_counts::id))
        .load(conn)?;
    // Ordered by date (then id): the last row per unit is the latest one.
    Ok(rows
        .into_iter()
        .map(|(unit, population, count)| ((population, unit), i64::from(count)))
        .collect())
}

/// The dates a report counts at, ascending: each month end from January of the plan year to
/// the report date (which ends its month), and 30 days before the report date.
pub(crate) struct Bounds {
    pub dates: Vec<NaiveDate>,
    /// Index of each month's end in `dates`, in order.
    pub months: Vec<usize>,
    /// Index of the day 30 days before the report date.
    pub before: usize,
}

impl Bounds {
    pub fn new(year: i32, as_of: NaiveDate) -> Bounds {
        let mut ends = Vec::new();
        let (mut y, mut m) = (year, 1);
        while (y, m) <= (as_of.year(), as_of.month()) {
            let next = if m == 12 {
                NaiveDate::from_ymd_opt(y + 1, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(y, m + 1, 1)
            };
            let Some(end) = next.and_then(|d| d.pred_opt()) else {
                break;
            };
            ends.push(end.min(as_of));
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
        let before = as_of - chrono::Duration::days(30);
        let mut dates = ends.clone();
        dates.push(before);
        dates.push(as_of);
        dates.sort();
        dates.dedup();
        let index = |d: &NaiveDate| dates.binary_search(d).unwrap_or(0);
        Bounds {
            months: ends.iter().map(index).collect(),
            before: index(&before),
            dates,
        }
    }

    fn last(&self) -> usize {
        self.dates.len().saturating_sub(1)
    }
}

/// The report for a plan at a date over a scope.
pub fn build(
    conn: &mut DbConn,
    plan: &Plan,
    as_of: NaiveDate,
    scope: &Scope,
) -> QueryResult<Report> {
    let units = load_units(conn)?;
    let populations = load_populations(conn, as_of)?;
    let bounds = Bounds::new(plan.year, as_of);
    let tallies = tally::goals(conn, &plan.goals, &bounds.dates, scope)?;
    let ctx = GoalContext {
        units: &units,
        populations: &populations,
        bounds: &bounds,
        as_of,
        scope,
    };
    let goals = plan
        .goals
        .iter()
        .zip(&tallies)
        .map(|(g, tally)| goal_report(&ctx, g, tally))
        .collect();
    Ok(Report {
        ward: plan.ward.clone(),
        title: plan.title.clone(),
        year: plan.year,
        source: plan.source.clone(),
        as_of,
        units_in_scope: match scope {
            Scope::All => None,
            Scope::Units(list) => Some(list.clone()),
        },
        goals,
        prepost: None,
    })
}

struct GoalContext<'a> {
    units: &'a HashMap<i64, UnitInfo>,
    populations: &'a HashMap<(String, i64), i64>,
    bounds: &'a Bounds,
    as_of: NaiveDate,
    scope: &'a Scope,
}

/// Who is counted at the report date, by breakdown.
#[derive(Default)]
struct Breakdown {
    per_unit: BTreeMap<i64, i64>,
    outside: i64,
    groups: BTreeMap<String, i64>,
    /// [band][male, female, unknown]; band 4 is "unknown age".
    ages: [[i64; 3]; 5],
    channels: [i64; 3],
}

fn breakdown(rows: &[(&tally::Key, &Vec<i64>)], inside: &HashSet<i64>, last: usize) -> Breakdown {
    let mut b = Breakdown::default();
    for (key, counts) in rows {
        let n = counts.get(last).copied().unwrap_or(0);
        if n == 0 {
            continue;
        }
        if let Some(u) = key.unit {
            *b.per_unit.entry(u).or_default() += n;
        }
        if !key.unit.is_some_and(|u| inside.contains(&u)) {
            b.outside += n;
            continue;
        }
        *b.groups.entry(key.group.clone()).or_default() += n;
        let sex = match key.sex {
            MALE => 0,
            FEMALE => 1,
            _ => 2,
        };
        b.ages[usize::from(key.band.min(4))][sex] += n;
        b.channels[usize::from(key.channel.min(2))] += n;
    }
    b
}

fn goal_report(ctx: &GoalContext, goal: &Goal, tally: &Tally) -> GoalReport {
    let (bounds, scope) = (ctx.bounds, ctx.scope);
    // The tally's rows in scope: people of the scope's units (and, for the whole ward, people
    // without a unit).
    let rows: Vec<(&tally::Key, &Vec<i64>)> = tally
        .iter()
        .filter(|(k, _)| match k.unit {
            Some(u) => scope.contains(u),
            None => scope.is_all(),
        })
        .collect();
    let unit_pop: BTreeMap<i64, i64> = ctx
        .populations
        .iter()
        .filter(|((p, u), _)| p == &goal.counted && scope.contains(*u) && ctx.units.contains_key(u))
        .map(|((_, u), n)| (*u, *n))
        .collect();
    let inside: HashSet<i64> = unit_pop.keys().copied().collect();
    let population = (!unit_pop.is_empty()).then(|| unit_pop.values().sum::<i64>());
    let counted_at = |k: usize| -> i64 {
        rows.iter()
            .filter(|(key, _)| key.unit.is_some_and(|u| inside.contains(&u)))
            .map(|(_, c)| c.get(k).copied().unwrap_or(0))
            .sum()
    };
    let last = bounds.last();
    let b = breakdown(&rows, &inside, last);
    let counted = counted_at(last);
    let needed_total = population
        .filter(|p| *p > 0)
        .map(|p| needed(p, goal.target_percent, goal.strictly_above));
    let missing = needed_total.map(|n| (n - counted).max(0));
    let gained = counted - counted_at(bounds.before);
    let days_left = (goal.deadline - ctx.as_of).num_days();
    let projected = (days_left >= 0)
        .then(|| counted + (gained as f64 / 30.0 * days_left as f64).floor() as i64);
    let status = match needed_total {
        None => Status::NoDenominator,
        Some(n) if counted >= n => Status::Met,
        Some(_) if ctx.as_of > goal.deadline => Status::Missed,
        Some(n) if projected.unwrap_or(counted) >= n => Status::OnTrack,
        Some(_) => Status::AtRisk,
    };
    GoalReport {
        number: goal.number,
        title: goal.title.clone(),
        counted_population: goal.counted.clone(),
        population_label: population_label(&goal.counted),
        counts: counts_words(&goal.counts),
        target_percent: goal.target_percent,
        strictly_above: goal.strictly_above,
        deadline: goal.deadline,
        population,
        counted,
        counted_outside: b.outside,
        percent: percent(counted, population),
        needed: needed_total,
        missing,
        status,
        status_label: status.label().to_owned(),
        gained_30_days: gained,
        projected,
        units: unit_lines(ctx, goal, &unit_pop, &b.per_unit),
        groups: b
            .groups
            .iter()
            .map(|(code, n)| CountLine {
                label: group_label(code),
                code: code.clone(),
                counted: *n,
            })
            .collect(),
        ages: age_lines(&b.ages),
        months: bounds
            .months
            .iter()
            .map(|&k| {
                let end = bounds.dates[k];
                let c = counted_at(k);
                MonthLine {
                    month: format!("{:04}-{:02}", end.year(), end.month()),
                    end,
                    counted: c,
                    percent: percent(c, population),
                }
            })
            .collect(),
        channels: channel_lines(&b.channels),
    }
}

fn unit_lines(
    ctx: &GoalContext,
    goal: &Goal,
    unit_pop: &BTreeMap<i64, i64>,
    per_unit: &BTreeMap<i64, i64>,
) -> Vec<UnitLine> {
    let mut ids: Vec<i64> = unit_pop.keys().chain(per_unit.keys()).copied().collect();
    ids.sort();
    ids.dedup();
    let mut lines: Vec<UnitLine> = ids
        .into_iter()
        .filter_map(|id| {
            let info = ctx.units.get(&id)?;
            let pop = unit_pop.get(&id).copied();
            let c = per_unit.get(&id).copied().unwrap_or(0);
            Some(UnitLine {
                unit_id: id,
                code: info.code.clone(),
                name: info.name.clone(),
                kind: info.kind.clone(),
                population: pop,
                counted: c,
                percent: percent(c, pop),
                missing: pop
                    .map(|p| (needed(p, goal.target_percent, goal.strictly_above) - c).max(0)),
            })
        })
        .collect();
    lines.sort_by(|a, b| a.code.cmp(&b.code));
    lines
}

fn age_lines(ages: &[[i64; 3]; 5]) -> Vec<AgeLine> {
    let line = |band: &str, [male, female, unknown]: [i64; 3]| AgeLine {
        band: band.to_owned(),
        male,
        female,
        unknown,
        total: male + female + unknown,
    };
    let mut out: Vec<AgeLine> = AGE_BANDS
        .iter()
        .zip(ages)
        .map(|(band, a)| line(band, *a))
        .collect();
    if ages[4].iter().sum::<i64>() > 0 {
        out.push(line("không rõ", ages[4]));
    }
    out
}

fn channel_lines(channels: &[i64; 3]) -> Vec<CountLine> {
    let line = |code: &str, label: &str, counted: i64| CountLine {
        code: code.into(),
        label: label.into(),
        counted,
    };
    vec![
        line("self", "Tự học", channels[0]),
        line("assisted", "Được hỗ trợ", channels[usize::from(ASSISTED)]),
        line(
            "unknown",
            "Không rõ (xác nhận chưa khớp tài khoản)",
            channels[usize::from(UNMATCHED)],
        ),
    ]
}
