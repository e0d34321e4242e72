//! The relation arcs the dialogs module draws: where they go, what they say (a relation's name is
//! the user's text, drawn as text), and that taking them down leaves nothing behind.

use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::{Element, HtmlElement};

use annotator_core::model::drawn_relations::{pack, DrawnRelation};
use article_annotator::formats_worker::to_js;
use article_annotator::relation_arcs::mount;
use article_annotator::relation_arcs::protocol::ArcsRequest;

use super::support::{document, query, query_all, wait_for};

/// An article's box with two highlights on one line and one in a later paragraph, and the empty
/// box the arcs are drawn in; first in the page and in view, so "show all" finds them.
fn article_box() -> (Element, Element) {
    let wrap = document().create_element("div").unwrap();
    wrap.set_class_name("article-wrap");
    wrap.set_attribute("style", "position: relative; width: 600px; line-height: 2")
        .unwrap();
    // Fixed markup (ids and words of the test's own), set as HTML to build the tree quickly.
    wrap.set_inner_html(
        "<article><div class=\"chunk\"><div class=\"para\"><mark data-id=\"a1\">Mao</mark> said \
         <mark data-id=\"a2\">we will act</mark></div><div class=\"para\">Later, \
         <mark data-id=\"a3\">Ning</mark> spoke.</div></div></article>",
    );
    let host = document().create_element("div").unwrap();
    wrap.append_child(&host).unwrap();
    let body = document().body().unwrap();
    body.insert_before(&wrap, body.first_child().as_ref())
        .unwrap();
    wrap.unchecked_ref::<HtmlElement>()
        .scroll_into_view_with_bool(true);
    (wrap, host)
}

fn request(
    relations: &[(&str, &str, &str)],
    selected: Option<&str>,
    show_all: bool,
) -> ArcsRequest {
    ArcsRequest {
        relations: pack(
            relations
                .iter()
                .map(|&(from, to, name)| DrawnRelation { from, to, name }),
        ),
        selected: selected.map(str::to_owned),
        show_all,
    }
}

fn draw(host: &Element, request: &ArcsRequest) {
    mount::draw(host.clone(), to_js(request).unwrap()).unwrap();
}

#[wasm_bindgen_test]
async fn the_selected_annotations_relations_are_drawn_with_their_names_as_text() {
    let (wrap, host) = article_box();
    let hostile = "said <b>by</b>";
    draw(
        &host,
        &request(
            &[("a2", "a1", hostile), ("a3", "a1", "about")],
            Some("a2"),
            false,
        ),
    );
    wait_for("one arc", || {
        query_all(&host, "svg.relation-arcs .arc").len() == 1
    })
    .await;
    let arc = query(&host, ".arc").unwrap();
    assert!(arc.class_list().contains("selected"));
    assert_eq!(
        query(&arc, "text").unwrap().text_content().as_deref(),
        Some(hostile)
    );
    assert!(
        query(&host, "svg b").is_none(),
        "a name is text, never markup"
    );
    // The arc starts over the quote and ends over the speaker, on their line.
    let path = query(&arc, "path").unwrap().get_attribute("d").unwrap();
    let numbers: Vec<f64> = path
        .split(|c: char| !(c.is_ascii_digit() || c == '-'))
        .filter_map(|n| n.parse().ok())
        .collect();
    let origin = wrap.get_bounding_client_rect();
    let mark = |id: &str| {
        query(&wrap, &format!("mark[data-id={id}]"))
            .unwrap()
            .get_bounding_client_rect()
    };
    let (from, to) = (mark("a2"), mark("a1"));
    let (x1, x2) = (
        numbers[0] + origin.left(),
        numbers[numbers.len() - 2] + origin.left(),
    );
    assert!(
        x1 >= from.left() - 1.0 && x1 <= from.right() + 1.0,
        "{path}"
    );
    assert!(x2 >= to.left() - 1.0 && x2 <= to.right() + 1.0, "{path}");
    mount::clear(&host);
    assert!(query(&host, "svg").is_none());
    wrap.remove();
}

#[wasm_bindgen_test]
async fn show_all_draws_the_relations_in_view_and_a_new_request_replaces_the_drawing() {
    let (wrap, host) = article_box();
    let all = [("a2", "a1", "said by"), ("a3", "a1", "same as")];
    draw(&host, &request(&all, None, true));
    wait_for("two arcs", || query_all(&host, ".arc").len() == 2).await;
    assert!(query_all(&host, ".arc")
        .iter()
        .all(|a| !a.class_list().contains("selected")));
    // Across lines, the connector runs down the right margin.
    assert_eq!(query_all(&host, ".arc.in-margin").len(), 1);
    // Nothing left to draw: the drawing goes, and so does the SVG.
    draw(&host, &request(&[], None, true));
    wait_for("no drawing", || query(&host, "svg").is_none()).await;
    // Drawing in another box takes the first one's down.
    let (other_wrap, other_host) = article_box();
    draw(&host, &request(&all, Some("a3"), false));
    wait_for("the arc of a3", || query_all(&host, ".arc").len() == 1).await;
    draw(&other_host, &request(&all, Some("a2"), false));
    wait_for("the other box's arc", || {
        query_all(&other_host, ".arc").len() == 1
    })
    .await;
    assert!(query(&host, "svg").is_none());
    mount::clear(&other_host);
    wrap.remove();
    other_wrap.remove();
}
