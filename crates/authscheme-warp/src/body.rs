//! [`RequestBody`]: the request body after the schemes had their look, for
//! Digest `auth-int`.

use std::fmt;

use bytes::{Buf, Bytes, BytesMut};
use futures_util::stream::{self, BoxStream};
use futures_util::{Stream, StreamExt, TryStreamExt};

/// The request body as the handler gets it from
/// [`authenticate_with_body`](crate::authenticate_with_body): already read
/// when it fitted in the limit, otherwise the part read so far followed by
/// the unread rest. Either way, the handler sees every byte the client sent.
///
/// # Examples
///
/// ```
/// use authscheme::registry::Principal;
/// use authscheme_warp::{Auth, RequestBody};
///
/// async fn upload(user: Auth<Principal>, body: RequestBody) -> Result<String, warp::Rejection> {
///     let bytes = body.bytes().await.map_err(|_| warp::reject())?;
///     Ok(format!("{} sent {} bytes", user.name(), bytes.len()))
/// }
/// ```
pub struct RequestBody {
    read: Bytes,
    rest: Option<BoxStream<'static, Result<Bytes, BodyError>>>,
}

impl RequestBody {
    /// Reads the body up to `limit` bytes; past that (or on a read error)
    /// keeps what was read and the rest of the stream for the handler.
    pub(crate) async fn read_within<S, B>(body: S, limit: usize, declared: Option<u64>) -> Self
    where
        S: Stream<Item = Result<B, warp::Error>> + Send + 'static,
        B: Buf,
    {
        let mut body = body
            .map_ok(|mut buf| buf.copy_to_bytes(buf.remaining()))
            .map_err(BodyError::new)
            .boxed();
        if declared.is_some_and(|len| len > limit as u64) {
            // Announced as too large: leave it all to the handler.
            return Self::partial(BytesMut::new(), body);
        }
        let mut read = BytesMut::new();
        while let Some(next) = body.next().await {
            match next {
                Ok(chunk) if read.len() + chunk.len() <= limit => read.extend_from_slice(&chunk),
                Ok(chunk) => {
                    read.extend_from_slice(&chunk);
                    return Self::partial(read, body);
                }
                Err(e) => return Self::partial(read, stream::once(async { Err(e) }).boxed()),
            }
        }
        Self {
            read: read.freeze(),
            rest: None,
        }
    }

    fn partial(read: BytesMut, rest: BoxStream<'static, Result<Bytes, BodyError>>) -> Self {
        Self {
            read: read.freeze(),
            rest: Some(rest),
        }
    }

    /// The whole body, if it was read within the limit (then the schemes saw
    /// it too).
    pub fn complete(&self) -> Option<&Bytes> {
        self.rest.is_none().then_some(&self.read)
    }

    /// The whole body, reading whatever is left.
    ///
    /// # Errors
    ///
    /// [`BodyError`] when reading the rest fails.
    pub async fn bytes(self) -> Result<Bytes, BodyError> {
        let Some(mut rest) = self.rest else {
            return Ok(self.read);
        };
        let mut all = BytesMut::from(&self.read[..]);
        while let Some(chunk) = rest.next().await {
            all.extend_from_slice(&chunk?);
        }
        Ok(all.freeze())
    }

    /// The body as a stream of chunks: what was read, then the rest.
    pub fn into_stream(self) -> impl Stream<Item = Result<Bytes, BodyError>> + Send + 'static {
        let first = (!self.read.is_empty()).then_some(Ok(self.read));
        stream::iter(first).chain(stream::iter(self.rest).flatten())
    }
}

impl fmt::Debug for RequestBody {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestBody")
            .field("read", &self.read.len())
            .field("complete", &self.rest.is_none())
            .finish()
    }
}

/// Reading the request body failed (the connection broke, or the body was
/// malformed on the wire).
#[derive(Debug, thiserror::Error)]
#[error("reading the request body failed")]
pub struct BodyError {
    #[source]
    source: Box<dyn std::error::Error + Send + Sync>,
}

impl BodyError {
    fn new(e: warp::Error) -> Self {
        Self {
            source: Box::new(e),
        }
    }
}
