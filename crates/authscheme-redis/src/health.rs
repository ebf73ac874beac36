//! Whether Redis answers, and the log lines when that changes.
//!
//! An outage is reported when it starts, again every [`REMIND_EVERY`] while
//! it lasts, and when Redis is back: one request in a thousand failing the
//! same way says nothing new, and flooding the log under load hides the
//! line that matters.

use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// How often an ongoing outage is logged again.
const REMIND_EVERY: Duration = Duration::from_secs(10);

/// What the store does while Redis cannot answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// Refuse: the scheme answers 503.
    FailClosed,
    /// Use the local store.
    Fallback,
}

pub(crate) struct Health {
    down: AtomicBool,
    /// Requests that met an unreachable Redis since the outage began.
    failed: AtomicU64,
    last_report: Mutex<Option<Instant>>,
}

impl fmt::Debug for Health {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Health")
            .field("reachable", &self.reachable())
            .finish()
    }
}

impl Health {
    pub(crate) fn new() -> Self {
        Self {
            down: AtomicBool::new(false),
            failed: AtomicU64::new(0),
            last_report: Mutex::new(None),
        }
    }

    /// Whether the last call reached Redis.
    pub(crate) fn reachable(&self) -> bool {
        !self.down.load(Ordering::Relaxed)
    }

    pub(crate) fn failed(&self, server: &str, mode: Mode, reason: &dyn fmt::Display) {
        let began = !self.down.swap(true, Ordering::AcqRel);
        let count = self.failed.fetch_add(1, Ordering::Relaxed) + 1;
        // Always consult the clock so the first reminder counts from here.
        let due = self.due();
        if !(began || due) {
            return;
        }
        match mode {
            Mode::FailClosed => tracing::error!(
                redis = server,
                %reason,
                failed_requests = count,
                "Redis nonce store unreachable: Digest requests fail closed with 503 until it returns"
            ),
            Mode::Fallback => tracing::warn!(
                redis = server,
                %reason,
                failed_requests = count,
                "Redis nonce store unreachable: falling back to this instance's local nonce store; \
                 replays across instances are not detected until Redis returns"
            ),
        }
    }

    pub(crate) fn succeeded(&self, server: &str) {
        if self.down.load(Ordering::Relaxed) && self.down.swap(false, Ordering::AcqRel) {
            let count = self.failed.swap(0, Ordering::Relaxed);
            if let Ok(mut last) = self.last_report.lock() {
                *last = None;
            }
            tracing::info!(
                redis = server,
                failed_requests = count,
                "Redis nonce store reachable again: shared replay state in use"
            );
        }
    }

    /// Whether a reminder is due (and, if so, marks it as given).
    fn due(&self) -> bool {
        let Ok(mut last) = self.last_report.lock() else {
            return true;
        };
        let now = Instant::now();
        match *last {
            Some(at) if now.duration_since(at) < REMIND_EVERY => false,
            _ => {
                *last = Some(now);
                true
            }
        }
    }
}
