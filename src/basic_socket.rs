//! BasicSocket: what every socket can do.

use magnus::{function, method, prelude::*, Error, Ruby, Value};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::sockio;

/// BasicSocket.do_not_reverse_lookup: true unless a program changes it.
static DO_NOT_REVERSE_LOOKUP: AtomicBool = AtomicBool::new(true);

pub fn default_do_not_reverse_lookup() -> bool {
    DO_NOT_REVERSE_LOOKUP.load(Ordering::Relaxed)
}

fn s_do_not_reverse_lookup() -> bool {
    default_do_not_reverse_lookup()
}

fn s_set_do_not_reverse_lookup(val: Value) -> Value {
    DO_NOT_REVERSE_LOOKUP.store(val.to_bool(), Ordering::Relaxed);
    val
}

fn do_not_reverse_lookup(rb_self: Value) -> Result<bool, Error> {
    Ok(sockio::mode(rb_self)? & sockio::FMODE_NOREVLOOKUP != 0)
}

fn set_do_not_reverse_lookup(rb_self: Value, val: Value) -> Result<Value, Error> {
    sockio::set_mode_flag(rb_self, sockio::FMODE_NOREVLOOKUP, val.to_bool())?;
    Ok(val)
}

pub fn init(ruby: &Ruby) -> Result<(), Error> {
    let class = ruby.define_class("BasicSocket", ruby.class_io())?;
    class.define_singleton_method("do_not_reverse_lookup", function!(s_do_not_reverse_lookup, 0))?;
    class.define_singleton_method("do_not_reverse_lookup=", function!(s_set_do_not_reverse_lookup, 1))?;
    class.define_method("do_not_reverse_lookup", method!(do_not_reverse_lookup, 0))?;
    class.define_method("do_not_reverse_lookup=", method!(set_do_not_reverse_lookup, 1))?;
    Ok(())
}
