//! [`Auth`]: what the filters extract on success.

use std::ops::Deref;

use authscheme::{Authenticated, AuthenticatedOutcome};
use http::{HeaderName, HeaderValue};

/// The authenticated identity, with the response headers the outcome asks
/// for (`Authentication-Info`, or `Proxy-Authentication-Info` for a proxy).
///
/// Dereferences to the identity. Hand it to [`with_auth_info`](crate::with_auth_info)
/// with the handler's reply so those headers reach the client.
///
/// # Examples
///
/// ```
/// use authscheme::registry::Principal;
/// use authscheme_warp::{Auth, with_auth_info};
///
/// fn hello(user: Auth<Principal>) -> impl warp::Reply {
///     let text = format!("hello {}", user.name());
///     with_auth_info(text, &user)
/// }
/// ```
#[derive(Debug, Clone)]
pub struct Auth<I> {
    authenticated: Authenticated<I>,
    info: Vec<(HeaderName, HeaderValue)>,
}

impl<I> Auth<I> {
    pub(crate) fn new(outcome: AuthenticatedOutcome<I>) -> Self {
        let info = outcome.response_headers();
        Self {
            authenticated: outcome.into_authenticated(),
            info,
        }
    }

    /// The identity.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::registry::Principal;
    /// use authscheme_warp::authenticate;
    /// # use authscheme::*;
    /// # struct Fixed;
    /// # #[async_trait]
    /// # impl AuthScheme<Principal> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { SchemeName::BEARER }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<Principal> {
    /// #         match c.token68() {
    /// #             Some(t) if ct_eq(t.as_bytes(), b"t0ken") => Verdict::Authenticated(
    /// #                 Authenticated::new(Principal::new("alice"), self.name())
    /// #                     .with_info(http::HeaderValue::from_static(r#"nextnonce="n2""#)),
    /// #             ),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # let auth = Authenticator::<Principal>::new().with(Fixed);
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    ///
    /// let filter = authenticate(auth);
    /// let user = warp::test::request().header("authorization", "Bearer t0ken").filter(&filter).await.unwrap();
    /// assert_eq!(user.identity().name(), "alice");
    /// # });
    /// ```
    pub fn identity(&self) -> &I {
        self.authenticated.identity()
    }

    /// Takes the identity out.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::registry::Principal;
    /// use authscheme_warp::authenticate;
    /// # use authscheme::*;
    /// # struct Fixed;
    /// # #[async_trait]
    /// # impl AuthScheme<Principal> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { SchemeName::BEARER }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<Principal> {
    /// #         match c.token68() {
    /// #             Some(t) if ct_eq(t.as_bytes(), b"t0ken") => Verdict::Authenticated(
    /// #                 Authenticated::new(Principal::new("alice"), self.name())
    /// #                     .with_info(http::HeaderValue::from_static(r#"nextnonce="n2""#)),
    /// #             ),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # let auth = Authenticator::<Principal>::new().with(Fixed);
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    ///
    /// let filter = authenticate(auth);
    /// let user = warp::test::request().header("authorization", "Bearer t0ken").filter(&filter).await.unwrap();
    /// let principal: Principal = user.into_identity();
    /// assert_eq!(principal.name(), "alice");
    /// # });
    /// ```
    pub fn into_identity(self) -> I {
        self.authenticated.into_identity()
    }

    /// The identity together with the scheme that authenticated it.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::registry::Principal;
    /// use authscheme_warp::authenticate;
    /// # use authscheme::*;
    /// # struct Fixed;
    /// # #[async_trait]
    /// # impl AuthScheme<Principal> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { SchemeName::BEARER }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<Principal> {
    /// #         match c.token68() {
    /// #             Some(t) if ct_eq(t.as_bytes(), b"t0ken") => Verdict::Authenticated(
    /// #                 Authenticated::new(Principal::new("alice"), self.name())
    /// #                     .with_info(http::HeaderValue::from_static(r#"nextnonce="n2""#)),
    /// #             ),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # let auth = Authenticator::<Principal>::new().with(Fixed);
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    ///
    /// let filter = authenticate(auth);
    /// let user = warp::test::request().header("authorization", "Bearer t0ken").filter(&filter).await.unwrap();
    /// assert_eq!(user.authenticated().scheme().as_str(), "Bearer");
    /// assert_eq!(user.authenticated().identity().name(), "alice");
    /// # });
    /// ```
    pub fn authenticated(&self) -> &Authenticated<I> {
        &self.authenticated
    }

    /// The header lines to add to the response (often none);
    /// [`with_auth_info`](crate::with_auth_info) adds them to a reply.
    ///
    /// # Examples
    ///
    /// Here the scheme answers with `Authentication-Info: nextnonce="n2"`:
    ///
    /// ```
    /// use authscheme::registry::Principal;
    /// use authscheme_warp::authenticate;
    /// # use authscheme::*;
    /// # struct Fixed;
    /// # #[async_trait]
    /// # impl AuthScheme<Principal> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { SchemeName::BEARER }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<Principal> {
    /// #         match c.token68() {
    /// #             Some(t) if ct_eq(t.as_bytes(), b"t0ken") => Verdict::Authenticated(
    /// #                 Authenticated::new(Principal::new("alice"), self.name())
    /// #                     .with_info(http::HeaderValue::from_static(r#"nextnonce="n2""#)),
    /// #             ),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # let auth = Authenticator::<Principal>::new().with(Fixed);
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    ///
    /// let filter = authenticate(auth);
    /// let user = warp::test::request().header("authorization", "Bearer t0ken").filter(&filter).await.unwrap();
    /// let (name, value) = &user.response_headers()[0];
    /// assert_eq!(name, "authentication-info");
    /// assert_eq!(value, r#"nextnonce="n2""#);
    /// # });
    /// ```
    pub fn response_headers(&self) -> &[(HeaderName, HeaderValue)] {
        &self.info
    }
}

impl<I> Deref for Auth<I> {
    type Target = I;

    fn deref(&self) -> &I {
        self.authenticated.identity()
    }
}
