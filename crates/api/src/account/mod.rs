//! The signed-in member's own account: password change, e-mail address, notification flag,
//! and the verification e-mail again.

mod change_email;
mod change_password;
mod notifications;
mod resend_verification;

pub use change_email::*;
pub use change_password::*;
pub use notifications::*;
pub use resend_verification::*;

use actix_web::{HttpRequest, HttpResponse};
use madoguchi_app::AppError;
use madoguchi_domain::RuleError;
use madoguchi_domain::normalize::normalize;
use madoguchi_persistence::accounts;

use crate::error::ApiError;
use crate::json::Fields;
use crate::me::reread;
use crate::session::Member;
use crate::state::AppState;

/// A text field that must not be empty once normalised.
fn required(fields: &mut Fields, field: &'static str, value: &Option<String>) -> Option<String> {
    let value = value.clone().filter(|v| !normalize(v).is_empty());
    if value.is_none() {
        fields.push(field, RuleError::Required);
    }
    value
}

async fn me_after_change(
    state: &AppState,
    req: &HttpRequest,
    member: &Member,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<HttpResponse, ApiError> {
    let id = member.view.account.id.clone();
    let view = state
        .db(move |c| accounts::view(c, &id)?.ok_or(AppError::SessionRevoked))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(reread(state, req, view, now).await?))
}
