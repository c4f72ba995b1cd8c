//! Socket-level helpers several classes share: new sockets, bind/listen/
//! connect/accept through the one wait loop, the cached address family, and
//! the process-wide do_not_reverse_lookup default.

use magnus::{prelude::*, Error, RClass, RString, Ruby, Value};
use std::os::fd::{FromRawFd, OwnedFd, RawFd};
use std::sync::atomic::{AtomicBool, Ordering};

use crate::glue::args;
use crate::glue::errors::{self, Direction};
use crate::glue::objects;
use crate::glue::{sockio, wait};
use crate::sys::fd;
use crate::sys::sockaddr::{self, SockAddr};

/// BasicSocket.do_not_reverse_lookup: true unless a program changes it.
static DO_NOT_REVERSE_LOOKUP: AtomicBool = AtomicBool::new(true);

pub fn default_do_not_reverse_lookup() -> bool {
    DO_NOT_REVERSE_LOOKUP.load(Ordering::Relaxed)
}

/// Sets BasicSocket.do_not_reverse_lookup.
pub fn set_default_do_not_reverse_lookup(on: bool) {
    DO_NOT_REVERSE_LOOKUP.store(on, Ordering::Relaxed);
}

/// How a receive call behaves when no data is ready.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Blocking,
    NonBlocking { exception: bool },
}

/// Where the stdlib's socket code keeps a socket's address family among the
/// IO mode bits, so getsockname(2) runs once per socket, not once per call.
const FMODE_UNIX: i32 = 0x0020_0000;

const FMODE_INET: i32 = 0x0040_0000;

const FMODE_INET6: i32 = 0x0080_0000;

/// The socket's address family (AF_UNSPEC if unknown), cached in the IO.
pub fn socket_family(io: Value) -> Result<i32, Error> {
    let mode = sockio::mode(io)?;
    for (bit, family) in [
        (FMODE_UNIX, libc::AF_UNIX),
        (FMODE_INET, libc::AF_INET),
        (FMODE_INET6, libc::AF_INET6),
    ] {
        if mode & bit != 0 {
            return Ok(family);
        }
    }
    let mut sa = SockAddr::buffer();
    if unsafe { libc::getsockname(sockio::fd(io)?, sa.as_mut_ptr(), sa.len_mut()) } < 0 {
        return Ok(libc::AF_UNSPEC);
    }
    let family = sockaddr::family(sa.as_bytes()).unwrap_or(libc::AF_UNSPEC);
    let bit = match family {
        libc::AF_UNIX => FMODE_UNIX,
        libc::AF_INET => FMODE_INET,
        libc::AF_INET6 => FMODE_INET6,
        _ => 0,
    };
    sockio::set_mode_flag(io, bit, true)?;
    Ok(family)
}

/// socket(2), non-blocking and close-on-exec, or its errno. On EMFILE/ENFILE
/// a GC run may free unreferenced sockets, so it tries once more.
pub fn new_raw_fd(family: i32, socktype: i32, protocol: i32) -> Result<OwnedFd, i32> {
    let call = || unsafe {
        libc::socket(
            family,
            socktype | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
            protocol,
        )
    };
    let mut fd = call();
    if fd < 0 && matches!(errors::errno(), libc::EMFILE | libc::ENFILE) {
        sockio::collect_garbage();
        fd = call();
    }
    if fd < 0 {
        return Err(errors::errno());
    }
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// `new_raw_fd` with the stdlib's "socket(2)" error.
pub fn new_fd(family: i32, socktype: i32, protocol: i32) -> Result<OwnedFd, Error> {
    new_raw_fd(family, socktype, protocol).map_err(|e| errors::syserr(e, "socket(2)"))
}

/// A sockaddr argument (packed String or Addrinfo) in a libc-ready buffer.
pub fn sockaddr_arg(v: Value) -> Result<SockAddr, Error> {
    let too_big = || errors::arg_error("sockaddr length too big");
    // A String, the usual form (send's and connect's), copied straight in.
    if let Some(s) = RString::from_value(v) {
        return SockAddr::from_bytes(unsafe { s.as_slice() }).ok_or_else(too_big);
    }
    SockAddr::from_bytes(&objects::sockaddr_bytes(v)?).ok_or_else(too_big)
}

/// "bind(2) for 127.0.0.1:80"-style message for a call on an address.
pub fn for_addr(call: &str, sa: &SockAddr) -> String {
    format!("{call} for {}", sockaddr::inspect(sa.as_bytes()))
}

pub fn listen(rb_self: Value, backlog: Value) -> Result<i32, Error> {
    let backlog: i32 = args::num2int(backlog)?;
    let fd = sockio::fd(rb_self)?;
    if unsafe { libc::listen(fd, backlog) } < 0 {
        return Err(errors::last_syserr("listen(2)"));
    }
    Ok(0)
}

/// connect(2) that waits for the connection through the one wait loop;
/// IO::TimeoutError "Connect timed out!" when `IO#timeout` runs out first.
pub fn connect_blocking(io: Value, sa: &SockAddr) -> Result<(), Error> {
    let fail = |e: i32| errors::syserr(e, &for_addr("connect(2)", sa));
    let writable = || {
        if fd::writable_now(sockio::fd(io)?) {
            return Ok(());
        }
        match wait::wait_until(io, Direction::Writable, None)? {
            true => Ok(()),
            false => Err(errors::io_timeout("Connect timed out!")),
        }
    };
    let mut retried = false;
    loop {
        let fd = sockio::fd(io)?;
        if fd::nonblocking(fd, false, || unsafe {
            libc::connect(fd, sa.as_ptr(), sa.len())
        }) == 0
        {
            return Ok(());
        }
        match errors::errno() {
            // Connected by our earlier try; on a first try it is the caller's error.
            libc::EISCONN if retried => return Ok(()),
            // A UNIX listener's queue is full: wait, then try again.
            libc::EAGAIN => {
                writable()?;
                retried = true;
            }
            libc::EINPROGRESS | libc::EINTR | libc::EALREADY => {
                // The kernel finishes the handshake; writable means done.
                writable()?;
                let fd = sockio::fd(io)?;
                match fd::getsockopt_int(fd, libc::SOL_SOCKET, libc::SO_ERROR) {
                    Ok(0) => return Ok(()),
                    Ok(e) => return Err(fail(e)),
                    Err(e) => return Err(fail(e)),
                }
            }
            e => return Err(fail(e)),
        }
    }
}

/// accept4(2) on a listening socket: the new fd (non-blocking, close-on-exec)
/// and the peer's address; None when non-blocking and nothing is pending
/// with `exception: false`.
pub fn accept_fd(io: Value, mode: Mode) -> Result<Option<(OwnedFd, SockAddr)>, Error> {
    let mut sa = SockAddr::buffer();
    let keep_nonblocking = mode != Mode::Blocking;
    let attempt = |fd: RawFd, sa: &mut SockAddr| -> Result<RawFd, i32> {
        sa.reset();
        let n = fd::nonblocking(fd, keep_nonblocking, || unsafe {
            libc::accept4(
                fd,
                sa.as_mut_ptr(),
                sa.len_mut(),
                libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
            )
        });
        if n < 0 {
            Err(errors::errno())
        } else {
            Ok(n)
        }
    };
    let fd = match mode {
        Mode::Blocking => {
            let mut gc_done = false;
            wait::blocking(
                io,
                Direction::Readable,
                &|| "accept(2)".to_owned(),
                |fd| match attempt(fd, &mut sa) {
                    // The peer gave up before we accepted: wait for the next one.
                    Err(libc::ECONNABORTED | libc::EPROTO) => Err(libc::EAGAIN),
                    // Out of fds: a GC run may close unreferenced sockets; retry at once.
                    Err(e) if (e == libc::EMFILE || e == libc::ENFILE) && !gc_done => {
                        gc_done = true;
                        sockio::collect_garbage();
                        Err(libc::EINTR)
                    }
                    other => other,
                },
            )?
        }
        Mode::NonBlocking { exception } => match attempt(sockio::fd(io)?, &mut sa) {
            Ok(fd) => fd,
            Err(e) if errors::is_would_block(e) || e == libc::ECONNABORTED || e == libc::EPROTO => {
                if !exception {
                    return Ok(None);
                }
                return Err(errors::would_block(
                    Direction::Readable,
                    e,
                    "accept(2) would block",
                ));
            }
            Err(e) => return Err(errors::syserr(e, "accept(2)")),
        },
    };
    Ok(Some((unsafe { OwnedFd::from_raw_fd(fd) }, sa)))
}

/// socketpair(2) as two new instances of `klass` (Socket.pair, UNIXSocket.pair):
/// returned as an Array, or with a block yielded as one Array and closed after.
pub fn pair(klass: RClass, family: i32, socktype: i32, protocol: i32) -> Result<Value, Error> {
    let ruby = Ruby::get_with(klass);
    let mut fds = [0 as RawFd; 2];
    let flags = libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC;
    if unsafe { libc::socketpair(family, socktype | flags, protocol, fds.as_mut_ptr()) } < 0 {
        return Err(errors::last_syserr("socketpair(2)"));
    }
    let (a, b) = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    let s1 = sockio::wrap(klass, a)?;
    let s2 = sockio::wrap(klass, b)?;
    let both = ruby.ary_new_from_values(&[s1, s2]);
    if !ruby.block_given() {
        return Ok(both.as_value());
    }
    let result = ruby.yield_value::<_, Value>(both);
    for s in [s1, s2] {
        let closed: bool = s.funcall("closed?", ())?;
        if !closed {
            let _: Value = s.funcall("close", ())?;
        }
    }
    result
}
