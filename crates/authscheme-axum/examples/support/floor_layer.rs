//! The floor under any authentication layer in axum, for the `layer`
//! bench and the `layer_cost` example: [`FloorLayer`] authenticates
//! nothing. It looks the `Authorization` field up, as every layer must,
//! and, when told to, puts a fixed identity into the request's extensions,
//! as every layer that hands the handler an identity must. What a real
//! layer costs above these rows is the price of its own work.

use std::task::{Context, Poll};

use authscheme::Authenticated;
use authscheme::registry::Principal;
use http::Request;
use http::header::AUTHORIZATION;
use tower::{Layer, Service};

/// See the module's documentation.
#[derive(Clone)]
pub(crate) struct FloorLayer {
    /// Cloned into the extensions of each request that has an
    /// `Authorization` field, when set.
    identity: Option<Authenticated<Principal>>,
}

impl FloorLayer {
    /// Looks the field up and does nothing else.
    pub(crate) fn lookup_only() -> Self {
        Self { identity: None }
    }

    /// Looks the field up and hands on `identity` (a clone per request,
    /// as a cache of verified credentials hands out).
    pub(crate) fn inserting(identity: Authenticated<Principal>) -> Self {
        Self {
            identity: Some(identity),
        }
    }
}

impl<S> Layer<S> for FloorLayer {
    type Service = Floor<S>;

    fn layer(&self, inner: S) -> Floor<S> {
        Floor {
            inner,
            identity: self.identity.clone(),
        }
    }
}

/// The service [`FloorLayer`] builds.
#[derive(Clone)]
pub(crate) struct Floor<S> {
    inner: S,
    identity: Option<Authenticated<Principal>>,
}

impl<S: Service<Request<B>>, B> Service<Request<B>> for Floor<S> {
    type Response = S::Response;
    type Error = S::Error;
    // The service's own future: no wrapper of ours at all.
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), S::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut request: Request<B>) -> S::Future {
        if request.headers().get(AUTHORIZATION).is_some()
            && let Some(identity) = &self.identity
        {
            request.extensions_mut().insert(identity.clone());
        }
        self.inner.call(request)
    }
}
