//! The request the command sends, kept as parts so it can be built again
//! for each of the `--repeat` requests.

use reqwest::header::HeaderMap;
use reqwest::{Method, Request, Url};

use super::{ClientArgs, header, method};

/// Method, URL, headers and body from the command line.
#[derive(Debug, Clone)]
pub(super) struct Target {
    pub(super) method: Method,
    /// The URL without its user and password, which are never sent in it,
    /// shown or logged.
    pub(super) url: Url,
    /// The user and password the URL carried, as curl takes them.
    pub(super) url_user: Option<(String, String)>,
    headers: HeaderMap,
    body: Option<Vec<u8>>,
}

impl Target {
    /// Reads the arguments; errors are usage errors.
    pub(super) fn from_args(args: &ClientArgs) -> Result<Self, String> {
        let mut url = Url::parse(&args.url)
            .map_err(|e| format!("invalid URL {:?}: {e}", redacted(&args.url)))?;
        let url_user = take_user(&mut url)?;
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
            url_user,
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

/// Takes the user and password out of `url` (percent-decoded), so that
/// they are answered with like `-u` and never travel or show in the URL.
fn take_user(url: &mut Url) -> Result<Option<(String, String)>, String> {
    if url.username().is_empty() && url.password().is_none() {
        return Ok(None);
    }
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(s)
            .decode_utf8()
            .map(|s| s.into_owned())
            .map_err(|_| "the user or password in the URL is not UTF-8".to_owned())
    };
    let user = decode(url.username())?;
    let password = decode(url.password().unwrap_or_default())?;
    // Both only fail for URLs that cannot have a user (`data:`, ...),
    // which were refused above.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    Ok(Some((user, password)))
}

/// `url` with anything between `//` and an `@` in its authority hidden,
/// for messages about a URL that did not parse.
fn redacted(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("//") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => format!("{scheme}//***{}", &rest[at..]),
        None => url.to_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn the_user_in_a_url_is_taken_out_and_decoded() {
        let mut url =
            Url::parse("http://J%C3%A4s%C3%B8n%20Doe:p%40ss@127.0.0.1:8080/basic").unwrap();
        let user = take_user(&mut url).unwrap();
        assert_eq!(user, Some(("Jäsøn Doe".to_owned(), "p@ss".to_owned())));
        assert_eq!(url.as_str(), "http://127.0.0.1:8080/basic");
        let mut plain = Url::parse("http://127.0.0.1/").unwrap();
        assert_eq!(take_user(&mut plain).unwrap(), None);
    }

    #[test]
    fn a_url_that_does_not_parse_is_shown_without_its_user() {
        assert_eq!(
            redacted("http://alice:secret@exa mple/x"),
            "http://***@exa mple/x"
        );
        assert_eq!(redacted("http://host/a@b"), "http://host/a@b");
        assert_eq!(redacted("nonsense"), "nonsense");
    }
}
