//! A person's own data: consent, download (JSON), deletion.

use actix_web::web;

/// This module's routes (registered by `web::routes`).
pub fn routes(_cfg: &mut web::ServiceConfig) {}
