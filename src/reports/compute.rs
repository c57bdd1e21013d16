//! The figures of the cohort report, computed once and shared by the page, the printable
//! page, the exports and the command line. The counting rules (who counts, in which unit,
//! the denominator, the status) are the lead's, written in the README.
//!
//! A few narrow queries load only the people who could count (holders of a goal course's
//! certificate, confirmed people) and the small tables (units, population counts); Rust does
//! the rest, evaluating each person at the report date, 30 days before it and each month end.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::plan::{Counts, Goal, Plan};
use crate::db::DbConn;
use crate::db::schema::{
    attempts, certificates, confirmations, lesson_progress, population_counts, units, users,
};

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

/// A person as the counting rules see them.
#[derive(Debug, Clone)]
pub(crate) struct Person {
    pub group: String,
    pub unit: Option<i64>,
    pub residence: Option<i64>,
    pub birth_year: i32,
    pub sex: Option<String>,
    pub channel: String,
}

#[derive(Debug, Clone)]
pub(crate) struct UnitInfo {
    pub code: String,
    pub name: String,
    pub kind: String,
}

/// The start of the day after `date`: "at the end of the date" means before this instant.
pub fn day_end(date: NaiveDate) -> NaiveDateTime {
    date.succ_opt()
        .unwrap_or(date)
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
}

/// Population label in Vietnamese.
pub fn population_label(code: &str) -> String {
    super::plan::POPULATIONS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, l)| (*l).to_owned())
        .unwrap_or_else(|| code.to_owned())
}

/// The unit a person belongs to for a population, or `Ok(None)` when they have one but not
/// for this goal; `Err(())` when they are not in the population at all.
pub(crate) fn unit_for(
    population: &str,
    person: &Person,
    as_of: NaiveDate,
    units: &HashMap<i64, UnitInfo>,
) -> Result<Option<i64>, ()> {
    match population {
        "adults" => {
            if as_of.year() - person.birth_year < 18 {
                return Err(());
            }
            if person.residence.is_some() {
                return Ok(person.residence);
            }
            Ok(person
                .unit
                .filter(|u| units.get(u).is_some_and(|i| i.kind == "residential")))
        }
        group if group == person.group => Ok(person.unit),
        _ => Err(()),
    }
}

pub(crate) fn needed(population: i64, target: u32, strictly_above: bool) -> i64 {
    let product = population * i64::from(target);
    let n = if strictly_above {
        product / 100 + 1
    } else {
        (product + 99) / 100
    };
    n.min(population)
}

/// A share in percent to one decimal, as every page and export shows it (rounded once, here,
/// so no figure is rounded twice), or `None` without a population.
fn percent(counted: i64, population: Option<i64>) -> Option<f64> {
    population
        .filter(|p| *p > 0)
        .map(|p| (counted as f64 * 1_000.0 / p as f64).round() / 10.0)
}

pub fn sex_code(sex: Option<&str>) -> &'static str {
    match sex.map(|s| s.trim().to_lowercase()).as_deref() {
        Some("nam" | "male" | "m") => "male",
        Some("nữ" | "nu" | "female" | "f") => "female",
        _ => "unknown",
    }
}

fn age_band(age: i32) -> usize {
    match age {
        ..18 => 0,
        18..=35 => 1,
        36..=59 => 2,
        _ => 3,
    }
}

fn group_label(code: &str) -> String {
    crate::groups::Group::parse(code)
        .map(|g| g.label_vi().to_owned())
        .unwrap_or_else(|_| "Không rõ".to_owned())
}

/// A certificate of a goal course.
#[derive(Debug, Clone)]
pub(crate) struct Cert {
    pub slug: String,
    pub issued: NaiveDateTime,
    pub revoked: Option<NaiveDateTime>,
}

fn valid_at(c: &Cert, end: NaiveDateTime) -> bool {
    c.issued < end && c.revoked.is_none_or(|r| r >= end)
}

/// What a person has toward the goals: their certificates and confirmation date.
#[derive(Debug, Default)]
pub(crate) struct Holdings {
    pub certs: Vec<Cert>,
    pub confirmed: Option<NaiveDate>,
}

impl Holdings {
    pub(crate) fn counts_at(&self, counts: &Counts, date: NaiveDate) -> bool {
        let end = day_end(date);
        match counts {
            Counts::AnyOf(list) => self
                .certs
                .iter()
                .any(|c| list.contains(&c.slug) && valid_at(c, end)),
            Counts::AllOf(list) => list.iter().all(|slug| {
                self.certs
                    .iter()
                    .any(|c| &c.slug == slug && valid_at(c, end))
            }),
            Counts::Confirmation(_) => self.confirmed.is_some_and(|d| d <= date),
        }
    }
}

/// Everything loaded from the database for one report date.
pub(crate) struct Loaded {
    pub units: HashMap<i64, UnitInfo>,
    people: HashMap<i64, (Person, Holdings)>,
    /// Unmatched confirmations: (kind, unit, date).
    unmatched: Vec<(String, Option<i64>, NaiveDate)>,
    assisted: HashSet<i64>,
    /// (population, unit) -> latest count at the report date.
    populations: HashMap<(String, i64), i64>,
}

pub(crate) type PersonRow = (
    i64,
    String,
    Option<i64>,
    Option<i64>,
    i32,
    Option<String>,
    String,
);

/// A certificate's course, issue and revocation times.
pub(crate) type CertRow = (String, NaiveDateTime, Option<NaiveDateTime>);

pub(crate) fn person(row: &PersonRow) -> Person {
    Person {
        group: row.1.clone(),
        unit: row.2,
        residence: row.3,
        birth_year: row.4,
        sex: row.5.clone(),
        channel: row.6.clone(),
    }
}

/// Every unit by id.
pub(crate) fn load_units(conn: &mut DbConn) -> QueryResult<HashMap<i64, UnitInfo>> {
    let unit_rows: Vec<(i64, String, String, String)> = units::table
        .select((units::id, units::code, units::name, units::kind))
        .load(conn)?;
    Ok(unit_rows
        .into_iter()
        .map(|(id, code, name, kind)| (id, UnitInfo { code, name, kind }))
        .collect())
}

/// The courses whose certificates count, and the kinds of confirmation that count, toward
/// the given goals (sorted, without repeats).
pub(crate) fn what_counts<'a>(goals: impl Iterator<Item = &'a Goal>) -> (Vec<String>, Vec<String>) {
    let mut slugs: Vec<String> = Vec::new();
    let mut kinds: Vec<String> = Vec::new();
    for goal in goals {
        match &goal.counts {
            Counts::AnyOf(l) | Counts::AllOf(l) => slugs.extend(l.iter().cloned()),
            Counts::Confirmation(k) => kinds.push(k.clone()),
        }
    }
    slugs.sort();
    slugs.dedup();
    kinds.sort();
    kinds.dedup();
    (slugs, kinds)
}

pub(crate) fn load(
    conn: &mut DbConn,
    plan: &Plan,
    as_of: NaiveDate,
) -> Result<Loaded, diesel::result::Error> {
    let end = day_end(as_of);
    let units = load_units(conn)?;
    let (slugs, kinds) = what_counts(plan.goals.iter());

    let person_cols = (
        users::id,
        users::target_group,
        users::unit_id,
        users::residence_unit_id,
        users::birth_year,
        users::sex,
        users::channel,
    );
    let mut people: HashMap<i64, (Person, Holdings)> = HashMap::new();
    if !slugs.is_empty() {
        let rows: Vec<(PersonRow, CertRow)> = certificates::table
            .inner_join(users::table)
            .filter(certificates::course_slug.eq_any(&slugs))
            .filter(certificates::issued_at.lt(end))
            .select((
                person_cols,
                (
                    certificates::course_slug,
                    certificates::issued_at,
                    certificates::revoked_at,
                ),
            ))
            .load(conn)?;
        for (p, (slug, issued, revoked)) in rows {
            people
                .entry(p.0)
                .or_insert_with(|| (person(&p), Holdings::default()))
                .1
                .certs
                .push(Cert {
                    slug,
                    issued,
                    revoked,
                });
        }
    }
    let mut unmatched = Vec::new();
    if !kinds.is_empty() {
        let rows: Vec<(PersonRow, NaiveDate)> = confirmations::table
            .inner_join(users::table.on(confirmations::user_id.eq(users::id.nullable())))
            .filter(confirmations::kind.eq_any(&kinds))
            .filter(confirmations::confirmed_on.le(as_of))
            .select((person_cols, confirmations::confirmed_on))
            .load(conn)?;
        for (p, on) in rows {
            let h = &mut people
                .entry(p.0)
                .or_insert_with(|| (person(&p), Holdings::default()))
                .1;
            h.confirmed = Some(h.confirmed.map_or(on, |d| d.min(on)));
        }
        unmatched = confirmations::table
            .filter(confirmations::kind.eq_any(&kinds))
            .filter(confirmations::user_id.is_null())
            .filter(confirmations::confirmed_on.le(as_of))
            .select((
                confirmations::kind,
                confirmations::unit_id,
                confirmations::confirmed_on,
            ))
            .load(conn)?;
    }
    let mut assisted: HashSet<i64> = lesson_progress::table
        .filter(lesson_progress::assisted_by.is_not_null())
        .select(lesson_progress::user_id)
        .distinct()
        .load::<i64>(conn)?
        .into_iter()
        .collect();
    assisted.extend(
        attempts::table
            .filter(attempts::assisted_by.is_not_null())
            .select(attempts::user_id)
            .distinct()
            .load::<i64>(conn)?,
    );

    let count_rows: Vec<(i64, String, NaiveDate, i32)> = population_counts::table
        .filter(population_counts::as_of.le(as_of))
        .select((
            population_counts::unit_id,
            population_counts::population,
            population_counts::as_of,
            population_counts::count,
        ))
        .order((population_counts::as_of, population_counts::id))
        .load(conn)?;
    let mut populations = HashMap::new();
    // Ordered by date (then id): the last row per unit is the latest one.
    for (unit, population, _, count) in count_rows {
        populations.insert((population, unit), i64::from(count));
    }
    Ok(Loaded {
        units,
        people,
        unmatched,
        assisted,
        populations,
    })
}

/// The month ends from January of the plan year to the report date (which ends its month).
fn month_ends(year: i32, as_of: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
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
        out.push(end.min(as_of));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// The report for a plan at a date over a scope.
pub fn build(
    conn: &mut DbConn,
    plan: &Plan,
    as_of: NaiveDate,
    scope: &Scope,
) -> Result<Report, diesel::result::Error> {
    let loaded = load(conn, plan, as_of)?;
    Ok(report_from(&loaded, plan, as_of, scope))
}

pub(crate) fn report_from(loaded: &Loaded, plan: &Plan, as_of: NaiveDate, scope: &Scope) -> Report {
    Report {
        ward: plan.ward.clone(),
        title: plan.title.clone(),
        year: plan.year,
        source: plan.source.clone(),
        as_of,
        units_in_scope: match scope {
            Scope::All => None,
            Scope::Units(list) => Some(list.clone()),
        },
        goals: plan
            .goals
            .iter()
            .map(|g| goal_report(loaded, g, plan.year, as_of, scope))
            .collect(),
        prepost: None,
    }
}

fn counts_words(counts: &Counts) -> String {
    match counts {
        Counts::AnyOf(l) => format!("Chứng nhận một trong các khóa: {}", l.join(", ")),
        Counts::AllOf(l) => format!("Chứng nhận tất cả các khóa: {}", l.join(", ")),
        Counts::Confirmation(k) => format!("Xác nhận trên {}", k.to_uppercase()),
    }
}

fn goal_report(
    loaded: &Loaded,
    goal: &Goal,
    year: i32,
    as_of: NaiveDate,
    scope: &Scope,
) -> GoalReport {
    let has_count = |u: i64| loaded.populations.contains_key(&(goal.counted.clone(), u));
    // Who belongs (population, unit) — the same at every date of this report.
    struct Member<'a> {
        unit: Option<i64>,
        person: &'a Person,
        id: i64,
        holdings: &'a Holdings,
    }
    let members: Vec<Member> = loaded
        .people
        .iter()
        .filter_map(|(id, (p, h))| {
            let unit = unit_for(&goal.counted, p, as_of, &loaded.units).ok()?;
            match unit {
                Some(u) if !scope.contains(u) => None,
                None if !scope.is_all() => None,
                _ => Some(Member {
                    unit,
                    person: p,
                    id: *id,
                    holdings: h,
                }),
            }
        })
        .collect();
    let kind = match &goal.counts {
        Counts::Confirmation(k) => Some(k.as_str()),
        _ => None,
    };
    let unmatched: Vec<(Option<i64>, NaiveDate)> = loaded
        .unmatched
        .iter()
        .filter(|(k, _, _)| Some(k.as_str()) == kind)
        .filter(|(_, u, _)| match u {
            Some(u) => scope.contains(*u),
            None => scope.is_all(),
        })
        .map(|(_, u, d)| (*u, *d))
        .collect();
    let inside = |u: Option<i64>| u.is_some_and(has_count);
    let counted_at = |date: NaiveDate| -> i64 {
        let people = members
            .iter()
            .filter(|m| inside(m.unit) && m.holdings.counts_at(&goal.counts, date))
            .count();
        let rows = unmatched
            .iter()
            .filter(|(u, d)| inside(*u) && *d <= date)
            .count();
        (people + rows) as i64
    };

    // Population per unit in scope.
    let mut unit_pop: BTreeMap<i64, i64> = BTreeMap::new();
    for ((population, unit), count) in &loaded.populations {
        if population == &goal.counted && scope.contains(*unit) && loaded.units.contains_key(unit) {
            unit_pop.insert(*unit, *count);
        }
    }
    let population_total: i64 = unit_pop.values().sum();
    let population = (!unit_pop.is_empty()).then_some(population_total);

    // Counted at the report date, per unit and by breakdown.
    let mut per_unit: BTreeMap<i64, i64> = BTreeMap::new();
    let mut outside = 0i64;
    let mut groups: BTreeMap<String, i64> = BTreeMap::new();
    let mut ages = [[0i64; 3]; 4];
    let (mut self_n, mut assisted_n, mut unknown_n) = (0i64, 0i64, 0i64);
    for m in members
        .iter()
        .filter(|m| m.holdings.counts_at(&goal.counts, as_of))
    {
        if let Some(u) = m.unit {
            *per_unit.entry(u).or_default() += 1;
        }
        if !inside(m.unit) {
            outside += 1;
            continue;
        }
        *groups.entry(m.person.group.clone()).or_default() += 1;
        let sex = match sex_code(m.person.sex.as_deref()) {
            "male" => 0,
            "female" => 1,
            _ => 2,
        };
        ages[age_band(as_of.year() - m.person.birth_year)][sex] += 1;
        if m.person.channel == "helper" || loaded.assisted.contains(&m.id) {
            assisted_n += 1;
        } else {
            self_n += 1;
        }
    }
    for (u, d) in &unmatched {
        if *d > as_of {
            continue;
        }
        if let Some(u) = u {
            *per_unit.entry(*u).or_default() += 1;
        }
        if inside(*u) {
            *groups.entry(String::new()).or_default() += 1;
            unknown_n += 1;
        } else {
            outside += 1;
        }
    }
    let counted: i64 = per_unit
        .iter()
        .filter(|(u, _)| has_count(**u))
        .map(|(_, n)| n)
        .sum();

    let units_lines: Vec<UnitLine> = {
        let mut ids: Vec<i64> = unit_pop.keys().copied().collect();
        ids.extend(per_unit.keys().copied());
        ids.sort();
        ids.dedup();
        let mut lines: Vec<UnitLine> = ids
            .into_iter()
            .filter_map(|id| {
                let info = loaded.units.get(&id)?;
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
    };

    let needed_total = population
        .filter(|p| *p > 0)
        .map(|p| needed(p, goal.target_percent, goal.strictly_above));
    let missing = needed_total.map(|n| (n - counted).max(0));
    let before = as_of - chrono::Duration::days(30);
    let gained = counted - counted_at(before);
    let days_left = (goal.deadline - as_of).num_days();
    let projected = (days_left >= 0)
        .then(|| counted + (gained as f64 / 30.0 * days_left as f64).floor() as i64);
    let status = match needed_total {
        None => Status::NoDenominator,
        Some(n) if counted >= n => Status::Met,
        Some(_) if as_of > goal.deadline => Status::Missed,
        Some(n) if projected.unwrap_or(counted) >= n => Status::OnTrack,
        Some(_) => Status::AtRisk,
    };
    let months = month_ends(year, as_of);
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
        counted_outside: outside,
        percent: percent(counted, population),
        needed: needed_total,
        missing,
        status,
        status_label: status.label().to_owned(),
        gained_30_days: gained,
        projected,
        units: units_lines,
        groups: groups
            .into_iter()
            .map(|(code, n)| CountLine {
                label: group_label(&code),
                code,
                counted: n,
            })
            .collect(),
        ages: AGE_BANDS
            .iter()
            .zip(ages)
            .map(|(band, [male, female, unknown])| AgeLine {
                band: (*band).to_owned(),
                male,
                female,
                unknown,
                total: male + female + unknown,
            })
            .chain((unknown_n > 0).then(|| AgeLine {
                band: "không rõ".to_owned(),
                male: 0,
                female: 0,
                unknown: unknown_n,
                total: unknown_n,
            }))
            .collect(),
        months: months
            .into_iter()
            .map(|end| {
                let c = counted_at(end);
                MonthLine {
                    month: format!("{:04}-{:02}", end.year(), end.month()),
                    end,
                    counted: c,
                    percent: percent(c, population),
                }
            })
            .collect(),
        channels: vec![
            CountLine {
                code: "self".into(),
                label: "Tự học".into(),
                counted: self_n,
            },
            CountLine {
                code: "assisted".into(),
                label: "Được hỗ trợ".into(),
                counted: assisted_n,
            },
            CountLine {
                code: "unknown".into(),
                label: "Không rõ (xác nhận chưa khớp tài khoản)".into(),
                counted: unknown_n,
            },
        ],
    }
}
