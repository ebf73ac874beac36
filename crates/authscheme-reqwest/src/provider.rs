//! Where credentials come from: a [`CredentialProvider`] the application
//! supplies, asked once per new protection space.

use std::fmt;

use authscheme::{Challenge, ClientCredentials, Role};
use reqwest::Url;

/// What a provider is told when a server asks for credentials.
///
/// # Examples
///
/// ```
/// use authscheme_reqwest::CredentialRequest;
/// fn pick(req: &CredentialRequest<'_>) -> bool {
///     req.host() == Some("api.example") && req.realms().any(|r| r == "api")
/// }
/// ```
#[derive(Debug)]
pub struct CredentialRequest<'a> {
    role: Role,
    url: &'a Url,
    challenges: &'a [Challenge<'static>],
}

impl<'a> CredentialRequest<'a> {
    pub(crate) fn new(role: Role, url: &'a Url, challenges: &'a [Challenge<'static>]) -> Self {
        Self {
            role,
            url,
            challenges,
        }
    }

    /// [`Role::Origin`] for a 401, [`Role::Proxy`] for a 407.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::{ClientCredentials, Role};
    /// use authscheme_reqwest::{AuthClient, CredentialRequest};
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
    /// // `url` is a local server, used here as a forward proxy, that asks
    /// // for `Bearer realm="api"` like a proxy (407) under `/proxy/` and
    /// // like an origin (401) elsewhere.
    /// let proxy_only = |req: &CredentialRequest<'_>| {
    ///     (req.role() == Role::Proxy).then(|| ClientCredentials::token("t0k3n"))
    /// };
    /// let inner = reqwest::Client::builder()
    ///     .proxy(reqwest::Proxy::http(&url).unwrap())
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .build()
    ///     .unwrap();
    /// let client = AuthClient::with_client(inner, proxy_only).insecure_allow_bearer_over_http(true);
    /// let through_proxy = client.get("http://origin.invalid/proxy/a");
    /// assert_eq!(client.send(through_proxy).await.unwrap().status(), 200);
    /// let origin = client.get("http://origin.invalid/a");
    /// assert_eq!(client.send(origin).await.unwrap().status(), 401);
    /// # });
    /// ```
    pub fn role(&self) -> Role {
        self.role
    }

    /// The URL of the request that was refused.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthClient, CredentialRequest};
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
    /// let reports_only = |req: &CredentialRequest<'_>| {
    ///     req.url().path().starts_with("/reports/").then(|| ClientCredentials::token("t0k3n"))
    /// };
    /// let client = AuthClient::new(reports_only).insecure_allow_bearer_over_http(true);
    /// assert_eq!(client.send(client.get(format!("{url}reports/q1"))).await.unwrap().status(), 200);
    /// assert_eq!(client.send(client.get(format!("{url}admin/"))).await.unwrap().status(), 401);
    /// # });
    /// ```
    pub fn url(&self) -> &Url {
        self.url
    }

    /// The host of that URL.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthClient, CredentialRequest};
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
    /// let local_only = |req: &CredentialRequest<'_>| {
    ///     (req.host() == Some("127.0.0.1")).then(|| ClientCredentials::token("t0k3n"))
    /// };
    /// let client = AuthClient::new(local_only).insecure_allow_bearer_over_http(true);
    /// let response = client.send(client.get(&url)).await.unwrap();
    /// assert_eq!(response.text().await.unwrap(), "Bearer t0k3n");
    /// # });
    /// ```
    pub fn host(&self) -> Option<&str> {
        self.url.host_str()
    }

    /// Every challenge offered, in order.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthClient, CredentialRequest};
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
    /// let bearer_only = |req: &CredentialRequest<'_>| {
    ///     let first = &req.challenges()[0];
    ///     first.scheme().is("bearer").then(|| ClientCredentials::token("t0k3n"))
    /// };
    /// let client = AuthClient::new(bearer_only).insecure_allow_bearer_over_http(true);
    /// let response = client.send(client.get(&url)).await.unwrap();
    /// assert_eq!(response.text().await.unwrap(), "Bearer t0k3n");
    /// # });
    /// ```
    pub fn challenges(&self) -> &[Challenge<'static>] {
        self.challenges
    }

    /// The realms offered, in order (duplicates included).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthClient, CredentialRequest};
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
    /// # let api = serve(r#"Bearer realm="api""#).await;
    /// # let admin = serve(r#"Bearer realm="admin""#).await;
    /// // `api` and `admin` are local servers that ask for Bearer in realms `api`
    /// // and `admin`, and answer `200` with the credentials they received.
    /// let api_only = |req: &CredentialRequest<'_>| {
    ///     req.realms().any(|realm| realm == "api").then(|| ClientCredentials::token("t0k3n"))
    /// };
    /// let client = AuthClient::new(api_only).insecure_allow_bearer_over_http(true);
    /// assert_eq!(client.send(client.get(&api)).await.unwrap().status(), 200);
    /// assert_eq!(client.send(client.get(&admin)).await.unwrap().status(), 401);
    /// # });
    /// ```
    pub fn realms(&self) -> impl Iterator<Item = &str> {
        self.challenges.iter().filter_map(|c| c.realm())
    }
}

/// Supplies credentials when a server (or proxy) asks for them.
///
/// Closures `Fn(&CredentialRequest) -> Option<ClientCredentials>` implement
/// it. Return `None` to leave the 401/407 to the caller.
///
/// # Examples
///
/// ```
/// use authscheme::{ClientCredentials, Role};
/// use authscheme_reqwest::{CredentialProvider, CredentialRequest};
/// let per_host = |req: &CredentialRequest<'_>| match (req.role(), req.host()) {
///     (Role::Origin, Some("api.example")) => Some(ClientCredentials::password("alice", "wonderland")),
///     _ => None,
/// };
/// fn takes(_: impl CredentialProvider) {}
/// takes(per_host);
/// ```
pub trait CredentialProvider: Send + Sync + 'static {
    /// The credentials to answer `request` with, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthClient, CredentialProvider, CredentialRequest};
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
    /// /// One token per realm.
    /// struct Vault(HashMap<&'static str, &'static str>);
    ///
    /// impl CredentialProvider for Vault {
    ///     fn credentials(&self, request: &CredentialRequest<'_>) -> Option<ClientCredentials> {
    ///         let token = request.realms().find_map(|realm| self.0.get(realm))?;
    ///         Some(ClientCredentials::token(*token))
    ///     }
    /// }
    ///
    /// let client = AuthClient::new(Vault(HashMap::from([("api", "api-t0k3n")]))).insecure_allow_bearer_over_http(true);
    /// let response = client.send(client.get(&url)).await.unwrap();
    /// assert_eq!(response.text().await.unwrap(), "Bearer api-t0k3n");
    /// # });
    /// ```
    fn credentials(&self, request: &CredentialRequest<'_>) -> Option<ClientCredentials>;
}

impl<F> CredentialProvider for F
where
    F: Fn(&CredentialRequest<'_>) -> Option<ClientCredentials> + Send + Sync + 'static,
{
    fn credentials(&self, request: &CredentialRequest<'_>) -> Option<ClientCredentials> {
        self(request)
    }
}

/// The same credentials for every origin (and, optionally, others for the
/// proxy).
///
/// Credentials are still only sent to the origin the request was made to,
/// never to the target of a redirect to another origin.
///
/// # Examples
///
/// ```
/// use authscheme::ClientCredentials;
/// use authscheme_reqwest::FixedCredentials;
/// let creds = FixedCredentials::new(ClientCredentials::password("alice", "wonderland"))
///     .with_proxy(ClientCredentials::password("proxyuser", "proxypass"));
/// assert!(!format!("{creds:?}").contains("wonderland"));
/// ```
#[derive(Clone, Default)]
pub struct FixedCredentials {
    origin: Option<ClientCredentials>,
    proxy: Option<ClientCredentials>,
}

impl FixedCredentials {
    /// Answers every origin server with `credentials`.
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
    pub fn new(credentials: ClientCredentials) -> Self {
        Self {
            origin: Some(credentials),
            proxy: None,
        }
    }

    /// No origin credentials: only a proxy is answered (see
    /// [`with_proxy`](Self::with_proxy)).
    ///
    /// # Examples
    ///
    /// ```
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
    /// let client = AuthClient::new(FixedCredentials::none());
    /// assert_eq!(client.send(client.get(&url)).await.unwrap().status(), 401);
    /// # });
    /// ```
    pub fn none() -> Self {
        Self::default()
    }

    /// Answers a proxy's 407 with `credentials`.
    ///
    /// Only plain-`http` requests are answered, and later requests carry
    /// them before being asked only when they go to the origin whose
    /// request was challenged (see the crate's safety rails). For `https`
    /// requests give the proxy's credentials to reqwest instead (in the
    /// proxy URL or with `reqwest::Proxy::basic_auth`): reqwest sends
    /// them with the CONNECT that opens the tunnel.
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
    /// # let url = serve(r#"Digest realm="proxy", nonce="abc", qop="auth""#).await;
    /// // `url` is a local server, used here as a forward proxy, that asks
    /// // for Digest like a proxy (407) under `/proxy/`, and answers `200`
    /// // with the credentials it received.
    /// let creds = FixedCredentials::none()
    ///     .with_proxy(ClientCredentials::password("proxyuser", "proxypass"));
    /// let inner = reqwest::Client::builder()
    ///     .proxy(reqwest::Proxy::http(&url).unwrap())
    ///     .redirect(reqwest::redirect::Policy::none())
    ///     .build()
    ///     .unwrap();
    /// let client = AuthClient::with_client(inner, creds);
    /// let response = client.send(client.get("http://origin.invalid/proxy/a")).await.unwrap();
    /// let sent = response.text().await.unwrap();
    /// assert!(sent.starts_with("Digest "));
    /// assert!(sent.contains(r#"username="proxyuser""#));
    /// # });
    /// ```
    pub fn with_proxy(mut self, credentials: ClientCredentials) -> Self {
        self.proxy = Some(credentials);
        self
    }
}

impl fmt::Debug for FixedCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // ClientCredentials' Debug already hides the secrets.
        f.debug_struct("FixedCredentials")
            .field("origin", &self.origin)
            .field("proxy", &self.proxy)
            .finish()
    }
}

impl CredentialProvider for FixedCredentials {
    fn credentials(&self, request: &CredentialRequest<'_>) -> Option<ClientCredentials> {
        match request.role() {
            Role::Proxy => self.proxy.clone(),
            _ => self.origin.clone(),
        }
    }
}
