//! The verifiable random draw (双随机): which enterprises are inspected and which two officers
//! inspect each, computed from a published seed so that anyone can recompute it.
//!
//! The algorithm (`safeduty-draw`, version 1) is written down in `docs/draw.md`, precisely enough
//! to reimplement, with a known-answer vector the tests assert. In short:
//!
//! 1. **Lists** (candidates, officers, mandatory targets) are canonical: items trimmed, sorted by
//!    Unicode code point and deduplicated ([`canonical`]); a list's encoding is its items joined
//!    with `"\n"` (UTF-8, no trailing newline), its digest the lowercase hex SHA-256 of that.
//! 2. **Targets**: every id gets `SHA-256(seed ‖ 0x00 ‖ "target" ‖ 0x00 ‖ id)`. Mandatory targets
//!    (key enterprises and key industries, inspected in full) are not drawn; the pool is the
//!    candidates that are not mandatory, ordered by that digest, and the first `k` are drawn.
//! 3. **Officer pairs**, for the mandatory targets then the drawn ones, each group in digest
//!    order: every officer gets `SHA-256(seed ‖ 0x00 ‖ "officer" ‖ 0x00 ‖ target ‖ 0x00 ‖ officer)`;
//!    the two officers first by (targets assigned so far, member of the previous target's pair,
//!    that digest) inspect the target. Workloads differ by at most one; with three or more
//!    officers no two consecutive targets get the same pair.
//!
//! No random number generator is involved: the seed (e.g. the draw date and a lottery result
//! published after the lists were fixed) is the only source of chance.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::refusal::Refusal;

#[cfg(test)]
mod tests;

/// Name of the algorithm, recorded in every [`Draw`].
pub const ALGORITHM: &str = "safeduty-draw";
/// Version of the algorithm described in `docs/draw.md`, recorded in every [`Draw`].
pub const VERSION: u32 = 1;
/// Longest seed, in characters.
pub const SEED_MAX_CHARS: usize = 200;
/// Longest item of a list (an enterprise id or a certificate number), in characters.
pub const ITEM_MAX_CHARS: usize = 100;
/// Officers needed: every target is inspected by two (执法检查不少于两人).
pub const OFFICERS_PER_TARGET: usize = 2;

/// One of the lists a draw is computed from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum List {
    /// The enterprises that may be drawn (stable ids, e.g. USCCs).
    Candidates,
    /// The officers (enforcement certificate numbers).
    Officers,
    /// The targets inspected in full (key enterprises, key industries), not drawn.
    Mandatory,
}

impl List {
    /// The form field the list comes from.
    pub fn field(self) -> &'static str {
        match self {
            List::Candidates => "candidates",
            List::Officers => "officers",
            List::Mandatory => "mandatory",
        }
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            List::Candidates => "抽查对象名单",
            List::Officers => "执法人员名单",
            List::Mandatory => "重点检查对象名单",
        }
    }
}

/// What a draw is computed from, as typed (lists need not be canonical yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DrawRequest {
    /// The published seed: not blank, no control characters, at most [`SEED_MAX_CHARS`]
    /// characters; surrounding whitespace is trimmed.
    pub seed: String,
    /// Ids of the enterprises in the pool (e.g. USCCs); may include mandatory ones.
    pub candidates: Vec<String>,
    /// Enforcement certificate numbers of the officers; at least two distinct ones.
    pub officers: Vec<String>,
    /// Ids of the targets inspected in full; they get officer pairs and are not drawn.
    pub mandatory: Vec<String>,
    /// How many targets to draw from the pool (all of it when larger); see [`Share::count`].
    pub k: usize,
}

/// One inspected target and its officers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The enterprise's id.
    pub id: String,
    /// Whether it is a mandatory target (not drawn).
    pub mandatory: bool,
    /// Its ordering digest, `SHA-256(seed ‖ 0x00 ‖ "target" ‖ 0x00 ‖ id)`, lowercase hex.
    pub digest: String,
    /// The two officers' certificate numbers, in the order they were chosen.
    pub officers: [String; 2],
}

/// A draw as recorded: its inputs in canonical form with their digests, and the result. It is
/// serializable so it can be stored and published; [`verify`] recomputes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draw {
    /// [`ALGORITHM`].
    pub algorithm: String,
    /// [`VERSION`].
    pub version: u32,
    /// The seed, trimmed.
    pub seed: String,
    /// The canonical candidate list (including any mandatory ids it held).
    pub candidates: Vec<String>,
    /// Lowercase hex SHA-256 of the candidates' encoding.
    pub candidates_digest: String,
    /// The canonical officer list.
    pub officers: Vec<String>,
    /// Lowercase hex SHA-256 of the officers' encoding.
    pub officers_digest: String,
    /// The canonical list of mandatory targets.
    pub mandatory: Vec<String>,
    /// Lowercase hex SHA-256 of the mandatory list's encoding.
    pub mandatory_digest: String,
    /// The number of targets asked to be drawn.
    pub k: usize,
    /// Mandatory targets, then drawn targets, each group in digest order (the draw order).
    pub targets: Vec<Target>,
}

impl Draw {
    /// The drawn targets (not the mandatory ones), in draw order.
    pub fn drawn(&self) -> impl Iterator<Item = &Target> {
        self.targets.iter().filter(|t| !t.mandatory)
    }

    /// How many targets each officer inspects, in the officer list's order.
    pub fn workload(&self) -> Vec<(&str, usize)> {
        self.officers
            .iter()
            .map(|o| {
                let n = self
                    .targets
                    .iter()
                    .filter(|t| t.officers.contains(o))
                    .count();
                (o.as_str(), n)
            })
            .collect()
    }
}

/// Why a recorded draw does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Mismatch {
    /// Another algorithm or version than this code computes.
    #[error(
        "抽取记录使用的算法为{}第{}版，本系统只能核验{}第{}版",
        .algorithm, .version, ALGORITHM, VERSION
    )]
    Algorithm {
        /// The recorded algorithm name.
        algorithm: String,
        /// The recorded version.
        version: u32,
    },
    /// A recorded list is not in canonical form (unsorted, duplicates, untrimmed items).
    #[error("抽取记录中的{}未按规范排序去重，记录可能被改动", .list.label())]
    NotCanonical {
        /// Which list.
        list: List,
    },
    /// A recorded digest is not the digest of the recorded list.
    #[error("抽取记录中{}的摘要与名单不符：记录为{recorded}，按名单计算为{computed}", .list.label())]
    Digest {
        /// Which list.
        list: List,
        /// The digest recorded.
        recorded: String,
        /// The digest of the recorded list.
        computed: String,
    },
    /// The recorded inputs cannot be drawn from (a blank seed, fewer than two officers…).
    #[error("抽取记录的输入无法重新计算：{0}")]
    Input(Refusal),
    /// The recomputed targets or pairs differ from the recorded ones, first at `position`.
    #[error("抽取记录第{position}个检查对象与重新计算的结果不符")]
    Targets {
        /// 1-based position of the first difference.
        position: usize,
        /// The recorded target there (`None`: the record has fewer).
        recorded: Option<Box<Target>>,
        /// The recomputed target there (`None`: the record has more).
        computed: Option<Box<Target>>,
    },
}

/// A share of the pool to draw, for plans that set a proportion ("抽查比例不低于…").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Share {
    /// Percent (0–100).
    Percent(u32),
    /// Per mille (0–1000).
    PerMille(u32),
}

impl Share {
    /// The share in per mille.
    pub fn per_mille(self) -> u64 {
        match self {
            Share::Percent(p) => u64::from(p) * 10,
            Share::PerMille(m) => u64::from(m),
        }
    }

    /// The number of targets for a pool of `pool` enterprises, rounded up so the share is at
    /// least met: `⌈pool × per_mille / 1000⌉` (70 % of 119 is 83.3, so 84).
    ///
    /// # Errors
    /// A share above 100 % (field `share`).
    pub fn count(self, pool: usize) -> Result<usize, Refusal> {
        let m = self.per_mille();
        if m > 1000 {
            return Err(Refusal::invalid("抽查比例不能超过100%").on("share"));
        }
        let n = (pool as u128 * u128::from(m)).div_ceil(1000);
        Ok(usize::try_from(n).unwrap_or(pool))
    }
}

/// The size of the pool a draw draws from: canonical candidates that are not mandatory.
///
/// # Errors
/// As [`canonical`] for either list.
pub fn pool_size(candidates: &[String], mandatory: &[String]) -> Result<usize, Refusal> {
    let candidates = canonical(List::Candidates, candidates)?;
    let mandatory = canonical(List::Mandatory, mandatory)?;
    Ok(candidates
        .iter()
        .filter(|c| mandatory.binary_search(c).is_err())
        .count())
}

/// The canonical form of a list: each item trimmed, sorted by Unicode code point (the order of
/// Rust's `str`, the same as the order of the UTF-8 bytes), duplicates removed.
///
/// # Errors
/// An empty item, an item with control characters or longer than [`ITEM_MAX_CHARS`], with the
/// list's field.
pub fn canonical(list: List, items: &[String]) -> Result<Vec<String>, Refusal> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        let item = item.trim();
        let refuse = |what: String| Err(Refusal::invalid(what).on(list.field()));
        if item.is_empty() {
            return refuse(format!("{}中有空白项", list.label()));
        }
        if item.chars().any(char::is_control) {
            return refuse(format!(
                "{}中的“{}”含有控制字符",
                list.label(),
                item.escape_debug()
            ));
        }
        if item.chars().count() > ITEM_MAX_CHARS {
            return refuse(format!(
                "{}中有超过{ITEM_MAX_CHARS}个字符的项",
                list.label()
            ));
        }
        out.push(item.to_string());
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// The encoding of a canonical list: its items joined with `"\n"`, no trailing newline (the
/// empty list encodes as the empty string).
pub fn encoding(items: &[String]) -> String {
    items.join("\n")
}

/// The digest of a canonical list: lowercase hex SHA-256 of its [`encoding`].
pub fn list_digest(items: &[String]) -> String {
    hex::encode(Sha256::digest(encoding(items).as_bytes()))
}

/// `SHA-256(seed ‖ 0x00 ‖ "target" ‖ 0x00 ‖ id)`, the key targets are ordered by.
pub fn target_digest(seed: &str, id: &str) -> [u8; 32] {
    hash(&[seed, "target", id])
}

/// `SHA-256(seed ‖ 0x00 ‖ "officer" ‖ 0x00 ‖ target ‖ 0x00 ‖ officer)`, the key that breaks ties
/// between officers with the same workload for one target.
pub fn officer_digest(seed: &str, target: &str, officer: &str) -> [u8; 32] {
    hash(&[seed, "officer", target, officer])
}

/// SHA-256 of the parts joined with one 0x00 byte; no part holds a NUL (control characters are
/// refused), so the joining is unambiguous.
fn hash(parts: &[&str]) -> [u8; 32] {
    let mut h = Sha256::new();
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            h.update([0u8]);
        }
        h.update(part.as_bytes());
    }
    h.finalize().into()
}

/// Checks and trims a seed.
fn check_seed(seed: &str) -> Result<&str, Refusal> {
    let seed = seed.trim();
    let refuse = |what: &str| Err(Refusal::invalid(what).on("seed"));
    if seed.is_empty() {
        return refuse("请填写公开的随机种子（如抽取日期和当期开奖号码）");
    }
    if seed.chars().any(char::is_control) {
        return refuse("随机种子不能包含换行或控制字符");
    }
    if seed.chars().count() > SEED_MAX_CHARS {
        return Err(Refusal::invalid(format!("随机种子不能超过{SEED_MAX_CHARS}个字符")).on("seed"));
    }
    Ok(seed)
}

/// Draws targets and officer pairs (the algorithm of the module doc and `docs/draw.md`).
///
/// # Errors
/// A blank or invalid seed (field `seed`), an invalid list item (field `candidates`, `officers`
/// or `mandatory`), fewer than two distinct officers (field `officers`).
pub fn draw(request: &DrawRequest) -> Result<Draw, Refusal> {
    let seed = check_seed(&request.seed)?;
    let candidates = canonical(List::Candidates, &request.candidates)?;
    let officers = canonical(List::Officers, &request.officers)?;
    let mandatory = canonical(List::Mandatory, &request.mandatory)?;
    compute(seed, candidates, officers, mandatory, request.k)
}

/// The draw from checked seed and canonical lists.
fn compute(
    seed: &str,
    candidates: Vec<String>,
    officers: Vec<String>,
    mandatory: Vec<String>,
    k: usize,
) -> Result<Draw, Refusal> {
    if officers.len() < OFFICERS_PER_TARGET {
        return Err(Refusal::invalid(format!(
            "至少需要两名执法人员才能抽取检查组（现有{}名）",
            officers.len()
        ))
        .on(List::Officers.field()));
    }
    let pool = candidates
        .iter()
        .filter(|c| mandatory.binary_search(c).is_err());
    let mut drawn = ranked(seed, pool);
    drawn.truncate(k);
    let order = ranked(seed, mandatory.iter())
        .into_iter()
        .map(|t| (t, true))
        .chain(drawn.into_iter().map(|t| (t, false)));
    let targets = assign_pairs(seed, &officers, order);
    Ok(Draw {
        algorithm: ALGORITHM.to_string(),
        version: VERSION,
        seed: seed.to_string(),
        candidates_digest: list_digest(&candidates),
        candidates,
        officers_digest: list_digest(&officers),
        officers,
        mandatory_digest: list_digest(&mandatory),
        mandatory,
        k,
        targets,
    })
}

/// Ids with their target digests, ordered by digest (then id, though ties do not happen).
fn ranked<'a>(seed: &str, ids: impl Iterator<Item = &'a String>) -> Vec<([u8; 32], &'a str)> {
    let mut out: Vec<([u8; 32], &str)> = ids
        .map(|id| (target_digest(seed, id), id.as_str()))
        .collect();
    out.sort_unstable();
    out
}

/// Gives each target, in order, the two officers first by (workload so far, member of the
/// previous pair, officer digest, position in the canonical list).
fn assign_pairs<'a>(
    seed: &str,
    officers: &[String],
    targets: impl Iterator<Item = (([u8; 32], &'a str), bool)>,
) -> Vec<Target> {
    let mut load = vec![0usize; officers.len()];
    let mut previous: Option<[usize; 2]> = None;
    let mut out = Vec::new();
    for ((digest, id), mandatory) in targets {
        let mut keys: Vec<(usize, bool, [u8; 32], usize)> = officers
            .iter()
            .enumerate()
            .map(|(i, o)| {
                let in_previous = previous.is_some_and(|p| p.contains(&i));
                (load[i], in_previous, officer_digest(seed, id, o), i)
            })
            .collect();
        keys.sort_unstable();
        let pair = [keys[0].3, keys[1].3];
        for &i in &pair {
            load[i] += 1;
        }
        previous = Some(pair);
        out.push(Target {
            id: id.to_string(),
            mandatory,
            digest: hex::encode(digest),
            officers: pair.map(|i| officers[i].clone()),
        });
    }
    out
}

/// Recomputes a recorded draw from its recorded inputs and compares: the algorithm and version,
/// each list's canonical form and digest, then every target and pair.
///
/// # Errors
/// The first [`Mismatch`] found, in that order.
pub fn verify(recorded: &Draw) -> Result<(), Mismatch> {
    if recorded.algorithm != ALGORITHM || recorded.version != VERSION {
        return Err(Mismatch::Algorithm {
            algorithm: recorded.algorithm.clone(),
            version: recorded.version,
        });
    }
    let lists = [
        (
            List::Candidates,
            &recorded.candidates,
            &recorded.candidates_digest,
        ),
        (
            List::Officers,
            &recorded.officers,
            &recorded.officers_digest,
        ),
        (
            List::Mandatory,
            &recorded.mandatory,
            &recorded.mandatory_digest,
        ),
    ];
    for (list, items, digest) in lists {
        if canonical(list, items).map_err(Mismatch::Input)? != *items {
            return Err(Mismatch::NotCanonical { list });
        }
        let computed = list_digest(items);
        if computed != *digest {
            return Err(Mismatch::Digest {
                list,
                recorded: digest.clone(),
                computed,
            });
        }
    }
    let seed = check_seed(&recorded.seed).map_err(Mismatch::Input)?;
    if seed != recorded.seed {
        return Err(Mismatch::Input(
            Refusal::invalid("随机种子前后有空白").on("seed"),
        ));
    }
    let again = compute(
        seed,
        recorded.candidates.clone(),
        recorded.officers.clone(),
        recorded.mandatory.clone(),
        recorded.k,
    )
    .map_err(Mismatch::Input)?;
    let n = again.targets.len().max(recorded.targets.len());
    for i in 0..n {
        let (r, c) = (recorded.targets.get(i), again.targets.get(i));
        if r != c {
            return Err(Mismatch::Targets {
                position: i + 1,
                recorded: r.cloned().map(Box::new),
                computed: c.cloned().map(Box::new),
            });
        }
    }
    Ok(())
}
