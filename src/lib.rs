//! Học Vụ Số (`hocvuso`): a self-paced learning management system for Vietnam's
//! "Bình dân học vụ số" movement.
//!
//! Layers: `web` (actix-web handlers, Tera pages) calls domain modules (`accounts`, `mail`…),
//! which use `db` (diesel over SQLite or PostgreSQL). `content` parses courses and knows
//! nothing of HTTP or storage.

pub mod accounts;
pub mod assessment;
pub mod audit;
pub mod certificates;
pub mod cli;
pub mod cli_courses;
pub mod cli_import;
pub mod cli_report;
pub mod config;
pub mod content;
pub mod courses;
pub mod db;
pub mod error;
pub mod export;
pub mod forms;
pub mod groups;
pub mod imports;
pub mod keys;
pub mod mail;
pub mod privacy;
pub mod reports;
pub mod startup;
pub mod stats;
pub mod team;
pub mod telemetry;
pub mod web;
