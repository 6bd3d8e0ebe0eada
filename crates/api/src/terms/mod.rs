//! Terms of use (注意事項・免責事項・セキュリティポリシー等): `GET /api/v1/terms` for footers and
//! `GET /api/v1/onboarding/terms` for the identity check.

mod onboarding_terms;
mod public_terms;

pub use onboarding_terms::*;
pub use public_terms::*;

use madoguchi_persistence::terms;
use serde::Serialize;
use utoipa::ToSchema;

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
