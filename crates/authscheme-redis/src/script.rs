//! The Lua script holding the replay window, and what its answers mean.
//!
//! One script call is one round trip: the client sends `EVALSHA`, and only
//! when Redis answers `NOSCRIPT` (first use, or after a restart emptied the
//! script cache) loads the script and tries again.

use authscheme_digest::{Seen, WINDOW};
use redis::Script;

/// The script's window is a ring of 256 bits; it must match the in-memory
/// store's so that moving between the two changes nothing for clients.
const _: () = assert!(WINDOW == 256, "window.lua holds exactly 256 counts");

/// The script source (see `window.lua` for the value layout).
pub(crate) const SOURCE: &str = include_str!("window.lua");

/// The script, with its SHA-1 computed once.
pub(crate) fn window_script() -> Script {
    Script::new(SOURCE)
}

/// Reads the script's return code.
pub(crate) fn seen_from_code(code: i64) -> Option<Seen> {
    match code {
        0 => Some(Seen::Fresh),
        1 => Some(Seen::Replayed),
        2 => Some(Seen::OutsideWindow),
        3 => Some(Seen::Forgotten),
        _ => None,
    }
}
