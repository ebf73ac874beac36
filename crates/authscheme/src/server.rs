//! The server side: the [`AuthScheme`] trait and what it decides.

use std::borrow::Cow;
use std::fmt;

use async_trait::async_trait;
use http::{HeaderValue, StatusCode};

use crate::auth_value::{Challenge, Credentials};
use crate::error::ParseError;
use crate::request::AuthRequest;
use crate::scheme_name::SchemeName;

/// One server-side authentication scheme, such as Basic, Digest or Bearer.
///
/// A scheme issues its challenge(s) and turns credentials into the
/// application's identity type `I`. It is a value: configure it, put it in an
/// [`Authenticator`](crate::Authenticator) with other schemes, share it
/// between routes. Secrets are checked by stores and validators the
/// application supplies to each scheme, not here.
///
/// Multi-round-trip schemes (SCRAM over HTTP, RFC 7804) answer a step with
/// [`Verdict::Rejected`] carrying their next challenge; schemes that read
/// other header fields (DPoP, RFC 9449) read them from the [`AuthRequest`].
///
/// # Examples
///
/// A scheme that accepts one API key given as `ApiKey <token68>`:
///
/// ```
/// use async_trait::async_trait;
/// use authscheme::{AuthRequest, AuthScheme, Authenticated, Challenge, Credentials, Rejection, SchemeName, Verdict};
///
/// struct ApiKey;
///
/// #[async_trait]
/// impl AuthScheme<String> for ApiKey {
///     fn name(&self) -> SchemeName<'static> {
///         SchemeName::new("ApiKey").unwrap()
///     }
///     fn challenges(&self, _req: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
///         out.push(Challenge::new(self.name()));
///     }
///     async fn authenticate(&self, _req: &AuthRequest<'_>, creds: &Credentials<'_>) -> Verdict<String> {
///         match creds.token68() {
///             Some(key) if authscheme::ct_eq(key.as_bytes(), b"s3cret") => {
///                 Verdict::Authenticated(Authenticated::new("robot".to_string(), self.name()))
///             }
///             _ => Verdict::Rejected(Rejection::unauthorized("unknown API key")),
///         }
///     }
/// }
/// ```
#[async_trait]
pub trait AuthScheme<I>: Send + Sync + 'static {
    /// The auth-scheme this scheme answers to.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::HeaderMap;
    /// # struct ApiKey;
    /// # #[async_trait]
    /// # impl AuthScheme<String> for ApiKey {
    /// #     fn name(&self) -> SchemeName<'static> { SchemeName::new("ApiKey").unwrap() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
    /// #         out.push(Challenge::builder(self.name()).param("realm", "api").build().unwrap());
    /// #     }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
    /// #         match c.token68() {
    /// #             Some(key) if ct_eq(key.as_bytes(), b"s3cret") => {
    /// #                 Verdict::Authenticated(Authenticated::new("robot".into(), self.name()))
    /// #             }
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown API key")),
    /// #         }
    /// #     }
    /// # }
    ///
    /// assert!(ApiKey.name().is("apikey"));
    /// let offered = Challenge::parse(b"ApiKey").unwrap();
    /// assert_eq!(ApiKey.name(), *offered.scheme());
    /// ```
    fn name(&self) -> SchemeName<'static>;

    /// Appends the challenge(s) to send with a 401/407 for `request` (Digest
    /// sends one per algorithm).
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::HeaderMap;
    /// # struct ApiKey;
    /// # #[async_trait]
    /// # impl AuthScheme<String> for ApiKey {
    /// #     fn name(&self) -> SchemeName<'static> { SchemeName::new("ApiKey").unwrap() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
    /// #         out.push(Challenge::builder(self.name()).param("realm", "api").build().unwrap());
    /// #     }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
    /// #         match c.token68() {
    /// #             Some(key) if ct_eq(key.as_bytes(), b"s3cret") => {
    /// #                 Verdict::Authenticated(Authenticated::new("robot".into(), self.name()))
    /// #             }
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown API key")),
    /// #         }
    /// #     }
    /// # }
    ///
    /// let headers = HeaderMap::new();
    /// let mut out = vec![Challenge::new(SchemeName::BASIC)];
    /// ApiKey.challenges(&AuthRequest::new("GET", "/", &headers), &mut out);
    /// let offered: Vec<String> = out.iter().map(ToString::to_string).collect();
    /// assert_eq!(offered, ["Basic", r#"ApiKey realm="api""#]);
    /// ```
    fn challenges(&self, request: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>);

    /// Verifies credentials whose scheme is [`name`](AuthScheme::name).
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::HeaderMap;
    /// # struct ApiKey;
    /// # #[async_trait]
    /// # impl AuthScheme<String> for ApiKey {
    /// #     fn name(&self) -> SchemeName<'static> { SchemeName::new("ApiKey").unwrap() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
    /// #         out.push(Challenge::builder(self.name()).param("realm", "api").build().unwrap());
    /// #     }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
    /// #         match c.token68() {
    /// #             Some(key) if ct_eq(key.as_bytes(), b"s3cret") => {
    /// #                 Verdict::Authenticated(Authenticated::new("robot".into(), self.name()))
    /// #             }
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown API key")),
    /// #         }
    /// #     }
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let headers = HeaderMap::new();
    /// let req = AuthRequest::new("GET", "/", &headers);
    /// let good = Credentials::parse(b"ApiKey s3cret").unwrap();
    /// let verdict = ApiKey.authenticate(&req, &good).await;
    /// assert!(matches!(verdict, Verdict::Authenticated(a) if a.identity() == "robot"));
    /// let wrong = Credentials::parse(b"ApiKey guess").unwrap();
    /// let verdict = ApiKey.authenticate(&req, &wrong).await;
    /// assert!(matches!(verdict, Verdict::Rejected(r) if r.status().as_u16() == 401));
    /// # });
    /// ```
    async fn authenticate(
        &self,
        request: &AuthRequest<'_>,
        credentials: &Credentials<'_>,
    ) -> Verdict<I>;

    /// Accepts credentials without waiting, when the scheme can tell at once
    /// that they are good: a verified-credential cache hit, a fixed token.
    ///
    /// `Some` only for a success that [`authenticate`](AuthScheme::authenticate)
    /// would give for the same request; `None` means "ask `authenticate`",
    /// never "rejected". Adapters call this first and, on `Some`, skip
    /// building and boxing the asynchronous path, which is most of the price
    /// of authenticating a request. The default always says `None`.
    ///
    /// Adapters ask before they read the body: a scheme whose answer could
    /// depend on a body it has not been given (Bearer with form-body
    /// tokens, Digest `auth-int`) says `None` then.
    ///
    /// # Examples
    ///
    /// ```
    /// use async_trait::async_trait;
    /// use authscheme::{AuthRequest, AuthScheme, Authenticated, Challenge, Credentials, Rejection, SchemeName, Verdict};
    ///
    /// struct ApiKey;
    ///
    /// impl ApiKey {
    ///     fn check(&self, creds: &Credentials<'_>) -> Option<Authenticated<String>> {
    ///         let key = creds.token68()?;
    ///         authscheme::ct_eq(key.as_bytes(), b"s3cret")
    ///             .then(|| Authenticated::new("robot".to_string(), self.name()))
    ///     }
    /// }
    ///
    /// #[async_trait]
    /// impl AuthScheme<String> for ApiKey {
    ///     fn name(&self) -> SchemeName<'static> {
    ///         SchemeName::new("ApiKey").unwrap()
    ///     }
    ///     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
    ///         out.push(Challenge::new(self.name()));
    ///     }
    ///     fn authenticate_now(&self, _: &AuthRequest<'_>, creds: &Credentials<'_>) -> Option<Authenticated<String>> {
    ///         self.check(creds)
    ///     }
    ///     async fn authenticate(&self, _: &AuthRequest<'_>, creds: &Credentials<'_>) -> Verdict<String> {
    ///         match self.check(creds) {
    ///             Some(done) => Verdict::Authenticated(done),
    ///             None => Verdict::Rejected(Rejection::unauthorized("unknown API key")),
    ///         }
    ///     }
    /// }
    /// ```
    fn authenticate_now(
        &self,
        _request: &AuthRequest<'_>,
        _credentials: &Credentials<'_>,
    ) -> Option<Authenticated<I>> {
        None
    }

    /// Whether [`authenticate_now`](AuthScheme::authenticate_now) reads the
    /// request-target or its authority (`Host`, or HTTP/2's `:authority`).
    /// Digest does (its `uri` must match them); Bearer does when query
    /// tokens are on (a second token there is refused); Basic does not.
    ///
    /// A framework that charges for each part of a request an adapter
    /// collects (warp clones each out with a filter of its own) lets the
    /// adapter try [`Authenticator::authenticate_now_without_target`](crate::Authenticator::authenticate_now_without_target)
    /// first, which asks a scheme that says `false` with an empty target.
    /// The default, `true`, is always safe.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// struct ApiKey;
    ///
    /// #[async_trait]
    /// impl AuthScheme<String> for ApiKey {
    /// #     fn name(&self) -> SchemeName<'static> { SchemeName::new("ApiKey").unwrap() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, _: &Credentials<'_>) -> Verdict<String> {
    /// #         Verdict::Rejected(Rejection::unauthorized("unknown API key"))
    /// #     }
    ///     // name, challenges and authenticate as usual, then:
    ///     fn authenticate_now(&self, _: &AuthRequest<'_>, creds: &Credentials<'_>) -> Option<Authenticated<String>> {
    ///         // The key alone decides, wherever the request goes.
    ///         let key = creds.token68()?;
    ///         ct_eq(key.as_bytes(), b"s3cret").then(|| Authenticated::new("robot".into(), self.name()))
    ///     }
    ///     fn reads_target_now(&self) -> bool {
    ///         false
    ///     }
    /// }
    ///
    /// let auth = Authenticator::new().with(ApiKey);
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("authorization", http::HeaderValue::from_static("ApiKey s3cret"));
    /// let now = auth.authenticate_now_without_target("GET", &headers);
    /// assert_eq!(now.map(|o| o.authenticated().identity().clone()).as_deref(), Some("robot"));
    /// ```
    fn reads_target_now(&self) -> bool {
        true
    }

    /// Looks for credentials outside the credentials header field (Bearer's
    /// form-body and query tokens, RFC 6750 sections 2.2 and 2.3). Called
    /// only when the request has no credentials header field, and only by
    /// an origin authenticator: a proxy's credentials come in
    /// `Proxy-Authorization` alone, and a token in the query or the body is
    /// meant for the server behind it.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::HeaderMap;
    /// struct QueryKey;
    ///
    /// #[async_trait]
    /// impl AuthScheme<String> for QueryKey {
    /// #     fn name(&self) -> SchemeName<'static> { SchemeName::new("ApiKey").unwrap() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, _: &Credentials<'_>) -> Verdict<String> {
    /// #         Verdict::Rejected(Rejection::unauthorized("unknown API key"))
    /// #     }
    ///     // name, challenges and authenticate as usual, then:
    ///     async fn authenticate_without_header(&self, request: &AuthRequest<'_>) -> Verdict<String> {
    ///         let query = request.query().unwrap_or_default();
    ///         match query.split('&').find_map(|pair| pair.strip_prefix("api_key=")) {
    ///             Some("s3cret") => Verdict::Authenticated(Authenticated::new("robot".into(), self.name())),
    ///             Some(_) => Verdict::Rejected(Rejection::unauthorized("unknown API key")),
    ///             None => Verdict::NotMine,
    ///         }
    ///     }
    /// }
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let auth = Authenticator::new().with(QueryKey);
    /// let headers = HeaderMap::new();
    /// let outcome = auth.authenticate(&AuthRequest::new("GET", "/items?api_key=s3cret", &headers)).await;
    /// assert_eq!(outcome.identity().map(String::as_str), Some("robot"));
    /// let outcome = auth.authenticate(&AuthRequest::new("GET", "/items", &headers)).await;
    /// assert!(matches!(outcome, Outcome::Denied(d) if d.credentials_missing()));
    /// // A proxy does not take the origin's key.
    /// let proxy = Authenticator::new().proxy().with(QueryKey);
    /// let outcome = proxy.authenticate(&AuthRequest::new("GET", "http://origin/items?api_key=s3cret", &headers)).await;
    /// assert!(matches!(outcome, Outcome::Denied(d) if d.credentials_missing() && d.status().as_u16() == 407));
    /// # });
    /// ```
    async fn authenticate_without_header(&self, _request: &AuthRequest<'_>) -> Verdict<I> {
        Verdict::NotMine
    }

    /// Called when a credentials value that starts with this scheme's name
    /// breaks the RFC 9110 grammar (`Bearer a b`). Return a rejection to
    /// answer in the scheme's own terms (Bearer's
    /// `error="invalid_request"`); by default the authenticator answers 400
    /// with every challenge.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::{HeaderMap, HeaderValue};
    /// struct ApiKey;
    ///
    /// #[async_trait]
    /// impl AuthScheme<String> for ApiKey {
    /// #     fn name(&self) -> SchemeName<'static> { SchemeName::new("ApiKey").unwrap() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, _: &Credentials<'_>) -> Verdict<String> {
    /// #         Verdict::Rejected(Rejection::unauthorized("unknown API key"))
    /// #     }
    ///     // name, challenges and authenticate as usual, then:
    ///     fn reject_malformed(&self, _: &AuthRequest<'_>, error: &ParseError) -> Option<Rejection> {
    ///         Some(Rejection::unauthorized(format!("an API key is one token68 ({error})")))
    ///     }
    /// }
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let auth = Authenticator::new().with(ApiKey);
    /// let mut headers = HeaderMap::new();
    /// headers.insert("authorization", HeaderValue::from_static("ApiKey two words"));
    /// let Outcome::Denied(denial) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await else {
    ///     panic!("malformed credentials are refused");
    /// };
    /// assert_eq!(denial.status().as_u16(), 401, "not the default 400");
    /// assert!(denial.reason().starts_with("an API key is one token68"));
    /// # });
    /// ```
    fn reject_malformed(
        &self,
        _request: &AuthRequest<'_>,
        _error: &ParseError,
    ) -> Option<Rejection> {
        None
    }
}

/// What a scheme decided about a request.
///
/// # Examples
///
/// ```
/// # use authscheme::*;
/// # use http::HeaderMap;
/// # struct ApiKey;
/// # #[async_trait]
/// # impl AuthScheme<String> for ApiKey {
/// #     fn name(&self) -> SchemeName<'static> { SchemeName::new("ApiKey").unwrap() }
/// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
/// #         out.push(Challenge::builder(self.name()).param("realm", "api").build().unwrap());
/// #     }
/// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
/// #         match c.token68() {
/// #             Some(key) if ct_eq(key.as_bytes(), b"s3cret") => {
/// #                 Verdict::Authenticated(Authenticated::new("robot".into(), self.name()))
/// #             }
/// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown API key")),
/// #         }
/// #     }
/// # }
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let headers = HeaderMap::new();
/// let credentials = Credentials::parse(b"ApiKey guess").unwrap();
/// match ApiKey.authenticate(&AuthRequest::new("GET", "/", &headers), &credentials).await {
///     Verdict::Rejected(rejection) => assert_eq!(rejection.reason(), "unknown API key"),
///     other => panic!("a wrong key is refused, not {other:?}"),
/// }
/// # });
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Verdict<I> {
    /// The credentials are good.
    Authenticated(Authenticated<I>),
    /// The credentials were for this scheme and are not good.
    Rejected(Rejection),
    /// Not this scheme's credentials: let the others look.
    NotMine,
}

/// An authenticated identity, with the scheme that authenticated it and any
/// `Authentication-Info` parameters to send back.
///
/// # Examples
///
/// ```
/// use authscheme::{Authenticated, SchemeName};
/// let a = Authenticated::new("alice", SchemeName::BASIC);
/// assert_eq!(*a.identity(), "alice");
/// assert!(a.scheme().is("basic"));
/// ```
#[derive(Clone)]
pub struct Authenticated<I> {
    identity: I,
    scheme: SchemeName<'static>,
    /// The `Authentication-Info` field value, written once by the scheme.
    info: Option<HeaderValue>,
    /// The response must not be stored by shared caches (`Cache-Control:
    /// private`): the credentials came in the URL (RFC 6750 section 2.3).
    private: bool,
}

impl<I> Authenticated<I> {
    /// An identity authenticated by `scheme`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{Authenticated, SchemeName};
    /// let a = Authenticated::new(42_u64, SchemeName::BEARER);
    /// assert_eq!(*a.identity(), 42);
    /// assert!(a.info().is_none());
    /// ```
    pub fn new(identity: I, scheme: SchemeName<'static>) -> Self {
        Self {
            identity,
            scheme,
            info: None,
            private: false,
        }
    }

    /// Adds `Authentication-Info` (RFC 7615), such as Digest's `rspauth`:
    /// the field value, a list of auth-params, as
    /// [`Params::to_header_value`](crate::Params::to_header_value) or
    /// [`AuthValueWriter::param_list`]
    /// writes it. An empty value adds nothing.
    ///
    /// [`AuthValueWriter::param_list`]: crate::syntax::AuthValueWriter::param_list
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{Authenticated, Param, Params, SchemeName};
    /// let mut info = Params::new();
    /// info.set(Param::quoted("nextnonce", "abc").unwrap());
    /// let a = Authenticated::new("alice", SchemeName::DIGEST).with_info(info.to_header_value());
    /// assert_eq!(a.info().unwrap(), r#"nextnonce="abc""#);
    /// ```
    pub fn with_info(mut self, info: HeaderValue) -> Self {
        self.info = (!info.is_empty()).then_some(info);
        self
    }

    /// Marks the response as one shared caches must not store: the adapter
    /// adds `Cache-Control: private` to it. For credentials that travel in
    /// the URL, such as a Bearer token in the query (RFC 6750 section 2.3),
    /// where a shared cache would serve the response to anyone.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{Authenticated, SchemeName};
    /// let a = Authenticated::new("alice", SchemeName::BEARER);
    /// assert!(!a.is_private());
    /// assert!(a.private_response().is_private());
    /// ```
    pub fn private_response(mut self) -> Self {
        self.private = true;
        self
    }

    /// Whether the response must not be stored by shared caches
    /// ([`private_response`](Self::private_response)).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{Authenticated, SchemeName};
    /// assert!(!Authenticated::new("alice", SchemeName::BASIC).is_private());
    /// ```
    pub fn is_private(&self) -> bool {
        self.private
    }

    /// The application's identity.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{Authenticated, SchemeName};
    /// let a = Authenticated::new(String::from("alice"), SchemeName::BASIC);
    /// assert_eq!(a.identity(), "alice");
    /// ```
    pub fn identity(&self) -> &I {
        &self.identity
    }

    /// Takes the identity out.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{Authenticated, SchemeName};
    /// let a = Authenticated::new(String::from("alice"), SchemeName::BASIC);
    /// let name: String = a.into_identity();
    /// assert_eq!(name, "alice");
    /// ```
    pub fn into_identity(self) -> I {
        self.identity
    }

    /// The scheme that authenticated the request.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{Authenticated, SchemeName};
    /// let a = Authenticated::new("alice", SchemeName::DIGEST);
    /// assert_eq!(*a.scheme(), SchemeName::DIGEST);
    /// ```
    pub fn scheme(&self) -> &SchemeName<'static> {
        &self.scheme
    }

    /// The `Authentication-Info` field value, if any (read it with
    /// [`crate::syntax::parse_params`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{Authenticated, SchemeName};
    /// use http::HeaderValue;
    /// let plain = Authenticated::new("alice", SchemeName::DIGEST);
    /// assert_eq!(plain.info(), None);
    /// let with = plain.clone().with_info(HeaderValue::from_static(r#"rspauth="ab""#));
    /// let info = authscheme::syntax::parse_params(with.info().unwrap().as_bytes()).unwrap();
    /// assert_eq!(info.get_str("rspauth"), Some("ab"));
    /// assert_eq!(plain.with_info(HeaderValue::from_static("")).info(), None, "empty adds nothing");
    /// ```
    pub fn info(&self) -> Option<&HeaderValue> {
        self.info.as_ref()
    }

    /// Maps the identity, keeping the rest.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{Authenticated, SchemeName};
    /// let a = Authenticated::new("alice", SchemeName::BASIC).map(|name| name.len());
    /// assert_eq!(*a.identity(), 5);
    /// assert!(a.scheme().is("basic"));
    /// ```
    pub fn map<J>(self, f: impl FnOnce(I) -> J) -> Authenticated<J> {
        Authenticated {
            identity: f(self.identity),
            scheme: self.scheme,
            info: self.info,
            private: self.private,
        }
    }
}

impl<I: fmt::Debug> fmt::Debug for Authenticated<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authenticated")
            .field("identity", &self.identity)
            .field("scheme", &self.scheme)
            .finish_non_exhaustive()
    }
}

/// A scheme's refusal: the status, a reason for logs, and optionally the
/// challenges that replace the scheme's usual ones (Digest's `stale=true`,
/// Bearer's `error="invalid_token"`).
///
/// The reason is for operators: it must not hold a secret, and it never says
/// whether a user exists.
///
/// # Examples
///
/// ```
/// use authscheme::Rejection;
/// let r = Rejection::bad_request("credentials are not base64");
/// assert_eq!(r.status().as_u16(), 400);
/// assert_eq!(r.reason(), "credentials are not base64");
/// ```
#[derive(Debug, Clone)]
pub struct Rejection {
    status: StatusCode,
    reason: Cow<'static, str>,
    challenges: Option<Vec<Challenge<'static>>>,
}

impl Rejection {
    /// A refusal with a client or server error status (4xx or 5xx).
    ///
    /// A refusal is an error: any other status (a 101 would switch
    /// protocols, a 200 would look like success) is a scheme's bug, and
    /// becomes 500 Internal Server Error, with the status it asked for in
    /// the reason for the operator's log.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Rejection;
    /// use http::StatusCode;
    /// let r = Rejection::new(StatusCode::TOO_MANY_REQUESTS, "too many failed attempts");
    /// assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    /// assert_eq!(r.reason(), "too many failed attempts");
    /// let bug = Rejection::new(StatusCode::SWITCHING_PROTOCOLS, "oops");
    /// assert_eq!(bug.status(), StatusCode::INTERNAL_SERVER_ERROR);
    /// assert!(bug.reason().contains("101"));
    /// ```
    pub fn new(status: StatusCode, reason: impl Into<Cow<'static, str>>) -> Self {
        let reason = reason.into();
        if status.is_client_error() || status.is_server_error() {
            return Self {
                status,
                reason,
                challenges: None,
            };
        }
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            reason: format!("a scheme refused with status {}: {reason}", status.as_u16()).into(),
            challenges: None,
        }
    }

    /// `401` (or `407` in proxy mode): wrong or unusable credentials.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::HeaderMap;
    /// # struct ApiKey;
    /// # #[async_trait]
    /// # impl AuthScheme<String> for ApiKey {
    /// #     fn name(&self) -> SchemeName<'static> { SchemeName::new("ApiKey").unwrap() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
    /// #         out.push(Challenge::builder(self.name()).param("realm", "api").build().unwrap());
    /// #     }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
    /// #         match c.token68() {
    /// #             Some(key) if ct_eq(key.as_bytes(), b"s3cret") => {
    /// #                 Verdict::Authenticated(Authenticated::new("robot".into(), self.name()))
    /// #             }
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown API key")),
    /// #         }
    /// #     }
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let r = Rejection::unauthorized("unknown API key");
    /// assert_eq!(r.status().as_u16(), 401);
    /// // Behind a proxy authenticator the same rejection becomes a 407.
    /// let auth = Authenticator::new().with(ApiKey).proxy();
    /// let mut headers = HeaderMap::new();
    /// headers.insert("proxy-authorization", http::HeaderValue::from_static("ApiKey guess"));
    /// let Outcome::Denied(denial) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await else {
    ///     panic!("a wrong key is refused");
    /// };
    /// assert_eq!(denial.status().as_u16(), 407);
    /// # });
    /// ```
    pub fn unauthorized(reason: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, reason)
    }

    /// `400`: the credentials are malformed for this scheme.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = authscheme::Rejection::bad_request("credentials are not base64");
    /// assert_eq!(r.status(), http::StatusCode::BAD_REQUEST);
    /// ```
    pub fn bad_request(reason: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, reason)
    }

    /// `403`: authenticated, but not allowed (Bearer `insufficient_scope`).
    ///
    /// # Examples
    ///
    /// ```
    /// let r = authscheme::Rejection::forbidden("the token lacks scope write");
    /// assert_eq!(r.status(), http::StatusCode::FORBIDDEN);
    /// assert_eq!(r.reason(), "the token lacks scope write");
    /// ```
    pub fn forbidden(reason: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::FORBIDDEN, reason)
    }

    /// `503`: the scheme cannot decide now (a shared store is unreachable).
    /// Authentication fails closed.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = authscheme::Rejection::unavailable("token store unreachable");
    /// assert_eq!(r.status(), http::StatusCode::SERVICE_UNAVAILABLE);
    /// ```
    pub fn unavailable(reason: impl Into<Cow<'static, str>>) -> Self {
        Self::new(StatusCode::SERVICE_UNAVAILABLE, reason)
    }

    /// Sends these challenges for this scheme instead of its usual ones.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{Challenge, Rejection, SchemeName};
    /// let stale = Challenge::builder(SchemeName::DIGEST)
    ///     .quoted_param("nonce", "n2")
    ///     .param("stale", "true")
    ///     .build()
    ///     .unwrap();
    /// let r = Rejection::unauthorized("stale nonce").with_challenges(vec![stale]);
    /// assert_eq!(r.challenges().unwrap()[0].param_str("stale"), Some("true"));
    /// ```
    pub fn with_challenges(mut self, challenges: Vec<Challenge<'static>>) -> Self {
        self.challenges = Some(challenges);
        self
    }

    /// The status.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Rejection;
    /// assert_eq!(Rejection::unauthorized("unknown user or wrong password").status().as_u16(), 401);
    /// assert_eq!(Rejection::forbidden("insufficient scope").status().as_u16(), 403);
    /// ```
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Why, for logs.
    ///
    /// # Examples
    ///
    /// ```
    /// let r = authscheme::Rejection::unauthorized(format!("nonce {} expired", 7));
    /// assert_eq!(r.reason(), "nonce 7 expired");
    /// ```
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The replacement challenges, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{Challenge, Rejection, SchemeName};
    /// assert!(Rejection::unauthorized("wrong password").challenges().is_none());
    /// let own = Rejection::unauthorized("invalid token")
    ///     .with_challenges(vec![Challenge::new(SchemeName::BEARER)]);
    /// assert_eq!(own.challenges().map(<[_]>::len), Some(1));
    /// ```
    pub fn challenges(&self) -> Option<&[Challenge<'static>]> {
        self.challenges.as_deref()
    }

    pub(crate) fn into_parts(
        self,
    ) -> (
        StatusCode,
        Cow<'static, str>,
        Option<Vec<Challenge<'static>>>,
    ) {
        (self.status, self.reason, self.challenges)
    }
}

impl<I> Verdict<I> {
    /// Maps the identity of an authenticated verdict.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{Authenticated, Rejection, SchemeName, Verdict};
    /// let ok: Verdict<&str> = Verdict::Authenticated(Authenticated::new("alice", SchemeName::BASIC));
    /// assert!(matches!(ok.map(str::len), Verdict::Authenticated(a) if *a.identity() == 5));
    /// let refused: Verdict<&str> = Verdict::Rejected(Rejection::unauthorized("wrong password"));
    /// assert!(matches!(refused.map(str::len), Verdict::Rejected(_)));
    /// ```
    pub fn map<J>(self, f: impl FnOnce(I) -> J) -> Verdict<J> {
        match self {
            Verdict::Authenticated(a) => Verdict::Authenticated(a.map(f)),
            Verdict::Rejected(r) => Verdict::Rejected(r),
            Verdict::NotMine => Verdict::NotMine,
        }
    }
}

/// Adds [`map_identity`](AuthSchemeExt::map_identity) to every scheme.
///
/// # Examples
///
/// ```
/// # use authscheme::*;
/// # use http::{HeaderMap, HeaderValue};
/// # struct Named;
/// # #[async_trait]
/// # impl AuthScheme<&'static str> for Named {
/// #     fn name(&self) -> SchemeName<'static> { SchemeName::BEARER }
/// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
/// #     fn authenticate_now(&self, _: &AuthRequest<'_>, _: &Credentials<'_>) -> Option<Authenticated<&'static str>> {
/// #         Some(Authenticated::new("alice", self.name()))
/// #     }
/// #     async fn authenticate(&self, _: &AuthRequest<'_>, _: &Credentials<'_>) -> Verdict<&'static str> {
/// #         Verdict::Authenticated(Authenticated::new("alice", self.name()))
/// #     }
/// # }
///
/// let scheme = Named.map_identity(|name: &str| name.len());
/// let headers = HeaderMap::new();
/// let credentials = Credentials::parse(b"Bearer abc").unwrap();
/// let done = scheme.authenticate_now(&AuthRequest::new("GET", "/", &headers), &credentials).unwrap();
/// assert_eq!(*done.identity(), 5);
/// ```
pub trait AuthSchemeExt<I>: AuthScheme<I> + Sized {
    /// Converts this scheme's identity type, so schemes with different
    /// identity types can share one [`Authenticator`](crate::Authenticator).
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::{HeaderMap, HeaderValue};
    /// # struct Named;
    /// # #[async_trait]
    /// # impl AuthScheme<&'static str> for Named {
    /// #     fn name(&self) -> SchemeName<'static> { SchemeName::BEARER }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
    /// #     fn authenticate_now(&self, _: &AuthRequest<'_>, _: &Credentials<'_>) -> Option<Authenticated<&'static str>> {
    /// #         Some(Authenticated::new("alice", self.name()))
    /// #     }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, _: &Credentials<'_>) -> Verdict<&'static str> {
    /// #         Verdict::Authenticated(Authenticated::new("alice", self.name()))
    /// #     }
    /// # }
    /// let auth: Authenticator<String> = Authenticator::new().with(Named.map_identity(|n: &str| n.to_uppercase()));
    /// let mut headers = HeaderMap::new();
    /// headers.insert("authorization", HeaderValue::from_static("Bearer abc"));
    /// let done = auth.authenticate_now(&AuthRequest::new("GET", "/", &headers)).unwrap();
    /// assert_eq!(done.authenticated().identity(), "ALICE");
    /// ```
    fn map_identity<J, F>(self, f: F) -> MapIdentity<Self, F, I>
    where
        F: Fn(I) -> J + Send + Sync + 'static,
    {
        MapIdentity {
            inner: self,
            f,
            _identity: std::marker::PhantomData,
        }
    }
}

impl<I, S: AuthScheme<I>> AuthSchemeExt<I> for S {}

/// A scheme whose identity is converted by a function; see
/// [`AuthSchemeExt::map_identity`].
///
/// # Examples
///
/// ```
/// # use authscheme::*;
/// # use http::{HeaderMap, HeaderValue};
/// # struct Named;
/// # #[async_trait]
/// # impl AuthScheme<&'static str> for Named {
/// #     fn name(&self) -> SchemeName<'static> { SchemeName::BEARER }
/// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
/// #     fn authenticate_now(&self, _: &AuthRequest<'_>, _: &Credentials<'_>) -> Option<Authenticated<&'static str>> {
/// #         Some(Authenticated::new("alice", self.name()))
/// #     }
/// #     async fn authenticate(&self, _: &AuthRequest<'_>, _: &Credentials<'_>) -> Verdict<&'static str> {
/// #         Verdict::Authenticated(Authenticated::new("alice", self.name()))
/// #     }
/// # }
///
/// let scheme: MapIdentity<Named, _, &str> = Named.map_identity(|name: &str| name.to_owned());
/// assert!(scheme.name().is("bearer"), "the inner scheme's name");
/// let headers = HeaderMap::new();
/// let mut offered = Vec::new();
/// scheme.challenges(&AuthRequest::new("GET", "/", &headers), &mut offered);
/// assert_eq!(offered[0].to_string(), "Bearer");
/// ```
pub struct MapIdentity<S, F, I> {
    inner: S,
    f: F,
    _identity: std::marker::PhantomData<fn() -> I>,
}

impl<S, F, I> fmt::Debug for MapIdentity<S, F, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MapIdentity").finish_non_exhaustive()
    }
}

#[async_trait]
impl<S, F, I, J> AuthScheme<J> for MapIdentity<S, F, I>
where
    S: AuthScheme<I>,
    F: Fn(I) -> J + Send + Sync + 'static,
    I: 'static,
    J: Send + 'static,
{
    fn name(&self) -> SchemeName<'static> {
        self.inner.name()
    }

    fn challenges(&self, request: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
        self.inner.challenges(request, out);
    }

    async fn authenticate(
        &self,
        request: &AuthRequest<'_>,
        credentials: &Credentials<'_>,
    ) -> Verdict<J> {
        self.inner
            .authenticate(request, credentials)
            .await
            .map(&self.f)
    }

    fn authenticate_now(
        &self,
        request: &AuthRequest<'_>,
        credentials: &Credentials<'_>,
    ) -> Option<Authenticated<J>> {
        self.inner
            .authenticate_now(request, credentials)
            .map(|done| done.map(&self.f))
    }

    fn reads_target_now(&self) -> bool {
        self.inner.reads_target_now()
    }

    async fn authenticate_without_header(&self, request: &AuthRequest<'_>) -> Verdict<J> {
        self.inner
            .authenticate_without_header(request)
            .await
            .map(&self.f)
    }

    fn reject_malformed(&self, request: &AuthRequest<'_>, error: &ParseError) -> Option<Rejection> {
        self.inner.reject_malformed(request, error)
    }
}
