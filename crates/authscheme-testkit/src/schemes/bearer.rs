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
/// challenge replaces the plain one. With
/// [`with_other_sources`](TestBearer::with_other_sources) it also takes the
/// token from the `access_token` query parameter or form-body field, and a
/// token sent more than one way is `400` with `error="invalid_request"`.
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
    other_sources: bool,
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
        Self {
            scope,
            other_sources: false,
        }
    }

    /// Also takes the token from an `access_token` query parameter or
    /// form-body field (RFC 6750 sections 2.2 and 2.3), as the real Bearer
    /// scheme does with `form_body(true).query_parameter(true)`. A form body
    /// counts only when the method is not `GET`, the `Content-Type` is
    /// `application/x-www-form-urlencoded` and the adapter handed the body
    /// over. A token sent more than one way is `invalid_request`.
    ///
    /// Its synchronous path never answers for a request whose form body
    /// could hold a token it has not been given: adapters ask that path
    /// before they buffer the body.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{AuthRequest, Authenticator, Outcome};
    /// use authscheme_testkit::{Principal, schemes::TestBearer};
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let auth = Authenticator::<Principal>::new().with(TestBearer::requiring("read").with_other_sources());
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("authorization", "Bearer read-token".parse().unwrap());
    /// headers.insert("content-type", "application/x-www-form-urlencoded".parse().unwrap());
    /// let post = AuthRequest::new("POST", "/", &headers);
    /// // Not decided before the body is seen...
    /// assert!(auth.authenticate_now(&post).is_none());
    /// // ...and a second token in it is refused.
    /// let outcome = auth.authenticate(&post.with_body(b"access_token=read-token")).await;
    /// let Outcome::Denied(denial) = outcome else { panic!("admitted") };
    /// assert_eq!(denial.status(), 400);
    /// # });
    /// ```
    pub fn with_other_sources(mut self) -> Self {
        self.other_sources = true;
        self
    }

    /// The tokens outside the header: `access_token` values in the query
    /// and, for a form body the scheme was given, in the body.
    fn tokens_elsewhere<'a>(&self, request: &AuthRequest<'a>) -> Vec<&'a str> {
        if !self.other_sources {
            return Vec::new();
        }
        let mut found: Vec<&'a str> = request.query().map(access_tokens).unwrap_or_default();
        if body_may_hold_token(request) {
            // A body that is not UTF-8 holds no usable token.
            let text = request.body().and_then(|b| std::str::from_utf8(b).ok());
            found.extend(text.map(access_tokens).unwrap_or_default());
        }
        found
    }

    /// Whether the answer could depend on a body the adapter has not
    /// handed over yet.
    fn body_unseen(&self, request: &AuthRequest<'_>) -> bool {
        self.other_sources && request.body().is_none() && body_may_hold_token(request)
    }

    fn verify(&self, token: &str) -> Verdict<Principal> {
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

    fn sent_twice(&self) -> Verdict<Principal> {
        Verdict::Rejected(
            Rejection::bad_request("the token was sent more than one way")
                .with_challenges(vec![self.challenge_with(Some("invalid_request"))]),
        )
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
        request: &AuthRequest<'_>,
        credentials: &Credentials<'_>,
    ) -> Option<Authenticated<Principal>> {
        if self.body_unseen(request) || !self.tokens_elsewhere(request).is_empty() {
            return None;
        }
        let principal = lookup(credentials.token68()?)?;
        principal
            .has_scope(self.scope)
            .then(|| Authenticated::new(principal, SchemeName::BEARER))
    }

    async fn authenticate(
        &self,
        request: &AuthRequest<'_>,
        credentials: &Credentials<'_>,
    ) -> Verdict<Principal> {
        let Some(token) = credentials.token68() else {
            return Verdict::Rejected(
                Rejection::bad_request("Bearer credentials need a token68")
                    .with_challenges(vec![self.challenge_with(Some("invalid_request"))]),
            );
        };
        if !self.tokens_elsewhere(request).is_empty() {
            return self.sent_twice();
        }
        self.verify(token)
    }

    async fn authenticate_without_header(&self, request: &AuthRequest<'_>) -> Verdict<Principal> {
        match self.tokens_elsewhere(request)[..] {
            [] => Verdict::NotMine,
            [token] => self.verify(token),
            _ => self.sent_twice(),
        }
    }
}

/// The `access_token` values of a `application/x-www-form-urlencoded`
/// string (the test tokens need no percent-decoding).
fn access_tokens(form: &str) -> Vec<&str> {
    form.split('&')
        .filter_map(|pair| pair.strip_prefix("access_token="))
        .collect()
}

/// RFC 6750 section 2.2: a form body is read for a token only when the
/// method is not `GET` and the content is form-encoded.
fn body_may_hold_token(request: &AuthRequest<'_>) -> bool {
    let form = request.header("content-type").is_some_and(|v| {
        let media_type = v.split(|&b| b == b';').next().unwrap_or_default();
        media_type
            .trim_ascii()
            .eq_ignore_ascii_case(b"application/x-www-form-urlencoded")
    });
    form && !request.method().eq_ignore_ascii_case("GET")
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
