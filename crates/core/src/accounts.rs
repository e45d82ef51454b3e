//! Account rules of the system administrator's pages: login names, display names, first
//! passwords, and the rows of a bulk provisioning file for enterprise users (issue #5).

use crate::roster::Grid;
use crate::roster::clean;
use crate::uscc::Uscc;

/// Checks a login name: 3 to 32 characters of `a-z 0-9 . _ -`, starting with a letter or digit
/// (names people can type on any keyboard and that read the same in every font).
///
/// # Errors
/// The reason, in Chinese.
pub fn check_username(name: &str) -> Result<(), String> {
    let n = name.chars().count();
    if !(3..=32).contains(&n) {
        return Err("用户名须为3至32个字符".into());
    }
    if !name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
    {
        return Err("用户名只能包含小写字母、数字和 . _ -".into());
    }
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err("用户名须以字母或数字开头".into());
    }
    Ok(())
}

/// Checks a display name: 1 to 64 characters, no control characters.
///
/// # Errors
/// The reason, in Chinese.
pub fn check_display_name(name: &str) -> Result<(), String> {
    let n = name.trim().chars().count();
    if n == 0 {
        return Err("姓名不能为空".into());
    }
    if n > 64 || crate::text::has_control_chars(name) {
        return Err("姓名须为64个字符以内的文字".into());
    }
    Ok(())
}

/// The login name generated for an enterprise's account: its USCC in lower case (an enterprise
/// knows its code; the code is unique).
pub fn username_for(uscc: &Uscc) -> String {
    uscc.to_string().to_ascii_lowercase()
}

/// Characters of a first password: no 0/O, 1/l/I, so that it reads back unambiguously from paper.
const LOWER: &[u8] = b"abcdefghijkmnpqrstuvwxyz";
const UPPER: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ";
const DIGIT: &[u8] = b"23456789";
const OTHER: &[u8] = b"-_.!@#%+=";

/// Bytes of randomness [`first_password`] consumes.
pub const FIRST_PASSWORD_RANDOM: usize = 14;

/// A first password of 14 characters from `random` (uniform bytes from the caller's secure
/// generator): at least one of each of the four classes, so that it meets any password policy
/// the security administrator may set (up to 14 characters, four classes). Handed over once; the
/// user must change it at first login.
pub fn first_password(random: &[u8; FIRST_PASSWORD_RANDOM]) -> String {
    let alnum: Vec<u8> = [LOWER, UPPER, DIGIT].concat();
    let all: Vec<u8> = [LOWER, UPPER, DIGIT, OTHER].concat();
    random
        .iter()
        .enumerate()
        .map(|(i, b)| {
            // Positions 3, 6, 9, 12 carry one of each class; the first is a letter or digit (a
            // leading - + = @ would read as a formula in a spreadsheet); the rest draw from all.
            let set: &[u8] = match i {
                0 => &alnum,
                3 => LOWER,
                6 => UPPER,
                9 => DIGIT,
                12 => OTHER,
                _ => &all,
            };
            char::from(set[usize::from(*b) % set.len()])
        })
        .collect()
}

/// One accepted row of a provisioning file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvisionRow {
    /// Row number as the spreadsheet shows it.
    pub row: u32,
    /// The enterprise's code.
    pub uscc: Uscc,
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
}

/// A rejected row (or a problem of the whole file, row 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// Row number as the spreadsheet shows it; 0 for the file as a whole.
    pub row: u32,
    /// Column header, e.g. 统一社会信用代码; empty for the file as a whole.
    pub column: String,
    /// Why, in Chinese.
    pub reason: String,
}

/// Header names accepted for each column of a provisioning file.
const COLUMNS: [(&str, &[&str]); 3] = [
    (
        "统一社会信用代码",
        &["统一社会信用代码", "社会信用代码", "信用代码"],
    ),
    ("用户名", &["用户名", "账号", "登录名"]),
    ("姓名", &["姓名", "显示名称", "联系人", "安全管理人员"]),
];

/// Reads a provisioning file: a header row naming the three columns (统一社会信用代码, 用户名,
/// 姓名; title lines above it are skipped), then one account per row. Checks each row's code
/// (GB 32100-2015), login name and display name, and that no code or login name repeats in the
/// file. Whether the enterprise exists and the login name is free is the store's part.
///
/// # Errors
/// Every problem found, by row and column: the import is all-or-nothing.
pub fn parse_provisioning(grid: &Grid) -> Result<Vec<ProvisionRow>, Vec<RowError>> {
    let whole = |reason: &str| {
        vec![RowError {
            row: 0,
            column: String::new(),
            reason: reason.into(),
        }]
    };
    let header_at = grid.rows.iter().take(10).position(|r| {
        COLUMNS.iter().all(|(_, names)| {
            r.cells
                .iter()
                .any(|c| names.contains(&clean::text(c).as_str()))
        })
    });
    let Some(h) = header_at else {
        return Err(whole(
            "未找到表头：须有“统一社会信用代码”“用户名”“姓名”三列",
        ));
    };
    let col = |names: &[&str]| {
        grid.rows[h]
            .cells
            .iter()
            .position(|c| names.contains(&clean::text(c).as_str()))
            .unwrap_or(0)
    };
    let (c_code, c_user, c_name) = (col(COLUMNS[0].1), col(COLUMNS[1].1), col(COLUMNS[2].1));
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut seen_codes = std::collections::HashMap::new();
    let mut seen_users = std::collections::HashMap::new();
    for r in &grid.rows[h + 1..] {
        let cell = |i: usize| r.cells.get(i).map(|c| clean::text(c)).unwrap_or_default();
        let (code, user, name) = (cell(c_code), cell(c_user), cell(c_name));
        if code.is_empty() && user.is_empty() && name.is_empty() {
            continue;
        }
        let mut err = |column: &str, reason: String| {
            errors.push(RowError {
                row: r.number,
                column: column.into(),
                reason,
            })
        };
        let uscc = match Uscc::parse(&clean::identifier(&code)) {
            Ok(u) => Some(u),
            Err(e) => {
                err(COLUMNS[0].0, e.to_string());
                None
            }
        };
        let username = user.to_ascii_lowercase();
        if let Err(e) = check_username(&username) {
            err(COLUMNS[1].0, e);
        }
        if let Err(e) = check_display_name(&name) {
            err(COLUMNS[2].0, e);
        }
        if let Some(first) = seen_users.insert(username.clone(), r.number) {
            err(COLUMNS[1].0, format!("与第{first}行的用户名重复"));
        }
        if let Some(u) = &uscc
            && let Some(first) = seen_codes.insert(u.to_string(), r.number)
        {
            err(COLUMNS[0].0, format!("与第{first}行的企业重复"));
        }
        if let Some(uscc) = uscc {
            rows.push(ProvisionRow {
                row: r.number,
                uscc,
                username,
                display_name: name,
            });
        }
    }
    if rows.is_empty() && errors.is_empty() {
        return Err(whole("文件中没有账号行"));
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roster::GridRow;

    fn grid(rows: &[&[&str]]) -> Grid {
        Grid {
            rows: rows
                .iter()
                .enumerate()
                .map(|(i, r)| GridRow {
                    number: i as u32 + 1,
                    cells: r.iter().map(|c| c.to_string()).collect(),
                })
                .collect(),
        }
    }

    #[test]
    fn usernames_and_first_passwords() {
        assert!(check_username("li.officer").is_ok());
        assert_eq!(check_username("ab").unwrap_err(), "用户名须为3至32个字符");
        assert_eq!(
            check_username("Li Officer").unwrap_err(),
            "用户名只能包含小写字母、数字和 . _ -"
        );
        assert_eq!(
            check_username("-abc").unwrap_err(),
            "用户名须以字母或数字开头"
        );
        let p = first_password(&[0; FIRST_PASSWORD_RANDOM]);
        assert_eq!(p, "aaaaaaAaa2aa-a");
        let policy = crate::identity::PasswordPolicy {
            min_len: 14,
            min_classes: 4,
            history: 5,
        };
        assert_eq!(policy.check("someone", &p), Ok(()));
        let p = first_password(&[255; FIRST_PASSWORD_RANDOM]);
        assert_eq!(policy.check("someone", &p), Ok(()), "{p}");
    }

    #[test]
    fn provisioning_rows_checked_by_row_and_column() {
        let ok = grid(&[
            &["企业账号开通表"],
            &["统一社会信用代码", "用户名", "姓名"],
            &["91350100M000100Y", "a", "x"],
        ]);
        // A short code, a short name: both named by row and column.
        let errs = parse_provisioning(&ok).unwrap_err();
        assert_eq!(
            errs.iter()
                .map(|e| (e.row, e.column.as_str()))
                .collect::<Vec<_>>(),
            vec![(3, "统一社会信用代码"), (3, "用户名")]
        );
        let code = Uscc::with_check_char("91990101MA1000000")
            .unwrap()
            .to_string();
        let good = grid(&[
            &["统一社会信用代码", "用户名", "姓名"],
            &[&code, "Chen.Gong", "陈工"],
            &["", "", ""],
        ]);
        let rows = parse_provisioning(&good).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (
                rows[0].row,
                rows[0].username.as_str(),
                rows[0].display_name.as_str()
            ),
            (2, "chen.gong", "陈工")
        );
        let dup = grid(&[
            &["统一社会信用代码", "用户名", "姓名"],
            &[&code, "chen", "陈工"],
            &[&code, "chen", "陈工"],
        ]);
        let errs = parse_provisioning(&dup).unwrap_err();
        assert_eq!(
            errs.iter().map(|e| e.reason.as_str()).collect::<Vec<_>>(),
            vec!["与第2行的用户名重复", "与第2行的企业重复"]
        );
        assert_eq!(
            parse_provisioning(&grid(&[&["名称"]])).unwrap_err()[0].reason,
            "未找到表头：须有“统一社会信用代码”“用户名”“姓名”三列"
        );
    }
}
