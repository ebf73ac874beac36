//! Digest `Authorization` values: reading the parameters a server verifies
//! never panics, whatever the octets.
#![no_main]

use authscheme_digest::DigestResponse;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = DigestResponse::parse_with(data, |r| (r.realm.len(), r.uri.len(), r.response.len()));
});
