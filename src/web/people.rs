//! Administrators at work on accounts: find, view, edit, deactivate, reset, managers.

use actix_web::web;

/// This module's routes (registered by `web::routes`).
pub fn routes(_cfg: &mut web::ServiceConfig) {}
