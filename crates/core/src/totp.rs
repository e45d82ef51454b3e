//! Time-based one-time passwords (RFC 6238, the algorithm of authenticator apps): HMAC-SHA1 over
//! 30-second steps, 6 digits (RFC 4226 dynamic truncation). The second factor required of the
//! three administrator roles (issue #5; GB/T 22239-2019 8.1.4.1 c: two or more authentication
//! techniques). No clock here: the caller passes the Unix time.

use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;

/// Length of a time step, in seconds (RFC 6238 default, what authenticator apps assume).
pub const STEP_SECONDS: i64 = 30;
/// Digits in a code.
pub const DIGITS: u32 = 6;
/// Length of a generated secret, in bytes (160 bits, RFC 4226 §4 recommendation).
pub const SECRET_LEN: usize = 20;

/// The time step containing `unix_seconds`.
pub fn step_at(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// The code of `secret` for time step `step` (RFC 4226 HOTP with the step as counter), as a
/// zero-padded 6-digit string.
pub fn code(secret: &[u8], step: i64) -> String {
    // HMAC accepts keys of any length; the error branch cannot occur.
    let Ok(mut mac) = <Hmac<Sha1> as KeyInit>::new_from_slice(secret) else {
        return String::new();
    };
    mac.update(&step.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let bin = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    format!(
        "{:0width$}",
        bin % 10u32.pow(DIGITS),
        width = DIGITS as usize
    )
}

/// Checks a typed `code` against `secret` at `unix_seconds`, accepting one step of clock drift
/// either way (RFC 6238 §5.2), and refusing any step at or before `last_used_step` (a code is
/// good once: §5.2 "MUST NOT accept the second attempt"). Returns the step that matched.
pub fn verify(
    secret: &[u8],
    typed: &str,
    unix_seconds: i64,
    last_used_step: Option<i64>,
) -> Option<i64> {
    let typed: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if typed.len() != DIGITS as usize || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = step_at(unix_seconds);
    (now - 1..=now + 1)
        .filter(|s| last_used_step.is_none_or(|last| *s > last))
        .find(|s| constant_time_eq(code(secret, *s).as_bytes(), typed.as_bytes()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// RFC 4648 base32 without padding: how authenticator apps take a secret typed by hand.
pub fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    for chunk in bytes.chunks(5) {
        let mut buf = [0u8; 5];
        buf[..chunk.len()].copy_from_slice(chunk);
        let n = u64::from_be_bytes([0, 0, 0, buf[0], buf[1], buf[2], buf[3], buf[4]]);
        let chars = (chunk.len() * 8).div_ceil(5);
        for i in 0..chars {
            out.push(char::from(ALPHABET[((n >> (35 - 5 * i)) & 31) as usize]));
        }
    }
    out
}

/// The `otpauth://totp/…` URI authenticator apps read (Key Uri Format), for `account` at
/// `issuer`. Both are percent-encoded.
pub fn otpauth_uri(secret: &[u8], issuer: &str, account: &str) -> String {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| match b {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                    char::from(b).to_string()
                }
                _ => format!("%{b:02X}"),
            })
            .collect()
    };
    format!(
        "otpauth://totp/{}:{}?secret={}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        enc(issuer),
        enc(account),
        base32(secret),
        enc(issuer)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 Appendix B test vectors (SHA-1 seed), last 6 of the 8 digits.
    #[test]
    fn rfc6238_vectors() {
        let seed = b"12345678901234567890";
        for (t, want8) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            assert_eq!(code(seed, step_at(t)), want8[2..], "T = {t}");
        }
    }

    #[test]
    fn drift_of_one_step_and_no_replay() {
        let seed = b"12345678901234567890";
        let t = 1_111_111_111;
        let now = step_at(t);
        assert_eq!(verify(seed, "050471", t, None), Some(now));
        assert_eq!(verify(seed, " 050 471 ", t, None), Some(now));
        let previous = code(seed, now - 1);
        assert_eq!(verify(seed, &previous, t, None), Some(now - 1));
        let two_back = code(seed, now - 2);
        assert_eq!(verify(seed, &two_back, t, None), None);
        assert_eq!(verify(seed, "050471", t, Some(now)), None, "used once");
        assert_eq!(verify(seed, "05047", t, None), None);
        assert_eq!(verify(seed, "abcdef", t, None), None);
    }

    #[test]
    fn base32_and_uri() {
        // RFC 4648 §10 vectors, without padding.
        assert_eq!(base32(b"f"), "MY");
        assert_eq!(base32(b"foobar"), "MZXW6YTBOI");
        assert_eq!(
            base32(b"12345678901234567890"),
            "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        );
        assert_eq!(
            otpauth_uri(b"12345678901234567890", "安全生产", "demo admin"),
            "otpauth://totp/%E5%AE%89%E5%85%A8%E7%94%9F%E4%BA%A7:demo%20admin?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=%E5%AE%89%E5%85%A8%E7%94%9F%E4%BA%A7&algorithm=SHA1&digits=6&period=30"
        );
    }
}
