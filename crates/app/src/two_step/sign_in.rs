//! The second step of a sign-in (DESIGN §9): what the right password leads to, the code the
//! member shows next, and the e-mailed code.
//!
//! Every code is checked like a password: an attempt is reserved on the account (and the
//! client address) before the comparison, a wrong code counts toward the lockout, and the
//! right one gives it back. An authenticator code's time step is stored as used in the same
//! statement that accepts it, so two requests racing with one code get one sign-in.

use chrono::{DateTime, Duration, Utc};
use madoguchi_domain::RuleError;
use madoguchi_domain::onboarding::{Event, Step};
use madoguchi_domain::two_step::email_code::{self, EmailCode, SendRefused};
use madoguchi_domain::two_step::{
    CodeError, Factors, Method, Methods, Outcome, RecoveryCode, SecondFactor, totp,
};
use madoguchi_persistence::accounts::{self, AccountView};
use madoguchi_persistence::two_step::{self as stored, devices, email_codes, recovery_codes};
use madoguchi_persistence::{Conn, write_tx};

use super::keys::{TwoStepKeys, device_hash, new_device_token};
use super::{Client, notify_login, record};
use crate::error::AppError;
use crate::lockout::{self, Failed, audit};
use crate::mail;
use crate::services::Services;
use crate::signed_in::{Opened, SignedIn};
use crate::throttle;

/// How long a remembered browser is remembered.
pub const DEVICE_DAYS: i64 = 30;

/// What the account's factors are, as storage says.
pub fn factors(conn: &mut Conn, view: &AccountView) -> Result<Factors, AppError> {
    Ok(stored::factors(
        conn,
        &view.account.id,
        view.account.email_verified,
    )?)
}

/// What a sign-in with the right password (`temporary`: a temporary one) asks next. A
/// remembered browser of the account skips the second factor of a password sign-in.
pub fn decide(
    conn: &mut Conn,
    view: &AccountView,
    temporary: bool,
    remembered: bool,
) -> Result<SecondFactor, AppError> {
    let factors = factors(conn, view)?;
    Ok(if temporary {
        SecondFactor::at_temporary_sign_in(factors)
    } else if remembered {
        SecondFactor::NotNeeded
    } else {
        SecondFactor::at_password_sign_in(view.tenant.two_step, factors)
    })
}

/// Whether the browser's `madoguchi_device` token is a living remembered browser of the
/// account (marked used when it is).
pub fn remembered(
    conn: &mut Conn,
    view: &AccountView,
    device: Option<&str>,
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    match device.filter(|t| !t.is_empty() && t.len() <= 128) {
        Some(token) => Ok(devices::recognise(
            conn,
            &view.account.id,
            &device_hash(token),
            now,
        )?),
        None => Ok(false),
    }
}

/// The methods the signed-in second-factor step offers now (the factors may have changed
/// since the password: a recovery code used up, an operator's reset).
fn offered(conn: &mut Conn, signed_in: &SignedIn) -> Result<Methods, AppError> {
    let temporary = signed_in.credential.is_some();
    Ok(match decide(conn, &signed_in.view, temporary, false)? {
        SecondFactor::Ask(methods) => methods,
        SecondFactor::NotNeeded | SecondFactor::Unavailable { .. } => Methods::default(),
    })
}

/// The methods a second-factor step offers now, for a screen resumed after a reload.
pub async fn offered_methods(state: &Services, signed_in: &SignedIn) -> Result<Methods, AppError> {
    let signed_in = signed_in.clone();
    state.db(move |c| offered(c, &signed_in)).await
}

/// The code the member typed at the second-factor step.
pub struct CodeInput {
    pub method: Method,
    pub code: String,
    /// この端末を記憶する.
    pub remember_device: bool,
}

/// The second factor passed: the token to issue, and the new remembered browser's token.
pub struct Passed {
    pub opened: Opened,
    pub device_token: Option<String>,
}

/// The canonical form of the typed code, or the field's problem (never compared: it does not
/// count toward the lockout).
fn canonical(method: Method, code: &str) -> Result<String, AppError> {
    let parsed = match method {
        Method::Totp | Method::EmailCode => EmailCode::parse(code).map(|c| c.expose().to_owned()),
        Method::RecoveryCode => RecoveryCode::parse(code).map(|c| c.expose().to_owned()),
        Method::Passkey => return Err(AppError::rule("method", RuleError::MethodNotOffered)),
    };
    parsed.map_err(|e| match e {
        CodeError::Required => AppError::rule("code", RuleError::Required),
        _ => AppError::rule("code", RuleError::CodeFormat),
    })
}

/// Checks the code of `method` and uses it up; the reason it does not sign in otherwise.
fn check(
    conn: &mut Conn,
    keys: &TwoStepKeys,
    account_id: &str,
    method: Method,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Result<(), CodeError>, AppError> {
    Ok(match method {
        Method::Totp => {
            let app = stored::totp::find(conn, account_id)?.filter(|t| t.confirmed);
            let opened = app.and_then(|t| {
                keys.open(account_id, &t.sealed_secret)
                    .map(|s| (s, t.last_used_step))
            });
            match opened {
                None => Err(CodeError::Wrong),
                Some((secret, last)) => match totp::check(&secret, code, now, last) {
                    Ok(step) if stored::totp::use_step(conn, account_id, step)? => Ok(()),
                    Ok(_) => Err(CodeError::Used),
                    Err(e) => Err(e),
                },
            }
        }
        Method::EmailCode => match email_codes::newest(conn, account_id)? {
            None => Err(CodeError::Wrong),
            Some(sent) => {
                let matches = sent.code_hash == keys.code_hash(account_id, code);
                match sent.sent.check(matches, now) {
                    Ok(()) if email_codes::mark_used(conn, &sent.id, now)? => Ok(()),
                    Ok(()) => Err(CodeError::Used),
                    Err(e) => Err(e),
                }
            }
        },
        Method::RecoveryCode => {
            let hash = keys.code_hash(account_id, code);
            if recovery_codes::use_code(conn, account_id, &hash, now)? {
                Ok(())
            } else {
                Err(CodeError::Wrong)
            }
        }
        Method::Passkey => Err(CodeError::Wrong),
    })
}

/// The second factor of a sign-in: `menu` after a password, `change_password` after the
/// recovery e-mail's temporary password.
pub async fn verify(
    state: &Services,
    signed_in: SignedIn,
    input: CodeInput,
    client: Client,
    now: DateTime<Utc>,
) -> Result<Passed, AppError> {
    let method = input.method.as_str();
    let done = attempt(state, signed_in, input, client, now).await;
    crate::metrics::second_factor(
        method,
        match &done {
            Ok(_) => "success",
            Err(AppError::InvalidCode) => "wrong_code",
            Err(AppError::Locked { .. }) => "locked",
            Err(AppError::TooManyAttempts { .. }) => "throttled",
            Err(AppError::Rules(_)) => "malformed",
            Err(_) => "error",
        },
    );
    done
}

async fn attempt(
    state: &Services,
    signed_in: SignedIn,
    input: CodeInput,
    client: Client,
    now: DateTime<Utc>,
) -> Result<Passed, AppError> {
    let next = signed_in
        .flow()
        .next(Event::SecondFactorPassed, now)
        .map_err(AppError::refused)?;
    let code = canonical(input.method, &input.code)?;
    let method = input.method;
    {
        let (signed_in, client) = (signed_in.clone(), client.clone());
        state
            .db(move |c| {
                if !offered(c, &signed_in)?.contains(method) {
                    return Err(AppError::rule("method", RuleError::MethodNotOffered));
                }
                let view = &signed_in.view;
                throttle::reserve(c, &throttle::FAILURES, &client.address, now)?;
                lockout::reserve(c, view, now).or_else(|locked| {
                    throttle::give_back(c, &throttle::FAILURES, &client.address, now)?;
                    record(c, view, &client, Outcome::Locked, method.into(), now)?;
                    Err(locked.with_contact(&view.tenant.contact))
                })
            })
            .await?;
    }
    let keys = state.keys.clone();
    let domain = state.mail.mail_domain.clone();
    let view = signed_in.view.clone();
    let remember = input.remember_device;
    let step = next.step.ok_or(AppError::SessionRevoked)?;
    let device_token = state
        .db(move |c| {
            write_tx(c, |c| {
                let id = view.account.id.clone();
                let checked = check(c, &keys, &id, method, &code, now)?;
                if let Err(refused) = checked {
                    record(c, &view, &client, Outcome::WrongCode, method.into(), now)?;
                    if !refused.counts_toward_lockout() {
                        accounts::give_back_attempt(c, &id)?;
                        throttle::give_back(c, &throttle::FAILURES, &client.address, now)?;
                        return Ok(Err(AppError::InvalidCode));
                    }
                    return Ok(Err(
                        match lockout::failed(c, &view, "second_factor_failed", &domain, now)? {
                            Failed::Counted { .. } => AppError::InvalidCode,
                            Failed::Locked { until } => lockout::locked(&view, until, now)
                                .with_contact(&view.tenant.contact),
                        },
                    ));
                }
                throttle::give_back(c, &throttle::FAILURES, &client.address, now)?;
                if step == Step::Menu {
                    accounts::record_login(c, &id, now)?;
                } else {
                    accounts::clear_failures(c, &id)?;
                }
                record(c, &view, &client, Outcome::Success, method.into(), now)?;
                audit(
                    c,
                    &view,
                    "second_factor_passed",
                    serde_json::json!({ "method": method.as_str(), "next_step": step.as_str() }),
                    now,
                )?;
                let token = if remember {
                    let token = new_device_token();
                    devices::remember(
                        c,
                        &id,
                        &device_hash(&token),
                        &client.browser,
                        now + Duration::days(DEVICE_DAYS),
                        now,
                    )?;
                    audit(
                        c,
                        &view,
                        "device_remembered",
                        serde_json::json!({ "browser": client.browser }),
                        now,
                    )?;
                    Some(token)
                } else {
                    None
                };
                notify_login(c, &view, &client, &domain, now)?;
                Ok(Ok(token))
            })
        })
        .await??;
    Ok(Passed {
        opened: Opened {
            account_id: signed_in.view.account.id.clone(),
            step,
            session_version: signed_in.session_version,
            credential_id: signed_in
                .credential
                .as_ref()
                .filter(|_| step == Step::ChangePassword)
                .map(|c| c.id.clone()),
            login_time: signed_in.login_time,
            tenant_name: signed_in.view.tenant.name.clone(),
        },
        device_token,
    })
}

/// Mails a code to the member's verified address: at most five an hour; only the newest works.
pub async fn send_email_code(
    state: &Services,
    signed_in: SignedIn,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let keys = state.keys.clone();
    let domain = state.mail.mail_domain.clone();
    state
        .db(move |c| {
            write_tx(c, |c| {
                let view = &signed_in.view;
                if !offered(c, &signed_in)?.contains(Method::EmailCode) {
                    return Err(AppError::rule("method", RuleError::MethodNotOffered));
                }
                let id = &view.account.id;
                let sent = email_codes::sent_since(c, id, now - Duration::hours(1))?;
                if let Err(SendRefused::TooMany { until }) = email_code::may_send(&sent, now) {
                    let seconds = (until - now).num_seconds().max(1);
                    return Err(AppError::TooManyAttempts {
                        retry_after: u64::try_from(seconds).unwrap_or(1),
                    });
                }
                let Some(email) = view.account.email.clone() else {
                    return Err(AppError::rule("method", RuleError::MethodNotOffered));
                };
                let code = EmailCode::generate(&mut rand::rng());
                email_codes::create(c, id, &keys.code_hash(id, code.expose()), now)?;
                let message = mail::templates::second_factor_code(
                    &email,
                    &view.tenant.name,
                    code.expose(),
                    email_code::VALID_MINUTES,
                );
                mail::enqueue(c, &message, &view.tenant, &domain, now)?;
                audit(
                    c,
                    view,
                    "second_factor_code_sent",
                    serde_json::json!({}),
                    now,
                )
            })
        })
        .await
}
