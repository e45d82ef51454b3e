//! Personal information in lists and exports: who sees phone numbers and ID numbers in full, and
//! how they are masked for everyone else (`138****5678`). GB/T 22239-2019 level 3 (personal
//! information protection: collect what is needed, mask it) and the Personal Information
//! Protection Law art. 6 (the least that serves the purpose).
//!
//! **Who sees them in full** ([`Action::ReadPersonalDetails`] in [`crate::policy`]):
//! - the enterprise's own users: it is their own data;
//! - unit officers (the territorial unit and the industry department): they are the ones who
//!   contact the enterprise — inspections, correction orders, reminders, typical-case follow-up.
//!
//! **Who sees them masked**: the committee office and the assessor. Their work is on the
//! region's totals and on the units (dashboards, reports, acceptance, assessment); when they
//! need an enterprise on the phone they go through its unit, as the plan's chain of
//! responsibility has it. Unmasking for them would expose every phone of a district, a city or a
//! province to the widest-reaching accounts, for little use. Names (principal person, contact)
//! are not masked: they are how officers address the enterprise and are public on its licence.
//!
//! Lists see only enterprises in the actor's scope; [`Disclosure`] decides the rest.

use std::borrow::Cow;

use crate::policy::{Action, Actor, authorize};

/// How personal identifiers are shown to an actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disclosure {
    /// In full.
    Full,
    /// Masked with [`mask`].
    Masked,
}

impl Disclosure {
    /// What `actor` may see of the enterprises in its scope (decided by the policy).
    pub fn for_actor(actor: &Actor) -> Disclosure {
        match authorize(actor, Action::ReadPersonalDetails, None) {
            Ok(()) => Disclosure::Full,
            Err(_) => Disclosure::Masked,
        }
    }

    /// A phone number or ID number as this disclosure shows it.
    pub fn show<'a>(self, value: &'a str) -> Cow<'a, str> {
        match self {
            Disclosure::Full => Cow::Borrowed(value),
            Disclosure::Masked => Cow::Owned(mask(value)),
        }
    }
}

/// Masks the phone numbers or ID numbers in `value`, keeping separators and any other text.
/// Each number (a run of ASCII letters, digits and hyphens) keeps:
/// - 11 characters or more (mobile phone, ID number): the first 3 and the last 4
///   (`13812345678` → `138****5678`, `110101199003071234` → `110***********1234`);
/// - a landline with its area code (`0571-88880001`): the area code and the last 4
///   (`0571-****0001`);
/// - 7 to 10 characters (landline without area code): the last 4 (`****0001`);
/// - shorter (an extension): nothing (`***`).
pub fn mask(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut token = String::new();
    for c in value.chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            token.push(c);
        } else {
            out.push_str(&mask_token(&token));
            token.clear();
            out.push(c);
        }
    }
    out.push_str(&mask_token(&token));
    out
}

fn mask_token(token: &str) -> String {
    if let Some((area, rest)) = token.split_once('-')
        && (3..=4).contains(&area.len())
        && area.starts_with('0')
        && area.bytes().all(|b| b.is_ascii_digit())
    {
        return format!("{area}-{}", mask_token(rest));
    }
    let n = token.chars().filter(char::is_ascii_alphanumeric).count();
    let (head, tail) = match n {
        11.. => (3, 4),
        7..=10 => (0, 4),
        _ => (0, 0),
    };
    let mut seen = 0;
    token
        .chars()
        .map(|c| {
            if !c.is_ascii_alphanumeric() {
                return c;
            }
            seen += 1;
            if seen <= head || seen > n - tail {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// Whether `value` was masked (holds `*` or the full-width `＊`): such a value is not a number
/// anyone can call, and an import must not store it.
pub fn is_masked(value: &str) -> bool {
    value.contains(['*', '\u{FF0A}'])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{AccountScope, Role, Scope};

    #[test]
    fn phones_and_id_numbers_masked() {
        assert_eq!(mask("13812345678"), "138****5678");
        assert_eq!(mask("110101199003071234"), "110***********1234");
        assert_eq!(mask("11010119900307123X"), "110***********123X");
        assert_eq!(mask("0571-88880001"), "0571-****0001");
        assert_eq!(mask("010-12345678"), "010-****5678");
        assert_eq!(mask("88880001"), "****0001");
        assert_eq!(mask("0571-88880001转801"), "0571-****0001转***");
        assert_eq!(mask("13800000001/13900000002"), "138****0001/139****0002");
        assert_eq!(mask("张三 13812345678"), "张三 138****5678");
        assert_eq!(mask(""), "");
        assert_eq!(mask("无"), "无");
        assert!(is_masked(&mask("13812345678")));
        assert!(is_masked("138＊＊＊＊5678"));
        assert!(!is_masked("13812345678"));
    }

    #[test]
    fn who_sees_them_in_full() {
        let actor = |role, scope| Actor {
            user_id: 1,
            role,
            scope,
            accounts: AccountScope::Nothing,
        };
        let region = || Scope::RegionSubtree {
            region_path: "/45/".into(),
        };
        let full = [
            actor(Role::UnitOfficer, region()),
            actor(
                Role::UnitOfficer,
                Scope::Department {
                    unit_id: 3,
                    region_path: "/45/".into(),
                },
            ),
            actor(Role::EnterpriseUser, Scope::Enterprise { enterprise_id: 7 }),
        ];
        for a in &full {
            assert_eq!(Disclosure::for_actor(a), Disclosure::Full, "{a:?}");
        }
        let masked = [
            actor(Role::CommitteeOffice, region()),
            actor(Role::Assessor, region()),
            // Fail closed: no scope, no details.
            actor(Role::UnitOfficer, Scope::Nothing),
        ];
        for a in &masked {
            assert_eq!(Disclosure::for_actor(a), Disclosure::Masked, "{a:?}");
        }
        assert_eq!(Disclosure::Masked.show("13812345678"), "138****5678");
        assert_eq!(Disclosure::Full.show("13812345678"), "13812345678");
    }
}
