//! The client side: answering a Basic challenge.

use std::fmt;

use authscheme::{
    Challenge, ClientCredentials, ClientError, ClientRequest, ClientScheme, ClientSession,
    Credentials, SchemeName,
};

use unicode_normalization::UnicodeNormalization;

use crate::credentials::BasicCredentials;
use crate::error::DecodeError;

/// How strongly Basic answers a challenge: the weakest of the standard
/// schemes (Digest 200, Bearer 300).
///
/// # Examples
///
/// ```
/// use authscheme::{ClientCredentials, ClientScheme, syntax};
/// use authscheme_basic::{BASIC_STRENGTH, BasicClient};
/// let offered = syntax::parse_challenges(br#"Basic realm="WallyWorld""#).unwrap();
/// let creds = ClientCredentials::password("Aladdin", "open sesame");
/// assert_eq!(BasicClient.rank(&offered[0], &creds), Some(BASIC_STRENGTH));
/// assert_eq!(BASIC_STRENGTH, 100);
/// ```
pub const BASIC_STRENGTH: u32 = 100;

/// The Basic scheme on the client. Always encodes UTF-8 (what RFC 7617's
/// `charset="UTF-8"` asks for, and what servers without the parameter
/// mostly expect today). Under `charset="UTF-8"` the user-id and password
/// are first put in Unicode Normalization Form C, as RFC 7617 section 2.1
/// says the server expects; without it they go as given.
///
/// # Examples
///
/// ```
/// use authscheme::{ClientCredentials, ClientRequest, ClientScheme, syntax};
/// use authscheme_basic::BasicClient;
/// let offered = syntax::parse_challenges(br#"Basic realm="WallyWorld""#).unwrap();
/// let creds = ClientCredentials::password("Aladdin", "open sesame");
/// let mut session = BasicClient.start(&offered[0], &creds).unwrap();
/// let value = session.authorize(&ClientRequest::new("GET", "/")).unwrap();
/// assert_eq!(value.to_string(), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct BasicClient;

impl ClientScheme for BasicClient {
    fn name(&self) -> SchemeName<'static> {
        SchemeName::BASIC
    }

    fn rank(&self, challenge: &Challenge<'_>, credentials: &ClientCredentials) -> Option<u32> {
        let usable = challenge.scheme().is("basic")
            && credentials.user().is_some()
            && credentials.password_secret().is_some();
        usable.then_some(BASIC_STRENGTH)
    }

    fn start(
        &self,
        challenge: &Challenge<'_>,
        credentials: &ClientCredentials,
    ) -> Result<Box<dyn ClientSession>, ClientError> {
        let user = credentials
            .user()
            .ok_or(ClientError::MissingCredentials("user"))?;
        let password = credentials
            .password_secret()
            .ok_or(ClientError::MissingCredentials("password"))?
            .expose();
        // RFC 7617 section 2.1: with `charset="UTF-8"` the server expects
        // both in Unicode Normalization Form C, so a decomposed "é" typed
        // on one system matches the composed one stored on another.
        if challenge
            .param("charset")
            .is_some_and(|c| c.eq_ignore_ascii_case(b"UTF-8"))
        {
            let user: String = user.nfc().collect();
            let password: String = password.nfc().collect();
            return Ok(Box::new(BasicSession::new(&user, &password)?));
        }
        Ok(Box::new(BasicSession::new(user, password)?))
    }
}

/// A Basic session: the same credentials for every request.
///
/// # Examples
///
/// ```
/// use authscheme::{ClientError, ClientRequest, ClientSession};
/// use authscheme_basic::BasicSession;
/// let mut s = BasicSession::new("bob", "pass:with:colons").unwrap();
/// let v = s.authorize(&ClientRequest::new("GET", "/")).unwrap();
/// assert_eq!(v.token68(), Some("Ym9iOnBhc3M6d2l0aDpjb2xvbnM="));
/// assert!(matches!(BasicSession::new("a:b", "c"), Err(ClientError::InvalidInput(_))));
/// ```
pub struct BasicSession {
    credentials: Credentials<'static>,
}

impl BasicSession {
    /// A session for `user` and `password`.
    ///
    /// # Errors
    ///
    /// [`ClientError::InvalidInput`] when the user-id holds a colon or
    /// either part holds a control character (RFC 7617 section 2).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{ClientError, ClientRequest, ClientSession};
    /// use authscheme_basic::BasicSession;
    /// let mut session = BasicSession::new("Aladdin", "open sesame").unwrap();
    /// let value = session.authorize(&ClientRequest::new("GET", "/")).unwrap();
    /// assert_eq!(value.to_string(), "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
    /// let err = BasicSession::new("bob", "line\nbreak").unwrap_err();
    /// assert!(matches!(err, ClientError::InvalidInput(_)));
    /// ```
    pub fn new(user: &str, password: &str) -> Result<Self, ClientError> {
        let token = BasicCredentials::new(user, password)
            .map_err(|e: DecodeError| ClientError::InvalidInput(e.to_string()))?
            .encode();
        let credentials = Credentials::builder(SchemeName::BASIC)
            .token68(token)
            .build()
            .map_err(|e| ClientError::InvalidInput(e.to_string()))?;
        Ok(Self { credentials })
    }
}

impl fmt::Debug for BasicSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicSession").finish_non_exhaustive()
    }
}

impl ClientSession for BasicSession {
    fn authorize(
        &mut self,
        _request: &ClientRequest<'_>,
    ) -> Result<Credentials<'static>, ClientError> {
        Ok(self.credentials.clone())
    }
}
