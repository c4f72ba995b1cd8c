//! UNIXSocket: a connected AF_UNIX socket (UNIXSocket.new, .pair), its
//! path and addresses, recvfrom, and passing file descriptors (send_io,
//! recv_io). The path the stdlib remembers (IO#path, IO#inspect) is kept in
//! the IO's own path slot, as the stdlib does.

use magnus::{
    method,
    prelude::*,
    rb_sys::{AsRawValue, FromRawValue},
    value::{Lazy, LazyId},
    Error, RClass, RModule, RString, Ruby, Value,
};
use std::os::fd::RawFd;

use crate::glue::errors;
use crate::glue::sockets::{self, Mode};
use crate::ruby_api::basic_socket::msg;
use crate::ruby_api::basic_socket::{self, Received};
use crate::sys::cmsg::{self, ControlBuf};
use crate::sys::sockaddr::{self, SockAddr};
use crate::{glue::args, glue::sockio};

/// ::UNIXSocket, defined by `init` before any method can run.
pub static UNIX_SOCKET: Lazy<RClass> = Lazy::new(|ruby| {
    ruby.class_object()
        .const_get("UNIXSocket")
        .unwrap_or_else(|_| ruby.class_object())
});

/// The path argument as the stdlib takes it: an abstract name (a String
/// starting with NUL) as is, anything else through FilePathValue (to_path,
/// to_str, no NUL bytes, ASCII-compatible encoding).
pub fn path_arg(v: Value) -> Result<RString, Error> {
    if let Some(s) = RString::from_value(v) {
        if unsafe { s.as_slice() }.first() == Some(&0) {
            return Ok(s);
        }
    }
    let raw = v.as_raw();
    let p = magnus::rb_sys::protect(|| unsafe { rb_sys::rb_get_path(raw) })?;
    RString::from_value(unsafe { Value::from_raw(p) })
        .ok_or_else(|| errors::type_error("path expected"))
}

/// A sockaddr_un for `path`; the stdlib's ArgumentError when too long.
pub fn path_sockaddr(path: RString) -> Result<SockAddr, Error> {
    let bytes = unsafe { path.as_slice() };
    let packed = sockaddr::pack_un(bytes).map_err(|len| {
        errors::arg_error(format!(
            "too long unix socket path ({len}bytes given but {}bytes max)",
            sockaddr::SUN_PATH_MAX
        ))
    })?;
    SockAddr::from_bytes(&packed).ok_or_else(|| errors::arg_error("sockaddr length too big"))
}

/// "<call> for <path>", the path escaped as the stdlib prints it (the Ruby
/// layer knows every encoding's printable characters).
pub fn path_message(call: &str, path: Value) -> String {
    let ruby = Ruby::get_with(path);
    let text = ruby
        .class_object()
        .const_get::<_, RModule>("SocketRs")
        .and_then(|m| m.funcall::<_, _, RString>("unix_path_text", (path,)))
        .map(|s| unsafe { s.as_slice() }.to_vec())
        .unwrap_or_default();
    format!("{call} for {}", String::from_utf8_lossy(&text))
}

/// Re-raises an Errno from a call on `path` with the stdlib's message.
pub fn path_error(e: Error, call: &str, path: Value) -> Error {
    let errno = e
        .value()
        .and_then(|exc| exc.funcall::<_, _, Option<i32>>("errno", ()).ok().flatten());
    match errno {
        Some(n) => errors::syserr(n, &path_message(call, path)),
        None => e,
    }
}

/// The path in an AF_UNIX sockaddr ("" for anything else).
fn unix_path(ruby: &Ruby, bytes: &[u8]) -> RString {
    ruby.str_from_slice(sockaddr::unpack_un(bytes).unwrap_or(b""))
}

fn initialize(rb_self: Value, path: Value) -> Result<(), Error> {
    let path = path_arg(path)?;
    let sa = path_sockaddr(path)?;
    sockio::attach(
        rb_self,
        sockets::new_fd(libc::AF_UNIX, libc::SOCK_STREAM, 0)?,
    )?;
    sockets::connect_blocking(rb_self, &sa).map_err(|e| {
        // Like the stdlib, a failed new leaves no open fd behind.
        let _ = rb_self.funcall::<_, _, Value>("close", ());
        path_error(e, "connect(2)", path.as_value())
    })
}

/// UNIXSocket.pair / socketpair(type = :STREAM, protocol = 0).
fn s_pair(rb_self: RClass, argv: &[Value]) -> Result<Value, Error> {
    args::check_arity(argv.len(), 0, 2)?;
    let socktype = match args::optional(argv, 0) {
        Some(t) => args::socktype(t)?,
        None => libc::SOCK_STREAM,
    };
    let protocol = match args::optional(argv, 1) {
        Some(p) => args::num2int(p)?,
        None => 0,
    };
    sockets::pair(rb_self, libc::AF_UNIX, socktype, protocol)
}

fn path(ruby: &Ruby, rb_self: Value) -> Result<RString, Error> {
    let p = match sockio::path(rb_self)? {
        Some(p) => p,
        None => {
            let sa = basic_socket::name_of(rb_self, false)?;
            let p = unix_path(ruby, sa.as_bytes());
            sockio::set_path(rb_self, p.as_value())?;
            sockio::path(rb_self)?.unwrap_or(p.as_value())
        }
    };
    let raw = p.as_raw();
    let dup = magnus::rb_sys::protect(|| unsafe { rb_sys::rb_str_dup(raw) })?;
    RString::from_value(unsafe { Value::from_raw(dup) })
        .ok_or_else(|| errors::type_error("path expected"))
}

/// getsockname/getpeername, failing with "... for <path>" once a path is known.
fn name(rb_self: Value, peer: bool) -> Result<SockAddr, Error> {
    basic_socket::name_of(rb_self, peer).map_err(|e| match sockio::path(rb_self) {
        Ok(Some(p)) => {
            let call = if peer {
                "getpeername(2)"
            } else {
                "getsockname(2)"
            };
            path_error(e, call, p)
        }
        _ => e,
    })
}

fn unix_addr(ruby: &Ruby, bytes: &[u8]) -> Value {
    ruby.ary_new_from_values(&[
        ruby.str_from_slice(b"AF_UNIX").as_value(),
        unix_path(ruby, bytes).as_value(),
    ])
    .as_value()
}

fn addr(ruby: &Ruby, rb_self: Value) -> Result<Value, Error> {
    Ok(unix_addr(ruby, name(rb_self, false)?.as_bytes()))
}

fn peeraddr(ruby: &Ruby, rb_self: Value) -> Result<Value, Error> {
    Ok(unix_addr(ruby, name(rb_self, true)?.as_bytes()))
}

/// recvfrom(len, flags = 0, outbuf = nil) -> [data, ["AF_UNIX", path]]
fn recvfrom(ruby: &Ruby, rb_self: Value, argv: &[Value]) -> Result<Value, Error> {
    args::check_arity(argv.len(), 1, 3)?;
    let got = basic_socket::receive(
        rb_self,
        argv[0],
        argv.get(1).copied(),
        argv.get(2).copied(),
        Mode::Blocking,
        "recv",
    )?;
    match got {
        Received::WouldBlock => Ok(basic_socket::wait_readable_symbol(ruby)),
        // Ruby 3.3+: nil at the end of a stream.
        Received::Data(s, _) if s.is_nil() => Ok(s),
        Received::Data(s, sa) => Ok(ruby
            .ary_new_from_values(&[s, unix_addr(ruby, sa.as_bytes())])
            .as_value()),
    }
}

/// send_io(io_or_fd): one byte carrying the fd in SCM_RIGHTS.
fn send_io(ruby: &Ruby, rb_self: Value, io: Value) -> Result<Value, Error> {
    let is_file = unsafe { rb_sys::RB_TYPE_P(io.as_raw(), rb_sys::ruby_value_type::RUBY_T_FILE) };
    let fd = if is_file {
        sockio::fd(io)?
    } else if io.is_kind_of(ruby.class_integer()) {
        args::num2int(io)?
    } else {
        return Err(errors::type_error("neither IO nor file descriptor"));
    };
    let mut control = ControlBuf::encode(&[(libc::SOL_SOCKET, libc::SCM_RIGHTS, fd.to_ne_bytes())]);
    msg::send_raw(
        rb_self,
        ruby.get_inner(&ONE_NUL),
        0,
        None,
        &mut control,
        Mode::Blocking,
    )?;
    Ok(ruby.qnil().as_value())
}

/// What send_io sends beside the fd: one NUL byte (frozen, made once).
static ONE_NUL: Lazy<RString> = Lazy::new(|ruby| {
    let s = ruby.str_from_slice(&[0]);
    s.freeze();
    s
});

static FOR_FD: LazyId = LazyId::new("for_fd");

fn not_passed(detail: String) -> Error {
    errors::socket_error(format!("file descriptor was not passed ({detail})"))
}

/// recv_io(klass = IO, mode = nil): the passed fd as klass.for_fd(fd[, mode]),
/// or the Integer fd when klass is nil.
fn recv_io(ruby: &Ruby, rb_self: Value, argv: &[Value]) -> Result<Value, Error> {
    args::check_arity(argv.len(), 0, 2)?;
    let klass = argv.first().copied().unwrap_or(ruby.class_io().as_value());
    let mode = args::optional(argv, 1);
    let clen = cmsg::space(std::mem::size_of::<libc::c_int>());
    let m = msg::recv_raw(rb_self, 1, clen, 0, Mode::Blocking)?
        .ok_or_else(|| errors::socket_error("recvmsg(2) would block"))?;
    let first = cmsg::parse(m.control.bytes()).next();
    let want_len = cmsg::HDR_LEN + std::mem::size_of::<libc::c_int>();
    let check = || -> Result<RawFd, Error> {
        let Some(c) = &first else {
            return Err(not_passed(format!(
                "msg_controllen={} smaller than sizeof(struct cmsghdr)={}",
                m.control.len(),
                cmsg::HDR_LEN
            )));
        };
        if c.level != libc::SOL_SOCKET {
            return Err(not_passed(format!(
                "cmsg_level={}, {} expected",
                c.level,
                libc::SOL_SOCKET
            )));
        }
        if c.ctype != libc::SCM_RIGHTS {
            return Err(not_passed(format!(
                "cmsg_type={}, {} expected",
                c.ctype,
                libc::SCM_RIGHTS
            )));
        }
        let got_len = cmsg::HDR_LEN + c.data.len();
        if got_len != want_len {
            return Err(not_passed(format!(
                "cmsg_len={got_len}, {want_len} expected"
            )));
        }
        Ok(c.fds().next().unwrap_or(-1))
    };
    let fd = match check() {
        Ok(fd) => fd,
        Err(e) => {
            m.discard_fds();
            return Err(e);
        }
    };
    if let Err(e) = sockio::update_max_fd(fd) {
        unsafe { libc::close(fd) };
        return Err(e);
    }
    if klass.is_nil() {
        return Ok(ruby.integer_from_i64(fd as i64).as_value());
    }
    let made = match mode {
        Some(mode) => klass.funcall(*FOR_FD, (fd, mode)),
        None => klass.funcall(*FOR_FD, (fd,)),
    };
    if made.is_err() {
        // Nothing took the fd: close it rather than leak it.
        unsafe { libc::close(fd) };
    }
    made
}

pub fn init(ruby: &Ruby, basic_socket: RClass) -> Result<RClass, Error> {
    let class = ruby.define_class("UNIXSocket", basic_socket)?;
    class.define_method("initialize", method!(initialize, 1))?;
    class.define_singleton_method("pair", method!(s_pair, -1))?;
    class.define_singleton_method("socketpair", method!(s_pair, -1))?;
    class.define_method("path", method!(path, 0))?;
    class.define_method("addr", method!(addr, 0))?;
    class.define_method("peeraddr", method!(peeraddr, 0))?;
    class.define_method("recvfrom", method!(recvfrom, -1))?;
    class.define_method("send_io", method!(send_io, 1))?;
    class.define_method("recv_io", method!(recv_io, -1))?;
    Ok(class)
}
