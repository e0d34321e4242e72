//! The relations the page hands to the arcs overlay (a separate wasm module, loaded when a
//! relation is first drawn), packed into one string. With "Show all relations" on, that is every
//! relation of the document after every edit: 5,000 relations as JS objects were 15,000 strings
//! made one by one; as one string they cross in one copy, and the overlay reads them in place.
//!
//! Each field is its length in UTF-8 bytes, a colon, and its text, so an id may hold any
//! character (imported ids are the user's). A string crossing into JS and back keeps its bytes:
//! Rust strings are valid UTF-8, and so every UTF-16 string made from one.

/// One relation as the overlay draws it: its two ends' annotation ids and its name in words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DrawnRelation<'a> {
    pub from: &'a str,
    pub to: &'a str,
    pub name: &'a str,
}

/// Packs `relations` into one string for [`unpack`].
pub fn pack<'a>(relations: impl IntoIterator<Item = DrawnRelation<'a>>) -> String {
    let mut packed = String::new();
    for relation in relations {
        for field in [relation.from, relation.to, relation.name] {
            packed.push_str(&field.len().to_string());
            packed.push(':');
            packed.push_str(field);
        }
    }
    packed
}

/// The relations [`pack`] packed, read in place; `None` when `packed` was not made by it.
pub fn unpack(packed: &str) -> Option<Vec<DrawnRelation<'_>>> {
    let mut fields = Fields { rest: packed };
    let mut relations = Vec::new();
    while !fields.rest.is_empty() {
        relations.push(DrawnRelation {
            from: fields.next()?,
            to: fields.next()?,
            name: fields.next()?,
        });
    }
    Some(relations)
}

/// The fields of a packed string, one after the other.
struct Fields<'a> {
    rest: &'a str,
}

impl<'a> Fields<'a> {
    fn next(&mut self) -> Option<&'a str> {
        let (length, rest) = self.rest.split_once(':')?;
        let length: usize = length.parse().ok()?;
        // `get` refuses a length past the end or inside a character.
        let field = rest.get(..length)?;
        self.rest = &rest[length..];
        Some(field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_with_separators_and_any_script_cross_intact() {
        let relations = [
            DrawnRelation {
                from: "a:1",
                to: "12:x",
                name: "said by",
            },
            DrawnRelation {
                from: "👩‍👩‍👧",
                to: "",
                name: "名前",
            },
        ];
        let packed = pack(relations);
        assert_eq!(unpack(&packed), Some(relations.to_vec()));
        assert_eq!(unpack(""), Some(Vec::new()));
    }

    #[test]
    fn what_pack_did_not_make_is_refused() {
        for bad in ["3:ab", "x:a", "1:a1:b", "1:é1:b1:c", "1:a1:b1:c1"] {
            assert_eq!(unpack(bad), None, "{bad}");
        }
    }
}
