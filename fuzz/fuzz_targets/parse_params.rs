//! Authentication-Info parameter lists: never panic, and round-trip.
#![no_main]

use authscheme::syntax::{parse_params, write_params};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = parse_params(data) else { return };
    let owned = parsed.into_owned();
    let mut out = Vec::new();
    write_params(&owned, &mut out);
    let again = parse_params(&out).expect("written params parse").into_owned();
    assert_eq!(again, owned);
});
