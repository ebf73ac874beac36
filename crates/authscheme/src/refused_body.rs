//! What an adapter does with the body of a request it refuses before
//! reading it, the same in every adapter.
//!
//! A server closes a connection whose request body it left unread; a
//! client still sending then gets a reset, which can destroy the refusal
//! before the client reads it (RFC 9112 section 9.6), and a kept-alive
//! connection dies under the next request. So an adapter reads and drops
//! the body first, within [`LIMIT`] and [`TIMEOUT`], and answers; past
//! either (or after `Expect: 100-continue`, when reading would ask the
//! client for the body it is holding back) it answers at once and says
//! `Connection: close`.
//!
//! # Examples
//!
//! ```
//! use authscheme::refused_body;
//! assert!(refused_body::may_drain(None, Some(1024)));
//! assert!(!refused_body::may_drain(Some(b"100-continue"), Some(1024)));
//! assert!(!refused_body::may_drain(None, Some(refused_body::LIMIT + 1)));
//! ```

use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::Poll;
use std::time::Duration;

use futures_core::Stream;

/// The most octets of a refused request's body that are read and dropped.
///
/// # Examples
///
/// ```
/// assert_eq!(authscheme::refused_body::LIMIT, 16 * 1024 * 1024);
/// ```
pub const LIMIT: u64 = 16 * 1024 * 1024;

/// The longest a refusal waits for the body it reads and drops: a client
/// that sends it slower (or not at all) holds no connection longer, and
/// gets the refusal with `Connection: close`.
///
/// # Examples
///
/// ```
/// assert_eq!(authscheme::refused_body::TIMEOUT.as_secs(), 5);
/// ```
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// Whether a refused request's body may be read and dropped, given its
/// `Expect` field value and its declared `Content-Length`: not after
/// `Expect: 100-continue`, and not when it is announced past [`LIMIT`].
///
/// # Examples
///
/// ```
/// use authscheme::refused_body::may_drain;
/// assert!(may_drain(None, None), "chunked: read up to the limit");
/// assert!(!may_drain(Some(b"100-Continue"), None));
/// ```
pub fn may_drain(expect: Option<&[u8]>, declared_length: Option<u64>) -> bool {
    let expects_continue =
        expect.is_some_and(|v| v.trim_ascii().eq_ignore_ascii_case(b"100-continue"));
    !expects_continue && declared_length.is_none_or(|n| n <= LIMIT)
}

/// Reads a refused request's body to its end, dropping every chunk, within
/// [`LIMIT`] octets and [`TIMEOUT`], and tells whether it got there (the
/// connection can then serve the next request). `chunk_lengths` is the
/// body as the length of each chunk; an error ends it unread. Call it only
/// where [`may_drain`] says so.
///
/// # Examples
///
/// ```
/// use authscheme::refused_body::drain;
/// use futures_util::stream;
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// assert!(drain(stream::iter([Ok::<usize, ()>(10), Ok(20)])).await);
/// assert!(!drain(stream::iter([Ok(10), Err(())])).await, "a read error");
/// let too_much = stream::iter([Ok::<usize, ()>(usize::MAX)]);
/// assert!(!drain(too_much).await);
/// # });
/// ```
pub async fn drain<S, E>(chunk_lengths: S) -> bool
where
    S: Stream<Item = Result<usize, E>>,
{
    let read_to_end = async {
        let mut chunks = pin!(chunk_lengths);
        let mut read = 0u64;
        while let Some(chunk) = poll_fn(|cx| chunks.as_mut().poll_next(cx)).await {
            let Ok(len) = chunk else {
                return false;
            };
            read = read.saturating_add(len as u64);
            if read > LIMIT {
                return false;
            }
        }
        true
    };
    let mut read_to_end = pin!(read_to_end);
    let mut deadline = futures_timer::Delay::new(TIMEOUT);
    poll_fn(|cx| {
        if let Poll::Ready(done) = read_to_end.as_mut().poll(cx) {
            return Poll::Ready(done);
        }
        match std::pin::Pin::new(&mut deadline).poll(cx) {
            Poll::Ready(()) => Poll::Ready(false),
            Poll::Pending => Poll::Pending,
        }
    })
    .await
}
