//! Enumerations with a stable code and a Chinese label: [`coded!`] declares the enum with
//! `ALL` (display order), `code`, `from_code` and `label`.

/// Declares a `Copy` enum whose values each carry a stable code (stored in the database, used
/// in forms and the API) and a label shown to people (Chinese):
///
/// ```ignore
/// coded!(
///     /// Doc of the enum.
///     Name {
///         /// Doc of the value.
///         Value = ("code", "标签"),
///     }
/// );
/// ```
///
/// Outer attributes given before the name (docs, `#[serde(...)]`) go on the enum after its
/// derives (`Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize`). Without a
/// `#[serde(rename_all = ...)]` the serde form is the variant's name, not its code.
macro_rules! coded {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = ($code:literal, $label:literal)),* $(,)? }) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        $(#[$m])*
        pub enum $name { $($(#[$vm])* $v),* }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$v),*];

            /// Stable code stored in the database and used in forms and the API.
            pub fn code(self) -> &'static str {
                match self { $($name::$v => $code),* }
            }

            /// Parses a code.
            pub fn from_code(code: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }

            /// Label shown to people (Chinese).
            pub fn label(self) -> &'static str {
                match self { $($name::$v => $label),* }
            }
        }
    };
}

pub(crate) use coded;
