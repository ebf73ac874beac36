//! A scheme defined outside the workspace's crates, `ApiKey`, registered
//! through the registry and used by both a server and a client.
//!
//! `cargo run -p authscheme-examples --example custom_scheme` serves on a
//! free port, then calls itself: 401 with the `ApiKey` challenge, the
//! client picks the challenge through the registry and answers, 200.

use authscheme::registry::{self, SchemeRegistration};
use authscheme::{
    AuthRequest, AuthScheme, Authenticated, Authenticator, Challenge, ClientCredentials,
    ClientError, ClientRequest, ClientScheme, ClientSession, Credentials, Rejection, SchemeName,
    Secret, Verdict, async_trait, ct_eq,
};
use authscheme_axum::{Auth, RequireAuthLayer};
use axum::Router;
use axum::routing::get;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn api_key() -> SchemeName<'static> {
    SchemeName::new("ApiKey").expect("ApiKey is a token")
}

/// Server side: `Authorization: ApiKey <token68>`.
struct ApiKeyScheme {
    key: Secret,
}

#[async_trait]
impl AuthScheme<String> for ApiKeyScheme {
    fn name(&self) -> SchemeName<'static> {
        api_key()
    }

    fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
        if let Ok(c) = Challenge::builder(api_key())
            .param("realm", "robots")
            .build()
        {
            out.push(c);
        }
    }

    async fn authenticate(
        &self,
        _: &AuthRequest<'_>,
        credentials: &Credentials<'_>,
    ) -> Verdict<String> {
        match credentials.token68() {
            Some(key) if ct_eq(key.as_bytes(), self.key.expose().as_bytes()) => {
                Verdict::Authenticated(Authenticated::new("robot".to_owned(), api_key()))
            }
            _ => Verdict::Rejected(Rejection::unauthorized("unknown API key")),
        }
    }
}

/// Client side.
struct ApiKeyClient;

#[derive(Debug)]
struct ApiKeySession(Secret);

impl ClientScheme for ApiKeyClient {
    fn name(&self) -> SchemeName<'static> {
        api_key()
    }
    fn rank(&self, _: &Challenge<'_>, credentials: &ClientCredentials) -> Option<u32> {
        credentials.token_secret().map(|_| 150)
    }
    fn start(
        &self,
        _: &Challenge<'_>,
        credentials: &ClientCredentials,
    ) -> Result<Box<dyn ClientSession>, ClientError> {
        let key = credentials
            .token_secret()
            .ok_or(ClientError::MissingCredentials("an API key"))?;
        Ok(Box::new(ApiKeySession(key.clone())))
    }
}

impl ClientSession for ApiKeySession {
    fn authorize(&mut self, _: &ClientRequest<'_>) -> Result<Credentials<'static>, ClientError> {
        Credentials::builder(api_key())
            .token68(self.0.expose().to_owned())
            .build()
            .map_err(|e| ClientError::InvalidInput(e.to_string()))
    }
}

inventory::submit! {
    SchemeRegistration::new("ApiKey", 150, Some(|| Box::new(ApiKeyClient)), None)
}

/// One HTTP/1.1 exchange: the status and the WWW-Authenticate lines.
async fn fetch(
    addr: std::net::SocketAddr,
    authorization: Option<&[u8]>,
) -> std::io::Result<(u16, Vec<String>, String)> {
    let mut stream = tokio::net::TcpStream::connect(addr).await?;
    let mut request =
        format!("GET /robots HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n").into_bytes();
    if let Some(value) = authorization {
        request.extend_from_slice(b"Authorization: ");
        request.extend_from_slice(value);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"\r\n");
    stream.write_all(&request).await?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await?;
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let challenges = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .filter(|(n, _)| n.eq_ignore_ascii_case("www-authenticate"))
        .map(|(_, v)| v.trim().to_owned())
        .collect();
    Ok((status, challenges, body.to_owned()))
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let auth = Authenticator::new().with(ApiKeyScheme {
        key: Secret::new("k3y-42"),
    });
    let app = Router::new()
        .route("/robots", get_handler())
        .route_layer(RequireAuthLayer::new(auth));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move { axum::serve(listener, app).await });

    let (status, lines, _) = fetch(addr, None).await?;
    println!("first try: {status}, challenges: {lines:?}");
    let challenges = authscheme::syntax::parse_challenge_lines(lines.iter().map(|l| l.as_bytes()))?;

    // The client knows ApiKey only through the registry.
    let linked = registry::client_schemes();
    let schemes: Vec<&dyn ClientScheme> = linked.iter().map(|s| &**s).collect();
    let creds = ClientCredentials::token("k3y-42");
    let (index, scheme) =
        authscheme::choose(&challenges, &schemes, &creds).ok_or("no usable challenge")?;
    let mut session = scheme.start(&challenges[index], &creds)?;
    let value = session.authorize(&ClientRequest::new("GET", "/robots"))?;

    let (status, _, body) = fetch(addr, Some(&value.to_bytes())).await?;
    println!("second try: {status}: {}", body.trim());
    if status != 200 {
        return Err(format!("expected 200, got {status}").into());
    }
    Ok(())
}

fn get_handler() -> axum::routing::MethodRouter {
    get(|Auth(user): Auth<String>| async move { format!("hello {user}\n") })
}
