//! Buffering the request body for Digest `auth-int`, without taking it away
//! from the handler.

use actix_web::HttpMessage;
use actix_web::dev::{Payload, ServiceRequest};
use actix_web::error::PayloadError;
use actix_web::http::header::CONTENT_LENGTH;
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use futures_util::stream::{self, LocalBoxStream};

/// The payload stream type actix-web boxes (`BoxedPayloadStream`).
type Boxed = LocalBoxStream<'static, Result<Bytes, PayloadError>>;

/// Reads the whole payload if it fits in `limit` bytes and puts an identical
/// copy back for the handler. Returns `None` (and leaves the handler a payload
/// with the same bytes) when it does not fit or fails to read: then no body is
/// given to the schemes, so auth-int is neither offered nor verifiable. A
/// `limit` of 0 reads nothing and returns `None`, as no limit does.
pub(crate) async fn buffer_within(req: &mut ServiceRequest, limit: usize) -> Option<Bytes> {
    if limit == 0 || declared_length(req).is_some_and(|len| len > limit as u64) {
        // No buffering, or announced as too large: do not touch the
        // payload at all.
        return None;
    }
    let mut payload = req.take_payload();
    let mut buf = BytesMut::new();
    while let Some(next) = payload.next().await {
        match next {
            Ok(chunk) if buf.len() + chunk.len() <= limit => buf.extend_from_slice(&chunk),
            // Over the limit (no or a false Content-Length) or a read error:
            // replay what was read, then the unread remainder or the error.
            Ok(chunk) => {
                let read = stream::iter([Ok(buf.freeze()), Ok(chunk)]);
                req.set_payload(Payload::from(Box::pin(read.chain(payload)) as Boxed));
                return None;
            }
            Err(e) => {
                let read = stream::iter([Ok(buf.freeze()), Err(e)]);
                req.set_payload(Payload::from(Box::pin(read) as Boxed));
                return None;
            }
        }
    }
    let body = buf.freeze();
    req.set_payload(Payload::from(body.clone()));
    Some(body)
}

/// How much of a refused request's payload [`drain`] reads at most.
pub(crate) const DRAIN_LIMIT: u64 = 16 * 1024 * 1024;

/// Reads and drops the payload of a request refused before it was read,
/// up to [`DRAIN_LIMIT`], so that the connection can serve the next
/// request: actix-web closes one whose payload was left unread (RFC 9112
/// section 9.6). Not after `Expect: 100-continue`: reading would ask the
/// client for the body it is waiting to send.
pub(crate) async fn drain(req: &mut ServiceRequest) {
    let expects_continue = req
        .headers()
        .get(actix_web::http::header::EXPECT)
        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"100-continue"));
    if expects_continue || declared_length(req).is_some_and(|len| len > DRAIN_LIMIT) {
        return;
    }
    let mut payload = req.take_payload();
    let mut read = 0u64;
    while let Some(Ok(chunk)) = payload.next().await {
        read = read.saturating_add(chunk.len() as u64);
        if read > DRAIN_LIMIT {
            return;
        }
    }
}

fn declared_length(req: &ServiceRequest) -> Option<u64> {
    req.headers()
        .get(CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()
}
