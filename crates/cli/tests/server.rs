//! `qizhi serve` as a client on the network meets it, over loopback: a
//! thousand connections that never finish their headers do not stop the
//! health check, a client trickling its headers is cut off, every answer
//! carries the security headers, sign-in throttling outlives a restart, and
//! a trusted proxy's word decides the client's address and `Secure` cookies.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PASSWORD: &str = "Qizhi-serve-2026";

fn qizhi(dir: &Path, args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_qizhi"))
        .current_dir(dir)
        .args(["--config", "qizhi.toml"])
        .args(args)
        .env("QIZHI_LOG", "warn")
        .output()
        .expect("run qizhi");
    assert!(out.status.success(), "qizhi {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// A database with one administrator, and a config file with `extra` lines.
fn setup(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("q.db").display());
    std::fs::write(dir.path().join("qizhi.toml"), format!("db = \"{db}\"\n{extra}")).unwrap();
    qizhi(dir.path(), &["migrate"]);
    qizhi(dir.path(), &["user", "add", "admin", "--role", "system_admin", "--password", PASSWORD]);
    dir
}

/// A running `qizhi serve` on an ephemeral loopback port; killed on drop.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    fn start(dir: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_qizhi"))
            .current_dir(dir)
            .args(["--config", "qizhi.toml", "serve", "--addr", "127.0.0.1:0"])
            .env("QIZHI_LOG", "warn")
            .stdout(Stdio::piped())
            .spawn()
            .expect("start qizhi serve");
        let mut out = child.stdout.take().unwrap();
        let mut said = Vec::new();
        let mut byte = [0u8; 1];
        while !said.ends_with(b"\n") && out.read(&mut byte).unwrap_or(0) == 1 {
            said.push(byte[0]);
        }
        let line = String::from_utf8_lossy(&said).into_owned();
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|a| a.trim().trim_end_matches('/').parse().ok())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Server { child, addr }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    fn header(&self, name: &str) -> Vec<String> {
        self.head
            .lines()
            .filter_map(|l| l.split_once(':'))
            .filter(|(k, _)| k.trim().eq_ignore_ascii_case(name))
            .map(|(_, v)| v.trim().to_string())
            .collect()
    }

    fn cookie(&self, name: &str) -> Option<String> {
        self.header("set-cookie")
            .iter()
            .find_map(|c| c.strip_prefix(&format!("{name}=")).map(|v| v.split(';').next().unwrap_or("").to_string()))
    }
}

/// One HTTP/1.1 request on a new connection, read to its end.
fn http(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Answer {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    if !body.is_empty() {
        req.push_str(&format!("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n", body.len()));
    }
    req.push_str("\r\n");
    req.push_str(body);
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = s.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    Answer { status, head: head.to_string(), body: body.to_string() }
}

/// A sign-in through the form, with the login CSRF cookie and token.
fn sign_in(addr: SocketAddr, username: &str, password: &str, headers: &[(&str, &str)]) -> Answer {
    let form = http(addr, "GET", "/login", headers, "");
    let csrf = form.cookie("qizhi_login_csrf").expect("a login CSRF cookie");
    let cookie = format!("qizhi_login_csrf={csrf}");
    let mut with_cookie = headers.to_vec();
    with_cookie.push(("Cookie", &cookie));
    let body = format!("username={username}&password={password}&next=%2F&csrf={csrf}");
    http(addr, "POST", "/login", &with_cookie, &body)
}

#[test]
fn half_open_connections_do_not_stop_the_health_check_and_trickling_headers_are_cut_off() {
    let dir = setup("header_timeout_secs = 2\n");
    let server = Server::start(dir.path());
    let mut idle = Vec::new();
    for _ in 0..1100 {
        let mut s = TcpStream::connect(server.addr).unwrap();
        s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
        idle.push(s);
    }
    let started = Instant::now();
    let health = http(server.addr, "GET", "/healthz", &[], "");
    let took = started.elapsed();
    assert_eq!((health.status, health.body.as_str()), (200, "ok"));
    assert!(took < Duration::from_secs(1), "the health check answered in {took:?} beside 1,100 half-open connections");

    // One byte of header every half second never makes a request.
    let mut slow = TcpStream::connect(server.addr).unwrap();
    slow.set_read_timeout(Some(Duration::from_millis(100))).unwrap();
    let started = Instant::now();
    let mut closed = false;
    for byte in b"GET /healthz HTTP/1.1\r\nHost: slow-client.example\r\nX-Pad: aaaaaaaaaaaaaaaa".iter().cycle().take(40)
    {
        if slow.write_all(&[*byte]).is_err() {
            closed = true;
            break;
        }
        let mut buf = [0u8; 256];
        match slow.read(&mut buf) {
            Ok(_) => {
                closed = true;
                break;
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => {
                closed = true;
                break;
            }
        }
        std::thread::sleep(Duration::from_millis(400));
    }
    assert!(closed, "the trickling client was never cut off");
    assert!(started.elapsed() < Duration::from_secs(8), "cut off after {:?}", started.elapsed());
    // The idle ones are gone too, and the server still answers.
    drop(idle);
    assert_eq!(http(server.addr, "GET", "/healthz", &[], "").status, 200);
}

#[test]
fn every_answer_carries_the_security_headers() {
    let dir = setup("");
    let server = Server::start(dir.path());
    for path in ["/login", "/", "/no-such-page", "/api/v1/me", "/healthz"] {
        let a = http(server.addr, "GET", path, &[], "");
        let csp = a.header("content-security-policy").join(" ");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {}", a.head);
        assert_eq!(a.header("x-frame-options"), ["DENY"], "{path}");
        assert_eq!(a.header("x-content-type-options"), ["nosniff"], "{path}");
        assert_eq!(a.header("referrer-policy"), ["same-origin"], "{path}");
        assert_eq!(a.header("cache-control"), ["no-store"], "{path}");
    }
}

#[test]
fn sign_in_throttling_outlives_a_restart() {
    let dir = setup("");
    let server = Server::start(dir.path());
    for _ in 0..qizhi_web::throttle::PER_PAIR {
        assert_eq!(sign_in(server.addr, "admin", "wrong-password", &[]).status, 401);
    }
    drop(server);
    let server = Server::start(dir.path());
    let a = sign_in(server.addr, "admin", PASSWORD, &[]);
    assert_eq!(a.status, 401, "still locked after a restart");
    assert!(a.body.contains("登录失败次数过多"), "{}", a.body);
}

#[test]
fn a_trusted_proxy_decides_the_client_address_and_secure_cookies() {
    let dir = setup("trusted_proxies = [\"127.0.0.1\"]\n");
    let server = Server::start(dir.path());
    let https = [("X-Forwarded-Proto", "https"), ("X-Forwarded-For", "203.0.113.9")];
    let a = sign_in(server.addr, "admin", PASSWORD, &https);
    assert_eq!(a.status, 303, "{}", a.head);
    let session = a.header("set-cookie").into_iter().find(|c| c.starts_with("qizhi_session=")).unwrap();
    assert!(session.contains("Secure"), "{session}");
    // Behind the proxy, failures of one client do not lock another.
    for _ in 0..qizhi_web::throttle::PER_PAIR {
        sign_in(server.addr, "admin", "wrong", &[("X-Forwarded-For", "198.51.100.7")]);
    }
    let a = sign_in(server.addr, "admin", PASSWORD, &[("X-Forwarded-For", "203.0.113.9")]);
    assert_eq!(a.status, 303, "the real user signs in: {}", a.body);
    let locked = sign_in(server.addr, "admin", PASSWORD, &[("X-Forwarded-For", "198.51.100.7")]);
    assert_eq!(locked.status, 401);
    // Plain HTTP through the proxy: no Secure flag.
    let a = sign_in(server.addr, "admin", PASSWORD, &[("X-Forwarded-For", "203.0.113.9")]);
    let session = a.header("set-cookie").into_iter().find(|c| c.starts_with("qizhi_session=")).unwrap();
    assert!(!session.contains("Secure"), "{session}");
}
