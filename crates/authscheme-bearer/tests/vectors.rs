//! Every entry of ../shared/vectors/rfc6750-bearer.json, run through an
//! `Authenticator` holding the bearer scheme.

#![allow(clippy::unwrap_used, missing_docs)]

use authscheme::registry::Principal;
use authscheme::{AuthRequest, Authenticator, Challenge, Outcome};
use authscheme_bearer::{BearerScheme, ErrorCode, TokenError, TokenInfo, TokenValidator};
use serde_json::Value;

const VECTORS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/vectors/rfc6750-bearer.json"
);

fn vectors() -> Value {
    let text = std::fs::read_to_string(VECTORS)
        .unwrap_or_else(|e| panic!("the RFC 6750 vectors must exist at {VECTORS}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// Accepts the tokens the vectors use; says "expired" for `expired`.
struct VectorTokens;

#[async_trait::async_trait]
impl TokenValidator for VectorTokens {
    type Identity = Principal;
    async fn validate(&self, token: &str) -> Result<TokenInfo<Principal>, TokenError> {
        match token {
            "mF_9.B5f-4.1JqM" | "abc==" => Ok(TokenInfo::new(Principal::new(token))),
            "expired" => Err(TokenError::Expired),
            _ => Err(TokenError::Inactive),
        }
    }
}

fn authenticator(scope: Option<&str>) -> Authenticator<Principal> {
    let mut b = BearerScheme::builder(VectorTokens)
        .realm("example")
        .form_body(true)
        .query_parameter(true);
    if let Some(scope) = scope {
        b = b.scope(scope);
    }
    Authenticator::new().with(b.build().unwrap())
}

async fn run(auth: &Authenticator<Principal>, req: &AuthRequest<'_>) -> Outcome<Principal> {
    auth.authenticate(req).await
}

#[tokio::test]
async fn every_rfc6750_vector() {
    let all = vectors();
    let entries = all["entries"].as_array().unwrap();
    assert!(entries.len() >= 15, "the vector file lost entries");
    let mut seen = 0;
    for entry in entries {
        let id = entry["id"].as_str().unwrap();
        let value = entry["value"].as_str().unwrap();
        let expected = &entry["expected"];
        let valid = expected["valid"].as_bool().unwrap();
        match entry["kind"].as_str().unwrap() {
            "authorization" => {
                let mut headers = http::HeaderMap::new();
                headers.insert("authorization", http::HeaderValue::from_str(value).unwrap());
                let req = AuthRequest::new("GET", "/resource", &headers);
                let outcome = run(&authenticator(None), &req).await;
                if valid {
                    let token = expected["token68"].as_str().unwrap();
                    assert_eq!(outcome.identity().map(Principal::name), Some(token), "{id}");
                } else {
                    let Outcome::Denied(denial) = outcome else {
                        panic!("{id}: accepted")
                    };
                    assert_eq!(denial.status().as_u16(), 400, "{id}: {}", denial.reason());
                }
            }
            "form-encoded-body" => {
                let mut headers = http::HeaderMap::new();
                headers.insert(
                    "content-type",
                    http::HeaderValue::from_static("application/x-www-form-urlencoded"),
                );
                let req =
                    AuthRequest::new("POST", "/resource", &headers).with_body(value.as_bytes());
                let outcome = run(&authenticator(None), &req).await;
                let token = expected["access_token"].as_str().unwrap();
                assert_eq!(outcome.identity().map(Principal::name), Some(token), "{id}");
            }
            "uri-query" => {
                let target = value.split(' ').nth(1).unwrap();
                let headers = http::HeaderMap::new();
                let req = AuthRequest::new("GET", target, &headers);
                let outcome = run(&authenticator(None), &req).await;
                let token = expected["access_token"].as_str().unwrap();
                assert_eq!(outcome.identity().map(Principal::name), Some(token), "{id}");
            }
            "www-authenticate" => {
                let want = &expected["challenges"][0]["params"];
                let scope = want["scope"].as_str();
                let auth = authenticator(scope);
                let mut headers = http::HeaderMap::new();
                if want["error"].as_str() == Some("invalid_token") {
                    headers.insert(
                        "authorization",
                        http::HeaderValue::from_static("Bearer expired"),
                    );
                }
                let req = AuthRequest::new("GET", "/resource", &headers);
                let Outcome::Denied(denial) = run(&auth, &req).await else {
                    panic!("{id}: accepted")
                };
                assert_eq!(denial.status().as_u16(), 401, "{id}");
                let sent = &denial.challenges()[0];
                // Byte for byte what the RFC prints.
                assert_eq!(sent.to_string(), value, "{id}");
                let parsed = Challenge::parse(value.as_bytes()).unwrap().into_owned();
                assert_eq!(&parsed, sent, "{id}");
                if let Some(tokens) = expected["scope_tokens"].as_array() {
                    let split: Vec<&str> = sent.param_str("scope").unwrap().split(' ').collect();
                    let tokens: Vec<&str> = tokens.iter().map(|t| t.as_str().unwrap()).collect();
                    assert_eq!(split, tokens, "{id}");
                }
            }
            other => panic!("{id}: unknown vector kind {other}"),
        }
        seen += 1;
    }
    assert_eq!(seen, entries.len());
}

#[test]
fn error_codes_map_to_the_listed_statuses() {
    let all = vectors();
    for code in all["error_codes"].as_array().unwrap() {
        let name = code["error"].as_str().unwrap();
        let parsed = ErrorCode::parse(name).unwrap();
        assert_eq!(
            u64::from(parsed.status().as_u16()),
            code["status"].as_u64().unwrap()
        );
    }
}
