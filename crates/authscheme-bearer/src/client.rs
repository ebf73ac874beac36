//! The client side: sends `Authorization: Bearer <token>` and renews the
//! token once when the server answers `error="invalid_token"`.

use std::fmt;

use authscheme::{
    Challenge, ClientCredentials, ClientError, ClientRequest, ClientScheme, ClientSession,
    Credentials, Rechallenge, SchemeName, Secret, TokenRefresh,
};

use crate::error_code::ErrorCode;

/// How strongly a client prefers Bearer among offered challenges (Basic is
/// 100, Digest 200).
///
/// # Examples
///
/// ```
/// use authscheme::{Challenge, ClientCredentials, ClientScheme};
/// use authscheme_bearer::{BearerClient, STRENGTH};
/// let offered = Challenge::parse(br#"Bearer realm="example""#).unwrap();
/// let token = ClientCredentials::token("mF_9.B5f-4.1JqM");
/// assert_eq!(BearerClient.rank(&offered, &token), Some(STRENGTH));
/// // Without a token, Bearer is not a candidate at all.
/// assert_eq!(BearerClient.rank(&offered, &ClientCredentials::password("a", "b")), None);
/// ```
pub const STRENGTH: u32 = 300;

/// The bearer scheme on the client: usable when the credentials hold a
/// token.
///
/// # Examples
///
/// ```
/// use authscheme::{ClientCredentials, ClientRequest, ClientScheme, Challenge, Rechallenge};
/// use authscheme_bearer::BearerClient;
/// let offered = Challenge::parse(br#"Bearer realm="example""#).unwrap();
/// let creds = ClientCredentials::token("mF_9.B5f-4.1JqM");
/// let mut session = BearerClient.start(&offered, &creds).unwrap();
/// let sent = session.authorize(&ClientRequest::new("GET", "/resource")).unwrap();
/// assert_eq!(sent.to_string(), "Bearer mF_9.B5f-4.1JqM");
///
/// // No refresh callback: an invalid_token rechallenge ends it.
/// let refused = Challenge::parse(br#"Bearer realm="example", error="invalid_token""#).unwrap();
/// assert_eq!(session.rechallenge(&refused), Rechallenge::GiveUp);
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct BearerClient;

impl ClientScheme for BearerClient {
    fn name(&self) -> SchemeName<'static> {
        SchemeName::BEARER
    }

    fn rank(&self, challenge: &Challenge<'_>, credentials: &ClientCredentials) -> Option<u32> {
        (challenge.scheme().is("bearer") && credentials.token_secret().is_some())
            .then_some(STRENGTH)
    }

    fn start(
        &self,
        _challenge: &Challenge<'_>,
        credentials: &ClientCredentials,
    ) -> Result<Box<dyn ClientSession>, ClientError> {
        let token = credentials
            .token_secret()
            .cloned()
            .ok_or(ClientError::MissingCredentials("a bearer token"))?;
        Ok(Box::new(BearerSession {
            token,
            refresh: credentials.refresh().cloned(),
            refreshed: false,
        }))
    }
}

/// One protection space's bearer state: the current token and whether it
/// was already renewed.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use authscheme::{Challenge, ClientRequest, ClientSession, Rechallenge, Secret, TokenRefresh};
/// use authscheme_bearer::BearerSession;
/// let refresh: TokenRefresh = Arc::new(|| Some(Secret::new("fresh-token")));
/// let mut session = BearerSession::new(Secret::new("old-token"), Some(refresh));
/// let req = ClientRequest::new("GET", "/resource");
/// let refused = Challenge::parse(br#"Bearer error="invalid_token""#).unwrap();
/// assert_eq!(session.rechallenge(&refused), Rechallenge::Retry);
/// assert_eq!(session.authorize(&req).unwrap().token68(), Some("fresh-token"));
/// // Renewed once only: a second refusal ends the session.
/// assert_eq!(session.rechallenge(&refused), Rechallenge::GiveUp);
/// ```
pub struct BearerSession {
    token: Secret,
    refresh: Option<TokenRefresh>,
    refreshed: bool,
}

impl BearerSession {
    /// A session sending `token`, renewing it once with `refresh`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{Challenge, ClientRequest, ClientSession, Rechallenge, Secret};
    /// use authscheme_bearer::BearerSession;
    /// let mut session = BearerSession::new(Secret::new("mF_9.B5f-4.1JqM"), None);
    /// let sent = session.authorize(&ClientRequest::new("GET", "/resource")).unwrap();
    /// assert_eq!(sent.to_string(), "Bearer mF_9.B5f-4.1JqM");
    /// let refused = Challenge::parse(br#"Bearer error="invalid_token""#).unwrap();
    /// assert_eq!(session.rechallenge(&refused), Rechallenge::GiveUp);
    /// ```
    pub fn new(token: Secret, refresh: Option<TokenRefresh>) -> Self {
        Self {
            token,
            refresh,
            refreshed: false,
        }
    }
}

impl fmt::Debug for BearerSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BearerSession")
            .field("token", &self.token)
            .field("refresh", &self.refresh.as_ref().map(|_| "<callback>"))
            .field("refreshed", &self.refreshed)
            .finish()
    }
}

impl ClientSession for BearerSession {
    fn authorize(
        &mut self,
        _request: &ClientRequest<'_>,
    ) -> Result<Credentials<'static>, ClientError> {
        Credentials::builder(SchemeName::BEARER)
            .token68(self.token.expose().to_owned())
            .build()
            // The error names the construct, never the token.
            .map_err(|_| ClientError::InvalidInput("the bearer token is not a b64token".into()))
    }

    fn rechallenge(&mut self, challenge: &Challenge<'_>) -> Rechallenge {
        let invalid_token = challenge
            .param_str("error")
            .and_then(ErrorCode::parse)
            .is_some_and(|c| c == ErrorCode::InvalidToken);
        if !invalid_token || self.refreshed {
            return Rechallenge::GiveUp;
        }
        let Some(refresh) = &self.refresh else {
            return Rechallenge::GiveUp;
        };
        self.refreshed = true;
        match refresh() {
            Some(token) => {
                self.token = token;
                Rechallenge::Retry
            }
            None => Rechallenge::GiveUp,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[test]
    fn refreshes_once_on_invalid_token() {
        let calls = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&calls);
        let refresh: TokenRefresh = Arc::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            Some(Secret::new("fresh-token"))
        });
        let creds = ClientCredentials::token("old-token").with_refresh(refresh);
        let offered = Challenge::parse(br#"Bearer realm="r""#).unwrap();
        let mut session = BearerClient.start(&offered, &creds).unwrap();
        let req = ClientRequest::new("GET", "/");
        assert_eq!(
            session.authorize(&req).unwrap().token68(),
            Some("old-token")
        );

        let refused = Challenge::parse(br#"Bearer realm="r", error="invalid_token""#).unwrap();
        assert_eq!(session.rechallenge(&refused), Rechallenge::Retry);
        assert_eq!(
            session.authorize(&req).unwrap().token68(),
            Some("fresh-token")
        );
        assert_eq!(session.rechallenge(&refused), Rechallenge::GiveUp);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn other_errors_give_up_without_refreshing() {
        let refresh: TokenRefresh = Arc::new(|| panic!("must not be called"));
        let creds = ClientCredentials::token("t").with_refresh(refresh);
        let offered = Challenge::parse(b"Bearer").unwrap();
        let mut session = BearerClient.start(&offered, &creds).unwrap();
        let scope = Challenge::parse(br#"Bearer error="insufficient_scope""#).unwrap();
        assert_eq!(session.rechallenge(&scope), Rechallenge::GiveUp);
        let plain = Challenge::parse(b"Bearer realm=\"x\"").unwrap();
        assert_eq!(session.rechallenge(&plain), Rechallenge::GiveUp);
    }

    #[test]
    fn ranks_only_with_a_token() {
        let offered = Challenge::parse(b"Bearer").unwrap();
        assert_eq!(
            BearerClient.rank(&offered, &ClientCredentials::token("t")),
            Some(STRENGTH)
        );
        assert_eq!(
            BearerClient.rank(&offered, &ClientCredentials::password("a", "b")),
            None
        );
        let creds = ClientCredentials::token("not a token68");
        let mut session = BearerClient.start(&offered, &creds).unwrap();
        let err = session
            .authorize(&ClientRequest::new("GET", "/"))
            .unwrap_err();
        assert!(!err.to_string().contains("not a token68"));
    }
}
