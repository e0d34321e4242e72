//! The suggestions of every article, what the page last said about where the open one is, and
//! the bar drawn there: what the dialogs module's suggestion exports do.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::JsValue;
use web_sys::Element;
use yew::AppHandle;

use super::bar::{ReviewBar, ReviewBarProps};
use super::protocol::{encode_accepted, read_tagged, Rule, Span};
use crate::browser::intl_segmenter::BrowserSegmenter;
use crate::find_bar::bar::{FindBar, FindBarProps};
use annotator_core::model::suggestions::{Suggestion, Suggestions, Tagged};
use annotator_core::model::{self, paragraphs, Paragraph};

/// An article the page handed over: its text and what it has tagged (which needs no
/// suggestion).
pub struct Given {
    pub id: String,
    pub text: model::ArticleText,
    pub tagged: Tagged,
}

/// One article's suggestions, and its text as the page draws it.
pub struct Article {
    pub id: String,
    /// Which text of the article the page drew when it first showed this one after the run
    /// that gave it (see [`show`]).
    pub drawn_text: Option<String>,
    pub text: model::ArticleText,
    pub paragraphs: Rc<[Paragraph]>,
    pub tagged: Tagged,
    pub list: Rc<Suggestions>,
}

/// Where the page draws the open article, as it said last: the host under it holds the find
/// bar's slot above the review bar's.
struct Shown {
    host: Element,
    article: Element,
    id: String,
    find_slot: Element,
    review_slot: Element,
    bar: Option<AppHandle<ReviewBar>>,
    find: Option<AppHandle<FindBar>>,
}

impl Shown {
    fn take_down(self) {
        if let Some(bar) = self.bar {
            bar.destroy();
        }
        if let Some(find) = self.find {
            find.destroy();
        }
        self.find_slot.remove();
        self.review_slot.remove();
    }
}

/// The open article as the page draws it: what the find bar searches and draws over.
pub struct ShownArticle {
    pub id: String,
    pub text: model::ArticleText,
    pub paragraphs: Rc<[Paragraph]>,
    pub article: Element,
}

#[derive(Default)]
struct Session {
    articles: Vec<Article>,
    on_accept: Option<js_sys::Function>,
    shown: Option<Shown>,
}

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::default());
}

/// Adds what a suggester found in each article (by id) to its list; returns how many are new
/// and in how many articles.
pub fn add_found(given: &[Given], found: Vec<(String, Vec<Suggestion>)>) -> (usize, usize) {
    let (mut added, mut articles) = (0, 0);
    SESSION.with(|session| {
        let mut session = session.borrow_mut();
        for (id, found) in found {
            let Some(article) = given.iter().find(|a| a.id == id) else {
                continue;
            };
            let (text, tagged) = (article.text.clone(), article.tagged.clone());
            let at = session.articles.iter().position(|a| a.id == id);
            let previous = at.map(|at| session.articles.remove(at));
            // A text that changed (fixed, or another article under the same id) starts afresh.
            let kept = previous
                .filter(|p| p.text.as_str() == text.as_str())
                .map(|p| (Rc::unwrap_or_clone(p.list), p.paragraphs));
            let before = kept.as_ref().map_or(0, |(list, _)| list.len());
            let (list, paragraphs) = match kept {
                Some((list, paragraphs)) => (list, paragraphs),
                None => (Suggestions::default(), paragraphs(&text).into()),
            };
            let list = list.merged(found, text.char_len(), &tagged);
            if list.len() > before {
                added += list.len() - before;
                articles += 1;
            }
            session.articles.push(Article {
                id,
                // Found in the page's text of now: recorded at the next `show`.
                drawn_text: None,
                text,
                paragraphs,
                tagged,
                list: Rc::new(list),
            });
        }
    });
    (added, articles)
}

/// Keeps the texts of `given` (for the find bar), their lists as they were unless a text
/// changed.
fn remember(given: &[Given]) {
    add_found(
        given,
        given.iter().map(|g| (g.id.clone(), Vec::new())).collect(),
    );
}

/// Adds `found` to the list of article `id` (one the page handed over before), as a
/// suggester's run does; returns how many are new.
pub fn add_to(id: &str, found: Vec<Suggestion>) -> usize {
    let given = SESSION.with(|session| {
        let session = session.borrow();
        let article = session.articles.iter().find(|a| a.id == id)?;
        Some(Given {
            id: article.id.clone(),
            text: article.text.clone(),
            tagged: article.tagged.clone(),
        })
    });
    let Some(given) = given else {
        return 0;
    };
    let (added, _) = add_found(&[given], vec![(id.to_owned(), found)]);
    redraw();
    added
}

/// The open article, when the page has said where it is and handed over its text.
pub fn shown_article() -> Option<ShownArticle> {
    SESSION.with(|session| {
        let session = session.borrow();
        let shown = session.shown.as_ref()?;
        let article = session.articles.iter().find(|a| a.id == shown.id)?;
        Some(ShownArticle {
            id: article.id.clone(),
            text: article.text.clone(),
            paragraphs: Rc::clone(&article.paragraphs),
            article: shown.article.clone(),
        })
    })
}

/// Runs "Tag all" from `span` over `articles`, the open one first.
pub fn tag_all(articles: &[Given], span: &Span) -> Vec<(String, Vec<Suggestion>)> {
    let Some(first) = articles.first() else {
        return Vec::new();
    };
    let (range, label) = span;
    let Some(phrase) = first.text.slice(*range).map(str::to_owned) else {
        return Vec::new();
    };
    let segmenter = BrowserSegmenter::new();
    articles
        .iter()
        .map(|article| {
            let found = model::suggest::occurrences::whole_word_occurrences(
                &article.text,
                &phrase,
                &segmenter,
            )
            .into_iter()
            .filter(|found| article.id != first.id || found != range)
            .map(|found| {
                Suggestion::new(found, label.clone(), model::suggestions::Suggester::TagAll)
            })
            .collect();
            (article.id.clone(), found)
        })
        .collect()
}

/// Reads what the page sent (see [`super::protocol`]): the rule, and each article's id, text
/// and tagged spans, the open one first.
fn read_request(request: &JsValue) -> Result<(Rule, Vec<Given>), String> {
    let request: Vec<String> = js_sys::Array::from(request)
        .iter()
        .map(|value| value.as_string().unwrap_or_default())
        .collect();
    let (rule, articles) = request
        .split_first()
        .ok_or("the suggestions were not told what to run")?;
    let rule = Rule::decode(rule).ok_or("the suggestions were not told what to run")?;
    let given = articles
        .chunks_exact(3)
        .map(|article| Given {
            id: article[0].clone(),
            text: model::ArticleText::normalize(&article[1]),
            tagged: read_tagged(&article[2]),
        })
        .collect();
    Ok((rule, given))
}

/// Runs what `request` asks (a `[rule, documents]` pair, see [`super::protocol`]): "Tag all"
/// now, or the Suggest dialog in `host`. `on_accept` is called with the spans the user accepts;
/// `on_close` when the dialog closed. Answers what a run found, in words.
///
/// # Errors
/// A message when `request` cannot be read.
pub fn suggest(
    host: Option<Element>,
    request: JsValue,
    on_accept: js_sys::Function,
    on_close: Option<js_sys::Function>,
) -> Result<String, String> {
    let (rule, given) = read_request(&request)?;
    SESSION.with(|session| session.borrow_mut().on_accept = Some(on_accept));
    match rule {
        Rule::TagAll(span) => {
            let found = tag_all(&given, &span);
            let counts = add_found(&given, found);
            redraw();
            Ok(summary("Tag all", counts))
        }
        Rule::Dialog { tag_all } => {
            let host = host.ok_or("the Suggest dialog has nowhere to open")?;
            super::panel::open(host, given, tag_all, on_close);
            Ok(String::new())
        }
        Rule::Find { labels } => {
            let open = given.first().ok_or("the find bar was given no article")?;
            remember(&given);
            crate::find_bar::state::open(&open.id, labels);
            redraw();
            Ok(String::new())
        }
    }
}

/// What a run found, in words for the page's notice.
pub fn summary(rule: &str, (added, articles): (usize, usize)) -> String {
    let s = |n: usize| if n == 1 { "" } else { "s" };
    match (added, articles) {
        (0, _) => format!("{rule}: nothing new to suggest."),
        (n, 1) => format!(
            "{rule}: {n} suggestion{}. Review them in the bar under the article: Enter accepts, Delete rejects, N and P walk.",
            s(n)
        ),
        (n, a) => format!(
            "{rule}: {n} suggestions in {a} articles, each reviewed when its article is open."
        ),
    }
}

/// The page drew article `id` in `article`, with `host` under it for the bar: draws its
/// suggestions there (or nothing when it has none). `id` is followed by a line naming the text
/// the page has: when it is not the one drawn since the suggestions were found (the text was
/// fixed, the fix undone, or another tab fixed it), their offsets are of another text, and the
/// article's suggestions and find bar are dropped, never drawn over the new text.
pub fn show(host: Element, article: Element, id: String) {
    let (id, text) = match id.split_once('\n') {
        Some((id, text)) => (id.to_owned(), text.to_owned()),
        None => (id, String::new()),
    };
    forget_if_stale(&id, text);
    SESSION.with(|session| {
        let mut session = session.borrow_mut();
        let same = session
            .shown
            .as_ref()
            .is_some_and(|shown| shown.host == host && shown.id == id);
        if !same {
            if let Some(shown) = session.shown.take() {
                shown.take_down();
            }
            let slot = || {
                let slot = host.owner_document()?.create_element("div").ok()?;
                host.append_child(&slot).ok()?;
                Some(slot)
            };
            let (Some(find_slot), Some(review_slot)) = (slot(), slot()) else {
                return;
            };
            session.shown = Some(Shown {
                host,
                article,
                id,
                find_slot,
                review_slot,
                bar: None,
                find: None,
            });
        } else if let Some(shown) = session.shown.as_mut() {
            shown.article = article;
        }
    });
    redraw();
}

/// Drops article `id`'s suggestions (and its find bar) when the page's text is not the one they
/// were found in; the first sight of an article after a run records the text.
fn forget_if_stale(id: &str, text: String) {
    let stale = SESSION.with(|session| {
        let mut session = session.borrow_mut();
        let at = session.articles.iter().position(|a| a.id == id)?;
        let article = &mut session.articles[at];
        match &article.drawn_text {
            None => {
                article.drawn_text = Some(text);
                None
            }
            Some(drawn) if *drawn != text => Some(session.articles.remove(at)),
            Some(_) => None,
        }
    });
    if stale.is_some() && crate::find_bar::state::current().is_some_and(|f| f.id == id) {
        crate::find_bar::state::close();
    }
}

/// Draws the bars and the highlights of the article shown, as its list and the find bar are
/// now.
pub fn redraw() {
    redraw_find();
    let props = SESSION.with(|session| {
        let session = session.borrow();
        let shown = session.shown.as_ref()?;
        let article = session
            .articles
            .iter()
            .find(|a| a.id == shown.id && !a.list.is_empty())?;
        Some(ReviewBarProps {
            list: Rc::clone(&article.list),
            text: article.text.clone(),
            paragraphs: Rc::clone(&article.paragraphs),
            article: shown.article.clone(),
        })
    });
    SESSION.with(|session| {
        let mut session = session.borrow_mut();
        let Some(shown) = session.shown.as_mut() else {
            return;
        };
        match (props, shown.bar.as_mut()) {
            (Some(props), Some(bar)) => bar.update(props),
            (Some(props), None) => {
                let slot = shown.review_slot.clone();
                shown.bar =
                    Some(yew::Renderer::<ReviewBar>::with_root_and_props(slot, props).render());
            }
            (None, _) => {
                if let Some(bar) = shown.bar.take() {
                    bar.destroy();
                }
                super::bar::clear_highlights();
            }
        }
    });
}

/// Draws the find bar over the article shown when it is open for it, or takes it down.
fn redraw_find() {
    let props = crate::find_bar::state::current().and_then(|find| {
        let shown = shown_article().filter(|shown| shown.id == find.id)?;
        Some(FindBarProps {
            find,
            text: shown.text,
            paragraphs: shown.paragraphs,
            article: shown.article,
        })
    });
    SESSION.with(|session| {
        let mut session = session.borrow_mut();
        let Some(shown) = session.shown.as_mut() else {
            return;
        };
        match (props, shown.find.as_mut()) {
            (Some(props), Some(bar)) => bar.update(props),
            (Some(props), None) => {
                let slot = shown.find_slot.clone();
                shown.find =
                    Some(yew::Renderer::<FindBar>::with_root_and_props(slot, props).render());
            }
            (None, _) => {
                if let Some(bar) = shown.find.take() {
                    bar.destroy();
                }
                crate::find_bar::bar::clear_highlights();
            }
        }
    });
}

/// Hands `accepted` to the page to tag, and counts them tagged in article `id`.
pub fn accept(id: &str, accepted: &[Suggestion]) {
    let on_accept = SESSION.with(|session| {
        let mut session = session.borrow_mut();
        if let Some(article) = session.articles.iter_mut().find(|a| a.id == id) {
            for s in accepted {
                article.tagged.insert((s.range, s.label.clone()));
            }
        }
        session.on_accept.clone()
    });
    if let (false, Some(on_accept)) = (accepted.is_empty(), on_accept) {
        let accepted: js_sys::Array = accepted
            .iter()
            .map(|s| JsValue::from_str(&encode_accepted(s)))
            .collect();
        let _ = on_accept.call1(&JsValue::NULL, &accepted);
    }
}

/// Changes the list of the article shown with `change`; the suggestions it returns are
/// accepted (handed to the page to tag).
pub fn review(change: impl FnOnce(&mut Suggestions) -> Vec<Suggestion>) {
    let accepted = SESSION.with(|session| {
        let mut session = session.borrow_mut();
        let id = session.shown.as_ref()?.id.clone();
        let article = session.articles.iter_mut().find(|a| a.id == id)?;
        let mut list = (*article.list).clone();
        let accepted = change(&mut list);
        article.list = Rc::new(list);
        Some((id, accepted))
    });
    if let Some((id, accepted)) = accepted {
        accept(&id, &accepted);
    }
    redraw();
}

/// Takes the bar down (the page's article view is going away).
pub fn hide(host: &Element) {
    SESSION.with(|session| {
        let mut session = session.borrow_mut();
        if session.shown.as_ref().is_some_and(|s| &s.host == host) {
            if let Some(shown) = session.shown.take() {
                shown.take_down();
            }
        }
    });
    super::bar::clear_highlights();
    crate::find_bar::bar::clear_highlights();
}
