//! `POST /api/v1/onboarding/credentials/check` and `POST /api/v1/onboarding/credentials`.

mod check;
mod commit;

pub use check::*;
pub use commit::*;

use madoguchi_app::register::{Begun, Choice};
use madoguchi_domain::email::Email;
use madoguchi_domain::password::Password;
use madoguchi_domain::temporary::TemporaryLoginId;
use madoguchi_domain::user_id::UserId;
use madoguchi_domain::{FieldError, RuleError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::error::ApiError;
use crate::json::{ApiJson, Fields, Parse};

/// 個人情報入力: the member's own user ID (8–13 letters and digits; digits only: 8–12), password
/// (8–20 printable ASCII with a letter and a digit), e-mail and the notification flag.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"user_id": "takahashi01", "password": "Sakura2026x", "password_confirmation": "Sakura2026x",
    "email": "ichiro@example.jp", "notify_on_update": true}))]
pub struct CredentialsRequest {
    #[validate(required, length(max = 256))]
    #[schema(value_type = String, required = true, max_length = 256)]
    pub user_id: Option<String>,
    #[validate(required, length(max = 256))]
    #[schema(value_type = String, required = true, max_length = 256)]
    pub password: Option<String>,
    #[validate(required, length(max = 256))]
    #[schema(value_type = String, required = true, max_length = 256)]
    pub password_confirmation: Option<String>,
    #[validate(required, length(max = 512))]
    #[schema(value_type = String, required = true, max_length = 512)]
    pub email: Option<String>,
    /// 通知情報更新時のメール通知.
    pub notify_on_update: Option<bool>,
}

/// What of the choice parsed, each field by its rule.
struct Draft {
    user_id: Option<UserId>,
    password: Option<Password>,
    email: Option<Email>,
    notify_on_update: bool,
}

impl Draft {
    fn choice(self) -> Option<Choice> {
        let (user_id, password, email) = (self.user_id?, self.password?, self.email?);
        Some(Choice {
            user_id,
            password,
            email,
            notify_on_update: self.notify_on_update,
        })
    }
}

impl CredentialsRequest {
    fn draft(&self, temporary: Option<&TemporaryLoginId>, fields: &mut Fields) -> Draft {
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let user_id = fields.take(
            "user_id",
            UserId::parse_replacing(&text(&self.user_id), temporary),
        );
        let password = match Password::parse_new(
            &text(&self.password),
            &text(&self.password_confirmation),
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
                    fields.push(field, e);
                }
                None
            }
        };
        let email = fields.take("email", Email::parse(&text(&self.email)));
        Draft {
            user_id,
            password,
            email,
            notify_on_update: self.notify_on_update.unwrap_or(false),
        }
    }
}

impl Parse for CredentialsRequest {
    type Output = Choice;
    /// The postcard's ID, which the user ID must not repeat.
    type Context = Option<TemporaryLoginId>;
    const FIELDS: &'static [&'static str] =
        &["user_id", "password", "password_confirmation", "email"];

    fn parse(&self, temporary: &Option<TemporaryLoginId>) -> Result<Choice, Vec<FieldError>> {
        let mut fields = Fields::default();
        let draft = self.draft(temporary.as_ref(), &mut fields);
        fields.done(draft.choice())
    }
}

/// The values as they will be stored (normalised), for the confirmation screen.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"user_id": "takahashi01", "email": "ichiro@example.jp", "notify_on_update": true}))]
pub struct CredentialsView {
    pub user_id: String,
    pub email: String,
    pub notify_on_update: bool,
}

fn parsed(body: &ApiJson<CredentialsRequest>, begun: &Begun) -> Result<Choice, ApiError> {
    body.parse(&begun.temporary_login_id())
}
