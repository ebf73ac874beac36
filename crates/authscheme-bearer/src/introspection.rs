//! Opaque tokens checked by an OAuth 2.0 token introspection endpoint
//! (RFC 7662): the seam, not an HTTP client.
//!
//! Implement [`Introspector`] with the HTTP client the application already
//! uses (POST `token=...` to the endpoint, authenticated as the resource
//! server), and wrap it in an [`IntrospectionValidator`].
//!
//! # Examples
//!
//! ```
//! use std::collections::HashMap;
//! use authscheme_bearer::introspection::{Introspection, IntrospectionValidator, Introspector};
//! use authscheme_bearer::{BearerScheme, TokenError, TokenValidator};
//!
//! /// Stands in for a POST to https://as.example/introspect.
//! #[derive(Debug)]
//! struct FakeAuthorizationServer(HashMap<&'static str, Introspection>);
//!
//! #[async_trait::async_trait]
//! impl Introspector for FakeAuthorizationServer {
//!     async fn introspect(&self, token: &str) -> Result<Introspection, TokenError> {
//!         // A real one maps network errors to TokenError::Unavailable (503).
//!         Ok(self.0.get(token).cloned().unwrap_or_else(Introspection::inactive))
//!     }
//! }
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let server = FakeAuthorizationServer(HashMap::from([(
//!     "2YotnFZFEjr1zCsicMWpAA",
//!     Introspection::active("alice").with_scope("read write"),
//! )]));
//! let validator = IntrospectionValidator::new(server);
//! let info = validator.validate("2YotnFZFEjr1zCsicMWpAA").await.unwrap();
//! assert!(info.has_scope("write"));
//! assert_eq!(validator.validate("revoked").await, Err(TokenError::Inactive));
//! let scheme = BearerScheme::builder(validator).realm("api").build().unwrap();
//! # let _ = scheme;
//! # });
//! ```

use std::time::{SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use authscheme::registry::Principal;

use crate::error::TokenError;
use crate::validator::{TokenInfo, TokenValidator};

/// The parts of an RFC 7662 section 2.2 introspection response the scheme
/// uses.
///
/// # Examples
///
/// ```
/// use authscheme_bearer::introspection::Introspection;
/// let r = Introspection::active("alice").with_scope("read").with_exp(4_000_000_000);
/// assert!(r.is_active());
/// assert!(!Introspection::inactive().is_active());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Introspection {
    active: bool,
    sub: Option<String>,
    scope: Option<String>,
    exp: Option<u64>,
}

impl Introspection {
    /// `{"active": true, "sub": ...}`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::TokenValidator;
    /// use authscheme_bearer::introspection::{Introspection, IntrospectionValidator};
    /// # #[derive(Debug)]
    /// # struct Answer(Introspection);
    /// # #[async_trait::async_trait]
    /// # impl authscheme_bearer::introspection::Introspector for Answer {
    /// #     async fn introspect(&self, _: &str) -> Result<Introspection, authscheme_bearer::TokenError> {
    /// #         Ok(self.0.clone())
    /// #     }
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let answer = Introspection::active("alice");
    /// assert!(answer.is_active());
    /// // `sub` names the principal.
    /// let validator = IntrospectionValidator::new(Answer(answer));
    /// assert_eq!(validator.validate("2YotnFZFEjr1zCsicMWpAA").await.unwrap().identity().name(), "alice");
    /// # });
    /// ```
    pub fn active(sub: impl Into<String>) -> Self {
        Self {
            active: true,
            sub: Some(sub.into()),
            ..Self::default()
        }
    }

    /// `{"active": false}`: unknown, expired or revoked.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::{TokenError, TokenValidator};
    /// use authscheme_bearer::introspection::{Introspection, IntrospectionValidator};
    /// # #[derive(Debug)]
    /// # struct Answer(Introspection);
    /// # #[async_trait::async_trait]
    /// # impl authscheme_bearer::introspection::Introspector for Answer {
    /// #     async fn introspect(&self, _: &str) -> Result<Introspection, TokenError> {
    /// #         Ok(self.0.clone())
    /// #     }
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let validator = IntrospectionValidator::new(Answer(Introspection::inactive()));
    /// assert_eq!(validator.validate("revoked").await, Err(TokenError::Inactive));
    /// # });
    /// ```
    pub fn inactive() -> Self {
        Self::default()
    }

    /// The `scope` member (space-separated).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::TokenValidator;
    /// use authscheme_bearer::introspection::{Introspection, IntrospectionValidator};
    /// # #[derive(Debug)]
    /// # struct Answer(Introspection);
    /// # #[async_trait::async_trait]
    /// # impl authscheme_bearer::introspection::Introspector for Answer {
    /// #     async fn introspect(&self, _: &str) -> Result<Introspection, authscheme_bearer::TokenError> {
    /// #         Ok(self.0.clone())
    /// #     }
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let answer = Introspection::active("alice").with_scope("read write");
    /// let info = IntrospectionValidator::new(Answer(answer)).validate("t").await.unwrap();
    /// assert_eq!(info.scopes(), ["read", "write"]);
    /// # });
    /// ```
    pub fn with_scope(mut self, scope: impl Into<String>) -> Self {
        self.scope = Some(scope.into());
        self
    }

    /// The `exp` member (seconds since the epoch).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::{TokenError, TokenValidator};
    /// use authscheme_bearer::introspection::{Introspection, IntrospectionValidator};
    /// # #[derive(Debug)]
    /// # struct Answer(Introspection);
    /// # #[async_trait::async_trait]
    /// # impl authscheme_bearer::introspection::Introspector for Answer {
    /// #     async fn introspect(&self, _: &str) -> Result<Introspection, TokenError> {
    /// #         Ok(self.0.clone())
    /// #     }
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// // Still marked active, but past its `exp` (2001-09-09): refused.
    /// let stale = Introspection::active("alice").with_exp(1_000_000_000);
    /// let validator = IntrospectionValidator::new(Answer(stale));
    /// assert_eq!(validator.validate("t").await, Err(TokenError::Expired));
    /// # });
    /// ```
    pub fn with_exp(mut self, exp: u64) -> Self {
        self.exp = Some(exp);
        self
    }

    /// The `active` member.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::introspection::Introspection;
    /// assert!(Introspection::active("alice").is_active());
    /// assert!(!Introspection::inactive().is_active());
    /// ```
    pub fn is_active(&self) -> bool {
        self.active
    }
}

/// Asks an authorization server about a token (RFC 7662 section 2.1).
///
/// # Examples
///
/// ```
/// use authscheme::{AuthRequest, Authenticator, Outcome};
/// use authscheme_bearer::introspection::{Introspection, IntrospectionValidator, Introspector};
/// use authscheme_bearer::{BearerScheme, TokenError};
///
/// /// An authorization server that cannot be reached.
/// #[derive(Debug)]
/// struct Unreachable;
///
/// #[async_trait::async_trait]
/// impl Introspector for Unreachable {
///     async fn introspect(&self, _token: &str) -> Result<Introspection, TokenError> {
///         Err(TokenError::Unavailable)
///     }
/// }
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let scheme = BearerScheme::builder(IntrospectionValidator::new(Unreachable)).build().unwrap();
/// let auth = Authenticator::new().with(scheme);
/// let mut headers = http::HeaderMap::new();
/// headers.insert("authorization", "Bearer 2YotnFZFEjr1zCsicMWpAA".parse().unwrap());
/// let Outcome::Denied(denial) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await
/// else { panic!() };
/// // Fail closed: 503, not a 401 that would make the client drop its token.
/// assert_eq!(denial.status().as_u16(), 503);
/// # });
/// ```
#[async_trait]
pub trait Introspector: Send + Sync + 'static {
    /// The introspection response for `token`.
    ///
    /// # Errors
    ///
    /// [`TokenError::Unavailable`] when the endpoint cannot be reached; the
    /// request then fails closed with `503`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use authscheme_bearer::TokenError;
    /// use authscheme_bearer::introspection::{Introspection, Introspector};
    ///
    /// #[derive(Debug)]
    /// struct Table(HashMap<&'static str, Introspection>);
    ///
    /// #[async_trait::async_trait]
    /// impl Introspector for Table {
    ///     async fn introspect(&self, token: &str) -> Result<Introspection, TokenError> {
    ///         Ok(self.0.get(token).cloned().unwrap_or_else(Introspection::inactive))
    ///     }
    /// }
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let server = Table(HashMap::from([("2YotnFZFEjr1zCsicMWpAA", Introspection::active("alice"))]));
    /// assert!(server.introspect("2YotnFZFEjr1zCsicMWpAA").await.unwrap().is_active());
    /// assert!(!server.introspect("unknown").await.unwrap().is_active());
    /// # });
    /// ```
    async fn introspect(&self, token: &str) -> Result<Introspection, TokenError>;
}

/// A [`TokenValidator`] over an [`Introspector`]: inactive tokens and
/// tokens past their `exp` are refused; `sub` names the
/// [`Principal`], `scope` gives the scopes.
///
/// # Examples
///
/// ```
/// use authscheme_bearer::TokenValidator;
/// use authscheme_bearer::introspection::{Introspection, IntrospectionValidator};
/// # #[derive(Debug)]
/// # struct Answer(Introspection);
/// # #[async_trait::async_trait]
/// # impl authscheme_bearer::introspection::Introspector for Answer {
/// #     async fn introspect(&self, _: &str) -> Result<Introspection, authscheme_bearer::TokenError> {
/// #         Ok(self.0.clone())
/// #     }
/// # }
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let server = Answer(Introspection::active("alice").with_scope("read admin"));
/// let info = IntrospectionValidator::new(server).validate("2YotnFZFEjr1zCsicMWpAA").await.unwrap();
/// let principal = info.identity();
/// assert_eq!(principal.name(), "alice");
/// assert!(principal.has_scope("admin"));
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct IntrospectionValidator<T> {
    introspector: T,
}

impl<T: Introspector> IntrospectionValidator<T> {
    /// Wraps `introspector`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::{TokenError, TokenValidator};
    /// use authscheme_bearer::introspection::{Introspection, IntrospectionValidator, Introspector};
    ///
    /// #[derive(Debug)]
    /// struct OnlyOne;
    ///
    /// #[async_trait::async_trait]
    /// impl Introspector for OnlyOne {
    ///     async fn introspect(&self, token: &str) -> Result<Introspection, TokenError> {
    ///         Ok(if token == "2YotnFZFEjr1zCsicMWpAA" {
    ///             Introspection::active("alice")
    ///         } else {
    ///             Introspection::inactive()
    ///         })
    ///     }
    /// }
    ///
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let validator = IntrospectionValidator::new(OnlyOne);
    /// assert!(validator.validate("2YotnFZFEjr1zCsicMWpAA").await.is_ok());
    /// assert_eq!(validator.validate("other").await, Err(TokenError::Inactive));
    /// # });
    /// ```
    pub fn new(introspector: T) -> Self {
        Self { introspector }
    }
}

#[async_trait]
impl<T: Introspector> TokenValidator for IntrospectionValidator<T> {
    type Identity = Principal;

    async fn validate(&self, token: &str) -> Result<TokenInfo<Principal>, TokenError> {
        let answer = self.introspector.introspect(token).await?;
        if !answer.active {
            return Err(TokenError::Inactive);
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        if answer.exp.is_some_and(|exp| exp <= now) {
            return Err(TokenError::Expired);
        }
        let scopes: Vec<String> = answer
            .scope
            .as_deref()
            .unwrap_or_default()
            .split(' ')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let principal =
            Principal::new(answer.sub.unwrap_or_default()).with_scopes(scopes.iter().cloned());
        Ok(TokenInfo::new(principal).with_scopes(scopes))
    }
}
