//! TCPSocket: a connected TCP client. Connecting (Happy Eyeballs v2 or the
//! sequential way) is happy_eyeballs.rs; this file turns its outcome into the
//! socket or the stdlib's errors.

use magnus::{function, method, prelude::*, Error, RArray, RClass, Ruby, Value};

use crate::glue::connect::{self, Failure};
use crate::glue::ruby_version::{self, ConnectTimeout};
use crate::{glue::errors, glue::resolver, sys::sockaddr};

/// __initialize(host, port, local_host, local_port, resolv_timeout,
/// connect_timeout, fast_fallback); the Ruby layer takes the keywords.
#[allow(clippy::too_many_arguments)]
fn initialize(
    rb_self: Value,
    host: Value,
    port: Value,
    local_host: Value,
    local_port: Value,
    resolv_timeout: Value,
    connect_timeout: Value,
    fast_fallback: Value,
) -> Result<(), Error> {
    let (target, opts) = connect::request(
        host,
        port,
        local_host,
        local_port,
        resolv_timeout,
        connect_timeout,
        fast_fallback,
        true,
    )?;
    match connect::connect(&target, &opts, rb_self) {
        Ok(_) => Ok(()),
        Err(Failure::Sys { errno, call, .. }) if call == "bind(2)" => Err(errors::syserr(
            errno,
            &errors::host_port_message(call, local_host, local_port)?,
        )),
        Err(Failure::Sys { errno, call, .. }) => Err(errors::syserr(
            errno,
            &errors::host_port_message(call, host, port)?,
        )),
        Err(Failure::TimedOut { attempts: 0, .. }) => Err(resolver::timeout_error()),
        Err(Failure::TimedOut { attempts, .. }) => Err(connect_timed_out(host, port, attempts)?),
        // Happy Eyeballs found no local address of a resolved family; Ruby 3.4
        // reports it as bind(2) failing with EAFNOSUPPORT.
        Err(Failure::NoLocalAddress) => Err(errors::syserr(
            libc::EAFNOSUPPORT,
            &errors::host_port_message("bind(2)", local_host, local_port)?,
        )),
        Err(Failure::Raise(e)) => Err(e),
    }
}

/// The error for a connect that ran out of `connect_timeout:` after
/// `attempts` attempts, as the running Ruby's TCPSocket.new words it.
fn connect_timed_out(host: Value, port: Value, attempts: usize) -> Result<Error, Error> {
    Ok(match ruby_version::TCP_CONNECT_TIMEOUT {
        ConnectTimeout::Errno => errors::syserr(
            libc::ETIMEDOUT,
            &errors::host_port_message("connect(2)", host, port)?,
        ),
        ConnectTimeout::IoTimeoutNamed => {
            errors::io_timeout(&errors::host_port_message("connect(2)", host, port)?)
        }
        ConnectTimeout::IoTimeout if attempts == 1 => errors::io_timeout("Connect timed out!"),
        ConnectTimeout::IoTimeout => resolver::timeout_error(),
    })
}

/// TCPSocket.gethostbyname(host): [name, aliases, family, *address texts]
/// (deprecated, as Ruby says).
fn s_gethostbyname(ruby: &Ruby, host: Value) -> Result<RArray, Error> {
    resolver::warn(c"TCPSocket.gethostbyname is deprecated; use Addrinfo.getaddrinfo instead.")?;
    let h = resolver::hostent(host)?;
    let texts = h.addrs.iter().map(|r| {
        let ip = sockaddr::unpack_ip(&r.addr);
        Ok(ip.map(|ip| ruby.str_new(sockaddr::ip_text(&ip).as_str()).as_value()))
    });
    resolver::hostent_row(ruby, &h.name, &h.aliases, h.family, texts)
}

pub fn init(ruby: &Ruby, basic_socket: RClass) -> Result<RClass, Error> {
    let ip_socket = ruby.define_class("IPSocket", basic_socket)?;
    let class = ruby.define_class("TCPSocket", ip_socket)?;
    class.define_private_method("__initialize", method!(initialize, 7))?;
    class.define_singleton_method("gethostbyname", function!(s_gethostbyname, 1))?;
    Ok(class)
}
