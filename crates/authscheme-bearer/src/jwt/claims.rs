//! The claims the validator reads: `sub`, `scope`, `scp`, `exp`, and (only
//! when the configuration requires other claims) the names of the rest.

use std::collections::HashMap;

use serde::Deserialize;
use serde::de::IgnoredAny;

/// `scp` is a string (space-separated, as some issuers send it) or an array.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum Scp {
    One(String),
    Many(Vec<String>),
}

/// A registered claim that must be a string: its value, or a sign that it
/// was something else (jsonwebtoken skips what it cannot read).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub(crate) enum StringClaim {
    One(#[allow(dead_code)] String),
    Other(IgnoredAny),
}

/// What every verification reads; unknown claims are skipped unparsed.
#[derive(Debug, Deserialize)]
pub(crate) struct Claims {
    #[serde(default)]
    pub(crate) sub: Option<String>,
    #[serde(default)]
    pub(crate) scope: Option<String>,
    #[serde(default)]
    pub(crate) scp: Option<Scp>,
    /// Kept as a number of any kind; jsonwebtoken has already checked it.
    #[serde(default)]
    pub(crate) exp: Option<f64>,
    /// Whether `aud` is there at all (any value but null).
    #[serde(default)]
    pub(crate) aud: Option<IgnoredAny>,
    /// `iss` is one StringOrURI (RFC 7519 section 4.1.1).
    #[serde(default)]
    pub(crate) iss: Option<StringClaim>,
}

/// [`Claims`] plus the names of every other claim, for required claims that
/// are not registered JWT claims.
#[derive(Debug, Deserialize)]
pub(crate) struct ClaimsWithNames {
    #[serde(flatten)]
    pub(crate) base: Claims,
    #[serde(flatten)]
    pub(crate) rest: HashMap<String, IgnoredAny>,
}

impl Claims {
    /// The granted scopes: `scope` split on spaces, then `scp`.
    pub(crate) fn scopes(&self) -> Vec<String> {
        if self.scope.is_none() && self.scp.is_none() {
            return Vec::new();
        }
        let mut out: Vec<String> = Vec::with_capacity(4);
        let mut push = |s: &str| {
            if !s.is_empty() && !out.iter().any(|o| o == s) {
                out.push(s.to_owned());
            }
        };
        if let Some(scope) = &self.scope {
            scope.split(' ').for_each(&mut push);
        }
        match &self.scp {
            Some(Scp::One(s)) => s.split(' ').for_each(&mut push),
            Some(Scp::Many(all)) => all.iter().map(String::as_str).for_each(&mut push),
            None => {}
        }
        out
    }

    /// `exp` as whole seconds, when it is a usable timestamp.
    pub(crate) fn expires_at(&self) -> Option<u64> {
        self.exp
            .filter(|e| e.is_finite() && *e > 0.0 && *e < u64::MAX as f64)
            // Truncation is the intent: a cached entry dies at the second
            // the token's fractional exp falls in, never later.
            .map(|e| e.floor() as u64)
    }

    pub(crate) fn has(&self, name: &str) -> bool {
        match name {
            "sub" => self.sub.is_some(),
            "scope" => self.scope.is_some(),
            "scp" => self.scp.is_some(),
            "exp" => self.exp.is_some(),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn scopes_come_from_scope_and_scp() {
        let c: Claims =
            serde_json::from_str(r#"{"scope":"read  write","scp":["admin","read"]}"#).unwrap();
        assert_eq!(c.scopes(), ["read", "write", "admin"]);
        let c: Claims = serde_json::from_str(r#"{"scp":"a b"}"#).unwrap();
        assert_eq!(c.scopes(), ["a", "b"]);
    }

    #[test]
    fn other_claim_names_are_seen() {
        let c: ClaimsWithNames = serde_json::from_str(r#"{"sub":"a","tenant":{"id":1}}"#).unwrap();
        assert!(c.rest.contains_key("tenant"));
        assert_eq!(c.base.sub.as_deref(), Some("a"));
    }
}
