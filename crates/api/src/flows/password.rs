//! Password change (DESIGN §3): a member with the current password, or the `password_change`
//! step after signing in with a temporary password (by e-mail or the operator's reissue). The
//! new password follows the §2 rules and differs from the current and the temporary one; the
//! change retires every temporary password, revokes every older token and tells the member by
//! e-mail.

use madoguchi_domain::RuleError;
use madoguchi_domain::normalize::normalize;
use madoguchi_domain::onboarding::Step;
use madoguchi_domain::password::Password;
use madoguchi_domain::user_id::UserId;
use madoguchi_persistence::accounts::{self, AccountView};
use madoguchi_persistence::{temporary_credentials, write_tx};

use crate::error::{ApiError, FieldIssue};
use crate::flows::email::{issue, required_current_password};
use crate::flows::lockout::{self, Failed, audit};
use crate::mail;
use crate::session::Session;
use crate::state::AppState;
use crate::throttle;
use crate::tokens::Issued;

pub struct ChangeInput {
    pub current_password: Option<String>,
    pub new_password: Option<String>,
    pub new_password_confirmation: Option<String>,
}

/// Checks a signed-in member's current password like a login: a reserved attempt, and a
/// wrong one counts toward the lockout and the address's throttle (401 `invalid_credentials`,
/// said as "the current password is wrong"; the last try allowed answers the lock).
pub async fn verify_current(
    state: &AppState,
    view: &AccountView,
    password: String,
    client: String,
) -> Result<(), ApiError> {
    let now = state.clock.now();
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
    let domain = state.config.mail_domain.clone();
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
                        Failed::Counted { .. } => ApiError::CurrentPasswordWrong,
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
    state: &AppState,
    session: &Session,
    input: ChangeInput,
    client: String,
) -> Result<Issued, ApiError> {
    if session.step != Step::Menu {
        session.at_step(Step::ChangePassword)?;
    }
    let view = session.view.clone();
    let user_id = view
        .account
        .user_id
        .as_deref()
        .and_then(|u| UserId::parse(u).ok());
    let mut issues: Vec<FieldIssue> = Vec::new();
    let current = input.current_password.filter(|p| !normalize(p).is_empty());
    if session.step == Step::Menu && current.is_none() {
        issues.push(required_current_password());
    }
    let new = match Password::parse_new(
        input.new_password.as_deref().unwrap_or(""),
        input.new_password_confirmation.as_deref().unwrap_or(""),
        user_id.as_ref(),
    ) {
        Ok(p) => Some(p),
        Err(errors) => {
            for e in errors {
                let field = if e == RuleError::PasswordConfirmationMismatch {
                    "new_password_confirmation"
                } else {
                    "new_password"
                };
                issues.push(issue(field, e));
            }
            None
        }
    };
    let Some(new) = new.filter(|_| issues.is_empty()) else {
        return Err(ApiError::Validation(issues));
    };
    if let Some(current) = current.filter(|_| session.step == Step::Menu) {
        verify_current(state, &view, current, client).await?;
    }
    // Neither the current nor the temporary password again (argon2 verifies on the pool).
    let secret = new.expose().to_owned();
    if state
        .hashes
        .verify(secret.clone(), view.password_hash.clone())
        .await?
    {
        return Err(ApiError::Validation(vec![issue(
            "new_password",
            RuleError::PasswordEqualsCurrent,
        )]));
    }
    if let Some(temporary) = &session.credential
        && state
            .hashes
            .verify(secret.clone(), Some(temporary.password_hash.clone()))
            .await?
    {
        return Err(ApiError::Validation(vec![issue(
            "new_password",
            RuleError::PasswordEqualsTemporary,
        )]));
    }
    let hash = state.hashes.hash(secret).await?;
    let now = state.clock.now();
    let domain = state.config.mail_domain.clone();
    let via_temporary = session.step == Step::ChangePassword;
    let session_version = {
        let view = view.clone();
        state
            .db(move |c| {
                write_tx(c, |c| {
                    let version = accounts::set_password(c, &view.account.id, &hash, now)?;
                    temporary_credentials::retire_all(c, &view.account.id, now)?;
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
                    Ok::<_, ApiError>(version)
                })
            })
            .await?
    };
    state.tokens.issue(
        &view.account.id,
        Step::Menu,
        session_version,
        None,
        now,
        now,
    )
}
