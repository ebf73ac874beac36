//! [`Error`]: why a request could not be authenticated.

use std::fmt;

/// Why a request failed in the authentication layer.
///
/// No variant carries a password, a token or a credentials header value.
///
/// # Examples
///
/// ```
/// let e = authscheme_reqwest::Error::BodyNotReplayable { status: 401 };
/// assert!(e.to_string().contains("cannot be sent again"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The HTTP client failed to send the request or read the response.
    #[error("sending the request failed: {0}")]
    Transport(#[source] TransportError),
    /// The request URL is not `http` or `https` with a host.
    #[error("the request URL has no http(s) origin")]
    InvalidUrl,
    /// A 401/407 asked for credentials, but the request body is a stream
    /// that was consumed by the first attempt.
    #[error(
        "the server answered {status} and the request body is a stream that cannot be sent again; \
         give the body as bytes so it can be replayed"
    )]
    BodyNotReplayable {
        /// The status that asked for credentials (401 or 407).
        status: u16,
    },
    /// Only Basic could answer, and the connection is plain HTTP.
    #[error(
        "refusing to send Basic credentials over plain http to {origin}; \
         use https or set insecure_allow_basic_over_http"
    )]
    BasicOverPlainHttp {
        /// The origin (or `proxy`) that asked.
        origin: String,
    },
    /// Only Bearer could answer, and the connection is plain HTTP: the
    /// token would travel in clear (RFC 6750 section 5.3 requires TLS).
    #[error(
        "refusing to send a Bearer token over plain http to {origin}; \
         use https or set insecure_allow_bearer_over_http"
    )]
    BearerOverPlainHttp {
        /// The origin (or `proxy`) that asked.
        origin: String,
    },
    /// The server's proof of knowing the password (`rspauth` in
    /// `Authentication-Info`) did not match.
    #[error(
        "the server failed to authenticate itself ({reason}); the response was dropped \
         (dangerous_skip_rspauth_check turns this check off)"
    )]
    ServerNotAuthenticated {
        /// What was wrong.
        reason: String,
    },
    /// The chosen scheme could not produce credentials.
    #[error("cannot answer the {scheme} challenge: {reason}")]
    Scheme {
        /// The auth-scheme.
        scheme: String,
        /// What the scheme reported.
        reason: String,
    },
}

/// The HTTP client's own error, kept as the [`std::error::Error::source`]
/// of [`Error::Transport`].
///
/// # Examples
///
/// ```
/// # use authscheme_reqwest::{Error, TransportError};
/// fn is_network(e: &Error) -> bool {
///     matches!(e, Error::Transport(_))
/// }
/// ```
pub struct TransportError(Box<dyn std::error::Error + Send + Sync>);

impl TransportError {
    pub(crate) fn new(e: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self(Box::new(e))
    }

    /// Whether the client gave up waiting (a timeout).
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme_reqwest::{AuthClient, Error, FixedCredentials};
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    /// # let url = format!("http://{}/", silent.local_addr().unwrap());
    /// # tokio::spawn(async move {
    /// #     let (_connection, _) = silent.accept().await.unwrap();
    /// #     std::future::pending::<()>().await
    /// # });
    /// // `url` is a local server that accepts the connection and never answers.
    /// let inner = reqwest::Client::builder().timeout(Duration::from_millis(200)).build().unwrap();
    /// let client = AuthClient::with_client(inner, FixedCredentials::none());
    /// let Err(Error::Transport(e)) = client.send(client.get(&url)).await else {
    ///     panic!("expected a transport error");
    /// };
    /// assert!(e.is_timeout());
    /// # });
    /// ```
    pub fn is_timeout(&self) -> bool {
        self.0
            .downcast_ref::<reqwest::Error>()
            .is_some_and(reqwest::Error::is_timeout)
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)?;
        // reqwest keeps the useful part ("connection refused") in sources.
        let mut source = self.0.source();
        while let Some(s) = source {
            write!(f, ": {s}")?;
            source = s.source();
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {}
