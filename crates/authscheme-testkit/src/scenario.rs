//! [`Scenario`] and [`Route`]: what an adapter's test server must serve.

use authscheme::Authenticator;

use crate::Principal;
use crate::schemes::{BodyCheck, NonceScheme, TestBasic, TestBearer};

/// The body limit of the routes that hand the body to their scheme.
///
/// # Examples
///
/// ```
/// use authscheme_testkit::{BODY_LIMIT, Scenario};
/// let scenario = Scenario::standard();
/// let body = scenario.routes().iter().find(|r| r.path == "/body").unwrap();
/// assert_eq!(body.body_limit, Some(BODY_LIMIT));
/// ```
pub const BODY_LIMIT: usize = 64;

/// One protected route: its path, its authenticator and how the adapter
/// should apply it.
///
/// Every route's handler accepts any method and answers `200` with
/// [`handler_body`](crate::handler_body).
///
/// # Examples
///
/// ```
/// use authscheme::Authenticator;
/// use authscheme_testkit::{Principal, Route, schemes::TestBasic};
/// let route = Route::new("/upload", Authenticator::<Principal>::new().with(TestBasic::new()))
///     .optional()
///     .body_limit(1024);
/// assert_eq!(route.path, "/upload");
/// assert!(route.optional);
/// assert_eq!(route.body_limit, Some(1024));
/// assert_eq!(route.authenticator.schemes().count(), 1);
/// ```
#[derive(Debug, Clone)]
pub struct Route {
    /// The exact path, such as `/basic`.
    pub path: &'static str,
    /// The schemes, in challenge order; proxy mode is
    /// [`Authenticator::proxy`].
    pub authenticator: Authenticator<Principal>,
    /// Optional authentication: without credentials the handler runs with
    /// no identity; wrong credentials are still refused.
    pub optional: bool,
    /// Bytes of request body the adapter buffers for the schemes
    /// (`AuthRequest::with_body`). `None`: the adapter is not asked to
    /// buffer at all (its default, or its filter without a body);
    /// `Some(limit)`: the adapter's body limit is set to `limit`, even `0`.
    ///
    /// The rules every adapter follows, which the cases check: a limit of
    /// `0` is the same as none, so the schemes get no body, not even an
    /// empty one; otherwise a body of at most `limit` bytes (limit
    /// included) is handed over whole, and an empty one (a `GET`) as an
    /// empty slice; a declared `Content-Length` above the limit is not
    /// read before authenticating; a chunked body is read until it crosses
    /// the limit, and then the schemes get no body. In every case the
    /// handler receives every byte.
    pub body_limit: Option<usize>,
}

impl Route {
    /// A required-authentication route without body buffering.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Authenticator;
    /// use authscheme_testkit::{Principal, Route, schemes::TestBasic};
    /// let route = Route::new("/basic", Authenticator::<Principal>::new().with(TestBasic::new()));
    /// assert!(!route.optional);
    /// assert_eq!(route.body_limit, None);
    /// ```
    pub fn new(path: &'static str, authenticator: Authenticator<Principal>) -> Self {
        Self {
            path,
            authenticator,
            optional: false,
            body_limit: None,
        }
    }

    /// Makes authentication optional on this route.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Authenticator;
    /// use authscheme_testkit::{Principal, Route, schemes::TestBasic};
    /// let route = Route::new("/optional", Authenticator::<Principal>::new().with(TestBasic::new()));
    /// assert!(route.optional().optional);
    /// ```
    pub fn optional(mut self) -> Self {
        self.optional = true;
        self
    }

    /// Buffers up to `limit` bytes of body for the schemes: the adapter's
    /// body limit is set to `limit`, even when it is `0`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Authenticator;
    /// use authscheme_testkit::{BODY_LIMIT, Principal, Route, schemes::BodyCheck};
    /// let route = || Route::new("/body", Authenticator::<Principal>::new().with(BodyCheck));
    /// assert_eq!(route().body_limit(BODY_LIMIT).body_limit, Some(64));
    /// assert_eq!(route().body_limit(0).body_limit, Some(0));
    /// ```
    pub fn body_limit(mut self, limit: usize) -> Self {
        self.body_limit = Some(limit);
        self
    }
}

/// The route table an adapter's server is started with.
///
/// # Examples
///
/// ```
/// use authscheme_testkit::Scenario;
/// let scenario = Scenario::standard();
/// assert!(scenario.routes().iter().any(|r| r.path == "/multi"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Scenario {
    routes: Vec<Route>,
}

impl Scenario {
    /// An empty table.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_testkit::Scenario;
    /// assert!(Scenario::new().routes().is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a route.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Authenticator;
    /// use authscheme_testkit::{Principal, Route, Scenario, schemes::TestBearer};
    /// let admin = Authenticator::<Principal>::new().with(TestBearer::requiring("admin"));
    /// let scenario = Scenario::new().route(Route::new("/admin", admin));
    /// assert_eq!(scenario.routes().len(), 1);
    /// ```
    pub fn route(mut self, route: Route) -> Self {
        self.routes.push(route);
        self
    }

    /// The routes, in the order they were added.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Authenticator;
    /// use authscheme_testkit::{Principal, Route, Scenario, schemes::BodyCheck};
    /// let check = || Authenticator::<Principal>::new().with(BodyCheck);
    /// let scenario = Scenario::new()
    ///     .route(Route::new("/a", check()))
    ///     .route(Route::new("/b", check()));
    /// let paths: Vec<_> = scenario.routes().iter().map(|r| r.path).collect();
    /// assert_eq!(paths, ["/a", "/b"]);
    /// ```
    pub fn routes(&self) -> &[Route] {
        &self.routes
    }

    /// The table the standard suite runs against, built on the testkit's
    /// own [`schemes`](crate::schemes):
    ///
    /// | path           | schemes                                | mode                 |
    /// |----------------|----------------------------------------|----------------------|
    /// | `/basic`       | Basic                                  |                      |
    /// | `/bearer`      | Bearer (scope `read`)                  |                      |
    /// | `/admin`       | Bearer (scope `admin`)                 |                      |
    /// | `/bearer-form` | Bearer (`read`), form-body and query tokens | body limit 64   |
    /// | `/multi`       | Basic, Bearer (`read`), BodyCheck      | body limit 64        |
    /// | `/optional`    | Basic                                  | optional             |
    /// | `/proxy`       | Basic                                  | proxy (407)          |
    /// | `/info`        | Basic with `Authentication-Info`       |                      |
    /// | `/body`        | BodyCheck                              | body limit 64        |
    /// | `/body-off`    | BodyCheck                              | no body buffering    |
    /// | `/body-zero`   | BodyCheck                              | body limit 0         |
    /// | `/nonce`       | Nonce (stateful handshake)             |                      |
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::Role;
    /// use authscheme_testkit::Scenario;
    /// let scenario = Scenario::standard();
    /// assert_eq!(scenario.routes().len(), 12);
    /// let proxy = scenario.routes().iter().find(|r| r.path == "/proxy").unwrap();
    /// assert_eq!(proxy.authenticator.role(), Role::Proxy);
    /// assert!(scenario.routes().iter().any(|r| r.path == "/optional" && r.optional));
    /// ```
    pub fn standard() -> Self {
        let basic = || Authenticator::new().with(TestBasic::new());
        Self::new()
            .route(Route::new("/basic", basic()))
            .route(Route::new(
                "/bearer",
                Authenticator::new().with(TestBearer::requiring("read")),
            ))
            .route(Route::new(
                "/admin",
                Authenticator::new().with(TestBearer::requiring("admin")),
            ))
            .route(
                Route::new(
                    "/bearer-form",
                    Authenticator::new().with(TestBearer::requiring("read").with_other_sources()),
                )
                .body_limit(BODY_LIMIT),
            )
            .route(
                Route::new(
                    "/multi",
                    Authenticator::new()
                        .with(TestBasic::new())
                        .with(TestBearer::requiring("read"))
                        .with(BodyCheck),
                )
                .body_limit(BODY_LIMIT),
            )
            .route(Route::new("/optional", basic()).optional())
            .route(Route::new("/proxy", basic().proxy()))
            .route(Route::new(
                "/info",
                Authenticator::new().with(TestBasic::new().with_info()),
            ))
            .route(Route::new("/body", Authenticator::new().with(BodyCheck)).body_limit(BODY_LIMIT))
            .route(Route::new(
                "/body-off",
                Authenticator::new().with(BodyCheck),
            ))
            .route(Route::new("/body-zero", Authenticator::new().with(BodyCheck)).body_limit(0))
            .route(Route::new(
                "/nonce",
                Authenticator::new().with(NonceScheme::new()),
            ))
    }
}
