//! AuthClient against real servers started here on free loopback ports with
//! generated configurations: Apache httpd (Basic; Digest MD5 with
//! `AuthDigestNcCheck On`), lighttpd (Digest SHA-256) and nginx (Basic).
//! Round trips are counted from each server's access log. A missing binary
//! is reported loudly and the test returns.

#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use authscheme::ClientCredentials;
use authscheme_digest::Algorithm;
use authscheme_digest::compute::ha1;
use authscheme_reqwest::{AuthClient, FixedCredentials};

const N: usize = 5;

fn have(binary: &str) -> bool {
    if Path::new(binary).exists() {
        return true;
    }
    eprintln!("SKIPPED: {binary} not installed");
    false
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A server process, stopped (SIGTERM, so logs are flushed) on drop.
struct Running {
    child: Child,
    dir: tempfile::TempDir,
    port: u16,
    name: &'static str,
}

impl Running {
    fn start(name: &'static str, mut cmd: Command, dir: tempfile::TempDir, port: u16) -> Self {
        let log = std::fs::File::create(dir.path().join("stdout.log")).unwrap();
        let child = cmd
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        let running = Self {
            child,
            dir,
            port,
            name,
        };
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "{name} did not start: {}",
                running.logs()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        running
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    fn logs(&self) -> String {
        let mut out = String::new();
        for f in ["stdout.log", "error.log"] {
            out += &std::fs::read_to_string(self.dir.path().join(f)).unwrap_or_default();
        }
        out
    }

    /// Stops the server and returns its access log lines.
    fn stop(mut self) -> Vec<String> {
        self.terminate();
        std::fs::read_to_string(self.dir.path().join("access.log"))
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    fn terminate(&mut self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            eprintln!("stopping {}", self.name);
            self.terminate();
        }
    }
}

fn site(dir: &Path, paths: &[&str]) -> PathBuf {
    let root = dir.join("htdocs");
    for p in paths {
        std::fs::create_dir_all(root.join(p)).unwrap();
        std::fs::write(root.join(p).join("index.html"), format!("{p}-ok\n")).unwrap();
    }
    root
}

/// An htpasswd line from Apache's own tool (bcrypt).
fn htpasswd(dir: &Path) -> Option<PathBuf> {
    if !have("/usr/bin/htpasswd") {
        return None;
    }
    let path = dir.join("htpasswd");
    let ok = Command::new("/usr/bin/htpasswd")
        .args(["-cbB", path.to_str().unwrap(), "alice", "wonderland"])
        .output()
        .unwrap()
        .status
        .success();
    assert!(ok, "htpasswd failed");
    Some(path)
}

fn htdigest(dir: &Path, realm: &str, algorithm: Algorithm) -> PathBuf {
    let path = dir.join("htdigest");
    let hash = ha1(algorithm, "alice", realm, "wonderland");
    std::fs::write(&path, format!("alice:{realm}:{}\n", hash.as_str())).unwrap();
    path
}

fn alice() -> AuthClient {
    AuthClient::new(FixedCredentials::new(ClientCredentials::password(
        "alice",
        "wonderland",
    )))
    .insecure_allow_basic_over_http(true)
}

async fn get_n(client: &AuthClient, url: &str, expect: &str) {
    for i in 0..N {
        let r = client.send(client.get(url)).await.unwrap();
        assert_eq!(r.status(), 200, "request {i} to {url}");
        assert_eq!(r.text().await.unwrap(), expect);
    }
}

fn count(log: &[String], status: &str, path: &str) -> usize {
    log.iter()
        .filter(|l| l.starts_with(status) && l.contains(path))
        .count()
}

/// The start of an Apache configuration: a server of its own in `d` on
/// `port`, serving `root`, with the authentication `extra` modules
/// (`mod_<name>.so`) besides the ones every test needs, and an access log
/// of status and request line.
fn apache_preamble(d: &Path, port: u16, modules: &Path, root: &Path, extra: &[&str]) -> String {
    let (d, m) = (d.display(), modules.display());
    let mut conf = format!(
        r#"ServerRoot "{d}"
ServerName localhost
Listen 127.0.0.1:{port}
PidFile {d}/httpd.pid
DefaultRuntimeDir {d}
ErrorLog {d}/error.log
LoadModule mpm_prefork_module {m}/mod_mpm_prefork.so
LoadModule authn_core_module {m}/mod_authn_core.so
LoadModule authn_file_module {m}/mod_authn_file.so
LoadModule authz_core_module {m}/mod_authz_core.so
LoadModule authz_user_module {m}/mod_authz_user.so
"#
    );
    for name in extra {
        conf.push_str(&format!("LoadModule {name}_module {m}/mod_{name}.so\n"));
    }
    conf.push_str(&format!(
        "LogFormat \"%s %r\" brief\nCustomLog {d}/access.log brief\nDocumentRoot \"{}\"",
        root.display()
    ));
    conf
}

#[tokio::test]
async fn apache_basic_and_digest_md5_with_nc_check() {
    if !have("/usr/sbin/apache2") {
        return;
    }
    let modules = Path::new("/usr/lib/apache2/modules");
    if !modules.join("mod_auth_digest.so").exists() {
        eprintln!("SKIPPED: apache2 mod_auth_digest not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let root = site(d, &["basic", "digest"]);
    let Some(htpasswd) = htpasswd(d) else { return };
    let htdigest = htdigest(d, "apache digest", Algorithm::Md5);
    let port = free_port();
    let preamble = apache_preamble(d, port, modules, &root, &["auth_basic", "auth_digest"]);
    let conf = format!(
        r#"{preamble}
<Location /basic/>
  AuthType Basic
  AuthName "apache basic"
  AuthBasicProvider file
  AuthUserFile {htpasswd}
  Require valid-user
</Location>
<Location /digest/>
  AuthType Digest
  AuthName "apache digest"
  AuthDigestProvider file
  AuthUserFile {htdigest}
  AuthDigestDomain /digest/
  AuthDigestNcCheck On
  Require valid-user
</Location>
"#,
        htpasswd = htpasswd.display(),
        htdigest = htdigest.display(),
    );
    std::fs::write(d.join("httpd.conf"), conf).unwrap();
    let mut cmd = Command::new("/usr/sbin/apache2");
    cmd.args(["-X", "-f", d.join("httpd.conf").to_str().unwrap()]);
    let server = Running::start("apache2", cmd, dir, port);

    let client = alice();
    get_n(&client, &server.url("/digest/index.html"), "digest-ok\n").await;
    get_n(&client, &server.url("/basic/index.html"), "basic-ok\n").await;
    let logs = server.logs();
    let log = server.stop();
    assert_eq!(count(&log, "401", "/digest/"), 1, "{log:?} {logs}");
    assert_eq!(count(&log, "200", "/digest/"), N, "{log:?}");
    assert_eq!(count(&log, "401", "/basic/"), 1, "{log:?}");
    assert_eq!(count(&log, "200", "/basic/"), N, "{log:?}");
}

/// The audit's case: Apache's `AuthName` holds a raw ISO-8859-1 octet, so
/// the realm it sends is not UTF-8. The client echoes the realm's octets
/// and hashes them in HA1 (as curl does), so Apache takes the answer, and
/// checks Apache's `rspauth` over the same octets.
#[tokio::test]
async fn apache_digest_with_a_realm_that_is_not_utf8() {
    if !have("/usr/sbin/apache2") {
        return;
    }
    let modules = Path::new("/usr/lib/apache2/modules");
    if !modules.join("mod_auth_digest.so").exists() {
        eprintln!("SKIPPED: apache2 mod_auth_digest not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let root = site(d, &["digest"]);
    let realm: &[u8] = b"ap-l1-\xfc";
    let hash = Algorithm::Md5.hash_parts(&[b"alice", realm, b"wonderland"]);
    let htdigest = d.join("htdigest");
    std::fs::write(
        &htdigest,
        [b"alice:", realm, b":", hash.as_bytes(), b"\n"].concat(),
    )
    .unwrap();
    let port = free_port();
    let preamble = apache_preamble(d, port, modules, &root, &["auth_digest"]);
    let conf = format!(
        r#"{preamble}
<Location /digest/>
  AuthType Digest
  AuthName "REALM"
  AuthDigestProvider file
  AuthUserFile {htdigest}
  Require valid-user
</Location>
"#,
        htdigest = htdigest.display(),
    );
    let (before, after) = conf.split_once("REALM").unwrap();
    let conf = [before.as_bytes(), realm, after.as_bytes()].concat();
    std::fs::write(d.join("httpd.conf"), conf).unwrap();
    let mut cmd = Command::new("/usr/sbin/apache2");
    cmd.args(["-X", "-f", d.join("httpd.conf").to_str().unwrap()]);
    let server = Running::start("apache2", cmd, dir, port);

    let client = alice();
    let url = server.url("/digest/index.html");
    let first = client.send(client.get(&url)).await.unwrap();
    let logs = server.logs();
    assert_eq!(first.status(), 200, "{logs}");
    assert!(first.headers().contains_key("authentication-info"));
    get_n(&client, &url, "digest-ok\n").await;
    let log = server.stop();
    assert_eq!(count(&log, "401", "/digest/"), 1, "{log:?}");
    assert_eq!(count(&log, "200", "/digest/"), N + 1, "{log:?}");
}

#[tokio::test]
async fn lighttpd_digest_sha256() {
    if !have("/usr/sbin/lighttpd") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let root = site(d, &["digest"]);
    let htdigest = htdigest(d, "lighttpd zone", Algorithm::Sha256);
    let port = free_port();
    let conf = format!(
        r#"server.document-root = "{root}"
server.bind = "127.0.0.1"
server.port = {port}
server.errorlog = "{d}/error.log"
server.modules = ("mod_auth", "mod_authn_file", "mod_accesslog")
accesslog.filename = "{d}/access.log"
accesslog.format = "%s %r"
auth.backend = "htdigest"
auth.backend.htdigest.userfile = "{htdigest}"
auth.require = ( "/digest/" => ( "method" => "digest", "algorithm" => "SHA-256", "realm" => "lighttpd zone", "require" => "valid-user" ) )
"#,
        d = d.display(),
        root = root.display(),
        htdigest = htdigest.display(),
    );
    std::fs::write(d.join("lighttpd.conf"), conf).unwrap();
    let mut cmd = Command::new("/usr/sbin/lighttpd");
    cmd.args(["-D", "-f", d.join("lighttpd.conf").to_str().unwrap()]);
    let server = Running::start("lighttpd", cmd, dir, port);

    let client = alice();
    get_n(&client, &server.url("/digest/index.html"), "digest-ok\n").await;
    let log = server.stop();
    assert_eq!(count(&log, "401", "/digest/"), 1, "{log:?}");
    assert_eq!(count(&log, "200", "/digest/"), N, "{log:?}");
}

#[tokio::test]
async fn nginx_basic() {
    if !have("/usr/sbin/nginx") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let root = site(d, &["basic"]);
    let Some(htpasswd) = htpasswd(d) else { return };
    let port = free_port();
    let conf = format!(
        r#"pid {d}/nginx.pid;
error_log {d}/error.log;
worker_processes 1;
events {{ worker_connections 64; }}
http {{
  log_format brief '$status $request';
  access_log {d}/access.log brief;
  client_body_temp_path {d}/body;
  proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi;
  scgi_temp_path {d}/scgi;
  server {{
    listen 127.0.0.1:{port};
    root {root};
    location /basic/ {{
      auth_basic "nginx basic";
      auth_basic_user_file {htpasswd};
    }}
  }}
}}
"#,
        d = d.display(),
        root = root.display(),
        htpasswd = htpasswd.display(),
    );
    std::fs::write(d.join("nginx.conf"), conf).unwrap();
    let mut cmd = Command::new("/usr/sbin/nginx");
    cmd.args([
        "-p",
        d.to_str().unwrap(),
        "-e",
        d.join("error.log").to_str().unwrap(),
        "-c",
        d.join("nginx.conf").to_str().unwrap(),
        "-g",
        "daemon off;",
    ]);
    let server = Running::start("nginx", cmd, dir, port);

    let client = alice();
    get_n(&client, &server.url("/basic/index.html"), "basic-ok\n").await;
    // Without the insecure flag, Basic over http is refused before sending.
    let strict = AuthClient::new(FixedCredentials::new(ClientCredentials::password(
        "alice",
        "wonderland",
    )));
    let err = strict
        .send(strict.get(server.url("/basic/index.html")))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Basic"), "{err}");
    let log = server.stop();
    assert_eq!(count(&log, "401", "/basic/"), 2, "{log:?}");
    assert_eq!(count(&log, "200", "/basic/"), N, "{log:?}");
}
