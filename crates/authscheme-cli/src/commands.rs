//! One module per subcommand.

pub(crate) mod client;
pub(crate) mod htdigest;
pub(crate) mod htpasswd;
pub(crate) mod parse;
pub(crate) mod serve;
pub(crate) mod token;
