//! Presentation: the importer matches on ASCII punctuation (see [`crate::normalize`]), but people
//! read the template's texts, and Chinese official text uses full-width punctuation
//! (GB/T 15834-2011). This last step writes `，；：（）` back wherever the ASCII mark stands next
//! to Chinese text, and leaves `9:30`, `1,000` and `(USCC)` inside Latin text alone.

use safeduty_core::template::{CampaignTemplate, DutyArea};

use crate::normalize::is_han;

fn cjk_like(c: Option<char>) -> bool {
    c.is_some_and(|c| {
        is_han(c)
            || matches!(
                c,
                '、' | '。'
                    | '“'
                    | '”'
                    | '《'
                    | '》'
                    | '〔'
                    | '〕'
                    | '，'
                    | '；'
                    | '：'
                    | '（'
                    | '）'
            )
    })
}

/// `s` with `,` `;` `:` next to a Chinese character made full-width, and each matched `( … )` pair
/// made full-width when either parenthesis stands next to a Chinese character.
pub fn chinese_punctuation(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = chars.clone();
    let near_cjk = |i: usize| {
        cjk_like(i.checked_sub(1).map(|j| chars[j])) || cjk_like(chars.get(i + 1).copied())
    };
    let mut open: Vec<usize> = Vec::new();
    for (i, &c) in chars.iter().enumerate() {
        match c {
            ',' | ';' | ':' if near_cjk(i) => {
                out[i] = match c {
                    ',' => '，',
                    ';' => '；',
                    _ => '：',
                };
            }
            '(' => open.push(i),
            ')' => {
                if let Some(o) = open.pop()
                    && (near_cjk(o) || near_cjk(i))
                {
                    out[o] = '（';
                    out[i] = '）';
                }
            }
            _ => {}
        }
    }
    out.into_iter().collect()
}

fn area(a: &mut DutyArea) {
    a.title = chinese_punctuation(&a.title);
    for i in &mut a.items {
        i.text = chinese_punctuation(&i.text);
    }
    a.areas.iter_mut().for_each(area);
}

/// Rewrites the texts people read (title, industries, areas, items, window, phases, measures,
/// obligations) with Chinese punctuation. Questions keep the text as found, for the reviewer.
pub fn present(t: &mut CampaignTemplate) {
    t.plan.title = chinese_punctuation(&t.plan.title);
    for s in &mut t.target_industries {
        *s = chinese_punctuation(s);
    }
    t.areas.iter_mut().for_each(area);
    for i in &mut t.items {
        i.text = chinese_punctuation(&i.text);
    }
    for p in &mut t.phases {
        p.window_text = chinese_punctuation(&p.window_text);
    }
    if let Some(w) = &mut t.window {
        w.text = chinese_punctuation(&w.text);
    }
    for m in &mut t.measures {
        m.name = chinese_punctuation(&m.name);
    }
    for o in &mut t.obligations {
        o.name = chinese_punctuation(&o.name);
        o.source_text = chinese_punctuation(&o.source_text);
        o.recipient = o.recipient.as_deref().map(chinese_punctuation);
    }
}

#[cfg(test)]
mod tests {
    use super::chinese_punctuation as p;

    #[test]
    fn chinese_text_gets_full_width_marks() {
        assert_eq!(p("规模以上(或限额以上)工贸"), "规模以上（或限额以上）工贸");
        assert_eq!(p("标准要求,是否紧密结合"), "标准要求，是否紧密结合");
        assert_eq!(p("动员部署(4月30日前)"), "动员部署（4月30日前）");
        assert_eq!(p("处置措施;是否制定"), "处置措施；是否制定");
    }

    #[test]
    fn latin_and_numbers_stay() {
        assert_eq!(p("9:30"), "9:30");
        assert_eq!(p("1,000元"), "1,000元");
        assert_eq!(p("(a)(b)"), "(a)(b)");
        assert_eq!(p("代码(USCC)"), "代码（USCC）");
    }
}
