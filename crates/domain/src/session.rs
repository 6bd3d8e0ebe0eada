//! Session admission (DESIGN §3): whether a valid token still opens its step now. Every
//! signed-in request asks this with what storage says of the account, in one place, so the
//! rules of revocation, the lock, suspension, the temporary credential's expiry and the
//! nightly closure cannot differ between routes. Also how long a token of each step lives.

use chrono::{DateTime, Duration, Timelike, Utc};

use crate::calendar;
use crate::lockout::LockoutPolicy;
use crate::onboarding::{AccountState, Flow, Refusal, Step};

/// How long a token of most steps lives (DESIGN §3): onboarding, password change, member.
pub const TOKEN_MINUTES: i64 = 30;
/// How long a second-factor token lives (DESIGN §9): long enough to open the app or the mail,
/// short enough that a password stolen with the token is soon worth nothing again.
pub const SECOND_FACTOR_TOKEN_MINUTES: i64 = 5;

/// The lifetime of a token of `step` when it is issued (a member token's renewal and the
/// 8-hour cap on a session aside).
pub fn token_lifetime(step: Step) -> Duration {
    match step {
        Step::SecondFactor => Duration::minutes(SECOND_FACTOR_TOKEN_MINUTES),
        Step::VerifyIdentity | Step::RegisterCredentials | Step::ChangePassword | Step::Menu => {
            Duration::minutes(TOKEN_MINUTES)
        }
    }
}

/// The temporary credential an onboarding or password-change token names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenCredential {
    /// It is the account's own (not another account's credential named by a forged token).
    pub belongs: bool,
    /// Retired (used for registration, replaced, or by a suspension).
    pub retired: bool,
    pub expires_at: DateTime<Utc>,
}

/// What the token says and what storage says about its account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Presented {
    /// The step the token opens.
    pub step: Step,
    /// The session version the token carries, and the account's now.
    pub token_version: i64,
    pub account_version: i64,
    pub state: AccountState,
    pub locked_until: Option<DateTime<Utc>>,
    pub policy: LockoutPolicy,
    /// The tenant closes member pages from 0:00 to 6:00 JST.
    pub nightly_closure: bool,
    /// `None` when the token names none, or the named one is gone. Only the steps that stand
    /// on a temporary credential need one; a member token names none.
    pub credential: Option<TokenCredential>,
    /// The token names a temporary credential: the second-factor token after the recovery
    /// e-mail's password does (ADR 0018), and then stands on it like the password change.
    pub names_credential: bool,
}

/// Why a valid token does not open its step now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turned {
    /// An onboarding token of an account that has since registered (a second tab, a double
    /// submit): told so, rather than only that the session ended.
    AlreadyRegistered,
    /// Logged out, password changed, suspended, or the credential it stood on is gone.
    Revoked,
    Locked {
        until: DateTime<Utc>,
    },
    /// The nightly closure; open again at `until`.
    Closed {
        until: DateTime<Utc>,
    },
    /// The temporary credential of an onboarding token expired.
    CredentialsExpired,
}

/// Whether the token opens its step at `now`.
pub fn admit(p: &Presented, now: DateTime<Utc>) -> Result<(), Turned> {
    if matches!(p.step, Step::VerifyIdentity | Step::RegisterCredentials)
        && p.state == AccountState::Active
    {
        return Err(Turned::AlreadyRegistered);
    }
    if p.account_version != p.token_version || p.state == AccountState::Suspended {
        return Err(Turned::Revoked);
    }
    if let Some(until) = p.locked_until
        && p.policy.is_locked(Some(until), now)
    {
        return Err(Turned::Locked { until });
    }
    if p.nightly_closure && calendar::in_nightly_closure(now) {
        return Err(Turned::Closed {
            until: closure_ends(now),
        });
    }
    if p.step.stands_on_temporary_credential() || p.names_credential {
        let credential = p.credential.filter(|c| c.belongs && !c.retired);
        let Some(credential) = credential else {
            return Err(Turned::Revoked);
        };
        // The state machine's own rule of a temporary credential's life.
        let flow = Flow::new(p.state, false, Some(credential.expires_at));
        if let Err(Refusal::TemporaryExpired) = flow.temporary_valid(now) {
            return Err(Turned::CredentialsExpired);
        }
    }
    Ok(())
}

/// 06:00 JST after `now` within a closure.
fn closure_ends(now: DateTime<Utc>) -> DateTime<Utc> {
    let local = now.with_timezone(&calendar::Tokyo);
    let elapsed = Duration::seconds(i64::from(local.num_seconds_from_midnight()))
        + Duration::nanoseconds(i64::from(local.nanosecond()));
    now - elapsed + Duration::hours(6)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// 2026-11-20 10:00 JST.
    fn at(hour_utc: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 20, hour_utc, 0, 0).unwrap()
    }

    fn member() -> Presented {
        Presented {
            step: Step::Menu,
            token_version: 3,
            account_version: 3,
            state: AccountState::Active,
            locked_until: None,
            policy: LockoutPolicy::from_minutes(30),
            nightly_closure: false,
            credential: None,
            names_credential: false,
        }
    }

    fn onboarding(expires_at: DateTime<Utc>) -> Presented {
        Presented {
            step: Step::VerifyIdentity,
            state: AccountState::Provisioned,
            credential: Some(TokenCredential {
                belongs: true,
                retired: false,
                expires_at,
            }),
            ..member()
        }
    }

    #[test]
    fn a_current_member_token_is_admitted() {
        assert_eq!(admit(&member(), at(1)), Ok(()));
    }

    #[test]
    fn an_older_session_version_or_a_suspension_revokes() {
        let older = Presented {
            token_version: 2,
            ..member()
        };
        assert_eq!(admit(&older, at(1)), Err(Turned::Revoked));
        let suspended = Presented {
            state: AccountState::Suspended,
            ..member()
        };
        assert_eq!(admit(&suspended, at(1)), Err(Turned::Revoked));
    }

    #[test]
    fn a_lock_holds_until_its_instant() {
        let until = at(1) + Duration::minutes(30);
        let locked = Presented {
            locked_until: Some(until),
            ..member()
        };
        assert_eq!(admit(&locked, at(1)), Err(Turned::Locked { until }));
        assert_eq!(admit(&locked, until), Ok(()));
    }

    #[test]
    fn the_nightly_closure_ends_at_six_jst() {
        let closing = Presented {
            nightly_closure: true,
            ..member()
        };
        // 2026-11-20 02:30 JST is 2026-11-19 17:30 UTC.
        let night = Utc.with_ymd_and_hms(2026, 11, 19, 17, 30, 0).unwrap();
        let six = Utc.with_ymd_and_hms(2026, 11, 19, 21, 0, 0).unwrap();
        assert_eq!(admit(&closing, night), Err(Turned::Closed { until: six }));
        assert_eq!(admit(&closing, six), Ok(()));
        assert_eq!(
            admit(&member(), night),
            Ok(()),
            "only where the tenant closes"
        );
        // Within a second, too: the closure ends at 06:00:00 sharp, not a fraction off.
        let fraction = night + Duration::milliseconds(500);
        assert_eq!(
            admit(&closing, fraction),
            Err(Turned::Closed { until: six })
        );
    }

    #[test]
    fn an_onboarding_token_stands_on_its_living_credential() {
        let expires = at(2);
        assert_eq!(admit(&onboarding(expires), at(1)), Ok(()));
        assert_eq!(
            admit(&onboarding(expires), expires),
            Err(Turned::CredentialsExpired)
        );
        for credential in [
            None,
            Some(TokenCredential {
                belongs: false,
                retired: false,
                expires_at: expires,
            }),
            Some(TokenCredential {
                belongs: true,
                retired: true,
                expires_at: expires,
            }),
        ] {
            let p = Presented {
                credential,
                ..onboarding(expires)
            };
            assert_eq!(admit(&p, at(1)), Err(Turned::Revoked));
        }
    }

    fn second_factor() -> Presented {
        Presented {
            step: Step::SecondFactor,
            ..member()
        }
    }

    #[test]
    fn a_second_factor_token_stands_on_the_account_alone() {
        assert_eq!(admit(&second_factor(), at(1)), Ok(()));
        let until = at(1) + Duration::minutes(30);
        let locked = Presented {
            locked_until: Some(until),
            ..second_factor()
        };
        assert_eq!(
            admit(&locked, at(1)),
            Err(Turned::Locked { until }),
            "wrong codes that locked the account end the step"
        );
        let suspended = Presented {
            state: AccountState::Suspended,
            ..second_factor()
        };
        assert_eq!(admit(&suspended, at(1)), Err(Turned::Revoked));
        let logged_out = Presented {
            account_version: 4,
            ..second_factor()
        };
        assert_eq!(admit(&logged_out, at(1)), Err(Turned::Revoked));
    }

    #[test]
    fn a_second_factor_token_after_a_recovery_password_stands_on_it() {
        let credential = |retired, expires_at| {
            Some(TokenCredential {
                belongs: true,
                retired,
                expires_at,
            })
        };
        let after_recovery = Presented {
            names_credential: true,
            credential: credential(false, at(2)),
            ..second_factor()
        };
        assert_eq!(admit(&after_recovery, at(1)), Ok(()));
        assert_eq!(
            admit(&after_recovery, at(2)),
            Err(Turned::CredentialsExpired)
        );
        let retired = Presented {
            credential: credential(true, at(2)),
            ..after_recovery
        };
        assert_eq!(admit(&retired, at(1)), Err(Turned::Revoked));
        let gone = Presented {
            credential: None,
            ..after_recovery
        };
        assert_eq!(admit(&gone, at(1)), Err(Turned::Revoked));
    }

    #[test]
    fn a_second_factor_token_lives_five_minutes_and_the_others_thirty() {
        assert_eq!(token_lifetime(Step::SecondFactor), Duration::minutes(5));
        for step in [
            Step::VerifyIdentity,
            Step::RegisterCredentials,
            Step::ChangePassword,
            Step::Menu,
        ] {
            assert_eq!(token_lifetime(step), Duration::minutes(30), "{step:?}");
        }
    }

    #[test]
    fn an_onboarding_token_of_a_registered_account_says_so() {
        let registered = Presented {
            state: AccountState::Active,
            ..onboarding(at(2))
        };
        assert_eq!(admit(&registered, at(1)), Err(Turned::AlreadyRegistered));
        let changing = Presented {
            step: Step::ChangePassword,
            ..registered
        };
        assert_eq!(admit(&changing, at(1)), Ok(()));
    }
}
