//! `GET /api/v1/onboarding/terms`.

use actix_web::{HttpResponse, get, web};
use madoguchi_persistence::terms;

use super::TermsView;
use crate::client::Now;
use crate::error::ApiError;
use crate::error::problem::Problem;
use crate::session::Session;
use crate::state::AppState;

/// The terms of the member's tenant, to read and agree to at the identity check.
#[utoipa::path(
    tag = "onboarding",
    security(("bearer" = []), ("cookie" = [])),
    responses(
        (status = 200, body = TermsView),
        (status = 403, description = "`credentials_expired`", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`wrong_step` (with `next_step`) or `already_registered`", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Token,
        crate::error::problem::answers::Locked,
        crate::error::problem::answers::Maintenance,
    )
)]
#[get("/onboarding/terms")]
pub async fn onboarding_terms(
    state: web::Data<AppState>,
    Now(now): Now,
    session: Session,
) -> Result<HttpResponse, ApiError> {
    // Read at the identity check, where they are agreed: the same gate.
    madoguchi_app::identity::begin(session.signed_in.clone(), now)?;
    let tenant_id = session.view.tenant.id.clone();
    let found = state
        .db(move |c| Ok(terms::current(c, Some(&tenant_id))?))
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().json(TermsView::of(found, Some(&session.view.tenant.name))))
}
