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
    pub fn new(method: &'a str, target: &'a str) -> Self {
        Self {
            method,
            target,
            body: None,
        }
    }

    /// The whole body, for Digest `auth-int`.
    pub fn with_body(mut self, body: &'a [u8]) -> Self {
        self.body = Some(body);
        self
    }

    /// The method.
    pub fn method(&self) -> &'a str {
        self.method
    }

    /// The request-target.
    pub fn target(&self) -> &'a str {
        self.target
    }

    /// The body, when known.
    pub fn body(&self) -> Option<&'a [u8]> {
        self.body
    }
}

/// Called when a bearer token is refused as `invalid_token`: returns a fresh
/// token, or `None` to give up.
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
    pub fn password(user: impl Into<String>, password: impl Into<Secret>) -> Self {
        Self {
            user: Some(user.into()),
            password: Some(password.into()),
            ..Self::default()
        }
    }

    /// A bearer token.
    pub fn token(token: impl Into<Secret>) -> Self {
        Self {
            token: Some(token.into()),
            ..Self::default()
        }
    }

    /// Adds a bearer token to a user and password.
    pub fn with_token(mut self, token: impl Into<Secret>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Adds a callback that renews the bearer token once after
    /// `error="invalid_token"`.
    pub fn with_refresh(mut self, refresh: TokenRefresh) -> Self {
        self.refresh = Some(refresh);
        self
    }

    /// The user name.
    pub fn user(&self) -> Option<&str> {
        self.user.as_deref()
    }

    /// The password.
    pub fn password_secret(&self) -> Option<&Secret> {
        self.password.as_ref()
    }

    /// The bearer token.
    pub fn token_secret(&self) -> Option<&Secret> {
        self.token.as_ref()
    }

    /// The token refresh callback.
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
/// See [`choose`].
pub trait ClientScheme: Send + Sync + 'static {
    /// The auth-scheme it answers.
    fn name(&self) -> SchemeName<'static>;

    /// How strongly it can answer `challenge` with `credentials` (higher is
    /// stronger), or `None` when it cannot (wrong scheme, an unsupported
    /// algorithm, no suitable credentials).
    fn rank(&self, challenge: &Challenge<'_>, credentials: &ClientCredentials) -> Option<u32>;

    /// Starts a session for the protection space of `challenge`.
    ///
    /// # Errors
    ///
    /// [`ClientError`] when the challenge cannot be answered after all.
    fn start(
        &self,
        challenge: &Challenge<'_>,
        credentials: &ClientCredentials,
    ) -> Result<Box<dyn ClientSession>, ClientError>;
}

/// The state of one answered challenge, reused for later requests to the
/// same protection space.
pub trait ClientSession: Send + Sync + fmt::Debug {
    /// The credentials for `request`.
    ///
    /// # Errors
    ///
    /// [`ClientError`] when they cannot be computed (auth-int without body).
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
    fn absorb_info(
        &mut self,
        info: &Params<'_>,
        request: &ClientRequest<'_>,
    ) -> Result<(), ClientError> {
        let _ = (info, request);
        Ok(())
    }
}

/// What to do after a second challenge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rechallenge {
    /// Send the request again with fresh credentials from the session.
    Retry,
    /// The credentials were refused: stop.
    GiveUp,
}

/// Client-side failures.
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
