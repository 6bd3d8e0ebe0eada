//! Login (DESIGN §3): a temporary ID with its password leads to the identity check (or to the
//! password change for an active account's reissue); a user ID with its password leads to the
//! menu, or with a pending temporary password to the password change.
//!
//! Unknown IDs and retired temporary credentials get the same 401 after the same argon2 work
//! as a wrong password: every login verifies two hashes (the member's password and a pending
//! e-mailed temporary password, a dummy hash standing in for what an account lacks), so
//! neither the answer nor its time tells anybody who exists or who asked for a new password.

use chrono::{DateTime, Utc};
use madoguchi_domain::normalize::normalize;
use madoguchi_domain::onboarding::{AccountState, Event, Flow, Refusal, Step};
use madoguchi_domain::temporary::TemporaryLoginId;
use madoguchi_domain::two_step::{Methods, Outcome, SecondFactor, SignInMethod};
use madoguchi_domain::user_id::UserId;
use madoguchi_persistence::Conn;
use madoguchi_persistence::accounts::{self, AccountView};
use madoguchi_persistence::temporary_credentials::{self, TemporaryCredential};
use madoguchi_persistence::two_step::devices;

use crate::error::AppError;
use crate::lockout;
use crate::services::Services;
use crate::signed_in::Opened;
use crate::throttle;
use crate::two_step::{self, Client, sign_in};

/// What the member typed on the login screen, and what the browser brought.
pub struct Credentials {
    pub login_id: String,
    pub password: String,
    /// The `madoguchi_device` cookie of a remembered browser.
    pub device: Option<String>,
    /// The browser's label (`two_step::browser_label`).
    pub browser: String,
}

/// What a login opens, and the second-factor methods it offers when it stops there.
#[derive(Debug, Clone)]
pub struct LoggedIn {
    pub opened: Opened,
    pub second_factor_methods: Option<Methods>,
}

enum Target {
    Unknown,
    Temporary {
        credential: TemporaryCredential,
        view: AccountView,
    },
    Member {
        view: AccountView,
        pending: Option<TemporaryCredential>,
    },
}

impl Target {
    fn view(&self) -> Option<&AccountView> {
        match self {
            Self::Unknown => None,
            Self::Temporary { view, .. } | Self::Member { view, .. } => Some(view),
        }
    }

    /// What the login history calls an attempt at this target.
    fn method(&self) -> SignInMethod {
        match self {
            Self::Temporary { .. } => SignInMethod::Temporary,
            Self::Unknown | Self::Member { .. } => SignInMethod::Password,
        }
    }
}

enum Matched {
    Nothing,
    Temporary(TemporaryCredential),
    Password,
}

fn find(conn: &mut Conn, login_id: &str) -> Result<Target, AppError> {
    // 13 digits can only be a temporary ID: user IDs of digits alone stop at 12.
    if let Ok(temp) = TemporaryLoginId::parse(login_id) {
        let Some(credential) = temporary_credentials::find_by_login_id(conn, temp.as_str())? else {
            return Ok(Target::Unknown);
        };
        if credential.retired_at.is_some() {
            return Ok(Target::Unknown);
        }
        return Ok(match accounts::view(conn, &credential.account_id)? {
            Some(view) => Target::Temporary { credential, view },
            None => Target::Unknown,
        });
    }
    // No account has an ID that is not a user ID's shape; such an ID is not looked up (a NUL
    // byte, say, which PostgreSQL refuses in text, would otherwise fail the query: a 500).
    if UserId::parse(login_id).is_err() {
        return Ok(Target::Unknown);
    }
    let Some(view) = accounts::view_by_user_id(conn, &login_id.to_ascii_lowercase())? else {
        return Ok(Target::Unknown);
    };
    // A reissued password (by e-mail or the operator) works beside the current one until used;
    // an expired one is still matched, to say so after a correct password.
    let pending =
        temporary_credentials::unretired(conn, &view.account.id)?.filter(|c| c.login_id.is_none());
    Ok(Target::Member { view, pending })
}

/// Signs a member in; what the login opens, or why not. Counted in the metrics by outcome.
pub async fn login(
    state: &Services,
    input: Credentials,
    client: String,
    now: DateTime<Utc>,
) -> Result<LoggedIn, AppError> {
    let done = attempt(state, input, client, now).await;
    crate::metrics::sign_in(match &done {
        Ok(_) => "success",
        Err(AppError::InvalidCredentials) => "wrong_password",
        Err(AppError::Locked { .. }) => "locked",
        Err(AppError::TooManyAttempts { .. }) => "throttled",
        Err(
            AppError::CredentialsExpired
            | AppError::AccountSuspended
            | AppError::SecondFactorUnavailable { .. },
        ) => "refused",
        Err(_) => "error",
    });
    done
}

async fn attempt(
    state: &Services,
    input: Credentials,
    client: String,
    now: DateTime<Utc>,
) -> Result<LoggedIn, AppError> {
    let login_id = normalize(&input.login_id);
    let from = Client {
        address: client.clone(),
        browser: input.browser.clone(),
    };
    let device = input.device.clone();
    let password = normalize(&input.password);
    let client_for_lookup = client.clone();
    let from_for_lookup = from.clone();
    let target = state
        .db(move |c| {
            let client = client_for_lookup;
            throttle::reserve(c, &throttle::FAILURES, &client, now)?;
            let found = find(c, &login_id).and_then(|target| {
                if let Some(view) = target.view()
                    && let Err(locked) = lockout::reserve(c, view, now)
                {
                    if matches!(locked, AppError::Locked { .. }) {
                        let (outcome, method) = (Outcome::Locked, target.method());
                        two_step::record(c, view, &from_for_lookup, outcome, method, now)?;
                    }
                    return Err(locked);
                }
                Ok(target)
            });
            if found.is_err() {
                // Nothing was verified (a locked account, say): the address's try is not spent.
                throttle::give_back(c, &throttle::FAILURES, &client, now)?;
            }
            found
        })
        .await?;

    let (primary, pending) = match &target {
        Target::Unknown => (None, None),
        Target::Temporary { credential, .. } => (Some(credential.password_hash.clone()), None),
        Target::Member { view, pending } => (
            view.password_hash.clone(),
            pending.as_ref().map(|p| p.password_hash.clone()),
        ),
    };
    let [first, second] = state
        .hashes
        .verify_both(password, [primary, pending])
        .await?;
    let matched = match &target {
        Target::Temporary { credential, .. } if first => Matched::Temporary(credential.clone()),
        Target::Member { .. } if first => Matched::Password,
        Target::Member {
            pending: Some(p), ..
        } if second => Matched::Temporary(p.clone()),
        _ => Matched::Nothing,
    };

    let domain = state.mail.mail_domain.clone();
    // A wrong password keeps the address's reserved try: it counts as a failure.
    let Some(view) = target.view().cloned() else {
        return Err(AppError::InvalidCredentials);
    };
    if let Matched::Nothing = matched {
        let (from, method) = (from.clone(), target.method());
        state
            .db(move |c| {
                madoguchi_persistence::write_tx(c, |c| {
                    two_step::record(c, &view, &from, Outcome::WrongPassword, method, now)?;
                    lockout::failed(c, &view, "login_failed", &domain, now)
                })
            })
            .await?;
        return Err(AppError::InvalidCredentials);
    }

    let account = view.account.clone();
    let credential = match &matched {
        Matched::Temporary(c) => Some(c.clone()),
        _ => None,
    };
    let v = view.clone();
    let temporary = credential.clone();
    let (outcome, methods) = state
        .db(move |c| {
            madoguchi_persistence::write_tx(c, |c| {
                let account = &v.account;
                // Onboarding (a Provisioned account) is never asked; the machine decides.
                let active = account.state == AccountState::Active;
                let remembered = temporary.is_none()
                    && active
                    && sign_in::remembered(c, &v, device.as_deref(), now)?;
                let second_factor = if active {
                    sign_in::decide(c, &v, temporary.is_some(), remembered)?
                } else {
                    SecondFactor::NotNeeded
                };
                let event = match &temporary {
                    Some(_) => Event::TemporaryLogin { second_factor },
                    None => Event::PasswordLogin { second_factor },
                };
                let flow = Flow::new(
                    account.state,
                    account.user_id.is_some(),
                    temporary.as_ref().map(|t| t.expires_at),
                )
                .next(event, now);
                let outcome = match flow {
                    Ok(f) => Ok(f.step.unwrap_or(Step::Menu)),
                    Err(Refusal::TemporaryExpired) => Err(AppError::CredentialsExpired),
                    Err(Refusal::Suspended) => Err(AppError::AccountSuspended),
                    Err(refused @ Refusal::SecondFactorUnavailable { .. }) => {
                        Err(AppError::refused(refused).with_kenpo_contact(&v.tenant.contact))
                    }
                    Err(_) => Err(AppError::InvalidCredentials),
                };
                let step = outcome.as_ref().ok().copied();
                throttle::give_back(c, &throttle::FAILURES, &client, now)?;
                let method = if temporary.is_some() {
                    SignInMethod::Temporary
                } else {
                    SignInMethod::Password
                };
                match step {
                    Some(Step::Menu) => accounts::record_login(c, &account.id, now)?,
                    // The second factor is still to come: the right password costs no try,
                    // but the wrong codes before it keep counting.
                    Some(Step::SecondFactor) => accounts::give_back_attempt(c, &account.id)?,
                    _ => accounts::clear_failures(c, &account.id)?,
                }
                if matches!(step, Some(Step::Menu | Step::ChangePassword)) {
                    two_step::record(c, &v, &from, Outcome::Success, method, now)?;
                    if active && !remembered {
                        two_step::notify_login(c, &v, &from, &domain, now)?;
                    }
                }
                // A recovery by e-mail forgets every remembered browser (DESIGN §9).
                if temporary.is_some() && active && step.is_some() {
                    devices::forget_all(c, &account.id)?;
                }
                let detail = serde_json::json!({
                    "next_step": step.map(|s| s.as_str()),
                    "remembered_device": remembered,
                });
                lockout::audit(
                    c,
                    &v,
                    if step.is_some() {
                        "login_succeeded"
                    } else {
                        "login_refused"
                    },
                    detail,
                    now,
                )?;
                let methods = match second_factor {
                    SecondFactor::Ask(methods) if step == Some(Step::SecondFactor) => Some(methods),
                    _ => None,
                };
                Ok::<_, AppError>((outcome, methods))
            })
        })
        .await?;
    let step = outcome?;
    Ok(LoggedIn {
        opened: Opened {
            account_id: account.id.clone(),
            step,
            session_version: account.session_version,
            credential_id: credential.map(|c| c.id),
            login_time: now,
            tenant_name: view.tenant.name.clone(),
        },
        second_factor_methods: methods,
    })
}
