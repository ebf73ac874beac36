//! The guides in the repository's `docs/` folder, included here so that
//! `cargo test` compiles and runs every code block in them.
//!
//! Read them as Markdown in `docs/`; this crate has no code of its own.

#[doc = include_str!("../../../README.md")]
pub mod readme {}

#[doc = include_str!("../../../docs/concepts.md")]
pub mod concepts {}

#[doc = include_str!("../../../docs/client.md")]
pub mod client {}

#[doc = include_str!("../../../docs/custom-scheme.md")]
pub mod custom_scheme {}

#[doc = include_str!("../../../docs/security.md")]
pub mod security {}

#[doc = include_str!("../../../docs/fleet.md")]
pub mod fleet {}

#[doc = include_str!("../../../docs/axum.md")]
pub mod axum {}

#[doc = include_str!("../../../docs/actix.md")]
pub mod actix {}

#[doc = include_str!("../../../docs/warp.md")]
pub mod warp {}
