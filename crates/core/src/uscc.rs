//! Unified social credit code (统一社会信用代码), GB 32100-2015.
//!
//! 18 characters from a 31-character alphabet (digits and upper-case letters without I, O, Z, S,
//! V); the 18th is a check character: `31 - (Σ value(cᵢ)·wᵢ mod 31)`, 31 mapped to 0, with the
//! weights `3ⁱ⁻¹ mod 31` for positions 1–17. A wrong check character is reported as a warning,
//! not a refusal, because real legacy codes fail it (shared/cases B08).

use std::fmt;

/// The code alphabet of GB 32100-2015 §4.2, in value order (0–30).
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weights of positions 1–17 (GB 32100-2015 §5).
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A code that has the right length and alphabet. The check character may still be wrong:
/// see [`Uscc::check_digit_ok`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uscc(String);

/// Why a text is not a USCC.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UsccError {
    /// Nothing given.
    #[error("统一社会信用代码为空")]
    Empty,
    /// Not 18 characters.
    #[error("统一社会信用代码应为18位，实际为{0}位")]
    Length(usize),
    /// A character outside the GB 32100-2015 alphabet, at a 1-based position.
    #[error("统一社会信用代码第{position}位“{found}”不是允许的字符（不含I、O、Z、S、V）")]
    Character {
        /// 1-based position.
        position: usize,
        /// The character found.
        found: char,
    },
}

fn value(c: u8) -> Option<u32> {
    ALPHABET.iter().position(|&a| a == c).map(|v| v as u32)
}

/// The check character for the first 17 characters, `None` if one is outside the alphabet.
pub fn check_char(first17: &str) -> Option<char> {
    let bytes = first17.as_bytes();
    if bytes.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (b, w) in bytes.iter().zip(WEIGHTS) {
        sum += value(*b)? * w;
    }
    let c = (31 - sum % 31) % 31;
    Some(ALPHABET[c as usize] as char)
}

impl Uscc {
    /// Parses an already cleaned code (trimmed, upper-case, half-width).
    ///
    /// # Errors
    /// Empty text, a length other than 18, or a character outside the alphabet (with position).
    pub fn parse(s: &str) -> Result<Uscc, UsccError> {
        if s.is_empty() {
            return Err(UsccError::Empty);
        }
        let n = s.chars().count();
        if n != 18 {
            return Err(UsccError::Length(n));
        }
        if let Some((i, c)) = s
            .chars()
            .enumerate()
            .find(|(_, c)| !c.is_ascii() || value(*c as u8).is_none())
        {
            return Err(UsccError::Character {
                position: i + 1,
                found: c,
            });
        }
        Ok(Uscc(s.to_string()))
    }

    /// Builds a valid code from its first 17 characters by appending the check character.
    pub fn with_check_char(first17: &str) -> Option<Uscc> {
        check_char(first17).map(|c| Uscc(format!("{first17}{c}")))
    }

    /// Whether the 18th character is the right check character.
    pub fn check_digit_ok(&self) -> bool {
        check_char(&self.0[..17]) == self.0[17..].chars().next()
    }

    /// The code as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_valid_code() {
        // A widely published sample code (GB 32100-2015 examples follow the same rule).
        let c = Uscc::parse("91350100M000100Y43").unwrap();
        assert!(c.check_digit_ok());
        assert_eq!(check_char("91350100M000100Y4"), Some('3'));
    }

    #[test]
    fn wrong_check_char_parses_but_is_flagged() {
        let c = Uscc::parse("91350100M000100Y44").unwrap();
        assert!(!c.check_digit_ok());
    }

    #[test]
    fn refusals_say_why() {
        assert_eq!(Uscc::parse(""), Err(UsccError::Empty));
        assert_eq!(Uscc::parse("9135"), Err(UsccError::Length(4)));
        assert_eq!(
            Uscc::parse("91350100I000100Y43"),
            Err(UsccError::Character {
                position: 9,
                found: 'I'
            })
        );
    }

    #[test]
    fn generated_codes_are_valid() {
        let c = Uscc::with_check_char("91450103MA5K00001").unwrap();
        assert!(c.check_digit_ok());
        assert_eq!(Uscc::parse(c.as_str()).unwrap(), c);
    }
}
