//! How the article renders: exact text content, nested and crossing spans all visible, and a
//! deep stack of spans drawn to a few layers plus a count.

use std::rc::Rc;

use wasm_bindgen_test::wasm_bindgen_test;
use web_sys::Element;

use annotator_core::model::{AnnotationId, Document, Label};
use article_annotator::components::article_view::{ArticleView, ArticleViewProps};
use article_annotator::components::paragraph_view::DRAWN_LAYERS;

use super::support::{document_with, fresh_root, query, query_all, wait_for};

const TEXT: &str =
    "Mao said \"Beijing 北京 will act 😀\" on Monday.\r\nSecond <img src=x onerror=alert(1)> line.";

#[wasm_bindgen_test]
async fn nested_and_crossing_spans_render_without_changing_the_text() {
    // claim ⊃ quote ⊃ entity, plus a quote crossing into the second paragraph.
    let doc = Rc::new(document_with(
        TEXT,
        &[
            (0, 44, Label::Claim),
            (9, 34, Label::Quote),
            (10, 17, Label::Entity),
            (35, 55, Label::Quote),
        ],
    ));
    let root = fresh_root();
    let props = ArticleViewProps {
        document: Rc::clone(&doc),
        selected: None,
        reveal: 0,
    };
    let app = yew::Renderer::<ArticleView>::with_root_and_props(root.clone(), props).render();
    let expected = doc.text().as_str().to_owned();
    wait_for("the article text", || {
        query(&root, "article").and_then(|a| a.text_content()) == Some(expected.clone())
    })
    .await;
    let article = query(&root, "article").unwrap();

    assert_eq!(
        article.get_attribute("aria-label").as_deref(),
        Some("Article")
    );
    assert_eq!(article.text_content().unwrap(), doc.text().as_str());
    // The pasted tag is text, not an element.
    assert!(query(&article, "img").is_none());

    // "Beijing" sits inside three marks, innermost first: entity, quote, claim.
    // Every mark of that piece holds exactly "Beijing"; the innermost comes last in tree order.
    let beijing = query_all(&article, "mark[data-id]")
        .into_iter()
        .filter(|m| m.text_content().as_deref() == Some("Beijing"))
        .last()
        .expect("a mark holding exactly Beijing");
    let mut chain = Vec::new();
    let mut current = Some(beijing);
    while let Some(el) = current {
        if el.tag_name().eq_ignore_ascii_case("mark") {
            chain.push(el.get_attribute("data-label").unwrap());
        }
        current = el.parent_element().filter(|p| p != &article);
    }
    assert_eq!(chain, ["Entity", "Quote", "Claim"]);

    // Every annotation is visible, and the crossing quote appears in both paragraphs.
    for annotation in doc.annotations() {
        let marks = query_all(&article, &format!("mark[data-id=\"{}\"]", annotation.id));
        assert!(!marks.is_empty(), "{} not rendered", annotation.id);
        let joined: String = marks
            .iter()
            .map(|m| m.text_content().unwrap_or_default())
            .collect::<Vec<_>>()
            .join("");
        // Pieces of one annotation concatenate to its text (nested marks repeat inner text, so
        // compare the outermost-level pieces only through the model instead).
        assert!(joined.contains(
            doc.text()
                .slice(annotation.range)
                .unwrap()
                .lines()
                .next()
                .unwrap()
        ));
        assert_eq!(
            query_all(
                &article,
                &format!("mark.opens[data-id=\"{}\"]", annotation.id)
            )
            .len(),
            1,
            "one badge anchor for {}",
            annotation.id
        );
    }
    let paragraphs = query_all(&article, ".para");
    assert_eq!(paragraphs.len(), 2);
    assert!(query(
        &paragraphs[1],
        &format!("mark[data-id=\"{}\"]", doc.annotations()[3].id)
    )
    .is_some());
    // Layers differ for nested spans so their underlines do not coincide.
    let layers: Vec<String> = ["a1", "a2", "a3"]
        .iter()
        .map(|id| {
            query(&article, &format!("mark[data-id=\"{id}\"]"))
                .unwrap()
                .class_name()
                .split(' ')
                .find(|c| c.starts_with("layer-"))
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(layers, ["layer-0", "layer-1", "layer-2"]);
    app.destroy();
    root.remove();
}

/// Mounts the article for `doc` with `selected`, once its text is on the page.
async fn mount(
    doc: &Rc<Document>,
    selected: Option<AnnotationId>,
) -> (yew::AppHandle<ArticleView>, Element, Element) {
    let root = fresh_root();
    let props = ArticleViewProps {
        document: Rc::clone(doc),
        selected,
        reveal: 0,
    };
    let app = yew::Renderer::<ArticleView>::with_root_and_props(root.clone(), props).render();
    let expected = doc.text().as_str().to_owned();
    wait_for("the article text", || {
        query(&root, "article").and_then(|a| a.text_content()) == Some(expected.clone())
    })
    .await;
    let article = query(&root, "article").unwrap();
    (app, root, article)
}

#[wasm_bindgen_test]
async fn a_thousand_spans_on_one_word_draw_the_first_layers_and_count_the_rest() {
    let text = "Before the bridge opened.\nAfter.";
    let spans: Vec<(usize, usize, Label)> = (0..1_000)
        .map(|i| (11, 17, Label::parse_any(&format!("annotator-{i}")).unwrap()))
        .chain([(0, 6, Label::Quote)])
        .collect();
    let doc = Rc::new(document_with(text, &spans));
    let hidden = 1_000 - DRAWN_LAYERS;

    let (app, root, article) = mount(&doc, None).await;
    // The count is drawn by CSS from an attribute: the text is the document's, to the letter.
    assert_eq!(article.text_content().unwrap(), doc.text().as_str());
    let bridge = query_all(&article, ".piece")
        .into_iter()
        .find(|p| p.text_content().as_deref() == Some("bridge"))
        .expect("a piece holding exactly bridge");
    assert_eq!(query_all(&bridge, "mark").len(), DRAWN_LAYERS);
    let more = query_all(&article, ".more");
    assert_eq!(more.len(), 1, "only the stacked piece has a count");
    assert_eq!(
        more[0].get_attribute("data-more").as_deref(),
        Some(format!("+{hidden}").as_str())
    );
    assert_eq!(
        more[0].get_attribute("aria-hidden").as_deref(),
        Some("true")
    );
    assert!(bridge.contains(Some(&more[0])));
    assert_eq!(more[0].child_nodes().length(), 0, "no text node");
    // The span elsewhere is drawn as always.
    assert_eq!(
        query_all(&article, "mark[data-label=\"Quote\"]").len(),
        1,
        "the quote on Before"
    );
    app.destroy();
    root.remove();

    // A selected span beyond the drawn layers is drawn anyway (revealing it scrolls to its mark).
    let deep = doc.annotations()[900].id.clone();
    let (app, root, article) = mount(&doc, Some(deep.clone())).await;
    assert!(query(&article, &format!("mark.selected[data-id=\"{deep}\"]")).is_some());
    assert_eq!(
        query(&article, ".more")
            .and_then(|m| m.get_attribute("data-more"))
            .as_deref(),
        Some(format!("+{}", hidden - 1).as_str())
    );
    assert_eq!(article.text_content().unwrap(), doc.text().as_str());
    app.destroy();
    root.remove();
}
