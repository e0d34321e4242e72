//! The formats worker's entry point: a second wasm module that reads and writes the dataset
//! formats, loaded on the first import or export (see `annotator_core::formats::job`).

fn main() {
    article_annotator::formats_worker::serve();
}
