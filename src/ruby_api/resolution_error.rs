//! Socket::ResolutionError: the SocketError a failed name lookup raises,
//! carrying getaddrinfo's EAI_* code (Ruby 3.3's class, on every Ruby).

use magnus::{prelude::*, value::Lazy, Error, ExceptionClass, RClass, Ruby, Value};

use crate::glue::resolver::{ERROR_CODE_IVAR, RESOLUTION_ERROR};

pub fn init(ruby: &Ruby, socket: RClass) -> Result<(), Error> {
    let socket_error: ExceptionClass = ruby.class_object().const_get("SocketError")?;
    let class = socket.define_class("ResolutionError", socket_error.as_r_class())?;
    class.define_method("error_code", magnus::method!(error_code, 0))?;
    Lazy::force(&RESOLUTION_ERROR, ruby);
    Ok(())
}

fn error_code(rb_self: Value) -> Result<Value, Error> {
    match magnus::RObject::from_value(rb_self) {
        Some(obj) => obj.ivar_get(ERROR_CODE_IVAR),
        None => Ok(Ruby::get_with(rb_self).qnil().as_value()),
    }
}
