//! The peer's Basic check that the `middleware` bench and the actix-web
//! load server both run: actix-web-httpauth with a validator comparing a
//! fixed user-id and password, as its users write one.

use actix_web::Error;
use actix_web::dev::ServiceRequest;
use actix_web_httpauth::extractors::basic::BasicAuth;

/// Lets `alice:wonderland` through; refuses anything else with a 401.
pub(crate) async fn peer_basic(
    req: ServiceRequest,
    creds: BasicAuth,
) -> Result<ServiceRequest, (Error, ServiceRequest)> {
    if creds.user_id() == "alice" && creds.password() == Some("wonderland") {
        Ok(req)
    } else {
        Err((actix_web::error::ErrorUnauthorized("Unauthorized\n"), req))
    }
}
