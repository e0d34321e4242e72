//! Team mode's module (`src/bin/team.rs`, loaded when a team is joined): the link to the sync
//! server ([`link`]) and the Join dialog. [`messages`] is what it and the page say to each other.

pub mod join_dialog;
pub mod join_mount;
pub mod link;
pub mod messages;
pub mod offline_copy;
