//! [`check_update`] and [`check_state_vector`]: untrusted Yjs bytes read in full, by this
//! crate's own checked reader, before yrs sees them.
//!
//! Two reasons. yrs trusts its input more than a page can afford to: its reader can overflow
//! on wasm32, it asserts (in debug builds) that client ids fit in 53 bits, and a count read from
//! the input sizes some of its allocations; and with `panic = "abort"` on wasm there is no
//! catching a panic. So only bytes that already parsed here, with every count bounded by the
//! bytes that follow it, reach yrs's decoder.
//!
//! And the shared doc has one shape, which a remote update must keep: three root maps
//! ([`SharedMap`]) of string keys to string values. The v1 update format (Yjs's
//! `writeStructs` then `writeDeleteSet`) says enough about each item to check that without the
//! doc:
//!
//! - an item that names its parent (it has no origin) names one of the three roots, by name,
//!   and a key no longer than the limit: a parent given by id would be a nested type, and an
//!   item without a key would be a list entry;
//! - an item with an origin (the entry it replaced) inherits its parent and key from that
//!   origin (Yjs's rule), an item already accepted or one of the same update: by induction every
//!   item keeps the shape. Yjs gives map entries no right origin (that is for lists and text),
//!   so an item with one is refused; so is one whose origin is itself or a later item of its
//!   own client, which no writer can have seen;
//! - the content is a single string (Yjs's `ContentAny` holding one string, what `map.set(key,
//!   "…")` writes) no longer than the limit, or a deleted run (`ContentDeleted`, what garbage
//!   collection leaves); nothing else (nested types, subdocuments, binary, embeds, formatting,
//!   text runs, JSON or any non-string value) is accepted;
//! - `GC` blocks (what garbage collection leaves of removed entries) carry no content and are
//!   accepted. `Skip` blocks, which stand for a gap in a client's clocks, are not: Yjs writes
//!   them only when merging updates that do not follow each other, and yrs's handling of
//!   blocks that arrive past a gap can panic on hostile input (an overflow in its block store,
//!   found by `tests/fuzz.rs`). For the same reason the replica refuses an update that starts a
//!   client's blocks past the clock it holds for that client
//!   ([`crate::replica::ReplicaError::OutOfOrder`]).
//!
//! Anything Yjs itself would not write is refused too: a client listed twice, an empty block
//! list, zero-length blocks or deletions, client ids past 53 bits, bytes after the end; and
//! clocks past 31 bits ([`MAX_CLOCK`]).
//!
//! What cannot be known without the doc is which map an inherited item lands in, so the
//! returned [`UpdateShape`] counts the string values the update carries: none of its items can
//! add more keys than that.

use std::collections::BTreeSet;

use crate::changes::SharedMap;
use crate::limits::Limits;
use crate::replica::ReplicaError;
use crate::wire::{Reader, WireError};

/// Yjs's bit flags on an item's info byte (Yjs `Item.write`; yrs `block.rs`).
const HAS_ORIGIN: u8 = 0b1000_0000;
const HAS_RIGHT_ORIGIN: u8 = 0b0100_0000;
const HAS_PARENT_SUB: u8 = 0b0010_0000;
/// The low five bits are the content kind; yrs reads four of them, Yjs five. No Yjs content
/// kind sets the fifth, so neither may an accepted update.
const UNUSED_CONTENT_BIT: u8 = 0b0001_0000;
const CONTENT_BITS: u8 = 0b0000_1111;

/// Block kinds and content kinds (Yjs `structRefs` / `contentRefs`).
const BLOCK_GC: u8 = 0;
const BLOCK_SKIP: u8 = 10;
const CONTENT_DELETED: u8 = 1;
const CONTENT_ANY: u8 = 8;
/// lib0's `writeAny` tag of a string.
const ANY_STRING: u8 = 119;

/// Client ids are 53-bit (JavaScript's safe integers), as Yjs and yrs make them.
pub(crate) const MAX_CLIENT_ID: u64 = (1 << 53) - 1;

/// The highest clock accepted. Clocks are 32-bit, but yrs takes the difference of two clocks
/// as an `i32` when it integrates a block that came out of order (and overflows past this);
/// one client writing two billion values into one doc is not a case to serve.
pub(crate) const MAX_CLOCK: u32 = i32::MAX as u32;

/// What a checked update carries that the doc needs to know before applying it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct UpdateShape {
    /// Items holding a string: the most keys the update could add to any map.
    pub(crate) string_values: usize,
    /// The clock after the last block or deletion of client `own_client`, 0 if none.
    pub(crate) own_clock_end: u32,
    /// Each client's first block: (client, clock).
    pub(crate) first_clocks: Vec<(u64, u32)>,
}

/// Reads `update` as a Yjs v1 update that keeps the shared doc's shape within `limits`
/// (all but `max_update_bytes` and `max_keys`, which need the caller), noting how far it reaches
/// into `own_client`'s clock.
pub(crate) fn check_update(
    update: &[u8],
    limits: &Limits,
    own_client: u64,
) -> Result<UpdateShape, ReplicaError> {
    let mut reader = Reader::new(update);
    let mut shape = UpdateShape::default();

    // Each client's block list takes at least three bytes: count, client, clock.
    let clients = reader.count(3).map_err(malformed)?;
    let mut seen_clients = BTreeSet::new();
    for _ in 0..clients {
        // Each block takes at least two bytes.
        let blocks = reader.count(2).map_err(malformed)?;
        let client = client_id(&mut reader)?;
        if !seen_clients.insert(client) {
            return Err(ReplicaError::Malformed {
                what: "a client is listed twice",
            });
        }
        if blocks == 0 {
            return Err(ReplicaError::Malformed {
                what: "a client has no blocks",
            });
        }
        let mut clock = clock(&mut reader)?;
        shape.first_clocks.push((client, clock));
        for _ in 0..blocks {
            let length = check_block(&mut reader, (client, clock), limits, &mut shape)?;
            clock = clock_after(clock, length)?;
        }
        if client == own_client {
            shape.own_clock_end = shape.own_clock_end.max(clock);
        }
    }
    check_delete_set(&mut reader, own_client, &mut shape)?;
    if !reader.is_at_end() {
        return Err(ReplicaError::Malformed {
            what: "bytes follow the delete set",
        });
    }
    Ok(shape)
}

/// Reads `state_vector` as a Yjs state vector: a count, then that many (client, clock) pairs.
pub(crate) fn check_state_vector(state_vector: &[u8]) -> Result<(), ReplicaError> {
    let mut reader = Reader::new(state_vector);
    let clients = reader.count(2).map_err(bad_state_vector)?;
    for _ in 0..clients {
        let client = reader.var_u64().map_err(bad_state_vector)?;
        if client > MAX_CLIENT_ID {
            return Err(ReplicaError::MalformedStateVector {
                what: "a client id is past 53 bits",
            });
        }
        if reader.var_u32().map_err(bad_state_vector)? > MAX_CLOCK {
            return Err(ReplicaError::MalformedStateVector {
                what: "a clock is past 31 bits",
            });
        }
    }
    if !reader.is_at_end() {
        return Err(ReplicaError::MalformedStateVector {
            what: "bytes follow the last clock",
        });
    }
    Ok(())
}

/// Reads `snapshot` as Yjs's `encodeSnapshot` (v1): a delete set, then a state vector. Our
/// server's acknowledgements carry one for the removals on disk.
pub(crate) fn check_snapshot(snapshot: &[u8]) -> Result<(), ReplicaError> {
    let mut reader = Reader::new(snapshot);
    // No client is "own" here (ids stop at 53 bits).
    check_delete_set(&mut reader, u64::MAX, &mut UpdateShape::default())?;
    let rest = reader.take(reader.remaining()).map_err(malformed)?;
    check_state_vector(rest)
}

/// One block; returns its length in clock units.
fn check_block(
    reader: &mut Reader<'_>,
    id: (u64, u32),
    limits: &Limits,
    shape: &mut UpdateShape,
) -> Result<u32, ReplicaError> {
    let info = reader.u8().map_err(malformed)?;
    if info == BLOCK_GC {
        return non_zero(reader.var_u32().map_err(malformed)?);
    }
    if info == BLOCK_SKIP {
        return Err(ReplicaError::Malformed {
            what: "it skips clocks (a gap)",
        });
    }
    if info & UNUSED_CONTENT_BIT != 0 {
        return Err(ReplicaError::NotAString);
    }
    // Yjs writes a map entry after the entry it replaces (its origin), never before another:
    // a right origin belongs to list and text entries.
    if info & HAS_RIGHT_ORIGIN != 0 {
        return Err(ReplicaError::NotAMapEntry {
            what: "it has a right origin",
        });
    }
    if info & HAS_ORIGIN != 0 {
        let (client, clock) = item_id(reader)?;
        // A writer can only replace what existed when it wrote: never its own later writes,
        // nor the entry itself.
        if client == id.0 && clock >= id.1 {
            return Err(ReplicaError::Malformed {
                what: "an item's origin is itself or a later item of its client",
            });
        }
    }
    if info & HAS_ORIGIN == 0 {
        // The parent: 1 then a root's name, or 0 then an item id (a nested type).
        match reader.var_u64().map_err(malformed)? {
            1 => {
                let name = reader.var_string().map_err(malformed)?;
                if SharedMap::from_name(name).is_none() {
                    return Err(ReplicaError::UnknownMap {
                        name: name.to_owned(),
                    });
                }
            }
            0 => {
                return Err(ReplicaError::NotAMapEntry {
                    what: "its parent is a nested type",
                })
            }
            _ => {
                return Err(ReplicaError::Malformed {
                    what: "an item's parent is neither a name nor an id",
                })
            }
        }
        if info & HAS_PARENT_SUB == 0 {
            return Err(ReplicaError::NotAMapEntry {
                what: "it has no key",
            });
        }
        let key = reader.var_string().map_err(malformed)?;
        if key.len() > limits.max_key_bytes {
            return Err(ReplicaError::KeyTooLong {
                bytes: key.len(),
                limit: limits.max_key_bytes,
            });
        }
    }
    match info & CONTENT_BITS {
        CONTENT_DELETED => non_zero(reader.var_u32().map_err(malformed)?),
        CONTENT_ANY => {
            if reader.var_u64().map_err(malformed)? != 1 {
                return Err(ReplicaError::NotAString);
            }
            if reader.u8().map_err(malformed)? != ANY_STRING {
                return Err(ReplicaError::NotAString);
            }
            let value = reader.var_string().map_err(malformed)?;
            if value.len() > limits.max_value_bytes {
                return Err(ReplicaError::ValueTooLarge {
                    bytes: value.len(),
                    limit: limits.max_value_bytes,
                });
            }
            shape.string_values += 1;
            Ok(1)
        }
        _ => Err(ReplicaError::NotAString),
    }
}

/// Yjs's `writeDeleteSet`: per client, a list of (clock, length) ranges.
fn check_delete_set(
    reader: &mut Reader<'_>,
    own_client: u64,
    shape: &mut UpdateShape,
) -> Result<(), ReplicaError> {
    let clients = reader.count(2).map_err(malformed)?;
    let mut seen_clients = BTreeSet::new();
    for _ in 0..clients {
        let client = client_id(reader)?;
        if !seen_clients.insert(client) {
            return Err(ReplicaError::Malformed {
                what: "a client is listed twice among deletions",
            });
        }
        let ranges = reader.count(2).map_err(malformed)?;
        for _ in 0..ranges {
            let start = clock(reader)?;
            let length = non_zero(reader.var_u32().map_err(malformed)?)?;
            let end = clock_after(start, length)?;
            if client == own_client {
                shape.own_clock_end = shape.own_clock_end.max(end);
            }
        }
    }
    Ok(())
}

fn item_id(reader: &mut Reader<'_>) -> Result<(u64, u32), ReplicaError> {
    Ok((client_id(reader)?, clock(reader)?))
}

fn clock(reader: &mut Reader<'_>) -> Result<u32, ReplicaError> {
    let clock = reader.var_u32().map_err(malformed)?;
    clock_after(clock, 0)
}

/// The clock after `length` units from `clock`, if it is still within [`MAX_CLOCK`].
fn clock_after(clock: u32, length: u32) -> Result<u32, ReplicaError> {
    clock
        .checked_add(length)
        .filter(|&end| end <= MAX_CLOCK)
        .ok_or(ReplicaError::Malformed {
            what: "a clock is past 31 bits",
        })
}

fn client_id(reader: &mut Reader<'_>) -> Result<u64, ReplicaError> {
    let client = reader.var_u64().map_err(malformed)?;
    if client > MAX_CLIENT_ID {
        return Err(ReplicaError::Malformed {
            what: "a client id is past 53 bits",
        });
    }
    Ok(client)
}

fn non_zero(length: u32) -> Result<u32, ReplicaError> {
    if length == 0 {
        return Err(ReplicaError::Malformed {
            what: "a block or deletion is empty",
        });
    }
    Ok(length)
}

fn malformed(error: WireError) -> ReplicaError {
    ReplicaError::Malformed {
        what: wire_what(error),
    }
}

fn bad_state_vector(error: WireError) -> ReplicaError {
    ReplicaError::MalformedStateVector {
        what: wire_what(error),
    }
}

fn wire_what(error: WireError) -> &'static str {
    match error {
        WireError::Truncated => "it ends in the middle of a value",
        WireError::NumberTooLong => "a number is too long",
        WireError::NotUtf8 => "a string is not UTF-8",
    }
}
