//! Form errors: one message per field, shown beside the field.

use std::collections::BTreeMap;

use serde::Serialize;

/// Messages keyed by field name.
#[derive(Debug, Default, Clone, Serialize)]
pub struct FieldErrors(BTreeMap<&'static str, String>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a message for a field (the first one stays).
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.entry(field).or_insert_with(|| message.into());
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
