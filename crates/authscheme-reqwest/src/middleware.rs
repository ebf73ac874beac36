//! [`AuthMiddleware`]: the same engine as a `reqwest-middleware` layer.

use std::sync::Arc;

use authscheme::ClientScheme;
use http::Extensions;
use reqwest::{Request, Response};
use reqwest_middleware::{Middleware, Next};

use crate::engine::{Engine, Failure, SendFuture, Transport, origin_of};
use crate::error::Error;
use crate::provider::CredentialProvider;
use crate::spaces::lock;

/// A `reqwest-middleware` middleware that answers `401` and `407`
/// challenges like [`crate::AuthClient`] does.
///
/// Redirects happen inside reqwest, below the middleware: a challenge that
/// comes from another origin than the request's is returned unanswered.
///
/// # Examples
///
/// ```
/// use authscheme::ClientCredentials;
/// use authscheme_reqwest::{AuthMiddleware, FixedCredentials};
/// let auth = AuthMiddleware::new(FixedCredentials::new(ClientCredentials::token("t0k3n")));
/// let client = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
///     .with(auth)
///     .build();
/// # let _ = client;
/// ```
#[derive(Debug, Clone)]
pub struct AuthMiddleware {
    engine: Arc<Engine>,
}

impl AuthMiddleware {
    /// A middleware with every linked client scheme.
    pub fn new(provider: impl CredentialProvider) -> Self {
        Self::from_engine(Arc::new(Engine::new(Box::new(provider))))
    }

    pub(crate) fn from_engine(engine: Arc<Engine>) -> Self {
        Self { engine }
    }

    /// Answers only with `schemes` instead of every linked one.
    pub fn with_schemes(self, schemes: Vec<Box<dyn ClientScheme>>) -> Self {
        self.engine.set_schemes(schemes);
        self
    }

    /// Allows Basic over plain HTTP (see
    /// [`crate::AuthClient::insecure_allow_basic_over_http`]).
    pub fn insecure_allow_basic_over_http(self, allow: bool) -> Self {
        lock(&self.engine.options).insecure_allow_basic_over_http = allow;
        self
    }

    /// Accepts a wrong `rspauth` (see
    /// [`crate::AuthClient::dangerous_skip_rspauth_check`]).
    pub fn dangerous_skip_rspauth_check(self, skip: bool) -> Self {
        lock(&self.engine.options).dangerous_skip_rspauth_check = skip;
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
        let Some(origin) = origin_of(request.url()) else {
            return Err(reqwest_middleware::Error::middleware(Error::InvalidUrl));
        };
        let mut transport = NextTransport { next, extensions };
        self.engine
            .execute(request, &origin, &mut transport)
            .await
            .map_err(|f| match f {
                Failure::Send(e) => e,
                Failure::Auth(e) => reqwest_middleware::Error::middleware(e),
            })
    }
}
