//! `authscheme token`: prints a signed development JWT.
//!
//! The token is the last line on stdout, so scripts can take it with
//! `tail -n1`; errors go to stderr with exit status 1 (2 for usage).

use std::path::PathBuf;
use std::process::ExitCode;
use std::str::FromStr;
use std::time::Duration;

use authscheme_bearer::jwt::{Algorithm, SigningKey, TokenMint};

/// Arguments of `authscheme token`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("signing-key").required(true).args(["secret", "key"])))]
pub(crate) struct TokenArgs {
    /// Signature algorithm: HS256/384/512, RS256/384/512, PS256/384/512,
    /// ES256/384 or EdDSA.
    #[arg(long, default_value = "HS256")]
    alg: String,
    /// HMAC secret (for HS*).
    #[arg(long)]
    secret: Option<String>,
    /// Private key in PEM (for RS*, PS*, ES*, EdDSA).
    #[arg(long, value_name = "PEM")]
    key: Option<PathBuf>,
    /// The `kid` header parameter.
    #[arg(long)]
    kid: Option<String>,
    /// The subject (`sub`).
    #[arg(long)]
    sub: String,
    /// Space-separated scopes (`scope`).
    #[arg(long)]
    scope: Option<String>,
    /// The audience (`aud`).
    #[arg(long)]
    aud: Option<String>,
    /// The issuer (`iss`).
    #[arg(long)]
    iss: Option<String>,
    /// Lifetime in seconds (`exp` = now + SECONDS).
    #[arg(long, value_name = "SECONDS", default_value_t = 3600)]
    exp: u64,
}

pub(crate) fn run(args: TokenArgs) -> ExitCode {
    let Ok(alg) = Algorithm::from_str(&args.alg) else {
        eprintln!("authscheme token: unknown algorithm {:?}", args.alg);
        return ExitCode::from(2);
    };
    if args.sub.is_empty() {
        eprintln!("authscheme token: --sub must name someone");
        return ExitCode::from(2);
    }
    let key = match signing_key(alg, &args) {
        Ok(key) => key,
        Err(message) => {
            eprintln!("authscheme token: {message}");
            return ExitCode::from(1);
        }
    };
    let mut mint = TokenMint::new(args.sub).lifetime(Duration::from_secs(args.exp));
    if let Some(scope) = args.scope {
        mint = mint.scope(scope);
    }
    if let Some(aud) = args.aud {
        mint = mint.audience(aud);
    }
    if let Some(iss) = args.iss {
        mint = mint.issuer(iss);
    }
    if let Some(kid) = args.kid {
        mint = mint.kid(kid);
    }
    match mint.sign(alg, &key) {
        Ok(token) => crate::output::print("token", format!("{token}\n"), ExitCode::SUCCESS),
        Err(e) => {
            eprintln!("authscheme token: {e}");
            ExitCode::from(1)
        }
    }
}

/// The key for `alg`: a secret for HMAC, a PEM file otherwise.
fn signing_key(alg: Algorithm, args: &TokenArgs) -> Result<SigningKey, String> {
    let hmac = matches!(alg, Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512);
    match (&args.secret, &args.key) {
        // Anyone can sign with an empty key: no token signed so is worth
        // anything.
        (Some(secret), None) if hmac && secret.is_empty() => {
            Err("an empty --secret would let anyone sign".into())
        }
        (Some(secret), None) if hmac => Ok(SigningKey::secret(secret.as_bytes())),
        (None, Some(path)) if !hmac => {
            let pem =
                std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            SigningKey::private_pem(alg, &pem).map_err(|e| e.to_string())
        }
        (Some(_), _) => Err(format!("{alg:?} signs with --key PEM, not --secret")),
        _ => Err(format!("{alg:?} signs with --secret, not --key")),
    }
}
