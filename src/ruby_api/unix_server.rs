//! UNIXServer: a listening AF_UNIX stream socket. accept gives UNIXSocket
//! objects; blocking goes through the one wait loop (sockets::accept_fd).

use magnus::{method, prelude::*, Error, RClass, Ruby, Value};
use std::os::fd::IntoRawFd;

use crate::glue::errors;
use crate::glue::sockets::{self, Mode};
use crate::glue::sockio;
use crate::ruby_api::basic_socket;
use crate::ruby_api::unix_socket::{self, UNIX_SOCKET};

/// UNIXServer.new(path): bind and listen; errors name the path as
/// "connect(2) for <path>", as the stdlib's do.
fn initialize(rb_self: Value, path: Value) -> Result<(), Error> {
    let path = unix_socket::path_arg(path)?;
    let sa = unix_socket::path_sockaddr(path)?;
    sockio::attach(
        rb_self,
        sockets::new_fd(libc::AF_UNIX, libc::SOCK_STREAM, 0)?,
    )?;
    let fd = sockio::fd(rb_self)?;
    // bind(2), then listen(2) if bind worked: the errno of the one that failed.
    let failed = (unsafe { libc::bind(fd, sa.as_ptr(), sa.len()) } < 0
        || unsafe { libc::listen(fd, libc::SOMAXCONN) } < 0)
        .then(errors::errno);
    if let Some(e) = failed {
        let _ = rb_self.funcall::<_, _, Value>("close", ());
        return Err(errors::syserr(
            e,
            &unix_socket::path_message("connect(2)", path.as_value()),
        ));
    }
    sockio::set_path(rb_self, path.as_value())
}

fn accept_socket(ruby: &Ruby, rb_self: Value, mode: Mode) -> Result<Value, Error> {
    match sockets::accept_fd(rb_self, mode)? {
        Some((fd, _)) => sockio::wrap(ruby.get_inner(&UNIX_SOCKET), fd),
        None => Ok(basic_socket::wait_readable_symbol(ruby)),
    }
}

fn accept(ruby: &Ruby, rb_self: Value) -> Result<Value, Error> {
    accept_socket(ruby, rb_self, Mode::Blocking)
}

/// __accept_nonblock(exception)
fn accept_nonblock(ruby: &Ruby, rb_self: Value, exception: Value) -> Result<Value, Error> {
    accept_socket(
        ruby,
        rb_self,
        Mode::NonBlocking {
            exception: exception.to_bool(),
        },
    )
}

/// sysaccept -> Integer fd (close-on-exec, like every fd we make).
fn sysaccept(rb_self: Value) -> Result<i32, Error> {
    let Some((fd, _)) = sockets::accept_fd(rb_self, Mode::Blocking)? else {
        return Err(errors::socket_error("accept(2) would block"));
    };
    let raw = fd.into_raw_fd();
    sockio::update_max_fd(raw)?;
    Ok(raw)
}

pub fn init(_ruby: &Ruby, unix_socket: RClass) -> Result<(), Error> {
    let class = _ruby.define_class("UNIXServer", unix_socket)?;
    class.define_method("initialize", method!(initialize, 1))?;
    class.define_method("accept", method!(accept, 0))?;
    class.define_private_method("__accept_nonblock", method!(accept_nonblock, 1))?;
    class.define_method("sysaccept", method!(sysaccept, 0))?;
    class.define_method("listen", method!(sockets::listen, 1))?;
    Ok(())
}
