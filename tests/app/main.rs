//! One integration test binary: every module spawns the real server on a free port with a
//! fresh database, on SQLite and on PostgreSQL, and talks HTTP to it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;

mod accounts;
mod assessment;
mod browser;
mod certificates;
mod cli;
mod courses;
mod csrf;
mod curriculum;
mod imports;
mod mail;
mod people;
mod privacy;
mod report_cohort;
mod reports;
mod roles;
mod sessions;
mod storage;
mod teach_stats;
mod team;
