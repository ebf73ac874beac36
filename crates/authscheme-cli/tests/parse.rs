//! The `authscheme parse` contract, run through the real binary.
#![allow(clippy::unwrap_used)]

use std::ffi::OsStr;

use serde_json::{Value, json};

mod common;

fn run(args: &[&[u8]], stdin: Option<&[u8]>) -> (i32, Value) {
    use std::os::unix::ffi::OsStrExt;
    let args =
        std::iter::once(OsStr::new("parse")).chain(args.iter().map(|a| OsStr::from_bytes(a)));
    let out = common::authscheme(args, stdin.unwrap_or_default());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let first = stdout.lines().next().unwrap_or_else(|| {
        panic!(
            "no output; stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (
        out.status.code().unwrap(),
        serde_json::from_str(first).unwrap(),
    )
}

#[test]
fn readme_example() {
    let (code, v) = run(&[b"challenge", br#"Basic realm="Dev zone", Bearer"#], None);
    assert_eq!(code, 0);
    assert_eq!(
        v,
        json!({"challenges":[
            {"scheme":"Basic","token68":null,"params":[["realm","Dev zone"]]},
            {"scheme":"Bearer","token68":null,"params":[]}
        ]})
    );
}

#[test]
fn several_values_are_several_lines_of_one_field() {
    let (code, v) = run(
        &[b"challenge", b"--proxy", br#"Basic realm="a""#, b"Bearer"],
        None,
    );
    assert_eq!(code, 0);
    assert_eq!(v["challenges"].as_array().unwrap().len(), 2);
}

#[test]
fn syntax_error_exits_1_with_offset() {
    let (code, v) = run(&[b"challenge", br#"Basic; realm="x""#], None);
    assert_eq!(code, 1);
    let msg = v["error"].as_str().unwrap();
    assert!(msg.contains("byte 5"), "{msg}");
}

#[test]
fn names_lowercased_values_unescaped_ext_values_decoded() {
    let (code, v) = run(
        &[
            b"credentials",
            br#"Digest USERNAME*=UTF-8''J%C3%A4s%C3%B8n%20Doe, Realm="a \"b\"", nc=00000001"#,
        ],
        None,
    );
    assert_eq!(code, 0);
    assert_eq!(
        v,
        json!({"scheme":"Digest","token68":null,"params":[["username*","Jäsøn Doe"],["realm","a \"b\""],["nc","00000001"]]})
    );
}

#[test]
fn basic_credentials_are_decoded_with_problems_named() {
    let (code, v) = run(
        &[
            b"credentials",
            b"Basic d2VsbCBkb25lOnlvdSBmb3VuZCB0aGUgZWFzdGVyIGVnZwo=",
        ],
        None,
    );
    assert_eq!(code, 0);
    assert_eq!(v["basic"]["user-id"], "well done");
    assert_eq!(v["basic"]["password"], "you found the easter egg\n");
    assert!(v["basic"]["problem"].as_str().unwrap().contains("control"));

    let (_, v) = run(
        &[b"credentials", b"Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="],
        None,
    );
    assert_eq!(
        v["basic"],
        json!({"user-id":"Aladdin","password":"open sesame"})
    );
}

#[test]
fn non_utf8_octets_show_as_latin1() {
    let (code, v) = run(&[b"challenge", b"Basic realm=\"Z\xfcrich\""], None);
    assert_eq!(code, 0);
    assert_eq!(v["challenges"][0]["params"][0][1], "Zürich");
}

#[test]
fn values_from_stdin() {
    let (code, v) = run(&[b"challenge"], Some(b"Basic realm=\"a\"\r\nBearer\n"));
    assert_eq!(code, 0);
    assert_eq!(v["challenges"].as_array().unwrap().len(), 2);
    let (code, v) = run(&[b"credentials"], Some(b"Bearer mF_9.B5f-4.1JqM\n"));
    assert_eq!(code, 0);
    assert_eq!(v["token68"], "mF_9.B5f-4.1JqM");
}

/// Checks that compare the output as text rely on the order the contract
/// writes the keys in, not only on the JSON it denotes.
#[test]
fn keys_come_in_the_contracts_order() {
    let stdout = |args: &[&str]| {
        let out = common::authscheme(std::iter::once("parse").chain(args.iter().copied()), b"");
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(
        stdout(&["challenge", "Basic realm=foo"]),
        "{\"challenges\":[{\"scheme\":\"Basic\",\"token68\":null,\"params\":[[\"realm\",\"foo\"]]}]}\n"
    );
    assert_eq!(
        stdout(&["credentials", "Basic YTpi"]),
        "{\"scheme\":\"Basic\",\"token68\":\"YTpi\",\"params\":[],\"basic\":{\"user-id\":\"a\",\"password\":\"b\"}}\n"
    );
    assert_eq!(
        stdout(&["credentials", "Basic YWI="]),
        "{\"scheme\":\"Basic\",\"token68\":\"YWI=\",\"params\":[],\"basic\":{\"user-id\":\"ab\",\"password\":null,\"problem\":\"no colon separates the user-id from the password\"}}\n"
    );
}

#[test]
fn a_c1_control_is_a_problem_as_the_basic_scheme_says() {
    // "user:pa\u{85}ss": NEL, a C1 control, in UTF-8.
    let (code, v) = run(&[b"credentials", b"Basic dXNlcjpwYcKFc3M="], None);
    assert_eq!(code, 0);
    assert_eq!(v["basic"]["password"], "pa\u{85}ss");
    assert!(v["basic"]["problem"].as_str().unwrap().contains("password"));
}

/// RFC 4648 section 3.2 requires the `=` padding, and RFC 7617 does not
/// waive it: a value without it (or with the wrong amount) is decoded, as
/// servers do, and the problem named.
#[test]
fn base64_without_its_padding_is_a_problem() {
    for value in [&b"Basic Zm9vOmJhcg"[..], b"Basic Zm9vOmJhcg="] {
        let (code, v) = run(&[b"credentials", value], None);
        assert_eq!(code, 0);
        assert_eq!(v["basic"]["user-id"], "foo");
        assert_eq!(v["basic"]["password"], "bar");
        assert!(v["basic"]["problem"].as_str().unwrap().contains("padding"));
    }
    let (_, v) = run(&[b"credentials", b"Basic Zm9vOmJhcg=="], None);
    assert_eq!(v["basic"], json!({"user-id":"foo","password":"bar"}));
}

#[test]
fn blank_lines_on_stdin_are_no_values() {
    let out = common::authscheme(["parse", "credentials"], b"Basic YTpi\n\n \t\r\nBearer x\n");
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[1]["scheme"], "Bearer");
}

#[test]
fn a_stdout_that_cannot_be_written_is_an_error_not_a_panic() {
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full");
    let Ok(full) = full else {
        eprintln!("SKIPPED: /dev/full is missing on this machine");
        return;
    };
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_authscheme"))
        .args(["parse", "challenge", "Basic realm=x"])
        .stdout(full)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("cannot write to stdout"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_reader_that_goes_away_ends_the_output_quietly() {
    use std::io::{Read as _, Write as _};
    use std::process::{Command, Stdio};
    // Some 400 KB of output, far more than a pipe holds before its reader
    // has to take some.
    let input = "Bearer mF_9.B5f-4.1JqM\n".repeat(10_000);
    let mut child = Command::new(env!("CARGO_BIN_EXE_authscheme"))
        .args(["parse", "credentials"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input.as_bytes()).unwrap();
    drop(stdin);
    let mut first = [0u8; 10];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The read end is dropped here, before the command has written it all.
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(&first, b"{\"scheme\":");
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
