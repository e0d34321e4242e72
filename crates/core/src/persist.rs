//! Persistence: the storage schema and its migrations ([`stored`], [`migrate`]).

pub mod migrate;
pub mod stored;
