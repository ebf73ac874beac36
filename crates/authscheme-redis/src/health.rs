//! Whether Redis answers, and the log lines when that changes.
//!
//! A problem is reported when it starts (or turns into another kind), again
//! every [`REMIND_EVERY`] while it lasts, and when it is over: one request
//! in a thousand failing the same way says nothing new, and flooding the
//! log under load hides the line that matters.

use std::fmt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering};
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

/// What kind of problem a failed check met: the log tells an outage
/// (nothing to do but wait or restore Redis) from a fault to fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Problem {
    /// No connection, a broken one, or no answer in time.
    Unreachable = 1,
    /// Redis answered with an error (the replay script failed, the
    /// password or a permission was refused), or the check could not be
    /// made.
    Faulty = 2,
}

/// `Health::state` when the last check succeeded.
const FINE: u8 = 0;

pub(crate) struct Health {
    /// [`FINE`], or the [`Problem`] of the last check.
    state: AtomicU8,
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
            state: AtomicU8::new(FINE),
            failed: AtomicU64::new(0),
            last_report: Mutex::new(None),
        }
    }

    /// Whether the last check got its answer from Redis.
    pub(crate) fn reachable(&self) -> bool {
        self.state.load(Ordering::Relaxed) == FINE
    }

    pub(crate) fn failed(
        &self,
        server: &str,
        mode: Mode,
        problem: Problem,
        reason: &dyn fmt::Display,
    ) {
        let began = self.state.swap(problem as u8, Ordering::AcqRel) != problem as u8;
        let count = self.failed.fetch_add(1, Ordering::Relaxed) + 1;
        // Always consult the clock so the first reminder counts from here.
        let due = self.due();
        if !(began || due) {
            return;
        }
        match (mode, problem) {
            (Mode::FailClosed, Problem::Unreachable) => tracing::error!(
                redis = server,
                %reason,
                failed_requests = count,
                "Redis nonce store unreachable: Digest requests fail closed with 503 until it returns"
            ),
            (Mode::FailClosed, Problem::Faulty) => tracing::error!(
                redis = server,
                %reason,
                failed_requests = count,
                "Redis nonce store error (Redis answered with an error, or the check cannot be \
                 made; not an outage: check its configuration, password and permissions): \
                 Digest requests fail closed with 503 until it is fixed"
            ),
            (Mode::Fallback, Problem::Unreachable) => tracing::warn!(
                redis = server,
                %reason,
                failed_requests = count,
                "Redis nonce store unreachable: falling back to this instance's local nonce store; \
                 replays across instances are not detected until Redis returns"
            ),
            (Mode::Fallback, Problem::Faulty) => tracing::warn!(
                redis = server,
                %reason,
                failed_requests = count,
                "Redis nonce store error (Redis answered with an error, or the check cannot be \
                 made; not an outage: check its configuration, password and permissions): \
                 falling back to this instance's local nonce store; replays across instances \
                 are not detected until it is fixed"
            ),
        }
    }

    pub(crate) fn succeeded(&self, server: &str) {
        if self.state.load(Ordering::Relaxed) == FINE {
            return;
        }
        let was = self.state.swap(FINE, Ordering::AcqRel);
        if was == FINE {
            return;
        }
        let count = self.failed.swap(0, Ordering::Relaxed);
        if let Ok(mut last) = self.last_report.lock() {
            *last = None;
        }
        if was == Problem::Unreachable as u8 {
            tracing::info!(
                redis = server,
                failed_requests = count,
                "Redis nonce store reachable again: shared replay state in use"
            );
        } else {
            tracing::info!(
                redis = server,
                failed_requests = count,
                "Redis nonce store answers again: shared replay state in use"
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
