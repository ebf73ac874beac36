//! Benchmarks of Basic decoding and verification (written below).

fn main() {}
