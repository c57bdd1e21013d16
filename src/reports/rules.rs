//! The counting rules for one person, in Rust: who belongs to a goal's population and in which
//! unit, what the person holds toward the goal and whether it counts at a date. The aggregate
//! SQL of `tally` follows the same rules; these are used where people are looked at one by
//! one (revoked certificates, who is still missing).

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::plan::Counts;
use crate::db::DbConn;
use crate::db::schema::{units, users};

/// A person as the counting rules see them.
#[derive(Debug, Clone)]
pub struct Person {
    pub group: String,
    pub unit: Option<i64>,
    pub residence: Option<i64>,
    pub birth_year: i32,
    pub sex: Option<String>,
    pub channel: String,
}

/// id, group, work unit, residence, birth year, sex, channel.
pub type PersonRow = (
    i64,
    String,
    Option<i64>,
    Option<i64>,
    i32,
    Option<String>,
    String,
);

/// The columns of `users` that make a [`PersonRow`], in its order.
pub const PERSON_COLUMNS: (
    users::id,
    users::target_group,
    users::unit_id,
    users::residence_unit_id,
    users::birth_year,
    users::sex,
    users::channel,
) = (
    users::id,
    users::target_group,
    users::unit_id,
    users::residence_unit_id,
    users::birth_year,
    users::sex,
    users::channel,
);

pub fn person(row: &PersonRow) -> Person {
    Person {
        group: row.1.clone(),
        unit: row.2,
        residence: row.3,
        birth_year: row.4,
        sex: row.5.clone(),
        channel: row.6.clone(),
    }
}

#[derive(Debug, Clone)]
pub struct UnitInfo {
    pub code: String,
    pub name: String,
    pub kind: String,
}

/// Every unit by id.
pub fn load_units(conn: &mut DbConn) -> QueryResult<HashMap<i64, UnitInfo>> {
    let rows: Vec<(i64, String, String, String)> = units::table
        .select((units::id, units::code, units::name, units::kind))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, code, name, kind)| (id, UnitInfo { code, name, kind }))
        .collect())
}

/// The start of the day after `date`: "at the end of the date" means before this instant.
pub fn day_end(date: NaiveDate) -> NaiveDateTime {
    date.succ_opt()
        .unwrap_or(date)
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
}

/// The unit a person belongs to for a population: `Some(Some(unit))`, or `Some(None)` when
/// they belong to it without a unit; `None` when they are not in the population at all. Adults (18 or more
/// in the report's year) are placed where they live: their residence, or their unit when it
/// is a tổ dân phố. Officials, students and workers are placed in their work or school unit.
pub fn unit_for(
    population: &str,
    person: &Person,
    as_of: NaiveDate,
    units: &HashMap<i64, UnitInfo>,
) -> Option<Option<i64>> {
    match population {
        "adults" => {
            if as_of.year() - person.birth_year < 18 {
                return None;
            }
            if person.residence.is_some() {
                return Some(person.residence);
            }
            Some(
                person
                    .unit
                    .filter(|u| units.get(u).is_some_and(|i| i.kind == "residential")),
            )
        }
        group if group == person.group => Some(person.unit),
        _ => None,
    }
}

/// People needed to reach `target` percent of `population` ("more than" when strictly above).
pub fn needed(population: i64, target: u32, strictly_above: bool) -> i64 {
    let product = population * i64::from(target);
    let n = if strictly_above {
        product / 100 + 1
    } else {
        (product + 99) / 100
    };
    n.min(population)
}

/// The index of an age in `compute::AGE_BANDS`.
pub fn age_band(age: i32) -> usize {
    match age {
        ..18 => 0,
        18..=35 => 1,
        36..=59 => 2,
        _ => 3,
    }
}

/// A certificate of a goal course.
#[derive(Debug, Clone)]
pub struct Cert {
    pub slug: String,
    pub issued: NaiveDateTime,
    pub revoked: Option<NaiveDateTime>,
}

fn valid_at(c: &Cert, end: NaiveDateTime) -> bool {
    c.issued < end && c.revoked.is_none_or(|r| r >= end)
}

/// What a person has toward the goals: their certificates and confirmation date.
#[derive(Debug, Default)]
pub struct Holdings {
    pub certs: Vec<Cert>,
    pub confirmed: Option<NaiveDate>,
}

impl Holdings {
    /// Whether these holdings count toward a goal at the end of `date`.
    pub fn counts_at(&self, counts: &Counts, date: NaiveDate) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn a_revoked_certificate_counts_until_its_revocation_and_a_reissue_after() {
        let h = Holdings {
            certs: vec![
                Cert {
                    slug: "a".into(),
                    issued: at("2026-03-10 09:00"),
                    revoked: Some(at("2026-04-01 08:00")),
                },
                Cert {
                    slug: "a".into(),
                    issued: at("2026-04-02 09:00"),
                    revoked: None,
                },
            ],
            confirmed: None,
        };
        let any = Counts::AnyOf(vec!["a".into()]);
        let d = |s| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert!(!h.counts_at(&any, d("2026-03-09")));
        assert!(h.counts_at(&any, d("2026-03-31")));
        assert!(!h.counts_at(&any, d("2026-04-01")));
        assert!(h.counts_at(&any, d("2026-04-02")));
        assert!(!h.counts_at(
            &Counts::AllOf(vec!["a".into(), "b".into()]),
            d("2026-12-31")
        ));
    }

    #[test]
    fn targets_round_up_and_more_than_means_one_more() {
        assert_eq!(needed(13, 80, false), 11);
        assert_eq!(needed(10, 80, false), 8);
        assert_eq!(needed(10, 80, true), 9);
        assert_eq!(needed(5, 80, true), 5);
        assert_eq!(needed(4, 100, false), 4);
        assert_eq!(needed(0, 80, false), 0);
    }
}
