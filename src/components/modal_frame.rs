//! The frame of a modal dialog drawn by the app (the import dialog): the backdrop, the dialog
//! element with its name, and its focus trap (hooks/use_focus_trap.rs).

use yew::prelude::*;

use crate::hooks::use_focus_trap;

#[derive(Properties, PartialEq)]
pub struct ModalFrameProps {
    pub id: AttrValue,
    /// The id of the element that names the dialog.
    pub labelled_by: AttrValue,
    pub children: Html,
}

#[component]
pub fn ModalFrame(props: &ModalFrameProps) -> Html {
    let dialog = use_node_ref();
    let onkeydown = use_focus_trap(dialog.clone());
    html! {
        <div class="dialog-backdrop">
            <div class="dialog" id={props.id.clone()} role="dialog" aria-modal="true"
                aria-labelledby={props.labelled_by.clone()} tabindex="-1" ref={dialog} onkeydown={onkeydown}>
                { props.children.clone() }
            </div>
        </div>
    }
}
