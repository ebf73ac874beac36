//! The client side: answering challenges.
//!
//! A [`ClientScheme`] says how well it can answer a challenge and starts a
//! [`ClientSession`] for a protection space; the session produces the
//! credentials for each request (Digest counts `nc` up and reuses the nonce)
//! and reads what the server sends back. [`choose`] picks the strongest
//! challenge among the schemes a program has.

use std::fmt;
use std::sync::Arc;

use http::HeaderValue;

use crate::auth_value::{Challenge, Credentials};
use crate::param_list::Params;
use crate::scheme_name::SchemeName;
use crate::secret::Secret;

/// What a client scheme sees of the request it authorizes.
///
/// # Examples
///
/// ```
/// use authscheme::ClientRequest;
/// let req = ClientRequest::new("POST", "/digest?x=1").with_body(b"hello");
/// assert_eq!(req.body(), Some(&b"hello"[..]));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ClientRequest<'a> {
    method: &'a str,
    target: &'a str,
    body: Option<&'a [u8]>,
}

impl<'a> ClientRequest<'a> {
    /// A request with `method` to `target`, the request-target as it will be
    /// sent (`/path?query` in origin-form).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientRequest;
    /// let req = ClientRequest::new("GET", "/dir/index.html?x=1");
    /// assert_eq!(req.method(), "GET");
    /// assert_eq!(req.target(), "/dir/index.html?x=1");
    /// assert_eq!(req.body(), None);
    /// ```
    pub fn new(method: &'a str, target: &'a str) -> Self {
        Self {
            method,
            target,
            body: None,
        }
    }

    /// The whole body, for Digest `auth-int`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientRequest;
    /// let req = ClientRequest::new("PUT", "/notes/1").with_body(b"remember the milk");
    /// assert_eq!(req.body(), Some(&b"remember the milk"[..]));
    /// ```
    pub fn with_body(mut self, body: &'a [u8]) -> Self {
        self.body = Some(body);
        self
    }

    /// The method.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(authscheme::ClientRequest::new("POST", "/").method(), "POST");
    /// ```
    pub fn method(&self) -> &'a str {
        self.method
    }

    /// The request-target.
    ///
    /// # Examples
    ///
    /// ```
    /// let req = authscheme::ClientRequest::new("GET", "/search?q=rust");
    /// assert_eq!(req.target(), "/search?q=rust");
    /// ```
    pub fn target(&self) -> &'a str {
        self.target
    }

    /// The body, when known.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientRequest;
    /// assert_eq!(ClientRequest::new("GET", "/").body(), None);
    /// assert_eq!(ClientRequest::new("POST", "/").with_body(b"{}").body(), Some(&b"{}"[..]));
    /// ```
    pub fn body(&self) -> Option<&'a [u8]> {
        self.body
    }
}

/// Called when a bearer token is refused as `invalid_token`: returns a fresh
/// token, or `None` to give up.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use authscheme::{ClientCredentials, Secret, TokenRefresh};
/// let refresh: TokenRefresh = Arc::new(|| Some(Secret::new("fresh-token")));
/// let creds = ClientCredentials::token("old-token").with_refresh(refresh);
/// let renew = creds.refresh().unwrap();
/// assert_eq!(renew().unwrap().expose(), "fresh-token");
/// ```
pub type TokenRefresh = Arc<dyn Fn() -> Option<Secret> + Send + Sync>;

/// What the application gives a client to answer challenges with.
///
/// # Examples
///
/// ```
/// use authscheme::ClientCredentials;
/// let creds = ClientCredentials::password("alice", "wonderland");
/// assert_eq!(creds.user(), Some("alice"));
/// assert!(!format!("{creds:?}").contains("wonderland"));
/// ```
#[derive(Clone, Default)]
pub struct ClientCredentials {
    user: Option<String>,
    password: Option<Secret>,
    token: Option<Secret>,
    refresh: Option<TokenRefresh>,
}

impl ClientCredentials {
    /// A user name and password (Basic, Digest).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// let creds = ClientCredentials::password("alice", "wonderland");
    /// assert_eq!(creds.user(), Some("alice"));
    /// assert_eq!(creds.password_secret().map(|p| p.expose()), Some("wonderland"));
    /// assert!(creds.token_secret().is_none());
    /// ```
    pub fn password(user: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self {
            user: Some(user.into()),
            password: Some(password.into()),
            ..Self::default()
        }
    }

    /// A bearer token.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// let creds = ClientCredentials::token("mF_9.B5f-4.1JqM");
    /// assert_eq!(creds.token_secret().map(|t| t.expose()), Some("mF_9.B5f-4.1JqM"));
    /// assert_eq!(creds.user(), None);
    /// ```
    pub fn token(token: impl Into<Secret>) -> Self {
        Self {
            token: Some(token.into()),
            ..Self::default()
        }
    }

    /// Adds a bearer token to a user and password.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// let creds = ClientCredentials::password("alice", "wonderland").with_token("mF_9.B5f-4.1JqM");
    /// assert_eq!(creds.user(), Some("alice"));
    /// assert_eq!(creds.token_secret().map(|t| t.expose()), Some("mF_9.B5f-4.1JqM"));
    /// ```
    pub fn with_token(mut self, token: impl Into<Secret>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Adds a callback that renews the bearer token once after
    /// `error="invalid_token"`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use authscheme::{ClientCredentials, Secret};
    /// let creds = ClientCredentials::token("expired")
    ///     .with_refresh(Arc::new(|| Some(Secret::new("renewed"))));
    /// let renewed = creds.refresh().and_then(|renew| renew());
    /// assert_eq!(renewed.as_ref().map(Secret::expose), Some("renewed"));
    /// ```
    pub fn with_refresh(mut self, refresh: TokenRefresh) -> Self {
        self.refresh = Some(refresh);
        self
    }

    /// The user name.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// assert_eq!(ClientCredentials::password("alice", "wonderland").user(), Some("alice"));
    /// assert_eq!(ClientCredentials::token("abc").user(), None);
    /// ```
    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }

    /// The password.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// let creds = ClientCredentials::password("alice", "wonderland");
    /// let password = creds.password_secret().unwrap();
    /// assert_eq!(password.expose(), "wonderland");
    /// assert!(!format!("{password:?}").contains("wonderland"));
    /// ```
    pub fn password_secret(&self) -> Option<&Secret> {
        self.password.as_ref()
    }

    /// The bearer token.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// assert_eq!(ClientCredentials::token("abc").token_secret().unwrap().expose(), "abc");
    /// assert!(ClientCredentials::password("alice", "wonderland").token_secret().is_none());
    /// ```
    pub fn token_secret(&self) -> Option<&Secret> {
        self.token.as_ref()
    }

    /// The token refresh callback.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::sync::Arc;
    /// use authscheme::{ClientCredentials, Secret};
    /// assert!(ClientCredentials::token("abc").refresh().is_none());
    /// let creds = ClientCredentials::token("abc").with_refresh(Arc::new(|| None::<Secret>));
    /// let renew = creds.refresh().unwrap();
    /// assert!(renew().is_none(), "this callback gives up");
    /// ```
    pub fn refresh(&self) -> Option<&TokenRefresh> {
        self.refresh.as_ref()
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("user", &self.user)
            .field("password", &self.password)
            .field("token", &self.token)
            .field("refresh", &self.refresh.as_ref().map(|_| "<callback>"))
            .finish()
    }
}

/// A client-side scheme: rates challenges and starts sessions.
///
/// # Examples
///
/// ```
/// use authscheme::*;
/// # #[derive(Debug)]
/// # struct TokenSession(Secret);
/// # impl ClientSession for TokenSession {
/// #     fn authorize(&mut self, _: &ClientRequest<'_>) -> Result<Credentials<'static>, ClientError> {
/// #         Ok(Credentials::builder(SchemeName::BEARER).token68(self.0.expose().to_owned()).build().unwrap())
/// #     }
/// # }
/// struct Token;
/// impl ClientScheme for Token {
///     fn name(&self) -> SchemeName<'static> {
///         SchemeName::BEARER
///     }
///     fn rank(&self, _: &Challenge<'_>, creds: &ClientCredentials) -> Option<u32> {
///         creds.token_secret().map(|_| 300)
///     }
///     fn start(&self, _: &Challenge<'_>, creds: &ClientCredentials) -> Result<Box<dyn ClientSession>, ClientError> {
///         let token = creds.token_secret().ok_or(ClientError::MissingCredentials("a bearer token"))?;
///         Ok(Box::new(TokenSession(token.clone())))
///     }
/// }
///
/// let challenge = Challenge::parse(br#"Bearer realm="api""#).unwrap();
/// let creds = ClientCredentials::token("mF_9.B5f-4.1JqM");
/// assert_eq!(Token.rank(&challenge, &creds), Some(300));
/// let mut session = Token.start(&challenge, &creds).unwrap();
/// let sent = session.authorize(&ClientRequest::new("GET", "/")).unwrap();
/// assert_eq!(sent.to_string(), "Bearer mF_9.B5f-4.1JqM");
/// ```
pub trait ClientScheme: Send + Sync + 'static {
    /// The auth-scheme it answers.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # #[derive(Debug)]
    /// # struct TokenSession(Secret);
    /// # impl ClientSession for TokenSession {
    /// #     fn authorize(&mut self, _: &ClientRequest<'_>) -> Result<Credentials<'static>, ClientError> {
    /// #         Ok(Credentials::builder(SchemeName::BEARER).token68(self.0.expose().to_owned()).build().unwrap())
    /// #     }
    /// # }
    /// # struct Token;
    /// # impl ClientScheme for Token {
    /// #     fn name(&self) -> SchemeName<'static> {
    /// #         SchemeName::BEARER
    /// #     }
    /// #     fn rank(&self, _: &Challenge<'_>, creds: &ClientCredentials) -> Option<u32> {
    /// #         creds.token_secret().map(|_| 300)
    /// #     }
    /// #     fn start(&self, _: &Challenge<'_>, creds: &ClientCredentials) -> Result<Box<dyn ClientSession>, ClientError> {
    /// #         let token = creds.token_secret().ok_or(ClientError::MissingCredentials("a bearer token"))?;
    /// #         Ok(Box::new(TokenSession(token.clone())))
    /// #     }
    /// # }
    ///
    /// let challenge = Challenge::parse(b"bearer").unwrap();
    /// assert_eq!(Token.name(), *challenge.scheme());
    /// ```
    fn name(&self) -> SchemeName<'static>;

    /// How strongly it can answer `challenge` with `credentials` (higher is
    /// stronger), or `None` when it cannot (wrong scheme, an unsupported
    /// algorithm, no suitable credentials).
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # #[derive(Debug)]
    /// # struct TokenSession(Secret);
    /// # impl ClientSession for TokenSession {
    /// #     fn authorize(&mut self, _: &ClientRequest<'_>) -> Result<Credentials<'static>, ClientError> {
    /// #         Ok(Credentials::builder(SchemeName::BEARER).token68(self.0.expose().to_owned()).build().unwrap())
    /// #     }
    /// # }
    /// # struct Token;
    /// # impl ClientScheme for Token {
    /// #     fn name(&self) -> SchemeName<'static> {
    /// #         SchemeName::BEARER
    /// #     }
    /// #     fn rank(&self, _: &Challenge<'_>, creds: &ClientCredentials) -> Option<u32> {
    /// #         creds.token_secret().map(|_| 300)
    /// #     }
    /// #     fn start(&self, _: &Challenge<'_>, creds: &ClientCredentials) -> Result<Box<dyn ClientSession>, ClientError> {
    /// #         let token = creds.token_secret().ok_or(ClientError::MissingCredentials("a bearer token"))?;
    /// #         Ok(Box::new(TokenSession(token.clone())))
    /// #     }
    /// # }
    ///
    /// let challenge = Challenge::parse(br#"Bearer realm="api""#).unwrap();
    /// assert_eq!(Token.rank(&challenge, &ClientCredentials::token("abc")), Some(300));
    /// assert_eq!(Token.rank(&challenge, &ClientCredentials::password("alice", "pw")), None);
    /// ```
    fn rank(&self, challenge: &Challenge<'_>, credentials: &ClientCredentials) -> Option<u32>;

    /// Starts a session for the protection space of `challenge`.
    ///
    /// # Errors
    ///
    /// [`ClientError`] when the challenge cannot be answered after all.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// # #[derive(Debug)]
    /// # struct TokenSession(Secret);
    /// # impl ClientSession for TokenSession {
    /// #     fn authorize(&mut self, _: &ClientRequest<'_>) -> Result<Credentials<'static>, ClientError> {
    /// #         Ok(Credentials::builder(SchemeName::BEARER).token68(self.0.expose().to_owned()).build().unwrap())
    /// #     }
    /// # }
    /// # struct Token;
    /// # impl ClientScheme for Token {
    /// #     fn name(&self) -> SchemeName<'static> {
    /// #         SchemeName::BEARER
    /// #     }
    /// #     fn rank(&self, _: &Challenge<'_>, creds: &ClientCredentials) -> Option<u32> {
    /// #         creds.token_secret().map(|_| 300)
    /// #     }
    /// #     fn start(&self, _: &Challenge<'_>, creds: &ClientCredentials) -> Result<Box<dyn ClientSession>, ClientError> {
    /// #         let token = creds.token_secret().ok_or(ClientError::MissingCredentials("a bearer token"))?;
    /// #         Ok(Box::new(TokenSession(token.clone())))
    /// #     }
    /// # }
    ///
    /// let challenge = Challenge::parse(br#"Bearer realm="api""#).unwrap();
    /// let mut session = Token.start(&challenge, &ClientCredentials::token("abc")).unwrap();
    /// let sent = session.authorize(&ClientRequest::new("GET", "/")).unwrap();
    /// assert_eq!(sent.token68(), Some("abc"));
    /// let refused = Token.start(&challenge, &ClientCredentials::password("alice", "pw")).err();
    /// assert_eq!(refused, Some(ClientError::MissingCredentials("a bearer token")));
    /// ```
    fn start(
        &self,
        challenge: &Challenge<'_>,
        credentials: &ClientCredentials,
    ) -> Result<Box<dyn ClientSession>, ClientError>;
}

/// The state of one answered challenge, reused for later requests to the
/// same protection space.
///
/// # Examples
///
/// ```
/// use authscheme::*;
///
/// #[derive(Debug)]
/// struct TokenSession(Secret);
///
/// impl ClientSession for TokenSession {
///     fn authorize(&mut self, _: &ClientRequest<'_>) -> Result<Credentials<'static>, ClientError> {
///         let token = self.0.expose().to_owned();
///         Ok(Credentials::builder(SchemeName::BEARER).token68(token).build().unwrap())
///     }
/// }
///
/// let mut session = TokenSession(Secret::new("abc"));
/// let value = session.authorize_header(&ClientRequest::new("GET", "/")).unwrap();
/// assert_eq!(value, "Bearer abc");
/// ```
pub trait ClientSession: Send + Sync + fmt::Debug {
    /// The credentials for `request`.
    ///
    /// # Errors
    ///
    /// [`ClientError`] when they cannot be computed (auth-int without body).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{ClientRequest, ClientSession};
    /// # use authscheme::{ClientError, Credentials, SchemeName};
    /// # #[derive(Debug)]
    /// # struct Fixed;
    /// # impl ClientSession for Fixed {
    /// #     fn authorize(&mut self, _: &ClientRequest<'_>) -> Result<Credentials<'static>, ClientError> {
    /// #         Ok(Credentials::builder(SchemeName::BASIC).token68("YTpi").build().unwrap())
    /// #     }
    /// # }
    /// let mut session = Fixed;
    /// let credentials = session.authorize(&ClientRequest::new("GET", "/")).unwrap();
    /// assert!(credentials.scheme().is("basic"));
    /// assert_eq!(credentials.token68(), Some("YTpi"));
    /// ```
    fn authorize(
        &mut self,
        request: &ClientRequest<'_>,
    ) -> Result<Credentials<'static>, ClientError>;

    /// The credentials for `request` written as the header value to send.
    ///
    /// Each call is one use of the session, as a call to
    /// [`ClientSession::authorize`] is (Digest counts `nc` up once). The
    /// default writes what `authorize` gives; a scheme that builds a fresh
    /// value for every request (Digest) writes it straight into the buffer.
    ///
    /// # Errors
    ///
    /// As [`ClientSession::authorize`].
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{ClientRequest, ClientSession};
    /// # use authscheme::{ClientError, Credentials, SchemeName};
    /// # #[derive(Debug)]
    /// # struct Fixed;
    /// # impl ClientSession for Fixed {
    /// #     fn authorize(&mut self, _: &ClientRequest<'_>) -> Result<Credentials<'static>, ClientError> {
    /// #         Ok(Credentials::builder(SchemeName::BASIC).token68("YTpi").build().unwrap())
    /// #     }
    /// # }
    /// let mut session = Fixed;
    /// let value = session.authorize_header(&ClientRequest::new("GET", "/")).unwrap();
    /// assert_eq!(value, "Basic YTpi");
    /// ```
    fn authorize_header(
        &mut self,
        request: &ClientRequest<'_>,
    ) -> Result<HeaderValue, ClientError> {
        Ok(self.authorize(request)?.to_header_value())
    }

    /// A new 401/407 challenge of this scheme arrived after credentials were
    /// sent. [`Rechallenge::Retry`] when the session took fresh state from it
    /// and the request should be sent again without asking the user (Digest
    /// `stale=true`, a refreshed bearer token); [`Rechallenge::GiveUp`] when
    /// the credentials themselves were refused.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// #[derive(Debug)]
    /// struct Nonce(String);
    ///
    /// impl ClientSession for Nonce {
    ///     fn authorize(&mut self, _: &ClientRequest<'_>) -> Result<Credentials<'static>, ClientError> {
    ///         Ok(Credentials::builder(SchemeName::DIGEST).quoted_param("nonce", self.0.clone()).build().unwrap())
    ///     }
    ///     fn rechallenge(&mut self, challenge: &Challenge<'_>) -> Rechallenge {
    ///         match (challenge.param_str("stale"), challenge.param_str("nonce")) {
    ///             (Some(stale), Some(nonce)) if stale.eq_ignore_ascii_case("true") => {
    ///                 self.0 = nonce.to_owned();
    ///                 Rechallenge::Retry
    ///             }
    ///             _ => Rechallenge::GiveUp,
    ///         }
    ///     }
    /// }
    ///
    /// let mut session = Nonce("n1".into());
    /// let stale = Challenge::parse(br#"Digest nonce="n2", stale=true"#).unwrap();
    /// assert_eq!(session.rechallenge(&stale), Rechallenge::Retry);
    /// let again = session.authorize(&ClientRequest::new("GET", "/")).unwrap();
    /// assert_eq!(again.param_str("nonce"), Some("n2"));
    /// let refused = Challenge::parse(br#"Digest nonce="n3""#).unwrap();
    /// assert_eq!(session.rechallenge(&refused), Rechallenge::GiveUp);
    /// ```
    fn rechallenge(&mut self, challenge: &Challenge<'_>) -> Rechallenge {
        let _ = challenge;
        Rechallenge::GiveUp
    }

    /// Reads `Authentication-Info` from a successful response to `request`
    /// (Digest checks `rspauth` and takes `nextnonce`).
    ///
    /// # Errors
    ///
    /// [`ClientError::ServerNotAuthenticated`] when the server's proof fails.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// #[derive(Debug)]
    /// struct Nonce(String);
    ///
    /// impl ClientSession for Nonce {
    ///     fn authorize(&mut self, _: &ClientRequest<'_>) -> Result<Credentials<'static>, ClientError> {
    ///         Ok(Credentials::builder(SchemeName::DIGEST).quoted_param("nonce", self.0.clone()).build().unwrap())
    ///     }
    ///     fn absorb_info(&mut self, info: &Params<'_>, _: &ClientRequest<'_>) -> Result<(), ClientError> {
    ///         if let Some(next) = info.get_str("nextnonce") {
    ///             self.0 = next.to_owned();
    ///         }
    ///         Ok(())
    ///     }
    /// }
    ///
    /// let mut session = Nonce("n1".into());
    /// let info = syntax::parse_params(br#"nextnonce="n2""#).unwrap();
    /// session.absorb_info(&info, &ClientRequest::new("GET", "/")).unwrap();
    /// assert_eq!(session.0, "n2");
    /// ```
    fn absorb_info(
        &mut self,
        info: &Params<'_>,
        request: &ClientRequest<'_>,
    ) -> Result<(), ClientError> {
        let _ = (info, request);
        Ok(())
    }

    /// The response to `request` carried an `Authentication-Info` that
    /// cannot be read: it breaks the grammar, gives a parameter twice, or
    /// comes as field lines that conflict (`why` says which). `sent` is
    /// what this session answered the request with. Such a header is no
    /// proof: a session that would have checked one for this request
    /// refuses the response, as for a wrong proof, so that garbling the
    /// header does not get a forged response past the check. The default,
    /// for schemes that check no proof, takes the response.
    ///
    /// # Errors
    ///
    /// [`ClientError::ServerNotAuthenticated`] with `why` when a proof for
    /// `request` was due; [`ClientError::CannotVerify`] when the session no
    /// longer holds the request.
    ///
    /// # Examples
    ///
    /// ```
    /// # use authscheme::*;
    /// #[derive(Debug)]
    /// struct Checks;
    ///
    /// impl ClientSession for Checks {
    ///     fn authorize(&mut self, _: &ClientRequest<'_>) -> Result<Credentials<'static>, ClientError> {
    ///         Ok(Credentials::builder(SchemeName::new("X-Proof").unwrap()).token68("abc").build().unwrap())
    ///     }
    ///     fn absorb_unreadable_info(&mut self, why: &str, _: &Credentials<'_>, _: &ClientRequest<'_>) -> Result<(), ClientError> {
    ///         Err(ClientError::ServerNotAuthenticated(why.to_owned()))
    ///     }
    /// }
    ///
    /// let request = ClientRequest::new("GET", "/");
    /// let mut session = Checks;
    /// let sent = session.authorize(&request).unwrap();
    /// let refused = session.absorb_unreadable_info("rspauth twice", &sent, &request);
    /// assert!(matches!(refused, Err(ClientError::ServerNotAuthenticated(why)) if why == "rspauth twice"));
    /// ```
    fn absorb_unreadable_info(
        &mut self,
        why: &str,
        sent: &Credentials<'_>,
        request: &ClientRequest<'_>,
    ) -> Result<(), ClientError> {
        let _ = (why, sent, request);
        Ok(())
    }
}

/// What to do after a second challenge.
///
/// # Examples
///
/// ```
/// use authscheme::{Challenge, ClientRequest, ClientSession, Rechallenge};
/// # use authscheme::{ClientError, Credentials, SchemeName};
/// # #[derive(Debug)]
/// # struct Fixed;
/// # impl ClientSession for Fixed {
/// #     fn authorize(&mut self, _: &ClientRequest<'_>) -> Result<Credentials<'static>, ClientError> {
/// #         Ok(Credentials::builder(SchemeName::BASIC).token68("YTpi").build().unwrap())
/// #     }
/// # }
/// // A session that takes nothing from a new challenge gives up by default.
/// let mut session = Fixed;
/// let again = Challenge::parse(br#"Basic realm="api""#).unwrap();
/// assert_eq!(session.rechallenge(&again), Rechallenge::GiveUp);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rechallenge {
    /// Send the request again with fresh credentials from the session.
    Retry,
    /// The credentials were refused: stop.
    GiveUp,
}

/// Client-side failures.
///
/// # Examples
///
/// ```
/// use authscheme::ClientError;
/// let err = ClientError::MissingCredentials("a password");
/// assert_eq!(err.to_string(), "missing a password");
/// assert_eq!(
///     ClientError::Unsupported("algorithm SHA-1".into()).to_string(),
///     "unsupported: algorithm SHA-1",
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// No offered challenge can be answered with the credentials at hand.
    #[error("no offered challenge can be answered with the given credentials")]
    NoUsableChallenge,
    /// The credentials lack what the scheme needs.
    #[error("missing {0}")]
    MissingCredentials(&'static str),
    /// The input cannot be sent (a user-id with a colon for Basic).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// The challenge asks for something this client cannot do.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// The server's proof of knowing the secret (`rspauth`) did not match.
    #[error("the server's response authentication failed: {0}")]
    ServerNotAuthenticated(String),
    /// The server's proof cannot be checked (the session no longer
    /// remembers the request it answers). Not a mismatch: treat it like a
    /// response without `Authentication-Info`.
    #[error("the server's response authentication cannot be checked: {0}")]
    CannotVerify(String),
}

/// Picks the challenge to answer: the one the given schemes rank highest,
/// the first in order among equals.
///
/// # Examples
///
/// ```
/// use authscheme::*;
/// struct Basic;
/// impl ClientScheme for Basic {
///     fn name(&self) -> SchemeName<'static> { SchemeName::BASIC }
///     fn rank(&self, c: &Challenge<'_>, creds: &ClientCredentials) -> Option<u32> {
///         (c.scheme().is("basic") && creds.user().is_some()).then_some(100)
///     }
///     fn start(&self, _: &Challenge<'_>, _: &ClientCredentials) -> Result<Box<dyn ClientSession>, ClientError> {
///         Err(ClientError::NoUsableChallenge)
///     }
/// }
/// let offered = syntax::parse_challenges(b"Newauth realm=\"x\", Basic realm=\"y\"").unwrap();
/// let creds = ClientCredentials::password("alice", "wonderland");
/// let schemes: [&dyn ClientScheme; 1] = [&Basic];
/// let (index, _) = choose(&offered, &schemes, &creds).unwrap();
/// assert_eq!(index, 1);
/// ```
pub fn choose<'s>(
    challenges: &[Challenge<'_>],
    schemes: &[&'s dyn ClientScheme],
    credentials: &ClientCredentials,
) -> Option<(usize, &'s dyn ClientScheme)> {
    let mut best: Option<(u32, usize, &'s dyn ClientScheme)> = None;
    for (index, challenge) in challenges.iter().enumerate() {
        for &scheme in schemes {
            if scheme.name() != *challenge.scheme() {
                continue;
            }
            if let Some(rank) = scheme.rank(challenge, credentials)
                && best.is_none_or(|(r, _, _)| rank > r)
            {
                best = Some((rank, index, scheme));
            }
        }
    }
    best.map(|(_, index, scheme)| (index, scheme))
}
