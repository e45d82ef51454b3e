//! Who inspects and who only accompanies.
//!
//! The inspecting officers are accounts (unit officers) with an enforcement certificate (执法证)
//! valid on the day; at least two distinct officers take part in every inspection, re-inspection
//! and investigation and show their certificates (行政处罚法 2021 art. 42; 《安全生产违法行为
//! 行政处罚办法》 2015 art. 24–25). Experts and journalists who accompany an inspection are
//! guests: typed text (name, kind, organisation), listed on the record, never an inspecting
//! officer — third parties and people without a certificate may not inspect (国办发〔2024〕54号).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::TextRule;
use crate::coded::coded;
use crate::refusal::Refusal;

/// Longest certificate number, in characters.
pub const CERTIFICATE_NUMBER_MAX_CHARS: usize = 32;
/// Longest guest name, in characters.
pub const GUEST_NAME_MAX_CHARS: usize = 50;
/// Longest guest organisation, in characters.
pub const GUEST_ORGANISATION_MAX_CHARS: usize = 100;

const CERTIFICATE_NUMBER: TextRule = TextRule::line(
    "执法证号",
    "certificate_number",
    CERTIFICATE_NUMBER_MAX_CHARS,
);
const GUEST_NAME: TextRule = TextRule::line("受邀人员姓名", "guest_name", GUEST_NAME_MAX_CHARS);
const GUEST_ORGANISATION: TextRule = TextRule::line(
    "受邀人员所在单位",
    "guest_organisation",
    GUEST_ORGANISATION_MAX_CHARS,
)
.optional();

/// An officer's enforcement certificate (执法证). Valid from `valid_from` to `valid_until`, both
/// days included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Certificate {
    /// Certificate number (执法证号), as printed on every document the officer signs. Any
    /// printable characters (provinces number differently), 1–32 after trimming.
    pub number: String,
    /// First valid day.
    pub valid_from: NaiveDate,
    /// Last valid day.
    pub valid_until: NaiveDate,
}

impl Certificate {
    /// Checks the certificate as typed and answers it with the number trimmed.
    ///
    /// # Errors
    /// Invalid, field `certificate_number`: blank (“请填写执法证号”), over 32 characters,
    /// with a line break or a control character. Field `certificate_valid_until`: the last day
    /// before the first (“执法证有效期截止日期不能早于起始日期”).
    pub fn check(&self) -> Result<Certificate, Refusal> {
        let number = CERTIFICATE_NUMBER.clean(&self.number)?;
        if self.valid_until < self.valid_from {
            return Err(Refusal::invalid("执法证有效期截止日期不能早于起始日期")
                .on("certificate_valid_until"));
        }
        Ok(Certificate {
            number,
            ..self.clone()
        })
    }

    /// Whether the certificate is valid on `date` (first and last day included).
    pub fn is_valid_on(&self, date: NaiveDate) -> bool {
        self.valid_from <= date && date <= self.valid_until
    }
}

/// An inspecting officer: a unit officer's account, its name, and its certificate if recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Officer {
    /// The account.
    pub user_id: i64,
    /// Name shown and printed.
    pub name: String,
    /// The enforcement certificate, `None` when none is recorded.
    pub certificate: Option<Certificate>,
}

/// Checks the officers of an inspection, re-inspection or order on `on`, the day of the act: at
/// least two distinct officers (执法人员不少于两名, 行政处罚法 2021 art. 42, 办法 art. 24–25), each
/// with a certificate valid that day.
///
/// # Errors
/// Invalid, field `officers`, the first of: an account listed twice (“执法人员{name}重复列出”);
/// fewer than two (“执法人员不少于两名，现列出{n}名”); an officer without a certificate
/// (“执法人员{name}没有登记执法证，不能执法”), with one not yet valid
/// (“执法人员{name}的执法证自{from}起有效，{on}尚未生效”) or expired
/// (“执法人员{name}的执法证已于{until}过期”).
pub fn check_team(officers: &[Officer], on: NaiveDate) -> Result<(), Refusal> {
    let refuse = |message: String| Err(Refusal::invalid(message).on("officers"));
    for (i, o) in officers.iter().enumerate() {
        if officers[..i].iter().any(|p| p.user_id == o.user_id) {
            return refuse(format!("执法人员{}重复列出", o.name));
        }
    }
    if officers.len() < 2 {
        return refuse(format!("执法人员不少于两名，现列出{}名", officers.len()));
    }
    for o in officers {
        let name = &o.name;
        match &o.certificate {
            None => return refuse(format!("执法人员{name}没有登记执法证，不能执法")),
            Some(c) if on < c.valid_from => {
                return refuse(format!(
                    "执法人员{name}的执法证自{}起有效，{on}尚未生效",
                    c.valid_from
                ));
            }
            Some(c) if on > c.valid_until => {
                return refuse(format!("执法人员{name}的执法证已于{}过期", c.valid_until));
            }
            Some(_) => {}
        }
    }
    Ok(())
}

coded!(
    /// What kind of guest accompanies an inspection.
    #[serde(rename_all = "snake_case")]
    GuestKind {
        /// An expert (专家), e.g. of a technical service body.
        Expert = ("expert", "专家"),
        /// A journalist (媒体).
        Media = ("media", "媒体"),
        /// A commissioned third party (受委托第三方) of an acceptance inspection.
        ThirdParty = ("third_party", "受委托第三方"),
        /// Anyone else invited (其他).
        Other = ("other", "其他"),
    }
);

/// A guest who accompanies an inspection (受邀人员): typed text, not an account; listed on the
/// record, never an inspecting officer (国办发〔2024〕54号).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guest {
    /// Name, 1–50 characters after trimming.
    pub name: String,
    /// Kind.
    pub kind: GuestKind,
    /// Organisation, up to 100 characters, may be blank.
    pub organisation: String,
}

impl Guest {
    /// Checks the guest as typed and answers it with its texts trimmed.
    ///
    /// # Errors
    /// Invalid, field `guest_name` (blank, over 50 characters, line break or control
    /// character) or `guest_organisation` (over 100 characters, line break or control character).
    pub fn check(&self) -> Result<Guest, Refusal> {
        Ok(Guest {
            name: GUEST_NAME.clean(&self.name)?,
            kind: self.kind,
            organisation: GUEST_ORGANISATION.clean(&self.organisation)?,
        })
    }
}

/// Most accompanying guests one inspection lists: experts and reporters who go along, never a
/// crowd (a record listing 5 000 made a page of 820 KB). A bound on input, not a rule of law.
pub const MAX_GUESTS: usize = 20;

/// Checks the guests of an inspection against its officers and answers them trimmed. Guests are
/// text, officers accounts: a guest whose name is an officer's name is refused, so that nobody
/// appears on a record both as inspecting officer and as accompanying guest.
///
/// # Errors
/// A guest's own [`Guest::check`] refusal; invalid, field `guests`: a guest named like an officer
/// (“受邀人员{name}同时列为执法人员：专家、媒体等受邀人员只能随同检查，不能作为执法人员”) or
/// listed twice (“受邀人员{name}重复列出”).
pub fn check_guests(officers: &[Officer], guests: &[Guest]) -> Result<Vec<Guest>, Refusal> {
    if guests.len() > MAX_GUESTS {
        return Err(Refusal::invalid(format!(
            "受邀人员至多{MAX_GUESTS}人（共列了{}人）",
            guests.len()
        ))
        .on("guests"));
    }
    let mut clean: Vec<Guest> = Vec::with_capacity(guests.len());
    for g in guests {
        let g = g.check()?;
        let name = &g.name;
        if officers.iter().any(|o| o.name.trim() == name) {
            return Err(Refusal::invalid(format!(
                "受邀人员{name}同时列为执法人员：专家、媒体等受邀人员只能随同检查，不能作为执法人员"
            ))
            .on("guests"));
        }
        if clean.iter().any(|c| &c.name == name) {
            return Err(Refusal::invalid(format!("受邀人员{name}重复列出")).on("guests"));
        }
        clean.push(g);
    }
    Ok(clean)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn guests_are_bounded() {
        let guest = |k: usize| Guest {
            name: format!("专家{k}"),
            kind: GuestKind::Expert,
            organisation: String::new(),
        };
        let twenty: Vec<Guest> = (0..20).map(guest).collect();
        assert_eq!(check_guests(&[], &twenty).unwrap().len(), 20);
        let many: Vec<Guest> = (0..5000).map(guest).collect();
        let r = check_guests(&[], &many).unwrap_err();
        assert_eq!(
            (r.message(), r.field()),
            ("受邀人员至多20人（共列了5000人）", Some("guests"))
        );
    }

    fn cert(number: &str, from: &str, until: &str) -> Certificate {
        Certificate {
            number: number.into(),
            valid_from: d(from),
            valid_until: d(until),
        }
    }

    /// Two officers with certificates valid through 2024–2026.
    pub(crate) fn team() -> Vec<Officer> {
        vec![
            Officer {
                user_id: 7,
                name: "李明".into(),
                certificate: Some(cert("45010020240001", "2024-01-01", "2026-12-31")),
            },
            Officer {
                user_id: 9,
                name: "王芳".into(),
                certificate: Some(cert("45010020240002", "2024-01-01", "2026-12-31")),
            },
        ]
    }

    fn refusal(r: Result<impl std::fmt::Debug, Refusal>) -> (String, Option<&'static str>) {
        let r = r.unwrap_err();
        (r.message().to_string(), r.field())
    }

    #[test]
    fn certificate_number_is_trimmed_and_checked() {
        let c = cert("  桂应急-0012 ", "2024-01-01", "2024-12-31")
            .check()
            .unwrap();
        assert_eq!(c.number, "桂应急-0012");
        assert_eq!(
            refusal(cert("  ", "2024-01-01", "2024-12-31").check()),
            ("请填写执法证号".into(), Some("certificate_number"))
        );
        let max = "1".repeat(32);
        assert!(cert(&max, "2024-01-01", "2024-12-31").check().is_ok());
        let over = "1".repeat(33);
        assert_eq!(
            refusal(cert(&over, "2024-01-01", "2024-12-31").check()),
            ("执法证号不能超过32个字".into(), Some("certificate_number"))
        );
        assert_eq!(
            refusal(cert("4501\n0020", "2024-01-01", "2024-12-31").check()),
            (
                "执法证号只能填写一行，不能换行".into(),
                Some("certificate_number")
            )
        );
        assert_eq!(
            refusal(cert("4501\u{7}", "2024-01-01", "2024-12-31").check()),
            (
                "执法证号含有不可见的控制字符，请删除后重试".into(),
                Some("certificate_number")
            )
        );
    }

    #[test]
    fn certificate_period() {
        // One day is a valid period.
        assert!(cert("1", "2024-05-01", "2024-05-01").check().is_ok());
        assert_eq!(
            refusal(cert("1", "2024-05-02", "2024-05-01").check()),
            (
                "执法证有效期截止日期不能早于起始日期".into(),
                Some("certificate_valid_until")
            )
        );
        let c = cert("1", "2024-01-01", "2024-12-31");
        assert!(!c.is_valid_on(d("2023-12-31")));
        assert!(c.is_valid_on(d("2024-01-01")));
        assert!(c.is_valid_on(d("2024-12-31")));
        assert!(!c.is_valid_on(d("2025-01-01")));
    }

    #[test]
    fn a_team_is_two_distinct_certified_officers() {
        let on = d("2024-09-10");
        assert!(check_team(&team(), on).is_ok());
        assert_eq!(
            refusal(check_team(&team()[..1], on)),
            ("执法人员不少于两名，现列出1名".into(), Some("officers"))
        );
        assert_eq!(
            refusal(check_team(&[], on)),
            ("执法人员不少于两名，现列出0名".into(), Some("officers"))
        );
        let twice = vec![team()[0].clone(), team()[0].clone()];
        assert_eq!(
            refusal(check_team(&twice, on)),
            ("执法人员李明重复列出".into(), Some("officers"))
        );
        let mut three = team();
        three.push(Officer {
            user_id: 11,
            name: "赵强".into(),
            certificate: Some(cert("3", "2020-01-01", "2030-12-31")),
        });
        assert!(check_team(&three, on).is_ok());
    }

    #[test]
    fn every_officer_needs_a_certificate_valid_that_day() {
        let mut t = team();
        t[1].certificate = None;
        assert_eq!(
            refusal(check_team(&t, d("2024-09-10"))),
            (
                "执法人员王芳没有登记执法证，不能执法".into(),
                Some("officers")
            )
        );
        let mut t = team();
        t[1].certificate = Some(cert("2", "2024-01-01", "2024-09-09"));
        assert_eq!(
            refusal(check_team(&t, d("2024-09-10"))),
            (
                "执法人员王芳的执法证已于2024-09-09过期".into(),
                Some("officers")
            )
        );
        // The last valid day still counts.
        assert!(check_team(&t, d("2024-09-09")).is_ok());
        let mut t = team();
        t[0].certificate = Some(cert("1", "2024-09-11", "2029-09-10"));
        assert_eq!(
            refusal(check_team(&t, d("2024-09-10"))),
            (
                "执法人员李明的执法证自2024-09-11起有效，2024-09-10尚未生效".into(),
                Some("officers")
            )
        );
        assert!(check_team(&t, d("2024-09-11")).is_ok());
    }

    fn guest(name: &str, kind: GuestKind, org: &str) -> Guest {
        Guest {
            name: name.into(),
            kind,
            organisation: org.into(),
        }
    }

    #[test]
    fn guest_kinds() {
        let pairs: Vec<_> = GuestKind::ALL
            .iter()
            .map(|k| (k.code(), k.label()))
            .collect();
        assert_eq!(
            pairs,
            vec![
                ("expert", "专家"),
                ("media", "媒体"),
                ("third_party", "受委托第三方"),
                ("other", "其他")
            ]
        );
        assert_eq!(GuestKind::from_code("media"), Some(GuestKind::Media));
    }

    #[test]
    fn guests_are_checked_and_trimmed() {
        let g = guest(" 陈静 ", GuestKind::Media, " 青秀电视台 ")
            .check()
            .unwrap();
        assert_eq!(
            (g.name.as_str(), g.organisation.as_str()),
            ("陈静", "青秀电视台")
        );
        assert!(guest("陈静", GuestKind::Other, "").check().is_ok());
        assert_eq!(
            refusal(guest(" ", GuestKind::Expert, "").check()),
            ("请填写受邀人员姓名".into(), Some("guest_name"))
        );
        assert!(
            guest(&"名".repeat(50), GuestKind::Expert, "")
                .check()
                .is_ok()
        );
        assert_eq!(
            refusal(guest(&"名".repeat(51), GuestKind::Expert, "").check()),
            ("受邀人员姓名不能超过50个字".into(), Some("guest_name"))
        );
        assert!(
            guest("陈静", GuestKind::Expert, &"单".repeat(100))
                .check()
                .is_ok()
        );
        assert_eq!(
            refusal(guest("陈静", GuestKind::Expert, &"单".repeat(101)).check()),
            (
                "受邀人员所在单位不能超过100个字".into(),
                Some("guest_organisation")
            )
        );
    }

    #[test]
    fn a_guest_is_never_an_officer() {
        let guests = vec![
            guest("陈静", GuestKind::Media, "青秀电视台"),
            guest("刘洋", GuestKind::Expert, "安全技术服务公司"),
        ];
        assert_eq!(check_guests(&team(), &guests).unwrap().len(), 2);
        assert!(check_guests(&team(), &[]).unwrap().is_empty());
        let as_officer = vec![guest(" 王芳 ", GuestKind::Expert, "")];
        assert_eq!(
            refusal(check_guests(&team(), &as_officer)),
            (
                "受邀人员王芳同时列为执法人员：专家、媒体等受邀人员只能随同检查，不能作为执法人员"
                    .into(),
                Some("guests")
            )
        );
        let twice = vec![
            guest("陈静", GuestKind::Media, ""),
            guest("陈静 ", GuestKind::Media, ""),
        ];
        assert_eq!(
            refusal(check_guests(&team(), &twice)),
            ("受邀人员陈静重复列出".into(), Some("guests"))
        );
    }
}
