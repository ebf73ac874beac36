//! [`TestBasic`]: a Basic-like password scheme with two fixed users.

use authscheme::{
    AuthRequest, AuthScheme, Authenticated, Challenge, Credentials, Param, Params, Rejection,
    SchemeName, Verdict, async_trait, ct_eq,
};
use base64::Engine as _;

use crate::Principal;

/// The users [`TestBasic`] accepts: `alice:wonderland` and `bob:builder`.
///
/// # Examples
///
/// ```
/// use authscheme_testkit::{basic, schemes::USERS};
/// let (user, password) = USERS[0];
/// assert_eq!(basic(user, password), basic("alice", "wonderland"));
/// assert!(USERS.iter().all(|(user, _)| *user != "mallory"));
/// ```
pub const USERS: [(&str, &str); 2] = [("alice", "wonderland"), ("bob", "builder")];

/// `Basic realm="testkit", charset="UTF-8"` with the fixed [`USERS`].
///
/// Missing `token68`, bad base64 or no colon is a `400`; a wrong password or
/// an unknown user is a `401`, after comparing against every user so both
/// cost the same.
///
/// # Examples
///
/// ```
/// use authscheme::Authenticator;
/// use authscheme_testkit::{Principal, schemes::TestBasic};
/// let auth: Authenticator<Principal> = Authenticator::new().with(TestBasic::new());
/// # let _ = auth;
/// ```
#[derive(Debug, Clone, Default)]
pub struct TestBasic {
    info: bool,
}

impl TestBasic {
    /// The scheme, without `Authentication-Info`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{AuthRequest, Authenticator, Outcome};
    /// use authscheme_testkit::{Principal, basic, schemes::TestBasic};
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let auth = Authenticator::<Principal>::new().with(TestBasic::new());
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("authorization", basic("bob", "builder").parse().unwrap());
    /// let outcome = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await;
    /// let Outcome::Authenticated(ok) = outcome else { panic!("refused") };
    /// assert_eq!(ok.authenticated().identity().name(), "bob");
    /// assert!(ok.response_headers().is_empty());
    /// # });
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Sends `Authentication-Info: user="<name>"` on success, so the suite
    /// can check that adapters pass outcome headers on.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{AuthRequest, Authenticator, Outcome};
    /// use authscheme_testkit::{Principal, basic, schemes::TestBasic};
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let auth = Authenticator::<Principal>::new().with(TestBasic::new().with_info());
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("authorization", basic("alice", "wonderland").parse().unwrap());
    /// let outcome = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await;
    /// let Outcome::Authenticated(ok) = outcome else { panic!("refused") };
    /// let (name, value) = &ok.response_headers()[0];
    /// assert_eq!(name, "authentication-info");
    /// assert_eq!(value, r#"user="alice""#);
    /// # });
    /// ```
    pub fn with_info(mut self) -> Self {
        self.info = true;
        self
    }
}

#[async_trait]
impl AuthScheme<Principal> for TestBasic {
    fn name(&self) -> SchemeName<'static> {
        SchemeName::BASIC
    }

    fn challenges(&self, _request: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
        out.push(super::challenge(
            SchemeName::BASIC,
            &[
                ("realm", super::REALM.to_owned()),
                ("charset", "UTF-8".to_owned()),
            ],
        ));
    }

    async fn authenticate(
        &self,
        _request: &AuthRequest<'_>,
        credentials: &Credentials<'_>,
    ) -> Verdict<Principal> {
        let Some(token) = credentials.token68() else {
            return Verdict::Rejected(Rejection::bad_request("Basic credentials need a token68"));
        };
        let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(token) else {
            return Verdict::Rejected(Rejection::bad_request("Basic credentials are not base64"));
        };
        let Some(colon) = decoded.iter().position(|&b| b == b':') else {
            return Verdict::Rejected(Rejection::bad_request("Basic credentials have no colon"));
        };
        let (user, password) = (&decoded[..colon], &decoded[colon + 1..]);
        // Look at every user so unknown users cost as much as wrong passwords.
        let mut found = None;
        for (name, secret) in USERS {
            let hit = ct_eq(user, name.as_bytes()) & ct_eq(password, secret.as_bytes());
            if hit {
                found = Some(name);
            }
        }
        let Some(name) = found else {
            return Verdict::Rejected(Rejection::unauthorized("wrong user or password"));
        };
        let mut authenticated = Authenticated::new(Principal::new(name), SchemeName::BASIC);
        if self.info {
            let mut info = Params::new();
            if let Ok(param) = Param::quoted("user", name.as_bytes().to_vec()) {
                info.set(param);
            }
            authenticated = authenticated.with_info(info.to_header_value());
        }
        Verdict::Authenticated(authenticated)
    }
}
