//! The filters: build the framework-neutral request from warp's, run the
//! authenticator, extract the identity or reject with the denial.

use std::convert::Infallible;

use authscheme::{AuthRequest, AuthenticatedOutcome, Authenticator, Outcome, request_body};
use futures_util::future::{self, Either};
use http::header::HOST;
use http::uri::Authority;
use http::{HeaderMap, HeaderValue, Method};
use warp::path::FullPath;
use warp::{Filter, Rejection};

use crate::auth::Auth;
use crate::body::RequestBody;
use crate::rejection::AuthRejection;

/// Requires authentication: extracts the [`Auth`] identity, or rejects with
/// an [`AuthRejection`] that [`recover`](crate::recover) renders.
///
/// # Examples
///
/// ```
/// use authscheme::registry::Principal;
/// use authscheme_warp::{Auth, authenticate, recover, with_auth_info};
/// use warp::Filter;
/// # use authscheme::*;
/// # struct MyScheme;
/// # #[async_trait]
/// # impl AuthScheme<Principal> for MyScheme {
/// #     fn name(&self) -> SchemeName<'static> { SchemeName::BASIC }
/// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
/// #         out.push(Challenge::new(SchemeName::BASIC));
/// #     }
/// #     async fn authenticate(&self, _: &AuthRequest<'_>, _: &Credentials<'_>) -> Verdict<Principal> {
/// #         Verdict::Rejected(Rejection::unauthorized("wrong"))
/// #     }
/// # }
///
/// let auth = Authenticator::new().with(MyScheme);
/// let hello = warp::path("hello")
///     .and(authenticate(auth))
///     .map(|user: Auth<Principal>| {
///         let text = format!("hello {}", user.name());
///         with_auth_info(text, &user)
///     });
/// let app = hello.recover(recover);
/// ```
pub fn authenticate<I>(
    authenticator: Authenticator<I>,
) -> impl Filter<Extract = (Auth<I>,), Error = Rejection> + Clone
where
    I: Send + Sync + 'static,
{
    let at_once = accepted_at_once(authenticator.clone());
    let later = request_parts().and_then(move |parts: Parts| {
        // Decided here when a scheme accepts at once: the filter's future is
        // then a small ready value, not the authenticator's whole state
        // machine, which warp would move from state to state.
        if let Some(success) = parts.authenticate_now(&authenticator, None) {
            return Either::Left(future::ok(Auth::new(success)));
        }
        let authenticator = authenticator.clone();
        Either::Right(Box::pin(async move {
            let outcome = parts.authenticate(&authenticator, None).await;
            decide(outcome, false, parts.has_body())?.ok_or_else(warp::reject)
        }))
    });
    at_once.or(later).unify()
}

/// Optional authentication: extracts `None` for a request without
/// credentials; credentials that are sent must be good.
///
/// # Examples
///
/// ```
/// use authscheme::registry::Principal;
/// use authscheme_warp::{Auth, authenticate_optional};
/// use warp::Filter;
/// # let auth = authscheme::Authenticator::<Principal>::new();
///
/// let front = warp::path::end()
///     .and(authenticate_optional(auth))
///     .map(|user: Option<Auth<Principal>>| match user {
///         Some(p) => format!("hello {}", p.name()),
///         None => "hello stranger".to_owned(),
///     });
/// ```
pub fn authenticate_optional<I>(
    authenticator: Authenticator<I>,
) -> impl Filter<Extract = (Option<Auth<I>>,), Error = Rejection> + Clone
where
    I: Send + Sync + 'static,
{
    let at_once = accepted_at_once(authenticator.clone()).map(Some);
    let later = request_parts().and_then(move |parts: Parts| {
        // As in `authenticate`.
        if let Some(success) = parts.authenticate_now(&authenticator, None) {
            return Either::Left(future::ok(Some(Auth::new(success))));
        }
        let authenticator = authenticator.clone();
        Either::Right(Box::pin(async move {
            let outcome = parts.authenticate(&authenticator, None).await;
            decide(outcome, true, parts.has_body())
        }))
    });
    at_once.or(later).unify()
}

/// Requires authentication and gives the schemes the request body when it
/// is at most `limit` bytes, so Digest can offer and verify `qop=auth-int`.
/// Extracts the identity and the [`RequestBody`], which still holds every
/// byte for the handler. A larger body is not shown to the schemes (so
/// auth-int is not offered) and stays unread for the handler. A `limit` of
/// 0 reads nothing and shows the schemes no body, as [`authenticate`] does.
///
/// This takes the body, so no other body filter may come before it.
///
/// # Examples
///
/// ```
/// use authscheme::registry::Principal;
/// use authscheme_warp::{Auth, RequestBody, authenticate_with_body};
/// use warp::Filter;
/// # let auth = authscheme::Authenticator::<Principal>::new();
///
/// let upload = warp::post()
///     .and(warp::path("upload"))
///     .and(authenticate_with_body(auth, 64 * 1024))
///     .and_then(|user: Auth<Principal>, body: RequestBody| async move {
///         let bytes = body.bytes().await.map_err(|_| warp::reject())?;
///         Ok::<_, warp::Rejection>(format!("{} sent {} bytes", user.name(), bytes.len()))
///     });
/// ```
pub fn authenticate_with_body<I>(
    authenticator: Authenticator<I>,
    limit: usize,
) -> impl Filter<Extract = (Auth<I>, RequestBody), Error = Rejection> + Clone
where
    I: Send + Sync + 'static,
{
    with_body(authenticator, limit, false)
        .and_then(|auth: Option<Auth<I>>, body: RequestBody| async move {
            // Never `None` when not optional; reject rather than panic.
            auth.map(|a| (a, body)).ok_or_else(warp::reject)
        })
        .untuple_one()
}

/// [`authenticate_with_body`] with optional authentication: a request
/// without credentials extracts `None` and its body.
///
/// # Examples
///
/// ```
/// use authscheme::registry::Principal;
/// use authscheme_warp::{Auth, RequestBody, authenticate_optional_with_body};
/// use warp::Filter;
/// # let auth = authscheme::Authenticator::<Principal>::new();
///
/// let comment = warp::path("comment")
///     .and(authenticate_optional_with_body(auth, 4096))
///     .and_then(|user: Option<Auth<Principal>>, body: RequestBody| async move {
///         let bytes = body.bytes().await.map_err(|_| warp::reject())?;
///         let who = user.as_ref().map_or("anonymous", |p| p.name());
///         Ok::<_, warp::Rejection>(format!("{who}: {} bytes", bytes.len()))
///     });
/// ```
pub fn authenticate_optional_with_body<I>(
    authenticator: Authenticator<I>,
    limit: usize,
) -> impl Filter<Extract = (Option<Auth<I>>, RequestBody), Error = Rejection> + Clone
where
    I: Send + Sync + 'static,
{
    with_body(authenticator, limit, true)
}

fn with_body<I>(
    authenticator: Authenticator<I>,
    limit: usize,
    optional: bool,
) -> impl Filter<Extract = (Option<Auth<I>>, RequestBody), Error = Rejection> + Clone
where
    I: Send + Sync + 'static,
{
    // A route that reads no body for the schemes decides at once when a
    // scheme accepts at once, as `authenticate` does, and hands the body
    // on unread. One with a limit reads the body before deciding (so that
    // Digest `auth-int` sees it), so never tries: the guard rejects before
    // anything is cloned.
    let tries_at_once = limit == 0;
    let at_once = warp::any()
        .and_then(move || future::ready(tries_at_once.then_some(()).ok_or_else(warp::reject)))
        .untuple_one()
        .and(accepted_at_once(authenticator.clone()))
        .and(warp::body::stream())
        .map(|auth, stream| (Some(auth), RequestBody::unread(stream)))
        .untuple_one();
    let later = request_parts()
        .and(warp::body::stream())
        .and_then(move |parts: Parts, stream| {
            // As above, with the request's target: the filter's future is
            // then a small ready value.
            if limit == 0
                && let Some(success) = parts.authenticate_now(&authenticator, None)
            {
                let accepted = (Some(Auth::new(success)), RequestBody::unread(stream));
                return Either::Left(future::ok(accepted));
            }
            let authenticator = authenticator.clone();
            Either::Right(Box::pin(async move {
                let declared = request_body::declared_length(&parts.headers);
                // Only a challenge can follow: leave the body to the client.
                let limit = if request_body::may_read_before_deciding(&parts.headers) {
                    limit
                } else {
                    0
                };
                let body = RequestBody::read_within(stream, limit, declared).await;
                // Both paths see the body that was read: a scheme may only
                // answer at once for the request `authenticate` would see.
                let seen = body.complete().map(|b| &b[..]);
                let outcome = match parts.authenticate_now(&authenticator, seen) {
                    Some(success) => Outcome::Authenticated(success),
                    None => parts.authenticate(&authenticator, seen).await,
                };
                // A refused request's body is read and dropped first, so
                // that the connection can go on (see `RequestBody::drain`).
                let refused = matches!(
                    &outcome,
                    Outcome::Denied(d) if !(optional && d.credentials_missing())
                );
                let mut body = body;
                let unread = refused && !body.drain(&parts.headers).await;
                let auth = decide(outcome, optional, unread)?;
                Ok::<_, Rejection>((auth, body))
            }))
        })
        .untuple_one();
    at_once.or(later).unify()
}

/// What the schemes may see of a warp request.
struct Parts {
    method: Method,
    path: FullPath,
    /// Only a request with a query has its target put together (and
    /// allocated); without one the target is the path itself.
    target_with_query: Option<String>,
    headers: HeaderMap,
}

impl Parts {
    /// The success a scheme gives at once (a cache hit, a fixed token), for
    /// the request with `body` when it was read.
    fn authenticate_now<I: Send + Sync + 'static>(
        &self,
        authenticator: &Authenticator<I>,
        body: Option<&[u8]>,
    ) -> Option<AuthenticatedOutcome<I>> {
        let mut request = AuthRequest::new(self.method.as_str(), self.target(), &self.headers);
        if let Some(body) = body {
            request = request.with_body(body);
        }
        authenticator.authenticate_now(&request)
    }

    /// The asynchronous path; callers try [`Parts::authenticate_now`] first.
    async fn authenticate<I: Send + Sync + 'static>(
        &self,
        authenticator: &Authenticator<I>,
        body: Option<&[u8]>,
    ) -> Outcome<I> {
        let mut request = AuthRequest::new(self.method.as_str(), self.target(), &self.headers);
        if let Some(body) = body {
            request = request.with_body(body);
        }
        authenticator.authenticate(&request).await
    }

    /// The request-target in origin-form.
    fn target(&self) -> &str {
        self.target_with_query
            .as_deref()
            .unwrap_or_else(|| self.path.as_str())
    }

    /// Whether the request has a body (one a filter that does not read it
    /// leaves unread): a `Content-Length` above zero, or chunked.
    fn has_body(&self) -> bool {
        request_body::declared_length(&self.headers).is_some_and(|n| n > 0)
            || self.headers.contains_key(http::header::TRANSFER_ENCODING)
    }
}

/// Accepts a request whose credentials a scheme accepts at once without
/// its request-target ([`Authenticator::authenticate_now_without_target`]:
/// a Basic cache hit, a static or cached Bearer token), from the method
/// and the headers alone; rejects every other request, untouched, to the
/// filter that collects the whole request ([`request_parts`]) behind it.
///
/// warp charges for each part of a request a filter collects (each is
/// cloned out by a filter of its own and moved through `and`): the path,
/// the query and the authority cost about as much as the authentication
/// itself, so the common case does without them. The rejection is warp's
/// plain "not found", which allocates nothing and which any rejection of
/// the filter behind outranks.
fn accepted_at_once<I>(
    authenticator: Authenticator<I>,
) -> impl Filter<Extract = (Auth<I>,), Error = Rejection> + Clone
where
    I: Send + Sync + 'static,
{
    warp::method().and(warp::header::headers_cloned()).and_then(
        move |method: Method, headers: HeaderMap| {
            let now = authenticator.authenticate_now_without_target(method.as_str(), &headers);
            future::ready(now.map(Auth::new).ok_or_else(warp::reject))
        },
    )
}

/// Method, request-target and headers. warp exposes the path and the query
/// separately, so the origin-form target is put back together here.
fn request_parts() -> impl Filter<Extract = (Parts,), Error = Infallible> + Clone {
    let query = warp::query::raw()
        .map(Some)
        .or(warp::any().map(|| None))
        .unify();
    // A Host header warp cannot read is left for the schemes to judge.
    let authority = warp::host::optional().or(warp::any().map(|| None)).unify();
    warp::method()
        .and(warp::path::full())
        .and(query)
        .and(warp::header::headers_cloned())
        .and(authority)
        .map(
            |method,
             path: FullPath,
             query: Option<String>,
             mut headers: HeaderMap,
             authority: Option<Authority>| {
                // HTTP/2 names the authority in `:authority`, which replaces
                // `Host` (RFC 9113 section 8.3.1) and which warp keeps in the
                // URI: the schemes see it as `Host`, as on HTTP/1.1 (Digest
                // compares an absolute `uri` with it).
                if let Some(authority) = authority
                    && !headers.contains_key(HOST)
                    && let Ok(value) = HeaderValue::from_str(authority.as_str())
                {
                    headers.insert(HOST, value);
                }
                let target_with_query = query.map(|q| format!("{}?{q}", path.as_str()));
                Parts {
                    method,
                    path,
                    target_with_query,
                    headers,
                }
            },
        )
}

/// Turns the outcome into the extracted value or the rejection. `Ok(None)`
/// only for a request without credentials when `optional`. `unread`: a
/// refusal leaves the request's body unread.
fn decide<I>(
    outcome: Outcome<I>,
    optional: bool,
    unread: bool,
) -> Result<Option<Auth<I>>, Rejection> {
    match outcome {
        Outcome::Authenticated(ok) => Ok(Some(Auth::new(ok))),
        Outcome::Denied(denial) => {
            tracing::debug!(
                status = denial.status().as_u16(),
                reason = denial.reason(),
                "authentication refused"
            );
            let missing = denial.credentials_missing();
            if optional && missing {
                return Ok(None);
            }
            Err(warp::reject::custom(AuthRejection::new(
                denial, missing, unread,
            )))
        }
        // `Outcome` may grow; fail closed.
        _ => Err(warp::reject()),
    }
}
