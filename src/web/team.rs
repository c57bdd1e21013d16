//! The community digital team (helper role): registering residents, assisted mode.

use actix_web::web;

/// This module's routes (registered by `web::routes`).
pub fn routes(_cfg: &mut web::ServiceConfig) {}
