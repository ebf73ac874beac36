//! [`Authentication`]: the actix-web middleware that runs an
//! [`Authenticator`] in front of a route, a scope or a whole app.

use std::future::{Future, Ready, ready};
use std::pin::Pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll};

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::{Error, HttpMessage};
use authscheme::{
    AuthRequest, Authenticated, AuthenticatedOutcome, Authenticator, Denial, Outcome,
};
use futures_util::future::LocalBoxFuture;

use crate::body::{buffer_within, drain};
use crate::headers::{ActixHeaders, request_target};
use crate::response::{append_lines, denial_response};

/// What the middleware does when the authenticator refuses a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Answer every refusal itself; handlers only run authenticated.
    Required,
    /// Let requests without credentials through (the handler sees `None`);
    /// answer refused credentials itself.
    Optional,
    /// Never answer; record the outcome for the extractors to act on.
    Deferred,
}

/// What the middleware left in the request extensions for the extractors.
#[derive(Debug)]
pub(crate) enum AuthState<I> {
    Authenticated(Authenticated<I>),
    /// No credentials were sent; the denial is what a 401 would carry.
    Missing(Denial),
    /// Credentials were sent and refused.
    Invalid(Denial),
}

struct Config<I> {
    authenticator: Authenticator<I>,
    mode: Mode,
    body_limit: Option<usize>,
}

/// actix-web middleware that authenticates requests with an
/// [`Authenticator`].
///
/// On success the identity goes into the request extensions (read it with
/// [`Auth`](crate::Auth) or [`OptionalAuth`](crate::OptionalAuth)) and the
/// outcome's headers (`Authentication-Info`) are appended to the handler's
/// response. On refusal the middleware answers with
/// [`denial_response`](crate::denial_response): the status, one field line
/// per challenge, and a short plain-text body.
///
/// # Examples
///
/// ```
/// use actix_web::{App, web};
/// use authscheme::registry::Principal;
/// use authscheme_actix::{Auth, Authentication};
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
/// async fn hello(user: Auth<Principal>) -> String {
///     format!("hello {}", user.name())
/// }
///
/// let auth = Authenticator::new().with(MyScheme);
/// let app = App::new().service(
///     web::scope("/private")
///         .wrap(Authentication::new(auth))
///         .route("/hello", web::get().to(hello)),
/// );
/// ```
pub struct Authentication<I> {
    config: Arc<Config<I>>,
}

impl<I> Clone for Authentication<I> {
    fn clone(&self) -> Self {
        Self {
            config: Arc::clone(&self.config),
        }
    }
}

impl<I: 'static> std::fmt::Debug for Authentication<I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authentication")
            .field("authenticator", &self.config.authenticator)
            .field("mode", &self.config.mode)
            .field("body_limit", &self.config.body_limit)
            .finish()
    }
}

impl<I: Send + Sync + 'static> Authentication<I> {
    /// Requires authentication: refused requests never reach the handler.
    /// # Examples
    ///
    /// ```
    /// use actix_web::test::{self, TestRequest};
    /// use actix_web::{App, web};
    /// use authscheme::registry::Principal;
    /// use authscheme_actix::{Auth, Authentication};
    /// # use authscheme::*;
    /// # struct Fixed;
    /// # #[async_trait]
    /// # impl AuthScheme<Principal> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { SchemeName::BEARER }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<Principal> {
    /// #         match c.token68() {
    /// #             Some(t) if ct_eq(t.as_bytes(), b"t0ken") => Verdict::Authenticated(Authenticated::new(Principal::new("alice"), self.name())),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # let auth = Authenticator::<Principal>::new().with(Fixed);
    /// # actix_web::rt::System::new().block_on(async {
    ///
    /// async fn whoami(user: Auth<Principal>) -> String {
    ///     user.name().to_owned()
    /// }
    ///
    /// let app = App::new().service(web::resource("/").wrap(Authentication::new(auth)).to(whoami));
    /// let app = test::init_service(app).await;
    /// let res = test::call_service(&app, TestRequest::get().to_request()).await;
    /// assert_eq!(res.status(), 401);
    /// assert_eq!(res.headers().get("www-authenticate").unwrap(), "Bearer");
    /// let req = TestRequest::get().insert_header(("authorization", "Bearer t0ken")).to_request();
    /// assert_eq!(test::call_and_read_body(&app, req).await, "alice");
    /// # });
    /// ```
    pub fn new(authenticator: Authenticator<I>) -> Self {
        Self::with_mode(authenticator, Mode::Required, None)
    }

    fn with_mode(authenticator: Authenticator<I>, mode: Mode, body_limit: Option<usize>) -> Self {
        Self {
            config: Arc::new(Config {
                authenticator,
                mode,
                body_limit,
            }),
        }
    }

    fn rebuild(self, mode: Mode, body_limit: Option<usize>) -> Self {
        let authenticator = self.config.authenticator.clone();
        Self::with_mode(authenticator, mode, body_limit)
    }

    /// Optional authentication: a request without credentials reaches the
    /// handler unauthenticated ([`OptionalAuth`](crate::OptionalAuth) is
    /// `None`); credentials that are sent must be good.
    /// # Examples
    ///
    /// ```
    /// use actix_web::test::{self, TestRequest};
    /// use actix_web::{App, web};
    /// use authscheme::registry::Principal;
    /// use authscheme_actix::{Authentication, OptionalAuth};
    /// # use authscheme::*;
    /// # struct Fixed;
    /// # #[async_trait]
    /// # impl AuthScheme<Principal> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { SchemeName::BEARER }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<Principal> {
    /// #         match c.token68() {
    /// #             Some(t) if ct_eq(t.as_bytes(), b"t0ken") => Verdict::Authenticated(Authenticated::new(Principal::new("alice"), self.name())),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # let auth = Authenticator::<Principal>::new().with(Fixed);
    /// # actix_web::rt::System::new().block_on(async {
    ///
    /// async fn greet(user: OptionalAuth<Principal>) -> String {
    ///     format!("hello {}", user.identity().map_or("stranger", |p| p.name()))
    /// }
    ///
    /// let app = App::new().service(web::resource("/").wrap(Authentication::new(auth).optional()).to(greet));
    /// let app = test::init_service(app).await;
    /// assert_eq!(test::call_and_read_body(&app, TestRequest::get().to_request()).await, "hello stranger");
    /// let wrong = TestRequest::get().insert_header(("authorization", "Bearer wrong")).to_request();
    /// assert_eq!(test::call_service(&app, wrong).await.status(), 401);
    /// # });
    /// ```
    pub fn optional(self) -> Self {
        let limit = self.config.body_limit;
        self.rebuild(Mode::Optional, limit)
    }

    /// Never answers by itself: every request reaches the handler, and the
    /// extractors decide ([`Auth`](crate::Auth) refuses with the recorded
    /// denial, [`OptionalAuth`](crate::OptionalAuth) accepts a request
    /// without credentials). Use it to wrap a scope whose routes differ in
    /// what they require.
    ///
    /// Where anonymous requests are allowed, extract
    /// [`OptionalAuth<I>`](crate::OptionalAuth), never `Option<Auth<I>>`:
    /// actix-web's `Option<T>` extractor turns every error into `None`, so
    /// wrong credentials would pass as anonymous.
    /// # Examples
    ///
    /// ```
    /// use actix_web::test::{self, TestRequest};
    /// use actix_web::{App, web};
    /// use authscheme::registry::Principal;
    /// use authscheme_actix::{Auth, Authentication};
    /// # use authscheme::*;
    /// # struct Fixed;
    /// # #[async_trait]
    /// # impl AuthScheme<Principal> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { SchemeName::BEARER }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<Principal> {
    /// #         match c.token68() {
    /// #             Some(t) if ct_eq(t.as_bytes(), b"t0ken") => Verdict::Authenticated(Authenticated::new(Principal::new("alice"), self.name())),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # let auth = Authenticator::<Principal>::new().with(Fixed);
    /// # actix_web::rt::System::new().block_on(async {
    ///
    /// async fn private(user: Auth<Principal>) -> String {
    ///     user.name().to_owned()
    /// }
    ///
    /// let app = App::new().service(
    ///     web::scope("")
    ///         .wrap(Authentication::new(auth).deferred())
    ///         .route("/public", web::get().to(|| async { "anyone" }))
    ///         .route("/private", web::get().to(private)),
    /// );
    /// let app = test::init_service(app).await;
    /// let public = TestRequest::get().uri("/public").to_request();
    /// assert_eq!(test::call_and_read_body(&app, public).await, "anyone");
    /// let private = TestRequest::get().uri("/private").to_request();
    /// assert_eq!(test::call_service(&app, private).await.status(), 401);
    /// # });
    /// ```
    pub fn deferred(self) -> Self {
        let limit = self.config.body_limit;
        self.rebuild(Mode::Deferred, limit)
    }

    /// Gives the schemes the request body when it is at most `limit` bytes,
    /// so Digest can offer and verify `qop=auth-int`. The handler still reads
    /// the same body. A body announced or found to be larger is left to the
    /// handler untouched, and the schemes see no body. A `limit` of 0 is the
    /// same as no limit: nothing is read, not even an empty body is handed
    /// over.
    ///
    /// # Examples
    ///
    /// ```
    /// use actix_web::test::{self, TestRequest};
    /// use actix_web::{App, web};
    /// use authscheme::Authenticator;
    /// use authscheme::registry::Principal;
    /// use authscheme_actix::Authentication;
    /// // A scheme that, like Digest, offers `qop="auth-int"` only when it is
    /// // handed the body.
    /// use authscheme_testkit::schemes::BodyCheck;
    /// # actix_web::rt::System::new().block_on(async {
    ///
    /// let auth = Authenticator::<Principal>::new().with(BodyCheck);
    /// let app = App::new().service(
    ///     web::resource("/upload")
    ///         .wrap(Authentication::new(auth).body_limit(16))
    ///         .to(|| async { "stored" }),
    /// );
    /// let app = test::init_service(app).await;
    /// let small = TestRequest::post().uri("/upload").set_payload("0123456789").to_request();
    /// let res = test::call_service(&app, small).await;
    /// assert_eq!(res.headers().get("www-authenticate").unwrap(), r#"BodyCheck realm="testkit", qop="auth-int""#);
    /// let large = TestRequest::post().uri("/upload").set_payload("0123456789".repeat(2)).to_request();
    /// let res = test::call_service(&app, large).await;
    /// assert_eq!(res.headers().get("www-authenticate").unwrap(), r#"BodyCheck realm="testkit", qop="auth""#);
    /// # });
    /// ```
    pub fn body_limit(self, limit: usize) -> Self {
        let mode = self.config.mode;
        self.rebuild(mode, Some(limit))
    }
}

impl<S, B, I> Transform<S, ServiceRequest> for Authentication<I>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
    I: Send + Sync + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Transform = AuthenticationMiddleware<S, I>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(AuthenticationMiddleware {
            service: Rc::new(service),
            config: Arc::clone(&self.config),
        }))
    }
}

/// The service [`Authentication`] wraps around a route; built by actix-web
/// through [`Transform`](actix_web::dev::Transform).
/// # Examples
///
/// ```
/// use actix_web::test::{self, TestRequest};
/// use authscheme::registry::Principal;
/// use actix_web::dev::{Service, Transform};
/// use authscheme_actix::{Authentication, AuthenticationMiddleware};
/// # use authscheme::*;
/// # struct Fixed;
/// # #[async_trait]
/// # impl AuthScheme<Principal> for Fixed {
/// #     fn name(&self) -> SchemeName<'static> { SchemeName::BEARER }
/// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
/// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<Principal> {
/// #         match c.token68() {
/// #             Some(t) if ct_eq(t.as_bytes(), b"t0ken") => Verdict::Authenticated(Authenticated::new(Principal::new("alice"), self.name())),
/// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
/// #         }
/// #     }
/// # }
/// # let auth = Authenticator::<Principal>::new().with(Fixed);
/// # actix_web::rt::System::new().block_on(async {
///
/// let middleware: AuthenticationMiddleware<_, Principal> =
///     Authentication::new(auth).new_transform(test::ok_service()).await.unwrap();
/// let res = middleware.call(TestRequest::default().to_srv_request()).await.unwrap();
/// assert_eq!(res.status(), 401);
/// # });
/// ```
pub struct AuthenticationMiddleware<S, I> {
    service: Rc<S>,
    config: Arc<Config<I>>,
}

impl<S, I: 'static> std::fmt::Debug for AuthenticationMiddleware<S, I> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthenticationMiddleware")
            .field("authenticator", &self.config.authenticator)
            .finish_non_exhaustive()
    }
}

impl<S, B, I> Service<ServiceRequest> for AuthenticationMiddleware<S, I>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: MessageBody + 'static,
    I: Send + Sync + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = Error;
    type Future = AuthenticationFuture<S::Future, B>;

    forward_ready!(service);

    fn call(&self, mut req: ServiceRequest) -> Self::Future {
        // The common case, credentials a scheme accepts at once (a cache
        // hit, a fixed token), is decided here: no future of ours, no box.
        if let Some(success) = authenticate_now(&self.config.authenticator, &req) {
            let info = success.response_headers();
            let state = AuthState::Authenticated(success.into_authenticated());
            req.extensions_mut().insert(state);
            return AuthenticationFuture::now(self.service.call(req), info);
        }
        let service = Rc::clone(&self.service);
        let config = Arc::clone(&self.config);
        AuthenticationFuture::later(Box::pin(async move {
            let body = match config.body_limit {
                Some(limit) => buffer_within(&mut req, limit).await,
                None => None,
            };
            let outcome = authenticate(&config.authenticator, &req, body.as_deref()).await;
            let (state, info) = match outcome {
                Outcome::Authenticated(ok) => {
                    let info = ok.response_headers();
                    (AuthState::Authenticated(ok.into_authenticated()), info)
                }
                Outcome::Denied(denial) => {
                    tracing::debug!(
                        status = denial.status().as_u16(),
                        reason = denial.reason(),
                        "authentication refused"
                    );
                    let missing = denial.credentials_missing();
                    match (config.mode, missing) {
                        (Mode::Optional, true) | (Mode::Deferred, true) => {
                            (AuthState::Missing(denial), Vec::new())
                        }
                        (Mode::Deferred, false) => (AuthState::Invalid(denial), Vec::new()),
                        _ => {
                            // A payload left unread (past the limits, or
                            // after `Expect: 100-continue`) ends the
                            // connection; the refusal says so.
                            let drained = drain(&mut req).await;
                            let mut res = denial_response(&denial);
                            if !drained {
                                res.head_mut()
                                    .set_connection_type(actix_web::http::ConnectionType::Close);
                            }
                            return Ok(req.into_response(res).map_into_right_body());
                        }
                    }
                }
                // `Outcome` is non-exhaustive: fail closed on anything new.
                _ => {
                    let res = actix_web::HttpResponse::InternalServerError().finish();
                    return Ok(req.into_response(res).map_into_right_body());
                }
            };
            req.extensions_mut().insert(state);
            let mut res = service.call(req).await?;
            append_lines(res.headers_mut(), &info);
            Ok(res.map_into_left_body())
        }))
    }
}

/// Runs the authenticator's synchronous path on the request as it stands.
fn authenticate_now<I: Send + Sync + 'static>(
    authenticator: &Authenticator<I>,
    req: &ServiceRequest,
) -> Option<AuthenticatedOutcome<I>> {
    let headers = ActixHeaders(req.headers());
    let target = request_target(req.uri());
    authenticator.authenticate_now(&AuthRequest::new(req.method().as_str(), &target, &headers))
}

/// The answer of one response body type or the other.
type Answer<B> = Result<ServiceResponse<EitherBody<B>>, Error>;

pin_project_lite::pin_project! {
    /// The response future of the [`Authentication`] middleware.
    /// # Examples
    ///
    /// ```
    /// use actix_web::test::{self, TestRequest};
    /// use authscheme::registry::Principal;
    /// use actix_web::body::BoxBody;
    /// use actix_web::dev::{Service, Transform};
    /// use authscheme_actix::{Authentication, AuthenticationFuture};
    /// # use authscheme::*;
    /// # struct Fixed;
    /// # #[async_trait]
    /// # impl AuthScheme<Principal> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { SchemeName::BEARER }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<Principal> {
    /// #         match c.token68() {
    /// #             Some(t) if ct_eq(t.as_bytes(), b"t0ken") => Verdict::Authenticated(Authenticated::new(Principal::new("alice"), self.name())),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # let auth = Authenticator::<Principal>::new().with(Fixed);
    /// # actix_web::rt::System::new().block_on(async {
    ///
    /// let middleware = Authentication::new(auth).new_transform(test::ok_service()).await.unwrap();
    /// let req = TestRequest::default().insert_header(("authorization", "Bearer t0ken")).to_srv_request();
    /// let future: AuthenticationFuture<_, BoxBody> = middleware.call(req);
    /// assert_eq!(future.await.unwrap().status(), 200);
    /// # });
    /// ```
    pub struct AuthenticationFuture<F, B> {
        #[pin]
        kind: Kind<F, B>,
    }
}

pin_project_lite::pin_project! {
    #[project = KindProj]
    enum Kind<F, B> {
        /// Authenticated without waiting: the handler's own future, plus
        /// the `Authentication-Info` lines to add to its response.
        Now {
            #[pin]
            handler: F,
            info: Vec<(http::HeaderName, http::HeaderValue)>,
        },
        /// Everything else: buffering, the asynchronous schemes, denials.
        Later {
            future: LocalBoxFuture<'static, Answer<B>>,
        },
    }
}

impl<F, B> AuthenticationFuture<F, B> {
    fn now(handler: F, info: Vec<(http::HeaderName, http::HeaderValue)>) -> Self {
        Self {
            kind: Kind::Now { handler, info },
        }
    }

    fn later(future: LocalBoxFuture<'static, Answer<B>>) -> Self {
        Self {
            kind: Kind::Later { future },
        }
    }
}

impl<F, B> Future for AuthenticationFuture<F, B>
where
    F: Future<Output = Result<ServiceResponse<B>, Error>>,
{
    type Output = Answer<B>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match self.project().kind.project() {
            KindProj::Now { handler, info } => {
                let mut res = std::task::ready!(handler.poll(cx))?;
                append_lines(res.headers_mut(), info);
                Poll::Ready(Ok(res.map_into_left_body()))
            }
            KindProj::Later { future } => future.as_mut().poll(cx),
        }
    }
}

impl<F, B> std::fmt::Debug for AuthenticationFuture<F, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthenticationFuture")
            .finish_non_exhaustive()
    }
}

/// Builds the framework-neutral request and runs the authenticator.
async fn authenticate<I: Send + Sync + 'static>(
    authenticator: &Authenticator<I>,
    req: &ServiceRequest,
    body: Option<&[u8]>,
) -> Outcome<I> {
    let headers = ActixHeaders(req.headers());
    let target = request_target(req.uri());
    let mut request = AuthRequest::new(req.method().as_str(), &target, &headers);
    if let Some(body) = body {
        request = request.with_body(body);
    }
    authenticator.authenticate(&request).await
}
