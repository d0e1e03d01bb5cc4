//! `kr-publish serve`: the capsule on a local Gemini server, to read it as a Gemini client
//! will. TLS (rustls) with a self-signed certificate made on first use and kept in the user's
//! cache folder; loopback only unless told otherwise; status 20 with the file's MIME type,
//! 31 to add a directory's slash, 51 for what the capsule lacks, 59 for a bad request; no
//! request reaches outside the capsule.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// The longest request line Gemini allows: a URL of 1024 bytes and CRLF.
const MAX_REQUEST: usize = 1026;

/// Why the server cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The certificate cannot be made, read or written.
    #[error("certificate `{0}`: {1}")]
    Certificate(PathBuf, String),
    /// rustls refuses the certificate.
    #[error("TLS: {0}")]
    Tls(#[from] rustls::Error),
}

/// The TLS settings of the server: the certificate and key in `cache_dir` (made there, for
/// `localhost`, when absent).
pub fn tls_config(cache_dir: &Path) -> Result<Arc<rustls::ServerConfig>, ServeError> {
    let (cert_path, key_path) = (cache_dir.join("cert.pem"), cache_dir.join("key.pem"));
    let bad = |path: &Path, e: &dyn std::fmt::Display| {
        ServeError::Certificate(path.to_path_buf(), e.to_string())
    };
    if !cert_path.exists() || !key_path.exists() {
        let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])
            .map_err(|e| bad(&cert_path, &e))?;
        std::fs::create_dir_all(cache_dir).map_err(|e| bad(cache_dir, &e))?;
        std::fs::write(&cert_path, made.cert.pem()).map_err(|e| bad(&cert_path, &e))?;
        std::fs::write(&key_path, made.signing_key.serialize_pem())
            .map_err(|e| bad(&key_path, &e))?;
    }
    let cert = CertificateDer::from_pem_file(&cert_path).map_err(|e| bad(&cert_path, &e))?;
    let key = PrivateKeyDer::from_pem_file(&key_path).map_err(|e| bad(&key_path, &e))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(vec![cert], key)?;
    Ok(Arc::new(config))
}

/// Where the certificate is kept: `$XDG_CACHE_HOME/kr-publish`, else `~/.cache/kr-publish`.
pub fn cache_dir() -> PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("kr-publish")
}

/// Serves `capsule` to every connection `listener` accepts, each on its own thread; returns
/// only if the listener fails.
pub fn serve(
    listener: TcpListener,
    capsule: PathBuf,
    tls: Arc<rustls::ServerConfig>,
    lang: String,
) {
    let site = Arc::new((capsule, lang));
    for stream in listener.incoming().flatten() {
        let (tls, site) = (tls.clone(), site.clone());
        std::thread::spawn(move || {
            // A client that fails the handshake or hangs up only ends its own connection.
            let _ = connection(stream, tls, &site.0, &site.1);
        });
    }
}

fn connection(
    stream: TcpStream,
    tls: Arc<rustls::ServerConfig>,
    capsule: &Path,
    lang: &str,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let conn = rustls::ServerConnection::new(tls).map_err(std::io::Error::other)?;
    let mut tls = rustls::StreamOwned::new(conn, stream);
    let mut line = Vec::new();
    BufReader::new(&mut tls)
        .take(MAX_REQUEST as u64 + 1)
        .read_until(b'\n', &mut line)?;
    let (header, body) = respond(&line, capsule, lang);
    tls.write_all(header.as_bytes())?;
    tls.write_all(&body)?;
    tls.conn.send_close_notify();
    tls.flush()
}

/// The response to one request line: its header (`20 text/gemini…\r\n`) and body.
pub fn respond(line: &[u8], capsule: &Path, lang: &str) -> (String, Vec<u8>) {
    let fail = |status: u8, meta: &str| (format!("{status} {meta}\r\n"), Vec::new());
    let Some(request) = line
        .strip_suffix(b"\r\n")
        .filter(|r| r.len() <= MAX_REQUEST - 2)
        .and_then(|r| std::str::from_utf8(r).ok())
    else {
        return fail(59, "Bad request");
    };
    let Some(rest) = request.strip_prefix("gemini://") else {
        return fail(59, "Only gemini:// URLs are served here");
    };
    let path = rest.find('/').map_or("/", |i| &rest[i..]);
    let path = path.split(['?', '#']).next().unwrap_or_default();
    let decoded = crate::paths::percent_decode(path);
    let mut file = capsule.to_path_buf();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        if segment == ".." || segment == "." || segment.contains('\\') {
            return fail(59, "Bad path");
        }
        file.push(segment);
    }
    if file.is_dir() {
        if !path.ends_with('/') {
            return fail(31, &format!("{path}/"));
        }
        file.push("index.gmi");
    }
    match std::fs::read(&file) {
        Ok(body) if file.is_file() => (format!("20 {}\r\n", mime(&file, lang)), body),
        _ => fail(51, "Not found"),
    }
}

/// The MIME type of a capsule file, by its extension.
fn mime(file: &Path, lang: &str) -> String {
    let ext = file
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or_default();
    match ext.to_ascii_lowercase().as_str() {
        "gmi" => format!("text/gemini; charset=utf-8; lang={lang}"),
        "txt" => "text/plain; charset=utf-8".to_string(),
        "xml" => "application/atom+xml".to_string(),
        "jpg" | "jpeg" => "image/jpeg".to_string(),
        "png" => "image/png".to_string(),
        "gif" => "image/gif".to_string(),
        "webp" => "image/webp".to_string(),
        "svg" => "image/svg+xml".to_string(),
        _ => "application/octet-stream".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_and_mime_types() {
        let dir = std::env::temp_dir().join(format!("kr-serve-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("day-1")).expect("dir");
        std::fs::write(dir.join("index.gmi"), "# Home\n").expect("index");
        std::fs::write(dir.join("day-1/index.gmi"), "# Day\n").expect("day");
        std::fs::write(dir.join("cover.jpg"), [0xff, 0xd8]).expect("jpg");
        let ask = |url: &str| respond(format!("{url}\r\n").as_bytes(), &dir, "en");
        let (h, body) = ask("gemini://localhost/");
        assert_eq!(
            (h.as_str(), body.as_slice()),
            (
                "20 text/gemini; charset=utf-8; lang=en\r\n",
                &b"# Home\n"[..]
            )
        );
        assert_eq!(
            ask("gemini://localhost").0,
            "20 text/gemini; charset=utf-8; lang=en\r\n"
        );
        assert_eq!(ask("gemini://localhost/day-1").0, "31 /day-1/\r\n");
        assert_eq!(ask("gemini://localhost/day-1/").1, b"# Day\n");
        assert_eq!(ask("gemini://localhost/cover.jpg").0, "20 image/jpeg\r\n");
        assert_eq!(ask("gemini://localhost/nothing.gmi").0, "51 Not found\r\n");
        assert_eq!(ask("gemini://localhost/../etc/passwd").0, "59 Bad path\r\n");
        assert_eq!(
            ask("gemini://localhost/%2e%2e/etc/passwd").0,
            "59 Bad path\r\n"
        );
        assert!(ask("https://example.org/").0.starts_with("59 "));
        assert!(respond(b"gemini://localhost/", &dir, "en")
            .0
            .starts_with("59 "));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
