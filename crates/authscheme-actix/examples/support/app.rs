//! The handler and the request that `benches/middleware.rs` and
//! `examples/middleware_cost.rs` both send through an actix-web app: a GET
//! of `/` with the given `Authorization` value, answered `ok`.

use actix_web::test;

/// The protected route's handler.
pub(crate) async fn ok() -> &'static str {
    "ok"
}

/// A GET of `/` carrying `authorization`.
pub(crate) fn request(authorization: &str) -> actix_http::Request {
    test::TestRequest::get()
        .uri("/")
        .insert_header(("authorization", authorization))
        .insert_header(("user-agent", "bench"))
        .to_request()
}
