//! Property tests of the life cycle (STYLE §2): whatever happens, nobody becomes Active without
//! the identity check followed by registration, a suspended account accepts nothing but
//! reinstatement, and expired or retired temporary credentials never move a flow.

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;

use super::{AccountState, Event, Flow, Refusal, Step};
use AccountState::{Active, Provisioned, Suspended};

fn at(minutes: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_790_000_000, 0)
        .single()
        .unwrap_or_default()
        + Duration::minutes(minutes)
}

fn any_event() -> impl Strategy<Value = Event> {
    prop_oneof![
        Just(Event::TemporaryLogin),
        Just(Event::PasswordLogin),
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
        let onboarding = [Event::TemporaryLogin, Event::IdentityChecked, Event::CredentialsRegistered];
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
}
