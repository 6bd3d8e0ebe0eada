//! Two-step login's rules through the crate's public API (DESIGN §9): the authenticator codes
//! against RFC 6238's published vectors, and the decision a password sign-in makes for every
//! combination of policy and factors.

use chrono::{DateTime, Duration, Utc};
use madoguchi_domain::onboarding::{AccountState, Event, Flow, Refusal, Step};
use madoguchi_domain::two_step::{
    CodeError, Factors, Method, Methods, SecondFactor, TotpSecret, TwoStepPolicy, totp,
};

/// RFC 6238 Appendix B's SHA-1 seed: the 20 ASCII bytes "12345678901234567890".
const RFC_SEED: &[u8; 20] = b"12345678901234567890";

/// Appendix B's SHA-1 rows: the time in seconds and the 8-digit code.
const RFC_SHA1: [(i64, &str); 6] = [
    (59, "94287082"),
    (1_111_111_109, "07081804"),
    (1_111_111_111, "14050471"),
    (1_234_567_890, "89005924"),
    (2_000_000_000, "69279037"),
    (20_000_000_000, "65353130"),
];

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(seconds, 0).unwrap()
}

#[test]
fn rfc_6238_sha1_vectors_with_eight_digits() {
    let totp = totp_rs::Builder::new()
        .with_secret(RFC_SEED.to_vec())
        .with_digits(8)
        .build()
        .unwrap();
    for (time, code) in RFC_SHA1 {
        let time = u64::try_from(time).unwrap();
        assert_eq!(totp.generate(time).to_string(), code, "T = {time}");
        assert!(totp.check(code, time).is_some(), "T = {time}");
    }
}

#[test]
fn our_six_digit_codes_are_the_last_six_of_the_rfc_vectors() {
    let secret = TotpSecret::from_bytes(*RFC_SEED);
    for (time, code) in RFC_SHA1 {
        let six = &code[2..];
        assert_eq!(secret.code_at(at(time)), six, "T = {time}");
        assert_eq!(
            totp::check(&secret, six, at(time), None),
            Ok(totp::step_at(at(time))),
            "T = {time}"
        );
    }
}

#[test]
fn a_code_is_good_for_its_step_and_one_either_side_once() {
    let secret = TotpSecret::from_bytes(*RFC_SEED);
    let (time, code) = (at(1_111_111_111), "050471");
    let step = totp::step_at(time);
    for offset in [-30, 0, 30] {
        let now = time + Duration::seconds(offset);
        assert!(totp::check(&secret, code, now, None).is_ok(), "{offset}");
    }
    for offset in [-60, 60] {
        let now = time + Duration::seconds(offset);
        assert_eq!(
            totp::check(&secret, code, now, None),
            Err(CodeError::Wrong),
            "{offset}"
        );
    }
    assert_eq!(
        totp::check(&secret, code, time, Some(step)),
        Err(CodeError::Used)
    );
    assert_eq!(
        totp::check(&secret, code, time, Some(step + 1)),
        Err(CodeError::Used)
    );
    assert_eq!(totp::check(&secret, code, time, Some(step - 1)), Ok(step));
    assert_eq!(totp::check(&secret, "０５０　４７１", time, None), Ok(step));
}

/// What a password sign-in asks of a member, written out row by row: the member has an app
/// (`totp`), a passkey, a verified address, recovery codes left; `relaxed` is the answer under
/// `off` and `optional`, `required` under `required`.
struct Row {
    totp: bool,
    passkey: bool,
    verified: bool,
    codes: bool,
    relaxed: SecondFactor,
    required: SecondFactor,
}

fn ask(methods: &[Method]) -> SecondFactor {
    SecondFactor::Ask(methods.iter().copied().collect::<Methods>())
}

fn table() -> Vec<Row> {
    use Method::{EmailCode, RecoveryCode, Totp};
    const NOT_NEEDED: SecondFactor = SecondFactor::NotNeeded;
    const USE_PASSKEY: SecondFactor = SecondFactor::Unavailable { use_passkey: true };
    const UNAVAILABLE: SecondFactor = SecondFactor::Unavailable { use_passkey: false };
    let row = |totp, passkey, verified, codes, relaxed, required| Row {
        totp,
        passkey,
        verified,
        codes,
        relaxed,
        required,
    };
    vec![
        // An app: the app's code and the recovery codes, never the e-mailed code.
        row(true, false, false, false, ask(&[Totp]), ask(&[Totp])),
        row(
            true,
            false,
            false,
            true,
            ask(&[Totp, RecoveryCode]),
            ask(&[Totp, RecoveryCode]),
        ),
        row(true, false, true, false, ask(&[Totp]), ask(&[Totp])),
        row(
            true,
            false,
            true,
            true,
            ask(&[Totp, RecoveryCode]),
            ask(&[Totp, RecoveryCode]),
        ),
        row(true, true, false, false, ask(&[Totp]), ask(&[Totp])),
        row(
            true,
            true,
            false,
            true,
            ask(&[Totp, RecoveryCode]),
            ask(&[Totp, RecoveryCode]),
        ),
        row(true, true, true, false, ask(&[Totp]), ask(&[Totp])),
        row(
            true,
            true,
            true,
            true,
            ask(&[Totp, RecoveryCode]),
            ask(&[Totp, RecoveryCode]),
        ),
        // Passkeys only: the e-mailed code and the recovery codes, else the passkey itself.
        row(false, true, false, false, USE_PASSKEY, USE_PASSKEY),
        row(
            false,
            true,
            false,
            true,
            ask(&[RecoveryCode]),
            ask(&[RecoveryCode]),
        ),
        row(
            false,
            true,
            true,
            false,
            ask(&[EmailCode]),
            ask(&[EmailCode]),
        ),
        row(
            false,
            true,
            true,
            true,
            ask(&[EmailCode, RecoveryCode]),
            ask(&[EmailCode, RecoveryCode]),
        ),
        // No app, no passkey: nothing asked unless the kenpo requires it.
        row(false, false, false, false, NOT_NEEDED, UNAVAILABLE),
        row(false, false, false, true, NOT_NEEDED, ask(&[RecoveryCode])),
        row(false, false, true, false, NOT_NEEDED, ask(&[EmailCode])),
        row(
            false,
            false,
            true,
            true,
            NOT_NEEDED,
            ask(&[EmailCode, RecoveryCode]),
        ),
    ]
}

#[test]
fn the_password_sign_in_decision_for_every_policy_and_factor() {
    let table = table();
    let mut checked = 0;
    for policy in [
        TwoStepPolicy::Off,
        TwoStepPolicy::Optional,
        TwoStepPolicy::Required,
    ] {
        for totp in [false, true] {
            for passkeys in [0, 1, 3] {
                for email_verified in [false, true] {
                    for recovery_codes_left in [0, 1, 10] {
                        let factors = Factors {
                            totp,
                            passkeys,
                            email_verified,
                            recovery_codes_left,
                        };
                        let row = table
                            .iter()
                            .find(|r| {
                                (r.totp, r.passkey, r.verified, r.codes)
                                    == (totp, passkeys > 0, email_verified, recovery_codes_left > 0)
                            })
                            .unwrap();
                        let want = if policy == TwoStepPolicy::Required {
                            row.required
                        } else {
                            row.relaxed
                        };
                        assert_eq!(
                            SecondFactor::at_password_sign_in(policy, factors),
                            want,
                            "{policy:?} {factors:?}"
                        );
                        checked += 1;
                    }
                }
            }
        }
    }
    assert_eq!(table.len(), 16);
    assert_eq!(checked, 3 * 2 * 3 * 2 * 3);
}

#[test]
fn a_sign_in_asked_for_a_second_factor_reaches_the_menu_only_by_passing_it() {
    let member = Flow::new(AccountState::Active, true, None);
    let factors = Factors {
        totp: true,
        recovery_codes_left: 10,
        ..Factors::default()
    };
    let second_factor = SecondFactor::at_password_sign_in(TwoStepPolicy::Optional, factors);
    let now = at(1_790_000_000);
    let asked = member
        .next(Event::PasswordLogin { second_factor }, now)
        .unwrap();
    assert_eq!(asked.step, Some(Step::SecondFactor));
    assert_eq!(
        asked.next(Event::PasswordChanged, now),
        Err(Refusal::WrongStep {
            expected: Step::SecondFactor
        })
    );
    let passed = asked.next(Event::SecondFactorPassed, now).unwrap();
    assert_eq!(passed.step, Some(Step::Menu));

    let nobody = SecondFactor::at_password_sign_in(TwoStepPolicy::Required, Factors::default());
    assert_eq!(
        member.next(
            Event::PasswordLogin {
                second_factor: nobody
            },
            now
        ),
        Err(Refusal::SecondFactorUnavailable { use_passkey: false })
    );
}
