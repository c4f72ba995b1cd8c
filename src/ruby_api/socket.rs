//! Socket: the general socket class (socket(2) with any family/type), its
//! connect/bind/listen/accept, and the sockaddr packing class methods.

use magnus::{
    function, method, prelude::*, value::Lazy, Error, RArray, RClass, RString, Ruby, Value,
};

use crate::glue::errors::{self, Direction};
use crate::glue::objects;
use crate::glue::resolver::GaiError;
use crate::glue::sockets::{self, Mode};
use crate::ruby_api::basic_socket::{self, Received};
use crate::sys::fd;
use crate::sys::sockaddr::{self};
use crate::{glue::args, glue::resolver, glue::sockio};

mod resolution;

/// ::Socket, for accepted sockets (defined by `init` before any call).
static SOCKET_CLASS: Lazy<RClass> = Lazy::new(|ruby| {
    ruby.class_object()
        .const_get("Socket")
        .unwrap_or_else(|_| ruby.class_io())
});

/// (domain, type[, protocol]) as Socket.new and Socket.pair take them.
fn domain_type_protocol(args: &[Value]) -> Result<(i32, i32, i32), Error> {
    args::check_arity(args.len(), 2, 3)?;
    let family = args::family(args[0])?;
    let socktype = args::socktype(args[1])?;
    let protocol = match args::optional(args, 2) {
        Some(p) => args::num2int(p)?,
        None => 0,
    };
    Ok((family, socktype, protocol))
}

fn initialize(rb_self: Value, args: &[Value]) -> Result<(), Error> {
    let (family, socktype, protocol) = domain_type_protocol(args)?;
    sockio::attach(rb_self, sockets::new_fd(family, socktype, protocol)?)
}

/// Socket.pair / Socket.socketpair: two connected sockets; with a block,
/// yields them and closes both afterwards.
fn s_pair(rb_self: RClass, args: &[Value]) -> Result<Value, Error> {
    let (family, socktype, protocol) = domain_type_protocol(args)?;
    sockets::pair(rb_self, family, socktype, protocol)
}

fn bind(rb_self: Value, addr: Value) -> Result<i32, Error> {
    let sa = sockets::sockaddr_arg(addr)?;
    let fd = sockio::fd(rb_self)?;
    if unsafe { libc::bind(fd, sa.as_ptr(), sa.len()) } < 0 {
        return Err(errors::last_syserr(&sockets::for_addr("bind(2)", &sa)));
    }
    Ok(0)
}

fn connect(rb_self: Value, addr: Value) -> Result<i32, Error> {
    let sa = sockets::sockaddr_arg(addr)?;
    sockets::connect_blocking(rb_self, &sa)?;
    Ok(0)
}

/// __connect_nonblock(addr, exception)
fn connect_nonblock(
    ruby: &Ruby,
    rb_self: Value,
    addr: Value,
    exception: Value,
) -> Result<Value, Error> {
    let sa = sockets::sockaddr_arg(addr)?;
    let fd = sockio::fd(rb_self)?;
    if fd::nonblocking(fd, true, || unsafe {
        libc::connect(fd, sa.as_ptr(), sa.len())
    }) == 0
    {
        return Ok(ruby.integer_from_i64(0).as_value());
    }
    match errors::errno() {
        libc::EINPROGRESS => {
            if !exception.to_bool() {
                return Ok(basic_socket::wait_writable_symbol(ruby));
            }
            Err(errors::would_block(
                Direction::Writable,
                libc::EINPROGRESS,
                "connect(2) would block",
            ))
        }
        libc::EISCONN if !exception.to_bool() => Ok(ruby.integer_from_i64(0).as_value()),
        e => Err(errors::syserr(e, &sockets::for_addr("connect(2)", &sa))),
    }
}

fn accept_pair(ruby: &Ruby, rb_self: Value, mode: Mode) -> Result<Value, Error> {
    let Some((fd, sa)) = sockets::accept_fd(rb_self, mode)? else {
        return Ok(basic_socket::wait_readable_symbol(ruby));
    };
    let raw = std::os::fd::AsRawFd::as_raw_fd(&fd);
    let class = ruby.get_inner(&SOCKET_CLASS);
    let sock = sockio::wrap(class, fd)?;
    let info = basic_socket::socket_addrinfo(raw, sa.as_bytes())?;
    Ok(ruby.ary_new_from_values(&[sock, info]).as_value())
}

fn accept(ruby: &Ruby, rb_self: Value) -> Result<Value, Error> {
    accept_pair(ruby, rb_self, Mode::Blocking)
}

/// __accept_nonblock(exception)
fn accept_nonblock(ruby: &Ruby, rb_self: Value, exception: Value) -> Result<Value, Error> {
    accept_pair(
        ruby,
        rb_self,
        Mode::NonBlocking {
            exception: exception.to_bool(),
        },
    )
}

fn sysaccept(ruby: &Ruby, rb_self: Value) -> Result<RArray, Error> {
    let (fd, sa) =
        sockets::accept_fd(rb_self, Mode::Blocking)?.expect("blocking accept returns a socket");
    let info = basic_socket::socket_addrinfo(std::os::fd::AsRawFd::as_raw_fd(&fd), sa.as_bytes())?;
    let raw = std::os::fd::IntoRawFd::into_raw_fd(fd);
    sockio::update_max_fd(raw)?;
    Ok(ruby.ary_new_from_values(&[ruby.integer_from_i64(raw as i64).as_value(), info]))
}

/// [data, sender Addrinfo]; nil at the end of a stream (Ruby 3.3+).
fn recvfrom_result(ruby: &Ruby, rb_self: Value, got: Received) -> Result<Value, Error> {
    match got {
        Received::WouldBlock => Ok(basic_socket::wait_readable_symbol(ruby)),
        Received::Data(s, _) if s.is_nil() => Ok(s),
        Received::Data(s, sa) => {
            let info = basic_socket::socket_addrinfo(sockio::fd(rb_self)?, sa.as_bytes())?;
            Ok(ruby.ary_new_from_values(&[s, info]).as_value())
        }
    }
}

fn recvfrom(ruby: &Ruby, rb_self: Value, args: &[Value]) -> Result<Value, Error> {
    args::check_arity(args.len(), 1, 3)?;
    let (flags, outbuf) = (args.get(1).copied(), args.get(2).copied());
    let got = basic_socket::receive(rb_self, args[0], flags, outbuf, Mode::Blocking, "recv")?;
    recvfrom_result(ruby, rb_self, got)
}

/// __recvfrom_nonblock(len, flags, outbuf, exception)
fn recvfrom_nonblock(
    ruby: &Ruby,
    rb_self: Value,
    len: Value,
    flags: Value,
    outbuf: Value,
    exception: Value,
) -> Result<Value, Error> {
    let got = basic_socket::receive_nonblock(rb_self, len, flags, outbuf, exception)?;
    recvfrom_result(ruby, rb_self, got)
}

fn ipv6only(rb_self: Value) -> Result<i32, Error> {
    fd::set_int_option(
        sockio::fd(rb_self)?,
        libc::IPPROTO_IPV6,
        libc::IPV6_V6ONLY,
        1,
    )
    .map_err(|e| errors::syserr(e, "setsockopt(2)"))?;
    Ok(0)
}

/// Socket.sockaddr_in(port, host): the first address getaddrinfo gives.
/// A numeric host with an Integer port is packed here, without the resolver.
fn s_pack_sockaddr_in(ruby: &Ruby, port: Value, host: Value) -> Result<RString, Error> {
    if let (Some(h), Some(p)) = (RString::from_value(host), magnus::Fixnum::from_value(port)) {
        let text = std::str::from_utf8(unsafe { h.as_slice() }).ok();
        let port = u16::try_from(p.to_i64()).ok();
        if let (Some(ip), Some(port)) = (text.and_then(sockaddr::parse_numeric), port) {
            return Ok(match ip {
                sockaddr::Ip::V4(a, _) => ruby.str_from_slice(&sockaddr::pack_v4(port, a)),
                sockaddr::Ip::V6(a, _, scope) => {
                    ruby.str_from_slice(&sockaddr::pack_v6(port, a, 0, scope))
                }
            });
        }
    }
    let found = resolver::lookup_for_socket(host, port, libc::AF_UNSPEC, 0, 0, None)?;
    match found.first() {
        Some(r) => Ok(ruby.str_from_slice(&r.addr)),
        None => Err(errors::socket_error("getaddrinfo: no address")),
    }
}

fn s_unpack_sockaddr_in(ruby: &Ruby, addr: Value) -> Result<(u16, RString), Error> {
    let bytes = objects::sockaddr_bytes(addr)?;
    // The stdlib asks getnameinfo(3), which refuses a sockaddr shorter than
    // its family's struct.
    let min_len = match sockaddr::family(&bytes) {
        None => return Err(errors::arg_error("too short sockaddr")),
        Some(libc::AF_INET) => std::mem::size_of::<libc::sockaddr_in>(),
        Some(libc::AF_INET6) => std::mem::size_of::<libc::sockaddr_in6>(),
        Some(_) => return Err(errors::arg_error("not an AF_INET/AF_INET6 sockaddr")),
    };
    let ip = match sockaddr::unpack_ip(&bytes) {
        Some(ip) if bytes.len() >= min_len => ip,
        _ => {
            return Err(resolver::resolution_error(
                "getnameinfo",
                GaiError::new(libc::EAI_FAMILY),
            ))
        }
    };
    // A binary String, as the stdlib's.
    Ok((
        ip.port(),
        ruby.str_from_slice(sockaddr::ip_text(&ip).as_bytes()),
    ))
}

fn s_pack_sockaddr_un(ruby: &Ruby, path: RString) -> Result<RString, Error> {
    match sockaddr::pack_un(unsafe { path.as_slice() }) {
        Ok(bytes) => Ok(ruby.str_from_slice(&bytes)),
        Err(len) => Err(errors::arg_error(format!(
            "too long unix socket path ({len} bytes given but {} bytes max)",
            sockaddr::SUN_PATH_MAX
        ))),
    }
}

fn s_unpack_sockaddr_un(ruby: &Ruby, addr: Value) -> Result<RString, Error> {
    let bytes = objects::sockaddr_bytes(addr)?;
    match sockaddr::family(&bytes) {
        None => Err(errors::arg_error("too short sockaddr")),
        Some(libc::AF_UNIX) if bytes.len() > sockaddr::SUN_LEN => Err(errors::type_error(format!(
            "too long sockaddr_un - {} longer than {}",
            bytes.len(),
            sockaddr::SUN_LEN
        ))),
        Some(libc::AF_UNIX) => {
            Ok(ruby.str_from_slice(sockaddr::unpack_un(&bytes).unwrap_or_default()))
        }
        Some(_) => Err(errors::arg_error("not an AF_UNIX sockaddr")),
    }
}

fn s_gethostname(ruby: &Ruby) -> Result<RString, Error> {
    let mut buf = vec![0u8; 256];
    loop {
        if unsafe { libc::gethostname(buf.as_mut_ptr() as *mut libc::c_char, buf.len()) } < 0 {
            let e = errors::errno();
            if e == libc::ENAMETOOLONG && buf.len() < 65536 {
                buf.resize(buf.len() * 2, 0);
                continue;
            }
            return Err(errors::syserr(e, "gethostname(3)"));
        }
        let end = buf.iter().position(|&c| c == 0).unwrap_or(buf.len());
        return Ok(ruby.str_from_slice(&buf[..end]));
    }
}

/// Socket.__tcp(host, port, local_host, local_port, connect_timeout,
/// resolv_timeout, fast_fallback): the connected Socket for Socket.tcp.
#[allow(clippy::too_many_arguments)]
fn s_tcp(
    rb_self: RClass,
    host: Value,
    port: Value,
    local_host: Value,
    local_port: Value,
    connect_timeout: Value,
    resolv_timeout: Value,
    fast_fallback: Value,
) -> Result<Value, Error> {
    use crate::glue::connect::{self, Failure};
    let (target, opts) = connect::request(
        host,
        port,
        local_host,
        local_port,
        resolv_timeout,
        connect_timeout,
        fast_fallback,
        false,
    )?;
    let sock = sockio::alloc(rb_self)?;
    match connect::connect(&target, &opts, sock) {
        Ok(_) => Ok(sock),
        Err(Failure::Sys { errno, call, addr }) => Err(errors::syserr(
            errno,
            &format!("{call} for {}", sockaddr::inspect(&addr)),
        )),
        Err(Failure::TimedOut { .. }) => Err(resolver::timeout_error()),
        Err(Failure::NoLocalAddress) => Err(errors::socket_error("no appropriate local address")),
        Err(Failure::Raise(e)) => Err(e),
    }
}

pub fn init(ruby: &Ruby, basic_socket: RClass) -> Result<RClass, Error> {
    let class = ruby.define_class("Socket", basic_socket)?;
    resolution::init(class)?;
    class.define_method("initialize", method!(initialize, -1))?;
    class.define_singleton_method("pair", method!(s_pair, -1))?;
    class.define_singleton_method("socketpair", method!(s_pair, -1))?;
    class.define_method("bind", method!(bind, 1))?;
    class.define_method("listen", method!(sockets::listen, 1))?;
    class.define_method("connect", method!(connect, 1))?;
    class.define_private_method("__connect_nonblock", method!(connect_nonblock, 2))?;
    class.define_method("accept", method!(accept, 0))?;
    class.define_private_method("__accept_nonblock", method!(accept_nonblock, 1))?;
    class.define_method("sysaccept", method!(sysaccept, 0))?;
    class.define_method("recvfrom", method!(recvfrom, -1))?;
    class.define_private_method("__recvfrom_nonblock", method!(recvfrom_nonblock, 4))?;
    class.define_method("ipv6only!", method!(ipv6only, 0))?;
    class.define_singleton_method("pack_sockaddr_in", function!(s_pack_sockaddr_in, 2))?;
    class.define_singleton_method("sockaddr_in", function!(s_pack_sockaddr_in, 2))?;
    class.define_singleton_method("unpack_sockaddr_in", function!(s_unpack_sockaddr_in, 1))?;
    class.define_singleton_method("pack_sockaddr_un", function!(s_pack_sockaddr_un, 1))?;
    class.define_singleton_method("sockaddr_un", function!(s_pack_sockaddr_un, 1))?;
    class.define_singleton_method("unpack_sockaddr_un", function!(s_unpack_sockaddr_un, 1))?;
    class.define_singleton_method("gethostname", function!(s_gethostname, 0))?;
    class.define_singleton_method("__tcp", method!(s_tcp, 7))?;
    Ok(class)
}
