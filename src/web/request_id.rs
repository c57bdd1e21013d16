//! A request id for every request: sent back as `X-Request-Id` and carried by the tracing span
//! of the request, so every log line of one request can be found together. Cheap when logging
//! is off: the span's fields are only formatted when the span is enabled.

use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;
use tracing::Instrument;

static PREFIX: LazyLock<u32> = LazyLock::new(rand::random);
static NEXT: AtomicU64 = AtomicU64::new(1);

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = format!("{:08x}-{:x}", *PREFIX, NEXT.fetch_add(1, Ordering::Relaxed));
    let span = tracing::info_span!("request", request_id = %id, method = %req.method(), path = %req.path());
    let mut res = next.call(req).instrument(span).await?;
    if let Ok(value) = HeaderValue::from_str(&id) {
        res.headers_mut()
            .insert(HeaderName::from_static("x-request-id"), value);
    }
    Ok(res)
}
