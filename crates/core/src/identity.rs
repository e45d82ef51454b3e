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

/// Lockout rules: `max_failures` failed logins within `window` lock the account for `lock_for`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    /// Failures that lock the account.
    pub max_failures: u32,
    /// The window the failures are counted in.
    pub window: Duration,
    /// How long the account stays locked.
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

/// The failed-login counter of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FailureCounter {
    /// Failures in the current window.
    pub count: u32,
    /// When the current window began (the first failure in it).
    pub window_start: Option<DateTime<Utc>>,
    /// Locked until this instant, if locked.
    pub locked_until: Option<DateTime<Utc>>,
}

impl LockoutPolicy {
    /// Whether the account is locked at `now`.
    pub fn is_locked(&self, c: &FailureCounter, now: DateTime<Utc>) -> bool {
        c.locked_until.is_some_and(|t| now < t)
    }

    /// The counter after a failed login at `now`; `locked_until` is set when this failure locks.
    pub fn after_failure(&self, c: &FailureCounter, now: DateTime<Utc>) -> FailureCounter {
        let in_window = c.window_start.is_some_and(|s| now - s < self.window);
        let count = if in_window { c.count + 1 } else { 1 };
        let window_start = if in_window { c.window_start } else { Some(now) };
        FailureCounter {
            count,
            window_start,
            locked_until: if count >= self.max_failures {
                Some(now + self.lock_for)
            } else {
                c.locked_until
            },
        }
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
    fn five_failures_in_fifteen_minutes_lock() {
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
        // Failures spread over more than the window do not lock.
        let mut c = FailureCounter::default();
        for i in 0..10 {
            c = p.after_failure(&c, t0 + Duration::minutes(i * 16));
        }
        assert!(!p.is_locked(&c, t0 + Duration::minutes(160)));
    }
}
