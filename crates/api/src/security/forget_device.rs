//! `DELETE /api/v1/me/devices/{id}`.

use actix_web::{HttpResponse, delete, web};
use madoguchi_app::two_step::manage;

use crate::client::Now;
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::session::Member;
use crate::state::AppState;

/// Forgets a remembered browser: its next password sign-in asks the second factor again.
#[utoipa::path(
    tag = "member",
    security(("bearer" = []), ("cookie" = [])),
    params(("id" = String, Path, description = "The remembered browser's `id` from `/me/security`.")),
    responses(
        (status = 204, description = "Forgotten."),
        (status = 403, description = "`wrong_step`, `cross_site_request`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`device_not_found`", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Token,
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::Maintenance,
    )
)]
#[delete("/me/devices/{id}")]
pub async fn forget_device(
    state: web::Data<AppState>,
    Now(now): Now,
    member: Member,
    id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    if id.len() > 64 {
        return Err(ApiError::DeviceNotFound);
    }
    manage::forget_device(&state, &member.view, id, now).await?;
    Ok(HttpResponse::NoContent().finish())
}
