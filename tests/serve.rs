//! `kr-publish serve`: the capsule over TLS on a local Gemini server, asked with a real client
//! (`openssl s_client`): the right statuses and MIME types, and nothing outside the capsule.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use common::*;

/// The response to `url` from the server at `addr`: its header line and body.
fn ask(addr: &str, url: &str) -> (String, String) {
    let mut client = Command::new("openssl")
        .args([
            "s_client",
            "-connect",
            addr,
            "-quiet",
            "-servername",
            "localhost",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("openssl runs");
    let mut stdin = client.stdin.take().expect("stdin");
    stdin
        .write_all(format!("{url}\r\n").as_bytes())
        .expect("request");
    let out = client.wait_with_output().expect("response");
    drop(stdin);
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (header, body) = text.split_once("\r\n").unwrap_or((&text, ""));
    (header.to_string(), body.to_string())
}

#[test]
fn serve_answers_gemini_requests_for_the_capsule() {
    let present = Command::new("openssl").arg("version").output().is_ok();
    if tool_missing("openssl", present) {
        return;
    }
    let dir = scratch("serve");
    let mut server = Command::new(env!("CARGO_BIN_EXE_kr-publish"))
        .args([
            "--book",
            path_str(&kr_book()),
            "--out",
            path_str(&dir.join("out")),
        ])
        .args(["--format", "gemini", "serve", "--addr", "127.0.0.1:0"])
        .env("XDG_CACHE_HOME", dir.join("cache"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("kr-publish serve starts");
    let (tx, rx) = mpsc::channel();
    let stdout = server.stdout.take().expect("stdout");
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let next = || {
        rx.recv_timeout(Duration::from_secs(60))
            .expect("serve says something")
    };
    let serving = next();
    let addr = serving
        .strip_prefix("serving gemini://")
        .and_then(|r| r.split('/').next())
        .unwrap_or_else(|| panic!("{serving}"))
        .to_string();
    assert!(next().starts_with("built gemini"), "no build");
    assert!(
        dir.join("cache/kr-publish/cert.pem").is_file(),
        "no certificate kept"
    );
    let (header, body) = ask(&addr, "gemini://localhost/");
    assert_eq!(header, "20 text/gemini; charset=utf-8; lang=en");
    assert!(body.starts_with("# Kernel Recipes 2023"), "{body}");
    // Follow the first local link of the home page.
    let link = body
        .lines()
        .filter_map(|l| l.strip_prefix("=> "))
        .map(|l| l.split_whitespace().next().unwrap_or_default())
        .find(|t| t.ends_with(".gmi") && !t.contains("://"))
        .expect("a local link")
        .to_string();
    let (header, _) = ask(&addr, &format!("gemini://localhost/{link}"));
    assert!(header.starts_with("20 text/gemini"), "{link}: {header}");
    assert_eq!(
        ask(&addr, "gemini://localhost/no-such-page.gmi").0,
        "51 Not found"
    );
    assert_eq!(
        ask(&addr, "gemini://localhost/../../../etc/passwd").0,
        "59 Bad path"
    );
    let _ = server.kill();
    let _ = server.wait();
}
