//! `WWW-Authenticate` values of the kind collected by the public httpauth
//! test cases (greenbytes.de/tech/tc/httpauth), each with the result the
//! RFC 9110 grammar gives: the challenges, or an error. Where browsers
//! guess, the grammar decides.
#![allow(clippy::unwrap_used)]

use authscheme::syntax::{parse_challenge_lines, parse_challenges};

/// A challenge as `scheme`, then `token68` or `name=value` items.
fn shape(line: &[u8]) -> Result<Vec<String>, String> {
    let challenges = parse_challenges(line).map_err(|e| e.to_string())?;
    Ok(challenges
        .iter()
        .map(|c| {
            let mut s = c.scheme().as_str().to_owned();
            if let Some(t) = c.token68() {
                s.push_str(&format!(" {t}"));
            }
            for p in c.params() {
                s.push_str(&format!(
                    " {}={}",
                    p.name(),
                    String::from_utf8_lossy(p.value())
                ));
            }
            s
        })
        .collect())
}

fn accepts(line: &str, expected: &[&str]) {
    match shape(line.as_bytes()) {
        Ok(got) => assert_eq!(got, expected, "{line}"),
        Err(e) => panic!("{line}: refused ({e}), expected {expected:?}"),
    }
}

fn refuses(line: &[u8]) {
    if let Ok(got) = shape(line) {
        panic!("{}: accepted as {got:?}", String::from_utf8_lossy(line));
    }
}

#[test]
fn single_basic_challenges() {
    accepts(r#"Basic realm="foo""#, &["Basic realm=foo"]);
    accepts(r#"BASIC REALM="foo""#, &["BASIC REALM=foo"]);
    // A token is a valid parameter value, even for realm.
    accepts("Basic realm=foo", &["Basic realm=foo"]);
    accepts("Basic realm='foo'", &["Basic realm='foo'"]);
    accepts(r#"Basic realm="foo%20bar""#, &["Basic realm=foo%20bar"]);
    accepts(r#"Basic realm = "foo""#, &["Basic realm=foo"]);
    accepts(r#"Basic realm="\f\o\o""#, &["Basic realm=foo"]);
    accepts(r#"Basic realm="\"foo\"""#, &[r#"Basic realm="foo""#]);
    accepts(
        r#"Basic realm="=?ISO-8859-1?Q?foo-=E4?=""#,
        &["Basic realm==?ISO-8859-1?Q?foo-=E4?="],
    );
    accepts("Basic", &["Basic"]);
    // Unknown parameters and empty list elements.
    accepts(
        r#"Basic realm="foo", bar="xyz",, a=b,,,c=d"#,
        &["Basic realm=foo bar=xyz a=b c=d"],
    );
    accepts(
        r#"Basic bar="xyz", realm="foo""#,
        &["Basic bar=xyz realm=foo"],
    );
    // The parameter list may start with an empty element after 1*SP.
    accepts(r#"Basic , realm="foo""#, &["Basic realm=foo"]);
    accepts(r#"Basic realm="foo","#, &["Basic realm=foo"]);
    // obs-fold inside the field value is read as a space.
    accepts("Basic\r\n realm=\"foo\"", &["Basic realm=foo"]);
}

#[test]
fn realm_octets_are_kept_as_sent() {
    let latin1 = b"Basic realm=\"foo-\xe4\"";
    let c = parse_challenges(latin1).unwrap();
    assert_eq!(c[0].param("realm"), Some(&b"foo-\xe4"[..]));
    let utf8 = "Basic realm=\"foo-ä\"";
    let c = parse_challenges(utf8.as_bytes()).unwrap();
    assert_eq!(c[0].realm(), Some("foo-ä"));
}

#[test]
fn malformed_challenges_are_errors() {
    // A backslash is not a token character outside a quoted-string.
    refuses(br"Basic realm=\f\o\o");
    refuses(br#"Basic realm="basic"#);
    // The same parameter twice in one challenge.
    refuses(br#"Basic realm="foo", realm="bar""#);
    // No space after the scheme: the comma ends the challenge, and
    // `realm="foo"` is not a challenge.
    refuses(br#"Basic, realm="foo""#);
    refuses(b"Basic =foo");
    // A token68 takes no parameters.
    refuses(br#"Basic abc==, realm="x""#);
}

#[test]
fn several_challenges_in_one_line() {
    accepts(
        r#"Basic realm="basic", Newauth realm="newauth""#,
        &["Basic realm=basic", "Newauth realm=newauth"],
    );
    accepts(
        r#"Basic realm="basic", Newauth"#,
        &["Basic realm=basic", "Newauth"],
    );
    accepts(
        r#"Newauth realm="newauth", Basic realm="basic""#,
        &["Newauth realm=newauth", "Basic realm=basic"],
    );
    accepts(
        r#"Newauth, Basic realm="basic""#,
        &["Newauth", "Basic realm=basic"],
    );
    accepts(r#",Basic realm="basic""#, &["Basic realm=basic"]);
    accepts(
        r#"Newauth realm="apps", type=1, title="Login to \"apps\"", Basic realm="simple""#,
        &[
            r#"Newauth realm=apps type=1 title=Login to "apps""#,
            "Basic realm=simple",
        ],
    );
    // `basic=foo` is a parameter of Newauth, not a Basic challenge.
    accepts(
        r#"Newauth realm="Newauth Realm", basic=foo, Basic realm="Basic Realm""#,
        &[
            "Newauth realm=Newauth Realm basic=foo",
            "Basic realm=Basic Realm",
        ],
    );
    // A challenge inside a quoted-string stays a value.
    accepts(
        r#"Newauth realm="newauth", noauth="Basic realm=\"basic\"""#,
        &[r#"Newauth realm=newauth noauth=Basic realm="basic""#],
    );
    accepts(
        r#"Basic , Newauth realm="x""#,
        &["Basic", "Newauth realm=x"],
    );
    accepts("Basic abc==, Bearer", &["Basic abc==", "Bearer"]);
    // `realm=` alone is a token68, not a parameter without a value; so is
    // `realm=` before OWS and a comma.
    accepts("Basic realm=", &["Basic realm="]);
    accepts("Newauth abc= , Basic", &["Newauth abc=", "Basic"]);
    accepts("Newauth abc=\t, Basic", &["Newauth abc=", "Basic"]);
    accepts("Newauth abc=, Basic", &["Newauth abc=", "Basic"]);
}

#[test]
fn several_field_lines_make_one_list() {
    let lines: [&[u8]; 2] = [br#"Newauth realm="newauth""#, br#"Basic realm="basic""#];
    let c = parse_challenge_lines(lines).unwrap();
    assert_eq!(c.len(), 2);
    assert!(c[1].scheme().is("basic"));
    assert_eq!(c[1].realm(), Some("basic"));
}
