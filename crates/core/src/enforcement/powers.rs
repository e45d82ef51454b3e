//! The enforcement powers a unit holds (执法职权) and the defaults of each kind of unit.
//!
//! Penalty power normally sits with county-level departments; a town or subdistrict inspects,
//! issues correction orders and re-inspects, and penalises only where the province delegated the
//! power (行政处罚法 2021 art. 24; research notes `shared/domain/enforcement.md` §2). A Work Safety
//! Committee office is a 议事协调机构 and may not inspect at all (国办发〔2024〕54号). The
//! committee office may record other powers for a unit; the defaults apply to a unit without a
//! record. A unit that lacks the power a step needs refers the matter to one that holds it.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::coded::coded;
use crate::policy::UnitKind;
use crate::refusal::Refusal;

coded!(
    /// One enforcement power. Serialized as its code.
    #[serde(rename_all = "snake_case")]
    Power {
        /// Inspect an enterprise on site (检查).
        Inspect = ("inspect", "检查"),
        /// Order correction within a time limit and re-inspect (责令限期整改及复查).
        OrderCorrection = ("order_correction", "责令限期整改及复查"),
        /// Decide on-site measures: stop using equipment, suspend work, evacuate (现场处理措施).
        OnSiteMeasures = ("on_site_measures", "现场处理措施"),
        /// File a case (立案).
        FileCase = ("file_case", "立案"),
        /// Decide an administrative penalty (行政处罚决定).
        DecidePenalty = ("decide_penalty", "行政处罚决定"),
    }
);

/// A set of [`Power`]s. Serialized as the list of their codes in [`Power::ALL`] order;
/// deserializing refuses an unknown code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Powers {
    bits: u8,
}

fn bit(p: Power) -> u8 {
    let i = Power::ALL.iter().position(|&q| q == p).unwrap_or(0);
    1 << i
}

impl Powers {
    /// No power.
    pub const fn none() -> Powers {
        Powers { bits: 0 }
    }

    /// Every power.
    pub fn all() -> Powers {
        Power::ALL.iter().copied().collect()
    }

    /// What a unit of `kind` holds unless the committee office recorded otherwise: a territorial
    /// unit (town, subdistrict, zone) inspects, orders correction and re-inspects; an industry
    /// department holds every power; a committee office none (国办发〔2024〕54号: a
    /// 议事协调机构 does not inspect).
    pub fn defaults(kind: UnitKind) -> Powers {
        match kind {
            UnitKind::CommitteeOffice => Powers::none(),
            UnitKind::Territorial => [Power::Inspect, Power::OrderCorrection]
                .into_iter()
                .collect(),
            UnitKind::IndustryDepartment => Powers::all(),
        }
    }

    /// Whether the set holds `power`.
    pub fn has(self, power: Power) -> bool {
        self.bits & bit(power) != 0
    }

    /// The set with `power` added.
    #[must_use]
    pub fn with(self, power: Power) -> Powers {
        Powers {
            bits: self.bits | bit(power),
        }
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.bits == 0
    }

    /// The powers held, in [`Power::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Power> {
        Power::ALL.iter().copied().filter(move |&p| self.has(p))
    }

    /// The codes of the powers held, in [`Power::ALL`] order.
    pub fn codes(self) -> Vec<&'static str> {
        self.iter().map(Power::code).collect()
    }

    /// The labels of the powers held joined with "、" ("无" when none), for display.
    pub fn labels(self) -> String {
        if self.is_empty() {
            return "无".into();
        }
        self.iter().map(Power::label).collect::<Vec<_>>().join("、")
    }

    /// Parses power codes (each trimmed; a repeated code counts once).
    ///
    /// # Errors
    /// Invalid, field `powers`: “未知的执法职权代码：{code}” for the first code that is not a
    /// [`Power`] code.
    pub fn from_codes<S: AsRef<str>>(codes: &[S]) -> Result<Powers, Refusal> {
        codes.iter().try_fold(Powers::none(), |set, code| {
            let code = code.as_ref().trim();
            Power::from_code(code)
                .map(|p| set.with(p))
                .ok_or_else(|| Refusal::invalid(format!("未知的执法职权代码：{code}")).on("powers"))
        })
    }

    /// Refuses a step that needs `power` when the set lacks it.
    ///
    /// # Errors
    /// Forbidden: “本单位没有“{label}”职权，请移送有权部门办理”.
    pub fn require(self, power: Power) -> Result<(), Refusal> {
        if self.has(power) {
            Ok(())
        } else {
            Err(Refusal::forbidden(format!(
                "本单位没有“{}”职权，请移送有权部门办理",
                power.label()
            )))
        }
    }
}

impl FromIterator<Power> for Powers {
    fn from_iter<I: IntoIterator<Item = Power>>(iter: I) -> Self {
        iter.into_iter().fold(Powers::none(), Powers::with)
    }
}

impl Serialize for Powers {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.codes())
    }
}

impl<'de> Deserialize<'de> for Powers {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let codes = Vec::<String>::deserialize(deserializer)?;
        Powers::from_codes(&codes).map_err(|r| D::Error::custom(r.message()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::refusal::RefusalKind;

    #[test]
    fn codes_and_labels() {
        let pairs: Vec<_> = Power::ALL.iter().map(|p| (p.code(), p.label())).collect();
        assert_eq!(
            pairs,
            vec![
                ("inspect", "检查"),
                ("order_correction", "责令限期整改及复查"),
                ("on_site_measures", "现场处理措施"),
                ("file_case", "立案"),
                ("decide_penalty", "行政处罚决定"),
            ]
        );
        for &p in Power::ALL {
            assert_eq!(Power::from_code(p.code()), Some(p));
        }
        assert_eq!(Power::from_code("penalty"), None);
    }

    #[test]
    fn defaults_by_kind() {
        let town = Powers::defaults(UnitKind::Territorial);
        assert_eq!(town.codes(), vec!["inspect", "order_correction"]);
        assert!(town.has(Power::Inspect) && town.has(Power::OrderCorrection));
        assert!(!town.has(Power::OnSiteMeasures));
        assert!(!town.has(Power::FileCase) && !town.has(Power::DecidePenalty));
        assert_eq!(
            Powers::defaults(UnitKind::IndustryDepartment).codes(),
            vec![
                "inspect",
                "order_correction",
                "on_site_measures",
                "file_case",
                "decide_penalty"
            ]
        );
        let office = Powers::defaults(UnitKind::CommitteeOffice);
        assert!(office.is_empty());
        assert!(Power::ALL.iter().all(|&p| !office.has(p)));
        assert_eq!(office.labels(), "无");
        assert_eq!(town.labels(), "检查、责令限期整改及复查");
    }

    #[test]
    fn parse_codes() {
        let p = Powers::from_codes(&[" file_case", "inspect", "inspect"]).unwrap();
        assert_eq!(p.codes(), vec!["inspect", "file_case"]);
        assert_eq!(Powers::from_codes::<&str>(&[]).unwrap(), Powers::none());
        let r = Powers::from_codes(&["inspect", "penalise"]).unwrap_err();
        assert_eq!(r.kind(), RefusalKind::Invalid);
        assert_eq!(r.message(), "未知的执法职权代码：penalise");
        assert_eq!(r.field(), Some("powers"));
    }

    #[test]
    fn require_names_the_power() {
        let town = Powers::defaults(UnitKind::Territorial);
        assert!(town.require(Power::OrderCorrection).is_ok());
        let r = town.require(Power::FileCase).unwrap_err();
        assert_eq!(r.kind(), RefusalKind::Forbidden);
        assert_eq!(r.message(), "本单位没有“立案”职权，请移送有权部门办理");
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Unit {
        powers: Powers,
        first: Power,
    }

    #[test]
    fn serde_as_codes() {
        let u = Unit {
            powers: Powers::defaults(UnitKind::Territorial),
            first: Power::OnSiteMeasures,
        };
        let text = toml::to_string(&u).unwrap();
        assert_eq!(
            text,
            "powers = [\"inspect\", \"order_correction\"]\nfirst = \"on_site_measures\"\n"
        );
        assert_eq!(toml::from_str::<Unit>(&text).unwrap(), u);
        let bad = toml::from_str::<Unit>("powers = [\"inspect\", \"x\"]\nfirst = \"inspect\"\n")
            .unwrap_err();
        assert!(bad.to_string().contains("未知的执法职权代码：x"), "{bad}");
    }
}
