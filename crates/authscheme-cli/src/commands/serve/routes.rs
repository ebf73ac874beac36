//! The one route table every framework serves, and what each route answers.

use std::sync::Arc;

use authscheme::Authenticator;

use super::identity::User;
use super::log;

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Guard {
    /// Anyone.
    Public,
    /// Basic only.
    Basic,
    /// Digest only.
    Digest,
    /// Bearer (JWT or the static token).
    Bearer,
    /// Basic, Digest and Bearer, offered together.
    Any,
    /// Bearer with the `admin` scope.
    Admin,
}

impl Guard {
    /// Whether the schemes get the request body: Digest `qop=auth-int`
    /// needs it, and every route offering Digest offers `auth-int`.
    pub(crate) fn buffers_body(self) -> bool {
        matches!(self, Guard::Digest | Guard::Any)
    }
}

/// How much request body is buffered for `auth-int`; a larger body is not
/// shown to the schemes (and `auth-int` is then not offered).
pub(crate) const BODY_LIMIT: usize = 1024 * 1024;

/// Reads and drops a request body the route does not use before the
/// answer, within the limits a refusal's body is read in
/// ([`authscheme::request_body`]). A server closes a connection whose
/// request body was left unread: hyper (under axum and warp) without
/// saying so in the response, so that a client still sending gets a
/// reset, often before it reads the answer, and a pooled keep-alive
/// connection dies under the next request (RFC 9112 section 9.6);
/// actix-web with `Connection: close`.
pub(crate) async fn drain<S, B, E>(body: S)
where
    S: futures_util::Stream<Item = Result<B, E>>,
    B: bytes::Buf,
{
    use futures_util::StreamExt as _;
    let lengths = body.map(|chunk| chunk.map(|c| c.remaining()));
    authscheme::request_body::drain(lengths).await;
}

/// One route.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Route {
    /// The path, `/` or `/name`.
    pub(crate) path: &'static str,
    /// Whether POST is served besides GET.
    pub(crate) post: bool,
    /// Who may call it.
    pub(crate) guard: Guard,
    /// One line for the index page.
    pub(crate) summary: &'static str,
}

/// Every route, in the order the index and the start-up banner list them.
pub(crate) const ROUTES: [Route; 7] = [
    Route {
        path: "/",
        post: false,
        guard: Guard::Public,
        summary: "this text",
    },
    Route {
        path: "/open",
        post: false,
        guard: Guard::Public,
        summary: "public: answers ok",
    },
    Route {
        path: "/basic",
        post: true,
        guard: Guard::Basic,
        summary: "Basic (RFC 7617), UTF-8 user-ids and passwords",
    },
    Route {
        path: "/digest",
        post: true,
        guard: Guard::Digest,
        summary: "Digest (RFC 7616)",
    },
    Route {
        path: "/bearer",
        post: false,
        guard: Guard::Bearer,
        summary: "Bearer (RFC 6750)",
    },
    Route {
        path: "/any",
        post: false,
        guard: Guard::Any,
        summary: "Basic, Digest and Bearer offered in one 401",
    },
    Route {
        path: "/admin",
        post: false,
        guard: Guard::Admin,
        summary: "Bearer with scope admin (403 insufficient_scope otherwise)",
    },
];

/// One authenticator per guard; the schemes inside are shared, so a Digest
/// nonce issued on `/any` is good on `/digest` too.
#[derive(Debug, Clone)]
pub(crate) struct Guards {
    pub(crate) basic: Authenticator<User>,
    pub(crate) digest: Authenticator<User>,
    pub(crate) bearer: Authenticator<User>,
    pub(crate) any: Authenticator<User>,
    pub(crate) admin: Authenticator<User>,
}

/// Everything the handlers need, cheap to clone into each framework.
#[derive(Debug, Clone)]
pub(crate) struct Site {
    guards: Guards,
    index: Arc<str>,
}

impl Site {
    /// A site with `guards`, describing itself with `details` (one line per
    /// protected scheme: algorithms, token kinds).
    pub(crate) fn new(guards: Guards, details: &[String]) -> Self {
        Self {
            guards,
            index: index_text(details).into(),
        }
    }

    /// The authenticator of a protected route (`None` for public ones).
    pub(crate) fn authenticator(&self, guard: Guard) -> Option<Authenticator<User>> {
        let g = &self.guards;
        match guard {
            Guard::Public => None,
            Guard::Basic => Some(g.basic.clone()),
            Guard::Digest => Some(g.digest.clone()),
            Guard::Bearer => Some(g.bearer.clone()),
            Guard::Any => Some(g.any.clone()),
            Guard::Admin => Some(g.admin.clone()),
        }
    }

    /// The body of a public route, logged.
    pub(crate) fn public_body(&self, route: &Route) -> String {
        log::public(route.path);
        if route.path == "/" {
            self.index.to_string()
        } else {
            "ok".to_owned()
        }
    }
}

/// The body of a protected route once `user` got in, logged.
pub(crate) fn hello(route: &Route, user: &User) -> String {
    log::authenticated(route.path, user);
    format!("hello {} via {}", user.name(), user.scheme())
}

fn index_text(details: &[String]) -> String {
    let mut text = String::from(
        "authscheme demo server: HTTP authentication (RFC 9110 section 11)\n\nRoutes:\n",
    );
    for route in ROUTES {
        let methods = if route.post { "GET|POST" } else { "GET" };
        text.push_str(&format!(
            "  {methods:<8} {:<8} {}\n",
            route.path, route.summary
        ));
    }
    text.push_str("\nSchemes:\n");
    for line in details {
        text.push_str(&format!("  {line}\n"));
    }
    text.push_str("\nOn success the body is: hello <user> via <Scheme>\n");
    text
}
