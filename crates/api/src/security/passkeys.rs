//! `POST /api/v1/me/passkeys/options`, `POST /api/v1/me/passkeys` and
//! `DELETE /api/v1/me/passkeys/{id}`: the member's passkeys.

use actix_web::{HttpRequest, HttpResponse, delete, post, web};
use madoguchi_app::two_step::passkeys::{self, NewPasskeyInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::CurrentPasswordRequest;
use crate::auth::passkey::PasskeyOptions;
use crate::client::{ClientAddress, Now};
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::json::{ApiJson, shape_issues};
use crate::session::Member;
use crate::state::AppState;

/// Starts adding a passkey: the current password first, then the creation options for
/// `navigator.credentials.create()` (a discoverable credential, user verification required).
#[utoipa::path(
    tag = "member",
    security(("bearer" = []), ("cookie" = [])),
    request_body = CurrentPasswordRequest,
    responses(
        (status = 200, description = "The creation options and the ceremony's ID (valid five minutes).", body = PasskeyOptions),
        (status = 401, description = "`invalid_credentials` (wrong current password; counts toward the lockout), `unauthenticated`, `token_expired` or `session_revoked`", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`two_step_off`, `wrong_step`, `cross_site_request`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`passkeys_unavailable`: this portal's public URL names no domain.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_attempts`", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::JsonBody,
        crate::error::problem::answers::Maintenance,
    )
)]
#[post("/me/passkeys/options")]
pub async fn passkey_registration_options(
    state: web::Data<AppState>,
    ClientAddress(client): ClientAddress,
    Now(now): Now,
    member: Member,
    body: ApiJson<CurrentPasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    let password = body.0.password()?;
    let ceremony =
        passkeys::begin_registration(&state, &member.view, password, client, now).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(PasskeyOptions::from(ceremony)))
}

/// The new passkey: the ceremony's ID, a name, and the browser's answer.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"challenge_id": "01931d6e-7b7c-7a51-9a4e-3f7c1c0f2a11", "name": "iPhone",
    "credential": {"id": "…", "rawId": "…", "type": "public-key",
    "response": {"clientDataJSON": "…", "attestationObject": "…"}}}))]
pub struct NewPasskeyRequest {
    #[validate(required, length(max = 64))]
    #[schema(value_type = String, required = true, max_length = 64)]
    pub challenge_id: Option<String>,
    /// What to call it in セキュリティ設定 (at most 40 characters); the browser's name when
    /// empty or left out.
    #[validate(length(max = 256))]
    #[schema(value_type = String, max_length = 256)]
    pub name: Option<String>,
    /// The browser's `PublicKeyCredential` as JSON (`credential.toJSON()`).
    #[validate(required)]
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>, required = true)]
    pub credential: Option<serde_json::Value>,
}

/// A passkey added.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"id": "01931d6f-0c1e-7f43-8f0e-5b1c2d3e4f50", "name": "iPhone"}))]
pub struct PasskeyAdded {
    pub id: String,
    pub name: String,
}

/// Adds the passkey the browser made for the ceremony begun with
/// `POST /me/passkeys/options`. The member is mailed a notice.
#[utoipa::path(
    tag = "member",
    security(("bearer" = []), ("cookie" = [])),
    request_body = NewPasskeyRequest,
    responses(
        (status = 201, description = "Added.", body = PasskeyAdded),
        (status = 400, description = "`passkey_rejected`: the ceremony is unknown, used or expired, or the browser's answer did not verify. Start again.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`wrong_step`, `cross_site_request`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`passkeys_unavailable`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed` (`name`: `passkey_name`)", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Token,
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::JsonBody,
        crate::error::problem::answers::Maintenance,
    )
)]
#[post("/me/passkeys")]
pub async fn add_passkey(
    req: HttpRequest,
    state: web::Data<AppState>,
    Now(now): Now,
    member: Member,
    body: ApiJson<NewPasskeyRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    body.validate()
        .map_err(|e| ApiError::Validation(shape_issues(&e)))?;
    let input = NewPasskeyInput {
        challenge_id: body.challenge_id.unwrap_or_default(),
        name: body.name.unwrap_or_default(),
        credential: body.credential.unwrap_or_default(),
        browser: crate::auth::browser(&req),
    };
    let added = passkeys::finish_registration(&state, &member.view, input, now).await?;
    Ok(HttpResponse::Created()
        .insert_header(("Cache-Control", "no-store"))
        .json(PasskeyAdded {
            id: added.id,
            name: added.name,
        }))
}

/// Removes one of the member's passkeys. The member is mailed a notice.
#[utoipa::path(
    tag = "member",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = String, Path, description = "The passkey's `id` from `/me/security`.")),
    responses(
        (status = 204, description = "Removed."),
        (status = 403, description = "`wrong_step`, `cross_site_request`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`passkey_not_found`", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Token,
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::Maintenance,
    )
)]
#[delete("/me/passkeys/{id}")]
pub async fn remove_passkey(
    state: web::Data<AppState>,
    Now(now): Now,
    member: Member,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    if id.len() > 64 {
        return Err(ApiError::PasskeyNotFound);
    }
    passkeys::remove(&state, &member.view, id, now).await?;
    Ok(HttpResponse::NoContent().finish())
}
