//! RFC 6750 section 3.1 error codes and the character sets section 3
//! allows in challenge attributes.

use http::StatusCode;

/// An RFC 6750 section 3.1 error code, with the status it is sent with.
///
/// # Examples
///
/// ```
/// use authscheme_bearer::ErrorCode;
/// assert_eq!(ErrorCode::InsufficientScope.status().as_u16(), 403);
/// assert_eq!(ErrorCode::InvalidToken.as_str(), "invalid_token");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCode {
    /// Malformed request: no token, a token that is not a b64token, a token
    /// in more than one place. Sent with `400`.
    InvalidRequest,
    /// Expired, revoked, malformed or otherwise invalid token. Sent with `401`.
    InvalidToken,
    /// The token lacks a scope the resource needs. Sent with `403`.
    InsufficientScope,
}

impl ErrorCode {
    /// The code as sent in `error="..."`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::ErrorCode;
    /// assert_eq!(ErrorCode::InvalidRequest.as_str(), "invalid_request");
    /// assert_eq!(ErrorCode::InsufficientScope.as_str(), "insufficient_scope");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::InvalidToken => "invalid_token",
            Self::InsufficientScope => "insufficient_scope",
        }
    }

    /// The status RFC 6750 section 3.1 pairs with the code.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::ErrorCode;
    /// assert_eq!(ErrorCode::InvalidRequest.status(), http::StatusCode::BAD_REQUEST);
    /// assert_eq!(ErrorCode::InvalidToken.status(), http::StatusCode::UNAUTHORIZED);
    /// ```
    pub fn status(self) -> StatusCode {
        match self {
            Self::InvalidRequest => StatusCode::BAD_REQUEST,
            Self::InvalidToken => StatusCode::UNAUTHORIZED,
            Self::InsufficientScope => StatusCode::FORBIDDEN,
        }
    }

    /// Reads a code from an `error` attribute.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_bearer::ErrorCode;
    /// assert_eq!(ErrorCode::parse("invalid_token"), Some(ErrorCode::InvalidToken));
    /// // Codes are case-sensitive, and other codes are not RFC 6750's.
    /// assert_eq!(ErrorCode::parse("Invalid_Token"), None);
    /// assert_eq!(ErrorCode::parse("invalid_grant"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "invalid_request" => Some(Self::InvalidRequest),
            "invalid_token" => Some(Self::InvalidToken),
            "insufficient_scope" => Some(Self::InsufficientScope),
            _ => None,
        }
    }
}

/// `%x20-21 / %x23-5B / %x5D-7E`: what `error` and `error_description`
/// may hold (no `"` and no `\`, so the value never needs escaping).
///
/// # Examples
///
/// ```
/// use authscheme_bearer::is_error_text;
/// assert!(is_error_text("The access token expired"));
/// assert!(!is_error_text("say \"hi\""));
/// assert!(!is_error_text("two\r\nlines"));
/// ```
pub fn is_error_text(s: &str) -> bool {
    s.bytes()
        .all(|b| matches!(b, 0x20..=0x21 | 0x23..=0x5B | 0x5D..=0x7E))
}

/// `%x21 / %x23-5B / %x5D-7E`: what an `error_uri` and a scope-token may
/// hold (no space either).
pub(crate) fn is_uri_or_scope_char(b: u8) -> bool {
    matches!(b, 0x21 | 0x23..=0x5B | 0x5D..=0x7E)
}

/// Whether `s` is a non-empty scope-token (RFC 6749 section 3.3).
///
/// # Examples
///
/// ```
/// use authscheme_bearer::is_scope_token;
/// assert!(is_scope_token("urn:example:read"));
/// assert!(!is_scope_token("read write"));
/// assert!(!is_scope_token(""));
/// ```
pub fn is_scope_token(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_uri_or_scope_char)
}

/// Whether `s` may be sent as `error_uri`.
///
/// # Examples
///
/// ```
/// use authscheme_bearer::is_error_uri;
/// assert!(is_error_uri("https://example.com/errors/bearer?lang=en"));
/// assert!(!is_error_uri("https://example.com/a b"));
/// ```
pub fn is_error_uri(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(is_uri_or_scope_char)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_text_refuses_quote_backslash_and_controls() {
        assert!(is_error_text("The access token expired"));
        assert!(!is_error_text("say \"hi\""));
        assert!(!is_error_text("a\\b"));
        assert!(!is_error_text("a\r\nWWW-Authenticate: Basic"));
        assert!(!is_error_text("caf\u{e9}"));
    }

    #[test]
    fn scope_tokens_refuse_space() {
        assert!(is_scope_token(
            "urn:example:channel=HBO&urn:example:rating=G,PG-13"
        ));
        assert!(!is_scope_token("read write"));
        assert!(!is_scope_token(""));
        assert!(is_error_uri("https://example.com/errors?x=1"));
        assert!(!is_error_uri("https://example.com/\"x"));
    }

    #[test]
    fn codes_map_to_statuses() {
        for code in [
            ErrorCode::InvalidRequest,
            ErrorCode::InvalidToken,
            ErrorCode::InsufficientScope,
        ] {
            assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
        }
        assert_eq!(ErrorCode::InvalidRequest.status().as_u16(), 400);
        assert_eq!(ErrorCode::InvalidToken.status().as_u16(), 401);
    }
}
