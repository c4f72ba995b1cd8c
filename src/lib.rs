//! socket_rs: Ruby's socket library in Rust, in three layers, each a folder:
//!
//! - `sys/`: the socket machinery that knows no Ruby (sockaddr and
//!   control-message codecs, the constants table, name lookups, the Happy
//!   Eyeballs state machine). It names neither magnus nor rb_sys, so
//!   `cargo test` covers it without a Ruby process.
//! - `glue/`: what every Ruby class shares: IO attach and borrow, the one wait
//!   loop, errno to Errno::X, argument conversion, per-Ruby behaviour,
//!   hidden-ivar and value objects. It may use `sys/`, never `ruby_api/`.
//! - `ruby_api/`: one file per Ruby class, mirroring lib/socket_rs/ and spec/.
//!   A class may use `sys/`, `glue/` and its parent class, nothing else.
//!
//! `rake test` checks these rules (script/check-layers). This file only wires
//! the classes together.

use magnus::{Error, Ruby};

mod glue;
mod ruby_api;
mod sys;

#[magnus::init]
fn init(ruby: &Ruby) -> Result<(), Error> {
    ruby_api::init(ruby)
}
