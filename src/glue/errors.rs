//! The one place Ruby exceptions are made: Errno::* from an errno, SocketError,
//! IO::EAGAINWaitReadable and friends for the non-blocking calls.

use magnus::{
    prelude::*,
    rb_sys::{AsRawValue, FromRawValue},
    value::Lazy,
    Error, Exception, ExceptionClass, Ruby, Value,
};

/// `::SocketError`, defined by `init` before any method can run.
pub static SOCKET_ERROR: Lazy<ExceptionClass> = Lazy::new(|ruby| {
    ruby.class_object()
        .const_get("SocketError")
        .unwrap_or_else(|_| ruby.exception_standard_error())
});

pub fn init(ruby: &Ruby) -> Result<(), Error> {
    // `require "socket_rs"` refuses to run after the stdlib, so this is ours.
    ruby.define_error("SocketError", ruby.exception_standard_error())?;
    Ok(())
}

/// `Errno::X` for `errno` with the stdlib's message text ("... - connect(2) for ...").
pub fn syserr(errno: i32, msg: &str) -> Error {
    let ruby = Ruby::get().expect("called from a Ruby thread");
    let text = ruby.str_new(msg);
    // rb_syserr_new_str only allocates; protect anyway so no longjmp can cross Rust.
    match magnus::rb_sys::protect(|| unsafe { rb_sys::rb_syserr_new_str(errno, text.as_raw()) }) {
        Ok(exc) => match Exception::from_value(unsafe { Value::from_raw(exc) }) {
            Some(exc) => Error::from(exc),
            None => socket_error(msg.to_owned()),
        },
        Err(e) => e,
    }
}

/// `Errno::X` for the last failed libc call.
pub use crate::sys::fd::errno;

pub fn last_syserr(msg: &str) -> Error {
    syserr(errno(), msg)
}

/// IO::TimeoutError (Ruby 3.2+) with `msg`, as Ruby raises when IO#timeout runs
/// out. Where it doesn't exist (3.1), Errno::ETIMEDOUT.
pub fn io_timeout(msg: &str) -> Error {
    let ruby = Ruby::get().expect("called from a Ruby thread");
    match ruby
        .class_io()
        .const_get::<_, ExceptionClass>("TimeoutError")
    {
        Ok(class) => Error::new(class, msg.to_owned()),
        Err(_) => syserr(libc::ETIMEDOUT, msg),
    }
}

pub fn socket_error(msg: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    let ruby = Ruby::get().expect("called from a Ruby thread");
    Error::new(ruby.get_inner(&SOCKET_ERROR), msg)
}

pub fn type_error(msg: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    let ruby = Ruby::get().expect("called from a Ruby thread");
    Error::new(ruby.exception_type_error(), msg)
}

pub fn arg_error(msg: impl Into<std::borrow::Cow<'static, str>>) -> Error {
    let ruby = Ruby::get().expect("called from a Ruby thread");
    Error::new(ruby.exception_arg_error(), msg)
}

/// Which way a non-blocking call would have waited.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Direction {
    Readable,
    Writable,
}

/// IO::EAGAINWaitReadable / IO::EINPROGRESSWaitWritable ... as the stdlib raises
/// them from *_nonblock ("Resource temporarily unavailable - recvfrom(2) would block").
pub fn would_block(dir: Direction, errno: i32, msg: &str) -> Error {
    let cmsg = std::ffi::CString::new(msg).unwrap_or_default();
    let waiting = match dir {
        Direction::Readable => rb_sys::rb_io_wait_readwrite::RB_IO_WAIT_READABLE,
        Direction::Writable => rb_sys::rb_io_wait_readwrite::RB_IO_WAIT_WRITABLE,
    };
    match magnus::rb_sys::protect(|| unsafe {
        rb_sys::rb_readwrite_syserr_fail(waiting, errno, cmsg.as_ptr())
    }) {
        Err(e) => e,
        Ok(_) => syserr(errno, msg),
    }
}

/// True for the errnos that mean "not ready yet, wait and retry".
pub fn is_would_block(errno: i32) -> bool {
    errno == libc::EAGAIN || errno == libc::EWOULDBLOCK
}

/// SocketError whose message is raw bytes (a binary string), as the stdlib
/// raises for unknown names: the caller's bytes are echoed unchanged.
pub fn socket_error_bytes(msg: &[u8]) -> Error {
    let ruby = Ruby::get().expect("called from a Ruby thread");
    let text = ruby.str_from_slice(msg);
    match ruby.get_inner(&SOCKET_ERROR).new_instance((text,)) {
        Ok(exc) => Error::from(exc),
        Err(e) => e,
    }
}

/// "connect(2) for \"host\" port 80": the stdlib's wording for calls on a host and
/// port given by the caller (TCPSocket, TCPServer, UDPSocket).
pub fn host_port_message(call: &str, host: Value, port: Value) -> Result<String, Error> {
    let host: String = host.funcall("inspect", ())?;
    let port: String = port.funcall("to_s", ())?;
    Ok(format!("{call} for {host} port {port}"))
}
