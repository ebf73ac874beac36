//! [`TestBearer`]: a Bearer-like token scheme with fixed tokens and scopes.

use authscheme::{
    AuthRequest, AuthScheme, Authenticated, Challenge, Credentials, Rejection, SchemeName, Verdict,
    async_trait, ct_eq,
};

use crate::Principal;

/// The tokens [`TestBearer`] accepts: `(token, user, scopes)`.
///
/// # Examples
///
/// ```
/// use authscheme_testkit::schemes::TOKENS;
/// let (token, user, scopes) = TOKENS[1];
/// assert_eq!((token, user), ("admin-token", "bob"));
/// assert!(scopes.contains(&"admin"));
/// ```
pub const TOKENS: [(&str, &str, &[&str]); 2] = [
    ("read-token", "alice", &["read"]),
    ("admin-token", "bob", &["read", "admin"]),
];

/// `Bearer realm="testkit", scope="<required>"` with the fixed [`TOKENS`].
///
/// Like RFC 6750: no token68 is `400` with `error="invalid_request"`, an
/// unknown token is `401` with `error="invalid_token"`, a token without the
/// route's scope is `403` with `error="insufficient_scope"`. The error
/// challenge replaces the plain one.
///
/// # Examples
///
/// ```
/// use authscheme::Authenticator;
/// use authscheme_testkit::{Principal, schemes::TestBearer};
/// let admin_only: Authenticator<Principal> = Authenticator::new().with(TestBearer::requiring("admin"));
/// # let _ = admin_only;
/// ```
#[derive(Debug, Clone)]
pub struct TestBearer {
    scope: &'static str,
}

impl TestBearer {
    /// A scheme that admits tokens granting `scope`; a known token without
    /// it is refused with `403`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{AuthRequest, Authenticator, Outcome};
    /// use authscheme_testkit::{Principal, schemes::TestBearer};
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let admin = Authenticator::<Principal>::new().with(TestBearer::requiring("admin"));
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("authorization", "Bearer read-token".parse().unwrap());
    /// let outcome = admin.authenticate(&AuthRequest::new("GET", "/admin", &headers)).await;
    /// let Outcome::Denied(denial) = outcome else { panic!("admitted") };
    /// assert_eq!(denial.status(), 403);
    /// # });
    /// ```
    pub fn requiring(scope: &'static str) -> Self {
        Self { scope }
    }

    fn challenge_with(&self, error: Option<&str>) -> Challenge<'static> {
        let mut params = vec![("realm", super::REALM.to_owned())];
        if let Some(error) = error {
            params.push(("error", error.to_owned()));
        }
        params.push(("scope", self.scope.to_owned()));
        super::challenge(SchemeName::BEARER, &params)
    }
}

#[async_trait]
impl AuthScheme<Principal> for TestBearer {
    fn name(&self) -> SchemeName<'static> {
        SchemeName::BEARER
    }

    fn challenges(&self, _request: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
        out.push(self.challenge_with(None));
    }

    /// Known tokens with the route's scope are accepted at once, so the
    /// suite drives adapters through their synchronous path too.
    fn authenticate_now(
        &self,
        _request: &AuthRequest<'_>,
        credentials: &Credentials<'_>,
    ) -> Option<Authenticated<Principal>> {
        let principal = lookup(credentials.token68()?)?;
        principal
            .has_scope(self.scope)
            .then(|| Authenticated::new(principal, SchemeName::BEARER))
    }

    async fn authenticate(
        &self,
        _request: &AuthRequest<'_>,
        credentials: &Credentials<'_>,
    ) -> Verdict<Principal> {
        let Some(token) = credentials.token68() else {
            return Verdict::Rejected(
                Rejection::bad_request("Bearer credentials need a token68")
                    .with_challenges(vec![self.challenge_with(Some("invalid_request"))]),
            );
        };
        let Some(principal) = lookup(token) else {
            return Verdict::Rejected(
                Rejection::unauthorized("unknown token")
                    .with_challenges(vec![self.challenge_with(Some("invalid_token"))]),
            );
        };
        if !principal.has_scope(self.scope) {
            return Verdict::Rejected(
                Rejection::forbidden("token lacks the route's scope")
                    .with_challenges(vec![self.challenge_with(Some("insufficient_scope"))]),
            );
        }
        Verdict::Authenticated(Authenticated::new(principal, SchemeName::BEARER))
    }
}

/// The principal of a known token, compared in constant time.
fn lookup(token: &str) -> Option<Principal> {
    let mut found = None;
    for (known, user, scopes) in TOKENS {
        if ct_eq(token.as_bytes(), known.as_bytes()) {
            found = Some(Principal::new(user).with_scopes(scopes.iter().copied()));
        }
    }
    found
}
