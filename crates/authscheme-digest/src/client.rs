//! The client side: [`DigestClient`] rates and answers Digest challenges;
//! a [`DigestSession`] keeps the nonce and counts `nc` for one protection
//! space.

use std::borrow::Cow;
use std::collections::{HashMap, VecDeque};
use std::sync::Arc;

use authscheme::syntax::{self, AuthValueWriter};
use authscheme::{
    Challenge, ClientCredentials, ClientError, ClientRequest, ClientScheme, ClientSession,
    Credentials, Params, Rechallenge, SchemeName, Secret,
};
use foldhash::fast::RandomState;
use http::HeaderValue;
use unicode_normalization::UnicodeNormalization;

use crate::algorithm::{Algorithm, HexDigest};
use crate::compute::{self, Qop, QopParts};

/// How many answered requests a session keeps, by default, while they
/// await their `Authentication-Info` (see [`DigestClient::max_unanswered`]).
const MAX_UNANSWERED: usize = 1024;

/// The Digest scheme on the client.
///
/// It answers every algorithm of RFC 7616 and each `-sess` variant, ranking
/// `SHA-512-256` above `SHA-256` above `MD5`, with `qop=auth` or `auth-int`.
///
/// # Examples
///
/// ```
/// use authscheme::{syntax::parse_challenge_lines, choose, ClientCredentials, ClientScheme};
/// use authscheme_digest::DigestClient;
/// let offered = parse_challenge_lines([
///     &br#"Digest realm="api", qop="auth", algorithm=MD5, nonce="a""#[..],
///     br#"Digest realm="api", qop="auth", algorithm=SHA-256, nonce="b""#,
/// ]).unwrap();
/// let creds = ClientCredentials::password("alice", "wonderland");
/// let digest = DigestClient::new();
/// let schemes: [&dyn ClientScheme; 1] = [&digest];
/// let (index, _) = choose(&offered, &schemes, &creds).unwrap();
/// assert_eq!(index, 1, "SHA-256 beats MD5");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct DigestClient {
    avoid_auth_int: bool,
    max_unanswered: usize,
}

impl Default for DigestClient {
    fn default() -> Self {
        Self {
            avoid_auth_int: false,
            max_unanswered: MAX_UNANSWERED,
        }
    }
}

impl DigestClient {
    /// A client that uses `auth-int` when the server offers it and the body
    /// is known, and `auth` otherwise.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{Challenge, ClientCredentials, ClientRequest, ClientScheme};
    /// use authscheme_digest::DigestClient;
    /// let challenge = Challenge::parse(br#"Digest realm="api", qop="auth, auth-int", nonce="n""#).unwrap();
    /// let creds = ClientCredentials::password("alice", "wonderland");
    /// let mut session = DigestClient::new().start(&challenge, &creds).unwrap();
    /// let post = session.authorize(&ClientRequest::new("POST", "/a").with_body(b"x=1")).unwrap();
    /// assert_eq!(post.param_str("qop"), Some("auth-int"));
    /// let get = session.authorize(&ClientRequest::new("GET", "/a")).unwrap();
    /// assert_eq!(get.param_str("qop"), Some("auth"));
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Uses `auth` whenever it is offered, even with a known body (some
    /// servers offer `auth-int` but hash the body differently).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{Challenge, ClientCredentials, ClientRequest, ClientScheme};
    /// use authscheme_digest::DigestClient;
    /// let challenge = Challenge::parse(br#"Digest realm="api", qop="auth, auth-int", nonce="n""#).unwrap();
    /// let creds = ClientCredentials::password("alice", "wonderland");
    /// let mut session = DigestClient::new().avoid_auth_int().start(&challenge, &creds).unwrap();
    /// let post = session.authorize(&ClientRequest::new("POST", "/a").with_body(b"x=1")).unwrap();
    /// assert_eq!(post.param_str("qop"), Some("auth"));
    /// ```
    pub fn avoid_auth_int(mut self) -> Self {
        self.avoid_auth_int = true;
        self
    }

    /// How many answered requests a session keeps while they await their
    /// `Authentication-Info` (1024 unless set; at least 1).
    ///
    /// A session answers every request sent to its protection space, so
    /// under concurrency many answers are out at once and their
    /// `Authentication-Info` comes back in any order. Each one takes its
    /// request out again, found by the `cnonce` and `nc` it echoes, so
    /// against a server that answers every request the session holds
    /// exactly the requests in flight. A request whose response carries no
    /// `Authentication-Info` (a server that sends none, a `stale=true` 401
    /// that was retried, a connection that failed) is never taken out, so
    /// the session holds at most `n`: when full it forgets the oldest
    /// quarter. Set `n` well above the most requests the program keeps in
    /// flight on one space. An `rspauth` for a forgotten request cannot be
    /// checked ([`ClientError::CannotVerify`], which callers treat as a
    /// response without `Authentication-Info`); one for a request the
    /// session never sent, or whose proof it already checked, is
    /// [`ClientError::ServerNotAuthenticated`].
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{Challenge, ClientCredentials, ClientError, ClientRequest, ClientScheme};
    /// use authscheme::syntax::parse_params;
    /// use authscheme_digest::DigestClient;
    /// let challenge = Challenge::parse(br#"Digest realm="api", qop="auth", nonce="n""#).unwrap();
    /// let creds = ClientCredentials::password("alice", "wonderland");
    /// let get = ClientRequest::new("GET", "/a");
    /// for (client, forgotten) in [(DigestClient::new(), false), (DigestClient::new().max_unanswered(2), true)] {
    ///     let mut session = client.start(&challenge, &creds).unwrap();
    ///     let first = session.authorize(&get).unwrap();
    ///     for _ in 0..2 {
    ///         session.authorize(&get).unwrap();
    ///     }
    ///     // A wrong proof for the first of three requests still out.
    ///     let info = format!(
    ///         r#"rspauth="{}", qop=auth, cnonce="{}", nc=00000001"#,
    ///         "0".repeat(32),
    ///         first.param_str("cnonce").unwrap(),
    ///     );
    ///     let info = parse_params(info.as_bytes()).unwrap();
    ///     match session.absorb_info(&info, &get) {
    ///         Err(ClientError::CannotVerify(_)) => assert!(forgotten, "only past the limit"),
    ///         Err(ClientError::ServerNotAuthenticated(_)) => assert!(!forgotten, "caught"),
    ///         other => panic!("{other:?}"),
    ///     }
    /// }
    /// ```
    pub fn max_unanswered(mut self, n: usize) -> Self {
        self.max_unanswered = n.max(1);
        self
    }
}

/// What the session needs from a challenge.
///
/// The realm, nonce and opaque are the octets the server sent (a field
/// value need not be UTF-8: Apache sends an `AuthName` as its raw
/// ISO-8859-1 octets): each is echoed as it came, and A1 and `userhash`
/// hash the realm's octets (RFC 7616 section 3.4).
#[derive(Debug, Clone)]
struct Offer {
    realm: Box<[u8]>,
    /// Shared with every [`Sent`] record made under it.
    nonce: Arc<[u8]>,
    opaque: Option<Box<[u8]>>,
    algorithm: Algorithm,
    /// The server's spelling, echoed back; `None` when it sent none.
    algorithm_text: Option<String>,
    auth: bool,
    auth_int: bool,
    utf8: bool,
    userhash: bool,
}

fn flag(challenge: &Challenge<'_>, name: &str) -> bool {
    challenge
        .param(name)
        .is_some_and(|v| v.eq_ignore_ascii_case(b"true"))
}

/// A parameter that must be text when present (`algorithm`, `qop`): one
/// that is not is unsupported, not absent (absent would mean MD5, or no
/// qop at all).
fn text_param<'c>(
    challenge: &'c Challenge<'_>,
    name: &str,
) -> Result<Option<&'c str>, ClientError> {
    match (challenge.param(name), challenge.param_str(name)) {
        (Some(_), None) => Err(ClientError::Unsupported(format!(
            "Digest {name} that is not UTF-8"
        ))),
        (_, text) => Ok(text),
    }
}

impl Offer {
    fn read(challenge: &Challenge<'_>) -> Result<Self, ClientError> {
        if !challenge.scheme().is("digest") {
            return Err(ClientError::NoUsableChallenge);
        }
        let algorithm_text = text_param(challenge, "algorithm")?.map(str::to_owned);
        let algorithm = match &algorithm_text {
            None => Algorithm::Md5,
            Some(a) => Algorithm::parse(a)
                .ok_or_else(|| ClientError::Unsupported(format!("Digest algorithm {a}")))?,
        };
        let (mut auth, mut auth_int) = (false, false);
        if let Some(qops) = text_param(challenge, "qop")? {
            for q in qops.split(',').map(str::trim) {
                match Qop::parse(q) {
                    Some(Qop::Auth) => auth = true,
                    Some(Qop::AuthInt) => auth_int = true,
                    _ => {}
                }
            }
            if !auth && !auth_int {
                return Err(ClientError::Unsupported(format!("Digest qop {qops}")));
            }
        }
        // A `-sess` A1 hashes the client's cnonce, which is sent only with
        // a qop (RFC 7616 section 3.4.2): without one the server cannot
        // know what was hashed.
        if algorithm.is_session() && !auth && !auth_int {
            return Err(ClientError::Unsupported(format!(
                "Digest {} without qop",
                algorithm.as_str()
            )));
        }
        Ok(Self {
            // Not `realm()`, which is `None` for a realm that is not UTF-8.
            realm: challenge.param("realm").unwrap_or_default().into(),
            nonce: challenge
                .param("nonce")
                .ok_or(ClientError::Unsupported(
                    "Digest challenge without nonce".into(),
                ))?
                .into(),
            opaque: challenge.param("opaque").map(Into::into),
            algorithm,
            algorithm_text,
            auth,
            auth_int,
            utf8: challenge
                .param("charset")
                .is_some_and(|v| v.eq_ignore_ascii_case(b"UTF-8")),
            userhash: flag(challenge, "userhash"),
        })
    }
}

impl ClientScheme for DigestClient {
    fn name(&self) -> SchemeName<'static> {
        SchemeName::DIGEST
    }

    fn rank(&self, challenge: &Challenge<'_>, credentials: &ClientCredentials) -> Option<u32> {
        credentials.user()?;
        credentials.password_secret()?;
        let offer = Offer::read(challenge).ok()?;
        Some(200 + 10 * offer.algorithm.strength())
    }

    fn start(
        &self,
        challenge: &Challenge<'_>,
        credentials: &ClientCredentials,
    ) -> Result<Box<dyn ClientSession>, ClientError> {
        let user = credentials
            .user()
            .ok_or(ClientError::MissingCredentials("user name"))?;
        let password = credentials
            .password_secret()
            .ok_or(ClientError::MissingCredentials("password"))?;
        let offer = Offer::read(challenge)?;
        // RFC 7616 section 4: under `charset=UTF-8` the name and password
        // are prepared with the PRECIS profiles of RFC 8265, whose core is
        // Normalization Form C: a decomposed "é" typed on one system
        // hashes as the composed one stored on another.
        let (user, password): (Cow<'_, str>, Secret) = if offer.utf8 {
            let password: String = password.expose().nfc().collect();
            (Cow::Owned(user.nfc().collect()), Secret::new(password))
        } else {
            (Cow::Borrowed(user), password.clone())
        };
        Ok(Box::new(DigestSession::new(
            &user,
            password,
            offer,
            self.avoid_auth_int,
            self.max_unanswered,
        )?))
    }
}

/// One request answered, kept to check the server's `rspauth`; its
/// `cnonce` is its key in [`Unanswered`].
#[derive(Debug, Clone)]
struct Sent {
    /// The order the session answered in, across nonces.
    seq: u64,
    algorithm: Algorithm,
    nonce: Arc<[u8]>,
    nc: u32,
    qop: Option<Qop>,
    uri: String,
    ha1: HexDigest,
}

/// `nc` as the server echoes it: hex digits only (eight when well formed).
fn parse_nc(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(text, 16).ok()
}

/// Why an `Authentication-Info` names no request the session holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Miss {
    /// No such request was sent, or its proof was already taken.
    NotSent,
    /// It may be a request forgotten to stay within the limit.
    Forgotten,
    /// Without a `cnonce`, more than one request fits.
    Ambiguous(usize),
}

/// The requests a session answered that await their `Authentication-Info`,
/// keyed by `cnonce` and `nc`. A `cnonce` is 128 fresh random bits, for
/// each request, or with a `-sess` algorithm for each nonce (its A1 hashes
/// the cnonce, so every request under the nonce uses the same one); `nc`
/// tells the requests under one nonce apart. So a key names one request
/// under every nonce the session has used (`nc` starts again at 1 with
/// each new nonce, so `nc` alone does not). The `cnonce` part is those
/// bits themselves, not their 32 hex digits: cheaper to hash and to keep.
///
/// An `Authentication-Info` takes its request out, so against a server
/// that sends one with every response the table holds the requests in
/// flight, whatever order their responses come back in. Requests whose
/// responses carry none stay; past `limit` the oldest quarter is forgotten,
/// found through `order`, the keys in the order they were sent (keys
/// already taken out are skipped there, and dropped from it when it grows
/// past twice the limit). Within one nonce `nc` rises with `seq`, so the
/// requests forgotten under any nonce are a subset of those with
/// `nc <= forgotten_nc`: a higher `nc` that is not held was never sent (or
/// was already answered).
struct Unanswered {
    by_cnonce: HashMap<(u128, u32), Sent, RandomState>,
    /// `(seq, key)` of every request inserted, oldest first; some were
    /// taken out since.
    order: VecDeque<(u64, (u128, u32))>,
    limit: usize,
    next_seq: u64,
    /// The highest `nc` forgotten so far; 0 while none was.
    forgotten_nc: u32,
}

impl std::fmt::Debug for Unanswered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Unanswered")
            .field("held", &self.by_cnonce.len())
            .field("limit", &self.limit)
            .field("forgotten_nc", &self.forgotten_nc)
            .finish()
    }
}

/// A `cnonce` as this client writes it (32 hex digits) read back into its
/// 128 bits; anything else names no request of ours.
fn cnonce_key(text: &str) -> Option<u128> {
    if text.len() != 32 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u128::from_str_radix(text, 16).ok()
}

impl Unanswered {
    fn new(limit: usize) -> Self {
        Self {
            by_cnonce: HashMap::with_capacity_and_hasher(limit.min(64), RandomState::default()),
            order: VecDeque::with_capacity(limit.min(64)),
            limit: limit.max(1),
            next_seq: 0,
            forgotten_nc: 0,
        }
    }

    fn insert(&mut self, cnonce: u128, mut sent: Sent) {
        let key = (cnonce, sent.nc);
        if self.by_cnonce.len() >= self.limit {
            self.forget_oldest();
        }
        if self.order.len() >= 2 * self.limit {
            // Most of `order` names requests already answered.
            let held = &self.by_cnonce;
            self.order
                .retain(|(seq, key)| held.get(key).is_some_and(|s| s.seq == *seq));
        }
        sent.seq = self.next_seq;
        self.next_seq += 1;
        self.order.push_back((sent.seq, key));
        self.by_cnonce.insert(key, sent);
    }

    /// Forgets the oldest quarter (at least one).
    fn forget_oldest(&mut self) {
        let mut to_drop = (self.limit / 4).clamp(1, self.by_cnonce.len().max(1));
        while to_drop > 0 {
            let Some((seq, key)) = self.order.pop_front() else {
                return;
            };
            if self.by_cnonce.get(&key).is_some_and(|s| s.seq == seq)
                && let Some(sent) = self.by_cnonce.remove(&key)
            {
                self.forgotten_nc = self.forgotten_nc.max(sent.nc);
                to_drop -= 1;
            }
        }
    }

    /// Why a request with this `nc` (when given) is not held.
    fn miss(&self, nc: Option<u32>) -> Miss {
        match nc {
            Some(nc) if nc > self.forgotten_nc => Miss::NotSent,
            _ if self.forgotten_nc > 0 => Miss::Forgotten,
            _ => Miss::NotSent,
        }
    }

    /// Takes out the request named by `cnonce` and, when given, `nc`.
    fn take(&mut self, cnonce: &str, nc: Option<&str>) -> Result<(HexDigest, Sent), Miss> {
        let nc = match nc {
            Some(text) => Some(parse_nc(text).ok_or(Miss::NotSent)?),
            None => None,
        };
        let Some(cnonce) = cnonce_key(cnonce) else {
            return Err(Miss::NotSent);
        };
        let key = match nc {
            Some(nc) => (cnonce, nc),
            // Without `nc`, the one request held with this cnonce (a
            // `-sess` cnonce may have several).
            None => {
                let mut found = self.by_cnonce.keys().filter(|k| k.0 == cnonce);
                match (found.next(), found.count()) {
                    (Some(key), 0) => *key,
                    (Some(_), more) => return Err(Miss::Ambiguous(more + 1)),
                    (None, _) => return Err(self.miss(None)),
                }
            }
        };
        match self.by_cnonce.remove(&key) {
            Some(sent) => Ok((HexDigest::from_raw(&cnonce.to_be_bytes()), sent)),
            None => Err(self.miss(nc)),
        }
    }

    /// For a server that leaves `cnonce` out: the one request to `uri`
    /// (with this `nc`, when given) still held.
    fn take_only(&mut self, uri: &str, nc: Option<&str>) -> Result<(HexDigest, Sent), Miss> {
        let nc = match nc {
            Some(text) => Some(parse_nc(text).ok_or(Miss::NotSent)?),
            None => None,
        };
        let fits = |s: &Sent| s.uri == uri && nc.is_none_or(|nc| nc == s.nc);
        let mut found = self.by_cnonce.iter().filter(|(_, s)| fits(s));
        let key = match (found.next(), found.count()) {
            (Some((key, _)), 0) => *key,
            (Some(_), more) => return Err(Miss::Ambiguous(more + 1)),
            (None, _) => return Err(self.miss(nc)),
        };
        self.by_cnonce
            .remove(&key)
            .map(|sent| (HexDigest::from_raw(&key.0.to_be_bytes()), sent))
            .ok_or(Miss::NotSent)
    }
}

/// `nc` as sent: eight lowercase hex digits.
fn nc_text(nc: u32) -> [u8; 8] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    std::array::from_fn(|i| HEX[((nc >> (28 - 4 * i)) & 0xf) as usize])
}

/// The start of every answer under one offer: the scheme and the
/// parameters that stay the same from request to request (`username`,
/// `realm`, `nonce`, `algorithm`, `opaque`, `userhash`), checked and
/// written once.
fn fixed_part(user: &str, offer: &Offer) -> Result<Vec<u8>, ClientError> {
    let invalid = |e: authscheme::InvalidValue| ClientError::InvalidInput(e.to_string());
    let capacity = 120 + user.len() + offer.realm.len() + offer.nonce.len();
    let mut w = AuthValueWriter::new(&SchemeName::DIGEST, capacity);
    let username = if offer.userhash {
        let hash = compute::userhash_octets(offer.algorithm, user.as_bytes(), &offer.realm);
        w.quoted_param("username", hash.as_bytes())
    } else if user.is_ascii() || !offer.utf8 {
        // Without charset=UTF-8 the octets go as they are (Apache reads
        // them and refuses username*).
        w.quoted_param("username", user.as_bytes())
    } else {
        w.param("username*", user.as_bytes())
    };
    username.map_err(|e| ClientError::InvalidInput(format!("user name: {e}")))?;
    w.param("realm", &offer.realm).map_err(invalid)?;
    w.quoted_param("nonce", &offer.nonce).map_err(invalid)?;
    if let Some(a) = &offer.algorithm_text {
        w.param("algorithm", a.as_bytes()).map_err(invalid)?;
    }
    if let Some(opaque) = &offer.opaque {
        w.quoted_param("opaque", opaque).map_err(invalid)?;
    }
    if offer.userhash {
        w.param("userhash", b"true").map_err(invalid)?;
    }
    Ok(w.finish())
}

/// The whole answer: `fixed` (see [`fixed_part`]), then the parameters of
/// this request, `uri`, with qop `qop`, `nc` and `cnonce`, and `response`.
/// Their form is fixed and every value but `uri` is this session's own (a
/// qop token, eight hex digits, hex digests), so they are composed
/// directly rather than through [`AuthValueWriter`], whose checks per
/// parameter (the name, a repeat of it among those written) cost more than
/// writing them; `uri` goes through the core's quoted-string writer. The
/// octets are those `AuthValueWriter` writes (see the tests). The buffer is
/// sized to the value, exactly unless `uri` needs escapes, so it becomes
/// the header value without a second allocation.
fn answer_value(
    fixed: &[u8],
    uri: &str,
    qop: Option<(Qop, &[u8; 8], &HexDigest)>,
    response: &HexDigest,
) -> Result<HeaderValue, ClientError> {
    let qop_len = qop.map_or(0, |(q, nc, cnonce)| {
        ", qop=".len()
            + q.as_str().len()
            + ", nc=".len()
            + nc.len()
            + r#", cnonce="""#.len()
            + cnonce.as_bytes().len()
    });
    let len = fixed.len()
        + r#", uri="""#.len()
        + uri.len()
        + qop_len
        + r#", response="""#.len()
        + response.as_bytes().len();
    let mut out = Vec::with_capacity(len);
    out.extend_from_slice(fixed);
    out.extend_from_slice(b", uri=");
    syntax::write_quoted_string(uri.as_bytes(), &mut out)
        .map_err(|e| ClientError::InvalidInput(format!("uri: {e}")))?;
    if let Some((q, nc, cnonce)) = qop {
        out.extend_from_slice(b", qop=");
        out.extend_from_slice(q.as_str().as_bytes());
        out.extend_from_slice(b", nc=");
        out.extend_from_slice(nc);
        out.extend_from_slice(b", cnonce=\"");
        out.extend_from_slice(cnonce.as_bytes());
        out.push(b'"');
    }
    out.extend_from_slice(b", response=\"");
    out.extend_from_slice(response.as_bytes());
    out.push(b'"');
    HeaderValue::try_from(out).map_err(|e| ClientError::InvalidInput(e.to_string()))
}

/// The state for one protection space: nonce, `nc`, algorithm and the
/// requests answered recently. `Debug` shows no secret.
///
/// [`DigestClient::start`](authscheme::ClientScheme::start) hands it out
/// boxed, as a [`ClientSession`].
///
/// # Examples
///
/// ```
/// use authscheme::{Challenge, ClientCredentials, ClientRequest, ClientScheme};
/// use authscheme_digest::DigestClient;
/// let challenge = Challenge::parse(br#"Digest realm="api", qop="auth", nonce="n""#).unwrap();
/// let creds = ClientCredentials::password("alice", "wonderland");
/// let mut session = DigestClient::new().start(&challenge, &creds).unwrap();
/// let first = session.authorize(&ClientRequest::new("GET", "/a")).unwrap();
/// let second = session.authorize(&ClientRequest::new("GET", "/b")).unwrap();
/// assert_eq!(first.param_str("nc"), Some("00000001"));
/// assert_eq!(second.param_str("nc"), Some("00000002"));
/// assert_eq!(second.param_str("nonce"), Some("n"));
/// ```
#[derive(Debug)]
pub struct DigestSession {
    user: String,
    password: Secret,
    offer: Offer,
    /// The start of the answer: the scheme and the parameters that depend
    /// on the offer alone ([`fixed_part`]).
    fixed: Vec<u8>,
    /// HA1 of the plain algorithm, computed once per algorithm.
    ha1: HexDigest,
    /// With a `-sess` algorithm, the cnonce of the current nonce and the
    /// session A1 made from it (RFC 7616 section 3.4.2: computed once, on
    /// the first request after the challenge).
    session_key: Option<([u8; 16], HexDigest)>,
    nc: u32,
    retried_stale: bool,
    avoid_auth_int: bool,
    unanswered: Unanswered,
}

impl DigestSession {
    fn new(
        user: &str,
        password: Secret,
        offer: Offer,
        avoid_auth_int: bool,
        max_unanswered: usize,
    ) -> Result<Self, ClientError> {
        let ha1 = compute::ha1_octets(
            offer.algorithm,
            user.as_bytes(),
            &offer.realm,
            password.expose().as_bytes(),
        );
        Ok(Self {
            user: user.to_owned(),
            password,
            fixed: fixed_part(user, &offer)?,
            offer,
            ha1,
            session_key: None,
            nc: 0,
            retried_stale: false,
            avoid_auth_int,
            unanswered: Unanswered::new(max_unanswered),
        })
    }

    fn take_offer(&mut self, offer: Offer) -> Result<(), ClientError> {
        self.fixed = fixed_part(&self.user, &offer)?;
        if offer.algorithm.base() != self.offer.algorithm.base() || offer.realm != self.offer.realm
        {
            self.ha1 = compute::ha1_octets(
                offer.algorithm,
                self.user.as_bytes(),
                &offer.realm,
                self.password.expose().as_bytes(),
            );
        }
        self.offer = offer;
        self.session_key = None;
        self.nc = 0;
        Ok(())
    }

    fn choose_qop(&self, body: Option<&[u8]>) -> Result<Option<Qop>, ClientError> {
        let o = &self.offer;
        if !o.auth && !o.auth_int {
            return Ok(None);
        }
        let int_possible = o.auth_int && body.is_some();
        if int_possible && (!o.auth || !self.avoid_auth_int) {
            return Ok(Some(Qop::AuthInt));
        }
        if o.auth {
            return Ok(Some(Qop::Auth));
        }
        Err(ClientError::Unsupported(
            "the server asks for qop=auth-int but the body is not known".into(),
        ))
    }
}

impl ClientSession for DigestSession {
    /// The answer as a model value: what [`DigestSession::authorize_header`]
    /// writes, read back.
    fn authorize(
        &mut self,
        request: &ClientRequest<'_>,
    ) -> Result<Credentials<'static>, ClientError> {
        let value = self.authorize_header(request)?;
        Credentials::parse(value.as_bytes())
            .map(Credentials::into_owned)
            .map_err(|e| ClientError::InvalidInput(e.to_string()))
    }

    /// Writes the answer straight into the header value: each request has
    /// a fresh `nc`, `cnonce` and response, so nothing is gained by building
    /// a parameter list first.
    fn authorize_header(
        &mut self,
        request: &ClientRequest<'_>,
    ) -> Result<HeaderValue, ClientError> {
        let qop = self.choose_qop(request.body())?;
        self.nc = self
            .nc
            .checked_add(1)
            .ok_or_else(|| ClientError::Unsupported("nonce count exhausted".into()))?;
        let alg = self.offer.algorithm;
        let nc = nc_text(self.nc);
        let nc_str = std::str::from_utf8(&nc).unwrap_or_default();
        // 128 random bits as 32 hex digits: no need to hash randomness.
        let (cnonce_bits, ha1) = match self.session_key {
            Some(key) if alg.is_session() => key,
            _ => {
                let bits = rand::random::<[u8; 16]>();
                let cnonce = HexDigest::from_raw(&bits);
                let ha1 =
                    compute::session_ha1_octets(alg, &self.ha1, &self.offer.nonce, cnonce.as_str());
                if alg.is_session() {
                    self.session_key = Some((bits, ha1));
                }
                (bits, ha1)
            }
        };
        let cnonce = HexDigest::from_raw(&cnonce_bits);
        let o = &self.offer;
        let uri = request.target();
        let ha2 = compute::ha2(
            alg,
            qop,
            request.method(),
            uri,
            request.body().unwrap_or_default(),
        );
        let parts = qop.map(|qop| QopParts {
            qop,
            nc: nc_str,
            cnonce: cnonce.as_str(),
        });
        let response = compute::response_octets(alg, &ha1, &o.nonce, parts, &ha2);

        let value = answer_value(&self.fixed, uri, qop.map(|q| (q, &nc, &cnonce)), &response)?;

        // Without qop there is no rspauth to check.
        if qop.is_some() {
            let sent = Sent {
                seq: 0,
                algorithm: alg,
                nonce: Arc::clone(&o.nonce),
                nc: self.nc,
                qop,
                uri: uri.to_owned(),
                ha1,
            };
            self.unanswered
                .insert(u128::from_be_bytes(cnonce_bits), sent);
        }
        Ok(value)
    }

    fn rechallenge(&mut self, challenge: &Challenge<'_>) -> Rechallenge {
        if !flag(challenge, "stale") {
            return Rechallenge::GiveUp;
        }
        // A stale answer to the very first use of a nonce we just took from
        // a stale challenge means the server will not take us: stop.
        if self.retried_stale && self.nc <= 1 {
            return Rechallenge::GiveUp;
        }
        match Offer::read(challenge) {
            Ok(offer) if offer.realm == self.offer.realm => match self.take_offer(offer) {
                Ok(()) => {
                    self.retried_stale = true;
                    Rechallenge::Retry
                }
                Err(_) => Rechallenge::GiveUp,
            },
            _ => Rechallenge::GiveUp,
        }
    }

    /// Checks `rspauth` against the request it names by `cnonce` and `nc`
    /// (any of the requests still awaiting an answer, under any nonce the
    /// session used), then takes `nextnonce`.
    ///
    /// Not checked, and no error: an `Authentication-Info` without
    /// `rspauth`, or with one for an answer without `qop` (RFC 7616 has no
    /// `rspauth` for it). [`ClientError::CannotVerify`] (after taking
    /// `nextnonce`) for `rspauth` of a `qop=auth-int` request: it covers the
    /// response body, which a session never sees (this crate's server
    /// leaves it out there); also when the request may be one the session
    /// forgot (see [`DigestClient::max_unanswered`]) or, with no `cnonce`
    /// sent back, several requests fit;
    /// [`ClientError::ServerNotAuthenticated`] when it names no request
    /// this session sent, or one whose answer was already taken, or the
    /// proof does not match (a proof that is not text, or is empty, never
    /// does).
    fn absorb_info(
        &mut self,
        info: &Params<'_>,
        request: &ClientRequest<'_>,
    ) -> Result<(), ClientError> {
        // A cnonce or nc that is not text names no request this session
        // sent (it sends hex digits): read as "", it matches none. An
        // rspauth that is not text is a wrong proof, not a missing one.
        let text = |name| {
            info.get(name)
                .map(|v| std::str::from_utf8(v).unwrap_or_default())
        };
        let nc = text("nc");
        let rspauth = info.get("rspauth");
        let mut unchecked = false;
        let taken = match (text("cnonce"), rspauth) {
            (Some(cnonce), _) => Some(self.unanswered.take(cnonce, nc)),
            // RFC 7616 section 3.5 has the server send cnonce back with
            // rspauth; for one that does not, the one request that fits.
            (None, Some(_)) if self.offer.auth || self.offer.auth_int || nc.is_some() => {
                Some(self.unanswered.take_only(request.target(), nc))
            }
            // No qop, so no rspauth form; or nothing to check.
            (None, _) => None,
        };
        if let (Some(rspauth), Some(taken)) = (rspauth, taken) {
            let (cnonce, sent) = match taken {
                Ok(found) => found,
                Err(Miss::NotSent) => {
                    return Err(ClientError::ServerNotAuthenticated(
                        "rspauth for a request this client did not send \
                         (or whose answer it already checked)"
                            .into(),
                    ));
                }
                Err(Miss::Forgotten) => {
                    return Err(ClientError::CannotVerify(format!(
                        "rspauth for a request this session may have forgotten \
                         (more than {} requests awaited an answer)",
                        self.unanswered.limit
                    )));
                }
                Err(Miss::Ambiguous(n)) => {
                    return Err(ClientError::CannotVerify(format!(
                        "rspauth without cnonce while {n} requests to this target await an answer"
                    )));
                }
            };
            // The request's qop decides, not the one echoed: with auth-int
            // rspauth covers the response body, which the session does not
            // see. That proof is not checked, and said so (below).
            unchecked = sent.qop == Some(Qop::AuthInt);
            if sent.qop == Some(Qop::Auth) {
                let nc = nc_text(sent.nc);
                let parts = QopParts {
                    qop: Qop::Auth,
                    nc: std::str::from_utf8(&nc).unwrap_or_default(),
                    cnonce: cnonce.as_str(),
                };
                let expected = compute::rspauth_octets(
                    sent.algorithm,
                    &sent.ha1,
                    &sent.nonce,
                    parts,
                    &sent.uri,
                );
                let given = rspauth.to_ascii_lowercase();
                if !authscheme::ct_eq(&given, expected.as_bytes()) {
                    return Err(ClientError::ServerNotAuthenticated(
                        "rspauth does not match".into(),
                    ));
                }
            }
        }
        if let Some(next) = info
            .get("nextnonce")
            .filter(|n| !n.is_empty() && *n != &*self.offer.nonce)
        {
            let offer = Offer {
                nonce: next.into(),
                ..self.offer.clone()
            };
            self.take_offer(offer)?;
            self.retried_stale = false;
        }
        if unchecked {
            return Err(ClientError::CannotVerify(
                "rspauth of an auth-int answer covers the response body, which is not checked"
                    .into(),
            ));
        }
        Ok(())
    }

    /// A proof was due for a `qop=auth` request (RFC 7616 section 3.5):
    /// an unreadable header in its place is a failed one. `auth-int` and
    /// no-qop requests get no checked proof, so nothing is lost.
    fn absorb_unreadable_info(
        &mut self,
        why: &str,
        sent: &Credentials<'_>,
        _request: &ClientRequest<'_>,
    ) -> Result<(), ClientError> {
        let Some(cnonce) = sent.param("cnonce") else {
            // Sent without qop: there is no proof to check.
            return Ok(());
        };
        let cnonce = std::str::from_utf8(cnonce).unwrap_or_default();
        let nc = sent.param_str("nc");
        match self.unanswered.take(cnonce, nc) {
            Ok((_, request)) if request.qop == Some(Qop::Auth) => {
                Err(ClientError::ServerNotAuthenticated(why.to_owned()))
            }
            Ok(_) => Ok(()),
            Err(Miss::Forgotten | Miss::Ambiguous(_)) => Err(ClientError::CannotVerify(format!(
                "{why}, for a request this session may have forgotten"
            ))),
            // Credentials this session did not write, or a request already
            // answered: nothing stands for the response.
            Err(Miss::NotSent) => Err(ClientError::ServerNotAuthenticated(why.to_owned())),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use authscheme::syntax::parse_params;

    const PASSWORD: &str = "wonderland";

    /// The answer as `AuthValueWriter` writes it, parameter by parameter:
    /// what `answer_value` must produce.
    fn written(
        fixed: &[u8],
        uri: &str,
        qop: Option<(Qop, &[u8; 8], &HexDigest)>,
        response: &HexDigest,
    ) -> Vec<u8> {
        let challenge = Credentials::parse(fixed).unwrap();
        let mut w = AuthValueWriter::new(challenge.scheme(), 256);
        for p in challenge.params() {
            if p.is_quoted() {
                w.quoted_param(p.name(), p.value()).unwrap();
            } else {
                w.param(p.name(), p.value()).unwrap();
            }
        }
        w.quoted_param("uri", uri.as_bytes()).unwrap();
        if let Some((q, nc, cnonce)) = qop {
            w.param("qop", q.as_str().as_bytes()).unwrap();
            w.param("nc", nc).unwrap();
            w.quoted_param("cnonce", cnonce.as_bytes()).unwrap();
        }
        w.quoted_param("response", response.as_bytes()).unwrap();
        w.finish()
    }

    #[test]
    fn the_composed_answer_is_what_the_writer_writes() {
        // Plain, userhash, UTF-8 (`username*`) and `-sess` offers: only the
        // fixed part differs between them, written by `AuthValueWriter`.
        let offers = [
            (
                "alice",
                r#"Digest realm="api", qop="auth", nonce="n0", opaque="o", algorithm=SHA-256"#,
            ),
            (
                "alice",
                r#"Digest realm="api", qop="auth", nonce="n0", algorithm=SHA-256, userhash=true"#,
            ),
            (
                "Jäsøn",
                r#"Digest realm="api", qop="auth", nonce="n0", algorithm=MD5, charset=UTF-8"#,
            ),
            (
                "alice",
                r#"Digest realm="api", qop="auth,auth-int", nonce="n0", algorithm=SHA-512-256-sess"#,
            ),
        ];
        let cnonce = HexDigest::from_raw(&[0xab; 16]);
        let response = HexDigest::from_raw(&[0x01; 32]);
        let nc = nc_text(7);
        for (user, challenge) in offers {
            let offer = Offer::read(&Challenge::parse(challenge.as_bytes()).unwrap()).unwrap();
            let fixed = fixed_part(user, &offer).unwrap();
            for uri in [
                "/dir/index.html",
                "/a?b=c&d",
                r#"/quote"d"#,
                r"/back\slash",
                "/tab\there",
                "",
            ] {
                for qop in [
                    None,
                    Some((Qop::Auth, &nc, &cnonce)),
                    Some((Qop::AuthInt, &nc, &cnonce)),
                ] {
                    let value = answer_value(&fixed, uri, qop, &response).unwrap();
                    let expected = written(&fixed, uri, qop, &response);
                    assert_eq!(value.as_bytes(), expected, "{challenge} {uri:?} {qop:?}");
                }
            }
            // A control character cannot be sent in a quoted-string.
            assert!(answer_value(&fixed, "/a\nb", None, &response).is_err());
        }
    }

    fn session(challenge: &str, limit: usize) -> DigestSession {
        let challenge = Challenge::parse(challenge.as_bytes()).unwrap();
        let offer = Offer::read(&challenge).unwrap();
        DigestSession::new("alice", Secret::new(PASSWORD), offer, false, limit).unwrap()
    }

    const SHA256: &str = r#"Digest realm="api", qop="auth", algorithm=SHA-256, nonce="n1""#;

    /// What a server that knows the password sends back for `sent`
    /// (`rspauth` wrong when `forged`), with extra parameters appended.
    fn info_for(sent: &Credentials<'_>, forged: bool, extra: &str) -> String {
        let alg = Algorithm::parse(sent.param_str("algorithm").unwrap_or("MD5")).unwrap();
        let (nc, cnonce) = (
            sent.param_str("nc").unwrap(),
            sent.param_str("cnonce").unwrap(),
        );
        let ha1 = compute::ha1(alg, "alice", sent.param_str("realm").unwrap(), PASSWORD);
        let parts = QopParts {
            qop: Qop::Auth,
            nc,
            cnonce,
        };
        let nonce = sent.param_str("nonce").unwrap();
        let mut rspauth = compute::rspauth(alg, &ha1, nonce, parts, sent.param_str("uri").unwrap())
            .as_str()
            .to_owned();
        if forged {
            rspauth = "0".repeat(rspauth.len());
        }
        format!(r#"rspauth="{rspauth}", qop=auth, cnonce="{cnonce}", nc={nc}{extra}"#)
    }

    fn absorb(s: &mut DigestSession, info: &str, target: &str) -> Result<(), ClientError> {
        let params = parse_params(info.as_bytes()).unwrap();
        s.absorb_info(&params, &ClientRequest::new("GET", target))
    }

    /// Many requests out at once on one session, under three nonces (a
    /// `nextnonce` and a `stale=true` retry change it while they are out),
    /// answered in an order unlike the one they were sent in: every
    /// `rspauth` is checked against its own request, a forged one is
    /// caught however old its request is, and nothing stays behind.
    #[test]
    fn every_request_in_flight_is_checked_whatever_the_order_and_nonce() {
        let mut s = session(SHA256, MAX_UNANSWERED);
        let mut out = Vec::new();
        fn send(s: &mut DigestSession, n: usize, out: &mut Vec<(String, Credentials<'static>)>) {
            for _ in 0..n {
                let target = format!("/r/{}", out.len());
                let c = s.authorize(&ClientRequest::new("GET", &target)).unwrap();
                out.push((target, c));
            }
        }
        send(&mut s, 300, &mut out);
        // The newest request's answer hands out the next nonce: nc starts
        // again at 1 while the 299 older ones are still out.
        let (target, newest) = out.pop().unwrap();
        let info = info_for(&newest, false, r#", nextnonce="n2""#);
        absorb(&mut s, &info, &target).unwrap();
        send(&mut s, 300, &mut out);
        assert_eq!(out.last().unwrap().1.param_str("nonce"), Some("n2"));
        assert_eq!(out.last().unwrap().1.param_str("nc"), Some("0000012c"));
        let stale = Challenge::parse(
            br#"Digest realm="api", qop="auth", algorithm=SHA-256, nonce="n3", stale=true"#,
        )
        .unwrap();
        assert_eq!(s.rechallenge(&stale), Rechallenge::Retry);
        send(&mut s, 100, &mut out);
        assert_eq!(s.unanswered.by_cnonce.len(), 699);

        // The oldest request's proof is forged: caught, not "forgotten".
        let (target, oldest) = out.remove(0);
        let forged = info_for(&oldest, true, "");
        assert!(matches!(
            absorb(&mut s, &forged, &target),
            Err(ClientError::ServerNotAuthenticated(_))
        ));
        // Answers come back interleaved from both ends.
        let mut order = Vec::new();
        let (mut lo, mut hi) = (0, out.len());
        while lo < hi {
            hi -= 1;
            order.push(hi);
            if lo < hi {
                order.push(lo);
                lo += 1;
            }
        }
        for i in order {
            let (target, c) = &out[i];
            let info = info_for(c, false, "");
            absorb(&mut s, &info, target).unwrap_or_else(|e| panic!("request {i} ({info}): {e}"));
        }
        assert!(s.unanswered.by_cnonce.is_empty(), "{:?}", s.unanswered);
        // The same proof again names no request awaiting one.
        let (target, c) = &out[10];
        let again = info_for(c, false, "");
        assert!(matches!(
            absorb(&mut s, &again, target),
            Err(ClientError::ServerNotAuthenticated(_))
        ));
    }

    /// With a `-sess` algorithm every request under one nonce uses the
    /// cnonce of the first and the session A1 made from it (RFC 7616
    /// section 3.4.2), so a server that keeps the session key and one that
    /// recomputes it from each request both agree; each proof is checked
    /// against its own `nc`, and a new nonce starts a new session key.
    #[test]
    fn a_sess_algorithm_keeps_one_cnonce_and_a1_per_nonce() {
        let alg = Algorithm::Sha256Sess;
        let mut s = session(
            r#"Digest realm="api", qop="auth", algorithm=SHA-256-sess, nonce="n1""#,
            MAX_UNANSWERED,
        );
        let sent: Vec<(String, Credentials<'static>)> = (0..3)
            .map(|i| {
                let target = format!("/s/{i}");
                let c = s.authorize(&ClientRequest::new("GET", &target)).unwrap();
                (target, c)
            })
            .collect();
        let cnonce = sent[0].1.param_str("cnonce").unwrap().to_owned();
        let ha1 = compute::ha1(alg, "alice", "api", PASSWORD);
        let session_ha1 = compute::session_ha1_octets(alg, &ha1, b"n1", &cnonce);
        for (i, (target, c)) in sent.iter().enumerate() {
            assert_eq!(c.param_str("cnonce"), Some(cnonce.as_str()), "request {i}");
            let nc = c.param_str("nc").unwrap();
            assert_eq!(parse_nc(nc), u32::try_from(i + 1).ok());
            let parts = QopParts {
                qop: Qop::Auth,
                nc,
                cnonce: &cnonce,
            };
            let ha2 = compute::ha2(alg, Some(Qop::Auth), "GET", target, b"");
            let expected = compute::response(alg, &session_ha1, "n1", Some(parts), &ha2);
            assert_eq!(
                c.param_str("response"),
                Some(expected.as_str()),
                "request {i}"
            );
        }
        let info = |c: &Credentials<'_>, target: &str, forged: bool, extra: &str| {
            let nc = c.param_str("nc").unwrap();
            let parts = QopParts {
                qop: Qop::Auth,
                nc,
                cnonce: &cnonce,
            };
            let mut rspauth = compute::rspauth(alg, &session_ha1, "n1", parts, target)
                .as_str()
                .to_owned();
            if forged {
                rspauth = "0".repeat(rspauth.len());
            }
            format!(r#"rspauth="{rspauth}", qop=auth, cnonce="{cnonce}", nc={nc}{extra}"#)
        };
        // Out of order, each against its own nc; a forged one is caught.
        let (t2, c2) = &sent[2];
        absorb(&mut s, &info(c2, t2, false, ""), t2).unwrap();
        let (t0, c0) = &sent[0];
        assert!(matches!(
            absorb(&mut s, &info(c0, t0, true, ""), t0),
            Err(ClientError::ServerNotAuthenticated(_))
        ));
        // Without `nc`, the one request left with this cnonce.
        let (t1, c1) = &sent[1];
        let without_nc = info(c1, t1, false, r#", nextnonce="n2""#).replace(", nc=00000002", "");
        absorb(&mut s, &without_nc, t1).unwrap();
        assert!(s.unanswered.by_cnonce.is_empty(), "{:?}", s.unanswered);
        // The next nonce gets a cnonce of its own.
        let next = s.authorize(&ClientRequest::new("GET", "/s/3")).unwrap();
        assert_eq!(next.param_str("nonce"), Some("n2"));
        assert_ne!(next.param_str("cnonce"), Some(cnonce.as_str()));
    }

    /// A `-sess` challenge without `qop` cannot be answered: its A1 would
    /// hash a cnonce the answer may not carry.
    #[test]
    fn a_sess_algorithm_without_qop_is_not_answered() {
        let challenge =
            Challenge::parse(br#"Digest realm="api", algorithm=MD5-sess, nonce="n""#).unwrap();
        assert!(matches!(
            Offer::read(&challenge),
            Err(ClientError::Unsupported(_))
        ));
        let creds = ClientCredentials::password("alice", PASSWORD);
        assert_eq!(DigestClient::new().rank(&challenge, &creds), None);
        let plain = Challenge::parse(br#"Digest realm="api", nonce="n""#).unwrap();
        assert!(
            DigestClient::new().rank(&plain, &creds).is_some(),
            "RFC 2069 MD5 still is"
        );
    }

    /// Requests whose responses never carry `Authentication-Info` stay
    /// within the limit; a proof for one the session forgot cannot be
    /// checked (also after the nonce changed and `nc` began again), and one
    /// naming an `nc` above every forgotten one was never sent.
    #[test]
    fn held_requests_stay_within_the_limit_and_forgetting_is_reported() {
        let mut s = session(SHA256, 64);
        let mut out = Vec::new();
        for i in 0..1000 {
            let target = format!("/r/{i}");
            let c = s.authorize(&ClientRequest::new("GET", &target)).unwrap();
            out.push((target, c));
            assert!(s.unanswered.by_cnonce.len() <= 64);
        }
        assert!(s.unanswered.by_cnonce.len() >= 48);
        // The newest is held and checked; its answer moves to a new nonce.
        let (target, c) = &out[999];
        absorb(&mut s, &info_for(c, false, r#", nextnonce="n2""#), target).unwrap();
        let c = s.authorize(&ClientRequest::new("GET", "/new")).unwrap();
        assert_eq!(c.param_str("nc"), Some("00000001"));
        absorb(&mut s, &info_for(&c, false, ""), "/new").unwrap();

        for i in [0, 500, 900] {
            let (target, c) = &out[i];
            for forged in [false, true] {
                let info = info_for(c, forged, "");
                let got = absorb(&mut s, &info, target);
                assert!(
                    matches!(&got, Err(ClientError::CannotVerify(why)) if why.contains("64")),
                    "request {i}: {got:?}"
                );
            }
        }
        let made_up = format!(
            r#"rspauth="{}", qop=auth, cnonce="{}", nc=000003e9"#,
            "0".repeat(64),
            "ab".repeat(16)
        );
        assert!(matches!(
            absorb(&mut s, &made_up, "/r/1"),
            Err(ClientError::ServerNotAuthenticated(_))
        ));
        // A cnonce the session sent, with an nc it did not send it with.
        let (target, c) = &out[998];
        let info = info_for(c, false, "").replace("nc=000003e7", "nc=000003e6");
        assert!(matches!(
            absorb(&mut s, &info, target),
            Err(ClientError::ServerNotAuthenticated(_))
        ));
        absorb(&mut s, &info_for(c, false, ""), target).unwrap();
    }

    /// The request's qop decides whether `rspauth` is checked: a server
    /// echoing `qop=auth-int` for a `qop=auth` request does not switch the
    /// check off. For an `auth-int` request it is not checked (it would
    /// cover the response body), which is said as "cannot verify", and the
    /// request is taken out all the same.
    #[test]
    fn the_request_qop_decides_what_is_checked() {
        let mut s = session(SHA256, MAX_UNANSWERED);
        let c = s.authorize(&ClientRequest::new("GET", "/a")).unwrap();
        let info = info_for(&c, true, "").replace("qop=auth", "qop=auth-int");
        assert!(matches!(
            absorb(&mut s, &info, "/a"),
            Err(ClientError::ServerNotAuthenticated(_))
        ));

        let mut s = session(
            r#"Digest realm="api", qop="auth-int", algorithm=SHA-256, nonce="n1""#,
            MAX_UNANSWERED,
        );
        let post = ClientRequest::new("POST", "/a").with_body(b"x=1");
        let c = s.authorize(&post).unwrap();
        assert_eq!(c.param_str("qop"), Some("auth-int"));
        let (nc, cnonce) = (c.param_str("nc").unwrap(), c.param_str("cnonce").unwrap());
        let info = format!(r#"qop=auth-int, cnonce="{cnonce}", nc={nc}"#);
        absorb(&mut s, &info, "/a").unwrap();
        assert!(s.unanswered.by_cnonce.is_empty());
        let c = s.authorize(&post).unwrap();
        let info = info_for(&c, true, r#", nextnonce="n2""#).replace("qop=auth", "qop=auth-int");
        assert!(matches!(
            absorb(&mut s, &info, "/a"),
            Err(ClientError::CannotVerify(_))
        ));
        assert!(s.unanswered.by_cnonce.is_empty());
        let next = s.authorize(&post).unwrap();
        assert_eq!(next.param_str("nonce"), Some("n2"), "nextnonce taken");
    }

    /// A server that leaves `cnonce` (and `nc`) out: its proof is checked
    /// against the one request to that target awaiting an answer, and
    /// cannot be checked when several are.
    #[test]
    fn without_cnonce_the_one_request_that_fits_is_checked() {
        let mut s = session(SHA256, MAX_UNANSWERED);
        let c = s.authorize(&ClientRequest::new("GET", "/a")).unwrap();
        let bare = |info: String| {
            info.split(", ")
                .filter(|p| p.starts_with("rspauth") || p.starts_with("qop"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        assert!(matches!(
            absorb(&mut s, &bare(info_for(&c, true, "")), "/a"),
            Err(ClientError::ServerNotAuthenticated(_))
        ));
        let c = s.authorize(&ClientRequest::new("GET", "/a")).unwrap();
        absorb(&mut s, &bare(info_for(&c, false, "")), "/a").unwrap();

        let one = s.authorize(&ClientRequest::new("GET", "/a")).unwrap();
        let _two = s.authorize(&ClientRequest::new("GET", "/a")).unwrap();
        assert!(matches!(
            absorb(&mut s, &bare(info_for(&one, false, "")), "/a"),
            Err(ClientError::CannotVerify(_))
        ));
        // With nc sent back, the one with that nc.
        let info = info_for(&one, false, "");
        let with_nc: String = info
            .split(", ")
            .filter(|p| !p.starts_with("cnonce"))
            .collect::<Vec<_>>()
            .join(", ");
        absorb(&mut s, &with_nc, "/a").unwrap();
    }

    /// MD5 in lowercase hex of `parts` joined by `:`, computed here from
    /// the octets, apart from the crate's own formulas.
    fn md5_hex(parts: &[&[u8]]) -> String {
        use md5::{Digest as _, Md5};
        let digest = Md5::digest(parts.join(&b":"[..]));
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Apache's `AuthName` with a raw ISO-8859-1 octet, and a nonce and
    /// opaque that are not UTF-8 either.
    const LATIN1: &[u8] = b"Digest realm=\"ap-l1-\xfc\", qop=\"auth\", \
        nonce=\"n\xe9\\\"1\", opaque=\"o\xff\", algorithm=MD5";
    const LATIN1_REALM: &[u8] = b"ap-l1-\xfc";
    const LATIN1_NONCE: &[u8] = b"n\xe9\"1";

    fn latin1_session(extra: &[u8]) -> Box<dyn ClientSession> {
        let line = [LATIN1, extra].concat();
        let challenge = Challenge::parse(&line).unwrap();
        assert_eq!(challenge.realm(), None, "the realm is not text");
        let creds = authscheme::ClientCredentials::password("alice", PASSWORD);
        DigestClient::new().start(&challenge, &creds).unwrap()
    }

    /// The realm, nonce and opaque are echoed as the octets the server
    /// sent (a `"` escaped again), and HA1 hashes the realm's octets (RFC
    /// 7616 section 3.4): the exact Authorization value, with the response
    /// computed here from the octets.
    #[test]
    fn a_realm_that_is_not_utf8_is_echoed_and_hashed_as_its_octets() {
        // Apache's case: only the realm is not text.
        let apache = Challenge::parse(b"Digest realm=\"ap-l1-\xfc\", nonce=\"abc\", qop=\"auth\"");
        let creds = authscheme::ClientCredentials::password("alice", PASSWORD);
        let sent = DigestClient::new()
            .start(&apache.unwrap(), &creds)
            .unwrap()
            .authorize(&ClientRequest::new("GET", "/a"))
            .unwrap();
        assert_eq!(sent.param("realm"), Some(LATIN1_REALM));

        let mut session = latin1_session(b"");
        let value = session
            .authorize_header(&ClientRequest::new("GET", "/a"))
            .unwrap();
        let sent = Credentials::parse(value.as_bytes()).unwrap();
        let cnonce = sent.param_str("cnonce").unwrap();
        let ha1 = md5_hex(&[b"alice", LATIN1_REALM, PASSWORD.as_bytes()]);
        let ha2 = md5_hex(&[b"GET", b"/a"]);
        let response = md5_hex(&[
            ha1.as_bytes(),
            LATIN1_NONCE,
            b"00000001",
            cnonce.as_bytes(),
            b"auth",
            ha2.as_bytes(),
        ]);
        let expected = [
            &b"Digest username=\"alice\", realm=\"ap-l1-\xfc\", nonce=\"n\xe9\\\"1\", \
               algorithm=MD5, opaque=\"o\xff\", uri=\"/a\", qop=auth, nc=00000001, cnonce=\""[..],
            cnonce.as_bytes(),
            b"\", response=\"",
            response.as_bytes(),
            b"\"",
        ]
        .concat();
        assert_eq!(
            value.as_bytes(),
            &expected[..],
            "{}",
            String::from_utf8_lossy(value.as_bytes())
        );
        assert_eq!(sent.param("realm"), Some(LATIN1_REALM));
        assert_eq!(sent.param("nonce"), Some(LATIN1_NONCE));
        assert_eq!(sent.param("opaque"), Some(&b"o\xff"[..]));

        // userhash is H(username ":" realm) over the same octets.
        let mut session = latin1_session(b", userhash=true");
        let value = session
            .authorize_header(&ClientRequest::new("GET", "/a"))
            .unwrap();
        let sent = Credentials::parse(value.as_bytes()).unwrap();
        let userhash = md5_hex(&[b"alice", LATIN1_REALM]);
        assert_eq!(sent.param_str("username"), Some(userhash.as_str()));
        assert_eq!(sent.param("realm"), Some(LATIN1_REALM));
    }

    /// `rspauth` over those octets checks out, a `nextnonce` that is not
    /// UTF-8 is taken and echoed as its octets, a `stale=true` challenge
    /// with the same realm is retried, and an `rspauth` that is not text
    /// is a wrong proof, not a missing one.
    #[test]
    fn proofs_and_nonces_that_are_not_utf8_are_octets_too() {
        let mut session = latin1_session(b"");
        let ha1 = md5_hex(&[b"alice", LATIN1_REALM, PASSWORD.as_bytes()]);
        let ha2 = md5_hex(&[b"", b"/a"]);
        let get = ClientRequest::new("GET", "/a");
        let send = |session: &mut Box<dyn ClientSession>| {
            let sent = session.authorize(&get).unwrap();
            (
                sent.param("nonce").unwrap().to_vec(),
                sent.param_str("nc").unwrap().to_owned(),
                sent.param_str("cnonce").unwrap().to_owned(),
            )
        };
        let info = |rspauth: &[u8], nc: &str, cnonce: &str, extra: &[u8]| {
            let list = [
                &b"rspauth=\""[..],
                rspauth,
                format!(r#"", qop=auth, nc={nc}, cnonce="{cnonce}""#).as_bytes(),
                extra,
            ]
            .concat();
            parse_params(&list).unwrap().into_owned()
        };

        let (nonce, nc, cnonce) = send(&mut session);
        assert_eq!(nonce, LATIN1_NONCE);
        let proof = md5_hex(&[
            ha1.as_bytes(),
            &nonce,
            nc.as_bytes(),
            cnonce.as_bytes(),
            b"auth",
            ha2.as_bytes(),
        ]);
        let good = info(proof.as_bytes(), &nc, &cnonce, b", nextnonce=\"\xe0x\"");
        session.absorb_info(&good, &get).unwrap();
        let (nonce, nc, _) = send(&mut session);
        assert_eq!((&nonce[..], nc.as_str()), (&b"\xe0x"[..], "00000001"));

        let stale = [LATIN1, b", stale=true"].concat();
        let stale = Challenge::parse(&stale).unwrap();
        assert_eq!(session.rechallenge(&stale), Rechallenge::Retry);

        for forged in [&b"0"[..], b"\xff"] {
            let (_, nc, cnonce) = send(&mut session);
            let bad = info(&forged.repeat(32), &nc, &cnonce, b"");
            let got = session.absorb_info(&bad, &get);
            assert!(
                matches!(got, Err(ClientError::ServerNotAuthenticated(_))),
                "{got:?}"
            );
        }
    }
}
