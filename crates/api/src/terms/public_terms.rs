//! `GET /api/v1/terms`.

use actix_web::{HttpResponse, get, web};
use madoguchi_domain::insurer_number::InsurerNumber;
use madoguchi_persistence::{tenants, terms};
use serde::Deserialize;
use utoipa::IntoParams;

use super::TermsView;
use crate::error::problem::Problem;
use crate::error::{ApiError, FieldIssue};
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
pub struct TermsQuery {
    /// A tenant's insurer number (保険者番号) for its own terms.
    pub insurer_number: Option<String>,
}

/// The deployment's default terms, or a tenant's with `?insurer_number=`.
#[utoipa::path(
    tag = "terms",
    params(TermsQuery),
    responses(
        (status = 200, body = TermsView),
        (status = 404, description = "`not_found`: no such tenant or no terms published", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`validation_failed`: not an insurer number", body = Problem, content_type = "application/problem+json"),
        crate::error::problem::answers::Maintenance,
    )
)]
#[get("/terms")]
pub async fn public_terms(
    state: web::Data<AppState>,
    query: web::Query<TermsQuery>,
) -> Result<HttpResponse, ApiError> {
    let number = match query
        .into_inner()
        .insurer_number
        .filter(|n| !n.trim().is_empty())
    {
        Some(raw) => Some(InsurerNumber::parse(&raw).map_err(|e| {
            ApiError::field(FieldIssue::from(madoguchi_domain::FieldError {
                field: "insurer_number",
                error: e,
            }))
        })?),
        None => None,
    };
    let found = state
        .db(move |c| {
            let tenant = match number {
                Some(n) => match tenants::find_by_insurer_number(c, n.as_str())? {
                    Some(tenant) => Some(tenant),
                    // An unknown insurer number: no terms to show (404 below).
                    None => return Ok(None),
                },
                None => None,
            };
            let found = terms::current(c, tenant.as_ref().map(|t| t.id.as_str()))?;
            Ok(found.map(|t| TermsView::of(t, tenant.as_ref().map(|t| t.name.as_str()))))
        })
        .await?;
    Ok(HttpResponse::Ok().json(found.ok_or(ApiError::NotFound)?))
}
