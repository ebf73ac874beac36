//! Running slow hash verifications off the async executor.
//!
//! bcrypt at cost 12 takes a quarter of a second of CPU; run inline, it
//! would stall every other request on the same executor thread. With the
//! `tokio` feature (on by default) and inside a Tokio runtime, slow formats
//! are verified on Tokio's blocking thread pool; elsewhere they run inline.
//! Known and unknown users take the same path, so the timing stays equal.

use std::sync::Arc;

use crate::hash::{HashFormat, PasswordHash};

/// Verifies `password` against `hash`, off the executor when that helps.
pub(crate) async fn verify(hash: &Arc<PasswordHash>, password: &str) -> bool {
    #[cfg(feature = "tokio")]
    if is_slow(hash)
        && let Ok(runtime) = tokio::runtime::Handle::try_current()
    {
        let (hash, password) = (Arc::clone(hash), password.to_owned());
        // A failed join (the blocking pool shut down) counts as a mismatch:
        // fail closed.
        return runtime
            .spawn_blocking(move || hash.verify(&password))
            .await
            .unwrap_or(false);
    }
    hash.verify(password)
}

#[cfg_attr(not(feature = "tokio"), allow(dead_code))]
fn is_slow(hash: &PasswordHash) -> bool {
    !matches!(hash.format(), HashFormat::Sha1 | HashFormat::Plaintext)
}
