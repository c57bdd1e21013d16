//! Personal data: consent per purpose, a person's own data as JSON, erasure on request.
pub mod consent;
