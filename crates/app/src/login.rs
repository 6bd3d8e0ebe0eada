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
use madoguchi_domain::onboarding::{Event, Flow, Refusal, Step};
use madoguchi_domain::temporary::TemporaryLoginId;
use madoguchi_domain::two_step::SecondFactor;
use madoguchi_domain::user_id::UserId;
use madoguchi_persistence::Conn;
use madoguchi_persistence::accounts::{self, AccountView};
use madoguchi_persistence::temporary_credentials::{self, TemporaryCredential};

use crate::error::AppError;
use crate::lockout;
use crate::services::Services;
use crate::signed_in::Opened;
use crate::throttle;

/// What the member typed on the login screen.
pub struct Credentials {
    pub login_id: String,
    pub password: String,
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
) -> Result<Opened, AppError> {
    let done = attempt(state, input, client, now).await;
    crate::metrics::sign_in(match &done {
        Ok(_) => "success",
        Err(AppError::InvalidCredentials) => "wrong_password",
        Err(AppError::Locked { .. }) => "locked",
        Err(AppError::TooManyAttempts { .. }) => "throttled",
        Err(AppError::CredentialsExpired | AppError::AccountSuspended) => "refused",
        Err(_) => "error",
    });
    done
}

async fn attempt(
    state: &Services,
    input: Credentials,
    client: String,
    now: DateTime<Utc>,
) -> Result<Opened, AppError> {
    let login_id = normalize(&input.login_id);
    let password = normalize(&input.password);
    let client_for_lookup = client.clone();
    let target = state
        .db(move |c| {
            let client = client_for_lookup;
            throttle::reserve(c, &throttle::FAILURES, &client, now)?;
            let found = find(c, &login_id).and_then(|target| {
                if let Some(view) = target.view() {
                    lockout::reserve(c, view, now)?;
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
        state
            .db(move |c| {
                madoguchi_persistence::write_tx(c, |c| {
                    lockout::failed(c, &view, "login_failed", &domain, now)
                })
            })
            .await?;
        return Err(AppError::InvalidCredentials);
    }

    let account = &view.account;
    let (event, credential) = match &matched {
        Matched::Temporary(c) => (
            Event::TemporaryLogin {
                second_factor: SecondFactor::NotNeeded,
            },
            Some(c.clone()),
        ),
        // second factor: wired up with the routes (issue 14)
        _ => (
            Event::PasswordLogin {
                second_factor: SecondFactor::NotNeeded,
            },
            None,
        ),
    };
    let flow = Flow::new(
        account.state,
        account.user_id.is_some(),
        credential.as_ref().map(|c| c.expires_at),
    )
    .next(event, now);
    let outcome = match flow {
        Ok(f) => Ok(f.step.unwrap_or(Step::Menu)),
        Err(Refusal::TemporaryExpired) => Err(AppError::CredentialsExpired),
        Err(Refusal::Suspended) => Err(AppError::AccountSuspended),
        Err(_) => Err(AppError::InvalidCredentials),
    };
    let v = view.clone();
    let step_for_audit = outcome.as_ref().ok().copied();
    state
        .db(move |c| {
            madoguchi_persistence::write_tx(c, |c| {
                throttle::give_back(c, &throttle::FAILURES, &client, now)?;
                if step_for_audit == Some(Step::Menu) {
                    accounts::record_login(c, &v.account.id, now)?;
                } else {
                    accounts::clear_failures(c, &v.account.id)?;
                }
                let detail = serde_json::json!({ "next_step": step_for_audit.map(|s| s.as_str()) });
                lockout::audit(
                    c,
                    &v,
                    if step_for_audit.is_some() {
                        "login_succeeded"
                    } else {
                        "login_refused"
                    },
                    detail,
                    now,
                )
            })
        })
        .await?;
    let step = outcome?;
    Ok(Opened {
        account_id: account.id.clone(),
        step,
        session_version: account.session_version,
        credential_id: credential.map(|c| c.id),
        login_time: now,
        tenant_name: view.tenant.name.clone(),
    })
}
