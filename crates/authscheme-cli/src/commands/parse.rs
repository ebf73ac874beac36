//! `authscheme parse`: header field values in, one JSON object out.
//!
//! The output shape is a contract other tools rely on:
//! `{"challenges":[{"scheme":"Basic","token68":null,"params":[["realm","foo"]]}]}`
//! for challenges, `{"scheme":..,"token68":..,"params":[..]}` (plus `"basic"`
//! for Basic) for credentials, `{"error":"..."}` and exit 1 on a syntax error.

use std::ffi::OsString;
use std::io::{self, Read};
use std::process::ExitCode;

use authscheme::syntax::{parse_challenge_lines, parse_credentials};
use authscheme::{Challenge, Credentials, Params};
use base64::Engine as _;
use serde::Serialize;

/// Arguments of `authscheme parse`.
#[derive(Debug, clap::Args)]
pub(crate) struct ParseArgs {
    #[command(subcommand)]
    what: What,
}

#[derive(Debug, clap::Subcommand)]
enum What {
    /// Parse WWW-Authenticate (or, with --proxy, Proxy-Authenticate) field
    /// lines; several VALUEs are several lines of the same field.
    Challenge {
        /// The values are Proxy-Authenticate lines (same grammar).
        #[arg(long)]
        proxy: bool,
        /// Field lines; read from stdin, one per line, when absent. Put
        /// `--` before a value that starts with '-'.
        values: Vec<OsString>,
    },
    /// Parse one Authorization (or, with --proxy, Proxy-Authorization) value.
    Credentials {
        /// The value is a Proxy-Authorization value (same grammar).
        #[arg(long)]
        proxy: bool,
        /// The field value; read from stdin, one per line, when absent.
        /// Put `--` before a value that starts with '-'.
        value: Option<OsString>,
    },
}

pub(crate) fn run(args: ParseArgs) -> ExitCode {
    let result = match args.what {
        What::Challenge { proxy: _, values } => {
            let lines = match values_or_stdin(values) {
                Ok(lines) => lines,
                Err(e) => return usage_error(&e),
            };
            vec![challenges_json(&lines)]
        }
        What::Credentials { proxy: _, value } => {
            let lines = match values_or_stdin(value.into_iter().collect()) {
                Ok(lines) => lines,
                Err(e) => return usage_error(&e),
            };
            if lines.is_empty() {
                vec![Err(error_json("no credentials value given"))]
            } else {
                lines.iter().map(|l| credentials_json(l)).collect()
            }
        }
    };
    let mut failed = false;
    let mut out = String::new();
    for item in result {
        out.push_str(&item.unwrap_or_else(|e| {
            failed = true;
            e
        }));
        out.push('\n');
    }
    let done = if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    };
    crate::output::print("parse", out, done)
}

fn usage_error(e: &io::Error) -> ExitCode {
    eprintln!("authscheme parse: cannot read stdin: {e}");
    ExitCode::from(2)
}

/// Arguments as octets, or stdin split into lines when there are none. A
/// blank line on stdin is no value at all: it is skipped.
fn values_or_stdin(values: Vec<OsString>) -> io::Result<Vec<Vec<u8>>> {
    if !values.is_empty() {
        return Ok(values.into_iter().map(os_bytes).collect());
    }
    let mut input = Vec::new();
    io::stdin().read_to_end(&mut input)?;
    Ok(input
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .filter(|l| l.iter().any(|&b| !matches!(b, b' ' | b'\t')))
        .map(<[u8]>::to_vec)
        .collect())
}

#[cfg(unix)]
fn os_bytes(s: OsString) -> Vec<u8> {
    use std::os::unix::ffi::OsStringExt;
    s.into_vec()
}

#[cfg(not(unix))]
fn os_bytes(s: OsString) -> Vec<u8> {
    s.to_string_lossy().into_owned().into_bytes()
}

/// Octets as text: UTF-8 when valid, ISO-8859-1 otherwise.
fn text(octets: &[u8]) -> String {
    authscheme::syntax::text_or_latin1(octets).into_owned()
}

/// One challenge or credentials value, its keys in the contract's order.
#[derive(Serialize)]
struct AuthValueJson<'a> {
    scheme: &'a str,
    token68: Option<&'a str>,
    params: Vec<[String; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    basic: Option<BasicJson>,
}

/// What a Basic token68 decodes to.
#[derive(Serialize)]
struct BasicJson {
    #[serde(rename = "user-id")]
    user_id: String,
    password: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    problem: Option<&'static str>,
}

#[derive(Serialize)]
struct ChallengesJson<'a> {
    challenges: Vec<AuthValueJson<'a>>,
}

#[derive(Serialize)]
struct ErrorJson {
    error: String,
}

fn error_json(error: impl std::fmt::Display) -> String {
    to_json(&ErrorJson {
        error: error.to_string(),
    })
}

fn to_json(value: &impl Serialize) -> String {
    // Serializing these plain structs to a string cannot fail.
    serde_json::to_string(value).unwrap_or_default()
}

fn params_json(params: &Params<'_>) -> Vec<[String; 2]> {
    params
        .iter()
        .map(|p| [p.name().to_ascii_lowercase(), text(p.value())])
        .collect()
}

fn challenge_json<'a>(c: &'a Challenge<'_>) -> AuthValueJson<'a> {
    AuthValueJson {
        scheme: c.scheme().as_str(),
        token68: c.token68(),
        params: params_json(c.params()),
        basic: None,
    }
}

fn challenges_json(lines: &[Vec<u8>]) -> Result<String, String> {
    let challenges = parse_challenge_lines(lines.iter().map(Vec::as_slice)).map_err(error_json)?;
    Ok(to_json(&ChallengesJson {
        challenges: challenges.iter().map(challenge_json).collect(),
    }))
}

fn credentials_json(line: &[u8]) -> Result<String, String> {
    let creds = parse_credentials(line).map_err(error_json)?;
    Ok(to_json(&AuthValueJson {
        scheme: creds.scheme().as_str(),
        token68: creds.token68(),
        params: params_json(creds.params()),
        basic: basic_json(&creds),
    }))
}

/// RFC 7617: `user-id ":" password`, base64 of octets without controls.
/// A control is any character of Unicode's Cc category in the text as
/// shown: C0 and DEL (RFC 5234's CTL), and the C1 controls, which the
/// `charset="UTF-8"` case forbids too (RFC 7613 profiles) and which
/// `authscheme_basic` refuses.
fn basic_json(creds: &Credentials<'_>) -> Option<BasicJson> {
    if !creds.scheme().is("Basic") {
        return None;
    }
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    let token68 = creds.token68()?;
    let decoded = engine.decode(token68).ok()?;
    // RFC 4648 section 3.2: the padding is required (RFC 7617 does not
    // waive it). Decoded without it, as servers do, but said.
    let padded = base64::engine::general_purpose::STANDARD
        .decode(token68)
        .is_ok();
    let (user, password) = match decoded.iter().position(|&b| b == b':') {
        Some(i) => (&decoded[..i], Some(&decoded[i + 1..])),
        None => (&decoded[..], None),
    };
    let (user, password) = (text(user), password.map(text));
    let has_control = |s: &str| s.chars().any(char::is_control);
    let problem = match &password {
        None => Some("no colon separates the user-id from the password"),
        Some(_) if has_control(&user) => Some("the user-id contains a control character"),
        Some(p) if has_control(p) => Some("the password contains a control character"),
        Some(_) if !padded => Some("the base64 lacks its = padding, or has the wrong amount"),
        Some(_) => None,
    };
    Some(BasicJson {
        user_id: user,
        password,
        problem,
    })
}
