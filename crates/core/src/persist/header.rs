//! Reads a stored entry's `format` and `version` whatever the rest of it holds, so an entry a
//! newer app wrote is recognised, and a damaged one is told in words, without building a
//! `serde_json::Value` tree: that tree, its map and its deserializers were about 10 KB of the
//! page's gzipped first load, for a path taken only by old or damaged entries.

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;

use super::stored::StoredError;

/// A JSON value where an envelope keeps `format` or `version`: the kinds the checks tell apart.
enum Field {
    String(String),
    Unsigned(u64),
    Signed(i64),
    Fraction(f64),
    /// Anything else, by its kind ("null", "a boolean", "an array", "an object").
    Other(&'static str),
}

impl Field {
    fn kind(&self) -> &'static str {
        match self {
            Field::String(_) => "a string",
            Field::Unsigned(_) | Field::Signed(_) | Field::Fraction(_) => "a number",
            Field::Other(kind) => kind,
        }
    }
}

impl fmt::Display for Field {
    /// As JSON for strings and numbers (a fraction in exponent form, so "2.0" reads "2e0" and
    /// is plainly not a whole number), by kind for the rest.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Field::String(text) => write!(f, "{text:?}"),
            Field::Unsigned(n) => write!(f, "{n}"),
            Field::Signed(n) => write!(f, "{n}"),
            Field::Fraction(n) => write!(f, "{n:e}"),
            Field::Other(kind) => f.write_str(kind),
        }
    }
}

/// The top of a stored entry: an object's `format` and `version` (the last of each, as a JSON
/// reader that keeps one value per key would have them), or the kind of anything else.
enum Probe {
    Object {
        format: Option<Field>,
        version: Option<Field>,
    },
    Other(&'static str),
}

/// Reads any JSON value; every shape is accepted, so the only errors are JSON syntax errors.
struct Reader<const TOP: bool>;

impl<'de> Visitor<'de> for Reader<false> {
    type Value = Field;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Field, E> {
        Ok(Field::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Field, E> {
        Ok(Field::String(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Field, E> {
        Ok(Field::Unsigned(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Field, E> {
        Ok(Field::Signed(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Field, E> {
        Ok(Field::Fraction(v))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Field, E> {
        Ok(Field::Other("a boolean"))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Field, E> {
        Ok(Field::Other("null"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Field, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Field::Other("an array"))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Field, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Field::Other("an object"))
    }
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Reader::<false>)
    }
}

impl<'de> Visitor<'de> for Reader<true> {
    type Value = Probe;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Probe, A::Error> {
        let (mut format, mut version) = (None, None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "format" => format = Some(map.next_value()?),
                "version" => version = Some(map.next_value()?),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(Probe::Object { format, version })
    }
    // Anything else is told by its kind, read the way a field is.
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Probe, E> {
        Ok(Probe::Other("a string"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Probe, E> {
        Ok(Probe::Other("a number"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Probe, E> {
        Ok(Probe::Other("a number"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Probe, E> {
        Ok(Probe::Other("a number"))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Probe, E> {
        Ok(Probe::Other("a boolean"))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Probe, E> {
        Ok(Probe::Other("null"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Probe, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Probe::Other("an array"))
    }
}

impl<'de> Deserialize<'de> for Probe {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(Reader::<true>)
    }
}

/// Reads `format` and `version` only, so a newer schema is recognised whatever its shape.
/// Returns the version, between 1 and `known`.
///
/// # Errors
/// [`StoredError::Json`] when `json` is not JSON, [`StoredError::Shape`] when either field is
/// missing or mistyped or the version is 0, [`StoredError::WrongFormat`] for another format,
/// [`StoredError::NewerVersion`] above `known`.
pub fn check_header(json: &str, format: &str, known: u32) -> Result<u32, StoredError> {
    let probe: Probe = serde_json::from_str(json).map_err(|e| StoredError::Json(e.to_string()))?;
    let (found_format, version) = match probe {
        Probe::Object { format, version } => (format, version),
        Probe::Other(kind) => {
            return Err(StoredError::Shape(format!(
                "expected a JSON object, found {kind}"
            )))
        }
    };
    let found_format = match found_format {
        Some(Field::String(s)) => s,
        Some(other) => {
            return Err(StoredError::Shape(format!(
                "format is {}, not a string",
                other.kind()
            )))
        }
        None => return Err(StoredError::Shape("no format field".to_owned())),
    };
    if found_format != format {
        return Err(StoredError::WrongFormat {
            found: found_format,
        });
    }
    let version = match version {
        Some(Field::Unsigned(v)) => u32::try_from(v)
            .map_err(|_| StoredError::Shape(format!("version {v} is not a schema number")))?,
        Some(Field::Other(kind)) => {
            return Err(StoredError::Shape(format!(
                "version is {kind}, not a schema number"
            )))
        }
        Some(other) => {
            return Err(StoredError::Shape(format!(
                "version {other} is not a schema number"
            )))
        }
        None => return Err(StoredError::Shape("no version field".to_owned())),
    };
    if version == 0 {
        return Err(StoredError::Shape(
            "schema version 0 does not exist".to_owned(),
        ));
    }
    if version > known {
        return Err(StoredError::NewerVersion { found: version });
    }
    Ok(version)
}

/// A typed read of an entry whose header is right but whose body is not: the field serde
/// names, without the line and column (they point into a storage entry the user never sees).
pub fn shape_error(e: &serde_json::Error) -> StoredError {
    let message = e.to_string();
    let without_position = match message.rfind(" at line ") {
        Some(cut) if e.line() != 0 => &message[..cut],
        _ => &message,
    };
    StoredError::Shape(without_position.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(json: &str) -> String {
        match check_header(json, "f", 4) {
            Err(StoredError::Shape(message)) => message,
            other => panic!("{json}: {other:?}"),
        }
    }

    #[test]
    fn the_header_is_read_whatever_else_the_entry_holds() {
        let entry = r#"{"a":[1,{"b":null}],"format":"f","x":{"y":[true,2.5,"z"]},"version":3}"#;
        assert_eq!(check_header(entry, "f", 4), Ok(3));
        assert_eq!(
            check_header(r#"{"format":"f","version":9,"doc":7}"#, "f", 4),
            Err(StoredError::NewerVersion { found: 9 })
        );
        assert_eq!(
            check_header(r#"{"format":"g","version":1}"#, "f", 4),
            Err(StoredError::WrongFormat { found: "g".into() })
        );
        // The last value of a repeated key counts, as in a map that keeps one per key.
        assert_eq!(
            check_header(r#"{"format":"f","version":9,"version":2}"#, "f", 4),
            Ok(2)
        );
    }

    #[test]
    fn a_wrong_header_is_said_in_words() {
        assert_eq!(shape("[1]"), "expected a JSON object, found an array");
        assert_eq!(shape("\"f\""), "expected a JSON object, found a string");
        assert_eq!(shape("null"), "expected a JSON object, found null");
        assert_eq!(shape(r#"{"version":1}"#), "no format field");
        assert_eq!(
            shape(r#"{"format":[],"version":1}"#),
            "format is an array, not a string"
        );
        assert_eq!(shape(r#"{"format":"f"}"#), "no version field");
        assert_eq!(
            shape(r#"{"format":"f","version":"1"}"#),
            "version \"1\" is not a schema number"
        );
        assert_eq!(
            shape(r#"{"format":"f","version":2.0}"#),
            "version 2e0 is not a schema number"
        );
        assert_eq!(
            shape(r#"{"format":"f","version":-1}"#),
            "version -1 is not a schema number"
        );
        assert_eq!(
            shape(r#"{"format":"f","version":4294967296}"#),
            "version 4294967296 is not a schema number"
        );
        assert_eq!(
            shape(r#"{"format":"f","version":{}}"#),
            "version is an object, not a schema number"
        );
        assert_eq!(
            shape(r#"{"format":"f","version":0}"#),
            "schema version 0 does not exist"
        );
    }

    #[test]
    fn only_what_is_not_json_is_a_json_error() {
        for not_json in ["", "{", "{\"format\":", "[1,]", "{} x", &"[".repeat(10_000)] {
            assert!(
                matches!(check_header(not_json, "f", 4), Err(StoredError::Json(_))),
                "{not_json:.20}"
            );
        }
    }
}
