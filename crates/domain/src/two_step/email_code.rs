//! E-mailed codes (メールで届く確認コード, DESIGN §9): six random digits sent to the member's
//! verified address, valid 10 minutes, used once. The second factor of members who enrolled no
//! authenticator app, when the kenpo requires two-step login or they have only passkeys.
//!
//! Weaker than an app: whoever took over the mailbox gets the code too, so a member with an
//! authenticator app is never offered it ([`available`]). A code goes only to a verified
//! address, since an unverified one may be a typo that reaches a stranger. At most 5 are sent
//! per hour per account ([`may_send`]), so the route cannot be used to flood a mailbox.
//!
//! The code is stored only as a hash, made by the caller from [`EmailCode::expose`] of the code
//! it mails and of the code the member types ([`EmailCode::parse`]).

use std::fmt;

use chrono::{DateTime, Duration, Utc};
use rand::Rng;

use super::code::{CodeError, DIGITS, six_digits};
use super::policy::Factors;

/// How long a mailed code can be used.
pub const VALID_MINUTES: i64 = 10;
/// How many codes an account may be sent within any hour.
pub const MAX_SENDS_PER_HOUR: usize = 5;

/// A six-digit code: one mailed, or one the member typed. Its `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct EmailCode(String);

impl EmailCode {
    /// A uniformly random code, 000000–999999 (leading zeros kept: it is six characters, not a
    /// number).
    pub fn generate<R: Rng + ?Sized>(rng: &mut R) -> Self {
        Self(format!(
            "{:0width$}",
            rng.random_range(0..1_000_000u32),
            width = DIGITS
        ))
    }

    /// The code the member typed: full-width digits, spaces and a hyphen in the middle are fine.
    pub fn parse(raw: &str) -> Result<Self, CodeError> {
        six_digits(raw).map(Self)
    }

    /// The code itself, for the e-mail and for hashing. Nowhere else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for EmailCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EmailCode(<redacted>)")
    }
}

/// Whether a member may be sent a code: only to a verified address, and never to a member with
/// an authenticator app (the app is the stronger factor, and a mailbox taken over must not
/// stand in for it). Whether a sign-in asks for a second factor at all is the policy's
/// ([`super::SecondFactor::at_password_sign_in`]).
pub fn available(factors: &Factors) -> bool {
    factors.email_verified && !factors.totp
}

/// A mailed code as stored (its hash aside).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentCode {
    pub sent_at: DateTime<Utc>,
    /// When it signed the member in; `None` while unused.
    pub used_at: Option<DateTime<Utc>>,
}

impl SentCode {
    /// The first instant the code no longer works.
    pub fn expires_at(&self) -> DateTime<Utc> {
        self.sent_at + Duration::minutes(VALID_MINUTES)
    }

    /// Whether the typed code signs the member in at `now`; `matches` is the caller's
    /// comparison of the typed code's hash with this one's. A wrong code is only ever
    /// [`CodeError::Wrong`]: that this code expired or was used is told only to someone who
    /// knows it.
    pub fn check(&self, matches: bool, now: DateTime<Utc>) -> Result<(), CodeError> {
        if !matches {
            Err(CodeError::Wrong)
        } else if self.used_at.is_some() {
            Err(CodeError::Used)
        } else if now >= self.expires_at() {
            Err(CodeError::Expired)
        } else {
            Ok(())
        }
    }
}

/// Why no code is sent now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SendRefused {
    /// [`MAX_SENDS_PER_HOUR`] codes went out within the last hour; another may go at `until`.
    #[error("too many codes sent; next at {until}")]
    TooMany { until: DateTime<Utc> },
}

/// Whether another code may be sent at `now`, given when the account's recent codes were sent
/// (older ones may be passed too: only the last hour counts). A send exactly an hour ago no
/// longer counts. A send time after `now` (another server's clock a little ahead) counts.
pub fn may_send(sent: &[DateTime<Utc>], now: DateTime<Utc>) -> Result<(), SendRefused> {
    let hour = Duration::hours(1);
    let mut recent: Vec<DateTime<Utc>> = sent.iter().copied().filter(|t| *t > now - hour).collect();
    if recent.len() < MAX_SENDS_PER_HOUR {
        return Ok(());
    }
    recent.sort_unstable();
    // Once the oldest sends leave the hour, fewer than the maximum remain: the last of those
    // to leave is the one `MAX_SENDS_PER_HOUR` places from the newest.
    let leaving = recent.len() - MAX_SENDS_PER_HOUR;
    Err(SendRefused::TooMany {
        until: recent[leaving] + hour,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rand::{SeedableRng, rngs::StdRng};

    fn at(minutes: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default() + Duration::minutes(minutes)
    }

    fn sent(minutes: i64) -> SentCode {
        SentCode {
            sent_at: at(minutes),
            used_at: None,
        }
    }

    #[test]
    fn codes_are_six_digits_with_leading_zeros() {
        let mut rng = StdRng::seed_from_u64(14);
        let codes: Vec<EmailCode> = (0..2000).map(|_| EmailCode::generate(&mut rng)).collect();
        for code in &codes {
            assert_eq!(code.expose().len(), 6);
            assert_eq!(EmailCode::parse(code.expose()).as_ref(), Ok(code));
        }
        assert!(codes.iter().any(|c| c.expose().starts_with('0')));
        let distinct: std::collections::HashSet<&str> = codes.iter().map(|c| c.expose()).collect();
        assert!(distinct.len() > 1990, "random, not a sequence");
    }

    #[test]
    fn typed_codes_are_normalised() {
        assert_eq!(
            EmailCode::parse(" ０４２ ９１７ ").map(|c| c.expose().to_owned()),
            Ok("042917".to_owned())
        );
        assert_eq!(EmailCode::parse("42917"), Err(CodeError::Format));
        assert_eq!(EmailCode::parse(""), Err(CodeError::Required));
    }

    #[test]
    fn a_code_works_for_ten_minutes() {
        let code = sent(0);
        assert_eq!(code.expires_at(), at(10));
        assert_eq!(code.check(true, at(0)), Ok(()));
        let last_second = at(10) - Duration::seconds(1);
        assert_eq!(code.check(true, last_second), Ok(()));
        assert_eq!(code.check(true, at(10)), Err(CodeError::Expired));
        assert_eq!(code.check(true, at(60)), Err(CodeError::Expired));
    }

    #[test]
    fn a_code_works_once() {
        let used = SentCode {
            used_at: Some(at(1)),
            ..sent(0)
        };
        assert_eq!(used.check(true, at(2)), Err(CodeError::Used));
    }

    #[test]
    fn a_wrong_code_says_nothing_of_the_right_one() {
        let used_and_expired = SentCode {
            used_at: Some(at(1)),
            ..sent(0)
        };
        for code in [sent(0), used_and_expired] {
            assert_eq!(code.check(false, at(2)), Err(CodeError::Wrong));
            assert_eq!(code.check(false, at(20)), Err(CodeError::Wrong));
        }
    }

    #[test]
    fn only_to_a_verified_address_of_a_member_without_an_app() {
        let factors = |totp, email_verified| Factors {
            totp,
            passkeys: 0,
            email_verified,
            recovery_codes_left: 0,
        };
        assert!(available(&factors(false, true)));
        assert!(!available(&factors(false, false)));
        assert!(!available(&factors(true, true)));
        assert!(!available(&factors(true, false)));
        let with_passkey = Factors {
            passkeys: 2,
            ..factors(false, true)
        };
        assert!(available(&with_passkey));
    }

    #[test]
    fn five_an_hour_and_the_sixth_waits_for_the_oldest_to_leave_the_hour() {
        let now = at(60);
        let four = [at(1), at(10), at(20), at(59)];
        assert_eq!(may_send(&four, now), Ok(()));
        let five = [at(1), at(10), at(20), at(30), at(59)];
        assert_eq!(
            may_send(&five, now),
            Err(SendRefused::TooMany { until: at(61) })
        );
        assert!(may_send(&five, at(61) - Duration::seconds(1)).is_err());
        assert_eq!(may_send(&five, at(61)), Ok(()), "the oldest left the hour");
    }

    #[test]
    fn a_send_exactly_an_hour_ago_no_longer_counts() {
        let five = [at(0), at(10), at(20), at(30), at(40)];
        assert_eq!(may_send(&five, at(60)), Ok(()));
        assert_eq!(
            may_send(&five, at(60) - Duration::seconds(1)),
            Err(SendRefused::TooMany { until: at(60) })
        );
    }

    #[test]
    fn more_than_five_wait_for_enough_of_them_to_leave() {
        // Seven went out in a race between servers: the sixth send waits until only four remain.
        let seven = [at(50), at(5), at(30), at(10), at(40), at(20), at(55)];
        assert_eq!(
            may_send(&seven, at(56)),
            Err(SendRefused::TooMany { until: at(80) })
        );
        assert_eq!(may_send(&seven, at(80)), Ok(()));
    }

    #[test]
    fn sends_just_ahead_of_the_clock_count() {
        let five = [at(50), at(55), at(59), at(61), at(62)];
        assert!(may_send(&five, at(60)).is_err());
    }

    proptest! {
        #[test]
        fn never_more_than_five_in_any_hour(gaps in proptest::collection::vec(0i64..40, 1..60)) {
            // Sends attempted at these gaps (in minutes), each made only when allowed.
            let (mut now, mut made) = (0, Vec::new());
            for gap in gaps {
                now += gap;
                if may_send(&made, at(now)).is_ok() {
                    made.push(at(now));
                }
            }
            for start in &made {
                let within = made.iter().filter(|t| **t >= *start && **t < *start + Duration::hours(1));
                prop_assert!(within.count() <= MAX_SENDS_PER_HOUR);
            }
        }

        #[test]
        fn refused_until_exactly_the_instant_it_names(sends in proptest::collection::vec(0i64..120, 0..12), now in 0i64..120) {
            let sends: Vec<_> = sends.into_iter().map(at).collect();
            if let Err(SendRefused::TooMany { until }) = may_send(&sends, at(now)) {
                prop_assert!(until > at(now));
                prop_assert!(may_send(&sends, until - Duration::seconds(1)).is_err());
                prop_assert_eq!(may_send(&sends, until), Ok(()));
            }
        }
    }
}
