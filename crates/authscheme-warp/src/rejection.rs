//! [`AuthRejection`]: a refused request, carried through warp's rejection
//! machinery to [`recover`](crate::recover).

use authscheme::Denial;

/// The rejection the filters raise when the authenticator refuses a request.
///
/// It carries the core's [`Denial`]; [`recover`](crate::recover) renders it.
/// Find it in your own recover handler with
/// `rejection.find::<AuthRejection>()`.
///
/// # Examples
///
/// ```
/// use authscheme_warp::{AuthRejection, denial_reply};
///
/// async fn my_recover(err: warp::Rejection) -> Result<warp::reply::Response, warp::Rejection> {
///     if let Some(refused) = err.find::<AuthRejection>() {
///         // Log, count, then render exactly like the other adapters.
///         return Ok(denial_reply(refused.denial()));
///     }
///     Err(err)
/// }
/// ```
#[derive(Debug)]
pub struct AuthRejection {
    denial: Denial,
    missing: bool,
}

impl AuthRejection {
    pub(crate) fn new(denial: Denial, missing: bool) -> Self {
        Self { denial, missing }
    }

    /// What the core decided: status, challenges, reason.
    pub fn denial(&self) -> &Denial {
        &self.denial
    }

    /// Whether the request carried no credentials at all (rather than
    /// refused or malformed ones).
    pub fn is_missing(&self) -> bool {
        self.missing
    }
}

impl warp::reject::Reject for AuthRejection {}
