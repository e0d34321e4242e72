//! Browser entry point: mount the app into `<body>`.

fn main() {
    yew::Renderer::<article_annotator::App>::new().render();
}
