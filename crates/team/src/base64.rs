//! [`decode`]: standard base64 (RFC 4648 §4: `A–Z a–z 0–9 + /`, padded with `=`), the encoding
//! of the state vector in the server's `{"stored": …}` message. Only decoding is needed, and
//! twenty lines cost less in the bundle than a crate.

/// The bytes `text` encodes, or `None` if it is not padded standard base64.
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    let text = text.as_bytes();
    if !text.len().is_multiple_of(4) {
        return None;
    }
    let mut bytes = Vec::with_capacity(text.len() / 4 * 3);
    let quads = text.chunks_exact(4);
    let last = quads.len().checked_sub(1);
    for (index, quad) in quads.enumerate() {
        let padding = quad.iter().rev().take_while(|&&c| c == b'=').count();
        if padding > 2 || (padding > 0 && Some(index) != last) {
            return None;
        }
        let mut bits: u32 = 0;
        for &c in quad.iter().take(4 - padding) {
            bits = (bits << 6) | u32::from(sextet(c)?);
        }
        bits <<= 6 * padding;
        let [_, a, b, c] = bits.to_be_bytes();
        let decoded = [a, b, c];
        let kept = 3 - padding;
        // The bits a padded quad does not use must be zero (one text per byte string).
        if decoded.iter().skip(kept).any(|&byte| byte != 0) {
            return None;
        }
        bytes.extend(decoded.iter().take(kept));
    }
    Some(bytes)
}

fn sextet(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn decodes_the_rfc_4648_test_vectors() {
        let vectors = [
            ("", ""),
            ("Zg==", "f"),
            ("Zm8=", "fo"),
            ("Zm9v", "foo"),
            ("Zm9vYg==", "foob"),
            ("Zm9vYmE=", "fooba"),
            ("Zm9vYmFy", "foobar"),
        ];
        for (text, bytes) in vectors {
            assert_eq!(decode(text).as_deref(), Some(bytes.as_bytes()), "{text}");
        }
        assert_eq!(decode("+/+/"), Some(vec![0xfb, 0xff, 0xbf]));
    }

    #[test]
    fn refuses_what_is_not_padded_standard_base64() {
        for text in [
            "Zg", "Zg=", "Zg===", "Z===", "Zg==Zg==", "Zh==", "-_-_", "Zm9v\n", "Zm 9",
        ] {
            assert_eq!(decode(text), None, "{text}");
        }
    }
}
