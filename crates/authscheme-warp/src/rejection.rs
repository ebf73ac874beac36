//! [`AuthRejection`]: a refused request, carried through warp's rejection
//! machinery to [`recover`](crate::recover).

use std::fmt;

use authscheme::Denial;

/// The rejection the filters raise when the authenticator refuses a request.
///
/// It carries the core's [`Denial`]; [`recover`](crate::recover) renders it.
/// Find it in your own recover handler with
/// `rejection.find::<AuthRejection>()`.
///
/// Its `Debug` shows the status, whether credentials were missing and the
/// refusing scheme, never the denial's reason: warp writes an unhandled
/// rejection's `Debug` into the body of its `500` (a route without
/// [`recover`](crate::recover)), and the reason (such as "wrong user-id or
/// password") is for the server's logs only. Read it with
/// [`denial`](AuthRejection::denial)`().reason()`.
///
/// # Examples
///
/// ```
/// use authscheme_warp::{AuthRejection, denial_reply};
///
/// async fn my_recover(err: warp::Rejection) -> Result<warp::reply::Response, warp::Rejection> {
///     if let Some(refused) = err.find::<AuthRejection>() {
///         // Log, count, then render exactly like the other adapters.
///         return Ok(denial_reply(refused.denial()));
///     }
///     Err(err)
/// }
/// ```
pub struct AuthRejection {
    denial: Denial,
    missing: bool,
    /// The request's body was left unread, so hyper closes the connection
    /// after the refusal, which then says so.
    closes: bool,
}

impl AuthRejection {
    pub(crate) fn new(denial: Denial, missing: bool, closes: bool) -> Self {
        Self {
            denial,
            missing,
            closes,
        }
    }

    /// Whether the refusal leaves the request's body unread, so that the
    /// connection closes after it ([`recover`](crate::recover) says
    /// `Connection: close`).
    pub(crate) fn closes(&self) -> bool {
        self.closes
    }

    /// What the core decided: status, challenges, reason.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::registry::Principal;
    /// use authscheme_warp::{AuthRejection, authenticate};
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
    /// let rejection = warp::test::request().header("authorization", "Bearer wrong").filter(&filter).await.unwrap_err();
    /// let refused = rejection.find::<AuthRejection>().unwrap();
    /// assert_eq!(refused.denial().status(), 401);
    /// assert_eq!(refused.denial().challenges()[0].to_string(), "Bearer");
    /// # });
    /// ```
    pub fn denial(&self) -> &Denial {
        &self.denial
    }

    /// Whether the request carried no credentials at all (rather than
    /// refused or malformed ones).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::registry::Principal;
    /// use authscheme_warp::{AuthRejection, authenticate};
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
    /// let rejection = warp::test::request().filter(&filter).await.unwrap_err();
    /// assert!(rejection.find::<AuthRejection>().unwrap().is_missing());
    /// let rejection = warp::test::request().header("authorization", "Bearer wrong").filter(&filter).await.unwrap_err();
    /// assert!(!rejection.find::<AuthRejection>().unwrap().is_missing());
    /// # });
    /// ```
    pub fn is_missing(&self) -> bool {
        self.missing
    }
}

impl fmt::Debug for AuthRejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthRejection")
            .field("status", &self.denial.status().as_u16())
            .field("missing", &self.missing)
            .field("scheme", &self.denial.scheme().map(|s| s.as_str()))
            .finish_non_exhaustive()
    }
}

impl warp::reject::Reject for AuthRejection {}
