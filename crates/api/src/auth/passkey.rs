//! `POST /api/v1/auth/passkey/options` and `POST /api/v1/auth/passkey`: パスキーでログイン.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, post, web};
use madoguchi_app::two_step::Client;
use madoguchi_app::two_step::passkeys::{self, SignInInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::client::{ClientAddress, Now};
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::json::{ApiJson, shape_issues};
use crate::state::AppState;
use crate::tokens::{DEVICE_COOKIE, TokenResponse};

/// A passkey ceremony begun: send `challenge_id` back with the browser's answer within five
/// minutes. `public_key` is what `navigator.credentials` takes (binary fields as base64url,
/// as `PublicKeyCredential.parseRequestOptionsFromJSON()` and
/// `parseCreationOptionsFromJSON()` read them).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"challenge_id": "01931d6e-7b7c-7a51-9a4e-3f7c1c0f2a11",
    "public_key": {"challenge": "mC3S…", "timeout": 300000, "rpId": "portal.example.jp",
    "allowCredentials": [], "userVerification": "required"}}))]
pub struct PasskeyOptions {
    pub challenge_id: String,
    /// `PublicKeyCredentialRequestOptions` (sign-in) or `…CreationOptions` (adding one), JSON.
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>)]
    pub public_key: serde_json::Value,
}

impl From<passkeys::Ceremony> for PasskeyOptions {
    fn from(c: passkeys::Ceremony) -> Self {
        Self {
            challenge_id: c.challenge_id,
            public_key: c.public_key,
        }
    }
}

/// Starts a passkey sign-in. Nothing names an account: the browser offers the member's
/// passkeys for this site, and the one chosen says whose it is.
#[utoipa::path(
    tag = "auth",
    responses(
        (status = 200, description = "The request options and the ceremony's ID.", body = PasskeyOptions),
        (status = 403, description = "`cross_site_request`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`passkeys_unavailable`: this portal's public URL names no domain.", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_attempts` from this address, with `Retry-After`.", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Maintenance,
    )
)]
#[post("/auth/passkey/options")]
pub async fn passkey_options(
    state: web::Data<AppState>,
    ClientAddress(client): ClientAddress,
    Now(now): Now,
) -> Result<HttpResponse, ApiError> {
    let ceremony = passkeys::begin_sign_in(&state, client, now).await?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(PasskeyOptions::from(ceremony)))
}

/// The browser's answer to a passkey ceremony.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"challenge_id": "01931d6e-7b7c-7a51-9a4e-3f7c1c0f2a11",
    "credential": {"id": "…", "rawId": "…", "type": "public-key",
    "response": {"clientDataJSON": "…", "authenticatorData": "…", "signature": "…", "userHandle": "…"}}}))]
pub struct PasskeySignInRequest {
    #[validate(required, length(max = 64))]
    #[schema(value_type = String, required = true, max_length = 64)]
    pub challenge_id: Option<String>,
    /// The browser's `PublicKeyCredential` as JSON (`credential.toJSON()`).
    #[validate(required)]
    #[schema(value_type = std::collections::HashMap<String, serde_json::Value>, required = true)]
    pub credential: Option<serde_json::Value>,
}

/// Signs in with a passkey: no user ID, no password and no second factor (the passkey is
/// both). The answer is a member token (`next_step: menu`), as after a password.
#[utoipa::path(
    tag = "auth",
    request_body = PasskeySignInRequest,
    responses(
        (status = 200, description = "Signed in; the same token is set as the `madoguchi_session` cookie.", body = TokenResponse),
        (status = 401, description = "`invalid_credentials`: the ceremony is unknown, used or expired, or the passkey is not registered here or did not verify (one answer for all).", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "`account_suspended`, `cross_site_request`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`passkeys_unavailable`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_attempts` from this address, with `Retry-After`.", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::JsonBody,
        crate::error::problem::answers::Maintenance,
    )
)]
#[post("/auth/passkey")]
pub async fn passkey_sign_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    ClientAddress(client): ClientAddress,
    Now(now): Now,
    body: ApiJson<PasskeySignInRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    body.validate()
        .map_err(|e| ApiError::Validation(shape_issues(&e)))?;
    let input = SignInInput {
        challenge_id: body.challenge_id.unwrap_or_default(),
        credential: body.credential.unwrap_or_default(),
        device: req.cookie(DEVICE_COOKIE).map(|c| c.value().to_owned()),
    };
    let from = Client {
        address: client,
        browser: super::browser(&req),
    };
    let opened = passkeys::sign_in(&state, input, from, now).await?;
    super::opened(&state, StatusCode::OK, &opened, None, now)
}
