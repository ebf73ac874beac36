//! The Digest computations of RFC 7616 section 3.4: HA1, HA2, the response,
//! `rspauth` and `userhash`. Both the server and the client use these.

use crate::algorithm::{Algorithm, HexDigest};

/// The quality of protection (RFC 7616 section 3.3).
///
/// # Examples
///
/// ```
/// use authscheme_digest::Qop;
/// assert_eq!(Qop::parse("AUTH-INT"), Some(Qop::AuthInt));
/// assert_eq!(Qop::Auth.as_str(), "auth");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Qop {
    /// `auth`: authentication only.
    Auth,
    /// `auth-int`: authentication plus a hash of the body.
    AuthInt,
}

impl Qop {
    /// Parses a qop value, ignoring ASCII case.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::Qop;
    /// assert_eq!(Qop::parse("auth"), Some(Qop::Auth));
    /// assert_eq!(Qop::parse("Auth-Int"), Some(Qop::AuthInt));
    /// assert_eq!(Qop::parse("auth-conf"), None);
    /// ```
    pub fn parse(value: &str) -> Option<Self> {
        if value.eq_ignore_ascii_case("auth") {
            Some(Qop::Auth)
        } else if value.eq_ignore_ascii_case("auth-int") {
            Some(Qop::AuthInt)
        } else {
            None
        }
    }

    /// The wire spelling.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_digest::Qop;
    /// assert_eq!(Qop::AuthInt.as_str(), "auth-int");
    /// assert_eq!(Qop::parse(Qop::Auth.as_str()), Some(Qop::Auth));
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Qop::Auth => "auth",
            Qop::AuthInt => "auth-int",
        }
    }
}

/// `H(username ":" realm ":" password)`, the HA1 of the plain algorithm.
///
/// # Examples
///
/// ```
/// use authscheme_digest::{compute, Algorithm};
/// let ha1 = compute::ha1(Algorithm::Md5, "Mufasa", "testrealm@host.com", "Circle Of Life");
/// assert_eq!(ha1.as_str(), "939e7578ed9e3c518a452acee763bce9");
/// ```
pub fn ha1(algorithm: Algorithm, username: &str, realm: &str, password: &str) -> HexDigest {
    ha1_octets(
        algorithm,
        username.as_bytes(),
        realm.as_bytes(),
        password.as_bytes(),
    )
}

/// [`ha1`] over octets: a realm need not be UTF-8 (obs-text), and A1 hashes
/// it as sent.
pub(crate) fn ha1_octets(
    algorithm: Algorithm,
    username: &[u8],
    realm: &[u8],
    password: &[u8],
) -> HexDigest {
    algorithm.hash_parts(&[username, realm, password])
}

/// The HA1 used in the response: for `-sess` algorithms
/// `H(HA1 ":" nonce ":" cnonce)`, otherwise `ha1` itself.
///
/// # Examples
///
/// ```
/// use authscheme_digest::{compute, Algorithm};
/// let ha1 = compute::ha1(Algorithm::Md5, "Mufasa", "testrealm@host.com", "Circle Of Life");
/// assert_eq!(compute::session_ha1(Algorithm::Md5, &ha1, "nonce", "cnonce"), ha1);
/// let sess = compute::session_ha1(Algorithm::Md5Sess, &ha1, "nonce", "cnonce");
/// assert_eq!(sess, Algorithm::Md5.hash_parts(&[ha1.as_bytes(), b"nonce", b"cnonce"]));
/// ```
pub fn session_ha1(algorithm: Algorithm, ha1: &HexDigest, nonce: &str, cnonce: &str) -> HexDigest {
    session_ha1_octets(algorithm, ha1, nonce.as_bytes(), cnonce)
}

/// [`session_ha1`] with the nonce as octets.
pub(crate) fn session_ha1_octets(
    algorithm: Algorithm,
    ha1: &HexDigest,
    nonce: &[u8],
    cnonce: &str,
) -> HexDigest {
    if algorithm.is_session() {
        algorithm.hash_parts(&[ha1.as_bytes(), nonce, cnonce.as_bytes()])
    } else {
        *ha1
    }
}

/// `H(method ":" uri)`, or with `auth-int` `H(method ":" uri ":" H(body))`.
/// `body` is ignored for `auth` and absent qop.
///
/// # Examples
///
/// ```
/// use authscheme_digest::{compute, Algorithm, Qop};
/// let alg = Algorithm::Md5;
/// let ha2 = compute::ha2(alg, Some(Qop::Auth), "GET", "/dir/index.html", b"ignored");
/// assert_eq!(ha2.as_str(), "39aff3a2bab6126f332b942af96d3366");
/// let int = compute::ha2(alg, Some(Qop::AuthInt), "POST", "/form", b"a=1");
/// assert_eq!(int, alg.hash_parts(&[b"POST", b"/form", alg.hash(b"a=1").as_bytes()]));
/// ```
pub fn ha2(
    algorithm: Algorithm,
    qop: Option<Qop>,
    method: &str,
    uri: &str,
    body: &[u8],
) -> HexDigest {
    match qop {
        Some(Qop::AuthInt) => {
            let body_hash = algorithm.hash(body);
            algorithm.hash_parts(&[method.as_bytes(), uri.as_bytes(), body_hash.as_bytes()])
        }
        _ => algorithm.hash_parts(&[method.as_bytes(), uri.as_bytes()]),
    }
}

/// What the client adds with a qop: the nonce count and client nonce.
///
/// # Examples
///
/// ```
/// use authscheme_digest::{compute::{self, QopParts}, Algorithm, Qop};
/// let alg = Algorithm::Md5;
/// let ha1 = compute::ha1(alg, "Mufasa", "testrealm@host.com", "Circle Of Life");
/// let ha2 = compute::ha2(alg, Some(Qop::Auth), "GET", "/dir/index.html", b"");
/// let parts = QopParts { qop: Qop::Auth, nc: "00000001", cnonce: "0a4f113b" };
/// let r = compute::response(alg, &ha1, "nonce", Some(parts), &ha2);
/// let kd = [ha1.as_bytes(), b"nonce", b"00000001", b"0a4f113b", b"auth", ha2.as_bytes()];
/// assert_eq!(r, alg.hash_parts(&kd));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct QopParts<'a> {
    /// The qop chosen.
    pub qop: Qop,
    /// `nc`, eight hex digits as sent.
    pub nc: &'a str,
    /// `cnonce` as sent.
    pub cnonce: &'a str,
}

/// The request digest: `KD(HA1, nonce ":" nc ":" cnonce ":" qop ":" HA2)`,
/// or without qop (RFC 2069) `KD(HA1, nonce ":" HA2)`. `ha1` is already the
/// session HA1 for `-sess` algorithms.
///
/// # Examples
///
/// ```
/// use authscheme_digest::{compute, Algorithm, Qop};
/// let alg = Algorithm::Md5;
/// let ha1 = compute::ha1(alg, "Mufasa", "testrealm@host.com", "Circle Of Life");
/// let ha2 = compute::ha2(alg, Some(Qop::Auth), "GET", "/dir/index.html", b"");
/// let qop = compute::QopParts { qop: Qop::Auth, nc: "00000001", cnonce: "0a4f113b" };
/// let r = compute::response(alg, &ha1, "dcd98b7102dd2f0e8b11d0f600bfb0c093", Some(qop), &ha2);
/// assert_eq!(r.as_str(), "6629fae49393a05397450978507c4ef1");
/// ```
pub fn response(
    algorithm: Algorithm,
    ha1: &HexDigest,
    nonce: &str,
    qop: Option<QopParts<'_>>,
    ha2: &HexDigest,
) -> HexDigest {
    response_octets(algorithm, ha1, nonce.as_bytes(), qop, ha2)
}

/// [`response`] with the nonce as octets.
pub(crate) fn response_octets(
    algorithm: Algorithm,
    ha1: &HexDigest,
    nonce: &[u8],
    qop: Option<QopParts<'_>>,
    ha2: &HexDigest,
) -> HexDigest {
    response_spelled(algorithm, ha1, nonce, qop.map(|q| (q, q.qop.as_str())), ha2)
}

/// [`response`] with the nonce as octets and the qop hashed as `spelled`:
/// a server recomputes a client's response with the qop value the client
/// sent, which went into its KD as sent (`unq(qop-value)`, RFC 7616
/// section 3.4.1). A client that answers `qop=AUTH` has hashed `AUTH`,
/// and Apache httpd accepts it so.
pub(crate) fn response_spelled(
    algorithm: Algorithm,
    ha1: &HexDigest,
    nonce: &[u8],
    qop: Option<(QopParts<'_>, &str)>,
    ha2: &HexDigest,
) -> HexDigest {
    match qop {
        Some((q, spelled)) => algorithm.hash_parts(&[
            ha1.as_bytes(),
            nonce,
            q.nc.as_bytes(),
            q.cnonce.as_bytes(),
            spelled.as_bytes(),
            ha2.as_bytes(),
        ]),
        None => algorithm.hash_parts(&[ha1.as_bytes(), nonce, ha2.as_bytes()]),
    }
}

/// The server's proof in `Authentication-Info` (RFC 7616 section 3.5) for
/// `qop=auth`: the response computed with `A2 = ":" uri`.
///
/// # Examples
///
/// ```
/// use authscheme_digest::{compute::{self, QopParts}, Algorithm, Qop};
/// let alg = Algorithm::Md5;
/// let ha1 = compute::ha1(alg, "Mufasa", "testrealm@host.com", "Circle Of Life");
/// let nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093";
/// let parts = QopParts { qop: Qop::Auth, nc: "00000001", cnonce: "0a4f113b" };
/// let proof = compute::rspauth(alg, &ha1, nonce, parts, "/dir/index.html");
/// assert_eq!(proof.as_str(), "376602cfd2f4e8e5e78b948a85263e85");
/// let ha2 = compute::ha2(alg, Some(Qop::Auth), "", "/dir/index.html", b"");
/// assert_eq!(proof, compute::response(alg, &ha1, nonce, Some(parts), &ha2));
/// ```
pub fn rspauth(
    algorithm: Algorithm,
    ha1: &HexDigest,
    nonce: &str,
    qop: QopParts<'_>,
    uri: &str,
) -> HexDigest {
    rspauth_octets(algorithm, ha1, nonce.as_bytes(), qop, uri)
}

/// [`rspauth`] with the nonce as octets.
pub(crate) fn rspauth_octets(
    algorithm: Algorithm,
    ha1: &HexDigest,
    nonce: &[u8],
    qop: QopParts<'_>,
    uri: &str,
) -> HexDigest {
    rspauth_spelled(algorithm, ha1, nonce, qop, qop.qop.as_str(), uri)
}

/// [`rspauth_octets`] with the qop hashed as `spelled`, the client's own
/// spelling, which it hashes when it checks the proof (see
/// [`response_spelled`]).
pub(crate) fn rspauth_spelled(
    algorithm: Algorithm,
    ha1: &HexDigest,
    nonce: &[u8],
    qop: QopParts<'_>,
    spelled: &str,
    uri: &str,
) -> HexDigest {
    let ha2 = algorithm.hash_parts(&[b"", uri.as_bytes()]);
    response_spelled(algorithm, ha1, nonce, Some((qop, spelled)), &ha2)
}

/// `H(username ":" realm)` (RFC 7616 section 3.4.4).
///
/// # Examples
///
/// ```
/// use authscheme_digest::{compute, Algorithm};
/// let h = compute::userhash(Algorithm::Md5, "Mufasa", "http-auth@example.org");
/// assert_eq!(h.as_str(), "4238f3a16167373febb9bc4d43db9cc4");
/// ```
pub fn userhash(algorithm: Algorithm, username: &str, realm: &str) -> HexDigest {
    userhash_octets(algorithm, username.as_bytes(), realm.as_bytes())
}

/// [`userhash`] over octets (the realm as sent).
pub(crate) fn userhash_octets(algorithm: Algorithm, username: &[u8], realm: &[u8]) -> HexDigest {
    algorithm.hash_parts(&[username, realm])
}
