//! The chart page (`/charts`, 统计图表, issue #15 point 6): server-rendered SVG charts of the
//! caller's scope ([`safeduty_app::charts`]), each followed by its numbers in a table — the
//! table is the source of truth, and its rows are the ones the matching export counts (the
//! enterprise list, the findings ledger `.xlsx`, the enforcement figures `.xlsx`). The committee
//! office sees its region, a unit officer its own enterprises, the assessor reads the same as
//! the committee office; the page has no form.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use safeduty_app::charts::{Charts, Group};
use safeduty_core::policy::Role;

use super::{Chrome, render};
use crate::AppState;
use crate::error::PageError;
use crate::guard::PageUser;
use crate::svg_chart::{self, Band, Bar, PALETTE, Series};

/// A rate in ‰ as shown: `66.7%`, or `—` without a base (as the enforcement figures show it).
fn percent(per_mille: Option<i64>) -> String {
    per_mille.map_or_else(|| "—".to_string(), |v| format!("{}.{}%", v / 10, v % 10))
}

/// One chart (or two over the same table) and its table.
struct Section {
    /// The anchor and the tables' id.
    id: &'static str,
    heading: String,
    /// What the figures count.
    note: String,
    svgs: Vec<String>,
    head: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    /// The total row, if any (shown bold, last).
    total: Option<Vec<String>>,
    /// Where the same rows are exported: link, label.
    source: Option<(&'static str, &'static str)>,
}

#[derive(Template)]
#[template(path = "charts.html")]
struct ChartsPage {
    chrome: Option<Chrome>,
    campaign: String,
    today: String,
    scope_note: &'static str,
    sections: Vec<Section>,
}

const SUBMITTED: Series<'static> = Series {
    name: "已提交",
    color: PALETTE[0],
};
const DRAFT: Series<'static> = Series {
    name: "草稿",
    color: PALETTE[1],
};
const NOT_STARTED: Series<'static> = Series {
    name: "未开始",
    color: PALETTE[2],
};
const CLOSED: Series<'static> = Series {
    name: "已销号",
    color: PALETTE[3],
};
const OPEN: Series<'static> = Series {
    name: "未销号",
    color: PALETTE[1],
};

fn group_cells(g: &Group) -> Vec<String> {
    vec![
        g.group.clone(),
        g.enrolled.to_string(),
        g.submitted.to_string(),
        g.draft.to_string(),
        g.not_started.to_string(),
        percent(g.self_inspection_per_mille()),
        g.findings.to_string(),
        g.findings_closed.to_string(),
        g.findings_open().to_string(),
        percent(g.rectification_per_mille()),
    ]
}

/// Self-inspection and rectification of `groups` (by region or by industry).
fn groups_section(
    id: &'static str,
    what: &str,
    head: &'static str,
    groups: &[Group],
    total: &Group,
) -> Section {
    let progress: Vec<Bar> = groups
        .iter()
        .map(|g| Bar {
            label: g.group.clone(),
            values: vec![g.submitted, g.draft, g.not_started],
            note: percent(g.self_inspection_per_mille()),
        })
        .collect();
    let rectification: Vec<Bar> = groups
        .iter()
        .map(|g| Bar {
            label: g.group.clone(),
            values: vec![g.findings_closed, g.findings_open()],
            note: percent(g.rectification_per_mille()),
        })
        .collect();
    Section {
        id,
        heading: format!("自查与整改（{what}）"),
        note: "自查率 = 已提交 ÷ 纳入治理企业数；整改率 = 已销号 ÷ 问题隐患数（隐患台账口径，\
               含以往治理尚未销号的），四舍五入到0.1%。"
            .into(),
        svgs: vec![
            svg_chart::bars(
                &format!("{id}-si"),
                &format!("{what}自查进度"),
                &format!(
                    "{what}：各组企业的自查已提交、草稿、未开始数（横条堆叠），条后为自查率；合计{}家，已提交{}家，自查率{}。",
                    total.enrolled,
                    total.submitted,
                    percent(total.self_inspection_per_mille())
                ),
                &[SUBMITTED, DRAFT, NOT_STARTED],
                &progress,
                true,
            ),
            svg_chart::bars(
                &format!("{id}-rect"),
                &format!("{what}问题隐患整改"),
                &format!(
                    "{what}：各组问题隐患的已销号、未销号数（横条堆叠），条后为整改率；合计{}项，已销号{}项，整改率{}。",
                    total.findings,
                    total.findings_closed,
                    percent(total.rectification_per_mille())
                ),
                &[CLOSED, OPEN],
                &rectification,
                true,
            ),
        ],
        head: vec![
            head,
            "纳入治理企业",
            "自查已提交",
            "草稿",
            "未开始",
            "自查率",
            "问题隐患",
            "已销号",
            "未销号",
            "整改率",
        ],
        rows: groups.iter().map(group_cells).collect(),
        total: Some(group_cells(total)),
        source: None,
    }
}

fn sections(c: &Charts, officer: bool) -> Vec<Section> {
    let mut out = Vec::new();

    // Progress over the weeks, with the phases shaded.
    let labels: Vec<String> = c
        .weeks
        .iter()
        .map(|w| w.start.format("%m-%d").to_string())
        .collect();
    let mut bands: Vec<Band> = Vec::new();
    for (i, w) in c.weeks.iter().enumerate() {
        match bands.last_mut() {
            Some(b) if b.name == w.phase => b.to = i,
            _ => bands.push(Band {
                from: i,
                to: i,
                name: w.phase.clone(),
            }),
        }
    }
    bands.retain(|b| !b.name.is_empty());
    let weekly =
        |f: fn(&safeduty_app::charts::Week) -> i64| -> Vec<i64> { c.weeks.iter().map(f).collect() };
    let (submitted, opened, closed) = (
        weekly(|w| w.submitted),
        weekly(|w| w.opened),
        weekly(|w| w.closed),
    );
    let first_last = match (c.weeks.first(), c.weeks.last()) {
        (Some(f), Some(l)) => format!("{}至{}当周", f.start, l.start),
        _ => "暂无数据".into(),
    };
    out.push(Section {
        id: "weeks",
        heading: "工作进展（按周）".into(),
        note: "每周自周一起算；阶段按周一所在的阶段标注。自查提交按提交日期，问题隐患按发现日期和销号日期（隐患台账口径）。"
            .into(),
        svgs: vec![
            svg_chart::lines(
                "weeks-si",
                "每周自查提交",
                &format!(
                    "{first_last}每周提交的自查表数与累计数，背景为治理阶段；累计提交{}份。",
                    c.weeks.last().map_or(0, |w| w.submitted_to_date)
                ),
                &labels,
                &[
                    (
                        Series {
                            name: "当周提交",
                            color: PALETTE[0],
                        },
                        submitted,
                    ),
                    (
                        Series {
                            name: "累计提交",
                            color: PALETTE[4],
                        },
                        weekly(|w| w.submitted_to_date),
                    ),
                ],
                &bands,
            ),
            svg_chart::lines(
                "weeks-findings",
                "每周问题隐患新增与销号",
                &format!(
                    "{first_last}每周新发现与销号的问题隐患数，背景为治理阶段；新增合计{}项，销号合计{}项。",
                    opened.iter().sum::<i64>(),
                    closed.iter().sum::<i64>()
                ),
                &labels,
                &[
                    (
                        Series {
                            name: "新增",
                            color: PALETTE[1],
                        },
                        opened,
                    ),
                    (
                        Series {
                            name: "销号",
                            color: PALETTE[3],
                        },
                        closed,
                    ),
                ],
                &bands,
            ),
        ],
        head: vec![
            "周（周一）",
            "阶段",
            "自查提交",
            "累计提交",
            "新增问题隐患",
            "销号",
        ],
        rows: c
            .weeks
            .iter()
            .map(|w| {
                vec![
                    w.start.to_string(),
                    w.phase.clone(),
                    w.submitted.to_string(),
                    w.submitted_to_date.to_string(),
                    w.opened.to_string(),
                    w.closed.to_string(),
                ]
            })
            .collect(),
        total: None,
        source: Some(("/enterprises", "企业自查名单")),
    });

    out.push(groups_section(
        "regions",
        "按属地",
        "镇（街道、开发区）",
        &c.by_region,
        &c.total,
    ));
    out.push(groups_section(
        "industries",
        "按行业",
        "行业",
        &c.by_industry,
        &c.total,
    ));

    // Findings by grade and by age.
    let grades: Vec<Bar> = c
        .by_grade
        .iter()
        .map(|g| Bar {
            label: g.grade.label().to_string(),
            values: vec![g.closed, g.open],
            note: (g.open + g.closed).to_string(),
        })
        .collect();
    let ages: Vec<Bar> = c
        .by_age
        .iter()
        .map(|a| Bar {
            label: a.band.to_string(),
            values: vec![a.open - a.major, a.major],
            note: a.open.to_string(),
        })
        .collect();
    let (open, closed) = c
        .by_grade
        .iter()
        .fold((0, 0), |(o, k), g| (o + g.open, k + g.closed));
    let mut grade_rows: Vec<Vec<String>> = c
        .by_grade
        .iter()
        .map(|g| {
            vec![
                g.grade.label().to_string(),
                (g.open + g.closed).to_string(),
                g.closed.to_string(),
                g.open.to_string(),
            ]
        })
        .collect();
    grade_rows.push(vec![
        "合计".into(),
        (open + closed).to_string(),
        closed.to_string(),
        open.to_string(),
    ]);
    out.push(Section {
        id: "grades",
        heading: "问题隐患（按等级）".into(),
        note: "隐患台账全部问题隐患（含以往治理尚未销号的）按等级。".into(),
        svgs: vec![svg_chart::bars(
            "grades-chart",
            "问题隐患按等级",
            &format!(
                "一般与重大问题隐患的已销号、未销号数（横条堆叠），条后为合计；共{}项，未销号{open}项。",
                open + closed
            ),
            &[CLOSED, OPEN],
            &grades,
            true,
        )],
        head: vec!["等级", "问题隐患", "已销号", "未销号"],
        total: grade_rows.pop(),
        rows: grade_rows,
        source: Some(("/findings/export.xlsx", "导出隐患台账")),
    });
    let open_total: i64 = c.by_age.iter().map(|a| a.open).sum();
    let major_total: i64 = c.by_age.iter().map(|a| a.major).sum();
    out.push(Section {
        id: "ages",
        heading: "未销号问题隐患（按已发现天数）".into(),
        note: format!(
            "已发现天数 = {} − 发现日期（自然日）；只计未销号的。",
            c.today
        ),
        svgs: vec![svg_chart::bars(
            "ages-chart",
            "未销号问题隐患按已发现天数",
            &format!(
                "未销号问题隐患按已发现天数分为0–7天、8–30天、31–90天、90天以上，横条堆叠一般与重大，条后为合计；共{open_total}项，其中重大{major_total}项。"
            ),
            &[
                Series {
                    name: "一般",
                    color: PALETTE[0],
                },
                Series {
                    name: "重大",
                    color: "#c0392b",
                },
            ],
            &ages,
            true,
        )],
        head: vec!["已发现天数", "未销号", "其中重大"],
        rows: c
            .by_age
            .iter()
            .map(|a| vec![a.band.to_string(), a.open.to_string(), a.major.to_string()])
            .collect(),
        total: Some(vec![
            "合计".into(),
            open_total.to_string(),
            major_total.to_string(),
        ]),
        source: Some(("/findings/export.xlsx", "导出隐患台账")),
    });

    // Enforcement, per unit.
    let f = &c.enforcement;
    let counts: Vec<Bar> = f
        .units
        .iter()
        .map(|r| Bar {
            label: r.name.clone(),
            values: vec![
                r.counts.inspections,
                r.counts.orders_issued,
                r.counts.cases_filed,
            ],
            note: String::new(),
        })
        .collect();
    let fines: Vec<Bar> = f
        .units
        .iter()
        .map(|r| Bar {
            label: r.name.clone(),
            values: vec![r.counts.fines],
            note: format!("{}元", r.counts.fines),
        })
        .collect();
    let cells = |r: &safeduty_app::enforcement::figures::Row| {
        vec![
            r.name.clone(),
            r.counts.inspections.to_string(),
            r.counts.orders_issued.to_string(),
            r.counts.cases_filed.to_string(),
            r.counts.cases_decided.to_string(),
            r.counts.fines.to_string(),
        ]
    };
    let sum = |pick: fn(&safeduty_app::enforcement::figures::Row) -> i64| -> i64 {
        f.total
            .as_ref()
            .map_or_else(|| f.units.iter().map(pick).sum(), pick)
    };
    out.push(Section {
        id: "enforcement",
        heading: if officer {
            "执法检查（本单位）".into()
        } else {
            "执法检查（按单位）".into()
        },
        note: "与“执法统计”同一口径：治理年度内的现场检查（复查不计）、下达的整改指令、批准立案的案件、已作出处罚决定的罚款合计。"
            .into(),
        svgs: vec![
            svg_chart::bars(
                "enforcement-counts",
                "执法检查、整改指令与立案",
                &format!(
                    "各单位的检查数、下达整改指令数、立案数（并列横条）；{}检查{}户次，整改指令{}份，立案{}件。",
                    if f.total.is_some() { "辖区合计" } else { "本单位" },
                    sum(|r| r.counts.inspections),
                    sum(|r| r.counts.orders_issued),
                    sum(|r| r.counts.cases_filed)
                ),
                &[
                    Series {
                        name: "检查数",
                        color: PALETTE[0],
                    },
                    Series {
                        name: "整改指令",
                        color: PALETTE[1],
                    },
                    Series {
                        name: "立案",
                        color: PALETTE[4],
                    },
                ],
                &counts,
                false,
            ),
            svg_chart::bars(
                "enforcement-fines",
                "罚款金额",
                &format!(
                    "各单位已作出处罚决定的罚款金额（元）；{}合计{}元。",
                    if f.total.is_some() { "辖区" } else { "本单位" },
                    sum(|r| r.counts.fines)
                ),
                &[Series {
                    name: "罚款金额（元）",
                    color: "#c0392b",
                }],
                &fines,
                true,
            ),
        ],
        head: vec![
            "单位",
            "检查数",
            "下达整改指令",
            "立案",
            "作出决定",
            "罚款金额（元）",
        ],
        rows: f.units.iter().map(cells).collect(),
        total: f.total.as_ref().map(cells),
        source: Some(("/enforcement/figures.xlsx", "导出执法统计")),
    });
    out
}

/// `GET /charts`: committee office, unit officers, assessors, each over its own scope.
pub(super) async fn show(
    State(state): State<AppState>,
    PageUser(user): PageUser,
) -> Result<Response, PageError> {
    let today = state.clock().today();
    let c = safeduty_app::charts::charts(state.store(), &user.caller(), today).await?;
    let officer = user.user.role == Role::UnitOfficer;
    Ok(render(&ChartsPage {
        chrome: Some(Chrome::new(&state, &user).await),
        campaign: c.campaign.clone(),
        today: c.today.to_string(),
        scope_note: if officer {
            "本单位管辖企业"
        } else {
            "本辖区"
        },
        sections: sections(&c, officer),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use safeduty_app::charts::per_mille;

    #[test]
    fn percent_shows_tenths_or_a_dash() {
        assert_eq!(percent(per_mille(2, 3)), "66.7%");
        assert_eq!(percent(Some(1000)), "100.0%");
        assert_eq!(percent(None), "—");
    }
}
