//! DOM selection → code point offsets, on text with emoji, ZWJ sequences, CJK, combining marks
//! and RTL, for every short range, including ranges starting or ending inside highlights and
//! boundaries given as element positions rather than text positions.

use std::rc::Rc;

use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::Element;

use annotator_core::model::{CharRange, Label};
use article_annotator::browser::text_selection::range_in_article;
use article_annotator::components::article_view::{ArticleView, ArticleViewProps};

use super::support::{document, document_with, dom_point, fresh_root, query, query_all, wait_for};

const TEXT: &str = "Héllo 😀 world\n北京 said e\u{301}x 👩‍👩‍👧 ok\nمرحبا 🇫🇷 end";

async fn mount(
    root: &Element,
    spans: &[(usize, usize, Label)],
) -> (yew::AppHandle<ArticleView>, Element, usize) {
    let doc = Rc::new(document_with(TEXT, spans));
    let len = doc.text().char_len();
    let expected = doc.text().as_str().to_owned();
    let props = ArticleViewProps {
        document: doc,
        selected: None,
        reveal: 0,
    };
    let app = yew::Renderer::<ArticleView>::with_root_and_props(root.clone(), props).render();
    wait_for("the article text", || {
        query(root, "article").and_then(|a| a.text_content()) == Some(expected.clone())
    })
    .await;
    (app, query(root, "article").unwrap(), len)
}

#[wasm_bindgen_test]
async fn every_short_range_maps_back_to_its_code_points() {
    let root = fresh_root();
    // Highlights so boundaries fall inside marks, nested marks and between pieces.
    let (app, article, len) = mount(
        &root,
        &[
            (2, 9, Label::Quote),
            (6, 7, Label::Entity),
            (15, 24, Label::Claim),
            (27, 33, Label::Quote),
        ],
    )
    .await;
    let range = document().create_range().unwrap();
    let mut checked = 0;
    for start in 0..len {
        for end in start + 1..=(start + 8).min(len) {
            let (start_node, start_offset) = dom_point(&article, start);
            let (end_node, end_offset) = dom_point(&article, end);
            range.set_start(&start_node, start_offset).unwrap();
            range.set_end(&end_node, end_offset).unwrap();
            assert_eq!(
                range_in_article(&range, &article, len),
                Some(CharRange::from_raw(start, end).unwrap()),
                "range {start}..{end} ({:?})",
                range.to_string().as_string()
            );
            checked += 1;
        }
    }
    assert!(checked > 200);
    app.destroy();
    root.remove();
}

#[wasm_bindgen_test]
async fn element_boundaries_and_outside_points_are_clipped_to_the_article() {
    let root = fresh_root();
    let before = document().create_element("p").unwrap();
    before.set_text_content(Some("outside before"));
    root.append_child(&before).unwrap();
    let article_root = document().create_element("div").unwrap();
    root.append_child(&article_root).unwrap();
    let after = document().create_element("p").unwrap();
    after.set_text_content(Some("outside after"));
    root.append_child(&after).unwrap();
    let (app, article, len) = mount(&article_root, &[(0, 5, Label::Quote)]).await;

    let range = document().create_range().unwrap();
    // From text outside before the article into the middle of "world".
    let (node, offset) = dom_point(&article, 11);
    range.set_start(&before.first_child().unwrap(), 3).unwrap();
    range.set_end(&node, offset).unwrap();
    assert_eq!(
        range_in_article(&range, &article, len),
        Some(CharRange::from_raw(0, 11).unwrap())
    );

    // From inside the Arabic line to text outside after the article.
    let (node, offset) = dom_point(&article, 36);
    range.set_start(&node, offset).unwrap();
    range.set_end(&after.first_child().unwrap(), 2).unwrap();
    assert_eq!(
        range_in_article(&range, &article, len),
        Some(CharRange::from_raw(36, len).unwrap())
    );

    // Element positions: the start of the second paragraph to the end of the article element.
    let paragraphs = query_all(&article, ".para");
    range.set_start(&paragraphs[1], 0).unwrap();
    range
        .set_end(&article, article.child_nodes().length())
        .unwrap();
    assert_eq!(
        range_in_article(&range, &article, len),
        Some(CharRange::from_raw(14, len).unwrap())
    );

    // Entirely outside: nothing.
    range.select_node_contents(&before).unwrap();
    assert_eq!(range_in_article(&range, &article, len), None);
    app.destroy();
    root.remove();
}
