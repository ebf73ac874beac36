//! [`AuthClient`]: a bare `reqwest::Client` that answers 401 and 407.

use std::sync::Arc;

use authscheme::ClientScheme;
use http::Method;
use reqwest::{Client, IntoUrl, Request, RequestBuilder, Response};

use crate::engine::{Engine, Failure, SendFuture, Transport};
use crate::error::{Error, TransportError};
use crate::middleware::AuthMiddleware;
use crate::provider::CredentialProvider;
use crate::redirect::{self, DEFAULT_REDIRECTS};
use crate::request::AuthRequestBuilder;
use crate::spaces::lock;

/// A `reqwest::Client` that answers `401` and `407` challenges with the
/// strongest scheme the program linked, remembers each protection space,
/// and follows redirects itself so that credentials never leave the origin
/// the request was made to.
///
/// Cloning is cheap and clones share the sessions.
///
/// # Examples
///
/// ```no_run
/// use authscheme::ClientCredentials;
/// use authscheme_reqwest::{AuthClient, FixedCredentials};
/// # async fn demo() -> Result<(), authscheme_reqwest::Error> {
/// let client = AuthClient::new(FixedCredentials::new(
///     ClientCredentials::password("alice", "wonderland"),
/// ));
/// let response = client.send(client.get("https://api.example/digest")).await?;
/// println!("{}", response.status());
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct AuthClient {
    client: Client,
    engine: Arc<Engine>,
    max_redirects: usize,
}

struct ClientTransport<'c>(&'c Client);

impl Transport for ClientTransport<'_> {
    type Error = reqwest::Error;
    fn send(&mut self, request: Request) -> SendFuture<'_, reqwest::Error> {
        Box::pin(self.0.execute(request))
    }
}

impl AuthClient {
    /// A client with its own `reqwest::Client` (redirects handled here)
    /// and every linked client scheme.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthClient, FixedCredentials};
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
    /// let client = AuthClient::new(token).insecure_allow_bearer_over_http(true);
    /// let response = client.send(client.get(&url)).await.unwrap();
    /// assert_eq!(response.status(), 200);
    /// assert_eq!(response.text().await.unwrap(), "Bearer t0k3n");
    /// # });
    /// ```
    pub fn new(provider: impl CredentialProvider) -> Self {
        let client = Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            // Without TLS or proxy settings there is nothing to fail on; if
            // it ever does, the plain default client is the safe fallback.
            .unwrap_or_else(|_| Client::new());
        Self::with_client(client, provider)
    }

    /// Uses `client` to send. Build it with
    /// `.redirect(reqwest::redirect::Policy::none())` so redirects come
    /// back here; otherwise reqwest follows them first and a challenge from
    /// another origin is left unanswered.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthClient, FixedCredentials};
    /// use std::time::Duration;
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
    /// let inner = reqwest::Client::builder()
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .timeout(Duration::from_secs(30))
    ///     .build()
    ///     .unwrap();
    /// let client = AuthClient::with_client(inner, FixedCredentials::new(ClientCredentials::token("t0k3n"))).insecure_allow_bearer_over_http(true);
    /// let response = client.send(client.get(&url)).await.unwrap();
    /// assert_eq!(response.text().await.unwrap(), "Bearer t0k3n");
    /// # });
    /// ```
    pub fn with_client(client: Client, provider: impl CredentialProvider) -> Self {
        Self {
            client,
            engine: Arc::new(Engine::new(Box::new(provider))),
            max_redirects: DEFAULT_REDIRECTS,
        }
    }

    /// Answers only with `schemes` instead of every linked one.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthClient, FixedCredentials};
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
    /// let client = AuthClient::new(FixedCredentials::new(ClientCredentials::token("t0k3n")))
    ///     .with_schemes(basic_only);
    /// assert_eq!(client.schemes(), ["Basic"]);
    /// // Nothing left can answer a Bearer challenge: the 401 comes back as it is.
    /// let response = client.send(client.get(&url)).await.unwrap();
    /// assert_eq!(response.status(), 401);
    /// # });
    /// ```
    pub fn with_schemes(self, schemes: Vec<Box<dyn ClientScheme>>) -> Self {
        self.engine.set_schemes(schemes);
        self
    }

    /// Allows Basic over plain HTTP, where anyone on the path reads the
    /// password. Off by default.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthClient, Error, FixedCredentials};
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
    /// let client = AuthClient::new(alice.clone());
    /// let refused = client.send(client.get(&url)).await.unwrap_err();
    /// assert!(matches!(refused, Error::BasicOverPlainHttp { .. }));
    ///
    /// let client = AuthClient::new(alice).insecure_allow_basic_over_http(true);
    /// let response = client.send(client.get(&url)).await.unwrap();
    /// assert_eq!(response.text().await.unwrap(), "Basic YWxpY2U6d29uZGVybGFuZA==");
    /// # });
    /// ```
    pub fn insecure_allow_basic_over_http(self, allow: bool) -> Self {
        lock(&self.engine.options).insecure_allow_basic_over_http = allow;
        self
    }

    /// Allows Bearer tokens over plain HTTP, where anyone on the path reads
    /// the token (RFC 6750 section 5.3 requires TLS). Off by default.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthClient, Error, FixedCredentials};
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
    /// let client = AuthClient::new(token.clone());
    /// let refused = client.send(client.get(&url)).await.unwrap_err();
    /// assert!(matches!(refused, Error::BearerOverPlainHttp { .. }));
    ///
    /// let client = AuthClient::new(token).insecure_allow_bearer_over_http(true);
    /// let response = client.send(client.get(&url)).await.unwrap();
    /// assert_eq!(response.text().await.unwrap(), "Bearer t0k3n");
    /// # });
    /// ```
    pub fn insecure_allow_bearer_over_http(self, allow: bool) -> Self {
        lock(&self.engine.options).insecure_allow_bearer_over_http = allow;
        self
    }

    /// Allows Basic in `Proxy-Authorization`, which travels over the plain
    /// HTTP link to the proxy, without allowing it to origins (as
    /// [`insecure_allow_basic_over_http`](Self::insecure_allow_basic_over_http)
    /// does for both): for a proxy on a link nobody else reads, such as
    /// one on the loopback interface. Off by default.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthClient, Error, FixedCredentials};
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
    /// let inner = reqwest::Client::builder()
    ///     .proxy(reqwest::Proxy::http(&url).unwrap())
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .build()
    ///     .unwrap();
    /// let client = AuthClient::with_client(inner, both).insecure_allow_basic_to_proxy(true);
    /// let response = client.send(client.get("http://origin.invalid/proxy/")).await.unwrap();
    /// assert_eq!(response.text().await.unwrap(), "Basic YWxpY2U6d29uZGVybGFuZA==");
    /// let refused = client.send(client.get("http://origin.invalid/")).await.unwrap_err();
    /// assert!(matches!(refused, Error::BasicOverPlainHttp { .. }), "origins still refused");
    /// # });
    /// ```
    pub fn insecure_allow_basic_to_proxy(self, allow: bool) -> Self {
        lock(&self.engine.options).insecure_allow_basic_to_proxy = allow;
        self
    }

    /// Accepts a response whose `rspauth` does not match (for servers that
    /// compute it wrongly). Off by default: such a response is an
    /// [`Error::ServerNotAuthenticated`].
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthClient, Error, FixedCredentials};
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
    /// let client = AuthClient::new(alice.clone());
    /// let refused = client.send(client.get(&url)).await.unwrap_err();
    /// assert!(matches!(refused, Error::ServerNotAuthenticated { .. }));
    ///
    /// let client = AuthClient::new(alice).dangerous_skip_rspauth_check(true);
    /// let response = client.send(client.get(&url)).await.unwrap();
    /// assert_eq!(response.text().await.unwrap(), "data");
    /// # });
    /// ```
    pub fn dangerous_skip_rspauth_check(self, skip: bool) -> Self {
        lock(&self.engine.options).dangerous_skip_rspauth_check = skip;
        self
    }

    /// Follows at most `max` redirects (0 returns them to the caller).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthClient, FixedCredentials};
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
    /// let client = AuthClient::new(FixedCredentials::none()).max_redirects(0);
    /// let response = client.send(client.get(format!("{url}old"))).await.unwrap();
    /// assert_eq!(response.status(), 307);
    ///
    /// let client = AuthClient::new(FixedCredentials::none());
    /// let response = client.send(client.get(format!("{url}old"))).await.unwrap();
    /// assert_eq!(response.text().await.unwrap(), "moved here");
    /// # });
    /// ```
    pub fn max_redirects(mut self, max: usize) -> Self {
        self.max_redirects = max;
        self
    }

    /// A middleware for `reqwest-middleware` sharing this client's
    /// provider, options and sessions.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthClient, FixedCredentials};
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
    /// let client = AuthClient::new(token).insecure_allow_bearer_over_http(true);
    /// let inner = reqwest::Client::builder()
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .build()
    ///     .unwrap();
    /// let with_middleware = reqwest_middleware::ClientBuilder::new(inner)
    ///     .with(client.middleware())
    ///     .build();
    /// let response = with_middleware.get(&url).send().await.unwrap();
    /// assert_eq!(response.text().await.unwrap(), "Bearer t0k3n");
    /// // The session the middleware started is the client's too.
    /// assert_eq!(client.known_spaces(), 1);
    /// # });
    /// ```
    pub fn middleware(&self) -> AuthMiddleware {
        AuthMiddleware::from_engine(Arc::clone(&self.engine)).max_redirects(self.max_redirects)
    }

    /// The auth-schemes this client answers, strongest first.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_reqwest::{AuthClient, FixedCredentials};
    /// let client = AuthClient::new(FixedCredentials::none());
    /// let schemes = client.schemes();
    /// assert!(schemes.iter().any(|s| s == "Digest"));
    /// assert!(schemes.iter().any(|s| s == "Bearer"));
    /// assert!(schemes.iter().any(|s| s == "Basic"));
    /// ```
    pub fn schemes(&self) -> Vec<String> {
        self.engine.scheme_names()
    }

    /// How many protection spaces have a session.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthClient, FixedCredentials};
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
    /// let client = AuthClient::new(token).insecure_allow_bearer_over_http(true);
    /// assert_eq!(client.known_spaces(), 0);
    /// client.send(client.get(&url)).await.unwrap();
    /// assert_eq!(client.known_spaces(), 1);
    /// // A second request to the same space reuses the session.
    /// client.send(client.get(&url)).await.unwrap();
    /// assert_eq!(client.known_spaces(), 1);
    /// # });
    /// ```
    pub fn known_spaces(&self) -> usize {
        self.engine.known_spaces()
    }

    /// The inner `reqwest::Client`. Requests sent on it directly answer no
    /// challenge.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthClient, FixedCredentials};
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
    /// let client = AuthClient::new(FixedCredentials::new(ClientCredentials::token("t0k3n")));
    /// let response = client.inner().get(&url).send().await.unwrap();
    /// assert_eq!(response.status(), 401);
    /// # });
    /// ```
    pub fn inner(&self) -> &Client {
        &self.client
    }

    /// A request for `method` and `url`, whose
    /// [`send`](AuthRequestBuilder::send) answers challenges.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthClient, FixedCredentials};
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
    /// let client = AuthClient::new(token).insecure_allow_bearer_over_http(true);
    /// let response = client.send(client.request(http::Method::PUT, &url).body("new")).await.unwrap();
    /// assert_eq!(response.status(), 200);
    /// # });
    /// ```
    pub fn request(&self, method: Method, url: impl IntoUrl) -> AuthRequestBuilder {
        AuthRequestBuilder::new(self.clone(), self.client.request(method, url))
    }

    /// A `GET` request, whose [`send`](AuthRequestBuilder::send) answers
    /// challenges.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthClient, FixedCredentials};
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
    /// let client = AuthClient::new(token).insecure_allow_bearer_over_http(true);
    /// let request = client.get(format!("{url}?page=2")).build().unwrap();
    /// assert_eq!(request.url().query(), Some("page=2"));
    /// assert_eq!(client.execute(request).await.unwrap().status(), 200);
    /// # });
    /// ```
    pub fn get(&self, url: impl IntoUrl) -> AuthRequestBuilder {
        AuthRequestBuilder::new(self.clone(), self.client.get(url))
    }

    /// A `POST` request, whose [`send`](AuthRequestBuilder::send) answers
    /// challenges. Give the body as bytes so it can be sent again after a
    /// challenge.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthClient, FixedCredentials};
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
    /// let client = AuthClient::new(token).insecure_allow_bearer_over_http(true);
    /// let response = client.send(client.post(&url).body("report=1")).await.unwrap();
    /// assert_eq!(response.status(), 200);
    /// # });
    /// ```
    pub fn post(&self, url: impl IntoUrl) -> AuthRequestBuilder {
        AuthRequestBuilder::new(self.clone(), self.client.post(url))
    }

    /// Builds and sends `builder`'s request (see [`execute`](Self::execute)):
    /// one from [`get`](Self::get), [`post`](Self::post) or
    /// [`request`](Self::request), or a plain reqwest `RequestBuilder` (of
    /// any client: the request goes out through this one).
    ///
    /// # Errors
    ///
    /// As [`execute`](Self::execute), and [`Error::Transport`] when the
    /// builder holds an invalid request.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthClient, FixedCredentials};
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
    /// let client = AuthClient::new(token).insecure_allow_bearer_over_http(true);
    /// let response = client.send(client.get(&url)).await.unwrap();
    /// assert_eq!(response.text().await.unwrap(), "Bearer t0k3n");
    /// # });
    /// ```
    pub async fn send(&self, builder: impl Into<RequestBuilder>) -> Result<Response, Error> {
        let request = builder
            .into()
            .build()
            .map_err(|e| Error::Transport(TransportError::new(e)))?;
        self.execute(request).await
    }

    /// Sends `request`, answering 401/407 challenges and following
    /// redirects.
    ///
    /// # Errors
    ///
    /// [`Error::Transport`] when sending fails; [`Error::BodyNotReplayable`]
    /// when a challenge needs a resend of a streamed body;
    /// [`Error::BasicOverPlainHttp`]; [`Error::ServerNotAuthenticated`]
    /// when `rspauth` does not match; [`Error::Scheme`].
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthClient, Error, FixedCredentials};
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
    /// let client = AuthClient::new(token).insecure_allow_bearer_over_http(true);
    /// let request = client.get(&url).build().unwrap();
    /// let response = client.execute(request).await.unwrap();
    /// assert_eq!(response.text().await.unwrap(), "Bearer t0k3n");
    ///
    /// let not_http = client.get("ftp://127.0.0.1/").build().unwrap();
    /// assert!(matches!(client.execute(not_http).await, Err(Error::InvalidUrl)));
    /// # });
    /// ```
    pub async fn execute(&self, request: Request) -> Result<Response, Error> {
        let mut transport = ClientTransport(&self.client);
        redirect::follow(&self.engine, request, self.max_redirects, &mut transport)
            .await
            .map_err(|f| match f {
                Failure::Send(e) => Error::Transport(TransportError::new(e)),
                Failure::Auth(e) => e,
            })
    }
}
