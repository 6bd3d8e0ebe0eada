//! Password change (DESIGN §3): a member with the current password, or the `password_change`
//! step after signing in with a temporary password (by e-mail or the operator's reissue). The
//! new password follows the §2 rules and differs from the current and the temporary one; the
//! change retires every temporary password, revokes every older token and tells the member by
//! e-mail.

use chrono::{DateTime, Utc};
use madoguchi_domain::RuleError;
use madoguchi_domain::normalize::normalize;
use madoguchi_domain::onboarding::{Event, Flow, Step};
use madoguchi_domain::password::Password;
use madoguchi_domain::user_id::UserId;
use madoguchi_persistence::accounts::{self, AccountView};
use madoguchi_persistence::{temporary_credentials, write_tx};

use crate::error::AppError;
use crate::lockout::{self, Failed, audit};
use crate::mail;
use crate::services::Services;
use crate::signed_in::{Opened, SignedIn};
use crate::throttle;

/// The new password, parsed by the domain's rules, and the current one where it is asked.
pub struct NewPassword {
    /// Asked of a member at the menu ([`Begun::needs_current`]).
    pub current: Option<String>,
    pub new: Password,
}

/// A member about to change the password: the state machine let `PasswordChanged` through.
pub struct Begun {
    signed_in: SignedIn,
    next: Flow,
}

impl Begun {
    /// A member at the menu proves the current password; after a temporary login it is not
    /// asked (the temporary password was the proof).
    pub fn needs_current(&self) -> bool {
        self.signed_in.step == Step::Menu
    }

    /// The member's user ID, which the password must not repeat.
    pub fn user_id(&self) -> Option<UserId> {
        let user_id = self.signed_in.view.account.user_id.as_deref();
        user_id.and_then(|u| UserId::parse(u).ok())
    }
}

/// The state machine's gate, before the input is looked at.
pub fn begin(signed_in: SignedIn, now: DateTime<Utc>) -> Result<Begun, AppError> {
    let next = signed_in
        .flow()
        .next(Event::PasswordChanged, now)
        .map_err(AppError::refused)?;
    Ok(Begun { signed_in, next })
}

/// Checks a signed-in member's current password like a login: a reserved attempt, and a
/// wrong one counts toward the lockout and the address's throttle (401 `invalid_credentials`,
/// said as "the current password is wrong"; the last try allowed answers the lock).
pub async fn verify_current(
    state: &Services,
    view: &AccountView,
    password: String,
    client: String,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    {
        let (view, client) = (view.clone(), client.clone());
        state
            .db(move |c| {
                throttle::reserve(c, &throttle::FAILURES, &client, now)?;
                lockout::reserve(c, &view, now).or_else(|locked| {
                    throttle::give_back(c, &throttle::FAILURES, &client, now)?;
                    Err(locked.with_contact(&view.tenant.contact))
                })
            })
            .await?;
    }
    let ok = state
        .hashes
        .verify(normalize(&password), view.password_hash.clone())
        .await?;
    let view = view.clone();
    let domain = state.mail.mail_domain.clone();
    state
        .db(move |c| {
            write_tx(c, |c| {
                if ok {
                    accounts::clear_failures(c, &view.account.id)?;
                    throttle::give_back(c, &throttle::FAILURES, &client, now)?;
                    return Ok(Ok(()));
                }
                Ok(Err(
                    match lockout::failed(c, &view, "current_password_wrong", &domain, now)? {
                        Failed::Counted { .. } => AppError::CurrentPasswordWrong,
                        Failed::Locked { until } => {
                            lockout::locked(&view, until, now).with_contact(&view.tenant.contact)
                        }
                    },
                ))
            })
        })
        .await?
}

pub async fn change(
    state: &Services,
    begun: Begun,
    input: NewPassword,
    client: String,
    now: DateTime<Utc>,
) -> Result<Opened, AppError> {
    let Begun { signed_in, next } = begun;
    let view = signed_in.view.clone();
    if signed_in.step == Step::Menu {
        let current = input.current.clone().unwrap_or_default();
        verify_current(state, &view, current, client, now).await?;
    }
    // Neither the current nor the temporary password again (argon2 verifies on the pool).
    let secret = input.new.expose().to_owned();
    if state
        .hashes
        .verify(secret.clone(), view.password_hash.clone())
        .await?
    {
        return Err(AppError::rule(
            "new_password",
            RuleError::PasswordEqualsCurrent,
        ));
    }
    if let Some(temporary) = &signed_in.credential
        && state
            .hashes
            .verify(secret.clone(), Some(temporary.password_hash.clone()))
            .await?
    {
        return Err(AppError::rule(
            "new_password",
            RuleError::PasswordEqualsTemporary,
        ));
    }
    let hash = state.hashes.hash(secret).await?;
    let domain = state.mail.mail_domain.clone();
    let via_temporary = signed_in.step == Step::ChangePassword;
    let session_version = {
        let view = view.clone();
        state
            .db(move |c| {
                write_tx(c, |c| {
                    let version = accounts::set_password(c, &view.account.id, &hash, now)?;
                    // A new password forgets every remembered browser (DESIGN §9): whoever
                    // knew the old one may have had a browser remembered.
                    madoguchi_persistence::two_step::devices::forget_all(c, &view.account.id)?;
                    // The state machine retires every pending temporary password.
                    if next.temporary_expires_at.is_none() {
                        temporary_credentials::retire_all(c, &view.account.id, now)?;
                    }
                    if let Some(email) = &view.account.email {
                        let notice =
                            mail::templates::password_changed(email, &view.tenant.name, now);
                        mail::enqueue(c, &notice, &view.tenant, &domain, now)?;
                    }
                    audit(
                        c,
                        &view,
                        "password_changed",
                        serde_json::json!({ "with_temporary_password": via_temporary }),
                        now,
                    )?;
                    Ok::<_, AppError>(version)
                })
            })
            .await?
    };
    Ok(Opened {
        account_id: view.account.id.clone(),
        step: next.step.ok_or(AppError::SessionRevoked)?,
        session_version,
        credential_id: None,
        login_time: now,
        tenant_name: view.tenant.name.clone(),
    })
}
