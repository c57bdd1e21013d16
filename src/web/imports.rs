//! Upload forms for CSV imports (units, population, VNeID, learner rosters).

use actix_web::web;

/// This module's routes (registered by `web::routes`).
pub fn routes(_cfg: &mut web::ServiceConfig) {}
