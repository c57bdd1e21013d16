//! Structured logs (tracing): human-readable by default, JSON with `HOCVUSO_LOG_FORMAT=json`;
//! the level from `RUST_LOG` (default `info`). Every request carries a request id.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    let result = if std::env::var("HOCVUSO_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().try_init()
    } else {
        builder.compact().try_init()
    };
    // A second init (in tests) keeps the first subscriber.
    drop(result);
}
