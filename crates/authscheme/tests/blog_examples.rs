//! The header examples of a widely read article on `401 Unauthorized`, and
//! the comma-ambiguity example from the issue tracker.
#![allow(clippy::unwrap_used)]

use authscheme::ParseErrorKind;
use authscheme::syntax::{parse_challenge_lines, parse_challenges};

#[test]
fn semicolon_is_not_a_separator() {
    let err = parse_challenges(br#"Basic; realm="Secured area""#).unwrap_err();
    assert_eq!(err.kind(), &ParseErrorKind::AfterScheme);
    assert_eq!(err.offset(), 5);
}

#[test]
fn unterminated_opaque_is_invalid() {
    let line = br#"Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"#;
    let err = parse_challenges(line).unwrap_err();
    assert_eq!(err.kind(), &ParseErrorKind::UnterminatedQuotedString);
}

#[test]
fn two_challenges_on_one_line_or_two() {
    let one = parse_challenges(br#"Basic realm="Dev zone", Bearer"#).unwrap();
    let two = parse_challenge_lines([&br#"Basic realm="Dev zone""#[..], b"Bearer"]).unwrap();
    assert_eq!(one.len(), 2);
    assert_eq!(one, two);
    assert_eq!(one[0].realm(), Some("Dev zone"));
    assert!(one[1].scheme().is("Bearer"));
    assert!(one[1].params().is_empty());
}

#[test]
fn comma_ambiguity_is_resolved_by_the_grammar() {
    let c = parse_challenges(br#"Basic realm="a", Newauth realm="b", basic=foo, Basic realm="c""#)
        .unwrap();
    assert_eq!(c.len(), 3);
    assert_eq!(c[1].param_str("basic"), Some("foo"));
    assert_eq!(c[2].realm(), Some("c"));
}

#[test]
fn obs_fold_reads_as_space() {
    let c = parse_challenges(b"Basic\r\n realm=\"a\",\r\n\tBearer").unwrap();
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].realm(), Some("a"));
}

#[test]
fn non_utf8_values_are_kept_as_octets() {
    let c = parse_challenges(b"Basic realm=\"Z\xfcrich\"").unwrap();
    assert_eq!(c[0].param("realm"), Some(&b"Z\xfcrich"[..]));
    assert_eq!(c[0].realm(), None);
}

#[test]
fn hostile_long_header_is_linear() {
    // 64 KiB of parameters; a quadratic duplicate check or backtracking
    // would take seconds here.
    let mut line = String::from("Foo ");
    let mut i = 0;
    while line.len() < 64 * 1024 {
        line.push_str(&format!("p{i}=v, "));
        i += 1;
    }
    let start = std::time::Instant::now();
    let c = parse_challenges(line.as_bytes()).unwrap();
    assert_eq!(c[0].params().len(), i);
    // Generous bound: the point is "not seconds", measured precisely in the bench.
    assert!(start.elapsed() < std::time::Duration::from_millis(500));

    let mut dup = line.clone();
    dup.push_str("p0=again");
    assert!(matches!(
        parse_challenges(dup.as_bytes()).unwrap_err().kind(),
        ParseErrorKind::DuplicateParam(_)
    ));
}

#[test]
fn denial_says_when_no_credentials_were_sent() {
    use authscheme::{AuthRequest, Authenticator, Outcome, registry::Principal};
    let auth: Authenticator<Principal> = Authenticator::new();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let empty = http::HeaderMap::new();
    let Outcome::Denied(d) = rt.block_on(auth.authenticate(&AuthRequest::new("GET", "/", &empty)))
    else {
        panic!("denied");
    };
    assert!(d.credentials_missing());
    let mut with = http::HeaderMap::new();
    with.insert("authorization", "Basic YTpi".parse().unwrap());
    let Outcome::Denied(d) = rt.block_on(auth.authenticate(&AuthRequest::new("GET", "/", &with)))
    else {
        panic!("denied");
    };
    assert!(!d.credentials_missing());
}

#[test]
fn unavailable_carries_retry_after_and_no_challenge() {
    use authscheme::*;
    struct Down;
    #[async_trait]
    impl AuthScheme<String> for Down {
        fn name(&self) -> SchemeName<'static> {
            SchemeName::DIGEST
        }
        fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
            out.push(Challenge::new(SchemeName::DIGEST));
        }
        async fn authenticate(&self, _: &AuthRequest<'_>, _: &Credentials<'_>) -> Verdict<String> {
            Verdict::Rejected(Rejection::unavailable("store unreachable"))
        }
    }
    let auth = Authenticator::new().with(Down);
    let mut headers = http::HeaderMap::new();
    headers.insert("authorization", "Digest username=\"a\"".parse().unwrap());
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let Outcome::Denied(d) =
        rt.block_on(auth.authenticate(&AuthRequest::new("GET", "/", &headers)))
    else {
        panic!("denied");
    };
    assert_eq!(d.status().as_u16(), 503);
    let lines = d.headers();
    assert_eq!(
        lines.len(),
        1,
        "no challenge, only when to retry: {lines:?}"
    );
    assert_eq!(lines[0].0, http::header::RETRY_AFTER);
    assert_eq!(lines[0].1, "5");
}

/// Credentials that break the grammar: 400 when they name a scheme of this
/// server (or name none), but the ordinary 401 with every challenge when
/// they plainly name a scheme none here answers to, as AWS's signatures
/// do (`/` and `;` in unquoted values): not this server's to judge.
#[test]
fn malformed_credentials_of_a_foreign_scheme_get_the_challenges() {
    use authscheme::*;
    struct Named;
    #[async_trait]
    impl AuthScheme<String> for Named {
        fn name(&self) -> SchemeName<'static> {
            SchemeName::BASIC
        }
        fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
            out.push(Challenge::new(SchemeName::BASIC));
        }
        async fn authenticate(&self, _: &AuthRequest<'_>, _: &Credentials<'_>) -> Verdict<String> {
            Verdict::Rejected(Rejection::unauthorized("no"))
        }
    }
    let auth = Authenticator::new().with(Named);
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let status = |value: &'static str| {
        let mut headers = http::HeaderMap::new();
        headers.insert("authorization", http::HeaderValue::from_static(value));
        match rt.block_on(auth.authenticate(&AuthRequest::new("GET", "/", &headers))) {
            Outcome::Denied(d) => (d.status().as_u16(), d.challenges().len()),
            _ => panic!("{value}: accepted"),
        }
    };
    let aws = "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/iam/aws4_request, \
               SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79";
    assert_eq!(status(aws), (401, 1));
    assert_eq!(status("AWS AKIA:sig="), (401, 1));
    assert_eq!(status("Basic a, b"), (400, 1), "this server's own scheme");
    assert_eq!(status("basic a=\"open"), (400, 1), "named in any case");
    assert_eq!(status("\"quoted\" x"), (400, 1), "names no scheme");
    assert_eq!(status("Foo;bar"), (400, 1), "no space after the name");
    // Two lines are malformed credentials, whatever the first names.
    let mut headers = http::HeaderMap::new();
    headers.append("authorization", http::HeaderValue::from_static("Foo x"));
    headers.append(
        "authorization",
        http::HeaderValue::from_static("Basic YTpi"),
    );
    match rt.block_on(auth.authenticate(&AuthRequest::new("GET", "/", &headers))) {
        Outcome::Denied(d) => assert_eq!(d.status().as_u16(), 400),
        _ => panic!("two credentials lines accepted"),
    }
}
