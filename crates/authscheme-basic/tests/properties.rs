//! Properties: encoding round-trips, and no input makes the decoder or the
//! htpasswd parser panic.
#![allow(clippy::unwrap_used)]

use authscheme_basic::{BasicCredentials, DecodeError, PasswordHash, parse_htpasswd};
use proptest::prelude::*;

proptest! {
    #[test]
    fn encode_then_decode_round_trips(user in "[^:\\p{Cc}]{0,40}", password in "[^\\p{Cc}]{0,60}") {
        let creds = BasicCredentials::new(&user, &password).unwrap();
        let back = BasicCredentials::decode(&creds.encode()).unwrap();
        prop_assert_eq!(back.user(), user.as_str());
        prop_assert_eq!(back.password(), password.as_str());
        // And without padding.
        let unpadded = creds.encode().trim_end_matches('=').to_owned();
        prop_assert_eq!(BasicCredentials::decode(&unpadded).unwrap(), back);
    }

    #[test]
    fn decode_never_panics(token in "\\PC{0,200}") {
        let _ = BasicCredentials::decode(&token);
    }

    #[test]
    fn decoded_parts_never_hold_controls(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        use base64::Engine;
        let token = base64::engine::general_purpose::STANDARD.encode(&bytes);
        match BasicCredentials::decode(&token) {
            Ok(c) => {
                prop_assert!(!c.user().contains(':'));
                prop_assert!(!c.user().chars().chain(c.password().chars()).any(char::is_control));
            }
            Err(e) => prop_assert!(matches!(
                e,
                DecodeError::NoColon | DecodeError::ControlCharacter
            )),
        }
    }

    #[test]
    fn htpasswd_parser_never_panics(text in "\\PC{0,300}", plaintext in any::<bool>()) {
        let parsed = parse_htpasswd(&text, plaintext);
        for p in &parsed.problems {
            prop_assert!(p.line() >= 1);
        }
    }

    #[test]
    fn hash_parser_never_panics(s in "(\\$2y\\$|\\$apr1\\$|\\$5\\$|\\$6\\$|\\{SHA\\})?\\PC{0,80}") {
        if let Ok(h) = PasswordHash::parse(&s) {
            let _ = h.verify("x");
        }
    }
}
