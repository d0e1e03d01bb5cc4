//! End to end: Debian's molly-brown serves the generated capsules on loopback inside a private
//! network namespace (it binds every interface), with a fresh self-signed certificate, and
//! `openssl s_client` crawls them from `index.gmi`, following every link: every page must
//! answer `20 text/gemini` with the file's bytes, no link may answer 51, and every file of
//! the capsule must be reached. The server is killed by its PID when the test ends, pass or
//! fail.

mod common;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::io::Write;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use common::*;
use germ::ast::{Ast, Node};

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(tool).is_file()))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The running server; dropping it kills the server by PID and removes its directory.
struct Server {
    child: Child,
    dir: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Server {
    fn pid(&self) -> u32 {
        self.child.id()
    }

    /// One Gemini request from inside the server's network namespace: (header, body).
    fn fetch(&self, url: &str) -> (String, Vec<u8>) {
        let mut child = Command::new("timeout")
            .args(["10", "nsenter"])
            .arg(format!("--net=/proc/{}/ns/net", self.pid()))
            .args([
                "openssl",
                "s_client",
                "-quiet",
                "-connect",
                "127.0.0.1:1965",
                "-servername",
                "localhost",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("run openssl s_client");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(format!("{url}\r\n").as_bytes())
            .expect("send request");
        let out = child.wait_with_output().expect("openssl output");
        let data = out.stdout;
        match data.windows(2).position(|w| w == b"\r\n") {
            Some(i) => (
                String::from_utf8_lossy(&data[..i]).into_owned(),
                data[i + 2..].to_vec(),
            ),
            None => (String::from_utf8_lossy(&data).into_owned(), Vec::new()),
        }
    }
}

/// Copies `from` into `to` with world-readable modes: molly-brown reads as `nobody`.
fn copy_public(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o755)).expect("chmod dir");
    for e in std::fs::read_dir(from).expect("read dir") {
        let p = e.expect("entry").path();
        let dest = to.join(p.file_name().expect("name"));
        if p.is_dir() {
            copy_public(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).expect("copy");
            std::fs::set_permissions(&dest, std::fs::Permissions::from_mode(0o644))
                .expect("chmod file");
        }
    }
}

fn start_server(dir: &Path) -> Server {
    let certs = dir.join("certs");
    std::fs::create_dir_all(&certs).expect("certs dir");
    let status = Command::new("openssl")
        .args([
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
        ])
        .args(["-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"])
        .arg("-keyout")
        .arg(certs.join("localhost.key"))
        .arg("-out")
        .arg(certs.join("localhost.crt"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run openssl req");
    assert!(status.success(), "openssl could not make a certificate");
    let conf = dir.join("molly.conf");
    let d = path_str(dir);
    std::fs::write(
        &conf,
        format!(
            "Port = 1965\nHostname = \"localhost\"\nCertPath = \"{d}/certs/localhost.crt\"\n\
             KeyPath = \"{d}/certs/localhost.key\"\nDocBase = \"{d}/capsule/\"\n\
             DefaultLang = \"en\"\nAccessLog = \"{d}/access.log\"\nErrorLog = \"{d}/error.log\"\n"
        ),
    )
    .expect("write molly.conf");
    // `unshare` and `sh` exec into molly-brown, so the child's PID is the server's.
    let child = Command::new("unshare")
        .args(["--net", "sh", "-c"])
        .arg(format!(
            "ip link set lo up && exec molly-brown -c '{}'",
            path_str(&conf)
        ))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start unshare");
    Server {
        child,
        dir: dir.to_path_buf(),
    }
}

/// Resolves a link against the URL of the page holding it (paths only, same host).
fn join_url(base: &str, link: &str) -> String {
    let (origin, path) = base
        .strip_prefix("gemini://localhost")
        .map(|p| ("gemini://localhost", p))
        .expect("a localhost URL");
    let dir = &path[..path.rfind('/').map(|i| i + 1).unwrap_or(0)];
    let joined = format!("{dir}{link}");
    let mut segs: Vec<&str> = Vec::new();
    for s in joined.split('/') {
        match s {
            "" | "." => {}
            ".." => {
                segs.pop();
            }
            s => segs.push(s),
        }
    }
    let trailing = if link.ends_with('/') { "/" } else { "" };
    format!("{origin}/{}{trailing}", segs.join("/"))
}

#[test]
fn molly_brown_serves_every_page_and_link() {
    let tools = [
        "molly-brown",
        "openssl",
        "unshare",
        "nsenter",
        "ip",
        "timeout",
    ];
    if tools.iter().any(|t| tool_missing(t, on_path(t))) {
        return;
    }
    if tool_missing("root (for unshare --net)", is_root()) {
        return;
    }
    let books = [
        ("kr2023", kr_book()),
        ("features", root().join("tests/fixtures/features")),
        ("feed", root().join("tests/fixtures/gemini-feed")),
    ];
    // Outside target/: `nobody` must be able to traverse every directory above the capsule.
    let dir = std::env::temp_dir().join(format!("kr-gemini-e2e-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("tmp dir");
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let mut expected: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (name, book) in &books {
        let out = scratch(&format!("gemini-e2e-{name}"));
        build_ok(book, &out, "gemini", &[]);
        // Each book under its own sub-path: relative links must work below any prefix.
        copy_public(&out.join("gemini"), &dir.join("capsule").join(name));
        collect(&dir.join("capsule").join(name), name, &mut expected);
    }
    let server = start_server(&dir);

    let first = format!("gemini://localhost/{}/index.gmi", books[0].0);
    let mut ready = false;
    for _ in 0..50 {
        if server.fetch(&first).0.starts_with("20") {
            ready = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let log = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap_or_default();
    assert!(ready, "molly-brown did not answer: {}", log("error.log"));

    // The client must tell a missing page apart, or the 51 check below proves nothing.
    let (missing, _) = server.fetch("gemini://localhost/kr2023/no-such-page.gmi");
    assert!(missing.starts_with("51"), "{missing}");

    let mut queue: VecDeque<(String, String)> = VecDeque::new();
    for (name, _) in &books {
        for start in ["index.gmi", "robots.txt"] {
            queue.push_back((format!("gemini://localhost/{name}/{start}"), "start".into()));
        }
    }
    queue.push_back(("gemini://localhost/feed/atom.xml".into(), "start".into()));
    let mut seen: BTreeSet<String> = queue.iter().map(|(u, _)| u.clone()).collect();
    let mut failures = Vec::new();
    let mut fetched = 0;
    while let Some((url, from)) = queue.pop_front() {
        let (header, body) = server.fetch(&url);
        fetched += 1;
        let path = url.trim_start_matches("gemini://localhost/").to_string();
        if !header.starts_with("20 ") {
            failures.push(format!("{url} (linked from {from}) answered `{header}`"));
            continue;
        }
        if expected.get(&path) != Some(&body) {
            failures.push(format!("{url}: body differs from the capsule file"));
        }
        if !path.ends_with(".gmi") {
            continue;
        }
        if !header.starts_with("20 text/gemini") {
            failures.push(format!("{url} answered `{header}`, not text/gemini"));
        }
        let text = String::from_utf8_lossy(&body);
        for node in Ast::from_string(&text).inner() {
            let Node::Link { to, .. } = node else {
                continue;
            };
            let next = if to.starts_with("gemini://") {
                to.clone()
            } else if to.contains("://") || to.starts_with("mailto:") {
                continue; // the web is out of scope
            } else {
                join_url(&url, to)
            };
            if seen.insert(next.clone()) {
                queue.push_back((next, url.clone()));
            }
        }
    }
    drop(server);
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let reached: BTreeSet<String> = seen
        .iter()
        .map(|u| u.trim_start_matches("gemini://localhost/").to_string())
        .collect();
    let unreached: Vec<&String> = expected.keys().filter(|p| !reached.contains(*p)).collect();
    assert!(unreached.is_empty(), "files no link reaches: {unreached:?}");
    // Three capsules: 34 + 12 + 9 files, each fetched once.
    assert_eq!(fetched, expected.len());
    assert!(expected.len() >= 55, "{}", expected.len());
}

fn collect(dir: &Path, prefix: &str, out: &mut BTreeMap<String, Vec<u8>>) {
    for e in std::fs::read_dir(dir).expect("read dir") {
        let p = e.expect("entry").path();
        let name = p.file_name().and_then(|n| n.to_str()).expect("utf-8 name");
        let key = format!("{prefix}/{name}");
        if p.is_dir() {
            collect(&p, &key, out);
        } else {
            out.insert(key, std::fs::read(&p).expect("read"));
        }
    }
}
