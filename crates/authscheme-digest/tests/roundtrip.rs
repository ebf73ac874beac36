//! Our client against our server, in process: every algorithm, qop, user
//! name form, and the nonce lifecycle (stale, replay, window, nextnonce,
//! tampering).
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::time::Duration;

use authscheme::{
    AuthRequest, Authenticator, Challenge, ClientCredentials, ClientError, ClientRequest,
    ClientScheme, ClientSession, Credentials, Outcome, Params, Rechallenge,
};
use authscheme_digest::{
    Algorithm, CredentialStore, DigestClient, DigestScheme, DigestUser, HtdigestFile, ManualClock,
    MemoryCredentialStore, MemoryNonceStore, NonceSecret, store,
};

const REALM: &str = "api@example.org";

fn server(algorithms: &[Algorithm], clock: &ManualClock) -> Authenticator<DigestUser> {
    let store = MemoryCredentialStore::new(REALM)
        .with_user("Mufasa", "Circle of Life")
        .with_user("Jäsøn Doe", "Secret, or not?");
    server_with(DigestScheme::builder(REALM, store), algorithms, clock)
}

fn server_with(
    builder: authscheme_digest::DigestSchemeBuilder,
    algorithms: &[Algorithm],
    clock: &ManualClock,
) -> Authenticator<DigestUser> {
    let scheme = builder
        .algorithms(algorithms.iter().copied())
        .nonce_secret(NonceSecret::from_bytes(&[42u8; 32]).unwrap())
        .clock(clock.clone())
        .build()
        .unwrap();
    Authenticator::new().with(scheme)
}

struct Sent {
    outcome: Outcome<DigestUser>,
}

impl Sent {
    fn status(&self) -> u16 {
        match &self.outcome {
            Outcome::Authenticated(_) => 200,
            Outcome::Denied(d) => d.status().as_u16(),
            _ => unreachable!(),
        }
    }

    fn user(&self) -> Option<&str> {
        self.outcome.identity().map(DigestUser::name)
    }

    fn challenges(&self) -> Vec<Challenge<'static>> {
        match &self.outcome {
            Outcome::Denied(d) => d.challenges().to_vec(),
            _ => Vec::new(),
        }
    }

    fn info(&self) -> Params<'static> {
        match &self.outcome {
            Outcome::Authenticated(a) => a.authenticated().info().map_or_else(Params::new, |v| {
                authscheme::syntax::parse_params(v.as_bytes())
                    .unwrap()
                    .into_owned()
            }),
            _ => Params::new(),
        }
    }
}

async fn send(
    auth: &Authenticator<DigestUser>,
    method: &str,
    target: &str,
    body: Option<&[u8]>,
    creds: Option<&Credentials<'_>>,
) -> Sent {
    let mut headers = http::HeaderMap::new();
    if let Some(c) = creds {
        headers.insert("authorization", c.to_header_value());
    }
    let mut req = AuthRequest::new(method, target, &headers);
    if let Some(b) = body {
        req = req.with_body(b);
    }
    Sent {
        outcome: auth.authenticate(&req).await,
    }
}

fn mufasa() -> ClientCredentials {
    ClientCredentials::password("Mufasa", "Circle of Life")
}

/// Gets a challenge and starts a session on the one `choose` picks.
async fn session(
    auth: &Authenticator<DigestUser>,
    creds: &ClientCredentials,
    body: Option<&[u8]>,
) -> Box<dyn ClientSession> {
    let first = send(auth, "GET", "/", body, None).await;
    assert_eq!(first.status(), 401);
    let offered = first.challenges();
    let client = DigestClient::new();
    let schemes: [&dyn ClientScheme; 1] = [&client];
    let (i, scheme) = authscheme::choose(&offered, &schemes, creds).unwrap();
    scheme.start(&offered[i], creds).unwrap()
}

#[tokio::test]
async fn every_algorithm_authenticates_with_auth_and_auth_int() {
    let clock = ManualClock::new(1_000_000);
    for alg in Algorithm::ALL {
        let auth = server(&[alg], &clock);
        for body in [None, Some(&b""[..]), Some(&b"Hello, World!"[..])] {
            let mut s = session(&auth, &mufasa(), body).await;
            let mut req = ClientRequest::new("POST", "/dir/index.html?x=1");
            if let Some(b) = body {
                req = req.with_body(b);
            }
            let creds = s.authorize(&req).unwrap();
            let text = creds.to_string();
            assert!(
                text.contains(&format!("algorithm={}", alg.as_str())),
                "{text}"
            );
            let want_qop = if body.is_some() {
                "qop=auth-int"
            } else {
                "qop=auth,"
            };
            assert!(text.contains(want_qop), "{text}");
            let r = send(&auth, "POST", "/dir/index.html?x=1", body, Some(&creds)).await;
            assert_eq!(r.status(), 200, "{alg} body={body:?}");
            assert_eq!(r.user(), Some("Mufasa"));
            let info = r.info();
            // RFC 7616 section 3.5: wherever qop is named, rspauth, cnonce
            // and nc are there too; auth-int's rspauth would cover the
            // response body, so an auth-int answer names no qop at all.
            match body {
                None => {
                    for name in ["rspauth", "qop", "cnonce", "nc"] {
                        assert!(info.get(name).is_some(), "{alg}: no {name}");
                    }
                }
                Some(_) => {
                    for name in ["rspauth", "qop", "cnonce", "nc"] {
                        assert!(info.get(name).is_none(), "{alg}: {name} with auth-int");
                    }
                }
            }
            s.absorb_info(&info, &req).unwrap();
        }
    }
}

#[tokio::test]
async fn auth_int_body_is_covered() {
    let clock = ManualClock::new(1_000_000);
    let auth = server(&[Algorithm::Sha256], &clock);
    let mut s = session(&auth, &mufasa(), Some(b"x")).await;
    let creds = s
        .authorize(&ClientRequest::new("POST", "/").with_body(b"pay 10"))
        .unwrap();
    let r = send(&auth, "POST", "/", Some(b"pay 1000"), Some(&creds)).await;
    assert_eq!(r.status(), 401);
}

#[tokio::test]
async fn challenges_follow_the_configured_order_and_form() {
    let clock = ManualClock::new(1_000_000);
    let auth = server(&[Algorithm::Sha256, Algorithm::Md5], &clock);
    let r = send(&auth, "GET", "/", None, None).await;
    let lines: Vec<String> = r.challenges().iter().map(ToString::to_string).collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0].starts_with(
            r#"Digest realm="api@example.org", qop="auth", algorithm=SHA-256, nonce=""#
        )
    );
    assert!(
        lines[0].ends_with(", charset=UTF-8, userhash=true"),
        "{}",
        lines[0]
    );
    assert!(lines[1].contains("algorithm=MD5,"));
    let with_body = send(&auth, "POST", "/", Some(b"x"), None).await;
    assert!(
        with_body.challenges()[0]
            .to_string()
            .contains(r#"qop="auth, auth-int""#)
    );
}

#[tokio::test]
async fn strongest_algorithm_is_chosen_and_md5_can_be_off() {
    let clock = ManualClock::new(1_000_000);
    let auth = server(
        &[Algorithm::Md5, Algorithm::Sha256, Algorithm::Sha512_256],
        &clock,
    );
    let mut s = session(&auth, &mufasa(), None).await;
    let creds = s.authorize(&ClientRequest::new("GET", "/")).unwrap();
    assert_eq!(creds.param_str("algorithm"), Some("SHA-512-256"));

    let store = MemoryCredentialStore::new(REALM).with_user("Mufasa", "Circle of Life");
    let scheme = DigestScheme::builder(REALM, store)
        .without_md5()
        .build()
        .unwrap();
    assert_eq!(scheme.algorithms(), [Algorithm::Sha256]);
}

#[tokio::test]
async fn userhash_and_username_star_identify_the_real_user() {
    let clock = ManualClock::new(1_000_000);
    let auth = server(&[Algorithm::Sha512_256], &clock);
    let jason = ClientCredentials::password("Jäsøn Doe", "Secret, or not?");
    let mut s = session(&auth, &jason, None).await;
    let creds = s
        .authorize(&ClientRequest::new("GET", "/doe.json"))
        .unwrap();
    assert_eq!(creds.param_str("userhash"), Some("true"));
    assert_eq!(
        creds.param_str("username"),
        Some("793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b")
    );
    let r = send(&auth, "GET", "/doe.json", None, Some(&creds)).await;
    assert_eq!(r.user(), Some("Jäsøn Doe"));

    // Without userhash, a non-ASCII name goes as username* (charset=UTF-8).
    let store = MemoryCredentialStore::new(REALM).with_user("Jäsøn Doe", "Secret, or not?");
    let auth = server_with(
        DigestScheme::builder(REALM, store).userhash(false),
        &[Algorithm::Sha256],
        &clock,
    );
    let mut s = session(&auth, &jason, None).await;
    let creds = s
        .authorize(&ClientRequest::new("GET", "/doe.json"))
        .unwrap();
    let wire = creds.to_string();
    assert!(
        wire.starts_with("Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, "),
        "{wire}"
    );
    let r = send(&auth, "GET", "/doe.json", None, Some(&creds)).await;
    assert_eq!(r.user(), Some("Jäsøn Doe"));
}

/// RFC 7616 section 4: under `charset=UTF-8` the client prepares the
/// name and password in Normalization Form C, so a user who types them
/// decomposed ("a" and a combining ring, as some keyboards and file
/// systems produce) matches the composed ones the server stores.
#[tokio::test]
async fn decomposed_input_is_normalized_under_charset_utf8() {
    let clock = ManualClock::new(1_000_000);
    let auth = server(&[Algorithm::Sha256], &clock);
    let decomposed = ClientCredentials::password("Ja\u{308}s\u{f8}n Doe", "Secret, or not?");
    let mut s = session(&auth, &decomposed, None).await;
    let creds = s.authorize(&ClientRequest::new("GET", "/")).unwrap();
    let r = send(&auth, "GET", "/", None, Some(&creds)).await;
    assert_eq!(r.status(), 200);
    assert_eq!(r.user(), Some("J\u{e4}s\u{f8}n Doe"));

    let store = MemoryCredentialStore::new(REALM).with_user("carol", "na\u{ef}ve");
    let auth = server_with(
        DigestScheme::builder(REALM, store),
        &[Algorithm::Md5],
        &clock,
    );
    let carol = ClientCredentials::password("carol", "nai\u{308}ve");
    let mut s = session(&auth, &carol, None).await;
    let creds = s.authorize(&ClientRequest::new("GET", "/")).unwrap();
    let r = send(&auth, "GET", "/", None, Some(&creds)).await;
    assert_eq!(r.status(), 200, "the password is normalized too");
}

#[test]
fn without_charset_a_non_ascii_name_goes_raw_in_quotes() {
    let challenge =
        Challenge::parse(br#"Digest realm="r", qop="auth", nonce="n", algorithm=MD5"#).unwrap();
    let creds = ClientCredentials::password("Jäsøn", "pw");
    let mut s = DigestClient::new().start(&challenge, &creds).unwrap();
    let value = s.authorize(&ClientRequest::new("GET", "/")).unwrap();
    let bytes = value.to_bytes();
    let expected = "Digest username=\"Jäsøn\", realm=\"r\", nonce=\"n\", algorithm=MD5, uri=\"/\", qop=auth, nc=00000001, cnonce=\"";
    assert!(bytes.starts_with(expected.as_bytes()), "{value}");
}

#[test]
fn a_non_ascii_name_never_goes_as_iso_8859_1() {
    let creds = ClientCredentials::password("Jäsøn Doe", "Secret, or not?");
    let base = r#"Digest realm="r", qop="auth", nonce="n", algorithm=SHA-256"#;
    for (extra, expected) in [
        (", charset=UTF-8, userhash=true", "Digest username=\""),
        (
            ", charset=UTF-8",
            "Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, ",
        ),
        ("", "Digest username=\"Jäsøn Doe\", "),
    ] {
        let text = format!("{base}{extra}");
        let challenge = Challenge::parse(text.as_bytes()).unwrap();
        let mut s = DigestClient::new().start(&challenge, &creds).unwrap();
        let value = s.authorize_header(&ClientRequest::new("GET", "/")).unwrap();
        let octets = value.as_bytes();
        assert!(octets.starts_with(expected.as_bytes()), "{value:?}");
        assert!(
            !octets.windows(3).any(|w| w == b"J\xe4s"),
            "ISO-8859-1 octets: {value:?}"
        );
        assert!(std::str::from_utf8(octets).is_ok(), "{value:?}");
    }
}

#[tokio::test]
async fn wrong_password_and_unknown_user_are_both_401() {
    let clock = ManualClock::new(1_000_000);
    let auth = server(&[Algorithm::Sha256], &clock);
    for creds in [
        ClientCredentials::password("Mufasa", "wrong"),
        ClientCredentials::password("Scar", "Circle of Life"),
    ] {
        let mut s = session(&auth, &creds, None).await;
        let c = s.authorize(&ClientRequest::new("GET", "/")).unwrap();
        let r = send(&auth, "GET", "/", None, Some(&c)).await;
        assert_eq!(r.status(), 401);
        let Outcome::Denied(d) = &r.outcome else {
            unreachable!()
        };
        assert_eq!(d.reason(), "wrong user name or password");
        assert!(!r.challenges()[0].to_string().contains("stale"));
    }
}

#[tokio::test]
async fn replay_is_refused_and_out_of_order_counts_are_accepted() {
    let clock = ManualClock::new(1_000_000);
    let auth = server(&[Algorithm::Sha256], &clock);
    let mut s = session(&auth, &mufasa(), None).await;
    let req = ClientRequest::new("GET", "/");
    let c1 = s.authorize(&req).unwrap();
    let c2 = s.authorize(&req).unwrap();
    let c3 = s.authorize(&req).unwrap();
    assert_eq!(c3.param_str("nc"), Some("00000003"));
    assert_eq!(send(&auth, "GET", "/", None, Some(&c3)).await.status(), 200);
    assert_eq!(send(&auth, "GET", "/", None, Some(&c1)).await.status(), 200);
    assert_eq!(send(&auth, "GET", "/", None, Some(&c2)).await.status(), 200);
    for replay in [&c1, &c2, &c3] {
        let r = send(&auth, "GET", "/", None, Some(replay)).await;
        assert_eq!(r.status(), 401);
        let Outcome::Denied(d) = &r.outcome else {
            unreachable!()
        };
        assert_eq!(d.reason(), "nonce count replayed");
    }
}

#[tokio::test]
async fn counts_below_the_window_get_stale() {
    let clock = ManualClock::new(1_000_000);
    let auth = server(&[Algorithm::Sha256], &clock);
    let mut s = session(&auth, &mufasa(), None).await;
    let req = ClientRequest::new("GET", "/");
    let old = s.authorize(&req).unwrap();
    let mut last = None;
    for _ in 0..authscheme_digest::WINDOW {
        last = Some(s.authorize(&req).unwrap());
    }
    assert_eq!(
        send(&auth, "GET", "/", None, last.as_ref()).await.status(),
        200
    );
    let r = send(&auth, "GET", "/", None, Some(&old)).await;
    assert_eq!(r.status(), 401);
    assert_eq!(r.challenges()[0].param_str("stale"), Some("true"));
}

#[tokio::test]
async fn expired_nonce_gets_stale_only_with_a_correct_response_and_client_recovers() {
    let clock = ManualClock::new(1_000_000);
    let auth = server(&[Algorithm::Sha256, Algorithm::Md5], &clock);
    let mut good = session(&auth, &mufasa(), None).await;
    let mut bad = session(&auth, &ClientCredentials::password("Mufasa", "nope"), None).await;
    clock.advance(301);
    let req = ClientRequest::new("GET", "/");

    let r = send(&auth, "GET", "/", None, Some(&bad.authorize(&req).unwrap())).await;
    assert_eq!(r.status(), 401);
    assert!(r.challenges().iter().all(|c| c.param("stale").is_none()));

    let r = send(
        &auth,
        "GET",
        "/",
        None,
        Some(&good.authorize(&req).unwrap()),
    )
    .await;
    assert_eq!(r.status(), 401);
    let fresh = r.challenges();
    assert!(fresh.iter().all(|c| c.param_str("stale") == Some("true")));
    assert_eq!(fresh[0].param_str("algorithm"), Some("SHA-256"));
    assert_eq!(good.rechallenge(&fresh[0]), Rechallenge::Retry);
    let again = good.authorize(&req).unwrap();
    assert_eq!(again.param_str("nc"), Some("00000001"));
    assert_eq!(
        send(&auth, "GET", "/", None, Some(&again)).await.status(),
        200
    );

    // A non-stale challenge means the credentials were refused.
    let plain = send(&auth, "GET", "/", None, None).await.challenges();
    assert_eq!(good.rechallenge(&plain[0]), Rechallenge::GiveUp);
}

#[tokio::test]
async fn stale_twice_in_a_row_gives_up() {
    let clock = ManualClock::new(1_000_000);
    let auth = server(&[Algorithm::Sha256], &clock);
    let mut s = session(&auth, &mufasa(), None).await;
    let req = ClientRequest::new("GET", "/");
    clock.advance(301);
    let r = send(&auth, "GET", "/", None, Some(&s.authorize(&req).unwrap())).await;
    assert_eq!(s.rechallenge(&r.challenges()[0]), Rechallenge::Retry);
    clock.advance(301);
    let r = send(&auth, "GET", "/", None, Some(&s.authorize(&req).unwrap())).await;
    assert_eq!(s.rechallenge(&r.challenges()[0]), Rechallenge::GiveUp);
}

/// Swaps a parameter of a challenge before the client answers it.
fn with_param(c: &Challenge<'_>, name: &str, value: &str) -> Challenge<'static> {
    let mut b = Challenge::builder(c.scheme().clone().into_owned());
    for p in c.params() {
        let v = if p.is(name) {
            value.as_bytes().to_vec()
        } else {
            p.value().to_vec()
        };
        b = b.param(p.name().to_owned(), v);
    }
    b.build().unwrap()
}

#[tokio::test]
async fn algorithm_swapped_in_a_nonce_is_refused() {
    let clock = ManualClock::new(1_000_000);
    let auth = server(&[Algorithm::Md5, Algorithm::Md5Sess], &clock);
    let offered = send(&auth, "GET", "/", None, None).await.challenges();
    assert_eq!(offered[0].param_str("algorithm"), Some("MD5"));
    // Answer the MD5 challenge's nonce as if it were MD5-sess.
    let forged = with_param(&offered[0], "algorithm", "MD5-sess");
    let mut s = DigestClient::new().start(&forged, &mufasa()).unwrap();
    let c = s.authorize(&ClientRequest::new("GET", "/")).unwrap();
    let r = send(&auth, "GET", "/", None, Some(&c)).await;
    assert_eq!(r.status(), 401);
    let Outcome::Denied(d) = &r.outcome else {
        unreachable!()
    };
    assert!(
        d.reason().starts_with("nonce not issued here"),
        "{}",
        d.reason()
    );
    // The response proves the password, so the client may retry with a
    // fresh nonce (RFC 7616 section 3.3) — for the algorithm it used.
    let again = &r.challenges()[0];
    assert_eq!(again.param_str("stale"), Some("true"));
    assert_eq!(again.param_str("algorithm"), Some("MD5-sess"));
    assert_ne!(again.param_str("nonce"), offered[0].param_str("nonce"));
}

/// A nonce from another instance or from before a restart (another secret,
/// so another opaque too), answered with the right password: 401 with
/// `stale=true` and a fresh nonce, so a browser retries without asking the
/// user again; a wrong password gets the plain 401.
#[tokio::test]
async fn a_nonce_from_another_secret_is_stale_when_the_password_is_right() {
    let clock = ManualClock::new(1_000_000);
    let before_restart = server(&[Algorithm::Sha256], &clock);
    let store = MemoryCredentialStore::new(REALM).with_user("Mufasa", "Circle of Life");
    let restarted = DigestScheme::builder(REALM, store)
        .algorithms([Algorithm::Sha256])
        .nonce_secret(NonceSecret::from_bytes(&[7u8; 32]).unwrap())
        .clock(clock.clone())
        .build()
        .unwrap();
    let after_restart = Authenticator::new().with(restarted);
    let offered = send(&before_restart, "GET", "/", None, None)
        .await
        .challenges();
    for (creds, stale) in [
        (mufasa(), true),
        (ClientCredentials::password("Mufasa", "wrong"), false),
    ] {
        let mut s = DigestClient::new().start(&offered[0], &creds).unwrap();
        let c = s.authorize(&ClientRequest::new("GET", "/")).unwrap();
        let r = send(&after_restart, "GET", "/", None, Some(&c)).await;
        assert_eq!(r.status(), 401);
        let first = &r.challenges()[0];
        assert_eq!(first.param_str("stale") == Some("true"), stale, "{first}");
    }
}

#[tokio::test]
async fn realm_swapped_nonce_is_refused() {
    let clock = ManualClock::new(1_000_000);
    let store_a = MemoryCredentialStore::new("a").with_user("Mufasa", "Circle of Life");
    let store_b = MemoryCredentialStore::new("b").with_user("Mufasa", "Circle of Life");
    let a = server_with(
        DigestScheme::builder("a", store_a),
        &[Algorithm::Sha256],
        &clock,
    );
    let b = server_with(
        DigestScheme::builder("b", store_b),
        &[Algorithm::Sha256],
        &clock,
    );
    let from_a = send(&a, "GET", "/", None, None).await.challenges();
    let from_b = send(&b, "GET", "/", None, None).await.challenges();
    // Realm b, nonce from realm a (same secret, same algorithm).
    let forged = with_param(&from_b[0], "nonce", from_a[0].param_str("nonce").unwrap());
    let mut s = DigestClient::new().start(&forged, &mufasa()).unwrap();
    let c = s.authorize(&ClientRequest::new("GET", "/")).unwrap();
    assert_eq!(send(&b, "GET", "/", None, Some(&c)).await.status(), 401);
    // A credentials value for another realm is not this scheme's at all.
    let mut s = DigestClient::new().start(&from_a[0], &mufasa()).unwrap();
    let c = s.authorize(&ClientRequest::new("GET", "/")).unwrap();
    let r = send(&b, "GET", "/", None, Some(&c)).await;
    assert_eq!(r.status(), 401);
    assert_eq!(send(&a, "GET", "/", None, Some(&c)).await.status(), 200);
}

#[tokio::test]
async fn uri_must_match_the_request_target() {
    let clock = ManualClock::new(1_000_000);
    let auth = server(&[Algorithm::Sha256], &clock);
    let mut s = session(&auth, &mufasa(), None).await;
    let c = s.authorize(&ClientRequest::new("GET", "/public")).unwrap();
    assert_eq!(
        send(&auth, "GET", "/secret", None, Some(&c)).await.status(),
        400
    );
}

#[tokio::test]
async fn uri_in_origin_form_matches_an_absolute_form_request() {
    // A client talking through a proxy puts the absolute URI on the request
    // line and, like curl, the path alone in `uri`.
    let clock = ManualClock::new(1_000_000);
    let auth = server(&[Algorithm::Sha256], &clock);
    let mut s = session(&auth, &mufasa(), None).await;
    let c = s.authorize(&ClientRequest::new("GET", "/a?b=1")).unwrap();
    let r = send(&auth, "GET", "http://example.org/a?b=1", None, Some(&c)).await;
    assert_eq!(r.status(), 200);
    let c = s.authorize(&ClientRequest::new("GET", "/a")).unwrap();
    let r = send(&auth, "GET", "http://example.org/a?b=1", None, Some(&c)).await;
    assert_eq!(r.status(), 400);
}

#[tokio::test]
async fn malformed_credentials_are_400() {
    let clock = ManualClock::new(1_000_000);
    let auth = server(&[Algorithm::Sha256], &clock);
    for value in [
        &b"Digest abc"[..],
        br#"Digest username="a""#,
        br#"Digest username="a", username*=UTF-8''a, realm="api@example.org", nonce="n", uri="/", response="r""#,
        br#"Digest username="a", realm="api@example.org", nonce="n", uri="/", response="r", qop=auth, nc=1, cnonce="c""#,
        br#"Digest username="a", realm="api@example.org", nonce="n", uri="/", response="r", qop=auth, nc=00000000, cnonce="c""#,
        br#"Digest username="a", realm="api@example.org", nonce="n", uri="/", response="r", qop=auth"#,
        br#"Digest username="a", realm="api@example.org", nonce="n", uri="/", response="r", algorithm=SHA-1"#,
        // nc and cnonce without qop (an answer without all three is the
        // RFC 2069 form, refused with 401: see below).
        br#"Digest username="a", realm="api@example.org", nonce="n", uri="/", response="r", algorithm=SHA-256, nc=00000001, cnonce="c""#,
    ] {
        let creds = Credentials::parse(value).unwrap();
        let r = send(&auth, "GET", "/", None, Some(&creds)).await;
        assert_eq!(r.status(), 400, "{}", String::from_utf8_lossy(value));
    }
}

#[tokio::test]
async fn authentication_info_carries_a_verifiable_rspauth_and_nextnonce_near_expiry() {
    let clock = ManualClock::new(1_000_000);
    let auth = server(&[Algorithm::Sha256], &clock);
    let mut s = session(&auth, &mufasa(), None).await;
    let req = ClientRequest::new("GET", "/x");
    let c = s.authorize(&req).unwrap();
    let r = send(&auth, "GET", "/x", None, Some(&c)).await;
    let info = r.info();
    assert_eq!(info.get_str("qop"), Some("auth"));
    assert_eq!(info.get_str("nc"), Some("00000001"));
    assert_eq!(info.get_str("cnonce"), c.param_str("cnonce"));
    assert!(info.get_str("rspauth").is_some());
    assert!(info.get("nextnonce").is_none());
    s.absorb_info(&info, &req).unwrap();

    // A forged rspauth is an error.
    let c = s.authorize(&req).unwrap();
    let r = send(&auth, "GET", "/x", None, Some(&c)).await;
    let mut forged = r.info();
    forged.set(authscheme::Param::quoted("rspauth", &b"00"[..]).unwrap());
    assert!(matches!(
        s.absorb_info(&forged, &req),
        Err(ClientError::ServerNotAuthenticated(_))
    ));

    // Near the end of the nonce's life the server hands out the next one,
    // and the client switches to it.
    clock.advance(280);
    let c = s.authorize(&req).unwrap();
    let old_nonce = c.param_str("nonce").unwrap().to_owned();
    let r = send(&auth, "GET", "/x", None, Some(&c)).await;
    let info = r.info();
    let next = info.get_str("nextnonce").unwrap().to_owned();
    assert_ne!(next, old_nonce);
    s.absorb_info(&info, &req).unwrap();
    clock.advance(30);
    let c = s.authorize(&req).unwrap();
    assert_eq!(c.param_str("nonce"), Some(next.as_str()));
    assert_eq!(c.param_str("nc"), Some("00000001"));
    assert_eq!(send(&auth, "GET", "/x", None, Some(&c)).await.status(), 200);
}

#[tokio::test]
async fn htdigest_store_offers_md5_only_and_reloads() {
    let dir = std::env::temp_dir().join(format!("digest-ht-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("users");
    store::set_htdigest_password(&path, REALM, "Mufasa", "Circle of Life", true).unwrap();
    let file = HtdigestFile::open(&path).unwrap();
    let clock = ManualClock::new(1_000_000);
    let auth = server_with(
        DigestScheme::builder(REALM, file),
        &[Algorithm::Sha256, Algorithm::Md5],
        &clock,
    );
    let offered = send(&auth, "GET", "/", None, None).await.challenges();
    assert_eq!(offered.len(), 1);
    assert_eq!(offered[0].param_str("algorithm"), Some("MD5"));
    assert!(offered[0].param("userhash").is_none());

    let mut s = session(&auth, &mufasa(), None).await;
    let c = s.authorize(&ClientRequest::new("GET", "/")).unwrap();
    assert_eq!(send(&auth, "GET", "/", None, Some(&c)).await.status(), 200);

    // Change the password on disk: the next request sees it.
    std::thread::sleep(Duration::from_millis(20));
    store::set_htdigest_password(&path, REALM, "Mufasa", "Hakuna Matata!", false).unwrap();
    let c = s.authorize(&ClientRequest::new("GET", "/")).unwrap();
    assert_eq!(send(&auth, "GET", "/", None, Some(&c)).await.status(), 401);
    let mut s = session(
        &auth,
        &ClientCredentials::password("Mufasa", "Hakuna Matata!"),
        None,
    )
    .await;
    let c = s.authorize(&ClientRequest::new("GET", "/")).unwrap();
    assert_eq!(send(&auth, "GET", "/", None, Some(&c)).await.status(), 200);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn bounded_nonce_store_forgets_into_stale_not_into_replay() {
    let clock = ManualClock::new(1_000_000);
    let store = MemoryCredentialStore::new(REALM).with_user("Mufasa", "Circle of Life");
    let auth = server_with(
        DigestScheme::builder(REALM, store).nonce_store(Arc::new(MemoryNonceStore::new(2))),
        &[Algorithm::Sha256],
        &clock,
    );
    let req = ClientRequest::new("GET", "/");
    let mut first = session(&auth, &mufasa(), None).await;
    let c1 = first.authorize(&req).unwrap();
    assert_eq!(send(&auth, "GET", "/", None, Some(&c1)).await.status(), 200);
    clock.advance(1);
    for _ in 0..2 {
        let mut s = session(&auth, &mufasa(), None).await;
        let c = s.authorize(&req).unwrap();
        assert_eq!(send(&auth, "GET", "/", None, Some(&c)).await.status(), 200);
        clock.advance(1);
    }
    // The first nonce was dropped: its old count must not pass again.
    let r = send(&auth, "GET", "/", None, Some(&c1)).await;
    assert_eq!(r.status(), 401);
    assert_eq!(r.challenges()[0].param_str("stale"), Some("true"));
}

#[test]
fn stores_report_what_they_can_verify() {
    let mem = MemoryCredentialStore::new(REALM).with_user("a", "b");
    assert!(Algorithm::ALL.iter().all(|a| mem.supports(*a)));
    assert!(mem.supports_userhash());
}

/// An answer in the RFC 2069 form (no qop, nc or cnonce), as GNU Wget sends
/// when the challenge offers more than `qop="auth"`.
fn answer_without_qop(
    challenge: &Challenge<'_>,
    alg: Algorithm,
    target: &str,
) -> Credentials<'static> {
    use authscheme_digest::compute;
    let nonce = challenge.param_str("nonce").unwrap();
    let ha1 = compute::ha1(alg, "Mufasa", REALM, "Circle of Life");
    let ha2 = compute::ha2(alg, None, "GET", target, b"");
    let response = compute::response(alg, &ha1, nonce, None, &ha2);
    Credentials::builder(authscheme::SchemeName::DIGEST)
        .quoted_param("username", "Mufasa")
        .param("realm", REALM)
        .quoted_param("nonce", nonce.to_owned())
        .quoted_param("uri", target.to_owned())
        .quoted_param("response", response.as_str().to_owned())
        .quoted_param("opaque", challenge.param_str("opaque").unwrap().to_owned())
        .param("algorithm", alg.as_str())
        .build()
        .unwrap()
}

/// The status of a GET of `target` with `creds`.
async fn get_status(
    auth: &Authenticator<DigestUser>,
    target: &str,
    creds: &Credentials<'_>,
) -> u16 {
    send(auth, "GET", target, None, Some(creds)).await.status()
}

/// The first challenge a GET of `target` without credentials gets.
async fn first_challenge(auth: &Authenticator<DigestUser>, target: &str) -> Challenge<'static> {
    send(auth, "GET", target, None, None)
        .await
        .challenges()
        .remove(0)
}

#[tokio::test]
async fn answers_without_qop_get_the_challenges_again_unless_accepted() {
    let clock = ManualClock::new(1_000_000);
    let auth = server(&[Algorithm::Md5], &clock);
    let challenge = first_challenge(&auth, "/old").await;
    let creds = answer_without_qop(&challenge, Algorithm::Md5, "/old");
    let refused = send(&auth, "GET", "/old", None, Some(&creds)).await;
    assert_eq!(
        refused.status(),
        401,
        "not a malformed request: a form we do not take"
    );
    assert!(!refused.challenges().is_empty());
}

#[tokio::test]
async fn accepted_answers_without_qop_use_their_nonce_once() {
    let clock = ManualClock::new(1_000_000);
    let store = MemoryCredentialStore::new(REALM).with_user("Mufasa", "Circle of Life");
    let builder = DigestScheme::builder(REALM, store).accept_without_qop(true);
    let auth = server_with(builder, &[Algorithm::Md5, Algorithm::Md5Sess], &clock);
    let offered = send(&auth, "GET", "/old", None, None).await.challenges();

    let creds = answer_without_qop(&offered[0], Algorithm::Md5, "/old");
    let ok = send(&auth, "GET", "/old", None, Some(&creds)).await;
    assert_eq!(ok.status(), 200);
    assert_eq!(ok.user(), Some("Mufasa"));
    // No rspauth without qop, and no qop, nc or cnonce to echo.
    let info = ok.info();
    assert!(info.get("rspauth").is_none() && info.get("nc").is_none());
    // The same answer again is a replay.
    assert_eq!(get_status(&auth, "/old", &creds).await, 401);
    // So is any other answer without qop on that nonce ...
    let other = answer_without_qop(&offered[0], Algorithm::Md5, "/old?page=2");
    assert_eq!(get_status(&auth, "/old?page=2", &other).await, 401);
    // ... while a wrong password is still wrong, on a fresh nonce.
    let fresh = first_challenge(&auth, "/old").await;
    let mut forged = answer_without_qop(&fresh, Algorithm::Md5, "/old").to_string();
    forged = forged.replace("response=\"", "response=\"0");
    let forged = Credentials::parse(forged.as_bytes()).unwrap().into_owned();
    assert_eq!(get_status(&auth, "/old", &forged).await, 401);
    // A -sess algorithm needs the cnonce that only comes with qop.
    let sess = answer_without_qop(&offered[1], Algorithm::Md5Sess, "/old");
    assert_eq!(get_status(&auth, "/old", &sess).await, 400);
}

/// An `Authorization` value as Python requests writes it: the name's
/// ISO-8859-1 octets in `username="..."` (http.client encodes header values
/// as ISO-8859-1), the response over the HA1 of the name's UTF-8 form.
/// `hashed_as` is the name as the client hashes it; `extra` goes after the
/// response (`, userhash=true`, say).
fn as_python_requests_sends(
    challenge: &Challenge<'_>,
    name_octets: &[u8],
    hashed_as: &[u8],
    password: &str,
    extra: &str,
) -> Vec<u8> {
    use authscheme_digest::compute::{self, QopParts};
    let alg = Algorithm::parse(challenge.param_str("algorithm").unwrap()).unwrap();
    let nonce = challenge.param_str("nonce").unwrap();
    let parts = QopParts {
        qop: authscheme_digest::Qop::Auth,
        nc: "00000001",
        cnonce: "0a4f113b",
    };
    let ha1 = alg.hash_parts(&[hashed_as, REALM.as_bytes(), password.as_bytes()]);
    let ha2 = compute::ha2(alg, Some(parts.qop), "GET", "/", b"");
    let response = compute::response(alg, &ha1, nonce, Some(parts), &ha2);
    let mut value = b"Digest username=\"".to_vec();
    value.extend_from_slice(name_octets);
    value.extend_from_slice(
        format!(
            "\", realm=\"{REALM}\", nonce=\"{nonce}\", uri=\"/\", algorithm={}, qop=auth, nc=00000001, cnonce=\"0a4f113b\", response=\"{}\"{extra}",
            alg.as_str(),
            response.as_str()
        )
        .as_bytes(),
    );
    value
}

/// The octets of `name` in ISO-8859-1 (every character is below U+0100).
fn latin1(name: &str) -> Vec<u8> {
    name.chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap())
        .collect()
}

/// Sends a raw `Authorization` value on the synchronous path (when `now`)
/// or the asynchronous one; the status and the user.
async fn send_raw(
    auth: &Authenticator<DigestUser>,
    value: &[u8],
    now: bool,
) -> (u16, Option<String>) {
    let mut headers = http::HeaderMap::new();
    headers.insert(
        "authorization",
        http::HeaderValue::from_bytes(value).unwrap(),
    );
    let request = AuthRequest::new("GET", "/", &headers);
    if now {
        return match auth.authenticate_now(&request) {
            Some(done) => (200, Some(done.authenticated().identity().name().to_owned())),
            None => (0, None),
        };
    }
    let sent = Sent {
        outcome: auth.authenticate(&request).await,
    };
    if sent.status() == 401 {
        assert!(
            !sent.challenges().is_empty(),
            "a 401 carries the challenges"
        );
    }
    (sent.status(), sent.user().map(str::to_owned))
}

#[tokio::test]
async fn a_user_name_in_iso_8859_1_octets_is_read_as_iso_8859_1() {
    // Python requests sends "Jäsøn Doe" as J\xe4s\xf8n Doe (not UTF-8) and
    // hashes the UTF-8 name: the octets are read as ISO-8859-1.
    let clock = ManualClock::new(1_000_000);
    let jason = "Jäsøn Doe";
    for alg in [Algorithm::Md5, Algorithm::Sha256] {
        for now in [false, true] {
            let auth = server(&[alg], &clock);
            let challenge = first_challenge(&auth, "/").await;
            let value = as_python_requests_sends(
                &challenge,
                &latin1(jason),
                jason.as_bytes(),
                "Secret, or not?",
                "",
            );
            assert!(std::str::from_utf8(&value).is_err());
            let (status, user) = send_raw(&auth, &value, now).await;
            assert_eq!(status, 200, "{alg} now={now}");
            assert_eq!(user.as_deref(), Some(jason), "{alg} now={now}");
            // The same (nonce, nc) again is a replay, as for any name.
            assert_eq!(send_raw(&auth, &value, false).await.0, 401);
        }
    }
}

#[tokio::test]
async fn iso_8859_1_user_names_fail_like_any_other_name() {
    let clock = ManualClock::new(1_000_000);
    let auth = server(&[Algorithm::Sha256], &clock);
    let jason = "Jäsøn Doe";
    let challenge = first_challenge(&auth, "/").await;
    let octets = latin1(jason);
    // A wrong password, an unknown user, and a response over the
    // ISO-8859-1 octets rather than the UTF-8 name: 401 with the challenges,
    // so a browser asks again, and the same reason for each.
    let utf8 = jason.as_bytes();
    let cases = [
        as_python_requests_sends(&challenge, &octets, utf8, "wrong", ""),
        as_python_requests_sends(&challenge, &latin1("Ménage"), "Ménage".as_bytes(), "x", ""),
        // Java's mistake the other way round: HA1 over the ISO-8859-1 octets.
        as_python_requests_sends(&challenge, &octets, &octets, "Secret, or not?", ""),
        // With userhash=true the name must be a hex userhash: octets that
        // are not UTF-8 name nobody (as before).
        as_python_requests_sends(
            &challenge,
            &octets,
            utf8,
            "Secret, or not?",
            ", userhash=true",
        ),
    ];
    for (i, value) in cases.iter().enumerate() {
        assert_eq!(send_raw(&auth, value, false).await, (401, None), "case {i}");
        assert_eq!(send_raw(&auth, value, true).await, (0, None), "case {i}");
    }
}

#[tokio::test]
async fn utf8_octets_are_never_read_as_iso_8859_1() {
    // "Jäsøn Doe" in UTF-8 is "JÃ¤sÃ¸n Doe" in ISO-8859-1. Octets that are
    // UTF-8 name the UTF-8 user, so a second user named by the ISO-8859-1
    // reading is never reached through them, and each user's answer
    // verifies only as that user.
    let clock = ManualClock::new(1_000_000);
    let jason = "Jäsøn Doe";
    let mojibake = "J\u{c3}\u{a4}s\u{c3}\u{b8}n Doe";
    let store = MemoryCredentialStore::new(REALM)
        .with_user(jason, "Secret, or not?")
        .with_user(mojibake, "another secret");
    let auth = server_with(
        DigestScheme::builder(REALM, store).userhash(false),
        &[Algorithm::Sha256],
        &clock,
    );
    let challenge = first_challenge(&auth, "/").await;
    let utf8 = jason.as_bytes();
    assert_eq!(latin1(mojibake), utf8);
    let right = as_python_requests_sends(&challenge, utf8, utf8, "Secret, or not?", "");
    assert_eq!(
        send_raw(&auth, &right, false).await,
        (200, Some(jason.into()))
    );
    let other =
        as_python_requests_sends(&challenge, utf8, mojibake.as_bytes(), "another secret", "");
    assert_eq!(send_raw(&auth, &other, false).await, (401, None));
    // The second user is reached by its own UTF-8 octets.
    let challenge = first_challenge(&auth, "/").await;
    let own = as_python_requests_sends(
        &challenge,
        mojibake.as_bytes(),
        mojibake.as_bytes(),
        "another secret",
        "",
    );
    assert_eq!(
        send_raw(&auth, &own, false).await,
        (200, Some(mojibake.into()))
    );
}

/// A replay store that cannot answer (a shared store that is down).
#[derive(Debug, Default)]
struct DownStore(std::sync::atomic::AtomicUsize);

#[async_trait::async_trait]
impl authscheme_digest::NonceStore for DownStore {
    async fn check_and_record(
        &self,
        _use: authscheme_digest::NonceUse<'_>,
    ) -> Result<authscheme_digest::Seen, authscheme_digest::DigestError> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Err(authscheme_digest::DigestError::unavailable(
            "replay store down",
            std::io::Error::from(std::io::ErrorKind::ConnectionRefused),
        ))
    }
}

#[tokio::test]
async fn an_expired_nonce_is_stale_without_asking_the_replay_store() {
    let clock = ManualClock::new(1_000_000);
    let replay = Arc::new(DownStore::default());
    let store = MemoryCredentialStore::new(REALM).with_user("Mufasa", "Circle of Life");
    let auth = server_with(
        DigestScheme::builder(REALM, store).nonce_store(replay.clone()),
        &[Algorithm::Sha256],
        &clock,
    );
    let req = ClientRequest::new("GET", "/");
    let mut s = session(&auth, &mufasa(), None).await;
    // A valid nonce needs the store, which is down: 503, no challenge.
    let r = send(&auth, "GET", "/", None, Some(&s.authorize(&req).unwrap())).await;
    assert_eq!(r.status(), 503);
    assert!(r.challenges().is_empty());
    assert_eq!(replay.0.load(std::sync::atomic::Ordering::SeqCst), 1);
    // Expired: stale=true, and the store was never asked.
    clock.advance(301);
    let r = send(&auth, "GET", "/", None, Some(&s.authorize(&req).unwrap())).await;
    assert_eq!(r.status(), 401);
    assert!(
        r.challenges()
            .iter()
            .all(|c| c.param_str("stale") == Some("true"))
    );
    assert_eq!(replay.0.load(std::sync::atomic::Ordering::SeqCst), 1);
    // A wrong password with an expired nonce: 401 without stale, no store.
    let mut bad = session(&auth, &ClientCredentials::password("Mufasa", "nope"), None).await;
    clock.advance(301);
    let r = send(&auth, "GET", "/", None, Some(&bad.authorize(&req).unwrap())).await;
    assert_eq!(r.status(), 401);
    assert!(r.challenges().iter().all(|c| c.param("stale").is_none()));
    assert_eq!(replay.0.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[test]
fn a_nonce_lifetime_longer_than_a_day_is_refused_at_build() {
    let users = || MemoryCredentialStore::new(REALM).with_user("Mufasa", "Circle of Life");
    for too_long in [
        Duration::from_secs(u64::MAX),
        Duration::MAX,
        authscheme_digest::NonceIssuer::MAX_LIFETIME + Duration::from_secs(1),
    ] {
        let err = DigestScheme::builder(REALM, users())
            .nonce_lifetime(too_long)
            .build()
            .unwrap_err();
        assert!(
            matches!(err, authscheme_digest::DigestError::Config(_)),
            "{err:?}"
        );
        assert!(err.to_string().contains("nonce lifetime"), "{err}");
    }
    let day = DigestScheme::builder(REALM, users())
        .nonce_lifetime(authscheme_digest::NonceIssuer::MAX_LIFETIME)
        .build()
        .unwrap();
    assert_eq!(day.nonce_issuer().lifetime(), 86_400);
}

#[tokio::test]
async fn the_longest_lifetime_still_records_sane_expiry() {
    // A nonce of the longest lifetime reaches the replay store with an
    // expiry a day away, which every store's arithmetic holds.
    let clock = ManualClock::new(1_000_000);
    let store = MemoryCredentialStore::new(REALM).with_user("Mufasa", "Circle of Life");
    let auth = server_with(
        DigestScheme::builder(REALM, store).nonce_lifetime(Duration::from_secs(86_400)),
        &[Algorithm::Sha256],
        &clock,
    );
    let req = ClientRequest::new("GET", "/");
    let mut s = session(&auth, &mufasa(), None).await;
    let c = s.authorize(&req).unwrap();
    assert_eq!(send(&auth, "GET", "/", None, Some(&c)).await.status(), 200);
    clock.advance(86_399);
    let c = s.authorize(&req).unwrap();
    assert_eq!(send(&auth, "GET", "/", None, Some(&c)).await.status(), 200);
    clock.advance(1);
    let c = s.authorize(&req).unwrap();
    let r = send(&auth, "GET", "/", None, Some(&c)).await;
    assert_eq!(r.status(), 401);
    assert_eq!(r.challenges()[0].param_str("stale"), Some("true"));
}

#[test]
fn a_shared_secret_without_a_shared_replay_store_is_warned_about_once() {
    let logs = authscheme_testkit::CapturedLogs::default();
    let _capture = logs.capture();
    let users = || MemoryCredentialStore::new(REALM).with_user("Mufasa", "Circle of Life");
    let secret = || NonceSecret::from_bytes(&[42u8; 32]).unwrap();
    // No secret (one instance, its own nonces) or a shared store: quiet.
    DigestScheme::builder(REALM, users()).build().unwrap();
    DigestScheme::builder(REALM, users())
        .nonce_secret(secret())
        .nonce_store(Arc::new(MemoryNonceStore::new(10)))
        .build()
        .unwrap();
    assert!(logs.lines_containing("WARN").is_empty(), "{}", logs.text());
    // A secret for the fleet, replay state per instance: one warning.
    DigestScheme::builder(REALM, users())
        .nonce_secret(secret())
        .build()
        .unwrap();
    let warnings = logs.lines_containing("WARN");
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("without a shared replay store")
            && warnings[0].contains("accepted once by every instance")
            && warnings[0].contains("nonce_store"),
        "{warnings:?}"
    );
}

#[test]
fn ha1_and_digests_compare_by_value() {
    use authscheme_digest::{Ha1, HexDigest, compute};
    use std::collections::HashSet;
    let md5 = compute::ha1(Algorithm::Md5, "Mufasa", REALM, "Circle of Life");
    let upper = HexDigest::parse(&md5.as_str().to_ascii_uppercase()).unwrap();
    assert_eq!(md5, upper, "hex case does not matter");
    let other = compute::ha1(Algorithm::Md5, "Mufasa", REALM, "Circle of Lif3");
    assert_ne!(md5, other);
    let sha = compute::ha1(Algorithm::Sha256, "Mufasa", REALM, "Circle of Life");
    assert_ne!(md5, sha, "different lengths");
    // The first 32 digits of a SHA-256 digest are not that digest.
    let prefix = HexDigest::parse(&sha.as_str()[..32]).unwrap();
    assert_ne!(prefix, sha);
    assert_eq!(Ha1::new(md5), Ha1::new(upper));
    assert_ne!(Ha1::new(md5), Ha1::new(other));
    assert_ne!(Ha1::new(md5), Ha1::new(sha));
    // Hashing agrees with equality.
    let set: HashSet<HexDigest> = [md5, upper, other, sha, prefix].into_iter().collect();
    assert_eq!(set.len(), 4);
}

/// An answer with `qop` spelled `spelled` and the response hashed over
/// `hashed`, to the first challenge a GET of `/` gets.
async fn answer_spelling_qop(
    auth: &Authenticator<DigestUser>,
    spelled: &str,
    hashed: &str,
) -> (Credentials<'static>, authscheme_digest::HexDigest) {
    let challenge = first_challenge(auth, "/").await;
    let alg = Algorithm::parse(challenge.param_str("algorithm").unwrap()).unwrap();
    let nonce = challenge.param_str("nonce").unwrap();
    let ha1 = authscheme_digest::compute::ha1(alg, "Mufasa", REALM, "Circle of Life");
    let a2 = ["GET", "/"].join(":");
    let ha2 = alg.hash_parts(&[a2.as_bytes()]);
    let kd = [
        ha1.as_bytes(),
        nonce.as_bytes(),
        b"00000001",
        b"0a4f113b",
        hashed.as_bytes(),
        ha2.as_bytes(),
    ];
    let response = alg.hash_parts(&kd);
    let creds = Credentials::builder(authscheme::SchemeName::DIGEST)
        .quoted_param("username", "Mufasa")
        .quoted_param("realm", REALM)
        .quoted_param("nonce", nonce.to_owned())
        .quoted_param("uri", "/")
        .param("algorithm", alg.as_str())
        .param("qop", spelled.to_owned())
        .param("nc", "00000001")
        .quoted_param("cnonce", "0a4f113b")
        .quoted_param("response", response.as_str().to_owned())
        .quoted_param("opaque", challenge.param_str("opaque").unwrap().to_owned())
        .build()
        .unwrap();
    (creds, ha1)
}

#[tokio::test]
async fn a_qop_in_capitals_is_hashed_as_the_client_spelled_it() {
    let clock = ManualClock::new(1_000_000);
    let auth = server(&[Algorithm::Sha256], &clock);
    // RFC 7616 hashes unq(qop-value), the value as sent; Apache httpd
    // matches the qop ignoring case and hashes it as sent.
    let (creds, ha1) = answer_spelling_qop(&auth, "AUTH", "AUTH").await;
    let sent = send(&auth, "GET", "/", None, Some(&creds)).await;
    assert_eq!(sent.status(), 200);
    let info = sent.info();
    assert_eq!(
        info.get_str("qop"),
        Some("AUTH"),
        "echoed as the client sent it"
    );
    // The proof is the one the client computes with its own spelling.
    let nonce = creds.param_str("nonce").unwrap();
    let ha2 = Algorithm::Sha256.hash_parts(&[b":/"]);
    let kd = [
        ha1.as_bytes(),
        nonce.as_bytes(),
        b"00000001",
        b"0a4f113b",
        b"AUTH",
        ha2.as_bytes(),
    ];
    let proof = Algorithm::Sha256.hash_parts(&kd);
    assert_eq!(info.get_str("rspauth"), Some(proof.as_str()));

    // Sent as `AUTH` but hashed as `auth`: not what the client sent.
    let (creds, _) = answer_spelling_qop(&auth, "AUTH", "auth").await;
    assert_eq!(
        send(&auth, "GET", "/", None, Some(&creds)).await.status(),
        401
    );
    // The usual spelling still works.
    let (creds, _) = answer_spelling_qop(&auth, "auth", "auth").await;
    assert_eq!(
        send(&auth, "GET", "/", None, Some(&creds)).await.status(),
        200
    );
}
