//! Rendering core outcomes as actix-web responses.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use actix_web::http::header::{CONTENT_TYPE, HeaderMap, HeaderValue};
use authscheme::Denial;

use crate::headers::to_actix;

/// The response for a refused request: the denial's status, one field line
/// per header line it carries (each challenge on its own line unless the
/// authenticator joins them), and its short plain-text body.
///
/// The middleware and the extractors answer with this; call it yourself when
/// you run an [`Authenticator`](authscheme::Authenticator) by hand.
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
/// let res = authscheme_actix::denial_response(&denial);
/// assert_eq!(res.status().as_u16(), 401);
/// assert_eq!(res.headers().get("www-authenticate").unwrap(), r#"Basic realm="Dev zone""#);
/// # }).unwrap();
/// ```
pub fn denial_response(denial: &Denial) -> HttpResponse {
    let status =
        StatusCode::from_u16(denial.status().as_u16()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut res = HttpResponse::build(status);
    for (name, value) in denial.headers() {
        if let Some(line) = to_actix(&name, &value) {
            res.append_header(line);
        }
    }
    res.insert_header((
        CONTENT_TYPE,
        HeaderValue::from_static(authscheme::Denial::CONTENT_TYPE),
    ));
    res.body(denial.body())
}

/// Appends the success headers (`Authentication-Info`) to a response.
pub(crate) fn append_lines(
    target: &mut HeaderMap,
    lines: &[(http::HeaderName, http::HeaderValue)],
) {
    for (name, value) in lines {
        if let Some((n, v)) = to_actix(name, value) {
            target.append(n, v);
        }
    }
}
