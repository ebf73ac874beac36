//! [`BearerScheme`]: the server side of RFC 6750.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use authscheme::{
    AuthRequest, AuthScheme, Authenticated, Challenge, Credentials, ParseError, Rejection,
    SchemeName, Verdict,
};

use crate::error::{BearerError, TokenError};
use crate::error_code::{ErrorCode, is_error_text, is_error_uri, is_scope_token};
use crate::source::{self, Found};
use crate::validator::{TokenInfo, TokenValidator};

/// The `error_description` of an `Authorization` value that is not
/// `Bearer` and one b64token (RFC 6750 section 2.1).
const NOT_ONE_B64TOKEN: &str = "The Authorization value is not `Bearer` followed by one b64token";

/// The settings shared by every clone of a scheme; cloned on write only
/// when a route changes its required scopes.
#[derive(Debug, Clone, Default)]
struct Config {
    realm: Option<String>,
    /// The `scope` sent in the plain challenge.
    challenge_scope: Option<String>,
    /// Scopes the route needs; all must be granted.
    required_scopes: Vec<String>,
    form_body: bool,
    query: bool,
    error_uri: Option<String>,
    describe_errors: bool,
}

/// The bearer scheme (RFC 6750) on the server: reads the token, asks a
/// [`TokenValidator`], checks the route's scopes, and maps every failure to
/// the status and challenge of RFC 6750 section 3.1.
///
/// | request                                     | answer |
/// |---------------------------------------------|--------|
/// | no token                                    | `401`, `Bearer realm="..."` (no error) |
/// | `Bearer` without a b64token, token in two places | `400`, `error="invalid_request"` |
/// | token refused by the validator              | `401`, `error="invalid_token"` |
/// | token lacks a scope the route requires      | `403`, `error="insufficient_scope"`, `scope="..."` |
///
/// Cloning is cheap (two `Arc`s), so one scheme can be cloned per route
/// with [`with_required_scopes`](BearerScheme::with_required_scopes).
///
/// # Examples
///
/// ```
/// use authscheme::{AuthRequest, Authenticator, Outcome};
/// use authscheme_bearer::{BearerScheme, StaticTokens};
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let tokens = StaticTokens::new().with_token("mF_9.B5f-4.1JqM", "alice", ["read"]);
/// let scheme = BearerScheme::builder(tokens).realm("example").build()?;
/// let admin_only = scheme.clone().with_required_scopes(["admin"])?;
///
/// let mut headers = http::HeaderMap::new();
/// headers.insert("authorization", "Bearer mF_9.B5f-4.1JqM".parse().unwrap());
/// let req = AuthRequest::new("GET", "/resource", &headers);
///
/// let open = Authenticator::new().with(scheme);
/// assert_eq!(open.authenticate(&req).await.identity().unwrap().name(), "alice");
///
/// let admin = Authenticator::new().with(admin_only);
/// let Outcome::Denied(denial) = admin.authenticate(&req).await else { panic!() };
/// assert_eq!(denial.status().as_u16(), 403);
/// assert_eq!(
///     denial.challenges()[0].to_string(),
///     r#"Bearer realm="example", scope="admin", error="insufficient_scope", error_description="The access token lacks a required scope""#
/// );
/// # Ok::<(), authscheme_bearer::BearerError>(())
/// # }).unwrap();
/// ```
pub struct BearerScheme<V> {
    validator: Arc<V>,
    config: Arc<Config>,
}

impl<V> Clone for BearerScheme<V> {
    fn clone(&self) -> Self {
        Self {
            validator: Arc::clone(&self.validator),
            config: Arc::clone(&self.config),
        }
    }
}

impl<V> fmt::Debug for BearerScheme<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BearerScheme")
            .field("realm", &self.config.realm)
            .field("required_scopes", &self.config.required_scopes)
            .field("form_body", &self.config.form_body)
            .field("query", &self.config.query)
            .finish_non_exhaustive()
    }
}

impl<V: TokenValidator> BearerScheme<V> {
    /// Starts a builder around `validator`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{AuthRequest, Authenticator};
    /// use authscheme_bearer::{BearerScheme, StaticTokens};
    /// let tokens = StaticTokens::new().with_token("mF_9.B5f-4.1JqM", "alice", ["read"]);
    /// let auth = Authenticator::new().with(BearerScheme::builder(tokens).build().unwrap());
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("authorization", "Bearer mF_9.B5f-4.1JqM".parse().unwrap());
    /// let ok = auth.authenticate_now(&AuthRequest::new("GET", "/", &headers)).unwrap();
    /// assert_eq!(ok.authenticated().identity().name(), "alice");
    /// ```
    pub fn builder(validator: V) -> BearerSchemeBuilder<V> {
        BearerSchemeBuilder::new(Arc::new(validator))
    }

    /// Starts a builder around a validator shared with other schemes.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use authscheme_bearer::{BearerScheme, StaticTokens};
    /// let tokens = Arc::new(StaticTokens::new().with_token("mF_9.B5f-4.1JqM", "alice", ["read"]));
    /// let api = BearerScheme::builder_shared(Arc::clone(&tokens)).realm("api").build().unwrap();
    /// let admin = BearerScheme::builder_shared(Arc::clone(&tokens)).realm("admin").build().unwrap();
    /// assert!(Arc::ptr_eq(api.validator(), admin.validator()));
    /// ```
    pub fn builder_shared(validator: Arc<V>) -> BearerSchemeBuilder<V> {
        BearerSchemeBuilder::new(validator)
    }

    /// This scheme, requiring `scopes` (all of them) on top of a good
    /// token: for one route.
    ///
    /// # Errors
    ///
    /// [`BearerError::Scope`] when a scope is not a scope-token.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{AuthRequest, Authenticator, Outcome};
    /// use authscheme_bearer::{BearerError, BearerScheme, StaticTokens};
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let tokens = StaticTokens::new().with_token("mF_9.B5f-4.1JqM", "alice", ["read"]);
    /// let scheme = BearerScheme::builder(tokens).build().unwrap();
    /// let writers = Authenticator::new().with(scheme.clone().with_required_scopes(["write"]).unwrap());
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("authorization", "Bearer mF_9.B5f-4.1JqM".parse().unwrap());
    /// let Outcome::Denied(denial) = writers.authenticate(&AuthRequest::new("POST", "/", &headers)).await
    /// else { panic!() };
    /// assert_eq!(denial.status().as_u16(), 403);
    /// assert!(matches!(scheme.with_required_scopes(["read write"]), Err(BearerError::Scope(_))));
    /// # });
    /// ```
    pub fn with_required_scopes<S: Into<String>>(
        mut self,
        scopes: impl IntoIterator<Item = S>,
    ) -> Result<Self, BearerError> {
        let scopes = checked_scopes(scopes)?;
        Arc::make_mut(&mut self.config).required_scopes = scopes;
        Ok(self)
    }

    /// The validator.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::{BearerScheme, StaticTokens};
    /// let tokens = StaticTokens::new().with_token("mF_9.B5f-4.1JqM", "alice", ["read"]);
    /// let scheme = BearerScheme::builder(tokens).build().unwrap();
    /// assert_eq!(scheme.validator().len(), 1);
    /// ```
    pub fn validator(&self) -> &Arc<V> {
        &self.validator
    }

    /// The scopes this scheme requires.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::{BearerScheme, StaticTokens};
    /// let scheme = BearerScheme::builder(StaticTokens::new()).require_scopes(["read"]).build().unwrap();
    /// assert_eq!(scheme.required_scopes(), ["read"]);
    /// // A route's scopes replace the builder's.
    /// let admin = scheme.with_required_scopes(["admin", "audit"]).unwrap();
    /// assert_eq!(admin.required_scopes(), ["admin", "audit"]);
    /// ```
    pub fn required_scopes(&self) -> &[String] {
        &self.config.required_scopes
    }

    async fn verify(&self, token: &str) -> Verdict<V::Identity> {
        if !authscheme::syntax::is_token68(token.as_bytes()) {
            return self.reject(
                ErrorCode::InvalidRequest,
                "The access token is not a b64token",
            );
        }
        let info = match self.validator.validate(token).await {
            Ok(info) => info,
            Err(TokenError::Unavailable) => {
                return Verdict::Rejected(Rejection::unavailable(
                    "the bearer token validator is unavailable",
                ));
            }
            Err(e) => return self.reject(ErrorCode::InvalidToken, e.description()),
        };
        if !self.grants(&info) {
            return self.reject(
                ErrorCode::InsufficientScope,
                "The access token lacks a required scope",
            );
        }
        Verdict::Authenticated(Authenticated::new(info.into_identity(), SchemeName::BEARER))
    }

    /// Whether the token carries every scope this route requires.
    fn grants(&self, info: &TokenInfo<V::Identity>) -> bool {
        self.config
            .required_scopes
            .iter()
            .all(|needed| info.has_scope(needed))
    }

    /// The tokens outside the header, from the sources that are enabled.
    fn other_sources<'a>(&self, request: &AuthRequest<'a>) -> (Found<'a>, Found<'a>) {
        let query = if self.config.query {
            source::in_query(request)
        } else {
            Found::Nothing
        };
        let body = if self.config.form_body {
            source::in_form_body(request)
        } else {
            Found::Nothing
        };
        (query, body)
    }

    /// Whether form-body tokens are on and `request` is one whose body
    /// would be searched for a token (RFC 6750 section 2.2: the method and
    /// `Content-Type` allow it) but the body is not in the request. The
    /// answer could then depend on bytes this call cannot see.
    fn body_unseen(&self, request: &AuthRequest<'_>) -> bool {
        if !self.config.form_body || request.body().is_some() {
            return false;
        }
        // The body rule itself decides whether a body would be read: ask
        // it about a body that holds a token. One rule, no second copy.
        const PROBE: &[u8] = b"access_token=probe";
        !source::in_form_body(&request.with_body(PROBE)).is_nothing()
    }

    fn reject(&self, code: ErrorCode, description: &'static str) -> Verdict<V::Identity> {
        let challenge = self.challenge(Some((code, description)));
        let rejection = Rejection::new(code.status(), description).with_challenges(vec![challenge]);
        Verdict::Rejected(rejection)
    }

    /// The challenge, plain or with an error. `insufficient_scope` carries
    /// the scopes the route needs; otherwise the configured `scope`.
    fn challenge(&self, error: Option<(ErrorCode, &str)>) -> Challenge<'static> {
        let cfg = &*self.config;
        let mut b = Challenge::builder(SchemeName::BEARER);
        if let Some(realm) = &cfg.realm {
            b = b.quoted_param("realm", realm.clone().into_bytes());
        }
        // The scope a token needs here (RFC 6750 section 3): after a 403,
        // the route's required scopes; otherwise the configured one, or
        // else, so that a client knows what to ask for, the required ones.
        let required = || (!cfg.required_scopes.is_empty()).then(|| cfg.required_scopes.join(" "));
        let scope = match error {
            Some((ErrorCode::InsufficientScope, _)) => {
                required().or_else(|| cfg.challenge_scope.clone())
            }
            _ => cfg.challenge_scope.clone().or_else(required),
        };
        if let Some(scope) = scope {
            b = b.quoted_param("scope", scope.into_bytes());
        }
        if let Some((code, description)) = error {
            b = b.quoted_param("error", code.as_str().as_bytes());
            // The texts are fixed today; checking them here still keeps any
            // future text with a quote, backslash or control character from
            // reaching the header: such a description is dropped, not sent.
            if cfg.describe_errors && is_error_text(description) {
                b = b.quoted_param("error_description", description.to_owned().into_bytes());
            }
            if let Some(uri) = &cfg.error_uri {
                b = b.quoted_param("error_uri", uri.clone().into_bytes());
            }
        }
        // Every value was checked when configured, so building cannot fail;
        // fall back to the bare scheme rather than panic.
        b.build()
            .unwrap_or_else(|_| Challenge::new(SchemeName::BEARER))
    }
}

#[async_trait]
impl<V: TokenValidator> AuthScheme<V::Identity> for BearerScheme<V> {
    fn name(&self) -> SchemeName<'static> {
        SchemeName::BEARER
    }

    fn challenges(&self, _request: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
        out.push(self.challenge(None));
    }

    /// A good token the validator knows at once (a static token, a cached
    /// JWT), with every required scope, sent in the header only.
    ///
    /// With [`form_body`](BearerSchemeBuilder::form_body) on, a request
    /// that could carry a token in a form body the adapter has not handed
    /// over (adapters ask before they buffer) is left to `authenticate`,
    /// which sees the body: a second token there is `invalid_request`.
    fn authenticate_now(
        &self,
        request: &AuthRequest<'_>,
        credentials: &Credentials<'_>,
    ) -> Option<Authenticated<V::Identity>> {
        let token = credentials.token68()?;
        if self.body_unseen(request) {
            return None;
        }
        let (query, body) = self.other_sources(request);
        if !query.is_nothing() || !body.is_nothing() {
            return None;
        }
        let info = self.validator.validate_now(token)?;
        if !self.grants(&info) {
            return None;
        }
        Some(Authenticated::new(info.into_identity(), SchemeName::BEARER))
    }

    /// Only a second token in the query (when query tokens are on) makes
    /// the target matter: two ways of sending a token are refused.
    fn reads_target_now(&self) -> bool {
        self.config.query
    }

    async fn authenticate(
        &self,
        request: &AuthRequest<'_>,
        credentials: &Credentials<'_>,
    ) -> Verdict<V::Identity> {
        // `Bearer` alone, or `Bearer abc=def` (read as an auth-param by the
        // generic grammar): no b64token, said as for a value that breaks
        // the grammar.
        let Some(token) = credentials.token68() else {
            return self.reject(ErrorCode::InvalidRequest, NOT_ONE_B64TOKEN);
        };
        let (query, body) = self.other_sources(request);
        if !query.is_nothing() || !body.is_nothing() {
            return self.reject(
                ErrorCode::InvalidRequest,
                "The access token was sent in more than one way",
            );
        }
        self.verify(token).await
    }

    /// `Bearer mF_9 B5f` and other values that break the RFC 9110 grammar
    /// are `invalid_request` (RFC 6750 section 3.1), with the error in the
    /// challenge.
    fn reject_malformed(
        &self,
        _request: &AuthRequest<'_>,
        _error: &ParseError,
    ) -> Option<Rejection> {
        let challenge = self.challenge(Some((ErrorCode::InvalidRequest, NOT_ONE_B64TOKEN)));
        Some(
            Rejection::new(ErrorCode::InvalidRequest.status(), NOT_ONE_B64TOKEN)
                .with_challenges(vec![challenge]),
        )
    }

    async fn authenticate_without_header(&self, request: &AuthRequest<'_>) -> Verdict<V::Identity> {
        match self.other_sources(request) {
            (Found::Nothing, Found::Nothing) => Verdict::NotMine,
            // A token in the URL: no shared cache may keep the response
            // (RFC 6750 section 2.3).
            (Found::One(token), Found::Nothing) => match self.verify(&token).await {
                Verdict::Authenticated(ok) => Verdict::Authenticated(ok.private_response()),
                other => other,
            },
            (Found::Nothing, Found::One(token)) => self.verify(&token).await,
            _ => self.reject(
                ErrorCode::InvalidRequest,
                "The access token was sent in more than one way",
            ),
        }
    }
}

/// Builds a [`BearerScheme`].
///
/// # Examples
///
/// ```
/// use authscheme_bearer::{BearerScheme, StaticTokens};
/// let scheme = BearerScheme::builder(StaticTokens::new())
///     .realm("example")
///     .scope("openid profile email")
///     .error_uri("https://example.com/errors/bearer")
///     .query_parameter(true)
///     .build()
///     .unwrap();
/// assert!(format!("{scheme:?}").contains("example"));
/// ```
#[derive(Debug)]
pub struct BearerSchemeBuilder<V> {
    validator: Arc<V>,
    config: Config,
    challenge_scopes: Vec<String>,
    required_scopes: Vec<String>,
}

impl<V: TokenValidator> BearerSchemeBuilder<V> {
    fn new(validator: Arc<V>) -> Self {
        Self {
            validator,
            config: Config {
                describe_errors: true,
                ..Config::default()
            },
            challenge_scopes: Vec::new(),
            required_scopes: Vec::new(),
        }
    }

    /// The `realm` of the challenge. Give one: RFC 6750 section 3 has every
    /// Bearer challenge carry at least one parameter, and without a realm
    /// or a scope the challenge of a request without credentials is a
    /// bare `Bearer` (which RFC 9110's grammar allows, and most clients
    /// take).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{AuthRequest, Authenticator};
    /// use authscheme_bearer::{BearerScheme, StaticTokens};
    /// let scheme = BearerScheme::builder(StaticTokens::new()).realm("example").build().unwrap();
    /// let headers = http::HeaderMap::new();
    /// let challenges = Authenticator::new().with(scheme).challenges(&AuthRequest::new("GET", "/", &headers));
    /// assert_eq!(challenges[0].to_string(), r#"Bearer realm="example""#);
    /// ```
    pub fn realm(mut self, realm: impl Into<String>) -> Self {
        self.config.realm = Some(realm.into());
        self
    }

    /// The `scope` of the plain challenge: space-separated scope-tokens
    /// a client should ask for. Without it, the plain challenge names the
    /// [required scopes](Self::require_scopes), if any.
    ///
    /// **This is only a hint in the challenge: it enforces nothing.** A
    /// valid token without these scopes is still accepted. To refuse it
    /// (403 `insufficient_scope`), use [`require_scopes`](Self::require_scopes).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{AuthRequest, Authenticator};
    /// use authscheme_bearer::{BearerScheme, StaticTokens};
    /// let scheme = BearerScheme::builder(StaticTokens::new())
    ///     .realm("example")
    ///     .scope("openid profile")
    ///     .build()
    ///     .unwrap();
    /// let headers = http::HeaderMap::new();
    /// let challenges = Authenticator::new().with(scheme).challenges(&AuthRequest::new("GET", "/", &headers));
    /// assert_eq!(challenges[0].to_string(), r#"Bearer realm="example", scope="openid profile""#);
    /// ```
    ///
    /// A token without the hinted scopes still gets in:
    ///
    /// ```
    /// use authscheme::{AuthRequest, Authenticator};
    /// use authscheme_bearer::{BearerScheme, StaticTokens};
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let tokens = StaticTokens::new().with_token("reader-token", "alice", ["read"]);
    /// let scheme = BearerScheme::builder(tokens).scope("admin").build().unwrap();
    /// let auth = Authenticator::new().with(scheme);
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("authorization", "Bearer reader-token".parse().unwrap());
    /// let outcome = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await;
    /// assert_eq!(outcome.identity().unwrap().name(), "alice");
    /// # });
    /// ```
    pub fn scope(mut self, scope: &str) -> Self {
        self.challenge_scopes = scope
            .split(' ')
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        self
    }

    /// Scopes every request must have been granted (all of them). A token
    /// that lacks one gets 403 `insufficient_scope` naming them; the plain
    /// 401 challenge names them too unless [`scope`](Self::scope) says
    /// otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{AuthRequest, Authenticator, Outcome};
    /// use authscheme_bearer::{BearerScheme, StaticTokens};
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let tokens = StaticTokens::new()
    ///     .with_token("reader-token", "reader", ["read"])
    ///     .with_token("writer-token", "writer", ["read", "write"]);
    /// let scheme = BearerScheme::builder(tokens).require_scopes(["read", "write"]).build().unwrap();
    /// let auth = Authenticator::new().with(scheme);
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("authorization", "Bearer writer-token".parse().unwrap());
    /// let outcome = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await;
    /// assert_eq!(outcome.identity().unwrap().name(), "writer");
    /// headers.insert("authorization", "Bearer reader-token".parse().unwrap());
    /// let outcome = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await;
    /// assert!(matches!(outcome, Outcome::Denied(d) if d.status().as_u16() == 403));
    /// headers.remove("authorization");
    /// let Outcome::Denied(d) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await else { panic!() };
    /// assert_eq!(d.challenges()[0].to_string(), r#"Bearer scope="read write""#);
    /// # });
    /// ```
    pub fn require_scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.required_scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// Accepts a token in a form-encoded body (RFC 6750 section 2.2): only a
    /// request whose method gives its content a meaning (not GET, HEAD,
    /// DELETE, OPTIONS, TRACE or CONNECT), with `Content-Type:
    /// application/x-www-form-urlencoded` and a body the adapter buffered;
    /// never in a proxy (the token is the origin's). Off by default.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{AuthRequest, Authenticator};
    /// use authscheme_bearer::{BearerScheme, StaticTokens};
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let tokens = StaticTokens::new().with_token("mF_9.B5f-4.1JqM", "alice", ["read"]);
    /// let auth = Authenticator::new().with(BearerScheme::builder(tokens).form_body(true).build().unwrap());
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("content-type", "application/x-www-form-urlencoded".parse().unwrap());
    /// let body = b"access_token=mF_9.B5f-4.1JqM";
    /// let post = AuthRequest::new("POST", "/resource", &headers).with_body(body);
    /// assert_eq!(auth.authenticate(&post).await.identity().unwrap().name(), "alice");
    /// // Never from the body of a GET or a HEAD.
    /// let get = AuthRequest::new("GET", "/resource", &headers).with_body(body);
    /// assert!(auth.authenticate(&get).await.identity().is_none());
    /// let head = AuthRequest::new("HEAD", "/resource", &headers).with_body(body);
    /// assert!(auth.authenticate(&head).await.identity().is_none());
    /// # });
    /// ```
    pub fn form_body(mut self, enable: bool) -> Self {
        self.config.form_body = enable;
        self
    }

    /// Accepts a token in the `access_token` query parameter (RFC 6750
    /// section 2.3, which advises against it: URIs end up in logs). Off by
    /// default.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{AuthRequest, Authenticator};
    /// use authscheme_bearer::{BearerScheme, StaticTokens};
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let tokens = StaticTokens::new().with_token("mF_9.B5f-4.1JqM", "alice", ["read"]);
    /// let headers = http::HeaderMap::new();
    /// let req = AuthRequest::new("GET", "/resource?access_token=mF_9.B5f-4.1JqM", &headers);
    /// let off = Authenticator::new().with(BearerScheme::builder(tokens.clone()).build().unwrap());
    /// assert!(off.authenticate(&req).await.identity().is_none());
    /// let on = Authenticator::new().with(BearerScheme::builder(tokens).query_parameter(true).build().unwrap());
    /// assert_eq!(on.authenticate(&req).await.identity().unwrap().name(), "alice");
    /// # });
    /// ```
    pub fn query_parameter(mut self, enable: bool) -> Self {
        self.config.query = enable;
        self
    }

    /// The `error_uri` sent with every error.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{AuthRequest, Authenticator, Outcome};
    /// use authscheme_bearer::{BearerScheme, StaticTokens};
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let scheme = BearerScheme::builder(StaticTokens::new())
    ///     .error_uri("https://example.com/errors/bearer")
    ///     .build()
    ///     .unwrap();
    /// let auth = Authenticator::new().with(scheme);
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("authorization", "Bearer unknown".parse().unwrap());
    /// let Outcome::Denied(denial) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await
    /// else { panic!() };
    /// assert_eq!(denial.challenges()[0].param_str("error_uri"), Some("https://example.com/errors/bearer"));
    /// # });
    /// ```
    pub fn error_uri(mut self, uri: impl Into<String>) -> Self {
        self.config.error_uri = Some(uri.into());
        self
    }

    /// Whether errors carry an `error_description` (on by default; the texts
    /// are fixed and never include the token).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{AuthRequest, Authenticator, Outcome};
    /// use authscheme_bearer::{BearerScheme, StaticTokens};
    /// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
    /// let scheme = BearerScheme::builder(StaticTokens::new())
    ///     .realm("example")
    ///     .error_descriptions(false)
    ///     .build()
    ///     .unwrap();
    /// let auth = Authenticator::new().with(scheme);
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("authorization", "Bearer unknown".parse().unwrap());
    /// let Outcome::Denied(denial) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await
    /// else { panic!() };
    /// assert_eq!(denial.challenges()[0].to_string(), r#"Bearer realm="example", error="invalid_token""#);
    /// # });
    /// ```
    pub fn error_descriptions(mut self, enable: bool) -> Self {
        self.config.describe_errors = enable;
        self
    }

    /// The scheme.
    ///
    /// # Errors
    ///
    /// [`BearerError::Realm`], [`BearerError::Scope`] or
    /// [`BearerError::ErrorUri`] when a value cannot be sent as RFC 6750
    /// allows.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::{BearerError, BearerScheme, StaticTokens};
    /// let bad_realm = BearerScheme::builder(StaticTokens::new()).realm("two\nlines").build();
    /// assert!(matches!(bad_realm, Err(BearerError::Realm)));
    /// let bad_uri = BearerScheme::builder(StaticTokens::new()).error_uri("https://example.com/a b").build();
    /// assert!(matches!(bad_uri, Err(BearerError::ErrorUri)));
    /// ```
    pub fn build(self) -> Result<BearerScheme<V>, BearerError> {
        let mut config = self.config;
        if let Some(realm) = &config.realm
            && !authscheme::syntax::is_quotable(realm.as_bytes())
        {
            return Err(BearerError::Realm);
        }
        if !self.challenge_scopes.is_empty() {
            config.challenge_scope = Some(checked_scopes(self.challenge_scopes)?.join(" "));
        }
        config.required_scopes = checked_scopes(self.required_scopes)?;
        if let Some(uri) = &config.error_uri
            && !is_error_uri(uri)
        {
            return Err(BearerError::ErrorUri);
        }
        Ok(BearerScheme {
            validator: self.validator,
            config: Arc::new(config),
        })
    }
}

fn checked_scopes<S: Into<String>>(
    scopes: impl IntoIterator<Item = S>,
) -> Result<Vec<String>, BearerError> {
    scopes
        .into_iter()
        .map(Into::into)
        .map(|s| {
            if is_scope_token(&s) {
                Ok(s)
            } else {
                Err(BearerError::Scope(s))
            }
        })
        .collect()
}
