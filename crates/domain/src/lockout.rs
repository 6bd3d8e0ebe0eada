//! Lockout after consecutive failures (DESIGN §2), in the spirit of kanidm's softlock.
//!
//! An account counts consecutive failed attempts: a wrong password, a wrong second-factor code
//! (DESIGN §9, [`crate::two_step::CodeError::counts_toward_lockout`]), or identity data
//! (insurer number, birth date) that does not match the roster. Shape errors (a malformed
//! insurer number, an impossible date, a code that is not six digits) are answered before any
//! comparison and never count.
//!
//! ```text
//!                 failure (count < max)
//!              ┌──────────────┐
//!              ▼              │
//!        ┌───────────┐        │          failure brings count to max
//!  ─────►│  Open     │────────┴───────────────────────────────┐
//!        │ count = n │◄─── success (count := 0)               ▼
//!        └───────────┘                               ┌──────────────────┐
//!              ▲                                     │ Locked           │
//!              │   now ≥ locked_until, or operator   │ until = now+30min│
//!              └─────────────── unlock (count := 0) ─┤ every attempt:   │
//!                                                    │ 423, Retry-After,│
//!                                                    │ no verify        │
//!                                                    └──────────────────┘
//! ```
//!
//! The count itself lives in the database and is reserved before hashing (one atomic
//! `UPDATE … SET failures = failures + 1 WHERE failures < max`), so a parallel burst gets no
//! more than `max_failures` guesses; this module only decides, given the count and the clock,
//! whether the account is locked and until when. Time is always a parameter.

use chrono::{DateTime, Duration, Utc};

/// How many consecutive failures lock an account, and for how long (a tenant setting).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    pub max_failures: u32,
    pub lock_for: Duration,
}

impl Default for LockoutPolicy {
    /// 5 failures, 30 minutes (DESIGN §2).
    fn default() -> Self {
        Self::from_minutes(30)
    }
}

impl LockoutPolicy {
    pub const DEFAULT_MAX_FAILURES: u32 = 5;
    /// From this consecutive failure on, the identity check says how many tries are left.
    pub const WARN_FROM_FAILURE: u32 = 3;

    /// The default 5 failures, locking for `minutes` (the tenant setting).
    pub fn from_minutes(minutes: u32) -> Self {
        Self {
            max_failures: Self::DEFAULT_MAX_FAILURES,
            lock_for: Duration::minutes(i64::from(minutes)),
        }
    }

    /// Locked while `now` is before `locked_until`; the lock ends at that instant exactly.
    pub fn is_locked(&self, locked_until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
        locked_until.is_some_and(|until| now < until)
    }

    /// After a failure that brought the consecutive count to `failures`: the lock's end when
    /// the count has reached `max_failures`, `None` while attempts remain. A count beyond the
    /// maximum (a race the reservation should prevent) locks too.
    pub fn lock_after_failure(&self, failures: u32, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        if failures < self.max_failures.max(1) {
            return None;
        }
        Some(
            now.checked_add_signed(self.lock_for)
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
        )
    }

    /// Attempts left before the lock, for "あと n 回" hints; 0 once locked.
    pub fn remaining_attempts(&self, failures: u32) -> u32 {
        self.max_failures.max(1).saturating_sub(failures)
    }

    /// The warning a member gets after a failure where they already hold the postcard (the
    /// identity check): the attempts left, from the third consecutive failure until the lock.
    /// Earlier failures are ordinary typos and get no warning; the lock itself is answered
    /// as a lock. Never for the login screen: there it would tell a stranger that an ID exists.
    pub fn warning_after_failure(&self, failures: u32) -> Option<u32> {
        let left = self.remaining_attempts(failures);
        (failures >= Self::WARN_FROM_FAILURE && left > 0).then_some(left)
    }

    /// Whole seconds until the lock ends, rounded up, at least 1: the `Retry-After` header.
    pub fn retry_after_seconds(&self, locked_until: DateTime<Utc>, now: DateTime<Utc>) -> u64 {
        let remaining = locked_until.signed_duration_since(now);
        let mut seconds = remaining.num_seconds();
        if remaining.subsec_nanos() > 0 {
            seconds = seconds.saturating_add(1);
        }
        u64::try_from(seconds).unwrap_or(0).max(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn at(secs: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_790_000_000 + secs, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn default_is_five_failures_for_thirty_minutes() {
        let policy = LockoutPolicy::default();
        assert_eq!(policy.max_failures, 5);
        assert_eq!(policy.lock_for, Duration::minutes(30));
        assert_eq!(
            LockoutPolicy::from_minutes(10).lock_for,
            Duration::minutes(10)
        );
    }

    #[test]
    fn the_fifth_failure_locks() {
        let policy = LockoutPolicy::default();
        for failures in 0..5 {
            assert_eq!(
                policy.lock_after_failure(failures, at(0)),
                None,
                "{failures}"
            );
        }
        assert_eq!(policy.lock_after_failure(5, at(0)), Some(at(30 * 60)));
        assert_eq!(policy.lock_after_failure(6, at(0)), Some(at(30 * 60)));
    }

    #[test]
    fn remaining_attempts_count_down_to_zero() {
        let policy = LockoutPolicy::default();
        assert_eq!(policy.remaining_attempts(0), 5);
        assert_eq!(policy.remaining_attempts(4), 1);
        assert_eq!(policy.remaining_attempts(5), 0);
        assert_eq!(policy.remaining_attempts(9), 0);
    }

    #[test]
    fn a_zero_maximum_locks_on_the_first_failure() {
        let policy = LockoutPolicy {
            max_failures: 0,
            lock_for: Duration::minutes(1),
        };
        assert_eq!(policy.lock_after_failure(0, at(0)), None);
        assert!(policy.lock_after_failure(1, at(0)).is_some());
    }

    #[test]
    fn locked_until_the_instant_it_ends() {
        let policy = LockoutPolicy::default();
        let until = Some(at(1800));
        assert!(!policy.is_locked(None, at(0)));
        assert!(policy.is_locked(until, at(0)));
        assert!(policy.is_locked(until, at(1799)));
        assert!(!policy.is_locked(until, at(1800)));
        assert!(!policy.is_locked(until, at(1801)));
    }

    #[test]
    fn retry_after_rounds_up_and_is_at_least_one() {
        let policy = LockoutPolicy::default();
        assert_eq!(policy.retry_after_seconds(at(1800), at(0)), 1800);
        let half_second_before = at(1800) - Duration::milliseconds(500);
        assert_eq!(policy.retry_after_seconds(at(1800), half_second_before), 1);
        assert_eq!(
            policy.retry_after_seconds(at(1800), at(1799) - Duration::milliseconds(1)),
            2
        );
        assert_eq!(policy.retry_after_seconds(at(1800), at(1800)), 1);
        assert_eq!(policy.retry_after_seconds(at(1800), at(4000)), 1);
    }

    #[test]
    fn a_huge_lock_saturates_instead_of_panicking() {
        let policy = LockoutPolicy {
            max_failures: 1,
            lock_for: Duration::MAX,
        };
        assert_eq!(
            policy.lock_after_failure(1, at(0)),
            Some(DateTime::<Utc>::MAX_UTC)
        );
    }

    proptest! {
        #[test]
        fn a_lockout_never_gets_shorter(
            minutes in 0u32..10_000,
            f1 in 0u32..20, more in 0u32..20,
            t1 in 0i64..1_000_000, later in 0i64..1_000_000,
        ) {
            let policy = LockoutPolicy::from_minutes(minutes);
            let first = policy.lock_after_failure(f1, at(t1));
            let second = policy.lock_after_failure(f1 + more, at(t1 + later));
            if let Some(first) = first {
                prop_assert!(second.is_some_and(|second| second >= first));
            }
        }

        #[test]
        fn locked_exactly_while_retry_after_applies(offset in -4000i64..4000) {
            let policy = LockoutPolicy::default();
            let until = at(1800);
            let now = at(1800 + offset);
            let locked = policy.is_locked(Some(until), now);
            prop_assert_eq!(locked, offset < 0);
            prop_assert!(policy.retry_after_seconds(until, now) >= 1);
            if locked {
                prop_assert_eq!(policy.retry_after_seconds(until, now), u64::try_from(-offset).unwrap_or(0));
            }
        }
    }

    #[test]
    fn the_warning_counts_down_from_the_third_failure() {
        let policy = LockoutPolicy::from_minutes(30);
        let warnings: Vec<Option<u32>> = (0..=6).map(|f| policy.warning_after_failure(f)).collect();
        assert_eq!(
            warnings,
            [None, None, None, Some(2), Some(1), None, None],
            "the fifth failure locks: no warning, a lock"
        );
    }
}
