//! Basic is in the registry: the client side answers a Basic challenge
//! chosen by `authscheme::choose`, and the server side is built from
//! configuration.
#![allow(clippy::unwrap_used)]

use authscheme::registry::{self, SchemeConfig};
use authscheme::{
    AuthRequest, Authenticator, ClientCredentials, ClientError, ClientRequest, ClientScheme,
    Outcome, choose, syntax,
};

// Link the crate so its registration is collected.
use authscheme_basic as _;

#[test]
fn registered_with_client_and_server() {
    let reg = registry::find("BASIC").unwrap();
    assert_eq!(reg.name, "Basic");
    assert_eq!(reg.strength, 100);
    assert!(reg.client.is_some() && reg.server.is_some());
}

#[test]
fn chooser_answers_a_basic_challenge() {
    let client = (registry::find("basic").unwrap().client.unwrap())();
    let schemes: [&dyn ClientScheme; 1] = [&*client];
    let offered =
        syntax::parse_challenges(br#"Newauth realm="apps", Basic realm="simple", charset="UTF-8""#)
            .unwrap();
    let creds = ClientCredentials::password("Jäsøn Doe", "Secret, or not?");
    let (index, scheme) = choose(&offered, &schemes, &creds).unwrap();
    assert_eq!(index, 1);
    let mut session = scheme.start(&offered[index], &creds).unwrap();
    let value = session.authorize(&ClientRequest::new("GET", "/")).unwrap();
    assert_eq!(
        value.to_string(),
        "Basic SsOkc8O4biBEb2U6U2VjcmV0LCBvciBub3Q/"
    );

    // No credentials: not chosen. A colon in the user-id: refused.
    assert!(choose(&offered, &schemes, &ClientCredentials::token("t")).is_none());
    let colon = ClientCredentials::password("a:b", "c");
    assert!(matches!(
        scheme.start(&offered[1], &colon),
        Err(ClientError::InvalidInput(_))
    ));
}

#[tokio::test]
async fn server_built_from_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(".htpasswd");
    std::fs::write(&path, "Aladdin:{SHA}W8r/fyL/UzygmbNAjq2HbA67qac=\n").unwrap();
    let build = registry::find("basic").unwrap().server.unwrap();
    let config = SchemeConfig::new("WallyWorld")
        .set("htpasswd", path.to_str().unwrap())
        .set("charset", "false");
    let auth = Authenticator::new().with_shared(build(&config).unwrap());

    let mut headers = http::HeaderMap::new();
    let Outcome::Denied(d) = auth
        .authenticate(&AuthRequest::new("GET", "/", &headers))
        .await
    else {
        panic!("no credentials, no access");
    };
    assert_eq!(d.challenges()[0].to_string(), r#"Basic realm="WallyWorld""#);

    headers.insert(
        "authorization",
        "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==".parse().unwrap(),
    );
    let outcome = auth
        .authenticate(&AuthRequest::new("GET", "/", &headers))
        .await;
    assert_eq!(outcome.identity().unwrap().name(), "Aladdin");

    for bad in [
        SchemeConfig::new("r"),
        SchemeConfig::new("r").set("htpasswd", "/nonexistent"),
        SchemeConfig::new("r")
            .set("htpasswd", path.to_str().unwrap())
            .set("cache_ttl_secs", "soon"),
    ] {
        assert!(build(&bad).is_err());
    }
}
