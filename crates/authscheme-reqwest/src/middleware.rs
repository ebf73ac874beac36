//! [`AuthMiddleware`]: the same engine as a `reqwest-middleware` layer.

use std::sync::Arc;

use authscheme::ClientScheme;
use http::Extensions;
use reqwest::{Request, Response};
use reqwest_middleware::{Middleware, Next};

use crate::engine::{Engine, Failure, SendFuture, Transport};
use crate::provider::CredentialProvider;
use crate::redirect::{self, DEFAULT_REDIRECTS};
use crate::spaces::lock;

/// A `reqwest-middleware` middleware that answers `401` and `407`
/// challenges like [`crate::AuthClient`] does.
///
/// Build the inner `reqwest::Client` with
/// `.redirect(reqwest::redirect::Policy::none())`: the middleware then
/// follows redirects itself ([`max_redirects`](Self::max_redirects)), as
/// [`crate::AuthClient`] does, and each hop is signed for its own target.
/// Under reqwest's default policy, reqwest follows a redirect to the same
/// host below the middleware and sends the first request's
/// `Authorization` again, which a Digest server refuses (its `uri` and
/// `nc` belong to the first request); the middleware logs a warning when it
/// sees that happen. A challenge from another origin than the request's is
/// never answered.
///
/// # Examples
///
/// ```
/// use authscheme::ClientCredentials;
/// use authscheme_reqwest::{AuthMiddleware, FixedCredentials};
/// let auth = AuthMiddleware::new(FixedCredentials::new(ClientCredentials::token("t0k3n")));
/// let inner = reqwest::Client::builder()
///     .redirect(reqwest::redirect::Policy::none())
///     .build()
///     .unwrap();
/// let client = reqwest_middleware::ClientBuilder::new(inner).with(auth).build();
/// # let _ = client;
/// ```
#[derive(Debug, Clone)]
pub struct AuthMiddleware {
    engine: Arc<Engine>,
    max_redirects: usize,
}

impl AuthMiddleware {
    /// A middleware with every linked client scheme.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthMiddleware, FixedCredentials};
    /// # async fn serve(challenge: &'static str) -> String {
    /// #     use axum::http::{HeaderMap, StatusCode, Uri};
    /// #     use axum::response::IntoResponse;
    /// #     // Paths under /proxy/ answer like a proxy (407), the others like an
    /// #     // origin (401); credentials are echoed back in a 200.
    /// #     let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap| async move {
    /// #         let (asks, answer, status) = if uri.path().starts_with("/proxy/") {
    /// #             ("proxy-authenticate", "proxy-authorization", StatusCode::PROXY_AUTHENTICATION_REQUIRED)
    /// #         } else {
    /// #             ("www-authenticate", "authorization", StatusCode::UNAUTHORIZED)
    /// #         };
    /// #         match headers.get(answer) {
    /// #             Some(credentials) => (StatusCode::OK, credentials.to_str().unwrap().to_owned()).into_response(),
    /// #             None => (status, [(asks, challenge)]).into_response(),
    /// #         }
    /// #     });
    /// #     let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    /// #     let url = format!("http://{}/", listener.local_addr().unwrap());
    /// #     tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    /// #     url
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # let url = serve(r#"Bearer realm="api""#).await;
    /// // `url` is a local server that asks for `Bearer realm="api"` and
    /// // answers `200` with the credentials it received. It is plain http
    /// // (on loopback), where a token goes only when allowed.
    /// let token = FixedCredentials::new(ClientCredentials::token("t0k3n"));
    /// let auth = AuthMiddleware::new(token).insecure_allow_bearer_over_http(true);
    /// let inner = reqwest::Client::builder()
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .build()
    ///     .unwrap();
    /// let client = reqwest_middleware::ClientBuilder::new(inner).with(auth).build();
    /// let response = client.get(&url).send().await.unwrap();
    /// assert_eq!(response.text().await.unwrap(), "Bearer t0k3n");
    /// # });
    /// ```
    pub fn new(provider: impl CredentialProvider) -> Self {
        Self::from_engine(Arc::new(Engine::new(Box::new(provider))))
    }

    pub(crate) fn from_engine(engine: Arc<Engine>) -> Self {
        Self {
            engine,
            max_redirects: DEFAULT_REDIRECTS,
        }
    }

    /// Answers only with `schemes` instead of every linked one.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthMiddleware, FixedCredentials};
    /// # async fn serve(challenge: &'static str) -> String {
    /// #     use axum::http::{HeaderMap, StatusCode, Uri};
    /// #     use axum::response::IntoResponse;
    /// #     // Paths under /proxy/ answer like a proxy (407), the others like an
    /// #     // origin (401); credentials are echoed back in a 200.
    /// #     let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap| async move {
    /// #         let (asks, answer, status) = if uri.path().starts_with("/proxy/") {
    /// #             ("proxy-authenticate", "proxy-authorization", StatusCode::PROXY_AUTHENTICATION_REQUIRED)
    /// #         } else {
    /// #             ("www-authenticate", "authorization", StatusCode::UNAUTHORIZED)
    /// #         };
    /// #         match headers.get(answer) {
    /// #             Some(credentials) => (StatusCode::OK, credentials.to_str().unwrap().to_owned()).into_response(),
    /// #             None => (status, [(asks, challenge)]).into_response(),
    /// #         }
    /// #     });
    /// #     let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    /// #     let url = format!("http://{}/", listener.local_addr().unwrap());
    /// #     tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    /// #     url
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # let url = serve(r#"Bearer realm="api""#).await;
    /// // `url` is a local server that asks for `Bearer realm="api"` and
    /// // answers `200` with the credentials it received.
    /// let basic_only: Vec<_> = authscheme::registry::client_schemes()
    ///     .into_iter()
    ///     .filter(|scheme| scheme.name().is("basic"))
    ///     .collect();
    /// let auth = AuthMiddleware::new(FixedCredentials::new(ClientCredentials::token("t0k3n")))
    ///     .with_schemes(basic_only);
    /// let inner = reqwest::Client::builder()
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .build()
    ///     .unwrap();
    /// let client = reqwest_middleware::ClientBuilder::new(inner).with(auth).build();
    /// // Nothing left can answer a Bearer challenge: the 401 comes back as it is.
    /// assert_eq!(client.get(&url).send().await.unwrap().status(), 401);
    /// # });
    /// ```
    pub fn with_schemes(self, schemes: Vec<Box<dyn ClientScheme>>) -> Self {
        self.engine.set_schemes(schemes);
        self
    }

    /// Allows Basic over plain HTTP (see
    /// [`crate::AuthClient::insecure_allow_basic_over_http`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthMiddleware, FixedCredentials};
    /// # async fn serve(challenge: &'static str) -> String {
    /// #     use axum::http::{HeaderMap, StatusCode, Uri};
    /// #     use axum::response::IntoResponse;
    /// #     // Paths under /proxy/ answer like a proxy (407), the others like an
    /// #     // origin (401); credentials are echoed back in a 200.
    /// #     let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap| async move {
    /// #         let (asks, answer, status) = if uri.path().starts_with("/proxy/") {
    /// #             ("proxy-authenticate", "proxy-authorization", StatusCode::PROXY_AUTHENTICATION_REQUIRED)
    /// #         } else {
    /// #             ("www-authenticate", "authorization", StatusCode::UNAUTHORIZED)
    /// #         };
    /// #         match headers.get(answer) {
    /// #             Some(credentials) => (StatusCode::OK, credentials.to_str().unwrap().to_owned()).into_response(),
    /// #             None => (status, [(asks, challenge)]).into_response(),
    /// #         }
    /// #     });
    /// #     let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    /// #     let url = format!("http://{}/", listener.local_addr().unwrap());
    /// #     tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    /// #     url
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # let url = serve(r#"Basic realm="api""#).await;
    /// // `url` is a local server that asks for `Basic realm="api"` and
    /// // answers `200` with the credentials it received.
    /// let alice = FixedCredentials::new(ClientCredentials::password("alice", "wonderland"));
    /// let auth = AuthMiddleware::new(alice.clone());
    /// let inner = reqwest::Client::builder()
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .build()
    ///     .unwrap();
    /// let client = reqwest_middleware::ClientBuilder::new(inner.clone()).with(auth).build();
    /// let refused = client.get(&url).send().await.unwrap_err();
    /// assert!(refused.to_string().contains("refusing to send Basic credentials"));
    ///
    /// let auth = AuthMiddleware::new(alice).insecure_allow_basic_over_http(true);
    /// let client = reqwest_middleware::ClientBuilder::new(inner).with(auth).build();
    /// let response = client.get(&url).send().await.unwrap();
    /// assert_eq!(response.text().await.unwrap(), "Basic YWxpY2U6d29uZGVybGFuZA==");
    /// # });
    /// ```
    pub fn insecure_allow_basic_over_http(self, allow: bool) -> Self {
        lock(&self.engine.options).insecure_allow_basic_over_http = allow;
        self
    }

    /// Allows Bearer tokens over plain HTTP (see
    /// [`crate::AuthClient::insecure_allow_bearer_over_http`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthMiddleware, FixedCredentials};
    /// # async fn serve(challenge: &'static str) -> String {
    /// #     use axum::http::{HeaderMap, StatusCode, Uri};
    /// #     use axum::response::IntoResponse;
    /// #     // Paths under /proxy/ answer like a proxy (407), the others like an
    /// #     // origin (401); credentials are echoed back in a 200.
    /// #     let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap| async move {
    /// #         let (asks, answer, status) = if uri.path().starts_with("/proxy/") {
    /// #             ("proxy-authenticate", "proxy-authorization", StatusCode::PROXY_AUTHENTICATION_REQUIRED)
    /// #         } else {
    /// #             ("www-authenticate", "authorization", StatusCode::UNAUTHORIZED)
    /// #         };
    /// #         match headers.get(answer) {
    /// #             Some(credentials) => (StatusCode::OK, credentials.to_str().unwrap().to_owned()).into_response(),
    /// #             None => (status, [(asks, challenge)]).into_response(),
    /// #         }
    /// #     });
    /// #     let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    /// #     let url = format!("http://{}/", listener.local_addr().unwrap());
    /// #     tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    /// #     url
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # let url = serve(r#"Bearer realm="api""#).await;
    /// // `url` is a local server that asks for `Bearer realm="api"` and
    /// // answers `200` with the credentials it received.
    /// let token = FixedCredentials::new(ClientCredentials::token("t0k3n"));
    /// let auth = AuthMiddleware::new(token.clone());
    /// let inner = reqwest::Client::builder()
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .build()
    ///     .unwrap();
    /// let client = reqwest_middleware::ClientBuilder::new(inner.clone()).with(auth).build();
    /// let refused = client.get(&url).send().await.unwrap_err();
    /// assert!(refused.to_string().contains("refusing to send a Bearer token"));
    ///
    /// let auth = AuthMiddleware::new(token).insecure_allow_bearer_over_http(true);
    /// let client = reqwest_middleware::ClientBuilder::new(inner).with(auth).build();
    /// let response = client.get(&url).send().await.unwrap();
    /// assert_eq!(response.text().await.unwrap(), "Bearer t0k3n");
    /// # });
    /// ```
    pub fn insecure_allow_bearer_over_http(self, allow: bool) -> Self {
        lock(&self.engine.options).insecure_allow_bearer_over_http = allow;
        self
    }

    /// Allows Basic to proxies only (see
    /// [`crate::AuthClient::insecure_allow_basic_to_proxy`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthMiddleware, FixedCredentials};
    /// # async fn serve(challenge: &'static str) -> String {
    /// #     use axum::http::{HeaderMap, StatusCode, Uri};
    /// #     use axum::response::IntoResponse;
    /// #     // Paths under /proxy/ answer like a proxy (407), the others like an
    /// #     // origin (401); credentials are echoed back in a 200.
    /// #     let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap| async move {
    /// #         let (asks, answer, status) = if uri.path().starts_with("/proxy/") {
    /// #             ("proxy-authenticate", "proxy-authorization", StatusCode::PROXY_AUTHENTICATION_REQUIRED)
    /// #         } else {
    /// #             ("www-authenticate", "authorization", StatusCode::UNAUTHORIZED)
    /// #         };
    /// #         match headers.get(answer) {
    /// #             Some(credentials) => (StatusCode::OK, credentials.to_str().unwrap().to_owned()).into_response(),
    /// #             None => (status, [(asks, challenge)]).into_response(),
    /// #         }
    /// #     });
    /// #     let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    /// #     let url = format!("http://{}/", listener.local_addr().unwrap());
    /// #     tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    /// #     url
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # let url = serve(r#"Basic realm="api""#).await;
    /// // `url` is a local server, used here as a forward proxy, that asks
    /// // for `Basic realm="api"` as a proxy (407) under /proxy/ and as an
    /// // origin (401) elsewhere, and answers `200` with the credentials it
    /// // received.
    /// let creds = ClientCredentials::password("alice", "wonderland");
    /// let both = FixedCredentials::new(creds.clone()).with_proxy(creds);
    /// let auth = AuthMiddleware::new(both).insecure_allow_basic_to_proxy(true);
    /// let inner = reqwest::Client::builder()
    ///     .proxy(reqwest::Proxy::http(&url).unwrap())
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .build()
    ///     .unwrap();
    /// let client = reqwest_middleware::ClientBuilder::new(inner).with(auth).build();
    /// let response = client.get("http://origin.invalid/proxy/").send().await.unwrap();
    /// assert_eq!(response.text().await.unwrap(), "Basic YWxpY2U6d29uZGVybGFuZA==");
    /// let refused = client.get("http://origin.invalid/").send().await.unwrap_err();
    /// assert!(refused.to_string().contains("refusing to send Basic credentials"));
    /// # });
    /// ```
    pub fn insecure_allow_basic_to_proxy(self, allow: bool) -> Self {
        lock(&self.engine.options).insecure_allow_basic_to_proxy = allow;
        self
    }

    /// Accepts a wrong `rspauth` (see
    /// [`crate::AuthClient::dangerous_skip_rspauth_check`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthMiddleware, FixedCredentials};
    /// # async fn serve_digest() -> String {
    /// #     use axum::http::{HeaderMap, StatusCode};
    /// #     use axum::response::IntoResponse;
    /// #     // Asks for Digest, then answers with an rspauth that proves nothing.
    /// #     let app = axum::Router::new().fallback(|headers: HeaderMap| async move {
    /// #         if headers.contains_key("authorization") {
    /// #             (StatusCode::OK, [("authentication-info", r#"rspauth="0000", qop=auth"#)], "data").into_response()
    /// #         } else {
    /// #             (StatusCode::UNAUTHORIZED, [("www-authenticate", r#"Digest realm="api", nonce="abc", qop="auth""#)]).into_response()
    /// #         }
    /// #     });
    /// #     let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    /// #     let url = format!("http://{}/", listener.local_addr().unwrap());
    /// #     tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    /// #     url
    /// # }
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # let url = serve_digest().await;
    /// // `url` is a local server that asks for Digest, then answers with a
    /// // `rspauth` that does not match.
    /// let alice = FixedCredentials::new(ClientCredentials::password("alice", "wonderland"));
    /// let auth = AuthMiddleware::new(alice.clone());
    /// let inner = reqwest::Client::builder()
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .build()
    ///     .unwrap();
    /// let client = reqwest_middleware::ClientBuilder::new(inner.clone()).with(auth).build();
    /// let refused = client.get(&url).send().await.unwrap_err();
    /// assert!(refused.to_string().contains("failed to authenticate itself"));
    ///
    /// let auth = AuthMiddleware::new(alice).dangerous_skip_rspauth_check(true);
    /// let client = reqwest_middleware::ClientBuilder::new(inner).with(auth).build();
    /// let response = client.get(&url).send().await.unwrap();
    /// assert_eq!(response.text().await.unwrap(), "data");
    /// # });
    /// ```
    pub fn dangerous_skip_rspauth_check(self, skip: bool) -> Self {
        lock(&self.engine.options).dangerous_skip_rspauth_check = skip;
        self
    }

    /// Follows at most `max` redirects (0 returns them to the caller);
    /// 10 by default. Only redirects that reach the middleware are
    /// followed here: build the inner client with
    /// `redirect::Policy::none()` (see the type's documentation).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthMiddleware, FixedCredentials};
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # let url = {
    /// #     use axum::{Router, response::Redirect, routing::get};
    /// #     let app = Router::new()
    /// #         .route("/old", get(|| async { Redirect::temporary("/new") }))
    /// #         .route("/new", get(|| async { "moved here" }));
    /// #     let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    /// #     let url = format!("http://{}/", listener.local_addr().unwrap());
    /// #     tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    /// #     url
    /// # };
    /// // `url` is a local server where `/old` redirects to `/new`.
    /// let inner = reqwest::Client::builder()
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .build()
    ///     .unwrap();
    /// let auth = AuthMiddleware::new(FixedCredentials::none()).max_redirects(0);
    /// let client = reqwest_middleware::ClientBuilder::new(inner.clone()).with(auth).build();
    /// assert_eq!(client.get(format!("{url}old")).send().await.unwrap().status(), 307);
    ///
    /// let auth = AuthMiddleware::new(FixedCredentials::none());
    /// let client = reqwest_middleware::ClientBuilder::new(inner).with(auth).build();
    /// let response = client.get(format!("{url}old")).send().await.unwrap();
    /// assert_eq!(response.text().await.unwrap(), "moved here");
    /// # });
    /// ```
    pub fn max_redirects(mut self, max: usize) -> Self {
        self.max_redirects = max;
        self
    }
}

struct NextTransport<'a, 'e> {
    next: Next<'a>,
    extensions: &'e mut Extensions,
}

impl Transport for NextTransport<'_, '_> {
    type Error = reqwest_middleware::Error;
    fn send(&mut self, request: Request) -> SendFuture<'_, reqwest_middleware::Error> {
        self.next.clone().run(request, self.extensions)
    }
}

#[async_trait::async_trait]
impl Middleware for AuthMiddleware {
    async fn handle(
        &self,
        request: Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        let mut transport = NextTransport { next, extensions };
        redirect::follow(&self.engine, request, self.max_redirects, &mut transport)
            .await
            .map_err(|f| match f {
                Failure::Send(e) => e,
                Failure::Auth(e) => reqwest_middleware::Error::middleware(e),
            })
    }
}
