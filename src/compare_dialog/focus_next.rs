//! Where focus goes when what had it goes away in the Compare dialog (a view replaced, a row
//! removed, an edit form closed): to the first match of some selectors, after the render, and
//! scrolled into the dialog's view (unlike the article, a dialog is read from where focus is).

use gloo::timers::callback::Timeout;

use crate::browser::focus::first_of;

pub fn focus_next(selectors: &'static [&'static str]) {
    Timeout::new(0, move || {
        if let Some(element) = first_of(selectors) {
            let _ = element.focus();
        }
    })
    .forget();
}
