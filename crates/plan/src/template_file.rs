//! Campaign templates as files: TOML for people (`docs/campaign-template.md`), JSON for programs,
//! and the reviewed seed template shipped in the binary.

use safeduty_core::template::{CampaignTemplate, SCHEMA_VERSION};

/// A template file that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TemplateError {
    /// Not valid TOML, or a field is missing, misspelled or of the wrong type.
    #[error("campaign template is not valid (schema {SCHEMA_VERSION}): {0}")]
    Parse(String),
    /// Written by a newer build with a schema this build does not know.
    #[error(
        "campaign template has schema {found}, this build reads schema {SCHEMA_VERSION} or older"
    )]
    Schema {
        /// The schema number in the file.
        found: u32,
    },
}

/// The template as TOML, in the layout `docs/campaign-template.md` documents.
pub fn to_toml(t: &CampaignTemplate) -> String {
    toml::to_string(t).expect("a campaign template always serializes to TOML")
}

/// Reads a template from TOML.
///
/// # Errors
/// [`TemplateError::Parse`] with the line and column toml reports (unknown fields are refused,
/// so a misspelled key is caught), or [`TemplateError::Schema`] for a newer schema.
pub fn from_toml(s: &str) -> Result<CampaignTemplate, TemplateError> {
    match toml::from_str::<CampaignTemplate>(s) {
        Ok(t) => check_schema(t),
        Err(e) => {
            // A person may write dates as TOML dates (`end = 2024-04-30`) rather than strings:
            // accept those too, but report the first error (it has line and column) otherwise.
            let retry = toml::from_str::<toml::Value>(s).ok().and_then(|mut v| {
                dates_to_strings(&mut v);
                v.try_into::<CampaignTemplate>().ok()
            });
            match retry {
                Some(t) => check_schema(t),
                None => Err(TemplateError::Parse(e.to_string())),
            }
        }
    }
}

/// Turns TOML local dates into `YYYY-MM-DD` strings, everywhere in `v`.
fn dates_to_strings(v: &mut toml::Value) {
    match v {
        toml::Value::Datetime(d) if d.date.is_some() && d.time.is_none() => {
            *v = toml::Value::String(d.to_string());
        }
        toml::Value::Array(a) => a.iter_mut().for_each(dates_to_strings),
        toml::Value::Table(t) => t.iter_mut().for_each(|(_, v)| dates_to_strings(v)),
        _ => {}
    }
}

/// The template as pretty-printed JSON (same field names as the TOML).
pub fn to_json(t: &CampaignTemplate) -> String {
    serde_json::to_string_pretty(t).expect("a campaign template always serializes to JSON")
}

/// Reads a template from JSON.
///
/// # Errors
/// As [`from_toml`].
pub fn from_json(s: &str) -> Result<CampaignTemplate, TemplateError> {
    let t: CampaignTemplate =
        serde_json::from_str(s).map_err(|e| TemplateError::Parse(e.to_string()))?;
    check_schema(t)
}

fn check_schema(t: CampaignTemplate) -> Result<CampaignTemplate, TemplateError> {
    if t.schema > SCHEMA_VERSION {
        return Err(TemplateError::Schema { found: t.schema });
    }
    Ok(t)
}

/// The reviewed template of the Qingxiu 2024 plan (企业安全生产管理人员履职专项治理), as committed
/// in `crates/plan/templates/qingxiu-2024.toml`.
pub const SEED_TEMPLATE_TOML: &str = include_str!("../templates/qingxiu-2024.toml");

/// The reviewed seed template the product ships with: the Qingxiu 2024 plan imported, its three
/// garbled spots corrected by review edits.
pub fn seed_template() -> CampaignTemplate {
    from_toml(SEED_TEMPLATE_TOML).expect("the embedded seed template is valid (tested)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_are_clear() {
        let err = from_toml("schema = 1\n[plan]\ntitel = \"x\"\n").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("titel"), "{msg}");
        let err = from_toml("schema = 99\n[plan]\n").unwrap_err();
        assert_eq!(err, TemplateError::Schema { found: 99 });
    }

    #[test]
    fn toml_dates_are_accepted() {
        let t = from_toml("schema = 1\n[plan]\ntitle = \"x\"\nissue_date = 2024-03-29\n").unwrap();
        assert_eq!(
            t.plan.issue_date,
            chrono::NaiveDate::from_ymd_opt(2024, 3, 29)
        );
    }

    #[test]
    fn round_trip() {
        let t = seed_template();
        assert_eq!(from_toml(&to_toml(&t)).unwrap(), t);
        assert_eq!(from_json(&to_json(&t)).unwrap(), t);
    }
}
