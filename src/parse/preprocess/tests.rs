use super::*;

fn pre(name: &str, before: &[&str], after: &[&str]) -> PreprocessorConfig {
    PreprocessorConfig {
        name: name.into(),
        command: format!("mdbook-{name}"),
        before: before.iter().map(|s| s.to_string()).collect(),
        after: after.iter().map(|s| s.to_string()).collect(),
        optional: false,
        renderers: None,
        at: ("book.toml".into(), 1, 1),
    }
}

#[test]
fn order_follows_mdbook() {
    let mut d = Vec::new();
    // No constraints: by name, mdBook's own among them.
    let got = order(&[pre("toc", &[], &[]), pre("admonish", &[], &[])], &mut d);
    assert_eq!(
        got,
        Some(vec![
            "admonish".into(),
            "index".into(),
            "links".into(),
            "toc".into()
        ])
    );
    let got = order(
        &[pre("admonish", &[], &["links"]), pre("zz", &["index"], &[])],
        &mut d,
    );
    // In rounds, as mdBook's topological sort: what is free to run, by name, then the rest.
    assert_eq!(
        got,
        Some(vec![
            "links".into(),
            "zz".into(),
            "admonish".into(),
            "index".into()
        ])
    );
    assert!(d.is_empty(), "{d:?}");
    let got = order(&[pre("a", &["b"], &[]), pre("b", &["a"], &[])], &mut d);
    assert_eq!(got, None);
    assert!(d[0].to_string().contains("make a cycle"), "{}", d[0]);
    let mut d = Vec::new();
    order(&[pre("a", &["nope"], &[])], &mut d);
    assert!(d[0].to_string().contains("`nope`"), "{d:?}");
}

#[cfg(unix)]
#[test]
fn a_preprocessor_that_hangs_is_stopped_with_what_it_started() {
    let mut p = pre("slow", &[], &[]);
    // The shell's child keeps standard output open: stopping only the shell would leave
    // the read waiting for it.
    p.command = "sh -c 'sleep 30; echo late'".into();
    let start = Instant::now();
    let got = execute(&p, Path::new("."), &[], None, Duration::from_millis(300));
    assert!(matches!(got, Err(Failure::TimedOut)));
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
    p.command = "sh -c 'cat; echo done'".into();
    let got = execute(&p, Path::new("."), &[], Some(b"in ".to_vec()), TIMEOUT);
    assert!(matches!(got, Ok((s, out)) if s.success() && out == b"in done\n"));
    p.command = "no-such-program-kr-publish-test".into();
    let got = execute(&p, Path::new("."), &[], None, TIMEOUT);
    assert!(matches!(got, Err(Failure::NotFound(exe)) if exe == p.command));
}

#[test]
fn commands_split_as_a_shell_would() {
    assert_eq!(split_command("python random.py"), ["python", "random.py"]);
    assert_eq!(
        split_command(r#"sh -c 'echo "a b"' "c d\"" e\ f"#),
        ["sh", "-c", "echo \"a b\"", "c d\"", "e f"]
    );
    assert!(split_command("   ").is_empty());
}
