//! The one place names are resolved. Numeric hosts with numeric ports are
//! answered in Rust, as the stdlib answers them without getaddrinfo; names go
//! to getaddrinfo on a helper thread so that a timeout, Thread#raise or
//! Thread#kill abandons a stuck lookup at once (the helper owns its result and
//! drops it when nobody waits any more). getnameinfo works the same way.

use magnus::{
    function,
    prelude::*,
    rb_sys::{AsRawValue, FromRawValue},
    value::Lazy,
    Error, ExceptionClass, RArray, RClass, RString, Ruby, Symbol, Value,
};
use std::ffi::{c_void, CStr, CString};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use crate::sys::sockaddr;
use crate::{glue::args, glue::errors, ruby_api::addrinfo, ruby_api::basic_socket, sys::constants};

/// One getaddrinfo answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resolved {
    pub family: i32,
    pub socktype: i32,
    pub protocol: i32,
    /// packed sockaddr
    pub addr: Vec<u8>,
    pub canonname: Option<String>,
}

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
const ERROR_CODE_IVAR: &str = "error_code";

pub fn init(ruby: &Ruby) -> Result<(), Error> {
    let basic_socket = ruby.define_class("BasicSocket", ruby.class_io())?;
    let socket = ruby.define_class("Socket", basic_socket)?;
    let socket_error: ExceptionClass = ruby.class_object().const_get("SocketError")?;
    let class = socket.define_class("ResolutionError", socket_error.as_r_class())?;
    class.define_method("error_code", magnus::method!(error_code, 0))?;
    Lazy::force(&RESOLUTION_ERROR, ruby);
    socket.define_singleton_method("getaddrinfo", function!(s_getaddrinfo, -1))?;
    socket.define_singleton_method("getnameinfo", function!(s_getnameinfo, -1))?;
    socket.define_singleton_method("gethostbyname", function!(s_gethostbyname, 1))?;
    socket.define_singleton_method("gethostbyaddr", function!(s_gethostbyaddr, -1))?;
    socket.define_singleton_method("getservbyname", function!(s_getservbyname, -1))?;
    socket.define_singleton_method("getservbyport", function!(s_getservbyport, -1))?;
    Ok(())
}

fn error_code(rb_self: Value) -> Result<Value, Error> {
    match magnus::RObject::from_value(rb_self) {
        Some(obj) => obj.ivar_get(ERROR_CODE_IVAR),
        None => Ok(Ruby::get_with(rb_self).qnil().as_value()),
    }
}

/// A failed lookup: the EAI_* code, and for EAI_SYSTEM the helper's errno.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GaiError {
    pub code: i32,
    pub errno: i32,
}

impl GaiError {
    fn new(code: i32) -> Self {
        GaiError { code, errno: 0 }
    }
}

pub fn gai_message(code: i32) -> String {
    let p = unsafe { libc::gai_strerror(code) };
    if p.is_null() {
        return format!("Unknown error {code}");
    }
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// The stdlib's exception for a failed getaddrinfo/getnameinfo: Errno::X for
/// EAI_SYSTEM, else Socket::ResolutionError "getaddrinfo: <gai_strerror>".
pub fn resolution_error(reason: &str, err: GaiError) -> Error {
    if err.code == libc::EAI_SYSTEM && err.errno != 0 {
        return errors::syserr(err.errno, reason);
    }
    let Some(ruby) = Ruby::get().ok() else {
        return errors::socket_error(format!("{reason}: {}", gai_message(err.code)));
    };
    let class = ruby.get_inner(&RESOLUTION_ERROR);
    let msg = format!("{reason}: {}", gai_message(err.code));
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

const NI_MAXHOST: usize = 1025;
/// The most sockaddr bytes Socket.getnameinfo takes, as the stdlib's buffer.
const MAX_SOCKADDR_LEN: usize = 2048;
const NI_MAXSERV: usize = 32;

/// A host argument as the stdlib reads it, plus AI_* flags it implies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostArg {
    pub text: Option<String>,
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
            text: Some(ip.to_string()),
            flags: libc::AI_NUMERICHOST,
        });
    }
    let s = cstr_value(host)?;
    let numeric = |t: &str| HostArg {
        text: Some(t.into()),
        flags: libc::AI_NUMERICHOST,
    };
    if s.is_empty() || s == "<any>" {
        return Ok(numeric("0.0.0.0"));
    }
    if s == "<broadcast>" {
        return Ok(numeric("255.255.255.255"));
    }
    if s.len() >= NI_MAXHOST {
        return Err(errors::arg_error(format!(
            "hostname too long ({})",
            s.len()
        )));
    }
    Ok(HostArg {
        text: Some(s),
        flags: 0,
    })
}

/// A port argument: nil, an Integer (printed as a C long; Bignums are not
/// converted) or a String service name.
pub fn port_arg(port: Value) -> Result<Option<String>, Error> {
    if port.is_nil() {
        return Ok(None);
    }
    if port.is_kind_of(Ruby::get_with(port).class_integer()) && rb_sys::FIXNUM_P(port.as_raw()) {
        let raw = port.as_raw();
        // Printed as a C long: getaddrinfo itself keeps the low bits.
        let mut n: i64 = 0;
        magnus::rb_sys::protect(|| unsafe {
            n = rb_sys::rb_num2long(raw) as i64;
            rb_sys::Qnil as rb_sys::VALUE
        })?;
        return Ok(Some(n.to_string()));
    }
    let s = cstr_value(port)?;
    if s.len() >= NI_MAXSERV {
        return Err(errors::arg_error(format!(
            "service name too long ({})",
            s.len()
        )));
    }
    Ok(Some(s))
}

/// StringValueCStr: implicit conversion, and no NUL bytes inside.
fn cstr_value(v: Value) -> Result<String, Error> {
    let mut raw = v.as_raw();
    let mut out = String::new();
    magnus::rb_sys::protect(|| unsafe {
        let p = rb_sys::rb_string_value_cstr(&mut raw);
        out = CStr::from_ptr(p).to_string_lossy().into_owned();
        rb_sys::Qnil as rb_sys::VALUE
    })?;
    Ok(out)
}

/// A port the stdlib takes as numeric without getaddrinfo: nothing, or only
/// digits with a value below 65536.
fn numeric_port(service: Option<&str>) -> Option<u16> {
    match service {
        None => Some(0),
        Some(s) if s.bytes().all(|b| b.is_ascii_digit()) => {
            let digits = s.trim_start_matches('0');
            if digits.len() > 5 {
                return None;
            }
            if digits.is_empty() {
                return Some(0);
            }
            digits
                .parse::<u32>()
                .ok()
                .filter(|&n| n < 0x10000)
                .map(|n| n as u16)
        }
        Some(_) => None,
    }
}

/// The stdlib's resolver-free answer for a numeric host and port: STREAM/TCP,
/// DGRAM/UDP and RAW entries filtered by the hints. None when it does not
/// apply, and getaddrinfo must decide.
pub fn numeric_lookup(
    host: Option<&str>,
    service: Option<&str>,
    family: i32,
    socktype: i32,
    protocol: i32,
) -> Option<Vec<Resolved>> {
    let host = host?;
    let port = numeric_port(service)?;
    const LIST: [(i32, i32); 3] = [
        (libc::SOCK_STREAM, libc::IPPROTO_TCP),
        (libc::SOCK_DGRAM, libc::IPPROTO_UDP),
        (libc::SOCK_RAW, 0),
    ];
    let entries = |fam: i32, addr: Vec<u8>| -> Vec<Resolved> {
        LIST.iter()
            .filter(|(st, pr)| {
                (socktype == 0 || socktype == *st) && (protocol == 0 || *pr == 0 || protocol == *pr)
            })
            .map(|&(st, pr)| Resolved {
                family: fam,
                socktype: st,
                protocol: if protocol != 0 { protocol } else { pr },
                addr: addr.clone(),
                canonname: None,
            })
            .collect()
    };
    let mut out = Vec::new();
    let v6_chars = |b: u8| b.is_ascii_hexdigit() || b == b'.' || b == b':';
    if (family == libc::AF_UNSPEC || family == libc::AF_INET6) && host.bytes().all(v6_chars) {
        if let Ok(a) = host.parse::<std::net::Ipv6Addr>() {
            out.extend(entries(
                libc::AF_INET6,
                sockaddr::pack_v6(port, a, 0, 0).to_vec(),
            ));
        }
    }
    if (family == libc::AF_UNSPEC || family == libc::AF_INET)
        && host.bytes().all(|b| b.is_ascii_digit() || b == b'.')
    {
        if let Ok(a) = host.parse::<std::net::Ipv4Addr>() {
            out.extend(entries(libc::AF_INET, sockaddr::pack_v4(port, a).to_vec()));
        }
    }
    (!out.is_empty()).then_some(out)
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
    if socktype == 0 && service.as_deref().is_some_and(strtoul_whole) {
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

/// Whether strtoul(s, &end, 10) consumes all of a non-empty `s`.
fn strtoul_whole(s: &str) -> bool {
    let t = s.trim_start_matches([' ', '\t', '\n', '\x0b', '\x0c', '\r']);
    let t = t.strip_prefix(['+', '-']).unwrap_or(t);
    !s.is_empty() && !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
}

#[allow(clippy::too_many_arguments)]
fn lookup_args(
    host_value: Value,
    host: &HostArg,
    service: Option<&str>,
    family: i32,
    socktype: i32,
    protocol: i32,
    flags: i32,
    timeout: Option<Duration>,
) -> Result<Vec<Resolved>, Error> {
    let flags = flags | host.flags;
    let text = host.text.as_deref();
    if let Some(list) = numeric_lookup(text, service, family, socktype, protocol) {
        return Ok(list);
    }
    let mut result = None;
    if text.is_some() && flags & libc::AI_NUMERICHOST == 0 {
        result = scheduler_lookup(host_value, service, family, socktype, protocol)?;
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
            let node = text.map(c_string).transpose()?;
            let serv = service.map(c_string).transpose()?;
            match off_gvl(
                move || getaddrinfo(node.as_deref(), serv.as_deref(), hints),
                timeout,
            )? {
                Some(r) => r,
                None => return Err(timeout_error()),
            }
        }
    };
    result.map_err(|e| {
        if text.is_some_and(|t| t.ends_with('\n')) {
            errors::socket_error("newline at the end of hostname")
        } else {
            resolution_error("getaddrinfo", e)
        }
    })
}

fn c_string(s: &str) -> Result<CString, Error> {
    CString::new(s).map_err(|_| errors::arg_error("string contains null byte"))
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
            if let Some(r) = numeric_lookup(h.text.as_deref(), service, family, socktype, protocol)
            {
                out.extend(r);
            }
        }
    }
    if out.is_empty() {
        return Ok(Some(Err(GaiError::new(libc::EAI_NONAME))));
    }
    Ok(Some(Ok(out)))
}

#[derive(Clone, Copy)]
pub struct Hints {
    pub family: i32,
    pub socktype: i32,
    pub protocol: i32,
    pub flags: i32,
}

/// libc's getaddrinfo, copied into Rust values and freed at once. Runs on the
/// helper thread: errno for EAI_SYSTEM is read here, where it was set.
pub fn getaddrinfo(
    node: Option<&CStr>,
    service: Option<&CStr>,
    h: Hints,
) -> Result<Vec<Resolved>, GaiError> {
    let mut hints: libc::addrinfo = unsafe { std::mem::zeroed() };
    hints.ai_family = h.family;
    hints.ai_socktype = h.socktype;
    hints.ai_protocol = h.protocol;
    hints.ai_flags = h.flags;
    let mut res: *mut libc::addrinfo = std::ptr::null_mut();
    let code = unsafe {
        libc::getaddrinfo(
            node.map_or(std::ptr::null(), |c| c.as_ptr()),
            service.map_or(std::ptr::null(), |c| c.as_ptr()),
            &hints,
            &mut res,
        )
    };
    if code != 0 {
        return Err(GaiError {
            code,
            errno: errors::errno(),
        });
    }
    let mut out = Vec::new();
    let mut p = res;
    while !p.is_null() {
        let ai = unsafe { &*p };
        let addr = if ai.ai_addr.is_null() {
            Vec::new()
        } else {
            unsafe { std::slice::from_raw_parts(ai.ai_addr as *const u8, ai.ai_addrlen as usize) }
                .to_vec()
        };
        let canonname = (!ai.ai_canonname.is_null()).then(|| {
            unsafe { CStr::from_ptr(ai.ai_canonname) }
                .to_string_lossy()
                .into_owned()
        });
        out.push(Resolved {
            family: ai.ai_family,
            socktype: ai.ai_socktype,
            protocol: ai.ai_protocol,
            addr,
            canonname,
        });
        p = ai.ai_next;
    }
    unsafe { libc::freeaddrinfo(res) };
    Ok(out)
}

/// getnameinfo for packed sockaddr bytes: (host, service). Numeric requests
/// for well-formed IP sockaddrs are answered in Rust.
pub fn getnameinfo(sa: &[u8], flags: i32) -> Result<(String, String), Error> {
    if let Some(answer) = numeric_nameinfo(sa, flags) {
        return Ok(answer);
    }
    let bytes = sa.to_vec();
    match off_gvl(move || getnameinfo_libc(&bytes, flags), None)? {
        Some(Ok(r)) => Ok(r),
        Some(Err(e)) => Err(resolution_error("getnameinfo", e)),
        None => Err(timeout_error()),
    }
}

fn numeric_nameinfo(sa: &[u8], flags: i32) -> Option<(String, String)> {
    let numeric = libc::NI_NUMERICHOST | libc::NI_NUMERICSERV;
    let harmless = numeric | libc::NI_DGRAM | libc::NI_NOFQDN;
    if flags & numeric != numeric || flags & !harmless != 0 {
        return None;
    }
    let ip = match sockaddr::family(sa)? {
        libc::AF_INET if sa.len() == sockaddr::SIN_LEN => sockaddr::unpack_ip(sa)?,
        libc::AF_INET6 if sa.len() == sockaddr::SIN6_LEN => sockaddr::unpack_ip(sa)?,
        _ => return None,
    };
    Some((sockaddr::ip_text(&ip), ip.port().to_string()))
}

fn getnameinfo_libc(sa: &[u8], flags: i32) -> Result<(String, String), GaiError> {
    // Socket.getnameinfo passes up to MAX_SOCKADDR_LEN bytes, more than a
    // sockaddr_storage holds; glibc reads only what the family needs.
    #[repr(C, align(8))]
    struct Buf([u8; MAX_SOCKADDR_LEN]);
    if sa.len() > MAX_SOCKADDR_LEN {
        return Err(GaiError::new(libc::EAI_FAMILY));
    }
    let mut buf = Buf([0; MAX_SOCKADDR_LEN]);
    buf.0[..sa.len()].copy_from_slice(sa);
    let mut host = [0 as libc::c_char; NI_MAXHOST];
    let mut serv = [0 as libc::c_char; NI_MAXSERV];
    let code = unsafe {
        libc::getnameinfo(
            buf.0.as_ptr() as *const libc::sockaddr,
            sa.len() as libc::socklen_t,
            host.as_mut_ptr(),
            host.len() as libc::socklen_t,
            serv.as_mut_ptr(),
            serv.len() as libc::socklen_t,
            flags,
        )
    };
    if code != 0 {
        return Err(GaiError {
            code,
            errno: errors::errno(),
        });
    }
    let text = |b: &[libc::c_char]| {
        unsafe { CStr::from_ptr(b.as_ptr()) }
            .to_string_lossy()
            .into_owned()
    };
    Ok((text(&host), text(&serv)))
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
fn off_gvl<T: Send + 'static>(
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

// ---- Socket's resolution class methods ------------------------------------

const NUMERIC: i32 = libc::NI_NUMERICHOST | libc::NI_NUMERICSERV;

fn opt_arg(v: Option<Value>, f: fn(Value) -> Result<i32, Error>) -> Result<i32, Error> {
    match v {
        Some(v) if !v.is_nil() => f(v),
        _ => Ok(0),
    }
}

fn us_ascii(ruby: &Ruby, s: &str) -> RString {
    ruby.enc_str_new(s, ruby.usascii_encoding())
}

/// The stdlib's address row ["AF_INET", port, host, numeric_host] (IPSocket#addr,
/// Socket.getaddrinfo). `host` is the reverse-resolved name unless
/// `norevlookup`, or the numeric address when that lookup fails.
pub fn ipaddr_row(ruby: &Ruby, sa: &[u8], norevlookup: bool) -> Result<RArray, Error> {
    let row = ruby.ary_new_capa(4);
    for v in ipaddr_values(ruby, sa, norevlookup)? {
        row.push(v)?;
    }
    Ok(row)
}

fn is_system_call_error(ruby: &Ruby, e: &Error) -> bool {
    ruby.class_object()
        .const_get::<_, magnus::ExceptionClass>("SystemCallError")
        .is_ok_and(|c| e.is_kind_of(c))
}

/// The four values of `ipaddr_row`, for callers that add more to the row.
fn ipaddr_values(ruby: &Ruby, sa: &[u8], norevlookup: bool) -> Result<[Value; 4], Error> {
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
    let (numeric, port) = match numeric_nameinfo(sa, NUMERIC) {
        Some((host, _)) => (
            host,
            sockaddr::unpack_ip(sa).map_or(0, |ip| ip.port() as i32),
        ),
        None => {
            let (host, port) = getnameinfo(sa, NUMERIC)?;
            (host, port.parse::<i32>().unwrap_or(0))
        }
    };
    let numeric = ruby.str_from_slice(numeric.as_bytes());
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

/// Socket.getaddrinfo(host, port, family=nil, socktype=nil, protocol=nil,
/// flags=nil, reverse_lookup=nil): rows of ipaddr_row plus family, socktype
/// and protocol.
fn s_getaddrinfo(ruby: &Ruby, args: &[Value]) -> Result<RArray, Error> {
    let args = args::split::<2, 5>(args)?;
    let [host, port] = args.required;
    let [family, socktype, protocol, flags, revlookup] = args.optional;
    let family = opt_arg(family, args::family)?;
    let socktype = opt_arg(socktype, args::socktype)?;
    let protocol = opt_arg(protocol, args::num2int)?;
    let flags = opt_arg(flags, args::num2int)?;
    let norevlookup = match revlookup {
        Some(v) => revlookup_flag(v)?,
        None => None,
    }
    .unwrap_or_else(basic_socket::default_do_not_reverse_lookup);
    let found = lookup(host, port, family, socktype, protocol, flags, None)?;
    let out = ruby.ary_new_capa(found.len());
    for r in &found {
        let [family, port, host, numeric] = ipaddr_values(ruby, &r.addr, norevlookup)?;
        let row = ruby.ary_new_from_values(&[
            family,
            port,
            host,
            numeric,
            ruby.integer_from_i64(r.family as i64).as_value(),
            ruby.integer_from_i64(r.socktype as i64).as_value(),
            ruby.integer_from_i64(r.protocol as i64).as_value(),
        ]);
        out.push(row)?;
    }
    Ok(out)
}

/// Socket.getnameinfo(sockaddr, flags=0): a packed sockaddr (or Addrinfo),
/// or [family, port, host] / [family, port, host, numeric_host].
fn s_getnameinfo(ruby: &Ruby, args: &[Value]) -> Result<RArray, Error> {
    let args = args::split::<1, 1>(args)?;
    let sa = args.required[0];
    let flags = opt_arg(args.optional[0], args::num2int)?;
    let pair = |(h, s): (String, String)| -> Result<RArray, Error> {
        let out = ruby.ary_new_capa(2);
        out.push(ruby.str_from_slice(h.as_bytes()))?;
        out.push(ruby.str_from_slice(s.as_bytes()))?;
        Ok(out)
    };
    let addrinfo_class: RClass = ruby.class_object().const_get("Addrinfo")?;
    let raw = sa.as_raw();
    let string = if sa.is_kind_of(addrinfo_class) {
        Some(addrinfo::sockaddr_bytes(sa)?)
    } else {
        let s = magnus::rb_sys::protect(|| unsafe { rb_sys::rb_check_string_type(raw) })?;
        RString::from_value(unsafe { Value::from_raw(s) }).map(|s| unsafe { s.as_slice() }.to_vec())
    };
    if let Some(bytes) = string {
        if bytes.len() > MAX_SOCKADDR_LEN {
            return Err(errors::type_error("sockaddr length too big"));
        }
        return pair(getnameinfo(&bytes, flags)?);
    }
    let ary = magnus::rb_sys::protect(|| unsafe { rb_sys::rb_check_array_type(raw) })?;
    let Some(ary) = RArray::from_value(unsafe { Value::from_raw(ary) }) else {
        return Err(errors::type_error("expecting String or Array"));
    };
    let len = ary.len();
    let mut lookup_flags = 0;
    let (af, port, host) = match len {
        3 => (ary.entry(0)?, ary.entry(1)?, ary.entry::<Value>(2)?),
        n if n >= 4 => {
            let numeric: Value = ary.entry(3)?;
            if numeric.is_nil() {
                (ary.entry(0)?, ary.entry(1)?, ary.entry(2)?)
            } else {
                // The 4th element is the numeric form: don't resolve it.
                lookup_flags = libc::AI_NUMERICHOST;
                (ary.entry(0)?, ary.entry(1)?, numeric)
            }
        }
        n => {
            return Err(errors::arg_error(format!(
                "array size should be 3 or 4, {n} given"
            )))
        }
    };
    let socktype = if flags & libc::NI_DGRAM != 0 {
        libc::SOCK_DGRAM
    } else {
        libc::SOCK_STREAM
    };
    let family = opt_arg(Some(af), args::family)?;
    let found = lookup(host, port, family, socktype, 0, lookup_flags, None)?;
    let mut answer: Option<(String, String)> = None;
    for r in &found {
        let this = getnameinfo(&r.addr, flags)?;
        match &answer {
            None => answer = Some(this),
            Some(first) if *first != this => {
                return Err(errors::socket_error(
                    "sockaddr resolved to multiple nodename",
                ))
            }
            Some(_) => {}
        }
    }
    match answer {
        Some(a) => pair(a),
        None => Err(resolution_error(
            "getaddrinfo",
            GaiError::new(libc::EAI_NONAME),
        )),
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
                Ok(cname) if c.len() < NI_MAXHOST => off_gvl(move || host_by_name(&cname), None)?
                    .flatten()
                    .map(|h| h.aliases)
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            (c.as_bytes().to_vec(), aliases)
        }
        None => (
            host_arg(host)?.text.unwrap_or_default().into_bytes(),
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

/// The raw in_addr / in6_addr bytes of a sockaddr.
fn raw_address(sa: &[u8]) -> Result<&[u8], Error> {
    match sockaddr::family(sa) {
        Some(libc::AF_INET) if sa.len() >= 8 => Ok(&sa[4..8]),
        Some(libc::AF_INET6) if sa.len() >= 24 => Ok(&sa[8..24]),
        f => Err(errors::socket_error(format!(
            "unknown socket family:{}",
            f.unwrap_or(0)
        ))),
    }
}

pub fn str_list(ruby: &Ruby, list: &[Vec<u8>]) -> Result<RArray, Error> {
    let out = ruby.ary_new_capa(list.len());
    for s in list {
        out.push(ruby.str_from_slice(s))?;
    }
    Ok(out)
}

/// Socket.gethostbyname(host): [name, aliases, family, *packed addresses].
fn s_gethostbyname(ruby: &Ruby, host: Value) -> Result<RArray, Error> {
    warn(c"Socket.gethostbyname is deprecated; use Addrinfo.getaddrinfo instead.")?;
    let h = hostent(host)?;
    let out = ruby.ary_new_capa(3 + h.addrs.len());
    out.push(ruby.str_from_slice(&h.name))?;
    out.push(str_list(ruby, &h.aliases)?)?;
    out.push(h.family)?;
    for r in &h.addrs {
        out.push(ruby.str_from_slice(raw_address(&r.addr)?))?;
    }
    Ok(out)
}

/// Socket.gethostbyaddr(address, family=nil): the host entry for a packed
/// 4- or 16-byte address.
fn s_gethostbyaddr(ruby: &Ruby, args: &[Value]) -> Result<RArray, Error> {
    warn(c"Socket.gethostbyaddr is deprecated; use Addrinfo#getnameinfo instead.")?;
    let args = args::split::<1, 1>(args)?;
    let addr = string_value(args.required[0])?;
    let family = match args.optional[0] {
        Some(f) if !f.is_nil() => args::family(f)?,
        _ if addr.len() == 16 => libc::AF_INET6,
        _ => libc::AF_INET,
    };
    let h = off_gvl(move || host_by_addr(&addr, family), None)?.flatten();
    let Some(h) = h else {
        return Err(errors::socket_error("host not found"));
    };
    let out = ruby.ary_new_capa(3 + h.addrs.len());
    out.push(ruby.str_from_slice(&h.name))?;
    out.push(str_list(ruby, &h.aliases)?)?;
    out.push(h.addrtype)?;
    for a in &h.addrs {
        out.push(ruby.str_from_slice(a))?;
    }
    Ok(out)
}

/// StringValue: implicit String conversion with Ruby's TypeError.
fn string_value(v: Value) -> Result<Vec<u8>, Error> {
    Ok(unsafe { args::string_value(v)?.as_slice() }.to_vec())
}

/// StringValueCStr as bytes, for names echoed in messages unchanged.
fn cstr_bytes(v: Value) -> Result<CString, Error> {
    let mut raw = v.as_raw();
    let mut out = CString::default();
    magnus::rb_sys::protect(|| unsafe {
        let p = rb_sys::rb_string_value_cstr(&mut raw);
        out = CStr::from_ptr(p).to_owned();
        rb_sys::Qnil as rb_sys::VALUE
    })?;
    Ok(out)
}

fn proto_arg(v: Option<Value>) -> Result<CString, Error> {
    match v {
        Some(p) if !p.is_nil() => cstr_bytes(p),
        _ => Ok(c"tcp".to_owned()),
    }
}

/// Socket.getservbyname(service, proto="tcp"): the port from the services
/// database, else the service parsed as strtoul(3) with base 0 does.
fn s_getservbyname(args: &[Value]) -> Result<i64, Error> {
    let args = args::split::<1, 1>(args)?;
    let service = args.required[0];
    let proto = args.optional[0].filter(|p| !p.is_nil());
    string_value(service)?;
    if let Some(p) = proto {
        string_value(p)?;
    }
    let name = cstr_bytes(service)?;
    let proto = proto_arg(proto)?;
    if let Some(port) = serv_by_name(&name, &proto) {
        return Ok(port as i64);
    }
    let mut end: *mut libc::c_char = std::ptr::null_mut();
    let n = unsafe { libc::strtoul(name.as_ptr(), &mut end, 0) };
    if end.is_null() || unsafe { *end } != 0 {
        let mut msg = b"no such service ".to_vec();
        msg.extend_from_slice(name.as_bytes());
        msg.push(b'/');
        msg.extend_from_slice(proto.as_bytes());
        return Err(errors::socket_error_bytes(&msg));
    }
    // Kept in a C long, as the stdlib does: ULONG_MAX reads as -1.
    Ok(n as i64)
}

/// Socket.getservbyport(port, proto="tcp"): the service name for a port.
fn s_getservbyport(ruby: &Ruby, args: &[Value]) -> Result<RString, Error> {
    let args = args::split::<1, 1>(args)?;
    let raw = args.required[0].as_raw();
    let mut port: i64 = 0;
    magnus::rb_sys::protect(|| unsafe {
        port = rb_sys::rb_num2long(raw) as i64;
        rb_sys::Qnil as rb_sys::VALUE
    })?;
    if port != port as u16 as i64 {
        let size = if port > 0 { "big" } else { "small" };
        return Err(Error::new(
            ruby.exception_range_error(),
            format!("integer {port} too {size} to convert into `int16_t'"),
        ));
    }
    let proto = proto_arg(args.optional[0])?;
    match serv_by_port(port as u16, &proto) {
        Some(name) => Ok(ruby.str_from_slice(&name)),
        None => {
            let mut msg = format!("no such service for port {port}/").into_bytes();
            msg.extend_from_slice(proto.as_bytes());
            Err(errors::socket_error_bytes(&msg))
        }
    }
}

// glibc's reentrant database lookups (the libc crate lacks them).
extern "C" {
    fn getservbyname_r(
        name: *const libc::c_char,
        proto: *const libc::c_char,
        result_buf: *mut libc::servent,
        buf: *mut libc::c_char,
        buflen: libc::size_t,
        result: *mut *mut libc::servent,
    ) -> libc::c_int;
    fn getservbyport_r(
        port: libc::c_int,
        proto: *const libc::c_char,
        result_buf: *mut libc::servent,
        buf: *mut libc::c_char,
        buflen: libc::size_t,
        result: *mut *mut libc::servent,
    ) -> libc::c_int;
    fn gethostbyname_r(
        name: *const libc::c_char,
        ret: *mut libc::hostent,
        buf: *mut libc::c_char,
        buflen: libc::size_t,
        result: *mut *mut libc::hostent,
        h_errnop: *mut libc::c_int,
    ) -> libc::c_int;
    fn gethostbyaddr_r(
        addr: *const c_void,
        len: libc::socklen_t,
        family: libc::c_int,
        ret: *mut libc::hostent,
        buf: *mut libc::c_char,
        buflen: libc::size_t,
        result: *mut *mut libc::hostent,
        h_errnop: *mut libc::c_int,
    ) -> libc::c_int;
}

/// Calls a *_r lookup with a buffer that grows while it says ERANGE.
/// None when nothing was found (or the buffer would grow past 1 MiB).
fn with_buffer<T, R>(
    mut call: impl FnMut(*mut T, &mut [u8], *mut *mut T) -> libc::c_int,
    read: impl FnOnce(&T) -> R,
) -> Option<R> {
    let mut size = 1024;
    loop {
        let mut entry: T = unsafe { std::mem::zeroed() };
        let mut buf = vec![0u8; size];
        let mut result: *mut T = std::ptr::null_mut();
        let rc = call(&mut entry, &mut buf, &mut result);
        if rc == libc::ERANGE && size < 1 << 20 {
            size *= 4;
            continue;
        }
        if rc != 0 || result.is_null() {
            return None;
        }
        return Some(read(unsafe { &*result }));
    }
}

fn serv_by_name(name: &CStr, proto: &CStr) -> Option<u16> {
    with_buffer(
        |entry: *mut libc::servent, buf, result| unsafe {
            getservbyname_r(
                name.as_ptr(),
                proto.as_ptr(),
                entry,
                buf.as_mut_ptr() as *mut libc::c_char,
                buf.len(),
                result,
            )
        },
        |s| u16::from_be(s.s_port as u16),
    )
}

fn serv_by_port(port: u16, proto: &CStr) -> Option<Vec<u8>> {
    with_buffer(
        |entry: *mut libc::servent, buf, result| unsafe {
            getservbyport_r(
                port.to_be() as libc::c_int,
                proto.as_ptr(),
                entry,
                buf.as_mut_ptr() as *mut libc::c_char,
                buf.len(),
                result,
            )
        },
        |s| unsafe { CStr::from_ptr(s.s_name) }.to_bytes().to_vec(),
    )
}

/// A struct hostent copied into Rust values.
struct HostEntry {
    name: Vec<u8>,
    aliases: Vec<Vec<u8>>,
    addrtype: i32,
    addrs: Vec<Vec<u8>>,
}

fn copy_hostent(h: &libc::hostent) -> HostEntry {
    let mut aliases = Vec::new();
    let mut addrs = Vec::new();
    unsafe {
        let mut p = h.h_aliases;
        while !p.is_null() && !(*p).is_null() {
            aliases.push(CStr::from_ptr(*p).to_bytes().to_vec());
            p = p.add(1);
        }
        let mut p = h.h_addr_list;
        while !p.is_null() && !(*p).is_null() {
            addrs.push(
                std::slice::from_raw_parts(*p as *const u8, h.h_length.max(0) as usize).to_vec(),
            );
            p = p.add(1);
        }
    }
    let name = if h.h_name.is_null() {
        Vec::new()
    } else {
        unsafe { CStr::from_ptr(h.h_name) }.to_bytes().to_vec()
    };
    HostEntry {
        name,
        aliases,
        addrtype: h.h_addrtype,
        addrs,
    }
}

fn host_by_name(name: &CStr) -> Option<HostEntry> {
    let mut herr = 0;
    with_buffer(
        |entry: *mut libc::hostent, buf, result| unsafe {
            gethostbyname_r(
                name.as_ptr(),
                entry,
                buf.as_mut_ptr() as *mut libc::c_char,
                buf.len(),
                result,
                &mut herr,
            )
        },
        copy_hostent,
    )
}

fn host_by_addr(addr: &[u8], family: i32) -> Option<HostEntry> {
    let mut herr = 0;
    with_buffer(
        |entry: *mut libc::hostent, buf, result| unsafe {
            gethostbyaddr_r(
                addr.as_ptr() as *const c_void,
                addr.len() as libc::socklen_t,
                family,
                entry,
                buf.as_mut_ptr() as *mut libc::c_char,
                buf.len(),
                result,
                &mut herr,
            )
        },
        copy_hostent,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn libc_lookup(
        host: &str,
        port: Option<&str>,
        family: i32,
        socktype: i32,
        protocol: i32,
    ) -> Option<Vec<Resolved>> {
        let node = CString::new(host).unwrap();
        let serv = port.map(|p| CString::new(p).unwrap());
        let h = Hints {
            family,
            socktype,
            protocol,
            flags: libc::AI_NUMERICHOST | libc::AI_NUMERICSERV,
        };
        getaddrinfo(Some(&node), serv.as_deref(), h).ok()
    }

    #[test]
    fn numeric_answers_match_getaddrinfo() {
        for host in [
            "127.0.0.1",
            "::1",
            "0.0.0.0",
            "::ffff:1.2.3.4",
            "255.255.255.255",
        ] {
            for port in [None, Some("80"), Some("0"), Some("65535")] {
                for family in [libc::AF_UNSPEC, libc::AF_INET, libc::AF_INET6] {
                    for socktype in [0, libc::SOCK_STREAM, libc::SOCK_DGRAM, libc::SOCK_RAW] {
                        for protocol in [0, libc::IPPROTO_TCP, libc::IPPROTO_UDP] {
                            // Here the stdlib adds a RAW entry glibc leaves out
                            // (the specs check that against the stdlib itself).
                            if socktype == 0 && protocol != 0 {
                                continue;
                            }
                            let ours = numeric_lookup(Some(host), port, family, socktype, protocol);
                            let theirs = libc_lookup(host, port, family, socktype, protocol);
                            if let (Some(o), Some(t)) = (&ours, &theirs) {
                                assert_eq!(o, t, "{host} {port:?} {family} {socktype} {protocol}");
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn numeric_ports_are_digits_below_65536() {
        assert_eq!(numeric_port(None), Some(0));
        assert_eq!(numeric_port(Some("")), Some(0));
        assert_eq!(numeric_port(Some("00080")), Some(80));
        assert_eq!(numeric_port(Some("65536")), None);
        assert_eq!(numeric_port(Some("-1")), None);
        assert_eq!(numeric_port(Some("http")), None);
        assert_eq!(numeric_port(Some("99999999999999999999999")), None);
    }

    #[test]
    fn numeric_hosts_only_in_the_stdlib_forms() {
        assert!(numeric_lookup(Some("127.1"), None, 0, 0, 0).is_none());
        assert!(numeric_lookup(Some("fe80::1%1"), None, 0, 0, 0).is_none());
        assert!(numeric_lookup(Some("127.0.0.1"), None, libc::AF_INET6, 0, 0).is_none());
        assert!(numeric_lookup(
            Some("127.0.0.1"),
            None,
            0,
            libc::SOCK_DGRAM,
            libc::IPPROTO_TCP
        )
        .is_none());
        let raw = numeric_lookup(Some("127.0.0.1"), Some("80"), 0, 0, 132).unwrap();
        assert_eq!(raw.len(), 1);
        assert_eq!((raw[0].socktype, raw[0].protocol), (libc::SOCK_RAW, 132));
    }

    #[test]
    fn numeric_nameinfo_is_text() {
        let sa = sockaddr::pack_v4(80, std::net::Ipv4Addr::LOCALHOST);
        let f = libc::NI_NUMERICHOST | libc::NI_NUMERICSERV;
        assert_eq!(
            numeric_nameinfo(&sa, f),
            Some(("127.0.0.1".into(), "80".into()))
        );
        assert_eq!(numeric_nameinfo(&sa, f), getnameinfo_libc(&sa, f).ok());
        assert_eq!(numeric_nameinfo(&sa[..10], f), None);
        assert_eq!(numeric_nameinfo(&sa, libc::NI_NUMERICHOST), None);
    }

    #[test]
    fn strtoul_whole_like_c() {
        assert!(strtoul_whole("80"));
        assert!(strtoul_whole("-1"));
        assert!(strtoul_whole(" 8"));
        assert!(!strtoul_whole(""));
        assert!(!strtoul_whole("8 "));
        assert!(!strtoul_whole("http"));
    }
}
