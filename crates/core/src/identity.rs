//! Identification rules of GB/T 22239-2019 level 3 (8.1.4.1 身份鉴别): password complexity and
//! history, lockout after repeated failures. Pure rules: the store keeps the counters, the web
//! layer asks here what to do.

use chrono::{DateTime, Duration, Utc};

/// Password rules, configurable by the security administrator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordPolicy {
    /// Minimum length, in characters.
    pub min_len: usize,
    /// How many of the four classes (lower case, upper case, digits, other) must appear.
    pub min_classes: usize,
    /// How many previous passwords may not be used again.
    pub history: usize,
}

impl Default for PasswordPolicy {
    /// Length ≥ 8, three character classes, not one of the last 5 (issue #5).
    fn default() -> Self {
        PasswordPolicy {
            min_len: 8,
            min_classes: 3,
            history: 5,
        }
    }
}

impl PasswordPolicy {
    /// The rules in words, for the password forms.
    pub fn describe(&self) -> String {
        format!(
            "至少{}位（至多{MAX_PASSWORD_CHARS}位），包含小写字母、大写字母、数字、其他符号中的至少{}类，不能包含用户名，不能与最近{}次使用过的密码相同。",
            self.min_len, self.min_classes, self.history
        )
    }

    /// Checks a new password for `username`; says every rule it breaks, in Chinese. Reuse of an
    /// old password is checked by the caller against the stored hashes (see
    /// [`PasswordPolicy::history`]).
    ///
    /// # Errors
    /// The list of broken rules.
    pub fn check(&self, username: &str, password: &str) -> Result<(), Vec<String>> {
        let mut broken = Vec::new();
        if password.chars().count() < self.min_len {
            broken.push(format!("密码至少{}位", self.min_len));
        }
        if password.chars().count() > MAX_PASSWORD_CHARS {
            broken.push(format!("密码至多{MAX_PASSWORD_CHARS}位"));
        }
        let classes = [
            password.chars().any(|c| c.is_ascii_lowercase()),
            password.chars().any(|c| c.is_ascii_uppercase()),
            password.chars().any(|c| c.is_ascii_digit()),
            password.chars().any(|c| !c.is_ascii_alphanumeric()),
        ]
        .iter()
        .filter(|x| **x)
        .count();
        if classes < self.min_classes {
            broken.push(format!(
                "密码须包含小写字母、大写字母、数字、其他符号中的至少{}类",
                self.min_classes
            ));
        }
        let lower = password.to_lowercase();
        if !username.is_empty() && lower.contains(&username.to_lowercase()) {
            broken.push("密码不能包含用户名".into());
        }
        if crate::text::has_control_chars(password) {
            broken.push("密码不能包含控制字符".into());
        }
        if broken.is_empty() {
            Ok(())
        } else {
            Err(broken)
        }
    }
}

/// Longest password accepted, in characters: a longer one is refused before any hashing, at
/// login and when set (issue #16 point 6: a 10 000-character password went through argon2).
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Longest lock that back-off reaches ([`LockoutPolicy::after_failure`]).
pub const MAX_LOCK: Duration = Duration::hours(24);

/// Lockout rules: `max_failures` failed logins within `window` lock further attempts for
/// `lock_for`, doubled for every lock before it (back-off, up to [`MAX_LOCK`]).
///
/// A counter belongs to a typed user name **and** the client address it was typed from
/// (issue #16 point 6): whoever guesses from one address is stopped there, but cannot lock the
/// owner out from another address, and a name that names nobody is counted and locked exactly
/// like a real one, so that the answers tell nothing about which names exist. GB/T 22239-2019
/// 8.1.4.1 b (限制非法登录次数) is met per address; the residual risk — an attacker with many
/// addresses gets `max_failures` guesses from each per lock — is written in the README.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    /// Failures that lock.
    pub max_failures: u32,
    /// The window the failures are counted in.
    pub window: Duration,
    /// How long the first lock lasts.
    pub lock_for: Duration,
}

impl Default for LockoutPolicy {
    /// 5 failures in 15 minutes lock for 15 minutes (issue #5).
    fn default() -> Self {
        LockoutPolicy {
            max_failures: 5,
            window: Duration::minutes(15),
            lock_for: Duration::minutes(15),
        }
    }
}

/// The failed-login counter of one user name from one client address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FailureCounter {
    /// Failures in the current window.
    pub count: u32,
    /// When the current window began (the first failure in it).
    pub window_start: Option<DateTime<Utc>>,
    /// Locked until this instant, if locked.
    pub locked_until: Option<DateTime<Utc>>,
    /// Locks so far (reset by a successful login): the next lock lasts `lock_for × 2^locks`.
    pub locks: u32,
}

impl LockoutPolicy {
    /// Whether attempts are locked at `now`.
    pub fn is_locked(&self, c: &FailureCounter, now: DateTime<Utc>) -> bool {
        c.locked_until.is_some_and(|t| now < t)
    }

    /// The counter after a failed login at `now`; `locked_until` is set when this failure locks,
    /// for `lock_for` doubled for each earlier lock, at most [`MAX_LOCK`].
    pub fn after_failure(&self, c: &FailureCounter, now: DateTime<Utc>) -> FailureCounter {
        let in_window = c.window_start.is_some_and(|s| now - s < self.window);
        let count = if in_window { c.count + 1 } else { 1 };
        let window_start = if in_window { c.window_start } else { Some(now) };
        if count < self.max_failures {
            return FailureCounter {
                count,
                window_start,
                ..*c
            };
        }
        let doubled = (0..c.locks.min(16)).fold(self.lock_for, |d, _| (d * 2).min(MAX_LOCK));
        FailureCounter {
            count,
            window_start,
            locked_until: Some(now + doubled),
            locks: c.locks.saturating_add(1),
        }
    }
}

/// What a login owes as a second factor (TOTP, [`crate::totp`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondFactor {
    /// Nothing: the password suffices.
    NotUsed,
    /// The code of the enrolled authenticator, after the password.
    Ask,
    /// Nothing yet, but the account must enroll before doing anything else.
    MustEnroll,
}

/// The second-factor rule of issue #5: required for the three administrator roles, optional
/// (once enrolled, always asked) for others; demo accounts are exempt, and nothing else is.
pub fn second_factor(role: crate::policy::Role, is_demo: bool, enrolled: bool) -> SecondFactor {
    match (is_demo, enrolled, role.is_administrator()) {
        (true, _, _) => SecondFactor::NotUsed,
        (false, true, _) => SecondFactor::Ask,
        (false, false, true) => SecondFactor::MustEnroll,
        (false, false, false) => SecondFactor::NotUsed,
    }
}

/// The password and lockout policy the security administrator keeps (stored in the database).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SecurityPolicy {
    /// Password rules.
    pub password: PasswordPolicy,
    /// Lockout rules.
    pub lockout: LockoutPolicy,
}

/// Bounds of each setting: (field, label, least, most). The least values are the level-3 bar
/// of GB/T 22239-2019 as issue #5 sets it (length 8, three classes, 5 remembered); an
/// administrator may make the policy stricter, never weaker.
pub const POLICY_BOUNDS: [(&str, &str, i64, i64); 6] = [
    ("min_len", "密码最小长度", 8, 64),
    ("min_classes", "密码须包含的字符类别数", 3, 4),
    ("history", "不得重复使用的最近密码数", 5, 24),
    ("max_failures", "锁定前允许的连续失败次数", 3, 10),
    ("window_minutes", "失败次数统计时间窗（分钟）", 1, 1440),
    ("lock_minutes", "锁定时长（分钟）", 1, 1440),
];

impl SecurityPolicy {
    /// The policy from its six settings, in the order of [`POLICY_BOUNDS`].
    ///
    /// # Errors
    /// Every setting out of its bounds, named, in Chinese.
    pub fn from_settings(v: [i64; 6]) -> Result<SecurityPolicy, Vec<String>> {
        let broken: Vec<String> = POLICY_BOUNDS
            .iter()
            .zip(v)
            .filter(|((_, _, lo, hi), x)| x < lo || x > hi)
            .map(|((_, label, lo, hi), _)| format!("{label}须在{lo}至{hi}之间"))
            .collect();
        if !broken.is_empty() {
            return Err(broken);
        }
        // In bounds, so the conversions below cannot fail.
        let small = |x: i64| usize::try_from(x).unwrap_or(usize::MAX);
        Ok(SecurityPolicy {
            password: PasswordPolicy {
                min_len: small(v[0]),
                min_classes: small(v[1]),
                history: small(v[2]),
            },
            lockout: LockoutPolicy {
                max_failures: u32::try_from(v[3]).unwrap_or(u32::MAX),
                window: Duration::minutes(v[4]),
                lock_for: Duration::minutes(v[5]),
            },
        })
    }

    /// The six settings, in the order of [`POLICY_BOUNDS`].
    pub fn settings(&self) -> [i64; 6] {
        let big = |x: usize| i64::try_from(x).unwrap_or(i64::MAX);
        [
            big(self.password.min_len),
            big(self.password.min_classes),
            big(self.password.history),
            i64::from(self.lockout.max_failures),
            self.lockout.window.num_minutes(),
            self.lockout.lock_for.num_minutes(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_rules() {
        let p = PasswordPolicy::default();
        assert!(p.check("zhangsan", "Safe-2024x").is_ok());
        assert_eq!(
            p.check("zhangsan", "short1A").unwrap_err(),
            vec!["密码至少8位"]
        );
        assert_eq!(
            p.check("zhangsan", "alllowercase").unwrap_err(),
            vec!["密码须包含小写字母、大写字母、数字、其他符号中的至少3类"]
        );
        assert_eq!(
            p.check("zhangsan", "Zhangsan-2024").unwrap_err(),
            vec!["密码不能包含用户名"]
        );
    }

    #[test]
    fn five_failures_in_fifteen_minutes_lock_with_back_off() {
        let p = LockoutPolicy::default();
        let t0 = DateTime::parse_from_rfc3339("2024-06-20T01:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let mut c = FailureCounter::default();
        for i in 0..4 {
            c = p.after_failure(&c, t0 + Duration::minutes(i));
            assert!(!p.is_locked(&c, t0 + Duration::minutes(i)));
        }
        c = p.after_failure(&c, t0 + Duration::minutes(10));
        assert!(p.is_locked(&c, t0 + Duration::minutes(10)));
        assert!(p.is_locked(&c, t0 + Duration::minutes(24)));
        assert!(!p.is_locked(&c, t0 + Duration::minutes(26)));
        assert_eq!(c.locks, 1);
        // Five more after the lock: locked for 30 minutes, then 60, …, never more than a day.
        let mut at = t0 + Duration::minutes(30);
        for expected in [30, 60, 120, 240, 480, 960, 1440, 1440] {
            for _ in 0..5 {
                c = p.after_failure(&c, at);
            }
            assert_eq!(c.locked_until, Some(at + Duration::minutes(expected)));
            at += Duration::minutes(expected) + Duration::minutes(1);
        }
        // Failures spread over more than the window do not lock.
        let mut c = FailureCounter::default();
        for i in 0..10 {
            c = p.after_failure(&c, t0 + Duration::minutes(i * 16));
        }
        assert!(!p.is_locked(&c, t0 + Duration::minutes(160)));
    }

    #[test]
    fn policy_settings_are_bounded_by_the_level_3_bar() {
        let d = SecurityPolicy::default();
        assert_eq!(d.settings(), [8, 3, 5, 5, 15, 15]);
        assert_eq!(SecurityPolicy::from_settings(d.settings()), Ok(d));
        let strict = SecurityPolicy::from_settings([12, 4, 10, 3, 30, 60]).unwrap();
        assert_eq!(strict.password.min_len, 12);
        assert_eq!(strict.lockout.lock_for, Duration::minutes(60));
        assert_eq!(
            SecurityPolicy::from_settings([6, 2, 5, 5, 15, 15]).unwrap_err(),
            vec![
                "密码最小长度须在8至64之间",
                "密码须包含的字符类别数须在3至4之间"
            ]
        );
    }

    #[test]
    fn second_factor_for_administrators_optional_for_others_never_for_demos() {
        use crate::policy::Role;
        for role in [Role::SystemAdmin, Role::SecurityAdmin, Role::AuditAdmin] {
            assert_eq!(second_factor(role, false, false), SecondFactor::MustEnroll);
            assert_eq!(second_factor(role, false, true), SecondFactor::Ask);
            assert_eq!(second_factor(role, true, false), SecondFactor::NotUsed);
        }
        assert_eq!(
            second_factor(Role::UnitOfficer, false, false),
            SecondFactor::NotUsed
        );
        assert_eq!(
            second_factor(Role::UnitOfficer, false, true),
            SecondFactor::Ask
        );
        assert_eq!(
            second_factor(Role::EnterpriseUser, true, true),
            SecondFactor::NotUsed
        );
    }
}
