//! Registration (DESIGN §2): the member chooses a user ID, a password and an e-mail address.
//! `check` writes nothing and reports every bad field at once; `commit` is one transaction
//! that re-checks the state and the temporary credential, stores the credentials, retires the
//! temporary ID and password for good, audits, and queues the confirmation e-mail.

use madoguchi_domain::email::Email;
use madoguchi_domain::onboarding::Step;
use madoguchi_domain::password::Password;
use madoguchi_domain::temporary::TemporaryLoginId;
use madoguchi_domain::user_id::UserId;
use madoguchi_domain::{FieldError, RuleError};
use madoguchi_persistence::accounts::{self, Registration};
use madoguchi_persistence::{StoreError, temporary_credentials, write_tx};

use crate::error::{ApiError, FieldIssue};
use crate::flows::email::NewLink;
use crate::flows::lockout::audit;
use crate::json::gathered;
use crate::mail;
use crate::session::Session;
use crate::state::AppState;
use crate::throttle;
use crate::tokens::Issued;

pub struct CredentialsInput {
    /// The body's shape issues (missing or oversized fields), gathered with the rules'.
    pub shape: Vec<FieldIssue>,
    pub user_id: Option<String>,
    pub password: Option<String>,
    pub password_confirmation: Option<String>,
    pub email: Option<String>,
    pub notify_on_update: Option<bool>,
}

/// Credentials that passed every rule.
pub struct Checked {
    pub user_id: UserId,
    pub password: Password,
    pub email: Email,
    pub notify_on_update: bool,
}

pub async fn check(
    state: &AppState,
    session: &Session,
    input: CredentialsInput,
    client: String,
) -> Result<Checked, ApiError> {
    session.at_step(Step::RegisterCredentials)?;
    let credential = session.credential.clone().ok_or(ApiError::SessionRevoked)?;
    let mut issues: Vec<FieldIssue> = Vec::new();
    let mut push =
        |field: &'static str, e: RuleError| issues.push(FieldError { field, error: e }.into());
    let temporary = credential
        .login_id
        .as_deref()
        .and_then(|l| TemporaryLoginId::parse(l).ok());
    let user_id =
        match UserId::parse_replacing(input.user_id.as_deref().unwrap_or(""), temporary.as_ref()) {
            Ok(id) => Some(id),
            Err(e) => {
                push("user_id", e);
                None
            }
        };
    let password = match Password::parse_new(
        input.password.as_deref().unwrap_or(""),
        input.password_confirmation.as_deref().unwrap_or(""),
        user_id.as_ref(),
    ) {
        Ok(p) => Some(p),
        Err(errors) => {
            for e in errors {
                let field = if e == RuleError::PasswordConfirmationMismatch {
                    "password_confirmation"
                } else {
                    "password"
                };
                push(field, e);
            }
            None
        }
    };
    let email = Email::parse(input.email.as_deref().unwrap_or(""))
        .map_err(|e| push("email", e))
        .ok();

    let now = state.clock.now();
    let canonical = user_id.as_ref().map(UserId::canonical);
    let account_id = session.view.account.id.clone();
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
        issues.push(FieldIssue::new(
            "user_id",
            "user_id_taken",
            "このユーザIDは既に使われています。別のユーザIDを入力してください。",
            "This user ID is taken. Choose another one.",
        ));
    }
    // The temporary password must not be reused: an argon2 verify, through the pool.
    if let Some(p) = &password
        && state
            .hashes
            .verify(
                p.expose().to_owned(),
                Some(credential.password_hash.clone()),
            )
            .await?
    {
        issues.push(
            FieldError {
                field: "password",
                error: RuleError::PasswordEqualsTemporary,
            }
            .into(),
        );
    }
    let mut issues = gathered(input.shape, issues);
    match (user_id, password, email) {
        (Some(user_id), Some(password), Some(email)) if issues.is_empty() => Ok(Checked {
            user_id,
            password,
            email,
            notify_on_update: input.notify_on_update.unwrap_or(false),
        }),
        _ => {
            issues.sort_by_key(|i| {
                ["user_id", "password", "password_confirmation", "email"]
                    .iter()
                    .position(|f| *f == i.field)
            });
            Err(ApiError::Validation(issues))
        }
    }
}

/// The token and the registered user ID.
pub struct Registered {
    pub issued: Issued,
    pub user_id: String,
}

pub async fn commit(
    state: &AppState,
    session: Session,
    input: CredentialsInput,
    client: String,
) -> Result<Registered, ApiError> {
    let checked = check(state, &session, input, client).await?;
    let account_id = session.view.account.id.clone();
    match store(state, &session, checked).await {
        // Taken by a registration that raced this one: counted like the check's answers.
        Err(ApiError::UserIdTaken) => {
            let now = state.clock.now();
            state
                .db(move |c| throttle::reserve(c, &throttle::USER_ID_TAKEN, &account_id, now))
                .await?;
            Err(ApiError::UserIdTaken)
        }
        other => other,
    }
}

async fn store(
    state: &AppState,
    session: &Session,
    checked: Checked,
) -> Result<Registered, ApiError> {
    let now = state.clock.now();
    let password_hash = state
        .hashes
        .hash(checked.password.expose().to_owned())
        .await?;
    let link = NewLink::generate(state).await?;
    let credential = session.credential.clone().ok_or(ApiError::SessionRevoked)?;
    let view = session.view.clone();
    let domain = state.config.mail_domain.clone();
    let user_id = checked.user_id.as_str().to_owned();
    let registered_id = user_id.clone();
    let session_version = state
        .db(move |c| {
            write_tx(c, |c| {
                let registration = Registration {
                    user_id: checked.user_id.as_str(),
                    user_id_canonical: &checked.user_id.canonical(),
                    password_hash: &password_hash,
                    email: checked.email.as_str(),
                    notify_on_update: checked.notify_on_update,
                };
                match accounts::register(c, &view.account.id, &registration, now) {
                    Ok(true) => {}
                    Ok(false) => return Err(ApiError::AlreadyRegistered),
                    Err(StoreError::Conflict(_)) => return Err(ApiError::UserIdTaken),
                    Err(e) => return Err(e.into()),
                }
                // Retired for good: the postcard never signs in again.
                if !temporary_credentials::retire(c, &credential.id, now)? {
                    return Err(ApiError::AlreadyRegistered);
                }
                temporary_credentials::retire_all(c, &view.account.id, now)?;
                let link = link.store(c, &view.account.id, checked.email.as_str(), now)?;
                let message = mail::templates::registration_confirmation(
                    checked.email.as_str(),
                    &view.tenant.name,
                    checked.user_id.as_str(),
                    &link,
                );
                mail::enqueue(c, &message, &view.tenant, &domain, now)?;
                audit(
                    c,
                    &view,
                    "registered",
                    serde_json::json!({ "notify_on_update": checked.notify_on_update }),
                    now,
                )?;
                Ok(accounts::get(c, &view.account.id)?.session_version)
            })
        })
        .await?;
    let issued = state.tokens.issue(
        &session.view.account.id,
        Step::Menu,
        session_version,
        None,
        now,
        now,
    )?;
    Ok(Registered {
        issued,
        user_id: registered_id,
    })
}
