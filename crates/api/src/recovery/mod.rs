//! `POST /api/v1/recovery/user-id`, `POST /api/v1/recovery/password` and
//! `POST /api/v1/email/verify`: the routes a member uses without signing in.

mod forgot_password;
mod forgot_user_id;
mod verify_email;

pub use forgot_password::*;
pub use forgot_user_id::*;
pub use verify_email::*;

use actix_web::HttpResponse;
use madoguchi_app::recovery;
use madoguchi_persistence::recovery::Request;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::state::AppState;

/// The one answer of both recovery routes, whether or not an account matched.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"status": "accepted"}))]
pub struct Accepted {
    /// Always `accepted`.
    pub status: &'static str,
}

/// Records a well-formed request (throttled, audited) and gives the one answer of both routes.
async fn record(
    state: &AppState,
    client: String,
    request: Request,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<HttpResponse, ApiError> {
    state
        .db(move |c| recovery::record(c, &request, &client, now))
        .await?;
    Ok(HttpResponse::Accepted()
        .insert_header(("Cache-Control", "no-store"))
        .json(Accepted { status: "accepted" }))
}
