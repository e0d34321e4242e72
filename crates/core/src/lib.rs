//! The pure core of Article Annotator: everything that decides what the user's data is, with no
//! web dependency (this crate's `Cargo.toml` has none), so every rule is tested natively.
//!
//! - [`agreement`]: agreement between annotators' exports of the same articles.
//! - [`model`]: text and its three offset spaces, annotations, documents, undo history, the
//!   three-way merge and the render plan.
//! - [`formats`]: the dataset formats users import and export, one file per format.
//! - [`persist`]: the localStorage schema, its migrations, and the save/merge engine over a
//!   [`persist::Store`].

pub mod agreement;
pub mod formats;
pub mod model;
pub mod persist;
