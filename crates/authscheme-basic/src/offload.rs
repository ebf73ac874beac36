//! Verifying a password the same way for every user-id, and running slow
//! hash verifications off the async executor.
//!
//! bcrypt at cost 12 takes a quarter of a second of CPU; run inline, it
//! would stall every other request on the same executor thread. With the
//! `tokio` feature (on by default) and inside a Tokio runtime, slow formats
//! are verified on Tokio's blocking thread pool; elsewhere they run inline.
//! Known and unknown users take the same path, so the timing stays equal.

use std::hint::black_box;
use std::sync::Arc;

use crate::hash::{HashFormat, PasswordHash};

/// Verifies `password` for a user whose stored hash is `user` (`None` for a
/// user-id the store does not know), where `dummy` is a hash of the most
/// expensive format and cost in the store.
///
/// Every failure costs at least one verification against `dummy`:
///
/// - an unknown user is verified against `dummy` alone;
/// - a known user is verified against their own hash; when it does not
///   match and that hash is of another format or cost than `dummy` (so a
///   cheaper one), the password is verified against `dummy` too, and that
///   result discarded.
///
/// So in a store mixing formats, an unknown user and every known user's
/// wrong password cost between one and two `dummy` verifications, whatever
/// the user's own format; in a store of one format and cost, exactly one
/// (no second verification). A correct password is not padded: whoever
/// sends it knows the user exists.
pub(crate) async fn verify_user(
    user: Option<&Arc<PasswordHash>>,
    dummy: &Arc<PasswordHash>,
    password: &str,
) -> bool {
    match user {
        Some(hash) => {
            let ok = verify(hash, password).await;
            if !ok && needs_padding(hash, dummy) {
                black_box(verify(dummy, password).await);
            }
            ok
        }
        None => {
            black_box(verify(dummy, password).await);
            false
        }
    }
}

/// Whether a wrong password for `hash` must also be verified against
/// `dummy`: whenever the two differ in format or cost (the dummy being the
/// most expensive class of the store, `hash` is then the cheaper one).
pub(crate) fn needs_padding(hash: &PasswordHash, dummy: &PasswordHash) -> bool {
    hash.class() != dummy.class()
}

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
