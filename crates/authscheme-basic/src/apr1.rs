//! Apache's `$apr1$` hash: the FreeBSD MD5-crypt algorithm with the magic
//! string `$apr1$`. No maintained crate provides it (`pwhash` only knows the
//! `$1$` magic and is unmaintained), so it is built here on RustCrypto's
//! `md-5`. It is weak (1000 MD5 rounds); it is supported to read existing
//! files, and `htpasswd --apr1` writes it only on request.

use md5::{Digest, Md5};

const MAGIC: &[u8] = b"$apr1$";

/// The crypt(3) base-64 alphabet (not RFC 4648's).
pub(crate) const CRYPT_ALPHABET: &[u8; 64] =
    b"./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The most salt characters the algorithm reads.
pub(crate) const MAX_SALT: usize = 8;

/// The 22-character encoded digest of `password` with `salt`.
pub(crate) fn digest(password: &[u8], salt: &[u8]) -> [u8; 22] {
    let salt = &salt[..salt.len().min(MAX_SALT)];

    let alternate = Md5::new()
        .chain_update(password)
        .chain_update(salt)
        .chain_update(password)
        .finalize();

    let mut ctx = Md5::new()
        .chain_update(password)
        .chain_update(MAGIC)
        .chain_update(salt);
    let mut left = password.len();
    while left > 0 {
        let take = left.min(16);
        ctx.update(&alternate[..take]);
        left -= take;
    }
    // The bits of the password length pick a zero byte or the first password
    // byte: an oddity of the original algorithm, kept for compatibility.
    let mut bits = password.len();
    while bits > 0 {
        if bits & 1 == 1 {
            ctx.update([0u8]);
        } else {
            ctx.update(&password[..1]);
        }
        bits >>= 1;
    }
    let mut fin: [u8; 16] = ctx.finalize().into();

    for round in 0..1000 {
        let mut ctx = Md5::new();
        if round % 2 == 1 {
            ctx.update(password);
        } else {
            ctx.update(fin);
        }
        if round % 3 != 0 {
            ctx.update(salt);
        }
        if round % 7 != 0 {
            ctx.update(password);
        }
        if round % 2 == 1 {
            ctx.update(fin);
        } else {
            ctx.update(password);
        }
        fin = ctx.finalize().into();
    }

    let mut out = [0u8; 22];
    let groups: [(u8, u8, u8); 5] = [
        (fin[0], fin[6], fin[12]),
        (fin[1], fin[7], fin[13]),
        (fin[2], fin[8], fin[14]),
        (fin[3], fin[9], fin[15]),
        (fin[4], fin[10], fin[5]),
    ];
    for (i, (a, b, c)) in groups.into_iter().enumerate() {
        let v = (u32::from(a) << 16) | (u32::from(b) << 8) | u32::from(c);
        encode_into(v, &mut out[i * 4..i * 4 + 4]);
    }
    encode_into(u32::from(fin[11]), &mut out[20..22]);
    out
}

/// Writes the low `out.len() * 6` bits of `v`, least significant first.
fn encode_into(mut v: u32, out: &mut [u8]) {
    for slot in out {
        *slot = CRYPT_ALPHABET[(v & 0x3f) as usize];
        v >>= 6;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_openssl_passwd_apr1() {
        // `htpasswd -nbm x "Secret, or not?"`
        assert_eq!(
            &digest(b"Secret, or not?", b"17uLjYbP"),
            b"pU8cX0H.vR3bOgO5JARcT/"
        );
        // `openssl passwd -apr1 -salt 12345678 password`
        assert_eq!(&digest(b"password", b"12345678"), b"9pHAGSBYtlmFtid2xxNog0");
        // `openssl passwd -apr1 -salt xx ''`: empty password, short salt.
        assert_eq!(&digest(b"", b"xx"), b"aGHxR9NsG1buO7l/rFJjm1");
    }
}
