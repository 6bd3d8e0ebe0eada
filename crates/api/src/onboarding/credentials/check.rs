//! `POST /api/v1/onboarding/credentials/check`.

use actix_web::{HttpResponse, post, web};
use madoguchi_app::register::{self};

use super::{CredentialsRequest, CredentialsView};
use crate::client::{ClientAddress, Now};
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::json::{ApiJson, Fields};
use crate::session::Session;
use crate::state::AppState;

/// Checks the chosen credentials without storing anything (入力内容確認). It compares the
/// password with the temporary one (an argon2 verify), so call it on the button, not per key.
#[utoipa::path(
    tag = "onboarding",
    security(("bearer" = []), ("cookie" = [])),
    request_body = CredentialsRequest,
    responses(
        (status = 200, description = "Every rule holds.", body = CredentialsView),
        (status = 403, description = "`credentials_expired`; `cross_site_request`: a cookie-only request from another origin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`wrong_step` (with `next_step`) or `already_registered`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: every bad field at once, `user_id_taken` included", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_attempts`", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Token,
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::JsonBody,
        crate::error::problem::answers::Maintenance,
    )
)]
#[post("/onboarding/credentials/check")]
pub async fn check(
    state: web::Data<AppState>,
    ClientAddress(client): ClientAddress,
    Now(now): Now,
    session: Session,
    body: ApiJson<CredentialsRequest>,
) -> Result<HttpResponse, ApiError> {
    let begun = register::begin(session.signed_in, now)?;
    let mut fields = Fields::default();
    let draft = body
        .0
        .draft(begun.temporary_login_id().as_ref(), &mut fields);
    // The rules only storage and the hashes decide (user ID free, not the temporary password)
    // join the body's, for one list.
    let (user_id, password) = (draft.user_id.as_ref(), draft.password.as_ref());
    fields.extend(register::check(&state, &begun, user_id, password, client, now).await?);
    let choice = body.finish(fields, draft.choice())?;
    Ok(HttpResponse::Ok().json(CredentialsView {
        user_id: choice.user_id.as_str().to_owned(),
        email: choice.email.as_str().to_owned(),
        notify_on_update: choice.notify_on_update,
    }))
}
