//! [`SchemeName`]: the case-insensitive auth-scheme token.

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};

use crate::error::InvalidValue;
use crate::syntax::is_token;

/// An auth-scheme name (RFC 9110 section 11.1), such as `Basic` or `Digest`.
///
/// Names compare and hash case-insensitively; the original spelling is kept
/// for display, so a parsed `basic` prints as `basic`.
///
/// # Examples
///
/// ```
/// use authscheme::SchemeName;
/// let parsed = SchemeName::new("bAsIc").unwrap();
/// assert_eq!(parsed, SchemeName::BASIC);
/// assert_eq!(parsed.as_str(), "bAsIc");
/// assert!(SchemeName::new("Bad Name").is_err());
/// ```
#[derive(Clone)]
pub struct SchemeName<'a>(Cow<'a, str>);

impl SchemeName<'static> {
    /// `Basic` (RFC 7617).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::SchemeName;
    /// assert_eq!(SchemeName::BASIC.as_str(), "Basic");
    /// assert_eq!(SchemeName::BASIC, SchemeName::new("BASIC").unwrap());
    /// ```
    pub const BASIC: SchemeName<'static> = SchemeName(Cow::Borrowed("Basic"));
    /// `Digest` (RFC 7616).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::SchemeName;
    /// assert_eq!(SchemeName::DIGEST.as_str(), "Digest");
    /// assert_eq!(SchemeName::DIGEST, SchemeName::new("DIGEST").unwrap());
    /// ```
    pub const DIGEST: SchemeName<'static> = SchemeName(Cow::Borrowed("Digest"));
    /// `Bearer` (RFC 6750).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::SchemeName;
    /// assert_eq!(SchemeName::BEARER.as_str(), "Bearer");
    /// assert_eq!(SchemeName::BEARER, SchemeName::new("BEARER").unwrap());
    /// ```
    pub const BEARER: SchemeName<'static> = SchemeName(Cow::Borrowed("Bearer"));
}

impl<'a> SchemeName<'a> {
    /// A scheme name from a token.
    ///
    /// # Errors
    ///
    /// [`InvalidValue`] when `name` is empty or holds a character outside
    /// the RFC 9110 token set.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::SchemeName;
    /// let name = SchemeName::new("Newauth").unwrap();
    /// assert_eq!(name.as_str(), "Newauth");
    /// assert!(SchemeName::new("").is_err());
    /// assert!(SchemeName::new("New auth").is_err());
    /// ```
    pub fn new(name: impl Into<Cow<'a, str>>) -> Result<Self, InvalidValue> {
        let name = name.into();
        if is_token(name.as_bytes()) {
            Ok(Self(name))
        } else {
            Err(InvalidValue::new("auth-scheme", "not a token"))
        }
    }

    /// Used by the parser, which has already checked the token grammar.
    pub(crate) fn from_checked(name: &'a str) -> Self {
        Self(Cow::Borrowed(name))
    }

    /// The name as it was spelled.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::SchemeName;
    /// assert_eq!(SchemeName::new("bASIC").unwrap().as_str(), "bASIC");
    /// assert_eq!(SchemeName::DIGEST.as_str(), "Digest");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is `other`, ignoring ASCII case.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::SchemeName;
    /// assert!(SchemeName::BEARER.is("bearer"));
    /// assert!(SchemeName::BEARER.is("BEARER"));
    /// assert!(!SchemeName::BEARER.is("Basic"));
    /// ```
    pub fn is(&self, other: &str) -> bool {
        crate::syntax::same_name(self.0.as_bytes(), other.as_bytes())
    }

    /// Detaches the name from the input it borrows.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::SchemeName;
    /// let input = String::from("Newauth");
    /// let name: SchemeName<'static> = SchemeName::new(input.as_str()).unwrap().into_owned();
    /// drop(input);
    /// assert_eq!(name.as_str(), "Newauth");
    /// ```
    pub fn into_owned(self) -> SchemeName<'static> {
        SchemeName(Cow::Owned(self.0.into_owned()))
    }
}

impl PartialEq for SchemeName<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.is(&other.0)
    }
}

impl Eq for SchemeName<'_> {}

impl PartialEq<str> for SchemeName<'_> {
    fn eq(&self, other: &str) -> bool {
        self.is(other)
    }
}

impl PartialEq<&str> for SchemeName<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.is(other)
    }
}

impl Hash for SchemeName<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for b in self.0.bytes() {
            state.write_u8(b.to_ascii_lowercase());
        }
        state.write_u8(0xff);
    }
}

impl fmt::Debug for SchemeName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for SchemeName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
