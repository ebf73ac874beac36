//! [`Authenticator`]: an ordered set of schemes, dispatch on the credentials'
//! scheme name, and the [`Outcome`] that adapters render.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

use http::{HeaderName, HeaderValue, StatusCode};

use crate::auth_value::{Challenge, Credentials};
use crate::error::{ParseError, ParseErrorKind};
use crate::request::{AuthRequest, HeaderSource};
use crate::role::Role;
use crate::scheme_name::SchemeName;
use crate::server::{AuthScheme, Authenticated, Verdict};
use crate::syntax;

/// Runs a request through an ordered set of [`AuthScheme`]s.
///
/// With no credentials it asks every scheme for its challenges, so one 401
/// carries them all (`Basic realm="Dev zone"` and `Bearer`, each on its own
/// field line). With credentials it hands them to the scheme of the same
/// name. Cloning is cheap; one authenticator serves every request of a route.
///
/// # Examples
///
/// ```
/// # use async_trait::async_trait;
/// # use authscheme::*;
/// # struct Fixed(SchemeName<'static>);
/// # #[async_trait]
/// # impl AuthScheme<String> for Fixed {
/// #     fn name(&self) -> SchemeName<'static> { self.0.clone() }
/// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
/// #         out.push(Challenge::builder(self.0.clone()).param("realm", "Dev zone").build().unwrap());
/// #     }
/// #     async fn authenticate(&self, _: &AuthRequest<'_>, _: &Credentials<'_>) -> Verdict<String> {
/// #         Verdict::Authenticated(Authenticated::new("alice".into(), self.0.clone()))
/// #     }
/// # }
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let auth = Authenticator::new()
///     .with(Fixed(SchemeName::BASIC))
///     .with(Fixed(SchemeName::BEARER));
///
/// let headers = http::HeaderMap::new();
/// let Outcome::Denied(denial) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await else {
///     panic!("no credentials, no access");
/// };
/// assert_eq!(denial.status().as_u16(), 401);
/// assert_eq!(denial.challenges().len(), 2);
///
/// let mut headers = http::HeaderMap::new();
/// headers.insert("authorization", "bearer abc".parse().unwrap());
/// let outcome = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await;
/// assert_eq!(outcome.identity().map(String::as_str), Some("alice"));
/// # });
/// ```
pub struct Authenticator<I> {
    schemes: Arc<[Arc<dyn AuthScheme<I>>]>,
    role: Role,
    join_challenges: bool,
}

impl<I> Clone for Authenticator<I> {
    fn clone(&self) -> Self {
        Self {
            schemes: Arc::clone(&self.schemes),
            role: self.role,
            join_challenges: self.join_challenges,
        }
    }
}

impl<I> Default for Authenticator<I> {
    fn default() -> Self {
        Self {
            schemes: Arc::from(Vec::new()),
            role: Role::Origin,
            join_challenges: false,
        }
    }
}

impl<I: 'static> fmt::Debug for Authenticator<I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Authenticator")
            .field(
                "schemes",
                &self.schemes.iter().map(|s| s.name()).collect::<Vec<_>>(),
            )
            .field("role", &self.role)
            .finish()
    }
}

impl<I: Send + Sync + 'static> Authenticator<I> {
    /// An authenticator with no scheme: every request is denied, with 403
    /// (a 401 must carry a challenge, and there is none to offer).
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::{HeaderMap, HeaderValue};
    /// # struct Fixed(SchemeName<'static>);
    /// # #[async_trait]
    /// # impl AuthScheme<String> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { self.0.clone() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
    /// #         out.push(Challenge::builder(self.0.clone()).param("realm", "api").build().unwrap());
    /// #     }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
    /// #         match c.token68() {
    /// #             Some("good") => Verdict::Authenticated(Authenticated::new("alice".into(), self.0.clone())),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    ///
    /// let auth: Authenticator<String> = Authenticator::new();
    /// assert_eq!(auth.schemes().count(), 0);
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let headers = HeaderMap::new();
    /// let outcome = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await;
    /// assert!(matches!(outcome, Outcome::Denied(d) if d.status().as_u16() == 403));
    /// # });
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a scheme after those already present; challenges go out in this
    /// order.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::{HeaderMap, HeaderValue};
    /// # struct Fixed(SchemeName<'static>);
    /// # #[async_trait]
    /// # impl AuthScheme<String> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { self.0.clone() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
    /// #         out.push(Challenge::builder(self.0.clone()).param("realm", "api").build().unwrap());
    /// #     }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
    /// #         match c.token68() {
    /// #             Some("good") => Verdict::Authenticated(Authenticated::new("alice".into(), self.0.clone())),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    ///
    /// let auth = Authenticator::new()
    ///     .with(Fixed(SchemeName::BASIC))
    ///     .with(Fixed(SchemeName::BEARER));
    /// let names: Vec<_> = auth.schemes().map(|s| s.name()).collect();
    /// assert_eq!(names, [SchemeName::BASIC, SchemeName::BEARER]);
    /// ```
    pub fn with(self, scheme: impl AuthScheme<I>) -> Self {
        self.with_shared(Arc::new(scheme))
    }

    /// Adds a scheme that is shared with other authenticators.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::{HeaderMap, HeaderValue};
    /// # struct Fixed(SchemeName<'static>);
    /// # #[async_trait]
    /// # impl AuthScheme<String> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { self.0.clone() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
    /// #         out.push(Challenge::builder(self.0.clone()).param("realm", "api").build().unwrap());
    /// #     }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
    /// #         match c.token68() {
    /// #             Some("good") => Verdict::Authenticated(Authenticated::new("alice".into(), self.0.clone())),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    ///
    /// use std::sync::Arc;
    /// let basic: Arc<dyn AuthScheme<String>> = Arc::new(Fixed(SchemeName::BASIC));
    /// let api = Authenticator::new().with_shared(Arc::clone(&basic));
    /// let admin = Authenticator::new().with_shared(basic).with(Fixed(SchemeName::BEARER));
    /// assert_eq!(api.schemes().count(), 1);
    /// assert_eq!(admin.schemes().count(), 2);
    /// ```
    pub fn with_shared(self, scheme: Arc<dyn AuthScheme<I>>) -> Self {
        let mut schemes: Vec<_> = self.schemes.iter().cloned().collect();
        schemes.push(scheme);
        Self {
            schemes: schemes.into(),
            ..self
        }
    }

    /// Authenticates as a proxy: `Proxy-Authorization` in, `407` and
    /// `Proxy-Authenticate` out.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::{HeaderMap, HeaderValue};
    /// # struct Fixed(SchemeName<'static>);
    /// # #[async_trait]
    /// # impl AuthScheme<String> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { self.0.clone() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
    /// #         out.push(Challenge::builder(self.0.clone()).param("realm", "api").build().unwrap());
    /// #     }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
    /// #         match c.token68() {
    /// #             Some("good") => Verdict::Authenticated(Authenticated::new("alice".into(), self.0.clone())),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let auth = Authenticator::new().with(Fixed(SchemeName::BASIC)).proxy();
    /// let mut headers = HeaderMap::new();
    /// headers.insert("proxy-authorization", HeaderValue::from_static("Basic good"));
    /// let outcome = auth.authenticate(&AuthRequest::new("GET", "http://example.com/", &headers)).await;
    /// assert_eq!(outcome.identity().map(String::as_str), Some("alice"));
    ///
    /// let none = HeaderMap::new();
    /// let Outcome::Denied(denial) = auth.authenticate(&AuthRequest::new("GET", "http://example.com/", &none)).await else {
    ///     panic!("no credentials, no access");
    /// };
    /// assert_eq!(denial.status().as_u16(), 407);
    /// assert_eq!(denial.headers()[0].0, "proxy-authenticate");
    /// # });
    /// ```
    pub fn proxy(mut self) -> Self {
        self.role = Role::Proxy;
        self
    }

    /// Puts all challenges on one field line instead of one line each. Most
    /// browsers read one challenge per line, so leave this off unless a
    /// client needs it.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::{HeaderMap, HeaderValue};
    /// # struct Fixed(SchemeName<'static>);
    /// # #[async_trait]
    /// # impl AuthScheme<String> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { self.0.clone() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
    /// #         out.push(Challenge::builder(self.0.clone()).param("realm", "api").build().unwrap());
    /// #     }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
    /// #         match c.token68() {
    /// #             Some("good") => Verdict::Authenticated(Authenticated::new("alice".into(), self.0.clone())),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let auth = Authenticator::new()
    ///     .with(Fixed(SchemeName::BASIC))
    ///     .with(Fixed(SchemeName::BEARER))
    ///     .join_challenges(true);
    /// let headers = HeaderMap::new();
    /// let Outcome::Denied(denial) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await else {
    ///     panic!("no credentials, no access");
    /// };
    /// let lines = denial.headers();
    /// assert_eq!(lines.len(), 1);
    /// assert_eq!(lines[0].1, r#"Basic realm="api", Bearer realm="api""#);
    /// # });
    /// ```
    pub fn join_challenges(mut self, join: bool) -> Self {
        self.join_challenges = join;
        self
    }

    /// Origin or proxy.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{Authenticator, Role};
    /// assert_eq!(Authenticator::<String>::new().role(), Role::Origin);
    /// assert_eq!(Authenticator::<String>::new().proxy().role(), Role::Proxy);
    /// ```
    pub fn role(&self) -> Role {
        self.role
    }

    /// The schemes, in order.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::{HeaderMap, HeaderValue};
    /// # struct Fixed(SchemeName<'static>);
    /// # #[async_trait]
    /// # impl AuthScheme<String> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { self.0.clone() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
    /// #         out.push(Challenge::builder(self.0.clone()).param("realm", "api").build().unwrap());
    /// #     }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
    /// #         match c.token68() {
    /// #             Some("good") => Verdict::Authenticated(Authenticated::new("alice".into(), self.0.clone())),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    ///
    /// let auth = Authenticator::new()
    ///     .with(Fixed(SchemeName::BASIC))
    ///     .with(Fixed(SchemeName::BEARER));
    /// assert!(auth.schemes().any(|s| s.name().is("bearer")));
    /// assert!(!auth.schemes().any(|s| s.name().is("digest")));
    /// ```
    pub fn schemes(&self) -> impl Iterator<Item = &dyn AuthScheme<I>> {
        self.schemes.iter().map(|s| &**s)
    }

    /// Every scheme's challenges for `request`, in order.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::{HeaderMap, HeaderValue};
    /// # struct Fixed(SchemeName<'static>);
    /// # #[async_trait]
    /// # impl AuthScheme<String> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { self.0.clone() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
    /// #         out.push(Challenge::builder(self.0.clone()).param("realm", "api").build().unwrap());
    /// #     }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
    /// #         match c.token68() {
    /// #             Some("good") => Verdict::Authenticated(Authenticated::new("alice".into(), self.0.clone())),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    ///
    /// let auth = Authenticator::new()
    ///     .with(Fixed(SchemeName::BASIC))
    ///     .with(Fixed(SchemeName::BEARER));
    /// let headers = HeaderMap::new();
    /// let offered = auth.challenges(&AuthRequest::new("GET", "/", &headers));
    /// let offered: Vec<String> = offered.iter().map(ToString::to_string).collect();
    /// assert_eq!(offered, [r#"Basic realm="api""#, r#"Bearer realm="api""#]);
    /// ```
    pub fn challenges(&self, request: &AuthRequest<'_>) -> Vec<Challenge<'static>> {
        let request = &request.in_role(self.role);
        let mut out = Vec::with_capacity(self.schemes.len());
        for scheme in self.schemes.iter() {
            scheme.challenges(request, &mut out);
        }
        out
    }

    /// Decides about one request.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::{HeaderMap, HeaderValue};
    /// # struct Fixed(SchemeName<'static>);
    /// # #[async_trait]
    /// # impl AuthScheme<String> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { self.0.clone() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
    /// #         out.push(Challenge::builder(self.0.clone()).param("realm", "api").build().unwrap());
    /// #     }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
    /// #         match c.token68() {
    /// #             Some("good") => Verdict::Authenticated(Authenticated::new("alice".into(), self.0.clone())),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let auth = Authenticator::new().with(Fixed(SchemeName::BEARER));
    /// let mut headers = HeaderMap::new();
    /// headers.insert("authorization", HeaderValue::from_static("Bearer good"));
    /// let outcome = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await;
    /// assert_eq!(outcome.identity().map(String::as_str), Some("alice"));
    ///
    /// headers.insert("authorization", HeaderValue::from_static("Bearer wrong"));
    /// let Outcome::Denied(denial) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await else {
    ///     panic!("a wrong token is refused");
    /// };
    /// assert_eq!(denial.status().as_u16(), 401);
    /// assert_eq!(denial.reason(), "unknown token");
    /// # });
    /// ```
    pub async fn authenticate(&self, request: &AuthRequest<'_>) -> Outcome<I> {
        let request = &request.in_role(self.role);
        let header = self.role.credentials_header().as_str();
        let lines = request.headers().count(header);
        // Credentials outside the header (a query or form-body token) are
        // the origin's: a proxy is only ever given `Proxy-Authorization`
        // (RFC 9110 section 11.7.2), and must not take a token the client
        // meant for the server behind it.
        if lines == 0 && self.role == Role::Proxy {
            return self.deny_missing(request);
        }
        if lines == 0 {
            for scheme in self.schemes.iter() {
                match scheme.authenticate_without_header(request).await {
                    Verdict::NotMine => continue,
                    verdict => return self.finish(request, &scheme.name(), verdict),
                }
            }
            return self.deny_missing(request);
        }
        if lines > 1 {
            // Two credentials lines are malformed credentials: the scheme the
            // first one names answers in its own way (Bearer's
            // `invalid_request`), as for any other malformed value.
            let second = ParseError::new(ParseErrorKind::SecondCredentials, 0).in_line(1);
            let first = request.header(header).unwrap_or_default();
            return self.malformed(request, first, &second);
        }
        let Some(value) = request.header(header) else {
            return self.deny_missing(request);
        };
        let credentials = match Credentials::parse(value) {
            Ok(c) => c,
            Err(e) => return self.malformed(request, value, &e),
        };
        for scheme in self.schemes.iter() {
            if scheme.name() != *credentials.scheme() {
                continue;
            }
            match scheme.authenticate(request, &credentials).await {
                Verdict::NotMine => continue,
                verdict => return self.finish(request, &scheme.name(), verdict),
            }
        }
        // The word is not named: a client that sends a bare token
        // (`Authorization: <api key>`) has it parsed as the scheme, and a
        // reason goes to logs.
        let reason = "no scheme here answers to the credentials' scheme";
        self.deny(request, StatusCode::UNAUTHORIZED, reason.into(), None)
    }

    /// Decides about one request without waiting, when it can: `Some` when
    /// the request carries one credentials field line and the scheme it
    /// names accepts it at once ([`AuthScheme::authenticate_now`]: a cache
    /// hit, a fixed token). `None` means "call
    /// [`authenticate`](Self::authenticate)", which gives the same answer
    /// for a request this accepts and also handles every denial.
    ///
    /// Adapters try this first so that the common successful request pays
    /// for no future and no allocation of its own.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// struct Fixed;
    /// #[async_trait]
    /// impl AuthScheme<&'static str> for Fixed {
    ///     fn name(&self) -> SchemeName<'static> { SchemeName::BEARER }
    ///     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
    ///     fn authenticate_now(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Option<Authenticated<&'static str>> {
    ///         (c.token68() == Some("t0k3n")).then(|| Authenticated::new("robot", self.name()))
    ///     }
    ///     async fn authenticate(&self, r: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<&'static str> {
    ///         match self.authenticate_now(r, c) {
    ///             Some(done) => Verdict::Authenticated(done),
    ///             None => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    ///         }
    ///     }
    /// }
    /// let auth = Authenticator::new().with(Fixed);
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("authorization", http::HeaderValue::from_static("Bearer t0k3n"));
    /// let now = auth.authenticate_now(&AuthRequest::new("GET", "/", &headers));
    /// assert_eq!(now.map(|o| *o.authenticated().identity()), Some("robot"));
    /// headers.insert("authorization", http::HeaderValue::from_static("Bearer wrong"));
    /// assert!(auth.authenticate_now(&AuthRequest::new("GET", "/", &headers)).is_none());
    /// ```
    pub fn authenticate_now(&self, request: &AuthRequest<'_>) -> Option<AuthenticatedOutcome<I>> {
        self.decide_now(request, true)
    }

    /// [`authenticate_now`](Self::authenticate_now) before the adapter has
    /// collected the request-target: the scheme the credentials name
    /// decides only when it does not read the target
    /// ([`AuthScheme::reads_target_now`]), and is asked with an empty one.
    /// `None` means "collect the target and ask again", as from
    /// `authenticate_now`.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::{HeaderMap, HeaderValue};
    /// # struct Key(bool);
    /// # #[async_trait]
    /// # impl AuthScheme<&'static str> for Key {
    /// #     fn name(&self) -> SchemeName<'static> { SchemeName::new("ApiKey").unwrap() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
    /// #     fn authenticate_now(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Option<Authenticated<&'static str>> {
    /// #         (c.token68() == Some("k")).then(|| Authenticated::new("robot", self.name()))
    /// #     }
    /// #     async fn authenticate(&self, r: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<&'static str> {
    /// #         self.authenticate_now(r, c).map_or(Verdict::Rejected(Rejection::unauthorized("no")), Verdict::Authenticated)
    /// #     }
    /// #     fn reads_target_now(&self) -> bool { self.0 }
    /// # }
    /// let mut headers = HeaderMap::new();
    /// headers.insert("authorization", HeaderValue::from_static("ApiKey k"));
    /// // A scheme that decides on the key alone (`reads_target_now` false):
    /// let key_only = Authenticator::new().with(Key(false));
    /// assert!(key_only.authenticate_now_without_target("GET", &headers).is_some());
    /// // One that reads the target waits for it:
    /// let per_path = Authenticator::new().with(Key(true));
    /// assert!(per_path.authenticate_now_without_target("GET", &headers).is_none());
    /// assert!(per_path.authenticate_now(&AuthRequest::new("GET", "/", &headers)).is_some());
    /// ```
    pub fn authenticate_now_without_target(
        &self,
        method: &str,
        headers: &dyn HeaderSource,
    ) -> Option<AuthenticatedOutcome<I>> {
        self.decide_now(&AuthRequest::new(method, "", headers), false)
    }

    /// The first scheme answering to `name`; none for an empty name.
    fn scheme_named(&self, name: &str) -> Option<&Arc<dyn AuthScheme<I>>> {
        if name.is_empty() {
            return None;
        }
        self.schemes.iter().find(|s| s.name().is(name))
    }

    /// The decision of [`authenticate_now`](Self::authenticate_now), where
    /// `request` may lack its target (`has_target` false). Inlined into
    /// both callers, so that `authenticate_now` pays nothing for the flag.
    #[inline(always)]
    fn decide_now(
        &self,
        request: &AuthRequest<'_>,
        has_target: bool,
    ) -> Option<AuthenticatedOutcome<I>> {
        let request = &request.in_role(self.role);
        let header = self.role.credentials_header().as_str();
        let value = request.headers().only_value(header)?;
        // Without the target, a scheme that needs it is passed over before
        // the credentials are parsed (a Digest value is long): it is found
        // by the value's leading token, the scheme of any value that parses.
        if !has_target {
            let name = &value[..syntax::leading_token_len(value)];
            let scheme = self
                .schemes
                .iter()
                .find(|s| syntax::same_name(s.name().as_str().as_bytes(), name))?;
            if scheme.reads_target_now() {
                return None;
            }
        }
        let credentials = Credentials::parse(value).ok()?;
        // The first scheme answering to the name decides, as in
        // `authenticate`; if it cannot decide now, neither can we.
        let scheme = self
            .schemes
            .iter()
            .find(|s| s.name() == *credentials.scheme())?;
        let inner = scheme.authenticate_now(request, &credentials)?;
        Some(AuthenticatedOutcome {
            inner,
            role: self.role,
        })
    }

    fn finish(
        &self,
        request: &AuthRequest<'_>,
        scheme: &SchemeName<'_>,
        verdict: Verdict<I>,
    ) -> Outcome<I> {
        match verdict {
            Verdict::Authenticated(a) => Outcome::Authenticated(AuthenticatedOutcome {
                inner: a,
                role: self.role,
            }),
            Verdict::Rejected(r) => {
                let (status, reason, replacement) = r.into_parts();
                self.deny(request, status, reason, Some((scheme, replacement)))
            }
            Verdict::NotMine => self.deny_missing(request),
        }
    }

    /// Credentials that break the RFC 9110 grammar: the scheme named by the
    /// leading token may answer in its own way (Bearer's
    /// `error="invalid_request"`); otherwise 400 with every challenge. A
    /// value that plainly names a scheme none here answers to (a token,
    /// then a space or the end: `AWS4-HMAC-SHA256 Credential=a/b`, whose
    /// parameters break the grammar) is not this server's to judge: it
    /// gets the 401 with every challenge that any other foreign scheme
    /// gets, which tells the client what this server takes.
    fn malformed(&self, request: &AuthRequest<'_>, value: &[u8], error: &ParseError) -> Outcome<I> {
        let (named, name_len) = leading_token(value);
        // Two credentials lines are malformed whatever they name.
        let names_a_scheme = !named.is_empty()
            && matches!(value.get(name_len), None | Some(b' '))
            && !matches!(error.kind(), ParseErrorKind::SecondCredentials);
        match self.scheme_named(named) {
            Some(scheme) => {
                if let Some(rejection) = scheme.reject_malformed(request, error) {
                    return self.finish(request, &scheme.name(), Verdict::Rejected(rejection));
                }
            }
            None if names_a_scheme => {
                let reason = "no scheme here answers to the credentials' scheme";
                return self.deny(request, StatusCode::UNAUTHORIZED, reason.into(), None);
            }
            None => {}
        }
        self.deny(
            request,
            StatusCode::BAD_REQUEST,
            format!("malformed credentials: {error}").into(),
            None,
        )
    }

    /// The denial for a request that carried no credentials at all.
    fn deny_missing(&self, request: &AuthRequest<'_>) -> Outcome<I> {
        let mut outcome = self.deny(
            request,
            StatusCode::UNAUTHORIZED,
            "no credentials".into(),
            None,
        );
        if let Outcome::Denied(denial) = &mut outcome {
            denial.credentials_missing = true;
        }
        outcome
    }

    /// Builds the denial: on 401 every scheme's challenges (the rejecting
    /// scheme's replaced by its own, if it gave some); on 503 none; on any
    /// other status only the rejecting scheme's.
    fn deny(
        &self,
        request: &AuthRequest<'_>,
        status: StatusCode,
        reason: Cow<'static, str>,
        by: Option<(&SchemeName<'_>, Option<Vec<Challenge<'static>>>)>,
    ) -> Outcome<I> {
        let mut challenges = Vec::with_capacity(self.schemes.len());
        let unauthorized = status == StatusCode::UNAUTHORIZED;
        let (rejecter, mut replacement) = match by {
            Some((name, own)) => (Some(name), own),
            None => (None, None),
        };
        // A 503 says "try again later", not "authenticate differently": it
        // carries no challenge (the credentials may well be right).
        let schemes: &[_] = if status == StatusCode::SERVICE_UNAVAILABLE {
            &[]
        } else {
            &self.schemes
        };
        for scheme in schemes {
            let is_rejecter = rejecter.is_some_and(|name| scheme.name() == *name);
            if is_rejecter {
                match replacement.take() {
                    Some(own) => challenges.extend(own),
                    None => scheme.challenges(request, &mut challenges),
                }
            } else if unauthorized || rejecter.is_none() {
                scheme.challenges(request, &mut challenges);
            }
        }
        // A 401 (407) must carry a challenge (RFC 9110 section 11.6.1):
        // with none to send (no scheme at all), nothing here can
        // authenticate the request, which is what 403 says.
        let (status, reason) = match (unauthorized, challenges.is_empty()) {
            (true, false) => (self.role.unauthorized_status(), reason),
            (true, true) => (
                StatusCode::FORBIDDEN,
                format!("{reason} (and no scheme here offers a challenge)").into(),
            ),
            (false, _) => (status, reason),
        };
        Outcome::Denied(Denial {
            status,
            reason,
            scheme: rejecter.map(|name| name.clone().into_owned()),
            challenges,
            role: self.role,
            join: self.join_challenges,
            credentials_missing: false,
        })
    }
}

/// The result of [`Authenticator::authenticate`]: data that each adapter
/// renders the same way.
///
/// # Examples
///
/// ```
/// # use authscheme::*;
/// # use http::{HeaderMap, HeaderValue};
/// # struct Fixed(SchemeName<'static>);
/// # #[async_trait]
/// # impl AuthScheme<String> for Fixed {
/// #     fn name(&self) -> SchemeName<'static> { self.0.clone() }
/// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
/// #         out.push(Challenge::builder(self.0.clone()).param("realm", "api").build().unwrap());
/// #     }
/// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
/// #         match c.token68() {
/// #             Some("good") => Verdict::Authenticated(Authenticated::new("alice".into(), self.0.clone())),
/// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
/// #         }
/// #     }
/// # }
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let auth = Authenticator::new().with(Fixed(SchemeName::BASIC));
/// let headers = HeaderMap::new();
/// match auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await {
///     Outcome::Authenticated(ok) => panic!("{:?} without credentials", ok.authenticated()),
///     Outcome::Denied(denial) => assert!(denial.credentials_missing()),
///     _ => unreachable!(),
/// }
/// # });
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Outcome<I> {
    /// Let the request through, with the identity and headers to add.
    Authenticated(AuthenticatedOutcome<I>),
    /// Answer with the denial instead of calling the handler.
    Denied(Denial),
}

impl<I> Outcome<I> {
    /// The identity, when authenticated.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::{HeaderMap, HeaderValue};
    /// # struct Fixed(SchemeName<'static>);
    /// # #[async_trait]
    /// # impl AuthScheme<String> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { self.0.clone() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
    /// #         out.push(Challenge::builder(self.0.clone()).param("realm", "api").build().unwrap());
    /// #     }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
    /// #         match c.token68() {
    /// #             Some("good") => Verdict::Authenticated(Authenticated::new("alice".into(), self.0.clone())),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let auth = Authenticator::new().with(Fixed(SchemeName::BASIC));
    /// let mut headers = HeaderMap::new();
    /// headers.insert("authorization", HeaderValue::from_static("Basic good"));
    /// let outcome = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await;
    /// assert_eq!(outcome.identity().map(String::as_str), Some("alice"));
    ///
    /// let none = HeaderMap::new();
    /// let outcome = auth.authenticate(&AuthRequest::new("GET", "/", &none)).await;
    /// assert_eq!(outcome.identity(), None);
    /// # });
    /// ```
    pub fn identity(&self) -> Option<&I> {
        match self {
            Outcome::Authenticated(a) => Some(a.authenticated().identity()),
            Outcome::Denied(_) => None,
        }
    }
}

/// A successful outcome: the identity, plus the response headers to add.
///
/// # Examples
///
/// ```
/// # use authscheme::*;
/// # use http::{HeaderMap, HeaderValue};
/// # struct Fixed(SchemeName<'static>);
/// # #[async_trait]
/// # impl AuthScheme<String> for Fixed {
/// #     fn name(&self) -> SchemeName<'static> { self.0.clone() }
/// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
/// #         out.push(Challenge::builder(self.0.clone()).param("realm", "api").build().unwrap());
/// #     }
/// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
/// #         match c.token68() {
/// #             Some("good") => Verdict::Authenticated(Authenticated::new("alice".into(), self.0.clone())),
/// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
/// #         }
/// #     }
/// # }
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let auth = Authenticator::new().with(Fixed(SchemeName::BEARER));
/// let mut headers = HeaderMap::new();
/// headers.insert("authorization", HeaderValue::from_static("Bearer good"));
/// let Outcome::Authenticated(ok) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await else {
///     panic!("the token is good");
/// };
/// assert!(ok.authenticated().scheme().is("bearer"));
/// assert!(ok.response_headers().is_empty());
/// # });
/// ```
#[derive(Debug)]
pub struct AuthenticatedOutcome<I> {
    inner: Authenticated<I>,
    role: Role,
}

impl<I> AuthenticatedOutcome<I> {
    /// The identity and the scheme that authenticated it.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::{HeaderMap, HeaderValue};
    /// # struct Fixed(SchemeName<'static>);
    /// # #[async_trait]
    /// # impl AuthScheme<String> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { self.0.clone() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
    /// #         out.push(Challenge::builder(self.0.clone()).param("realm", "api").build().unwrap());
    /// #     }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
    /// #         match c.token68() {
    /// #             Some("good") => Verdict::Authenticated(Authenticated::new("alice".into(), self.0.clone())),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let auth = Authenticator::new().with(Fixed(SchemeName::BEARER));
    /// let mut headers = HeaderMap::new();
    /// headers.insert("authorization", HeaderValue::from_static("Bearer good"));
    /// let Outcome::Authenticated(ok) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await else {
    ///     panic!("the token is good");
    /// };
    /// assert_eq!(ok.authenticated().identity(), "alice");
    /// assert_eq!(*ok.authenticated().scheme(), SchemeName::BEARER);
    /// # });
    /// ```
    pub fn authenticated(&self) -> &Authenticated<I> {
        &self.inner
    }

    /// Takes the identity and scheme out.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::{HeaderMap, HeaderValue};
    /// # struct Fixed(SchemeName<'static>);
    /// # #[async_trait]
    /// # impl AuthScheme<String> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { self.0.clone() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
    /// #         out.push(Challenge::builder(self.0.clone()).param("realm", "api").build().unwrap());
    /// #     }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
    /// #         match c.token68() {
    /// #             Some("good") => Verdict::Authenticated(Authenticated::new("alice".into(), self.0.clone())),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let auth = Authenticator::new().with(Fixed(SchemeName::BEARER));
    /// let mut headers = HeaderMap::new();
    /// headers.insert("authorization", HeaderValue::from_static("Bearer good"));
    /// let Outcome::Authenticated(ok) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await else {
    ///     panic!("the token is good");
    /// };
    /// let identity: String = ok.into_authenticated().into_identity();
    /// assert_eq!(identity, "alice");
    /// # });
    /// ```
    pub fn into_authenticated(self) -> Authenticated<I> {
        self.inner
    }

    /// Headers to add to the response: `Authentication-Info` (or
    /// `Proxy-Authentication-Info`) if the scheme gave one, and
    /// `Cache-Control: private` if it asked for a
    /// [private response](Authenticated::private_response).
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::{HeaderMap, HeaderValue};
    /// struct WithInfo;
    /// #[async_trait]
    /// impl AuthScheme<&'static str> for WithInfo {
    ///     fn name(&self) -> SchemeName<'static> { SchemeName::DIGEST }
    ///     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
    ///         out.push(Challenge::new(self.name()));
    ///     }
    ///     async fn authenticate(&self, _: &AuthRequest<'_>, _: &Credentials<'_>) -> Verdict<&'static str> {
    ///         let info = HeaderValue::from_static(r#"nextnonce="n2""#);
    ///         Verdict::Authenticated(Authenticated::new("alice", self.name()).with_info(info))
    ///     }
    /// }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let auth = Authenticator::new().with(WithInfo);
    /// let mut headers = HeaderMap::new();
    /// headers.insert("authorization", HeaderValue::from_static(r#"Digest username="alice""#));
    /// let Outcome::Authenticated(ok) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await else {
    ///     panic!("the scheme accepts everyone");
    /// };
    /// let added = ok.response_headers();
    /// assert_eq!(added.len(), 1);
    /// assert_eq!(added[0].0, "authentication-info");
    /// assert_eq!(added[0].1, r#"nextnonce="n2""#);
    /// # });
    /// ```
    pub fn response_headers(&self) -> Vec<(HeaderName, HeaderValue)> {
        let mut headers = Vec::new();
        if let Some(value) = self.inner.info() {
            headers.push((self.role.info_header().clone(), value.clone()));
        }
        if self.inner.is_private() {
            headers.push((
                http::header::CACHE_CONTROL,
                HeaderValue::from_static("private"),
            ));
        }
        headers
    }
}

/// What a 503 tells the client to wait, in seconds, before trying again.
const RETRY_AFTER_SECONDS: &str = "5";

/// A refused request: status, challenges and a reason, ready to render.
///
/// # Examples
///
/// ```
/// # use authscheme::*;
/// # use http::{HeaderMap, HeaderValue};
/// # struct Fixed(SchemeName<'static>);
/// # #[async_trait]
/// # impl AuthScheme<String> for Fixed {
/// #     fn name(&self) -> SchemeName<'static> { self.0.clone() }
/// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
/// #         out.push(Challenge::builder(self.0.clone()).param("realm", "api").build().unwrap());
/// #     }
/// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
/// #         match c.token68() {
/// #             Some("good") => Verdict::Authenticated(Authenticated::new("alice".into(), self.0.clone())),
/// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
/// #         }
/// #     }
/// # }
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let auth = Authenticator::new()
///     .with(Fixed(SchemeName::BASIC))
///     .with(Fixed(SchemeName::BEARER));
/// let headers = HeaderMap::new();
/// let Outcome::Denied(denial) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await else {
///     panic!("no credentials, no access");
/// };
/// // What an adapter does with it:
/// let mut response = http::Response::new(denial.body());
/// *response.status_mut() = denial.status();
/// response.headers_mut().extend(denial.headers());
/// response.headers_mut().insert("content-type", HeaderValue::from_static(Denial::CONTENT_TYPE));
/// assert_eq!(response.status().as_u16(), 401);
/// assert_eq!(response.headers().get_all("www-authenticate").iter().count(), 2);
/// assert_eq!(*response.body(), "Unauthorized\n");
/// # });
/// ```
#[derive(Debug, Clone)]
pub struct Denial {
    status: StatusCode,
    reason: Cow<'static, str>,
    scheme: Option<SchemeName<'static>>,
    challenges: Vec<Challenge<'static>>,
    role: Role,
    join: bool,
    credentials_missing: bool,
}

impl Denial {
    /// The `Content-Type` of [`body`](Denial::body), the same in every adapter.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Denial;
    /// assert_eq!(Denial::CONTENT_TYPE, "text/plain; charset=utf-8");
    /// assert!(Denial::CONTENT_TYPE.parse::<http::HeaderValue>().is_ok());
    /// ```
    pub const CONTENT_TYPE: &'static str = "text/plain; charset=utf-8";

    /// Whether the request carried no credentials at all (no credentials
    /// field, and no scheme found any elsewhere). Adapters in optional mode
    /// let exactly these requests through without an identity.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::{HeaderMap, HeaderValue};
    /// # struct Fixed(SchemeName<'static>);
    /// # #[async_trait]
    /// # impl AuthScheme<String> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { self.0.clone() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
    /// #         out.push(Challenge::builder(self.0.clone()).param("realm", "api").build().unwrap());
    /// #     }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
    /// #         match c.token68() {
    /// #             Some("good") => Verdict::Authenticated(Authenticated::new("alice".into(), self.0.clone())),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let auth = Authenticator::new().with(Fixed(SchemeName::BEARER));
    /// let mut headers = HeaderMap::new();
    /// let Outcome::Denied(denial) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await else {
    ///     panic!("no credentials, no access");
    /// };
    /// assert!(denial.credentials_missing());
    ///
    /// headers.insert("authorization", HeaderValue::from_static("Bearer wrong"));
    /// let Outcome::Denied(denial) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await else {
    ///     panic!("a wrong token is refused");
    /// };
    /// assert!(!denial.credentials_missing());
    /// # });
    /// ```
    pub fn credentials_missing(&self) -> bool {
        self.credentials_missing
    }

    /// The response status: 400, 401, 403, 407 or 503.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::{HeaderMap, HeaderValue};
    /// # struct Fixed(SchemeName<'static>);
    /// # #[async_trait]
    /// # impl AuthScheme<String> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { self.0.clone() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
    /// #         out.push(Challenge::builder(self.0.clone()).param("realm", "api").build().unwrap());
    /// #     }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
    /// #         match c.token68() {
    /// #             Some("good") => Verdict::Authenticated(Authenticated::new("alice".into(), self.0.clone())),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let auth = Authenticator::new().with(Fixed(SchemeName::BEARER));
    /// let mut headers = HeaderMap::new();
    /// headers.insert("authorization", HeaderValue::from_static("Bearer wrong"));
    /// let Outcome::Denied(denial) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await else {
    ///     panic!("a wrong token is refused");
    /// };
    /// assert_eq!(denial.status(), http::StatusCode::UNAUTHORIZED);
    ///
    /// headers.insert("authorization", HeaderValue::from_static("Bearer a b"));
    /// let Outcome::Denied(denial) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await else {
    ///     panic!("malformed credentials are refused");
    /// };
    /// assert_eq!(denial.status(), http::StatusCode::BAD_REQUEST);
    /// # });
    /// ```
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// Why, for logs (never a secret, never "unknown user").
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::{HeaderMap, HeaderValue};
    /// # struct Fixed(SchemeName<'static>);
    /// # #[async_trait]
    /// # impl AuthScheme<String> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { self.0.clone() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
    /// #         out.push(Challenge::builder(self.0.clone()).param("realm", "api").build().unwrap());
    /// #     }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
    /// #         match c.token68() {
    /// #             Some("good") => Verdict::Authenticated(Authenticated::new("alice".into(), self.0.clone())),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let auth = Authenticator::new().with(Fixed(SchemeName::BASIC));
    /// let mut headers = HeaderMap::new();
    /// headers.insert("authorization", HeaderValue::from_static("Negotiate abc"));
    /// let Outcome::Denied(denial) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await else {
    ///     panic!("no scheme here reads Negotiate");
    /// };
    /// assert_eq!(denial.reason(), "no scheme here answers to the credentials' scheme");
    /// # });
    /// ```
    pub fn reason(&self) -> &str {
        &self.reason
    }

    /// The scheme that refused the credentials, when one did.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::{HeaderMap, HeaderValue};
    /// # struct Fixed(SchemeName<'static>);
    /// # #[async_trait]
    /// # impl AuthScheme<String> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { self.0.clone() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
    /// #         out.push(Challenge::builder(self.0.clone()).param("realm", "api").build().unwrap());
    /// #     }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
    /// #         match c.token68() {
    /// #             Some("good") => Verdict::Authenticated(Authenticated::new("alice".into(), self.0.clone())),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let auth = Authenticator::new()
    ///     .with(Fixed(SchemeName::BASIC))
    ///     .with(Fixed(SchemeName::BEARER));
    /// let mut headers = HeaderMap::new();
    /// headers.insert("authorization", HeaderValue::from_static("Bearer wrong"));
    /// let Outcome::Denied(denial) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await else {
    ///     panic!("a wrong token is refused");
    /// };
    /// assert_eq!(denial.scheme(), Some(&SchemeName::BEARER));
    ///
    /// let none = HeaderMap::new();
    /// let Outcome::Denied(denial) = auth.authenticate(&AuthRequest::new("GET", "/", &none)).await else {
    ///     panic!("no credentials, no access");
    /// };
    /// assert_eq!(denial.scheme(), None);
    /// # });
    /// ```
    pub fn scheme(&self) -> Option<&SchemeName<'static>> {
        self.scheme.as_ref()
    }

    /// The challenges to send.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::{HeaderMap, HeaderValue};
    /// # struct Fixed(SchemeName<'static>);
    /// # #[async_trait]
    /// # impl AuthScheme<String> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { self.0.clone() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
    /// #         out.push(Challenge::builder(self.0.clone()).param("realm", "api").build().unwrap());
    /// #     }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
    /// #         match c.token68() {
    /// #             Some("good") => Verdict::Authenticated(Authenticated::new("alice".into(), self.0.clone())),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let auth = Authenticator::new()
    ///     .with(Fixed(SchemeName::BASIC))
    ///     .with(Fixed(SchemeName::BEARER));
    /// let headers = HeaderMap::new();
    /// let Outcome::Denied(denial) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await else {
    ///     panic!("no credentials, no access");
    /// };
    /// assert_eq!(denial.challenges().len(), 2);
    /// assert!(denial.challenges()[0].scheme().is("basic"));
    /// assert_eq!(denial.challenges()[1].realm(), Some("api"));
    /// # });
    /// ```
    pub fn challenges(&self) -> &[Challenge<'static>] {
        &self.challenges
    }

    /// Origin or proxy.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::{HeaderMap, HeaderValue};
    /// # struct Fixed(SchemeName<'static>);
    /// # #[async_trait]
    /// # impl AuthScheme<String> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { self.0.clone() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
    /// #         out.push(Challenge::builder(self.0.clone()).param("realm", "api").build().unwrap());
    /// #     }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
    /// #         match c.token68() {
    /// #             Some("good") => Verdict::Authenticated(Authenticated::new("alice".into(), self.0.clone())),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let auth = Authenticator::new().with(Fixed(SchemeName::BASIC)).proxy();
    /// let headers = HeaderMap::new();
    /// let Outcome::Denied(denial) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await else {
    ///     panic!("no credentials, no access");
    /// };
    /// assert_eq!(denial.role(), Role::Proxy);
    /// # });
    /// ```
    pub fn role(&self) -> Role {
        self.role
    }

    /// The header lines to send: one challenge per field line (or all on
    /// one line when the authenticator joins them). A 503 carries no
    /// challenge but `Retry-After: 5` (RFC 9110 section 10.2.3): a shared
    /// store that did not answer is retried by the next request, so a
    /// client may come back soon.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::{HeaderMap, HeaderValue};
    /// # struct Fixed(SchemeName<'static>);
    /// # #[async_trait]
    /// # impl AuthScheme<String> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { self.0.clone() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
    /// #         out.push(Challenge::builder(self.0.clone()).param("realm", "api").build().unwrap());
    /// #     }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
    /// #         match c.token68() {
    /// #             Some("good") => Verdict::Authenticated(Authenticated::new("alice".into(), self.0.clone())),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let auth = Authenticator::new()
    ///     .with(Fixed(SchemeName::BASIC))
    ///     .with(Fixed(SchemeName::BEARER));
    /// let headers = HeaderMap::new();
    /// let Outcome::Denied(denial) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await else {
    ///     panic!("no credentials, no access");
    /// };
    /// let lines = denial.headers();
    /// assert_eq!(lines.len(), 2);
    /// assert!(lines.iter().all(|(name, _)| name == "www-authenticate"));
    /// assert_eq!(lines[0].1, r#"Basic realm="api""#);
    /// # });
    /// ```
    pub fn headers(&self) -> Vec<(HeaderName, HeaderValue)> {
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            return vec![(
                http::header::RETRY_AFTER,
                HeaderValue::from_static(RETRY_AFTER_SECONDS),
            )];
        }
        let name = self.role.challenge_header();
        if self.join && !self.challenges.is_empty() {
            let mut out = Vec::with_capacity(64 * self.challenges.len());
            syntax::write_challenges(&self.challenges, &mut out);
            return HeaderValue::from_bytes(&out)
                .map(|v| vec![(name.clone(), v)])
                .unwrap_or_default();
        }
        self.challenges
            .iter()
            .map(|c| (name.clone(), c.to_header_value()))
            .collect()
    }

    /// A short plain-text body for the response.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # use http::{HeaderMap, HeaderValue};
    /// # struct Fixed(SchemeName<'static>);
    /// # #[async_trait]
    /// # impl AuthScheme<String> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { self.0.clone() }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
    /// #         out.push(Challenge::builder(self.0.clone()).param("realm", "api").build().unwrap());
    /// #     }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<String> {
    /// #         match c.token68() {
    /// #             Some("good") => Verdict::Authenticated(Authenticated::new("alice".into(), self.0.clone())),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let auth = Authenticator::new().with(Fixed(SchemeName::BASIC));
    /// let mut headers = HeaderMap::new();
    /// headers.insert("authorization", HeaderValue::from_static("Basic a, b"));
    /// let Outcome::Denied(denial) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await else {
    ///     panic!("malformed credentials are refused");
    /// };
    /// assert_eq!(denial.status().as_u16(), 400);
    /// assert_eq!(denial.body(), "Bad Request: malformed credentials\n");
    /// # });
    /// ```
    pub fn body(&self) -> &'static str {
        match self.status.as_u16() {
            400 => "Bad Request: malformed credentials\n",
            401 => "Unauthorized\n",
            403 => "Forbidden: insufficient scope\n",
            407 => "Proxy Authentication Required\n",
            503 => "Service Unavailable: authentication backend unreachable\n",
            _ => "Authentication failed\n",
        }
    }
}

/// The token a credentials value starts with (its scheme, when the value
/// parses; empty when it starts with anything else), and its length.
fn leading_token(value: &[u8]) -> (&str, usize) {
    let len = syntax::leading_token_len(value);
    (syntax::as_text(&value[..len]).unwrap_or_default(), len)
}
