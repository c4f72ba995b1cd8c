//! sendmsg(2)/recvmsg(2): the core every message call uses (BasicSocket#
//! sendmsg/recvmsg and their _nonblock forms, UNIXSocket#send_io/recv_io),
//! blocking only through wait::blocking. Received file descriptors are
//! close-on-exec (MSG_CMSG_CLOEXEC) and never leaked: those the caller does
//! not take are closed.

use magnus::{
    method,
    prelude::*,
    rb_sys::{AsRawValue, FromRawValue},
    scan_args::{get_kwargs, scan_args},
    Error, RArray, RClass, RHash, RString, Ruby, Value,
};
use std::os::fd::RawFd;

use crate::glue::errors::{self, Direction};
use crate::glue::objects;
use crate::glue::sockets::{self, Mode};
use crate::ruby_api::basic_socket;
use crate::sys::cmsg::{self, ControlBuf};
use crate::sys::fd;
use crate::sys::sockaddr::SockAddr;
use crate::{glue::args, glue::ruby_version, glue::sockio, glue::wait};

/// Buffer sizes recvmsg starts from when the caller gives none.
const DEFAULT_LEN: usize = 4096;
/// Control buffers stop growing here (a truncation past it is a full fd table, not a small buffer).
const MAX_CONTROL_LEN: usize = 1 << 20;

/// What one recvmsg(2) returned.
pub struct RawMsg {
    pub data: Vec<u8>,
    pub name: SockAddr,
    pub flags: i32,
    pub control: ControlBuf,
}

impl RawMsg {
    /// Closes the fds this message brought in (it is being dropped or re-read).
    pub fn discard_fds(&self) {
        cmsg::close_fds(self.control.bytes());
    }
}

fn recv_once(fd: RawFd, dlen: usize, clen: usize, flags: i32) -> Result<RawMsg, i32> {
    let mut data = vec![0u8; dlen];
    let mut name = SockAddr::buffer();
    let mut control = ControlBuf::with_len(clen);
    let mut iov = libc::iovec {
        iov_base: data.as_mut_ptr() as *mut libc::c_void,
        iov_len: dlen,
    };
    let mut mh: libc::msghdr = unsafe { std::mem::zeroed() };
    mh.msg_name = name.as_mut_ptr() as *mut libc::c_void;
    mh.msg_namelen = name.len();
    mh.msg_iov = &mut iov;
    mh.msg_iovlen = 1;
    if clen > 0 {
        mh.msg_control = control.as_mut_ptr();
        mh.msg_controllen = clen as _;
    }
    let n = unsafe {
        libc::recvmsg(
            fd,
            &mut mh,
            flags | libc::MSG_DONTWAIT | libc::MSG_CMSG_CLOEXEC,
        )
    };
    if n < 0 {
        return Err(errors::errno());
    }
    *name.len_mut() = mh.msg_namelen;
    data.truncate((n as usize).min(dlen));
    control.truncate(mh.msg_controllen as usize);
    Ok(RawMsg {
        data,
        name,
        flags: mh.msg_flags,
        control,
    })
}

/// One recvmsg, waiting for data in Blocking mode; None when non-blocking
/// with `exception: false` and nothing is ready.
pub fn recv_raw(
    io: Value,
    dlen: usize,
    clen: usize,
    flags: i32,
    mode: Mode,
) -> Result<Option<RawMsg>, Error> {
    match mode {
        Mode::Blocking => {
            wait::blocking(io, Direction::Readable, &|| "recvmsg(2)".to_owned(), |fd| {
                recv_once(fd, dlen, clen, flags)
            })
            .map(Some)
        }
        Mode::NonBlocking { exception } => match recv_once(sockio::fd(io)?, dlen, clen, flags) {
            Ok(m) => Ok(Some(m)),
            Err(e) if errors::is_would_block(e) => {
                if exception {
                    Err(errors::would_block(
                        Direction::Readable,
                        e,
                        "recvmsg(2) would block",
                    ))
                } else {
                    Ok(None)
                }
            }
            Err(e) => Err(errors::syserr(e, "recvmsg(2)")),
        },
    }
}

/// One sendmsg, waiting for room in Blocking mode; None when non-blocking
/// with `exception: false` and the socket is full.
pub fn send_raw(
    io: Value,
    mesg: RString,
    flags: i32,
    dest: Option<&SockAddr>,
    control: &mut ControlBuf,
    mode: Mode,
) -> Result<Option<usize>, Error> {
    sockio::flush_write_buffer(io)?;
    let attempt = |fd: RawFd, control: &mut ControlBuf| -> Result<usize, i32> {
        // The string may change while we wait: take its bytes on each try.
        let data = unsafe { mesg.as_slice() };
        let mut iov = libc::iovec {
            iov_base: data.as_ptr() as *mut libc::c_void,
            iov_len: data.len(),
        };
        let mut mh: libc::msghdr = unsafe { std::mem::zeroed() };
        if let Some(sa) = dest {
            mh.msg_name = sa.as_ptr() as *mut libc::c_void;
            mh.msg_namelen = sa.len();
        }
        mh.msg_iov = &mut iov;
        mh.msg_iovlen = 1;
        if control.len() > 0 {
            mh.msg_control = control.as_mut_ptr();
            mh.msg_controllen = control.len() as _;
        }
        let n = unsafe { libc::sendmsg(fd, &mh, flags | libc::MSG_DONTWAIT | libc::MSG_NOSIGNAL) };
        if n < 0 {
            Err(errors::errno())
        } else {
            Ok(n as usize)
        }
    };
    match mode {
        Mode::Blocking => {
            wait::blocking(io, Direction::Writable, &|| "sendmsg(2)".to_owned(), |fd| {
                attempt(fd, control)
            })
            .map(Some)
        }
        Mode::NonBlocking { exception } => match attempt(sockio::fd(io)?, control) {
            Ok(n) => Ok(Some(n)),
            Err(e) if errors::is_would_block(e) => {
                if exception {
                    Err(errors::would_block(
                        Direction::Writable,
                        e,
                        "sendmsg(2) would block",
                    ))
                } else {
                    Ok(None)
                }
            }
            Err(e) => Err(errors::syserr(e, "sendmsg(2)")),
        },
    }
}

/// A control argument: [level, type, data] or an object answering level,
/// type and data (Socket::AncillaryData); names resolved for the family.
fn control_arg(family: i32, v: Value) -> Result<(i32, i32, Vec<u8>), Error> {
    let raw = v.as_raw();
    let ary = magnus::rb_sys::protect(|| unsafe { rb_sys::rb_check_array_type(raw) })?;
    let ary = unsafe { Value::from_raw(ary) };
    let (level, ctype, data) = match RArray::from_value(ary) {
        Some(a) => {
            if a.len() != 3 {
                return Err(errors::arg_error(
                    "an element of controls should be 3-elements array",
                ));
            }
            (a.entry(0)?, a.entry(1)?, a.entry(2)?)
        }
        None => (
            v.funcall("level", ())?,
            v.funcall("type", ())?,
            v.funcall("data", ())?,
        ),
    };
    let level = args::level(family, level)?;
    let ctype = args::cmsg_type(family, level, ctype)?;
    let data = args::string_value(data)?;
    Ok((level, ctype, unsafe { data.as_slice() }.to_vec()))
}

fn sendmsg_common(
    rb_self: Value,
    mesg: Value,
    flags: Option<Value>,
    dest: Option<Value>,
    controls: &[Value],
    mode: Mode,
) -> Result<Value, Error> {
    let ruby = Ruby::get_with(rb_self);
    let mesg = args::string_value(mesg)?;
    let flags = match flags {
        Some(f) if !f.is_nil() => args::to_int(f)?,
        _ => 0,
    };
    let dest = match dest {
        Some(d) if !d.is_nil() => Some(sockets::sockaddr_arg(d)?),
        _ => None,
    };
    let mut msgs = Vec::with_capacity(controls.len());
    if !controls.is_empty() {
        let family = sockets::socket_family(rb_self)?;
        for &c in controls {
            msgs.push(control_arg(family, c)?);
        }
    }
    let mut control = ControlBuf::encode(&msgs);
    match send_raw(rb_self, mesg, flags, dest.as_ref(), &mut control, mode)? {
        Some(n) => Ok(ruby.integer_from_i64(n as i64).as_value()),
        None => Ok(basic_socket::wait_writable_symbol(&ruby)),
    }
}

/// sendmsg(mesg, flags = 0, dest_sockaddr = nil, *controls)
fn sendmsg(rb_self: Value, argv: &[Value]) -> Result<Value, Error> {
    args::check_arity(argv.len(), 1, usize::MAX)?;
    sendmsg_common(
        rb_self,
        argv[0],
        argv.get(1).copied(),
        argv.get(2).copied(),
        argv.get(3..).unwrap_or(&[]),
        Mode::Blocking,
    )
}

/// __sendmsg_nonblock(mesg, flags, dest_sockaddr, controls, exception)
fn sendmsg_nonblock(
    rb_self: Value,
    mesg: Value,
    flags: Value,
    dest: Value,
    controls: RArray,
    exception: Value,
) -> Result<Value, Error> {
    let controls: Vec<Value> = (0..controls.len())
        .map(|i| controls.entry::<Value>(i as isize))
        .collect::<Result<_, _>>()?;
    sendmsg_common(
        rb_self,
        mesg,
        Some(flags),
        Some(dest),
        &controls,
        Mode::NonBlocking {
            exception: exception.to_bool(),
        },
    )
}

/// A length argument (NUM2SIZET, for its messages; sizes past a long are
/// "negative" as in the stdlib); nil means "grow as needed".
fn length_arg(v: Option<Value>) -> Result<Option<usize>, Error> {
    let Some(v) = v.filter(|v| !v.is_nil()) else {
        return Ok(None);
    };
    let raw = v.as_raw();
    let n = magnus::rb_sys::protect(|| unsafe { rb_sys::rb_num2ull(raw) as rb_sys::VALUE })? as i64;
    if n < 0 {
        return Err(errors::arg_error("negative string size (or size too big)"));
    }
    Ok(Some(n as usize))
}

/// Wraps received fds in IO objects.
fn fdopen(fd: RawFd) -> Result<Value, Error> {
    let io = magnus::rb_sys::protect(|| unsafe {
        rb_sys::rb_io_fdopen(fd, libc::O_RDWR, std::ptr::null())
    })?;
    Ok(unsafe { Value::from_raw(io) })
}

/// [mesg, sender_addrinfo, rflags, *controls] of a received message. Every
/// fd in it ends up in an IO (scm_rights) or closed, even on errors.
fn message_result(rb_self: Value, m: RawMsg, scm_rights: bool) -> Result<Value, Error> {
    let ruby = Ruby::get_with(rb_self);
    let cmsgs: Vec<_> = cmsg::parse(m.control.bytes()).collect();
    let mut pending: Vec<RawFd> = cmsgs.iter().flat_map(|c| c.fds()).collect();
    if !scm_rights {
        m.discard_fds();
        pending.clear();
    }
    let built = (|| -> Result<Value, Error> {
        let fd = sockio::fd(rb_self)?;
        let out = ruby.ary_new_capa(3 + cmsgs.len());
        out.push(ruby.str_from_slice(&m.data))?;
        out.push(basic_socket::socket_addrinfo(fd, m.name.as_bytes())?)?;
        out.push(m.flags)?;
        if cmsgs.is_empty() {
            return Ok(out.as_value());
        }
        let family = sockets::socket_family(rb_self)?;
        for c in &cmsgs {
            let obj = objects::new_ancdata(family, c.level, c.ctype, c.data)?;
            if scm_rights && c.is_rights() {
                let ios = ruby.ary_new();
                for fd in c.fds() {
                    pending.retain(|&p| p != fd);
                    ios.push(fdopen(fd)?)?;
                }
                objects::set_unix_rights(obj, ios)?;
            }
            out.push(obj)?;
        }
        Ok(out.as_value())
    })();
    if built.is_err() {
        for fd in pending {
            unsafe { libc::close(fd) };
        }
    }
    built
}

fn recvmsg_common(
    rb_self: Value,
    dlen: Option<Value>,
    flags: Option<Value>,
    clen: Option<Value>,
    scm_rights: bool,
    mode: Mode,
) -> Result<Value, Error> {
    let ruby = Ruby::get_with(rb_self);
    let want_d = length_arg(dlen)?;
    let flags = match flags {
        Some(f) => args::num2int(f)?,
        None => 0,
    };
    let want_c = length_arg(clen)?;
    if sockio::read_pending(rb_self)? {
        return Err(Error::new(
            ruby.exception_io_error(),
            "recvmsg for buffered IO",
        ));
    }
    let mut maxd = want_d.unwrap_or(DEFAULT_LEN);
    let mut maxc = want_c.unwrap_or(DEFAULT_LEN);
    // Without a limit, peek with growing buffers until nothing is cut, then
    // read for real with the sizes found.
    let mut grow = want_d.is_none() || want_c.is_none();
    let mut cur_flags = if grow { flags | libc::MSG_PEEK } else { flags };
    let m = loop {
        let Some(m) = recv_raw(rb_self, maxd, maxc, cur_flags, mode)? else {
            return Ok(basic_socket::wait_readable_symbol(&ruby));
        };
        if !grow {
            break m;
        }
        let mut grown = false;
        if want_d.is_none() && maxd > 0 && m.data.len() == maxd {
            maxd = maxd
                .checked_mul(2)
                .ok_or_else(|| errors::arg_error("max data length too big"))?;
            grown = true;
        }
        if want_c.is_none() && m.flags & libc::MSG_CTRUNC != 0 && maxc < MAX_CONTROL_LEN {
            maxc *= 2;
            grown = true;
        }
        if grown {
            // Peeked fds are real fds in this process: close them.
            m.discard_fds();
            continue;
        }
        grow = false;
        if cur_flags != flags {
            m.discard_fds();
            cur_flags = flags;
            continue;
        }
        break m;
    };
    // Nothing read from a stream: nil from Ruby 3.3 on, as for recv (datagrams may be empty).
    if ruby_version::NIL_AT_END_OF_STREAM && m.data.is_empty() {
        let fd = sockio::fd(rb_self)?;
        if fd::getsockopt_int(fd, libc::SOL_SOCKET, libc::SO_TYPE) != Ok(libc::SOCK_DGRAM) {
            m.discard_fds();
            return Ok(ruby.qnil().as_value());
        }
    }
    message_result(rb_self, m, scm_rights)
}

/// recvmsg(dlen = nil, flags = 0, clen = nil, scm_rights: false)
fn recvmsg(rb_self: Value, argv: &[Value]) -> Result<Value, Error> {
    let a =
        scan_args::<(), (Option<Value>, Option<Value>, Option<Value>), (), (), RHash, ()>(argv)?;
    let kw = get_kwargs::<_, (), (Option<Value>,), ()>(a.keywords, &[], &["scm_rights"])?;
    let scm_rights = kw.optional.0.is_some_and(|v| v.to_bool());
    let (dlen, flags, clen) = a.optional;
    recvmsg_common(rb_self, dlen, flags, clen, scm_rights, Mode::Blocking)
}

/// __recvmsg_nonblock(dlen, flags, clen, scm_rights, exception)
fn recvmsg_nonblock(
    rb_self: Value,
    dlen: Value,
    flags: Value,
    clen: Value,
    scm_rights: Value,
    exception: Value,
) -> Result<Value, Error> {
    recvmsg_common(
        rb_self,
        Some(dlen),
        Some(flags),
        Some(clen),
        scm_rights.to_bool(),
        Mode::NonBlocking {
            exception: exception.to_bool(),
        },
    )
}

pub fn init(_ruby: &Ruby, basic_socket: RClass) -> Result<(), Error> {
    basic_socket.define_method("sendmsg", method!(sendmsg, -1))?;
    basic_socket.define_method("recvmsg", method!(recvmsg, -1))?;
    basic_socket.define_private_method("__sendmsg_nonblock", method!(sendmsg_nonblock, 5))?;
    basic_socket.define_private_method("__recvmsg_nonblock", method!(recvmsg_nonblock, 5))?;
    Ok(())
}
