//! What the find bar holds between renders: the query, its options, the matches in the open
//! article and the one the user is on. The article is folded once per set of options
//! (`FoldedText`); each keystroke is then one substring search over the folded text.

use std::cell::RefCell;
use std::rc::Rc;

use crate::browser::intl_segmenter::BrowserSegmenter;
use crate::browser::normalize::BrowserDecompose;
use annotator_core::model::search::{FoldedText, SearchOptions};
use annotator_core::model::{ArticleText, CharRange, Label};

/// The find bar's state, for the article `id`.
#[derive(Clone)]
pub struct Find {
    pub id: String,
    pub labels: Rc<[Label]>,
    /// What "Tag" and "Suggest all" give the matches.
    pub label: Label,
    pub query: String,
    pub options: SearchOptions,
    pub matches: Rc<[CharRange]>,
    /// The match the user is on (an index into `matches`), when there are any.
    pub current: usize,
    /// Bumped each time the bar is asked for again (Ctrl+F while open): its field takes focus.
    pub summoned: u32,
    /// The text `folded` and `matches` are of.
    text: Option<ArticleText>,
    folded: Option<Rc<FoldedText>>,
}

impl PartialEq for Find {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.label == other.label
            && self.query == other.query
            && self.options == other.options
            && Rc::ptr_eq(&self.matches, &other.matches)
            && self.current == other.current
            && self.summoned == other.summoned
    }
}

thread_local! {
    static FIND: RefCell<Option<Find>> = const { RefCell::new(None) };
}

/// The bar as it is now, when it is open.
pub fn current() -> Option<Find> {
    FIND.with(|find| find.borrow().clone())
}

/// Opens the bar for article `id` (or, open already, asks its field to take focus again).
pub fn open(id: &str, labels: Vec<Label>) {
    FIND.with(|find| {
        let mut find = find.borrow_mut();
        match find.as_mut() {
            Some(open) if open.id == id => {
                open.summoned += 1;
                open.labels = labels.into();
            }
            _ => {
                let label = labels.first().cloned().unwrap_or(Label::Quote);
                *find = Some(Find {
                    id: id.to_owned(),
                    labels: labels.into(),
                    label,
                    query: String::new(),
                    options: SearchOptions::default(),
                    matches: Rc::from([]),
                    current: 0,
                    summoned: 0,
                    text: None,
                    folded: None,
                });
            }
        }
    });
}

pub fn close() {
    FIND.with(|find| *find.borrow_mut() = None);
}

/// Changes the bar with `change`, then searches `text` again when the query, the options or
/// the text changed. The match the user is on stays the first one at or after where they were.
pub fn update(text: &ArticleText, change: impl FnOnce(&mut Find)) {
    FIND.with(|find| {
        let mut find = find.borrow_mut();
        let Some(find) = find.as_mut() else {
            return;
        };
        let (query, options) = (find.query.clone(), find.options);
        let at = find.matches.get(find.current).map(|m| m.start());
        change(find);
        let same_text = find
            .text
            .as_ref()
            .is_some_and(|t| t.as_str() == text.as_str());
        if same_text && find.query == query && find.options == options {
            return;
        }
        let folded = match &find.folded {
            Some(folded) if same_text && folded.options() == find.options => Rc::clone(folded),
            _ => Rc::new(FoldedText::new(text, find.options, &BrowserDecompose)),
        };
        find.matches = folded
            .find(
                text,
                &find.query,
                &BrowserDecompose,
                &BrowserSegmenter::new(),
            )
            .into();
        find.current = at.map_or(0, |at| {
            let next = find.matches.partition_point(|m| m.start() < at);
            if next < find.matches.len() {
                next
            } else {
                0
            }
        });
        find.folded = Some(folded);
        find.text = Some(text.clone());
    });
}

/// Moves to the next match (or the previous), round the article's end.
pub fn step(forward: bool) {
    FIND.with(|find| {
        if let Some(find) = find.borrow_mut().as_mut() {
            let count = find.matches.len();
            if count > 0 {
                find.current = if forward {
                    (find.current + 1) % count
                } else {
                    (find.current + count - 1) % count
                };
            }
        }
    });
}
