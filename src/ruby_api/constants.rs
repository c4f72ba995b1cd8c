//! Socket::Constants: the running Ruby's constants (sys/constants.rs holds
//! the table), defined on the module and directly on Socket.

use magnus::{Error, Module, RClass, Ruby};

use crate::sys::constants::table;

/// Defines Socket::Constants and the same constants directly on Socket (the
/// stdlib does both; Socket does not include the module).
pub fn init(ruby: &Ruby) -> Result<(), Error> {
    let basic_socket: RClass = ruby.define_class("BasicSocket", ruby.class_io())?;
    let socket = ruby.define_class("Socket", basic_socket)?;
    let module = socket.define_module("Constants")?;
    for &(name, value) in table() {
        module.const_set(name, value)?;
        socket.const_set(name, value)?;
    }
    Ok(())
}
