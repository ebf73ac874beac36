//! RFC 8187 ext-values: `charset "'" [ language ] "'" value-chars`.

use std::borrow::Cow;

/// attr-char = ALPHA / DIGIT / "!" / "#" / "$" / "&" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
fn is_attr_char(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'!' | b'#' | b'$' | b'&' | b'+' | b'-' | b'.' | b'^' | b'_' | b'`' | b'|' | b'~'
        )
}

/// The shape of an RFC 5646 Language-Tag: subtags of one to eight
/// letters and digits joined by single hyphens, the first a language of
/// two to eight letters, or `x` (private use) or `i` (the irregular
/// grandfathered tags) with more subtags after it. The registry behind
/// the subtags is not consulted: the language of an ext-value is only
/// passed on, never acted upon.
fn is_language_tag(tag: &[u8]) -> bool {
    let subtag = |s: &[u8]| (1..=8).contains(&s.len()) && s.iter().all(u8::is_ascii_alphanumeric);
    let mut subtags = tag.split(|&b| b == b'-');
    let first = subtags.next().unwrap_or_default();
    let prefix = first.eq_ignore_ascii_case(b"x") || first.eq_ignore_ascii_case(b"i");
    let first_ok = if prefix {
        tag.len() > first.len()
    } else {
        (2..=8).contains(&first.len()) && first.iter().all(u8::is_ascii_alphabetic)
    };
    first_ok && subtags.all(subtag)
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes an ext-value into text. `UTF-8` and `ISO-8859-1` are the
/// charsets RFC 8187 requires recipients to support; others are refused.
/// The result borrows from `raw` when nothing needed decoding.
///
/// # Errors
///
/// A short reason when the ext-value is malformed, names another charset,
/// or decodes to invalid UTF-8.
///
/// # Examples
///
/// ```
/// use authscheme::syntax::decode_ext_value;
/// assert_eq!(decode_ext_value(b"UTF-8''J%C3%A4s%C3%B8n%20Doe").unwrap(), "Jäsøn Doe");
/// assert_eq!(decode_ext_value(b"iso-8859-1'en'%A3%20rates").unwrap(), "£ rates");
/// assert!(decode_ext_value(b"UTF-8''%C3%28").is_err());
/// ```
pub fn decode_ext_value(raw: &[u8]) -> Result<Cow<'_, str>, &'static str> {
    let first = raw
        .iter()
        .position(|&b| b == b'\'')
        .ok_or("missing the ' after the charset")?;
    let charset = &raw[..first];
    let rest = &raw[first + 1..];
    let second = rest
        .iter()
        .position(|&b| b == b'\'')
        .ok_or("missing the ' after the language")?;
    let language = &rest[..second];
    let chars = &rest[second + 1..];
    if charset.is_empty() {
        return Err("missing charset");
    }
    if !language.is_empty() && !is_language_tag(language) {
        return Err("invalid language tag");
    }
    let utf8 = if charset.eq_ignore_ascii_case(b"UTF-8") {
        true
    } else if charset.eq_ignore_ascii_case(b"ISO-8859-1") {
        false
    } else {
        return Err("unsupported charset (only UTF-8 and ISO-8859-1)");
    };
    let mut octets: Option<Vec<u8>> = None;
    let mut i = 0;
    while i < chars.len() {
        let b = chars[i];
        if b == b'%' {
            let hi = chars.get(i + 1).copied().and_then(hex);
            let lo = chars.get(i + 2).copied().and_then(hex);
            let (Some(hi), Some(lo)) = (hi, lo) else {
                return Err("'%' must be followed by two hex digits");
            };
            octets
                .get_or_insert_with(|| chars[..i].to_vec())
                .push(hi << 4 | lo);
            i += 3;
        } else if is_attr_char(b) {
            if let Some(o) = octets.as_mut() {
                o.push(b);
            }
            i += 1;
        } else {
            return Err("character not allowed in an ext-value");
        }
    }
    if utf8 {
        match octets {
            None => super::as_text(chars)
                .map(Cow::Borrowed)
                .ok_or("not valid UTF-8"),
            Some(o) => String::from_utf8(o)
                .map(Cow::Owned)
                .map_err(|_| "not valid UTF-8"),
        }
    } else {
        let o = octets.unwrap_or_else(|| chars.to_vec());
        Ok(Cow::Owned(o.iter().map(|&b| char::from(b)).collect()))
    }
}

/// Encodes text as a UTF-8 ext-value with no language: `UTF-8''...`.
///
/// # Examples
///
/// ```
/// use authscheme::syntax::encode_ext_value;
/// let mut out = Vec::new();
/// encode_ext_value("Jäsøn Doe", &mut out);
/// assert_eq!(out, b"UTF-8''J%C3%A4s%C3%B8n%20Doe");
/// ```
pub fn encode_ext_value(text: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    out.extend_from_slice(b"UTF-8''");
    for &b in text.as_bytes() {
        if is_attr_char(b) {
            out.push(b);
        } else {
            out.extend_from_slice(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn language_tags_have_the_rfc_5646_shape() {
        for good in [
            "en",
            "en-US",
            "de-CH-1901",
            "zh-Hant-TW",
            "x-private",
            "i-klingon",
            "sgn-BE-FR",
            "EN",
        ] {
            assert!(is_language_tag(good.as_bytes()), "{good}");
        }
        for bad in [
            "e",
            "1",
            "123456789",
            "abcdefghi",
            "-en",
            "en-",
            "en--US",
            "en_US",
            "x",
            "en-abcdefghi",
            "%",
        ] {
            assert!(!is_language_tag(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn an_ext_value_with_a_malformed_language_is_refused() {
        assert_eq!(decode_ext_value(b"UTF-8'en-US'a").unwrap(), "a");
        assert_eq!(decode_ext_value(b"UTF-8''a").unwrap(), "a");
        assert!(decode_ext_value(b"UTF-8'en--US'a").is_err());
        assert!(decode_ext_value(b"UTF-8'-en'a").is_err());
    }
}
