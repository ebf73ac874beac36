//! Following redirects above the engine, for [`crate::AuthClient`] and
//! [`crate::AuthMiddleware`] alike: each hop is a request of its own, so a
//! session signs it for its own target (a Digest `uri` names one target)
//! and credentials stay with the origin they were meant for.

use http::header::{AUTHORIZATION, COOKIE, LOCATION, PROXY_AUTHORIZATION};
use http::{Method, StatusCode};
use reqwest::{Request, Response};

use crate::engine::{Engine, Failure, Transport, origin_of};
use crate::error::Error;

/// How many redirects are followed by default.
pub(crate) const DEFAULT_REDIRECTS: usize = 10;

/// Sends `request` through `engine`, answering challenges, and follows at
/// most `max_redirects` redirects. Challenges are answered only for the
/// origin `request` was made to.
pub(crate) async fn follow<T: Transport>(
    engine: &Engine,
    mut request: Request,
    max_redirects: usize,
    transport: &mut T,
) -> Result<Response, Failure<T::Error>> {
    let first_origin = origin_of(request.url()).ok_or(Error::InvalidUrl)?;
    let mut hops = 0;
    loop {
        let spare = request.try_clone();
        let response = engine.execute(request, &first_origin, transport).await?;
        if hops >= max_redirects || !response.status().is_redirection() {
            return Ok(response);
        }
        let Some(next) = spare.and_then(|s| redirected(s, &response)) else {
            return Ok(response);
        };
        hops += 1;
        tracing::debug!(status = response.status().as_u16(), to = %next.url(), "following redirect");
        request = next;
    }
}

/// The request to send after a redirect, or `None` when the response is
/// not one to follow.
fn redirected(mut request: Request, response: &Response) -> Option<Request> {
    let status = response.status();
    let location = response.headers().get(LOCATION)?.to_str().ok()?;
    let url = response.url().join(location).ok()?;
    origin_of(&url)?;
    let keep_body = matches!(
        status,
        StatusCode::TEMPORARY_REDIRECT | StatusCode::PERMANENT_REDIRECT
    );
    let rewrite = match status {
        StatusCode::SEE_OTHER => *request.method() != Method::HEAD,
        StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND => *request.method() == Method::POST,
        _ => false,
    };
    let follow = keep_body
        || matches!(
            status,
            StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND | StatusCode::SEE_OTHER
        );
    if !follow {
        return None;
    }
    if rewrite {
        *request.method_mut() = Method::GET;
        *request.body_mut() = None;
        request.headers_mut().remove(http::header::CONTENT_TYPE);
        request.headers_mut().remove(http::header::CONTENT_LENGTH);
    }
    if origin_of(&url) != origin_of(request.url()) {
        // Whatever the caller or a session put there stays with the origin
        // it was meant for.
        for name in [AUTHORIZATION, PROXY_AUTHORIZATION, COOKIE] {
            request.headers_mut().remove(name);
        }
    } else {
        // A session adds fresh credentials for the new target.
        request.headers_mut().remove(AUTHORIZATION);
    }
    *request.url_mut() = url;
    Some(request)
}
