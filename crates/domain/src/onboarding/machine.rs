//! The transitions of the account life cycle: [`Flow::next`].

use chrono::{DateTime, Utc};

use super::{AccountState, Event, Refusal, Step};
use crate::two_step::SecondFactor;

/// An account's state with what the life cycle needs to know about it, plus the step of the
/// signed-in flow (`None` when nobody is signed in).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flow {
    pub state: AccountState,
    /// From the onboarding or session token.
    pub step: Option<Step>,
    /// The member has registered their own user ID and password (kept through a suspension,
    /// so reinstatement restores an Active account).
    pub has_credentials: bool,
    /// When the pending temporary credentials stop being valid; `None` when there are none
    /// (never issued, or retired for good by registration or a password change).
    pub temporary_expires_at: Option<DateTime<Utc>>,
}

impl Flow {
    /// The account as stored, nobody signed in.
    pub fn new(
        state: AccountState,
        has_credentials: bool,
        temporary_expires_at: Option<DateTime<Utc>>,
    ) -> Self {
        Self {
            state,
            step: None,
            has_credentials,
            temporary_expires_at,
        }
    }

    /// The same account with the step a token carries.
    pub fn with_step(self, step: Option<Step>) -> Self {
        Self { step, ..self }
    }

    /// Whether the pending temporary credentials can still be used at `now`.
    pub fn temporary_valid(&self, now: DateTime<Utc>) -> Result<(), Refusal> {
        match self.temporary_expires_at {
            None => Err(Refusal::NoTemporaryCredentials),
            Some(expires_at) if now >= expires_at => Err(Refusal::TemporaryExpired),
            Some(_) => Ok(()),
        }
    }

    /// The state after `event` at `now`, or why it is refused. A refusal changes nothing.
    pub fn next(self, event: Event, now: DateTime<Utc>) -> Result<Self, Refusal> {
        use AccountState::{Active, Provisioned, Suspended};
        if self.state == Suspended && event != Event::Reinstate {
            return Err(Refusal::Suspended);
        }
        match (event, self.state, self.step) {
            (Event::TemporaryLogin { second_factor }, _, _) => {
                self.temporary_valid(now)?;
                let step = if self.state != Active {
                    // First-time onboarding: the postcard is the only thing the member has.
                    Step::VerifyIdentity
                } else {
                    match second_factor {
                        SecondFactor::NotNeeded => Step::ChangePassword,
                        SecondFactor::Ask(methods) if !methods.is_empty() => Step::SecondFactor,
                        SecondFactor::Ask(_) => {
                            return Err(Refusal::SecondFactorUnavailable { use_passkey: false });
                        }
                        SecondFactor::Unavailable { use_passkey } => {
                            return Err(Refusal::SecondFactorUnavailable { use_passkey });
                        }
                    }
                };
                Ok(self.with_step(Some(step)))
            }
            (Event::PasswordLogin { second_factor }, Active, _) => match second_factor {
                SecondFactor::NotNeeded => Ok(self.with_step(Some(Step::Menu))),
                SecondFactor::Ask(methods) if !methods.is_empty() => {
                    Ok(self.with_step(Some(Step::SecondFactor)))
                }
                // Nothing to ask is no reason to let the password alone in.
                SecondFactor::Ask(_) => {
                    Err(Refusal::SecondFactorUnavailable { use_passkey: false })
                }
                SecondFactor::Unavailable { use_passkey } => {
                    Err(Refusal::SecondFactorUnavailable { use_passkey })
                }
            },
            (Event::PasswordLogin { .. }, _, _) => Err(Refusal::NotRegistered),
            // Only a registered member can have made a passkey (from the menu).
            (Event::PasskeyLogin, Active, _) => Ok(self.with_step(Some(Step::Menu))),
            (Event::PasskeyLogin, _, _) => Err(Refusal::NotRegistered),
            // After a temporary password (the flow carries its expiry), the second factor
            // leads on to the password change, never past it.
            (Event::SecondFactorPassed, Active, Some(Step::SecondFactor)) => {
                if self.temporary_expires_at.is_some() {
                    self.temporary_valid(now)?;
                    Ok(self.with_step(Some(Step::ChangePassword)))
                } else {
                    Ok(self.with_step(Some(Step::Menu)))
                }
            }
            (Event::IdentityChecked, Provisioned, Some(Step::VerifyIdentity)) => {
                self.temporary_valid(now)?;
                Ok(self.with_step(Some(Step::RegisterCredentials)))
            }
            (Event::CredentialsRegistered, Provisioned, Some(Step::RegisterCredentials)) => {
                self.temporary_valid(now)?;
                Ok(Self {
                    state: Active,
                    step: Some(Step::Menu),
                    has_credentials: true,
                    temporary_expires_at: None,
                })
            }
            (Event::PasswordChanged, Active, Some(Step::ChangePassword)) => {
                self.temporary_valid(now)?;
                Ok(Self {
                    step: Some(Step::Menu),
                    temporary_expires_at: None,
                    ..self
                })
            }
            // A change from the menu also retires a pending recovery password: the member has
            // just proved they know their password.
            (Event::PasswordChanged, Active, Some(Step::Menu)) => Ok(Self {
                temporary_expires_at: None,
                ..self
            }),
            (
                Event::IdentityChecked
                | Event::CredentialsRegistered
                | Event::PasswordChanged
                | Event::SecondFactorPassed,
                _,
                Some(expected),
            ) => Err(Refusal::WrongStep { expected }),
            (
                Event::IdentityChecked
                | Event::CredentialsRegistered
                | Event::PasswordChanged
                | Event::SecondFactorPassed,
                _,
                None,
            ) => Err(Refusal::NotSignedIn),
            (Event::Suspend, _, _) => Ok(Self {
                state: Suspended,
                step: None,
                temporary_expires_at: None,
                ..self
            }),
            (Event::Reinstate, Suspended, _) => {
                let state = if self.has_credentials {
                    Active
                } else {
                    Provisioned
                };
                Ok(Self {
                    state,
                    step: None,
                    temporary_expires_at: None,
                    ..self
                })
            }
            (Event::Reinstate, _, _) => Err(Refusal::NotSuspended),
            (Event::Reissue { expires_at }, _, _) => Ok(Self {
                step: None,
                temporary_expires_at: Some(expires_at),
                ..self
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::two_step::Method;
    use AccountState::{Active, Provisioned, Suspended};
    use Event::{CredentialsRegistered, IdentityChecked, PasswordChanged};

    /// A temporary login that asks nothing more (the caller's decision for onboarding).
    const TEMPORARY: Event = Event::TemporaryLogin {
        second_factor: SecondFactor::NotNeeded,
    };
    use chrono::{Duration, TimeZone};

    const ONBOARDING: [Event; 3] = [TEMPORARY, IdentityChecked, CredentialsRegistered];

    fn at(minutes: i64) -> DateTime<Utc> {
        let epoch = Utc.timestamp_opt(1_790_000_000, 0).single();
        epoch.unwrap_or_default() + Duration::minutes(minutes)
    }

    /// A freshly issued account whose postcard is valid for 60 minutes from `at(0)`.
    fn issued() -> Flow {
        Flow::new(Provisioned, false, Some(at(60)))
    }

    fn run(flow: Flow, events: &[Event]) -> Result<Flow, Refusal> {
        events.iter().try_fold(flow, |flow, e| flow.next(*e, at(1)))
    }

    fn wrong_step(expected: Step) -> Result<Flow, Refusal> {
        Err(Refusal::WrongStep { expected })
    }

    #[test]
    fn onboarding_happy_path() {
        let done = Flow::new(Active, true, None).with_step(Some(Step::Menu));
        assert_eq!(run(issued(), &ONBOARDING), Ok(done));
    }

    #[test]
    fn steps_out_of_order_name_the_expected_step() {
        let skip = run(issued(), &[TEMPORARY, CredentialsRegistered]);
        assert_eq!(skip, wrong_step(Step::VerifyIdentity));
        let twice = run(issued(), &[TEMPORARY, IdentityChecked, IdentityChecked]);
        assert_eq!(twice, wrong_step(Step::RegisterCredentials));
        let not_signed_in = issued().next(IdentityChecked, at(1));
        assert_eq!(not_signed_in, Err(Refusal::NotSignedIn));
    }

    #[test]
    fn temporary_login_restarts_the_flow() {
        let again = run(issued(), &[TEMPORARY, IdentityChecked, TEMPORARY]);
        assert_eq!(again.map(|f| f.step), Ok(Some(Step::VerifyIdentity)));
    }

    #[test]
    fn temporary_credentials_work_until_the_instant_they_expire() {
        assert!(issued().next(TEMPORARY, at(59)).is_ok());
        let expired = Err(Refusal::TemporaryExpired);
        assert_eq!(issued().next(TEMPORARY, at(60)), expired);
        let midway = issued().with_step(Some(Step::RegisterCredentials));
        assert_eq!(midway.next(CredentialsRegistered, at(60)), expired);
        let never = Flow::new(Provisioned, false, None);
        assert_eq!(
            never.next(TEMPORARY, at(0)),
            Err(Refusal::NoTemporaryCredentials)
        );
    }

    #[test]
    fn registration_retires_the_temporary_credentials() {
        let again = run(issued(), &ONBOARDING).and_then(|f| f.next(TEMPORARY, at(2)));
        assert_eq!(again, Err(Refusal::NoTemporaryCredentials));
    }

    /// A password login the policy lets through without a second factor.
    const PASSWORD_LOGIN: Event = Event::PasswordLogin {
        second_factor: SecondFactor::NotNeeded,
    };

    fn asking(methods: &[Method]) -> Event {
        Event::PasswordLogin {
            second_factor: SecondFactor::Ask(methods.iter().copied().collect()),
        }
    }

    #[test]
    fn password_login_only_for_registered_accounts() {
        let provisioned = issued().next(PASSWORD_LOGIN, at(0));
        assert_eq!(provisioned, Err(Refusal::NotRegistered));
        let asked = issued().next(asking(&[Method::EmailCode]), at(0));
        assert_eq!(asked, Err(Refusal::NotRegistered));
        let active = Flow::new(Active, true, None).next(PASSWORD_LOGIN, at(0));
        assert_eq!(active.map(|f| f.step), Ok(Some(Step::Menu)));
    }

    #[test]
    fn a_second_factor_stands_between_the_password_and_the_menu() {
        let active = Flow::new(Active, true, None);
        let asked = active.next(asking(&[Method::Totp, Method::RecoveryCode]), at(0));
        assert_eq!(asked, Ok(active.with_step(Some(Step::SecondFactor))));
        let passed = run(
            active,
            &[asking(&[Method::Totp]), Event::SecondFactorPassed],
        );
        assert_eq!(passed, Ok(active.with_step(Some(Step::Menu))));
    }

    #[test]
    fn nothing_but_the_second_factor_moves_the_second_factor_step() {
        let asked = Flow::new(Active, true, None).with_step(Some(Step::SecondFactor));
        for event in [IdentityChecked, CredentialsRegistered, PasswordChanged] {
            assert_eq!(
                asked.next(event, at(0)),
                wrong_step(Step::SecondFactor),
                "{event:?}"
            );
        }
        let menu = asked.with_step(Some(Step::Menu));
        assert_eq!(
            menu.next(Event::SecondFactorPassed, at(0)),
            wrong_step(Step::Menu),
            "a code shown without being asked for moves nothing"
        );
        assert_eq!(
            Flow::new(Active, true, None).next(Event::SecondFactorPassed, at(0)),
            Err(Refusal::NotSignedIn)
        );
    }

    #[test]
    fn with_no_second_factor_to_offer_the_password_alone_is_refused() {
        let active = Flow::new(Active, true, None);
        for use_passkey in [false, true] {
            let event = Event::PasswordLogin {
                second_factor: SecondFactor::Unavailable { use_passkey },
            };
            assert_eq!(
                active.next(event, at(0)),
                Err(Refusal::SecondFactorUnavailable { use_passkey })
            );
        }
        assert_eq!(
            active.next(asking(&[]), at(0)),
            Err(Refusal::SecondFactorUnavailable { use_passkey: false })
        );
    }

    #[test]
    fn a_passkey_opens_the_menu_of_a_registered_member_only() {
        let active = Flow::new(Active, true, None);
        let signed_in = active.next(Event::PasskeyLogin, at(0));
        assert_eq!(signed_in.map(|f| f.step), Ok(Some(Step::Menu)));
        // A pending recovery password does not stand in the way: the passkey is the stronger.
        let reissued = Flow::new(Active, true, Some(at(60)));
        assert_eq!(
            reissued.next(Event::PasskeyLogin, at(0)).map(|f| f.step),
            Ok(Some(Step::Menu))
        );
        assert_eq!(
            issued().next(Event::PasskeyLogin, at(0)),
            Err(Refusal::NotRegistered)
        );
        let suspended = active.next(Event::Suspend, at(0)).unwrap();
        assert_eq!(
            suspended.next(Event::PasskeyLogin, at(0)),
            Err(Refusal::Suspended)
        );
    }

    #[test]
    fn onboarding_is_never_asked_for_a_second_factor() {
        let reissued = Flow::new(Active, true, Some(at(60)));
        let signed_in = reissued.next(TEMPORARY, at(0));
        assert_eq!(signed_in.map(|f| f.step), Ok(Some(Step::ChangePassword)));
        let asked = Event::TemporaryLogin {
            second_factor: SecondFactor::Ask([Method::Totp].into_iter().collect()),
        };
        assert_eq!(
            issued().next(asked, at(0)).map(|f| f.step),
            Ok(Some(Step::VerifyIdentity)),
            "a Provisioned account is never asked, whatever the caller says"
        );
    }

    #[test]
    fn a_recovery_password_of_an_app_member_asks_the_app_then_the_password_change() {
        let reissued = Flow::new(Active, true, Some(at(60)));
        let asked = Event::TemporaryLogin {
            second_factor: SecondFactor::at_temporary_sign_in(crate::two_step::Factors {
                totp: true,
                recovery_codes_left: 3,
                email_verified: true,
                passkeys: 0,
            }),
        };
        let at_factor = reissued.next(asked, at(0));
        assert_eq!(at_factor.map(|f| f.step), Ok(Some(Step::SecondFactor)));
        let passed = at_factor.and_then(|f| f.next(Event::SecondFactorPassed, at(1)));
        assert_eq!(passed.map(|f| f.step), Ok(Some(Step::ChangePassword)));
        let late = at_factor.and_then(|f| f.next(Event::SecondFactorPassed, at(60)));
        assert_eq!(late, Err(Refusal::TemporaryExpired));
        let changed = passed.and_then(|f| f.next(PasswordChanged, at(2)));
        assert_eq!(changed.map(|f| f.step), Ok(Some(Step::Menu)));
    }

    #[test]
    fn suspension_ends_a_second_factor_step() {
        let asked = Flow::new(Active, true, None).with_step(Some(Step::SecondFactor));
        let suspended = asked.next(Event::Suspend, at(0));
        assert_eq!(suspended, Ok(Flow::new(Suspended, true, None)));
        let passed = suspended.and_then(|f| f.next(Event::SecondFactorPassed, at(0)));
        assert_eq!(passed, Err(Refusal::Suspended));
    }

    #[test]
    fn reissue_to_an_active_account_leads_to_change_password() {
        let active = Flow::new(Active, true, None);
        let reissue = Event::Reissue { expires_at: at(30) };
        let changed = run(active, &[reissue, TEMPORARY, PasswordChanged]);
        assert_eq!(changed, Ok(active.with_step(Some(Step::Menu))));
        let changing = active.with_step(Some(Step::ChangePassword));
        assert_eq!(
            changing.next(IdentityChecked, at(0)),
            wrong_step(Step::ChangePassword)
        );
    }

    #[test]
    fn reissue_replaces_pending_credentials_and_ends_the_flow() {
        let midway = issued().with_step(Some(Step::RegisterCredentials));
        let reissued = midway.next(
            Event::Reissue {
                expires_at: at(500),
            },
            at(1),
        );
        assert_eq!(reissued, Ok(Flow::new(Provisioned, false, Some(at(500)))));
    }

    #[test]
    fn a_change_from_the_menu_retires_a_pending_recovery_password() {
        let menu = Flow::new(Active, true, Some(at(60))).with_step(Some(Step::Menu));
        let changed = menu.next(PasswordChanged, at(1));
        assert_eq!(
            changed,
            Ok(Flow {
                temporary_expires_at: None,
                ..menu
            })
        );
    }

    #[test]
    fn suspension_ends_the_session_and_the_pending_temporary_password() {
        let signed_in = Flow::new(Active, true, Some(at(60))).with_step(Some(Step::Menu));
        assert_eq!(
            signed_in.next(Event::Suspend, at(0)),
            Ok(Flow::new(Suspended, true, None)),
            "no step and no temporary password survive a suspension"
        );
    }

    #[test]
    fn reinstatement_starts_without_a_step_or_a_temporary_password() {
        // A suspended account as stored, even with leftovers of a step and an expiry.
        let suspended = Flow {
            state: Suspended,
            step: Some(Step::ChangePassword),
            has_credentials: true,
            temporary_expires_at: Some(at(60)),
        };
        assert_eq!(
            suspended.next(Event::Reinstate, at(0)),
            Ok(Flow::new(Active, true, None))
        );
        let unregistered = Flow {
            has_credentials: false,
            ..suspended
        };
        assert_eq!(
            unregistered.next(Event::Reinstate, at(0)),
            Ok(Flow::new(Provisioned, false, None))
        );
    }

    #[test]
    fn suspension_and_reinstatement_restore_the_state() {
        let active = Flow::new(Active, true, Some(at(60))).with_step(Some(Step::Menu));
        let back = run(active, &[Event::Suspend, Event::Reinstate]);
        assert_eq!(back, Ok(Flow::new(Active, true, None)));
        let back = run(issued(), &[Event::Suspend, Event::Reinstate]);
        assert_eq!(back, Ok(Flow::new(Provisioned, false, None)));
        assert_eq!(
            issued().next(Event::Reinstate, at(0)),
            Err(Refusal::NotSuspended)
        );
    }
}
