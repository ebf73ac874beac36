//! The client side: [`DigestClient`] rates and answers Digest challenges;
//! a [`DigestSession`] keeps the nonce and counts `nc` for one protection
//! space.

use std::collections::VecDeque;
use std::sync::Arc;

use authscheme::syntax::AuthValueWriter;
use authscheme::{
    Challenge, ClientCredentials, ClientError, ClientRequest, ClientScheme, ClientSession,
    Credentials, Params, Rechallenge, SchemeName, Secret,
};
use http::HeaderValue;

use crate::algorithm::{Algorithm, HexDigest};
use crate::compute::{self, Qop, QopParts};

/// How many answered requests a session remembers to check `rspauth`.
const REMEMBERED: usize = 16;

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
#[derive(Debug, Clone, Copy, Default)]
pub struct DigestClient {
    avoid_auth_int: bool,
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
}

/// What the session needs from a challenge.
#[derive(Debug, Clone)]
struct Offer {
    realm: String,
    /// Shared with every [`Sent`] record made under it.
    nonce: Arc<str>,
    opaque: Option<String>,
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

impl Offer {
    fn read(challenge: &Challenge<'_>) -> Result<Self, ClientError> {
        if !challenge.scheme().is("digest") {
            return Err(ClientError::NoUsableChallenge);
        }
        let algorithm_text = challenge.param_str("algorithm").map(str::to_owned);
        let algorithm = match &algorithm_text {
            None => Algorithm::Md5,
            Some(a) => Algorithm::parse(a)
                .ok_or_else(|| ClientError::Unsupported(format!("Digest algorithm {a}")))?,
        };
        let (mut auth, mut auth_int) = (false, false);
        if let Some(qops) = challenge.param_str("qop") {
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
        Ok(Self {
            realm: challenge.realm().unwrap_or_default().to_owned(),
            nonce: challenge
                .param_str("nonce")
                .ok_or(ClientError::Unsupported(
                    "Digest challenge without nonce".into(),
                ))?
                .into(),
            opaque: challenge.param_str("opaque").map(str::to_owned),
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
        Ok(Box::new(DigestSession::new(
            user,
            password.clone(),
            offer,
            self.avoid_auth_int,
        )?))
    }
}

/// One request answered, kept to check the server's `rspauth`.
#[derive(Debug, Clone)]
struct Sent {
    algorithm: Algorithm,
    nonce: Arc<str>,
    nc: u32,
    cnonce: HexDigest,
    qop: Option<Qop>,
    uri: String,
    ha1: HexDigest,
}

/// `nc` as sent: eight lowercase hex digits.
fn nc_text(nc: u32) -> [u8; 8] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    std::array::from_fn(|i| HEX[((nc >> (28 - 4 * i)) & 0xf) as usize])
}

/// The start of every answer under one offer: the parameters that stay the
/// same from request to request (`username`, `realm`, `nonce`, `algorithm`,
/// `opaque`, `userhash`), checked and written once.
fn fixed_part(user: &str, offer: &Offer) -> Result<AuthValueWriter, ClientError> {
    let invalid = |e: authscheme::InvalidValue| ClientError::InvalidInput(e.to_string());
    let capacity = 120 + user.len() + offer.realm.len() + offer.nonce.len();
    let mut w = AuthValueWriter::new(&SchemeName::DIGEST, capacity);
    let username = if offer.userhash {
        let hash = compute::userhash(offer.algorithm, user, &offer.realm);
        w.quoted_param("username", hash.as_bytes())
    } else if user.is_ascii() || !offer.utf8 {
        // Without charset=UTF-8 the octets go as they are (Apache reads
        // them and refuses username*).
        w.quoted_param("username", user.as_bytes())
    } else {
        w.param("username*", user.as_bytes())
    };
    username.map_err(|e| ClientError::InvalidInput(format!("user name: {e}")))?;
    w.param("realm", offer.realm.as_bytes()).map_err(invalid)?;
    w.quoted_param("nonce", offer.nonce.as_bytes())
        .map_err(invalid)?;
    if let Some(a) = &offer.algorithm_text {
        w.param("algorithm", a.as_bytes()).map_err(invalid)?;
    }
    if let Some(opaque) = &offer.opaque {
        w.quoted_param("opaque", opaque.as_bytes())
            .map_err(invalid)?;
    }
    if offer.userhash {
        w.param("userhash", b"true").map_err(invalid)?;
    }
    Ok(w)
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
    /// The answer's parameters that depend on the offer alone.
    fixed: AuthValueWriter,
    /// HA1 of the plain algorithm, computed once per algorithm.
    ha1: HexDigest,
    nc: u32,
    retried_stale: bool,
    avoid_auth_int: bool,
    sent: VecDeque<Sent>,
}

impl DigestSession {
    fn new(
        user: &str,
        password: Secret,
        offer: Offer,
        avoid_auth_int: bool,
    ) -> Result<Self, ClientError> {
        let ha1 = compute::ha1(offer.algorithm, user, &offer.realm, password.expose());
        Ok(Self {
            user: user.to_owned(),
            password,
            fixed: fixed_part(user, &offer)?,
            offer,
            ha1,
            nc: 0,
            retried_stale: false,
            avoid_auth_int,
            sent: VecDeque::with_capacity(REMEMBERED),
        })
    }

    fn take_offer(&mut self, offer: Offer) -> Result<(), ClientError> {
        self.fixed = fixed_part(&self.user, &offer)?;
        if offer.algorithm.base() != self.offer.algorithm.base() || offer.realm != self.offer.realm
        {
            self.ha1 = compute::ha1(
                offer.algorithm,
                &self.user,
                &offer.realm,
                self.password.expose(),
            );
        }
        self.offer = offer;
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
        let o = &self.offer;
        let alg = o.algorithm;
        let nc = nc_text(self.nc);
        let nc_str = std::str::from_utf8(&nc).unwrap_or_default();
        // 128 random bits as 32 hex digits: no need to hash randomness.
        let cnonce = HexDigest::from_raw(&rand::random::<[u8; 16]>());
        let uri = request.target();
        let ha1 = compute::session_ha1(alg, &self.ha1, &o.nonce, cnonce.as_str());
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
        let response = compute::response(alg, &ha1, &o.nonce, parts, &ha2);

        let value = {
            let invalid = |e: authscheme::InvalidValue| ClientError::InvalidInput(e.to_string());
            let mut w = self.fixed.clone_with_capacity(200 + uri.len());
            w.quoted_param("uri", uri.as_bytes()).map_err(invalid)?;
            if let Some(q) = qop {
                w.param("qop", q.as_str().as_bytes()).map_err(invalid)?;
                w.param("nc", &nc).map_err(invalid)?;
                w.quoted_param("cnonce", cnonce.as_bytes())
                    .map_err(invalid)?;
            }
            w.quoted_param("response", response.as_bytes())
                .map_err(invalid)?;
            w.into_header_value()
        };

        if self.sent.len() == REMEMBERED {
            self.sent.pop_front();
        }
        self.sent.push_back(Sent {
            algorithm: alg,
            nonce: Arc::clone(&o.nonce),
            nc: self.nc,
            cnonce,
            qop,
            uri: uri.to_owned(),
            ha1,
        });
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

    fn absorb_info(
        &mut self,
        info: &Params<'_>,
        _request: &ClientRequest<'_>,
    ) -> Result<(), ClientError> {
        let nc = info.get_str("nc");
        let cnonce = info.get_str("cnonce");
        let parse = |nc: &str| u32::from_str_radix(nc, 16).ok();
        let sent =
            match nc {
                Some(nc) => self.sent.iter().rev().find(|s| {
                    parse(nc) == Some(s.nc) && cnonce.is_none_or(|c| c == s.cnonce.as_str())
                }),
                None => self.sent.back(),
            };
        if let Some(rspauth) = info.get_str("rspauth") {
            let Some(sent) = sent else {
                // Older than every request still remembered (many were sent
                // on this space since): it cannot be checked. Anything else
                // names a request this session never sent: a forged proof.
                let oldest = self.sent.iter().map(|s| s.nc).min();
                return match (nc.and_then(parse), oldest) {
                    (Some(nc), Some(oldest)) if nc < oldest => Err(ClientError::CannotVerify(
                        "rspauth for a request this session no longer remembers".into(),
                    )),
                    _ => Err(ClientError::ServerNotAuthenticated(
                        "rspauth for a request this client did not send".into(),
                    )),
                };
            };
            let qop = info.get_str("qop").and_then(Qop::parse).or(sent.qop);
            // With auth-int, rspauth covers the response body, which the
            // session does not see; with no qop there is no rspauth form.
            if let (Some(Qop::Auth), Some(_)) = (qop, sent.qop) {
                let nc = nc_text(sent.nc);
                let parts = QopParts {
                    qop: Qop::Auth,
                    nc: std::str::from_utf8(&nc).unwrap_or_default(),
                    cnonce: sent.cnonce.as_str(),
                };
                let expected =
                    compute::rspauth(sent.algorithm, &sent.ha1, &sent.nonce, parts, &sent.uri);
                let given = rspauth.to_ascii_lowercase();
                if !authscheme::ct_eq(given.as_bytes(), expected.as_bytes()) {
                    return Err(ClientError::ServerNotAuthenticated(
                        "rspauth does not match".into(),
                    ));
                }
            }
        }
        if let Some(next) = info
            .get_str("nextnonce")
            .filter(|n| !n.is_empty() && *n != &*self.offer.nonce)
        {
            let offer = Offer {
                nonce: next.into(),
                ..self.offer.clone()
            };
            self.take_offer(offer)?;
            self.retried_stale = false;
        }
        Ok(())
    }
}
