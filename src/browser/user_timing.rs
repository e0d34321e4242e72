//! User Timing: runs work between two performance marks and leaves a measure named after it,
//! so a profile or `make bench` can read how long it took (saves: `aa-save`; a text fix's
//! re-anchoring: `aa-text-fix`). The previous measure of that name is cleared first: the
//! timeline stays small.

pub fn measured<T>(name: &str, work: impl FnOnce() -> T) -> T {
    let start = format!("{name}-start");
    let performance = web_sys::window().and_then(|w| w.performance());
    if let Some(p) = &performance {
        p.clear_marks_with_mark_name(&start);
        let _ = p.mark(&start);
    }
    let result = work();
    if let Some(p) = &performance {
        p.clear_measures_with_measure_name(name);
        let _ = p.measure_with_start_mark(name, &start);
    }
    result
}
