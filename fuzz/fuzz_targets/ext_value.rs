//! RFC 8187 ext-values: never panic, and what decodes encodes back to the
//! same text.
#![no_main]

use authscheme::syntax::{decode_ext_value, encode_ext_value};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = decode_ext_value(data) else { return };
    let mut out = Vec::new();
    encode_ext_value(&text, &mut out);
    assert_eq!(decode_ext_value(&out).expect("encoded ext-value decodes"), text);
});
