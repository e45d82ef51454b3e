//! A signed duty commitment as a printable Word document: the store's signature mapped to the
//! office crate's read model ([`safeduty_office::commitment`], laid out after GB/T 9704), the
//! signing instant shown in Beijing time.

use safeduty_office::commitment::{self, CommitmentLetter};
use safeduty_store::commitments::Signature;

use crate::audit_trail::beijing_time;
use crate::error::AppError;

/// The document's read model of signature `s` by a safety manager of `enterprise_name`.
pub fn letter(s: &Signature, enterprise_name: &str) -> CommitmentLetter {
    CommitmentLetter {
        enterprise_name: enterprise_name.to_string(),
        signer_name: s.personnel_name.clone(),
        text: s.signed_text.clone(),
        signed_on: s.signed_on,
        signed_at: beijing_time(&s.signed_at),
        typed_name: s.typed_name.clone(),
        version: s.version,
        text_sha256: s.text_sha256.clone(),
    }
}

/// The .docx bytes of signature `s` by a safety manager of `enterprise_name`.
///
/// # Errors
/// [`AppError::Internal`] when the document cannot be packed (does not happen with these inputs).
pub fn render(s: &Signature, enterprise_name: &str) -> Result<Vec<u8>, AppError> {
    commitment::docx(&letter(s, enterprise_name)).map_err(|e| AppError::Internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_maps_to_the_letter_in_beijing_time() {
        let s = Signature {
            public_id: "0".repeat(32),
            enterprise_id: 1,
            personnel_public_id: "1".repeat(32),
            personnel_name: "陈志远".into(),
            version: 2,
            signed_text: "履职承诺书\n一、依法履职。\n二、接受监督。".into(),
            text_sha256: "ab".repeat(32),
            typed_name: "陈 志远".into(),
            signed_on: "2024-06-20".parse().unwrap(),
            signed_at: "2024-06-20T02:03:04Z".into(),
            method: safeduty_store::commitments::BY_ENTERPRISE.into(),
        };
        let l = letter(&s, "示例企业有限公司");
        assert_eq!(l.signed_at, "2024-06-20 10:03:04", "Beijing time");
        assert_eq!(
            (l.enterprise_name.as_str(), l.signer_name.as_str()),
            ("示例企业有限公司", "陈志远")
        );
        assert_eq!((l.typed_name.as_str(), l.version), ("陈 志远", 2));
        assert_eq!((&l.text, &l.text_sha256), (&s.signed_text, &s.text_sha256));
        assert!(render(&s, "示例企业有限公司").unwrap().starts_with(b"PK"));
    }
}
