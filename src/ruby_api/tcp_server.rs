//! TCPServer: a listening TCP socket; accepts TCPSockets.

use magnus::{method, prelude::*, value::Lazy, Error, RClass, Ruby, Value};
use std::os::fd::{AsRawFd, IntoRawFd};

use crate::glue::sockets::{self, Mode};
use crate::ruby_api::basic_socket;
use crate::sys::fd;
use crate::sys::sockaddr::SockAddr;
use crate::{glue::args, glue::errors, glue::resolver, glue::sockio};

/// TCPServer.new([host = nil,] port): the first address of host that binds
/// and listens, with SO_REUSEADDR as the stdlib sets it.
fn initialize(rb_self: Value, args: &[Value]) -> Result<(), Error> {
    args::check_arity(args.len(), 1, 2)?;
    let ruby = Ruby::get_with(rb_self);
    let (host, port) = match args {
        [port] => (ruby.qnil().as_value(), *port),
        _ => (args[0], args[1]),
    };
    let found = resolver::lookup(
        host,
        port,
        libc::AF_UNSPEC,
        libc::SOCK_STREAM,
        0,
        libc::AI_PASSIVE,
        None,
    )?;
    let mut last = (libc::EADDRNOTAVAIL, "socket(2)");
    for ai in &found {
        let fd = match sockets::new_raw_fd(ai.family, ai.socktype, ai.protocol) {
            Ok(fd) => fd,
            Err(e) => {
                last = (e, "socket(2)");
                continue;
            }
        };
        // Best effort, as the stdlib: a failure shows up at bind(2) if it matters.
        let _ = fd::set_int_option(fd.as_raw_fd(), libc::SOL_SOCKET, libc::SO_REUSEADDR, 1);
        let Some(sa) = SockAddr::from_bytes(&ai.addr) else {
            continue;
        };
        if unsafe { libc::bind(fd.as_raw_fd(), sa.as_ptr(), sa.len()) } < 0 {
            last = (errors::errno(), "bind(2)");
            continue;
        }
        if unsafe { libc::listen(fd.as_raw_fd(), libc::SOMAXCONN) } < 0 {
            last = (errors::errno(), "listen(2)");
            continue;
        }
        return sockio::attach(rb_self, fd);
    }
    Err(errors::syserr(
        last.0,
        &errors::host_port_message(last.1, host, port)?,
    ))
}

/// ::TCPSocket, the class of accepted connections (defined before TCPServer).
static TCP_SOCKET: Lazy<RClass> = Lazy::new(|ruby| {
    ruby.class_object()
        .const_get("TCPSocket")
        .unwrap_or_else(|_| ruby.class_io())
});

fn tcp_socket_class(ruby: &Ruby) -> Result<RClass, Error> {
    Ok(ruby.get_inner(&TCP_SOCKET))
}

fn accept(ruby: &Ruby, rb_self: Value) -> Result<Value, Error> {
    let (fd, _) =
        sockets::accept_fd(rb_self, Mode::Blocking)?.expect("blocking accept returns a socket");
    sockio::wrap(tcp_socket_class(ruby)?, fd)
}

/// __accept_nonblock(exception)
fn accept_nonblock(ruby: &Ruby, rb_self: Value, exception: Value) -> Result<Value, Error> {
    match sockets::accept_fd(
        rb_self,
        Mode::NonBlocking {
            exception: exception.to_bool(),
        },
    )? {
        Some((fd, _)) => sockio::wrap(tcp_socket_class(ruby)?, fd),
        None => Ok(basic_socket::wait_readable_symbol(ruby)),
    }
}

fn sysaccept(rb_self: Value) -> Result<i32, Error> {
    let (fd, _) =
        sockets::accept_fd(rb_self, Mode::Blocking)?.expect("blocking accept returns a socket");
    let raw = fd.into_raw_fd();
    sockio::update_max_fd(raw)?;
    Ok(raw)
}

pub fn init(ruby: &Ruby, tcp_socket: RClass) -> Result<RClass, Error> {
    let class = ruby.define_class("TCPServer", tcp_socket)?;
    class.define_method("initialize", method!(initialize, -1))?;
    class.define_method("accept", method!(accept, 0))?;
    class.define_private_method("__accept_nonblock", method!(accept_nonblock, 1))?;
    class.define_method("sysaccept", method!(sysaccept, 0))?;
    class.define_method("listen", method!(sockets::listen, 1))?;
    Ok(class)
}
