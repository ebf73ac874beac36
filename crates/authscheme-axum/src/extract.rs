//! [`Auth`]: the axum extractor for the identity the layer authenticated,
//! and [`AuthRejection`], which says whether it was missing or invalid.

use std::fmt;
use std::ops::Deref;

use authscheme::{Authenticated, Denial};
use axum_core::extract::{FromRequestParts, OptionalFromRequestParts};
use axum_core::response::{IntoResponse, Response};
use http::StatusCode;
use http::request::Parts;

use crate::render::{NO_IDENTITY, denial_response, no_identity_error};

/// A denial the layer let through (optional or deferred mode), for the
/// extractors to act on.
#[derive(Clone)]
pub(crate) struct PassedDenial {
    denial: Denial,
    missing: bool,
}

impl PassedDenial {
    pub(crate) fn new(denial: Denial, missing: bool) -> Self {
        Self { denial, missing }
    }
}

/// The identity that [`RequireAuthLayer`](crate::RequireAuthLayer)
/// authenticated.
///
/// Extract `Auth<I>` where authentication is required and
/// `Option<Auth<I>>` on optional routes (`None` when no credentials were
/// sent). For the scheme that authenticated the request, extract
/// `Extension<authscheme::Authenticated<I>>` instead.
///
/// `I` must be the identity type of the layer's
/// [`Authenticator`](authscheme::Authenticator): the extractor looks up
/// `Authenticated<I>` by type, so `Auth<String>` behind a layer that
/// authenticates `Principal`s finds nothing and answers `500`, as on a
/// route without the layer.
///
/// Destructure it (`Auth(user)`) or use it as the identity: it
/// dereferences to `I`, like the actix-web and warp adapters' `Auth`.
///
/// # Examples
///
/// ```
/// use authscheme_axum::Auth;
///
/// async fn profile(Auth(user): Auth<String>) -> String {
///     format!("profile of {user}")
/// }
///
/// async fn home(user: Option<Auth<String>>) -> String {
///     match user {
///         Some(Auth(user)) => format!("welcome back, {user}"),
///         None => "welcome, stranger".to_owned(),
///     }
/// }
/// # let _: axum::Router = axum::Router::new()
/// #     .route("/profile", axum::routing::get(profile))
/// #     .route("/", axum::routing::get(home));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Auth<I>(pub I);

/// The identity, so `user.name()` works without destructuring.
///
/// # Examples
///
/// ```
/// use authscheme::Principal;
/// use authscheme_axum::Auth;
///
/// async fn whoami(user: Auth<Principal>) -> String {
///     format!("hello {}", user.name())
/// }
/// # let _: axum::Router = axum::Router::new().route("/", axum::routing::get(whoami));
///
/// let user = Auth(Principal::new("alice"));
/// assert_eq!(user.name(), "alice");
/// let name: &str = &Auth(String::from("bob"));
/// assert_eq!(name, "bob");
/// ```
impl<I> Deref for Auth<I> {
    type Target = I;

    fn deref(&self) -> &I {
        &self.0
    }
}

impl<S, I> FromRequestParts<S> for Auth<I>
where
    S: Send + Sync,
    I: Clone + Send + Sync + 'static,
{
    type Rejection = AuthRejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        if let Some(authenticated) = parts.extensions.get::<Authenticated<I>>() {
            return Ok(Auth(authenticated.identity().clone()));
        }
        Err(rejection(parts))
    }
}

impl<S, I> OptionalFromRequestParts<S> for Auth<I>
where
    S: Send + Sync,
    I: Clone + Send + Sync + 'static,
{
    type Rejection = AuthRejection;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        if let Some(authenticated) = parts.extensions.get::<Authenticated<I>>() {
            return Ok(Some(Auth(authenticated.identity().clone())));
        }
        let rejection = rejection(parts);
        match rejection.reason {
            AuthRejectionReason::Missing => Ok(None),
            _ => Err(rejection),
        }
    }
}

fn rejection(parts: &Parts) -> AuthRejection {
    match parts.extensions.get::<PassedDenial>() {
        Some(passed) => AuthRejection {
            reason: if passed.missing {
                AuthRejectionReason::Missing
            } else {
                AuthRejectionReason::Invalid
            },
            denial: Some(passed.denial.clone()),
        },
        None => AuthRejection {
            reason: AuthRejectionReason::LayerMissing,
            denial: None,
        },
    }
}

/// Why [`Auth`] found no identity.
///
/// # Examples
///
/// ```
/// use authscheme::Authenticator;
/// use authscheme_axum::{Auth, AuthRejection, RequireAuthLayer};
/// use axum::{Router, routing::get};
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
/// # async fn send(app: &Router, uri: &str, authorization: Option<&str>) -> (u16, String) {
/// #     use tower::ServiceExt;
/// #     let mut request = http::Request::builder().uri(uri);
/// #     if let Some(value) = authorization { request = request.header("authorization", value); }
/// #     let response = app.clone().oneshot(request.body(axum::body::Body::empty()).unwrap()).await.unwrap();
/// #     let status = response.status().as_u16();
/// #     let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
/// #     (status, String::from_utf8(body.to_vec()).unwrap())
/// # }
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
///
/// async fn why(user: Result<Auth<String>, AuthRejection>) -> String {
///     match user {
///         Ok(Auth(user)) => user,
///         Err(rejection) => format!("{:?}", rejection.reason()),
///     }
/// }
///
/// let app: Router = Router::new()
///     .route("/", get(why))
///     .route_layer(RequireAuthLayer::new(Authenticator::new().with(Fixed)).deferred())
///     .route("/unprotected", get(why));
/// assert_eq!(send(&app, "/", None).await.1, "Missing");
/// assert_eq!(send(&app, "/", Some("Bearer wrong")).await.1, "Invalid");
/// assert_eq!(send(&app, "/unprotected", None).await.1, "LayerMissing");
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthRejectionReason {
    /// No [`RequireAuthLayer`](crate::RequireAuthLayer) for this identity
    /// type ran on the request: the route has no layer, or its layer
    /// authenticates another identity type than the extractor asks for
    /// (`Auth<String>` behind a layer of `Principal`s). A server
    /// misconfiguration, answered `500`.
    LayerMissing,
    /// The request carried no credentials (optional or deferred layer).
    Missing,
    /// The request carried credentials that were refused (deferred layer).
    Invalid,
}

/// The rejection of [`Auth`]: the reason, and the denial to send (status,
/// challenges, text) when the layer made one.
///
/// As a response it renders exactly as the layer renders a denial, so a
/// deferred route answers like a required one.
///
/// Its `Debug` shows why there is no identity, the status and the refusing
/// scheme, never the denial's reason (such as "wrong user-id or
/// password"), which is for the server's logs only: the layer logs it.
///
/// # Examples
///
/// ```
/// use authscheme_axum::{Auth, AuthRejection, AuthRejectionReason};
///
/// async fn handler(user: Result<Auth<String>, AuthRejection>) -> String {
///     match user {
///         Ok(Auth(user)) => user,
///         Err(r) if r.reason() == AuthRejectionReason::Missing => "anonymous".into(),
///         Err(r) => format!("refused ({})", r.status()),
///     }
/// }
/// # let _: axum::Router = axum::Router::new().route("/", axum::routing::get(handler));
/// ```
#[derive(Clone)]
pub struct AuthRejection {
    reason: AuthRejectionReason,
    denial: Option<Denial>,
}

impl fmt::Debug for AuthRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthRejection")
            .field("reason", &self.reason)
            .field("status", &self.status().as_u16())
            .field(
                "scheme",
                &self
                    .denial
                    .as_ref()
                    .and_then(Denial::scheme)
                    .map(|s| s.as_str()),
            )
            .finish_non_exhaustive()
    }
}

impl AuthRejection {
    /// Why there is no identity.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Authenticator;
    /// use authscheme_axum::{Auth, AuthRejection, AuthRejectionReason, RequireAuthLayer};
    /// use axum::{Router, routing::get};
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
    /// # async fn send(app: &Router, uri: &str, authorization: Option<&str>) -> (u16, String) {
    /// #     use tower::ServiceExt;
    /// #     let mut request = http::Request::builder().uri(uri);
    /// #     if let Some(value) = authorization { request = request.header("authorization", value); }
    /// #     let response = app.clone().oneshot(request.body(axum::body::Body::empty()).unwrap()).await.unwrap();
    /// #     let status = response.status().as_u16();
    /// #     let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    /// #     (status, String::from_utf8(body.to_vec()).unwrap())
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    ///
    /// async fn handler(user: Result<Auth<String>, AuthRejection>) -> String {
    ///     match user {
    ///         Ok(Auth(user)) => format!("hello, {user}"),
    ///         Err(r) if r.reason() == AuthRejectionReason::Missing => "hello, stranger".into(),
    ///         Err(_) => "refused".into(),
    ///     }
    /// }
    ///
    /// let auth = Authenticator::new().with(Fixed);
    /// let app: Router = Router::new().route("/", get(handler)).route_layer(RequireAuthLayer::new(auth).deferred());
    /// assert_eq!(send(&app, "/", None).await.1, "hello, stranger");
    /// assert_eq!(send(&app, "/", Some("Bearer wrong")).await.1, "refused");
    /// # });
    /// ```
    pub fn reason(&self) -> AuthRejectionReason {
        self.reason
    }

    /// Whether no credentials were sent (or no layer ran), as opposed to
    /// credentials that were refused.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Authenticator;
    /// use authscheme_axum::{Auth, AuthRejection, RequireAuthLayer};
    /// use axum::{Router, routing::get};
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
    /// # async fn send(app: &Router, uri: &str, authorization: Option<&str>) -> (u16, String) {
    /// #     use tower::ServiceExt;
    /// #     let mut request = http::Request::builder().uri(uri);
    /// #     if let Some(value) = authorization { request = request.header("authorization", value); }
    /// #     let response = app.clone().oneshot(request.body(axum::body::Body::empty()).unwrap()).await.unwrap();
    /// #     let status = response.status().as_u16();
    /// #     let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    /// #     (status, String::from_utf8(body.to_vec()).unwrap())
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    ///
    /// async fn missing(user: Result<Auth<String>, AuthRejection>) -> String {
    ///     user.err().map_or("authenticated".into(), |r| r.is_missing().to_string())
    /// }
    ///
    /// let auth = Authenticator::new().with(Fixed);
    /// let app: Router = Router::new().route("/", get(missing)).route_layer(RequireAuthLayer::new(auth).deferred());
    /// assert_eq!(send(&app, "/", None).await.1, "true");
    /// assert_eq!(send(&app, "/", Some("Bearer wrong")).await.1, "false");
    /// assert_eq!(send(&app, "/", Some("Bearer t0ken")).await.1, "authenticated");
    /// # });
    /// ```
    pub fn is_missing(&self) -> bool {
        self.reason != AuthRejectionReason::Invalid
    }

    /// The denial the layer made, with status and challenges; `None` when
    /// no layer ran.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Authenticator;
    /// use authscheme_axum::{Auth, AuthRejection, RequireAuthLayer};
    /// use axum::{Router, routing::get};
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
    /// # async fn send(app: &Router, uri: &str, authorization: Option<&str>) -> (u16, String) {
    /// #     use tower::ServiceExt;
    /// #     let mut request = http::Request::builder().uri(uri);
    /// #     if let Some(value) = authorization { request = request.header("authorization", value); }
    /// #     let response = app.clone().oneshot(request.body(axum::body::Body::empty()).unwrap()).await.unwrap();
    /// #     let status = response.status().as_u16();
    /// #     let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    /// #     (status, String::from_utf8(body.to_vec()).unwrap())
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    ///
    /// async fn challenges(user: Result<Auth<String>, AuthRejection>) -> String {
    ///     let rejection = user.err().unwrap();
    ///     match rejection.denial() {
    ///         Some(denial) => denial.challenges()[0].to_string(),
    ///         None => "no layer".into(),
    ///     }
    /// }
    ///
    /// let auth = Authenticator::new().with(Fixed);
    /// let app: Router = Router::new()
    ///     .route("/", get(challenges))
    ///     .route_layer(RequireAuthLayer::new(auth).deferred())
    ///     .route("/unprotected", get(challenges));
    /// assert_eq!(send(&app, "/", None).await.1, "Bearer");
    /// assert_eq!(send(&app, "/unprotected", None).await.1, "no layer");
    /// # });
    /// ```
    pub fn denial(&self) -> Option<&Denial> {
        self.denial.as_ref()
    }

    /// The status the rejection answers with: the denial's, or `500` when
    /// no layer ran.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Authenticator;
    /// use authscheme_axum::{Auth, AuthRejection, RequireAuthLayer};
    /// use axum::{Router, routing::get};
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
    /// # async fn send(app: &Router, uri: &str, authorization: Option<&str>) -> (u16, String) {
    /// #     use tower::ServiceExt;
    /// #     let mut request = http::Request::builder().uri(uri);
    /// #     if let Some(value) = authorization { request = request.header("authorization", value); }
    /// #     let response = app.clone().oneshot(request.body(axum::body::Body::empty()).unwrap()).await.unwrap();
    /// #     let status = response.status().as_u16();
    /// #     let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    /// #     (status, String::from_utf8(body.to_vec()).unwrap())
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    ///
    /// async fn status(user: Result<Auth<String>, AuthRejection>) -> String {
    ///     user.err().map_or("200".into(), |r| r.status().as_u16().to_string())
    /// }
    ///
    /// let auth = Authenticator::new().with(Fixed);
    /// let app: Router = Router::new()
    ///     .route("/", get(status))
    ///     .route_layer(RequireAuthLayer::new(auth).deferred())
    ///     .route("/unprotected", get(status));
    /// assert_eq!(send(&app, "/", Some("Bearer wrong")).await.1, "401");
    /// assert_eq!(send(&app, "/unprotected", None).await.1, "500");
    /// # });
    /// ```
    pub fn status(&self) -> StatusCode {
        self.denial
            .as_ref()
            .map_or(StatusCode::INTERNAL_SERVER_ERROR, Denial::status)
    }
}

impl fmt::Display for AuthRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.reason {
            AuthRejectionReason::LayerMissing => f.write_str(NO_IDENTITY),
            AuthRejectionReason::Missing => f.write_str("no credentials were sent"),
            AuthRejectionReason::Invalid => f.write_str("the credentials were refused"),
        }
    }
}

impl std::error::Error for AuthRejection {}

impl IntoResponse for AuthRejection {
    fn into_response(self) -> Response {
        match &self.denial {
            Some(denial) => denial_response(denial),
            None => {
                tracing::error!(target: "authscheme_axum", "{NO_IDENTITY}");
                no_identity_error()
            }
        }
    }
}
