//! Reports against the ward's plan: the plan file and its checks, the figures (one code path
//! for the page, the printable page, the exports and the command line), charts and exports.

pub mod compute;
pub mod plan;
pub mod prepost;

pub use compute::{Report, Scope, build};
