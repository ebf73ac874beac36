//! Which status each kind of bad `Authorization` value gets (the 401-vs-400
//! decision documented in the crate docs), through the core Authenticator.
#![allow(clippy::unwrap_used)]

use authscheme::registry::Principal;
use authscheme::{AuthRequest, Authenticator, Outcome};
use authscheme_basic::{BasicScheme, MemoryStore};

fn authenticator() -> Authenticator<Principal> {
    let store = MemoryStore::with_cost(4).unwrap();
    store.insert("bob", "pass:with:colons").unwrap();
    Authenticator::new().with(BasicScheme::new("Dev zone", store))
}

async fn status_of(value: &str) -> (u16, String, usize) {
    let mut headers = http::HeaderMap::new();
    headers.insert("authorization", value.parse().unwrap());
    match authenticator()
        .authenticate(&AuthRequest::new("GET", "/", &headers))
        .await
    {
        Outcome::Authenticated(_) => (200, String::new(), 0),
        Outcome::Denied(d) => (
            d.status().as_u16(),
            d.reason().to_owned(),
            d.challenges().len(),
        ),
        _ => unreachable!(),
    }
}

#[tokio::test]
async fn good_credentials_pass_whatever_the_scheme_case() {
    for scheme in ["Basic", "basic", "BASIC", "bAsIc"] {
        let value = format!("{scheme} Ym9iOnBhc3M6d2l0aDpjb2xvbnM=");
        assert_eq!(status_of(&value).await.0, 200, "{value}");
    }
    // Without padding.
    assert_eq!(status_of("Basic Ym9iOnBhc3M6d2l0aDpjb2xvbnM").await.0, 200);
}

#[tokio::test]
async fn undecodable_basic_credentials_get_401_with_the_challenge() {
    let cases = [
        ("Basic abc-", "credentials are not base64"),
        (
            "Basic Zm9v",
            "credentials have no colon between user-id and password",
        ),
        (
            "Basic dXNlcjpwYXNzCg==",
            "the user-id or password contains a control character",
        ),
        ("Basic realm=x", "credentials are not a token68"),
        ("Basic", "credentials are not a token68"),
        ("Basic Ym9iOnBhc3M=", "wrong user-id or password"),
        ("Basic ZXZlOnBhc3M=", "wrong user-id or password"),
    ];
    for (value, reason) in cases {
        let (status, why, challenges) = status_of(value).await;
        assert_eq!((status, why.as_str()), (401, reason), "{value}");
        assert_eq!(challenges, 1, "{value}: the 401 carries the challenge");
    }
}

#[tokio::test]
async fn field_values_that_break_the_grammar_get_400_from_the_core() {
    let (status, _, _) = status_of("Basic a b").await;
    assert_eq!(status, 400);
}
