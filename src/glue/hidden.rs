//! Plain Ruby objects whose state lives in hidden instance variables (names
//! without "@", as the stdlib keeps them): Socket::Option and
//! Socket::AncillaryData. Also their shared inspect layout.

use magnus::{
    prelude::*,
    rb_sys::{AsRawId, AsRawValue, FromRawValue},
    value::LazyId,
    Error, RString, Ruby, Value,
};
use rb_sys::ID;

// The hidden ivars' names, each interned once for the process (IDs are
// permanent; getsockopt sets four of these per call).
pub static FAMILY: LazyId = LazyId::new("family");
pub static LEVEL: LazyId = LazyId::new("level");
pub static OPTNAME: LazyId = LazyId::new("optname");
pub static DATA: LazyId = LazyId::new("data");
pub static TYPE: LazyId = LazyId::new("type");
pub static UNIX_RIGHTS: LazyId = LazyId::new("unix_rights");

/// The raw ID of a hidden ivar's name.
pub fn id(ruby: &Ruby, ivar: &LazyId) -> ID {
    LazyId::get_inner_with(ivar, ruby).as_raw()
}

/// A hidden ivar (nil when unset, as on an allocated but uninitialized object).
pub fn get(obj: Value, ivar: &LazyId) -> Value {
    let id = id(&Ruby::get_with(obj), ivar);
    unsafe { Value::from_raw(rb_sys::rb_attr_get(obj.as_raw(), id)) }
}

pub fn set(obj: Value, ivar: &LazyId, val: Value) -> Result<(), Error> {
    let (o, id, v) = (obj.as_raw(), id(&Ruby::get_with(obj), ivar), val.as_raw());
    // Raises FrozenError on a frozen object.
    magnus::rb_sys::protect(|| unsafe { rb_sys::rb_ivar_set(o, id, v) })?;
    Ok(())
}

/// "#<Class: head value>": `decoded` when the data was understood, else the
/// data as String#dump shows it (the stdlib's layout for both classes).
pub fn inspect(
    obj: Value,
    head: &str,
    decoded: Option<String>,
    data: RString,
) -> Result<RString, Error> {
    let ruby = Ruby::get_with(obj);
    let value = match decoded {
        Some(text) => text.into_bytes(),
        None => {
            let dumped: RString = data.funcall("dump", ())?;
            unsafe { dumped.as_slice() }.to_vec()
        }
    };
    let raw = obj.as_raw();
    let class_name =
        magnus::rb_sys::protect(|| unsafe { rb_sys::rb_class_name(rb_sys::rb_obj_class(raw)) })?;
    let class_name = RString::from_value(unsafe { Value::from_raw(class_name) })
        .map(|s| unsafe { s.as_slice() }.to_vec())
        .unwrap_or_default();
    let mut out = Vec::with_capacity(64 + value.len());
    out.extend_from_slice(b"#<");
    out.extend_from_slice(&class_name);
    out.extend_from_slice(b": ");
    out.extend_from_slice(head.as_bytes());
    out.push(b' ');
    out.extend_from_slice(&value);
    out.push(b'>');
    Ok(ruby.str_from_slice(&out))
}
