//! Who a use case acts for, and what a successful step opens.

use chrono::{DateTime, Utc};
use madoguchi_domain::onboarding::{Flow, Step};
use madoguchi_persistence::accounts::AccountView;
use madoguchi_persistence::temporary_credentials::TemporaryCredential;

use crate::error::AppError;

/// A member whose token the caller checked (`domain::session::admit`).
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub view: AccountView,
    /// The step the token opens.
    pub step: Step,
    /// The account's session version the token carries.
    pub session_version: i64,
    /// The temporary credential an onboarding or password-change token stands on.
    pub credential: Option<TemporaryCredential>,
    /// When the member signed in (a session never outlives 8 hours from it).
    pub login_time: DateTime<Utc>,
}

impl SignedIn {
    /// The account's place in the life cycle, with the token's step.
    pub fn flow(&self) -> Flow {
        let account = &self.view.account;
        Flow::new(
            account.state,
            account.user_id.is_some(),
            self.credential.as_ref().map(|c| c.expires_at),
        )
        .with_step(Some(self.step))
    }

    /// The temporary credential an onboarding step stands on.
    pub fn credential(&self) -> Result<&TemporaryCredential, AppError> {
        self.credential.as_ref().ok_or(AppError::SessionRevoked)
    }
}

/// What a successful step opens: the caller issues a token for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub account_id: String,
    pub step: Step,
    pub session_version: i64,
    /// The temporary credential the next step stands on (onboarding and password change).
    pub credential_id: Option<String>,
    pub login_time: DateTime<Utc>,
    pub tenant_name: String,
}
