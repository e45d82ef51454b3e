//! Server-rendered SVG charts (issue #15 point 6): horizontal bars (stacked or grouped) and a
//! line chart over weeks, as self-contained `<svg>` elements — no script, no external font or
//! stylesheet, so they show on an intranet without a CDN. Each chart has a `<title>` and a
//! `<desc>` and scales to the width of its box through its `viewBox`; the page shows its numbers
//! in a table next to it, which is the source of truth.
//!
//! Chinese labels use the first installed of Noto Sans CJK SC, Microsoft YaHei, SimSun (then any
//! sans-serif font). Text is escaped here; callers pass plain strings.

use std::fmt::Write;

/// The width of every chart in user units (the `viewBox`); the page scales it to its box.
pub const WIDTH: i64 = 640;

/// The font list named on every chart.
const FONTS: &str = "'Noto Sans CJK SC','Microsoft YaHei',SimSun,sans-serif";

/// The colours of the series, in order (colour-blind safe: blue, orange, grey, green, purple).
pub const PALETTE: [&str; 5] = ["#1f6fb4", "#e08214", "#9e9e9e", "#2e8b57", "#7b4fa0"];

/// One series: its name in the legend and its colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Series<'a> {
    /// The legend's text.
    pub name: &'a str,
    /// A CSS colour (`#rrggbb`).
    pub color: &'a str,
}

/// One row of a bar chart: its label, one value per series, and the text written after the
/// bar (a total or a rate; empty for none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    /// The category (a region, an industry, a unit, a grade).
    pub label: String,
    /// One value per series, ≥ 0 (negative values are drawn as 0).
    pub values: Vec<i64>,
    /// Written after the bar.
    pub note: String,
}

/// `s` escaped for XML text and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The smallest of 1, 2, 5 × 10ⁿ at least `max` (at least 1): the axis' end.
pub fn nice_max(max: i64) -> i64 {
    let max = max.max(1);
    let mut step = 1_i64;
    loop {
        for m in [1, 2, 5] {
            if step.saturating_mul(m) >= max {
                return step.saturating_mul(m);
            }
        }
        step = step.saturating_mul(10);
    }
}

/// The opening of a chart: the root element, its title and description.
fn open(out: &mut String, id: &str, height: i64, title: &str, desc: &str) {
    let id = esc(id);
    let _ = write!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" \
         role=\"img\" aria-labelledby=\"{id}-t {id}-d\" font-family=\"{FONTS}\" font-size=\"12\">\
         <title id=\"{id}-t\">{}</title><desc id=\"{id}-d\">{}</desc>",
        esc(title),
        esc(desc)
    );
}

/// The legend on one line at the top, `y` its baseline.
fn legend(out: &mut String, series: &[Series<'_>], x0: i64, y: i64) {
    let mut x = x0;
    for s in series {
        let _ = write!(
            out,
            "<rect x=\"{x}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>\
             <text x=\"{}\" y=\"{y}\">{}</text>",
            y - 10,
            esc(s.color),
            x + 16,
            esc(s.name)
        );
        // Width of the name: CJK characters are about one em, others about half.
        let w: i64 = s
            .name
            .chars()
            .map(|c| if c.is_ascii() { 7 } else { 12 })
            .sum();
        x += 16 + w + 18;
    }
}

/// The width of the label column of a bar chart: the longest label, 80 to 170 units.
fn label_width(bars: &[Bar]) -> i64 {
    let longest = bars
        .iter()
        .map(|b| {
            b.label
                .chars()
                .map(|c| if c.is_ascii() { 7 } else { 12 })
                .sum::<i64>()
        })
        .max()
        .unwrap_or(0);
    (longest + 10).clamp(80, 170)
}

/// A horizontal bar chart: one row per bar, its series stacked end to end (`stacked`) or side by
/// side as thin bars (grouped), on a common scale from 0 with a gridline every quarter.
pub fn bars(
    id: &str,
    title: &str,
    desc: &str,
    series: &[Series<'_>],
    bars: &[Bar],
    stacked: bool,
) -> String {
    let n = series.len().max(1) as i64;
    let row = if stacked { 28 } else { 8 * n + 12 };
    let (top, bottom) = (36, 24);
    let height = top + row * (bars.len().max(1) as i64) + bottom;
    let left = label_width(bars);
    let right = 80;
    let plot = WIDTH - left - right;
    let max = bars
        .iter()
        .map(|b| {
            let v = b.values.iter().map(|v| (*v).max(0));
            if stacked {
                v.sum()
            } else {
                v.max().unwrap_or(0)
            }
        })
        .max()
        .unwrap_or(0);
    let axis = nice_max(max);
    let scale = |v: i64| v.max(0) * plot / axis;
    let mut out = String::new();
    open(&mut out, id, height, title, desc);
    legend(&mut out, series, left, 16);
    // Gridlines and their values.
    let grid_bottom = top + row * (bars.len().max(1) as i64);
    for q in 0..=4 {
        let x = left + plot * q / 4;
        let _ = write!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{grid_bottom}\" stroke=\"#d0d0d0\"/>",
            top - 4
        );
        // A gridline at a fraction (12.5 of 50) is drawn but not labelled.
        if axis * q % 4 == 0 {
            let _ = write!(
                out,
                "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" fill=\"#555\">{}</text>",
                grid_bottom + 16,
                axis * q / 4
            );
        }
    }
    if bars.is_empty() {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#555\">暂无数据</text>",
            left + plot / 2,
            top + row / 2 + 4
        );
    }
    for (i, b) in bars.iter().enumerate() {
        let y = top + row * i as i64;
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
            left - 6,
            y + row / 2 + 4,
            esc(&b.label)
        );
        let mut x = left;
        let mut end = left;
        for (j, (v, s)) in b.values.iter().zip(series).enumerate() {
            let w = scale(*v);
            let (bx, by, bh) = if stacked {
                (x, y + 6, row - 12)
            } else {
                (left, y + 6 + 8 * j as i64, 7)
            };
            if w > 0 {
                let _ = write!(
                    out,
                    "<rect x=\"{bx}\" y=\"{by}\" width=\"{w}\" height=\"{bh}\" fill=\"{}\">\
                     <title>{}：{}</title></rect>",
                    esc(s.color),
                    esc(&b.label),
                    esc(&format!("{} {v}", s.name))
                );
            }
            x += w;
            end = end.max(bx + w);
        }
        if !b.note.is_empty() {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" fill=\"#333\">{}</text>",
                end + 4,
                y + row / 2 + 4,
                esc(&b.note)
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// A band under a line chart: the points `from..=to` (indexes) belong to a named stretch (a
/// phase).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Band {
    /// First point.
    pub from: usize,
    /// Last point.
    pub to: usize,
    /// Its name.
    pub name: String,
}

/// A line chart: one point per x label (weeks), one polyline per series, the bands shaded
/// behind them with their names, at most eight x labels written.
pub fn lines(
    id: &str,
    title: &str,
    desc: &str,
    x_labels: &[String],
    series: &[(Series<'_>, Vec<i64>)],
    bands: &[Band],
) -> String {
    let height = 280;
    let (left, right, top, bottom) = (44, 16, 48, 40);
    let plot_w = WIDTH - left - right;
    let plot_h = height - top - bottom;
    let points = x_labels.len() as i64;
    let max = series
        .iter()
        .flat_map(|(_, v)| v.iter().copied())
        .max()
        .unwrap_or(0);
    let axis = nice_max(max);
    let x_of = |i: i64| {
        if points <= 1 {
            left + plot_w / 2
        } else {
            left + plot_w * i / (points - 1)
        }
    };
    let y_of = |v: i64| top + plot_h - v.max(0) * plot_h / axis;
    let mut out = String::new();
    open(&mut out, id, height, title, desc);
    let legend_series: Vec<Series<'_>> = series.iter().map(|(s, _)| *s).collect();
    legend(&mut out, &legend_series, left, 16);
    // Bands, alternately shaded, named at the top of the plot.
    let half = if points <= 1 {
        plot_w / 2
    } else {
        plot_w / (2 * (points - 1))
    };
    for (k, b) in bands.iter().enumerate() {
        let x1 = (x_of(b.from as i64) - half).max(left);
        let x2 = (x_of(b.to as i64) + half).min(left + plot_w);
        let fill = if k % 2 == 0 { "#eef3f8" } else { "#f7f7f7" };
        let _ = write!(
            out,
            "<rect x=\"{x1}\" y=\"{top}\" width=\"{}\" height=\"{plot_h}\" fill=\"{fill}\"/>\
             <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#555\">{}</text>",
            (x2 - x1).max(0),
            (x1 + x2) / 2,
            top - 6,
            esc(&b.name)
        );
    }
    for q in 0..=4 {
        let y = top + plot_h - plot_h * q / 4;
        let _ = write!(
            out,
            "<line x1=\"{left}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" stroke=\"#d0d0d0\"/>",
            left + plot_w
        );
        if axis * q % 4 == 0 {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#555\">{}</text>",
                left - 4,
                y + 4,
                axis * q / 4
            );
        }
    }
    if points == 0 {
        let _ = write!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#555\">暂无数据</text>",
            left + plot_w / 2,
            top + plot_h / 2
        );
    }
    let every = ((points + 7) / 8).max(1);
    for (i, label) in x_labels.iter().enumerate() {
        let i = i as i64;
        if i % every == 0 || (i == points - 1 && (points - 1) % every >= every / 2) {
            let _ = write!(
                out,
                "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#555\">{}</text>",
                x_of(i),
                top + plot_h + 16,
                esc(label)
            );
        }
    }
    for (s, values) in series {
        let pts: Vec<String> = values
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{},{}", x_of(i as i64), y_of(*v)))
            .collect();
        let _ = write!(
            out,
            "<polyline points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\"/>",
            pts.join(" "),
            esc(s.color)
        );
        for (i, v) in values.iter().enumerate() {
            let _ = write!(
                out,
                "<circle cx=\"{}\" cy=\"{}\" r=\"2.5\" fill=\"{}\"><title>{} {}：{v}</title></circle>",
                x_of(i as i64),
                y_of(*v),
                esc(s.color),
                esc(x_labels.get(i).map_or("", String::as_str)),
                esc(s.name)
            );
        }
    }
    out.push_str("</svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: Series<'static> = Series {
        name: "已提交",
        color: "#1f6fb4",
    };
    const B: Series<'static> = Series {
        name: "未提交",
        color: "#9e9e9e",
    };

    #[test]
    fn nice_max_is_one_two_or_five_times_a_power_of_ten() {
        assert_eq!(nice_max(0), 1);
        assert_eq!(nice_max(1), 1);
        assert_eq!(nice_max(3), 5);
        assert_eq!(nice_max(7), 10);
        assert_eq!(nice_max(11), 20);
        assert_eq!(nice_max(250), 500);
        assert_eq!(nice_max(1000), 1000);
    }

    #[test]
    fn stacked_bars_are_drawn_to_scale_with_title_desc_and_escaped_text() {
        let svg = bars(
            "c1",
            "自查<进度>",
            "按属地 & 行业",
            &[A, B],
            &[
                Bar {
                    label: "东湖街道".into(),
                    values: vec![3, 1],
                    note: "75.0%".into(),
                },
                Bar {
                    label: "西山镇".into(),
                    values: vec![0, 5],
                    note: String::new(),
                },
            ],
            true,
        );
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("viewBox=\"0 0 640 116\""));
        assert!(svg.contains("<title id=\"c1-t\">自查&lt;进度&gt;</title>"));
        assert!(svg.contains("<desc id=\"c1-d\">按属地 &amp; 行业</desc>"));
        assert!(svg.contains("Noto Sans CJK SC"));
        // Axis to 5 (largest stack 5); label column 80; plot 640 − 80 − 80 = 480.
        assert!(svg.contains("<rect x=\"80\" y=\"42\" width=\"288\" height=\"16\" fill=\"#1f6fb4\"><title>东湖街道：已提交 3</title></rect>"));
        assert!(
            svg.contains("<rect x=\"368\" y=\"42\" width=\"96\" height=\"16\" fill=\"#9e9e9e\">")
        );
        // A zero value draws no rectangle.
        assert!(!svg.contains("西山镇：已提交"));
        assert!(svg.contains(">75.0%</text>"));
        // Axis 5: only 0 and 5 are whole quarters.
        assert!(svg.contains("text-anchor=\"middle\" fill=\"#555\">5</text>"));
        assert!(!svg.contains(">1</text>") && !svg.contains(">2</text>"));
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn grouped_bars_share_the_left_edge() {
        let svg = bars(
            "g",
            "t",
            "d",
            &[A, B],
            &[Bar {
                label: "x".into(),
                values: vec![2, 1],
                note: String::new(),
            }],
            false,
        );
        assert!(svg.contains("<rect x=\"80\" y=\"42\" width=\"480\" height=\"7\""));
        assert!(svg.contains("<rect x=\"80\" y=\"50\" width=\"240\" height=\"7\""));
    }

    #[test]
    fn a_line_has_a_point_per_label() {
        let labels: Vec<String> = ["05-06", "05-13", "05-20"].map(String::from).to_vec();
        let svg = lines(
            "l",
            "每周提交",
            "d",
            &labels,
            &[(A, vec![0, 4, 2])],
            &[Band {
                from: 0,
                to: 2,
                name: "自查自纠".into(),
            }],
        );
        // Axis to 5; plot height 192 from y 48; x from 44 to 624.
        assert!(svg.contains("<polyline points=\"44,240 334,87 624,164\""));
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains(">自查自纠</text>"));
        assert!(svg.contains("<title>05-13 已提交：4</title>"));
    }

    #[test]
    fn empty_charts_say_so() {
        assert!(bars("e", "t", "d", &[A], &[], true).contains("暂无数据"));
        assert!(lines("e", "t", "d", &[], &[(A, vec![])], &[]).contains("暂无数据"));
    }
}
