//! Challenge lists: never panic, and whatever parses writes back to a value
//! that parses to the same challenges.
#![no_main]

use authscheme::syntax::{parse_challenge_lines, parse_challenges, write_challenges};
use authscheme::Challenge;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(parsed) = parse_challenges(data) else { return };
    let owned: Vec<Challenge<'static>> = parsed.into_iter().map(Challenge::into_owned).collect();
    let mut joined = Vec::new();
    write_challenges(&owned, &mut joined);
    let again: Vec<Challenge<'static>> = parse_challenges(&joined)
        .expect("written challenges parse")
        .into_iter()
        .map(Challenge::into_owned)
        .collect();
    assert_eq!(again, owned);
    let lines: Vec<Vec<u8>> = owned.iter().map(Challenge::to_bytes).collect();
    let per_line: Vec<Challenge<'static>> = parse_challenge_lines(lines.iter().map(Vec::as_slice))
        .expect("one line per challenge parses")
        .into_iter()
        .map(Challenge::into_owned)
        .collect();
    assert_eq!(per_line, owned);
});
