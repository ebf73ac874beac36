//! The floor under any authentication middleware: it authenticates
//! nothing, and returns the service's own future (no wrapper, no box).
//! Shared by `benches/middleware.rs` and `examples/middleware_cost.rs`.

use std::future::{Ready, ready};
use std::rc::Rc;

use actix_web::HttpMessage;
use actix_web::dev::{Service, ServiceRequest, ServiceResponse, Transform, forward_ready};
use actix_web::http::header::AUTHORIZATION;
use authscheme::Authenticated;
use authscheme::registry::Principal;

/// Looks the field up and, when it has one, hands on a clone of
/// `identity` in the extensions.
pub(crate) struct Floor {
    pub(crate) identity: Option<Authenticated<Principal>>,
}

impl<S, B> Transform<S, ServiceRequest> for Floor
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    type Response = ServiceResponse<B>;
    type Error = actix_web::Error;
    type Transform = FloorService<S>;
    type InitError = ();
    type Future = Ready<Result<FloorService<S>, ()>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(FloorService {
            service,
            identity: self.identity.clone().map(Rc::new),
        }))
    }
}

pub(crate) struct FloorService<S> {
    service: S,
    identity: Option<Rc<Authenticated<Principal>>>,
}

impl<S, B> Service<ServiceRequest> for FloorService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error>,
{
    type Response = ServiceResponse<B>;
    type Error = actix_web::Error;
    type Future = S::Future;

    forward_ready!(service);

    fn call(&self, request: ServiceRequest) -> S::Future {
        if request.headers().get(AUTHORIZATION).is_some()
            && let Some(identity) = &self.identity
        {
            request
                .extensions_mut()
                .insert(Authenticated::clone(identity));
        }
        self.service.call(request)
    }
}
