//! `cargo xtask timing`: does a Basic-protected route answer an unknown user
//! as fast as a known user with a wrong password?
//!
//! Starts a release build of `authscheme serve`, then sends interleaved
//! requests over one keep-alive connection: unknown user, known user with a
//! wrong password, alternating, thousands of each. Reports medians, Welch's
//! t statistic and the two-sample Kolmogorov-Smirnov statistic with its
//! asymptotic p-value. The check fails when the distributions differ at the
//! 1 % level.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{cargo, root};

/// `alice:not-her-password`, base64.
const KNOWN_WRONG: &str = "YWxpY2U6bm90LWhlci1wYXNzd29yZA==";
/// `mallory:not-her-password`, base64: a user that does not exist.
const UNKNOWN: &str = "bWFsbG9yeTpub3QtaGVyLXBhc3N3b3Jk";

pub(crate) fn run(samples: usize) -> Result<(), String> {
    crate::run(
        "build release CLI",
        cargo().args(["build", "--release", "-p", "authscheme-cli"]),
    )?;
    let port = free_port()?;
    let mut server = ServerGuard(
        Command::new(root().join("target/release/authscheme"))
            .args([
                "serve",
                "--workers",
                "1",
                "--addr",
                &format!("127.0.0.1:{port}"),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start the server: {e}"))?,
    );
    let mut conn = connect(port)?;
    // Warm up both paths (and the server's caches of anything public).
    for _ in 0..50 {
        request(&mut conn, port, UNKNOWN)?;
        request(&mut conn, port, KNOWN_WRONG)?;
    }
    let mut unknown = Vec::with_capacity(samples);
    let mut wrong = Vec::with_capacity(samples);
    for i in 0..samples * 2 {
        // Alternate which goes first so drift hits both equally.
        let (creds, out) = if (i / 2 + i) % 2 == 0 {
            (UNKNOWN, &mut unknown)
        } else {
            (KNOWN_WRONG, &mut wrong)
        };
        let start = Instant::now();
        let status = request(&mut conn, port, creds)?;
        out.push(start.elapsed().as_secs_f64() * 1e6);
        if status != 401 {
            return Err(format!("expected 401, got {status}"));
        }
    }
    server.0.kill().ok();
    let report = compare(&mut unknown, &mut wrong);
    println!("{report}");
    if report.ks_p < 0.01 {
        return Err("response times differ: a user's existence can be learned by timing".into());
    }
    Ok(())
}

pub(crate) struct ServerGuard(pub(crate) Child);

impl Drop for ServerGuard {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

pub(crate) fn free_port() -> Result<u16, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    l.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

/// A connection to the server on `port`, waiting up to 30 s for it to come
/// up (it hashes its users first).
pub(crate) fn connect(port: u16) -> Result<BufReader<TcpStream>, String> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        match TcpStream::connect(("127.0.0.1", port)) {
            Ok(s) => {
                s.set_nodelay(true).ok();
                return Ok(BufReader::new(s));
            }
            Err(_) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => return Err(format!("server did not come up: {e}")),
        }
    }
}

/// One keep-alive request; returns the status.
fn request(conn: &mut BufReader<TcpStream>, port: u16, basic: &str) -> Result<u16, String> {
    let req = format!(
        "GET /basic HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Basic {basic}\r\n\r\n"
    );
    conn.get_mut()
        .write_all(req.as_bytes())
        .map_err(|e| e.to_string())?;
    let mut line = String::new();
    conn.read_line(&mut line).map_err(|e| e.to_string())?;
    let status: u16 = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("bad status line")?;
    let mut length = 0usize;
    loop {
        line.clear();
        conn.read_line(&mut line).map_err(|e| e.to_string())?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().map_err(|_| "bad content-length")?;
        }
    }
    let mut body = vec![0; length];
    conn.read_exact(&mut body).map_err(|e| e.to_string())?;
    Ok(status)
}

pub(crate) struct Report {
    n: usize,
    median_unknown: f64,
    median_wrong: f64,
    welch_t: f64,
    ks_d: f64,
    ks_p: f64,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "samples per group        {}", self.n)?;
        writeln!(f, "median unknown user      {:.1} us", self.median_unknown)?;
        writeln!(f, "median wrong password    {:.1} us", self.median_wrong)?;
        writeln!(f, "Welch t                  {:.3}", self.welch_t)?;
        write!(
            f,
            "Kolmogorov-Smirnov D     {:.4} (p = {:.3})",
            self.ks_d, self.ks_p
        )
    }
}

fn mean_var(x: &[f64]) -> (f64, f64) {
    let n = x.len() as f64;
    let mean = x.iter().sum::<f64>() / n;
    let var = x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (mean, var)
}

pub(crate) fn compare(a: &mut [f64], b: &mut [f64]) -> Report {
    a.sort_by(f64::total_cmp);
    b.sort_by(f64::total_cmp);
    // Welch on the central 98 % to keep scheduler hiccups from dominating.
    let trim = |x: &[f64]| -> Vec<f64> {
        let cut = x.len() / 100;
        x[cut..x.len() - cut].to_vec()
    };
    let (ta, tb) = (trim(a), trim(b));
    let (ma, va) = mean_var(&ta);
    let (mb, vb) = mean_var(&tb);
    let welch_t = (ma - mb) / (va / ta.len() as f64 + vb / tb.len() as f64).sqrt();
    // Two-sample KS statistic over the full samples.
    let (mut i, mut j, mut d) = (0, 0, 0f64);
    while i < a.len() && j < b.len() {
        if a[i] <= b[j] {
            i += 1;
        } else {
            j += 1;
        }
        d = d.max((i as f64 / a.len() as f64 - j as f64 / b.len() as f64).abs());
    }
    let ne = (a.len() * b.len()) as f64 / (a.len() + b.len()) as f64;
    let lambda = (ne.sqrt() + 0.12 + 0.11 / ne.sqrt()) * d;
    // Kolmogorov distribution tail: 2 sum (-1)^(k-1) exp(-2 k^2 lambda^2).
    let mut p = 0.0;
    for k in 1..100 {
        let term = 2.0 * (-1f64).powi(k - 1) * (-2.0 * f64::from(k * k) * lambda * lambda).exp();
        p += term;
    }
    Report {
        n: a.len().min(b.len()),
        median_unknown: a[a.len() / 2],
        median_wrong: b[b.len() / 2],
        welch_t,
        ks_d: d,
        ks_p: p.clamp(0.0, 1.0),
    }
}

#[cfg(test)]
mod tests {
    use super::compare;

    #[test]
    fn identical_distributions_are_not_flagged_and_shifted_ones_are() {
        let mut a: Vec<f64> = (0..4000).map(|i| f64::from(i % 97)).collect();
        let mut b = a.clone();
        b.reverse();
        assert!(compare(&mut a, &mut b).ks_p > 0.5);
        let mut c: Vec<f64> = (0..4000).map(|i| f64::from(i % 97) + 20.0).collect();
        assert!(compare(&mut a, &mut c).ks_p < 0.001);
    }
}
