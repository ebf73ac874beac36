//! The logic shared by [`crate::AuthClient`] and [`crate::AuthMiddleware`]:
//! answer before being asked when a space is known, read 401/407
//! challenges, pick a scheme, resend, and check `Authentication-Info`.

use std::borrow::Cow;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use authscheme::registry;
use authscheme::syntax::{parse_challenge_lines, parse_params};
use authscheme::{
    Challenge, ClientError, ClientRequest, ClientScheme, Credentials, Rechallenge, Role, choose,
};
use http::{HeaderMap, HeaderValue, StatusCode};
use reqwest::{Request, Response, Url};

use crate::error::Error;
use crate::provider::{CredentialProvider, CredentialRequest};
use crate::spaces::{Session, SharedSession, SpaceKey, Spaces, lock};

/// How many 401/407 answers one request may go through (origin, proxy,
/// and a stale or refreshed retry of each).
const MAX_ROUNDS: usize = 4;

/// A future the transport returns.
pub(crate) type SendFuture<'s, E> = Pin<Box<dyn Future<Output = Result<Response, E>> + Send + 's>>;

/// Sends one request: `reqwest::Client::execute` or the next middleware.
pub(crate) trait Transport: Send {
    /// The transport's error.
    type Error: Send;
    /// Sends `request`.
    fn send(&mut self, request: Request) -> SendFuture<'_, Self::Error>;
}

/// Either the transport failed or the authentication layer did.
#[derive(Debug)]
pub(crate) enum Failure<E> {
    Send(E),
    Auth(Error),
}

impl<E> From<Error> for Failure<E> {
    fn from(e: Error) -> Self {
        Failure::Auth(e)
    }
}

/// Switches that relax the defaults; each name says what it costs.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Options {
    pub(crate) insecure_allow_basic_over_http: bool,
    pub(crate) insecure_allow_basic_to_proxy: bool,
    pub(crate) insecure_allow_bearer_over_http: bool,
    pub(crate) dangerous_skip_rspauth_check: bool,
}

impl Options {
    /// Whether `scheme` (lower case) must not answer `role`'s challenge on
    /// a request to `url`: Basic and Bearer send a reusable secret, which
    /// anyone on a plain-http path reads (RFC 7617 section 4, RFC 6750
    /// section 5.3), unless allowed. A proxy is always reached over plain
    /// http (only plain-http requests answer one).
    fn refuses(&self, scheme: &str, role: Role, url: &Url) -> bool {
        let plain = role == Role::Proxy || url.scheme() == "http";
        match scheme {
            "basic" if role == Role::Proxy => {
                !(self.insecure_allow_basic_over_http || self.insecure_allow_basic_to_proxy)
            }
            "basic" => plain && !self.insecure_allow_basic_over_http,
            "bearer" => plain && !self.insecure_allow_bearer_over_http,
            _ => false,
        }
    }
}

/// The error for `scheme` refused by [`Options::refuses`] on a request to
/// `origin` (a proxy's is named as such).
fn refused(scheme: &str, role: Role, origin: &str) -> Error {
    let origin = if role == Role::Proxy {
        "the proxy".to_owned()
    } else {
        origin.to_owned()
    };
    if scheme == "bearer" {
        Error::BearerOverPlainHttp { origin }
    } else {
        Error::BasicOverPlainHttp { origin }
    }
}

/// Credentials, schemes, sessions and options.
pub(crate) struct Engine {
    provider: Box<dyn CredentialProvider>,
    schemes: RwLock<Arc<Vec<Box<dyn ClientScheme>>>>,
    spaces: Spaces,
    pub(crate) options: Mutex<Options>,
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("schemes", &self.scheme_names())
            .field("spaces", &self.spaces.len())
            .field("options", &*lock(&self.options))
            .finish_non_exhaustive()
    }
}

/// The credentials sent for one role in the current attempt.
struct Used {
    key: Arc<SpaceKey>,
    session: SharedSession,
    /// The session was started for this request (its credentials were not
    /// remembered from an earlier one).
    fresh: bool,
    /// A stale/refresh retry already happened for this request.
    retried: bool,
}

/// Whether `Proxy-Authorization` may go with a request to `url`: only to
/// plain `http`. For `https` a proxy sees only the CONNECT that reqwest
/// sends (with the credentials of the proxy URL or `Proxy::basic_auth`; a
/// 407 to it is a transport error); a header set on the request travels
/// inside the tunnel to the origin server.
fn proxy_may_see(url: &Url) -> bool {
    url.scheme() == "http"
}

/// Whether `response` came over a connection to `url`'s host itself, with
/// no proxy in between: its peer is the URL's port at an address the host
/// names. A 407 from there is the origin server's, and proxy credentials
/// are not for it (RFC 9110 section 11.7.1: they go to the next outbound
/// client on the chain, a proxy). reqwest does not say whether a request
/// went through a proxy, but it does say whom the response came from.
/// Best effort: a peer on another port (a proxy's, nearly always) is not
/// the origin, without asking DNS; a name is resolved only when the ports
/// agree; unknown (no peer address, a name that does not resolve) counts
/// as not the origin, as before this check.
async fn came_from_the_origin(response: &Response, url: &Url) -> bool {
    let (Some(peer), Some(host), Some(port)) = (
        response.remote_addr(),
        url.host_str(),
        url.port_or_known_default(),
    ) else {
        return false;
    };
    if peer.port() != port {
        return false;
    }
    let peer_ip = peer.ip().to_canonical();
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<std::net::IpAddr>() {
        return ip.to_canonical() == peer_ip;
    }
    match tokio::net::lookup_host((bare, port)).await {
        Ok(mut addresses) => addresses.any(|a| a.ip().to_canonical() == peer_ip),
        Err(_) => false,
    }
}

/// `scheme://host:port`.
pub(crate) fn origin_of(url: &Url) -> Option<String> {
    let scheme = url.scheme();
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let host = url.host_str()?;
    let port = url.port_or_known_default()?;
    Some(format!("{scheme}://{host}:{port}"))
}

/// The request-target a scheme signs: origin-form for the origin server,
/// the absolute URI for a proxy (what a forward proxy receives).
fn target_of(url: &Url, role: Role) -> String {
    if role == Role::Proxy {
        // The fragment is never sent (RFC 9110 section 7.1).
        let mut absolute = url.clone();
        absolute.set_fragment(None);
        return absolute.as_str().to_owned();
    }
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    }
}

/// The body as Digest sees it: bytes when the request has a buffered,
/// non-empty body; `None` for no body (so `qop=auth` is used and `rspauth`
/// can be checked) or a stream.
fn body_of(request: &Request) -> Option<&[u8]> {
    request
        .body()
        .and_then(reqwest::Body::as_bytes)
        .filter(|b| !b.is_empty())
}

/// Every challenge of `role` in `headers`. A line that does not parse is
/// skipped (the others may still be answerable).
fn challenges_in(headers: &HeaderMap, role: Role) -> Vec<Challenge<'static>> {
    let lines = headers.get_all(role.challenge_header());
    if let Ok(all) = parse_challenge_lines(lines.iter().map(|v| v.as_bytes())) {
        return all.into_iter().map(Challenge::into_owned).collect();
    }
    let mut out = Vec::new();
    for line in lines {
        match parse_challenge_lines([line.as_bytes()]) {
            Ok(some) => out.extend(some.into_iter().map(Challenge::into_owned)),
            Err(e) => tracing::debug!(error = %e, "skipping a challenge line that does not parse"),
        }
    }
    out
}

/// The `Authentication-Info` (or the proxy's) of a response as one value.
struct Info<'h> {
    octets: Cow<'h, [u8]>,
    /// How many different field lines it came as.
    lines: usize,
}

/// The field's name as the RFCs spell it, for messages.
fn info_name(role: Role) -> &'static str {
    if role == Role::Proxy {
        "Proxy-Authentication-Info"
    } else {
        "Authentication-Info"
    }
}

/// The `Authentication-Info` (or the proxy's) in `headers`, `None` when
/// there is none. A field line repeated octet for octet counts once;
/// different lines are one list (RFC 9110 section 5.3), joined here, so
/// lines that give a parameter twice (two proofs) do not parse.
fn info_in(headers: &HeaderMap, role: Role) -> Option<Info<'_>> {
    let mut lines: Vec<&[u8]> = Vec::new();
    for line in headers.get_all(role.info_header()) {
        if !lines.contains(&line.as_bytes()) {
            lines.push(line.as_bytes());
        }
    }
    let octets = match lines.as_slice() {
        [] => return None,
        [one] => Cow::Borrowed(*one),
        many => Cow::Owned(many.join(&b", "[..])),
    };
    Some(Info {
        octets,
        lines: lines.len(),
    })
}

/// Digest parameters whose values the debug log shows: none is a secret
/// or names a person. The others (`response`, `username`, `username*`, and
/// any extension) show as `<hidden>`, and so does every parameter of
/// another scheme, whose meaning is unknown here.
const SHOWN_DIGEST_PARAMS: [&str; 10] = [
    "realm",
    "nonce",
    "uri",
    "algorithm",
    "qop",
    "nc",
    "cnonce",
    "opaque",
    "userhash",
    "charset",
];

/// What of the credentials is safe to show: the scheme, every parameter's
/// name, and the values of [`SHOWN_DIGEST_PARAMS`] for Digest.
fn describe(value: &HeaderValue) -> String {
    let Ok(credentials) = Credentials::parse(value.as_bytes()) else {
        return "<unreadable>".to_owned();
    };
    let scheme = credentials.scheme();
    let mut out = scheme.as_str().to_owned();
    if credentials.token68().is_some() {
        out.push_str(" <hidden>");
        return out;
    }
    let digest = scheme.is("digest");
    for p in credentials.params().iter() {
        out.push(' ');
        out.push_str(p.name());
        out.push('=');
        if digest && SHOWN_DIGEST_PARAMS.iter().any(|name| p.is(name)) {
            out.push_str(&String::from_utf8_lossy(p.value()));
        } else {
            out.push_str("<hidden>");
        }
    }
    out
}

fn role_index(role: Role) -> usize {
    usize::from(role == Role::Proxy)
}

const ROLES: [Role; 2] = [Role::Origin, Role::Proxy];

impl Engine {
    pub(crate) fn new(provider: Box<dyn CredentialProvider>) -> Self {
        Self {
            provider,
            schemes: RwLock::new(Arc::new(registry::client_schemes())),
            spaces: Spaces::default(),
            options: Mutex::new(Options::default()),
        }
    }

    pub(crate) fn set_schemes(&self, schemes: Vec<Box<dyn ClientScheme>>) {
        *self.schemes.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(schemes);
    }

    fn schemes(&self) -> Arc<Vec<Box<dyn ClientScheme>>> {
        Arc::clone(&self.schemes.read().unwrap_or_else(PoisonError::into_inner))
    }

    pub(crate) fn scheme_names(&self) -> Vec<String> {
        self.schemes()
            .iter()
            .map(|s| s.name().as_str().to_owned())
            .collect()
    }

    pub(crate) fn known_spaces(&self) -> usize {
        self.spaces.len()
    }

    fn options(&self) -> Options {
        *lock(&self.options)
    }

    /// Sends `request`, answering challenges. Challenges from an origin
    /// other than `first_origin` (the one the caller asked for, before any
    /// redirect) are never answered.
    pub(crate) async fn execute<T: Transport>(
        &self,
        mut request: Request,
        first_origin: &str,
        transport: &mut T,
    ) -> Result<Response, Failure<T::Error>> {
        let origin = origin_of(request.url()).ok_or(Error::InvalidUrl)?;
        let mut used: [Option<Used>; 2] = [None, None];
        for role in ROLES {
            if role == Role::Proxy && !proxy_may_see(request.url()) {
                continue;
            }
            if let Some((key, session)) = self.spaces.find(role, &origin, request.url().path()) {
                let u = Used {
                    key,
                    session,
                    fresh: false,
                    retried: false,
                };
                self.authorize(&mut request, role, &u)?;
                used[role_index(role)] = Some(u);
            }
        }

        let mut rounds = 0;
        loop {
            let spare = request.try_clone();
            let method = request.method().clone();
            let url = request.url().clone();
            // The credentials sent, to name the request if the answer's
            // Authentication-Info cannot be read.
            let sent = ROLES.map(|role| request.headers().get(role.credentials_header()).cloned());
            let response = transport.send(request).await.map_err(Failure::Send)?;
            if response.url() != &url && sent.iter().any(Option::is_some) {
                // Only the inner client follows redirects before we see
                // the response; it resent credentials signed for `url`.
                tracing::warn!(
                    from = %url,
                    to = %response.url(),
                    "the inner HTTP client followed a redirect with credentials meant for \
                     the first target (a Digest server refuses them); build it with \
                     reqwest::redirect::Policy::none() so the middleware follows redirects"
                );
            }
            let role = match response.status() {
                StatusCode::UNAUTHORIZED => Role::Origin,
                StatusCode::PROXY_AUTHENTICATION_REQUIRED => Role::Proxy,
                _ => {
                    self.absorb(&response, &method, &url, &used, &sent)?;
                    return Ok(response);
                }
            };
            // reqwest may have followed a redirect before we saw this.
            let here = origin_of(response.url());
            if role == Role::Origin && here.as_deref() != Some(first_origin) {
                tracing::debug!(url = %response.url(), "not answering a challenge from another origin");
                return Ok(response);
            }
            // A 407 is answered only for the plain-http request it came
            // back for: one to an https URL came from the origin server (a
            // proxy's 407 to reqwest's CONNECT is a transport error), and
            // one after a redirect reqwest followed belongs to a request
            // this one is not.
            if role == Role::Proxy
                && (!proxy_may_see(&url)
                    || here.as_deref() != Some(origin.as_str())
                    || came_from_the_origin(&response, &url).await)
            {
                tracing::debug!(url = %response.url(), "not answering a 407 that no proxy of this request sent");
                return Ok(response);
            }
            rounds += 1;
            if rounds > MAX_ROUNDS {
                return Ok(response);
            }
            let challenges = challenges_in(response.headers(), role);
            tracing::debug!(status = response.status().as_u16(), challenges = ?challenges, "challenged");
            if challenges.is_empty() {
                return Ok(response);
            }

            let slot = &mut used[role_index(role)];
            let mut answer = None;
            if let Some(u) = slot.as_mut() {
                let verdict = self
                    .of_the_space(&challenges, u)
                    .into_iter()
                    .map(|c| lock(&u.session.state).rechallenge(c))
                    .find(|v| *v == Rechallenge::Retry)
                    .unwrap_or(Rechallenge::GiveUp);
                if verdict == Rechallenge::Retry && !u.retried {
                    tracing::debug!(scheme = %u.key.scheme, "retrying with fresh state from the new challenge");
                    u.retried = true;
                    answer = Some(());
                } else {
                    self.spaces.remove(&u.key);
                    if u.fresh {
                        tracing::debug!(scheme = %u.key.scheme, "credentials refused");
                        return Ok(response);
                    }
                    // Remembered credentials went out of date: start over once.
                    *slot = None;
                }
            }
            if answer.is_none() {
                match self.start(role, &url, &origin, &challenges)? {
                    Some(u) => *slot = Some(u),
                    None => return Ok(response),
                }
            }
            let Some(mut next) = spare else {
                return Err(Error::BodyNotReplayable {
                    status: response.status().as_u16(),
                }
                .into());
            };
            drop(response);
            for role in ROLES {
                if let Some(u) = &used[role_index(role)] {
                    self.authorize(&mut next, role, u)?;
                }
            }
            request = next;
        }
    }

    /// The challenges of `u`'s space (its scheme and realm) that the linked
    /// scheme can answer, strongest first (the first among equals), as
    /// the scheme ranks them with the session's credentials: a retry after
    /// `stale=true` keeps to the strongest algorithm offered, whatever the
    /// order of the challenges.
    fn of_the_space<'c>(
        &self,
        challenges: &'c [Challenge<'static>],
        u: &Used,
    ) -> Vec<&'c Challenge<'static>> {
        let linked = self.schemes();
        let Some(scheme) = linked.iter().find(|s| s.name().is(&u.key.scheme)) else {
            return Vec::new();
        };
        let mut ranked: Vec<_> = challenges
            .iter()
            .filter(|c| {
                c.scheme().is(&u.key.scheme)
                    && c.param("realm").unwrap_or_default() == &u.key.realm[..]
            })
            .filter_map(|c| Some((scheme.rank(c, &u.session.credentials)?, c)))
            .collect();
        // Stable: equals keep the server's order.
        ranked.sort_by_key(|&(rank, _)| std::cmp::Reverse(rank));
        ranked.into_iter().map(|(_, c)| c).collect()
    }

    /// Picks a challenge, asks for credentials and starts a session, or
    /// `None` when nothing can answer.
    fn start(
        &self,
        role: Role,
        url: &Url,
        origin: &str,
        challenges: &[Challenge<'static>],
    ) -> Result<Option<Used>, Error> {
        let Some(credentials) = self
            .provider
            .credentials(&CredentialRequest::new(role, url, challenges))
        else {
            tracing::debug!("no credentials for this space");
            return Ok(None);
        };
        let options = self.options();
        let refuses = |s: &dyn ClientScheme| {
            options.refuses(&s.name().as_str().to_ascii_lowercase(), role, url)
        };
        let linked = self.schemes();
        let schemes: Vec<&dyn ClientScheme> = linked
            .iter()
            .map(AsRef::as_ref)
            .filter(|&s| !refuses(s))
            .collect();
        let Some((index, scheme)) = choose(challenges, &schemes, &credentials) else {
            // Say so when a scheme held back for plain http could have
            // answered: the caller can use https or allow it.
            let all: Vec<&dyn ClientScheme> = linked.iter().map(AsRef::as_ref).collect();
            if let Some((_, held_back)) = choose(challenges, &all, &credentials)
                && refuses(held_back)
            {
                let name = held_back.name().as_str().to_ascii_lowercase();
                return Err(refused(&name, role, origin));
            }
            tracing::debug!("no offered challenge can be answered");
            return Ok(None);
        };
        let challenge = &challenges[index];
        let session = scheme
            .start(challenge, &credentials)
            .map_err(|e| scheme_error(scheme.name().as_str(), &e))?;
        // A proxy's space is the origin's too: its credentials go before
        // being asked only with requests to the origin that was challenged
        // (a request elsewhere may not go through this proxy at all).
        let key = Arc::new(SpaceKey {
            role,
            origin: origin.to_owned(),
            scheme: scheme.name().as_str().to_ascii_lowercase(),
            // Octets: a realm need not be UTF-8 (`realm()` is `None` then).
            realm: challenge.param("realm").unwrap_or_default().to_vec(),
        });
        tracing::debug!(
            scheme = %scheme.name().as_str(),
            realm = %String::from_utf8_lossy(&key.realm),
            "answering"
        );
        let session = Session::new(credentials, session);
        self.spaces
            .insert(Arc::clone(&key), url.path(), Arc::clone(&session));
        Ok(Some(Used {
            key,
            session,
            fresh: true,
            retried: false,
        }))
    }

    /// Puts the session's credentials for `request` in its header.
    fn authorize(&self, request: &mut Request, role: Role, u: &Used) -> Result<(), Error> {
        if role == Role::Proxy && !proxy_may_see(request.url()) {
            // `execute` never gets here; kept so no path can send it.
            return Ok(());
        }
        let target = target_of(request.url(), role);
        let plain = ClientRequest::new(request.method().as_str(), &target);
        let mut value = {
            let mut session = lock(&u.session.state);
            match body_of(request) {
                Some(body) => session.authorize_header(&plain.with_body(body)),
                None => session.authorize_header(&plain).or_else(|e| {
                    // A server that offers only auth-int: an absent or
                    // empty body hashes as empty.
                    if request
                        .body()
                        .is_none_or(|b| b.as_bytes().is_some_and(<[u8]>::is_empty))
                    {
                        session.authorize_header(&plain.with_body(&[]))
                    } else {
                        Err(e)
                    }
                }),
            }
        }
        .map_err(|e| scheme_error(&u.key.scheme, &e))?;
        if self.options().refuses(&u.key.scheme, role, request.url()) {
            let origin = origin_of(request.url()).unwrap_or_default();
            return Err(refused(&u.key.scheme, role, &origin));
        }
        // Read back for the log only when debug logging is on.
        tracing::debug!(header = %role.credentials_header(), value = %describe(&value), "sending");
        value.set_sensitive(true);
        request
            .headers_mut()
            .insert(role.credentials_header().clone(), value);
        Ok(())
    }

    /// Reads `Authentication-Info` (and the proxy's) from the final
    /// response into the sessions that answered. One that is there but
    /// cannot be read (it breaks the grammar, gives a parameter twice, or
    /// comes as field lines that conflict) is no proof: the session is
    /// told, with the credentials `sent` for the request
    /// ([`ClientSession::absorb_unreadable_info`]), and,
    /// where it would have checked a proof, the response fails as for a
    /// wrong one. A response without one passes, as before (nginx and
    /// lighttpd send none).
    fn absorb(
        &self,
        response: &Response,
        method: &http::Method,
        url: &Url,
        used: &[Option<Used>; 2],
        sent: &[Option<HeaderValue>; 2],
    ) -> Result<(), Error> {
        for role in ROLES {
            let Some(u) = &used[role_index(role)] else {
                continue;
            };
            let Some(info) = info_in(response.headers(), role) else {
                continue;
            };
            let target = target_of(url, role);
            let request = ClientRequest::new(method.as_str(), &target);
            let outcome = match parse_params(&info.octets) {
                Ok(params) => {
                    tracing::debug!(header = %role.info_header(), ?params, "received");
                    lock(&u.session.state).absorb_info(&params, &request)
                }
                Err(e) => {
                    let name = info_name(role);
                    let reason = match info.lines {
                        1 => format!("{name} does not parse: {e}"),
                        n => format!("{name} came as {n} field lines that conflict: {e}"),
                    };
                    let sent = sent[role_index(role)]
                        .as_ref()
                        .and_then(|v| Credentials::parse(v.as_bytes()).ok());
                    match sent {
                        Some(sent) => {
                            let outcome = lock(&u.session.state)
                                .absorb_unreadable_info(&reason, &sent, &request);
                            if outcome.is_ok() {
                                tracing::debug!(%reason, "ignored: the session had no proof to check");
                            }
                            outcome
                        }
                        // Every value a session writes parses; one that did
                        // not was never sent by a session, so it is no proof.
                        None => Err(ClientError::ServerNotAuthenticated(reason)),
                    }
                }
            };
            self.settle(u, outcome)?;
        }
        Ok(())
    }

    /// What a session made of an `Authentication-Info`.
    fn settle(&self, u: &Used, outcome: Result<(), ClientError>) -> Result<(), Error> {
        match outcome {
            Ok(()) => Ok(()),
            Err(ClientError::CannotVerify(reason)) => {
                // The proof covers what the session does not see (the
                // response body, for auth-int) or names a request it
                // forgot (more were awaiting an answer on this space than
                // it keeps; see `DigestClient::max_unanswered`): it cannot
                // be checked, which is no proof of a wrong one, just as a
                // missing Authentication-Info is not. Said out loud.
                tracing::warn!(%reason, "rspauth not checked");
                Ok(())
            }
            Err(ClientError::ServerNotAuthenticated(reason)) => {
                if self.options().dangerous_skip_rspauth_check {
                    tracing::warn!(%reason, "rspauth mismatch ignored (dangerous_skip_rspauth_check)");
                    Ok(())
                } else {
                    self.spaces.remove(&u.key);
                    Err(Error::ServerNotAuthenticated { reason })
                }
            }
            Err(e) => Err(scheme_error(&u.key.scheme, &e)),
        }
    }
}

/// A session's error as [`Error::Scheme`], naming the scheme. (A proof
/// that does not match and one that cannot be checked are told apart
/// before this, by `ClientError::ServerNotAuthenticated` and
/// `ClientError::CannotVerify`.)
fn scheme_error(scheme: &str, e: &ClientError) -> Error {
    Error::Scheme {
        scheme: scheme.to_owned(),
        reason: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::collections::VecDeque;
    use std::convert::Infallible;

    use http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
    use reqwest::ResponseBuilderExt;

    use crate::provider::FixedCredentials;

    /// Answers each request with the next scripted status and
    /// `WWW-Authenticate` lines (200 once the script is done), and keeps
    /// the `Authorization` each request carried.
    struct Scripted {
        script: VecDeque<(StatusCode, &'static [&'static str])>,
        sent: Vec<Option<HeaderValue>>,
    }

    impl Scripted {
        fn new(script: &[(StatusCode, &'static [&'static str])]) -> Self {
            Self {
                script: script.iter().copied().collect(),
                sent: Vec::new(),
            }
        }

        /// The `Authorization` of request `i`, as text.
        fn sent(&self, i: usize) -> &str {
            self.sent[i]
                .as_ref()
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
        }
    }

    impl Transport for Scripted {
        type Error = Infallible;
        fn send(&mut self, request: Request) -> SendFuture<'_, Infallible> {
            self.sent
                .push(request.headers().get(AUTHORIZATION).cloned());
            let (status, lines) = self.script.pop_front().unwrap_or((StatusCode::OK, &[]));
            let mut response = http::Response::builder()
                .url(request.url().clone())
                .status(status);
            for line in lines {
                response = response.header(WWW_AUTHENTICATE, *line);
            }
            let response = response.body(String::new()).map(Response::from);
            Box::pin(async move { Ok(response.expect("a valid response")) })
        }
    }

    async fn run(
        mut request: Request,
        body: Option<Vec<u8>>,
        transport: &mut Scripted,
    ) -> Response {
        *request.body_mut() = body.map(reqwest::Body::from);
        let engine = Engine::new(Box::new(FixedCredentials::new(
            authscheme::ClientCredentials::password("alice", "wonderland"),
        )));
        match engine
            .execute(request, "http://127.0.0.1:80", transport)
            .await
        {
            Ok(response) => response,
            Err(Failure::Auth(e)) => panic!("{e}"),
        }
    }

    fn post() -> Request {
        Request::new(
            http::Method::POST,
            Url::parse("http://127.0.0.1/x").expect("url"),
        )
    }

    /// RFC 7616 section 3.4.3: an empty body is a known body; its hash is
    /// that of the empty string.
    #[tokio::test]
    async fn an_empty_body_is_answered_under_auth_int_only() {
        let only_auth_int: &[&str] = &[r#"Digest realm="r", nonce="n", qop="auth-int""#];
        let mut transport = Scripted::new(&[(StatusCode::UNAUTHORIZED, only_auth_int)]);
        let response = run(post(), Some(Vec::new()), &mut transport).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            transport.sent(1).contains("qop=auth-int"),
            "{}",
            transport.sent(1)
        );
    }

    /// A `stale=true` retry answers the strongest challenge of the space,
    /// not the first listed: no fall back from SHA-256 to MD5.
    #[tokio::test]
    async fn a_stale_retry_keeps_to_the_strongest_algorithm() {
        let md5_first: &[&str] = &[
            r#"Digest realm="r", nonce="n1", qop="auth", algorithm=MD5"#,
            r#"Digest realm="r", nonce="n1", qop="auth", algorithm=SHA-256"#,
        ];
        let stale: &[&str] = &[
            r#"Digest realm="r", nonce="n2", qop="auth", algorithm=MD5, stale=true"#,
            r#"Digest realm="r", nonce="n2", qop="auth", algorithm=SHA-256, stale=true"#,
        ];
        let mut transport = Scripted::new(&[
            (StatusCode::UNAUTHORIZED, md5_first),
            (StatusCode::UNAUTHORIZED, stale),
        ]);
        let response = run(post(), None, &mut transport).await;
        assert_eq!(response.status(), StatusCode::OK);
        assert!(
            transport.sent(1).contains("algorithm=SHA-256"),
            "{}",
            transport.sent(1)
        );
        assert!(
            transport.sent(2).contains(r#"nonce="n2""#),
            "{}",
            transport.sent(2)
        );
        assert!(
            transport.sent(2).contains("algorithm=SHA-256"),
            "{}",
            transport.sent(2)
        );
    }

    #[test]
    fn origins_and_targets() {
        let url = Url::parse("http://Example.COM/a/b?x=1#frag").expect("url");
        assert_eq!(origin_of(&url).as_deref(), Some("http://example.com:80"));
        assert_eq!(target_of(&url, Role::Origin), "/a/b?x=1");
        // A proxy gets the absolute URI it receives: no fragment.
        assert_eq!(target_of(&url, Role::Proxy), "http://example.com/a/b?x=1");
        let ftp = Url::parse("ftp://example.com/").expect("url");
        assert_eq!(origin_of(&ftp), None);
    }

    /// Hostile or broken challenge lines never panic: they are skipped, or
    /// leave the 401 to the caller.
    #[test]
    fn broken_challenges_are_skipped_without_panic() {
        use crate::provider::FixedCredentials;
        let engine = Engine::new(Box::new(FixedCredentials::new(
            authscheme::ClientCredentials::password("alice", "wonderland"),
        )));
        let url = Url::parse("http://127.0.0.1/x").expect("url");
        let long = format!("Digest realm=\"{}\"", "a".repeat(100_000));
        let lines: Vec<&[u8]> = vec![
            b"",
            b",,, ,",
            b"Digest",
            b"Digest nonce=",
            b"Digest realm=\"\xff\xfe\", nonce=\"n\", algorithm=SHA-1",
            b"Digest realm=\"r\", qop=\"auth-conf\", nonce=\"n\"",
            b"Basic realm=\"unterminated",
            b"=====",
            b"Digest realm=\"x\" nonce=\"y\"",
            b"\x00\x01\x7f",
            long.as_bytes(),
        ];
        for line in &lines {
            let mut headers = HeaderMap::new();
            if let Ok(v) = http::HeaderValue::from_bytes(line) {
                headers.append(http::header::WWW_AUTHENTICATE, v);
            }
            let challenges = challenges_in(&headers, Role::Origin);
            let started = engine.start(Role::Origin, &url, "http://127.0.0.1:80", &challenges);
            assert!(
                matches!(started, Ok(None)),
                "line {:?} gave {:?}",
                String::from_utf8_lossy(&line[..line.len().min(40)]),
                started.map(|u| u.map(|u| u.key))
            );
        }
        // All of them at once, with one good challenge last: it is chosen.
        let mut headers = HeaderMap::new();
        for line in &lines {
            if let Ok(v) = http::HeaderValue::from_bytes(line) {
                headers.append(http::header::WWW_AUTHENTICATE, v);
            }
        }
        headers.append(
            http::header::WWW_AUTHENTICATE,
            http::HeaderValue::from_static("Digest realm=\"ok\", nonce=\"abc\", qop=\"auth\""),
        );
        let challenges = challenges_in(&headers, Role::Origin);
        let used = engine
            .start(Role::Origin, &url, "http://127.0.0.1:80", &challenges)
            .expect("no error")
            .expect("the good challenge is answered");
        assert_eq!(used.key.realm, b"ok");
    }
}

#[cfg(test)]
mod proxy_scope_tests {
    use std::collections::VecDeque;
    use std::convert::Infallible;

    use authscheme::ClientCredentials;
    use http::header::{PROXY_AUTHENTICATE, PROXY_AUTHORIZATION};
    use reqwest::ResponseBuilderExt;

    use super::*;
    use crate::provider::FixedCredentials;

    /// Records what would go on the wire and answers from a script (then
    /// `200`).
    #[derive(Default)]
    struct Scripted {
        sent: Vec<(Url, HeaderMap)>,
        answers: VecDeque<StatusCode>,
    }

    impl Transport for Scripted {
        type Error = Infallible;
        fn send(&mut self, request: Request) -> SendFuture<'_, Infallible> {
            self.sent
                .push((request.url().clone(), request.headers().clone()));
            let status = self.answers.pop_front().unwrap_or(StatusCode::OK);
            let mut response = http::Response::builder()
                .status(status)
                .url(request.url().clone());
            if status == StatusCode::PROXY_AUTHENTICATION_REQUIRED {
                response = response.header(
                    PROXY_AUTHENTICATE,
                    "Digest realm=\"proxy\", nonce=\"abc\", qop=\"auth\", algorithm=SHA-256",
                );
            }
            let response = response.body(String::new()).map(Response::from);
            Box::pin(async move { Ok(response.expect("a valid response")) })
        }
    }

    fn proxy_user() -> Engine {
        Engine::new(Box::new(
            FixedCredentials::none().with_proxy(ClientCredentials::password("alice", "wonderland")),
        ))
    }

    /// Sends a GET to `url` after `answers`; every request that went out,
    /// and the final status.
    async fn run(
        engine: &Engine,
        url: &str,
        answers: &[StatusCode],
    ) -> (Vec<(Url, HeaderMap)>, StatusCode) {
        let url = Url::parse(url).expect("url");
        let origin = origin_of(&url).expect("origin");
        let mut transport = Scripted {
            sent: Vec::new(),
            answers: answers.iter().copied().collect(),
        };
        let request = Request::new(http::Method::GET, url);
        let status = match engine.execute(request, &origin, &mut transport).await {
            Ok(response) => response.status(),
            Err(Failure::Auth(e)) => panic!("{e}"),
        };
        (transport.sent, status)
    }

    const PROXY_407: StatusCode = StatusCode::PROXY_AUTHENTICATION_REQUIRED;

    #[tokio::test]
    async fn an_https_request_never_carries_proxy_credentials() {
        let engine = proxy_user();
        // A plain-http request through the proxy is answered.
        let (sent, status) = run(&engine, "http://intranet.test/a", &[PROXY_407]).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(sent.len(), 2);
        assert!(!sent[0].1.contains_key(PROXY_AUTHORIZATION));
        assert!(sent[1].1.contains_key(PROXY_AUTHORIZATION));
        // And answered before being asked next time.
        let (sent, _) = run(&engine, "http://intranet.test/b", &[]).await;
        assert!(sent[0].1.contains_key(PROXY_AUTHORIZATION));

        // An https request (to the same host, or any other) is not: through
        // a proxy the header would travel inside the tunnel to the origin.
        for url in ["https://intranet.test/a", "https://elsewhere.test/"] {
            let (sent, status) = run(&engine, url, &[]).await;
            assert_eq!(status, StatusCode::OK);
            assert!(!sent[0].1.contains_key(PROXY_AUTHORIZATION), "{url}");
        }

        // A 407 to an https request came from the origin server (reqwest
        // answers the proxy's own during CONNECT): it is handed back as it
        // is, never answered with the proxy's credentials.
        let (sent, status) = run(&engine, "https://intranet.test/c", &[PROXY_407]).await;
        assert_eq!(status, PROXY_407);
        assert_eq!(sent.len(), 1);
        assert!(!sent[0].1.contains_key(PROXY_AUTHORIZATION));
    }

    #[tokio::test]
    async fn proxy_credentials_are_pre_emptive_only_for_the_same_origin() {
        let engine = proxy_user();
        let (sent, _) = run(&engine, "http://intranet.test/a", &[PROXY_407]).await;
        assert!(sent[1].1.contains_key(PROXY_AUTHORIZATION));
        // Another scheme, host or port is another origin.
        for url in [
            "http://intranet.test:8080/a",
            "http://wiki.test/a",
            "http://127.0.0.1/a",
        ] {
            let (sent, status) = run(&engine, url, &[]).await;
            assert_eq!(status, StatusCode::OK);
            assert!(!sent[0].1.contains_key(PROXY_AUTHORIZATION), "{url}");
        }
        // Any path of the same origin.
        let (sent, _) = run(&engine, "http://intranet.test/other/path?q=1", &[]).await;
        assert!(sent[0].1.contains_key(PROXY_AUTHORIZATION));
    }
}

#[cfg(test)]
mod describe_tests {
    use super::*;

    #[test]
    fn the_debug_log_shows_only_known_public_digest_values() {
        let digest = HeaderValue::from_static(
            "Digest username=\"alice\", realm=\"api\", nonce=\"n0nce\", \
             uri=\"/a?b=1\", algorithm=SHA-256, qop=auth, nc=00000001, \
             cnonce=\"c0nce\", opaque=\"0paque\", userhash=false, charset=UTF-8, \
             response=\"d1gest\", username*=UTF-8''J%C3%A4s%C3%B8n, x-secret=\"hush\"",
        );
        let shown = describe(&digest);
        assert_eq!(
            shown,
            "Digest username=<hidden> realm=api nonce=n0nce uri=/a?b=1 \
             algorithm=SHA-256 qop=auth nc=00000001 cnonce=c0nce opaque=0paque \
             userhash=false charset=UTF-8 response=<hidden> username*=<hidden> \
             x-secret=<hidden>"
        );

        // Another scheme's parameters may all be secret: names only, even
        // those that Digest would show.
        let custom = HeaderValue::from_static("Newauth realm=\"apps\", secret=\"s3cr3t\"");
        assert_eq!(describe(&custom), "Newauth realm=<hidden> secret=<hidden>");
        let token = HeaderValue::from_static("Bearer mF_9.B5f-4.1JqM");
        assert_eq!(describe(&token), "Bearer <hidden>");
        let broken = HeaderValue::from_static("Digest realm=\"unterminated");
        assert_eq!(describe(&broken), "<unreadable>");
    }
}
