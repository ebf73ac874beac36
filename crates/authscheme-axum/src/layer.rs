//! [`RequireAuthLayer`], [`RequireAuth`] and [`ResponseFuture`]: the tower
//! middleware that runs an [`Authenticator`] in front of a service.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use authscheme::{AuthRequest, Authenticated, Authenticator, Outcome};
use http::header::CONNECTION;
use http::{HeaderValue, Request, Response, Version};
use http_body::Body;
use tower_layer::Layer;
use tower_service::Service;

use crate::body::ReplayBody;
use crate::buffer::{buffer_body, drain};
use crate::denial_body::DenialBody;
use crate::extract::PassedDenial;
use crate::render::{denial_response, log_denial};
use crate::target::{request_target, target_of};

/// What happens to a denied request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Every denial is answered by the layer.
    Required,
    /// A request without credentials goes on without an identity.
    Optional,
    /// Every request goes on; extractors decide.
    Deferred,
}

struct Config<I> {
    authenticator: Authenticator<I>,
    mode: Mode,
    body_limit: usize,
}

/// Applies [`RequireAuth`] to a service: authenticates every request with
/// an [`Authenticator`] before the service sees it.
///
/// On success the [`Authenticated<I>`] goes into the request's extensions
/// (read it with [`Auth`](crate::Auth) or `Extension<Authenticated<I>>`)
/// and the outcome's `Authentication-Info` is appended to the response. On
/// failure the layer answers itself with the denial's status, one
/// `WWW-Authenticate` (or `Proxy-Authenticate`) line per challenge and a
/// short `text/plain` body; the service is not called.
///
/// A refusal sent before the request body was read whole (no body limit,
/// a body announced above it, or one that crossed it) carries
/// `Connection: close` on HTTP/1: the rest of the body is never read, so
/// the connection closes after the response.
///
/// # Examples
///
/// ```
/// use authscheme::Authenticator;
/// use authscheme_axum::{Auth, RequireAuthLayer};
/// use axum::{Router, routing::get};
/// # use authscheme::*;
/// # struct ApiKey;
/// # #[async_trait]
/// # impl AuthScheme<String> for ApiKey {
/// #     fn name(&self) -> SchemeName<'static> { SchemeName::new("ApiKey").unwrap() }
/// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
/// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
/// #         match c.token68() {
/// #             Some(k) if ct_eq(k.as_bytes(), b"s3cret") => Verdict::Authenticated(Authenticated::new("robot".into(), self.name())),
/// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown key")),
/// #         }
/// #     }
/// # }
///
/// async fn whoami(Auth(user): Auth<String>) -> String {
///     format!("hello, {user}")
/// }
///
/// let app: Router = Router::new()
///     .route("/whoami", get(whoami))
///     .route_layer(RequireAuthLayer::new(Authenticator::new().with(ApiKey)).body_limit(16 * 1024));
/// ```
pub struct RequireAuthLayer<I> {
    config: Arc<Config<I>>,
}

impl<I> Clone for RequireAuthLayer<I> {
    fn clone(&self) -> Self {
        Self {
            config: Arc::clone(&self.config),
        }
    }
}

impl<I: Send + Sync + 'static> RequireAuthLayer<I> {
    /// Requires authentication by `authenticator` (origin or proxy, as
    /// configured there) with no body buffering.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Authenticator;
    /// use authscheme_axum::{Auth, RequireAuthLayer};
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
    /// let app: Router = Router::new()
    ///     .route("/", get(|Auth(user): Auth<String>| async move { user }))
    ///     .route_layer(RequireAuthLayer::new(Authenticator::new().with(Fixed)));
    /// assert_eq!(send(&app, "/", None).await, (401, "Unauthorized\n".into()));
    /// assert_eq!(send(&app, "/", Some("Bearer t0ken")).await, (200, "alice".into()));
    /// # });
    /// ```
    pub fn new(authenticator: Authenticator<I>) -> Self {
        Self {
            config: Arc::new(Config {
                authenticator,
                mode: Mode::Required,
                body_limit: 0,
            }),
        }
    }

    fn with_config(self, change: impl FnOnce(&mut Config<I>)) -> Self {
        let mut config = Config {
            authenticator: self.config.authenticator.clone(),
            mode: self.config.mode,
            body_limit: self.config.body_limit,
        };
        change(&mut config);
        Self {
            config: Arc::new(config),
        }
    }

    /// Optional authentication: a request that sends no credentials reaches
    /// the service without an identity (extract `Option<Auth<I>>`); wrong
    /// or malformed credentials are still refused.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Authenticator;
    /// use authscheme_axum::{Auth, RequireAuthLayer};
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
    /// async fn hello(user: Option<Auth<String>>) -> String {
    ///     user.map_or("stranger".into(), |Auth(user)| user)
    /// }
    ///
    /// let app: Router = Router::new()
    ///     .route("/", get(hello))
    ///     .route_layer(RequireAuthLayer::new(Authenticator::new().with(Fixed)).optional());
    /// assert_eq!(send(&app, "/", None).await, (200, "stranger".into()));
    /// assert_eq!(send(&app, "/", Some("Bearer t0ken")).await, (200, "alice".into()));
    /// assert_eq!(send(&app, "/", Some("Bearer wrong")).await.0, 401);
    /// # });
    /// ```
    pub fn optional(self) -> Self {
        self.with_config(|c| c.mode = Mode::Optional)
    }

    /// Lets every request through and leaves the answer to the extractors:
    /// [`Auth<I>`](crate::Auth) rejects with the denial (missing or invalid),
    /// `Option<Auth<I>>` accepts a missing one. Handlers that extract
    /// nothing are public.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Authenticator;
    /// use authscheme_axum::{Auth, RequireAuthLayer};
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
    /// let app: Router = Router::new()
    ///     .route("/public", get(|| async { "anyone" }))
    ///     .route("/private", get(|Auth(user): Auth<String>| async move { user }))
    ///     .route_layer(RequireAuthLayer::new(Authenticator::new().with(Fixed)).deferred());
    /// assert_eq!(send(&app, "/public", None).await, (200, "anyone".into()));
    /// assert_eq!(send(&app, "/private", None).await.0, 401);
    /// assert_eq!(send(&app, "/private", Some("Bearer t0ken")).await, (200, "alice".into()));
    /// # });
    /// ```
    pub fn deferred(self) -> Self {
        self.with_config(|c| c.mode = Mode::Deferred)
    }

    /// Buffers up to `limit` bytes of request body for the schemes (Digest
    /// `qop=auth-int`); `0`, the default, buffers nothing. A larger body is
    /// not given to the schemes (so `auth-int` is not offered) and still
    /// reaches the service whole.
    ///
    /// With a limit set, the body (up to the limit) is read before the
    /// decision, so a client that sent `Expect: 100-continue` gets its
    /// `100 Continue` even when it is then refused; a declared
    /// `Content-Length` above the limit is never read early. A body that
    /// was read reaches the service inside its own body type, which must
    /// be able to carry it ([`ReplayBody`]).
    ///
    /// # Examples
    ///
    /// Digest offers `auth-int` only when the layer hands it the body:
    ///
    /// ```
    /// use authscheme::Authenticator;
    /// use authscheme_axum::RequireAuthLayer;
    /// use authscheme_digest::{DigestScheme, DigestUser, MemoryCredentialStore};
    /// use axum::{Router, body::Body, routing::post};
    /// use tower::ServiceExt;
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    ///
    /// let store = MemoryCredentialStore::new("api").with_user("alice", "wonderland");
    /// let digest = Authenticator::<DigestUser>::new().with(DigestScheme::builder("api", store).build().unwrap());
    /// let app: Router = Router::new()
    ///     .route("/upload", post(|| async { "stored" }))
    ///     .route_layer(RequireAuthLayer::new(digest).body_limit(16 * 1024));
    ///
    /// let request = http::Request::post("/upload").body(Body::from("payload")).unwrap();
    /// let response = app.oneshot(request).await.unwrap();
    /// assert_eq!(response.status(), 401);
    /// let challenge = response.headers()["www-authenticate"].to_str().unwrap();
    /// assert!(challenge.contains(r#"qop="auth, auth-int""#));
    /// # });
    /// ```
    pub fn body_limit(self, limit: usize) -> Self {
        self.with_config(|c| c.body_limit = limit)
    }
}

impl<I: 'static> fmt::Debug for RequireAuthLayer<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequireAuthLayer")
            .field("authenticator", &self.config.authenticator)
            .field("mode", &self.config.mode)
            .field("body_limit", &self.config.body_limit)
            .finish()
    }
}

impl<S, I> Layer<S> for RequireAuthLayer<I> {
    type Service = RequireAuth<S, I>;

    fn layer(&self, inner: S) -> Self::Service {
        RequireAuth {
            inner,
            config: Arc::clone(&self.config),
        }
    }
}

/// The middleware [`RequireAuthLayer`] builds; see there.
///
/// # Examples
///
/// With plain tower and `http` types, no axum involved:
///
/// ```
/// use std::convert::Infallible;
/// use authscheme::Authenticator;
/// use authscheme_axum::RequireAuth;
/// use bytes::Bytes;
/// use http_body_util::{BodyExt, Empty, combinators::UnsyncBoxBody};
/// use tower::{ServiceBuilder, ServiceExt, service_fn};
///
/// type Body = UnsyncBoxBody<Bytes, Infallible>;
/// let handler = service_fn(|_req: http::Request<Body>| async {
///     Ok::<_, Infallible>(http::Response::new(String::from("secret")))
/// });
/// // No scheme at all: every request is refused before the handler runs.
/// let service = ServiceBuilder::new()
///     .layer(RequireAuth::layer(Authenticator::<String>::new()))
///     .service(handler);
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let request = http::Request::new(Empty::<Bytes>::new().boxed_unsync());
/// let response = service.oneshot(request).await.unwrap();
/// assert_eq!(response.status(), 403, "no scheme, so no challenge to send");
/// # });
/// ```
pub struct RequireAuth<S, I> {
    inner: S,
    config: Arc<Config<I>>,
}

impl<S, I: Send + Sync + 'static> RequireAuth<S, I> {
    /// Wraps `inner`, requiring authentication by `authenticator`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::convert::Infallible;
    /// use authscheme::Authenticator;
    /// use authscheme_axum::RequireAuth;
    /// use axum::body::Body;
    /// use tower::{ServiceExt, service_fn};
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
    /// let handler = service_fn(|_req: http::Request<Body>| async {
    ///     Ok::<_, Infallible>(http::Response::new(Body::from("secret")))
    /// });
    /// let service = RequireAuth::new(handler, Authenticator::new().with(Fixed));
    ///
    /// let request = http::Request::builder().header("authorization", "Bearer t0ken").body(Body::empty()).unwrap();
    /// assert_eq!(service.clone().oneshot(request).await.unwrap().status(), 200);
    /// let response = service.oneshot(http::Request::new(Body::empty())).await.unwrap();
    /// assert_eq!(response.status(), 401);
    /// assert_eq!(response.headers()["www-authenticate"], "Bearer");
    /// # });
    /// ```
    pub fn new(inner: S, authenticator: Authenticator<I>) -> Self {
        RequireAuthLayer::new(authenticator).layer(inner)
    }
}

impl<I: Send + Sync + 'static> RequireAuth<(), I> {
    /// A [`RequireAuthLayer`] for `authenticator` (defined on
    /// `RequireAuth<(), I>` so that `RequireAuth::layer(..)` needs no type
    /// annotation).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Authenticator;
    /// use authscheme_axum::{Auth, RequireAuth};
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
    /// let app: Router = Router::new()
    ///     .route("/", get(|Auth(user): Auth<String>| async move { user }))
    ///     .route_layer(RequireAuth::layer(Authenticator::new().with(Fixed)));
    /// assert_eq!(send(&app, "/", None).await.0, 401);
    /// assert_eq!(send(&app, "/", Some("Bearer t0ken")).await, (200, "alice".into()));
    /// # });
    /// ```
    pub fn layer(authenticator: Authenticator<I>) -> RequireAuthLayer<I> {
        RequireAuthLayer::new(authenticator)
    }
}

impl<S, I> RequireAuth<S, I> {
    /// The inner service.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Authenticator;
    /// use authscheme_axum::RequireAuth;
    ///
    /// #[derive(Clone)]
    /// struct Handler {
    ///     version: u32,
    /// }
    ///
    /// let service = RequireAuth::new(Handler { version: 1 }, Authenticator::<String>::new());
    /// assert_eq!(service.get_ref().version, 1);
    /// ```
    pub fn get_ref(&self) -> &S {
        &self.inner
    }

    /// The inner service, mutably.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Authenticator;
    /// use authscheme_axum::RequireAuth;
    ///
    /// #[derive(Clone)]
    /// struct Handler {
    ///     version: u32,
    /// }
    ///
    /// let mut service = RequireAuth::new(Handler { version: 1 }, Authenticator::<String>::new());
    /// service.get_mut().version = 2;
    /// assert_eq!(service.get_ref().version, 2);
    /// ```
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.inner
    }

    /// Takes the inner service out, without the authentication.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Authenticator;
    /// use authscheme_axum::RequireAuth;
    ///
    /// #[derive(Clone)]
    /// struct Handler {
    ///     version: u32,
    /// }
    ///
    /// let service = RequireAuth::new(Handler { version: 3 }, Authenticator::<String>::new());
    /// let inner: Handler = service.into_inner();
    /// assert_eq!(inner.version, 3);
    /// ```
    pub fn into_inner(self) -> S {
        self.inner
    }
}

impl<S: Clone, I> Clone for RequireAuth<S, I> {
    fn clone(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            config: Arc::clone(&self.config),
        }
    }
}

impl<S: fmt::Debug, I: 'static> fmt::Debug for RequireAuth<S, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequireAuth")
            .field("inner", &self.inner)
            .field("authenticator", &self.config.authenticator)
            .field("mode", &self.config.mode)
            .field("body_limit", &self.config.body_limit)
            .finish()
    }
}

/// The service sees the request as it came, body and all (a body read for
/// `auth-int` is replayed inside its own type, see [`ReplayBody`]), and
/// its response goes out as it made it, plus any `Authentication-Info`.
/// A denial's short text becomes the response body type through
/// [`DenialBody`].
impl<S, I, ReqBody, ResBody> Service<Request<ReqBody>> for RequireAuth<S, I>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>> + Clone + Send + 'static,
    S::Future: Send,
    ReqBody: ReplayBody + Send + 'static,
    ReqBody::Error: Send,
    ResBody: DenialBody + Send + 'static,
    I: Clone + Send + Sync + 'static,
{
    type Response = Response<ResBody>;
    type Error = S::Error;
    type Future = ResponseFuture<S::Future, ResBody, S::Error>;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<ReqBody>) -> Self::Future {
        // The common case, credentials a scheme accepts at once (a cache
        // hit, a fixed token), is decided here: no future of ours, no box.
        // The request is read and changed in place rather than taken apart,
        // which would copy its head twice.
        let now = {
            let target = target_of(request.uri(), request.extensions());
            let auth = AuthRequest::new(request.method().as_str(), &target, request.headers());
            self.config.authenticator.authenticate_now(&auth)
        };
        if let Some(success) = now {
            let info = success.response_headers();
            request
                .extensions_mut()
                .insert::<Authenticated<I>>(success.into_authenticated());
            // Called now, on the service `poll_ready` readied: no clone.
            return ResponseFuture::now(self.inner.call(request), info);
        }
        // The service that was driven to readiness goes into the future; a
        // fresh clone stays behind for the next call (see tower's "be
        // careful when cloning inner services").
        let clone = self.inner.clone();
        let inner = std::mem::replace(&mut self.inner, clone);
        let config = Arc::clone(&self.config);
        ResponseFuture::later(Box::pin(authenticate_then_call(config, inner, request)))
    }
}

async fn authenticate_then_call<S, I, ReqBody, ResBody>(
    config: Arc<Config<I>>,
    mut inner: S,
    request: Request<ReqBody>,
) -> Result<Response<ResBody>, S::Error>
where
    S: Service<Request<ReqBody>, Response = Response<ResBody>>,
    ReqBody: ReplayBody,
    ResBody: DenialBody,
    I: Clone + Send + Sync + 'static,
{
    let (mut parts, body) = request.into_parts();
    let (body, buffered) = buffer_body(body, &parts.headers, config.body_limit).await;
    // Whether the layer's own refusal would leave body bytes unread: hyper
    // then closes the connection after the response, so say so.
    let closes = buffered.is_none() && leaves_unread(parts.version, &body);
    let outcome = {
        let target = request_target(&parts);
        let mut auth_request = AuthRequest::new(parts.method.as_str(), &target, &parts.headers);
        if let Some(bytes) = &buffered {
            auth_request = auth_request.with_body(bytes);
        }
        config.authenticator.authenticate(&auth_request).await
    };
    drop(buffered);
    match outcome {
        Outcome::Authenticated(success) => {
            let info = success.response_headers();
            let authenticated: Authenticated<I> = success.into_authenticated();
            parts.extensions.insert(authenticated);
            let mut response = inner.call(Request::from_parts(parts, body)).await?;
            for (name, value) in info {
                response.headers_mut().append(name, value);
            }
            Ok(response)
        }
        Outcome::Denied(denial) => {
            let missing = denial.credentials_missing();
            let pass = match config.mode {
                Mode::Required => false,
                Mode::Optional => missing,
                Mode::Deferred => true,
            };
            log_denial(&denial, pass);
            if !pass {
                let closes = closes && !drain(body, &parts.headers).await;
                return Ok(closing(denial_response(&denial), closes));
            }
            parts.extensions.insert(PassedDenial::new(denial, missing));
            inner.call(Request::from_parts(parts, body)).await
        }
        // `Outcome` may grow; an outcome this version does not know is
        // refused rather than let through.
        _ => Ok(closing(crate::render::internal_error(), closes)),
    }
}

/// Whether answering now, without the service, leaves request body bytes
/// unread on an HTTP/1 connection: a body the layer did not read (no
/// limit, or one declared above it) or read only in part, unless it is
/// known to be empty. HTTP/2 streams end on their own and forbid
/// `Connection`.
fn leaves_unread<B: Body>(version: Version, body: &B) -> bool {
    version <= Version::HTTP_11 && !body.is_end_stream()
}

/// Adds `Connection: close` to a refusal sent before the request body was
/// read: a server answering before it read the whole content SHOULD say
/// whether it will close the connection (RFC 9110 section 10.1.1, RFC 9112
/// section 9.6). hyper closes it, as the rest of the body is not read, so
/// the client learns before it sends another request (or, after
/// `Expect: 100-continue`, the body) that it must reconnect.
fn closing<B>(mut response: Response<B>, closes: bool) -> Response<B> {
    if closes {
        response
            .headers_mut()
            .insert(CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// What the boxed authentication-then-call future resolves to.
type Answer<B, E> = Result<Response<B>, E>;

pin_project_lite::pin_project! {
    /// The response future of [`RequireAuth`].
    ///
    /// It resolves to the service's response (plus any `Authentication-Info`)
    /// or to the layer's denial.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::convert::Infallible;
    /// use authscheme::Authenticator;
    /// use authscheme_axum::{RequireAuth, ResponseFuture};
    /// use axum::body::Body;
    /// use tower::{Service, ServiceExt, service_fn};
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
    /// let handler = service_fn(|_req: http::Request<Body>| async {
    ///     Ok::<_, Infallible>(http::Response::new(Body::from("secret")))
    /// });
    /// let mut service = RequireAuth::new(handler, Authenticator::new().with(Fixed));
    /// let future: ResponseFuture<_, Body, Infallible> = service.ready().await.unwrap().call(http::Request::new(Body::empty()));
    /// assert_eq!(future.await.unwrap().status(), 401);
    /// # });
    /// ```
    pub struct ResponseFuture<F, B, E> {
        #[pin]
        kind: Kind<F, B, E>,
    }
}

pin_project_lite::pin_project! {
    #[project = KindProj]
    enum Kind<F, B, E> {
        /// Authenticated without waiting: the handler's own future, plus
        /// the `Authentication-Info` headers to add to its response.
        Now {
            #[pin]
            handler: F,
            info: Vec<(http::HeaderName, http::HeaderValue)>,
        },
        /// Everything else. Boxed because the authenticator's future is
        /// itself boxed (`async_trait`) and borrows the request it runs on.
        Later {
            future: Pin<Box<dyn Future<Output = Answer<B, E>> + Send>>,
        },
    }
}

impl<F, B, E> ResponseFuture<F, B, E> {
    fn now(handler: F, info: Vec<(http::HeaderName, http::HeaderValue)>) -> Self {
        Self {
            kind: Kind::Now { handler, info },
        }
    }

    fn later(future: Pin<Box<dyn Future<Output = Answer<B, E>> + Send>>) -> Self {
        Self {
            kind: Kind::Later { future },
        }
    }
}

impl<F, B, E> Future for ResponseFuture<F, B, E>
where
    F: Future<Output = Result<Response<B>, E>>,
{
    type Output = Answer<B, E>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().kind.project() {
            KindProj::Now { handler, info } => {
                let mut response = std::task::ready!(handler.poll(cx))?;
                for (name, value) in info.drain(..) {
                    response.headers_mut().append(name, value);
                }
                Poll::Ready(Ok(response))
            }
            KindProj::Later { future } => future.as_mut().poll(cx),
        }
    }
}

impl<F, B, E> fmt::Debug for ResponseFuture<F, B, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}
