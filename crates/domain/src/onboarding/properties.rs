//! Property tests of the life cycle (STYLE §2): whatever happens, nobody becomes Active without
//! the identity check followed by registration, a suspended account accepts nothing but
//! reinstatement, expired or retired temporary credentials never move a flow, and a sign-in
//! that was asked for a second factor reaches the menu only by passing it.

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;

use super::{AccountState, Event, Flow, Refusal, Step};
use crate::two_step::{Method, Methods, SecondFactor};
use AccountState::{Active, Provisioned, Suspended};

fn at(minutes: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_790_000_000, 0)
        .single()
        .unwrap_or_default()
        + Duration::minutes(minutes)
}

fn any_methods() -> impl Strategy<Value = Methods> {
    proptest::sample::subsequence(
        vec![Method::Totp, Method::EmailCode, Method::RecoveryCode],
        0..=3,
    )
    .prop_map(|methods| methods.into_iter().collect())
}

fn any_second_factor() -> impl Strategy<Value = SecondFactor> {
    prop_oneof![
        Just(SecondFactor::NotNeeded),
        any_methods().prop_map(SecondFactor::Ask),
        any::<bool>().prop_map(|use_passkey| SecondFactor::Unavailable { use_passkey }),
    ]
}

fn any_event() -> impl Strategy<Value = Event> {
    prop_oneof![
        any_second_factor().prop_map(|second_factor| Event::TemporaryLogin { second_factor }),
        any_second_factor().prop_map(|second_factor| Event::PasswordLogin { second_factor }),
        Just(Event::SecondFactorPassed),
        Just(Event::PasskeyLogin),
        Just(Event::IdentityChecked),
        Just(Event::CredentialsRegistered),
        Just(Event::PasswordChanged),
        Just(Event::Suspend),
        Just(Event::Reinstate),
        (0i64..200).prop_map(|m| Event::Reissue { expires_at: at(m) }),
    ]
}

fn any_flow() -> impl Strategy<Value = Flow> {
    let state = prop_oneof![Just(Provisioned), Just(Active), Just(Suspended)];
    let step = proptest::option::of(prop_oneof![
        Just(Step::VerifyIdentity),
        Just(Step::RegisterCredentials),
        Just(Step::ChangePassword),
        Just(Step::SecondFactor),
        Just(Step::Menu),
    ]);
    let expiry = proptest::option::of((0i64..200).prop_map(at));
    (state, step, any::<bool>(), expiry).prop_map(|(state, step, has_credentials, exp)| Flow {
        state,
        step,
        has_credentials,
        temporary_expires_at: exp,
    })
}

proptest! {
    #[test]
    fn active_only_through_identity_check_then_registration(
        events in proptest::collection::vec((any_event(), 0i64..5), 0..40),
    ) {
        // A newly issued account: never registered, nobody signed in, postcard valid.
        let mut flow = Flow::new(Provisioned, false, Some(at(100)));
        let (mut now, mut accepted) = (0, Vec::new());
        for (event, dt) in events {
            now += dt;
            let before = flow;
            if let Ok(after) = flow.next(event, at(now)) {
                accepted.push(event);
                if after.state == Active && !before.has_credentials {
                    prop_assert_eq!(
                        accepted.get(accepted.len().saturating_sub(2)..),
                        Some(&[Event::IdentityChecked, Event::CredentialsRegistered][..])
                    );
                }
                flow = after;
            }
        }
    }

    #[test]
    fn suspended_accepts_nothing_but_reinstate(
        flow in any_flow(),
        event in any_event(),
        now in 0i64..300,
    ) {
        let suspended = Flow { state: Suspended, ..flow };
        let result = suspended.next(event, at(now));
        if event == Event::Reinstate {
            prop_assert!(result.is_ok_and(|f| f.state != Suspended));
        } else {
            prop_assert_eq!(result, Err(Refusal::Suspended));
        }
    }

    #[test]
    fn expired_or_retired_temporary_credentials_never_move_a_flow(
        flow in any_flow(),
        now in 0i64..300,
    ) {
        prop_assume!(flow.temporary_valid(at(now)).is_err());
        let onboarding = [
            Event::TemporaryLogin { second_factor: SecondFactor::NotNeeded },
            Event::IdentityChecked,
            Event::CredentialsRegistered,
        ];
        for event in onboarding {
            prop_assert!(flow.next(event, at(now)).is_err());
        }
        let changing = flow.with_step(Some(Step::ChangePassword));
        prop_assert!(changing.next(Event::PasswordChanged, at(now)).is_err());
    }

    #[test]
    fn unregistered_accounts_reach_active_only_by_registering(
        flow in any_flow(),
        event in any_event(),
        now in 0i64..300,
    ) {
        let fresh = Flow { has_credentials: false, ..flow };
        if let Ok(after) = fresh.next(event, at(now))
            && after.state == Active
            && fresh.state != Active
        {
            prop_assert_eq!(event, Event::CredentialsRegistered);
            prop_assert!(after.has_credentials);
        }
    }

    #[test]
    fn from_the_second_factor_step_no_sequence_reaches_the_menu_without_passing_it(
        flow in any_flow(),
        events in proptest::collection::vec((any_event(), 0i64..5), 0..40),
    ) {
        // Anything may happen after the password short of a new sign-in (which is a login of
        // its own, judged by the policy again): suspension, reinstatement, reissue, steps out of
        // order. The menu is reached only through the passed second factor.
        let mut flow = flow.with_step(Some(Step::SecondFactor));
        let (mut now, mut passed) = (0, false);
        for (event, dt) in events {
            if matches!(
                event,
                Event::TemporaryLogin { .. } | Event::PasswordLogin { .. } | Event::PasskeyLogin
            ) {
                continue;
            }
            now += dt;
            if let Ok(after) = flow.next(event, at(now)) {
                passed |= event == Event::SecondFactorPassed;
                if after.step == Some(Step::Menu) {
                    prop_assert!(passed, "{:?} reached the menu", event);
                }
                flow = after;
            }
        }
    }

    #[test]
    fn a_password_login_that_asks_never_opens_the_menu(
        flow in any_flow(),
        second_factor in any_second_factor(),
        now in 0i64..300,
    ) {
        let result = flow.next(Event::PasswordLogin { second_factor }, at(now));
        match (second_factor, result) {
            (_, Err(_)) => {}
            (SecondFactor::NotNeeded, Ok(after)) => prop_assert_eq!(after.step, Some(Step::Menu)),
            (SecondFactor::Ask(methods), Ok(after)) => {
                prop_assert!(!methods.is_empty());
                prop_assert_eq!(after.step, Some(Step::SecondFactor));
            }
            (SecondFactor::Unavailable { .. }, Ok(after)) => {
                prop_assert!(false, "the password alone opened {:?}", after);
            }
        }
    }

    #[test]
    fn the_menu_is_entered_only_for_a_reason(
        flow in any_flow(),
        event in any_event(),
        now in 0i64..300,
    ) {
        // Every way into the menu: a password sign-in that needs nothing more, a passkey, the
        // passed second factor, the end of registration, the end of the password change.
        if let Ok(after) = flow.next(event, at(now))
            && after.step == Some(Step::Menu)
            && flow.step != Some(Step::Menu)
        {
            let reason = match event {
                Event::PasswordLogin { second_factor } => second_factor == SecondFactor::NotNeeded,
                Event::PasskeyLogin => flow.state == Active,
                // After a temporary password the factor leads to the password change instead.
                Event::SecondFactorPassed => {
                    flow.step == Some(Step::SecondFactor) && flow.temporary_expires_at.is_none()
                }
                Event::CredentialsRegistered => flow.step == Some(Step::RegisterCredentials),
                Event::PasswordChanged => flow.step == Some(Step::ChangePassword),
                _ => false,
            };
            prop_assert!(reason, "{:?} → menu from {:?}", event, flow.step);
        }
    }
}
