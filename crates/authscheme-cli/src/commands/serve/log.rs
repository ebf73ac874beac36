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

/// The scheme name of a credentials value, or `none`.
fn presented_scheme(authorization: Option<&[u8]>) -> String {
    let Some(value) = authorization else {
        return "none".to_owned();
    };
    let name: String = value
        .iter()
        .skip_while(|b| **b == b' ')
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        .take(32)
        .map(|&b| char::from(b))
        .collect();
    if name.is_empty() {
        "malformed".to_owned()
    } else {
        name
    }
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
        assert_eq!(presented_scheme(Some(b"=secret")), "malformed");
    }
}
