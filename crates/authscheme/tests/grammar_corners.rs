//! Corners of the RFC 9110 section 11 grammar found by probing the parser
//! from outside: folds after a token68, what may follow credentials, and
//! where errors point.
#![allow(clippy::unwrap_used)]

use authscheme::syntax::{parse_challenge_lines, parse_challenges, parse_credentials};
use authscheme::{Challenge, ParseErrorKind};

/// An obs-fold is OWS wherever OWS may be, after a token68 too (RFC 9112
/// section 5.2: a recipient replaces it with SP).
#[test]
fn obs_fold_after_a_token68_reads_as_space() {
    for line in [
        &b"Foo abc\r\n , Bar"[..],
        b"Foo abc==\r\n ,Bar",
        b"Foo abc\n\t, Bar",
    ] {
        let c = parse_challenges(line).unwrap();
        assert_eq!(c.len(), 2, "{}", String::from_utf8_lossy(line));
        assert!(c[0].token68().unwrap().starts_with("abc"));
        assert!(c[1].scheme().is("Bar"));
    }
    assert_eq!(
        parse_challenges(b"Foo abc\r\n ").unwrap()[0].token68(),
        Some("abc")
    );
    for value in [&b"Basic YWJj\r\n "[..], b"Bearer mF_9.B5f-4.1JqM\r\n\t"] {
        let c = parse_credentials(value).unwrap();
        assert!(c.token68().is_some(), "{}", String::from_utf8_lossy(value));
    }
    // A CR or LF that does not start a fold is still an error.
    assert!(parse_challenges(b"Foo abc\r\n, Bar").is_err());
    assert!(parse_credentials(b"Basic YWJj\r\n").is_err());
}

/// Credentials are one value, not a list: a comma after a token68 is an
/// error, where after parameters it is an empty list element.
#[test]
fn credentials_end_at_their_token68() {
    for value in [
        &b"Basic QWxh,"[..],
        b"Basic YWJj,,",
        b"Basic QWxhZGRp=,",
        b"Basic QWxh , ",
    ] {
        let e = parse_credentials(value).unwrap_err();
        assert_eq!(
            e.kind(),
            &ParseErrorKind::AfterToken68,
            "{}",
            String::from_utf8_lossy(value)
        );
        assert_eq!(value[e.offset()], b',');
    }
    assert_eq!(
        parse_credentials(b"Digest a=b,").unwrap().param_str("a"),
        Some("b")
    );
    // In a challenge list the same comma is an empty element.
    assert_eq!(parse_challenges(b"Basic YWJj,,").unwrap().len(), 1);
}

#[test]
fn one_challenge_asked_for_and_two_found_says_so() {
    let e = Challenge::parse(b"Basic, Bearer").unwrap_err();
    assert_eq!(e.kind(), &ParseErrorKind::SecondChallenge);
    assert_eq!(e.offset(), 7, "where the second challenge starts");
    assert!(Challenge::parse(br#"Basic realm="a", charset="UTF-8""#).is_ok());
    assert_eq!(
        Challenge::parse(b" , ").unwrap_err().kind(),
        &ParseErrorKind::Empty
    );
}

/// The offset of a repeated parameter is where its name starts.
#[test]
fn a_repeated_parameter_is_reported_at_its_name() {
    let e = parse_challenges(br#"Foo realm="a", REALM="b""#).unwrap_err();
    assert_eq!(e.kind(), &ParseErrorKind::DuplicateParam("realm".into()));
    assert_eq!(e.offset(), 15);
    assert_eq!(
        parse_challenges(b"Foo a=b, a=c, x=y").unwrap_err().offset(),
        9
    );
}

/// Field lines mean what they mean joined with commas (RFC 9110 section
/// 5.3), so a line may carry on the parameters of the challenge before it.
#[test]
fn a_line_may_continue_the_challenge_before_it() {
    let c = parse_challenge_lines([&b"Foo a=b"[..], b"c=d", b"Bar"]).unwrap();
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].param_str("a"), Some("b"));
    assert_eq!(c[0].param_str("c"), Some("d"));
    assert!(c[1].scheme().is("Bar"));
    // What is wrong joined is wrong line by line, and the error says where.
    let e = parse_challenge_lines([&b"Foo abc"[..], b"c=d"]).unwrap_err();
    assert_eq!(e.line(), Some(1));
    let e = parse_challenge_lines([&b"Foo a=b"[..], b"a=c"]).unwrap_err();
    assert_eq!(e.line(), Some(1));
    assert!(parse_challenge_lines([&b"Basic"[..], b"realm=x"]).is_err());
}
