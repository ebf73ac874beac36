//! Errors of the core crate.
//!
//! Every error says what was wrong with the input and never carries a secret:
//! a parse error names the construct and the byte offset, never the bytes.

use std::fmt;

/// A field value that does not follow the RFC 9110 section 11 grammar.
///
/// The error says what was expected and at which byte of which field line,
/// so that a log line or a CLI message points at the problem.
///
/// # Examples
///
/// ```
/// let err = authscheme::syntax::parse_challenges(b"Basic; realm=\"x\"").unwrap_err();
/// assert_eq!(err.offset(), 5);
/// assert!(err.to_string().contains("at byte 5"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at byte {offset}{}", LineSuffix(*line))]
pub struct ParseError {
    kind: ParseErrorKind,
    offset: usize,
    line: Option<usize>,
}

struct LineSuffix(Option<usize>);

impl fmt::Display for LineSuffix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(line) => write!(f, " of field line {}", line + 1),
            None => Ok(()),
        }
    }
}

impl ParseError {
    pub(crate) fn new(kind: ParseErrorKind, offset: usize) -> Self {
        Self {
            kind,
            offset,
            line: None,
        }
    }

    pub(crate) fn in_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// What was wrong.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{syntax::parse_challenges, ParseErrorKind};
    /// let err = parse_challenges(br#"Basic realm="Dev zone"#).unwrap_err();
    /// assert_eq!(err.kind(), &ParseErrorKind::UnterminatedQuotedString);
    /// ```
    pub fn kind(&self) -> &ParseErrorKind {
        &self.kind
    }

    /// The byte offset in the field line where the problem was found.
    ///
    /// # Examples
    ///
    /// ```
    /// let err = authscheme::syntax::parse_challenges(br#"Digest realm="x" qop=auth"#).unwrap_err();
    /// assert_eq!(err.offset(), 17);
    /// ```
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The index (from 0) of the field line, when several lines were parsed.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::syntax::{parse_challenge_lines, parse_challenges};
    /// let err = parse_challenge_lines([&b"Bearer"[..], b"Basic realm=\"x\" y"]).unwrap_err();
    /// assert_eq!(err.line(), Some(1));
    /// assert!(err.to_string().ends_with("of field line 2"));
    /// assert_eq!(parse_challenges(b"Basic realm=\"x\" y").unwrap_err().line(), None);
    /// ```
    pub fn line(&self) -> Option<usize> {
        self.line
    }
}

/// The kinds of [`ParseError`].
///
/// # Examples
///
/// ```
/// use authscheme::{syntax, Credentials, ParseErrorKind};
/// let twice = syntax::parse_challenges(b"Digest nc=1, NC=2").unwrap_err();
/// assert_eq!(twice.kind(), &ParseErrorKind::DuplicateParam("nc".into()));
/// let empty = Credentials::parse(b"").unwrap_err();
/// assert_eq!(empty.kind(), &ParseErrorKind::Empty);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseErrorKind {
    /// The field holds no challenge (or no credentials) at all.
    #[error("the field value is empty")]
    Empty,
    /// An auth-scheme token was expected.
    #[error("expected an auth-scheme token")]
    ExpectedScheme,
    /// After the auth-scheme only a space, a comma or the end may follow.
    #[error("expected a space, ',' or the end after the auth-scheme")]
    AfterScheme,
    /// An auth-param name (a token) was expected.
    #[error("expected a parameter name")]
    ExpectedParamName,
    /// A parameter name must be followed by `=`.
    #[error("expected '=' after the parameter name")]
    ExpectedEquals,
    /// A parameter value must be a token or a quoted-string.
    #[error("expected a token or quoted-string parameter value")]
    ExpectedValue,
    /// A quoted-string was not closed.
    #[error("unterminated quoted-string")]
    UnterminatedQuotedString,
    /// A control character inside a quoted-string.
    #[error("control character in quoted-string")]
    ControlInQuotedString,
    /// Two parameters (or two challenges) must be separated by a comma.
    #[error("expected ','")]
    ExpectedComma,
    /// The same parameter name occurs twice in one challenge or credentials.
    #[error("parameter '{0}' occurs more than once")]
    DuplicateParam(String),
    /// A credentials field holds exactly one credentials value.
    #[error("a second auth-scheme in a credentials field")]
    SecondCredentials,
    /// Credentials in the token68 form end with it: `Basic abc,` is not a
    /// list (RFC 9110 section 11.4).
    #[error("nothing but whitespace may follow the token68 of credentials")]
    AfterToken68,
    /// One challenge was asked for ([`Challenge::parse`](crate::Challenge::parse))
    /// and the line holds more.
    #[error("a second challenge where one was expected")]
    SecondChallenge,
    /// An RFC 8187 ext-value (`name*=charset'lang'value`) is malformed.
    #[error("invalid RFC 8187 ext-value: {0}")]
    ExtValue(&'static str),
}

/// A value that cannot be put into a challenge or credentials: a scheme or
/// parameter name that is not a token, a token68 with a forbidden character,
/// or a parameter value with a control character.
///
/// # Examples
///
/// ```
/// use authscheme::{Challenge, SchemeName};
/// let err = Challenge::builder(SchemeName::BASIC).param("realm", "a\r\nb").build().unwrap_err();
/// assert!(err.to_string().contains("realm"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid {what}: {why}")]
pub struct InvalidValue {
    what: String,
    why: &'static str,
}

impl InvalidValue {
    pub(crate) fn new(what: impl Into<String>, why: &'static str) -> Self {
        Self {
            what: what.into(),
            why,
        }
    }
}
