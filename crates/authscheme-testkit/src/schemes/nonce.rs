//! [`NonceScheme`]: a stateful handshake like Digest's, with server-issued
//! nonces, single use, `stale=true` and `nextnonce` in
//! `Authentication-Info`.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use authscheme::{
    AuthRequest, AuthScheme, Authenticated, Challenge, Credentials, Param, Params, Rejection,
    SchemeName, Verdict, async_trait, ct_eq,
};

use crate::Principal;

/// Nonces issued and not used yet, and the counter that numbers them.
#[derive(Debug, Default)]
struct NonceState {
    next: u64,
    fresh: HashSet<String>,
    used: HashSet<String>,
}

impl NonceState {
    fn issue(&mut self) -> String {
        self.next += 1;
        let nonce = self.next.to_string();
        self.fresh.insert(nonce.clone());
        nonce
    }
}

/// `Nonce realm="testkit", nonce="<n>"`: every challenge carries a new
/// nonce, numbered `1`, `2`, ... in the order the server issues them, so
/// a fresh server answering the same requests in the same order sends the
/// same bytes, whatever the framework.
///
/// Credentials are `Nonce nonce="<n>", key="k3y"` (authenticates `dave`).
/// A fresh nonce succeeds once and the answer carries
/// `Authentication-Info: nextnonce="<m>"`; a used one is refused with
/// `stale="true"` and a new nonce (as Digest does); an unknown one is
/// refused with a plain challenge. Because the counter lives in the scheme,
/// this also catches an adapter that authenticates a request twice or
/// builds a new authenticator per request.
///
/// # Examples
///
/// ```
/// use authscheme::Authenticator;
/// use authscheme_testkit::{Principal, schemes::NonceScheme};
/// let auth: Authenticator<Principal> = Authenticator::new().with(NonceScheme::new());
/// # let _ = auth;
/// ```
#[derive(Debug, Clone, Default)]
pub struct NonceScheme {
    state: Arc<Mutex<NonceState>>,
}

impl NonceScheme {
    /// A scheme with no nonce issued yet.
    ///
    /// # Examples
    ///
    /// Every challenge issues the next nonce:
    ///
    /// ```
    /// use authscheme::{AuthRequest, Authenticator};
    /// use authscheme_testkit::{Principal, schemes::NonceScheme};
    /// let auth = Authenticator::<Principal>::new().with(NonceScheme::new());
    /// let headers = http::HeaderMap::new();
    /// let request = AuthRequest::new("GET", "/nonce", &headers);
    /// assert_eq!(auth.challenges(&request)[0].param_str("nonce"), Some("1"));
    /// assert_eq!(auth.challenges(&request)[0].param_str("nonce"), Some("2"));
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// `Nonce`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_testkit::schemes::NonceScheme;
    /// assert_eq!(NonceScheme::scheme_name().as_str(), "Nonce");
    /// ```
    pub fn scheme_name() -> SchemeName<'static> {
        SchemeName::new("Nonce").unwrap_or(SchemeName::DIGEST)
    }

    fn issue(&self) -> String {
        match self.state.lock() {
            Ok(mut state) => state.issue(),
            Err(poisoned) => poisoned.into_inner().issue(),
        }
    }

    fn challenge(&self, stale: bool) -> Challenge<'static> {
        let mut params = vec![("realm", super::REALM.to_owned()), ("nonce", self.issue())];
        if stale {
            params.push(("stale", "true".to_owned()));
        }
        super::challenge(Self::scheme_name(), &params)
    }
}

/// What became of a presented nonce.
enum Use {
    Fresh,
    Replayed,
    Unknown,
}

#[async_trait]
impl AuthScheme<Principal> for NonceScheme {
    fn name(&self) -> SchemeName<'static> {
        Self::scheme_name()
    }

    fn challenges(&self, _request: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
        out.push(self.challenge(false));
    }

    async fn authenticate(
        &self,
        _request: &AuthRequest<'_>,
        credentials: &Credentials<'_>,
    ) -> Verdict<Principal> {
        let (Some(nonce), Some(key)) = (credentials.param_str("nonce"), credentials.param("key"))
        else {
            return Verdict::Rejected(Rejection::bad_request("Nonce needs nonce and key"));
        };
        if !ct_eq(key, super::KEY.as_bytes()) {
            return Verdict::Rejected(Rejection::unauthorized("wrong key"));
        }
        let used = {
            let mut state = match self.state.lock() {
                Ok(state) => state,
                Err(poisoned) => poisoned.into_inner(),
            };
            if state.fresh.remove(nonce) {
                state.used.insert(nonce.to_owned());
                Use::Fresh
            } else if state.used.contains(nonce) {
                Use::Replayed
            } else {
                Use::Unknown
            }
        };
        match used {
            Use::Fresh => {
                let mut info = Params::new();
                if let Ok(param) = Param::quoted("nextnonce", self.issue().into_bytes()) {
                    info.set(param);
                }
                Verdict::Authenticated(
                    Authenticated::new(Principal::new("dave"), Self::scheme_name())
                        .with_info(info.to_header_value()),
                )
            }
            Use::Replayed => Verdict::Rejected(
                Rejection::unauthorized("nonce already used")
                    .with_challenges(vec![self.challenge(true)]),
            ),
            Use::Unknown => Verdict::Rejected(Rejection::unauthorized("nonce not issued here")),
        }
    }
}
