//! [`DenialBody`]: the response body types the layer can write a refusal
//! in, so that it answers in the service's own type and wraps nothing.

use std::convert::Infallible;

use bytes::{Buf, Bytes};
use http_body_util::combinators::{BoxBody, UnsyncBoxBody};
use http_body_util::{BodyExt, Full};

/// A response body type that can carry a refusal's short text (the body of
/// a 401, 403, 407 or 400, or of the 500 for a missing layer).
///
/// Implemented for axum's `Body`, `String`, `Full`, and http-body-util's
/// `BoxBody` and `UnsyncBoxBody`, so the layer fits an axum `Router`, a
/// plain tower stack, or a hyper service that boxes its responses. Another
/// body type implements it in one line.
///
/// # Examples
///
/// ```
/// use authscheme_axum::DenialBody;
/// use bytes::Bytes;
/// use http_body_util::combinators::BoxBody;
///
/// fn takes<B: DenialBody>() {}
/// takes::<axum::body::Body>();
/// takes::<BoxBody<Bytes, hyper::Error>>();
/// assert_eq!(String::from_text("Unauthorized\n"), "Unauthorized\n");
/// ```
pub trait DenialBody {
    /// A body holding `text`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_axum::DenialBody;
    /// use bytes::Bytes;
    /// use http_body_util::{BodyExt, Full};
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    ///
    /// let body = Full::<Bytes>::from_text("Unauthorized\n");
    /// assert_eq!(body.collect().await.unwrap().to_bytes(), "Unauthorized\n");
    /// assert_eq!(String::from_text("Forbidden: insufficient scope\n"), "Forbidden: insufficient scope\n");
    /// # });
    /// ```
    fn from_text(text: &'static str) -> Self;
}

impl DenialBody for axum_core::body::Body {
    fn from_text(text: &'static str) -> Self {
        Self::from(text)
    }
}

impl DenialBody for String {
    fn from_text(text: &'static str) -> Self {
        text.to_owned()
    }
}

impl<D: Buf + From<&'static str>> DenialBody for Full<D> {
    fn from_text(text: &'static str) -> Self {
        Self::new(D::from(text))
    }
}

impl<E: 'static> DenialBody for BoxBody<Bytes, E> {
    fn from_text(text: &'static str) -> Self {
        text_body(text).map_err(never).boxed()
    }
}

impl<E: 'static> DenialBody for UnsyncBoxBody<Bytes, E> {
    fn from_text(text: &'static str) -> Self {
        text_body(text).map_err(never).boxed_unsync()
    }
}

fn text_body(text: &'static str) -> Full<Bytes> {
    Full::new(Bytes::from_static(text.as_bytes()))
}

/// A `Full` body cannot fail; its error type becomes the box's.
fn never<E>(never: Infallible) -> E {
    match never {}
}
