//! BasicSocket: what every socket can do. The instance is a real IO; each
//! method borrows its fd (sockio::fd) and blocks only through wait::blocking.

use magnus::{
    function, method,
    prelude::*,
    rb_sys::{AsRawValue, FromRawValue},
    value::LazyId,
    Error, RClass, RString, Ruby, Value,
};
use std::os::fd::{FromRawFd, OwnedFd, RawFd};

use crate::glue::errors::{self, Direction};
pub mod msg;

use crate::glue::objects;
use crate::glue::sockets;
use crate::sys::fd;
use crate::sys::sockaddr::{self, SockAddr};
use crate::{glue::args, glue::ruby_version, glue::sockio, glue::wait};

fn s_do_not_reverse_lookup() -> bool {
    sockets::default_do_not_reverse_lookup()
}

fn s_set_do_not_reverse_lookup(val: Value) -> Value {
    sockets::set_default_do_not_reverse_lookup(val.to_bool());
    val
}

pub fn do_not_reverse_lookup(rb_self: Value) -> Result<bool, Error> {
    Ok(sockio::mode(rb_self)? & sockio::FMODE_NOREVLOOKUP != 0)
}

fn set_do_not_reverse_lookup(rb_self: Value, val: Value) -> Result<Value, Error> {
    sockio::set_mode_flag(rb_self, sockio::FMODE_NOREVLOOKUP, val.to_bool())?;
    Ok(val)
}

/// BasicSocket.for_fd(fd): wraps an existing socket fd in an instance of self.
fn s_for_fd(rb_self: RClass, fd: i32) -> Result<Value, Error> {
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    if unsafe { libc::fstat(fd, &mut st) } < 0 {
        return Err(errors::last_syserr("fstat(2)"));
    }
    if st.st_mode & libc::S_IFMT != libc::S_IFSOCK {
        return Err(errors::syserr(libc::EBADF, "not a socket file descriptor"));
    }
    // The IO takes ownership of the fd, as the stdlib's for_fd does.
    sockio::wrap(rb_self, unsafe { OwnedFd::from_raw_fd(fd) })
}

fn close_half(rb_self: Value, how: i32, keep: u32) -> Result<Value, Error> {
    let other_open = sockio::mode(rb_self)? as u32 & keep != 0;
    if !other_open {
        // Nothing left open after this half: close the IO entirely.
        let raw = rb_self.as_raw();
        return magnus::rb_sys::protect(|| unsafe { rb_sys::rb_io_close(raw) })
            .map(|v| unsafe { Value::from_raw(v) });
    }
    unsafe { libc::shutdown(sockio::fd(rb_self)?, how) };
    sockio::set_mode_flag(rb_self, (rb_sys::FMODE_READWRITE & !keep) as i32, false)?;
    Ok(Ruby::get_with(rb_self).qnil().as_value())
}

fn close_read(rb_self: Value) -> Result<Value, Error> {
    close_half(rb_self, libc::SHUT_RD, rb_sys::FMODE_WRITABLE)
}

fn close_write(rb_self: Value) -> Result<Value, Error> {
    close_half(rb_self, libc::SHUT_WR, rb_sys::FMODE_READABLE)
}

fn shutdown(rb_self: Value, args: &[Value]) -> Result<i32, Error> {
    args::check_arity(args.len(), 0, 1)?;
    let how = match args::optional(args, 0) {
        Some(v) => args::shutdown_how(v)?,
        None => libc::SHUT_RDWR,
    };
    let fd = sockio::fd(rb_self)?;
    if unsafe { libc::shutdown(fd, how) } < 0 {
        return Err(errors::last_syserr("shutdown(2)"));
    }
    Ok(0)
}

fn getsockopt(ruby: &Ruby, rb_self: Value, level: Value, optname: Value) -> Result<Value, Error> {
    let family = sockets::socket_family(rb_self)?;
    let level = args::level(family, level)?;
    let optname = args::optname(family, level, optname)?;
    let fd = sockio::fd(rb_self)?;
    let mut buf = [0u8; 256];
    let mut len = buf.len() as libc::socklen_t;
    let r = unsafe {
        libc::getsockopt(
            fd,
            level,
            optname,
            buf.as_mut_ptr() as *mut libc::c_void,
            &mut len,
        )
    };
    if r < 0 {
        return Err(errors::last_syserr("getsockopt(2)"));
    }
    objects::new_option(ruby, family, level, optname, &buf[..len as usize])
}

fn setsockopt(rb_self: Value, args: &[Value]) -> Result<i32, Error> {
    // One argument is an option object: its level/optname/data go through the
    // same name resolution and value rules as the three-argument form.
    let (level, optname, val) = match args {
        [opt] => objects::option_values(*opt)?,
        [level, optname, val] => (*level, *optname, *val),
        _ => {
            return Err(errors::arg_error(format!(
                "wrong number of arguments (given {}, expected 3)",
                args.len()
            )))
        }
    };
    let family = sockets::socket_family(rb_self)?;
    let level = args::level(family, level)?;
    let optname = args::optname(family, level, optname)?;
    let value = OptionValue::new(val)?;
    let fd = sockio::fd(rb_self)?;
    let data = value.bytes();
    let r = unsafe {
        libc::setsockopt(
            fd,
            level,
            optname,
            data.as_ptr() as *const libc::c_void,
            data.len() as libc::socklen_t,
        )
    };
    if r < 0 {
        return Err(errors::last_syserr("setsockopt(2)"));
    }
    Ok(0)
}

/// setsockopt's value: Integer as an int, true/false as 1/0, else String bytes.
enum OptionValue {
    Int([u8; 4]),
    Bytes(RString),
}

impl OptionValue {
    fn new(val: Value) -> Result<Self, Error> {
        let ruby = Ruby::get_with(val);
        let int = |i: i32| Ok(OptionValue::Int(i.to_ne_bytes()));
        if val.as_raw() == ruby.qtrue().as_raw() {
            return int(1);
        }
        if val.as_raw() == ruby.qfalse().as_raw() {
            return int(0);
        }
        if magnus::Fixnum::from_value(val).is_some() || val.is_kind_of(ruby.class_integer()) {
            return int(args::num2int(val)?);
        }
        Ok(OptionValue::Bytes(RString::try_convert(val)?))
    }

    /// The bytes to pass. No Ruby code may run while they are borrowed.
    fn bytes(&self) -> &[u8] {
        match self {
            OptionValue::Int(b) => b,
            OptionValue::Bytes(s) => unsafe { s.as_slice() },
        }
    }
}

pub fn name_of(rb_self: Value, peer: bool) -> Result<SockAddr, Error> {
    let fd = sockio::fd(rb_self)?;
    let mut sa = SockAddr::buffer();
    let r = unsafe {
        if peer {
            libc::getpeername(fd, sa.as_mut_ptr(), sa.len_mut())
        } else {
            libc::getsockname(fd, sa.as_mut_ptr(), sa.len_mut())
        }
    };
    if r < 0 {
        return Err(errors::last_syserr(if peer {
            "getpeername(2)"
        } else {
            "getsockname(2)"
        }));
    }
    Ok(sa)
}

fn getsockname(ruby: &Ruby, rb_self: Value) -> Result<RString, Error> {
    Ok(ruby.str_from_slice(name_of(rb_self, false)?.as_bytes()))
}

fn getpeername(ruby: &Ruby, rb_self: Value) -> Result<RString, Error> {
    Ok(ruby.str_from_slice(name_of(rb_self, true)?.as_bytes()))
}

fn getpeereid(rb_self: Value) -> Result<(u32, u32), Error> {
    let fd = sockio::fd(rb_self)?;
    let mut cred: libc::ucred = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of::<libc::ucred>() as libc::socklen_t;
    let r = unsafe {
        libc::getsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_PEERCRED,
            &mut cred as *mut _ as *mut libc::c_void,
            &mut len,
        )
    };
    if r < 0 {
        return Err(errors::last_syserr("getsockopt(SO_PEERCRED)"));
    }
    Ok((cred.uid, cred.gid))
}

/// An Addrinfo for an address of this socket: family from the sockaddr,
/// socket type from SO_TYPE, protocol 0, as the stdlib builds them.
pub fn socket_addrinfo(fd: RawFd, bytes: &[u8]) -> Result<Value, Error> {
    let socktype = fd::getsockopt_int(fd, libc::SOL_SOCKET, libc::SO_TYPE)
        .map_err(|e| errors::syserr(e, "getsockopt(SO_TYPE)"))?;
    let family = if bytes.len() >= 2 {
        sockaddr::family(bytes).unwrap_or(0)
    } else {
        libc::AF_UNSPEC
    };
    objects::new_addrinfo(bytes, family, socktype, 0)
}

fn local_address(rb_self: Value) -> Result<Value, Error> {
    let sa = name_of(rb_self, false)?;
    socket_addrinfo(sockio::fd(rb_self)?, sa.as_bytes())
}

fn remote_address(rb_self: Value) -> Result<Value, Error> {
    let sa = name_of(rb_self, true)?;
    socket_addrinfo(sockio::fd(rb_self)?, sa.as_bytes())
}

/// The address to connect to for reaching this (listening) socket: its local
/// address with a wildcard host replaced by loopback.
fn connect_address(rb_self: Value) -> Result<Value, Error> {
    let sa = name_of(rb_self, false)?;
    let bytes = sa.as_bytes();
    let fixed = match sockaddr::unpack_ip(bytes) {
        Some(sockaddr::Ip::V4(ip, port)) => {
            if port == 0 {
                return Err(errors::socket_error("unbound IPv4 socket"));
            }
            ip.is_unspecified()
                .then(|| sockaddr::pack_v4(port, std::net::Ipv4Addr::LOCALHOST).to_vec())
        }
        Some(sockaddr::Ip::V6(ip, port, _)) => {
            if port == 0 {
                return Err(errors::socket_error("unbound IPv6 socket"));
            }
            ip.is_unspecified()
                .then(|| sockaddr::pack_v6(port, std::net::Ipv6Addr::LOCALHOST, 0, 0).to_vec())
        }
        None => {
            if sockaddr::unpack_un(bytes).is_some_and(|p| p.is_empty()) {
                return Err(errors::socket_error("unbound Unix socket"));
            }
            None
        }
    };
    socket_addrinfo(sockio::fd(rb_self)?, fixed.as_deref().unwrap_or(bytes))
}

/// send(mesg, flags [, dest_sockaddr]).
pub fn send(rb_self: Value, args: &[Value]) -> Result<isize, Error> {
    args::check_arity(args.len(), 2, 3)?;
    let mesg = RString::try_convert(args[0])?;
    let flags: i32 = args::num2int(args[1])?;
    let dest = match args::optional(args, 2) {
        Some(d) => Some(sockets::sockaddr_arg(d)?),
        None => None,
    };
    let msg = || {
        if dest.is_some() {
            "sendto(2)".to_owned()
        } else {
            "send(2)".to_owned()
        }
    };
    sockio::flush_write_buffer(rb_self)?;
    // Where the send runs without the GVL, other threads may change `mesg`
    // meanwhile: send a frozen copy (a frozen String is used as it is).
    let mut release = wait::io_releases_gvl();
    let mesg = if release && !mesg.is_frozen() {
        let raw = mesg.as_raw();
        let frozen = magnus::rb_sys::protect(|| unsafe { rb_sys::rb_str_new_frozen(raw) })?;
        RString::from_value(unsafe { Value::from_raw(frozen) }).unwrap_or_else(|| {
            release = false;
            mesg
        })
    } else {
        mesg
    };
    wait::blocking_io(rb_self, Direction::Writable, &msg, release, |fd| {
        // The string may change while we wait: take its bytes on each try.
        let data = unsafe { mesg.as_slice() };
        let flags = flags | libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL;
        let n = unsafe {
            match &dest {
                Some(sa) => libc::sendto(
                    fd,
                    data.as_ptr() as *const _,
                    data.len(),
                    flags,
                    sa.as_ptr(),
                    sa.len(),
                ),
                None => libc::send(fd, data.as_ptr() as *const _, data.len(), flags),
            }
        };
        if n < 0 {
            Err(errors::errno())
        } else {
            Ok(n)
        }
    })
}

/// What a receive call got.
pub enum Received {
    /// The data (a String; nil at end of stream) and the sender's address.
    Data(Value, SockAddr),
    /// Nothing ready and the caller asked for `exception: false`.
    WouldBlock,
}

/// A String to receive up to `len` bytes into: the caller's `outbuf`
/// (made mutable, with room for `len` bytes but its contents untouched until
/// data arrives, as the stdlib leaves it on EAGAIN), or a new binary string.
struct RecvBuf {
    value: rb_sys::VALUE,
    fresh: bool,
}

impl RecvBuf {
    fn new(outbuf: Option<Value>, len: usize) -> Result<Self, Error> {
        match outbuf {
            Some(buf) if !buf.is_nil() => {
                let s = RString::try_convert(buf)?;
                let (raw, cur) = (s.as_raw(), s.len());
                magnus::rb_sys::protect(|| unsafe {
                    if len > cur {
                        rb_sys::rb_str_modify_expand(raw, (len - cur) as libc::c_long);
                    } else {
                        rb_sys::rb_str_modify(raw);
                    }
                    raw
                })?;
                Ok(RecvBuf {
                    value: raw,
                    fresh: false,
                })
            }
            // Only allocation, which can fail for lack of memory alone: no
            // rb_protect round trip on this per-call path (as magnus allocates).
            _ => Ok(RecvBuf {
                value: unsafe { rb_sys::rb_str_new(std::ptr::null(), len as libc::c_long) },
                fresh: true,
            }),
        }
    }

    /// Where the bytes go (re-read on every try: the string may move meanwhile).
    fn ptr(&self) -> *mut libc::c_void {
        unsafe { rb_sys::RSTRING_PTR(self.value) as *mut libc::c_void }
    }

    /// The String holding the `n` bytes received.
    fn finish(self, n: usize) -> Result<Value, Error> {
        let raw = self.value;
        if self.fresh {
            // Shrinks the allocation when much less arrived than asked for. Our
            // own fresh String: only allocation can fail, as in `new`, so no
            // rb_protect round trip on this per-call path.
            unsafe { rb_sys::rb_str_resize(raw, n as libc::c_long) };
        } else {
            unsafe { rb_sys::rb_str_set_len(raw, n as libc::c_long) };
        }
        Ok(unsafe { Value::from_raw(raw) })
    }
}

/// The one receive path: recv/recvfrom/read_nonblock for every class.
/// `what` names the call in buffered-IO errors ("recv" or "recvfrom").
pub fn receive(
    rb_self: Value,
    len: Value,
    flags: Option<Value>,
    outbuf: Option<Value>,
    mode: sockets::Mode,
    what: &str,
) -> Result<Received, Error> {
    // NUM2LONG, for its messages ("no implicit conversion from nil to integer").
    let len = match magnus::Fixnum::from_value(len) {
        Some(f) => f.to_i64(),
        None => {
            let raw_len = len.as_raw();
            magnus::rb_sys::protect(|| unsafe { rb_sys::rb_num2long(raw_len) as rb_sys::VALUE })?
                as i64
        }
    };
    if len < 0 {
        return Err(errors::arg_error("negative string size (or size too big)"));
    }
    let flags: i32 = match flags {
        Some(f) if !f.is_nil() => args::num2int(f)?,
        _ => 0,
    };
    if sockio::read_pending(rb_self)? {
        let ruby = Ruby::get_with(rb_self);
        return Err(Error::new(
            ruby.exception_io_error(),
            format!("{what} for buffered IO"),
        ));
    }
    let len = len as usize;
    let buf = RecvBuf::new(outbuf, len)?;
    let mut sa = SockAddr::buffer();
    let attempt = |fd: RawFd, sa: &mut SockAddr| -> Result<usize, i32> {
        sa.reset();
        let ptr = buf.ptr();
        let n = unsafe {
            libc::recvfrom(
                fd,
                ptr,
                len,
                flags | libc::MSG_DONTWAIT,
                sa.as_mut_ptr(),
                sa.len_mut(),
            )
        };
        if n < 0 {
            Err(errors::errno())
        } else {
            Ok(n as usize)
        }
    };
    let n = match mode {
        sockets::Mode::Blocking => {
            // recv(0) still waits for something to read (and takes a datagram), as the stdlib.
            if len == 0 {
                wait::wait_for(rb_self, Direction::Readable, libc::EAGAIN)?;
            }
            // Only into our own new String: no other thread can reach it.
            let release = buf.fresh && wait::io_releases_gvl();
            wait::blocking_io(
                rb_self,
                Direction::Readable,
                &|| "recvfrom(2)".to_owned(),
                release,
                |fd| attempt(fd, &mut sa),
            )?
        }
        sockets::Mode::NonBlocking { exception } => match attempt(sockio::fd(rb_self)?, &mut sa) {
            Ok(n) => n,
            Err(e) if errors::is_would_block(e) => {
                if !exception {
                    return Ok(Received::WouldBlock);
                }
                return Err(errors::would_block(
                    Direction::Readable,
                    e,
                    "recvfrom(2) would block",
                ));
            }
            Err(e) => return Err(errors::syserr(e, "recvfrom(2)")),
        },
    };
    let data = buf.finish(n)?;
    // Nothing read from a stream (its end, or a zero length): nil from Ruby 3.3
    // on, "" before. Datagrams may be empty.
    if ruby_version::NIL_AT_END_OF_STREAM && n == 0 {
        let fd = sockio::fd(rb_self)?;
        if fd::getsockopt_int(fd, libc::SOL_SOCKET, libc::SO_TYPE) != Ok(libc::SOCK_DGRAM) {
            return Ok(Received::Data(
                Ruby::get_with(rb_self).qnil().as_value(),
                sa,
            ));
        }
    }
    Ok(Received::Data(data, sa))
}

/// :wait_readable, interned once (the `exception: false` answer is a hot path).
pub fn wait_readable_symbol(ruby: &Ruby) -> Value {
    static WAIT_READABLE: LazyId = LazyId::new("wait_readable");
    magnus::StaticSymbol::from(LazyId::get_inner_with(&WAIT_READABLE, ruby)).as_value()
}

/// :wait_writable, likewise.
pub fn wait_writable_symbol(ruby: &Ruby) -> Value {
    static WAIT_WRITABLE: LazyId = LazyId::new("wait_writable");
    magnus::StaticSymbol::from(LazyId::get_inner_with(&WAIT_WRITABLE, ruby)).as_value()
}

fn recv(rb_self: Value, args: &[Value]) -> Result<Value, Error> {
    args::check_arity(args.len(), 1, 3)?;
    let (flags, outbuf) = (args.get(1).copied(), args.get(2).copied());
    match receive(
        rb_self,
        args[0],
        flags,
        outbuf,
        sockets::Mode::Blocking,
        "recv",
    )? {
        Received::Data(s, _) => Ok(s),
        Received::WouldBlock => Ok(wait_readable_symbol(&Ruby::get_with(rb_self))),
    }
}

/// The non-blocking receive behind every `__recv*_nonblock(len, flags,
/// outbuf, exception)`: the Ruby layer turns the keyword into `exception`.
pub fn receive_nonblock(
    rb_self: Value,
    len: Value,
    flags: Value,
    outbuf: Value,
    exception: Value,
) -> Result<Received, Error> {
    let mode = sockets::Mode::NonBlocking {
        exception: exception.to_bool(),
    };
    receive(rb_self, len, Some(flags), Some(outbuf), mode, "recvfrom")
}

/// __recv_nonblock(len, flags, outbuf, exception)
fn recv_nonblock(
    rb_self: Value,
    len: Value,
    flags: Value,
    outbuf: Value,
    exception: Value,
) -> Result<Value, Error> {
    match receive_nonblock(rb_self, len, flags, outbuf, exception)? {
        Received::Data(s, _) => Ok(s),
        Received::WouldBlock => Ok(wait_readable_symbol(&Ruby::get_with(rb_self))),
    }
}

/// __read_nonblock(len, outbuf, exception): read(2) straight from the socket,
/// or IO#read_nonblock when Ruby's buffer already holds data.
fn read_nonblock(
    rb_self: Value,
    len: Value,
    outbuf: Value,
    exception: Value,
) -> Result<Value, Error> {
    let ruby = Ruby::get_with(rb_self);
    if sockio::read_pending(rb_self)? {
        let io_read_nonblock: Value = ruby
            .class_io()
            .funcall("instance_method", (ruby.to_symbol("read_nonblock"),))?;
        let kw = ruby.hash_new();
        kw.aset(ruby.to_symbol("exception"), exception)?;
        return io_read_nonblock.funcall("bind_call", (rb_self, len, outbuf, magnus::KwArgs(kw)));
    }
    let n: i64 = i64::try_convert(len)?;
    if n < 0 {
        return Err(errors::arg_error("negative string size (or size too big)"));
    }
    let buf = RecvBuf::new(Some(outbuf), n as usize)?;
    if n == 0 {
        return buf.finish(0);
    }
    let fd = sockio::fd(rb_self)?;
    // recv(2) with MSG_DONTWAIT, not read(2): never blocks, whatever O_NONBLOCK says.
    let got = unsafe { libc::recv(fd, buf.ptr(), n as usize, libc::MSG_DONTWAIT) };
    if got < 0 {
        // The caller's buffer is left as it was.
        let e = errors::errno();
        if errors::is_would_block(e) {
            if !exception.to_bool() {
                return Ok(wait_readable_symbol(&ruby));
            }
            return Err(errors::would_block(
                Direction::Readable,
                e,
                "read would block",
            ));
        }
        return Err(errors::syserr(e, ""));
    }
    let data = buf.finish(got as usize)?;
    if got == 0 {
        if !exception.to_bool() {
            return Ok(ruby.qnil().as_value());
        }
        return Err(Error::new(
            ruby.exception_eof_error(),
            "end of file reached",
        ));
    }
    Ok(data)
}

/// __write_nonblock(buf, exception): one write(2), never waiting.
fn write_nonblock(rb_self: Value, buf: Value, exception: Value) -> Result<Value, Error> {
    let ruby = Ruby::get_with(rb_self);
    let s: RString = match RString::from_value(buf) {
        Some(s) => s,
        None => buf.funcall("to_s", ())?,
    };
    sockio::flush_write_buffer(rb_self)?;
    let fd = sockio::fd(rb_self)?;
    let data = unsafe { s.as_slice() };
    let n = unsafe {
        libc::send(
            fd,
            data.as_ptr() as *const libc::c_void,
            data.len(),
            libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL,
        )
    };
    if n < 0 {
        let e = errors::errno();
        if errors::is_would_block(e) {
            if !exception.to_bool() {
                return Ok(wait_writable_symbol(&ruby));
            }
            return Err(errors::would_block(
                Direction::Writable,
                e,
                "write would block",
            ));
        }
        return Err(errors::syserr(e, ""));
    }
    Ok(ruby.integer_from_i64(n as i64).as_value())
}

pub fn init(ruby: &Ruby) -> Result<RClass, Error> {
    let class = ruby.define_class("BasicSocket", ruby.class_io())?;
    msg::init(ruby, class)?;
    class.define_singleton_method(
        "do_not_reverse_lookup",
        function!(s_do_not_reverse_lookup, 0),
    )?;
    class.define_singleton_method(
        "do_not_reverse_lookup=",
        function!(s_set_do_not_reverse_lookup, 1),
    )?;
    class.define_singleton_method("for_fd", method!(s_for_fd, 1))?;
    class.define_method("do_not_reverse_lookup", method!(do_not_reverse_lookup, 0))?;
    class.define_method(
        "do_not_reverse_lookup=",
        method!(set_do_not_reverse_lookup, 1),
    )?;
    class.define_method("close_read", method!(close_read, 0))?;
    class.define_method("close_write", method!(close_write, 0))?;
    class.define_method("shutdown", method!(shutdown, -1))?;
    class.define_method("getsockopt", method!(getsockopt, 2))?;
    class.define_method("setsockopt", method!(setsockopt, -1))?;
    class.define_method("getsockname", method!(getsockname, 0))?;
    class.define_method("getpeername", method!(getpeername, 0))?;
    class.define_method("getpeereid", method!(getpeereid, 0))?;
    class.define_method("local_address", method!(local_address, 0))?;
    class.define_method("remote_address", method!(remote_address, 0))?;
    class.define_method("connect_address", method!(connect_address, 0))?;
    class.define_method("send", method!(send, -1))?;
    class.define_method("recv", method!(recv, -1))?;
    class.define_private_method("__recv_nonblock", method!(recv_nonblock, 4))?;
    class.define_private_method("__read_nonblock", method!(read_nonblock, 3))?;
    class.define_private_method("__write_nonblock", method!(write_nonblock, 2))?;
    Ok(class)
}
