//! A raw HTTP/1.1 client over `TcpStream`, so the suite sees every field
//! line exactly as the server wrote it (repeated `WWW-Authenticate`
//! included) and controls the request bytes exactly (chunked bodies, two
//! `Authorization` lines, absolute-form targets).

use std::fmt;
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The header fields the suite compares across adapters.
///
/// # Examples
///
/// ```
/// use authscheme_testkit::AUTH_HEADERS;
/// assert!(AUTH_HEADERS.contains(&"www-authenticate"));
/// assert!(AUTH_HEADERS.contains(&"proxy-authentication-info"));
/// assert!(!AUTH_HEADERS.contains(&"authorization"));
/// ```
pub const AUTH_HEADERS: [&str; 4] = [
    "www-authenticate",
    "proxy-authenticate",
    "authentication-info",
    "proxy-authentication-info",
];

/// How long one exchange may take before the suite calls it a failure.
const EXCHANGE_TIMEOUT: Duration = Duration::from_secs(10);

/// A request, written out byte for byte with `Host` and `Connection: close`.
///
/// # Examples
///
/// ```
/// use authscheme_testkit::RawRequest;
/// let req = RawRequest::post("/body").header("Authorization", "Basic x").body("hi");
/// let bytes = req.to_bytes();
/// assert!(bytes.starts_with(b"POST /body HTTP/1.1\r\n"));
/// assert!(bytes.ends_with(b"content-length: 2\r\n\r\nhi"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct RawRequest {
    method: &'static str,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    chunk_size: Option<usize>,
}

impl RawRequest {
    /// A request with any method.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_testkit::RawRequest;
    /// let req = RawRequest::new("DELETE", "/basic?id=7");
    /// assert!(req.head().starts_with("DELETE /basic?id=7 HTTP/1.1\r\n"));
    /// ```
    pub fn new(method: &'static str, target: impl Into<String>) -> Self {
        Self {
            method,
            target: target.into(),
            headers: Vec::new(),
            body: Vec::new(),
            chunk_size: None,
        }
    }

    /// `GET target`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_testkit::RawRequest;
    /// let req = RawRequest::get("/bearer");
    /// assert_eq!(req.to_bytes(), b"GET /bearer HTTP/1.1\r\nhost: 127.0.0.1\r\nconnection: close\r\n\r\n");
    /// ```
    pub fn get(target: impl Into<String>) -> Self {
        Self::new("GET", target)
    }

    /// `POST target`. Even without a body it is sent with
    /// `content-length: 0`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_testkit::RawRequest;
    /// let req = RawRequest::post("/body");
    /// assert!(req.head().starts_with("POST /body HTTP/1.1\r\n"));
    /// assert!(req.head().ends_with("content-length: 0\r\n\r\n"));
    /// ```
    pub fn post(target: impl Into<String>) -> Self {
        Self::new("POST", target)
    }

    /// Appends a field line (repeat to send a field twice).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_testkit::RawRequest;
    /// let req = RawRequest::get("/basic")
    ///     .header("Authorization", "Basic YQ==")
    ///     .header("Authorization", "Bearer t");
    /// let head = req.head();
    /// assert!(head.contains("Authorization: Basic YQ==\r\nAuthorization: Bearer t\r\n"));
    /// ```
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Sets the body, sent with `Content-Length`.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_testkit::RawRequest;
    /// let bytes = RawRequest::post("/body").body("hello").to_bytes();
    /// assert!(bytes.ends_with(b"content-length: 5\r\n\r\nhello"));
    /// ```
    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    /// Sends the body with `Transfer-Encoding: chunked`, in chunks of
    /// `size` bytes, so the server cannot know its length in advance.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_testkit::RawRequest;
    /// let bytes = RawRequest::post("/body").body("abcde").chunked(2).to_bytes();
    /// assert!(bytes.ends_with(b"transfer-encoding: chunked\r\n\r\n2\r\nab\r\n2\r\ncd\r\n1\r\ne\r\n0\r\n\r\n"));
    /// ```
    pub fn chunked(mut self, size: usize) -> Self {
        self.chunk_size = Some(size.max(1));
        self
    }

    /// The request line and field lines, without the body.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_testkit::RawRequest;
    /// let req = RawRequest::get("/info").header("Authorization", "Basic YQ==");
    /// assert_eq!(
    ///     req.head(),
    ///     "GET /info HTTP/1.1\r\nhost: 127.0.0.1\r\nAuthorization: Basic YQ==\r\nconnection: close\r\n\r\n"
    /// );
    /// ```
    pub fn head(&self) -> String {
        let mut out = format!(
            "{} {} HTTP/1.1\r\nhost: 127.0.0.1\r\n",
            self.method, self.target
        );
        for (name, value) in &self.headers {
            out.push_str(&format!("{name}: {value}\r\n"));
        }
        out.push_str("connection: close\r\n");
        match self.chunk_size {
            Some(_) => out.push_str("transfer-encoding: chunked\r\n"),
            None if !self.body.is_empty() || self.method == "POST" => {
                out.push_str(&format!("content-length: {}\r\n", self.body.len()));
            }
            None => {}
        }
        out.push_str("\r\n");
        out
    }

    /// The exact bytes sent.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_testkit::RawRequest;
    /// let req = RawRequest::post("/optional").body("kept");
    /// let bytes = req.to_bytes();
    /// assert!(bytes.starts_with(req.head().as_bytes()));
    /// assert!(bytes.ends_with(b"\r\n\r\nkept"));
    /// ```
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.head().into_bytes();
        match self.chunk_size {
            Some(size) => {
                for chunk in self.body.chunks(size) {
                    out.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
                    out.extend_from_slice(chunk);
                    out.extend_from_slice(b"\r\n");
                }
                out.extend_from_slice(b"0\r\n\r\n");
            }
            None => out.extend_from_slice(&self.body),
        }
        out
    }

    /// Sends the request on a new connection and reads the whole response.
    ///
    /// # Examples
    ///
    /// ```
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// # use tokio::io::{AsyncReadExt, AsyncWriteExt};
    /// # let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    /// # let addr = listener.local_addr().unwrap();
    /// # tokio::spawn(async move {
    /// #     let (mut socket, _) = listener.accept().await.unwrap();
    /// #     let mut buf = vec![0; 4096];
    /// #     let _ = socket.read(&mut buf).await.unwrap();
    /// #     socket.write_all(b"HTTP/1.1 401 Unauthorized\r\nwww-authenticate: Basic realm=\"testkit\"\r\ncontent-length: 13\r\n\r\nUnauthorized\n").await.unwrap();
    /// # });
    /// // `addr` is a server that refuses everything with a Basic challenge.
    /// use authscheme_testkit::RawRequest;
    /// let response = RawRequest::get("/basic").send(addr).await.unwrap();
    /// assert_eq!(response.status, 401);
    /// assert_eq!(response.header_values("www-authenticate"), [&br#"Basic realm="testkit""#[..]]);
    /// assert_eq!(response.body, b"Unauthorized\n");
    /// # });
    /// ```
    ///
    /// # Errors
    ///
    /// Connection failures, a timeout, or a response that is not HTTP/1.1.
    pub async fn send(&self, addr: SocketAddr) -> io::Result<RawResponse> {
        let exchange = async {
            let mut stream = TcpStream::connect(addr).await?;
            stream.write_all(&self.to_bytes()).await?;
            let mut raw = Vec::with_capacity(1024);
            stream.read_to_end(&mut raw).await?;
            RawResponse::parse(&raw)
        };
        tokio::time::timeout(EXCHANGE_TIMEOUT, exchange)
            .await
            .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, "no response in time"))?
    }
}

impl fmt::Debug for RawRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Test credentials are fixed and public; show the request as sent.
        f.write_str(&String::from_utf8_lossy(&self.to_bytes()))
    }
}

/// A parsed response: status, every field line in order, decoded body.
///
/// # Examples
///
/// ```
/// use authscheme_testkit::RawResponse;
/// let raw = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
/// let response = RawResponse::parse(raw).unwrap();
/// assert_eq!(response.status, 200);
/// assert_eq!(response.headers, [("content-length".to_owned(), b"2".to_vec())]);
/// assert_eq!(response.body, b"ok");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResponse {
    /// The status code.
    pub status: u16,
    /// Every field line, names lower-cased, values as sent.
    pub headers: Vec<(String, Vec<u8>)>,
    /// The body, de-chunked.
    pub body: Vec<u8>,
}

impl RawResponse {
    /// Parses a complete HTTP/1.1 response (read until the server closed).
    /// A chunked body is de-chunked.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_testkit::RawResponse;
    /// let raw = b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
    /// assert_eq!(RawResponse::parse(raw).unwrap().body, b"abcde");
    /// assert!(RawResponse::parse(b"HTTP/1.0 200 OK\r\n\r\n").is_err());
    /// ```
    ///
    /// # Errors
    ///
    /// `InvalidData` when the bytes are not a complete response.
    pub fn parse(raw: &[u8]) -> io::Result<Self> {
        let bad = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_owned());
        let head_end = find(raw, b"\r\n\r\n").ok_or_else(|| bad("no end of header section"))?;
        let head = std::str::from_utf8(&raw[..head_end]).map_err(|_| bad("head is not UTF-8"))?;
        let mut lines = head.split("\r\n");
        let status_line = lines.next().ok_or_else(|| bad("no status line"))?;
        let mut parts = status_line.splitn(3, ' ');
        if parts.next() != Some("HTTP/1.1") {
            return Err(bad("not HTTP/1.1"));
        }
        let status = parts
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| bad("bad status code"))?;
        let mut headers = Vec::new();
        for line in lines {
            let (name, value) = line
                .split_once(':')
                .ok_or_else(|| bad("field without colon"))?;
            headers.push((
                name.to_ascii_lowercase(),
                value.trim_matches([' ', '\t']).as_bytes().to_vec(),
            ));
        }
        let rest = &raw[head_end + 4..];
        let chunked = headers
            .iter()
            .any(|(n, v)| n == "transfer-encoding" && v.eq_ignore_ascii_case(b"chunked"));
        let body = if chunked {
            dechunk(rest).ok_or_else(|| bad("bad chunked body"))?
        } else {
            let length = headers
                .iter()
                .find(|(n, _)| n == "content-length")
                .and_then(|(_, v)| std::str::from_utf8(v).ok()?.parse::<usize>().ok());
            match length {
                Some(n) if n <= rest.len() => rest[..n].to_vec(),
                Some(_) => return Err(bad("body shorter than content-length")),
                None => rest.to_vec(),
            }
        };
        Ok(Self {
            status,
            headers,
            body,
        })
    }

    /// The authentication field lines ([`AUTH_HEADERS`]), in wire order.
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_testkit::RawResponse;
    /// let raw = b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic\r\nContent-Type: text/plain\r\nWWW-Authenticate: Bearer\r\n\r\n";
    /// let response = RawResponse::parse(raw).unwrap();
    /// assert_eq!(
    ///     response.auth_headers(),
    ///     [
    ///         ("www-authenticate".to_owned(), b"Basic".to_vec()),
    ///         ("www-authenticate".to_owned(), b"Bearer".to_vec()),
    ///     ]
    /// );
    /// ```
    pub fn auth_headers(&self) -> Vec<(String, Vec<u8>)> {
        self.headers
            .iter()
            .filter(|(n, _)| AUTH_HEADERS.contains(&n.as_str()))
            .cloned()
            .collect()
    }

    /// The values of every field line named `name` (lower case).
    ///
    /// # Examples
    ///
    /// ```
    /// use authscheme_testkit::RawResponse;
    /// let raw = b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic\r\nwww-authenticate: Bearer\r\n\r\n";
    /// let response = RawResponse::parse(raw).unwrap();
    /// assert_eq!(response.header_values("www-authenticate"), [&b"Basic"[..], &b"Bearer"[..]]);
    /// assert!(response.header_values("WWW-Authenticate").is_empty());
    /// ```
    pub fn header_values(&self, name: &str) -> Vec<&[u8]> {
        self.headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_slice())
            .collect()
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn dechunk(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = find(rest, b"\r\n")?;
        let size_text = std::str::from_utf8(&rest[..line_end]).ok()?;
        let size_text = size_text.split(';').next()?.trim();
        let size = usize::from_str_radix(size_text, 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn parses_repeated_fields_and_chunked_body() {
        let raw = b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"a\"\r\nwww-authenticate: Bearer\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        let r = RawResponse::parse(raw).unwrap();
        assert_eq!(r.status, 401);
        assert_eq!(
            r.header_values("www-authenticate"),
            [&b"Basic realm=\"a\""[..], &b"Bearer"[..]]
        );
        assert_eq!(r.body, b"abcde");
    }

    #[test]
    fn chunked_request_bytes() {
        let bytes = RawRequest::post("/x").body("abcde").chunked(2).to_bytes();
        assert!(bytes.ends_with(b"\r\n\r\n2\r\nab\r\n2\r\ncd\r\n1\r\ne\r\n0\r\n\r\n"));
    }

    #[test]
    fn truncated_response_is_an_error() {
        assert!(RawResponse::parse(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nab").is_err());
    }
}
