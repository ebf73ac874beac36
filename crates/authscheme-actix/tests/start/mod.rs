//! Serves a testkit [`Scenario`] with actix-web and the `Authentication`
//! middleware: one resource per route, any method, the testkit's handler.

use std::io;
use std::sync::mpsc;

use actix_web::{App, HttpResponse, HttpServer, web};
use authscheme_actix::{Authentication, OptionalAuth};
use authscheme_testkit::{Principal, RunningServer, Scenario, handler_body};

async fn echo(user: OptionalAuth<Principal>, body: web::Bytes) -> HttpResponse {
    HttpResponse::Ok().body(handler_body(user.identity(), &body))
}

fn app(
    scenario: Scenario,
) -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let mut app = App::new();
    for route in scenario.routes() {
        let mut middleware = Authentication::new(route.authenticator.clone());
        if route.optional {
            middleware = middleware.optional();
        }
        if let Some(limit) = route.body_limit {
            middleware = middleware.body_limit(limit);
        }
        app = app.service(web::resource(route.path).wrap(middleware).to(echo));
    }
    app
}

/// Starts an actix-web server (its own thread and actix system, one
/// worker) on a free loopback port; dropping the handle stops it.
pub(crate) async fn start_actix(scenario: Scenario) -> io::Result<RunningServer> {
    let (ready_tx, ready_rx) = mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let bound = HttpServer::new(move || app(scenario.clone()))
                .workers(1)
                .disable_signals()
                .shutdown_timeout(1)
                .bind(("127.0.0.1", 0));
            let server = match bound {
                Ok(server) => server,
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                    return;
                }
            };
            let _ = ready_tx.send(Ok(server.addrs()[0]));
            let server = server.run();
            let handle = server.handle();
            actix_web::rt::spawn(async move {
                let _ = stop_rx.await;
                handle.stop(true).await;
            });
            let _ = server.await;
        });
    });
    let addr = tokio::task::spawn_blocking(move || ready_rx.recv())
        .await
        .map_err(io::Error::other)?
        .map_err(io::Error::other)??;
    Ok(RunningServer::new(addr, move || {
        let _ = stop_tx.send(());
    }))
}
