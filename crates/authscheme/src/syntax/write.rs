//! Writing challenges, credentials and parameter lists.
//!
//! Values are written as a token when they are one and nothing asks for
//! quotes; `realm` is always quoted (RFC 9110 section 11.5). Quoted-strings
//! escape `"` and `\`. Ext-value parameters (`name*`) are encoded per RFC 8187.

use super::{encode_ext_value, is_token};
use crate::auth_value::{AuthValue, Challenge};
use crate::param::{Param, Params};

/// Appends one challenge or credentials value.
pub(crate) fn write_auth_value(value: &AuthValue<'_>, out: &mut Vec<u8>) {
    out.extend_from_slice(value.scheme.as_str().as_bytes());
    if let Some(token68) = &value.token68 {
        out.push(b' ');
        out.extend_from_slice(token68.as_bytes());
    } else if !value.params.is_empty() {
        out.push(b' ');
        write_params(&value.params, out);
    }
}

/// Appends `name=value, name=value`.
///
/// # Examples
///
/// ```
/// use authscheme::{syntax, Param, Params};
/// let mut params = Params::new();
/// params.set(Param::new("nc", "00000001").unwrap());
/// params.set(Param::new("rspauth", "a \"b\"").unwrap());
/// let mut out = Vec::new();
/// syntax::write_params(&params, &mut out);
/// assert_eq!(out, br#"nc=00000001, rspauth="a \"b\"""#);
/// ```
pub fn write_params(params: &Params<'_>, out: &mut Vec<u8>) {
    for (i, param) in params.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b", ");
        }
        write_param(param, out);
    }
}

fn write_param(param: &Param<'_>, out: &mut Vec<u8>) {
    out.extend_from_slice(param.name().as_bytes());
    out.push(b'=');
    if param.is_ext() {
        // Param construction guarantees UTF-8 for ext-values.
        encode_ext_value(param.value_str().unwrap_or_default(), out);
        return;
    }
    let value = param.value();
    if !param.is_quoted() && !param.is("realm") && is_token(value) {
        out.extend_from_slice(value);
        return;
    }
    out.push(b'"');
    let mut rest = value;
    while let Some(i) = memchr::memchr2(b'"', b'\\', rest) {
        out.extend_from_slice(&rest[..i]);
        out.push(b'\\');
        out.push(rest[i]);
        rest = &rest[i + 1..];
    }
    out.extend_from_slice(rest);
    out.push(b'"');
}

/// About how many octets `value` takes on the wire, to allocate once.
pub(crate) fn wire_len_hint(value: &AuthValue<'_>) -> usize {
    let token68 = value.token68.as_ref().map_or(0, |t| t.len() + 1);
    let params: usize = value
        .params
        .iter()
        .map(|p| p.name().len() + p.value().len() + 5)
        .sum();
    value.scheme.as_str().len() + token68 + params
}

/// Appends several challenges joined on one field line (`, `). Most servers
/// should send one field line per challenge instead, because browsers read
/// only one challenge per line; this is for the clients that need one line.
///
/// # Examples
///
/// ```
/// use authscheme::{syntax, Challenge, SchemeName};
/// let basic = Challenge::builder(SchemeName::BASIC).param("realm", "x").build().unwrap();
/// let bearer = Challenge::new(SchemeName::BEARER);
/// let mut out = Vec::new();
/// syntax::write_challenges(&[basic, bearer], &mut out);
/// assert_eq!(out, br#"Basic realm="x", Bearer"#);
/// ```
pub fn write_challenges(challenges: &[Challenge<'_>], out: &mut Vec<u8>) {
    for (i, challenge) in challenges.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b", ");
        }
        write_auth_value(&challenge.0, out);
    }
}
