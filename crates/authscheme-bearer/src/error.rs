//! The errors of this crate: [`BearerError`] for configuration and keys,
//! [`TokenError`] for a token that does not validate.

use std::error::Error as StdError;

/// A configuration or key that cannot be used.
///
/// Nothing secret is ever carried: a key error names the key source, never
/// the key material.
///
/// # Examples
///
/// ```
/// use authscheme_bearer::BearerScheme;
/// use authscheme_bearer::StaticTokens;
/// let err = BearerScheme::builder(StaticTokens::new())
///     .realm("example")
///     .require_scopes(["bad\"scope"])
///     .build()
///     .unwrap_err();
/// assert!(err.to_string().contains("scope"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BearerError {
    /// The realm holds a control character.
    #[error("invalid realm: control character")]
    Realm,
    /// A scope token holds a character RFC 6750 section 3 does not allow
    /// (space, `"`, `\` or a control character) or is empty.
    #[error("invalid scope token {0:?}")]
    Scope(String),
    /// An `error_uri` holds a character RFC 6750 section 3 does not allow.
    #[error("invalid error_uri")]
    ErrorUri,
    /// A JWT validator needs at least one allowed algorithm.
    #[error("no JWT algorithm is allowed")]
    NoAlgorithm,
    /// A JWT validator needs at least one key or a key refresher.
    #[error("no JWT key is configured")]
    NoKey,
    /// A key cannot be used with the algorithm it was given for.
    #[error("key {what} cannot be used: {why}")]
    Key {
        /// Which key (a file name, a `kid`, "secret").
        what: String,
        /// Why not.
        why: String,
        /// The underlying error.
        #[source]
        source: Option<Box<dyn StdError + Send + Sync>>,
    },
    /// A JWKS document is not valid JSON of the right shape.
    #[error("invalid JWKS document")]
    Jwks(#[source] Box<dyn StdError + Send + Sync>),
    /// A file could not be read.
    #[error("cannot read {path}")]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        #[source]
        source: Box<dyn StdError + Send + Sync>,
    },
    /// A token could not be signed.
    #[error("cannot sign the token")]
    Sign(#[source] Box<dyn StdError + Send + Sync>),
}

impl BearerError {
    pub(crate) fn key(what: impl Into<String>, why: impl Into<String>) -> Self {
        Self::Key {
            what: what.into(),
            why: why.into(),
            source: None,
        }
    }

    pub(crate) fn key_source(
        what: impl Into<String>,
        why: impl Into<String>,
        source: impl StdError + Send + Sync + 'static,
    ) -> Self {
        Self::Key {
            what: what.into(),
            why: why.into(),
            source: Some(Box::new(source)),
        }
    }

    pub(crate) fn io(path: &std::path::Path, source: std::io::Error) -> Self {
        Self::Io {
            path: path.display().to_string(),
            source: Box::new(source),
        }
    }
}

/// Why a token was refused by a [`TokenValidator`](crate::TokenValidator).
///
/// Every variant except [`Unavailable`](TokenError::Unavailable) becomes a
/// `401` with `error="invalid_token"`; `Unavailable` becomes a `503` (fail
/// closed). [`description`](TokenError::description) is the
/// `error_description` sent to the client: fixed text, never the token.
///
/// # Examples
///
/// ```
/// use authscheme_bearer::TokenError;
/// assert_eq!(TokenError::Expired.description(), "The access token expired");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// Not a well-formed token (for JWT: not three base64url parts of JSON).
    #[error("the token is malformed")]
    Malformed,
    /// The signature does not verify.
    #[error("the token signature does not verify")]
    BadSignature,
    /// The token's algorithm is not on the allow-list (or is `none`).
    #[error("the token algorithm is not allowed")]
    AlgorithmNotAllowed,
    /// No key matches the token's `kid` and algorithm family.
    #[error("no key matches the token")]
    UnknownKey,
    /// `exp` is in the past (beyond the leeway).
    #[error("the token expired")]
    Expired,
    /// `nbf` is in the future (beyond the leeway).
    #[error("the token is not valid yet")]
    NotYetValid,
    /// `aud` names none of the accepted audiences.
    #[error("the token is for another audience")]
    WrongAudience,
    /// `iss` is not the accepted issuer.
    #[error("the token comes from another issuer")]
    WrongIssuer,
    /// The header's `typ` is not an accepted type (an ID token where an
    /// access token is expected, RFC 9068 section 4).
    #[error("the token is of another type")]
    WrongType,
    /// A required claim is missing.
    #[error("the token lacks the required claim {0:?}")]
    MissingClaim(String),
    /// A claim has the wrong type (a string `exp`, a numeric `sub`).
    #[error("the token has a malformed claim")]
    InvalidClaim,
    /// Unknown, revoked or inactive (static sets, introspection).
    #[error("the token is unknown, revoked or inactive")]
    Inactive,
    /// The validator cannot decide now (an introspection endpoint is down).
    #[error("the token validator is unavailable")]
    Unavailable,
}

impl TokenError {
    /// The `error_description` for the challenge. Every text here uses only
    /// the characters RFC 6750 section 3 allows.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::{TokenError, is_error_text};
    /// let e = TokenError::MissingClaim("tenant".into());
    /// assert_eq!(e.description(), "The access token lacks a required claim");
    /// assert!(is_error_text(e.description()));
    /// ```
    pub fn description(&self) -> &'static str {
        match self {
            Self::Malformed => "The access token is malformed",
            Self::BadSignature => "The access token signature is invalid",
            Self::AlgorithmNotAllowed => "The access token algorithm is not accepted",
            Self::UnknownKey => "The access token key is unknown",
            Self::Expired => "The access token expired",
            Self::NotYetValid => "The access token is not valid yet",
            Self::WrongAudience => "The access token audience is not accepted",
            Self::WrongIssuer => "The access token issuer is not accepted",
            Self::WrongType => "The access token type is not accepted",
            Self::MissingClaim(_) => "The access token lacks a required claim",
            Self::InvalidClaim => "The access token has a malformed claim",
            Self::Inactive => "The access token is invalid",
            Self::Unavailable => "The token validator is unavailable",
        }
    }
}
