//! Rendering: denials as responses, and success headers on replies.

use authscheme::Denial;
use http::HeaderValue;
use http::header::{CONNECTION, CONTENT_TYPE};
use warp::reply::Response;
use warp::{Rejection, Reply};

use crate::auth::Auth;
use crate::rejection::AuthRejection;

/// The response for a refused request: the denial's status, one field line
/// per header line it carries (each challenge on its own line unless the
/// authenticator joins them), and its short plain-text body. The same bytes
/// as the axum and actix-web adapters send.
///
/// # Examples
///
/// ```
/// # use authscheme::*;
/// # struct Fixed;
/// # #[async_trait]
/// # impl AuthScheme<String> for Fixed {
/// #     fn name(&self) -> SchemeName<'static> { SchemeName::BASIC }
/// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) {
/// #         out.push(Challenge::builder(SchemeName::BASIC).quoted_param("realm", &b"Dev zone"[..]).build().unwrap());
/// #     }
/// #     async fn authenticate(&self, _: &AuthRequest<'_>, _: &Credentials<'_>) -> Verdict<String> {
/// #         Verdict::Rejected(Rejection::unauthorized("wrong"))
/// #     }
/// # }
/// # futures_util::future::FutureExt::now_or_never(async {
/// let auth = Authenticator::new().with(Fixed);
/// let headers = http::HeaderMap::new();
/// let Outcome::Denied(denial) = auth.authenticate(&AuthRequest::new("GET", "/", &headers)).await else {
///     unreachable!()
/// };
/// let res = authscheme_warp::denial_reply(&denial);
/// assert_eq!(res.status().as_u16(), 401);
/// assert_eq!(res.headers()["www-authenticate"], r#"Basic realm="Dev zone""#);
/// # }).unwrap();
/// ```
pub fn denial_reply(denial: &Denial) -> Response {
    let mut res = Response::new(denial.body().into());
    *res.status_mut() = denial.status();
    let headers = res.headers_mut();
    for (name, value) in denial.headers() {
        headers.append(name, value);
    }
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static(authscheme::Denial::CONTENT_TYPE),
    );
    res
}

/// A `recover` handler that renders [`AuthRejection`]s with
/// [`denial_reply`] and passes every other rejection on.
///
/// warp turns a custom rejection nobody handles into a `500`; put this at
/// the end of your routes so a refused request gets its 401/407/400/403 and
/// challenges instead.
///
/// # Examples
///
/// ```
/// use authscheme::registry::Principal;
/// use authscheme_warp::{Auth, authenticate};
/// use warp::Filter;
/// # let auth = authscheme::Authenticator::<Principal>::new();
///
/// let routes = warp::path("me")
///     .and(authenticate(auth))
///     .map(|user: Auth<Principal>| user.name().to_owned());
/// let app = routes.recover(authscheme_warp::recover);
/// ```
///
/// # Errors
///
/// Gives back any rejection that is not an [`AuthRejection`].
pub async fn recover(rejection: Rejection) -> Result<Response, Rejection> {
    match rejection.find::<AuthRejection>() {
        Some(refused) => {
            let mut reply = denial_reply(refused.denial());
            // RFC 9110 section 10.1.1 (hyper drops it on HTTP/2, where
            // a stream ends on its own).
            if refused.closes() {
                reply
                    .headers_mut()
                    .insert(CONNECTION, HeaderValue::from_static("close"));
            }
            Ok(reply)
        }
        None => Err(rejection),
    }
}

/// Adds the outcome's success headers (`Authentication-Info`) to a reply.
///
/// Filters extract before the handler runs and cannot touch its response, so
/// a handler that may authenticate with a scheme sending such headers (Digest
/// `rspauth`, `nextnonce`) wraps its reply with this.
///
/// # Examples
///
/// ```
/// use authscheme::registry::Principal;
/// use authscheme_warp::{Auth, with_auth_info};
///
/// async fn report(user: Auth<Principal>) -> Result<impl warp::Reply, warp::Rejection> {
///     Ok(with_auth_info(warp::reply::json(&user.name()), &user))
/// }
/// ```
pub fn with_auth_info<R: Reply, I>(reply: R, auth: &Auth<I>) -> WithAuthInfo<R> {
    WithAuthInfo {
        reply,
        headers: auth.response_headers().to_vec(),
    }
}

/// A reply with success headers added; built by [`with_auth_info`].
///
/// # Examples
///
/// Here the scheme answers with `Authentication-Info: nextnonce="n2"`:
///
/// ```
/// use authscheme::registry::Principal;
/// use authscheme_warp::{Auth, WithAuthInfo, authenticate, with_auth_info};
/// use warp::Filter;
/// # use authscheme::*;
/// # struct Fixed;
/// # #[async_trait]
/// # impl AuthScheme<Principal> for Fixed {
/// #     fn name(&self) -> SchemeName<'static> { SchemeName::BEARER }
/// #     fn challenges(&self, _: &AuthRequest<'_>, out: &mut Vec<Challenge<'static>>) { out.push(Challenge::new(self.name())); }
/// #     async fn authenticate(&self, _: &AuthRequest<'_>, c: &Credentials<'_>) -> Verdict<Principal> {
/// #         match c.token68() {
/// #             Some(t) if ct_eq(t.as_bytes(), b"t0ken") => Verdict::Authenticated(
/// #                 Authenticated::new(Principal::new("alice"), self.name())
/// #                     .with_info(http::HeaderValue::from_static(r#"nextnonce="n2""#)),
/// #             ),
/// #             _ => Verdict::Rejected(Rejection::unauthorized("unknown token")),
/// #         }
/// #     }
/// # }
/// # let auth = Authenticator::<Principal>::new().with(Fixed);
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
///
/// let route = authenticate(auth).map(|user: Auth<Principal>| {
///     let reply: WithAuthInfo<String> = with_auth_info(format!("hello {}", user.name()), &user);
///     reply
/// });
/// let res = warp::test::request().header("authorization", "Bearer t0ken").reply(&route).await;
/// assert_eq!(res.headers()["authentication-info"], r#"nextnonce="n2""#);
/// assert_eq!(res.body(), "hello alice");
/// # });
/// ```
#[derive(Debug)]
pub struct WithAuthInfo<R> {
    reply: R,
    headers: Vec<(http::HeaderName, HeaderValue)>,
}

impl<R: Reply> Reply for WithAuthInfo<R> {
    fn into_response(self) -> Response {
        let mut res = self.reply.into_response();
        for (name, value) in self.headers {
            res.headers_mut().append(name, value);
        }
        res
    }
}
