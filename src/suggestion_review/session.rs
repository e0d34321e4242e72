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
    pub text: model::ArticleText,
    pub paragraphs: Rc<[Paragraph]>,
    pub tagged: Tagged,
    pub list: Rc<Suggestions>,
}

/// Where the page draws the open article, as it said last.
struct Shown {
    host: Element,
    article: Element,
    id: String,
    bar: Option<AppHandle<ReviewBar>>,
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
                text,
                paragraphs,
                tagged,
                list: Rc::new(list),
            });
        }
    });
    (added, articles)
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
/// suggestions there (or nothing when it has none).
pub fn show(host: Element, article: Element, id: String) {
    SESSION.with(|session| {
        let mut session = session.borrow_mut();
        let same = session
            .shown
            .as_ref()
            .is_some_and(|shown| shown.host == host && shown.id == id);
        if !same {
            if let Some(bar) = session.shown.take().and_then(|shown| shown.bar) {
                bar.destroy();
            }
            session.shown = Some(Shown {
                host,
                article,
                id,
                bar: None,
            });
        } else if let Some(shown) = session.shown.as_mut() {
            shown.article = article;
        }
    });
    redraw();
}

/// Draws the bar and the highlights of the article shown, as its list is now.
pub fn redraw() {
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
                let host = shown.host.clone();
                shown.bar =
                    Some(yew::Renderer::<ReviewBar>::with_root_and_props(host, props).render());
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

/// Changes the list of the article shown with `change`; the suggestions it returns are
/// accepted (handed to the page to tag).
pub fn review(change: impl FnOnce(&mut Suggestions) -> Vec<Suggestion>) {
    let (accepted, on_accept) = SESSION.with(|session| {
        let mut session = session.borrow_mut();
        let Some(id) = session.shown.as_ref().map(|s| s.id.clone()) else {
            return (Vec::new(), None);
        };
        let Some(article) = session.articles.iter_mut().find(|a| a.id == id) else {
            return (Vec::new(), None);
        };
        let mut list = (*article.list).clone();
        let accepted = change(&mut list);
        for s in &accepted {
            article.tagged.insert((s.range, s.label.clone()));
        }
        article.list = Rc::new(list);
        (accepted, session.on_accept.clone())
    });
    if let (false, Some(on_accept)) = (accepted.is_empty(), on_accept) {
        let accepted: js_sys::Array = accepted
            .iter()
            .map(|s| JsValue::from_str(&encode_accepted(s)))
            .collect();
        let _ = on_accept.call1(&JsValue::NULL, &accepted);
    }
    redraw();
}

/// Takes the bar down (the page's article view is going away).
pub fn hide(host: &Element) {
    SESSION.with(|session| {
        let mut session = session.borrow_mut();
        if session.shown.as_ref().is_some_and(|s| &s.host == host) {
            if let Some(bar) = session.shown.take().and_then(|s| s.bar) {
                bar.destroy();
            }
        }
    });
    super::bar::clear_highlights();
}
