//! fixture tests
