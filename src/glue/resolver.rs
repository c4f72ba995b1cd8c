//! The one place names are resolved for Ruby. Numeric hosts with numeric
//! ports are answered in Rust (sys/lookup.rs); names go to getaddrinfo on a
//! helper thread so that a timeout, Thread#raise or Thread#kill abandons a
//! stuck lookup at once (the helper owns its result and drops it when nobody
//! waits any more). getnameinfo works the same way. Also the stdlib's errors
//! for failed lookups and its address rows.

use magnus::{
    prelude::*,
    rb_sys::{AsRawValue, FromRawValue},
    value::Lazy,
    Error, ExceptionClass, RArray, RClass, RString, Ruby, Symbol, Value,
};
use std::ffi::{c_void, CStr, CString};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::glue::{args, errors};
use crate::sys::constants;
use crate::sys::lookup::{self, NI_MAXHOST, NI_MAXSERV};
pub use crate::sys::lookup::{GaiError, Hints, Resolved};
use crate::sys::sockaddr::{self, SockAddr};

/// `Socket::ResolutionError`, defined by `init`.
pub static RESOLUTION_ERROR: Lazy<ExceptionClass> = Lazy::new(|ruby| {
    let socket: RClass = ruby
        .class_object()
        .const_get("Socket")
        .unwrap_or_else(|_| ruby.class_object());
    socket
        .const_get("ResolutionError")
        .unwrap_or_else(|_| ruby.get_inner(&errors::SOCKET_ERROR))
});

/// Hidden ivar (no "@") holding the EAI_* code, as Ruby 3.4 keeps it.
pub const ERROR_CODE_IVAR: &str = "error_code";

/// The stdlib's exception for a failed getaddrinfo/getnameinfo: Errno::X for
/// EAI_SYSTEM, else Socket::ResolutionError "getaddrinfo: <gai_strerror>".
pub fn resolution_error(reason: &str, err: GaiError) -> Error {
    if err.code == libc::EAI_SYSTEM && err.errno != 0 {
        return errors::syserr(err.errno, reason);
    }
    let Some(ruby) = Ruby::get().ok() else {
        return errors::socket_error(format!("{reason}: {}", lookup::gai_message(err.code)));
    };
    let class = ruby.get_inner(&RESOLUTION_ERROR);
    let msg = format!("{reason}: {}", lookup::gai_message(err.code));
    match class.new_instance((ruby.str_new(&msg),)) {
        Ok(exc) => {
            if let Some(obj) = magnus::RObject::from_value(exc.as_value()) {
                let _ = obj.ivar_set(ERROR_CODE_IVAR, err.code);
            }
            Error::from(exc)
        }
        Err(e) => e,
    }
}

/// Errno::ETIMEDOUT "user specified timeout": what Ruby 3.4's TCPSocket.new and Socket.tcp
/// raise when `resolv_timeout:` runs out, and so `timeout:` here on every Ruby.
pub fn timeout_error() -> Error {
    errors::syserr(libc::ETIMEDOUT, "user specified timeout")
}

/// A host argument as the stdlib reads it, plus AI_* flags it implies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostArg {
    /// The node name getaddrinfo gets, as the caller's bytes (no NUL inside).
    pub text: Option<CString>,
    pub flags: i32,
}

/// nil, "" / "<any>" (0.0.0.0), "<broadcast>", an Integer (an IPv4 address
/// in host order) or a String; other objects as String conversion fails.
pub fn host_arg(host: Value) -> Result<HostArg, Error> {
    if host.is_nil() {
        return Ok(HostArg {
            text: None,
            flags: 0,
        });
    }
    if host.is_kind_of(Ruby::get_with(host).class_integer()) {
        let raw = host.as_raw();
        let mut n: u64 = 0;
        magnus::rb_sys::protect(|| unsafe {
            n = rb_sys::rb_num2uint(raw) as u64;
            rb_sys::Qnil as rb_sys::VALUE
        })?;
        let ip = std::net::Ipv4Addr::from(n as u32);
        return Ok(HostArg {
            text: CString::new(ip.to_string()).ok(),
            flags: libc::AI_NUMERICHOST,
        });
    }
    let s = args::string_value_cstr(host)?;
    let numeric = |t: &CStr| HostArg {
        text: Some(t.into()),
        flags: libc::AI_NUMERICHOST,
    };
    match s.as_bytes() {
        b"" | b"<any>" => return Ok(numeric(c"0.0.0.0")),
        b"<broadcast>" => return Ok(numeric(c"255.255.255.255")),
        b if b.len() >= NI_MAXHOST => {
            return Err(errors::arg_error(format!(
                "hostname too long ({})",
                b.len()
            )))
        }
        _ => {}
    }
    Ok(HostArg {
        text: Some(s),
        flags: 0,
    })
}

/// A port argument: nil, an Integer (printed as a C long; Bignums are not
/// converted) or a String service name.
pub fn port_arg(port: Value) -> Result<Option<CString>, Error> {
    if port.is_nil() {
        return Ok(None);
    }
    // A Fixnum is printed as the C long it is (getaddrinfo keeps the low bits).
    if let Some(n) = magnus::Fixnum::from_value(port) {
        return Ok(CString::new(n.to_i64().to_string()).ok());
    }
    let s = args::string_value_cstr(port)?;
    if s.as_bytes().len() >= NI_MAXSERV {
        return Err(errors::arg_error(format!(
            "service name too long ({})",
            s.as_bytes().len()
        )));
    }
    Ok(Some(s))
}

/// Resolves `host`/`port` as the stdlib does (Addrinfo.getaddrinfo,
/// Socket.getaddrinfo, TCPSocket.new ...). `timeout` gives up with
/// Errno::ETIMEDOUT "user specified timeout".
pub fn lookup(
    host: Value,
    port: Value,
    family: i32,
    socktype: i32,
    protocol: i32,
    flags: i32,
    timeout: Option<Duration>,
) -> Result<Vec<Resolved>, Error> {
    // An address String and an Integer port (Addrinfo.tcp("127.0.0.1", 80)):
    // answered without making C strings of them first.
    if let (Some(s), Some(port)) = (RString::from_value(host), fixnum_port(port)) {
        let found = ip_text(&s)
            .and_then(|text| lookup::numeric_lookup_port(text, port, family, socktype, protocol));
        if let Some(list) = found {
            return Ok(list);
        }
    }
    let h = host_arg(host)?;
    let service = port_arg(port)?;
    lookup_args(
        host,
        &h,
        service.as_deref(),
        family,
        socktype,
        protocol,
        flags,
        timeout,
    )
}

/// A host String's text when it may be a numeric address: UTF-8 with no NUL
/// (anything else takes the full argument checks). Borrowed: no Ruby code
/// may run while it is used.
fn ip_text(s: &RString) -> Option<&str> {
    let text = std::str::from_utf8(unsafe { s.as_slice() }).ok()?;
    (!text.contains('\0')).then_some(text)
}

/// An Integer port that is a port number.
fn fixnum_port(port: Value) -> Option<u16> {
    u16::try_from(magnus::Fixnum::from_value(port)?.to_i64()).ok()
}

/// What `lookup_for_socket` finds first for an IP address String and an
/// Integer port on a socket of `family`, made without the resolver's lists
/// (UDPSocket#send(mesg, flags, "127.0.0.1", port) is a hot path). None for
/// every other argument, which takes the full lookup.
pub fn numeric_sockaddr(host: Value, port: Value, family: i32) -> Option<SockAddr> {
    let port = fixnum_port(port)?;
    let host = RString::from_value(host)?;
    match family {
        libc::AF_INET | libc::AF_INET6 => lookup::numeric_sockaddr(ip_text(&host)?, port, family),
        _ => None,
    }
}

/// As the stdlib resolves for Socket.sockaddr_in, UDPSocket#bind/connect/send:
/// like `lookup`, but a numeric port with socktype 0 asks for SOCK_DGRAM.
pub fn lookup_for_socket(
    host: Value,
    port: Value,
    family: i32,
    socktype: i32,
    flags: i32,
    timeout: Option<Duration>,
) -> Result<Vec<Resolved>, Error> {
    let h = host_arg(host)?;
    let service = port_arg(port)?;
    let mut socktype = socktype;
    let numeric_service = service.as_deref().and_then(|s| s.to_str().ok());
    if socktype == 0 && numeric_service.is_some_and(lookup::strtoul_whole) {
        socktype = libc::SOCK_DGRAM;
    }
    lookup_args(
        host,
        &h,
        service.as_deref(),
        family,
        socktype,
        0,
        flags,
        timeout,
    )
}

#[allow(clippy::too_many_arguments)]
fn lookup_args(
    host_value: Value,
    host: &HostArg,
    service: Option<&CStr>,
    family: i32,
    socktype: i32,
    protocol: i32,
    flags: i32,
    timeout: Option<Duration>,
) -> Result<Vec<Resolved>, Error> {
    let flags = flags | host.flags;
    let text = host.text.as_deref();
    // Names and services that are not UTF-8 are no numbers: getaddrinfo decides.
    let utf8_service = match service.map(CStr::to_str) {
        None => Some(None),
        Some(Ok(s)) => Some(Some(s)),
        Some(Err(_)) => None,
    };
    if let (Some(Ok(host_text)), Some(serv)) = (text.map(CStr::to_str), utf8_service) {
        if let Some(list) =
            lookup::numeric_lookup(Some(host_text), serv, family, socktype, protocol)
        {
            return Ok(list);
        }
    }
    let mut result = None;
    if text.is_some() && flags & libc::AI_NUMERICHOST == 0 {
        result = scheduler_lookup(
            host_value,
            utf8_service.flatten(),
            family,
            socktype,
            protocol,
        )?;
    }
    let result = match result {
        Some(r) => r,
        None => {
            let hints = Hints {
                family,
                socktype,
                protocol,
                flags,
            };
            let node = text.map(CStr::to_owned);
            let serv = service.map(CStr::to_owned);
            match off_gvl(
                move || lookup::getaddrinfo(node.as_deref(), serv.as_deref(), hints),
                timeout,
            )? {
                Some(r) => r,
                None => return Err(timeout_error()),
            }
        }
    };
    result.map_err(|e| {
        if text.is_some_and(|t| t.to_bytes().ends_with(b"\n")) {
            errors::socket_error("newline at the end of hostname")
        } else {
            resolution_error("getaddrinfo", e)
        }
    })
}

/// Under a fiber scheduler with an `address_resolve` hook, asks it (as Ruby
/// 3.1+ does for names) and builds the answers from the addresses it gives.
/// None when there is no scheduler or no hook.
fn scheduler_lookup(
    host: Value,
    service: Option<&str>,
    family: i32,
    socktype: i32,
    protocol: i32,
) -> Result<Option<Result<Vec<Resolved>, GaiError>>, Error> {
    let scheduler = magnus::rb_sys::protect(|| unsafe { rb_sys::rb_fiber_scheduler_current() })?;
    if scheduler == rb_sys::Qnil as rb_sys::VALUE {
        return Ok(None);
    }
    let raw_host = host.as_raw();
    let answer = magnus::rb_sys::protect(|| unsafe {
        rb_sys::rb_fiber_scheduler_address_resolve(scheduler, raw_host)
    })?;
    if answer == rb_sys::Qundef as rb_sys::VALUE {
        return Ok(None);
    }
    let answer = unsafe { Value::from_raw(answer) };
    let mut out = Vec::new();
    if let Some(list) = RArray::from_value(answer) {
        for addr in list.into_iter() {
            let h = host_arg(addr)?;
            if let Some(r) = lookup::numeric_lookup(
                h.text.as_deref().and_then(|t| t.to_str().ok()),
                service,
                family,
                socktype,
                protocol,
            ) {
                out.extend(r);
            }
        }
    }
    if out.is_empty() {
        return Ok(Some(Err(GaiError::new(libc::EAI_NONAME))));
    }
    Ok(Some(Ok(out)))
}

/// getnameinfo for packed sockaddr bytes: (host, service). Numeric requests
/// for well-formed IP sockaddrs are answered in Rust.
pub fn getnameinfo_bytes(sa: &[u8], flags: i32) -> Result<(Vec<u8>, Vec<u8>), Error> {
    if let Some((host, serv)) = lookup::numeric_nameinfo(sa, flags) {
        return Ok((host.into_bytes(), serv.into_bytes()));
    }
    let bytes = sa.to_vec();
    match off_gvl(move || lookup::getnameinfo_libc(&bytes, flags), None)? {
        Some(Ok(r)) => Ok(r),
        Some(Err(e)) => Err(resolution_error("getnameinfo", e)),
        None => Err(timeout_error()),
    }
}

/// `getnameinfo_bytes` as text, for the callers that read the answer (IP
/// addresses, port numbers, host names).
pub fn getnameinfo(sa: &[u8], flags: i32) -> Result<(String, String), Error> {
    let (host, serv) = getnameinfo_bytes(sa, flags)?;
    let text = |b: Vec<u8>| {
        String::from_utf8(b).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    };
    Ok((text(host), text(serv)))
}

/// What the helper thread and the waiting Ruby thread share.
struct Job<T> {
    slot: Mutex<Slot<T>>,
    cond: Condvar,
}

struct Slot<T> {
    result: Option<T>,
    /// set by Ruby's unblocking function: stop waiting, Ruby has an interrupt
    interrupted: bool,
}

struct WaitCtx<T> {
    job: Arc<Job<T>>,
    deadline: Option<Instant>,
}

/// Runs `work` on a helper thread and waits for it without the GVL, so other
/// Ruby threads run and interrupts are honoured. Ok(None) when `timeout`
/// passed first. An interrupt that raises abandons the helper: it finishes
/// alone and drops its result.
pub fn off_gvl<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
    timeout: Option<Duration>,
) -> Result<Option<T>, Error> {
    let job = Arc::new(Job {
        slot: Mutex::new(Slot {
            result: None,
            interrupted: false,
        }),
        cond: Condvar::new(),
    });
    let deadline = timeout.map(|t| Instant::now() + t);
    let theirs = Arc::clone(&job);
    // The work is handed over through a slot so it can still run here when
    // no thread can be started.
    let work = Arc::new(Mutex::new(Some(work)));
    let their_work = Arc::clone(&work);
    let spawned = std::thread::Builder::new()
        .name("socket_rs-resolve".into())
        .spawn(move || {
            let w = their_work.lock().ok().and_then(|mut g| g.take());
            if let Some(w) = w {
                let r = w();
                let mut slot = theirs.slot.lock().unwrap_or_else(|e| e.into_inner());
                slot.result = Some(r);
                theirs.cond.notify_all();
            }
        });
    if spawned.is_err() {
        let w = work.lock().ok().and_then(|mut g| g.take());
        return Ok(w.map(|w| w()));
    }
    let mut ctx = WaitCtx { job, deadline };
    loop {
        let ptr = &mut ctx as *mut WaitCtx<T> as *mut c_void;
        magnus::rb_sys::protect(|| unsafe {
            rb_sys::rb_thread_call_without_gvl(
                Some(wait_job::<T>),
                ptr,
                Some(interrupt_job::<T>),
                ptr,
            );
            rb_sys::Qnil as rb_sys::VALUE
        })?;
        let mut slot = ctx.job.slot.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(r) = slot.result.take() {
            return Ok(Some(r));
        }
        if ctx.deadline.is_some_and(|d| Instant::now() >= d) {
            return Ok(None);
        }
        // An interrupt Ruby handled without raising (a trap handler): wait on.
        slot.interrupted = false;
    }
}

unsafe extern "C" fn wait_job<T>(data: *mut c_void) -> *mut c_void {
    let ctx = &*(data as *const WaitCtx<T>);
    let mut slot = ctx.job.slot.lock().unwrap_or_else(|e| e.into_inner());
    while slot.result.is_none() && !slot.interrupted {
        match ctx.deadline {
            None => slot = ctx.job.cond.wait(slot).unwrap_or_else(|e| e.into_inner()),
            Some(d) => {
                let now = Instant::now();
                if now >= d {
                    break;
                }
                slot = ctx
                    .job
                    .cond
                    .wait_timeout(slot, d - now)
                    .unwrap_or_else(|e| e.into_inner())
                    .0;
            }
        }
    }
    std::ptr::null_mut()
}

unsafe extern "C" fn interrupt_job<T>(data: *mut c_void) {
    let ctx = &*(data as *const WaitCtx<T>);
    let mut slot = ctx.job.slot.lock().unwrap_or_else(|e| e.into_inner());
    slot.interrupted = true;
    ctx.job.cond.notify_all();
}

/// A new US-ASCII String (without looking the encoding up by name each time).
pub fn us_ascii(ruby: &Ruby, s: &str) -> RString {
    let (ptr, len) = (
        s.as_ptr() as *const std::ffi::c_char,
        s.len() as std::ffi::c_long,
    );
    unsafe { RString::from_value(Value::from_raw(rb_sys::rb_usascii_str_new(ptr, len))) }
        .unwrap_or_else(|| ruby.enc_str_new(s, ruby.usascii_encoding()))
}

/// The stdlib's address row ["AF_INET", port, host, numeric_host] (IPSocket#addr,
/// Socket.getaddrinfo). `host` is the reverse-resolved name unless
/// `norevlookup`, or the numeric address when that lookup fails.
pub fn ipaddr_row(ruby: &Ruby, sa: &[u8], norevlookup: bool) -> Result<RArray, Error> {
    Ok(ruby.ary_new_from_values(&ipaddr_values(ruby, sa, norevlookup)?))
}

fn is_system_call_error(ruby: &Ruby, e: &Error) -> bool {
    ruby.class_object()
        .const_get::<_, magnus::ExceptionClass>("SystemCallError")
        .is_ok_and(|c| e.is_kind_of(c))
}

/// The four values of `ipaddr_row`, for callers that add more to the row.
pub fn ipaddr_values(ruby: &Ruby, sa: &[u8], norevlookup: bool) -> Result<[Value; 4], Error> {
    let fam = sockaddr::family(sa).unwrap_or(0);
    // The two families getaddrinfo answers with skip the constant table.
    let family = match fam {
        libc::AF_INET => us_ascii(ruby, "AF_INET"),
        libc::AF_INET6 => us_ascii(ruby, "AF_INET6"),
        _ => match constants::name("AF_", fam as i64) {
            Some(n) => us_ascii(ruby, n),
            None => us_ascii(ruby, &format!("unknown:{fam}")),
        },
    };
    let mut name = None;
    if !norevlookup {
        // A failed reverse lookup falls back to the numeric host, as the
        // stdlib does; an interrupt (Thread#raise, kill) still propagates.
        name = match getnameinfo(sa, 0) {
            Ok((h, _)) => Some(h),
            Err(e) if e.is_kind_of(ruby.get_inner(&errors::SOCKET_ERROR)) => None,
            Err(e) if is_system_call_error(ruby, &e) => None,
            Err(e) => return Err(e),
        };
    }
    let (numeric, port) = match lookup::numeric_host_port(sa) {
        Some((host, port)) => (ruby.str_from_slice(host.as_bytes()), i32::from(port)),
        None => {
            let (host, port) = getnameinfo(sa, lookup::NUMERIC)?;
            (
                ruby.str_from_slice(host.as_bytes()),
                port.parse::<i32>().unwrap_or(0),
            )
        }
    };
    let host = match name {
        Some(n) => ruby.str_from_slice(n.as_bytes()),
        None => numeric,
    };
    Ok([
        family.as_value(),
        ruby.integer_from_i64(port as i64).as_value(),
        host.as_value(),
        numeric.as_value(),
    ])
}

/// A reverse_lookup argument: Some(norevlookup) for true/false/:hostname/
/// :numeric, None for nil (BasicSocket.do_not_reverse_lookup decides).
pub fn revlookup_flag(v: Value) -> Result<Option<bool>, Error> {
    let ruby = Ruby::get_with(v);
    if v.is_nil() {
        return Ok(None);
    }
    if v.as_raw() == ruby.qtrue().as_raw() {
        return Ok(Some(false));
    }
    if v.as_raw() == ruby.qfalse().as_raw() {
        return Ok(Some(true));
    }
    let Some(sym) = Symbol::from_value(v) else {
        // Check_Type's own TypeError ("wrong argument type Integer (expected Symbol)").
        let raw = v.as_raw();
        magnus::rb_sys::protect(|| unsafe {
            rb_sys::rb_check_type(raw, rb_sys::ruby_value_type::RUBY_T_SYMBOL as i32);
            rb_sys::Qnil as rb_sys::VALUE
        })?;
        return Err(errors::type_error("wrong argument type (expected Symbol)"));
    };
    match sym.name()?.as_ref() {
        "numeric" => Ok(Some(true)),
        "hostname" => Ok(Some(false)),
        other => Err(errors::arg_error(format!(
            "invalid reverse_lookup flag: :{other}"
        ))),
    }
}

/// rb_warn: printed unless $VERBOSE is nil, through Warning.warn.
/// rb_warn: "file:line: warning: msg" unless $VERBOSE is nil.
pub fn warn(msg: &CStr) -> Result<(), Error> {
    magnus::rb_sys::protect(|| unsafe {
        rb_sys::rb_warn(c"%s".as_ptr(), msg.as_ptr());
        rb_sys::Qnil as rb_sys::VALUE
    })?;
    Ok(())
}

/// What gethostbyname-style answers are made of (Socket.gethostbyname,
/// TCPSocket.gethostbyname): the canonical name (or the host as given), its
/// aliases, and the addresses getaddrinfo found.
pub struct HostEnt {
    pub name: Vec<u8>,
    pub aliases: Vec<Vec<u8>>,
    pub family: i32,
    pub addrs: Vec<Resolved>,
}

/// Looks `host` up for stream sockets with AI_CANONNAME, as the stdlib's
/// gethostbyname methods do; aliases come from the resolver's host entry for
/// the canonical name.
pub fn hostent(host: Value) -> Result<HostEnt, Error> {
    let ruby = Ruby::get_with(host);
    let nil = ruby.qnil().as_value();
    let found = lookup(
        host,
        nil,
        libc::AF_UNSPEC,
        libc::SOCK_STREAM,
        0,
        libc::AI_CANONNAME,
        None,
    )?;
    let Some(first) = found.first() else {
        return Err(resolution_error(
            "getaddrinfo",
            GaiError::new(libc::EAI_NONAME),
        ));
    };
    let (name, aliases) = match &first.canonname {
        Some(c) => {
            let aliases = match CString::new(c.as_str()) {
                Ok(cname) if c.len() < NI_MAXHOST => {
                    off_gvl(move || lookup::host_by_name(&cname), None)?
                        .flatten()
                        .map(|h| h.aliases)
                        .unwrap_or_default()
                }
                _ => Vec::new(),
            };
            (c.as_bytes().to_vec(), aliases)
        }
        None => (
            host_arg(host)?
                .text
                .map(CString::into_bytes)
                .unwrap_or_default(),
            Vec::new(),
        ),
    };
    let family = first.family;
    Ok(HostEnt {
        name,
        aliases,
        family,
        addrs: found,
    })
}

/// [name, aliases, family, *addresses]: the row every gethostby* method
/// returns, the addresses in the form each gives them.
pub fn hostent_row(
    ruby: &Ruby,
    name: &[u8],
    aliases: &[Vec<u8>],
    family: i32,
    addresses: impl ExactSizeIterator<Item = Result<Option<Value>, Error>>,
) -> Result<RArray, Error> {
    let out = ruby.ary_new_capa(3 + addresses.len());
    out.push(ruby.str_from_slice(name))?;
    out.push(str_list(ruby, aliases)?)?;
    out.push(family)?;
    for a in addresses {
        if let Some(a) = a? {
            out.push(a)?;
        }
    }
    Ok(out)
}

fn str_list(ruby: &Ruby, list: &[Vec<u8>]) -> Result<RArray, Error> {
    let out = ruby.ary_new_capa(list.len());
    for s in list {
        out.push(ruby.str_from_slice(s))?;
    }
    Ok(out)
}
