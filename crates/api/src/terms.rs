//! Terms of use (注意事項・免責事項・セキュリティポリシー等): `GET /api/v1/terms` for footers and
//! `GET /api/v1/onboarding/terms` for the identity check.

use actix_web::{HttpResponse, get, web};
use madoguchi_domain::insurer_number::InsurerNumber;
use madoguchi_persistence::{tenants, terms};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::client::Now;
use crate::error::problem::Problem;
use crate::error::{ApiError, FieldIssue};
use crate::session::Session;
use crate::state::AppState;

/// A version of the terms. `version` is opaque (send it back when agreeing); `body` is plain
/// text, never HTML.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"version": "20261125.1", "title": "利用規約", "body": "第1条（目的）…"}))]
pub struct TermsView {
    pub version: String,
    pub title: String,
    pub body: String,
}

impl TermsView {
    /// The terms as the members of `tenant_name` read them (the default terms name the kenpo).
    fn of(t: terms::Terms, tenant_name: Option<&str>) -> Self {
        Self {
            version: t.version,
            title: t.title,
            body: madoguchi_domain::terms::render(&t.body, tenant_name),
        }
    }
}

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
