//! HTTP authentication, RFC 9110 section 11: challenges, credentials, the
//! [`AuthScheme`] traits and multi-scheme dispatch, for servers and clients.
//!
//! This is the core of the `authscheme` workspace. It knows no web framework
//! and no particular scheme: Basic, Digest and Bearer live in their own
//! crates (`authscheme-basic`, `authscheme-digest`, `authscheme-bearer`), and
//! the adapters for axum, actix-web and warp render what this crate decides.
//!
//! # Structure
//!
//! - **Model**: [`Challenge`], [`Credentials`], [`SchemeName`], [`Param`] and
//!   [`Params`]; typed header fields in [`header`].
//! - **Server**: a scheme implements [`AuthScheme`] and returns a
//!   [`Verdict`]; an [`Authenticator`] holds an ordered set of schemes and
//!   returns an [`Outcome`]: the identity, or a [`Denial`] with the status and
//!   every challenge. Outcomes are data; adapters render them.
//! - **Client**: a scheme implements [`ClientScheme`]; [`choose`] picks the
//!   strongest offered challenge; a [`ClientSession`] answers each request.
//! - **Registry**: scheme crates register themselves in [`registry`] at link
//!   time, so a program can list and build the schemes it linked.
//!   [`Principal`], the identity the ready-made Basic stores and Bearer
//!   validators return, lives there and is re-exported here.
//! - **Syntax**: the one parser and writer of the grammar, in [`syntax`],
//!   for scheme implementers.
//!
//! # Examples
//!
//! ```
//! use authscheme::syntax::parse_challenges;
//! let offered = parse_challenges(br#"Basic realm="Dev zone", Bearer"#).unwrap();
//! assert_eq!(offered[0].realm(), Some("Dev zone"));
//! assert!(offered[1].scheme().is("bearer"));
//! ```
//!
//! # Features
//!
//! | feature   | what it adds |
//! |-----------|--------------|
//! | `headers` | `headers::Header` for the types in [`header`] |

mod auth_value;
mod authenticator;
mod client;
mod error;
pub mod header;
mod param;
mod param_list;
pub mod registry;
mod request;
pub mod request_body;
mod role;
mod scheme_name;
mod secret;
mod server;
pub mod syntax;

pub use async_trait::async_trait;
pub use auth_value::{Challenge, ChallengeBuilder, Credentials, CredentialsBuilder};
pub use authenticator::{AuthenticatedOutcome, Authenticator, Denial, Outcome};
pub use client::{
    ClientCredentials, ClientError, ClientRequest, ClientScheme, ClientSession, Rechallenge,
    TokenRefresh, choose,
};
pub use error::{InvalidValue, ParseError, ParseErrorKind};
pub use param::{IntoParamValue, Param, ParamRef};
pub use param_list::{Params, ParamsIter};
pub use registry::Principal;
pub use request::{AuthRequest, HeaderSource};
pub use role::{AUTHENTICATION_INFO, PROXY_AUTHENTICATION_INFO, Role};
pub use scheme_name::SchemeName;
pub use secret::{FingerprintHash, FingerprintMap, Secret, SecretHasher, ct_eq};
pub use server::{AuthScheme, AuthSchemeExt, Authenticated, MapIdentity, Rejection, Verdict};

#[doc(hidden)]
pub use inventory;
