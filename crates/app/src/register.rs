//! Registration (DESIGN §2): the member chooses a user ID, a password and an e-mail address.
//! `check` writes nothing and reports every rule the database or a hash decides at once;
//! `commit` is one transaction that stores what the state machine returns for
//! `CredentialsRegistered`, retires the temporary ID and password for good, audits, and queues
//! the confirmation e-mail.

use chrono::{DateTime, Utc};
use madoguchi_domain::email::Email;
use madoguchi_domain::onboarding::{Event, Flow};
use madoguchi_domain::password::Password;
use madoguchi_domain::temporary::TemporaryLoginId;
use madoguchi_domain::user_id::UserId;
use madoguchi_domain::{FieldError, RuleError};
use madoguchi_persistence::accounts::{self, Registration};
use madoguchi_persistence::{StoreError, temporary_credentials, write_tx};

use crate::email::NewLink;
use crate::error::AppError;
use crate::lockout::audit;
use crate::mail;
use crate::services::Services;
use crate::signed_in::{Opened, SignedIn};
use crate::throttle;

/// The credentials the member chose, parsed by the domain's rules.
pub struct Choice {
    pub user_id: UserId,
    pub password: Password,
    pub email: Email,
    pub notify_on_update: bool,
}

/// A member at registration: the state machine let `CredentialsRegistered` through.
pub struct Begun {
    signed_in: SignedIn,
    next: Flow,
}

impl Begun {
    /// The postcard's ID, which the user ID must not repeat.
    pub fn temporary_login_id(&self) -> Option<TemporaryLoginId> {
        self.signed_in
            .credential
            .as_ref()
            .and_then(|c| c.login_id.as_deref())
            .and_then(|l| TemporaryLoginId::parse(l).ok())
    }
}

/// The state machine's gate, before the input is looked at.
pub fn begin(signed_in: SignedIn, now: DateTime<Utc>) -> Result<Begun, AppError> {
    let next = signed_in
        .flow()
        .next(Event::CredentialsRegistered, now)
        .map_err(AppError::refused)?;
    Ok(Begun { signed_in, next })
}

/// The rules only storage and the hashes can decide, for what of the choice parsed: the user
/// ID is free (answers limited per account) and the password is not the temporary one.
/// Returns the broken ones, to join the input's.
pub async fn check(
    state: &Services,
    begun: &Begun,
    user_id: Option<&UserId>,
    password: Option<&Password>,
    client: String,
    now: DateTime<Utc>,
) -> Result<Vec<FieldError>, AppError> {
    let credential = begun.signed_in.credential()?.clone();
    let mut broken: Vec<FieldError> = Vec::new();
    let canonical = user_id.map(UserId::canonical);
    let account_id = begun.signed_in.view.account.id.clone();
    let taken = state
        .db(move |c| {
            throttle::check(c, &throttle::FAILURES, &client, now)?;
            throttle::check(c, &throttle::USER_ID_TAKEN, &account_id, now)?;
            let taken = match canonical {
                Some(id) => accounts::user_id_taken(c, &id)?,
                None => false,
            };
            if taken {
                throttle::reserve(c, &throttle::USER_ID_TAKEN, &account_id, now)?;
            }
            Ok(taken)
        })
        .await?;
    if taken {
        broken.push(FieldError::new("user_id", RuleError::UserIdTaken));
    }
    // The temporary password must not be reused: an argon2 verify, through the pool.
    if let Some(password) = password
        && state
            .hashes
            .verify(
                password.expose().to_owned(),
                Some(credential.password_hash.clone()),
            )
            .await?
    {
        broken.push(FieldError::new(
            "password",
            RuleError::PasswordEqualsTemporary,
        ));
    }
    Ok(broken)
}

/// Registers: the check again, then one transaction. A user ID taken since the check (by a
/// registration that raced this one) is `UserIdTaken`, counted like the check's answers.
pub async fn commit(
    state: &Services,
    begun: Begun,
    choice: Choice,
    client: String,
    now: DateTime<Utc>,
) -> Result<Opened, AppError> {
    let broken = check(
        state,
        &begun,
        Some(&choice.user_id),
        Some(&choice.password),
        client,
        now,
    )
    .await?;
    match broken.as_slice() {
        [] => {}
        // Someone registered it since the member's check: a conflict, not a form error.
        [only] if only.error == RuleError::UserIdTaken => return Err(AppError::UserIdTaken),
        _ => return Err(AppError::Rules(broken)),
    }
    let account_id = begun.signed_in.view.account.id.clone();
    match store(state, begun, choice, now).await {
        Err(AppError::UserIdTaken) => {
            state
                .db(move |c| throttle::reserve(c, &throttle::USER_ID_TAKEN, &account_id, now))
                .await?;
            Err(AppError::UserIdTaken)
        }
        other => other,
    }
}

async fn store(
    state: &Services,
    begun: Begun,
    choice: Choice,
    now: DateTime<Utc>,
) -> Result<Opened, AppError> {
    let Begun { signed_in, next } = begun;
    let password_hash = state
        .hashes
        .hash(choice.password.expose().to_owned())
        .await?;
    let link = NewLink::generate(state).await?;
    let credential = signed_in.credential()?.clone();
    let view = signed_in.view.clone();
    let domain = state.mail.mail_domain.clone();
    let session_version = state
        .db(move |c| {
            write_tx(c, |c| {
                let registration = Registration {
                    user_id: choice.user_id.as_str(),
                    user_id_canonical: &choice.user_id.canonical(),
                    password_hash: &password_hash,
                    email: choice.email.as_str(),
                    notify_on_update: choice.notify_on_update,
                };
                match accounts::register(c, &view.account.id, next.state, &registration, now) {
                    Ok(true) => {}
                    Ok(false) => return Err(AppError::AlreadyRegistered),
                    Err(StoreError::Conflict(_)) => return Err(AppError::UserIdTaken),
                    Err(e) => return Err(e.into()),
                }
                // Retired for good (the state machine left no temporary expiry): the postcard
                // never signs in again.
                if next.temporary_expires_at.is_none() {
                    if !temporary_credentials::retire(c, &credential.id, now)? {
                        return Err(AppError::AlreadyRegistered);
                    }
                    temporary_credentials::retire_all(c, &view.account.id, now)?;
                }
                let link = link.store(c, &view.account.id, choice.email.as_str(), now)?;
                let message = mail::templates::registration_confirmation(
                    choice.email.as_str(),
                    &view.tenant.name,
                    choice.user_id.as_str(),
                    &link,
                );
                mail::enqueue(c, &message, &view.tenant, &domain, now)?;
                audit(
                    c,
                    &view,
                    "registered",
                    serde_json::json!({ "notify_on_update": choice.notify_on_update }),
                    now,
                )?;
                Ok(accounts::get(c, &view.account.id)?.session_version)
            })
        })
        .await?;
    Ok(Opened {
        account_id: signed_in.view.account.id.clone(),
        step: next.step.ok_or(AppError::SessionRevoked)?,
        session_version,
        credential_id: None,
        login_time: now,
        tenant_name: signed_in.view.tenant.name.clone(),
    })
}
