//! Whether the database answers (DESIGN §11). When it goes away, every route that needs it
//! answers 503 `unavailable` with `Retry-After` within seconds, never a 500 and never a wait
//! of the pool's whole time-out per request: the first failure opens a short window in which
//! requests fail at once, and the next request after it tries again. A probe on a thread and a
//! connection of its own (never queued behind requests) keeps `/health` current and writes one
//! log line when the database goes and one when it returns.

use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU8, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use madoguchi_persistence::db::{Target, ping};

use crate::error::AppError;

/// How long requests fail at once after a failure, before one tries the database again.
const FAIL_FAST_MS: i64 = 2_000;
/// What `Retry-After` suggests while the database is away.
pub const RETRY_AFTER_SECONDS: u64 = 5;
/// How often the probe asks the database.
const PROBE_EVERY: Duration = Duration::from_secs(1);

// 0: no probe has answered (none runs in the in-process tests).
const UP: u8 = 1;
const DOWN: u8 = 2;

#[derive(Debug, Default)]
pub struct Availability {
    /// Until when (Unix milliseconds) requests fail without asking the database.
    fail_fast_until: AtomicI64,
    /// Whether the outage has been logged (one line when it starts, one when it ends).
    logged_down: AtomicBool,
    /// The probe's last answer; 0 where no probe runs (the in-process tests).
    probed: AtomicU8,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

fn unavailable() -> AppError {
    AppError::Unavailable {
        retry_after: RETRY_AFTER_SECONDS,
    }
}

impl Availability {
    /// 503 at once while a recent failure says the database is away.
    pub fn check(&self) -> Result<(), AppError> {
        if now_ms() < self.fail_fast_until.load(Ordering::Relaxed) {
            return Err(unavailable());
        }
        Ok(())
    }

    /// The database did not answer: requests fail at once for a moment.
    pub fn failed(&self, cause: &dyn std::fmt::Display) -> AppError {
        self.fail_fast_until
            .store(now_ms() + FAIL_FAST_MS, Ordering::Relaxed);
        if !self.logged_down.swap(true, Ordering::Relaxed) {
            tracing::error!(error = %cause, "the database does not answer: requests get 503 until it returns");
        }
        unavailable()
    }

    /// The database answered.
    pub fn answered(&self) {
        // A plain read first: every request calls this, and the swap is for the rare return.
        if self.logged_down.load(Ordering::Relaxed)
            && self.logged_down.swap(false, Ordering::Relaxed)
        {
            self.fail_fast_until.store(0, Ordering::Relaxed);
            tracing::warn!("the database answers again");
        }
    }

    /// The probe's last answer, when a probe runs.
    pub fn probed(&self) -> Option<bool> {
        match self.probed.load(Ordering::Relaxed) {
            UP => Some(true),
            DOWN => Some(false),
            _ => None,
        }
    }

    /// Asks the database every second on a thread and a connection of its own, for as long
    /// as the process runs.
    pub fn spawn_probe(this: std::sync::Arc<Self>, target: Target) -> std::io::Result<()> {
        std::thread::Builder::new()
            .name("database-probe".into())
            .spawn(move || {
                let mut conn = None;
                loop {
                    let ok = match conn.as_mut() {
                        Some(c) => ping(c),
                        None => match target.connect() {
                            Ok(c) => {
                                conn = Some(c);
                                true
                            }
                            Err(e) => {
                                this.probed.store(DOWN, Ordering::Relaxed);
                                this.failed(&e);
                                std::thread::sleep(PROBE_EVERY);
                                continue;
                            }
                        },
                    };
                    if ok {
                        this.probed.store(UP, Ordering::Relaxed);
                        this.answered();
                    } else {
                        conn = None;
                        this.probed.store(DOWN, Ordering::Relaxed);
                        this.failed(&"the probe's query failed");
                    }
                    std::thread::sleep(PROBE_EVERY);
                }
            })
            .map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_makes_requests_fail_at_once_for_a_moment() {
        let a = Availability::default();
        assert!(a.check().is_ok());
        let answer = a.failed(&"connection refused");
        assert!(matches!(answer, AppError::Unavailable { retry_after: 5 }));
        assert!(matches!(a.check(), Err(AppError::Unavailable { .. })));
        a.answered();
        assert!(a.check().is_ok(), "the database's answer closes the window");
        assert_eq!(a.probed(), None, "no probe ran");
    }
}
