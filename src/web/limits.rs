//! Login rate limits, per account and per client address (governor's GCRA). Each server
//! process counts on its own: behind a load balancer of N servers the limit is N times looser,
//! still far too tight for guessing passwords.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use actix_web::HttpRequest;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::AppError;

pub struct LoginLimits {
    per_account: DefaultKeyedRateLimiter<String>,
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    checks: AtomicU64,
    trust_proxy: bool,
}

fn quota(burst: u32, every: Duration) -> Quota {
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(every)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(burst)
}

impl LoginLimits {
    /// 5 tries per account, then one every 2 minutes; `burst_per_address` per address (a
    /// school lab shares one address), then one a second.
    pub fn new(trust_proxy: bool, burst_per_address: u32) -> LoginLimits {
        LoginLimits {
            per_account: RateLimiter::keyed(quota(5, Duration::from_secs(120))),
            per_address: RateLimiter::keyed(quota(burst_per_address, Duration::from_secs(1))),
            checks: AtomicU64::new(0),
            trust_proxy,
        }
    }

    /// The client's address: the peer, or the first `X-Forwarded-For` hop behind a proxy.
    pub fn client_ip(&self, req: &HttpRequest) -> Option<IpAddr> {
        let info = req.connection_info();
        let text = if self.trust_proxy {
            info.realip_remote_addr().map(str::to_owned)
        } else {
            info.peer_addr().map(str::to_owned)
        }?;
        text.parse()
            .ok()
            .or_else(|| text.parse::<std::net::SocketAddr>().ok().map(|s| s.ip()))
    }

    /// Counts one attempt for the address and (if given) the account; refuses when over.
    pub fn check(&self, req: &HttpRequest, account: Option<&str>) -> Result<(), AppError> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % 1024 == 1023 {
            self.per_account.retain_recent();
            self.per_address.retain_recent();
        }
        let clock = DefaultClock::default();
        if let Some(ip) = self.client_ip(req) {
            if let Err(not_until) = self.per_address.check_key(&ip) {
                let wait = not_until.wait_time_from(clock.now()).as_secs().max(1);
                return Err(AppError::RateLimited {
                    retry_after_secs: wait,
                });
            }
        }
        if let Some(account) = account {
            if let Err(not_until) = self.per_account.check_key(&account.to_owned()) {
                let wait = not_until.wait_time_from(clock.now()).as_secs().max(1);
                return Err(AppError::RateLimited {
                    retry_after_secs: wait,
                });
            }
        }
        Ok(())
    }
}
