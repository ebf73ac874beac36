//! The layer in a plain tower stack: body buffering below and above the
//! limit, optional and deferred modes, `Authentication-Info`, proxy mode,
//! extractor rejections and the denial log event.

#![allow(clippy::unwrap_used)]

use std::collections::VecDeque;
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

use authscheme::{Authenticated, Authenticator};
use authscheme_axum::{Auth, AuthRejection, AuthRejectionReason, RequireAuthLayer};
use authscheme_testkit::schemes::{BodyCheck, TestBasic};
use authscheme_testkit::{CapturedLogs, Principal, basic};
use axum::body::Bytes;
use http::{HeaderMap, Request, Response, StatusCode};
use http_body::{Body, Frame, SizeHint};
use http_body_util::BodyExt;
use http_body_util::Full;
use http_body_util::combinators::{BoxBody, UnsyncBoxBody};
use tower::{Layer, ServiceExt, service_fn};

/// A request body delivered in the given chunks, then optional trailers,
/// then optionally an error, and with no length known in advance.
struct Chunked {
    chunks: VecDeque<Bytes>,
    trailers: Option<HeaderMap>,
    fail: bool,
}

impl Chunked {
    fn new(chunks: &[&[u8]]) -> Self {
        Self {
            chunks: chunks.iter().map(|c| Bytes::copy_from_slice(c)).collect(),
            trailers: None,
            fail: false,
        }
    }
}

impl Body for Chunked {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Some(chunk) = self.chunks.pop_front() {
            return Poll::Ready(Some(Ok(Frame::data(chunk))));
        }
        if let Some(trailers) = self.trailers.take() {
            return Poll::Ready(Some(Ok(Frame::trailers(trailers))));
        }
        if self.fail {
            self.fail = false;
            return Poll::Ready(Some(Err(std::io::Error::other("client went away"))));
        }
        Poll::Ready(None)
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::new()
    }
}

/// What the inner service saw.
#[derive(Debug, Default, Clone)]
struct Seen {
    identity: Option<String>,
    body: Vec<u8>,
    trailers: Option<HeaderMap>,
    body_error: bool,
}

type Log = Arc<Mutex<Vec<Seen>>>;

/// Runs one request through `layer` in front of a recording service. The
/// test bodies (chunked, failing, with trailers) travel boxed, as a tower
/// stack on a body type of its own would send them.
async fn run<B>(layer: RequireAuthLayer<Principal>, request: Request<B>) -> (Response<Bytes>, Log)
where
    B: Body<Data = Bytes> + Send + 'static,
    B::Error: Send + std::fmt::Display + 'static,
{
    let request = request.map(BodyExt::boxed_unsync);
    let log: Log = Arc::default();
    let seen = Arc::clone(&log);
    let inner = service_fn(move |req: Request<UnsyncBoxBody<Bytes, B::Error>>| {
        let seen = Arc::clone(&seen);
        async move {
            let identity = req
                .extensions()
                .get::<Authenticated<Principal>>()
                .map(|a| a.identity().name().to_owned());
            let mut record = Seen {
                identity,
                ..Seen::default()
            };
            let mut body = std::pin::pin!(req.into_body());
            while let Some(frame) = body.frame().await {
                match frame {
                    Ok(frame) => match frame.into_data() {
                        Ok(data) => record.body.extend_from_slice(&data),
                        Err(frame) => record.trailers = frame.into_trailers().ok(),
                    },
                    Err(_) => record.body_error = true,
                }
            }
            seen.lock().unwrap().push(record);
            let mut response = Response::new(String::from("handled"));
            response
                .headers_mut()
                .insert("x-handler", "yes".parse().unwrap());
            Ok::<_, Infallible>(response)
        }
    });
    let response = layer.layer(inner).oneshot(request).await.unwrap();
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    (Response::from_parts(parts, body), log)
}

fn check_layer(limit: usize) -> RequireAuthLayer<Principal> {
    RequireAuthLayer::new(Authenticator::new().with(BodyCheck)).body_limit(limit)
}

fn post<B>(body: B, credentials: Option<&str>) -> Request<B> {
    let mut builder = Request::post("/upload");
    if let Some(credentials) = credentials {
        builder = builder.header("authorization", credentials);
    }
    builder.body(body).unwrap()
}

fn challenges(response: &Response<Bytes>) -> Vec<String> {
    response
        .headers()
        .get_all("www-authenticate")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .collect()
}

fn seen(log: &Log) -> Vec<Seen> {
    log.lock().unwrap().clone()
}

#[tokio::test]
async fn body_below_limit_reaches_scheme_and_handler() {
    let body = "x".repeat(40);
    let creds = r#"BodyCheck key="k3y", length="40""#;
    let (response, log) = run(check_layer(64), post(body.clone(), Some(creds))).await;
    assert_eq!(response.status(), StatusCode::OK);
    let seen = seen(&log);
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].identity.as_deref(), Some("carol"));
    assert_eq!(seen[0].body, body.as_bytes());
}

/// A service on `BoxBody` or on axum's `Body` gets a body the layer read
/// back in that same type ([`authscheme_axum::ReplayBody`]), whole.
#[tokio::test]
async fn a_body_read_for_the_schemes_reaches_the_service_in_its_own_type() {
    let creds = r#"BodyCheck key="k3y", length="5""#;

    let boxed = service_fn(|req: Request<BoxBody<Bytes, Infallible>>| async move {
        let body = req.into_body().collect().await.unwrap().to_bytes();
        Ok::<_, Infallible>(Response::new(String::from_utf8(body.to_vec()).unwrap()))
    });
    let request = post(Full::new(Bytes::from_static(b"hello")).boxed(), Some(creds));
    let response = check_layer(64).layer(boxed).oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.into_body(), "hello");

    let axum_body = service_fn(|req: Request<axum::body::Body>| async move {
        let body = req.into_body().collect().await.unwrap().to_bytes();
        Ok::<_, Infallible>(Response::new(axum::body::Body::from(body)))
    });
    let request = post(axum::body::Body::from("hello"), Some(creds));
    let response = check_layer(64)
        .layer(axum_body)
        .oneshot(request)
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(&body[..], b"hello");
}

#[tokio::test]
async fn body_of_exactly_the_limit_is_buffered() {
    let (response, _) = run(check_layer(64), post("y".repeat(64), None)).await;
    assert_eq!(
        challenges(&response),
        [r#"BodyCheck realm="testkit", qop="auth-int""#]
    );
    let (response, _) = run(check_layer(64), post("y".repeat(65), None)).await;
    assert_eq!(
        challenges(&response),
        [r#"BodyCheck realm="testkit", qop="auth""#]
    );
}

#[tokio::test]
async fn body_above_limit_is_not_given_to_schemes_but_kept_for_handler() {
    let body = "z".repeat(1000);
    let (response, _) = run(
        check_layer(64),
        post(body.clone(), Some(r#"BodyCheck key="k3y", length="1000""#)),
    )
    .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        challenges(&response),
        [r#"BodyCheck realm="testkit", qop="auth""#]
    );

    let (response, log) = run(
        check_layer(64),
        post(body.clone(), Some(r#"BodyCheck key="k3y""#)),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(seen(&log)[0].body, body.as_bytes());
}

#[tokio::test]
async fn stream_crossing_the_limit_midway_is_replayed_whole() {
    let chunks: [&[u8]; 4] = [b"0123456789", b"abcdefghij", b"ABCDEFGHIJ", b"!?"];
    let (response, log) = run(
        check_layer(15),
        post(Chunked::new(&chunks), Some(r#"BodyCheck key="k3y""#)),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(seen(&log)[0].body, chunks.concat());
    assert!(!seen(&log)[0].body_error);
}

#[tokio::test]
async fn stream_within_limit_keeps_its_trailers() {
    let mut body = Chunked::new(&[b"abc", b"def"]);
    let mut trailers = HeaderMap::new();
    trailers.insert("x-checksum", "42".parse().unwrap());
    body.trailers = Some(trailers.clone());
    let creds = r#"BodyCheck key="k3y", length="6""#;
    let (response, log) = run(check_layer(64), post(body, Some(creds))).await;
    assert_eq!(response.status(), StatusCode::OK);
    let seen = seen(&log);
    assert_eq!(seen[0].body, b"abcdef");
    assert_eq!(seen[0].trailers, Some(trailers));
}

#[tokio::test]
async fn body_error_while_buffering_reaches_the_handler_after_the_prefix() {
    let mut body = Chunked::new(&[b"partial"]);
    body.fail = true;
    let (response, log) = run(check_layer(64), post(body, Some(r#"BodyCheck key="k3y""#))).await;
    assert_eq!(response.status(), StatusCode::OK);
    let seen = seen(&log);
    assert_eq!(seen[0].body, b"partial");
    assert!(seen[0].body_error);
}

#[tokio::test]
async fn no_limit_means_no_body_for_schemes() {
    let (response, log) = run(check_layer(0), post("abc".to_owned(), None)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        challenges(&response),
        [r#"BodyCheck realm="testkit", qop="auth""#]
    );
    assert!(
        seen(&log).is_empty(),
        "denied requests never reach the handler"
    );
}

fn basic_layer() -> RequireAuthLayer<Principal> {
    RequireAuthLayer::new(Authenticator::new().with(TestBasic::new()))
}

fn get(credentials: Option<&str>) -> Request<String> {
    let mut builder = Request::get("/page");
    if let Some(credentials) = credentials {
        builder = builder.header("authorization", credentials);
    }
    builder.body(String::new()).unwrap()
}

#[tokio::test]
async fn denial_renders_status_challenges_and_text() {
    let (response, log) = run(basic_layer(), get(Some(&basic("alice", "nope")))).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        challenges(&response),
        [r#"Basic realm="testkit", charset="UTF-8""#]
    );
    assert_eq!(
        response.headers()["content-type"],
        "text/plain; charset=utf-8"
    );
    assert_eq!(response.body(), "Unauthorized\n");
    assert!(response.headers().get("x-handler").is_none());
    assert!(seen(&log).is_empty());
}

/// A service answering in boxed bodies, as hyper services often do, gets
/// the layer's refusals in that same type ([`authscheme_axum::DenialBody`]),
/// and its own answers untouched.
#[tokio::test]
async fn refusals_come_in_the_services_own_boxed_body_type() {
    fn boxed_get(credentials: Option<&str>) -> Request<UnsyncBoxBody<Bytes, Infallible>> {
        get(credentials).map(|body| Full::new(Bytes::from(body)).boxed_unsync())
    }
    async fn text<B: Body>(response: Response<B>) -> Bytes
    where
        B::Error: std::fmt::Debug,
    {
        response.into_body().collect().await.unwrap().to_bytes()
    }
    let sync = service_fn(|_req: Request<UnsyncBoxBody<Bytes, Infallible>>| async {
        let body = Full::new(Bytes::from_static(b"secret"))
            .map_err(std::io::Error::other)
            .boxed();
        Ok::<_, Infallible>(Response::<BoxBody<Bytes, std::io::Error>>::new(body))
    });
    let unsync = service_fn(|_req: Request<UnsyncBoxBody<Bytes, Infallible>>| async {
        let body = Full::new(Bytes::from_static(b"secret"))
            .map_err(std::io::Error::other)
            .boxed_unsync();
        Ok::<_, Infallible>(Response::<UnsyncBoxBody<Bytes, std::io::Error>>::new(body))
    });

    let refused = basic_layer()
        .layer(sync)
        .oneshot(boxed_get(None))
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        refused.headers()["www-authenticate"],
        r#"Basic realm="testkit", charset="UTF-8""#
    );
    assert_eq!(&text(refused).await[..], b"Unauthorized\n");
    let served = basic_layer()
        .layer(sync)
        .oneshot(boxed_get(Some(&basic("alice", "wonderland"))))
        .await
        .unwrap();
    assert_eq!(served.status(), StatusCode::OK);
    assert_eq!(&text(served).await[..], b"secret");

    let refused = basic_layer()
        .layer(unsync)
        .oneshot(boxed_get(Some(&basic("alice", "nope"))))
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(&text(refused).await[..], b"Unauthorized\n");
}

#[tokio::test]
async fn optional_mode_lets_anonymous_through_but_not_wrong_credentials() {
    let (response, log) = run(basic_layer().optional(), get(None)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(seen(&log)[0].identity, None);

    let (response, log) = run(basic_layer().optional(), get(Some(&basic("alice", "nope")))).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(seen(&log).is_empty());

    let (response, log) = run(basic_layer().optional(), get(Some("Basic abc"))).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert!(seen(&log).is_empty());

    let (response, log) = run(
        basic_layer().optional(),
        get(Some(&basic("bob", "builder"))),
    )
    .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(seen(&log)[0].identity.as_deref(), Some("bob"));
}

#[tokio::test]
async fn authentication_info_is_appended_to_the_handlers_response() {
    let layer = RequireAuthLayer::new(Authenticator::new().with(TestBasic::new().with_info()));
    let (response, _) = run(layer, get(Some(&basic("alice", "wonderland")))).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["authentication-info"], r#"user="alice""#);
    assert_eq!(response.headers()["x-handler"], "yes");
    assert_eq!(response.body(), "handled");
}

#[tokio::test]
async fn no_authentication_info_without_info_params() {
    let (response, _) = run(basic_layer(), get(Some(&basic("alice", "wonderland")))).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get("authentication-info").is_none());
}

#[tokio::test]
async fn proxy_mode_uses_407_and_proxy_headers() {
    let proxy = || {
        RequireAuthLayer::new(
            Authenticator::new()
                .with(TestBasic::new().with_info())
                .proxy(),
        )
    };
    let (response, _) = run(proxy(), get(Some(&basic("alice", "wonderland")))).await;
    assert_eq!(response.status(), StatusCode::PROXY_AUTHENTICATION_REQUIRED);
    assert_eq!(
        response.headers()["proxy-authenticate"],
        r#"Basic realm="testkit", charset="UTF-8""#
    );
    assert!(response.headers().get("www-authenticate").is_none());

    let request = Request::get("http://example.com/page")
        .header("proxy-authorization", basic("alice", "wonderland"))
        .body(String::new())
        .unwrap();
    let (response, log) = run(proxy(), request).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(
        response.headers()["proxy-authentication-info"],
        r#"user="alice""#
    );
    assert_eq!(seen(&log)[0].identity.as_deref(), Some("alice"));
}

/// An axum app whose handler reports what the extractor gave.
fn extractor_app(layer: Option<RequireAuthLayer<Principal>>) -> axum::Router {
    async fn strict(Auth(p): Auth<Principal>) -> String {
        format!("strict:{}", p.name())
    }
    async fn lenient(p: Option<Auth<Principal>>) -> String {
        format!(
            "lenient:{}",
            p.map_or("-".into(), |Auth(p)| p.name().to_owned())
        )
    }
    async fn manual(p: Result<Auth<Principal>, AuthRejection>) -> String {
        match p {
            Ok(Auth(p)) => format!("manual:{}", p.name()),
            Err(r) => format!("manual:{:?}:{}", r.reason(), r.status().as_u16()),
        }
    }
    let app = axum::Router::new()
        .route("/strict", axum::routing::get(strict))
        .route("/lenient", axum::routing::get(lenient))
        .route("/manual", axum::routing::get(manual));
    match layer {
        Some(layer) => app.layer(layer),
        None => app,
    }
}

async fn call(
    app: axum::Router,
    path: &str,
    credentials: Option<&str>,
) -> (StatusCode, HeaderMap, String) {
    let mut builder = Request::get(path);
    if let Some(credentials) = credentials {
        builder = builder.header("authorization", credentials);
    }
    let response = app
        .oneshot(builder.body(axum::body::Body::empty()).unwrap())
        .await
        .unwrap();
    let (parts, body) = response.into_parts();
    let body = body.collect().await.unwrap().to_bytes();
    (
        parts.status,
        parts.headers,
        String::from_utf8(body.to_vec()).unwrap(),
    )
}

#[tokio::test]
async fn extractors_in_deferred_mode_tell_missing_from_invalid() {
    let app = || extractor_app(Some(basic_layer().deferred()));
    let wrong = basic("alice", "nope");
    let good = basic("alice", "wonderland");

    let (status, headers, _) = call(app(), "/strict", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        headers["www-authenticate"],
        r#"Basic realm="testkit", charset="UTF-8""#
    );
    assert_eq!(
        call(app(), "/strict", Some(&wrong)).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        call(app(), "/strict", Some("Basic abc")).await.0,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(call(app(), "/strict", Some(&good)).await.2, "strict:alice");

    assert_eq!(call(app(), "/lenient", None).await.2, "lenient:-");
    assert_eq!(
        call(app(), "/lenient", Some(&good)).await.2,
        "lenient:alice"
    );
    assert_eq!(
        call(app(), "/lenient", Some(&wrong)).await.0,
        StatusCode::UNAUTHORIZED
    );

    assert_eq!(call(app(), "/manual", None).await.2, "manual:Missing:401");
    assert_eq!(
        call(app(), "/manual", Some(&wrong)).await.2,
        "manual:Invalid:401"
    );
    assert_eq!(
        call(app(), "/manual", Some("Basic abc")).await.2,
        "manual:Invalid:400"
    );
}

#[tokio::test]
async fn extractor_without_layer_is_a_server_error() {
    let (status, _, body) = call(extractor_app(None), "/strict", None).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(
        body,
        "Internal Server Error: no authenticated identity of this type: \
         is the layer installed, with the same identity type?\n"
    );
    assert_eq!(
        call(extractor_app(None), "/lenient", None).await.0,
        StatusCode::INTERNAL_SERVER_ERROR
    );
    assert_eq!(
        call(extractor_app(None), "/manual", None).await.2,
        "manual:LayerMissing:500"
    );
}

#[tokio::test]
async fn extractor_of_another_identity_type_is_a_server_error() {
    async fn as_string(user: Result<Auth<String>, AuthRejection>) -> String {
        match user {
            Ok(Auth(user)) => user,
            Err(r) => format!("{:?}:{}:{r}", r.reason(), r.status().as_u16()),
        }
    }
    async fn strict_string(Auth(user): Auth<String>) -> String {
        user
    }
    // The layer authenticates `Principal`s; the handlers ask for `String`s.
    let app = || {
        axum::Router::new()
            .route("/manual", axum::routing::get(as_string))
            .route("/strict", axum::routing::get(strict_string))
            .route_layer(basic_layer())
    };
    let good = basic("alice", "wonderland");
    assert_eq!(
        call(app(), "/manual", Some(&good)).await.2,
        "LayerMissing:500:no authenticated identity of this type: \
         is the layer installed, with the same identity type?"
    );
    let (status, _, body) = call(app(), "/strict", Some(&good)).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert!(body.contains("same identity type"), "{body}");
}

#[tokio::test]
async fn optional_layer_with_strict_extractor_answers_the_challenge() {
    let app = || extractor_app(Some(basic_layer().optional()));
    let (status, headers, body) = call(app(), "/strict", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        headers["www-authenticate"],
        r#"Basic realm="testkit", charset="UTF-8""#
    );
    assert_eq!(body, "Unauthorized\n");
    let rejection_reason = AuthRejectionReason::Missing;
    assert_eq!(
        call(app(), "/manual", None).await.2,
        format!("manual:{rejection_reason:?}:401")
    );
}

#[tokio::test(flavor = "current_thread")]
async fn one_debug_event_per_denial_without_secrets() {
    let logs = CapturedLogs::default();
    let _capture = logs.capture();

    let (response, _) = run(basic_layer(), get(Some(&basic("alice", "hunter2-secret")))).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let (response, _) = run(basic_layer(), get(Some(&basic("alice", "wonderland")))).await;
    assert_eq!(response.status(), StatusCode::OK);

    let text = logs.text();
    let events = logs.lines_containing("authentication denied");
    assert_eq!(events.len(), 1, "{text}");
    assert!(events[0].contains("status=401"), "{text}");
    assert!(
        events[0].contains("scheme=\"Basic\"") || events[0].contains("scheme=Basic"),
        "{text}"
    );
    assert!(events[0].contains("wrong user or password"), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
    assert!(
        !text.contains(&basic("alice", "hunter2-secret")[6..]),
        "{text}"
    );
}

#[tokio::test]
async fn route_layer_leaves_unknown_paths_404_and_layer_does_not() {
    let routes = || axum::Router::new().route("/known", axum::routing::get(|| async { "ok" }));
    let (status, _, _) = call(routes().route_layer(basic_layer()), "/unknown", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = call(routes().route_layer(basic_layer()), "/known", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _, _) = call(routes().layer(basic_layer()), "/unknown", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

/// The pattern the guides show: a required and an optional router merged,
/// each protected with `route_layer`. Unknown paths reach the fallback
/// whatever credentials they carry.
#[tokio::test]
async fn merged_route_layers_leave_the_fallback_alone() {
    async fn private(Auth(p): Auth<Principal>) -> String {
        p.name().to_owned()
    }
    async fn front(p: Option<Auth<Principal>>) -> String {
        p.map_or("stranger".into(), |p| p.name().to_owned())
    }
    let app = || {
        axum::Router::new()
            .route("/private", axum::routing::get(private))
            .route_layer(basic_layer())
            .merge(
                axum::Router::new()
                    .route("/", axum::routing::get(front))
                    .route_layer(basic_layer().optional()),
            )
    };
    let wrong = basic("alice", "nope");
    let good = basic("alice", "wonderland");
    for credentials in [None, Some(wrong.as_str()), Some(good.as_str())] {
        assert_eq!(
            call(app(), "/nope", credentials).await.0,
            StatusCode::NOT_FOUND
        );
    }
    assert_eq!(
        call(app(), "/private", None).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        call(app(), "/private", Some(&wrong)).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(call(app(), "/private", Some(&good)).await.2, "alice");
    assert_eq!(call(app(), "/", None).await.2, "stranger");
    assert_eq!(
        call(app(), "/", Some(&wrong)).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(call(app(), "/", Some(&good)).await.2, "alice");
}

#[tokio::test]
async fn nested_router_authenticates_the_original_target() {
    // Inside `nest` axum strips the prefix; the scheme must still see the
    // request-target the client sent (Digest signs it).
    let seen = Arc::new(Mutex::new(String::new()));
    let recorder = TargetRecorder(Arc::clone(&seen));
    let inner = axum::Router::new()
        .route("/leaf", axum::routing::get(|| async { "ok" }))
        .layer(RequireAuthLayer::new(Authenticator::new().with(recorder)));
    let app = axum::Router::new().nest("/outer", inner);
    let (status, _, _) = call(app, "/outer/leaf?q=1", Some("Recorder x")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(*seen.lock().unwrap(), "/outer/leaf?q=1");
}

/// A scheme that accepts anything and remembers the request-target.
struct TargetRecorder(Arc<Mutex<String>>);

#[authscheme::async_trait]
impl authscheme::AuthScheme<Principal> for TargetRecorder {
    fn name(&self) -> authscheme::SchemeName<'static> {
        authscheme::SchemeName::new("Recorder").unwrap()
    }
    fn challenges(
        &self,
        _: &authscheme::AuthRequest<'_>,
        out: &mut Vec<authscheme::Challenge<'static>>,
    ) {
        out.push(authscheme::Challenge::new(self.name()));
    }
    async fn authenticate(
        &self,
        request: &authscheme::AuthRequest<'_>,
        _: &authscheme::Credentials<'_>,
    ) -> authscheme::Verdict<Principal> {
        *self.0.lock().unwrap() = request.target().to_owned();
        authscheme::Verdict::Authenticated(Authenticated::new(Principal::new("x"), self.name()))
    }
}

/// The rejection's `Debug` (what a handler or a log line may print) says
/// why, the status and the scheme, never the denial's reason, which only
/// the layer's own log event carries.
#[tokio::test]
async fn the_rejection_debug_shows_no_reason() {
    async fn debug(p: Result<Auth<Principal>, AuthRejection>) -> String {
        p.err().map(|r| format!("{r:?}")).unwrap_or_default()
    }
    let app = |layer: Option<RequireAuthLayer<Principal>>| {
        let app = axum::Router::new().route("/", axum::routing::get(debug));
        match layer {
            Some(layer) => app.layer(layer),
            None => app,
        }
    };
    let deferred = || app(Some(basic_layer().deferred()));
    let wrong = call(deferred(), "/", Some(&basic("alice", "nope"))).await.2;
    assert_eq!(
        wrong,
        r#"AuthRejection { reason: Invalid, status: 401, scheme: Some("Basic"), .. }"#
    );
    assert!(!wrong.contains("wrong user or password"), "{wrong}");
    assert_eq!(
        call(deferred(), "/", None).await.2,
        "AuthRejection { reason: Missing, status: 401, scheme: None, .. }"
    );
    assert_eq!(
        call(app(None), "/", None).await.2,
        "AuthRejection { reason: LayerMissing, status: 500, scheme: None, .. }"
    );
}
