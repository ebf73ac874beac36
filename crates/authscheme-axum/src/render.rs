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

/// Why an [`Auth`](crate::Auth) extractor found nothing: no layer ran, or
/// the layer's identity type is not the one asked for.
macro_rules! no_identity {
    () => {
        "no authenticated identity of this type: is the layer installed, with the same identity type?"
    };
}

/// The log text for an extractor that found no identity of its type.
pub(crate) const NO_IDENTITY: &str = no_identity!();

/// `500` for an extractor that found no identity of its type. Fails closed.
pub(crate) fn no_identity_error<B: DenialBody>() -> Response<B> {
    server_error(concat!("Internal Server Error: ", no_identity!(), "\n"))
}

/// `500` for an outcome this version does not know. Fails closed.
pub(crate) fn internal_error<B: DenialBody>() -> Response<B> {
    server_error("Internal Server Error\n")
}

fn server_error<B: DenialBody>(text: &'static str) -> Response<B> {
    let mut response = Response::new(B::from_text(text));
    *response.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
    response.headers_mut().insert(CONTENT_TYPE, TEXT_PLAIN);
    response
}
