//! Madoguchi's one change to actix-http: the answers the HTTP/1 dispatcher makes on its own,
//! before any application sees the request (431 for a request head that is too large or has
//! more than 96 headers, 400 for one that cannot be parsed, 500 for an unexpected end), are sent
//! with the body that the application registers here instead of an empty one. See
//! `docs/decisions/0013-framework-answers.md` in the Madoguchi repository.

use std::sync::OnceLock;

use bytes::Bytes;
use http::StatusCode;

use crate::{body::BoxBody, header, Response};

/// Renders the body of a dispatcher answer of the given status: its content type and bytes,
/// or `None` to send it empty.
pub type ErrorBody = fn(StatusCode) -> Option<(&'static str, Bytes)>;

static ERROR_BODY: OnceLock<ErrorBody> = OnceLock::new();

/// Registers the renderer of the dispatcher's own answers for this process. Only the first
/// call takes effect; it returns whether this one did.
pub fn set_error_body(render: ErrorBody) -> bool {
    ERROR_BODY.set(render).is_ok()
}

/// The body of `res`, setting its `Content-Type` when a renderer gives one.
pub(crate) fn body_for(res: &mut Response<()>) -> BoxBody {
    match ERROR_BODY.get().and_then(|render| render(res.status())) {
        Some((content_type, bytes)) => {
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                header::HeaderValue::from_static(content_type),
            );
            BoxBody::new(bytes)
        }
        None => BoxBody::new(()),
    }
}
