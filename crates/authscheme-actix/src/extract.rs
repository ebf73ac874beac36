//! Extractors for the identity the [`Authentication`](crate::Authentication)
//! middleware recorded.

use std::future::{Ready, ready};
use std::ops::Deref;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_TYPE, HeaderValue};
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, ResponseError};
use authscheme::{Authenticated, Denial};

use crate::middleware::AuthState;
use crate::response::denial_response;

/// The authenticated identity of the request, put there by the
/// [`Authentication`](crate::Authentication) middleware.
///
/// Dereferences to the identity. Extraction fails with [`AuthError`] when the
/// request is not authenticated (possible under
/// [`optional`](crate::Authentication::optional) or
/// [`deferred`](crate::Authentication::deferred) middleware) or when no
/// middleware for this identity type ran. The identity is cloned out of the
/// request; wrap a costly identity in an `Arc`.
///
/// **Where anonymous requests are allowed, extract [`OptionalAuth<I>`], not
/// `Option<Auth<I>>`.** `Option<Auth<I>>` compiles, but actix-web's blanket
/// `Option<T>` extractor turns *every* error into `None`: under
/// [`deferred`](crate::Authentication::deferred) middleware wrong
/// credentials would pass as anonymous, and a route without the middleware
/// would treat everyone as anonymous. `OptionalAuth<I>` is `None` only when
/// no credentials were sent.
///
/// # Examples
///
/// ```
/// use authscheme::registry::Principal;
/// use authscheme_actix::Auth;
///
/// async fn whoami(user: Auth<Principal>) -> String {
///     format!("{} via {}", user.name(), user.authenticated().scheme())
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Auth<I>(Authenticated<I>);

impl<I> Auth<I> {
    /// The identity.
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
    ///     user.identity().name().to_owned()
    /// }
    ///
    /// let app = App::new().service(web::resource("/").wrap(Authentication::new(auth)).to(whoami));
    /// let app = test::init_service(app).await;
    /// let req = TestRequest::get().insert_header(("authorization", "Bearer t0ken")).to_request();
    /// assert_eq!(test::call_and_read_body(&app, req).await, "alice");
    /// # });
    /// ```
    pub fn identity(&self) -> &I {
        self.0.identity()
    }

    /// Takes the identity out.
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
    ///     let principal: Principal = user.into_identity();
    ///     principal.name().to_owned()
    /// }
    ///
    /// let app = App::new().service(web::resource("/").wrap(Authentication::new(auth)).to(whoami));
    /// let app = test::init_service(app).await;
    /// let req = TestRequest::get().insert_header(("authorization", "Bearer t0ken")).to_request();
    /// assert_eq!(test::call_and_read_body(&app, req).await, "alice");
    /// # });
    /// ```
    pub fn into_identity(self) -> I {
        self.0.into_identity()
    }

    /// The identity together with the scheme that authenticated it.
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
    /// async fn scheme(user: Auth<Principal>) -> String {
    ///     user.authenticated().scheme().to_string()
    /// }
    ///
    /// let app = App::new().service(web::resource("/").wrap(Authentication::new(auth)).to(scheme));
    /// let app = test::init_service(app).await;
    /// let req = TestRequest::get().insert_header(("authorization", "Bearer t0ken")).to_request();
    /// assert_eq!(test::call_and_read_body(&app, req).await, "Bearer");
    /// # });
    /// ```
    pub fn authenticated(&self) -> &Authenticated<I> {
        &self.0
    }

    /// Takes the identity and scheme out.
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
    ///     let authenticated = user.into_inner();
    ///     format!("{} via {}", authenticated.identity().name(), authenticated.scheme())
    /// }
    ///
    /// let app = App::new().service(web::resource("/").wrap(Authentication::new(auth)).to(whoami));
    /// let app = test::init_service(app).await;
    /// let req = TestRequest::get().insert_header(("authorization", "Bearer t0ken")).to_request();
    /// assert_eq!(test::call_and_read_body(&app, req).await, "alice via Bearer");
    /// # });
    /// ```
    pub fn into_inner(self) -> Authenticated<I> {
        self.0
    }
}

impl<I> Deref for Auth<I> {
    type Target = I;

    fn deref(&self) -> &I {
        self.0.identity()
    }
}

impl<I: Clone + 'static> FromRequest for Auth<I> {
    type Error = AuthError;
    type Future = Ready<Result<Self, AuthError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(match req.extensions().get::<AuthState<I>>() {
            Some(AuthState::Authenticated(a)) => Ok(Auth(Authenticated::clone(a))),
            Some(AuthState::Missing(d)) => Err(AuthError::new(AuthErrorKind::Missing, Some(d))),
            Some(AuthState::Invalid(d)) => Err(AuthError::new(AuthErrorKind::Invalid, Some(d))),
            None => Err(AuthError::new(AuthErrorKind::NotConfigured, None)),
        })
    }
}

/// The identity if the request was authenticated, `None` if it carried no
/// credentials.
///
/// Refused credentials still fail (under
/// [`deferred`](crate::Authentication::deferred) middleware) with the
/// recorded denial, and a route without the middleware fails with a 500
/// rather than silently treating everyone as anonymous. (actix-web's own
/// `Option<Auth<I>>` would turn both into `None`.)
///
/// # Examples
///
/// ```
/// use authscheme::registry::Principal;
/// use authscheme_actix::OptionalAuth;
///
/// async fn greet(user: OptionalAuth<Principal>) -> String {
///     match user.identity() {
///         Some(p) => format!("hello {}", p.name()),
///         None => "hello stranger".to_owned(),
///     }
/// }
/// ```
#[derive(Debug, Clone)]
pub struct OptionalAuth<I>(Option<Auth<I>>);

impl<I> OptionalAuth<I> {
    /// The identity, if authenticated.
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
    /// let req = TestRequest::get().to_request();
    /// assert_eq!(test::call_and_read_body(&app, req).await, "hello stranger");
    /// let req = TestRequest::get().insert_header(("authorization", "Bearer t0ken")).to_request();
    /// assert_eq!(test::call_and_read_body(&app, req).await, "hello alice");
    /// # });
    /// ```
    pub fn identity(&self) -> Option<&I> {
        self.0.as_ref().map(Auth::identity)
    }

    /// The extracted [`Auth`], if authenticated.
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
    /// async fn scheme(user: OptionalAuth<Principal>) -> String {
    ///     match user.into_inner() {
    ///         Some(auth) => auth.authenticated().scheme().to_string(),
    ///         None => "none".to_owned(),
    ///     }
    /// }
    ///
    /// let app = App::new().service(web::resource("/").wrap(Authentication::new(auth).optional()).to(scheme));
    /// let app = test::init_service(app).await;
    /// assert_eq!(test::call_and_read_body(&app, TestRequest::get().to_request()).await, "none");
    /// let req = TestRequest::get().insert_header(("authorization", "Bearer t0ken")).to_request();
    /// assert_eq!(test::call_and_read_body(&app, req).await, "Bearer");
    /// # });
    /// ```
    pub fn into_inner(self) -> Option<Auth<I>> {
        self.0
    }
}

impl<I: Clone + 'static> FromRequest for OptionalAuth<I> {
    type Error = AuthError;
    type Future = Ready<Result<Self, AuthError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let result = match Auth::<I>::from_request(req, payload).into_inner() {
            Ok(auth) => Ok(OptionalAuth(Some(auth))),
            Err(e) if e.kind() == AuthErrorKind::Missing => Ok(OptionalAuth(None)),
            Err(e) => Err(e),
        };
        ready(result)
    }
}

/// Why [`Auth`] or [`OptionalAuth`] could not be extracted.
///
/// As an actix-web error it renders like the middleware would: the recorded
/// denial (401/407 with every challenge, or 400/403) for missing or refused
/// credentials, and `500` when no middleware ran.
///
/// Its `Debug` shows the kind, the status and the refusing scheme, never
/// the denial's reason (such as "wrong user-id or password"), which is for
/// the server's logs only: the middleware logs it.
///
/// # Examples
///
/// ```
/// use authscheme_actix::{AuthError, AuthErrorKind};
/// fn log(e: &AuthError) {
///     if e.kind() == AuthErrorKind::NotConfigured {
///         eprintln!("route forgot .wrap(Authentication::new(..))");
///     }
/// }
/// ```
#[derive(thiserror::Error)]
#[error("{}", .kind.describe())]
pub struct AuthError {
    kind: AuthErrorKind,
    denial: Option<Denial>,
}

impl std::fmt::Debug for AuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthError")
            .field("kind", &self.kind)
            .field("status", &self.status_code().as_u16())
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

/// The kinds of [`AuthError`].
/// # Examples
///
/// ```
/// use actix_web::test::{self, TestRequest};
/// use actix_web::{App, web};
/// use authscheme::registry::Principal;
/// use authscheme_actix::{Auth, AuthError, Authentication};
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
/// async fn why(user: Result<Auth<Principal>, AuthError>) -> String {
///     match user {
///         Ok(user) => user.name().to_owned(),
///         Err(e) => format!("{:?}", e.kind()),
///     }
/// }
///
/// let app = App::new()
///     .service(web::resource("/").wrap(Authentication::new(auth).deferred()).to(why))
///     .service(web::resource("/unprotected").to(why));
/// let app = test::init_service(app).await;
/// let missing = TestRequest::get().to_request();
/// assert_eq!(test::call_and_read_body(&app, missing).await, "Missing");
/// let wrong = TestRequest::get().insert_header(("authorization", "Bearer wrong")).to_request();
/// assert_eq!(test::call_and_read_body(&app, wrong).await, "Invalid");
/// let unprotected = TestRequest::get().uri("/unprotected").to_request();
/// assert_eq!(test::call_and_read_body(&app, unprotected).await, "NotConfigured");
/// # });
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthErrorKind {
    /// The request carried no credentials.
    Missing,
    /// The request carried credentials that were refused or malformed.
    Invalid,
    /// No [`Authentication`](crate::Authentication) middleware for this
    /// identity type ran for the route: the route has no middleware, or its
    /// middleware authenticates another identity type than the extractor
    /// asks for. A server misconfiguration.
    NotConfigured,
}

impl AuthErrorKind {
    fn describe(self) -> &'static str {
        match self {
            AuthErrorKind::Missing => "no credentials",
            AuthErrorKind::Invalid => "credentials refused",
            AuthErrorKind::NotConfigured => {
                "no authenticated identity of this type: is the middleware installed, with the same identity type?"
            }
        }
    }
}

impl AuthError {
    fn new(kind: AuthErrorKind, denial: Option<&Denial>) -> Self {
        Self {
            kind,
            denial: denial.cloned(),
        }
    }

    /// What went wrong.
    /// # Examples
    ///
    /// ```
    /// use actix_web::test::{self, TestRequest};
    /// use actix_web::{App, web};
    /// use authscheme::registry::Principal;
    /// use authscheme_actix::{Auth, AuthError, AuthErrorKind, Authentication};
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
    /// async fn greet(user: Result<Auth<Principal>, AuthError>) -> String {
    ///     match user {
    ///         Ok(user) => format!("hello {}", user.name()),
    ///         Err(e) if e.kind() == AuthErrorKind::Missing => "hello stranger".to_owned(),
    ///         Err(_) => "refused".to_owned(),
    ///     }
    /// }
    ///
    /// let app = App::new().service(web::resource("/").wrap(Authentication::new(auth).deferred()).to(greet));
    /// let app = test::init_service(app).await;
    /// assert_eq!(test::call_and_read_body(&app, TestRequest::get().to_request()).await, "hello stranger");
    /// let wrong = TestRequest::get().insert_header(("authorization", "Bearer wrong")).to_request();
    /// assert_eq!(test::call_and_read_body(&app, wrong).await, "refused");
    /// # });
    /// ```
    pub fn kind(&self) -> AuthErrorKind {
        self.kind
    }

    /// The denial the middleware recorded, for missing or refused
    /// credentials; `None` when no middleware ran.
    /// # Examples
    ///
    /// ```
    /// use actix_web::test::{self, TestRequest};
    /// use actix_web::{App, web};
    /// use authscheme::registry::Principal;
    /// use authscheme_actix::{Auth, AuthError, Authentication};
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
    /// async fn status(user: Result<Auth<Principal>, AuthError>) -> String {
    ///     let error = user.err().unwrap();
    ///     error.denial().map_or("no denial".to_owned(), |d| d.status().to_string())
    /// }
    ///
    /// let app = App::new()
    ///     .service(web::resource("/").wrap(Authentication::new(auth).deferred()).to(status))
    ///     .service(web::resource("/unprotected").to(status));
    /// let app = test::init_service(app).await;
    /// let wrong = TestRequest::get().insert_header(("authorization", "Bearer wrong")).to_request();
    /// assert_eq!(test::call_and_read_body(&app, wrong).await, "401 Unauthorized");
    /// let unprotected = TestRequest::get().uri("/unprotected").to_request();
    /// assert_eq!(test::call_and_read_body(&app, unprotected).await, "no denial");
    /// # });
    /// ```
    pub fn denial(&self) -> Option<&Denial> {
        self.denial.as_ref()
    }
}

impl ResponseError for AuthError {
    fn status_code(&self) -> StatusCode {
        self.denial
            .as_ref()
            .and_then(|d| StatusCode::from_u16(d.status().as_u16()).ok())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    fn error_response(&self) -> HttpResponse {
        match &self.denial {
            Some(denial) => denial_response(denial),
            None => {
                tracing::error!("{}", self.kind.describe());
                HttpResponse::InternalServerError()
                    .insert_header((
                        CONTENT_TYPE,
                        HeaderValue::from_static(authscheme::Denial::CONTENT_TYPE),
                    ))
                    .body("Internal Server Error\n")
            }
        }
    }
}
