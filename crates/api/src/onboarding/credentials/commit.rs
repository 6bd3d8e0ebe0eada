//! `POST /api/v1/onboarding/credentials`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use madoguchi_app::register::{self};

use super::{CredentialsRequest, parsed};
use crate::client::{ClientAddress, Now};
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::json::ApiJson;
use crate::session::Session;
use crate::state::AppState;
use crate::tokens::TokenResponse;

/// Registers the credentials (実行): the temporary ID and password stop working for good, and
/// a confirmation e-mail with a verification link is sent.
#[utoipa::path(
    tag = "onboarding",
    security(("bearer" = []), ("cookie" = [])),
    request_body = CredentialsRequest,
    responses(
        (status = 201, description = "Registered: `next_step` is `menu`, with `user_id`.", body = TokenResponse),
        (status = 403, description = "`credentials_expired`; `cross_site_request`: a cookie-only request from another origin", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`user_id_taken` (another member took it first), `already_registered` or `wrong_step`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_attempts`", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Token,
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::JsonBody,
        crate::error::problem::answers::Maintenance,
    )
)]
#[post("/onboarding/credentials")]
pub async fn commit(
    state: web::Data<AppState>,
    ClientAddress(client): ClientAddress,
    Now(now): Now,
    session: Session,
    body: ApiJson<CredentialsRequest>,
) -> Result<HttpResponse, ApiError> {
    let begun = register::begin(session.signed_in, now)?;
    let choice = parsed(&body, &begun)?;
    let user_id = choice.user_id.as_str().to_owned();
    let opened = register::commit(&state, begun, choice, client, now).await?;
    crate::auth::opened(&state, StatusCode::CREATED, &opened, Some(user_id), now)
}
