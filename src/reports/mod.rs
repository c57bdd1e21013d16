//! Reports against the ward's plan. So far: the plan file and its checks.

pub mod plan;
