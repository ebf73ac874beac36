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
    /// keeps what was read and the rest of the stream for the handler. A
    /// `limit` of 0 reads nothing, so not even an empty body is complete.
    pub(crate) async fn read_within<S, B>(body: S, limit: usize, declared: Option<u64>) -> Self
    where
        S: Stream<Item = Result<B, warp::Error>> + Send + 'static,
        B: Buf,
    {
        if limit == 0 || declared.is_some_and(|len| len > limit as u64) {
            // No buffering, or announced as too large: leave it all to the
            // handler.
            return Self::unread(body);
        }
        let mut body = chunks_of(body);
        let mut read = BytesMut::new();
        // A client that announces a body and stalls holds the connection
        // no longer than this; what was read goes on to the handler
        // before the rest, and the schemes get no body.
        let mut deadline = authscheme::request_body::Deadline::start();
        loop {
            let Some(next) = deadline.run(body.next()).await else {
                return Self::partial(read, body);
            };
            let Some(next) = next else {
                break;
            };
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

    /// The body left whole to the handler: the schemes see none of it.
    pub(crate) fn unread<S, B>(body: S) -> Self
    where
        S: Stream<Item = Result<B, warp::Error>> + Send + 'static,
        B: Buf,
    {
        Self::partial(BytesMut::new(), chunks_of(body))
    }

    fn partial(read: BytesMut, rest: BoxStream<'static, Result<Bytes, BodyError>>) -> Self {
        Self {
            read: read.freeze(),
            rest: Some(rest),
        }
    }

    /// The whole body, if it was read within the limit (then the schemes saw
    /// it too).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::registry::Principal;
    /// use authscheme_warp::authenticate_optional_with_body;
    /// # use authscheme::*;
    /// # struct Fixed;
    /// # #[async_trait]
    /// # impl AuthScheme<Principal> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { SchemeName::BEARER }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<Principal> {
    /// #         match c.token68() {
    /// #             Some(t) if ct_eq(t.as_bytes(), b"t0ken") => Verdict::Authenticated(
    /// #                 Authenticated::new(Principal::new("alice"), self.name())
    /// #                     .with_info(http::HeaderValue::from_static(r#"nextnonce="n2""#)),
    /// #             ),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # let auth = Authenticator::<Principal>::new().with(Fixed);
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    ///
    /// let filter = authenticate_optional_with_body(auth, 8);
    /// let (_, body) = warp::test::request().body("tiny").filter(&filter).await.unwrap();
    /// assert_eq!(body.complete().unwrap(), "tiny");
    /// let (_, body) = warp::test::request().body("longer than eight").filter(&filter).await.unwrap();
    /// assert!(body.complete().is_none());
    /// # });
    /// ```
    pub fn complete(&self) -> Option<&Bytes> {
        self.rest.is_none().then_some(&self.read)
    }

    /// The whole body, reading whatever is left.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::registry::Principal;
    /// use authscheme_warp::authenticate_optional_with_body;
    /// # use authscheme::*;
    /// # struct Fixed;
    /// # #[async_trait]
    /// # impl AuthScheme<Principal> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { SchemeName::BEARER }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<Principal> {
    /// #         match c.token68() {
    /// #             Some(t) if ct_eq(t.as_bytes(), b"t0ken") => Verdict::Authenticated(
    /// #                 Authenticated::new(Principal::new("alice"), self.name())
    /// #                     .with_info(http::HeaderValue::from_static(r#"nextnonce="n2""#)),
    /// #             ),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # let auth = Authenticator::<Principal>::new().with(Fixed);
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    ///
    /// let filter = authenticate_optional_with_body(auth, 8);
    /// let (_, body) = warp::test::request().body("longer than eight").filter(&filter).await.unwrap();
    /// assert_eq!(body.bytes().await.unwrap(), "longer than eight");
    /// # });
    /// ```
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

    /// Reads and drops what is left of the body of a refused request, as
    /// [`authscheme::request_body`] says (within its limits, not after
    /// `Expect: 100-continue`), and tells whether it reached the end: hyper
    /// closes a connection whose request body was left unread, without
    /// saying so, and a client still sending may then lose the refusal to
    /// a reset (RFC 9112 section 9.6).
    pub(crate) async fn drain(&mut self, headers: &http::HeaderMap) -> bool {
        let Some(rest) = self.rest.take() else {
            return true;
        };
        authscheme::request_body::may_drain(headers)
            && authscheme::request_body::drain(rest.map_ok(|chunk| chunk.len())).await
    }

    /// The body as a stream of chunks: what was read, then the rest.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme::registry::Principal;
    /// use authscheme_warp::authenticate_optional_with_body;
    /// use futures_util::TryStreamExt;
    /// # use authscheme::*;
    /// # struct Fixed;
    /// # #[async_trait]
    /// # impl AuthScheme<Principal> for Fixed {
    /// #     fn name(&self) -> SchemeName<'static> { SchemeName::BEARER }
    /// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
    /// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<Principal> {
    /// #         match c.token68() {
    /// #             Some(t) if ct_eq(t.as_bytes(), b"t0ken") => Verdict::Authenticated(
    /// #                 Authenticated::new(Principal::new("alice"), self.name())
    /// #                     .with_info(http::HeaderValue::from_static(r#"nextnonce="n2""#)),
    /// #             ),
    /// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
    /// #         }
    /// #     }
    /// # }
    /// # let auth = Authenticator::<Principal>::new().with(Fixed);
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    ///
    /// let filter = authenticate_optional_with_body(auth, 8);
    /// let (_, body) = warp::test::request().body("longer than eight").filter(&filter).await.unwrap();
    /// let chunks: Vec<bytes::Bytes> = body.into_stream().try_collect().await.unwrap();
    /// assert_eq!(chunks.concat(), b"longer than eight");
    /// # });
    /// ```
    pub fn into_stream(self) -> impl Stream<Item = Result<Bytes, BodyError>> + Send + 'static {
        let first = (!self.read.is_empty()).then_some(Ok(self.read));
        stream::iter(first).chain(stream::iter(self.rest).flatten())
    }
}

/// warp's body stream as owned chunks, boxed: the shape a [`RequestBody`]
/// keeps the unread rest in.
fn chunks_of<S, B>(body: S) -> BoxStream<'static, Result<Bytes, BodyError>>
where
    S: Stream<Item = Result<B, warp::Error>> + Send + 'static,
    B: Buf,
{
    body.map_ok(|mut buf| buf.copy_to_bytes(buf.remaining()))
        .map_err(BodyError::new)
        .boxed()
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
/// Reading the request body failed (the connection broke, or the body was
/// malformed on the wire).
///
/// # Examples
///
/// ```
/// use authscheme::registry::Principal;
/// use authscheme_warp::{BodyError, RequestBody, authenticate_optional_with_body};
/// use tokio::io::AsyncWriteExt;
/// use warp::Filter;
/// # use authscheme::*;
/// # struct Fixed;
/// # #[async_trait]
/// # impl AuthScheme<Principal> for Fixed {
/// #     fn name(&self) -> SchemeName<'static> { SchemeName::BEARER }
/// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
/// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<Principal> {
/// #         match c.token68() {
/// #             Some(t) if ct_eq(t.as_bytes(), b"t0ken") => Verdict::Authenticated(
/// #                 Authenticated::new(Principal::new("alice"), self.name())
/// #                     .with_info(http::HeaderValue::from_static(r#"nextnonce="n2""#)),
/// #             ),
/// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
/// #         }
/// #     }
/// # }
/// # let auth = Authenticator::<Principal>::new().with(Fixed);
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
///
/// let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
/// let upload = authenticate_optional_with_body(auth, 16).then(move |_, body: RequestBody| {
///     let tx = tx.clone();
///     async move {
///         let read: Result<_, BodyError> = body.bytes().await;
///         let _ = tx.send(read.map(|bytes| bytes.len()));
///         "done"
///     }
/// });
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
/// let addr = listener.local_addr().unwrap();
/// tokio::spawn(warp::serve(upload).incoming(listener).run());
///
/// // The client announces 100 bytes, sends 10 and stops.
/// let mut client = tokio::net::TcpStream::connect(addr).await.unwrap();
/// client.write_all(b"POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n0123456789").await.unwrap();
/// client.shutdown().await.unwrap();
/// let read = tokio::time::timeout(std::time::Duration::from_secs(5), rx.recv()).await.unwrap().unwrap();
/// assert_eq!(read.unwrap_err().to_string(), "reading the request body failed");
/// # });
/// ```
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
