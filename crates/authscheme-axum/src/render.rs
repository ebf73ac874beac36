//! Turning a [`Denial`] into a response, the one way every adapter does:
//! its status, every challenge on its own field line (appended, never
//! replaced), and its short text as `text/plain; charset=utf-8`.

use authscheme::{Denial, SchemeName};
use http::header::CONTENT_TYPE;
use http::{HeaderValue, Response};

use crate::denial_body::DenialBody;

/// The content type of every denial.
pub(crate) const TEXT_PLAIN: HeaderValue = HeaderValue::from_static(Denial::CONTENT_TYPE);

/// The denial as a response, its text as the body.
pub(crate) fn denial_response<B: DenialBody>(denial: &Denial) -> Response<B> {
    let mut response = Response::new(B::from_text(denial.body()));
    *response.status_mut() = denial.status();
    let headers = response.headers_mut();
    for (name, value) in denial.headers() {
        headers.append(name, value);
    }
    headers.insert(CONTENT_TYPE, TEXT_PLAIN);
    response
}

/// One event per denial: status, scheme and the reason (which the core
/// guarantees holds no secret).
pub(crate) fn log_denial(denial: &Denial, passed_on: bool) {
    tracing::debug!(
        target: "authscheme_axum",
        status = denial.status().as_u16(),
        scheme = denial.scheme().map_or("-", SchemeName::as_str),
        reason = denial.reason(),
        passed_on,
        "authentication denied"
    );
}

/// `500` for a configuration the adapter cannot serve (an extractor
/// without its layer, an outcome this version does not know). Fails closed.
pub(crate) fn internal_error<B: DenialBody>() -> Response<B> {
    let mut response = Response::new(B::from_text(
        "Internal Server Error: authentication not configured\n",
    ));
    *response.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
    response.headers_mut().insert(CONTENT_TYPE, TEXT_PLAIN);
    response
}
