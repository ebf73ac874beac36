//! [`BodyCheck`]: a scheme that needs the request body, like Digest
//! `qop=auth-int`, to prove adapters buffer it correctly.

use authscheme::{
    AuthRequest, AuthScheme, Authenticated, Challenge, Credentials, Rejection, SchemeName, Verdict,
    async_trait, ct_eq,
};

use crate::Principal;

/// The key [`BodyCheck`] accepts.
///
/// # Examples
///
/// ```
/// use authscheme::{AuthRequest, Authenticator, Outcome};
/// use authscheme_testkit::{Principal, schemes::{BodyCheck, KEY}};
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let auth = Authenticator::<Principal>::new().with(BodyCheck);
/// let mut headers = http::HeaderMap::new();
/// headers.insert("authorization", format!(r#"BodyCheck key="{KEY}""#).parse().unwrap());
/// let outcome = auth.authenticate(&AuthRequest::new("POST", "/body", &headers)).await;
/// assert_eq!(outcome.identity().map(Principal::name), Some("carol"));
/// # });
/// ```
pub const KEY: &str = "k3y";

/// `BodyCheck realm="testkit", qop="auth-int"` when the adapter handed the
/// scheme the body, `qop="auth"` when it did not (no limit, or the body was
/// larger than the limit): the same rule Digest follows for `auth-int`.
///
/// Credentials are `BodyCheck key="k3y"` (authenticates `carol`), optionally
/// with `length="<n>"`, which only succeeds when the scheme was given the
/// body and it is exactly `n` bytes long.
///
/// # Examples
///
/// ```
/// use authscheme::Authenticator;
/// use authscheme_testkit::{Principal, schemes::BodyCheck};
/// let auth: Authenticator<Principal> = Authenticator::new().with(BodyCheck);
/// # let _ = auth;
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct BodyCheck;

impl BodyCheck {
    /// `BodyCheck`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_testkit::schemes::BodyCheck;
    /// assert_eq!(BodyCheck::scheme_name().as_str(), "BodyCheck");
    /// ```
    pub fn scheme_name() -> SchemeName<'static> {
        SchemeName::new("BodyCheck").unwrap_or(SchemeName::BASIC)
    }
}

#[async_trait]
impl AuthScheme<Principal> for BodyCheck {
    fn name(&self) -> SchemeName<'static> {
        Self::scheme_name()
    }

    fn challenges(&self, request: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
        let qop = if request.body().is_some() {
            "auth-int"
        } else {
            "auth"
        };
        out.push(super::challenge(
            Self::scheme_name(),
            &[("realm", super::REALM.to_owned()), ("qop", qop.to_owned())],
        ));
    }

    async fn authenticate(
        &self,
        request: &AuthRequest<'_>,
        credentials: &Credentials<'_>,
    ) -> Verdict<Principal> {
        let Some(key) = credentials.param("key") else {
            return Verdict::Rejected(Rejection::bad_request("BodyCheck needs a key"));
        };
        if !ct_eq(key, KEY.as_bytes()) {
            return Verdict::Rejected(Rejection::unauthorized("wrong key"));
        }
        if let Some(length) = credentials.param_str("length") {
            let Ok(length) = length.parse::<usize>() else {
                return Verdict::Rejected(Rejection::bad_request("length is not a number"));
            };
            match request.body() {
                Some(body) if body.len() == length => {}
                Some(_) => {
                    return Verdict::Rejected(Rejection::unauthorized("body length differs"));
                }
                None => return Verdict::Rejected(Rejection::unauthorized("body not available")),
            }
        }
        Verdict::Authenticated(Authenticated::new(
            Principal::new("carol"),
            Self::scheme_name(),
        ))
    }
}
