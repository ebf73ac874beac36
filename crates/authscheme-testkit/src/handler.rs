//! The handler contract: what every route's handler answers, in every
//! framework, so responses can be compared byte for byte.

/// The body every scenario route's handler must answer with, status `200`.
///
/// The handler receives the identity the adapter made available (`None` on
/// an optional route without credentials) and the request body exactly as
/// the adapter handed it on (after any buffering for `auth-int`). The
/// answer is `identity=<name or ->`, a newline, `body-length=<n>`, a
/// newline, then the body bytes themselves, so the suite sees whether the
/// body survived authentication intact.
///
/// # Examples
///
/// ```
/// use authscheme_testkit::{Principal, handler_body};
/// let alice = Principal::new("alice");
/// assert_eq!(handler_body(Some(&alice), b"hi"), b"identity=alice\nbody-length=2\nhi");
/// assert_eq!(handler_body(None, b""), b"identity=-\nbody-length=0\n");
/// ```
pub fn handler_body(identity: Option<&crate::Principal>, request_body: &[u8]) -> Vec<u8> {
    let name = identity.map_or("-", crate::Principal::name);
    let mut out = format!("identity={name}\nbody-length={}\n", request_body.len()).into_bytes();
    out.extend_from_slice(request_body);
    out
}
