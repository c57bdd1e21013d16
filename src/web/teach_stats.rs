//! Statistics for teachers: per course and per question.

use actix_web::web;

/// This module's routes (registered by `web::routes`).
pub fn routes(_cfg: &mut web::ServiceConfig) {}
