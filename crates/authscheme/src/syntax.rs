//! The RFC 9110 section 11 grammar, parsed and written in exactly one place.
//!
//! ```text
//! auth-scheme    = token
//! auth-param     = token BWS "=" BWS ( token / quoted-string )
//! token68        = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
//! challenge      = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
//! credentials    = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
//! WWW-Authenticate    = #challenge        Authorization       = credentials
//! Proxy-Authenticate  = #challenge        Proxy-Authorization = credentials
//! Authentication-Info = #auth-param
//! ```
//!
//! The parser works on octets (field values need not be UTF-8), borrows from
//! its input and allocates only to unescape a quoted-string or decode an RFC
//! 8187 ext-value. It makes one pass over the input, so its time is linear in
//! the input length, and it reports every error with its byte offset.
//!
//! The comma that separates challenges also separates parameters. After a
//! comma, `token BWS "="` continues the current challenge's parameters; any
//! other token starts a new challenge. So
//! `Basic realm="a", Newauth realm="b", basic=foo, Basic realm="c"` is three
//! challenges, the second with parameters `realm` and `basic`.
//!
//! Intended for scheme implementers; applications use [`Challenge`] and
//! [`Credentials`] and the typed headers in [`crate::header`].
//!
//! # Examples
//!
//! ```
//! use authscheme::syntax::{parse_challenges, parse_challenge_lines};
//! let one_line = parse_challenges(b"Basic realm=\"Dev zone\", Bearer").unwrap();
//! let two_lines = parse_challenge_lines([&b"Basic realm=\"Dev zone\""[..], b"Bearer"]).unwrap();
//! assert_eq!(one_line, two_lines);
//! assert_eq!(one_line.len(), 2);
//! ```

mod ext_value;
mod write;

use std::borrow::Cow;

use crate::auth_value::{AuthValue, Challenge, Credentials};
use crate::error::{ParseError, ParseErrorKind as Kind};
use crate::param::Param;
use crate::param_list::{Params, Span};
use crate::scheme_name::SchemeName;

pub use ext_value::{decode_ext_value, encode_ext_value};
pub use write::{AuthValueWriter, write_challenges, write_params, write_quoted_string};
pub(crate) use write::{header_value, wire_len_hint, write_auth_value};

const TCHAR: u8 = 1;
const TOKEN68: u8 = 2;
const QDTEXT: u8 = 4;
/// Characters allowed after a backslash in a quoted-pair.
const QPAIR: u8 = 8;

/// Character classes, one byte of flags per octet.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let mut c = 0;
        let alnum = b.is_ascii_alphanumeric();
        if alnum
            || matches!(
                b,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'|'
                    | b'~'
            )
        {
            c |= TCHAR;
        }
        if alnum || matches!(b, b'-' | b'.' | b'_' | b'~' | b'+' | b'/') {
            c |= TOKEN68;
        }
        // qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
        if b == b'\t'
            || b == b' '
            || b == 0x21
            || (b >= 0x23 && b <= 0x5B)
            || (b >= 0x5D && b <= 0x7E)
            || b >= 0x80
        {
            c |= QDTEXT;
        }
        // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
        if b == b'\t' || (b >= 0x20 && b != 0x7F) {
            c |= QPAIR;
        }
        t[i] = c;
        i += 1;
    }
    t
};

#[inline]
fn is_tchar(b: u8) -> bool {
    CLASS[b as usize] & TCHAR != 0
}

#[inline]
fn is_token68_char(b: u8) -> bool {
    CLASS[b as usize] & TOKEN68 != 0
}

/// `octets` as text, when they are valid UTF-8. Header values are nearly
/// always ASCII, which is checked a word at a time before the octets are
/// lent out as `&str`; `str::from_utf8` alone costs some seven instructions
/// an octet on header-sized input, more than scanning a Bearer value.
/// Anything else gets the full UTF-8 validation.
#[inline]
pub(crate) fn as_text(octets: &[u8]) -> Option<&str> {
    match ascii::AsciiStr::from_ascii(octets) {
        Ok(text) => Some(text.as_str()),
        Err(_) => std::str::from_utf8(octets).ok(),
    }
}

/// `octets` as text the way this project reads header octets that may not
/// be UTF-8: as UTF-8 when they are UTF-8, and as ISO-8859-1 (each octet
/// the code point of its value) otherwise. Octets that are UTF-8 are only
/// ever read as UTF-8, and different octets that are not read as different
/// text, so the second reading never makes two values equal. RFC 9110
/// section 5.5 lets field values carry such octets (obs-text), and clients
/// that ignore `charset="UTF-8"` (Python's `requests`) send ISO-8859-1.
///
/// # Examples
///
/// ```
/// use authscheme::syntax::text_or_latin1;
/// assert_eq!(text_or_latin1("Jäsøn".as_bytes()), "Jäsøn");
/// assert_eq!(text_or_latin1(b"J\xe4s\xf8n"), "Jäsøn");
/// ```
pub fn text_or_latin1(octets: &[u8]) -> Cow<'_, str> {
    match as_text(octets) {
        Some(text) => Cow::Borrowed(text),
        None => Cow::Owned(octets.iter().copied().map(char::from).collect()),
    }
}

/// Whether `s` is a non-empty RFC 9110 token.
///
/// # Examples
///
/// ```
/// use authscheme::syntax::is_token;
/// assert!(is_token(b"Digest") && is_token(b"x-custom_1"));
/// assert!(!is_token(b"") && !is_token(b"a b") && !is_token(b"realm="));
/// ```
pub fn is_token(s: &[u8]) -> bool {
    !s.is_empty() && s.iter().all(|&b| is_tchar(b))
}

/// How many octets of `value` from its start are token characters: the
/// length of the auth-scheme a credentials value starts with.
#[inline]
pub(crate) fn leading_token_len(value: &[u8]) -> usize {
    value
        .iter()
        .position(|&b| !is_tchar(b))
        .unwrap_or(value.len())
}

/// Whether `s` is a token68 (`1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`).
///
/// # Examples
///
/// ```
/// use authscheme::syntax::is_token68;
/// assert!(is_token68(b"QWxhZGRpbjpvcGVuIHNlc2FtZQ=="));
/// assert!(is_token68(b"mF_9.B5f-4.1JqM"));
/// assert!(!is_token68(b"a=b"), "padding only at the end");
/// assert!(!is_token68(b"") && !is_token68(b"a b"));
/// ```
pub fn is_token68(s: &[u8]) -> bool {
    token68_end(s, 0) == Some(s.len())
}

/// Where a token68 starting at `from` ends (its characters, then any `=`
/// padding), or `None` when none starts there.
// Index loops: on these hot paths they compile tighter than the iterator
// forms (3-4 ns on a Bearer value in `benches/parse.rs`).
#[inline]
fn token68_end(input: &[u8], from: usize) -> Option<usize> {
    // Octet by octet first: most scans (a probe of a parameter name, an API
    // key) end within a few octets.
    let mut i = from;
    let short_end = input.len().min(from + LONG_TOKEN68);
    while i < short_end && is_token68_char(input[i]) {
        i += 1;
    }
    if i == short_end {
        i = long_token68_end(input, i);
    }
    if i == from {
        return None;
    }
    while i < input.len() && input[i] == b'=' {
        i += 1;
    }
    Some(i)
}

/// After this many token68 characters, [`long_token68_end`] takes over.
const LONG_TOKEN68: usize = 16;

/// Where the token68 characters from `i` end, in a token68 that has
/// [`LONG_TOKEN68`] of them already (a JWT is some 200 octets). Sixteen
/// at a time while all are token68 characters, by a test without branches
/// over a fixed-size chunk, which the compiler turns into vector
/// instructions (table lookups octet by octet were bound by their loads);
/// then the rest octet by octet. Kept out of line: inlined, it made the
/// parser's other loops slower.
#[inline(never)]
fn long_token68_end(input: &[u8], mut i: usize) -> usize {
    while let Some(chunk) = input.get(i..).and_then(<[u8]>::first_chunk::<LONG_TOKEN68>) {
        if !all_token68_octets(chunk) {
            break;
        }
        i += LONG_TOKEN68;
    }
    while i < input.len() && is_token68_char(input[i]) {
        i += 1;
    }
    i
}

/// Whether every octet of `chunk` is a token68 character, tested without
/// an early exit so that the compiler tests the chunk in vector steps.
#[inline(always)]
fn all_token68_octets(chunk: &[u8; LONG_TOKEN68]) -> bool {
    chunk.iter().fold(true, |all, &b| all & is_token68_octet(b))
}

/// [`is_token68_char`] by comparisons rather than the table, without a
/// branch, so that a loop over a chunk of octets vectorizes.
#[inline(always)]
fn is_token68_octet(b: u8) -> bool {
    // Setting 0x20 folds A-Z onto a-z, and nothing else onto a-z.
    let folded = b | 0x20;
    (folded.wrapping_sub(b'a') < 26)
        | (b.wrapping_sub(b'-') < 13) // - . / 0-9
        | (b == b'+')
        | (b == b'_')
        | (b == b'~')
}

/// Where the run of SP and HTAB starting at `from` ends (BWS, or OWS
/// without obs-fold).
#[inline]
fn blanks_end(input: &[u8], from: usize) -> usize {
    let mut i = from;
    while i < input.len() && matches!(input[i], b' ' | b'\t') {
        i += 1;
    }
    i
}

/// Whether two scheme or parameter names are the same: names compare
/// ignoring ASCII case (RFC 9110 sections 11.1 and 11.2). Octets that are
/// equal cost one comparison, and the first that differ by more than case
/// ends the loop: cheaper than lowercasing both sides of every octet, both
/// where names mostly match (dispatch on the scheme) and where they mostly
/// do not (the parser's duplicate check).
#[inline]
pub(crate) fn same_name(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(&x, &y)| x == y || ((x ^ y) == 0x20 && (x | 0x20).is_ascii_lowercase()))
}

/// Whether `value` can be written as a quoted-string: no control character
/// except HTAB.
///
/// # Examples
///
/// ```
/// use authscheme::syntax::is_quotable;
/// assert!(is_quotable(b"Dev zone \"x\"\t\xE4"));
/// assert!(!is_quotable(b"a\r\nb"));
/// ```
pub fn is_quotable(value: &[u8]) -> bool {
    !has_control(value)
}

/// Parses one `WWW-Authenticate` or `Proxy-Authenticate` field line.
///
/// # Errors
///
/// A [`ParseError`] with the byte offset of the first violation, or
/// [`Kind::Empty`] when the line holds no challenge.
///
/// # Examples
///
/// ```
/// let c = authscheme::syntax::parse_challenges(
///     br#"Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple""#,
/// ).unwrap();
/// assert_eq!(c.len(), 2);
/// assert_eq!(c[0].param_str("title"), Some("Login to \"apps\""));
/// ```
pub fn parse_challenges(line: &[u8]) -> Result<Vec<Challenge<'_>>, ParseError> {
    // Room for four challenges (under 1 KiB, still the allocator's fast
    // path): a line rarely holds more, and growing costs a copy of each.
    let mut out = Vec::with_capacity(4);
    Parser::new(line).challenges(&mut out)?;
    if out.is_empty() {
        return Err(ParseError::new(Kind::Empty, 0));
    }
    Ok(out)
}

/// Parses several field lines of the same challenge field, in order, as one
/// list (RFC 9110 section 5.3). Lines may be empty as long as one challenge
/// is found in all of them.
///
/// The lines mean what they mean joined by commas, so a line may go on
/// with the parameters of the challenge before it (`Foo a=b` then `c=d`):
/// no server is known to split a challenge so, and such lines are read
/// joined, into challenges that own their octets.
///
/// # Errors
///
/// A [`ParseError`] naming the line and byte of the first violation, as
/// found line by line.
///
/// # Examples
///
/// ```
/// let c = authscheme::syntax::parse_challenge_lines([&b"Basic realm=\"a\""[..], b"Bearer"]).unwrap();
/// assert!(c[1].scheme().is("bearer"));
/// ```
pub fn parse_challenge_lines<'a, I>(lines: I) -> Result<Vec<Challenge<'a>>, ParseError>
where
    I: IntoIterator<Item = &'a [u8]>,
{
    let lines: Vec<&'a [u8]> = lines.into_iter().collect();
    // As in `parse_challenges`.
    let mut out = Vec::with_capacity(4);
    for (i, line) in lines.iter().enumerate() {
        if let Err(e) = Parser::new(line).challenges(&mut out) {
            return match lines.len() {
                1 => Err(e),
                _ => joined_challenges(&lines).ok_or_else(|| e.in_line(i)),
            };
        }
    }
    if out.is_empty() {
        return Err(ParseError::new(Kind::Empty, 0));
    }
    Ok(out)
}

/// The challenges of `lines` joined with commas, when that parses: the
/// reading of a line that continues the challenge before it, which line
/// by line is an error.
fn joined_challenges(lines: &[&[u8]]) -> Option<Vec<Challenge<'static>>> {
    let joined = lines.join(&b", "[..]);
    let challenges = parse_challenges(&joined).ok()?;
    Some(challenges.into_iter().map(Challenge::into_owned).collect())
}

/// Parses an `Authorization` or `Proxy-Authorization` field value.
///
/// # Errors
///
/// A [`ParseError`] with the byte offset of the first violation; a second
/// auth-scheme after a comma is [`Kind::SecondCredentials`], and anything
/// but whitespace after a token68 is [`Kind::AfterToken68`].
///
/// # Examples
///
/// ```
/// let c = authscheme::syntax::parse_credentials(b"Digest username=\"Mufasa\", nc=00000001").unwrap();
/// assert_eq!(c.param_str("nc"), Some("00000001"));
/// ```
#[inline]
pub fn parse_credentials(value: &[u8]) -> Result<Credentials<'_>, ParseError> {
    match scheme_and_token68(value) {
        // Built here, in the returned value, rather than returned from the
        // shortcut and moved: the value is some 200 octets.
        Some((text, scheme_end)) => Ok(Credentials(AuthValue {
            scheme: SchemeName::from_checked(&text[..scheme_end]),
            token68: Some(Cow::Borrowed(&text[scheme_end + 1..])),
            params: Params::new(),
        })),
        None => parse_credentials_in_general(value),
    }
}

/// `auth-scheme SP token68 OWS`, the form of nearly every Basic and Bearer
/// value, read without the general parser's bookkeeping: the value up to
/// the end of the token68, as text, and where the scheme ends. `None` for
/// anything else (a second space, parameters, a comma, an obs-fold), which
/// the general parser reads; for this form both give the same value
/// (tested).
#[inline(always)]
fn scheme_and_token68(value: &[u8]) -> Option<(&str, usize)> {
    let scheme_end = value.iter().position(|&b| !is_tchar(b))?;
    if scheme_end == 0 || value[scheme_end] != b' ' {
        return None;
    }
    let from = scheme_end + 1;
    // Parameters show in the first few octets (a name and its `=`), so a
    // long value whose first octets are not all token68 characters goes to
    // the general parser without a scan of the whole of it.
    if value[from..]
        .first_chunk::<LONG_TOKEN68>()
        .is_some_and(|chunk| !all_token68_octets(chunk))
    {
        return None;
    }
    // The token68 runs to the end of the value: strip the OWS and the `=`
    // padding there, and check that what is left is token68 characters,
    // many octets a step, rather than scanning for its end.
    let mut end = value.len();
    while end > from && matches!(value[end - 1], b' ' | b'\t') {
        end -= 1;
    }
    let mut chars_end = end;
    while chars_end > from && value[chars_end - 1] == b'=' {
        chars_end -= 1;
    }
    if chars_end == from || any_octet(&value[from..chars_end], |b| !is_token68_octet(b)) {
        return None;
    }
    // Tokens and token68s are ASCII, so this holds.
    let text = as_text(&value[..end])?;
    Some((text, scheme_end))
}

/// Any credentials value, by the whole grammar.
fn parse_credentials_in_general(value: &[u8]) -> Result<Credentials<'_>, ParseError> {
    let mut p = Parser::new(value);
    p.skip_ows();
    if p.at_end() {
        return Err(ParseError::new(Kind::Empty, p.pos));
    }
    // Parsed in place, in the returned value itself: an `AuthValue` holds
    // its parameters inline, so one more move of it costs more than parsing
    // a Bearer token.
    let mut result = Ok(Credentials(AuthValue::empty()));
    if let Ok(credentials) = &mut result {
        match p.one(&mut credentials.0) {
            Ok(false) => {}
            Ok(true) => result = Err(p.err(Kind::SecondCredentials)),
            Err(e) => result = Err(e),
        }
        // The challenge grammar lets a comma (an empty list element) follow
        // a token68; credentials are no list. Neither a scheme nor a token68
        // holds a comma, so any comma here came after the token68.
        if let Ok(credentials) = &result
            && credentials.0.token68.is_some()
            && let Some(comma) = value.iter().position(|&b| b == b',')
        {
            result = Err(ParseError::new(Kind::AfterToken68, comma));
        }
    }
    result
}

/// Parses a field line that must hold exactly one challenge.
pub(crate) fn parse_one_challenge(line: &[u8]) -> Result<Challenge<'_>, ParseError> {
    let mut p = Parser::new(line);
    p.skip_list_separators();
    if p.at_end() {
        return Err(ParseError::new(Kind::Empty, p.pos));
    }
    let mut value = AuthValue::empty();
    if p.one(&mut value)? {
        return Err(p.err(Kind::SecondChallenge));
    }
    Ok(Challenge(value))
}

/// Parses an `Authentication-Info` or `Proxy-Authentication-Info` field
/// value (`#auth-param`, RFC 9110 section 11.6.3 and RFC 7615).
///
/// # Errors
///
/// A [`ParseError`] with the byte offset of the first violation.
///
/// # Examples
///
/// ```
/// let p = authscheme::syntax::parse_params(b"rspauth=\"abc\", nc=00000001").unwrap();
/// assert_eq!(p.get_str("rspauth"), Some("abc"));
/// ```
pub fn parse_params(value: &[u8]) -> Result<Params<'_>, ParseError> {
    let mut p = Parser::new(value);
    let mut params = Params::new();
    params.borrow_source(p.source);
    let mut dups = DuplicateCheck::new(&params);
    loop {
        p.skip_list_separators();
        if p.at_end() {
            return Ok(params);
        }
        p.param_into(&mut params, &mut dups, None)?;
        p.skip_ows();
        if !p.at_end() && p.peek() != Some(b',') {
            return Err(p.err(Kind::ExpectedComma));
        }
    }
}

struct Parser<'a> {
    input: &'a [u8],
    /// The input as text when it is valid UTF-8 (nearly always: it is
    /// usually ASCII), so tokens are sliced out of it without validating
    /// each one again.
    text: Option<&'a str>,
    /// What parsed parameter lists borrow: the text, when it is UTF-8 and
    /// short enough for their 15-bit positions; otherwise nothing, and
    /// parameters are kept whole (see `Params`).
    source: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn new(input: &'a [u8]) -> Self {
        let text = as_text(input);
        let source = text
            .filter(|t| t.len() <= crate::param_list::MAX_SOURCE_LEN)
            .unwrap_or_default();
        Self {
            input,
            text,
            source,
            pos: 0,
        }
    }

    /// `input[from..to]` as text; tokens and token68s are ASCII, so this is
    /// `Some` for them whichever way it is found.
    #[inline]
    fn text_of(&self, from: usize, to: usize) -> Option<&'a str> {
        match self.text {
            Some(text) => text.get(from..to),
            None => as_text(&self.input[from..to]),
        }
    }

    fn err(&self, kind: Kind) -> ParseError {
        ParseError::new(kind, self.pos)
    }

    fn at_end(&self) -> bool {
        self.pos >= self.input.len()
    }

    fn peek(&self) -> Option<u8> {
        self.input.get(self.pos).copied()
    }

    /// The length of an obs-fold (CRLF or LF, then SP or HTAB) at `at`, or 0.
    fn fold_len(&self, at: usize) -> usize {
        let rest = &self.input[at.min(self.input.len())..];
        match rest {
            [b'\r', b'\n', b' ' | b'\t', ..] => 3,
            [b'\n', b' ' | b'\t', ..] => 2,
            _ => 0,
        }
    }

    /// Checks `input[from..to]`, which holds a control character, byte by
    /// byte: only obs-folds are allowed there.
    fn check_folds(&mut self, from: usize, to: usize) -> Result<(), ParseError> {
        let mut i = from;
        while i < to {
            let b = self.input[i];
            if CLASS[b as usize] & QDTEXT != 0 {
                i += 1;
                continue;
            }
            let fold = if matches!(b, b'\r' | b'\n') {
                self.fold_len(i)
            } else {
                0
            };
            if fold == 0 || i + fold > to {
                self.pos = i;
                return Err(self.err(Kind::ControlInQuotedString));
            }
            i += fold;
        }
        Ok(())
    }

    /// OWS / BWS, with obs-fold read as SP.
    #[inline]
    fn skip_ows(&mut self) {
        loop {
            match self.peek() {
                Some(b' ' | b'\t') => self.pos += 1,
                Some(b'\r' | b'\n') => match self.fold_len(self.pos) {
                    0 => return,
                    n => self.pos += n,
                },
                _ => return,
            }
        }
    }

    /// Empty list elements: any run of OWS and commas.
    #[inline]
    fn skip_list_separators(&mut self) {
        loop {
            self.skip_ows();
            if self.peek() == Some(b',') {
                self.pos += 1;
            } else {
                return;
            }
        }
    }

    #[inline]
    fn token_end(&self, from: usize) -> usize {
        let rest = self.input.get(from..).unwrap_or_default();
        from + rest
            .iter()
            .position(|&b| !is_tchar(b))
            .unwrap_or(rest.len())
    }

    /// A token at the cursor, as text (tokens are ASCII).
    #[inline]
    fn token(&mut self) -> Option<&'a str> {
        let end = self.token_end(self.pos);
        if end == self.pos {
            return None;
        }
        let text = self.text_of(self.pos, end)?;
        self.pos = end;
        Some(text)
    }

    /// `#challenge`: appends every challenge of this line to `out`.
    // Inlined into its two callers: called, the parser went through memory
    // on the way in and out, which cost more than a short line's loop.
    #[inline(always)]
    fn challenges(&mut self, out: &mut Vec<Challenge<'a>>) -> Result<(), ParseError> {
        loop {
            self.skip_list_separators();
            if self.at_end() {
                return Ok(());
            }
            // Parsed in place, in the vector's new slot (see
            // parse_credentials). `resize_with` writes the empty value
            // straight into the slot, where `push` built it aside and
            // copied its ~200 octets in.
            out.resize_with(out.len() + 1, || Challenge(AuthValue::empty()));
            let slot = out.last_mut().map(|c| &mut c.0);
            if let Some(value) = slot {
                self.one(value)?;
            }
        }
    }

    /// One `auth-scheme [ 1*SP ( token68 / #auth-param ) ]`, into `value`
    /// (which is empty). Returns whether another auth-scheme follows after a
    /// comma (left unread).
    fn one(&mut self, value: &mut AuthValue<'a>) -> Result<bool, ParseError> {
        let scheme = self.token().ok_or_else(|| self.err(Kind::ExpectedScheme))?;
        value.scheme = SchemeName::from_checked(scheme);
        let after_scheme = self.pos;
        // One SP and then a token (a parameter name, or the start of a
        // token68): the usual case, read as below would read it, without
        // the look at what else may follow.
        let one_space = self.input.get(after_scheme) == Some(&b' ')
            && self
                .input
                .get(after_scheme + 1)
                .is_some_and(|&b| is_tchar(b));
        if one_space {
            self.pos = after_scheme + 1;
        } else {
            // What may follow the scheme: the end, OWS then ",", or 1*SP.
            let space = match self.peek() {
                Some(b' ') => 1,
                Some(b'\r' | b'\n') => self.fold_len(self.pos),
                _ => 0,
            };
            self.skip_ows();
            if self.at_end() {
                return Ok(false);
            }
            if self.peek() == Some(b',') {
                if space == 0 {
                    // `scheme,`: the comma ends a challenge that has nothing
                    // after its scheme.
                    return Ok(self.after_comma_is_new_item());
                }
                // `scheme 1*SP ,`: the `#auth-param` list may begin with empty
                // elements (RFC 9110 section 5.6.1), so `Basic , realm="x"` is
                // Basic with a realm, while `Basic , Newauth` is two schemes.
                self.skip_list_separators();
                if self.at_end() {
                    return Ok(false);
                }
                let Some(name_end) = self.param_name_end() else {
                    return Ok(true);
                };
                return self.params_into(&mut value.params, Some(name_end));
            }
            if space == 0 {
                self.pos = after_scheme;
                return Err(self.err(Kind::AfterScheme));
            }
        }
        // The usual start of a parameter list needs no token68 probe, and
        // its name is not scanned twice.
        if let Some(name_end) = self.plain_param_start() {
            return self.params_into(&mut value.params, Some(name_end));
        }
        if let Some(end) = self.token68_here() {
            let text = self.text_of(self.pos, end).unwrap_or_default();
            value.token68 = Some(Cow::Borrowed(text));
            self.pos = end;
            self.skip_ows();
            if self.at_end() {
                return Ok(false);
            }
            // token68_here checked that a comma follows.
            return Ok(self.after_comma_is_new_item());
        }
        self.params_into(&mut value.params, None)
    }

    /// Where the name ends, when `name=` and then neither `=`, OWS, a comma
    /// nor the end start at the cursor: how a parameter list nearly always
    /// starts, and never a token68 (one here would end at that `=` or
    /// before it, where none of those follows, as one must; tested against
    /// [`Parser::token68_here`]).
    #[inline]
    fn plain_param_start(&self) -> Option<usize> {
        let name_end = self.token_end(self.pos);
        let plain = name_end > self.pos
            && self.input.get(name_end) == Some(&b'=')
            && !matches!(
                self.input.get(name_end + 1),
                None | Some(b'=' | b' ' | b'\t' | b',' | b'\r' | b'\n')
            );
        plain.then_some(name_end)
    }

    /// If a token68 starts at the cursor and is followed by OWS (obs-fold
    /// included) and then a comma or the end, its end offset.
    fn token68_here(&self) -> Option<usize> {
        let end = token68_end(self.input, self.pos)?;
        match self.input.get(self.ows_end(end)) {
            None | Some(b',') => Some(end),
            _ => None,
        }
    }

    /// Where the OWS starting at `from` ends, obs-fold read as SP, as
    /// [`Parser::skip_ows`] would leave the cursor.
    fn ows_end(&self, from: usize) -> usize {
        let mut i = from;
        loop {
            i = blanks_end(self.input, i);
            match self.fold_len(i) {
                0 => return i,
                n => i += n,
            }
        }
    }

    /// At a comma: consumes it and any empty elements, and tells whether what
    /// follows is a new challenge (a token not followed by `=`), leaving the
    /// cursor on it. A parameter after the comma is an error here, because a
    /// token68 or a bare scheme takes no parameters.
    fn after_comma_is_new_item(&mut self) -> bool {
        self.skip_list_separators();
        !self.at_end()
    }

    /// `#auth-param` until the end or the start of the next challenge;
    /// `name_end` is where the first name ends, when already known.
    fn params_into(
        &mut self,
        params: &mut Params<'a>,
        mut name_end: Option<usize>,
    ) -> Result<bool, ParseError> {
        params.borrow_source(self.source);
        let mut dups = DuplicateCheck::new(params);
        loop {
            let name_start = self.pos;
            match name_end.and_then(|end| self.plain_param(end)) {
                Some(plain) => {
                    let name_end = plain.value_start - 1 - usize::from(plain.quoted);
                    dups.check(params, &self.input[name_start..name_end], name_start)?;
                    params.push_source(
                        Span::in_source(name_start, name_end),
                        Span::in_source(plain.value_start, plain.value_end),
                        plain.quoted,
                    );
                    self.pos = plain.end;
                }
                None => self.param_into(params, &mut dups, name_end)?,
            }
            let input = self.input;
            let at = self.pos;
            // `, ` and then a token: how parameters are nearly always
            // separated, stepped over without the general loops (which
            // would stop at the same place).
            let usual_separator = input.get(at) == Some(&b',')
                && input.get(at + 1) == Some(&b' ')
                && input.get(at + 2).is_some_and(|&b| is_tchar(b));
            if usual_separator {
                self.pos = at + 2;
            } else {
                self.skip_ows();
                match self.peek() {
                    None => return Ok(false),
                    Some(b',') => {}
                    Some(_) => return Err(self.err(Kind::ExpectedComma)),
                }
                self.skip_list_separators();
                if self.at_end() {
                    return Ok(false);
                }
            }
            name_end = self.param_name_end();
            if name_end.is_none() {
                return Ok(true);
            }
        }
    }

    /// The parameter at the cursor, whose name ends at `name_end`, when it
    /// has the usual form: the name directly followed by `=`, not an
    /// ext-value name, and a token, or a quoted-string without quoted-pairs
    /// or control characters, for the value; in a line that parameter lists
    /// borrow by position. `None` for anything else, which `param_into`
    /// reads (for the usual form both read the same parameter: tested).
    #[inline(always)]
    fn plain_param(&self, name_end: usize) -> Option<PlainParam> {
        let input = self.input;
        if self.source.is_empty()
            || name_end <= self.pos
            || input.get(name_end) != Some(&b'=')
            || input[name_end - 1] == b'*'
        {
            return None;
        }
        let value_start = name_end + 1;
        match input.get(value_start) {
            Some(b'"') => {
                let (close, control) = self.next_quote_or_backslash(value_start + 1)?;
                (!control && input[close] == b'"').then_some(PlainParam {
                    value_start: value_start + 1,
                    value_end: close,
                    quoted: true,
                    end: close + 1,
                })
            }
            Some(&b) if is_tchar(b) => {
                let value_end = self.token_end(value_start);
                Some(PlainParam {
                    value_start,
                    value_end,
                    quoted: false,
                    end: value_end,
                })
            }
            _ => None,
        }
    }

    /// Where the name ends, when `token BWS "="` starts at the cursor (a
    /// parameter rather than the next challenge's scheme).
    fn param_name_end(&self) -> Option<usize> {
        let end = self.token_end(self.pos);
        if end == self.pos {
            return None;
        }
        (self.input.get(blanks_end(self.input, end)) == Some(&b'=')).then_some(end)
    }

    /// `token BWS "=" BWS ( token / quoted-string )`, appended to `params`
    /// after checking that its name is not there yet. `name_end` is where
    /// the name ends, when the caller has looked already.
    // Inlined: a parameter returned through memory was read back before the
    // stores that wrote it had landed, which cost more than the parse.
    #[inline(always)]
    fn param_into(
        &mut self,
        params: &mut Params<'a>,
        dups: &mut DuplicateCheck,
        name_end: Option<usize>,
    ) -> Result<(), ParseError> {
        let name_start = self.pos;
        let name_end = name_end.unwrap_or_else(|| self.token_end(name_start));
        let name = match self.text_of(name_start, name_end) {
            Some(name) if name_end > name_start => name,
            _ => return Err(self.err(Kind::ExpectedParamName)),
        };
        self.pos = name_end;
        self.skip_ows();
        if self.peek() != Some(b'=') {
            return Err(self.err(Kind::ExpectedEquals));
        }
        self.pos += 1;
        self.skip_ows();
        let value_start = self.pos;
        let (value, quoted) = if self.peek() == Some(b'"') {
            let value = self.quoted_string()?;
            if name.ends_with('*') {
                return Err(ParseError::new(
                    Kind::ExtValue("the quoted-string form is not allowed"),
                    value_start,
                ));
            }
            (value, true)
        } else {
            let end = self.token_end(self.pos);
            if end == self.pos {
                return Err(self.err(Kind::ExpectedValue));
            }
            self.pos = end;
            let raw = &self.input[value_start..end];
            if name.ends_with('*') {
                let decoded = decode_ext_value(raw)
                    .map_err(|why| ParseError::new(Kind::ExtValue(why), value_start))?;
                let bytes = match decoded {
                    Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
                    Cow::Owned(text) => Cow::Owned(text.into_bytes()),
                };
                (bytes, false)
            } else {
                (Cow::Borrowed(raw), false)
            }
        };
        dups.check(params, name.as_bytes(), name_start)?;
        // A value that is octets of the input, as written, is kept as its
        // position; one that was unescaped or decoded is kept whole.
        let value_at = if quoted { value_start + 1 } else { value_start };
        let in_place = match &value {
            Cow::Borrowed(raw) if !name.ends_with('*') => params
                .span(name_start, name_end)
                .zip(params.span(value_at, value_at + raw.len())),
            _ => None,
        };
        match in_place {
            Some((name, value)) => params.push_source(name, value, quoted),
            None => params.push_unchecked(Param::from_parts(name, value, quoted)),
        }
        Ok(())
    }

    /// The offset of the next `"` or `\\` at or after `from`, and whether a
    /// control character (an obs-fold, or an error) lies before it; every
    /// other octet before it is qdtext.
    #[inline(always)]
    fn next_quote_or_backslash(&self, from: usize) -> Option<(usize, bool)> {
        // Most values are short (a realm, a qop list): eight octets at a
        // time find their end before `memchr` would have set up. Long ones
        // (nonces, hashes) go on with `memchr` and a vectorized check for
        // controls.
        let input = self.input;
        let short_end = input.len().min(from + 64);
        let mut i = from;
        let mut control = false;
        while i < short_end {
            if let Some((base, word)) = word_at(input, i) {
                let flagged = quote_backslash_or_control(word);
                if flagged == 0 {
                    // Past the end when the word was the input's last.
                    i = base + 8;
                    continue;
                }
                i = base + (flagged.trailing_zeros() / 8) as usize;
            }
            // The flagged octet, or one of an input shorter than a word.
            let b = input[i];
            if b == b'"' || b == b'\\' {
                return Some((i, false));
            }
            if CLASS[b as usize] & QDTEXT == 0 {
                // A control character: leave it to the careful path.
                control = true;
                break;
            }
            i += 1;
        }
        let start = if control { from } else { i };
        let end = start + memchr::memchr2(b'"', b'\\', &input[start..])?;
        Some((end, has_control(&input[start..end])))
    }

    /// A quoted-string at the cursor (on the opening quote): the unescaped
    /// value, borrowed when it holds no quoted-pair or obs-fold.
    // Inlined for the same reason as `param_into`.
    #[inline(always)]
    fn quoted_string(&mut self) -> Result<Cow<'a, [u8]>, ParseError> {
        let open = self.pos;
        let start = open + 1;
        let mut i = start;
        let mut plain = true;
        loop {
            let Some((span_end, control)) = self.next_quote_or_backslash(i) else {
                self.pos = open;
                return Err(self.err(Kind::UnterminatedQuotedString));
            };
            if control {
                self.check_folds(i, span_end)?;
                plain = false;
            }
            i = span_end;
            if self.input[i] == b'"' {
                break;
            }
            match self.input.get(i + 1) {
                Some(&n) if CLASS[n as usize] & QPAIR != 0 => {}
                Some(_) => {
                    self.pos = i + 1;
                    return Err(self.err(Kind::ControlInQuotedString));
                }
                None => {
                    self.pos = open;
                    return Err(self.err(Kind::UnterminatedQuotedString));
                }
            }
            plain = false;
            i += 2;
        }
        self.pos = i + 1;
        let raw = &self.input[start..i];
        if plain {
            return Ok(Cow::Borrowed(raw));
        }
        let mut out = Vec::with_capacity(raw.len());
        let mut j = 0;
        while j < raw.len() {
            match raw[j] {
                b'\\' => {
                    out.push(raw[j + 1]);
                    j += 2;
                }
                b'\r' | b'\n' => {
                    // obs-fold reads as one SP.
                    out.push(b' ');
                    j += if raw[j] == b'\r' { 3 } else { 2 };
                }
                b => {
                    out.push(b);
                    j += 1;
                }
            }
        }
        Ok(Cow::Owned(out))
    }
}

/// The eight octets from `i` as a little-endian word, and where the word
/// starts. Near the end of the input the word is the input's last eight
/// octets, with those before `i` (already read) replaced by a plain one so
/// that they mark nothing. `None` for an input shorter than a word.
#[inline(always)]
fn word_at(input: &[u8], i: usize) -> Option<(usize, u64)> {
    if let Some(word) = input.get(i..).and_then(<[u8]>::first_chunk::<8>) {
        return Some((i, u64::from_le_bytes(*word)));
    }
    let base = input.len().checked_sub(8)?;
    let last = u64::from_le_bytes(*input.last_chunk::<8>()?);
    let read = (i - base) * 8;
    let already_read = (1u64 << read) - 1;
    let plain = 0x6161_6161_6161_6161 & already_read;
    Some((base, (last & !already_read) | plain))
}

/// The octets of `word` (eight octets, little-endian) that end a run of
/// plain qdtext: `"`, `\\`, a control character (HTAB included, which the
/// caller lets through) and DEL, each marked by its high bit. Only the lowest
/// mark is exact (a borrow can mark octets above it too), which is the one
/// the caller reads.
#[inline(always)]
fn quote_backslash_or_control(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_octets = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    zero_octets(word ^ (ONES * u64::from(b'"')))
        | zero_octets(word ^ (ONES * u64::from(b'\\')))
        | zero_octets(word ^ (ONES * 0x7F))
        | below_space
}

/// Whether `span` holds a byte that qdtext does not allow (`"` and `\\`
/// aside): a control character other than HTAB.
fn has_control(span: &[u8]) -> bool {
    any_octet(span, is_control)
}

/// A control character other than HTAB (which qdtext allows), or DEL:
/// what no quoted-string can carry. Without branches, so that scans built
/// on it vectorize.
#[inline(always)]
pub(crate) fn is_control(b: u8) -> bool {
    ((b < 0x20) & (b != b'\t')) | (b == 0x7F)
}

/// Whether `test` holds for any octet of `span`, tested with no early exit
/// so that the compiler tests sixteen or more octets per step. The octets
/// past the last whole block are tested as the last sixteen octets
/// (overlapping the blocks before them) rather than one at a time.
#[inline(always)]
pub(crate) fn any_octet(span: &[u8], test: impl Fn(u8) -> bool + Copy) -> bool {
    let scan = |octets: &[u8]| octets.iter().fold(false, |seen, &o| seen | test(o));
    if let Some(last) = span.last_chunk::<16>() {
        return scan(&span[..span.len() & !15]) | scan(last);
    }
    // Shorter spans (an API key, a nonce count) as two fixed-size halves
    // that overlap, as `memcpy` does small copies: a loop of unknown length
    // under sixteen octets is tested one octet at a time.
    fn halves<const N: usize>(span: &[u8]) -> Option<(&[u8; N], &[u8; N])> {
        Some((span.first_chunk::<N>()?, span.last_chunk::<N>()?))
    }
    if let Some((first, last)) = halves::<8>(span) {
        return scan(first) | scan(last);
    }
    if let Some((first, last)) = halves::<4>(span) {
        return scan(first) | scan(last);
    }
    scan(span)
}

/// Where a parameter read by [`Parser::plain_param`] lies: its value
/// (without the quotes) and its end.
struct PlainParam {
    value_start: usize,
    value_end: usize,
    quoted: bool,
    end: usize,
}

/// Detects a repeated parameter name without allocating for the usual
/// handful of parameters, and in linear time for a hostile long list.
struct DuplicateCheck {
    /// One bit per class of the names seen so far (see
    /// [`DuplicateCheck::class_bit`]). A name whose class has not been seen
    /// cannot be a repeat, which saves the scan of the list for nearly
    /// every parameter of a real list, whose names differ in length or
    /// first letter. All ones sends every name to the check by name.
    classes: u64,
    seen: Option<std::collections::HashSet<Vec<u8>>>,
}

impl DuplicateCheck {
    /// Up to this many parameters, a scan of the list is cheaper than hashing.
    const SCAN_LIMIT: usize = 16;

    /// A check of the names to be added to `params`.
    #[inline(always)]
    fn new(params: &Params<'_>) -> Self {
        Self {
            // The parser's lists start empty; names already in a list were
            // not seen here, so none could be passed over.
            classes: if params.is_empty() { 0 } else { u64::MAX },
            seen: None,
        }
    }

    /// The bit of `name`'s class: its length and its first octet with the
    /// ASCII case bit set. Names that are the same ignoring ASCII case have
    /// the same length and first octets that differ at most in that bit, so
    /// they share a class.
    #[inline(always)]
    fn class_bit(name: &[u8]) -> u64 {
        let first = name.first().map_or(0, |&b| u32::from(b | 0x20));
        // Truncation is intended: only the class's position among 64.
        let class = (name.len() as u32).wrapping_mul(5).wrapping_add(first);
        1 << (class % 64)
    }

    #[inline(always)]
    fn check(&mut self, params: &Params<'_>, name: &[u8], pos: usize) -> Result<(), ParseError> {
        let bit = Self::class_bit(name);
        let seen_class = self.classes & bit != 0;
        self.classes |= bit;
        if seen_class {
            self.check_by_name(params, name, pos)
        } else {
            Ok(())
        }
    }

    /// The check by the names themselves, for a name whose class has been
    /// seen, or any name in a long list.
    #[cold]
    #[inline(never)]
    fn check_by_name(
        &mut self,
        params: &Params<'_>,
        name: &[u8],
        pos: usize,
    ) -> Result<(), ParseError> {
        // Names are tokens, which are ASCII.
        let name = as_text(name).unwrap_or_default();
        let duplicate = || ParseError::new(Kind::DuplicateParam(name.to_ascii_lowercase()), pos);
        if params.len() < Self::SCAN_LIMIT {
            return if params.contains(name) {
                Err(duplicate())
            } else {
                Ok(())
            };
        }
        // From here on every name goes into the set.
        self.classes = u64::MAX;
        let seen = self.seen.get_or_insert_with(|| {
            params
                .iter()
                .map(|p| p.name().to_ascii_lowercase().into_bytes())
                .collect()
        });
        if seen.insert(name.to_ascii_lowercase().into_bytes()) {
            Ok(())
        } else {
            Err(duplicate())
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NOT_TOKEN68: &[u8] = b"= \t,\"!#*\\\r\n\x01\x7f\x80\xff";

    fn credentials_octet() -> impl Strategy<Value = u8> {
        prop::sample::select([&b"Ba9-._~+/"[..], NOT_TOKEN68].concat())
    }

    /// A token68 of up to 40 characters with padding and OWS after it, and
    /// sometimes one octet replaced by one that a token68 cannot hold: the
    /// near misses a check of many octets at a time could let through.
    fn near_token68() -> impl Strategy<Value = Vec<u8>> {
        (
            prop::collection::vec(prop::sample::select(b"Ba9-._~+/".to_vec()), 0..40),
            0usize..3,
            prop::sample::select(vec!["", " ", "\t ", ",", " x"]),
            prop::option::of((
                any::<prop::sample::Index>(),
                prop::sample::select(NOT_TOKEN68),
            )),
        )
            .prop_map(|(mut octets, padding, after, replace)| {
                if let Some((at, octet)) = replace.filter(|_| !octets.is_empty()) {
                    let at = at.index(octets.len());
                    octets[at] = octet;
                }
                octets.extend(std::iter::repeat_n(b'=', padding));
                octets.extend_from_slice(after.as_bytes());
                octets
            })
    }

    proptest! {
        #[test]
        fn the_token68_shortcut_reads_what_the_grammar_reads(
            input in prop_oneof![prop::collection::vec(credentials_octet(), 0..24), near_token68()],
            scheme in prop::sample::select(vec!["Basic", "Bearer", "x", ""]),
            space in prop::sample::select(vec!["", " ", "  ", "\t"]),
        ) {
            let mut value = format!("{scheme}{space}").into_bytes();
            value.extend_from_slice(&input);
            if scheme_and_token68(&value).is_some() {
                prop_assert_eq!(parse_credentials(&value), parse_credentials_in_general(&value));
            }
        }
    }

    proptest! {
        // Tiny inputs, and the cases that matter (`a= ,`) are a few in a
        // thousand: many cases.
        #![proptest_config(ProptestConfig::with_cases(8192))]
        #[test]
        fn a_plain_parameter_start_is_never_a_token68(
            name in "[aZ9._~+/!#*-]{0,5}",
            equals in 0usize..3,
            rest in prop::collection::vec(
                prop::sample::select(b"aZ9-/!=  \t\t,,\"\r\n\x80".to_vec()),
                0..4,
            ),
        ) {
            let octets = [name.as_bytes(), &b"=".repeat(equals), &rest].concat();
            let p = Parser::new(&octets);
            if p.plain_param_start().is_some() {
                prop_assert_eq!(p.token68_here(), None);
            }
        }
    }

    proptest! {
        #[test]
        fn the_usual_parameter_form_is_read_as_the_grammar_reads_it(
            name in "[aZ9!*-]{1,4}",
            equals in prop::sample::select(vec!["=", " =", "= ", "=="]),
            open_quote in any::<bool>(),
            value in prop::collection::vec(
                prop::sample::select(b"aZ9-*\"\\ \t,=\r\n\x01\x7f\x80".to_vec()),
                0..12,
            ),
        ) {
            let quote: &[u8] = if open_quote { b"\"" } else { b"" };
            let octets = [name.as_bytes(), equals.as_bytes(), quote, &value].concat();
            let p = Parser::new(&octets);
            let name_end = p.token_end(0);
            if let Some(plain) = p.plain_param(name_end) {
                let mut general = Parser::new(&octets);
                let mut params = Params::new();
                params.borrow_source(general.source);
                let mut dups = DuplicateCheck::new(&params);
                prop_assert!(general.param_into(&mut params, &mut dups, Some(name_end)).is_ok());
                prop_assert_eq!(general.pos, plain.end);
                let param = params.iter().next().unwrap();
                prop_assert_eq!(param.name().as_bytes(), &octets[..name_end]);
                prop_assert_eq!(param.value(), &octets[plain.value_start..plain.value_end]);
                prop_assert_eq!(param.is_quoted(), plain.quoted);
            }
        }

        #[test]
        fn a_repeated_name_is_found_in_lists_short_and_long(
            // Few and short names, in both cases, so that classes are
            // shared and repeats common; up to 24, past the scan limit.
            names in prop::collection::vec("[aAbB1]{1,3}", 1..24),
        ) {
            let line = names.iter().map(|n| format!("{n}=1")).collect::<Vec<_>>().join(", ");
            let mut offset = 0;
            let mut expected = Ok(names.len());
            for (i, name) in names.iter().enumerate() {
                if names[..i].iter().any(|n| n.eq_ignore_ascii_case(name)) {
                    expected = Err((name.to_ascii_lowercase(), offset));
                    break;
                }
                offset += name.len() + 4;
            }
            let found = |parsed: Result<usize, ParseError>, skipped: usize| {
                parsed.map_err(|e| match e.kind() {
                    Kind::DuplicateParam(name) => (name.clone(), e.offset() - skipped),
                    other => (format!("{other:?}"), e.offset()),
                })
            };
            // As Authentication-Info, and as a challenge's parameters.
            let params = parse_params(line.as_bytes()).map(|p| p.len());
            prop_assert_eq!(found(params, 0), expected.clone());
            let challenge = format!("X {line}");
            let challenges = parse_challenges(challenge.as_bytes()).map(|c| c[0].params().len());
            prop_assert_eq!(found(challenges, 2), expected);
        }
    }

    #[test]
    fn the_comparisons_agree_with_the_table_on_every_octet() {
        for octet in 0..=u8::MAX {
            assert_eq!(
                is_token68_octet(octet),
                is_token68_char(octet),
                "{octet:#04x}"
            );
        }
    }

    proptest! {
        #[test]
        fn token68_ends_where_an_octet_at_a_time_scan_ends(
            // Mostly token68 characters, so that runs of a whole chunk and
            // more are common.
            octets in prop::collection::vec(
                prop::sample::select(b"aZ09-._~+/".repeat(6).into_iter().chain(*b"== ,\"\x80").collect::<Vec<u8>>()),
                0..80,
            ),
            from in 0usize..8,
        ) {
            let from = from.min(octets.len());
            let mut end = from;
            while end < octets.len() && is_token68_char(octets[end]) {
                end += 1;
            }
            let expected = (end > from).then(|| {
                while end < octets.len() && octets[end] == b'=' {
                    end += 1;
                }
                end
            });
            prop_assert_eq!(token68_end(&octets, from), expected);
        }
    }

    proptest! {
        #[test]
        fn text_is_what_utf8_validation_accepts(octets in prop::collection::vec(
            prop::sample::select(b"a~ \x7f\x80\xbf\xc3\xa4\xe2\x82\xac\xf0\xff".to_vec()),
            0..40,
        )) {
            prop_assert_eq!(as_text(&octets), std::str::from_utf8(&octets).ok());
        }
    }

    #[test]
    fn text_takes_ascii_and_utf8_and_refuses_the_rest() {
        assert_eq!(
            as_text(b"Bearer mF_9.B5f-4.1JqM"),
            Some("Bearer mF_9.B5f-4.1JqM")
        );
        assert_eq!(
            as_text("realm=\"J\u{e4}s\u{f8}n\"".as_bytes()),
            Some("realm=\"J\u{e4}s\u{f8}n\"")
        );
        assert_eq!(as_text(b"realm=\"J\xe4s\""), None);
        assert_eq!(as_text(b""), Some(""));
    }

    proptest! {
        #[test]
        fn names_compare_as_eq_ignore_ascii_case_does(a in any::<Vec<u8>>(), flips in any::<Vec<bool>>()) {
            let b: Vec<u8> = a
                .iter()
                .zip(flips.iter().chain(std::iter::repeat(&false)))
                .map(|(&x, &flip)| if flip { x ^ 0x20 } else { x })
                .collect();
            prop_assert_eq!(same_name(&a, &b), a.eq_ignore_ascii_case(&b));
            prop_assert_eq!(same_name(&a, &a[..a.len() / 2]), a.is_empty());
        }
    }

    proptest! {
        #[test]
        fn any_octet_finds_what_a_scan_octet_by_octet_finds(
            // Every length up to three blocks, so that each way a span is
            // split (whole blocks, halves of eight and of four, single
            // octets) meets the octet sought in every place.
            span in prop::collection::vec(prop::sample::select(b"abcdefghijklmno\"".to_vec()), 0..48),
        ) {
            prop_assert_eq!(
                any_octet(&span, |b| b == b'"'),
                span.contains(&b'"')
            );
        }
    }

    #[test]
    fn the_token68_shortcut_takes_the_usual_forms_and_leaves_the_rest() {
        for taken in [
            &b"Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="[..],
            b"Bearer mF_9.B5f-4.1JqM",
            b"Bearer abc== \t",
            b"Newauth x",
        ] {
            assert!(scheme_and_token68(taken).is_some());
            assert_eq!(
                parse_credentials(taken),
                parse_credentials_in_general(taken)
            );
        }
        for left in [
            &b"Basic"[..],
            b"Basic  abc",
            b" Basic abc",
            b"Basic a=b",
            b"Basic abc, def",
            b"Digest username=\"a\"",
            b"Basic abc\r\n x",
            b"Basic abc=x",
            b"Basic =",
        ] {
            assert!(
                scheme_and_token68(left).is_none(),
                "{}",
                String::from_utf8_lossy(left)
            );
        }
    }

    /// What `next_quote_or_backslash` finds, one octet at a time.
    fn octet_at_a_time(input: &[u8], from: usize) -> Option<(usize, bool)> {
        let end = from
            + input[from..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\')?;
        let control = input[from..end]
            .iter()
            .any(|&b| (b < 0x20 && b != b'\t') || b == 0x7F);
        Some((end, control))
    }

    fn octet() -> impl Strategy<Value = u8> {
        prop_oneof![
            any::<u8>(),
            prop::sample::select(vec![
                b'a', b'"', b'\\', b'\t', b'\r', b'\n', 0x7F, 0x80, 0, 0x1F
            ]),
        ]
    }

    proptest! {
        #[test]
        fn quoted_string_scan_agrees_with_an_octet_at_a_time(
            input in prop::collection::vec(octet(), 0..160),
            from in 0usize..160,
        ) {
            let from = from.min(input.len());
            let parser = Parser::new(&input);
            prop_assert_eq!(
                parser.next_quote_or_backslash(from),
                octet_at_a_time(&input, from)
            );
        }

        #[test]
        fn the_lowest_mark_is_the_first_octet_that_ends_plain_qdtext(word in any::<[u8; 8]>()) {
            let first = word
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20 || b == 0x7F);
            let marks = quote_backslash_or_control(u64::from_le_bytes(word));
            let lowest = (marks != 0).then(|| (marks.trailing_zeros() / 8) as usize);
            prop_assert_eq!(lowest, first);
        }
    }
}
