//! Cohort reports against the plan's goals: page, charts, exports.

use actix_web::web;

/// This module's routes (registered by `web::routes`).
pub fn routes(_cfg: &mut web::ServiceConfig) {}
