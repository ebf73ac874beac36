//! The synchronous path (`Authenticator::authenticate_now`) agrees with the
//! asynchronous one: it only ever answers with the success `authenticate`
//! would give, and defers everything else.
#![allow(clippy::unwrap_used, missing_docs)]

use authscheme::{
    AuthRequest, AuthScheme, AuthSchemeExt, Authenticated, Authenticator, Challenge, Credentials,
    Outcome, ParseError, Rejection, SchemeName, Verdict, async_trait,
};

/// Accepts `token` for `user`; answers at once only when `fast`, and says
/// it decides without the request-target when `targetless`.
struct Token {
    token: &'static str,
    user: &'static str,
    fast: bool,
    targetless: bool,
}

impl Token {
    fn check(&self, creds: &Credentials<'_>) -> Option<Authenticated<String>> {
        (creds.token68() == Some(self.token))
            .then(|| Authenticated::new(self.user.to_owned(), SchemeName::BEARER))
    }
}

#[async_trait]
impl AuthScheme<String> for Token {
    fn name(&self) -> SchemeName<'static> {
        SchemeName::BEARER
    }
    fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
        out.push(Challenge::new(self.name()));
    }
    fn authenticate_now(
        &self,
        _: &AuthRequest<'_>,
        creds: &Credentials<'_>,
    ) -> Option<Authenticated<String>> {
        if self.fast { self.check(creds) } else { None }
    }
    async fn authenticate(&self, _: &AuthRequest<'_>, creds: &Credentials<'_>) -> Verdict<String> {
        match self.check(creds) {
            Some(ok) => Verdict::Authenticated(ok),
            None => Verdict::NotMine,
        }
    }
    fn reject_malformed(&self, _: &AuthRequest<'_>, _: &ParseError) -> Option<Rejection> {
        Some(Rejection::bad_request("token scheme's own answer"))
    }
    fn reads_target_now(&self) -> bool {
        !self.targetless
    }
}

fn token(token: &'static str, user: &'static str, fast: bool) -> Token {
    Token {
        token,
        user,
        fast,
        targetless: false,
    }
}

fn without_target(auth: &Authenticator<String>, values: &[&str]) -> Option<String> {
    let headers = headers(values);
    auth.authenticate_now_without_target("GET", &headers)
        .map(|ok| ok.authenticated().identity().clone())
}

fn headers(values: &[&str]) -> http::HeaderMap {
    let mut headers = http::HeaderMap::new();
    for v in values {
        headers.append("authorization", v.parse().unwrap());
    }
    headers
}

fn now(auth: &Authenticator<String>, values: &[&str]) -> Option<String> {
    let headers = headers(values);
    auth.authenticate_now(&AuthRequest::new("GET", "/", &headers))
        .map(|ok| ok.authenticated().identity().clone())
}

async fn later(auth: &Authenticator<String>, values: &[&str]) -> Option<String> {
    let headers = headers(values);
    match auth
        .authenticate(&AuthRequest::new("GET", "/", &headers))
        .await
    {
        Outcome::Authenticated(ok) => Some(ok.authenticated().identity().clone()),
        _ => None,
    }
}

#[tokio::test]
async fn a_fast_success_is_the_success_authenticate_gives() {
    let auth = Authenticator::new().with(token("t1", "alice", true));
    assert_eq!(now(&auth, &["Bearer t1"]).as_deref(), Some("alice"));
    assert_eq!(later(&auth, &["Bearer t1"]).await.as_deref(), Some("alice"));
}

#[tokio::test]
async fn anything_but_one_good_credentials_line_defers() {
    let auth = Authenticator::new().with(token("t1", "alice", true));
    for values in [
        &[][..],
        &["Bearer t1", "Bearer t1"],
        &["Bearer t2"],
        &["Basic t1"],
        &["Bearer t1 t1"],
    ] {
        assert_eq!(now(&auth, values), None, "{values:?}");
    }
}

#[tokio::test]
async fn the_first_scheme_with_the_name_decides_even_when_it_must_wait() {
    // The slow first scheme accepts t1 as bob; a fast second one would say
    // alice. Answering "alice" now would contradict `authenticate`.
    let auth = Authenticator::new()
        .with(token("t1", "bob", false))
        .with(token("t1", "alice", true));
    assert_eq!(now(&auth, &["Bearer t1"]), None);
    assert_eq!(later(&auth, &["Bearer t1"]).await.as_deref(), Some("bob"));
}

#[tokio::test]
async fn map_identity_keeps_the_fast_path_and_the_schemes_own_malformed_answer() {
    let auth: Authenticator<String> = Authenticator::new()
        .with(token("t1", "alice", true).map_identity(|u: String| u.to_uppercase()));
    assert_eq!(now(&auth, &["Bearer t1"]).as_deref(), Some("ALICE"));
    let headers = headers(&["Bearer t1 t1"]);
    let Outcome::Denied(denial) = auth
        .authenticate(&AuthRequest::new("GET", "/", &headers))
        .await
    else {
        panic!("malformed credentials accepted");
    };
    assert_eq!(denial.reason(), "token scheme's own answer");
}

#[tokio::test]
async fn without_the_target_only_a_scheme_that_does_without_decides() {
    let targetless = || Token {
        targetless: true,
        ..token("t1", "alice", true)
    };
    let auth = Authenticator::new().with(targetless());
    assert_eq!(
        without_target(&auth, &["Bearer t1"]).as_deref(),
        Some("alice")
    );
    assert_eq!(without_target(&auth, &["Bearer t2"]), None);
    assert_eq!(without_target(&auth, &["Bearer t1", "Bearer t1"]), None);
    // A scheme that reads the target (the default) waits for it.
    let reads = Authenticator::new().with(token("t1", "alice", true));
    assert_eq!(without_target(&reads, &["Bearer t1"]), None);
    assert_eq!(now(&reads, &["Bearer t1"]).as_deref(), Some("alice"));
    // The first scheme with the name decides, as on every path.
    let first_reads = Authenticator::new()
        .with(token("t1", "bob", true))
        .with(targetless());
    assert_eq!(without_target(&first_reads, &["Bearer t1"]), None);
    // A converted identity keeps the scheme's answer.
    let mapped: Authenticator<String> =
        Authenticator::new().with(targetless().map_identity(|u: String| u.to_uppercase()));
    assert_eq!(
        without_target(&mapped, &["Bearer t1"]).as_deref(),
        Some("ALICE")
    );
    let mapped_reads: Authenticator<String> = Authenticator::new()
        .with(token("t1", "alice", true).map_identity(|u: String| u.to_uppercase()));
    assert_eq!(without_target(&mapped_reads, &["Bearer t1"]), None);
}
