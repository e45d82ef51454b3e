//! Rate limits: of logins ([`LoginLimiter`]), of the public pages ([`PublicLimiter`]) and of
//! the tries at signing codes on the signing page ([`SignLimiter`]).
//!
//! Login rate limits, per client address and per user name typed from that address (never per
//! name alone, which would let anyone keep an account's owner out: issue #16 point 6): a fixed
//! window counter per key,
//! kept in memory on each node (issue #5). With several nodes behind a load balancer each node
//! counts alone, so the effective limit is the per-node limit times the nodes; the per-account
//! lockout (in the database) holds across nodes whatever the balancer does.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLimits {
    /// Attempts one client address may make per window.
    pub per_address: u32,
    /// Attempts on one user name from one address per window.
    pub per_username: u32,
    /// The window.
    pub window: Duration,
}

impl Default for LoginLimits {
    /// 30 attempts per address and 10 per user name a minute: far above what a person types,
    /// far below what a guessing script needs.
    fn default() -> Self {
        LoginLimits {
            per_address: 30,
            per_username: 10,
            window: Duration::from_secs(60),
        }
    }
}

/// Fixed-window counters by key, kept in memory on this node: the one mechanism behind the
/// login limits here and the throttling of denials ([`crate::denials`]). Stale keys are swept
/// once more than [`SWEEP_AT`] are kept, so a flood of keys cannot grow it without bound.
#[derive(Debug)]
pub(crate) struct Windows {
    window: Duration,
    counts: Mutex<HashMap<String, (Instant, u32)>>,
}

/// Most keys kept before stale ones are swept (bounds memory under a flood of names).
const SWEEP_AT: usize = 10_000;

impl Windows {
    /// Counters over windows of `window`.
    pub(crate) fn new(window: Duration) -> Windows {
        Windows {
            window,
            counts: Mutex::new(HashMap::new()),
        }
    }

    /// Counts one event of `key` and gives the count in its current window.
    pub(crate) fn hit(&self, key: String) -> u32 {
        let now = Instant::now();
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        if counts.len() > SWEEP_AT {
            counts.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = counts.entry(key).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        entry.1
    }

    /// The count of `key` in its current window, without counting.
    pub(crate) fn count(&self, key: &str) -> u32 {
        let counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        counts
            .get(key)
            .filter(|(start, _)| start.elapsed() < self.window)
            .map_or(0, |(_, n)| *n)
    }
}

/// Counters of login attempts.
#[derive(Debug)]
pub struct LoginLimiter {
    limits: LoginLimits,
    windows: Windows,
}

impl LoginLimiter {
    /// Counters for `limits`.
    pub fn new(limits: LoginLimits) -> LoginLimiter {
        LoginLimiter {
            limits,
            windows: Windows::new(limits.window),
        }
    }

    /// Counts an attempt from `address` (when known) on `username`; `false` when the address or
    /// the name from that address is over its limit (the attempt is then refused before the
    /// password is checked).
    pub fn allow(&self, address: Option<&str>, username: &str) -> bool {
        let by_address =
            address.is_none_or(|a| self.windows.hit(format!("a:{a}")) <= self.limits.per_address);
        let name = format!(
            "u:{}@{}",
            username.trim().to_lowercase(),
            address.unwrap_or_default()
        );
        let by_name = self.windows.hit(name) <= self.limits.per_username;
        by_address && by_name
    }
}

/// The limit of the public pages ([`crate::public`]), per client address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PublicLimits {
    /// Requests one client address may make per window; beyond it the answer is 429.
    pub per_address: u32,
    /// The window.
    pub window: Duration,
}

impl Default for PublicLimits {
    /// 120 requests a minute: a person reading, or a page and its stylesheet, far below it; a
    /// scraper or a flood slowed to two requests a second.
    fn default() -> Self {
        PublicLimits {
            per_address: 120,
            window: Duration::from_secs(60),
        }
    }
}

/// Counters of requests to the public pages per client address, on this node (behind a reverse
/// proxy the address is read as `--trusted-proxy` allows, [`crate::client_addr`]).
#[derive(Debug)]
pub struct PublicLimiter {
    limits: PublicLimits,
    windows: Windows,
}

impl PublicLimiter {
    /// Counters for `limits`.
    pub fn new(limits: PublicLimits) -> PublicLimiter {
        PublicLimiter {
            limits,
            windows: Windows::new(limits.window),
        }
    }

    /// Counts a request from `address` (all requests of unknown address share one counter);
    /// `false` beyond the limit.
    pub fn allow(&self, address: Option<&str>) -> bool {
        self.windows
            .hit(format!("p:{}", address.unwrap_or_default()))
            <= self.limits.per_address
    }

    /// The window, for the `Retry-After` of a refusal.
    pub fn window(&self) -> Duration {
        self.limits.window
    }
}

/// The limit of the signing page (`/sign`, 本人签署承诺书, issue #18 point 9), per client
/// address: each code typed there (to open a commitment or to sign it) counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignLimits {
    /// Tries one client address may make per window; beyond it the answer is 429.
    pub per_address: u32,
    /// The window.
    pub window: Duration,
}

impl Default for SignLimits {
    /// 30 tries in 10 minutes: a person opens and signs in two or three, the managers of one
    /// enterprise behind one address in a few dozen an hour; a script guessing codes of 50 bits
    /// gets nowhere at three a minute.
    fn default() -> Self {
        SignLimits {
            per_address: 30,
            window: Duration::from_secs(600),
        }
    }
}

/// Counters of tries on the signing page per client address, on this node (behind a reverse
/// proxy the address is read as `--trusted-proxy` allows, [`crate::client_addr`]).
#[derive(Debug)]
pub struct SignLimiter {
    limits: SignLimits,
    windows: Windows,
}

impl SignLimiter {
    /// Counters for `limits`.
    pub fn new(limits: SignLimits) -> SignLimiter {
        SignLimiter {
            limits,
            windows: Windows::new(limits.window),
        }
    }

    /// Counts a try from `address` (all tries of unknown address share one counter); `false`
    /// beyond the limit.
    pub fn allow(&self, address: Option<&str>) -> bool {
        self.windows
            .hit(format!("s:{}", address.unwrap_or_default()))
            <= self.limits.per_address
    }

    /// The window, for the `Retry-After` of a refusal.
    pub fn window(&self) -> Duration {
        self.limits.window
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_per_address_and_per_username() {
        let l = LoginLimiter::new(LoginLimits {
            per_address: 3,
            per_username: 2,
            window: Duration::from_secs(60),
        });
        assert!(l.allow(Some("198.51.100.7"), "a"));
        assert!(l.allow(Some("198.51.100.7"), "A "));
        assert!(!l.allow(Some("198.51.100.7"), "a"), "third try on a");
        assert!(
            !l.allow(Some("198.51.100.7"), "b"),
            "fourth from the address"
        );
        assert!(
            l.allow(Some("198.51.100.8"), "b"),
            "another address, another name"
        );
        assert!(
            l.allow(Some("198.51.100.9"), "a"),
            "the name typed too often elsewhere is not blocked here"
        );
    }

    #[test]
    fn public_pages_limit_each_address() {
        let l = PublicLimiter::new(PublicLimits {
            per_address: 2,
            window: Duration::from_secs(60),
        });
        assert!(l.allow(Some("198.51.100.7")));
        assert!(l.allow(Some("198.51.100.7")));
        assert!(!l.allow(Some("198.51.100.7")), "third in the window");
        assert!(l.allow(Some("198.51.100.8")), "another address");
    }

    #[test]
    fn the_signing_page_limits_each_address() {
        let l = SignLimiter::new(SignLimits {
            per_address: 2,
            window: Duration::from_secs(60),
        });
        assert!(l.allow(Some("198.51.100.7")));
        assert!(l.allow(Some("198.51.100.7")));
        assert!(!l.allow(Some("198.51.100.7")), "third in the window");
        assert!(l.allow(Some("198.51.100.8")), "another address");
        assert!(
            l.allow(None) && l.allow(None) && !l.allow(None),
            "unknown: one counter"
        );
    }
}
