//! Plain Ruby objects whose state lives in hidden instance variables (names
//! without "@", as the stdlib keeps them): Socket::Option and
//! Socket::AncillaryData. Also their shared inspect layout.

use magnus::{
    prelude::*,
    rb_sys::{AsRawValue, FromRawValue},
    Error, RString, Ruby, Value,
};
use rb_sys::ID;

/// The ID of a hidden ivar name, interned once per name.
pub fn intern(name: &'static str) -> ID {
    thread_local! {
        static IDS: std::cell::RefCell<Vec<(&'static str, ID)>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    IDS.with(|ids| {
        if let Some(&(_, id)) = ids.borrow().iter().find(|(n, _)| *n == name) {
            return id;
        }
        let id = unsafe { rb_sys::rb_intern2(name.as_ptr() as *const _, name.len() as _) };
        ids.borrow_mut().push((name, id));
        id
    })
}

/// A hidden ivar (nil when unset, as on an allocated but uninitialized object).
pub fn get(obj: Value, name: &'static str) -> Value {
    unsafe { Value::from_raw(rb_sys::rb_attr_get(obj.as_raw(), intern(name))) }
}

pub fn set(obj: Value, name: &'static str, val: Value) -> Result<(), Error> {
    let (o, id, v) = (obj.as_raw(), intern(name), val.as_raw());
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
