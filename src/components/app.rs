use yew::prelude::*;
#[component]
pub fn App() -> Html { html!{} }
