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
    pub fn identity(&self) -> &I {
        self.0.identity()
    }

    /// Takes the identity out.
    pub fn into_identity(self) -> I {
        self.0.into_identity()
    }

    /// The identity together with the scheme that authenticated it.
    pub fn authenticated(&self) -> &Authenticated<I> {
        &self.0
    }

    /// Takes the identity and scheme out.
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
    pub fn identity(&self) -> Option<&I> {
        self.0.as_ref().map(Auth::identity)
    }

    /// The extracted [`Auth`], if authenticated.
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
#[derive(Debug, thiserror::Error)]
#[error("{}", .kind.describe())]
pub struct AuthError {
    kind: AuthErrorKind,
    denial: Option<Denial>,
}

/// The kinds of [`AuthError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuthErrorKind {
    /// The request carried no credentials.
    Missing,
    /// The request carried credentials that were refused or malformed.
    Invalid,
    /// No [`Authentication`](crate::Authentication) middleware for this
    /// identity type ran for the route: a server misconfiguration.
    NotConfigured,
}

impl AuthErrorKind {
    fn describe(self) -> &'static str {
        match self {
            AuthErrorKind::Missing => "no credentials",
            AuthErrorKind::Invalid => "credentials refused",
            AuthErrorKind::NotConfigured => "no authentication middleware ran for this route",
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
    pub fn kind(&self) -> AuthErrorKind {
        self.kind
    }

    /// The denial the middleware recorded, for missing or refused
    /// credentials.
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
