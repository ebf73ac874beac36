//! Credentials: never panic, and round-trip through the writer.
#![no_main]

use authscheme::syntax::parse_credentials;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = parse_credentials(data) else { return };
    let owned = parsed.into_owned();
    let bytes = owned.to_bytes();
    let again = parse_credentials(&bytes).expect("written credentials parse").into_owned();
    assert_eq!(again, owned);
});
