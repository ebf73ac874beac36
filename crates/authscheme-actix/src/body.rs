//! Buffering the request body for Digest `auth-int`, without taking it away
//! from the handler.

use actix_web::HttpMessage;
use actix_web::dev::{Payload, ServiceRequest};
use actix_web::error::PayloadError;
use authscheme::request_body;
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use futures_util::stream::{self, LocalBoxStream};

use crate::headers::ActixHeaders;

/// The payload stream type actix-web boxes (`BoxedPayloadStream`).
type Boxed = LocalBoxStream<'static, Result<Bytes, PayloadError>>;

/// Reads the whole payload if it fits in `limit` bytes and puts an identical
/// copy back for the handler. Returns `None` (and leaves the handler a payload
/// with the same bytes) when it does not fit or fails to read: then no body is
/// given to the schemes, so auth-int is neither offered nor verifiable. A
/// `limit` of 0 reads nothing and returns `None`, as no limit does.
pub(crate) async fn buffer_within(req: &mut ServiceRequest, limit: usize) -> Option<Bytes> {
    let headers = ActixHeaders(req.headers());
    if limit == 0
        || request_body::declared_length(&headers).is_some_and(|len| len > limit as u64)
        || !request_body::may_read_before_deciding(&headers)
    {
        // No buffering, announced as too large, or only a challenge can
        // follow: do not touch the payload at all.
        return None;
    }
    let mut payload = req.take_payload();
    let mut buf = BytesMut::new();
    // A client that announces a body and stalls holds the connection no
    // longer than this; what was read goes on to the handler before the
    // rest, and the schemes get no body.
    let mut deadline = request_body::Deadline::start();
    loop {
        let Some(next) = deadline.run(payload.next()).await else {
            let read = stream::iter([Ok(buf.freeze())]);
            req.set_payload(Payload::from(Box::pin(read.chain(payload)) as Boxed));
            return None;
        };
        let Some(next) = next else {
            break;
        };
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

/// Reads and drops the payload of a request refused before it was read,
/// as [`authscheme::request_body`] says (within its limits, not after
/// `Expect: 100-continue`), so that the connection can serve the next
/// request: actix-web closes one whose payload was left unread.
/// Tells whether the payload was read to its end.
pub(crate) async fn drain(req: &mut ServiceRequest) -> bool {
    if !request_body::may_drain(&ActixHeaders(req.headers())) {
        return false;
    }
    let lengths = req.take_payload().map(|chunk| chunk.map(|c| c.len()));
    request_body::drain(lengths).await
}
