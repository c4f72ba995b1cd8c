//! Connecting to a host and port for TCPSocket.new and Socket.tcp: the
//! caller's arguments read the Ruby way, then Happy Eyeballs v2
//! (sys/happy_eyeballs.rs) or the sequential way of Ruby 3.3
//! (`fast_fallback: false`, numeric hosts), whose attempts are attached to the
//! socket being made and waited on through the one wait loop.

use magnus::{prelude::*, rb_sys::AsRawValue, Error, Ruby, Value};
use std::ffi::CString;
use std::os::fd::{FromRawFd, OwnedFd, RawFd};
use std::time::{Duration, Instant};

use crate::glue::errors::{self, Direction};
use crate::glue::resolver::{self, GaiError, HostArg, Resolved};
use crate::glue::{ruby_version, sockets, sockio, wait};
use crate::sys::fd;
use crate::sys::happy_eyeballs::{self as he, Started};

/// Where to connect, as the caller's arguments give it.
pub struct Target {
    pub host: Value,
    pub port: Value,
    pub host_arg: HostArg,
    pub service: Option<CString>,
}

pub struct Options {
    /// Local addresses to bind to (empty: don't bind).
    pub local: Vec<Resolved>,
    pub resolv_timeout: Option<Duration>,
    pub connect_timeout: Option<Duration>,
    pub fast_fallback: bool,
    /// TCPSocket.new's ways (ipsocket.c), which Socket.tcp lacks: SO_REUSEADDR
    /// before bind(2), and when no local address has the remote's family the
    /// sequential way binds the first one anyway, reporting the kernel's error.
    pub tcp_socket: bool,
}

/// Why no connection was made; callers word the message their way.
pub enum Failure {
    /// A system call failed on an address (the last such error seen).
    Sys {
        errno: i32,
        call: &'static str,
        addr: Vec<u8>,
    },
    /// An exception to raise as it is (resolution errors, interrupts).
    Raise(Error),
    /// `connect_timeout`/`resolv_timeout` ran out after `attempts`
    /// connection attempts (0: while resolving).
    TimedOut { attempts: usize },
    /// Local addresses were given but none has a family we resolved.
    NoLocalAddress,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Raise(e)
    }
}

/// A timeout keyword: nil for none, else seconds (Integer or Float).
pub fn timeout_arg(v: Value) -> Result<Option<Duration>, Error> {
    if v.is_nil() {
        return Ok(None);
    }
    let secs = f64::try_convert(v)?;
    Ok(Some(Duration::from_secs_f64(secs.max(0.0))))
}

/// Target and options from TCPSocket.new's / Socket.tcp's arguments; the
/// local address, when given, is resolved here.
#[allow(clippy::too_many_arguments)]
pub fn request(
    host: Value,
    port: Value,
    local_host: Value,
    local_port: Value,
    resolv_timeout: Value,
    connect_timeout: Value,
    fast_fallback: Value,
    tcp_socket: bool,
) -> Result<(Target, Options), Error> {
    let resolv_timeout = timeout_arg(resolv_timeout)?;
    let target = Target {
        host,
        port,
        host_arg: resolver::host_arg(host)?,
        service: resolver::port_arg(port)?,
    };
    let local = if local_host.is_nil() && local_port.is_nil() {
        Vec::new()
    } else {
        resolver::lookup(
            local_host,
            local_port,
            libc::AF_UNSPEC,
            libc::SOCK_STREAM,
            0,
            0,
            resolv_timeout,
        )?
    };
    let opts = Options {
        local,
        resolv_timeout,
        connect_timeout: timeout_arg(connect_timeout)?,
        fast_fallback: fast_fallback.to_bool(),
        tcp_socket,
    };
    Ok((target, opts))
}

/// Connects as `opts.fast_fallback` says and attaches the connected socket
/// to `io` (a TCPSocket being initialized, or a new Socket); the address
/// reached. Numeric hosts skip Happy Eyeballs, as Ruby 3.4 does.
pub fn connect(target: &Target, opts: &Options, io: Value) -> Result<Vec<u8>, Failure> {
    let numeric = target
        .host_arg
        .text
        .as_deref()
        .and_then(|h| h.to_str().ok())
        .is_some_and(|h| crate::sys::sockaddr::parse_numeric(h).is_some());
    if opts.fast_fallback && !numeric {
        let c = fast_fallback(target, opts)?;
        sockio::attach(io, c.fd)?;
        Ok(c.addr)
    } else {
        sequential(target, opts, io)
    }
}

/// Happy Eyeballs (sys/happy_eyeballs.rs), waiting through the one wait loop.
fn fast_fallback(target: &Target, opts: &Options) -> Result<he::Connected, Failure> {
    let mut families: Vec<i32> = Vec::new();
    for l in &opts.local {
        if matches!(l.family, libc::AF_INET6 | libc::AF_INET) && !families.contains(&l.family) {
            families.push(l.family);
        }
    }
    // One family (a local address decides it): looked up here, the usual way.
    let resolved = match families[..] {
        [family] => Some((
            family,
            resolver::lookup(
                target.host,
                target.port,
                family,
                libc::SOCK_STREAM,
                0,
                0,
                opts.resolv_timeout,
            )?,
        )),
        _ => None,
    };
    let req = he::Request {
        node: target.host_arg.text.clone(),
        service: target.service.clone(),
        flags: target.host_arg.flags,
        resolved,
        local: opts.local.clone(),
        resolv_timeout: opts.resolv_timeout,
        connect_timeout: opts.connect_timeout,
        reuse_address: opts.tcp_socket,
    };
    let mut host = RubyHost { io: None };
    let outcome = he::connect(&req, &mut host);
    host.close();
    outcome.map_err(|f| failure(f, opts))
}

/// A Happy Eyeballs failure the way this module's callers take it.
fn failure(f: he::Failure<Error>, opts: &Options) -> Failure {
    match f {
        he::Failure::Sys { errno, call, addr } => Failure::Sys { errno, call, addr },
        he::Failure::Resolve(e) => {
            let call = if opts.tcp_socket {
                ruby_version::HAPPY_EYEBALLS_GAI_CALL
            } else {
                "getaddrinfo"
            };
            Failure::Raise(resolver::resolution_error(call, e))
        }
        he::Failure::TimedOut { attempts } => Failure::TimedOut { attempts },
        he::Failure::NoLocalAddress => Failure::NoLocalAddress,
        he::Failure::Host(e) => Failure::Raise(e),
    }
}

/// Happy Eyeballs' epoll set, waited on as a Ruby IO (a dup of it, which the
/// IO owns) through the one wait loop: the GVL is free, fibers and interrupts work.
struct RubyHost {
    io: Option<Value>,
}

impl RubyHost {
    fn close(&mut self) {
        if let Some(io) = self.io.take() {
            close(io);
        }
    }
}

impl he::Host for RubyHost {
    type Error = Error;

    fn wait(&mut self, epfd: RawFd, until: Option<Instant>) -> Result<bool, Error> {
        let io = match self.io {
            Some(io) => io,
            None => {
                let dup = unsafe { libc::fcntl(epfd, libc::F_DUPFD_CLOEXEC, 0) };
                if dup < 0 {
                    return Err(errors::last_syserr("fcntl(2)"));
                }
                let ruby = Ruby::get().map_err(|_| errors::socket_error("no Ruby VM"))?;
                let io = sockio::wrap(ruby.class_io(), unsafe { OwnedFd::from_raw_fd(dup) })?;
                *self.io.insert(io)
            }
        };
        let timeout = until.map(|t| t.saturating_duration_since(Instant::now()));
        wait::wait_until(io, Direction::Readable, timeout)
    }

    fn socket(&mut self, family: i32, socktype: i32, protocol: i32) -> Result<OwnedFd, i32> {
        sockets::new_raw_fd(family, socktype, protocol)
    }
}

/// Ruby 3.3's way: resolve everything, then try each address in turn, each
/// with the whole `connect_timeout`. Each attempt's socket is attached to
/// `io` and waited on there, through the wait loop (no extra fds).
fn sequential(target: &Target, opts: &Options, io: Value) -> Result<Vec<u8>, Failure> {
    let list = resolver::lookup(
        target.host,
        target.port,
        libc::AF_UNSPEC,
        libc::SOCK_STREAM,
        0,
        0,
        opts.resolv_timeout,
    )?;
    let mut last = None;
    for (i, ai) in list.iter().enumerate() {
        let local = if opts.local.is_empty() {
            None
        } else {
            match he::local_for(&opts.local, ai.family) {
                Some(l) => Some(l),
                None if i + 1 < list.len() || last.is_some() => continue,
                None if opts.tcp_socket => opts.local.first(),
                None => return Err(Failure::NoLocalAddress),
            }
        };
        let attempt = match he::start(&mut SequentialHost, ai, local, opts.tcp_socket) {
            Ok(Started::Connected(c)) => {
                sockio::attach(io, c.fd)?;
                return Ok(c.addr);
            }
            Ok(Started::InProgress(a)) => a,
            Err(f) => match failure(f, opts) {
                sys @ Failure::Sys { .. } => {
                    last = Some(sys);
                    continue;
                }
                other => return Err(other),
            },
        };
        sockio::attach(io, attempt.fd)?;
        let outcome = wait_connected(io, opts.connect_timeout).inspect_err(|_| close(io))?;
        match outcome {
            Some(0) => return Ok(attempt.addr),
            Some(e) => {
                last = Some(Failure::Sys {
                    errno: e,
                    call: "connect(2)",
                    addr: attempt.addr,
                })
            }
            None => {
                close(io);
                let timed_out = Failure::TimedOut { attempts: 1 };
                // Ruby 3.4's TCPSocket.new gives up at the first address that times out.
                if opts.tcp_socket && ruby_version::TCP_CONNECT_TIMEOUT.ends_at_first_timeout() {
                    return Err(timed_out);
                }
                last = Some(timed_out);
                continue;
            }
        }
        close(io);
    }
    Err(last.unwrap_or_else(|| {
        Failure::Raise(resolver::resolution_error(
            "getaddrinfo",
            GaiError {
                code: libc::EAI_NONAME,
                errno: 0,
            },
        ))
    }))
}

/// Waits for the connect in progress on `io`: Some(0) connected, Some(errno)
/// failed, None when `timeout` passed first.
fn wait_connected(io: Value, timeout: Option<Duration>) -> Result<Option<i32>, Error> {
    let deadline = timeout.map(|t| Instant::now() + t);
    if fd::writable_now(sockio::fd(io)?) {
        return Ok(Some(he::connect_result(sockio::fd(io)?)));
    }
    loop {
        let left = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        if left == Some(Duration::ZERO) {
            return Ok(None);
        }
        if wait::wait_until(io, Direction::Writable, left)? {
            return Ok(Some(he::connect_result(sockio::fd(io)?)));
        }
    }
}

/// Closes the socket attached to `io` (a failed or abandoned attempt).
fn close(io: Value) {
    let raw = io.as_raw();
    let _ = magnus::rb_sys::protect(|| unsafe { rb_sys::rb_io_close(raw) });
}

/// The sequential way's sockets: made as every socket is; it never waits through the host.
struct SequentialHost;

impl he::Host for SequentialHost {
    type Error = Error;

    fn wait(&mut self, _epfd: RawFd, _until: Option<Instant>) -> Result<bool, Error> {
        Ok(true)
    }

    fn socket(&mut self, family: i32, socktype: i32, protocol: i32) -> Result<OwnedFd, i32> {
        sockets::new_raw_fd(family, socktype, protocol)
    }
}
