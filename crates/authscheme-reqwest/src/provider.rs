//! Where credentials come from: a [`CredentialProvider`] the application
//! supplies, asked once per new protection space.

use std::fmt;

use authscheme::{Challenge, ClientCredentials, Role};
use reqwest::Url;

/// What a provider is told when a server asks for credentials.
///
/// # Examples
///
/// ```
/// use authscheme_reqwest::CredentialRequest;
/// fn pick(req: &CredentialRequest<'_>) -> bool {
///     req.host() == Some("api.example") && req.realms().any(|r| r == "api")
/// }
/// ```
#[derive(Debug)]
pub struct CredentialRequest<'a> {
    role: Role,
    url: &'a Url,
    challenges: &'a [Challenge<'static>],
}

impl<'a> CredentialRequest<'a> {
    pub(crate) fn new(role: Role, url: &'a Url, challenges: &'a [Challenge<'static>]) -> Self {
        Self {
            role,
            url,
            challenges,
        }
    }

    /// [`Role::Origin`] for a 401, [`Role::Proxy`] for a 407.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The URL of the request that was refused.
    pub fn url(&self) -> &Url {
        self.url
    }

    /// The host of that URL.
    pub fn host(&self) -> Option<&str> {
        self.url.host_str()
    }

    /// Every challenge offered, in order.
    pub fn challenges(&self) -> &[Challenge<'static>] {
        self.challenges
    }

    /// The realms offered, in order (duplicates included).
    pub fn realms(&self) -> impl Iterator<Item = &str> {
        self.challenges.iter().filter_map(|c| c.realm())
    }
}

/// Supplies credentials when a server (or proxy) asks for them.
///
/// Closures `Fn(&CredentialRequest) -> Option<ClientCredentials>` implement
/// it. Return `None` to leave the 401/407 to the caller.
///
/// # Examples
///
/// ```
/// use authscheme::{ClientCredentials, Role};
/// use authscheme_reqwest::{CredentialProvider, CredentialRequest};
/// let per_host = |req: &CredentialRequest<'_>| match (req.role(), req.host()) {
///     (Role::Origin, Some("api.example")) => Some(ClientCredentials::password("alice", "wonderland")),
///     _ => None,
/// };
/// fn takes(_: impl CredentialProvider) {}
/// takes(per_host);
/// ```
pub trait CredentialProvider: Send + Sync + 'static {
    /// The credentials to answer `request` with, if any.
    fn credentials(&self, request: &CredentialRequest<'_>) -> Option<ClientCredentials>;
}

impl<F> CredentialProvider for F
where
    F: Fn(&CredentialRequest<'_>) -> Option<ClientCredentials> + Send + Sync + 'static,
{
    fn credentials(&self, request: &CredentialRequest<'_>) -> Option<ClientCredentials> {
        self(request)
    }
}

/// The same credentials for every origin (and, optionally, others for the
/// proxy).
///
/// Credentials are still only sent to the origin the request was made to,
/// never to the target of a redirect to another origin.
///
/// # Examples
///
/// ```
/// use authscheme::ClientCredentials;
/// use authscheme_reqwest::FixedCredentials;
/// let creds = FixedCredentials::new(ClientCredentials::password("alice", "wonderland"))
///     .with_proxy(ClientCredentials::password("proxyuser", "proxypass"));
/// assert!(!format!("{creds:?}").contains("wonderland"));
/// ```
#[derive(Clone, Default)]
pub struct FixedCredentials {
    origin: Option<ClientCredentials>,
    proxy: Option<ClientCredentials>,
}

impl FixedCredentials {
    /// Answers every origin server with `credentials`.
    pub fn new(credentials: ClientCredentials) -> Self {
        Self {
            origin: Some(credentials),
            proxy: None,
        }
    }

    /// No origin credentials: only a proxy is answered (see
    /// [`with_proxy`](Self::with_proxy)).
    pub fn none() -> Self {
        Self::default()
    }

    /// Answers a proxy's 407 with `credentials`.
    pub fn with_proxy(mut self, credentials: ClientCredentials) -> Self {
        self.proxy = Some(credentials);
        self
    }
}

impl fmt::Debug for FixedCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // ClientCredentials' Debug already hides the secrets.
        f.debug_struct("FixedCredentials")
            .field("origin", &self.origin)
            .field("proxy", &self.proxy)
            .finish()
    }
}

impl CredentialProvider for FixedCredentials {
    fn credentials(&self, request: &CredentialRequest<'_>) -> Option<ClientCredentials> {
        match request.role() {
            Role::Proxy => self.proxy.clone(),
            _ => self.origin.clone(),
        }
    }
}
