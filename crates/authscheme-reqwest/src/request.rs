//! [`AuthRequestBuilder`]: a request builder whose `send` goes through the
//! [`AuthClient`] that made it.

use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue, Version};
use reqwest::{Body, Request, RequestBuilder, Response};

use crate::client::AuthClient;
use crate::error::Error;

/// A request being built by [`AuthClient::get`], [`post`](AuthClient::post)
/// or [`request`](AuthClient::request). Its [`send`](Self::send) answers
/// challenges, as [`AuthClient::send`] does: a plain `reqwest`
/// `RequestBuilder::send` would not, and the 401 would come back as it is.
///
/// The common settings are here; [`map`](Self::map) reaches the rest of
/// reqwest's builder (`json`, `form`, `query`, `multipart` with their
/// reqwest features).
///
/// # Examples
///
/// ```no_run
/// use authscheme::ClientCredentials;
/// use authscheme_reqwest::{AuthClient, FixedCredentials};
/// # async fn demo() -> Result<(), authscheme_reqwest::Error> {
/// let client = AuthClient::new(FixedCredentials::new(ClientCredentials::password("alice", "wonderland")));
/// let response = client
///     .post("https://api.example/reports")
///     .header("content-type", "text/csv")
///     .body("day,count\n2026-11-28,3\n")
///     .send()
///     .await?;
/// # let _ = response;
/// # Ok(()) }
/// ```
#[derive(Debug)]
#[must_use = "a request builder does nothing until it is sent"]
pub struct AuthRequestBuilder {
    client: AuthClient,
    builder: RequestBuilder,
}

impl AuthRequestBuilder {
    pub(crate) fn new(client: AuthClient, builder: RequestBuilder) -> Self {
        Self { client, builder }
    }

    /// Adds a header field.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_reqwest::{AuthClient, FixedCredentials};
    /// let client = AuthClient::new(FixedCredentials::none());
    /// let request = client.get("http://127.0.0.1/").header("accept", "text/plain").build().unwrap();
    /// assert_eq!(request.headers()["accept"], "text/plain");
    /// ```
    pub fn header<K, V>(self, name: K, value: V) -> Self
    where
        HeaderName: TryFrom<K>,
        <HeaderName as TryFrom<K>>::Error: Into<http::Error>,
        HeaderValue: TryFrom<V>,
        <HeaderValue as TryFrom<V>>::Error: Into<http::Error>,
    {
        self.map(|b| b.header(name, value))
    }

    /// Adds every field of `headers`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_reqwest::{AuthClient, FixedCredentials};
    /// let mut headers = http::HeaderMap::new();
    /// headers.insert("accept", http::HeaderValue::from_static("text/plain"));
    /// let client = AuthClient::new(FixedCredentials::none());
    /// let request = client.get("http://127.0.0.1/").headers(headers).build().unwrap();
    /// assert_eq!(request.headers()["accept"], "text/plain");
    /// ```
    pub fn headers(self, headers: HeaderMap) -> Self {
        self.map(|b| b.headers(headers))
    }

    /// Sets the body. Bytes or a string can be sent again after a
    /// challenge; a stream cannot ([`Error::BodyNotReplayable`]).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_reqwest::{AuthClient, FixedCredentials};
    /// let client = AuthClient::new(FixedCredentials::none());
    /// let request = client.post("http://127.0.0.1/").body("report=1").build().unwrap();
    /// assert_eq!(request.body().and_then(|b| b.as_bytes()), Some(&b"report=1"[..]));
    /// ```
    pub fn body(self, body: impl Into<Body>) -> Self {
        self.map(|b| b.body(body))
    }

    /// Gives up on each exchange (one request and its response) after
    /// `timeout`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::time::Duration;
    /// use authscheme_reqwest::{AuthClient, FixedCredentials};
    /// let client = AuthClient::new(FixedCredentials::none());
    /// let request = client.get("http://127.0.0.1/").timeout(Duration::from_secs(5)).build().unwrap();
    /// assert_eq!(request.timeout(), Some(&Duration::from_secs(5)));
    /// ```
    pub fn timeout(self, timeout: Duration) -> Self {
        self.map(|b| b.timeout(timeout))
    }

    /// Sets the HTTP version.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_reqwest::{AuthClient, FixedCredentials};
    /// let client = AuthClient::new(FixedCredentials::none());
    /// let request = client.get("http://127.0.0.1/").version(http::Version::HTTP_11).build().unwrap();
    /// assert_eq!(request.version(), http::Version::HTTP_11);
    /// ```
    pub fn version(self, version: Version) -> Self {
        self.map(|b| b.version(version))
    }

    /// Applies `f` to the reqwest builder inside, for what this type does
    /// not offer itself.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_reqwest::{AuthClient, FixedCredentials};
    /// let client = AuthClient::new(FixedCredentials::none());
    /// let request = client
    ///     .get("http://127.0.0.1/")
    ///     .map(|b| b.header("x-trace", "1"))
    ///     .build()
    ///     .unwrap();
    /// assert_eq!(request.headers()["x-trace"], "1");
    /// ```
    pub fn map(self, f: impl FnOnce(RequestBuilder) -> RequestBuilder) -> Self {
        Self {
            client: self.client,
            builder: f(self.builder),
        }
    }

    /// The request, to send later with [`AuthClient::execute`].
    ///
    /// # Errors
    ///
    /// reqwest's, when the builder holds an invalid URL or header.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_reqwest::{AuthClient, FixedCredentials};
    /// let client = AuthClient::new(FixedCredentials::none());
    /// assert!(client.get("http://127.0.0.1/").header("bad name", "x").build().is_err());
    /// ```
    pub fn build(self) -> Result<Request, reqwest::Error> {
        self.builder.build()
    }

    /// Sends the request through the [`AuthClient`] that made this
    /// builder: challenges are answered and redirects followed.
    ///
    /// # Errors
    ///
    /// As [`AuthClient::execute`], and [`Error::Transport`] when the builder
    /// holds an invalid request.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// use authscheme::ClientCredentials;
    /// use authscheme_reqwest::{AuthClient, FixedCredentials};
    /// # async fn demo() -> Result<(), authscheme_reqwest::Error> {
    /// let client = AuthClient::new(FixedCredentials::new(ClientCredentials::password("alice", "wonderland")));
    /// let response = client.get("https://api.example/digest").send().await?;
    /// println!("{}", response.status());
    /// # Ok(()) }
    /// ```
    pub async fn send(self) -> Result<Response, Error> {
        let Self { client, builder } = self;
        client.send(builder).await
    }
}

impl From<AuthRequestBuilder> for RequestBuilder {
    fn from(request: AuthRequestBuilder) -> Self {
        request.builder
    }
}
