//! Handing a request body on after the layer read some of it for Digest
//! `auth-int`: [`RequestBody`] replays what was read, then the rest, and
//! [`ReplayBody`] turns it back into the service's own body type.
//!
//! A body the layer did not read goes on untouched, and the service's
//! response body is the service's own: no wrapper of ours on either side.
//! axum boxes any body that is not its own `Body`, so a wrapper would cost
//! every request one allocation each way.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http::HeaderMap;
use http_body::{Body, Frame, SizeHint};
use http_body_util::combinators::{BoxBody, UnsyncBoxBody};
use pin_project_lite::pin_project;

pin_project! {
    /// A request body that was read in part or whole for the schemes: the
    /// bytes read, then (when the limit was reached, or reading failed) the
    /// error and whatever was not read yet. Every byte the client sent
    /// arrives, in order. The service receives it inside its own body type
    /// ([`ReplayBody`]).
    ///
    /// # Examples
    ///
    /// The handler of an optional route still reads the body the layer read
    /// for the schemes:
    ///
    /// ```
    /// use authscheme::Authenticator;
    /// use authscheme_axum::RequireAuthLayer;
    /// use axum::{Router, body::{Body, to_bytes}, routing::post};
    /// use tower::ServiceExt;
    /// # use authscheme::*;
    /// # struct Fixed;
    /// # #[async_trait]
    /// # impl AuthScheme<String> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { SchemeName::BEARER }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
    /// #         match c.token68() {
    /// #             Some(t) if ct_eq(t.as_bytes(), b"t0ken") => Verdict::Authenticated(Authenticated::new("alice".into(), self.name())),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    ///
    /// let app: Router = Router::new()
    ///     .route("/echo", post(|body: String| async move { body }))
    ///     .route_layer(RequireAuthLayer::new(Authenticator::new().with(Fixed)).optional().body_limit(1024));
    /// let request = http::Request::post("/echo").body(Body::from("every byte")).unwrap();
    /// let response = app.oneshot(request).await.unwrap();
    /// assert_eq!(to_bytes(response.into_body(), 1024).await.unwrap(), "every byte");
    /// # });
    /// ```
    pub struct RequestBody<B>
    where
        B: Body,
    {
        #[pin]
        kind: RequestKind<B>,
    }
}

pin_project! {
    #[project = RequestKindProj]
    enum RequestKind<B>
    where
        B: Body,
    {
        // Read to the end within the limit.
        Buffered {
            data: Option<Bytes>,
            trailers: Option<HeaderMap>,
        },
        // Larger than the limit (or failed) while buffering: the prefix read
        // so far, then the error if reading failed, then the rest.
        Chained {
            prefix: Option<Bytes>,
            error: Option<B::Error>,
            rest: Pin<Box<B>>,
        },
    }
}

impl<B: Body> RequestBody<B> {
    /// A body that was read completely.
    pub(crate) fn buffered(data: Bytes, trailers: Option<HeaderMap>) -> Self {
        Self {
            kind: RequestKind::Buffered {
                data: (!data.is_empty()).then_some(data),
                trailers,
            },
        }
    }

    /// A body read partly: `prefix`, then `error` if reading failed, then
    /// the unread `rest`.
    pub(crate) fn chained(prefix: Bytes, error: Option<B::Error>, rest: Pin<Box<B>>) -> Self {
        Self {
            kind: RequestKind::Chained {
                prefix: (!prefix.is_empty()).then_some(prefix),
                error,
                rest,
            },
        }
    }
}

impl<B> Body for RequestBody<B>
where
    B: Body<Data = Bytes>,
{
    type Data = Bytes;
    type Error = B::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, B::Error>>> {
        match self.project().kind.project() {
            RequestKindProj::Buffered { data, trailers } => {
                if let Some(data) = data.take() {
                    return Poll::Ready(Some(Ok(Frame::data(data))));
                }
                Poll::Ready(trailers.take().map(|t| Ok(Frame::trailers(t))))
            }
            RequestKindProj::Chained {
                prefix,
                error,
                rest,
            } => {
                if let Some(prefix) = prefix.take() {
                    return Poll::Ready(Some(Ok(Frame::data(prefix))));
                }
                if let Some(error) = error.take() {
                    return Poll::Ready(Some(Err(error)));
                }
                rest.as_mut().poll_frame(cx)
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        match &self.kind {
            RequestKind::Buffered { data, trailers } => data.is_none() && trailers.is_none(),
            RequestKind::Chained {
                prefix,
                error,
                rest,
            } => prefix.is_none() && error.is_none() && rest.is_end_stream(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.kind {
            RequestKind::Buffered { data, .. } => {
                SizeHint::with_exact(data.as_ref().map_or(0, |d| d.len() as u64))
            }
            RequestKind::Chained { prefix, rest, .. } => {
                let extra = prefix.as_ref().map_or(0, |p| p.len() as u64);
                let rest = rest.size_hint();
                let mut hint = SizeHint::new();
                hint.set_lower(rest.lower().saturating_add(extra));
                if let Some(upper) = rest.upper() {
                    hint.set_upper(upper.saturating_add(extra));
                }
                hint
            }
        }
    }
}

impl<B: Body> fmt::Debug for RequestBody<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.kind {
            RequestKind::Buffered { .. } => "buffered",
            RequestKind::Chained { .. } => "chained",
        };
        f.debug_struct("RequestBody")
            .field("kind", &kind)
            .finish_non_exhaustive()
    }
}

/// A request body type that can carry a [`RequestBody`]: what the layer
/// needs to hand a body on after reading it for `auth-int`
/// ([`RequireAuthLayer::body_limit`](crate::RequireAuthLayer::body_limit)).
///
/// Implemented for axum's `Body` and for http-body-util's `BoxBody` and
/// `UnsyncBoxBody`. A stack on another body type (hyper's `Incoming`)
/// turns it into one of these first, e.g. with `Body::new`.
///
/// # Examples
///
/// ```
/// use authscheme_axum::ReplayBody;
/// fn takes<B: ReplayBody>() {}
/// takes::<axum::body::Body>();
/// takes::<http_body_util::combinators::UnsyncBoxBody<bytes::Bytes, std::io::Error>>();
/// ```
pub trait ReplayBody: Body<Data = Bytes> + Sized {
    /// `body` as this type. The layer calls it after reading a body for
    /// the schemes, so the service gets every byte back in its own type.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::convert::Infallible;
    /// use authscheme::Authenticator;
    /// use authscheme_axum::RequireAuthLayer;
    /// use bytes::Bytes;
    /// use http_body_util::{BodyExt, Full, combinators::UnsyncBoxBody};
    /// use tower::{ServiceBuilder, ServiceExt, service_fn};
    /// # use authscheme::*;
    /// # struct Fixed;
    /// # #[async_trait]
    /// # impl AuthScheme<String> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { SchemeName::BEARER }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
    /// #         match c.token68() {
    /// #             Some(t) if ct_eq(t.as_bytes(), b"t0ken") => Verdict::Authenticated(Authenticated::new("alice".into(), self.name())),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    ///
    /// type Body = UnsyncBoxBody<Bytes, Infallible>;
    /// let echo = service_fn(|req: http::Request<Body>| async move {
    ///     let bytes = req.into_body().collect().await.unwrap().to_bytes();
    ///     Ok::<_, Infallible>(http::Response::new(Full::new(bytes)))
    /// });
    /// let service = ServiceBuilder::new()
    ///     .layer(RequireAuthLayer::new(Authenticator::new().with(Fixed)).optional().body_limit(64))
    ///     .service(echo);
    /// let request = http::Request::new(Full::new(Bytes::from("kept")).boxed_unsync());
    /// let response = service.oneshot(request).await.unwrap();
    /// assert_eq!(response.into_body().collect().await.unwrap().to_bytes(), "kept");
    /// # });
    /// ```
    fn replay(body: RequestBody<Self>) -> Self;
}

impl ReplayBody for axum_core::body::Body {
    fn replay(body: RequestBody<Self>) -> Self {
        Self::new(body)
    }
}

impl<E: Send + Sync + 'static> ReplayBody for BoxBody<Bytes, E> {
    fn replay(body: RequestBody<Self>) -> Self {
        Self::new(body)
    }
}

impl<E: Send + 'static> ReplayBody for UnsyncBoxBody<Bytes, E> {
    fn replay(body: RequestBody<Self>) -> Self {
        Self::new(body)
    }
}
