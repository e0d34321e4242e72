//! The arcs as SVG elements, made one by one: a relation's name is the user's text (the schema
//! is theirs), so it goes in as a text node, never as markup.

use web_sys::{Document, Element};

use super::layout::Arc;

const SVG: &str = "http://www.w3.org/2000/svg";

/// An SVG element named `name` with `attributes`.
fn element(document: &Document, name: &str, attributes: &[(&str, &str)]) -> Option<Element> {
    let element = document.create_element_ns(Some(SVG), name).ok()?;
    for (attribute, value) in attributes {
        element.set_attribute(attribute, value).ok()?;
    }
    Some(element)
}

/// Appends `child` (once made) to `parent`.
fn append(parent: &Element, child: Option<Element>) -> Option<()> {
    let child = child?;
    parent.append_child(&child).ok().map(drop)
}

/// An arrow head for the ends of the arcs; `class` tells the selected annotation's apart.
fn arrow_head(document: &Document, id: &str, class: &str) -> Option<Element> {
    let marker = element(
        document,
        "marker",
        &[
            ("id", id),
            ("class", class),
            ("viewBox", "0 0 8 8"),
            ("refX", "7"),
            ("refY", "4"),
            ("markerWidth", "7"),
            ("markerHeight", "7"),
            ("orient", "auto-start-reverse"),
        ],
    )?;
    append(
        &marker,
        element(document, "path", &[("d", "M0,0 L8,4 L0,8 z")]),
    )?;
    Some(marker)
}

/// One arc: its line, and its name on a plate so the line does not run through the gaps
/// between the words.
fn arc_group(document: &Document, arc: &Arc) -> Option<Element> {
    let mut class = String::from("arc");
    if arc.selected {
        class.push_str(" selected");
    }
    if arc.in_margin {
        class.push_str(" in-margin");
    }
    let group = element(document, "g", &[("class", &class)])?;
    let head = if arc.selected {
        "url(#arc-head-selected)"
    } else {
        "url(#arc-head)"
    };
    append(
        &group,
        element(document, "path", &[("d", &arc.path), ("marker-end", head)]),
    )?;
    // About 6.5 px per character at the labels' 11 px; the plate sits under the text's anchor
    // (its middle, or its end for a label beside the margin).
    let plate_width = i32::try_from(arc.label.chars().count()).unwrap_or(0) * 13 / 2 + 6;
    let plate_x = if arc.in_margin {
        arc.label_at.0 - plate_width + 3
    } else {
        arc.label_at.0 - plate_width / 2
    };
    append(
        &group,
        element(
            document,
            "rect",
            &[
                ("class", "plate"),
                ("x", &plate_x.to_string()),
                ("y", &(arc.label_at.1 - 9).to_string()),
                ("width", &plate_width.to_string()),
                ("height", "12"),
                ("rx", "3"),
            ],
        ),
    )?;
    let text = element(
        document,
        "text",
        &[
            ("x", &arc.label_at.0.to_string()),
            ("y", &arc.label_at.1.to_string()),
        ],
    )?;
    text.set_text_content(Some(&arc.label));
    group.append_child(&text).ok()?;
    Some(group)
}

/// The SVG of `arcs` over a box of `size` pixels; `None` if the browser refused an element.
pub fn draw(document: &Document, arcs: &[Arc], size: (i32, i32)) -> Option<Element> {
    let svg = element(
        document,
        "svg",
        &[
            ("class", "relation-arcs"),
            ("aria-hidden", "true"),
            ("width", &size.0.to_string()),
            ("height", &size.1.to_string()),
        ],
    )?;
    let defs = element(document, "defs", &[])?;
    append(&defs, arrow_head(document, "arc-head", ""))?;
    append(&defs, arrow_head(document, "arc-head-selected", "selected"))?;
    svg.append_child(&defs).ok()?;
    for arc in arcs {
        append(&svg, arc_group(document, arc))?;
    }
    Some(svg)
}
