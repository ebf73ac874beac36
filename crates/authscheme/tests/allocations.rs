//! Parsing credentials allocates nothing: Basic, Bearer and a full Digest
//! `Authorization` value are parsed into borrowed slices of the input.
#![allow(clippy::unwrap_used)]

use authscheme::syntax::parse_credentials;

fn allocations_of(f: impl FnOnce()) -> u64 {
    allocation_counter::measure(f).count_total
}

#[test]
fn credentials_parse_without_heap_allocation() {
    let inputs: [&[u8]; 3] = [
        b"Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
        b"Bearer mF_9.B5f-4.1JqM",
        br#"Digest username="Mufasa", realm="http-auth@example.org", uri="/dir/index.html", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", nc=00000001, cnonce="f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ", qop=auth, response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS""#,
    ];
    for input in inputs {
        let mut parsed_ok = false;
        let n = allocations_of(|| {
            parsed_ok = parse_credentials(input).is_ok();
        });
        assert!(parsed_ok);
        assert_eq!(n, 0, "{}", String::from_utf8_lossy(input));
    }
}

#[test]
fn the_counter_sees_allocations() {
    // The measurement itself must be able to fail: an escaped quoted-string
    // has to be unescaped into a new buffer.
    let n = allocations_of(|| {
        let c = parse_credentials(br#"Digest username="a\"b""#).unwrap();
        assert_eq!(c.param_str("username"), Some("a\"b"));
    });
    assert!(n > 0);
}
