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
