//! [`Params`]: an ordered list of auth-params with lookup by name.
//!
//! A parsed list keeps each parameter as two positions in the input it
//! borrows instead of a [`Param`] per entry: 8 bytes instead of 56. Every
//! request's credentials live in one of these, and they are moved around on
//! the way to a scheme, so their size is paid on each request. Parameters
//! that are not octets of the input (added by hand, unescaped, decoded, or
//! from an input that is not UTF-8 or longer than 32 KiB) are kept whole in
//! a side vector.

use std::borrow::Cow;
use std::fmt;
use std::iter::FusedIterator;
use std::ops::Range;

use http::HeaderValue;
use smallvec::SmallVec;

use crate::param::{Octets, Param, ParamRef};
use crate::syntax::same_name;

/// How many parameters fit inline before [`Params`] allocates: enough for a
/// complete Digest `Authorization` value, so parsing one does not allocate.
const INLINE_PARAMS: usize = 12;

/// The longest input a list borrows by position; a longer one (no real
/// header field is) has its parameters kept whole.
pub(crate) const MAX_SOURCE_LEN: usize = 0x7FFF;

/// Where one parameter of a list is kept.
#[derive(Clone, Copy)]
enum Entry {
    /// Name and value are octets of the input the list borrows.
    Source {
        name: Span,
        value: Span,
        quoted: bool,
    },
    /// The parameter is `Params::own[index]`.
    Own(u32),
}

/// `start..start + len` in the borrowed input (at most [`MAX_SOURCE_LEN`]
/// octets, so both fit 15 bits).
#[derive(Clone, Copy)]
pub(crate) struct Span {
    start: u16,
    len: u16,
}

impl Span {
    /// `start..end` in an input that a list borrows (checked by the caller:
    /// at most [`MAX_SOURCE_LEN`] octets, so the positions fit).
    #[inline]
    pub(crate) fn in_source(start: usize, end: usize) -> Self {
        debug_assert!(start <= end && end <= MAX_SOURCE_LEN);
        // Truncation cannot happen: both are at most MAX_SOURCE_LEN.
        Span {
            start: start as u16,
            len: (end - start) as u16,
        }
    }

    fn range(self) -> Range<usize> {
        let start = usize::from(self.start);
        start..start + usize::from(self.len)
    }
}

/// An [`Entry`] packed into 8 bytes (an enum of it takes 10, and twelve of
/// them are inline in every list): `[name start, name length, value start,
/// value length]`, with the value length's top bit for `quoted`. A name is
/// never empty, so a zero name length marks `Own`, whose index is split
/// over the two start fields.
#[derive(Clone, Copy)]
struct Slot([u16; 4]);

impl Slot {
    const QUOTED: u16 = 0x8000;

    #[inline]
    fn pack(entry: Entry) -> Self {
        match entry {
            Entry::Source {
                name,
                value,
                quoted,
            } => {
                let flag = if quoted { Self::QUOTED } else { 0 };
                Slot([name.start, name.len, value.start, value.len | flag])
            }
            // Truncation is intended: the halves of the index.
            Entry::Own(index) => Slot([index as u16, 0, (index >> 16) as u16, 0]),
        }
    }

    #[inline]
    fn unpack(self) -> Entry {
        let [a, b, c, d] = self.0;
        if b == 0 {
            return Entry::Own(u32::from(a) | (u32::from(c) << 16));
        }
        Entry::Source {
            name: Span { start: a, len: b },
            value: Span {
                start: c,
                len: d & !Self::QUOTED,
            },
            quoted: d & Self::QUOTED != 0,
        }
    }
}

/// An ordered list of auth-params with case-insensitive lookup by name.
///
/// Parsing keeps up to twelve parameters without a heap allocation
/// (a quoted-string that has to be unescaped, or an RFC 8187 ext-value,
/// costs one). Lookups and iteration hand out [`ParamRef`] views.
///
/// # Examples
///
/// ```
/// use authscheme::syntax::parse_challenges;
/// let challenges = parse_challenges(b"Digest REALM=\"x\", qop=\"auth\"").unwrap();
/// let params = challenges[0].params();
/// assert_eq!(params.get_str("realm"), Some("x"));
/// assert_eq!(params.len(), 2);
/// ```
#[derive(Clone, Default)]
pub struct Params<'a> {
    /// The parsed input that `Entry::Source` positions point into.
    source: Cow<'a, str>,
    /// Parameters kept whole (`Entry::Own`).
    own: Vec<Param<'a>>,
    entries: SmallVec<[Slot; INLINE_PARAMS]>,
}

impl<'a> Params<'a> {
    /// An empty list.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{Param, Params};
    /// let mut params = Params::new();
    /// assert!(params.is_empty());
    /// params.set(Param::new("realm", "api").unwrap());
    /// assert_eq!(params.get_str("realm"), Some("api"));
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Lends the list the input its parameters are parsed from, so that
    /// they can be pushed by position ([`Params::push_source`]).
    pub(crate) fn borrow_source(&mut self, source: &'a str) {
        self.source = Cow::Borrowed(source);
    }

    #[inline]
    fn source(&self) -> &str {
        &self.source
    }

    /// The position of `bytes[start..end]` for [`Params::push_source`], when
    /// the list borrows an input whose length fits a `u32`.
    #[inline]
    pub(crate) fn span(&self, start: usize, end: usize) -> Option<Span> {
        if self.source.is_empty() || end > self.source.len().min(MAX_SOURCE_LEN) || start > end {
            return None;
        }
        Some(Span {
            start: u16::try_from(start).ok()?,
            len: u16::try_from(end - start).ok()?,
        })
    }

    /// Appends a parsed parameter lying in the borrowed input, without
    /// checking for a duplicate (the parser checks).
    #[inline]
    pub(crate) fn push_source(&mut self, name: Span, value: Span, quoted: bool) {
        self.entries.push(Slot::pack(Entry::Source {
            name,
            value,
            quoted,
        }));
    }

    /// Appends without checking for a duplicate (the parser checks).
    pub(crate) fn push_unchecked(&mut self, param: Param<'a>) {
        let index = self.keep(param);
        self.entries.push(Slot::pack(Entry::Own(index)));
    }

    fn keep(&mut self, param: Param<'a>) -> u32 {
        let index = u32::try_from(self.own.len()).unwrap_or(u32::MAX);
        self.own.push(param);
        index
    }

    #[inline]
    fn view(&self, entry: Entry) -> ParamRef<'_> {
        view(self.source(), &self.own, entry)
    }

    /// The parameter called `name` (ignoring ASCII case).
    ///
    /// # Examples
    ///
    /// ```
    /// let params = authscheme::syntax::parse_params(br#"Realm="api", nc=00000001"#).unwrap();
    /// let realm = params.get_param("realm").unwrap();
    /// assert_eq!((realm.name(), realm.is_quoted()), ("Realm", true));
    /// assert!(params.get_param("nonce").is_none());
    /// ```
    pub fn get_param(&self, name: &str) -> Option<ParamRef<'_>> {
        self.iter().find(|p| p.is(name))
    }

    /// The value of the parameter called `name` (ignoring ASCII case).
    ///
    /// # Examples
    ///
    /// ```
    /// let params = authscheme::syntax::parse_params(b"nc=00000001, x=\"\xE4\"").unwrap();
    /// assert_eq!(params.get("NC"), Some(&b"00000001"[..]));
    /// assert_eq!(params.get("x"), Some(&b"\xE4"[..]));
    /// assert_eq!(params.get("nonce"), None);
    /// ```
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.get_param(name).map(|p| p.value())
    }

    /// The value of `name` as text, when present and valid UTF-8.
    ///
    /// # Examples
    ///
    /// ```
    /// let params = authscheme::syntax::parse_params(b"nc=00000001, x=\"\xE4\"").unwrap();
    /// assert_eq!(params.get_str("nc"), Some("00000001"));
    /// assert_eq!(params.get_str("x"), None, "not UTF-8");
    /// ```
    pub fn get_str(&self, name: &str) -> Option<&str> {
        self.get_param(name).and_then(|p| p.value_str())
    }

    /// Whether a parameter called `name` (ignoring ASCII case) is present.
    /// The parser asks this for a parameter whose name may repeat one it
    /// has read (one of the same length and first letter), so positions are
    /// compared by length before any octet is read.
    ///
    /// # Examples
    ///
    /// ```
    /// let params = authscheme::syntax::parse_params(br#"realm="api", qop=auth"#).unwrap();
    /// assert!(params.contains("QOP"));
    /// assert!(!params.contains("nonce"));
    /// ```
    #[inline]
    pub fn contains(&self, name: &str) -> bool {
        self.entries.iter().any(|slot| match slot.unpack() {
            Entry::Source { name: span, .. } => {
                usize::from(span.len) == name.len()
                    && self
                        .source()
                        .as_bytes()
                        .get(span.range())
                        .is_some_and(|seen| same_name(seen, name.as_bytes()))
            }
            own @ Entry::Own(_) => self.view(own).is(name),
        })
    }

    /// The parameters in order.
    ///
    /// # Examples
    ///
    /// ```
    /// let params = authscheme::syntax::parse_params(br#"realm="api", qop=auth"#).unwrap();
    /// let pairs: Vec<(&str, &str)> = params.iter().map(|p| (p.name(), p.value_str().unwrap())).collect();
    /// assert_eq!(pairs, [("realm", "api"), ("qop", "auth")]);
    /// ```
    pub fn iter(&self) -> ParamsIter<'_> {
        ParamsIter {
            own: &self.own,
            source: self.source(),
            entries: self.entries.iter(),
        }
    }

    /// How many parameters there are.
    ///
    /// # Examples
    ///
    /// ```
    /// let params = authscheme::syntax::parse_params(br#"realm="api", qop=auth"#).unwrap();
    /// assert_eq!(params.len(), 2);
    /// ```
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{Challenge, Params};
    /// assert!(Params::new().is_empty());
    /// assert!(Challenge::parse(b"Bearer").unwrap().params().is_empty());
    /// assert!(!Challenge::parse(br#"Bearer realm="api""#).unwrap().params().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Appends a parameter, or replaces the one with the same name.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{Param, Params};
    /// let mut params = authscheme::syntax::parse_params(b"nc=00000001, qop=auth").unwrap();
    /// params.set(Param::new("NC", "00000002").unwrap());
    /// params.set(Param::quoted("rspauth", "ab").unwrap());
    /// assert_eq!(params.to_header_value(), r#"NC=00000002, qop=auth, rspauth="ab""#);
    /// ```
    pub fn set(&mut self, param: Param<'a>) {
        let same_name = self
            .entries
            .iter()
            .position(|slot| self.view(slot.unpack()).is(param.name()));
        let Some(at) = same_name else {
            return self.push_unchecked(param);
        };
        match self.entries[at].unpack() {
            Entry::Own(index) => {
                if let Some(slot) = self.own.get_mut(index as usize) {
                    *slot = param;
                }
            }
            Entry::Source { .. } => {
                let index = self.keep(param);
                self.entries[at] = Slot::pack(Entry::Own(index));
            }
        }
    }

    /// The wire form (`name=value, name=value`) as a [`HeaderValue`], as
    /// `Authentication-Info` carries it.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{Param, Params};
    /// let mut info = Params::new();
    /// info.set(Param::new("nc", "00000001").unwrap());
    /// info.set(Param::quoted("rspauth", "ab").unwrap());
    /// assert_eq!(info.to_header_value(), r#"nc=00000001, rspauth="ab""#);
    /// ```
    pub fn to_header_value(&self) -> HeaderValue {
        let mut out = Vec::with_capacity(
            self.iter()
                .map(|p| p.name().len() + p.value().len() + 5)
                .sum(),
        );
        crate::syntax::write_params(self, &mut out);
        crate::syntax::header_value(out)
    }

    /// Detaches the list from the input it borrows: one copy of that input
    /// (the positions stay valid in it) and of any parameter kept whole.
    ///
    /// # Examples
    ///
    /// ```
    /// let input = String::from(r#"realm="api", qop=auth"#);
    /// let params = authscheme::syntax::parse_params(input.as_bytes()).unwrap().into_owned();
    /// drop(input);
    /// assert_eq!(params.get_str("qop"), Some("auth"));
    /// ```
    pub fn into_owned(self) -> Params<'static> {
        Params {
            source: Cow::Owned(self.source.into_owned()),
            own: self.own.into_iter().map(Param::into_owned).collect(),
            entries: self.entries,
        }
    }
}

/// The parameter `entry` points to.
#[inline]
fn view<'p>(source: &'p str, own: &'p [Param<'_>], entry: Entry) -> ParamRef<'p> {
    match entry {
        Entry::Source {
            name,
            value,
            quoted,
        } => ParamRef {
            name: source.get(name.range()).unwrap_or_default(),
            // Values end at delimiters (quotes, commas, the end), so the
            // range always falls on character boundaries.
            value: Octets::Text(source.get(value.range()).unwrap_or_default()),
            quoted,
        },
        Entry::Own(index) => match own.get(index as usize) {
            Some(param) => param.as_param_ref(),
            None => ParamRef {
                name: "",
                value: Octets::Bytes(&[]),
                quoted: false,
            },
        },
    }
}

impl PartialEq for Params<'_> {
    /// Equal when the same parameters come in the same order (names
    /// ignoring case, values exactly; quoting aside).
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl Eq for Params<'_> {}

impl fmt::Debug for Params<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'p> IntoIterator for &'p Params<'_> {
    type Item = ParamRef<'p>;
    type IntoIter = ParamsIter<'p>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// The parameters of a [`Params`] list in order, from [`Params::iter`].
///
/// # Examples
///
/// ```
/// let params = authscheme::syntax::parse_params(b"a=1, b=2").unwrap();
/// let mut iter = params.iter();
/// assert_eq!(iter.len(), 2);
/// assert_eq!(iter.next().map(|p| p.name()), Some("a"));
/// ```
#[derive(Clone)]
pub struct ParamsIter<'p> {
    own: &'p [Param<'p>],
    source: &'p str,
    entries: std::slice::Iter<'p, Slot>,
}

impl<'p> Iterator for ParamsIter<'p> {
    type Item = ParamRef<'p>;

    #[inline]
    fn next(&mut self) -> Option<ParamRef<'p>> {
        let entry = self.entries.next()?.unpack();
        Some(view(self.source, self.own, entry))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.entries.size_hint()
    }
}

impl ExactSizeIterator for ParamsIter<'_> {}

impl FusedIterator for ParamsIter<'_> {}

impl fmt::Debug for ParamsIter<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParamsIter")
            .field("remaining", &self.entries.len())
            .finish()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::syntax::parse_params;

    #[test]
    fn parsed_parameters_keep_positions_or_whole_values() {
        // `a` and `c` are octets of the input; `b` had to be unescaped and
        // `d*` decoded, so they are kept whole.
        let input = br#"a=1, b="x\"y", c="plain", d*=UTF-8''%C3%A4"#;
        let params = parse_params(input).unwrap();
        assert!(matches!(params.entries[0].unpack(), Entry::Source { .. }));
        assert!(matches!(params.entries[1].unpack(), Entry::Own(_)));
        assert!(matches!(
            params.entries[2].unpack(),
            Entry::Source { quoted: true, .. }
        ));
        assert!(matches!(params.entries[3].unpack(), Entry::Own(_)));
        let seen: Vec<(&str, &[u8], bool)> = params
            .iter()
            .map(|p| (p.name(), p.value(), p.is_quoted()))
            .collect();
        assert_eq!(
            seen,
            [
                ("a", &b"1"[..], false),
                ("b", &b"x\"y"[..], true),
                ("c", &b"plain"[..], true),
                ("d*", "ä".as_bytes(), false),
            ]
        );
    }

    #[test]
    fn input_that_is_not_utf8_keeps_every_parameter_whole() {
        let params = parse_params(b"a=1, b=\"\xE4\"").unwrap();
        assert!(
            params
                .entries
                .iter()
                .all(|e| matches!(e.unpack(), Entry::Own(_)))
        );
        assert_eq!(params.get("b"), Some(&b"\xE4"[..]));
        assert_eq!(params.get_str("A"), Some("1"));
    }

    #[test]
    fn a_long_input_keeps_its_parameters_whole_and_whole_values_right() {
        let long = "x".repeat(MAX_SOURCE_LEN);
        let input = format!("a=1, b=\"{long}\", c=3");
        let params = parse_params(input.as_bytes()).unwrap();
        assert!(
            params
                .entries
                .iter()
                .all(|e| matches!(e.unpack(), Entry::Own(_)))
        );
        assert_eq!(params.get("b"), Some(long.as_bytes()));
        assert_eq!(params.get_str("c"), Some("3"));
        // At the limit, positions are used up to the last octet.
        let input = format!("a=\"{}\"", &long[..MAX_SOURCE_LEN - 4]);
        let params = parse_params(input.as_bytes()).unwrap();
        assert!(matches!(
            params.entries[0].unpack(),
            Entry::Source { quoted: true, .. }
        ));
        assert_eq!(params.get("a").map(<[u8]>::len), Some(MAX_SOURCE_LEN - 4));
    }

    #[test]
    fn own_indices_survive_packing() {
        for index in [0, 1, 0xFFFF, 0x1_0000, 0x1234_5678, u32::MAX] {
            assert!(matches!(Slot::pack(Entry::Own(index)).unpack(), Entry::Own(i) if i == index));
        }
    }

    #[test]
    fn set_replaces_a_parsed_parameter_in_place_and_keeps_the_order() {
        let mut params = parse_params(b"nc=00000001, qop=auth, cnonce=abc").unwrap();
        params.set(Param::new("QOP", "auth-int").unwrap());
        params.set(Param::new("qop", "auth").unwrap());
        params.set(Param::new("rspauth", "ff").unwrap());
        let names: Vec<&str> = params.iter().map(|p| p.name()).collect();
        assert_eq!(names, ["nc", "qop", "cnonce", "rspauth"]);
        assert_eq!(params.get_str("qop"), Some("auth"));
        // Replacing a parameter already kept whole reuses its slot.
        assert_eq!(params.own.len(), 2);
    }

    #[test]
    fn owned_copies_equal_the_parsed_list() {
        let input = br#"realm="Dev zone", b="x\"y", n=1"#.to_vec();
        let parsed = parse_params(&input).unwrap();
        let owned = parsed.clone().into_owned();
        drop(parsed);
        assert_eq!(owned, parse_params(&input).unwrap());
        assert!(!owned.contains("missing"));
        assert!(owned.contains("REALM"));
        assert_eq!(owned.iter().len(), 3);
    }

    #[test]
    fn a_parsed_list_is_a_fraction_of_one_made_of_params() {
        // What the representation is for: a Digest `Authorization` (eleven
        // parameters) fits inline in well under the 12 * 56 bytes twelve
        // `Param`s would take.
        assert_eq!(std::mem::size_of::<Slot>(), 8);
        assert!(std::mem::size_of::<Params<'_>>() <= 160);
    }
}
