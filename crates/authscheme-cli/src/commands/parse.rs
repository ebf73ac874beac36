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
use serde_json::{Value, json};

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
        /// Field lines; read from stdin, one per line, when absent.
        values: Vec<OsString>,
    },
    /// Parse one Authorization (or, with --proxy, Proxy-Authorization) value.
    Credentials {
        /// The value is a Proxy-Authorization value (same grammar).
        #[arg(long)]
        proxy: bool,
        /// The field value; read from stdin, one per line, when absent.
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
                vec![Err(json!({ "error": "no credentials value given" }))]
            } else {
                lines.iter().map(|l| credentials_json(l)).collect()
            }
        }
    };
    let mut failed = false;
    for item in result {
        let value = item.unwrap_or_else(|e| {
            failed = true;
            e
        });
        println!("{value}");
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn usage_error(e: &io::Error) -> ExitCode {
    eprintln!("authscheme parse: cannot read stdin: {e}");
    ExitCode::from(2)
}

/// Arguments as octets, or stdin split into lines when there are none.
fn values_or_stdin(values: Vec<OsString>) -> io::Result<Vec<Vec<u8>>> {
    if !values.is_empty() {
        return Ok(values.into_iter().map(os_bytes).collect());
    }
    let mut input = Vec::new();
    io::stdin().read_to_end(&mut input)?;
    let mut lines: Vec<Vec<u8>> = input
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l).to_vec())
        .collect();
    if lines.last().is_some_and(Vec::is_empty) {
        lines.pop();
    }
    Ok(lines)
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
    match std::str::from_utf8(octets) {
        Ok(s) => s.to_owned(),
        Err(_) => octets.iter().map(|&b| char::from(b)).collect(),
    }
}

fn params_json(params: &Params<'_>) -> Value {
    params
        .iter()
        .map(|p| json!([p.name().to_ascii_lowercase(), text(p.value())]))
        .collect()
}

fn challenge_json(c: &Challenge<'_>) -> Value {
    json!({ "scheme": c.scheme().as_str(), "token68": c.token68(), "params": params_json(c.params()) })
}

fn challenges_json(lines: &[Vec<u8>]) -> Result<Value, Value> {
    match parse_challenge_lines(lines.iter().map(Vec::as_slice)) {
        Ok(challenges) => {
            Ok(json!({ "challenges": challenges.iter().map(challenge_json).collect::<Vec<_>>() }))
        }
        Err(e) => Err(json!({ "error": e.to_string() })),
    }
}

fn credentials_json(line: &[u8]) -> Result<Value, Value> {
    let creds = parse_credentials(line).map_err(|e| json!({ "error": e.to_string() }))?;
    let mut out = json!({
        "scheme": creds.scheme().as_str(),
        "token68": creds.token68(),
        "params": params_json(creds.params()),
    });
    if let Some(basic) = basic_json(&creds) {
        out["basic"] = basic;
    }
    Ok(out)
}

/// RFC 7617: `user-id ":" password`, base64 of octets without controls.
fn basic_json(creds: &Credentials<'_>) -> Option<Value> {
    if !creds.scheme().is("Basic") {
        return None;
    }
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    let decoded = engine.decode(creds.token68()?).ok()?;
    let (user, password) = match decoded.iter().position(|&b| b == b':') {
        Some(i) => (&decoded[..i], Some(&decoded[i + 1..])),
        None => (&decoded[..], None),
    };
    let mut out = json!({ "user-id": text(user), "password": password.map(text) });
    let problem = if password.is_none() {
        Some("no colon separates the user-id from the password")
    } else if user.iter().any(u8::is_ascii_control) {
        Some("the user-id contains a control character")
    } else if password.is_some_and(|p| p.iter().any(u8::is_ascii_control)) {
        Some("the password contains a control character")
    } else {
        None
    };
    if let Some(problem) = problem {
        out["problem"] = json!(problem);
    }
    Some(out)
}
