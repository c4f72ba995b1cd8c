//! UDPSocket: a datagram IP socket whose bind/connect/send take a host and
//! port, resolved for the socket's own family, trying each address in turn.

use magnus::{method, prelude::*, Error, RClass, RString, Ruby, Value};
use std::os::fd::RawFd;

use crate::glue::errors::{self, Direction};
use crate::glue::sockets;
use crate::ruby_api::basic_socket;
use crate::{glue::args, glue::resolver, glue::sockio, glue::wait, ruby_api::ip_socket};

/// UDPSocket.new(family = AF_INET)
fn initialize(rb_self: Value, args: &[Value]) -> Result<(), Error> {
    let args = args::split::<0, 1>(args)?;
    let family = match args.optional[0] {
        Some(f) => args::family(f)?,
        None => libc::AF_INET,
    };
    let fd = sockets::new_raw_fd(family, libc::SOCK_DGRAM, 0)
        .map_err(|e| errors::syserr(e, "socket(2) - udp"))?;
    sockio::attach(rb_self, fd)
}

/// Tries `op` on each address `host`/`port` resolve to for this socket's
/// family until one succeeds; otherwise the last failure's errno, with the
/// stdlib's "<call> for host port" message.
fn each_address<T>(
    rb_self: Value,
    host: Value,
    port: Value,
    call: &str,
    mut op: impl FnMut(Value, &[u8]) -> Result<Result<T, i32>, Error>,
) -> Result<T, Error> {
    let family = sockets::socket_family(rb_self)?;
    // A numeric host and Integer port make their one address directly.
    let numeric = resolver::numeric_sockaddr(host, port, family);
    let found = match numeric {
        Some(_) => Vec::new(),
        None => resolver::lookup_for_socket(host, port, family, 0, 0, None)?,
    };
    let addrs = numeric.iter().map(|sa| sa.as_bytes());
    let mut last = libc::EADDRNOTAVAIL;
    for addr in addrs.chain(found.iter().map(|r| r.addr.as_slice())) {
        match op(rb_self, addr)? {
            Ok(v) => return Ok(v),
            Err(e) => last = e,
        }
    }
    Err(errors::syserr(
        last,
        &errors::host_port_message(call, host, port)?,
    ))
}

fn bind(rb_self: Value, host: Value, port: Value) -> Result<i32, Error> {
    each_address(rb_self, host, port, "bind(2)", |io, addr| {
        // The lookup ran without the GVL: the socket may be closed by now.
        let fd = sockio::fd(io)?;
        let r = unsafe {
            libc::bind(
                fd,
                addr.as_ptr() as *const libc::sockaddr,
                addr.len() as libc::socklen_t,
            )
        };
        Ok(if r < 0 { Err(errors::errno()) } else { Ok(0) })
    })
}

/// Runs `attempt` through the one wait loop, retrying after EINTR/EAGAIN;
/// other errnos come back as Ok(Err(errno)) so the next address can be tried.
fn retrying<T>(
    io: Value,
    mut attempt: impl FnMut(RawFd) -> Result<T, i32>,
) -> Result<Result<T, i32>, Error> {
    wait::blocking(io, Direction::Writable, &String::new, |fd| {
        match attempt(fd) {
            Ok(v) => Ok(Ok(v)),
            Err(e) if errors::is_would_block(e) || e == libc::EINTR => Err(e),
            Err(e) => Ok(Err(e)),
        }
    })
}

fn connect(rb_self: Value, host: Value, port: Value) -> Result<i32, Error> {
    each_address(rb_self, host, port, "connect(2)", |io, addr| {
        retrying(io, |fd| {
            let r = unsafe {
                libc::connect(
                    fd,
                    addr.as_ptr() as *const libc::sockaddr,
                    addr.len() as libc::socklen_t,
                )
            };
            if r < 0 {
                Err(errors::errno())
            } else {
                Ok(0)
            }
        })
    })
}

/// send(mesg, flags) and send(mesg, flags, sockaddr) are BasicSocket#send;
/// send(mesg, flags, host, port) resolves and sends to the first address
/// that takes it, returning the bytes sent.
fn send(ruby: &Ruby, rb_self: Value, args: &[Value]) -> Result<Value, Error> {
    if args.len() == 2 || args.len() == 3 {
        return Ok(ruby
            .integer_from_i64(basic_socket::send(rb_self, args)? as i64)
            .as_value());
    }
    let [mesg, flags, host, port] = args else {
        return Err(errors::arg_error(format!(
            "wrong number of arguments (given {}, expected 4)",
            args.len()
        )));
    };
    let mesg = RString::try_convert(*mesg)?;
    sockio::flush_write_buffer(rb_self)?;
    let flags = args::num2int(*flags)?;
    let sent = each_address(rb_self, *host, *port, "sendto(2)", |io, addr| {
        retrying(io, |fd| {
            // The string may change while we wait: take its bytes on each try.
            let data = unsafe { mesg.as_slice() };
            let n = unsafe {
                libc::sendto(
                    fd,
                    data.as_ptr() as *const libc::c_void,
                    data.len(),
                    flags | libc::MSG_DONTWAIT,
                    addr.as_ptr() as *const libc::sockaddr,
                    addr.len() as libc::socklen_t,
                )
            };
            if n < 0 {
                Err(errors::errno())
            } else {
                Ok(n)
            }
        })
    })?;
    Ok(ruby.integer_from_i64(sent as i64).as_value())
}

/// __recvfrom_nonblock(len, flags, outbuf, exception): the Ruby layer takes
/// the keyword.
fn recvfrom_nonblock(
    ruby: &Ruby,
    rb_self: Value,
    len: Value,
    flags: Value,
    outbuf: Value,
    exception: Value,
) -> Result<Value, Error> {
    let got = basic_socket::receive_nonblock(rb_self, len, flags, outbuf, exception)?;
    ip_socket::recvfrom_result(ruby, rb_self, got)
}

pub fn init(ruby: &Ruby, ip_socket: RClass) -> Result<RClass, Error> {
    let class = ruby.define_class("UDPSocket", ip_socket)?;
    class.define_method("initialize", method!(initialize, -1))?;
    class.define_method("bind", method!(bind, 2))?;
    class.define_method("connect", method!(connect, 2))?;
    class.define_method("send", method!(send, -1))?;
    class.define_private_method("__recvfrom_nonblock", method!(recvfrom_nonblock, 4))?;
    Ok(class)
}
