//! One log line per request on stderr: route, scheme, outcome, user.
//!
//! Successes are logged by the handlers (they know the user); everything
//! else (refusals, unknown routes) by a thin per-framework wrapper that sees
//! only the status. Neither ever logs a credential: the scheme is the first
//! token of `Authorization`, cut at the first character that cannot be in a
//! scheme name.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

use super::identity::User;

/// Sends `tracing` events to stderr, at `info` unless `RUST_LOG` says
/// otherwise. Does nothing when a subscriber is already installed.
pub(crate) fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(false)
        .try_init();
}

/// A public route was served.
pub(crate) fn public(route: &str) {
    tracing::info!(route = %route, scheme = %"none", outcome = %"public", status = 200, user = "-");
}

/// A protected route was served to `user`.
pub(crate) fn authenticated(route: &str, user: &User) {
    tracing::info!(
        route = %route,
        scheme = %user.scheme(),
        outcome = %"ok",
        status = 200,
        user = ?user.name(),
    );
}

/// A request was not served with 2xx; `authorization` is the request's
/// `Authorization` value, of which only the scheme name is logged.
pub(crate) fn refused(route: &str, authorization: Option<&[u8]>, status: u16) {
    if (200..300).contains(&status) {
        return;
    }
    let outcome = match status {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        503 => "unavailable",
        _ => "error",
    };
    let scheme = presented_scheme(authorization);
    tracing::info!(route = %route, scheme = %scheme, outcome = %outcome, status, user = "-");
}

/// The scheme a credentials value names, as one of the demo's schemes
/// (`Basic`, `Digest`, `Bearer`, spelled as this server spells them),
/// `other` for any other first word, or `none`. A first word this server
/// does not know is never logged: a client that sends a bare token
/// (`Authorization: <api key>`) would otherwise have it written to the log.
fn presented_scheme(authorization: Option<&[u8]>) -> &'static str {
    let Some(value) = authorization else {
        return "none";
    };
    let first = value
        .split(|b| *b == b' ')
        .find(|word| !word.is_empty())
        .unwrap_or_default();
    ["Basic", "Digest", "Bearer"]
        .into_iter()
        .find(|known| known.as_bytes().eq_ignore_ascii_case(first))
        .unwrap_or(if first.is_empty() {
            "malformed"
        } else {
            "other"
        })
}

#[cfg(test)]
mod tests {
    use super::presented_scheme;

    #[test]
    fn only_the_scheme_name_is_kept() {
        assert_eq!(presented_scheme(None), "none");
        assert_eq!(
            presented_scheme(Some(b"Basic YWxpY2U6d29uZGVybGFuZA==")),
            "Basic"
        );
        assert_eq!(presented_scheme(Some(b"Digest username=\"a\"")), "Digest");
        assert_eq!(presented_scheme(Some(b"bearer abc")), "Bearer");
        assert_eq!(presented_scheme(Some(b"")), "malformed");
    }

    /// A value that is only a token (no scheme), or names a scheme this
    /// server does not know, never reaches the log as it was sent.
    #[test]
    fn a_word_that_is_no_known_scheme_is_not_logged() {
        for value in [
            &b"mysecretapikey12345"[..],
            b"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ",
            b"=secret",
            b"Newauth x",
        ] {
            assert_eq!(presented_scheme(Some(value)), "other");
        }
    }
}
