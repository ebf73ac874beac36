//! Scheme configuration: what is refused at build time, what the
//! challenges carry, and how validator outcomes map to statuses.

#![allow(clippy::unwrap_used, missing_docs)]

use authscheme::registry::Principal;
use authscheme::{AuthRequest, Authenticator, Denial, Outcome};
use authscheme_bearer::{
    BearerError, BearerScheme, StaticTokens, TokenError, TokenInfo, TokenValidator,
};

/// "down" makes the validator unavailable; "good" passes; the rest expire.
struct Scripted;

#[async_trait::async_trait]
impl TokenValidator for Scripted {
    type Identity = Principal;
    async fn validate(&self, token: &str) -> Result<TokenInfo<Principal>, TokenError> {
        match token {
            "down" => Err(TokenError::Unavailable),
            "good" => Ok(TokenInfo::new(Principal::new("alice")).with_scopes(["read"])),
            _ => Err(TokenError::Expired),
        }
    }
}

async fn deny(scheme: BearerScheme<Scripted>, authorization: Option<&str>) -> Denial {
    let mut headers = http::HeaderMap::new();
    if let Some(value) = authorization {
        headers.insert("authorization", value.parse().unwrap());
    }
    let auth = Authenticator::new().with(scheme);
    match auth
        .authenticate(&AuthRequest::new("GET", "/", &headers))
        .await
    {
        Outcome::Denied(d) => d,
        Outcome::Authenticated(_) => panic!("accepted"),
        _ => unreachable!(),
    }
}

#[test]
fn bad_values_are_refused_at_build_time() {
    let b = || BearerScheme::builder(StaticTokens::new());
    assert!(matches!(
        b().realm("a\r\nSet-Cookie: x").build(),
        Err(BearerError::Realm)
    ));
    assert!(matches!(
        b().require_scopes(["a b"]).build(),
        Err(BearerError::Scope(_))
    ));
    assert!(matches!(
        b().require_scopes([""]).build(),
        Err(BearerError::Scope(_))
    ));
    assert!(matches!(
        b().scope("read \"all\"").build(),
        Err(BearerError::Scope(_))
    ));
    assert!(matches!(
        b().error_uri("https://x.example/\"><script>").build(),
        Err(BearerError::ErrorUri)
    ));
    assert!(matches!(
        b().error_uri("https://x.example/a b").build(),
        Err(BearerError::ErrorUri)
    ));
    let ok = b().build().unwrap();
    assert!(ok.with_required_scopes(["bad\\scope"]).is_err());
}

#[tokio::test]
async fn plain_challenge_carries_the_configured_scope() {
    let scheme = BearerScheme::builder(Scripted)
        .realm("example")
        .scope("openid profile")
        .build()
        .unwrap();
    let d = deny(scheme, None).await;
    assert_eq!(d.status().as_u16(), 401);
    assert_eq!(
        d.challenges()[0].to_string(),
        r#"Bearer realm="example", scope="openid profile""#
    );
}

#[tokio::test]
async fn error_uri_is_sent_and_descriptions_can_be_turned_off() {
    let scheme = BearerScheme::builder(Scripted)
        .error_uri("https://docs.example/errors#bearer")
        .error_descriptions(false)
        .build()
        .unwrap();
    let d = deny(scheme, Some("Bearer old")).await;
    assert_eq!(
        d.challenges()[0].to_string(),
        r#"Bearer error="invalid_token", error_uri="https://docs.example/errors#bearer""#
    );
}

#[tokio::test]
async fn an_unavailable_validator_fails_closed_with_503() {
    let scheme = BearerScheme::builder(Scripted).build().unwrap();
    let d = deny(scheme, Some("Bearer down")).await;
    assert_eq!(d.status().as_u16(), 503);
}

#[tokio::test]
async fn bearer_with_params_instead_of_a_token_is_invalid_request() {
    let scheme = BearerScheme::builder(Scripted).build().unwrap();
    let d = deny(scheme, Some("Bearer abc=def")).await;
    assert_eq!(d.status().as_u16(), 400);
    assert_eq!(
        d.challenges()[0].param_str("error"),
        Some("invalid_request")
    );
}

/// Two `Authorization` lines are a malformed request (RFC 6750 section
/// 3.1): 400 with `error="invalid_request"`, even when each line alone
/// would pass.
#[tokio::test]
async fn two_authorization_lines_are_invalid_request() {
    let scheme = BearerScheme::builder(Scripted).build().unwrap();
    let mut headers = http::HeaderMap::new();
    headers.append("authorization", "Bearer good".parse().unwrap());
    headers.append("authorization", "Bearer good".parse().unwrap());
    let outcome = Authenticator::new()
        .with(scheme)
        .authenticate(&AuthRequest::new("GET", "/", &headers))
        .await;
    let Outcome::Denied(d) = outcome else {
        panic!("two lines accepted");
    };
    assert_eq!(d.status().as_u16(), 400);
    assert_eq!(d.challenges().len(), 1);
    assert_eq!(
        d.challenges()[0].param_str("error"),
        Some("invalid_request")
    );
}

#[tokio::test]
async fn all_required_scopes_must_be_granted() {
    let scheme = BearerScheme::builder(Scripted)
        .require_scopes(["read", "write"])
        .build()
        .unwrap();
    let d = deny(scheme.clone(), Some("Bearer good")).await;
    assert_eq!(d.status().as_u16(), 403);
    assert_eq!(d.challenges()[0].param_str("scope"), Some("read write"));
    let relaxed = scheme.with_required_scopes(["read"]).unwrap();
    let mut headers = http::HeaderMap::new();
    headers.insert("authorization", "Bearer good".parse().unwrap());
    let outcome = Authenticator::new()
        .with(relaxed)
        .authenticate(&AuthRequest::new("GET", "/", &headers))
        .await;
    assert_eq!(outcome.identity().unwrap().name(), "alice");
}

#[tokio::test]
async fn static_tokens_are_checked() {
    let tokens = StaticTokens::new()
        .with_token("t1", "svc-a", ["read"])
        .with_token("t2", "svc-b", Vec::<String>::new());
    assert_eq!(tokens.len(), 2);
    assert_eq!(
        tokens.validate("t2").await.unwrap().identity().name(),
        "svc-b"
    );
    assert_eq!(tokens.validate("t3").await, Err(TokenError::Inactive));
    assert_eq!(tokens.validate("").await, Err(TokenError::Inactive));
    assert!(!format!("{tokens:?}").contains("t1"));
}

#[test]
fn grammar_breaking_bearer_values_are_invalid_request() {
    use authscheme::{AuthRequest, Authenticator, Outcome};
    let scheme = authscheme_bearer::BearerScheme::builder(authscheme_bearer::StaticTokens::new())
        .realm("example")
        .build()
        .unwrap();
    let auth = Authenticator::new().with(scheme);
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    for value in ["Bearer mF_9 B5f", "Bearer =abc", "bearer a, b"] {
        let mut headers = http::HeaderMap::new();
        headers.insert("authorization", value.parse().unwrap());
        let Outcome::Denied(d) =
            rt.block_on(auth.authenticate(&AuthRequest::new("GET", "/", &headers)))
        else {
            panic!("{value} must be refused");
        };
        assert_eq!(d.status().as_u16(), 400, "{value}");
        assert_eq!(d.challenges().len(), 1);
        assert_eq!(
            d.challenges()[0].param_str("error"),
            Some("invalid_request"),
            "{value}"
        );
    }
}

/// What the synchronous path answers for `authorization` sent to `target`.
fn now_for<V: TokenValidator<Identity = Principal>>(
    scheme: BearerScheme<V>,
    target: &str,
    authorization: &str,
) -> Option<String> {
    let mut headers = http::HeaderMap::new();
    headers.insert("authorization", authorization.parse().unwrap());
    Authenticator::new()
        .with(scheme)
        .authenticate_now(&AuthRequest::new("GET", target, &headers))
        .map(|ok| ok.authenticated().identity().name().to_owned())
}

#[test]
fn static_tokens_with_every_scope_are_accepted_without_waiting() {
    let tokens = || StaticTokens::new().with_token("t0k3n", "robot", ["read"]);
    let scheme = |scopes: &[&str]| {
        BearerScheme::builder(tokens())
            .require_scopes(scopes.iter().copied())
            .query_parameter(true)
            .build()
            .unwrap()
    };
    assert_eq!(
        now_for(scheme(&["read"]), "/", "Bearer t0k3n").as_deref(),
        Some("robot")
    );
    // Everything that is not a plain success goes the asynchronous way,
    // which answers with the right error.
    assert_eq!(now_for(scheme(&["read"]), "/", "Bearer other"), None);
    assert_eq!(now_for(scheme(&["admin"]), "/", "Bearer t0k3n"), None);
    assert_eq!(
        now_for(scheme(&["read"]), "/?access_token=t0k3n", "Bearer t0k3n"),
        None,
        "a token sent twice is invalid_request, never a success"
    );
}

#[test]
fn validators_without_a_synchronous_answer_always_wait() {
    let scheme = BearerScheme::builder(Scripted).build().unwrap();
    assert_eq!(now_for(scheme, "/", "Bearer good"), None);
}

/// Adapters ask the synchronous path before they buffer the body. With
/// form-body tokens on, a request whose body could carry a second token
/// must wait for `authenticate`, which sees the body (RFC 6750 section 2:
/// one way per request, else `invalid_request`).
#[tokio::test]
async fn a_form_post_without_its_body_is_never_decided_now() {
    let scheme = BearerScheme::builder(StaticTokens::new().with_token("t0k3n", "robot", ["read"]))
        .realm("r")
        .form_body(true)
        .query_parameter(true)
        .build()
        .unwrap();
    let auth = Authenticator::new().with(scheme);
    let mut headers = http::HeaderMap::new();
    headers.insert("authorization", "Bearer t0k3n".parse().unwrap());
    headers.insert(
        "content-type",
        "application/x-www-form-urlencoded; charset=utf-8"
            .parse()
            .unwrap(),
    );
    let name = |req: &AuthRequest<'_>| {
        auth.authenticate_now(req)
            .map(|ok| ok.authenticated().identity().name().to_owned())
    };

    // The body is not there yet: no answer now.
    let post = AuthRequest::new("POST", "/", &headers);
    assert_eq!(name(&post), None);
    assert_eq!(name(&AuthRequest::new("PUT", "/", &headers)), None);
    // Given the body, the synchronous path decides when it holds no token...
    assert_eq!(
        name(&post.with_body(b"note=hello")).as_deref(),
        Some("robot")
    );
    assert_eq!(name(&post.with_body(b"")).as_deref(), Some("robot"));
    // ...and the asynchronous path refuses one that does.
    let twice = post.with_body(b"access_token=garbage");
    assert_eq!(name(&twice), None);
    let Outcome::Denied(denial) = auth.authenticate(&twice).await else {
        panic!("a token sent two ways was accepted");
    };
    assert_eq!(denial.status().as_u16(), 400);
    assert_eq!(
        denial.challenges()[0].to_string(),
        r#"Bearer realm="r", error="invalid_request", error_description="The access token was sent in more than one way""#
    );

    // Requests whose body is never searched are still decided now: a GET,
    // and a body that is not a form.
    assert_eq!(
        name(&AuthRequest::new("GET", "/", &headers)).as_deref(),
        Some("robot")
    );
    let mut json = http::HeaderMap::new();
    json.insert("authorization", "Bearer t0k3n".parse().unwrap());
    json.insert("content-type", "application/json".parse().unwrap());
    assert_eq!(
        name(&AuthRequest::new("POST", "/", &json)).as_deref(),
        Some("robot")
    );
    // With form-body tokens off, the body never matters.
    let off = Authenticator::new().with(
        BearerScheme::builder(StaticTokens::new().with_token("t0k3n", "robot", ["read"]))
            .build()
            .unwrap(),
    );
    assert!(off.authenticate_now(&post).is_some());
}

/// A token taken from the query makes the response private to shared caches
/// (RFC 6750 section 2.3); one from the header does not.
#[tokio::test]
async fn a_query_token_makes_the_response_private() {
    let scheme = BearerScheme::builder(Scripted)
        .query_parameter(true)
        .build()
        .unwrap();
    let auth = Authenticator::new().with(scheme);
    let none = http::HeaderMap::new();
    let Outcome::Authenticated(ok) = auth
        .authenticate(&AuthRequest::new("GET", "/a?access_token=good", &none))
        .await
    else {
        panic!("refused");
    };
    let added = ok.response_headers();
    assert!(
        added
            .iter()
            .any(|(name, value)| name == "cache-control" && value == "private"),
        "{added:?}"
    );

    let mut header = http::HeaderMap::new();
    header.insert("authorization", "Bearer good".parse().unwrap());
    let Outcome::Authenticated(ok) = auth
        .authenticate(&AuthRequest::new("GET", "/a", &header))
        .await
    else {
        panic!("refused");
    };
    assert!(ok.response_headers().is_empty());
}

/// A proxy requiring Bearer with query and form-body tokens turned on, and
/// the headers of a form POST.
fn proxy_taking_other_sources() -> (Authenticator<Principal>, http::HeaderMap) {
    let scheme = BearerScheme::builder(Scripted)
        .realm("proxy")
        .query_parameter(true)
        .form_body(true)
        .build()
        .unwrap();
    let mut headers = http::HeaderMap::new();
    headers.insert(
        "content-type",
        "application/x-www-form-urlencoded".parse().unwrap(),
    );
    (Authenticator::new().proxy().with(scheme), headers)
}

/// A query or form-body token is meant for the origin: a proxy that
/// requires Bearer answers 407 with a plain challenge, as for no
/// credentials at all, rather than take (or judge) the origin's token.
#[tokio::test]
async fn a_proxy_does_not_take_the_origins_query_or_body_token() {
    let (proxy, headers) = proxy_taking_other_sources();
    for request in [
        AuthRequest::new("GET", "http://origin/api?access_token=good", &headers),
        AuthRequest::new("POST", "http://origin/api", &headers).with_body(b"access_token=good"),
    ] {
        let Outcome::Denied(denial) = proxy.authenticate(&request).await else {
            panic!("the proxy took the origin's token: {}", request.target());
        };
        assert_eq!(denial.status().as_u16(), 407);
        assert!(denial.credentials_missing());
        let challenge = &denial.challenges()[0];
        assert_eq!(
            challenge.param_str("error"),
            None,
            "no credentials were given"
        );
    }
}

/// With `Proxy-Authorization`, the origin's query token is no second
/// token: the proxy judges its own credentials alone.
#[tokio::test]
async fn a_proxy_judges_its_own_token_beside_the_origins() {
    let (proxy, mut headers) = proxy_taking_other_sources();
    headers.insert("proxy-authorization", "Bearer good".parse().unwrap());
    for request in [
        AuthRequest::new("GET", "http://origin/api?access_token=other", &headers),
        AuthRequest::new("POST", "http://origin/api", &headers).with_body(b"access_token=other"),
    ] {
        let outcome = proxy.authenticate(&request).await;
        assert_eq!(
            outcome.identity().map(|p| p.name().to_owned()).as_deref(),
            Some("alice"),
            "{}",
            request.target()
        );
    }
    // At the origin, the same pair is two ways of sending a token.
    let origin = Authenticator::new().with(
        BearerScheme::builder(Scripted)
            .query_parameter(true)
            .build()
            .unwrap(),
    );
    let mut headers = http::HeaderMap::new();
    headers.insert("authorization", "Bearer good".parse().unwrap());
    let request = AuthRequest::new("GET", "/api?access_token=other", &headers);
    let Outcome::Denied(denial) = origin.authenticate(&request).await else {
        panic!("two tokens accepted at the origin");
    };
    assert_eq!(denial.status().as_u16(), 400);
}
