//! One-time signing codes (issue #18 point 9): the enterprise user issues a code to each listed
//! safety manager, who signs their own commitment with it, without an account. The code is shown
//! once, stored only as its hash, good for one person's commitment in one campaign, once, until it
//! expires; issuing a new one replaces the old.
//!
//! No I/O here: the random bytes and the current instant are parameters.

use sha2::{Digest, Sha256};

/// How long a code is good for, in hours. No rule fixes it: 72 hours is the product's default,
/// long enough to hand a code over on one working day and sign on the next, short enough that a
/// code lying on a desk stops working.
pub const VALID_HOURS: i64 = 72;

/// The letters a code is made of: digits and capitals without 0/O and 1/I, easy to read aloud
/// and to type (32 symbols, 5 bits each).
const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// Symbols in a code: 10 × 5 bits = 50 bits, shown as two groups of five (`K7M2Q-9XH4T`).
const LENGTH: usize = 10;

/// A signing code as issued (shown once to the enterprise user, never stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SigningCode(String);

impl SigningCode {
    /// The code made from `random` (at least 10 bytes from the operating system's generator):
    /// each byte gives one symbol (its low five bits).
    ///
    /// # Panics
    /// When fewer than 10 bytes are given (a programming error).
    pub fn from_random(random: &[u8]) -> SigningCode {
        assert!(
            random.len() >= LENGTH,
            "a signing code needs {LENGTH} random bytes"
        );
        let symbols: String = random[..LENGTH]
            .iter()
            .map(|b| char::from(ALPHABET[usize::from(b & 0x1f)]))
            .collect();
        SigningCode(symbols)
    }

    /// The code as shown: `XXXXX-XXXXX`.
    pub fn shown(&self) -> String {
        format!("{}-{}", &self.0[..5], &self.0[5..])
    }

    /// The hash stored for the code ([`hash_typed`] of the code gives the same).
    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }
}

/// The hash of a code as typed: spaces and dashes dropped, letters upper-cased; `None` when what
/// remains cannot be a code (wrong length or a symbol outside the alphabet), so that a typo is
/// refused without a look-up.
pub fn hash_typed(typed: &str) -> Option<String> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '－')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let ok = code.len() == LENGTH && code.bytes().all(|b| ALPHABET.contains(&b));
    ok.then(|| hex::encode(Sha256::digest(code.as_bytes())))
}

#[cfg(test)]
mod tests {
    use super::{SigningCode, hash_typed};

    #[test]
    fn a_code_is_shown_in_two_groups_and_typed_loosely() {
        let code = SigningCode::from_random(&[0, 1, 2, 3, 4, 5, 6, 7, 30, 31, 99]);
        assert_eq!(code.shown(), "23456-789YZ");
        assert_eq!(hash_typed("23456-789yz"), Some(code.hash()));
        assert_eq!(hash_typed(" 23456 789YZ "), Some(code.hash()));
        assert_eq!(hash_typed("23456-789Y"), None);
        assert_eq!(hash_typed("O3456-789YZ"), None);
    }
}
