//! What an extractor error shows through `Debug`: the kind, the status and
//! the scheme, never the denial's reason, which is for the server's logs.
#![allow(clippy::unwrap_used)]

use actix_web::test::{self, TestRequest};
use actix_web::{App, web};
use authscheme::Authenticator;
use authscheme_actix::{Auth, AuthError, Authentication};
use authscheme_testkit::schemes::TestBasic;
use authscheme_testkit::{Principal, basic};

async fn debug(user: Result<Auth<Principal>, AuthError>) -> String {
    user.err().map(|e| format!("{e:?}")).unwrap_or_default()
}

#[test]
fn the_error_debug_shows_no_reason() {
    actix_web::rt::System::new().block_on(async {
        let auth = Authenticator::<Principal>::new().with(TestBasic::new());
        let app = App::new()
            .service(
                web::resource("/")
                    .wrap(Authentication::new(auth).deferred())
                    .to(debug),
            )
            .service(web::resource("/unprotected").to(debug));
        let app = test::init_service(app).await;
        let read = |req| test::call_and_read_body(&app, req);

        let wrong = TestRequest::get()
            .insert_header(("authorization", basic("alice", "nope")))
            .to_request();
        let wrong = String::from_utf8(read(wrong).await.to_vec()).unwrap();
        assert_eq!(
            wrong,
            r#"AuthError { kind: Invalid, status: 401, scheme: Some("Basic"), .. }"#
        );
        assert!(!wrong.contains("wrong user or password"), "{wrong}");

        let missing = read(TestRequest::get().to_request()).await;
        assert_eq!(
            missing,
            "AuthError { kind: Missing, status: 401, scheme: None, .. }"
        );
        let unprotected = read(TestRequest::get().uri("/unprotected").to_request()).await;
        assert_eq!(
            unprotected,
            "AuthError { kind: NotConfigured, status: 500, scheme: None, .. }"
        );
    });
}
