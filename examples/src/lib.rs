//! Runnable examples for the authscheme workspace; see `examples/`.
//!
//! Run one with `cargo run -p authscheme-examples --example NAME`.
