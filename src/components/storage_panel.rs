//! Where the work is kept: localStorage used (and its share of the usual limit), whether the
//! browser granted persistent storage, and the origin's quota where the browser tells.

use yew::prelude::*;

use crate::browser::durability::Persistence;
use crate::browser::local_store::APPROX_LIMIT_BYTES;
use crate::state::AppContext;

/// `1.2 MB`, `340 kB`, `512 B` (decimal units, as file managers show). Integer arithmetic, rounding
/// half up: formatting floats would pull Rust's float printing into the bundle for three strings.
pub fn format_bytes(bytes: u64) -> String {
    let tenths = |unit: u64| (bytes.saturating_add(unit / 20)) / (unit / 10);
    match bytes {
        b if b >= 1_000_000_000 => with_tenths(tenths(1_000_000_000), "GB"),
        b if b >= 1_000_000 => with_tenths(tenths(1_000_000), "MB"),
        b if b >= 1_000 => format!("{} kB", (b + 500) / 1_000),
        b => format!("{b} B"),
    }
}

fn with_tenths(tenths: u64, unit: &str) -> String {
    format!("{}.{} {unit}", tenths / 10, tenths % 10)
}

/// Drawn by [`super::document_list::document_list`] with the root's state.
pub fn storage_panel(state: &AppContext) -> Html {
    let info = &state.storage;
    let share = info.used_bytes * 100 / APPROX_LIMIT_BYTES;
    let others = (info.other_bytes > 0).then(|| {
        format!(
            "Other data on this site takes {} of the same limit.",
            format_bytes(info.other_bytes)
        )
    });
    let persistence = match info.persistence {
        Persistence::Granted => "granted: the browser will not evict it",
        Persistence::Denied => "not granted: the browser may clear it under storage pressure",
        Persistence::Unknown => "not granted yet (asked for when you add an article)",
        Persistence::Unsupported => "not supported by this browser",
    };
    html! {
        <section class="storage-panel" aria-label="Storage">
            <h2>{ "Storage" }</h2>
            <p>
                { format!("{} used of about {} ({share}%)", format_bytes(info.used_bytes), format_bytes(APPROX_LIMIT_BYTES)) }
            </p>
            <meter min="0" max={APPROX_LIMIT_BYTES.to_string()} value={info.used_bytes.to_string()}
                high={(APPROX_LIMIT_BYTES * 8 / 10).to_string()} aria-label="Share of the storage limit used" />
            if let Some(others) = others {
                <p class="muted">{ others }</p>
            }
            <p class="muted">{ format!("Persistent storage: {persistence}.") }</p>
            if let Some(estimate) = info.estimate {
                <p class="muted">
                    { format!("Browser quota for this site: {} used of {}.", format_bytes(estimate.usage), format_bytes(estimate.quota)) }
                </p>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::format_bytes;

    #[test]
    fn bytes_read_as_file_managers_show_them() {
        assert_eq!(format_bytes(0), "0 B");
        assert_eq!(format_bytes(999), "999 B");
        assert_eq!(format_bytes(1_000), "1 kB");
        assert_eq!(format_bytes(340_499), "340 kB");
        assert_eq!(format_bytes(340_500), "341 kB");
        assert_eq!(format_bytes(1_000_000), "1.0 MB");
        assert_eq!(format_bytes(1_249_999), "1.2 MB");
        assert_eq!(format_bytes(1_250_000), "1.3 MB");
        assert_eq!(format_bytes(5_242_880), "5.2 MB");
        assert_eq!(format_bytes(2_000_000_000), "2.0 GB");
        assert_eq!(format_bytes(u64::MAX), "18446744073.7 GB");
    }
}
