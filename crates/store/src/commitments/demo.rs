//! Demo safety managers and duty commitments: invented people for the demo enterprises, the
//! campaign's commitment text, and a deterministic share of them signed and published, so that
//! the profile, commitment and coverage pages show data. The two demo enterprise accounts' own
//! enterprises (the first two) get managers who have not signed, so that a visitor can sign.

use chrono::{Days, NaiveDate};
use safeduty_core::commitment::{Publication, required_for};
use safeduty_core::personnel::{Employment, Person};

use crate::audit::Who;
use crate::campaigns::Campaign;
use crate::{Store, StoreError, personnel};

/// The demo commitment text: the seven duties of Work Safety Law art. 25 in the first person.
pub const DEMO_TEXT: &str = "安全生产管理人员安全生产履职承诺书

本人作为本单位安全生产管理人员，依据《中华人民共和国安全生产法》第二十五条、第二十六条、第二十七条、第四十六条的规定，郑重承诺依法履行以下职责：
一、组织或者参与拟订本单位安全生产规章制度、操作规程和生产安全事故应急救援预案；
二、组织或者参与本单位安全生产教育和培训，如实记录安全生产教育和培训情况；
三、组织开展危险源辨识和评估，督促落实本单位重大危险源的安全管理措施；
四、组织或者参与本单位应急救援演练；
五、检查本单位的安全生产状况，及时排查生产安全事故隐患，提出改进安全生产管理的建议；
六、制止和纠正违章指挥、强令冒险作业、违反操作规程的行为；
七、督促落实本单位安全生产整改措施。
本人恪尽职守、依法履职，自觉接受负有安全生产监督管理职责的部门和本单位从业人员的监督；如有违反，愿依法承担相应责任。";

const SURNAMES: [&str; 12] = [
    "陈", "林", "黄", "吴", "郑", "谢", "韦", "蒙", "覃", "梁", "莫", "蓝",
];
const GIVEN: [&str; 10] = [
    "志远", "晓梅", "建华", "海燕", "立新", "春兰", "国强", "文静", "振宇", "秀英",
];

/// The safety managers of the demo enterprise at position `i`: 0 to 3 people (every seventh
/// enterprise has none registered, to show up as missing).
fn people(i: usize, today: NaiveDate) -> Vec<Person> {
    let n = if i % 7 == 3 { 0 } else { 1 + i % 3 };
    (0..n)
        .map(|k| {
            let seq = i * 3 + k;
            let engineer = seq.is_multiple_of(4);
            Person {
                name: format!(
                    "{}{}",
                    SURNAMES[seq % SURNAMES.len()],
                    GIVEN[(seq / SURNAMES.len()) % GIVEN.len()]
                ),
                employment: if k == 0 {
                    Employment::FullTime
                } else {
                    Employment::PartTime
                },
                registered_engineer: engineer,
                engineer_cert_no: if engineer {
                    format!("ZA-2020-{:06}", 100 + seq)
                } else {
                    String::new()
                },
                assessment_cert_no: format!("99010120{:06}", 3000 + seq),
                assessment_valid_until: NaiveDate::from_ymd_opt(2025 + (seq % 3) as i32, 6, 30),
                appointed_on: today.checked_sub_days(Days::new(200 + (seq % 600) as u64)),
                phone: format!("1380771{:04}", seq % 10_000),
            }
        })
        .collect()
}

/// Seeds personnel for every enterprise enrolled in `campaign` (in id order), sets the demo text
/// and signs: the first two enterprises sign nothing; of the others, manager `k` of enterprise
/// `i` signs when `(7i + 3k) % 10 >= 2` (about four in five, spread over every town: the
/// enterprises alternate between towns), 3 to 13 days before `today`; an enterprise whose managers
/// all signed records its internal publication when `(i / 5)` is even (every other one in each
/// town). One transaction.
///
/// # Errors
/// Store errors.
pub async fn seed(store: &Store, campaign: &Campaign, today: NaiveDate) -> Result<(), StoreError> {
    let who = Who {
        user_id: None,
        role: Some("demo".into()),
        client_addr: None,
    };
    let enterprises: Vec<(i64, String)> = sqlx::query_as(
        "SELECT e.id, e.industry FROM enrolments en JOIN enterprises e ON e.id = en.enterprise_id \
         WHERE en.campaign_id = $1 ORDER BY e.id",
    )
    .bind(campaign.id)
    .fetch_all(store.reader())
    .await?;
    let mut tx = store.write().await?;
    super::set_text_in(&mut tx, &who, campaign.id, DEMO_TEXT).await?;
    for (i, (id, industry)) in enterprises.iter().enumerate() {
        let mut all_signed = true;
        let people = people(i, today);
        for (k, p) in people.iter().enumerate() {
            let pid = personnel::add_in(&mut tx, &who, *id, p).await?;
            let signs = i >= 2 && required_for(industry) && (i * 7 + k * 3) % 10 >= 2;
            if !signs {
                all_signed = false;
                continue;
            }
            let person_id: i64 =
                sqlx::query_scalar("SELECT id FROM personnel WHERE public_id = $1")
                    .bind(&pid)
                    .fetch_one(&mut *tx)
                    .await?;
            let on = today
                .checked_sub_days(Days::new(3 + (i % 11) as u64))
                .unwrap_or(today);
            super::sign_in(
                &mut tx,
                &who,
                campaign.id,
                *id,
                person_id,
                &p.name,
                on,
                super::BY_ENTERPRISE,
            )
            .await?;
        }
        if all_signed && !people.is_empty() && (i / 5).is_multiple_of(2) {
            let place = ["厂区安全生产公告栏", "企业内部办公系统", "职工食堂宣传栏"][i % 3];
            let published_on = today
                .checked_sub_days(Days::new((i % 3) as u64))
                .unwrap_or(today);
            super::record_publication_in(
                &mut tx,
                &who,
                campaign.id,
                *id,
                &Publication {
                    place: place.into(),
                    published_on,
                },
            )
            .await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
