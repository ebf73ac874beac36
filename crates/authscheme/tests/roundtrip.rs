//! `parse(serialize(x)) == x` for every value the model can hold.
#![allow(clippy::unwrap_used)]

use authscheme::syntax::{
    AuthValueWriter, parse_challenge_lines, parse_challenges, parse_credentials, write_challenges,
};
use authscheme::{Challenge, Credentials, Param, SchemeName};
use proptest::prelude::*;

fn token() -> impl Strategy<Value = String> {
    "[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}"
}

/// Parameter names; a trailing `*` is added only for ext-values.
fn param_name() -> impl Strategy<Value = String> {
    "[A-Za-z0-9!#$%&'+.^_`|~-]{1,12}"
}

fn token68() -> impl Strategy<Value = String> {
    "[A-Za-z0-9._~+/-]{1,40}={0,2}"
}

/// Any quotable octets: HTAB, SP, visible ASCII and obs-text.
fn value() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![Just(b'\t'), 0x20u8..=0x7e, 0x80u8..=0xff],
        0..24,
    )
}

#[derive(Debug, Clone)]
enum Body {
    Empty,
    Token68(String),
    Params(Vec<(String, Vec<u8>, bool, bool)>),
}

fn body() -> impl Strategy<Value = Body> {
    prop_oneof![
        Just(Body::Empty),
        token68().prop_map(Body::Token68),
        prop::collection::vec((param_name(), value(), any::<bool>(), any::<bool>()), 1..6)
            .prop_map(Body::Params),
    ]
}

fn build<B>(scheme: &str, body: &Body, new: impl Fn(SchemeName<'static>) -> B) -> Option<B>
where
    B: BuilderLike,
{
    let mut b = new(SchemeName::new(scheme.to_owned()).unwrap());
    match body {
        Body::Empty => {}
        Body::Token68(t) => b = b.t68(t.clone()),
        Body::Params(ps) => {
            let mut seen = std::collections::HashSet::new();
            for (name, value, quoted, ext) in ps {
                if !seen.insert(name.to_ascii_lowercase()) {
                    continue;
                }
                let (name, value) = if *ext {
                    (
                        format!("{name}*"),
                        String::from_utf8_lossy(value).into_owned().into_bytes(),
                    )
                } else {
                    (name.clone(), value.clone())
                };
                let p = if *quoted {
                    Param::quoted(name, value)
                } else {
                    Param::new(name, value)
                };
                b = b.push(p.unwrap());
            }
        }
    }
    Some(b)
}

trait BuilderLike: Sized {
    fn t68(self, t: String) -> Self;
    fn push(self, p: Param<'static>) -> Self;
}

impl BuilderLike for authscheme::ChallengeBuilder<'static> {
    fn t68(self, t: String) -> Self {
        self.token68(t)
    }
    fn push(self, p: Param<'static>) -> Self {
        authscheme::ChallengeBuilder::push(self, Ok(p))
    }
}

impl BuilderLike for authscheme::CredentialsBuilder<'static> {
    fn t68(self, t: String) -> Self {
        self.token68(t)
    }
    fn push(self, p: Param<'static>) -> Self {
        authscheme::CredentialsBuilder::push(self, Ok(p))
    }
}

proptest! {
    #[test]
    fn challenge_lists_round_trip(items in prop::collection::vec((token(), body()), 1..5)) {
        let challenges: Vec<Challenge<'static>> = items
            .iter()
            .map(|(s, b)| build(s, b, Challenge::builder).unwrap().build().unwrap())
            .collect();
        // One field line per challenge.
        let lines: Vec<Vec<u8>> = challenges.iter().map(Challenge::to_bytes).collect();
        let parsed: Vec<_> = parse_challenge_lines(lines.iter().map(Vec::as_slice)).unwrap().into_iter().map(Challenge::into_owned).collect();
        prop_assert_eq!(&parsed, &challenges);
        // All on one line.
        let mut joined = Vec::new();
        write_challenges(&challenges, &mut joined);
        let parsed: Vec<_> = parse_challenges(&joined).unwrap().into_iter().map(Challenge::into_owned).collect();
        prop_assert_eq!(&parsed, &challenges);
    }

    #[test]
    fn credentials_round_trip(scheme in token(), b in body()) {
        let creds: Credentials<'static> = build(&scheme, &b, Credentials::builder).unwrap().build().unwrap();
        let bytes = creds.to_bytes();
        prop_assert_eq!(parse_credentials(&bytes).unwrap().into_owned(), creds);
    }

    /// The direct writer gives the bytes the model gives, and refuses what
    /// the builder refuses: a second parameter of the same name.
    #[test]
    fn writer_writes_what_the_builder_builds(
        scheme in token(),
        ps in prop::collection::vec((param_name(), value(), any::<bool>(), any::<bool>()), 1..6),
    ) {
        let creds = build(&scheme, &Body::Params(ps.clone()), Credentials::builder).unwrap().build().unwrap();
        let mut writer = AuthValueWriter::new(creds.scheme(), 0);
        // `build` keeps the first of each name (before any `*`); so does
        // this loop, and it checks that a name written already is refused.
        let (mut seen, mut written_names) = (std::collections::HashSet::new(), Vec::new());
        for (name, value, quoted, ext) in &ps {
            let first = seen.insert(name.to_ascii_lowercase());
            let (name, value) = if *ext {
                (format!("{name}*"), String::from_utf8_lossy(value).into_owned().into_bytes())
            } else {
                (name.clone(), value.clone())
            };
            let again = written_names.contains(&name.to_ascii_lowercase());
            if !first && !again {
                continue;
            }
            let written = if *quoted {
                writer.quoted_param(&name, &value).map(|_| ())
            } else {
                writer.param(&name, &value).map(|_| ())
            };
            prop_assert_eq!(written.is_ok(), !again);
            written_names.push(name.to_ascii_lowercase());
        }
        prop_assert_eq!(writer.finish(), creds.to_bytes());
    }

    #[test]
    fn parsers_never_panic(input in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = parse_challenges(&input);
        let _ = parse_credentials(&input);
        let _ = authscheme::syntax::parse_params(&input);
    }
}

#[test]
fn writer_takes_names_of_any_length_the_builder_takes() {
    let name = "x".repeat(300);
    let built = Credentials::builder(SchemeName::new("Custom").unwrap())
        .param(name.clone(), "1")
        .build()
        .unwrap();
    let mut writer = AuthValueWriter::new(built.scheme(), 0);
    writer.param(&name, b"1").unwrap();
    assert!(writer.param(&name.to_uppercase(), b"2").is_err());
    assert_eq!(writer.finish(), built.to_bytes());
}
