//! The request the command sends, kept as parts so it can be built again
//! for each of the `--repeat` requests.

use reqwest::header::HeaderMap;
use reqwest::{Method, Request, Url};

use super::{ClientArgs, header, method};

/// Method, URL, headers and body from the command line.
#[derive(Debug, Clone)]
pub(super) struct Target {
    pub(super) method: Method,
    pub(super) url: Url,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
}

impl Target {
    /// Reads the arguments; errors are usage errors.
    pub(super) fn from_args(args: &ClientArgs) -> Result<Self, String> {
        let url = Url::parse(&args.url).map_err(|e| format!("invalid URL {:?}: {e}", args.url))?;
        match url.scheme() {
            "http" => {}
            // This binary links reqwest without a TLS backend (the
            // authscheme-reqwest docs: the application picks one).
            "https" => return Err("https is not supported by this build (no TLS backend)".into()),
            other => return Err(format!("unsupported URL scheme {other:?}")),
        }
        let mut headers = HeaderMap::new();
        for line in &args.headers {
            let (name, value) = header(line)?;
            headers.append(name, value);
        }
        let body = match args.data.as_deref() {
            Some(file) if file.starts_with('@') => Some(
                std::fs::read(&file[1..])
                    .map_err(|e| format!("cannot read {}: {e}", &file[1..]))?,
            ),
            Some(data) => Some(data.as_bytes().to_vec()),
            None => None,
        };
        if body.is_some() && !headers.contains_key(reqwest::header::CONTENT_TYPE) {
            // What curl sends for -d.
            headers.insert(
                reqwest::header::CONTENT_TYPE,
                reqwest::header::HeaderValue::from_static("application/x-www-form-urlencoded"),
            );
        }
        Ok(Self {
            method: method(args)?,
            url,
            headers,
            body,
        })
    }

    /// A fresh request; the body is bytes, so it can be resent after a
    /// challenge and hashed for Digest auth-int.
    pub(super) fn build(&self) -> Result<Request, String> {
        let mut request = Request::new(self.method.clone(), self.url.clone());
        *request.headers_mut() = self.headers.clone();
        if let Some(body) = &self.body {
            *request.body_mut() = Some(body.clone().into());
        }
        Ok(request)
    }
}
