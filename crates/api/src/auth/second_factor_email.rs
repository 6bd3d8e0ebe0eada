//! `POST /api/v1/auth/second-factor/email-code`.

use actix_web::{HttpResponse, post, web};
use madoguchi_app::two_step::sign_in;

use crate::client::Now;
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::session::SecondFactorStep;
use crate::state::AppState;

/// Mails a six-digit code (valid 10 minutes, once) to the member's verified address, when the
/// step offers `email_code`. At most five an hour; only the newest code works.
#[utoipa::path(
    tag = "auth",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 202, description = "The code is on its way."),
        (status = 403, description = "`cross_site_request`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`wrong_step` (with `next_step`): not a second-factor token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: `method` (`method_not_offered`): this sign-in offers no e-mailed code", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "`too_many_attempts`: five codes within the hour, with `Retry-After`", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Token,
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::Maintenance,
    )
)]
#[post("/auth/second-factor/email-code")]
pub async fn second_factor_email(
    state: web::Data<AppState>,
    Now(now): Now,
    SecondFactorStep(session): SecondFactorStep,
) -> Result<HttpResponse, ApiError> {
    sign_in::send_email_code(&state, session.signed_in, now).await?;
    Ok(HttpResponse::Accepted().finish())
}
