//! The browser's clock and randomness, read at the edge so the core stays deterministic.

use annotator_core::model::{DocumentId, Timestamp};

pub fn now() -> Timestamp {
    Timestamp::from_unix_millis(js_sys::Date::now() as i64)
}

/// A fresh document id: creation time plus randomness, so ids from two tabs never collide.
pub fn new_document_id() -> DocumentId {
    let millis = js_sys::Date::now() as u64;
    let random = (js_sys::Math::random() * 2f64.powi(40)) as u64;
    DocumentId::new(&format!("d{}{}", base36(millis), base36(random)))
}

fn base36(mut n: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

thread_local! {
    static TAB_ID: String = format!("t{}", base36((js_sys::Math::random() * 2f64.powi(40)) as u64));
}

/// A random id for this page load, written with each save so other tabs can tell who saved.
pub fn tab_id() -> String {
    TAB_ID.with(Clone::clone)
}
