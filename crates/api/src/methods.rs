//! A documented path called with a method it does not serve answers 405 `method_not_allowed`
//! with `Allow` (RFC 9110 §15.5.6), as problem+json like every other answer, instead of the 404
//! of an unknown path, and also during maintenance: such a request never had a route to close.
//! The methods come from the OpenAPI document, so they are the served ones.

use std::collections::HashMap;
use std::sync::OnceLock;

use actix_web::Error;
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use crate::error::ApiError;

/// Every documented path with its methods, `Allow`-style ("GET, POST"): the paths without a
/// parameter by exact match (most requests' paths, one hash lookup), the templates after.
struct Documented {
    exact: HashMap<String, String>,
    templates: Vec<(String, String)>,
}

fn documented() -> &'static Documented {
    static PATHS: OnceLock<Documented> = OnceLock::new();
    PATHS.get_or_init(|| {
        let (templates, exact): (Vec<_>, Vec<_>) = crate::openapi()
            .paths
            .paths
            .into_iter()
            .map(|(path, item)| {
                let methods: Vec<&str> = [
                    ("GET", item.get.is_some()),
                    ("PUT", item.put.is_some()),
                    ("POST", item.post.is_some()),
                    ("DELETE", item.delete.is_some()),
                    ("OPTIONS", item.options.is_some()),
                    ("HEAD", item.head.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("TRACE", item.trace.is_some()),
                ]
                .into_iter()
                .filter_map(|(name, served)| served.then_some(name))
                .collect();
                (path, methods.join(", "))
            })
            .partition(|(path, _)| path.contains('{'));
        Documented {
            exact: exact.into_iter().collect(),
            templates,
        }
    })
}

/// Whether `path` is an instance of `template` (`{name}` matches one non-empty segment).
fn matches(template: &str, path: &str) -> bool {
    let mut t = template.split('/');
    let mut p = path.split('/');
    loop {
        match (t.next(), p.next()) {
            (None, None) => return true,
            (Some(ts), Some(ps)) if ts == ps || (ts.starts_with('{') && !ps.is_empty()) => {}
            _ => return false,
        }
    }
}

/// The methods a documented path serves, when `path` is one.
fn allowed(path: &str) -> Option<&'static str> {
    let documented = documented();
    if let Some(methods) = documented.exact.get(path) {
        return Some(methods.as_str());
    }
    documented
        .templates
        .iter()
        .find(|(template, _)| matches(template, path))
        .map(|(_, methods)| methods.as_str())
}

/// Answers 405 for a documented path with another method.
pub async fn guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if let Some(allow) = allowed(req.path())
        && !allow.split(", ").any(|m| m == req.method().as_str())
    {
        return Ok(req.error_response(ApiError::MethodNotAllowed { allow }));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_one_segment_per_parameter() {
        assert!(matches("/api/v1/me", "/api/v1/me"));
        assert!(matches("/api/v1/items/{id}", "/api/v1/items/42"));
        assert!(!matches("/api/v1/items/{id}", "/api/v1/items/"));
        assert!(!matches("/api/v1/items/{id}", "/api/v1/items/42/x"));
        assert!(!matches("/api/v1/me", "/api/v1/me/"));
    }

    #[test]
    fn documented_paths_list_their_methods() {
        assert_eq!(allowed("/api/v1/me"), Some("GET"));
        assert_eq!(allowed("/api/v1/auth/login"), Some("POST"));
        assert_eq!(allowed("/api/v1/nothing"), None);
    }
}
