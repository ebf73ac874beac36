//! Reading the request body up to the configured limit, so Digest
//! `auth-int` can hash it, without losing a byte for the handler.

use std::pin::Pin;
use std::task::{Context, Poll};

use authscheme::request_body;
use bytes::{Buf, Bytes, BytesMut};
use futures_core::Stream;
use http::HeaderMap;
use http_body::Body;
use http_body_util::BodyExt;

use crate::body::{ReplayBody, RequestBody};

/// Reads `body` when it fits in `limit` bytes. Returns the body to hand on
/// (untouched when nothing was read) and, when it was read completely
/// within the limit, its bytes for the schemes. A `limit` of 0 reads
/// nothing.
///
/// A declared `Content-Length` above the limit is trusted and nothing is
/// read, nor after `Expect: 100-continue` without credentials
/// ([`request_body::may_read_before_deciding`]); otherwise (chunked)
/// reading stops at the first chunk that crosses the limit, or when
/// [`request_body::READ_TIMEOUT`] has passed, and the bytes read so far
/// are replayed before the rest.
pub(crate) async fn buffer_body<B>(body: B, headers: &HeaderMap, limit: usize) -> (B, Option<Bytes>)
where
    B: ReplayBody,
{
    if limit == 0
        || request_body::declared_length(headers).is_some_and(|n| n > limit as u64)
        || !request_body::may_read_before_deciding(headers)
    {
        return (body, None);
    }
    if body.size_hint().lower() > limit as u64 {
        return (body, None);
    }
    if body.is_end_stream() {
        // Nothing to read, so nothing to replay: the body goes on as is.
        return (body, Some(Bytes::new()));
    }
    let mut body = Box::pin(body);
    let mut collected = Collected::default();
    // A client that announces a body and stalls holds the connection no
    // longer than this; what was read goes on to the handler before the
    // rest, and the schemes get no body.
    let mut deadline = request_body::Deadline::start();
    loop {
        let Some(frame) = deadline.run(body.as_mut().frame()).await else {
            let prefix = collected.data.into_bytes();
            return (B::replay(RequestBody::chained(prefix, None, body)), None);
        };
        match frame {
            None => {
                let data = collected.data.into_bytes();
                let replay = RequestBody::buffered(data.clone(), collected.trailers);
                return (B::replay(replay), Some(data));
            }
            Some(Ok(frame)) => match frame.into_data() {
                Ok(data) => {
                    collected.data.push(data);
                    if collected.data.len() > limit {
                        let prefix = collected.data.into_bytes();
                        return (B::replay(RequestBody::chained(prefix, None, body)), None);
                    }
                }
                Err(frame) => {
                    if let Ok(trailers) = frame.into_trailers() {
                        collected.trailers = Some(trailers);
                    }
                }
            },
            Some(Err(error)) => {
                // Let the handler see the failure where it would have
                // seen it; the schemes get no body.
                let prefix = collected.data.into_bytes();
                let replay = RequestBody::chained(prefix, Some(error), body);
                return (B::replay(replay), None);
            }
        }
    }
}

/// Reads and drops what is left of the body of a request refused before it
/// was read, as [`authscheme::request_body`] says (within its limits, not
/// after `Expect: 100-continue`), and tells whether it reached the end:
/// then the connection can serve the next request.
pub(crate) async fn drain<B: Body>(body: B, headers: &HeaderMap) -> bool {
    if !request_body::may_drain(headers) {
        return false;
    }
    request_body::drain(ChunkLengths(Box::pin(body))).await
}

/// A body as the lengths of its data frames (trailers count as 0).
struct ChunkLengths<B>(Pin<Box<B>>);

impl<B: Body> Stream for ChunkLengths<B> {
    type Item = Result<usize, B::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0
            .as_mut()
            .poll_frame(cx)
            .map(|frame| frame.map(|frame| frame.map(|f| f.data_ref().map_or(0, Buf::remaining))))
    }
}

#[derive(Default)]
struct Collected {
    data: Chunks,
    trailers: Option<HeaderMap>,
}

/// Data read so far; a body that arrives in one chunk is kept without a copy.
#[derive(Default)]
enum Chunks {
    #[default]
    Empty,
    One(Bytes),
    Many(BytesMut),
}

impl Chunks {
    fn push(&mut self, data: Bytes) {
        *self = match std::mem::take(self) {
            Chunks::Empty => Chunks::One(data),
            Chunks::One(first) => {
                let mut all = BytesMut::with_capacity(first.len() + data.len());
                all.extend_from_slice(&first);
                all.extend_from_slice(&data);
                Chunks::Many(all)
            }
            Chunks::Many(mut all) => {
                all.extend_from_slice(&data);
                Chunks::Many(all)
            }
        };
    }

    fn len(&self) -> usize {
        match self {
            Chunks::Empty => 0,
            Chunks::One(b) => b.len(),
            Chunks::Many(b) => b.len(),
        }
    }

    fn into_bytes(self) -> Bytes {
        match self {
            Chunks::Empty => Bytes::new(),
            Chunks::One(b) => b,
            Chunks::Many(b) => b.freeze(),
        }
    }
}
