//! Who may act: the powers of the caller's unit, the officers who can be named on a document
//! (a certificate valid on the day), the region's enforcement settings, and the committee
//! office's pages that set them.

use std::collections::BTreeMap;

use safeduty_core::enforcement::numbering::{DocumentKind, NumberingWords};
use safeduty_core::enforcement::officers::{Certificate, Officer};
use safeduty_core::enforcement::powers::{Power, Powers};
use safeduty_core::policy::Action;
use safeduty_core::refusal::Refusal;
use safeduty_store::Store;
use safeduty_store::enforcement::OfficerOnDuty;
use safeduty_store::enforcement::authority::{
    self, CertificateRow, OfficerRow, Settings, UnitInfo,
};

use crate::{Caller, Error, guard};

/// The powers `unit` holds: those the committee office recorded, else its kind's defaults.
pub fn powers_of(unit: &UnitInfo) -> Powers {
    unit.powers
        .as_ref()
        .and_then(|codes| Powers::from_codes(codes).ok())
        .unwrap_or_else(|| Powers::defaults(unit.kind))
}

/// The caller's unit, when the caller may [`Action::Enforce`] and the unit holds `power`.
///
/// # Errors
/// The guard's denials; [`Error::Forbidden`] for an officer without a unit; a [`Refusal`]
/// (forbidden) naming the power the unit lacks; store errors.
pub async fn acting_unit(
    store: &Store,
    caller: &Caller<'_>,
    power: Power,
) -> Result<UnitInfo, Error> {
    guard::require(store, caller, Action::Enforce, None).await?;
    let unit_id = caller.user.unit_id.ok_or(Error::Forbidden)?;
    let unit = authority::unit(store, unit_id).await?;
    if !powers_of(&unit).has(power) {
        return Err(Refusal::forbidden(format!(
            "{}没有“{}”职权，请移交有权部门或联系安委办设置",
            unit.name,
            power.label()
        ))
        .into());
    }
    Ok(unit)
}

/// The officers of the caller's own unit (to pick the inspecting officers from).
///
/// # Errors
/// Store errors.
pub async fn officers(store: &Store, caller: &Caller<'_>) -> Result<Vec<OfficerRow>, Error> {
    match caller.user.unit_id {
        Some(u) => Ok(authority::officers_of_unit(store, u).await?),
        None => Ok(Vec::new()),
    }
}

/// The officers `user_ids` of `unit_id` (active accounts of the unit) with their certificates,
/// for the core's checks (`check_team`: at least two, each certified on the day).
///
/// # Errors
/// A [`Refusal`] on the field `officers` for an account not an active officer of the unit;
/// store errors.
pub async fn officers_by_id(
    store: &Store,
    unit_id: i64,
    user_ids: &[i64],
) -> Result<Vec<Officer>, Error> {
    let all = authority::officers_of_unit(store, unit_id).await?;
    user_ids
        .iter()
        .map(|id| {
            let o = all
                .iter()
                .find(|o| o.user_id == *id && !o.disabled)
                .ok_or_else(|| Refusal::invalid("所选执法人员不是本单位在岗人员").on("officers"))?;
            Ok(Officer {
                user_id: o.user_id,
                name: o.name.clone(),
                certificate: o.certificate.as_ref().map(|c| Certificate {
                    number: c.number.clone(),
                    valid_from: c.valid_from,
                    valid_until: c.valid_until,
                }),
            })
        })
        .collect()
}

/// The officers as printed on a document (after `check_team` accepted them).
pub fn on_duty(officers: &[Officer]) -> Vec<OfficerOnDuty> {
    officers
        .iter()
        .map(|o| OfficerOnDuty {
            user_id: o.user_id,
            name: o.name.clone(),
            certificate_number: o
                .certificate
                .as_ref()
                .map(|c| c.number.clone())
                .unwrap_or_default(),
        })
        .collect()
}

/// The enforcement settings in force for a unit or enterprise in the region `region_path`
/// named `region_name`: those its committee office set, else the defaults (the region's first
/// character as its short name, the shipped kind words, the region's people's government and
/// people's court, the cap of the rule in force).
///
/// # Errors
/// Store errors.
pub async fn settings(
    store: &Store,
    region_path: &str,
    region_name: &str,
    default_cap: u32,
) -> Result<Settings, Error> {
    if let Some(s) = authority::settings_for(store, region_path).await? {
        return Ok(s);
    }
    let words = NumberingWords::shipped_defaults();
    Ok(Settings {
        region_id: 0,
        region_short: region_name
            .chars()
            .next()
            .map(String::from)
            .unwrap_or_default(),
        kind_words: DocumentKind::ALL
            .iter()
            .filter_map(|k| {
                words
                    .kind_words
                    .get(k)
                    .map(|w| (k.code().to_string(), w.clone()))
            })
            .collect::<BTreeMap<_, _>>(),
        reconsideration_body: format!("{region_name}人民政府"),
        court: format!("{region_name}人民法院"),
        yearly_cap: default_cap,
        hearing_threshold_person: None,
        hearing_threshold_unit: None,
    })
}

/// The settings in force for the enterprise `e` (its region's, else the defaults, with the
/// yearly cap of `rules` when none is set).
///
/// # Errors
/// Store errors.
pub async fn settings_of(
    store: &Store,
    e: &safeduty_store::org::Enterprise,
    rules: &safeduty_core::enforcement::rules::EnforcementRules,
) -> Result<Settings, Error> {
    let cap = rules
        .inspection_cap_per_year
        .as_ref()
        .map_or(u32::MAX, |c| c.value);
    settings(store, &e.facts.region_path, &e.region_name, cap).await
}

/// The document number of `kind` for the inspection (`year`, `seq`) under `settings`, e.g.
/// （青）应急责改〔2024〕12号 (`enforcement.md` §1.4).
pub fn number(settings: &Settings, kind: DocumentKind, year: i32, seq: i64) -> String {
    let mut words = NumberingWords::shipped_defaults();
    words.region_short = settings.region_short.clone();
    for k in DocumentKind::ALL {
        if let Some(w) = settings.kind_words.get(k.code()) {
            words.kind_words.insert(k, w.clone());
        }
    }
    safeduty_core::enforcement::numbering::format(
        &words,
        kind,
        year,
        u32::try_from(seq).unwrap_or(u32::MAX),
    )
}

/// The units of the committee office's region with their powers (recorded or default).
///
/// # Errors
/// The guard's denials; store errors.
pub async fn units(store: &Store, caller: &Caller<'_>) -> Result<Vec<UnitInfo>, Error> {
    guard::require(store, caller, Action::ManageEnforcement, None).await?;
    let Some(path) = region_path(caller) else {
        return Err(Error::NotFound);
    };
    Ok(authority::units_under(store, path).await?)
}

/// The region path of a caller scoped to a region subtree (committee office, assessor).
pub(crate) fn region_path<'a>(caller: &'a Caller<'_>) -> Option<&'a str> {
    match &caller.user.scope {
        safeduty_core::policy::Scope::RegionSubtree { region_path } => Some(region_path),
        _ => None,
    }
}

/// A unit of the caller's region, for a change by the committee office.
async fn managed_unit(store: &Store, caller: &Caller<'_>, unit_id: i64) -> Result<UnitInfo, Error> {
    let unit = match authority::unit(store, unit_id).await {
        Ok(u) => u,
        Err(safeduty_store::StoreError::NotFound) => return Err(Error::NotFound),
        Err(e) => return Err(e.into()),
    };
    guard::require_in_region(store, caller, Action::ManageEnforcement, &unit.region_path).await?;
    Ok(unit)
}

/// Sets the powers of `unit_id` (committee office, in its region).
///
/// # Errors
/// The guard's denials; a [`Refusal`] for an unknown power code or a committee office unit;
/// store errors.
pub async fn set_powers(
    store: &Store,
    caller: &Caller<'_>,
    unit_id: i64,
    codes: &[String],
) -> Result<(), Error> {
    let unit = managed_unit(store, caller, unit_id).await?;
    if unit.kind == safeduty_core::policy::UnitKind::CommitteeOffice {
        return Err(
            Refusal::invalid("安委办是议事协调机构，不设执法职权（国办发〔2024〕54号）")
                .on("powers")
                .into(),
        );
    }
    let powers = Powers::from_codes(codes)?;
    let codes: Vec<&str> = powers.iter().map(Power::code).collect();
    authority::set_unit_powers(store, &caller.who(), unit.id, &codes).await?;
    Ok(())
}

/// The officers of `unit_id` with their certificates (committee office, in its region).
///
/// # Errors
/// The guard's denials; store errors.
pub async fn unit_officers(
    store: &Store,
    caller: &Caller<'_>,
    unit_id: i64,
) -> Result<(UnitInfo, Vec<OfficerRow>), Error> {
    let unit = managed_unit(store, caller, unit_id).await?;
    let officers = authority::officers_of_unit(store, unit.id).await?;
    Ok((unit, officers))
}

/// Records the certificate of officer `user_id` of `unit_id` (committee office).
///
/// # Errors
/// The guard's denials; [`Error::NotFound`] for a user not an officer of the unit; a
/// [`Refusal`] for a malformed certificate; store errors.
pub async fn set_certificate(
    store: &Store,
    caller: &Caller<'_>,
    unit_id: i64,
    user_id: i64,
    cert: Certificate,
) -> Result<(), Error> {
    let (_, officers) = unit_officers(store, caller, unit_id).await?;
    if !officers.iter().any(|o| o.user_id == user_id) {
        return Err(Error::NotFound);
    }
    let cert = cert.check()?;
    authority::set_certificate(
        store,
        &caller.who(),
        user_id,
        &CertificateRow {
            number: cert.number,
            valid_from: cert.valid_from,
            valid_until: cert.valid_until,
        },
    )
    .await?;
    Ok(())
}

/// The settings of the committee office's own region (set or default).
///
/// # Errors
/// The guard's denials; store errors.
pub async fn own_settings(
    store: &Store,
    caller: &Caller<'_>,
    default_cap: u32,
) -> Result<Settings, Error> {
    guard::require(store, caller, Action::ManageEnforcement, None).await?;
    let path = region_path(caller).ok_or(Error::NotFound)?;
    let region = safeduty_store::org::region_by_path(store, path).await?;
    let mut s = settings(store, path, &region.name, default_cap).await?;
    s.region_id = region.id;
    Ok(s)
}

/// Sets the settings of the committee office's own region.
///
/// # Errors
/// The guard's denials; a [`Refusal`] naming the field; store errors.
pub async fn set_settings(
    store: &Store,
    caller: &Caller<'_>,
    mut s: Settings,
) -> Result<(), Error> {
    guard::require(store, caller, Action::ManageEnforcement, None).await?;
    let path = region_path(caller).ok_or(Error::NotFound)?;
    let region = safeduty_store::org::region_by_path(store, path).await?;
    s.region_id = region.id;
    let mut words = NumberingWords::shipped_defaults();
    words.region_short = s.region_short.trim().to_string();
    for k in DocumentKind::ALL {
        if let Some(w) = s.kind_words.get(k.code()) {
            words.kind_words.insert(k, w.trim().to_string());
        }
    }
    words.check()?;
    s.region_short = words.region_short.clone();
    s.kind_words = words
        .kind_words
        .iter()
        .map(|(k, w)| (k.code().to_string(), w.clone()))
        .collect();
    for (field, label, v) in [
        (
            "reconsideration_body",
            "复议机关",
            &mut s.reconsideration_body,
        ),
        ("court", "诉讼法院", &mut s.court),
    ] {
        *v = v.trim().to_string();
        if v.is_empty() || v.chars().count() > 60 || safeduty_core::text::has_control_chars(v) {
            return Err(Refusal::invalid(format!("请填写{label}（60字以内）"))
                .on(field)
                .into());
        }
    }
    if !(1..=12).contains(&s.yearly_cap) {
        return Err(Refusal::invalid("年度检查频次上限应为1至12次")
            .on("yearly_cap")
            .into());
    }
    for (field, v) in [
        ("hearing_threshold_person", s.hearing_threshold_person),
        ("hearing_threshold_unit", s.hearing_threshold_unit),
    ] {
        if v.is_some_and(|v| !(1..=10_000_000).contains(&v)) {
            return Err(Refusal::invalid(
                "听证标准应为1至10000000元之间的整数，或留空使用国家规定",
            )
            .on(field)
            .into());
        }
    }
    authority::set_settings(store, &caller.who(), &s).await?;
    Ok(())
}

/// Document numbers of records of many enterprises (a list page), reading the settings in
/// force for each enterprise's region once.
#[derive(Debug)]
pub struct Numbers<'s> {
    store: &'s Store,
    by_enterprise: BTreeMap<i64, Settings>,
}

impl<'s> Numbers<'s> {
    /// No settings read yet.
    pub fn new(store: &'s Store) -> Numbers<'s> {
        Numbers {
            store,
            by_enterprise: BTreeMap::new(),
        }
    }

    /// The number of the document `kind` of the inspection (`year`, `seq`) of the enterprise
    /// with internal id `enterprise_id`, as [`number`] makes it.
    ///
    /// # Errors
    /// Store errors.
    pub async fn of(
        &mut self,
        enterprise_id: i64,
        kind: DocumentKind,
        year: i32,
        seq: i64,
    ) -> Result<String, Error> {
        if !self.by_enterprise.contains_key(&enterprise_id) {
            let e = safeduty_store::org::enterprise_by_id(self.store, enterprise_id).await?;
            // The yearly cap plays no part in a number.
            let s = settings(self.store, &e.facts.region_path, &e.region_name, 0).await?;
            self.by_enterprise.insert(enterprise_id, s);
        }
        Ok(self
            .by_enterprise
            .get(&enterprise_id)
            .map(|s| number(s, kind, year, seq))
            .unwrap_or_default())
    }
}
