//! A small campaign template and a populated store for the stories.

use chrono::NaiveDate;
use safeduty_core::template::{
    CampaignTemplate, CheckItem, DutyArea, Phase, PlanInfo, SCHEMA_VERSION, Settings,
};

pub fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn item(number: u32, text: &str) -> CheckItem {
    CheckItem {
        number,
        text: text.into(),
        legal_basis: None,
        evidence_guidance: None,
        lines: None,
    }
}

/// Two areas, five items (1–3 and 4–5), two phases.
pub fn template() -> CampaignTemplate {
    CampaignTemplate {
        plan: PlanInfo {
            title: "测试专项治理工作方案".into(),
            issue_date: Some(d("2024-03-29")),
            ..PlanInfo::default()
        },
        settings: Settings::default(),
        areas: vec![
            DutyArea {
                label: "一".into(),
                title: "规章制度方面".into(),
                items: vec![item(1, "是否甲"), item(2, "是否乙"), item(3, "是否丙")],
                areas: vec![],
                lines: None,
            },
            DutyArea {
                label: "二".into(),
                title: "教育培训方面".into(),
                items: vec![item(4, "是否丁"), item(5, "是否戊")],
                areas: vec![],
                lines: None,
            },
        ],
        phases: vec![
            Phase {
                ordinal: 1,
                name: "动员部署".into(),
                start: Some(d("2024-03-29")),
                end: Some(d("2024-04-30")),
                window_text: String::new(),
                lines: None,
            },
            Phase {
                ordinal: 2,
                name: "自查自纠".into(),
                start: Some(d("2024-05-01")),
                end: Some(d("2024-06-30")),
                window_text: String::new(),
                lines: None,
            },
        ],
        schema: SCHEMA_VERSION,
        ..CampaignTemplate::empty()
    }
}
